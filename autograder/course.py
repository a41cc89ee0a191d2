"""The course's command line: masters -> notebooks -> release -> book, lab and grading.

Usage (the Makefile calls these; each is also fine by hand)::

    python autograder/course.py masters          # jupytext masters -> source/<a>/<a>.ipynb
    python autograder/course.py release          # masters + nbgrader generate_assignment
    python autograder/course.py book-exercises   # release notebooks -> chapters/exercises/
    python autograder/course.py lab              # JupyterLab on workspace/ (copies of the release)
    python autograder/course.py grade            # autograde submitted/, feedback, grades.csv

One source of truth per exercise set: ``autograder/source/<a>/<a>.md`` (jupytext
MyST markdown with nbgrader cell metadata) holds the solutions and the visible
and hidden tests.  Everything else is generated from it.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = HERE / "source"
RELEASE = HERE / "release"
SUBMITTED = HERE / "submitted"
AUTOGRADED = HERE / "autograded"
FEEDBACK = HERE / "feedback"
BOOK_EXERCISES = ROOT / "chapters" / "exercises"
WORKSPACE = ROOT / "workspace"
BIN = Path(sys.executable).parent

# Fields of nbgrader's cell metadata (schema 3) and the defaults a master may omit.
_NBGRADER_FIELDS = {"grade", "grade_id", "locked", "points", "schema_version", "solution", "task"}


class CourseError(Exception):
    """A problem with the course's files that the instructor must fix."""


def assignments() -> list[str]:
    """The assignment names: every folder of source/ holding a master ``<name>.md``."""
    return sorted(p.parent.name for p in SOURCE.glob("*/*.md") if p.stem == p.parent.name)


def complete_nbgrader_metadata(meta: dict, where: str) -> dict:
    """Fill in nbgrader's cell metadata from the short form a master uses.

    A master writes only what matters: ``{grade_id, solution: true}`` for an
    answer cell, ``{grade_id, grade: true, points}`` for a test cell,
    ``{grade_id, solution: true, grade: true, points}`` for a written answer,
    ``{grade_id, locked: true}`` for read-only set-up.  Test cells and
    set-up cells are locked; answer cells are not.
    """
    unknown = set(meta) - _NBGRADER_FIELDS
    if unknown:
        raise CourseError(f"{where}: unknown nbgrader fields {sorted(unknown)}; allowed: {sorted(_NBGRADER_FIELDS)}")
    if "grade_id" not in meta:
        raise CourseError(f"{where}: every nbgrader cell needs a readable grade_id")
    out = {
        "grade": bool(meta.get("grade", False)),
        "grade_id": str(meta["grade_id"]),
        "solution": bool(meta.get("solution", False)),
        "task": bool(meta.get("task", False)),
        "schema_version": 3,
    }
    out["locked"] = bool(meta.get("locked", not out["solution"]))
    if out["grade"] or out["task"]:
        if "points" not in meta:
            raise CourseError(f"{where}: graded cell {out['grade_id']!r} needs points")
        out["points"] = meta["points"]
    return out


def build_master(name: str) -> Path:
    """Turn ``source/<name>/<name>.md`` into ``source/<name>/<name>.ipynb`` for nbgrader."""
    import jupytext
    import nbformat

    md = SOURCE / name / f"{name}.md"
    nb = jupytext.read(md)
    # recheck cells (instructor-only inputs for the independent re-check) never reach a notebook
    nb.cells = [c for c in nb.cells if "recheck" not in c.metadata]
    seen = set()
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        where = f"{md.relative_to(ROOT)} cell {i}"
        full = complete_nbgrader_metadata(dict(meta), where)
        if full["grade_id"] in seen:
            raise CourseError(f"{where}: duplicate grade_id {full['grade_id']!r}")
        seen.add(full["grade_id"])
        src = cell.source
        if cell.cell_type == "code" and full["solution"] and "### BEGIN SOLUTION" not in src:
            raise CourseError(f"{where}: answer cell {full['grade_id']!r} has no ### BEGIN SOLUTION block")
        if full["grade"] and not full["solution"] and cell.cell_type != "code":
            raise CourseError(f"{where}: test cell {full['grade_id']!r} must be a code cell")
        cell.metadata["nbgrader"] = full
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    out = md.with_suffix(".ipynb")
    text = nbformat.writes(nb)
    if not out.exists() or out.read_text() != text:
        out.write_text(text)
    return out


def scratch_course(top: Path, names) -> Path:
    """A copy of the course's scripts and of the masters ``names`` in ``top/autograder``.

    Tests and benchmarks grade there, so the instructor's gradebook, release
    and submissions are never touched.  Returns the new ``autograder`` folder.
    """
    ag = Path(top) / "autograder"
    ag.mkdir(parents=True, exist_ok=True)
    for path in HERE.glob("*.py"):
        shutil.copy2(path, ag / path.name)
    for name in names:
        (ag / "source" / name).mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOURCE / name / f"{name}.md", ag / "source" / name / f"{name}.md")
    return ag


def run(cmd: list[str], *, cwd: Path = HERE, check: bool = True, capture: bool = False, env=None):
    """Run a command with the venv's bin on PATH (nbgrader calls `alembic` by name)."""
    env = dict(os.environ if env is None else env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.STDOUT if capture else None)
    if check and result.returncode != 0:
        out = result.stdout or ""
        raise CourseError(f"command failed ({result.returncode}): {' '.join(cmd)}\n{out[-3000:]}")
    return result


def nbgrader(*args: str, check: bool = True, capture: bool = False):
    return run([str(BIN / "nbgrader"), *args], check=check, capture=capture)


def cmd_masters(_args) -> None:
    for name in assignments():
        out = build_master(name)
        print(f"master   {name}: {out.relative_to(ROOT)}")


def cmd_release(args) -> None:
    cmd_masters(args)
    for name in assignments():
        nbgrader("generate_assignment", name, "--force", "--log-level=WARN")
        print(f"release  {name}: {(RELEASE / name).relative_to(ROOT)}")


def cmd_book_exercises(_args) -> None:
    """Copy each release notebook into the book, marked not to be executed."""
    import nbformat

    BOOK_EXERCISES.mkdir(parents=True, exist_ok=True)
    for name in assignments():
        src = RELEASE / name / f"{name}.ipynb"
        if not src.exists():
            raise CourseError(f"{src} is missing: run `make release` first")
        nb = nbformat.read(src, as_version=4)
        nb.metadata["mystnb"] = {"execution_mode": "off"}
        text = nbformat.writes(nb)
        out = BOOK_EXERCISES / f"{name}.ipynb"
        if not out.exists() or out.read_text() != text:
            out.write_text(text)
        print(f"book     {name}: {out.relative_to(ROOT)}")


def lessons() -> list[Path]:
    """The lesson pages: MyST notebooks under chapters/<NN-name>/."""
    return sorted(p for p in (ROOT / "chapters").glob("[0-9][0-9]-*/*.md"))


def prepare_workspace(workspace: Path = WORKSPACE) -> list[Path]:
    """Copy the release and the lessons into a student workspace, never overwriting a student's file.

    Exercise sets land in ``workspace/<set>/``; each lesson page becomes a
    notebook in ``workspace/lessons/<chapter>/<page>.ipynb``, so that its live
    explorers (ipywidgets) run in JupyterLab.
    """
    import jupytext

    copied = []
    for page in lessons():
        dst = workspace / "lessons" / page.parent.name / f"{page.stem}.ipynb"
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            nb = jupytext.read(page)
            nb.metadata.pop("jupytext", None)
            jupytext.write(nb, dst)
            copied.append(dst)
    for name in assignments():
        for src in sorted((RELEASE / name).rglob("*")):
            if src.is_dir():
                continue
            dst = workspace / name / src.relative_to(RELEASE / name)
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
                copied.append(dst)
    return copied


def cmd_lab(args) -> None:
    cmd_release(args)
    copied = prepare_workspace()
    print(f"workspace: {WORKSPACE} ({len(copied)} new file(s); your existing work is never overwritten)")
    cmd = [str(BIN / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={args.port}", "--no-browser",
           f"--ServerApp.root_dir={WORKSPACE}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers run as root; Jupyter refuses to start without it
    print("starting:", " ".join(cmd), flush=True)
    os.execv(cmd[0], cmd)


# ---------------------------------------------------------------------------- grading

def submissions() -> list[tuple[str, str]]:
    """(student, assignment) for every folder submitted/<student>/<assignment>/."""
    found = []
    if SUBMITTED.exists():
        for student in sorted(p for p in SUBMITTED.iterdir() if p.is_dir()):
            for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
                found.append((student.name, assignment.name))
    return found


def autograde_problem(student: str, assignment: str, log: str) -> str | None:
    """Why a submission could not be graded, or None when it was graded."""
    import nbformat

    expected = RELEASE / assignment
    if not expected.exists():
        return f"no such assignment {assignment!r} (known: {', '.join(assignments())})"
    sub_dir = SUBMITTED / student / assignment
    if "Kernel died" in log or "DeadKernelError" in log:
        return "the kernel died while running the notebook"
    if "CellTimeoutError" in log and "Removing failed assignment" in log:
        return "a cell timed out and nbgrader gave up on the notebook"
    for nb_path in sorted(expected.glob("*.ipynb")):
        if not (sub_dir / nb_path.name).exists():
            return f"missing notebook {nb_path.name}"
        graded = AUTOGRADED / student / assignment / nb_path.name
        if not graded.exists():
            tail = " | ".join(line.strip() for line in log.strip().splitlines()[-3:])
            return f"nbgrader produced no graded notebook for {nb_path.name} ({tail})"
        nb = nbformat.read(graded, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") in {"DeadKernelError", "DeadKernel"}:
                    return f"the kernel died while running {nb_path.name}"
    return None


def db_url() -> str:
    import classgrade

    return str(classgrade.load_config().CourseDirectory.db_url)


def cmd_audit(args) -> int:
    """Print the integrity audit of every submission (it never changes a score)."""
    import audit
    import classgrade

    if not (RELEASE.exists() and any(RELEASE.iterdir())):
        cmd_release(args)
    subs = classgrade.select(submissions(), students=args.students, shard=args.shard)
    flags = audit.audit_class(HERE, subs)
    for f in flags:
        print(f"FLAG {f}")
    print(f"audit: {len(flags)} flag(s) in {len(subs)} submission(s)")
    return 0


def cmd_grade(args) -> int:
    import audit
    import classgrade
    import recheck
    import report

    if args.no_release:
        missing = [a for a in assignments() if not (RELEASE / a).exists()]
        if missing:
            raise CourseError(f"--no-release, but there is no release of {', '.join(missing)}: run `make release`")
    else:
        cmd_release(args)
    subs = classgrade.select(submissions(), students=args.students, shard=args.shard)
    if not subs:
        print(f"no submissions found under {SUBMITTED.relative_to(ROOT)}/<student>/<assignment>/"
              + (f" for students={args.students!r} shard={args.shard!r}" if args.students or args.shard else ""))
        return 1
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # nbgrader calls `alembic`

    flags = audit.audit_class(HERE, subs)
    print(f"audit: {len(flags)} flag(s) (listed in the report; they never change a score)", flush=True)
    references = {}
    for a in sorted({a for _, a in subs}):
        master = SOURCE / a / f"{a}.md"
        if master.exists() and recheck.master_parts(master)[1]:
            references[a] = recheck.reference_results(master)
    print(f"re-check: reference answers computed for {len(references)} assignment(s)", flush=True)

    print(f"grading {len(subs)} submission(s) with {args.jobs} worker(s)", flush=True)
    results = classgrade.grade_all(subs, jobs=args.jobs, references=references)
    failures = {(r["student"], r["assignment"]): r["problem"] for r in results if r["problem"]}
    status = {key: "graded" for key in subs} | {k: f"NOT GRADED: {v}" for k, v in failures.items()}
    verdicts = {(r["student"], r["assignment"]): r["recheck"] for r in results if r.get("recheck")}

    scores = report.scores_from_gradebook(db_url(), subs)
    disagree = report.disagreements(scores, verdicts)
    report.write_csv(HERE / "grades.csv", subs, scores, status)
    report.write_html(HERE / "report.html", scores, status, flags, disagree, failures)
    (HERE / "integrity.json").write_text(json.dumps(
        {"flags": [dataclasses.asdict(f) for f in flags], "disagreements": disagree,
         "not_graded": [{"student": s, "assignment": a, "why": p} for (s, a), p in sorted(failures.items())]},
        indent=1))
    nbgrader("export", f"--CsvExportPlugin.to={HERE / 'nbgrader-export.csv'}", "--log-level=WARN")
    print(f"grades: {(HERE / 'grades.csv').relative_to(ROOT)}; report: {(HERE / 'report.html').relative_to(ROOT)}; "
          f"feedback: {FEEDBACK.relative_to(ROOT)}/")
    print(f"graded {len(subs) - len(failures)} of {len(subs)} submission(s); {len(flags)} audit flag(s); "
          f"{len(disagree)} re-check disagreement(s)")
    for d in disagree:
        print(f"  DISAGREE ({d['kind']}) {d['student']}/{d['assignment']} {d['exercise']}: nbgrader {d['nbgrader']}, "
              f"re-check {d['recheck']}")
    if failures:
        print("\nThese submissions could not be graded (they are NOT zeros; look at them):")
        for (student, assignment), problem in sorted(failures.items()):
            print(f"  {student}/{assignment}: {problem}")
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("masters", help="build source/<a>/<a>.ipynb from the jupytext masters")
    sub.add_parser("release", help="masters, then nbgrader generate_assignment for every assignment")
    sub.add_parser("book-exercises", help="copy the release notebooks into chapters/exercises/")
    lab = sub.add_parser("lab", help="JupyterLab on the student workspace")
    lab.add_argument("--port", type=int, default=8888)
    audit_p = sub.add_parser("audit", help="the integrity audit of every submission")
    grade = sub.add_parser("grade", help="audit, autograde, re-check, feedback, grades.csv and report.html")
    grade.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or os.cpu_count() or 1),
                       help="parallel grading workers (default: JOBS or the number of cores)")
    grade.add_argument("--no-release", action="store_true",
                       help="use the existing release and gradebook entries (several machines sharing one "
                            "gradebook: release once, then grade each shard with --no-release)")
    for p in (audit_p, grade):
        p.add_argument("--students", default=os.environ.get("STUDENTS") or None,
                       help="comma-separated student ids or globs (default: STUDENTS, or everyone)")
        p.add_argument("--shard", default=os.environ.get("SHARD") or None,
                       help="K/N: only the K-th of N slices of the class (for several machines)")
    args = parser.parse_args(argv)
    handler = {"masters": cmd_masters, "release": cmd_release, "book-exercises": cmd_book_exercises,
               "lab": cmd_lab, "grade": cmd_grade, "audit": cmd_audit}[args.command]
    try:
        return handler(args) or 0
    except CourseError as exc:
        print(f"course.py: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
