"""The jupytext masters: one source of truth per exercise set, turned into nbgrader notebooks.

``source/<set>/<set>.md`` (jupytext MyST markdown with short nbgrader cell
metadata) holds the solutions and the visible and hidden tests.  This module
finds the sets, completes their metadata and writes ``source/<set>/<set>.ipynb``,
which nbgrader's ``generate_assignment`` reads.  Re-check cells (inputs for the
independent re-check, instructor-only) never reach a notebook.
"""

from __future__ import annotations

from pathlib import Path

from .paths import Course, CourseError

# Fields of nbgrader's cell metadata (schema 3) and the defaults a master may omit.
_NBGRADER_FIELDS = {"grade", "grade_id", "locked", "points", "schema_version", "solution", "task"}


def assignments(course: Course) -> list[str]:
    """The set names: every folder of ``source/`` holding a master ``<name>.md``."""
    return sorted(p.parent.name for p in course.source.glob("*/*.md") if p.stem == p.parent.name)


def complete_nbgrader_metadata(meta: dict, where: str) -> dict:
    """Fill in nbgrader's cell metadata from the short form a master uses.

    A master writes only what matters: ``{grade_id, solution: true}`` for an
    answer cell, ``{grade_id, grade: true, points}`` for a test cell,
    ``{grade_id, solution: true, grade: true, points}`` for a written answer,
    ``{grade_id, locked: true}`` for read-only set-up.  Test cells and
    set-up cells are locked; answer cells are not.

    >>> complete_nbgrader_metadata({"grade_id": "box-test", "grade": True, "points": 2}, "here")
    {'grade': True, 'grade_id': 'box-test', 'solution': False, 'task': False, 'schema_version': 3, 'locked': True, 'points': 2}
    >>> complete_nbgrader_metadata({"grade_id": "x", "points": 1, "grades": True}, "cell 3")
    Traceback (most recent call last):
    ...
    coursekit.paths.CourseError: cell 3: unknown nbgrader fields ['grades']; allowed: ['grade', 'grade_id', 'locked', 'points', 'schema_version', 'solution', 'task']
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


def build_master(course: Course, name: str) -> Path:
    """Turn ``source/<name>/<name>.md`` into ``source/<name>/<name>.ipynb`` for nbgrader."""
    import jupytext
    import nbformat

    md = course.master(name)
    nb = jupytext.read(md)
    nb.cells = [c for c in nb.cells if "recheck" not in c.metadata]
    seen = set()
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        where = f"{course.rel(md)} cell {i}"
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


def build_all(course: Course) -> list[Path]:
    """Every master's notebook, printing one line per set."""
    outs = []
    for name in assignments(course):
        outs.append(build_master(course, name))
        print(f"master   {name}: {course.rel(outs[-1])}")
    return outs
