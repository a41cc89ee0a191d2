"""The class files hold the whole class, whatever a run graded, and ``coursekit report`` rebuilds them.

A tiny set (tests/test_integrity.py's master: an honest, a partial and a
cheating student) is graded once through the real ``coursekit grade``; then
a ``--students`` run, a ``--shard`` run and ``coursekit report`` (which runs
no student code) must each leave ``grades.csv``, ``report.html`` and
``integrity.json`` exactly as the full run wrote them.  A submission that
was never graded is listed as such, never dropped.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from conftest import coursekit
from test_integrity import ANSWERS, graded_class

pytestmark = [pytest.mark.slow]

FILES = ("grades.csv", "report.html", "integrity.json")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    top = tmp_path_factory.mktemp("classfiles")
    ag, env, _ = graded_class(top)
    return dict(top=top, ag=ag, env=env, files={f: (ag / f).read_bytes() for f in FILES})


def _run(course, *args) -> subprocess.CompletedProcess:
    return subprocess.run(coursekit(course["ag"], *args), cwd=course["top"], env=course["env"],
                          capture_output=True, text=True)


def _rows(course) -> dict[str, dict]:
    with (course["ag"] / "grades.csv").open() as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def test_report_alone_rebuilds_the_class_files_byte_for_byte(course):
    for f in FILES:
        (course["ag"] / f).unlink()
    result = _run(course, "report")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 submission(s), 3 graded" in result.stdout, result.stdout
    for f in FILES:
        assert (course["ag"] / f).read_bytes() == course["files"][f], f
    print(f"coursekit report: {result.stdout.strip().splitlines()[-1]}")


@pytest.mark.parametrize("selection", [("--students", "honest"), ("--shard", "0/2")], ids=["students", "shard"])
def test_a_partial_run_leaves_the_whole_class(course, selection):
    result = _run(course, "grade", "--no-release", "--jobs", "1", *selection)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "class files: the whole class, 3 submission(s)" in result.stdout, result.stdout
    assert set(_rows(course)) == set(ANSWERS)
    for f in FILES:
        assert (course["ag"] / f).read_bytes() == course["files"][f], f


def test_a_submission_never_graded_is_listed_not_dropped(course):
    ag = course["ag"]
    shutil.copytree(ag / "submitted" / "honest", ag / "submitted" / "newcomer")
    try:
        result = _run(course, "report")
        assert result.returncode == 1 and "never graded: newcomer/demo" in result.stdout, result.stdout
        rows = _rows(course)
        assert set(rows) == set(ANSWERS) | {"newcomer"}
        assert rows["newcomer"]["demo/status"].startswith("NOT GRADED: never graded"), rows["newcomer"]
        assert float(rows["honest"]["demo/total"]) == 3.0, rows["honest"]
    finally:
        shutil.rmtree(ag / "submitted" / "newcomer")
        _run(course, "report")


@pytest.mark.parametrize("target", ["grade", "audit"])
def test_a_student_id_that_starts_with_a_dash_can_be_chosen(target):
    """``make grade STUDENTS=-bob`` reaches coursekit as the id -bob, not as an unknown option."""
    import shlex

    from conftest import ROOT
    from coursekit import cli

    made = subprocess.run(["make", "-n", "-s", "-C", str(ROOT), target, "STUDENTS=-bob,al*", "SHARD=1/3",
                           "STAMP=Makefile", "COURSEKIT=coursekit"], capture_output=True, text=True, check=True)
    line = [l for l in made.stdout.splitlines() if l.startswith("coursekit ")][-1]
    args = cli._parser().parse_args(shlex.split(line)[1:])
    assert (args.command, args.students, args.shard) == (target, "-bob,al*", "1/3"), line
