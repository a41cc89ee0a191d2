"""nbconvert preprocessors the course adds to nbgrader (named in ``autograder/nbgrader_config.py``)."""

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class MinimalTracebacks(Preprocessor):
    """Cut every error output to ``ename: evalue``, dropping the traceback.

    A traceback quotes source lines, and in a test cell those can be hidden
    tests.  The exception's own message (written by ``convbook.grading``)
    already says what was expected and what was returned.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
