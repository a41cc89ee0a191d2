"""Grades given by hand are never lost (issue 13, "Grades are never lost").

A tiny set with one autograded exercise and one written answer is graded by
the real ``coursekit grade``.  Then, as nbgrader's formgrader does when an
instructor types a score (its API sets ``Grade.manual_score``), one written
answer is graded 2 of 3 and one autograded cell is overridden; ``coursekit
grade`` runs again, as the README tells the instructor to.  nbgrader then marks
both "needs manual grade" again, but keeps the scores, and so must the report:
``grades.csv`` counts them, says where each number came from (``auto``,
``manual``, ``override``) and agrees with nbgrader's own export.  The
instructor's override is not capped by the re-check.  A resubmission whose
written answer changed shows the old hand grade "to review (old score 2)",
still counted, across re-grades, until the instructor grades it again.
"""

from __future__ import annotations

import csv
import subprocess

import nbformat
import pytest

from conftest import MYST_HEADER, coursekit, tiny_course


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
```

```{code-cell} ipython3
---
nbgrader:
  grade_id: double-test-big
  grade: true
  points: 2
---
check_equal(double(10**6), 2 * 10**6, name="double(10**6)")
```

```{code-cell} ipython3
---
recheck:
  exercise: double
  function: double
---
CASES = [(3,), (-4,)]


def reference(x):
    return 2 * x


def same(got, expected):
    return type(got) is int and got == expected
```

Why is doubling linear?

+++ {"nbgrader": {"grade_id": "why-written", "solution": true, "grade": true, "points": 3}}

### BEGIN SOLUTION
Because 2(x + y) = 2x + 2y.
### END SOLUTION
"""

ANSWERS = {"ann": ("def double(x):\n    return 2 * x\n", "Because doubling distributes over sums."),
           "bob": ("def double(x):\n    return x + 1\n", "I do not know.")}


def _rows(ag) -> dict:
    with (ag / "grades.csv").open(newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    top = tmp_path_factory.mktemp("manual")
    ag, env = tiny_course(top, MASTER, {student: {"double-answer": code, "why-written": words}
                                        for student, (code, words) in ANSWERS.items()})

    def grade():
        result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True,
                                text=True)
        assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
        return _rows(ag)

    first = grade()
    # the instructor grades by hand, as the formgrader's API does it (nbgrader.server_extensions.formgrader)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{ag / 'gradebook.db'}") as gb:
        written = gb.find_grade("why-written", "demo", "demo", "ann")
        written.manual_score, written.needs_manual_grade = 2.0, False
        override = gb.find_grade("double-test-big", "demo", "demo", "bob")
        override.manual_score, override.needs_manual_grade = 2.0, False
        gb.db.commit()
    second = grade()
    with (ag / "nbgrader-export.csv").open(newline="") as fh:
        export = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh)}
    regraded = grade()  # a plain re-grade: nothing changed, nothing to review

    # ann resubmits with another written answer: the old hand grade is to review, and still counts
    path = ag / "submitted" / "ann" / "demo" / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "why-written")
    cell.source = "Because 2(x + y) = 2x + 2y: doubling distributes over sums."
    nbformat.write(nb, path)
    resubmitted = grade()
    still = grade()  # it stays to review across re-grades, until the instructor grades it again
    with Gradebook(f"sqlite:///{ag / 'gradebook.db'}") as gb:
        written = gb.find_grade("why-written", "demo", "demo", "ann")
        written.manual_score, written.needs_manual_grade = 3.0, False
        comment = gb.find_comment("why-written", "demo", "demo", "ann").auto_comment or ""
        gb.db.commit()
    report = subprocess.run(coursekit(ag, "report"), cwd=top, env=env, capture_output=True, text=True)
    assert report.returncode == 0, report.stdout + report.stderr
    reviewed, after = _rows(ag), grade()
    return dict(first=first, second=second, export=export, regraded=regraded, resubmitted=resubmitted,
                still=still, comment=comment, reviewed=reviewed, after=after)


def test_before_the_hand_grading_the_written_answers_wait(course):
    ann = course["first"]["ann"]
    assert ann["demo/why-written"] == "", "an ungraded written answer is pending, not 0"
    assert "why-written=pending" in ann["demo/sources"]
    assert float(ann["demo/double"]) == 3 and "double=auto" in ann["demo/sources"]


def test_a_manual_grade_counts_after_a_regrade(course):
    ann = course["second"]["ann"]
    assert float(ann["demo/why-written"]) == 2.0, ann
    assert float(ann["demo/total"]) == 5.0 and "why-written=manual" in ann["demo/sources"], ann


def test_an_override_counts_and_is_not_capped_by_the_recheck(course):
    bob = course["second"]["bob"]
    # double(1) = 2 by chance (1 + 1), so the small test passes; the big one is overridden to 2 of 2
    assert float(bob["demo/double"]) == 3.0, bob
    assert "double=auto+override" in bob["demo/sources"], bob
    assert "capped" not in bob["demo/sources"], bob


def test_the_report_agrees_with_nbgraders_export(course):
    for student, row in course["second"].items():
        assert float(row["demo/total"]) == course["export"][student], (student, row, course["export"])


def test_a_plain_regrade_leaves_nothing_to_review(course):
    assert "to review" not in course["regraded"]["ann"]["demo/sources"], course["regraded"]["ann"]


def test_a_changed_answer_shows_the_old_hand_grade_to_review(course):
    for run in ("resubmitted", "still"):
        ann = course[run]["ann"]
        assert "why-written=to review (old score 2)" in ann["demo/sources"], (run, ann)
        assert float(ann["demo/why-written"]) == 2.0 and float(ann["demo/total"]) == 5.0, (run, ann)
        assert "to review" not in course[run]["bob"]["demo/sources"], course[run]["bob"]
    assert "this answer changed after you graded it 2 by hand" in course["comment"], course["comment"]


def test_once_graded_again_it_is_manual_again(course):
    for run in ("reviewed", "after"):
        ann = course[run]["ann"]
        assert "why-written=manual" in ann["demo/sources"] and float(ann["demo/why-written"]) == 3.0, (run, ann)
