"""`make bench-grade`: how fast a whole class is graded, serially and in parallel.

Synthesises a class of one assignment (solutions, wrong answers, blanks and
infinite loops) in a scratch course (coursekit.paths.scratch_course), grades it with 1 worker and
then with 2 (each on a fresh gradebook), and prints submissions per minute
and the cost per submission split into start-up and execution.

Usage: python bench/bench_grade.py [--quick] [--students N] [--assignment NAME]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, progress  # noqa: E402


def _coursekit(ag: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "coursekit", "--course", str(ag), *args]


def _make_course(tmp: Path, assignment: str) -> Path:
    from coursekit.paths import scratch_course

    ag = scratch_course(tmp, [assignment])
    subprocess.run(_coursekit(ag, "release"), cwd=tmp, check=True, capture_output=True)
    return ag


def _synthesise(ag: Path, assignment: str, n: int) -> dict:
    """A class of n: 40% solutions, 30% wrong, 20% blank, 10% infinite loops."""
    import nbformat

    sys.path.insert(0, str(ROOT / "tests"))
    from test_autograder import STUDENTS, _student_notebook  # the same constructions the tests use

    release = nbformat.read(ag / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    master = nbformat.read(ag / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    kinds = {"solution": 0.4, "wrong": 0.3, "blank": 0.2, "loop": 0.1}
    plan = [k for k, share in kinds.items() for _ in range(round(share * n))][:n]
    while len(plan) < n:
        plan.append("solution")
    for i, kind in enumerate(plan):
        d = ag / "submitted" / f"s{i:03d}-{kind}" / assignment
        d.mkdir(parents=True)
        nb = release if kind == "blank" else _student_notebook(release, master, **STUDENTS[kind])
        nbformat.write(nb, d / f"{assignment}.ipynb")
    return {k: plan.count(k) for k in kinds}


def _kernel_launch_seconds(repeat: int = 3) -> float:
    """The median time to start a python3 kernel and get its first reply."""
    from jupyter_client.manager import start_new_kernel

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3")
        kc.execute_interactive("1", timeout=60, output_hook=lambda msg: None)
        times.append(time.perf_counter() - t0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(times)


def _grade(tmp: Path, ag: Path, jobs: int) -> dict:
    db = ag / "gradebook.db"
    if db.exists():
        db.unlink()
    env = dict(os.environ)
    t0 = time.perf_counter()
    out = subprocess.run(_coursekit(ag, "grade", "--jobs", str(jobs)), cwd=tmp,
                         env=env, capture_output=True, text=True)
    total = time.perf_counter() - t0
    # the grading proper, as coursekit.grade reports it: "N submission(s) in X s with J worker(s)"
    m = re.search(r"(\d+) submission\(s\) in ([\d.]+) s with", out.stdout)
    if not m:
        raise RuntimeError(f"grading did not report its time:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return {"wall": float(m.group(2)), "total": total, "stdout": out.stdout}


def main(quick: bool = False, students: int | None = None, assignment: str = "01-continuous") -> None:
    n = students or (4 if quick else 40)
    os.environ.setdefault("CONVBOOK_CELL_CPU", "5")
    os.environ.setdefault("CONVBOOK_RECHECK_SECONDS", "15")
    launch = _kernel_launch_seconds()
    rows = []
    walls = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            ag = _make_course(tmp, assignment)
            mix = _synthesise(ag, assignment, n)
            progress(f"grading {n} submissions of {assignment} with {jobs} worker(s) ...")
            r = _grade(tmp, ag, jobs)
            walls[jobs] = r["wall"]
            rows.append([jobs, n, r["wall"], 60 * n / r["wall"], r["wall"] * jobs / n, r["total"]])
    mix_text = ", ".join(f"{v} {k}" for k, v in mix.items())
    print_table(f"Grading a class of {n} ({mix_text}), {assignment}, cell timeout "
                f"{os.environ['CONVBOOK_CELL_CPU']} s of CPU",
                ["jobs", "submissions", "grading s", "per minute", "worker-s per submission", "whole command s"], rows,
                note=f"speed-up with 2 jobs: {walls[1] / walls[2]:.2f}x (target >= 1.6x on 2 cores). "
                     f"Start-up per submission: one kernel launch, measured at {launch:.2f} s; the nbgrader "
                     f"and Python imports are paid once per worker, not per submission. The rest of the "
                     f"worker time per submission is execution (the notebook, its feedback, the re-check).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--students", type=int)
    parser.add_argument("--assignment", default="01-continuous")
    a = parser.parse_args()
    main(quick=a.quick, students=a.students, assignment=a.assignment)
