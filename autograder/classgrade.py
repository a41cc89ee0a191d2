"""Grade a whole class: parallel workers, progress, shards, and honest statuses.

Each worker is one long-lived Python process holding nbgrader's API, so a
submission costs one kernel launch plus its execution, not a fresh
``nbgrader`` start-up (about 2 s of imports) as well.  Workers share one
gradebook: SQLite by default, where nbgrader's short write transactions
serialise on the database lock (the URL carries a generous busy timeout),
or any SQLAlchemy URL such as PostgreSQL for several grading machines
(``CONVBOOK_GRADEBOOK_URL``).  ``--students`` and ``--shard K/N`` pick a
slice of the class, so the same command spreads over machines.
"""

from __future__ import annotations

import fnmatch
import multiprocessing as mp
import os
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

_API = None
_INIT_SECONDS = 0.0
_REFERENCES: dict = {}


def load_config():
    """nbgrader's configuration from autograder/nbgrader_config.py."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(HERE)).load_config()


def _worker_init(references=None) -> None:
    global _API, _INIT_SECONDS, _REFERENCES
    t0 = time.perf_counter()
    _REFERENCES = references or {}
    os.chdir(HERE)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config()
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    _API.log.setLevel("WARNING")
    _INIT_SECONDS = time.perf_counter() - t0


def _grade_task(task):
    """Autograde one submission and, if it was graded, write its feedback."""
    import course

    student, assignment = task
    t0 = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    log = (result.get("log") or "") + "\n" + (result.get("error") or "")
    problem = course.autograde_problem(student, assignment, log)
    if problem is None and not result.get("success", False):
        tail = " | ".join(line.strip() for line in log.strip().splitlines()[-3:])
        problem = f"nbgrader could not grade it ({tail})"
    t_grade = time.perf_counter() - t0
    verdicts = None
    if problem is None:
        fb = _API.generate_feedback(assignment, student, force=True)
        if not fb.get("success", False):
            problem = "graded, but its feedback could not be generated"
        if assignment in _REFERENCES:
            import recheck

            master = HERE / "source" / assignment / f"{assignment}.md"
            notebook = HERE / "submitted" / student / assignment / f"{assignment}.ipynb"
            verdicts = recheck.recheck_submission(master, notebook, _REFERENCES[assignment])
    return dict(student=student, assignment=assignment, problem=problem, seconds=time.perf_counter() - t0,
                grade_seconds=t_grade, worker=os.getpid(), init_seconds=_INIT_SECONDS, recheck=verdicts)


def select(subs, students: str | None = None, shard: str | None = None):
    """The submissions of the chosen students: comma-separated globs, and/or shard 'K/N' (K from 0).

    The shard of a student depends only on their id (a CRC32), so every
    machine agrees on who is whose without talking to the others.

    >>> subs = [("alice", "a1"), ("bob", "a1"), ("carol", "a1")]
    >>> select(subs, students="a*,c*")
    [('alice', 'a1'), ('carol', 'a1')]
    >>> sorted(select(subs, shard="0/2") + select(subs, shard="1/2")) == sorted(subs)
    True
    """
    chosen = list(subs)
    if students:
        patterns = [p.strip() for p in students.split(",") if p.strip()]
        chosen = [s for s in chosen if any(fnmatch.fnmatchcase(s[0], p) for p in patterns)]
    if shard:
        try:
            k, n = (int(v) for v in shard.split("/"))
            if not 0 <= k < n:
                raise ValueError
        except ValueError:
            raise ValueError(f"shard must look like K/N with 0 <= K < N, got {shard!r}") from None
        chosen = [s for s in chosen if zlib.crc32(s[0].encode()) % n == k]
    return chosen


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    return "[" + "#" * filled + "." * (width - filled) + f"] {done}/{total}"


def grade_all(subs, jobs: int = 1, out=sys.stdout, references=None):
    """Grade ``subs`` with ``jobs`` workers, printing a status line per submission.

    Returns the list of per-submission results (dicts), in completion order.
    """
    results = []
    if not subs:
        return results
    jobs = max(1, min(jobs, len(subs)))
    ctx = mp.get_context("spawn")
    t0 = time.perf_counter()
    with ctx.Pool(jobs, initializer=_worker_init, initargs=(references,)) as pool:
        for k, r in enumerate(pool.imap_unordered(_grade_task, subs), 1):
            results.append(r)
            status = "graded" if r["problem"] is None else f"NOT GRADED: {r['problem']}"
            print(f"{_bar(k, len(subs))} {r['student']}/{r['assignment']}: {status} "
                  f"({r['seconds']:.1f} s)", file=out, flush=True)
    wall = time.perf_counter() - t0
    if results:
        print(f"{len(results)} submission(s) in {wall:.1f} s with {jobs} worker(s): "
              f"{60 * len(results) / wall:.1f} per minute", file=out, flush=True)
    return results
