"""Repair before refusing (issue 13): what copy and paste and edited cell flags do to a notebook is undone.

A tiny set is graded through the real ``coursekit grade`` with one honest
student and four who did what students do in JupyterLab: pasted a copy of
a test cell, pasted a copy of the answer cell (and went on in the copy),
switched off a test cell's "graded" flag, and turned a test cell into
Markdown.  The first three are repaired (``RepairCells``), graded with full
marks and listed with what was repaired, in ``report.html``,
``integrity.json`` and the formgrader's comments (nbgrader restores the
fourth itself).  A file that is JSON but no notebook cannot be repaired and
keeps its whole reason: a one-line cause in ``grades.csv`` and nbgrader's
log, linked from the report.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess

import nbformat
import pytest

from conftest import coursekit, tiny_course
from test_integrity import ANSWERS, MASTER

from coursekit import findings

pytestmark = [pytest.mark.slow]

BROKEN = ("pasted-test", "pasted-answer", "flag-edited", "test-as-markdown")
CORRUPT = '{"cells": 5, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'  # JSON, but not a notebook


def _first_test(nb) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution"))


def _pasted_test(nb):
    i = _first_test(nb)
    pasted = copy.deepcopy(nb.cells[i])
    pasted["id"] = "pasted-test-copy"
    nb.cells.insert(i + 1, pasted)


def _pasted_answer(nb):
    i = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    first = copy.deepcopy(nb.cells[i])
    first["id"] = "first-try"
    first.source = "def double(x):\n    return x + x + 1  # my first try, wrong\n"
    nb.cells.insert(i, first)  # the copy above, the answer below: the last one is graded


def _flag_edited(nb):
    nb.cells[_first_test(nb)].metadata["nbgrader"]["grade"] = False


def _test_as_markdown(nb):
    i = _first_test(nb)
    cell = nb.cells[i]
    nb.cells[i] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    top = tmp_path_factory.mktemp("repair")
    answer = {"double-answer": ANSWERS["honest"]}
    ag, env = tiny_course(top, MASTER, {s: answer for s in ("honest", *BROKEN, "corrupt")})
    (ag / "submitted" / "corrupt" / "demo" / "demo.ipynb").write_text(CORRUPT)
    for student, edit in zip(BROKEN, (_pasted_test, _pasted_answer, _flag_edited, _test_as_markdown)):
        path = ag / "submitted" / student / "demo" / "demo.ipynb"
        nb = nbformat.read(path, as_version=4)
        edit(nb)
        nbformat.write(nb, path)
    result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True, text=True)
    with (ag / "grades.csv").open() as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    return dict(ag=ag, result=result, rows=rows, integrity=json.loads((ag / "integrity.json").read_text()),
                html=(ag / "report.html").read_text())


@pytest.mark.parametrize("student, said", [
    ("pasted-test", "dropped 1 pasted copy(ies) of the locked or test cell 'double-test-small'"),
    ("pasted-answer", "2 copies of the answer cell 'double-answer': the last is graded"),
    ("flag-edited", "restored the nbgrader metadata of 'double-test-small' from the release (grade had been edited)"),
])
def test_a_repaired_submission_is_graded_and_says_what_was_repaired(graded, student, said):
    row = graded["rows"][student]
    assert row["demo/status"] == "graded", row
    assert float(row["demo/total"]) == float(graded["rows"]["honest"]["demo/total"]) > 0, row
    repairs = {(r["student"], r["assignment"]): r["repairs"] for r in graded["integrity"]["repairs"]}
    assert any(said in line for line in repairs[(student, "demo")]), repairs
    assert "Repaired before grading" in graded["html"] and f'href="logs/{student}/demo.log"' in graded["html"]
    assert said.split(":")[0] in (graded["ag"] / "logs" / student / "demo.log").read_text()


def test_the_formgrader_shows_the_repair(graded):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['ag'] / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook("demo", "demo", "pasted-test")
        comments = " ".join(c.auto_comment or "" for c in nb.comments)
        assert nb.flagged and findings.MARK in comments and "repaired before grading: demo: dropped" in comments


def test_an_honest_submission_is_not_repaired(graded):
    assert ("honest", "demo") not in {(r["student"], r["assignment"]) for r in graded["integrity"]["repairs"]}
    assert graded["rows"]["honest"]["demo/status"] == "graded"


def test_a_test_cell_turned_into_markdown_is_graded_as_the_release_has_it(graded):
    row = graded["rows"]["test-as-markdown"]
    assert row["demo/status"] == "graded" and row["demo/total"] == graded["rows"]["honest"]["demo/total"], row


def test_what_cannot_be_repaired_keeps_its_whole_reason(graded):
    row = graded["rows"]["corrupt"]
    status = row["demo/status"]
    assert status.startswith("NOT GRADED: ") and "see the above traceback" not in status, status
    assert "Error: " in status or "Exception: " in status, status  # the exception nbgrader raised, in one line
    log = (graded["ag"] / "logs" / "corrupt" / "demo.log").read_text()
    assert "Traceback" in log and status.split(": ", 1)[1].split(" (")[-1].rstrip(")")[:40] in log, (status, log[-2000:])
    assert 'href="logs/corrupt/demo.log"' in graded["html"]
    assert graded["result"].returncode == 1  # an ungradable submission fails the run, as before


def test_grading_is_quiet(graded):
    """One progress line per submission and the summary; nbgrader's and the database's warnings go to each
    submission's log instead of between the progress lines."""
    out = graded["result"]
    assert "warning" not in out.stderr.lower(), out.stderr[-3000:]
    progress = [line for line in out.stdout.splitlines() if line.startswith("[") and "/demo: " in line]
    assert len(progress) == len(BROKEN) + 2, out.stdout
    assert "warning" not in "\n".join(progress).lower(), progress
