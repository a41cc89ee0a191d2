"""Integrity of the records: the gradebook's scores checked against the autograded notebooks.

nbgrader writes a score for every grade cell into the gradebook while it
grades, and writes the graded notebook (``autograded/<student>/<set>/``) with
the outputs that score came from.  After grading, :func:`check_records`
recomputes every autograded score from those outputs, with nbgrader's own
rule (:func:`nbgrader.utils.determine_grade`: an error output scores 0,
otherwise full points or a partial score the cell returns), takes every
cell's points from the release (which the grading machine built from the
masters), and compares them with the gradebook's rows.  A difference means
that the gradebook was changed after its notebook was graded, or that the
notebook was: either way the report says ``gradebook tampered or out of
date`` and names the cell.  It never changes a score.

A score given by hand (nbgrader's ``manual_score`` or ``extra_credit``) on
an autograded test cell is reported too: an instructor may have set it in
formgrader, or someone else did.  Written answers are graded by hand, so
their manual scores are not checked.
"""

from __future__ import annotations

from pathlib import Path

from .paths import Course

__all__ = ["TAMPERED", "OVERRIDDEN", "recomputed_scores", "check_records"]

#: the problem named for a gradebook row that its graded notebook contradicts
TAMPERED = "gradebook tampered or out of date"
#: the problem named for a score set by hand on an autograded cell
OVERRIDDEN = "a score set by hand on an autograded cell (yours, in formgrader? if not, tampered)"


def recomputed_scores(graded_notebook: Path, release_notebook: Path | None = None) -> dict:
    """{grade_id: (auto score or None, max score, autograded)} from a graded notebook's outputs.

    The points come from ``release_notebook`` when given (the grading
    machine's own copy), else from the graded notebook's metadata.
    ``autograded`` is False for written answers, which a human grades.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> cell = nbformat.v4.new_code_cell("assert False", outputs=[nbformat.v4.new_output(
    ...     "error", ename="AssertionError", evalue="", traceback=[])])
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "e-test", "points": 2}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nbformat.write(nbformat.v4.new_notebook(cells=[cell]), f"{tmp}/graded.ipynb")
    ...     recomputed_scores(Path(tmp) / "graded.ipynb")
    {'e-test': (0, 2.0, True)}
    """
    import nbformat
    from nbgrader import utils

    points = {}
    if release_notebook is not None and Path(release_notebook).exists():
        for cell in nbformat.read(release_notebook, as_version=4).cells:
            if utils.is_grade(cell):
                points[cell.metadata["nbgrader"]["grade_id"]] = float(cell.metadata["nbgrader"]["points"])
    out = {}
    for cell in nbformat.read(graded_notebook, as_version=4).cells:
        if not utils.is_grade(cell):
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid in points:
            cell.metadata["nbgrader"]["points"] = points[gid]
        auto, best = utils.determine_grade(cell)
        out[gid] = (auto, best, not utils.is_solution(cell))
    return out


def _row(student, assignment, notebook, cell, detail, problem=TAMPERED) -> dict:
    return dict(student=student, assignment=assignment, notebook=notebook, cell=cell, problem=problem, detail=detail)


def _differ(a, b) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(float(a) - float(b)) > 1e-9


def check_records(course: Course, db_url: str, subs) -> list[dict]:
    """Every gradebook row of the graded submissions ``subs`` that its graded notebook does not bear out.

    Each row names the student, the set, the notebook and the grade cell,
    the problem (:data:`TAMPERED` or :data:`OVERRIDDEN`) and what differs.
    An empty list means the gradebook and the notebooks agree.
    """
    from nbgrader.api import Gradebook, MissingEntry

    rows: list[dict] = []
    with Gradebook(db_url) as gb:
        for student, assignment in subs:
            folder = course.autograded / student / assignment
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                rows.append(_row(student, assignment, "", "", "no submission in the gradebook"))
                continue
            in_gb = {nb.name: nb for nb in sub.notebooks}
            for path in sorted(folder.glob("*.ipynb")):
                name = path.stem
                if name not in in_gb:
                    rows.append(_row(student, assignment, name, "", "a graded notebook the gradebook does not have"))
                    continue
                truth = recomputed_scores(path, course.release / assignment / path.name)
                grades = {g.name: g for g in in_gb[name].grades}
                for gid, (auto, best, autograded) in truth.items():
                    g = grades.get(gid)
                    if g is None:
                        rows.append(_row(student, assignment, name, gid, "no score in the gradebook"))
                        continue
                    if _differ(g.max_score, best):
                        rows.append(_row(student, assignment, name, gid,
                                         f"out of {g.max_score:g} in the gradebook, {best:g} in the release"))
                    if _differ(g.auto_score, auto):
                        rows.append(_row(student, assignment, name, gid,
                                         f"{_fmt(g.auto_score)} in the gradebook, {_fmt(auto)} from the graded "
                                         "notebook's outputs"))
                    if autograded and (g.manual_score is not None or g.extra_credit):
                        rows.append(_row(student, assignment, name, gid,
                                         f"manual score {_fmt(g.manual_score)}, extra credit {_fmt(g.extra_credit)}; "
                                         f"the autograder gave {_fmt(auto)}", problem=OVERRIDDEN))
                for gid in sorted(set(grades) - set(truth)):
                    rows.append(_row(student, assignment, name, gid, "a score for a cell the graded notebook lacks"))
    return rows


def _fmt(value) -> str:
    return "none" if value is None else f"{value:g}"
