"""Late work: the policy in ``course.toml``, lateness from nbgrader's ``timestamp.txt``, and its penalty.

The unit tests take :mod:`coursekit.late`'s pure functions through hand cases
(the edges of the grace period and of a started day, the floor at 0, the
cutoff) and every error of the policy file.  The integration test grades a
scratch course of set 03-polynomial with the real ``coursekit grade``: two
students hand in the master's solution, one on time and one late (their
``timestamp.txt`` written in nbgrader's format); the late one's total in
``grades.csv`` loses the configured penalty, ``report.html`` and the late
student's feedback say how late, and ``coursekit report`` rewrites
``grades.csv`` and ``report.html`` byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess

import nbformat
import pytest

from conftest import ROOT, coursekit

from coursekit import late, paths, report
from coursekit.paths import CourseError

UTC = dt.timezone.utc
DUE = "2027-01-15T23:59:00+01:00"  # 22:59 UTC


def _policy(**late_table):
    return late.parse_policy({"late": late_table})


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- the policy ------------------------------------------------------------------------------------------------

def test_a_policy_parses_with_toml_dates_and_strings():
    import tomllib

    data = tomllib.loads(f"""
[late]
rule = "per_day"
grace_minutes = 15
per_day = 0.1
[late.due]
"s1" = {DUE}
"s2" = "2027-02-01T12:00:00Z"
""")
    p = late.parse_policy(data, sets={"s1", "s2", "s3"})
    assert (p.rule, p.grace, p.per_day) == ("per_day", dt.timedelta(minutes=15), 0.1)
    assert p.due["s1"] == _at("2027-01-15T22:59:00+00:00") and p.due["s2"] == _at("2027-02-01T12:00:00+00:00")
    assert late.parse_policy({}) == late.Policy() and late.Policy().due == {}


def test_the_shipped_course_toml_sets_no_due_date():
    policy = late.load_policy(paths.Course(ROOT / "autograder"))
    assert policy.due == {} and policy.rule == "none", "the shipped file must leave grading as it was"


@pytest.mark.parametrize("table, match", [
    (dict(rule="weekly"), r"late\.rule: got 'weekly'; allowed: \"none\", \"per_day\", \"zero_after\""),
    (dict(grace_minutes=-5), r"late\.grace_minutes: got -5; allowed: a number of minutes >= 0"),
    (dict(grace_minutes=True), r"late\.grace_minutes: got True"),
    (dict(grace_minutes="15m"), r"late\.grace_minutes: got '15m'"),
    (dict(rule="per_day"), r"late\.per_day: got None; allowed: a fraction of the set total, 0 < per_day <= 1"),
    (dict(rule="per_day", per_day=1.5), r"late\.per_day: got 1\.5"),
    (dict(rule="per_day", per_day=0), r"late\.per_day: got 0;"),
    (dict(rule="none", per_day=0.1), r"late\.per_day: got 0\.1; allowed: no per_day with rule \"none\""),
    (dict(due={"s1": "2027-01-15T23:59:00"}), r"late\.due\.s1: got '2027-01-15T23:59:00'; allowed: an ISO 8601 "
                                              r"date-time with a time zone"),
    (dict(due={"s1": dt.datetime(2027, 1, 15, 23, 59)}), r"late\.due\.s1: got '2027-01-15T23:59:00'"),
    (dict(due={"s1": "next friday"}), r"late\.due\.s1: got 'next friday'"),
    (dict(due={"s1": dt.date(2027, 1, 15)}), r"late\.due\.s1: got '2027-01-15'"),
    (dict(due={"nope": DUE}), r"late\.due\.nope: got 'nope'; allowed: a set of this course \(s1, s2\)"),
    (dict(due="soon"), r"late\.due: got 'soon'; allowed: a table"),
    (dict(rule="zero_after", due={"s1": DUE}), r"late\.cutoff\.s1: got 'missing'; allowed: a cutoff for every set"),
    (dict(rule="zero_after", due={"s1": DUE}, cutoff={"s1": "2027-01-14T00:00:00Z"}),
     r"late\.cutoff\.s1: got '2027-01-14T00:00:00\+00:00'; allowed: a date-time not before the due date"),
    (dict(rule="zero_after", due={"s1": DUE}, cutoff={"s1": DUE, "s2": DUE}),
     r"late\.cutoff\.s2: .*a cutoff only for a set with a due date"),
    (dict(rule="per_day", per_day=0.1, due={"s1": DUE}, cutoff={"s1": DUE}),
     r"late\.cutoff\.s1: .*no cutoff with rule \"per_day\""),
    (dict(due_dates={"s1": DUE}), r"late\.due_dates: got .*; allowed: the keys rule, grace_minutes, per_day, due, "
                                  r"cutoff"),
])
def test_a_bad_policy_names_the_key_what_it_got_and_what_is_allowed(table, match):
    with pytest.raises(CourseError, match=r"^course\.toml: " + match):
        late.parse_policy({"late": table}, sets={"s1", "s2"})


def test_only_the_late_table_is_allowed():
    with pytest.raises(CourseError, match=r"course\.toml: lateness: got 1; allowed: only the table \[late\]"):
        late.parse_policy({"lateness": 1})
    with pytest.raises(CourseError, match=r"course\.toml: late: got 'x'; allowed: a table"):
        late.parse_policy({"late": "x"})


def test_load_policy_reads_the_course_file(tmp_path):
    ag = paths.scratch_course(tmp_path, [])
    (ag / "source" / "s1").mkdir()
    course = paths.Course(ag)
    assert late.load_policy(course) == late.Policy(), "no course.toml: no policy"
    (ag / late.FILE).write_text(f'[late]\nrule = "per_day"\nper_day = 0.5\n[late.due]\n"s1" = {DUE}\n')
    assert late.load_policy(course).due == {"s1": _at(DUE)}
    (ag / late.FILE).write_text(f'[late.due]\n"s9" = {DUE}\n')
    with pytest.raises(CourseError, match=r"late\.due\.s9: got 's9'; allowed: a set of this course \(s1\)"):
        late.load_policy(course)
    (ag / late.FILE).write_text("[late\nrule = 1\n")
    with pytest.raises(CourseError, match=r"course\.toml: cannot read .*course\.toml: "):
        late.load_policy(course)


def test_a_broken_policy_stops_coursekit_before_it_writes_anything(tmp_path):
    ag = paths.scratch_course(tmp_path, [])
    (ag / late.FILE).write_text('[late]\nrule = "sometimes"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("CONVBOOK_GRADING_SEED", "CONVBOOK_GRADEBOOK_URL")}
    result = subprocess.run(coursekit(ag, "report"), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "coursekit: course.toml: late.rule: got 'sometimes'; allowed:" in result.stderr, result.stderr
    assert not (ag / "grades.csv").exists()


# --- the timestamp ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2027-01-16 10:30:00.000000 UTC", "2027-01-16T10:30:00+00:00"),  # what nbgrader submit writes by default
    ("2027-01-16 10:30:00.250000 UTC\n", "2027-01-16T10:30:00.250000+00:00"),
    ("2027-01-16 11:30:00 +0100", "2027-01-16T10:30:00+00:00"),  # an offset is an ISO offset, not 100 seconds
    ("2027-01-16T11:30:00+01:00", "2027-01-16T10:30:00+00:00"),
])
def test_read_timestamp_reads_nbgrader_s_format(tmp_path, text, expected):
    (tmp_path / "timestamp.txt").write_text(text)
    assert late.read_timestamp(tmp_path) == _at(expected)


def test_read_timestamp_agrees_with_what_nbgrader_writes(tmp_path):
    from nbgrader.exchange.abc.exchange import Exchange

    fmt = Exchange.class_traits()["timestamp_format"].default()
    when = dt.datetime(2027, 1, 16, 10, 30, 5, 123456, tzinfo=UTC)
    (tmp_path / "timestamp.txt").write_text(when.strftime(fmt))
    assert late.read_timestamp(tmp_path) == when


def test_no_or_an_empty_timestamp_is_none_and_garbage_is_an_error(tmp_path):
    assert late.read_timestamp(tmp_path) is None
    (tmp_path / "timestamp.txt").write_text("  \n")
    assert late.read_timestamp(tmp_path) is None
    (tmp_path / "timestamp.txt").write_text("yesterday-ish")
    with pytest.raises(CourseError, match=r"timestamp\.txt: got 'yesterday-ish'; allowed: nbgrader's timestamp"):
        late.read_timestamp(tmp_path)


# --- lateness and the penalty ----------------------------------------------------------------------------------

PER_DAY = dict(rule="per_day", per_day=0.25, grace_minutes=10, due={"s1": "2027-01-15T22:59:00Z"})
DEADLINE = _at("2027-01-15T23:09:00+00:00")  # due plus grace


@pytest.mark.parametrize("after, seconds, days, fraction", [
    (dt.timedelta(seconds=-3600), 0, 0, 0.0),
    (dt.timedelta(0), 0, 0, 0.0),  # at due + grace exactly: on time
    (dt.timedelta(seconds=1), 1, 1, 0.25),  # a second late starts a day
    (dt.timedelta(days=1), 86400, 1, 0.25),  # 24 h late is one day
    (dt.timedelta(days=1, seconds=1), 86401, 2, 0.5),
    (dt.timedelta(days=3, hours=5), 277200, 4, 1.0),
    (dt.timedelta(days=30), 2592000, 30, 1.0),  # never more than the whole total
])
def test_per_day_counts_started_days_after_due_plus_grace(after, seconds, days, fraction):
    got = late.lateness(_policy(**PER_DAY), "s1", DEADLINE + after)
    assert (got.seconds_late, got.days, got.fraction) == (seconds, days, fraction), got
    assert got.reason == "on time" if not seconds else got.reason.startswith("per_day: ")


def test_the_penalty_is_a_share_of_the_set_total_and_the_total_stays_at_or_above_0():
    got = late.lateness(_policy(**dict(PER_DAY, per_day=0.1)), "s1", DEADLINE + dt.timedelta(days=2, hours=1))
    assert got.fraction == 0.3 and got.penalty(7.0) == 2.1 and got.hours == 49.0
    assert got.reason == "per_day: 49 h late, 3 started days x 0.1 of the set total"
    per = {"e1": (3.0, 3.0), "e2": (4.0, 4.0), "w": (None, 2.0)}  # the pending written answer counts nothing
    assert report.set_total(per, got) == (4.9, 2.1)
    assert report.set_total(per, None) == (7.0, None)
    all_of_it = late.lateness(_policy(**PER_DAY), "s1", DEADLINE + dt.timedelta(days=9))
    assert report.set_total(per, all_of_it) == (0.0, 7.0) and all_of_it.reason.endswith("(all of it)")


def test_zero_after_takes_nothing_before_the_cutoff_and_everything_after_it():
    p = _policy(rule="zero_after", grace_minutes=10, due={"s1": "2027-01-15T22:59:00Z"},
                cutoff={"s1": "2027-01-18T22:59:00Z"})
    before = late.lateness(p, "s1", _at("2027-01-18T23:09:00+00:00"))  # the cutoff plus grace: still in
    after = late.lateness(p, "s1", _at("2027-01-18T23:09:01+00:00"))
    assert before.fraction == 0.0 and before.seconds_late == 3 * 86400
    assert before.reason.startswith("zero_after: 72 h late, before the cutoff")
    assert after.fraction == 1.0 and after.penalty(6.5) == 6.5 and "after the cutoff" in after.reason
    assert late.lateness(p, "s1", _at("2027-01-15T23:00:00+00:00")).reason == "on time"


def test_rule_none_shows_lateness_and_takes_nothing_and_no_timestamp_is_on_time():
    p = _policy(due={"s1": DUE})
    got = late.lateness(p, "s1", _at("2027-01-16T00:29:00+01:00"))
    assert (got.hours, got.fraction, got.reason) == (0.5, 0.0, "none: 0.5 h late, no penalty")
    missing = late.lateness(p, "s1", None)
    assert (missing.seconds_late, missing.fraction, missing.reason) == (0, 0.0, "no timestamp.txt: counted on time")
    assert late.lateness(p, "s2", _at("2030-01-01T00:00:00+00:00")) is None, "a set without a due date"


def test_the_feedback_line_says_how_late_and_the_penalty_and_nothing_else():
    p = _policy(**PER_DAY)
    text = late.feedback_text(late.lateness(p, "s1", DEADLINE + dt.timedelta(days=1, hours=2)), p)
    assert text == ("Submitted 2027-01-17 01:09 UTC; due 2027-01-15 22:59 UTC, with 10 minutes of grace: "
                    "26 hours late. Late penalty: 2 started days x 25% = 50% of this set's total.")
    assert late.feedback_text(late.lateness(p, "s1", DEADLINE), p).endswith(": on time. No late penalty.")
    assert late.feedback_text(late.lateness(p, "s1", None), p).startswith("No submission time was recorded")
    page = "<html><body><h4>s1 (Score: 7.0 / 7.0)</h4><div>cells</div></body></html>"
    once = late.add_to_feedback(page, "a <b> & c")
    assert once == ('<html><body><h4>s1 (Score: 7.0 / 7.0)</h4><p class="coursekit-late"><strong>Late work:'
                    '</strong> a &lt;b&gt; &amp; c</p><div>cells</div></body></html>')
    assert late.add_to_feedback(once, "a <b> & c") == once, "a second run replaces the line"
    no_heading = late.add_to_feedback("<p>x</p>", "t")
    assert no_heading == '<p class="coursekit-late"><strong>Late work:</strong> t</p><p>x</p>'


def test_grades_csv_without_a_due_date_is_as_before(tmp_path):
    subs = [("ann", "s1")]
    scores = {("ann", "s1"): {"e1": (2.0, 3.0)}}
    status = {("ann", "s1"): "graded"}
    report.write_csv(tmp_path / "a.csv", subs, scores, status, {("ann", "s1"): "e1=auto"})
    report.write_csv(tmp_path / "b.csv", subs, scores, status, {("ann", "s1"): "e1=auto"}, {})
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes() == \
        b"student,s1/e1,s1/total,s1/status,s1/sources,total\r\nann,2,2,graded,e1=auto,2\r\n"


# --- the real course: coursekit grade, the class files, the feedback, coursekit report ------------------------

SET = "03-polynomial"
STUDENTS = {"ontime": "2027-01-15 22:30:00.000000 UTC",  # before the due date (22:59 UTC)
            "tardy": "2027-01-17 01:09:00.000000 UTC"}  # 26 h after due + grace: 2 started days


def _solved(release_nb, master_nb):
    """The release notebook with every answer cell filled in from the master (its solution markers dropped)."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in master_nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(line for line in answers[meta["grade_id"]].splitlines()
                                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return nb


@pytest.mark.slow
def test_a_late_submission_gets_the_configured_penalty(tmp_path):
    ag = paths.scratch_course(tmp_path, [SET])
    env = {k: v for k, v in os.environ.items() if k not in ("CONVBOOK_GRADING_SEED", "CONVBOOK_GRADEBOOK_URL")}
    env.update(CONVBOOK_CELL_CPU="15", CONVBOOK_RECHECK_SECONDS="15")
    subprocess.run(coursekit(ag, "release"), cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    (ag / late.FILE).write_text(f'[late]\nrule = "per_day"\nper_day = 0.25\ngrace_minutes = 10\n\n'
                                f'[late.due]\n"{SET}" = {DUE}\n')
    nb = _solved(nbformat.read(ag / "release" / SET / f"{SET}.ipynb", as_version=4),
                 nbformat.read(ag / "source" / SET / f"{SET}.ipynb", as_version=4))
    for student, stamp in STUDENTS.items():
        folder = ag / "submitted" / student / SET
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{SET}.ipynb")
        (folder / "timestamp.txt").write_text(stamp)  # as nbgrader collect leaves it

    result = subprocess.run(coursekit(ag, "grade", "--no-release", "--jobs", "2"), cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with (ag / "grades.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, {r["student"]: r for r in reader}
    at = header.index(f"{SET}/total")
    assert header[at - 2: at] == [f"{SET}/late hours", f"{SET}/late penalty"], header
    ontime, tardy = rows["ontime"], rows["tardy"]
    assert ontime[f"{SET}/status"] == tardy[f"{SET}/status"] == "graded"
    exercises = [h for h in header if h.startswith(f"{SET}/") and h.rpartition("/")[2] not in
                 ("late hours", "late penalty", "total", "status", "sources")]
    full = sum(float(ontime[h]) for h in exercises if ontime[h])  # a written answer waits for a human grader
    assert full > 0 and [tardy[h] for h in exercises] == [ontime[h] for h in exercises], "the same answers"
    assert (ontime[f"{SET}/late hours"], ontime[f"{SET}/late penalty"]) == ("0", "0")
    assert float(ontime[f"{SET}/total"]) == full and float(ontime["total"]) == full
    assert float(tardy[f"{SET}/late hours"]) == 26.0
    assert float(tardy[f"{SET}/late penalty"]) == pytest.approx(round(full * 0.5, 2))
    assert float(tardy[f"{SET}/total"]) == pytest.approx(full - round(full * 0.5, 2)) == float(tardy["total"])
    assert ontime[f"{SET}/sources"].endswith("; late penalty=on time"), ontime[f"{SET}/sources"]
    assert tardy[f"{SET}/sources"].endswith("; late penalty=per_day: 26 h late, 2 started days x 0.25 of the "
                                            "set total"), tardy[f"{SET}/sources"]

    page = (ag / "report.html").read_text()
    assert "<h2>Late work</h2>" in page and "2 submission(s) of sets with a due date, 1 on time" in page
    row = re.search(r"<tr><td>tardy</td>.*?</tr>", page.split("<h2>Late work</h2>")[1]).group(0)
    assert "2027-01-17T01:09:00+00:00" in row and "<td>26</td>" in row and f"<td>{round(full * 0.5, 2):g}</td>" in row
    assert "<td>ontime</td>" not in page.split("<h2>Late work</h2>")[1].split("<h2>")[0]

    feedback = {s: (ag / "feedback" / s / SET / f"{SET}.html").read_text() for s in STUDENTS}
    lines = {s: re.findall(r'<p class="coursekit-late">(.*?)</p>', f) for s, f in feedback.items()}
    assert lines["tardy"] == ["<strong>Late work:</strong> Submitted 2027-01-17 01:09 UTC; due 2027-01-15 "
                              "23:59 UTC+01:00, with 10 minutes of grace: 26 hours late. Late penalty: 2 started "
                              "days x 25% = 50% of this set&#x27;s total."], lines["tardy"]
    assert lines["ontime"] == ["<strong>Late work:</strong> Submitted 2027-01-15 22:30 UTC; due 2027-01-15 "
                               "23:59 UTC+01:00, with 10 minutes of grace: on time. No late penalty."]
    assert "course.toml" not in feedback["tardy"] and "ontime" not in feedback["tardy"]

    before = {f: (ag / f).read_bytes() for f in ("grades.csv", "report.html", "integrity.json")}
    for f in before:
        (ag / f).unlink()
    rebuilt = subprocess.run(coursekit(ag, "report"), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    for f, data in before.items():
        assert (ag / f).read_bytes() == data, f"coursekit report changed {f}"
