"""Late work: the course's late policy (``course.toml``), a submission's timestamp, its lateness and penalty.

The policy is data, not code, so it lives in ``course.toml`` beside
``nbgrader_config.py`` (read with :mod:`tomllib`; no file, or no due date for
a set, means no policy for it)::

    [late]
    rule = "per_day"        # "none", "per_day" or "zero_after"
    grace_minutes = 15      # added to every deadline (the due date and the cutoff); default 0
    per_day = 0.1           # per_day only: the share of the set total lost per started day late

    [late.due]              # ISO 8601 with a time zone (a TOML date-time or a string)
    "03-polynomial" = 2027-01-15T23:59:00+01:00

    [late.cutoff]           # zero_after only: one per set with a due date, not before it
    "03-polynomial" = 2027-01-22T23:59:00+01:00

A submission is *late* when its ``timestamp.txt`` (nbgrader's, written by
``nbgrader submit``/``collect``, parsed by nbgrader's own parser) is after
the due date plus the grace period; how late is counted from there.  The
rules: ``none`` shows lateness and takes nothing; ``per_day`` takes
``per_day`` of the set's total (autograded plus manual points, as of record)
per started day late (1 second late is one day), never more than the whole
total; ``zero_after`` takes nothing up to the cutoff (plus grace) and the
whole total after it.  A submission without a ``timestamp.txt`` counts as on
time (as nbgrader counts it), and says so.  Everything here is computed from
the file and the submission alone, never from the clock, so ``coursekit
report`` reproduces ``coursekit grade``'s numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import math
import tomllib
from pathlib import Path

from .paths import Course, CourseError

FILE = "course.toml"
RULES = ("none", "per_day", "zero_after")
KEYS = ("rule", "grace_minutes", "per_day", "due", "cutoff")
DAY = dt.timedelta(days=1)
#: the feedback line's marker: an earlier line is replaced, never repeated
MARK = "coursekit-late"


@dataclasses.dataclass(frozen=True)
class Policy:
    """A parsed late policy: due dates (and cutoffs) per set, aware datetimes."""

    rule: str = "none"
    grace: dt.timedelta = dt.timedelta(0)
    per_day: float = 0.0
    due: dict = dataclasses.field(default_factory=dict)
    cutoff: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Lateness:
    """One submission against its set's due date: how late, and the share of its total that it loses."""

    submitted: dt.datetime | None
    due: dt.datetime
    seconds_late: int  # after the due date plus grace; 0 when on time
    fraction: float  # of the set total, 0..1
    reason: str  # one line, for grades.csv's sources and the report
    days: int = 0  # started days late (after the due date plus grace)

    @property
    def hours(self) -> float:
        return round(self.seconds_late / 3600, 2)

    def penalty(self, total: float) -> float:
        """The points taken from a set total of ``total``."""
        return round(max(total, 0.0) * self.fraction, 2)


def _bad(key: str, got, allowed: str) -> CourseError:
    return CourseError(f"{FILE}: {key}: got {got!r}; allowed: {allowed}")


def _datetime(key: str, value) -> dt.datetime:
    allowed = "an ISO 8601 date-time with a time zone, e.g. 2027-01-15T23:59:00+01:00 or 2027-01-15T22:59:00Z"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _bad(key, value, allowed) from None
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise _bad(key, value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value, allowed)
    return value


def _per_set(key: str, table, sets) -> dict:
    if not isinstance(table, dict):
        raise _bad(key, table, 'a table of "<set>" = <date-time>')
    out = {}
    for name, value in table.items():
        if sets is not None and name not in sets:
            raise _bad(f"{key}.{name}", name, "a set of this course (" + (", ".join(sorted(sets)) or "none") + ")")
        out[name] = _datetime(f"{key}.{name}", value)
    return out


def parse_policy(data: dict, sets=None) -> Policy:
    """The policy from ``course.toml``'s parsed contents; ``sets`` (if given) are the course's sets.

    >>> p = parse_policy({"late": {"rule": "per_day", "per_day": 0.25, "grace_minutes": 10,
    ...                            "due": {"s1": "2027-01-15T23:59:00+01:00"}}})
    >>> p.rule, p.per_day, p.grace, p.due["s1"].isoformat()
    ('per_day', 0.25, datetime.timedelta(seconds=600), '2027-01-15T23:59:00+01:00')
    >>> parse_policy({})
    Policy(rule='none', grace=datetime.timedelta(0), per_day=0.0, due={}, cutoff={})
    """
    extra = sorted(set(data) - {"late"})
    if extra:
        raise _bad(extra[0], data[extra[0]], "only the table [late]")
    late = data.get("late", {})
    if not isinstance(late, dict):
        raise _bad("late", late, "a table")
    extra = sorted(set(late) - set(KEYS))
    if extra:
        raise _bad(f"late.{extra[0]}", late[extra[0]], "the keys " + ", ".join(KEYS))
    rule = late.get("rule", "none")
    if rule not in RULES:
        raise _bad("late.rule", rule, ", ".join(f'"{r}"' for r in RULES))
    grace = late.get("grace_minutes", 0)
    if isinstance(grace, bool) or not isinstance(grace, (int, float)) or not math.isfinite(grace) or grace < 0:
        raise _bad("late.grace_minutes", grace, "a number of minutes >= 0")
    per_day = late.get("per_day")
    if rule == "per_day":
        if isinstance(per_day, bool) or not isinstance(per_day, (int, float)) or not 0 < per_day <= 1:
            raise _bad("late.per_day", per_day, 'a fraction of the set total, 0 < per_day <= 1 (rule "per_day")')
    elif per_day is not None:
        raise _bad("late.per_day", per_day, f'no per_day with rule "{rule}" (only with rule "per_day")')
    due = _per_set("late.due", late.get("due", {}), sets)
    cutoff = _per_set("late.cutoff", late.get("cutoff", {}), sets)
    if rule == "zero_after":
        for name in sorted(set(due) - set(cutoff)):
            raise _bad(f"late.cutoff.{name}", "missing", 'a cutoff for every set with a due date (rule "zero_after")')
        for name in sorted(cutoff):
            if name not in due:
                raise _bad(f"late.cutoff.{name}", cutoff[name].isoformat(), "a cutoff only for a set with a due date")
            if cutoff[name] < due[name]:
                raise _bad(f"late.cutoff.{name}", cutoff[name].isoformat(),
                           f"a date-time not before the due date {due[name].isoformat()}")
    elif cutoff:
        name = sorted(cutoff)[0]
        raise _bad(f"late.cutoff.{name}", cutoff[name].isoformat(), f'no cutoff with rule "{rule}" '
                   '(only with rule "zero_after")')
    return Policy(rule=rule, grace=dt.timedelta(minutes=grace), per_day=float(per_day or 0.0), due=due, cutoff=cutoff)


def load_policy(course: Course) -> Policy:
    """The course's policy from ``<course>/course.toml``; no file is no policy."""
    path = course.dir / FILE
    if not path.exists():
        return Policy()
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CourseError(f"{FILE}: cannot read {path}: {exc}") from None
    sets = {p.name for p in course.source.iterdir() if p.is_dir()} if course.source.is_dir() else set()
    return parse_policy(data, sets)


def read_timestamp(folder: Path) -> dt.datetime | None:
    """The time in ``folder/timestamp.txt`` (nbgrader's format, read with nbgrader's parser), as aware UTC.

    An ISO 8601 time with a numeric offset is read as ISO 8601 (nbgrader's parser takes "+0100" for 100 s).

    No file, or an empty one, is None (nbgrader counts such a submission as on time).
    """
    from nbgrader.utils import parse_utc

    path = Path(folder) / "timestamp.txt"
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"cannot read {path}: {exc}") from None
    if not text:
        return None
    try:
        iso = dt.datetime.fromisoformat(text)
        if iso.utcoffset() is not None:  # an ISO offset: nbgrader's parser reads "+0100" as 100 seconds
            return iso.astimezone(dt.timezone.utc)
    except ValueError:
        pass
    try:
        return parse_utc(text).replace(tzinfo=dt.timezone.utc)
    except (ValueError, OverflowError, TypeError):
        raise CourseError(f"{path}: got {text[:80]!r}; allowed: nbgrader's timestamp, "
                          "e.g. 2027-01-16 10:30:00.000000 UTC") from None


def _days(n: int) -> str:
    return f"{n} started day{'s' if n != 1 else ''}"


def lateness(policy: Policy, assignment: str, submitted: dt.datetime | None) -> Lateness | None:
    """``submitted`` against the set's due date; None when the set has no due date.

    >>> p = parse_policy({"late": {"rule": "per_day", "per_day": 0.1, "grace_minutes": 15,
    ...                            "due": {"s1": "2027-01-15T23:59:00Z"}}})
    >>> late = lateness(p, "s1", dt.datetime(2027, 1, 17, 0, 14, 1, tzinfo=dt.timezone.utc))
    >>> late.hours, late.fraction, late.penalty(7.0), late.reason
    (24.0, 0.2, 1.4, 'per_day: 24 h late, 2 started days x 0.1 of the set total')
    >>> lateness(p, "s1", dt.datetime(2027, 1, 16, 0, 14, tzinfo=dt.timezone.utc)).reason
    'on time'
    >>> lateness(p, "s2", None) is None
    True
    """
    due = policy.due.get(assignment)
    if due is None:
        return None
    if submitted is None:
        return Lateness(None, due, 0, 0.0, "no timestamp.txt: counted on time")
    late = submitted - (due + policy.grace)
    if late <= dt.timedelta(0):
        return Lateness(submitted, due, 0, 0.0, "on time")
    seconds = math.ceil(late.total_seconds())
    how = f"{round(seconds / 3600, 2):g} h late"
    if policy.rule == "per_day":
        days = -(-late // DAY)  # started days: a second late is one day
        fraction = round(min(1.0, days * policy.per_day), 6)
        return Lateness(submitted, due, seconds, fraction,
                        f"per_day: {how}, {_days(days)} x {policy.per_day:g} of the set total"
                        + (" (all of it)" if fraction >= 1 else ""), days)
    if policy.rule == "zero_after":
        cutoff = policy.cutoff[assignment]
        if submitted > cutoff + policy.grace:
            return Lateness(submitted, due, seconds, 1.0, f"zero_after: {how}, after the cutoff {cutoff.isoformat()}",
                            -(-late // DAY))
        return Lateness(submitted, due, seconds, 0.0, f"zero_after: {how}, before the cutoff {cutoff.isoformat()}",
                        -(-late // DAY))
    return Lateness(submitted, due, seconds, 0.0, f"none: {how}, no penalty", -(-late // DAY))


def submission_lateness(course: Course, policy: Policy, subs) -> dict:
    """``{(student, set): Lateness}`` for the submissions whose set has a due date (from their timestamp.txt)."""
    return {(s, a): lateness(policy, a, read_timestamp(course.submitted / s / a))
            for s, a in subs if a in policy.due}


def _when(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M %Z")


def feedback_text(late: Lateness, policy: Policy) -> str:
    """The sentence the student's feedback shows: when, how late, and the rule's outcome (nothing else).

    >>> p = parse_policy({"late": {"rule": "per_day", "per_day": 0.1, "grace_minutes": 15,
    ...                            "due": {"s1": "2027-01-15T23:59:00Z"}}})
    >>> print(feedback_text(lateness(p, "s1", dt.datetime(2027, 1, 17, 0, 14, 1, tzinfo=dt.timezone.utc)), p))
    Submitted 2027-01-17 00:14 UTC; due 2027-01-15 23:59 UTC, with 15 minutes of grace: 24 hours late.
    Late penalty: 2 started days x 10% = 20% of this set's total.
    """
    grace = policy.grace.total_seconds() / 60
    due = f"due {_when(late.due)}" + (f", with {grace:g} minutes of grace" if grace else "")
    if late.submitted is None:
        return f"No submission time was recorded ({due}): counted on time. No late penalty."
    head = f"Submitted {_when(late.submitted)}; {due}"
    if late.seconds_late == 0:
        return f"{head}: on time. No late penalty."
    head += f": {late.hours:g} hours late."
    if policy.rule == "per_day":
        return (f"{head} Late penalty: {_days(late.days)} x {100 * policy.per_day:g}% = "
                f"{100 * late.fraction:g}% of this set's total.")
    if policy.rule == "zero_after" and late.fraction:
        return f"{head} Late penalty: after the cutoff, this set scores 0."
    return f"{head} No late penalty" + (" (before the cutoff)." if policy.rule == "zero_after" else ".")


def add_to_feedback(page: str, text: str) -> str:
    """``page`` (nbgrader's feedback HTML) with ``text`` as a line under its score heading (once).

    >>> add_to_feedback("<body><h4>s1</h4><p>x</p></body>", "1 h late.")
    '<body><h4>s1</h4><p class="coursekit-late"><strong>Late work:</strong> 1 h late.</p><p>x</p></body>'
    """
    start = page.find(f'<p class="{MARK}">')
    if start >= 0:  # an earlier line: replaced
        end = page.index("</p>", start) + len("</p>")
        page = page[:start] + page[end:]
    line = f'<p class="{MARK}"><strong>Late work:</strong> {html.escape(text)}</p>'
    for anchor in ("</h4>", "<body>"):
        at = page.find(anchor)
        if at >= 0:
            at += len(anchor)
            return page[:at] + line + page[at:]
    return line + page
