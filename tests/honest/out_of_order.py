"""A notebook run out of order and saved as it was left: shuffled execution counts, cells never run, stale outputs
of an earlier wrong answer (an error, a failed check, an old value), and the metadata that JupyterLab and its
extensions write (collapsed and scrolled outputs, execution times).  Run top to bottom it is correct, and that is
how it is graded: the saved state must not matter."""
import random

import nbformat

SET = "03-polynomial"
CELLS = {}  # every answer is the master's solution; only the saved state differs


def NOTEBOOK(nb):
    """The submission as the student saved it, after running its cells in a shuffled order."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = list(range(1, len(code) + 1))
    random.Random(12).shuffle(counts)
    for n, (cell, count) in enumerate(zip(code, counts)):
        meta = cell.metadata.get("nbgrader", {})
        cell.execution_count = None if n % 5 == 4 else count + 40  # a few never run since the kernel restarted
        cell.metadata["ExecuteTime"] = {"end_time": "2026-11-30T23:59:0%dZ" % (n % 10),
                                        "start_time": "2026-11-30T23:58:0%dZ" % (n % 10)}
        cell.metadata["scrolled"] = bool(n % 2)
        cell.metadata.setdefault("jupyter", {})["outputs_hidden"] = n % 3 == 0
        if meta.get("solution"):  # the error of an earlier version of the answer
            cell.outputs = [nbformat.v4.new_output(
                "error", ename="NameError", evalue="name 'coefficents' is not defined",
                traceback=["NameError: name 'coefficents' is not defined"])]
        elif meta.get("grade"):  # a check that failed then, on that earlier answer
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Checking ...\n"),
                            nbformat.v4.new_output("error", ename="AssertionError", evalue="expected [4, 5, 7, 5]",
                                                   traceback=["AssertionError: expected [4, 5, 7, 5]"])]
        else:  # an old value
            cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "[0]"},
                                                   execution_count=cell.execution_count)]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                            "version_minor": 0}}
    return nb
