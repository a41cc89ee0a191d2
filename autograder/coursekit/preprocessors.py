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


class StderrIsOutput(Preprocessor):
    """Turn every stderr stream of a graded notebook into stdout, so that printing to stderr costs nothing.

    nbgrader fails a test cell that has any stderr output.  Warnings, ``logging``
    messages and ``print(..., file=sys.stderr)`` from a correct answer are not
    failures; an exception is, and stays one: error outputs are left as they are.
    The text is kept (and shown in the feedback); only its stream changes.
    Used in place of nbgrader's ``IgnorePattern`` in ``Autograde.autograde_preprocessors``.

    Its counterpart inside the kernel, :func:`convbook.grading.grade_like_the_grader`
    (called by every set-up cell), does the same for ``sys.stderr`` wherever
    the notebook runs, ``nbgrader validate`` included; this preprocessor is
    the grader's backstop for output that bypasses ``sys.stderr``.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources
