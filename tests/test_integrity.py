"""Integrity of the records, through the real pipeline: ``coursekit grade`` (nbgrader, the sandbox, the re-check).

A tiny set is graded for a class of three: an honest solution, an answer that
is right on the re-check's inputs but not on every test (partial credit), and a
cheat that turns the set-up's checker into a no-op, which earns partial credit
in nbgrader's kernel.  Then the test plays an attacker who got out of the
sandbox and rewrites gradebook rows with ``sqlite3``; the check of the records
must name each changed row.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
import subprocess

import pytest

from conftest import MYST_HEADER, coursekit, tiny_course
from coursekit import findings, integrity, paths, report

pytestmark = [pytest.mark.slow]

MASTER = MYST_HEADER + """\

# A tiny set

```{code-cell} ipython3
---
nbgrader:
  grade_id: setup
  locked: true
---
from convbook.grading import check_equal
```

```{code-cell} ipython3
---
nbgrader:
  grade_id: double-answer
  solution: true
---
def double(x):
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION
```

```{code-cell} ipython3
---
nbgrader:
  grade_id: double-test-small
  grade: true
  points: 1
---
check_equal(double(1), 2, name="double(1)")
### BEGIN HIDDEN TESTS
check_equal(double(5), 10, name="double(5)")
### END HIDDEN TESTS
```

```{code-cell} ipython3
---
nbgrader:
  grade_id: double-test-big
  grade: true
  points: 2
---
assert double(10**6) == 2 * 10**6, "double(10**6)"
### BEGIN HIDDEN TESTS
assert double(-3) == -6, "double(-3)"
### END HIDDEN TESTS
```

```{code-cell} ipython3
---
recheck:
  exercise: double
  function: double
---
import numpy as np

_rng = np.random.default_rng(5)
CASES = [(int(v),) for v in _rng.integers(-100, 100, 5)]


def reference(x):
    return 2 * x


def same(got, expected):
    return type(got) is int and got == expected
```
"""

ANSWERS = {
    "honest": "def double(x):\n    return 2 * x\n",
    "partial": "def double(x):\n    return 2 * x if abs(x) < 1000 else 0\n",
    "cheat": "check_equal = lambda *args, **kwargs: None\n\ndef double(x):\n    return 1\n",  # odd, so never 2x
}


def graded_class(top):
    """The class of ``ANSWERS`` on ``MASTER``, graded once by ``coursekit grade``: ``(ag, env, result)``."""
    ag, env = tiny_course(top, MASTER, {student: {"double-answer": answer} for student, answer in ANSWERS.items()})
    result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return ag, env, result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    ag, env, result = graded_class(tmp_path_factory.mktemp("records"))
    return dict(ag=ag, result=result, integrity=json.loads((ag / "integrity.json").read_text()),
                db=f"sqlite:///{ag / 'gradebook.db'}", subs=[(s, "demo") for s in sorted(ANSWERS)])


def _scores(graded) -> dict:
    return report.scores_from_gradebook(graded["db"], graded["subs"])


def test_the_graded_class_has_clean_records(graded):
    assert graded["integrity"]["records"] == [], graded["integrity"]["records"]
    assert integrity.check_records(paths.Course(graded["ag"]), graded["db"], graded["subs"]) == []
    assert "0 gradebook record(s) that do not match" in graded["result"].stdout
    scores = _scores(graded)
    assert scores[("honest", "demo")]["double"] == (3.0, 3.0)
    assert scores[("partial", "demo")]["double"] == (1.0, 3.0)
    assert scores[("cheat", "demo")]["double"] == (1.0, 3.0), "the no-op checker fools the kernel's first test"


def test_every_disagreement_is_reported_at_any_credit_level(graded):
    rows = {(d["student"], d["exercise"]): d for d in graded["integrity"]["disagreements"]}
    assert set(rows) == {("partial", "double"), ("cheat", "double")}, rows
    assert rows[("cheat", "double")]["kind"] == "credit", "partial credit in the kernel, wrong outside it"
    assert rows[("cheat", "double")]["recheck"].startswith("fails: case 0: expected"), rows
    assert rows[("partial", "double")]["kind"] == "partial", "right on the re-check, not on every test"
    html = (graded["ag"] / "report.html").read_text()
    assert "More points in the kernel than the hidden cases confirm" in html


def test_the_formgrader_sees_the_findings(graded):
    """Where the instructor grades: the notebooks with a finding are flagged in the gradebook, and the answer
    cell's automatic comment (which the formgrader shows beside it) says what was found; the honest one is not."""
    from nbgrader.api import Gradebook

    with Gradebook(graded["db"]) as gb:
        nbs = {s: gb.find_submission_notebook("demo", "demo", s) for s in ANSWERS}
        flagged = {s: nb.flagged for s, nb in nbs.items()}
        comments = {s: {c.name: c.auto_comment or "" for c in nb.comments} for s, nb in nbs.items()}
    assert flagged == {"honest": False, "partial": True, "cheat": True}, flagged
    cheat = comments["cheat"]["double-answer"]
    assert findings.MARK in cheat and "re-check (credit): fails: case 0: expected" in cheat, cheat
    assert "audit, line " in cheat, cheat
    assert "re-check (partial)" in comments["partial"]["double-answer"], comments["partial"]
    assert not any(findings.MARK in c for c in comments["honest"].values()), comments["honest"]


def test_the_score_of_record_is_capped_by_the_recheck(graded):
    """grades.csv counts only what the trusted re-check confirms: the cheat's kernel point does not count."""
    with (graded["ag"] / "grades.csv").open() as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    cheat = {d["student"]: d for d in graded["integrity"]["disagreements"] if d["exercise"] == "double"}["cheat"]
    assert cheat["nbgrader"] == "1.0/3.0" and cheat["of_record"] == "0.0/3.0", cheat
    assert float(rows["cheat"]["demo/double"]) == 0.0, rows["cheat"]
    assert float(rows["honest"]["demo/double"]) == 3.0 and float(rows["partial"]["demo/double"]) == 1.0, rows


def test_the_grading_seed_is_made_once_outside_the_sandbox(graded):
    seed = graded["ag"] / ".grading-seed"
    assert seed.exists() and stat.S_IMODE(seed.stat().st_mode) == 0o600
    assert len(seed.read_text().strip()) == 64


def _sql(ag, *statements) -> list[int]:
    """Run SQL statements on the gradebook, as an attacker with the file would; their row counts."""
    db = sqlite3.connect(ag / "gradebook.db")
    try:
        counts = [db.execute(sql).rowcount for sql in statements]
        db.commit()
        return counts
    finally:
        db.close()


def _student_grade(student: str, cell: str) -> str:
    """The SQL condition that picks one student's row of one grade cell (as an attacker would write it)."""
    return (f"cell_id IN (SELECT id FROM base_cell WHERE name = '{cell}') AND notebook_id IN (SELECT sn.id FROM "
            f"submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            f"WHERE sa.student_id = '{student}')")


def test_a_gradebook_row_changed_after_grading_is_reported(graded, tmp_path):
    ag, course = graded["ag"], paths.Course(graded["ag"])
    # the attacker who got out: full marks, quietly
    assert _sql(ag, f"UPDATE grade SET auto_score = 2.0 WHERE {_student_grade('partial', 'double-test-big')}",
                f"UPDATE grade SET manual_score = 2.0 WHERE {_student_grade('cheat', 'double-test-big')}") == [1, 1]
    try:
        records = integrity.check_records(course, graded["db"], graded["subs"])
        assert records == [
            dict(student="cheat", assignment="demo", notebook="demo", cell="double-test-big",
                 problem=integrity.OVERRIDDEN,
                 detail="manual score 2, extra credit none; the autograder gave 0"),
            dict(student="partial", assignment="demo", notebook="demo", cell="double-test-big",
                 problem=integrity.TAMPERED, detail="2 in the gradebook, 0 from the graded notebook's outputs"),
        ], records
        assert _scores(graded)[("partial", "demo")]["double"] == (3.0, 3.0), "the check reports, it changes nothing"
        out = tmp_path / "report"
        out.mkdir()
        report.write_all(out, graded["db"], graded["subs"], {}, [], {}, records=records)
        html = (out / "report.html").read_text()
        assert "gradebook tampered or out of date" in html and "double-test-big" in html
        assert json.loads((out / "integrity.json").read_text())["records"] == records
    finally:
        _sql(ag, f"UPDATE grade SET auto_score = 0.0 WHERE {_student_grade('partial', 'double-test-big')}",
             f"UPDATE grade SET manual_score = NULL WHERE {_student_grade('cheat', 'double-test-big')}")


def test_a_changed_maximum_is_reported(graded):
    ag = graded["ag"]
    _sql(ag, "UPDATE grade_cells SET max_score = 1.0 WHERE id IN (SELECT id FROM base_cell "
             "WHERE name = 'double-test-big')")
    try:
        records = integrity.check_records(paths.Course(ag), graded["db"], graded["subs"])
        assert {(r["student"], r["cell"], r["detail"]) for r in records} == {
            (s, "double-test-big", "out of 1 in the gradebook, 2 in the release") for s in ANSWERS}
    finally:
        _sql(ag, "UPDATE grade_cells SET max_score = 2.0 WHERE id IN (SELECT id FROM base_cell "
                 "WHERE name = 'double-test-big')")


def test_disagreement_kinds():
    scores = {("a", "s"): {"e1": (3.0, 3.0), "e2": (1.0, 3.0), "e3": (0.0, 3.0), "e4": (2.0, 3.0), "e5": (None, 2.0)}}
    verdicts = {("a", "s"): {ex: {"ok": ok, "detail": "d", "passed": passed, "cases": 4} for ex, ok, passed in
                             [("e1", False, 3), ("e2", False, 0), ("e3", False, 0), ("e4", True, 4), ("e5", False, 0),
                              ("e6", False, 2)]}}
    scores[("a", "s")]["e6"] = (1.5, 3.0)  # half the hidden cases agree, half the points: no disagreement
    kinds = {d["exercise"]: d["kind"] for d in report.disagreements(scores, verdicts)}
    assert kinds == {"e1": "suspicious", "e2": "credit", "e4": "partial"}  # e3, e6 agree; e5 waits for a human
    record = report.scores_of_record(scores, verdicts)[("a", "s")]
    assert record == {"e1": (2.25, 3.0), "e2": (0.0, 3.0), "e3": (0.0, 3.0), "e4": (2.0, 3.0), "e5": (None, 2.0),
                      "e6": (1.5, 3.0)}
