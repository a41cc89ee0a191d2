"""The round trip through nbgrader's exchange, as the instructor runs it in their hub terminal.

``make hub-release SET=…``, ``make hub-collect SET=…`` and ``make hub-feedback SET=…`` (after ``make
grade``).  Each wraps one nbgrader exchange command, run in the course folder with the hub's settings
(the exchange's root and the JupyterHub auth plugin, from the instructor's Jupyter configuration that
``make hub`` wrote), and says what it did per student:

- *release* brings the student version up to date (only when its master changed), puts the roster's
  students in the gradebook and releases the set into the exchange;
- *collect* copies each student's latest submission, with its ``timestamp.txt``, into
  ``submitted/<student>/<set>/``, marks the late ones against the set's due date in ``course.toml`` and
  lists the roster's students who submitted nothing;
- *feedback* releases the feedback that ``make grade`` wrote (no hidden test and no solution in it), which
  students then fetch in the Assignments tab.
"""

from __future__ import annotations

from . import lab, late, masters, roster
from .config import db_url, nbgrader
from .paths import Course, CourseError

__all__ = ["check_set", "hub_release", "hub_collect", "hub_feedback"]


def check_set(course: Course, name: str | None) -> str:
    """``name`` if it is one of the course's sets, else a clear error."""
    known = masters.assignments(course)
    if not name:
        raise CourseError(f"say which set: SET=<one of {', '.join(known)}>")
    if name not in known:
        raise CourseError(f"SET must be one of {', '.join(known)}, got {name!r}")
    return name


def _exchange_cmd(course: Course, *args: str) -> str:
    result = nbgrader(course, *args, "--log-level=INFO", check=False, capture=True)
    out = result.stdout or ""
    if result.returncode != 0:
        raise CourseError(f"nbgrader {args[0]} failed ({result.returncode}):\n{out[-3000:]}")
    return out


def _duration(seconds: float) -> str:
    """A lateness for a person to read.

    >>> _duration(3), _duration(754), _duration(3 * 3600 + 900)
    ('3 s', '13 min', '3.2 h')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def hub_release(course: Course, name: str | None) -> None:
    """Release the set ``name`` into the exchange."""
    from nbgrader.api import Gradebook

    name = check_set(course, name)
    lab.release_if_changed(course)
    members = roster.members(course, "student")
    with Gradebook(db_url(course)) as gb:
        for m in members:
            gb.update_or_create_student(m.id, first_name=m.first_name or None, last_name=m.last_name or None,
                                        email=m.email or None)
    _exchange_cmd(course, "release_assignment", name, "--force")
    print(f"released {name} into the exchange for {len(members)} student(s) of the roster: they fetch it in "
          "the Assignments tab")


def hub_collect(course: Course, name: str | None) -> dict:
    """Collect the latest submission of ``name`` per student; ``{student: lateness or None}``."""
    name = check_set(course, name)
    _exchange_cmd(course, "collect", name, "--update")
    policy = late.load_policy(course)
    got = {}
    for folder in sorted(course.submitted.glob(f"*/{name}")):
        stamp = late.read_timestamp(folder)
        lateness = got[folder.parent.name] = late.lateness(policy, name, stamp)
        when = stamp.strftime("%Y-%m-%d %H:%M:%S UTC") if stamp else "no timestamp"
        mark = f"; LATE by {_duration(lateness.seconds_late)}" if lateness and lateness.seconds_late > 0 else ""
        print(f"  {folder.parent.name}: submitted {when}{mark}")
    missing = [s for s in roster.students(course) if s not in got]
    print(f"collected {name}: {len(got)} submission(s) in {course.rel(course.submitted)}/<student>/{name}/"
          + (f"; missing (no submission): {', '.join(missing)}" if missing else ""))
    return got


def hub_feedback(course: Course, name: str | None) -> int:
    """Release the feedback of ``name`` to the students; how many feedback files there were."""
    name = check_set(course, name)
    pages = sorted(course.feedback.glob(f"*/{name}/*.html"))
    if not pages:
        raise CourseError(f"there is no feedback for {name} in {course.rel(course.feedback)}/: run `make grade` first")
    _exchange_cmd(course, "release_feedback", name)
    students = sorted({p.parent.parent.name for p in pages})
    print(f"released the feedback of {name} for {len(students)} student(s) ({', '.join(students)}): they fetch it "
          "in the Assignments tab")
    return len(pages)
