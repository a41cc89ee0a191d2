"""The formgrader, in Debian's Chromium, keeps the hand grades (issue 13).

A tiny course (``test_manual_grades``' MASTER: one autograded exercise, one
written answer of 3 points) is graded by ``coursekit grade``.  The instructor
lab is started on it; in Chromium, the formgrader's submissions list shows the
notebooks coursekit flagged, and on ann's formgrade page the instructor types
2 for the written answer.  ``coursekit grade`` again: the 2 counts, as
``manual``.  ann resubmits a changed answer, ``coursekit grade``: it is "to
review (old score 2)", still counted, and the formgrade page shows coursekit's
comment on that cell.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT, chromium_path, coursekit, tiny_course
from coursekit.config import venv_env
from test_jupyterlab import CHROMIUM_ARGS, LOAD_MS, ScratchCourse, start_lab, stop_lab
from test_manual_grades import ANSWERS, MASTER

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = ROOT / "_build" / "test-screenshots" / "formgrader"
SAVE_MS = 60_000


def _rows(ag: Path) -> dict:
    with (ag / "grades.csv").open(newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _gradebook(ag: Path):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{ag / 'gradebook.db'}")


@pytest.fixture(scope="module")
def fg(tmp_path_factory):
    assert chromium_path() is not None, "chromium is not installed (`apt-get install chromium`)"
    top = tmp_path_factory.mktemp("formgrader")
    ag, env = tiny_course(top, MASTER, {student: {"double-answer": code, "why-written": words}
                                        for student, (code, words) in ANSWERS.items()})
    env = {**env, **venv_env(),
           "JUPYTER_CONFIG_DIR": str(top / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(top / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(top / "lab-workspaces"),
           "JUPYTER_RUNTIME_DIR": str(top / "jupyter-runtime"),
           "IPYTHONDIR": str(top / "ipython")}
    env.pop("CONVBOOK_GRADEBOOK_URL", None)
    env.pop("CONVBOOK_GRADING_SEED", None)
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)

    def grade():
        result = subprocess.run(coursekit(ag, "grade", "--jobs", "2"), cwd=top, env=env, capture_output=True,
                                text=True)
        assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
        return _rows(ag)

    out = {"first": grade()}
    with _gradebook(ag) as gb:
        out["flagged"] = {s: gb.find_submission_notebook("demo", "demo", s).flagged for s in ANSWERS}
        out["sub_id"] = {s: gb.find_submission_notebook("demo", "demo", s).id for s in ANSWERS}
        out["grade_id"] = gb.find_grade("why-written", "demo", "demo", "ann").id

    proc, server = start_lab(ScratchCourse(ag, env), top / "jupyter-lab-instructor.log", "--role", "instructor",
                             startup_s=1800)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(LOAD_MS)
        page = context.new_page()
        try:
            page.goto(f"{server.url}/lab?token={server.token}", timeout=LOAD_MS)  # sets the login cookie
            page.goto(f"{server.url}/formgrader/gradebook/demo/demo", timeout=LOAD_MS)
            page.locator("td.flagged").first.wait_for(state="attached")
            page.wait_for_load_state("networkidle")
            out["flag_icons"] = {}
            for student in ANSWERS:  # the list hides the names: a row is found by its link to the submission
                row = page.locator(f"tr:has(a[href*='/submissions/{out['sub_id'][student]}'])")
                expect(row).to_have_count(1)
                out["flag_icons"][student] = row.locator(".glyphicon-flag").count()
            page.screenshot(path=str(SHOTS / "submissions.png"))

            page.goto(f"{server.url}/formgrader/submissions/{out['sub_id']['ann']}/", timeout=LOAD_MS)
            score = page.locator("input.score#why-written")
            score.wait_for()
            page.wait_for_load_state("networkidle")
            with page.expect_response(lambda r: f"/formgrader/api/grade/{out['grade_id']}" in r.url
                                      and r.request.method == "PUT", timeout=SAVE_MS) as saved:
                score.fill("2")
                score.press("Tab")  # the change event saves it through the formgrader's API
            assert saved.value.ok, saved.value.status
            page.screenshot(path=str(SHOTS / "formgrade-ann.png"))
            with _gradebook(ag) as gb:
                g = gb.find_grade("why-written", "demo", "demo", "ann")
                out["saved"] = (g.manual_score, g.needs_manual_grade)

            out["second"] = grade()
            nb_path = ag / "submitted" / "ann" / "demo" / "demo.ipynb"
            nb = nbformat.read(nb_path, as_version=4)
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "why-written")
            cell.source = "Because 2(x + y) = 2x + 2y: doubling distributes over sums."
            nbformat.write(nb, nb_path)
            out["resubmitted"] = grade()
            with _gradebook(ag) as gb:
                out["sub_id2"] = gb.find_submission_notebook("demo", "demo", "ann").id

            page.goto(f"{server.url}/formgrader/submissions/{out['sub_id2']}/", timeout=LOAD_MS)
            comment = page.locator("textarea.comment#why-written-comment")
            comment.wait_for()
            page.wait_for_load_state("networkidle")
            out["placeholder"] = comment.get_attribute("placeholder") or ""
            out["comment_value"] = comment.input_value()
            out["score_after"] = page.locator("input.score#why-written").input_value()
            comment.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "formgrade-ann-resubmitted.png"))
        finally:
            context.close()
            browser.close()
            stop_lab(proc, server)
    return out


def test_a_written_answer_waits_before_the_hand_grading(fg):
    assert "why-written=pending" in fg["first"]["ann"]["demo/sources"], fg["first"]["ann"]


def test_the_formgrader_shows_the_flagged_notebooks(fg):
    assert any(fg["flagged"].values()), fg["flagged"]
    for student, flagged in fg["flagged"].items():
        assert bool(fg["flag_icons"][student]) == bool(flagged), (student, fg["flagged"], fg["flag_icons"])


def test_a_grade_typed_in_the_formgrader_is_saved(fg):
    assert fg["saved"] == (2.0, False), fg["saved"]


def test_the_formgrader_grade_counts_after_a_regrade(fg):
    ann = fg["second"]["ann"]
    assert float(ann["demo/why-written"]) == 2.0, ann
    assert "why-written=manual" in ann["demo/sources"] and float(ann["demo/total"]) == 5.0, ann


def test_a_changed_answer_is_to_review_with_the_old_score_in_the_formgrader(fg):
    ann = fg["resubmitted"]["ann"]
    assert "why-written=to review (old score 2)" in ann["demo/sources"], ann
    assert float(ann["demo/why-written"]) == 2.0 and float(ann["demo/total"]) == 5.0, ann
    assert fg["score_after"] == "2", fg["score_after"]  # the old score is shown on the formgrade page
    shown = fg["placeholder"] + fg["comment_value"]
    assert "changed after you graded it 2" in shown, shown
