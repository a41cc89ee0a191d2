"""Grade a class: the audit, parallel workers, shards, the re-check and the report, with honest statuses.

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
import re
import sys
import tempfile
import time
import warnings
import zlib
from pathlib import Path

from . import (audit, copies, findings, forbidden, integrity, late, masters, preprocessors, recheck, release, report,
               roster, sandbox, verdicts)
from .config import db_url, load_config, nbgrader, venv_env
from .paths import Course, CourseError

_API = None
_COURSE: Course | None = None
_INIT_SECONDS = 0.0
_POLICY: late.Policy = late.Policy()
_REFERENCES: dict = {}
_SEED: str | None = None


def submissions(course: Course) -> list[tuple[str, str]]:
    """(student, set) for every folder ``submitted/<student>/<set>/``."""
    found = []
    if course.submitted.exists():
        for student in sorted(p for p in course.submitted.iterdir() if p.is_dir()):
            for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
                found.append((student.name, assignment.name))
    return found


def autograde_problem(course: Course, student: str, assignment: str, log: str) -> str | None:
    """Why a submission could not be graded, or None when it was graded."""
    import nbformat

    expected = course.release / assignment
    if not expected.exists():
        return f"no such assignment {assignment!r} (known: {', '.join(masters.assignments(course))})"
    sub_dir = course.submitted / student / assignment
    if "Kernel died" in log or "DeadKernelError" in log:
        return "the kernel died while running the notebook"
    if "CellTimeoutError" in log and "Removing failed assignment" in log:
        return "a cell timed out and nbgrader gave up on the notebook"
    for nb_path in sorted(expected.glob("*.ipynb")):
        if not (sub_dir / nb_path.name).exists():
            return f"missing notebook {nb_path.name}"
        graded = course.autograded / student / assignment / nb_path.name
        if not graded.exists():
            return f"nbgrader produced no graded notebook for {nb_path.name} ({cause(log)})"
        nb = nbformat.read(graded, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") in {"DeadKernelError", "DeadKernel"}:
                    return f"the kernel died while running {nb_path.name}"
    return None


_ERROR_LINE = re.compile(r"^\s*((?:[A-Za-z_][\w.]*\.)?[A-Za-z_]\w*(?:Error|Exception|Exit)): (.*)$")


def cause(log: str) -> str:
    """The one-line cause in nbgrader's log: the last exception raised (not nbgrader's "see the above
    traceback"), else the log's last line."""
    found = [m.group(1).rsplit(".", 1)[-1] + ": " + m.group(2).strip()
             for m in map(_ERROR_LINE.match, log.splitlines()) if m and "NbGraderException" not in m.group(1)]
    lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
    return (found[-1] if found else lines[-1] if lines else "no log")[:300]


def log_path(course: Course, student: str, assignment: str) -> Path:
    """Where nbgrader's log of one submission is kept (report.html links it)."""
    return course.logs / student / f"{assignment}.log"


def write_log(course: Course, student: str, assignment: str, log: str) -> Path:
    """Keep nbgrader's whole log of one submission (:func:`log_path`), replacing an earlier run's."""
    path = log_path(course, student, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log.strip() + "\n")
    return path


def _worker_init(course: Course, references=None, tmp=None, seed=None) -> None:
    global _API, _COURSE, _INIT_SECONDS, _POLICY, _REFERENCES, _SEED
    t0 = time.perf_counter()
    if tmp:
        os.environ[sandbox.TMP_ENV] = tmp  # the sandbox's private folders, removed with the pool
    _COURSE, _REFERENCES, _SEED = course, references or {}, seed
    _POLICY = late.load_policy(course)
    os.chdir(course.dir)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course)
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    _API.log.setLevel("WARNING")
    _INIT_SECONDS = time.perf_counter() - t0


def _grade_task(task):
    """Autograde one submission and, if it was graded, write its feedback; the warnings nbgrader and the
    database raise on the way go to the submission's log, not to the terminal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = _grade_one(task)
    if caught:
        with log_path(_COURSE, done["student"], done["assignment"]).open("a") as log:
            log.write("".join(f"\nwarning: {warnings.formatwarning(w.message, w.category, w.filename, w.lineno)}"
                              for w in caught))
    return done


def _notebooks(folder: Path):
    """``(path, notebook)`` for each readable notebook in ``folder``, in name order (an unreadable one is skipped:
    it has no answers to compare)."""
    import nbformat

    for path in sorted(folder.glob("*.ipynb")):
        try:
            yield path, nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - not a notebook nbformat can read
            continue


def _answer_hashes(folder: Path) -> dict[str, str]:
    """{grade_id: hash of the source} of the answer cells of the notebooks in ``folder``."""
    import hashlib

    out = {}
    for _, nb in _notebooks(folder):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id"):
                out[meta["grade_id"]] = hashlib.sha256(cell.source.strip().encode()).hexdigest()
    return out


def _manual_scores(course: Course, student: str, assignment: str) -> dict[str, tuple[float, bool]]:
    """{grade cell: (manual score, needs manual grade)} of the cells of one submission graded by hand."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url(course)) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {g.name: (g.manual_score, bool(g.needs_manual_grade)) for nb in sub.notebooks for g in nb.grades
                if g.manual_score is not None}


def changed_since_manual(before: dict, old_answers: dict, new_answers: dict, pending: dict) -> dict:
    """The hand-graded cells to review: ``{grade cell: old manual score}``.

    ``before`` is :func:`_manual_scores` before this run's autograde,
    ``old_answers``/``new_answers`` the answer hashes of the graded version
    before and after it, ``pending`` what the last run left to review.  A cell
    is to review when its answer changed since it was graded by hand, and
    stays so until the instructor grades it again (nbgrader's "needs manual
    grade" cleared, or another score).
    """
    out = {gid: old for gid, old in pending.items()
           if gid in before and before[gid][1] and before[gid][0] == old}
    for gid, (score, _) in before.items():
        if gid in old_answers and new_answers.get(gid) != old_answers[gid]:
            out[gid] = score
    return out


def _grade_one(task):
    student, assignment = task
    t0 = time.perf_counter()
    graded_dir = _COURSE.autograded / student / assignment
    before, old_answers = _manual_scores(_COURSE, student, assignment), _answer_hashes(graded_dir)
    pending = verdicts.stored_to_review(_COURSE, student, assignment) if before else {}
    result = _API.autograde(assignment, student, force=True, create=True)
    to_review = changed_since_manual(before, old_answers, _answer_hashes(graded_dir), pending) if before else {}
    log = (result.get("log") or "") + "\n" + (result.get("error") or "")
    problem = autograde_problem(_COURSE, student, assignment, log)
    if problem is None and not result.get("success", False):
        problem = f"nbgrader could not grade it ({cause(log)})"
    write_log(_COURSE, student, assignment, log)
    repairs = [line.split(preprocessors.REPAIRED, 1)[1].strip() for line in log.splitlines()
               if preprocessors.REPAIRED in line]
    t_grade = time.perf_counter() - t0
    rechecked, t_recheck = None, 0.0
    if problem is None:
        fb = _API.generate_feedback(assignment, student, force=True)
        if not fb.get("success", False):
            problem = "graded, but its feedback could not be generated"
        else:
            try:
                late_feedback(_COURSE, _POLICY, student, assignment)
            except CourseError as exc:
                problem = f"graded, but its lateness could not be read ({exc})"
        if assignment in _REFERENCES:
            master = _COURSE.master(assignment)
            notebook = _COURSE.submitted / student / assignment / f"{assignment}.ipynb"
            t1 = time.perf_counter()
            rechecked = recheck.recheck_submission(master, notebook, _REFERENCES[assignment], seed=_SEED)
            t_recheck = time.perf_counter() - t1
    return dict(student=student, assignment=assignment, problem=problem, seconds=time.perf_counter() - t0,
                grade_seconds=t_grade, recheck_seconds=t_recheck, worker=os.getpid(), init_seconds=_INIT_SECONDS,
                recheck=rechecked, repairs=repairs, to_review=to_review)


def late_feedback(course: Course, policy: late.Policy, student: str, assignment: str) -> None:
    """Put the submission's lateness (when it was submitted, how late, the rule's outcome) in its feedback HTML."""
    lateness = late.submission_lateness(course, policy, [(student, assignment)]).get((student, assignment))
    if lateness is None:
        return  # the set has no due date
    text = late.feedback_text(lateness, policy)
    for page in sorted((course.feedback / student / assignment).glob("*.html")):
        page.write_text(late.add_to_feedback(page.read_text(), text))


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


def grade_all(course: Course, subs, jobs: int = 1, out=sys.stdout, references=None, seed=None):
    """Grade ``subs`` with ``jobs`` workers, printing a status line per submission.

    Returns the list of per-submission results (dicts), in completion order.
    """
    results = []
    if not subs:
        return results
    jobs = max(1, min(jobs, len(subs)))
    ctx = mp.get_context("spawn")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coursekit-workers-") as tmp, \
            ctx.Pool(jobs, initializer=_worker_init, initargs=(course, references, tmp, seed)) as pool:
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


def audit_class(course: Course, students: str | None = None, shard: str | None = None) -> list:
    """Print the integrity audit of the chosen submissions (it never changes a score)."""
    release.ensure_release(course)
    subs = select(submissions(course), students=students, shard=shard)
    flags = audit.audit_class(course.dir, subs)
    for f in flags:
        print(f"FLAG {f}")
    print(f"audit: {len(flags)} flag(s) in {len(subs)} submission(s)")
    return flags


def write_class_files(course: Course) -> tuple[list, dict, list[dict], list[dict]]:
    """``grades.csv``, ``report.html`` and ``integrity.json`` for the whole class, from the gradebook and the
    stored verdicts (:mod:`coursekit.verdicts`); no student code runs.  Returns the class's submissions,
    failures, disagreements and the records that do not match."""
    everyone = submissions(course)
    failures, flags, rechecks, repairs, to_review = verdicts.load(course, everyone)
    # the records: the gradebook's scores against the autograded notebooks (a changed row is reported)
    graded = [s for s in everyone if s not in failures]
    records = integrity.check_records(course, db_url(course), graded)
    # a set's due date (course.toml) against each graded submission's timestamp.txt: no clock is read
    lateness = late.submission_lateness(course, late.load_policy(course), graded)
    pairs = similar_pairs(course, graded)
    disagree = report.write_all(course.dir, db_url(course), everyone, failures, flags, rechecks, records=records,
                                lateness=lateness, pairs=pairs, repairs=repairs, to_review=to_review,
                                roster=roster.students(course))
    # the same findings where the instructor grades: the formgrader's flag and the cells' automatic comments
    findings.to_gradebook(db_url(course), graded, flags, disagree, pairs, repairs, to_review)
    nbgrader(course, "export", f"--CsvExportPlugin.to={course.dir / 'nbgrader-export.csv'}", "--log-level=WARN")
    return everyone, failures, disagree, records


def similar_pairs(course: Course, subs) -> list:
    """The pairs of graded submissions of each set that share code, and those that share it with the master
    (:mod:`coursekit.copies`; the release's cells are the starter code left out)."""
    def cells(folder: Path) -> dict[str, str]:
        return {f"{path.stem}: {label}": source for path, nb in _notebooks(folder)
                for label, source in copies.notebook_cells(nb, _plain_python).items()}

    found = []
    for assignment in sorted({a for _, a in subs}):
        starter, master = cells(course.release / assignment), cells(course.source / assignment)
        master = {label: source for label, source in master.items() if label.endswith("-answer")}
        found += copies.pairs(assignment, {s: cells(course.submitted / s / a) for s, a in subs if a == assignment},
                              starter=starter, master=master)
    return found


def _plain_python(source: str) -> str:
    try:
        return forbidden.python_source(source)
    except Exception:  # noqa: BLE001 - IPython cannot transform it: the text as it is
        return source


def report_class(course: Course) -> int:
    """Rebuild the class files from the gradebook and the stored verdicts (``make report``); 1 if any is missing."""
    load_config(course)
    late.load_policy(course)  # a broken course.toml fails here, before any file is rewritten
    t0 = time.perf_counter()
    everyone, failures, disagree, records = write_class_files(course)
    n = len(everyone)
    print(f"grades: {course.rel(course.dir / 'grades.csv')}; report: {course.rel(course.dir / 'report.html')} "
          f"({n} submission(s), {n - len(failures)} graded; {len(disagree)} re-check disagreement(s); "
          f"{len(records)} gradebook record(s) that do not match; {time.perf_counter() - t0:.1f} s)")
    never = sorted(k for k, v in failures.items() if v == verdicts.NEVER_GRADED)
    for student, assignment in never:
        print(f"  never graded: {student}/{assignment}")
    return 1 if never else 0


def grade_class(course: Course, *, jobs: int, students: str | None = None, shard: str | None = None,
                no_release: bool = False) -> int:
    """Audit, autograde, re-check and report on the chosen submissions; 1 if any could not be graded."""
    sandbox.check_available()  # student code runs nowhere else
    load_config(course)  # a broken config fails here, once, not in every worker (a Pool respawns them forever)
    late.load_policy(course)  # and so does a broken course.toml
    if no_release:
        release.check_release(course)
    else:
        release.release(course)
    subs = select(submissions(course), students=students, shard=shard)
    if not subs:
        print(f"no submissions found under {course.rel(course.submitted)}/<student>/<assignment>/"
              + (f" for students={students!r} shard={shard!r}" if students or shard else ""))
        return 1
    os.environ.update(PATH=venv_env()["PATH"])  # the workers' nbgrader calls `alembic` by name

    flags = audit.audit_class(course.dir, subs)
    print(f"audit: {len(flags)} flag(s) (listed in the report; they never change a score)", flush=True)
    references, seed = {}, recheck.grading_seed(course.dir)  # the hidden inputs' secret, never in the sandbox
    for a in sorted({a for _, a in subs}):
        master = course.master(a)
        if master.exists() and recheck.master_parts(master)[1]:
            data, why = recheck.cached_reference_results(master, course.dir / "recheck-cache", seed)
            if data is None:
                print(f"re-check: NO re-check for {a} in this run ({why})", flush=True)
            else:
                references[a] = data
    print(f"re-check: reference answers ready for {len(references)} assignment(s)", flush=True)

    print(f"grading {len(subs)} submission(s) with {jobs} worker(s)", flush=True)
    results = grade_all(course, subs, jobs=jobs, references=references, seed=seed)
    failures = {(r["student"], r["assignment"]): r["problem"] for r in results if r["problem"]}
    for r in results:  # kept, so that the class files always hold the whole class (and `coursekit report`)
        verdicts.save(course, r["student"], r["assignment"], problem=r["problem"], flags=flags,
                      recheck=r.get("recheck"), repairs=r.get("repairs"), to_review=r.get("to_review"))
    everyone, class_failures, disagree, records = write_class_files(course)
    never = sum(v == verdicts.NEVER_GRADED for v in class_failures.values())
    print(f"class files: the whole class, {len(everyone)} submission(s)"
          + (f", of which {never} never graded" if never else ""), flush=True)
    mine = set(subs)
    disagree = [d for d in disagree if (d["student"], d["assignment"]) in mine]
    records = [r for r in records if (r["student"], r["assignment"]) in mine]
    print(f"grades: {course.rel(course.dir / 'grades.csv')}; report: {course.rel(course.dir / 'report.html')}; "
          f"feedback: {course.rel(course.feedback)}/")
    print(f"graded {len(subs) - len(failures)} of {len(subs)} submission(s); {len(flags)} audit flag(s); "
          f"{len(disagree)} re-check disagreement(s); {len(records)} gradebook record(s) that do not match")
    for r in records:
        print(f"  RECORD {r['student']}/{r['assignment']} {r['cell']}: {r['problem']} ({r['detail']})")
    for d in disagree:
        print(f"  DISAGREE ({d['kind']}) {d['student']}/{d['assignment']} {d['exercise']}: nbgrader {d['nbgrader']}, "
              f"re-check {d['recheck']}; of record {d['of_record']}")
    if failures:
        print("\nThese submissions could not be graded (they are NOT zeros; look at them):")
        for (student, assignment), problem in sorted(failures.items()):
            print(f"  {student}/{assignment}: {problem}")
        return 1
    return 0
