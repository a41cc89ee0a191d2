"""Each graded submission's verdicts, kept in the gradebook's database so that the class files can be rebuilt.

``coursekit grade`` stores one row per submission it grades, in the table
``coursekit_verdicts`` of the gradebook's own database (SQLite beside the
config, or the PostgreSQL server that several grading machines share):
whether it was graded (and if not, why), its audit flags and its re-check
verdicts.  The class files (``grades.csv``, ``report.html``,
``integrity.json``) are then written from the gradebook and *every* stored
verdict, so that a ``STUDENTS=`` or ``SHARD=`` run merges into the class
instead of replacing it, every machine that shares a gradebook sees the
whole class, and ``coursekit report`` rebuilds the files without running any
student code.  nbgrader never reads the table; a fresh gradebook starts with
no verdicts, as it starts with no grades.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time

from .audit import Flag
from .config import db_url
from .paths import Course

#: the layout of a stored verdict; one of another version is treated as never graded
VERSION = 1
TABLE = "coursekit_verdicts"


@functools.lru_cache(maxsize=None)
def _table(url: str):
    """The engine and the verdicts table of the gradebook at ``url`` (the table made if missing)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    table = sa.Table(TABLE, sa.MetaData(),
                     sa.Column("student", sa.String(255), primary_key=True),
                     sa.Column("assignment", sa.String(255), primary_key=True),
                     sa.Column("version", sa.Integer, nullable=False),
                     sa.Column("data", sa.Text, nullable=False))
    try:
        table.metadata.create_all(engine, checkfirst=True)
    except sa.exc.DBAPIError:  # another machine made it between the check and the creation
        if not sa.inspect(engine).has_table(TABLE):
            raise
    return engine, table


def save(course: Course, student: str, assignment: str, *, problem: str | None, flags: list[Flag],
         recheck: dict | None, repairs: list[str] | None = None, to_review: dict | None = None) -> None:
    """Keep one submission's verdicts, replacing any earlier ones (one transaction: never half a row)."""
    import sqlalchemy as sa

    engine, table = _table(db_url(course))
    data = dict(version=VERSION, student=student, assignment=assignment, problem=problem,
                graded_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                flags=[dataclasses.asdict(f) for f in flags if (f.student, f.assignment) == (student, assignment)],
                recheck=recheck or {}, repairs=list(repairs or []), to_review=dict(to_review or {}))
    key = sa.and_(table.c.student == student, table.c.assignment == assignment)
    with engine.begin() as conn:
        conn.execute(table.delete().where(key))
        conn.execute(table.insert().values(student=student, assignment=assignment, version=VERSION,
                                           data=json.dumps(data, sort_keys=True)))


NEVER_GRADED = "never graded: no verdicts are stored for it (run `make grade` for this student)"


def load(course: Course, subs) -> tuple[dict, list[Flag], dict, dict, dict]:
    """The stored verdicts of ``subs``: ``(failures, flags, recheck verdicts, repairs, to review)``, as
    ``report.write_all`` takes them (``repairs``: ``{(student, set): [what was repaired before grading]}``;
    ``to review``: ``{(student, set): {grade cell: old manual score}}``, hand-graded answers changed since).

    A submission with no stored verdicts counts as not graded, with that reason.
    """
    import sqlalchemy as sa

    engine, table = _table(db_url(course))
    with engine.connect() as conn:
        stored = {(r.student, r.assignment): (r.version, r.data) for r in conn.execute(sa.select(table))}
    failures, flags, verdicts, repairs, to_review = {}, [], {}, {}, {}
    for student, assignment in subs:
        data = _decode(*stored.get((student, assignment), (None, None)))
        if data is None:
            failures[(student, assignment)] = NEVER_GRADED
            continue
        if data["problem"]:
            failures[(student, assignment)] = data["problem"]
        flags += [Flag(**f) for f in data["flags"]]
        if data["recheck"]:
            verdicts[(student, assignment)] = data["recheck"]
        if data.get("repairs"):
            repairs[(student, assignment)] = data["repairs"]
        if data.get("to_review"):
            to_review[(student, assignment)] = data["to_review"]
    return failures, flags, verdicts, repairs, to_review


def _decode(version, text) -> dict | None:
    """A stored row's verdicts, or None for a missing row, another version or text that is not a JSON object."""
    try:
        data = json.loads(text) if version == VERSION else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def stored_to_review(course: Course, student: str, assignment: str) -> dict:
    """The hand-graded cells of one submission still waiting for review, as the last run stored them
    (one row read: a grading worker asks this for each submission with a hand grade)."""
    import sqlalchemy as sa

    engine, table = _table(db_url(course))
    with engine.connect() as conn:
        row = conn.execute(sa.select(table.c.version, table.c.data).where(
            sa.and_(table.c.student == student, table.c.assignment == assignment))).first()
    data = _decode(*row) if row is not None else None
    return (data or {}).get("to_review") or {}
