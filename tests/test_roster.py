"""The class list (coursekit.roster) and the hub's settings that need no hub: every error names what it got."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from conftest import coursekit, tiny_course
from coursekit import lab
from coursekit.exchange import check_set
from coursekit.hub import database_urls
from coursekit.paths import Course, CourseError
from coursekit.roster import Member, members, read_roster, roster_path, students
from test_manual_grades import ANSWERS, MASTER

HEADER = "id,role,first_name,last_name,email\n"


def _roster(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "roster.csv"
    p.write_text(text)
    return p


def test_the_shipped_roster_reads():
    members = read_roster(Path(__file__).resolve().parent.parent / "autograder" / "roster.csv")
    assert [m.role for m in members].count("instructor") >= 1
    assert all(m.role in ("instructor", "student") for m in members)


def test_a_roster_reads_with_its_names(tmp_path):
    p = _roster(tmp_path, HEADER + "prof,instructor,Ada,Byron,ada@example.org\nbo_2,student,,,\n")
    assert read_roster(p) == [Member("prof", "instructor", "Ada", "Byron", "ada@example.org"),
                              Member("bo_2", "student")]


@pytest.mark.parametrize("text, match", [
    ("id,role,phone\nprof,instructor,1\n", r"the header must have the columns id and role .*got id,role,phone"),
    ("name,role\nprof,instructor\n", r"the header must have the columns id and role .*got name,role"),
    ("", r"got nothing"),
    (HEADER + "Prof,instructor,,,\n", r"line 2: id must be a login name .*got 'Prof'"),
    (HEADER + "prof,instructor,,,\n1st,student,,,\n", r"line 3: id must be a login name .*got '1st'"),
    (HEADER + "prof,teacher,,,\n", r"line 2: role must be one of instructor, student, got 'teacher'"),
    (HEADER + "prof,instructor,,,\nann,student,,,\nann,student,,,\n", r"line 4: 'ann' is listed twice"),
    (HEADER + "ann,student,,,\n", r"names no instructor"),
])
def test_a_bad_roster_is_refused_by_line(tmp_path, text, match):
    with pytest.raises(CourseError, match=match):
        read_roster(_roster(tmp_path, text))


def test_a_missing_roster_file_is_named(tmp_path):
    with pytest.raises(CourseError, match=r"cannot read the roster .*nope\.csv"):
        read_roster(tmp_path / "nope.csv")


def test_the_roster_path_follows_the_setting(tmp_path, monkeypatch):
    course = Course(tmp_path / "autograder")
    monkeypatch.delenv("CONVBOOK_ROSTER", raising=False)
    assert roster_path(course) == course.dir / "roster.csv"
    assert students(course) == []  # no roster: whoever submitted
    p = _roster(tmp_path, HEADER + "prof,instructor,,,\nann,student,,,\n")
    monkeypatch.setenv("CONVBOOK_ROSTER", str(p))
    assert roster_path(course) == p and students(course) == ["ann"]
    assert members(course) == [Member("prof", "instructor"), Member("ann", "student")]
    assert members(course, "instructor") == [Member("prof", "instructor")]


@pytest.mark.parametrize("name, match", [
    (None, r"say which set: SET=<one of 01-continuous, 02-discrete"),
    ("", r"say which set"),
    ("02", r"SET must be one of 01-continuous, .*, got '02'"),
])
def test_a_set_that_is_not_the_courses_is_refused(name, match):
    from coursekit.paths import current

    with pytest.raises(CourseError, match=match):
        check_set(current(), name)


@pytest.mark.parametrize("setting", ["mysql://x", "postgresql://u:p@h:5432/db", "sqlite:///x.db"])
def test_a_database_setting_that_is_not_one_of_the_two_is_refused(setting, tmp_path):
    with pytest.raises(CourseError, match=rf"CONVBOOK_DATABASE must be empty or 'sqlite' .*got '{setting}'"):
        database_urls(setting, tmp_path, Course(tmp_path))


def test_a_role_that_is_not_one_of_the_configurations_is_refused(tmp_path):
    with pytest.raises(CourseError, match=r"role must be one of \('student', 'instructor', 'hub-student'\), got 'ta'"):
        lab.jupyter_config(tmp_path, "ta")


def test_a_hub_student_gets_the_assignments_tab_and_no_instructor_tool(tmp_path):
    import json

    d = lab.jupyter_config(tmp_path / "hub-student", "hub-student")
    server = json.loads((d / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    disabled = json.loads((d / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert server["nbgrader.server_extensions.assignment_list"] is True
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.course_list"] is False
    assert disabled["@jupyter/nbgrader:assignment-list"] is False and disabled["@jupyter/nbgrader:menu"] is False
    assert disabled["@jupyter/nbgrader:formgrader"] is True and disabled["@jupyter/nbgrader:create-assignment"] is True
    assert not (d / "nbgrader_config.py").exists()  # the hub writes its own (the exchange, the auth plugin)


@pytest.mark.slow
def test_a_roster_student_without_a_submission_is_missing_not_zero(tmp_path):
    code, words = ANSWERS["ann"]  # test_manual_grades' tiny set: 3 points autograded, a written answer of 3
    ag, env = tiny_course(tmp_path, MASTER, {"ann": {"double-answer": code, "why-written": words}})
    roster = _roster(tmp_path, HEADER + "prof,instructor,,,\nann,student,,,\nzed,student,,,\n")
    env = {**env, "CONVBOOK_ROSTER": str(roster)}
    result = subprocess.run(coursekit(ag, "grade", "--jobs", "1"), cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with (ag / "grades.csv").open(newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == ["ann", "zed"], rows  # the instructor is not a student
    assert rows["ann"]["demo/status"] == "graded" and float(rows["ann"]["total"]) == 3.0, rows["ann"]
    assert rows["zed"]["demo/status"] == "missing" and rows["zed"]["demo/total"] == "" and rows["zed"]["total"] == ""
    report = (ag / "report.html").read_text()
    assert "<h2>Missing submissions</h2>" in report and "<td>zed</td><td>demo</td>" in report, report[-3000:]
