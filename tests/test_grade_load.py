"""Grades do not depend on how busy the machine is (issue 12, "Load").

One small class is released once, then graded twice through the real
``coursekit grade --jobs 2`` (what ``make grade`` runs), each time in its own
copy of the released course with no cached re-check reference: once on the
machine as it is, and once while this test keeps ``4 x cores`` busy loops
running (plain, not niced).  Every limit that decides a verdict is CPU time
(``CONVBOOK_CELL_CPU`` per cell, ``CONVBOOK_RECHECK_SECONDS`` per re-checked
exercise and for the reference); the wall-clock limits are backstops that only
a blocked process reaches.  So both runs must give the same ``grades.csv``,
the same audit flags, re-check disagreements and "not graded" list, and
neither may abort.

The class: the solution, a wrong first answer (partial credit), an infinite
loop in the first exercise (stopped by its CPU budget: it costs that exercise
only), and a correct answer that logs and prints to stderr.

Run with ``-s`` to see the side-by-side table; it is also written to
``$CONVBOOK_LOAD_TABLE`` when that is set (the closing note's figures).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from conftest import coursekit
from test_autograder import STUDENTS, _student_notebook

from coursekit import paths

pytestmark = [pytest.mark.slow]

SET = "03-polynomial"  # the set that grades fastest (no sympy, no torch in its set-up)
CLASS = ("solution", "wrong", "loop", "logs")
ENV = {"CONVBOOK_CELL_CPU": "4", "CONVBOOK_RECHECK_SECONDS": "10",
       # one secret for both runs, so that the hidden random inputs (and the verdicts' details) are the same
       "CONVBOOK_GRADING_SEED": "load-test-seed"}


def _busy_loops(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def _grade(top: Path, ag: Path, env: dict) -> dict:
    """Grade the course at ``ag``; return its files, the wall time and the CPU time of the grading's processes."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    with (ag / "grades.csv").open() as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    integrity = json.loads((ag / "integrity.json").read_text())
    return dict(result=result, rows=rows, integrity=integrity, wall=wall, cpu=cpu)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    env = dict(os.environ, **ENV)
    base = tmp_path_factory.mktemp("load-base")
    ag = paths.scratch_course(base, [SET])
    subprocess.run(coursekit(ag, "release"), cwd=base, env=env, check=True, capture_output=True, text=True)
    release_nb = nbformat.read(ag / "release" / SET / f"{SET}.ipynb", as_version=4)
    master_nb = nbformat.read(ag / "source" / SET / f"{SET}.ipynb", as_version=4)
    for student in CLASS:
        d = ag / "submitted" / student / SET
        d.mkdir(parents=True)
        nbformat.write(_student_notebook(release_nb, master_nb, **STUDENTS[student]), d / f"{SET}.ipynb")

    def fresh_copy(name: str) -> tuple[Path, Path]:
        top = tmp_path_factory.mktemp(name)
        shutil.copytree(ag, top / "autograder", symlinks=True)
        return top, top / "autograder"

    idle = _grade(*fresh_copy("load-idle"), env)
    idle["load"] = os.getloadavg()[0]

    top, course = fresh_copy("load-busy")
    n = 4 * (os.cpu_count() or 1)
    loops = _busy_loops(n)
    peak, done = [0.0], threading.Event()

    def watch():
        while not done.wait(2.0):
            peak[0] = max(peak[0], os.getloadavg()[0])

    watcher = threading.Thread(target=watch, daemon=True)
    try:
        time.sleep(20)  # let the load average climb before grading starts
        watcher.start()
        busy = _grade(top, course, env)
    finally:
        done.set()
        for p in loops:
            p.kill()
        for p in loops:
            p.wait()
    busy["load"], busy["loops"] = peak[0], n
    _write_table(idle, busy)
    return dict(idle=idle, busy=busy)


def _write_table(idle: dict, busy: dict) -> None:
    columns = [c for c in next(iter(idle["rows"].values())) if c != "student"]
    lines = [f"Set {SET}, {len(CLASS)} submissions, `coursekit grade --jobs 2`, CONVBOOK_CELL_CPU={ENV['CONVBOOK_CELL_CPU']}.",
             "",
             f"| run | load average (peak, 1 min) | wall s | grading CPU s | CPU s per submission |",
             "|---|---|---|---|---|"]
    for name, run in (("idle", idle), (f"{busy['loops']} busy loops", busy)):
        lines.append(f"| {name} | {run['load']:.1f} | {run['wall']:.0f} | {run['cpu']:.0f} | "
                     f"{run['cpu'] / len(CLASS):.1f} |")
    lines += ["", "| student | column | idle | loaded |", "|---|---|---|---|"]
    for student in CLASS:
        for col in columns:
            a, b = idle["rows"][student][col], busy["rows"][student][col]
            lines.append(f"| {student} | {col} | {a} | {b}{'' if a == b else ' **differs**'} |")
    verdicts = lambda run: {(d["student"], d["exercise"]): f"{d['kind']}, of record {d['of_record']}"  # noqa: E731
                            for d in run["integrity"]["disagreements"]}
    vi, vb = verdicts(idle), verdicts(busy)
    lines += ["", "| student | exercise | re-check idle | re-check loaded |", "|---|---|---|---|"]
    for key in sorted(set(vi) | set(vb)):
        lines.append(f"| {key[0]} | {key[1]} | {vi.get(key, 'agrees')} | {vb.get(key, 'agrees')} |")
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    if os.environ.get("CONVBOOK_LOAD_TABLE"):
        Path(os.environ["CONVBOOK_LOAD_TABLE"]).write_text(table)


def test_the_busy_run_really_was_busy(runs):
    assert runs["busy"]["load"] >= 4, f"the load average reached only {runs['busy']['load']:.1f}"


@pytest.mark.parametrize("run", ["idle", "busy"])
def test_neither_run_aborts(runs, run):
    result = runs[run]["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert runs[run]["integrity"]["not_graded"] == []
    assert "NO re-check" not in result.stdout, result.stdout[-3000:]


def test_the_grades_are_identical(runs):
    idle, busy = runs["idle"]["rows"], runs["busy"]["rows"]
    assert set(idle) == set(busy) == set(CLASS)
    for student in CLASS:
        assert idle[student] == busy[student], student


def test_the_flags_and_verdicts_are_identical(runs):
    idle, busy = runs["idle"]["integrity"], runs["busy"]["integrity"]
    for part in ("flags", "disagreements", "not_graded", "records"):
        assert idle[part] == busy[part], part


def test_the_class_is_graded_as_designed(runs):
    rows = runs["idle"]["rows"]
    total = float(rows["solution"][f"{SET}/total"])
    assert total > 0 and float(rows["logs"][f"{SET}/total"]) == total, "honest output costs nothing"
    for student in ("wrong", "loop"):
        assert 0 < float(rows[student][f"{SET}/total"]) < total, f"{student}: one exercise lost, the others kept"
