"""A real classroom (issue 17): JupyterHub with nbgrader's exchange, from release to returned feedback.

``coursekit hub`` (what ``make hub`` runs) is started as root on a random 127.0.0.1 port with a scratch
roster of one instructor and three students, under a scratch hub root.  It makes their Unix accounts
(PAM logs them in), the users' environment, the exchange, the instructor's copy of the course, and runs
the pinned JupyterHub behind the pinned configurable-http-proxy.  Then, as in a class:

- the instructor, in a terminal of their own hub JupyterLab (the Jupyter server's terminal API, as the
  browser's terminal uses it), runs ``make hub-release SET=02-discrete``;
- two students, each in Debian's Chromium, log in, fetch 02 in the Assignments tab, open it, type an
  answer to exercise 1 (one right, one wrong: it forgets the empty-input check) and submit; the third
  never submits;
- the instructor runs ``make hub-collect`` and ``make grade``: the right answer has full marks on the
  exercise, the wrong one partial credit, the third student reads "missing";
- the instructor grades the written answer in the hub's formgrader (Chromium), runs ``make grade`` again
  and the points are in ``grades.csv``;
- ``make hub-feedback``; a student fetches the feedback in the Assignments tab and opens it: their score,
  no hidden-test line, no solution line;
- a student's terminal and kernel cannot list or read another student's home, the exchange's inbound, or
  the instructor's course.

Everything is torn down after, the accounts included (``coursekit hub-down``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT, chromium_path
from coursekit import accounts
from leaks import secret_lines
from test_postgres import _free_port, postgres_server
from test_jupyterlab import CHROMIUM_ARGS, LOAD_MS, open_notebook, save, solution_of, type_code

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SET = "02-discrete"
SHOTS = ROOT / "_build" / "test-screenshots" / "hub"
# backstops for a blocked process only: a loaded machine makes each step slow, never a failure
READY_S = 2400          # set-up (the users' environment is built on a fresh machine) and start
SPAWN_S = 600
COMMAND_S = 2400        # one instructor command (make grade runs every submission in the sandbox)
BROWSER_MS = 300_000
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")


class Hub:
    """The running hub: its URL, its settings, the roster's logins and passwords, and its REST API."""

    def __init__(self, top: Path, shots: Path):
        tag = secrets.token_hex(3)
        self.shots = shots  # the screenshots, for a person to look at
        self.instructor = f"hi{tag}"
        self.students = [f"h{x}{tag}" for x in "abc"]
        self.root = Path(f"/srv/convbook-hub-test-{tag}")
        self.roster = top / "roster.csv"
        self.roster.write_text("id,role,first_name,last_name,email\n"
                               f"{self.instructor},instructor,Test,Instructor,\n"
                               + "".join(f"{s},student,Student,{s[1].upper()},\n" for s in self.students))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = top / "hub.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("CONVBOOK_", "JUPYTER"))}
        self.env.update(CONVBOOK_HUB_ROOT=str(self.root), CONVBOOK_ROSTER=str(self.roster), PYTHONUNBUFFERED="1")
        self.proc: subprocess.Popen | None = None
        self.log_file = None
        self.gradebook = ""  # the gradebook's URL when it is not the course's SQLite file
        self.tokens: dict[str, str] = {}

    # -- life
    def start(self) -> float:
        """Start ``coursekit hub``; return the set-up and start time it printed, in seconds."""
        self.log_file = self.log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "coursekit", "hub", "--port", str(self.port)],
                                     cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            found = re.search(r"JupyterHub is ready: open \S+ \(set-up and start ([\d.]+) s\)", self.log.read_text())
            if found:
                return float(found.group(1))
            assert self.proc.poll() is None, f"coursekit hub stopped ({self.proc.returncode}):\n{self.tail()}"
            time.sleep(1)
        raise AssertionError(f"the hub did not answer within {READY_S} s:\n{self.tail()}")

    def stop(self) -> list[str]:
        """Stop the hub (and every user's server), then ``coursekit hub-down``; the accounts it removed."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log_file is not None:
            self.log_file.close()
        out = subprocess.run([sys.executable, "-m", "coursekit", "hub-down"], cwd=ROOT, env=self.env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout.split(":", 1)[1].strip().split(", ") if ":" in out.stdout else []

    def tail(self, n: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    @property
    def state(self) -> Path:
        return self.root / "state"

    def password(self, login: str) -> str:
        with (self.state / "passwords.csv").open(newline="") as fh:
            return {r["id"]: r["password"] for r in csv.DictReader(fh)}[login]

    def home(self, login: str) -> Path:
        return Path(pwd.getpwnam(login).pw_dir)

    @property
    def course(self) -> Path:
        """The instructor's copy of the course, ``~/convbook``."""
        return self.home(self.instructor) / "convbook"

    # -- the REST API
    def token(self, login: str) -> str:
        """An API token of ``login`` (``jupyterhub token``, run by root on the hub's database)."""
        if login not in self.tokens:
            out = subprocess.run([str(Path(sys.executable).parent / "jupyterhub"), "token", "-f",
                                  str(ROOT / "hub" / "jupyterhub_config.py"), login], cwd=self.state,
                                 env={**self.env, "CONVBOOK_HUB_SETTINGS": str(self.state / "settings.json")},
                                 capture_output=True, text=True)
            assert out.returncode == 0, out.stdout + out.stderr
            self.tokens[login] = out.stdout.strip().splitlines()[-1]
        return self.tokens[login]

    def api(self, login: str, method: str, path: str, body: dict | None = None):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token(login)}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip() else None

    def server(self, login: str) -> None:
        """Start ``login``'s JupyterLab (if it is not running) and wait until it is ready."""
        try:
            self.api(login, "POST", f"/hub/api/users/{login}/server")
        except urllib.error.HTTPError as exc:
            assert exc.code == 400, exc  # 400: it is already running
        deadline = time.monotonic() + SPAWN_S
        while time.monotonic() < deadline:
            user = self.api(login, "GET", f"/hub/api/users/{login}")
            if user["servers"].get("", {}).get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{login}'s server did not start within {SPAWN_S} s:\n{self.tail()}")


def _websocket(hub: Hub, login: str, path: str):
    """A websocket to ``/user/<login>/<path>`` with ``login``'s API token."""
    import websocket

    return websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{login}/{path}",
                                       header=[f"Authorization: token {hub.token(login)}"], timeout=30)


def _messages(ws, timeout: float):
    """The decoded messages of ``ws`` until ``timeout`` seconds have passed (a wait that times out is no message)."""
    import websocket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            yield json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            continue


class Terminal:
    """A terminal of a user's JupyterLab, through the Jupyter server's terminal API and its websocket."""

    def __init__(self, hub: Hub, login: str):
        hub.server(login)
        name = hub.api(login, "POST", f"/user/{login}/api/terminals")["name"]
        self.ws = _websocket(hub, login, f"terminals/websocket/{name}")

    def run(self, command: str, timeout: float = COMMAND_S) -> tuple[int, str]:
        """Type ``command`` and Enter; return its exit status and what the terminal showed meanwhile."""
        mark = uuid.uuid4().hex[:8]
        self.ws.send(json.dumps(["stdin", f"{command}; printf '\\n=={mark}:%s==\\n' $?\r"]))
        seen = ""
        for message in _messages(self.ws, timeout):
            if message[0] == "stdout":
                seen += message[1]
                text = ANSI.sub("", seen)
                found = re.search(rf"=={mark}:(\d+)==", text)
                if found:
                    return int(found.group(1)), text[:found.start()]
        raise AssertionError(f"`{command}` did not finish within {timeout} s; the terminal showed:\n{seen[-3000:]}")

    def close(self) -> None:
        self.ws.close()


class Kernel:
    """A Python kernel of a user's JupyterLab, through the kernel websocket (the messages JupyterLab sends)."""

    def __init__(self, hub: Hub, login: str):
        hub.server(login)
        self.hub, self.login = hub, login
        self.id = hub.api(login, "POST", f"/user/{login}/api/kernels", {"name": "python3"})["id"]
        self.session = uuid.uuid4().hex
        self.ws = _websocket(hub, login, f"api/kernels/{self.id}/channels?session_id={self.session}")

    def run(self, code: str, timeout: float = 300) -> str:
        """Execute ``code``; return its stdout (an error's name and value are appended)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.login,
                       "session": self.session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out = ""
        for m in _messages(self.ws, timeout):
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = m["header"]["msg_type"]
            if kind == "stream":
                out += m["content"]["text"]
            elif kind == "error":
                out += f"{m['content']['ename']}: {m['content']['evalue']}\n"
            elif kind == "status" and m["content"]["execution_state"] == "idle":
                return out
        raise AssertionError(f"the kernel did not answer within {timeout} s; it printed:\n{out}")

    def close(self) -> None:
        self.ws.close()
        try:
            self.hub.api(self.login, "DELETE", f"/user/{self.login}/api/kernels/{self.id}")
        except urllib.error.HTTPError:
            pass


# ----------------------------------------------------------------------------- what a student does in Chromium

def _log_in(context, hub: Hub, login: str):
    """Log in on the hub's page; return the page once the user's JupyterLab has loaded."""
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", timeout=BROWSER_MS)
    page.locator("#username_input").fill(login)
    page.locator("#password_input").fill(hub.password(login))
    page.locator("#login_submit").click()
    page.locator(".jp-DirListing-content").wait_for(timeout=BROWSER_MS)  # the file browser of JupyterLab
    page.wait_for_load_state("networkidle", timeout=BROWSER_MS)
    return page


def _assignments_tab(page):
    """Open Nbgrader > Assignment List (the Assignments tab); return it once it has loaded the course."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    item = page.get_by_role("menuitem", name="Assignment List")
    item.wait_for(timeout=BROWSER_MS)
    menu = page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_inner_texts()
    item.click()
    tab = page.locator("#nbgrader-assignment-list")
    tab.wait_for(timeout=BROWSER_MS)
    return tab, menu


def _shot(page, hub: Hub, name: str):
    page.screenshot(path=str(hub.shots / f"{name}.png"))


def _wrong(solution: str) -> str:
    """The course's solution without its check for empty inputs: right on every other test."""
    lines = solution.splitlines()
    k = next(i for i, line in enumerate(lines) if "a.size == 0 or v.size == 0" in line)
    return "\n".join(lines[:k] + lines[k + 2:])


def _student_submits(browser, hub: Hub, login: str, answer: str) -> dict:
    """Log in, fetch the set, type ``answer`` into exercise 1, save, submit; what the student saw."""
    seen = {}
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(LOAD_MS)
    page = _log_in(context, hub, login)
    try:
        tab, seen["menu"] = _assignments_tab(page)
        released = tab.locator("#released_assignments_list")
        expect(released).to_contain_text(SET, timeout=BROWSER_MS)
        seen["course_shown"] = tab.locator("#course_list_default").inner_text()
        _shot(page, hub, f"{login}-released")
        released.locator("button", has_text="Fetch").click()
        fetched = tab.locator("#fetched_assignments_list")
        expect(fetched).to_contain_text(SET, timeout=BROWSER_MS)
        notebook = hub.home(login) / SET / f"{SET}.ipynb"
        seen["fetched"] = notebook.exists()

        open_notebook(page, SET, f"{SET}.ipynb")
        answer_cell = page.locator(".jp-NotebookPanel .jp-CodeCell", has_text="def convolve_loops(a, v):").first
        answer_cell.scroll_into_view_if_needed()
        typed = type_code(page, answer_cell.locator(".cm-content"), answer)
        seen["typed"] = typed
        save(page, notebook)
        _shot(page, hub, f"{login}-answered")

        page.locator(".lm-TabBar-tab", has_text="Assignments").click()
        tab.locator("#fetched_assignments_list button", has_text="Submit").click()
        expect(tab.locator("#submitted_assignments_list")).to_contain_text(SET, timeout=BROWSER_MS)
        _shot(page, hub, f"{login}-submitted")
    finally:
        context.close()
    return seen


def _student_reads_feedback(browser, hub: Hub, login: str) -> dict:
    """Log in, Fetch Feedback in the Assignments tab, open it; its text."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(LOAD_MS)
    page = _log_in(context, hub, login)
    try:
        tab, _ = _assignments_tab(page)
        submitted = tab.locator("#submitted_assignments_list")
        expect(submitted).to_contain_text("feedback available to fetch", timeout=BROWSER_MS)
        submitted.locator("button", has_text="Fetch Feedback").click()
        link = submitted.locator("a", has_text="view feedback")
        link.wait_for(timeout=BROWSER_MS)
        _shot(page, hub, f"{login}-feedback-fetched")
        link.click()  # nbgrader: the file browser goes to the feedback's folder, where the student opens it
        page.locator(".jp-DirListing-itemText").get_by_text(f"{SET}.html", exact=True).dblclick()
        viewer = page.frame_locator(".jp-HTMLViewer iframe")
        viewer.locator("body").wait_for(timeout=BROWSER_MS)
        expect(viewer.locator("body")).to_contain_text("Score", timeout=BROWSER_MS)
        _shot(page, hub, f"{login}-feedback")
        return {"text": viewer.locator("body").inner_text(),
                "files": sorted(str(p.relative_to(hub.home(login)))
                                for p in (hub.home(login) / SET / "feedback").rglob("*.html")
                                if ".ipynb_checkpoints" not in p.parts)}
    finally:
        context.close()


def _formgrade(browser, hub: Hub, submission_id: str, grade_id: str, cell: str, points: str) -> bool:
    """The instructor logs in and types ``points`` for the written answer ``cell`` in the formgrader."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(LOAD_MS)
    page = _log_in(context, hub, hub.instructor)
    try:
        page.goto(f"{hub.url}/user/{hub.instructor}/formgrader/submissions/{submission_id}/", timeout=BROWSER_MS)
        score = page.locator(f"input.score#{cell}")
        score.wait_for(timeout=BROWSER_MS)
        page.wait_for_load_state("networkidle", timeout=BROWSER_MS)
        with page.expect_response(lambda r: f"/formgrader/api/grade/{grade_id}" in r.url
                                  and r.request.method == "PUT", timeout=BROWSER_MS) as saved:
            score.fill(points)
            score.press("Tab")
        _shot(page, hub, "instructor-formgrade")
        return saved.value.ok
    finally:
        context.close()


# ----------------------------------------------------------------------------- the class

def _grades(hub: Hub) -> dict:
    with (hub.course / "autograder" / "grades.csv").open(newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _set_due_date(hub: Hub, due: dt.datetime) -> None:
    """The instructor's course.toml with a due date for the set (as the instructor would edit it)."""
    toml = hub.course / "autograder" / "course.toml"
    text = toml.read_text().replace("[late.due]\n", f'[late.due]\n"{SET}" = {due.isoformat()}\n', 1)
    toml.write_text(text)
    user = pwd.getpwnam(hub.instructor)
    os.chown(toml, user.pw_uid, user.pw_gid)


def _ids(hub: Hub, student: str, cell: str) -> tuple[str, str]:
    from nbgrader.api import Gradebook

    with Gradebook(hub.gradebook or f"sqlite:///{hub.course / 'autograder' / 'gradebook.db'}") as gb:
        return (gb.find_submission_notebook(SET, SET, student).id, gb.find_grade(cell, SET, SET, student).id)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def classroom(request, tmp_path_factory):
    """The whole class, once with SQLite files and once with the hub's database and the gradebook on PostgreSQL
    (a real server, as in tests/test_postgres.py): ``CONVBOOK_DATABASE``, the one setting."""
    assert os.geteuid() == 0, "the hub test makes Unix accounts: run `make test` as root (as .ci/run does)"
    assert chromium_path() is not None, "chromium is not installed (`apt-get install chromium`)"
    shots = SHOTS / request.param
    if shots.exists():
        shutil.rmtree(shots)
    shots.mkdir(parents=True)
    hub = Hub(tmp_path_factory.mktemp("hub"), shots)
    pg = None
    if request.param == "postgresql":  # a real server of its own, as tests/test_postgres.py starts one
        pg = postgres_server()
        server = pg.__enter__().split("+psycopg2://", 1)[1].rsplit("/", 1)[0]
        hub.env["CONVBOOK_DATABASE"] = f"postgresql://{server}"
        hub.gradebook = f"postgresql+psycopg2://{server}/convbook_gradebook"
    right = solution_of(SET, "convolve-loops-answer")
    wrong = _wrong(right)
    a, b, c = hub.students
    out = {"hub": hub, "right": right, "wrong": wrong}
    t0 = time.monotonic()
    try:
        out["startup_s"] = hub.start()
        out["database"] = request.param
        out["homes"] = {}
        for login in (hub.instructor, *hub.students):
            user = pwd.getpwnam(login)
            home = os.stat(user.pw_dir)
            out["homes"][login] = (user.pw_dir, home.st_mode & 0o777, home.st_uid == user.pw_uid)
        term = Terminal(hub, hub.instructor)
        out["release"] = term.run(f"cd ~/convbook && make hub-release SET={SET}")

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            try:
                out["seen"] = {a: _student_submits(browser, hub, a, right)}
                # the set falls due between the two submissions (course.toml, rule "none": shown, nothing taken)
                time.sleep(1.5)
                _set_due_date(hub, dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
                time.sleep(1.5)
                out["seen"][b] = _student_submits(browser, hub, b, wrong)
                out["collect"] = term.run(f"make hub-collect SET={SET}")
                out["timestamps"] = {s: (hub.course / "autograder" / "submitted" / s / SET / "timestamp.txt").is_file()
                                     for s in hub.students}
                out["grade"] = term.run("make grade")
                out["first"] = _grades(hub)
                sub_id, grade_id = _ids(hub, a, "correlation-written")
                out["formgrade_saved"] = _formgrade(browser, hub, sub_id, grade_id, "correlation-written", "2")
                out["regrade"] = term.run("make grade")
                out["second"] = _grades(hub)
                out["feedback_release"] = term.run(f"make hub-feedback SET={SET}")
                out["feedback"] = _student_reads_feedback(browser, hub, a)
            finally:
                browser.close()
        out["round_trip_s"] = time.monotonic() - t0 - out["startup_s"]

        # what a student can reach, from their terminal and from their kernel
        inbound = hub.root / "exchange" / "convolution" / "inbound"
        targets = {"another student's home": hub.home(b), "the exchange's inbound": inbound,
                   "the instructor's course": hub.course / "autograder",
                   "the instructor's sources": hub.course / "autograder" / "source" / SET / f"{SET}.md"}
        try:  # the formgrader is not served to a student at all
            hub.api(a, "GET", f"/user/{a}/formgrader")
            out["student_formgrader"] = 200
        except urllib.error.HTTPError as exc:
            out["student_formgrader"] = exc.code
        student_term = Terminal(hub, a)
        out["terminal"] = {what: student_term.run(f"ls -la {path} || cat {path}", timeout=120)
                           for what, path in targets.items()}
        out["terminal_whoami"] = student_term.run("id -un", timeout=120)
        student_term.close()
        kernel = Kernel(hub, a)
        probe = ("import os\nfor p in {paths!r}:\n    try:\n        print(p, 'LISTED', os.listdir(p))\n"
                 "    except NotADirectoryError:\n        print(p, 'READ', len(open(p).read()))\n"
                 "    except OSError as e:\n        print(p, 'DENIED', type(e).__name__)\n")
        out["kernel"] = kernel.run(probe.format(paths=[str(p) for p in targets.values()]))
        out["kernel_user"] = kernel.run("import getpass; print(getpass.getuser())").strip()
        kernel.close()
        term.close()
        out["inbound_names"] = sorted(p.name for p in inbound.iterdir())
        out["sqlite_files"] = sorted(str(f) for f in (hub.course / "autograder" / "gradebook.db",
                                                      hub.state / "jupyterhub.sqlite") if f.exists())
        out["targets"] = targets
    finally:  # torn down before the tests read what happened: the last of them checks the teardown
        (shots / "hub.log").write_text(hub.log.read_text(errors="replace") if hub.log.exists() else "")
        out["removed"] = hub.stop()
        out["left"] = [login for login in (hub.instructor, *hub.students) if accounts.exists(login)]
        out["root_left"] = hub.root.exists()
        if pg is not None:
            pg.__exit__(None, None, None)  # the server stopped, its folder removed
        timings = {"database": request.param, "setup_and_start_s": out.get("startup_s"),
                   "round_trip_s": out.get("round_trip_s"), "load_average": os.getloadavg()}
        (shots / "timings.json").write_text(json.dumps(timings, indent=1) + "\n")  # for the closing notes
        print(f"\nhub: {timings}")
    return out


# ----------------------------------------------------------------------------- the tests

def _ok(step: tuple[int, str]) -> str:
    rc, text = step
    assert rc == 0, text[-4000:]
    return text


def test_the_hub_makes_real_accounts_with_private_homes(classroom):
    assert len(classroom["homes"]) == 4, classroom["homes"]
    for login, (home, mode, owned) in classroom["homes"].items():
        assert mode == 0o700 and owned, (login, home, oct(mode), owned)


def test_the_instructor_releases_from_the_hub_terminal(classroom):
    text = _ok(classroom["release"])
    assert f"released {SET} into the exchange for 3 student(s)" in text, text[-2000:]


def test_a_student_fetches_from_the_assignments_tab(classroom):
    for login, seen in classroom["seen"].items():
        assert seen["fetched"], login
        assert seen["course_shown"] == "convolution", seen["course_shown"]  # the course list came from the hub


def test_students_get_the_assignments_tab_only(classroom):
    for login, seen in classroom["seen"].items():
        assert "Assignment List" in seen["menu"], seen["menu"]
        assert not {"Formgrader", "Create Assignment", "Course List"} & set(seen["menu"]), seen["menu"]
    assert classroom["student_formgrader"] == 404, classroom["student_formgrader"]


def test_the_typed_answers_are_what_was_saved(classroom):
    hub = classroom["hub"]
    a, b, _ = hub.students
    assert classroom["seen"][a]["typed"].strip() == classroom["right"].strip()
    assert classroom["seen"][b]["typed"].strip() == classroom["wrong"].strip()


def test_collect_takes_each_submission_with_its_timestamp(classroom):
    hub = classroom["hub"]
    a, b, c = hub.students
    text = _ok(classroom["collect"])
    assert re.search(rf"{a}: submitted \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n", text), text[-2000:]  # on time
    assert re.search(rf"{b}: submitted \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC; LATE by [\d.]+ (s|min|h)\n", text), text[-2000:]
    assert f"missing (no submission): {c}" in text, text[-2000:]
    assert classroom["timestamps"] == {a: True, b: True, c: False}, classroom["timestamps"]


def test_grading_gives_full_marks_to_the_right_answer_and_partial_to_the_wrong(classroom):
    hub = classroom["hub"]
    a, b, _ = hub.students
    _ok(classroom["grade"])
    grades = classroom["first"]
    col = f"{SET}/convolve-loops"
    assert float(grades[a][col]) == 4.0, grades[a]
    assert 0.0 < float(grades[b][col]) < 4.0, grades[b]


def test_the_student_who_never_submitted_is_missing_not_zero(classroom):
    c = classroom["hub"].students[2]
    row = classroom["first"][c]
    assert row[f"{SET}/status"] == "missing", row
    assert row[f"{SET}/total"] == "" and row["total"] == "", row


def test_manual_points_from_the_hub_formgrader_count_after_a_regrade(classroom):
    a = classroom["hub"].students[0]
    assert classroom["formgrade_saved"]
    _ok(classroom["regrade"])
    row = classroom["second"][a]
    assert float(row[f"{SET}/correlation-written"]) == 2.0, row
    assert "correlation-written=manual" in row[f"{SET}/sources"], row
    assert float(row[f"{SET}/total"]) == float(classroom["first"][a][f"{SET}/total"]) + 2.0, row


def test_the_student_fetches_feedback_with_their_score_and_no_secret(classroom):
    hub = classroom["hub"]
    a = hub.students[0]
    _ok(classroom["feedback_release"])
    fb = classroom["feedback"]
    assert fb["files"], fb
    total = float(classroom["second"][a][f"{SET}/total"])
    assert re.search(rf"{SET} \(Score: {total:.1f} / \d+\.\d\)", fb["text"]), (total, fb["text"][:2000])
    page_text = fb["text"]
    leaked = [line for line in secret_lines(ROOT / "autograder" / "source" / SET / f"{SET}.md",
                                            kinds=("HIDDEN TESTS",)) if line in page_text]
    assert not leaked, leaked[:5]
    own = set(classroom["right"].splitlines())  # the student's own answer is the course's solution: it may show
    leaked = [line for line in secret_lines(ROOT / "autograder" / "source" / SET / f"{SET}.md", kinds=("SOLUTION",))
              if line in page_text and line not in {x.strip() for x in own}]
    assert not leaked, leaked[:5]


def test_a_student_terminal_cannot_reach_others_work(classroom):
    a = classroom["hub"].students[0]
    assert _ok(classroom["terminal_whoami"]).strip().splitlines()[-1] == a
    for what, (rc, text) in classroom["terminal"].items():
        assert rc != 0 and "Permission denied" in text, (what, rc, text[-1000:])


def test_a_student_kernel_cannot_reach_others_work(classroom):
    a = classroom["hub"].students[0]
    assert classroom["kernel_user"] == a
    lines = classroom["kernel"].splitlines()
    for path in classroom["targets"].values():
        line = next(line for line in lines if line.startswith(f"{path} "))
        assert line.endswith("DENIED PermissionError"), line


def test_submissions_in_the_inbound_carry_nbgraders_random_names(classroom):
    hub = classroom["hub"]
    names = classroom["inbound_names"]
    assert len(names) == 2, names
    for login, name in zip(sorted(hub.students[:2]), names):
        assert re.fullmatch(rf"{login}\+{SET}\+.+\+[A-Za-z0-9_-]{{12}}", name), name


def test_one_setting_puts_both_databases_on_postgresql(classroom):
    if classroom["database"] == "sqlite":
        assert len(classroom["sqlite_files"]) == 2, classroom["sqlite_files"]
    else:  # the grades above were read back from the PostgreSQL gradebook; no SQLite file was made
        assert classroom["sqlite_files"] == [], classroom["sqlite_files"]


def test_hub_down_removes_every_account_it_made_and_the_hub_state(classroom):
    hub = classroom["hub"]
    assert sorted(classroom["removed"]) == sorted([hub.instructor, *hub.students]), classroom["removed"]
    assert classroom["left"] == [] and not classroom["root_left"], (classroom["left"], classroom["root_left"])


def test_the_kubernetes_config_matches_the_hub_and_the_roster(tmp_path):
    """deploy/config.yaml (configuration only) names the hub's groups, the roster and the student's switches."""
    import yaml

    from coursekit import lab
    from coursekit.hub import COURSE_ID
    from coursekit.roster import read_roster

    conf = yaml.safe_load((ROOT / "deploy" / "config.yaml").read_text())
    hub_conf = conf["hub"]["config"]
    roster = read_roster(ROOT / "autograder" / "roster.csv")
    everyone = sorted(m.id for m in roster)
    instructors = sorted(m.id for m in roster if m.role == "instructor")
    groups = hub_conf["JupyterHub"]["load_groups"]
    assert sorted(groups) == [f"formgrade-{COURSE_ID}", f"nbgrader-{COURSE_ID}"], groups
    assert sorted(groups[f"formgrade-{COURSE_ID}"]["users"]) == instructors
    assert sorted(groups[f"nbgrader-{COURSE_ID}"]["users"]) == everyone
    assert sorted(hub_conf["Authenticator"]["allowed_users"]) == everyone
    assert sorted(hub_conf["Authenticator"]["admin_users"]) == instructors
    written = json.loads((lab.jupyter_config(tmp_path / "s", "hub-student") / "jupyter_server_config.json").read_text())
    shipped = json.loads(conf["singleuser"]["extraFiles"]["student-server-config"]["stringData"])
    assert shipped["ServerApp"]["jpserver_extensions"] == {
        k: v for k, v in written["ServerApp"]["jpserver_extensions"].items() if k.startswith("nbgrader.")}
