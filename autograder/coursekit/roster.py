"""The class list, ``roster.csv``: who is an instructor and who is a student.

One row per person: ``id`` (their login name on the hub and their nbgrader student id), ``role``
(``instructor`` or ``student``), and optionally ``first_name``, ``last_name`` and ``email``.  ``make hub``
makes a Unix account for each row; ``grades.csv`` lists every student of the roster, so a student who
submitted nothing reads ``missing``, never 0.  A course without a roster grades whoever submitted.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
from pathlib import Path

from .paths import Course, CourseError

__all__ = ["ROLES", "Member", "read_roster", "roster_path", "members", "students"]

ROLES = ("instructor", "student")
#: a portable Unix login name (useradd's default rule, lower case)
_ID = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
_COLUMNS = ("id", "role", "first_name", "last_name", "email")


@dataclasses.dataclass(frozen=True)
class Member:
    """One row of the roster."""

    id: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def roster_path(course: Course) -> Path:
    """The course's roster: ``CONVBOOK_ROSTER`` (``make hub ROSTER=…``), else ``roster.csv`` beside
    ``nbgrader_config.py``."""
    named = os.environ.get("CONVBOOK_ROSTER")
    return Path(named).resolve() if named else course.dir / "roster.csv"


def read_roster(path: Path) -> list[Member]:
    """The members listed in ``path``, checked row by row.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = p.write_text("id,role\\nteacher,instructor\\nada,student\\n")
    >>> [(m.id, m.role) for m in read_roster(p)]
    [('teacher', 'instructor'), ('ada', 'student')]
    >>> _ = p.write_text("id,role\\nteacher,instructor\\nAda Lovelace,student\\n")
    >>> read_roster(p)
    Traceback (most recent call last):
    ...
    coursekit.paths.CourseError: ...roster.csv line 3: id must be a login name (lower-case letters, digits, _ and -, starting with a letter or _, at most 32), got 'Ada Lovelace'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseError(f"cannot read the roster {path}: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in _COLUMNS]
    if "id" not in header or "role" not in header or unknown:
        raise CourseError(f"{path}: the header must have the columns id and role (and optionally first_name, "
                          f"last_name, email), got {','.join(header) or 'nothing'}")
    members: list[Member] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        ident, role = (row.get("id") or "").strip(), (row.get("role") or "").strip()
        if not _ID.match(ident):
            raise CourseError(f"{path} line {line}: id must be a login name (lower-case letters, digits, _ and -, "
                              f"starting with a letter or _, at most 32), got {ident!r}")
        if role not in ROLES:
            raise CourseError(f"{path} line {line}: role must be one of {', '.join(ROLES)}, got {role!r}")
        if ident in seen:
            raise CourseError(f"{path} line {line}: {ident!r} is listed twice")
        seen.add(ident)
        members.append(Member(ident, role, *((row.get(k) or "").strip() for k in _COLUMNS[2:])))
    if not any(m.role == "instructor" for m in members):
        raise CourseError(f"{path}: the roster names no instructor (a row with role instructor)")
    return members


def members(course: Course, role: str | None = None) -> list[Member]:
    """The course roster's members (of ``role``, when given), or none when the course has no roster."""
    path = roster_path(course)
    if not path.exists():
        return []
    return [m for m in read_roster(path) if role is None or m.role == role]


def students(course: Course) -> list[str]:
    """The ids of the roster's students, or none when the course has no roster."""
    return [m.id for m in members(course, "student")]
