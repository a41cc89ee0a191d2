"""The course's checks where the instructor grades: nbgrader's *flagged* mark and the cells' comments.

The formgrader shows a submission as "Submission #k" with its scores; the
audit's flags, the re-check's disagreements, the code a submission shares
(:mod:`coursekit.copies`) and what was repaired before grading
(:class:`coursekit.preprocessors.RepairCells`) are in ``report.html``.  :func:`to_gradebook`
puts them in the gradebook too, where the formgrader shows them:

- every notebook of a submission with a finding is **flagged** (the flag
  icon in the formgrader's lists).  A flag set here is never cleared here:
  unflagging is the instructor's decision, in the formgrader;
- each finding is written into the **automatic comment** of the answer cell
  it is about (an exercise's ``<exercise>-answer`` cell; the cell an audit
  flag names), or of the notebook's first comment cell when it is about the
  whole submission (code shared with another student; the comment cells
  taken in the order of their names).  It follows
  nbgrader's own automatic comment (such as "No response.") after the line
  :data:`MARK`, and replaces what an earlier run wrote there; the
  instructor's own comment (nbgrader's *manual* comment, which the
  formgrader shows instead when there is one) is never touched.

Written from the same data as the class files, by ``coursekit grade`` and
``coursekit report`` alike; no student code runs.
"""

from __future__ import annotations

import re

__all__ = ["MARK", "to_gradebook"]

MARK = "-- coursekit (audit, re-check, shared code; never a score) --"
_CELL = re.compile(r"\(([^()]+)\)\s*$")  # an audit flag's cell: "02-discrete.ipynb cell 3 (convolve-loops-answer)"


def _notes(flags, disagree, pairs, repairs=None, to_review=None) -> dict[tuple[str, str], dict[str | None, list[str]]]:
    """``{(student, set): {answer cell or None: [lines]}}``."""
    notes: dict[tuple[str, str], dict[str | None, list[str]]] = {}

    def add(student, assignment, cell, line):
        notes.setdefault((student, assignment), {}).setdefault(cell, []).append(line)

    for f in flags:
        m = _CELL.search(f.cell or "")
        add(f.student, f.assignment, m.group(1) if m else None, f"audit, line {f.line}: {f.reason}")
    for d in disagree:
        add(d["student"], d["assignment"], f"{d['exercise']}-answer",
            f"re-check ({d['kind']}): {d['recheck']}; nbgrader {d['nbgrader']}, of record {d['of_record']}")
    for (student, assignment), cells in sorted((to_review or {}).items()):
        for cell, old in sorted(cells.items()):
            add(student, assignment, cell, f"resubmitted: this answer changed after you graded it {old:g} by hand; "
                                           f"that score still counts until you grade it again")
    for (student, assignment), done in sorted((repairs or {}).items()):
        for line in done:
            add(student, assignment, None, f"repaired before grading: {line}")
    for p in pairs:
        for me, other, mine in ((p.a, p.b, p.lines_a), (p.b, p.a, p.lines_b)):
            if me != "master":
                shown = "the master's solutions" if other == "master" else other
                add(me, p.assignment, None, f"shares code with {shown} ({100 * p.score:.0f}% of the fingerprints; "
                                            f"{len(mine)} line(s) listed in report.html)")
    return notes


def _with_notes(auto: str | None, lines: list[str]) -> str | None:
    """nbgrader's automatic comment with this module's part (after :data:`MARK`) replaced by ``lines``."""
    base = (auto or "").split(MARK)[0].rstrip()
    if not lines:
        return base or None
    ours = MARK + "\n" + "\n".join(f"- {line}" for line in lines)
    return f"{base}\n\n{ours}" if base else ours


def to_gradebook(db_url: str, subs, flags, disagree, pairs, repairs=None, to_review=None) -> int:
    """Flag and comment the graded submissions ``subs`` that have findings; returns how many were flagged."""
    from nbgrader.api import Gradebook, MissingEntry

    notes = _notes(flags, disagree, pairs, repairs, to_review)
    flagged = 0
    with Gradebook(db_url) as gb:
        for student, assignment in subs:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            mine = notes.get((student, assignment), {})
            for nb in submission.notebooks:
                comments = sorted(nb.comments, key=lambda c: c.name)
                names = {c.name for c in comments}
                placed = {name: list(lines) for name, lines in mine.items() if name in names}
                loose = [line for name, lines in mine.items() if name not in names for line in lines]
                if loose and comments:  # about the whole submission, or a cell with no comment box
                    first = comments[0].name
                    placed[first] = loose + placed.get(first, [])
                for comment in comments:
                    comment.auto_comment = _with_notes(comment.auto_comment, placed.get(comment.name, []))
                if mine and not nb.flagged:
                    nb.flagged = True
            flagged += bool(mine)
        gb.db.commit()
    return flagged
