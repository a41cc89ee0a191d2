"""The autograder end to end: real masters, real nbgrader CLI, real kernels.

For every assignment the pipeline is run in a scratch copy of ``autograder/``
(so the instructor's gradebook is never touched) on a class of synthetic
students: the solution, the untouched release, a wrong answer, an infinite
loop, a warning, a dead kernel, a missing notebook, a file that tries to
shadow ``convbook``, and a student who deleted a test cell.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, coursekit
from leaks import secret_lines  # tests/leaks.py

from coursekit import masters, paths, report

pytestmark = [pytest.mark.slow]

# CONVBOOK_TEST_ASSIGNMENTS=01-continuous,... narrows a run while one set is being written.
ASSIGNMENTS = [a for a in masters.assignments(paths.current())
               if a in os.environ.get("CONVBOOK_TEST_ASSIGNMENTS", a).split(",")]
CELL_CPU = 15  # CPU seconds; an infinite loop costs this per test cell that calls it
CHEATS = {p.stem: importlib.import_module(f"cheats.{p.stem}")
          for p in sorted((ROOT / "tests" / "cheats").glob("*.py")) if p.stem != "__init__"}


def _marker_indent(src: str) -> str:
    m = re.search(r"^([ \t]*)### BEGIN SOLUTION", src, flags=re.M)
    return m.group(1) if m else ""


def _strip_markers(src: str) -> str:
    return "\n".join(l for l in src.splitlines() if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def _replace_solution(src: str, body: str) -> str:
    indent = _marker_indent(src)
    lines = [indent + l for l in body.splitlines()]
    return re.sub(r"^[ \t]*### BEGIN SOLUTION.*?### END SOLUTION[^\n]*", "\n".join(lines),
                  src, count=1, flags=re.S | re.M)


def _student_notebook(release_nb, master_nb, change_first_answer=None, drop_first_tests=False):
    """The release notebook with answers filled in from the master, as a student would submit it."""
    nb = nbformat.from_dict(release_nb)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in master_nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    first_code = next(c.metadata["nbgrader"]["grade_id"] for c in master_nb.cells
                      if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution"))
    keep = []
    dropping = False
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution"):
            dropping = drop_first_tests and gid == first_code
            if gid == first_code and change_first_answer is not None:
                cell.source = change_first_answer(answers[gid])
            else:
                cell.source = _strip_markers(answers[gid])
        elif meta.get("grade") and dropping:
            continue  # the student deleted this test cell
        else:
            dropping = False if not meta.get("grade") and meta else dropping
        keep.append(cell)
    nb.cells = keep
    return nb


def _before_solution(code: str):
    """A change of the first answer: ``code`` runs first, inside the answer's body, then the solution."""
    return lambda src: _replace_solution(src, code + "\n" + "\n".join(
        l[len(_marker_indent(src)):] for l in re.search(
            r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", src, flags=re.S).group(1).splitlines()))


STUDENTS = {
    "solution": dict(),
    "wrong": dict(change_first_answer=lambda src: 'raise NotImplementedError()'),
    "loop": dict(change_first_answer=lambda src: _replace_solution(src, "while True:\n    pass")),
    "warns": dict(change_first_answer=_before_solution(
        "import warnings\nwarnings.warn(\"a student's warning\", RuntimeWarning)")),
    "logs": dict(change_first_answer=_before_solution(
        "import logging, sys\nlogging.warning(\"a student's log line\")\nprint(\"debugging\", file=sys.stderr)")),
    "dead": dict(change_first_answer=lambda src: _strip_markers(src) + "\nimport os\nos._exit(1)\n"),
    "deleted-tests": dict(change_first_answer=lambda src: 'raise NotImplementedError()', drop_first_tests=True),
    "shadow": dict(),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the real pipeline once on the synthetic class; return what it produced."""
    top = tmp_path_factory.mktemp("course")
    ag = paths.scratch_course(top, ASSIGNMENTS)
    env = dict(os.environ, CONVBOOK_CELL_CPU=str(CELL_CPU), CONVBOOK_RECHECK_SECONDS="15")
    subprocess.run(coursekit(ag, "release"), cwd=top, env=env, check=True, capture_output=True, text=True)

    for a in ASSIGNMENTS:
        release_nb = nbformat.read(ag / "release" / a / f"{a}.ipynb", as_version=4)
        master_nb = nbformat.read(ag / "source" / a / f"{a}.ipynb", as_version=4)
        for student, how in STUDENTS.items():
            d = ag / "submitted" / student / a
            d.mkdir(parents=True)
            nbformat.write(_student_notebook(release_nb, master_nb, **how), d / f"{a}.ipynb")
        d = ag / "submitted" / "release" / a
        d.mkdir(parents=True)
        shutil.copy2(ag / "release" / a / f"{a}.ipynb", d / f"{a}.ipynb")
        (ag / "submitted" / "missing" / a).mkdir(parents=True)
        shadow = ag / "submitted" / "shadow" / a
        (shadow / "convbook.py").write_text("raise SystemExit('a shadowing convbook.py was imported')\n")
        (shadow / "numpy").mkdir()
        (shadow / "numpy" / "__init__.py").write_text("raise SystemExit('a shadowing numpy was imported')\n")

    if "01-continuous" in ASSIGNMENTS:
        a = "01-continuous"
        release_nb = nbformat.read(ag / "release" / a / f"{a}.ipynb", as_version=4)
        master_nb = nbformat.read(ag / "source" / a / f"{a}.ipynb", as_version=4)
        for name, cheat in CHEATS.items():
            nb = _student_notebook(release_nb, master_nb)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == cheat.CELL:
                    cell.source = cheat.SOURCE.strip() + "\n"
            d = ag / "submitted" / f"cheat-{name}" / a
            d.mkdir(parents=True)
            nbformat.write(nb, d / f"{a}.ipynb")

    t0 = time.perf_counter()
    result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    n_subs = len(ASSIGNMENTS) * (len(STUDENTS) + 2) + len(CHEATS)
    print(f"\nmake grade: {n_subs} submissions in {elapsed:.1f} s ({elapsed / n_subs:.1f} s each)")

    from nbgrader.api import Gradebook
    scores = {}
    with Gradebook(f"sqlite:///{ag / 'gradebook.db'}") as gb:
        for a in ASSIGNMENTS:
            for student in [*STUDENTS, "release", *(f"cheat-{c}" for c in CHEATS)]:
                try:
                    sub = gb.find_submission(a, student)
                except Exception:
                    continue
                nb = sub.notebooks[0]
                scores[(a, student)] = {g.name: (g.auto_score, g.max_score, g.cell.cell_type)
                                        for g in nb.grades}
    integrity = json.loads((ag / "integrity.json").read_text()) if (ag / "integrity.json").exists() else {}
    return dict(top=top, ag=ag, result=result, scores=scores, integrity=integrity)


def _autograded_max(cells):
    return sum(m for (_, m, kind) in cells.values() if kind == "code")


def _auto_total(cells):
    return sum((s or 0) for (s, _, kind) in cells.values() if kind == "code")


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_master_passes_nbgrader_validate(a, graded):
    out = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate",
                          str(graded["ag"] / "source" / a / f"{a}.ipynb")],
                         capture_output=True, text=True, cwd=graded["top"])
    assert "Success! Your notebook passes all the tests." in out.stdout, out.stdout[-3000:]


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_solution_scores_full_marks(a, graded):
    cells = graded["scores"][(a, "solution")]
    failed = {k: v for k, v in cells.items() if v[2] == "code" and v[0] != v[1]}
    assert not failed, f"solution lost points in {failed}"
    assert _autograded_max(cells) > 0


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_scores_zero_on_every_autograded_test(a, graded):
    cells = graded["scores"][(a, "release")]
    scored = {k: v for k, v in cells.items() if v[2] == "code" and v[0]}
    assert not scored, f"the unmodified release earned points in {scored}"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_wrong_answer_scores_partial_credit(a, graded):
    cells = graded["scores"][(a, "wrong")]
    total, best = _auto_total(cells), _autograded_max(cells)
    assert 0 < total < best, f"wrong answer scored {total} of {best}"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_infinite_loop_costs_one_exercise_not_the_rest(a, graded):
    loop = graded["scores"][(a, "loop")]
    wrong = graded["scores"][(a, "wrong")]
    assert _auto_total(loop) == _auto_total(wrong) > 0


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_a_warning_does_not_cost_points(a, graded):
    assert _auto_total(graded["scores"][(a, "warns")]) == _autograded_max(graded["scores"][(a, "solution")])


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_logging_and_stderr_do_not_cost_points(a, graded):
    assert _auto_total(graded["scores"][(a, "logs")]) == _autograded_max(graded["scores"][(a, "solution")])
    nb = nbformat.read(graded["ag"] / "autograded" / "logs" / a / f"{a}.ipynb", as_version=4)
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.get("output_type") == "stream"]
    assert any("a student's log line" in t for t in texts), "the log line is kept for the feedback"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_deleted_test_cells_are_restored_and_graded(a, graded):
    deleted = graded["scores"][(a, "deleted-tests")]
    wrong = graded["scores"][(a, "wrong")]
    assert set(deleted) == set(wrong)
    assert _auto_total(deleted) == _auto_total(wrong)


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_submitted_files_cannot_shadow_packages(a, graded):
    cells = graded["scores"][(a, "shadow")]
    assert _auto_total(cells) == _autograded_max(cells)
    assert not (graded["ag"] / "autograded" / "shadow" / a / "convbook.py").exists()
    assert not (graded["ag"] / "autograded" / "shadow" / a / "numpy").exists()


def test_ungradable_submissions_are_named_and_fail_the_run(graded):
    result = graded["result"]
    out = result.stdout + result.stderr
    assert result.returncode != 0, out[-3000:]
    for a in ASSIGNMENTS:
        assert re.search(rf"dead/{a}: NOT GRADED: .*kernel died", out), out[-3000:]
        assert re.search(rf"missing/{a}: NOT GRADED: missing notebook {a}.ipynb", out), out[-3000:]
        assert re.search(rf"solution/{a}: graded", out)
    assert "These submissions could not be graded (they are NOT zeros; look at them):" in out


def test_grades_csv_has_a_row_per_student_and_a_column_per_exercise(graded):
    with (graded["ag"] / "grades.csv").open(newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    for a in ASSIGNMENTS:
        sol = graded["scores"][(a, "solution")]
        assert float(rows["solution"][f"{a}/total"]) == _autograded_max(sol)
        assert rows["solution"][f"{a}/status"] == "graded"
        assert float(rows["release"][f"{a}/total"]) == 0
        exercises = {report_exercise(g) for g in sol}
        for ex in exercises:
            assert f"{a}/{ex}" in rows["solution"], f"no column for {a}/{ex}"
        dead = rows["dead"]
        assert dead[f"{a}/status"].startswith("NOT GRADED") and dead[f"{a}/total"] == "", "a dead kernel is not a 0"
    assert float(rows["solution"]["total"]) == sum(_autograded_max(graded["scores"][(a, "solution")])
                                                   for a in ASSIGNMENTS)


def report_exercise(grade_id):
    return report.exercise_of(grade_id)


def test_report_html_is_offline_and_complete(graded):
    text = (graded["ag"] / "report.html").read_text()
    for heading in ("Score distribution per exercise", "Hardest exercises", "Submissions that could not be graded",
                    "Flagged by the integrity audit", "Re-check disagreements"):
        assert heading in text
    assert "://" not in text.replace("data:image/png;base64,", ""), "the report links to another host"
    assert 'alt="' in text
    for a in ASSIGNMENTS:
        for s in secret_lines(ROOT / "autograder" / "source" / a / f"{a}.md", ("HIDDEN TESTS",)):
            assert s not in text


def _flags(graded, student):
    return [f for f in graded["integrity"]["flags"] if f["student"] == student]


def test_honest_submissions_are_not_flagged(graded):
    # these students are built from the master's solutions, so "matches the instructor's solution" is right
    # for them (the similarity check is tested on its own in test_audit.py); nothing else may be flagged
    from coursekit.audit import MASTER_MATCH
    for student in ("solution", "wrong", "release", "warns", "logs", "loop", "deleted-tests"):
        others = [f for f in _flags(graded, student) if f["reason"] != MASTER_MATCH]
        assert not others, others
    assert any(f["reason"] == MASTER_MATCH for f in _flags(graded, "solution")), "a copy of the master is noticed"
    suspicious = {d["student"] for d in graded["integrity"]["disagreements"] if d["kind"] == "suspicious"}
    assert not suspicious & {"solution", "wrong", "release", "warns", "logs", "deleted-tests"}, \
        graded["integrity"]["disagreements"]
    everything = {d["student"] for d in graded["integrity"]["disagreements"]}
    assert not everything & {"solution", "release"}, graded["integrity"]["disagreements"]


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_each_cheat_is_caught(name, graded):
    if "01-continuous" not in ASSIGNMENTS:
        pytest.fail("the cheat corpus targets 01-continuous")
    cheat, student = CHEATS[name], f"cheat-{name}"
    if cheat.FOOLS:  # the cheat really works on nbgrader's in-kernel tests ...
        cells = graded["scores"][("01-continuous", student)]
        got = sum(v[0] or 0 for k, v in cells.items() if k.startswith(cheat.FOOLS + "-test"))
        best = sum(v[1] for k, v in cells.items() if k.startswith(cheat.FOOLS + "-test"))
        assert got == best > 0, f"{name} was supposed to fool nbgrader on {cheat.FOOLS}"
    if "audit" in cheat.CAUGHT_BY:  # ... and the audit names it
        reasons = [f["reason"] for f in _flags(graded, student)]
        assert cheat.CAUGHT_BY["audit"] in reasons, reasons
    if "recheck" in cheat.CAUGHT_BY:  # ... and the re-check disagrees with nbgrader
        ex = [d["exercise"] for d in graded["integrity"]["disagreements"]
              if d["student"] == student and d["kind"] == "suspicious"]
        assert cheat.CAUGHT_BY["recheck"] in ex, graded["integrity"]["disagreements"]
    if "feedback" in cheat.CAUGHT_BY:  # ... and what it printed is not in its feedback
        page = graded["ag"] / "feedback" / student / "01-continuous" / "01-continuous.html"
        assert cheat.CAUGHT_BY["feedback"] in page.read_text(), page
    if "not graded" in cheat.CAUGHT_BY:
        why = [n["why"] for n in graded["integrity"]["not_graded"] if n["student"] == student]
        assert why and cheat.CAUGHT_BY["not graded"] in why[0], why


def test_shadowing_files_are_flagged(graded):
    reasons = {(f["cell"], f["reason"]) for f in _flags(graded, "shadow")}
    assert ("convbook.py", "a file that is not part of the assignment") in reasons


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_feedback_exists_and_leaks_no_solution_or_hidden_test(a, graded):
    master = ROOT / "autograder" / "source" / a / f"{a}.md"
    hidden, solutions = secret_lines(master, ("HIDDEN TESTS",)), secret_lines(master, ("SOLUTION",))
    assert hidden and solutions, "the master should have solution and hidden-test lines"
    feedback = sorted((graded["ag"] / "feedback").glob(f"*/{a}/*.html"))
    students = {p.parent.parent.name for p in feedback}
    assert {"solution", "wrong", "release", "loop"} <= students
    for page in feedback:
        text = page.read_text()
        # a student's own answers are theirs to see; hidden tests never, model answers only if they wrote them
        leaked = [s for s in hidden if s in text]
        if page.parent.parent.name == "release":
            leaked += [s for s in solutions if s in text]
        assert not leaked, f"{page} shows {leaked[:3]}"
        assert "HIDDEN TESTS" not in text and "Traceback (most recent call last)" not in text
        if not page.parent.parent.name.startswith("cheat-"):
            assert "output withheld" not in text, f"{page}: an honest output was withheld"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_leaks_no_solution_or_hidden_test(a, graded, root):
    secrets = secret_lines(root / "autograder" / "source" / a / f"{a}.md")
    for folder in (graded["ag"] / "release" / a, root / "autograder" / "release" / a):
        if not folder.exists():
            continue
        for f in folder.rglob("*"):
            if f.is_file():
                text = f.read_text(errors="replace")
                leaked = [s for s in secrets if s in text]
                assert not leaked, f"{f} contains {leaked[:3]}"
        assert not list(folder.rglob("*.md")), "a master (.md) reached the release"
