"""The student's path in JupyterLab, end to end, in a real headless Chromium.

A module-scoped JupyterLab 4 is started the way ``make lab`` starts it: by
``coursekit lab --port P`` on a scratch course (this course's config and
masters, the book's chapters) that has no release yet, so the command generates
every student version, fills the workspace and prints the URL the test then
uses, token included.  Chromium (Debian's package, driven by Playwright; no
browser is downloaded) then does what a student does:

1. loads JupyterLab: no console error, nbgrader's *Validate* button is in a
   notebook's toolbar, and no instructor tool (Formgrader, Create Assignment,
   the course and assignment lists, the Nbgrader menu) nor the news pop-up is
   anywhere;
2. for every exercise set: opens the notebook from the file browser, runs all
   cells (Run menu), then every remaining cell one by one (Shift+Enter, the path
   the notebook's "How to work" asks for); every test cell fails with
   ``NotImplementedError`` and with nothing else (the answer cells only define
   functions: the error shows where a test calls them), and what is saved says
   the same.  Then enters the course's own solution of the first exercise into
   its answer cell with the keyboard, runs it and its visible tests (they pass),
   and clicks *Validate* (the dialog reports the exercises still unanswered, and
   not the answered one);
3. clicks *Validate* on a correct answer that warns, logs and writes to stderr:
   Success, as grading gives it full marks (and, the control, a failure when the
   set-up does not call ``grade_like_the_grader``);
4. runs a lesson with a live explorer (ipywidgets): moving the slider with the
   keyboard redraws the picture;
5. opens every lesson and the glossary: no raw MyST (``{term}``, ``{doc}``,
   ``{eq}``, ``(eq-label)``, ``(label)=``...) in any rendered Markdown cell, and
   no formula MathJax cannot typeset.

Then a second ``coursekit lab`` with nothing changed generates nothing and
rewrites nothing (what it prints, the release stamp, the workspace manifest),
``--role instructor`` shows the instructor tools, and the workspace keeps a
student's changes while it brings untouched files up to date.

Screenshots of each step go to ``_build/test-screenshots/jupyterlab/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
import nbgrader
import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT, chromium_path, coursekit
from coursekit import masters, paths
from coursekit.config import venv_env
from coursekit import lessons
from coursekit.lab import STAMP
from coursekit.workspace import MANIFEST, prepare_workspace

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = ROOT / "_build" / "test-screenshots" / "jupyterlab"
COURSE = paths.current()
SETS = masters.assignments(COURSE)
EXPLORER_LESSON = ("01-continuous", "rolling-up")  # its widget cell calls convbook.widgets.rolling_up_explorer
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Generous timeouts (milliseconds): a loaded 2-core machine can take 20 s to start a kernel.
LOAD_MS = 120_000
KERNEL_MS = 120_000
RUN_MS = 180_000
VALIDATE_MS = 300_000

# JavaScript conditions (evaluated in the page).
KERNEL_IDLE_JS = """() => {
    const e = document.querySelector("#jp-main-statusbar span[title^='Change kernel for']");
    return e !== null && e.textContent.trim().endsWith('| Idle');
}"""
RUN_FINISHED_JS = """() => {
    const e = document.querySelector("#jp-main-statusbar span[title^='Change kernel for']");
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
    return e !== null && e.textContent.trim().endsWith('| Idle')
        && prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
        && !prompts.some(p => p.textContent.includes('*'));
}"""
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


# ----------------------------------------------------------------------------- the server

@dataclass
class Lab:
    url: str
    token: str
    workspace: Path
    log: Path
    output: str = ""  # what `coursekit lab` printed before it became JupyterLab

    def api(self, method: str, path: str):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """Shut down every kernel the browser started (closing a tab leaves its kernel running)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(proc: subprocess.Popen, server: Lab) -> bool:
    """True once the server answers; False if it exited first; fails after LOAD_MS."""
    deadline = time.monotonic() + LOAD_MS / 1000
    while proc.poll() is None:
        try:
            server.api("GET", "/api/status")
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"jupyter lab did not answer on {server.url} in {LOAD_MS // 1000} s:\n"
                            f"{server.log_tail()}")
            time.sleep(0.25)  # polling a socket that is not listening yet: there is nothing to wait on
    return False


@pytest.fixture(scope="module")
def shots(request) -> Path:
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    print(f"\nJupyterLab screenshots: {SHOTS}")
    yield SHOTS
    # Say where the screenshots are, past pytest's output capture (shown without -s; not under xdist).
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None:
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            reporter.write_line(f"\nJupyterLab screenshots: {SHOTS}")


@dataclass
class ScratchCourse:
    """A course in a temporary folder: this course's config and masters, the book's chapters, its own workspace."""

    dir: Path
    env: dict

    @property
    def workspace(self) -> Path:
        return self.dir.parent / "workspace"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> ScratchCourse:
    if chromium_path() is None:
        pytest.skip("BROWSER TESTS SKIPPED: chromium is not installed (`apt-get install chromium`); "
                    "the student's path in JupyterLab is NOT tested")
    tmp = tmp_path_factory.mktemp("jupyterlab")
    course_dir = paths.scratch_course(tmp, SETS)
    # A copy of the book's sources: what the lab is made from does not change while the tests run.
    shutil.copytree(ROOT / "chapters", tmp / "chapters",
                    ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__", "*.ipynb"))
    # A private configuration, settings and layout: nothing of ~/.jupyter leaks in, nothing persists.
    # (No settings are written here: the lab's own configuration must keep the news pop-up away.)
    env = {**venv_env(),
           "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "lab-workspaces"),
           "JUPYTER_RUNTIME_DIR": str(tmp / "jupyter-runtime"),
           "IPYTHONDIR": str(tmp / "ipython")}
    return ScratchCourse(course_dir, env)


def start_lab(scratch: ScratchCourse, log: Path, *args: str, startup_s: float = LOAD_MS / 1000):
    """``coursekit lab --port P ARGS`` as ``make lab`` runs it: (its process, the Lab at the URL it printed).

    The URL, with its token, is read from what the command prints once the
    server answers there; it must then answer at that URL.  ``startup_s`` bounds the wait for that line (the
    first start generates every student version: minutes on a loaded machine).
    """
    for attempt in range(3):  # a free port can be taken by another process before the server binds it
        port = _free_port()
        with open(log, "wb") as out:
            # its own process group: coursekit and the JupyterLab it runs are stopped together if need be
            proc = subprocess.Popen(coursekit(scratch.dir, "lab", "--port", str(port), *args), cwd=ROOT,
                                    env=scratch.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        deadline = time.monotonic() + startup_s
        url = None
        while url is None:
            text = log.read_text(errors="replace")
            found = re.search(r"open (http://\S+)/lab\?token=(\w+)", text)
            if found:
                url, token = found.groups()
            elif proc.poll() is not None or time.monotonic() > deadline:
                kill_lab(proc)
                if "in use" in text and attempt < 2:
                    break
                pytest.fail(f"`coursekit lab` printed no URL (exit {proc.returncode}):\n{text[-4000:]}")
            else:
                time.sleep(0.5)  # the command prints the URL once the release and the workspace are ready
        if url is None:
            continue
        assert url == f"http://127.0.0.1:{port}", f"asked for port {port}, printed {url}"
        output = text.split(f"open {url}")[0]
        server = Lab(url, token, scratch.workspace, log, output)
        if _wait_until_serving(proc, server):
            return proc, server
        if "already in use" not in server.log_tail() or attempt == 2:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}")
    pytest.fail("no free port for `coursekit lab` in three tries")


def kill_lab(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def stop_lab(proc: subprocess.Popen, server: Lab) -> None:
    """Stop it as a terminal would: SIGTERM to ``coursekit lab``, which passes it on to JupyterLab."""
    if proc.poll() is None:
        try:
            server.shutdown_sessions()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            kill_lab(proc)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything of that group still there (nothing, normally)


@pytest.fixture(scope="module")
def lab(scratch) -> Lab:
    """The student's lab, started by ``coursekit lab`` on a course that has no release yet."""
    proc, server = start_lab(scratch, scratch.dir.parent / "jupyter-lab.log", startup_s=1800)
    try:
        yield server
    finally:
        stop_lab(proc, server)


@pytest.fixture(scope="module")
def browser(lab):
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Console:
    """The console errors and uncaught exceptions of a page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.error: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))


@pytest.fixture
def page(browser, lab, shots, request):
    """A fresh tab on JupyterLab with a reset layout; its kernels are shut down afterwards.

    When the test fails, the page as it was is saved as ``FAILED-<test>.png``.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    p = context.new_page()
    p.console = Console(p)
    failed_before = request.session.testsfailed
    p.goto(f"{lab.url}/lab?reset&token={lab.token}", timeout=LOAD_MS)
    p.locator(".jp-DirListing-item").first.wait_for(timeout=LOAD_MS)
    yield p
    try:
        if request.session.testsfailed > failed_before:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            p.screenshot(path=str(SHOTS / f"FAILED-{name}.png"))
            print(f"screenshot of the failure: {SHOTS / f'FAILED-{name}.png'}\n"
                  f"console: {p.console.errors}\njupyter lab log:\n{lab.log_tail()}")
    finally:
        context.close()
        lab.shutdown_sessions()


# ----------------------------------------------------------------------------- what a student does

def open_notebook(page, *parts: str):
    """Open a notebook by double-clicking through the file browser; wait for its kernel to be idle."""
    for k, part in enumerate(parts):
        page.locator(".jp-DirListing-itemText").get_by_text(part, exact=True).dblclick()
        if k < len(parts) - 1:  # a folder: wait until the file browser shows it, not the folder we left
            page.locator(".jp-BreadCrumbs-item").get_by_text(part, exact=True).wait_for(timeout=LOAD_MS)
    panel = page.locator(".jp-NotebookPanel")
    panel.locator(".jp-Notebook").wait_for(timeout=LOAD_MS)
    page.wait_for_function(KERNEL_IDLE_JS, timeout=KERNEL_MS)
    return panel


def wait_all_cells_attached(page, n: int):
    """JupyterLab attaches off-screen cells lazily: wait until all ``n`` are in the page."""
    page.wait_for_function(f"document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length === {n}",
                           timeout=LOAD_MS)


def cell(page, i: int):
    return page.locator(f".jp-NotebookPanel .jp-Cell[data-windowed-list-index='{i}']")


def run_all_from_menu(page):
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(RUN_FINISHED_JS, timeout=RUN_MS)


def run_cells_one_by_one(page, indices: list[int], code: set[int]):
    """Select the first cell, then Shift+Enter on each, waiting for each code cell to finish.

    A code cell has finished when its prompt shows an execution count it did not show before.
    """
    cell(page, indices[0]).locator(".jp-InputPrompt").click()
    for i in indices:
        before = cell(page, i).locator(".jp-InputPrompt").text_content()
        # Ctrl+Enter on the notebook's last cell: Shift+Enter would append a new empty cell.
        page.keyboard.press("Control+Enter" if i == indices[-1] else "Shift+Enter")
        if i in code:
            page.wait_for_function(
                """([i, before]) => {
                    const p = document.querySelector(
                        `.jp-NotebookPanel .jp-Cell[data-windowed-list-index='${i}'] .jp-InputPrompt`);
                    return p !== null && /\\[\\d+\\]/.test(p.textContent) && p.textContent !== before;
                }""", arg=[i, before], timeout=RUN_MS)


def type_code(page, editor, code: str) -> str:
    """Click into a CodeMirror editor, select all and enter ``code`` line by line; return the editor's text.

    Enter is a real key press, so CodeMirror auto-indents the new line as it
    does for a person; Shift+Home then selects that indentation, and the line
    (with its own indentation) replaces it.  Each line's text is entered as one
    text input event (``keyboard.insert_text``, as an input method does): one
    key press per character costs 15 ms each on a loaded machine.
    """
    editor.click()
    page.keyboard.press("Control+a")
    for k, line in enumerate(code.split("\n")):
        if k:
            page.keyboard.press("Enter")
            page.keyboard.press("Shift+Home")
        if line:
            page.keyboard.insert_text(line)
    return "\n".join(editor.locator(".cm-line").all_text_contents())


def save(page, path: Path):
    before = path.stat().st_mtime_ns
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=RUN_MS)
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:  # the tab is clean once the server answered; the file is written
        assert time.monotonic() < deadline, f"{path} was not written by Ctrl+S"
        time.sleep(0.1)


def stderr_texts(locator) -> list[str]:
    """The tracebacks (and stderr streams) shown under a cell."""
    return locator.locator(STDERR).all_text_contents()


def shot(page, name: str, target=None):
    """A screenshot for a person to look at, with ``target`` scrolled into view and painted."""
    if target is not None:
        target.scroll_into_view_if_needed()
        expect(target).to_be_in_viewport(timeout=30_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=str(SHOTS / f"{name}.png"))


# ----------------------------------------------------------------------------- the notebooks

def is_test(c) -> bool:
    m = c.metadata.get("nbgrader", {})
    return c.cell_type == "code" and m.get("grade", False) and not m.get("solution", False)


def is_answer(c) -> bool:
    m = c.metadata.get("nbgrader", {})
    return c.cell_type == "code" and m.get("solution", False)


def solution_of(assignment: str, grade_id: str) -> str:
    """The course's own solution of an answer cell: the master's cell without the solution markers."""
    for c in jupytext.read(COURSE.master(assignment)).cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            lines = [ln for ln in c.source.splitlines() if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            return "\n".join(lines).rstrip("\n")
    raise AssertionError(f"no cell {grade_id!r} in the master of {assignment}")


def first_line(source: str) -> str:
    return source.strip().splitlines()[0]


# ----------------------------------------------------------------------------- the tests

INSTRUCTOR_TOOLS = ("Formgrader", "Create Assignment", "Course List", "Assignment List")


def test_student_lab_loads_clean_with_validate_and_no_instructor_tools_nor_news(page, lab):
    page.locator("#jp-main-statusbar").wait_for()
    panel = open_notebook(page, SETS[0], f"{SETS[0]}.ipynb")
    validate = panel.locator(".jp-NotebookPanel-toolbar .validate-button")
    validate.wait_for()
    assert validate.inner_text().strip() == "Validate"
    # ... and the server half of Validate answers, with the same version as the button.
    assert lab.api("GET", f"/nbgrader_version?version={nbgrader.__version__}") == {"success": True}
    # No instructor tool, in the menus, the side bars or the command palette, nor on the server.
    assert page.get_by_role("menuitem", name="Nbgrader", exact=True).count() == 0, "an Nbgrader menu"
    page.keyboard.press("Control+Shift+c")  # the command palette lists every command the lab has
    page.locator(".lm-CommandPalette-item").first.wait_for(state="attached")
    palette = page.evaluate("""() => [...document.querySelectorAll('.lm-CommandPalette-item')]
        .map(e => [e.dataset.command, e.textContent])""")  # every command, open or not
    assert len(palette) > 50, f"the command palette lists only {palette}"
    assert not [c for c in palette if c[0].startswith("nbgrader:")], [c for c in palette if "nbgrader" in c[0]]
    for tool in INSTRUCTOR_TOOLS:
        assert not [c for c in palette if tool.lower() in c[1].lower()], f"{tool!r} in the command palette"
        assert page.get_by_text(tool, exact=False).count() == 0, f"{tool!r} shown in the student's lab"
    for route in ("/formgrader", "/formgrader/api/assignments", "/courses"):
        with pytest.raises(urllib.error.HTTPError, match="404"):
            lab.api("GET", route)
    # No "would you like news?" pop-up (it comes once the layout is restored, before a notebook opens).
    assert page.get_by_text("official Jupyter news").count() == 0, "JupyterLab's news pop-up is shown"
    shot(page, "0-jupyterlab-loaded")
    # No error is ignored: JupyterLab 4.6 with these extensions logs none on a clean start.
    assert not page.console.errors, f"console errors while loading JupyterLab: {page.console.errors}"


@pytest.mark.parametrize("assignment", SETS)
def test_exercise_set_runs_fails_only_with_not_implemented_then_an_answer_passes(page, lab, assignment):
    path = lab.workspace / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    n = len(nb.cells)
    code = {i for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    tests = [i for i, c in enumerate(nb.cells) if is_test(c)]
    answers = [i for i, c in enumerate(nb.cells) if is_answer(c)]
    assert tests and answers, f"{assignment}: no test or answer cell"

    panel = open_notebook(page, assignment, f"{assignment}.ipynb")
    wait_all_cells_attached(page, n)
    shot(page, f"{assignment}-1-opened")

    # Run > Run All Cells stops at the first error (JupyterLab asks the kernel to stop on error):
    # the first test cell, with NotImplementedError.
    run_all_from_menu(page)
    failing = [i for i in range(n) if cell(page, i).locator(STDERR).count()]
    assert failing == [tests[0]], f"Run All: errors in cells {failing}, expected only the first test cell {tests[0]}"
    err = stderr_texts(cell(page, tests[0]))
    assert len(err) == 1 and "NotImplementedError" in err[0], err
    shot(page, f"{assignment}-2-run-all-stops-at-first-test", cell(page, tests[0]))

    # The rest, cell by cell, as the notebook's "How to work" says.
    run_cells_one_by_one(page, list(range(tests[0] + 1, n)), code)
    for i in sorted(code):
        prompt = cell(page, i).locator(".jp-InputPrompt").text_content()
        assert re.fullmatch(r"\[\d+\]:", prompt.strip()), f"cell {i} did not run: prompt {prompt!r}"
        err = stderr_texts(cell(page, i))
        if i in tests:
            assert len(err) == 1 and "NotImplementedError" in err[0].strip().splitlines()[-1], \
                f"test cell {i}: expected one NotImplementedError, got {err}"
        else:
            assert not err, f"cell {i} ({nb.cells[i].metadata.get('nbgrader', {}).get('grade_id')}) shows {err}"
    shot(page, f"{assignment}-3-every-cell-run", cell(page, tests[-1]))

    # What the browser shows is what is saved: every error of the notebook is a NotImplementedError.
    save(page, path)
    saved = nbformat.read(path, as_version=4)
    for i, c in enumerate(saved.cells):
        if c.cell_type != "code":
            continue
        assert c.execution_count is not None, f"cell {i} was not run"
        errors = [o.get("ename") for o in c.outputs if o.output_type == "error"]
        assert errors == (["NotImplementedError"] if i in tests else []), f"cell {i}: errors {errors}"

    # The first exercise: type the course's solution, run it and its visible tests.
    j = answers[0]
    grade_id = nb.cells[j].metadata["nbgrader"]["grade_id"]
    its_tests = []
    for k in range(j + 1, n):
        if not is_test(nb.cells[k]):
            break
        its_tests.append(k)
    assert its_tests, f"{assignment}: answer cell {grade_id!r} has no test cell right below it"
    solution = solution_of(assignment, grade_id)
    typed = type_code(page, cell(page, j).locator(".cm-content"), solution)
    assert typed == solution, f"the editor holds something else than what was typed:\n{typed}"
    shot(page, f"{assignment}-4-answer-typed", cell(page, j))
    run_cells_one_by_one(page, [j, *its_tests], code)
    for k in its_tests:
        err = stderr_texts(cell(page, k))
        assert not err, f"visible test cell {k} fails with the course's solution typed in:\n{err}"
        assert "Checking" in cell(page, k).locator(".jp-OutputArea").text_content()
    shot(page, f"{assignment}-5-answer-passes-its-tests", cell(page, its_tests[-1]))

    # Validate (nbgrader): saves, runs the notebook on the server, and reports.
    panel.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=VALIDATE_MS)
    message = dialog.locator("#validation-message")
    text = message.inner_text()
    shot(page, f"{assignment}-6-validate")
    assert "validation-failed" in (message.get_attribute("class") or ""), text
    assert "The following cell failed:" in text
    for k in its_tests:
        assert first_line(nb.cells[k].source) not in text, f"the answered test cell {k} is reported failing"
    unanswered = [k for k in tests if k not in its_tests]
    assert any(first_line(nb.cells[k].source) in text for k in unanswered), text
    assert "NotImplementedError" in text
    dialog.get_by_role("button", name="Ok").click()
    assert not page.console.errors, page.console.errors


def test_lesson_explorer_slider_redraws_the_picture(page, lab):
    chapter, lesson = EXPLORER_LESSON
    path = lab.workspace / "lessons" / chapter / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    widget_cells = [i for i, c in enumerate(nb.cells) if "rolling_up_explorer" in c.source and c.cell_type == "code"]
    assert widget_cells, f"{path.name} has no rolling_up_explorer cell"

    open_notebook(page, "lessons", chapter, f"{lesson}.ipynb")
    wait_all_cells_attached(page, len(nb.cells))
    run_all_from_menu(page)
    errors = [(i, t) for i in range(len(nb.cells)) for t in stderr_texts(cell(page, i))]
    assert not errors, f"the lesson shows errors or warnings: {errors}"

    widget = cell(page, widget_cells[-1]).locator(".jupyter-widgets.widget-slider")
    widget.wait_for(timeout=RUN_MS)
    image = cell(page, widget_cells[-1]).locator(".jupyter-widgets img")
    image.wait_for(timeout=RUN_MS)
    readout = widget.locator(".widget-readout")
    before_src, before_value = image.get_attribute("src"), readout.inner_text()
    assert before_src.startswith("data:image/png"), before_src[:50]
    shot(page, "lesson-1-explorer-before", widget)

    handle = widget.locator(".noUi-handle")
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([i, old]) => { const img = document.querySelector(`.jp-NotebookPanel .jp-Cell[data-windowed-list-index='${i}'] "
        ".jupyter-widgets img`); return img !== null && img.getAttribute('src') !== old; }",
        arg=[widget_cells[-1], before_src], timeout=RUN_MS)
    after_src, after_value = image.get_attribute("src"), readout.inner_text()
    assert after_src.startswith("data:image/png") and after_src != before_src
    assert float(after_value) > float(before_value), (before_value, after_value)
    page.wait_for_function(KERNEL_IDLE_JS, timeout=RUN_MS)
    shot(page, "lesson-2-explorer-after-arrow-right", widget)
    assert not page.console.errors, page.console.errors


# ----------------------------------------------------------------------------- lessons, roles, restarts

RAW_MYST = re.compile(r"\{(term|doc|eq|numref|ref|cite(:[pt])?|py:[a-z]+|func|mod|class)\}|\(eq-[\w-]*\)"
                      r"|^\([\w-]+\)=", re.M)
# The text a reader sees in each rendered Markdown cell, with MathJax's output left out (its assistive
# MathML spells formulas with braces), and how many formulas MathJax could not typeset.
RENDERED_MARKDOWN_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown')]
    .map(el => { const c = el.cloneNode(true); c.querySelectorAll('mjx-container').forEach(m => m.remove());
                 return {text: c.textContent, math: el.querySelectorAll('mjx-container').length,
                         errors: el.querySelectorAll('mjx-merror').length}; })"""
DELETION_WORDS = re.compile(r"remov|delet|overwrit|erase|lost|wip(e|ing)", re.I)


@pytest.mark.parametrize("judged", ["grade_like_the_grader", "control_without_it"])
def test_validate_in_the_lab_passes_a_correct_answer_that_warns(page, lab, judged):
    """Clicking Validate on a correct answer that warns, logs and prints to stderr (test_validate's notebook).

    With the set-up's grade_like_the_grader() the dialog says Success, as grading gives full marks; the
    control, the same notebook without that call, shows that this Validate would have failed it.
    """
    from test_validate import SETUP, _notebook

    setup = SETUP if judged == "grade_like_the_grader" else SETUP.replace("grade_like_the_grader()\n", "")
    folder = f"validate-{judged}"
    _notebook(lab.workspace / folder / "warns.ipynb", setup=setup)
    panel = open_notebook(page, folder, "warns.ipynb")
    panel.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=VALIDATE_MS)
    message = dialog.locator("#validation-message")
    text, classes = message.inner_text(), message.get_attribute("class") or ""
    shot(page, f"validate-warning-{judged}")
    if judged == "grade_like_the_grader":
        assert "validation-success" in classes and "Success! Your notebook passes all the tests." in text, text
    else:
        assert "validation-failed" in classes and "The following cell failed:" in text, text
        assert "a student's note on stderr" in text, text
    dialog.get_by_role("button", name="Ok").click()
    assert not page.console.errors, page.console.errors


def coursekit_lines(output: str) -> str:
    """What coursekit itself printed (not JupyterLab's log lines, ``[I 2026-...] ...``)."""
    return "\n".join(ln for ln in output.splitlines() if ln.strip() and not re.match(r"\s*\[|\s+Setting ", ln))


def test_every_lesson_reference_resolves_to_a_workspace_file():
    converted = lessons.convert(COURSE)
    assert not converted.unresolved, "references the workspace's lessons cannot resolve:\n" + \
        "\n".join(converted.unresolved)
    targets = set(converted.notebooks) | {f"{s}/{s}.ipynb" for s in SETS}
    for rel, nb in converted.notebooks.items():
        for c in nb.cells:
            if c.cell_type != "markdown":
                continue
            assert not RAW_MYST.search(c.source), f"{rel}: raw MyST left: {RAW_MYST.search(c.source).group(0)!r}"
            for href in re.findall(r"\]\(([^)\s]+)\)", c.source):
                path = href.split("#")[0]
                if path and not re.match(r"[a-z]+:", path):
                    where = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
                    assert where in targets, f"{rel}: link {href!r} to {where}, which the workspace does not have"


def test_every_lesson_renders_without_raw_myst(browser, scratch, lab, shots):
    course = paths.Course(scratch.dir)
    rels = sorted(p.relative_to(lab.workspace).as_posix() for p in (lab.workspace / "lessons").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)
    assert len(rels) == len(lessons.lesson_pages(course)) + 1, rels  # every page, and the glossary
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    console = Console(page)
    problems, numbered = [], 0
    try:
        for rel in rels:
            nb = nbformat.read(lab.workspace / rel, as_version=4)
            n_md = sum(c.cell_type == "markdown" for c in nb.cells)
            n_math = sum(c.cell_type == "markdown" and "$" in c.source for c in nb.cells)
            page.goto(f"{lab.url}/lab/tree/{rel}?reset&token={lab.token}", timeout=LOAD_MS)
            page.locator(".jp-NotebookPanel .jp-Notebook").wait_for(timeout=LOAD_MS)
            wait_all_cells_attached(page, len(nb.cells))
            # Every Markdown cell rendered, and MathJax done with each cell that has math.
            page.wait_for_function(f"""() => {{ const r = ({RENDERED_MARKDOWN_JS})();
                return r.length === {n_md} && r.filter(x => x.math > 0).length >= {n_math}; }}""",
                                   timeout=LOAD_MS)
            cells = page.evaluate(RENDERED_MARKDOWN_JS)
            for k, cell_ in enumerate(cells):
                raw = RAW_MYST.findall(cell_["text"])
                found = RAW_MYST.search(cell_["text"])
                if found:
                    problems.append(f"{rel}, Markdown cell {k}: raw MyST {found.group(0)!r} ({len(raw)} in the cell)")
                if cell_["errors"]:
                    problems.append(f"{rel}, Markdown cell {k}: {cell_['errors']} formula(s) MathJax cannot typeset")
            numbered += sum(c.source.count("\\tag{") for c in nb.cells if c.cell_type == "markdown")
            if rel.endswith(("02-discrete/matrix.ipynb", "glossary.ipynb")):
                shot(page, "lesson-0-" + rel.replace("/", "-").removesuffix(".ipynb"))
            lab.shutdown_sessions()
    finally:
        context.close()
        lab.shutdown_sessions()
    assert not problems, "\n".join(problems)
    labelled = sum(len(re.findall(r"^\$\$[ \t]*\([^()\s]+\)[ \t]*$", p.read_text(), re.M))
                   for p in lessons.lesson_pages(course))
    assert numbered == labelled > 0, f"{numbered} numbered equations in the workspace, {labelled} in the book"
    assert not console.errors, console.errors


def test_second_start_with_nothing_changed_regenerates_nothing(scratch, lab):
    # The first start (the module's lab) generated every student version, and said so without a word of loss.
    for name in SETS:
        assert f"student version of {name}: generating (new)" in lab.output, lab.output
    said = coursekit_lines(lab.output)
    assert not DELETION_WORDS.search(said), f"the first start printed {DELETION_WORDS.search(said)!r}:\n{said}"
    stamp = (scratch.dir / "release" / STAMP).read_bytes()
    released = {p: p.read_bytes() for p in (scratch.dir / "release").rglob("*.ipynb")}
    manifest = (scratch.workspace / MANIFEST).read_bytes()

    proc, server = start_lab(scratch, scratch.dir.parent / "jupyter-lab-2.log")
    try:
        assert "student versions: up to date (no master changed)" in server.output, server.output
        assert "generating" not in server.output, server.output
        assert "(0 file(s) new or brought up to date" in server.output, server.output
        assert not DELETION_WORDS.search(coursekit_lines(server.output)), server.output
        assert server.api("GET", "/api/status")["started"]  # the printed URL and token are the real ones
    finally:
        stop_lab(proc, server)
    assert (scratch.dir / "release" / STAMP).read_bytes() == stamp
    assert {p: p.read_bytes() for p in (scratch.dir / "release").rglob("*.ipynb")} == released
    assert (scratch.workspace / MANIFEST).read_bytes() == manifest


def test_instructor_lab_has_the_instructor_tools(browser, scratch, lab, shots):
    proc, server = start_lab(scratch, scratch.dir.parent / "jupyter-lab-instructor.log", "--role", "instructor")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    try:
        assert "JupyterLab (instructor) on " + str(scratch.dir) in server.output, server.output
        page = context.new_page()
        page.goto(f"{server.url}/lab?reset&token={server.token}", timeout=LOAD_MS)
        page.locator(".jp-DirListing-item").first.wait_for(timeout=LOAD_MS)
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        for tool in ("Formgrader", "Course List", "Assignment List"):
            expect(page.get_by_role("menuitem", name=tool, exact=False).first).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_text("Create Assignment").first).to_be_visible()  # its tab in the right side bar
        assert server.api("GET", "/formgrader/api/assignments") is not None  # the formgrader's server half
        shot(page, "instructor-lab")
    finally:
        context.close()
        stop_lab(proc, server)


def test_workspace_keeps_what_the_student_changed_and_updates_the_rest(scratch, lab, tmp_path):
    course = paths.Course(scratch.dir)
    ws = tmp_path / "workspace"
    first = prepare_workspace(course, ws)
    assert len(first) == len(lessons.lesson_pages(course)) + 1 + len(SETS)
    assert prepare_workspace(course, ws) == []  # nothing changed: nothing written, nothing converted

    lesson = ws / "lessons" / "02-discrete" / "matrix.ipynb"
    outdated = ws / "lessons" / "02-discrete" / "modes.ipynb"
    missing = ws / "lessons" / "04-fft" / "dft.ipynb"
    mine = ws / SETS[0] / f"{SETS[0]}.ipynb"
    current = outdated.read_bytes()
    lesson.write_text(lesson.read_text().replace("Convolution as a matrix", "My notes on the matrix"))
    mine.write_text(mine.read_text().replace("raise NotImplementedError()", "return 42", 1))
    outdated.write_bytes(b'{"an older version": "written by coursekit"}')
    missing.unlink()
    manifest = json.loads((ws / MANIFEST).read_text())
    manifest["files"][outdated.relative_to(ws).as_posix()] = hashlib.sha256(outdated.read_bytes()).hexdigest()
    manifest["lessons"] = "the lessons changed"
    (ws / MANIFEST).write_text(json.dumps(manifest))
    students = {p: p.read_bytes() for p in (lesson, mine)}

    written = prepare_workspace(course, ws)
    assert sorted(written) == sorted([outdated, missing]), written
    assert outdated.read_bytes() == current and missing.exists()
    assert {p: p.read_bytes() for p in (lesson, mine)} == students  # the student's, as they are

    # A workspace made before lessons were converted: a lesson still as it was copied then is brought up to date.
    old = tmp_path / "old-workspace"
    legacy = jupytext.read(course.chapters / "02-discrete" / "matrix.md")
    legacy.metadata.pop("jupytext", None)
    (old / "lessons" / "02-discrete").mkdir(parents=True)
    jupytext.write(legacy, old / "lessons" / "02-discrete" / "matrix.ipynb")
    assert "{term}" in (old / "lessons" / "02-discrete" / "matrix.ipynb").read_text()
    prepare_workspace(course, old)
    assert "{term}" not in (old / "lessons" / "02-discrete" / "matrix.ipynb").read_text()


def test_a_port_in_use_is_refused_before_any_work(scratch, lab):
    port = lab.url.rsplit(":", 1)[1]
    result = subprocess.run(coursekit(scratch.dir, "lab", "--port", port), cwd=ROOT, env=scratch.env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result
    assert re.search(rf"port {port} on 127\.0\.0\.1 is in use .*`make lab PORT={int(port) + 1}`", result.stderr), result
    assert "student version" not in result.stdout and "workspace" not in result.stdout, result.stdout
