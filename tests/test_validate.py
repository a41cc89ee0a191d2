"""Validate = grading: a real ``nbgrader validate`` and real kernels, as a student runs them.

A student's Validate button runs ``nbgrader validate`` in their own
JupyterLab, with no course configuration and no sandbox.  What makes it agree
with grading lives in the notebook itself: the set-up cell calls
:func:`convbook.grading.grade_like_the_grader`, so that stderr (warnings,
``logging``) is output and not a failed test, and a cell has the same CPU-time
budget (``CONVBOOK_CELL_CPU``) as in the grading kernel.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NBGRADER = str(Path(sys.executable).parent / "nbgrader")
MASTERS = sorted((ROOT / "autograder" / "source").glob("*/*.md"))

SETUP = """\
import logging
import sys

import numpy as np

from convbook.grading import check_array, check_equal, grade_like_the_grader

grade_like_the_grader()
"""

ANSWER = '''\
def safe_mean(x):
    """The mean of x; an empty x gives nan, as numpy does (with a RuntimeWarning)."""
    logging.warning("a student's log line")
    print("a student's note on stderr", file=sys.stderr)
    return np.mean(np.asarray(x, dtype=float))
'''

TEST = '''\
"""safe_mean gives the mean, and nan for an empty input."""
print("Checking safe_mean([1, 2, 3]) == 2 and safe_mean([]) is nan ...")
check_array(safe_mean([1, 2, 3]), 2.0, name="safe_mean([1, 2, 3])")
check_array(safe_mean([]), np.nan, name="safe_mean([])")
print("✓ passed: safe_mean gives the mean, and nan for an empty input.")
'''


def _meta(grade_id, *, solution=False, grade=False, locked=False, points=0):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3,
            "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _notebook(path: Path, setup: str = SETUP, answer: str = ANSWER, test: str = TEST) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(setup, metadata=_meta("setup", locked=True)),
                nbformat.v4.new_code_cell(answer, metadata=_meta("mean-answer", solution=True)),
                nbformat.v4.new_code_cell(test, metadata=_meta("mean-test", grade=True, locked=True, points=1))]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _validate(nb_path: Path, **env) -> str:
    """``nbgrader validate`` run as a student would: from the notebook's folder, no course config."""
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "CONVBOOK_CELL"))}
    run_env.update(env)
    out = subprocess.run([NBGRADER, "validate", str(nb_path)], capture_output=True, text=True,
                         cwd=nb_path.parent, env=run_env, timeout=900)
    return out.stdout + out.stderr


def test_a_runtime_warning_and_logging_in_a_correct_answer_give_a_clean_validate(tmp_path):
    out = _validate(_notebook(tmp_path / "nb" / "warns.ipynb"))
    assert "Success! Your notebook passes all the tests." in out, out[-3000:]


def test_without_grade_like_the_grader_nbgrader_fails_the_same_correct_answer(tmp_path):
    """The control: nbgrader alone counts the warning on stderr as a failed test."""
    setup = SETUP.replace("grade_like_the_grader()\n", "")
    out = _validate(_notebook(tmp_path / "nb" / "plain.ipynb", setup=setup))
    assert "Success!" not in out
    # the failed cell's "error" is the answer's stderr: the log line, the note and numpy's RuntimeWarning
    # (nbgrader clips each line at its width, so the warning's own line, which starts with the venv's path,
    # is cut at a place that depends on where the venv lives: the short lines are what this checks)
    assert "VALIDATION FAILED ON 1 CELL(S)" in out, out[-3000:]
    assert "a student's note on stderr" in out and "WARNING:root:a student's log line" in out, out[-3000:]


def test_a_wrong_answer_still_fails_validate_with_the_reason(tmp_path):
    wrong = ANSWER.replace("return np.mean(", "return 1 + np.mean(")
    out = _validate(_notebook(tmp_path / "nb" / "wrong.ipynb", answer=wrong))
    assert "Success!" not in out
    assert "safe_mean([1, 2, 3]): first difference at the value: expected 2.0" in out, out[-3000:]
    assert "got:      3.0" in out, out[-3000:]


def test_validate_stops_a_cell_at_the_cpu_budget_of_grading(tmp_path):
    looping = ANSWER.replace("    return np.mean(", "    while True:\n        pass\n    return np.mean(")
    out = _validate(_notebook(tmp_path / "nb" / "loop.ipynb", answer=looping), CONVBOOK_CELL_CPU="1")
    assert "Success!" not in out
    assert "TimeoutError" in out and "this cell used more than 1 s of CPU time" in out, out[-3000:]


def _run_in_kernel(tmp_path: Path, *cells: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def _error(cell) -> dict:
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert errors, cell.outputs
    return errors[0]


def test_tracebacks_start_at_the_students_line_not_inside_convbook_grading(tmp_path):
    nb = _run_in_kernel(
        tmp_path,
        "import numpy as np\nfrom convbook.grading import check_equal, forbid",
        "def output_size(n, k):\n    return (n - k) / 1 + 1  # a float: 5.0",
        "check_equal(output_size(7, 3), 5, name='output_size(7, 3)')",
        "def mine(a, v, _impl=np.convolve):\n    return _impl(a, v)",
        "with forbid('numpy.convolve'):\n    mine([1, 2], [1, 1])",
    )
    type_error, forbidden = _error(nb.cells[2]), _error(nb.cells[4])
    assert type_error["ename"] == "AssertionError"
    assert type_error["evalue"].startswith("output_size(7, 3): expected an integer (5), got float 5.0.")
    assert forbidden["ename"] == "ForbiddenFunctionError"
    for err in (type_error, forbidden):
        text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err["traceback"]))
        assert "grading.py" not in text, text
    assert "return _impl(a, v)" in re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(forbidden["traceback"]))


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_every_test_cell_of_a_master_says_what_passed(master):
    nb = jupytext.read(master)
    tests = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
             and "-test" in c.metadata["nbgrader"].get("grade_id", "")]
    assert tests
    silent = [c.metadata["nbgrader"]["grade_id"] for c in tests
              if not c.source.rstrip().splitlines()[-1].startswith('print("✓ passed: ')]
    assert not silent, f"test cells that do not end by saying what passed: {silent}"
    setup = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert "grade_like_the_grader()" in setup.source


def test_set_05_runs_its_forbid_blocks_without_importing_torch(tmp_path):
    master = ROOT / "autograder" / "source" / "05-deep-learning" / "05-deep-learning.md"
    nb = jupytext.read(master)
    setup = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    out = _run_in_kernel(tmp_path, setup,
                         "with forbid(*CONVOLUTION_ROUTES):\n    pass\nimport sys\nprint('torch' in sys.modules)")
    texts = [o.get("text", "") for o in out.cells[1].outputs]
    assert texts and texts[-1].strip() == "False", out.cells[1].outputs
