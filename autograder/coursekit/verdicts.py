"""Each graded submission's verdicts, kept beside the gradebook so that the class files can be rebuilt.

``coursekit grade`` writes one file per submission it grades,
``verdicts/<student>/<set>.json``: whether it was graded (and if not, why),
its audit flags and its re-check verdicts.  The class files (``grades.csv``,
``report.html``, ``integrity.json``) are then written from the gradebook and
*every* stored verdict, so that a ``STUDENTS=`` or ``SHARD=`` run merges into
the class instead of replacing it, and ``coursekit report`` rebuilds them
without running any student code.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

from .audit import Flag
from .paths import Course

#: the layout of a verdict file; a file of another version is treated as never graded
VERSION = 1


def path(course: Course, student: str, assignment: str) -> Path:
    """Where one submission's verdicts are kept."""
    return course.dir / "verdicts" / student / f"{assignment}.json"


def save(course: Course, student: str, assignment: str, *, problem: str | None, flags: list[Flag],
         recheck: dict | None) -> None:
    """Keep one submission's verdicts (written to a temporary file, then renamed: never half a file)."""
    target = path(course, student, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = dict(version=VERSION, student=student, assignment=assignment, problem=problem,
                graded_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                flags=[dataclasses.asdict(f) for f in flags if (f.student, f.assignment) == (student, assignment)],
                recheck=recheck or {})
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, target)


NEVER_GRADED = "never graded: no verdicts are stored for it (run `make grade` for this student)"


def load(course: Course, subs) -> tuple[dict, list[Flag], dict]:
    """The stored verdicts of ``subs``: ``(failures, flags, recheck verdicts)``, as ``report.write_all`` takes them.

    A submission with no stored verdicts counts as not graded, with that reason.
    """
    failures, flags, verdicts = {}, [], {}
    for student, assignment in subs:
        try:
            data = json.loads(path(course, student, assignment).read_text())
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            failures[(student, assignment)] = NEVER_GRADED
            continue
        if data["problem"]:
            failures[(student, assignment)] = data["problem"]
        flags += [Flag(**f) for f in data["flags"]]
        if data["recheck"]:
            verdicts[(student, assignment)] = data["recheck"]
    return failures, flags, verdicts
