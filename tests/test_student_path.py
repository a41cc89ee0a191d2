"""The student's path, with nothing but the site: the course works outside this repository.

The built site (``make book`` -> _build/html) is served over HTTP on 127.0.0.1.  A fresh venv in a
temporary folder outside the repository gets the wheel that the site's "Install and run" page names,
by its URL on the served site, with its declared ``[course]`` extras from the package registry (the
command of the page, as a student copies it).  Every exercise notebook and every lesson notebook is
downloaded over HTTP from the target of its page's download button, and then, in that venv's kernel:

- each release notebook runs to its first ``NotImplementedError``, from its first answer (the answer
  cell, or a test cell under it that calls the answer's function), and meets no other error on the way;
- the solved version (the downloaded notebook with the master's answers, markers stripped) passes
  every visible test;
- every lesson notebook runs with no error, once the page's second command has added the `pytorch`
  extra (four lessons check convbook against PyTorch; no exercise needs it, and the exercises run
  in the venv before torch is there).

The wheel holds no master: no file of autograder/, no solution or hidden-test marker, no line of a
hidden test, no three consecutive distinctive lines of a solution.  The venv's install time, the wheel's size and each notebook's run time are
printed and written to _build/student-path.json (never asserted).
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, toc_files
from leaks import secret_lines

from coursekit import masters, paths

pytestmark = [pytest.mark.slow]

SITE = ROOT / "_build" / "html"
RECORD = ROOT / "_build" / "student-path.json"
ASSIGNMENTS = masters.assignments(paths.current())
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
COURSE_EXTRAS = {"scipy", "ipywidgets", "jupyterlab", "nbgrader", "jupyterlab-myst"}
TORCH_FREE = ("torch", "coursekit", "pytest")  # what the [course] venv must not have


def _is_notebook(md: Path) -> bool:
    front = re.match(r"---\n(.*?)\n---\n", md.read_text(encoding="utf-8"), re.S) if md.exists() else None
    return bool(front and "kernelspec:" in front.group(1))


#: Every page of the book that is a notebook (a MyST markdown notebook), the exercise sets aside.
LESSONS = [f for f in toc_files() if not f.startswith("chapters/exercises/") and _is_notebook(ROOT / f"{f}.md")]

_times: dict[str, float] = {}


def _record(key: str, value: float) -> None:
    _times[key] = value
    print(f"student path: {key} = {value:.1f}")


@pytest.fixture(scope="module", autouse=True)
def _write_record():
    yield
    if _times:
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        RECORD.write_text(json.dumps(_times, indent=1, sort_keys=True) + "\n")
        print("\n".join(f"student path: {k:60s} {v:10.1f}" for k, v in sorted(_times.items())))


# ----------------------------------------------------------------------------- the served site

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site() -> str:
    if not (SITE / "index.html").exists():
        pytest.fail("no built site: run `make book` first (`make test` does it)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as r:
        assert r.status == 200, f"{url}: HTTP {r.status}"
        return r.read()


def _download_link(page_html: str, page_url: str) -> str:
    """The absolute URL of the .ipynb that a page's download button offers."""
    links = re.findall(r'<a href="([^"]+\.ipynb)"[^>]*?\s+class="[^"]*btn-download-(?:notebook|source)-button',
                       page_html)
    assert len(links) == 1, f"{page_url}: expected one .ipynb download button, found {links}"
    return urllib.parse.urljoin(page_url, links[0])


def _page_command(site: str, block_id: str) -> tuple[list[str], list[str]]:
    """A `pip install` block of the Install and run page: its first line split as a shell would, and its lines."""
    page = _get(f"{site}/chapters/install.html").decode()
    block = re.search(rf'id="{block_id}".*?<pre>(.*?)</pre>', page, re.S)
    assert block, f"the install page has no `pip install` block with id {block_id}"
    lines = [l.strip() for l in html.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip().splitlines()]
    cmd = shlex.split(lines[0])
    assert cmd[:2] == ["pip", "install"] and len(cmd) == 3, cmd
    return cmd, lines


def _requirement(site: str, cmd: list[str], extras: str) -> str:
    """The command's requirement with the served site's address for the page's `<site>` (or configured one)."""
    name, _, url = cmd[2].partition(" @ ")
    assert name == f"convbook[{extras}]", cmd
    head, sep, wheel = url.partition("/downloads/")
    assert sep and (head == "<site>" or head.startswith(("https://", "http://"))), url
    assert re.fullmatch(r"convbook-[^-/]+-py3-none-any\.whl", wheel), url
    return f"{name} @ {site}/downloads/{wheel}"


@pytest.fixture(scope="module")
def install_command(site) -> list[str]:
    """The pip command of the Install and run page (then `jupyter lab`)."""
    cmd, lines = _page_command(site, "pip-install-convbook")
    assert lines[1:] == ["jupyter lab"], lines
    return cmd


@pytest.fixture(scope="module")
def wheel_url(site, install_command) -> str:
    """The wheel's URL on the served site."""
    return _requirement(site, install_command, "course").partition(" @ ")[2]


# ----------------------------------------------------------------------------- the site's links


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_exercise_page_links_to_the_install_page(a, site):
    page = _get(f"{site}/chapters/exercises/{a}.html").decode()
    note = re.search(r'<div class="tip admonition">(.*?)</div>', page, re.S)
    assert note and 'href="../install.html"' in note.group(1), "no install note on the exercise page"
    assert note.start() < page.index('class="cell docutils container"'), "the install note is not above the code"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_download_menu_offers_the_notebook_and_the_install_page(lesson, site):
    page = _get(f"{site}/{lesson}.html").decode()
    menu = page[page.index("btn-download-notebook-button") - 2000:]
    assert re.search(r'href="[^"]*install\.html"[^>]*\s+class="[^"]*install-and-run-button', menu), \
        "the download menu has no Install and run entry"
    nb = json.loads(_get(_download_link(page, f"{site}/{lesson}.html")))
    assert "Install and run" in "".join(nb["cells"][0]["source"]), "the notebook's first cell does not point to it"


def test_no_placeholder_launch_buttons_and_the_licences_are_in_the_footer(site):
    import yaml

    launch = yaml.safe_load((ROOT / "_config.yml").read_text())["launch_buttons"]
    hidden = [k for k in ("jupyterhub_url", "binderhub_url") if not launch.get(k)]
    for page in sorted(SITE.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text()
        assert "example.edu" not in text, page.relative_to(SITE)
        for key in hidden:  # an empty setting hides its button
            icon = {"jupyterhub_url": "logo_jupyterhub.svg", "binderhub_url": "logo_binder.svg"}[key]
            assert icon not in text, f"{page.relative_to(SITE)} has a launch button, though {key} is empty"
    page = _get(f"{site}/chapters/01-continuous/rolling-up.html").decode()
    footer = re.search(r'<div class="extra_footer">(.*?)</div>', page, re.S).group(1)
    for text, target in (("MIT", "LICENSE.txt"), ("CC BY 4.0", "LICENSE-content.txt")):
        link = re.search(rf'<a href="([^"]*{re.escape(target)})">[^<]*{re.escape(text)}', footer)
        assert link, f"the footer does not name {text} with a link to {target}: {footer}"
        served = _get(urllib.parse.urljoin(f"{site}/chapters/01-continuous/rolling-up.html", link.group(1))).decode()
        assert served == (ROOT / target.removesuffix(".txt")).read_text()


# ----------------------------------------------------------------------------- the wheel

def test_the_wheel_holds_no_master(wheel_url):
    import convbook

    data = _get(wheel_url)
    _record("wheel size (kB)", len(data) / 1000)
    version = convbook.__version__
    assert wheel_url.endswith(f"/convbook-{version}-py3-none-any.whl"), "the wheel's version is not convbook's"
    # convbook is the reference implementation, so a loop header such as `for y in range(Ho):` may well be in
    # a solution and in the package: a solution is in the wheel when three of its distinctive lines stand there
    # one after the other.  A hidden test's distinctive line must not be there at all.
    hidden, blocks = set(), []
    for a in ASSIGNMENTS:
        master = ROOT / "autograder" / "source" / a / f"{a}.md"
        hidden |= {(a, s) for s in secret_lines(master, kinds=("HIDDEN TESTS",))}
        secret = set(secret_lines(master, kinds=("SOLUTION",)))
        for m in re.finditer(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END", master.read_text(), re.S):
            lines = [l.strip() for l in m.group(1).splitlines() if l.strip()]
            blocks += [(a, lines[i:i + 3]) for i in range(len(lines) - 2) if set(lines[i:i + 3]) <= secret]
    assert hidden and blocks
    with zipfile.ZipFile(io.BytesIO(data)) as whl:
        names = whl.namelist()
        assert "convbook/py.typed" in names
        dist = f"convbook-{version}.dist-info/"
        # beside the package, one data file: the Jupyter config that makes Validate judge as grading does
        config = f"convbook-{version}.data/data/etc/jupyter/nbgrader_config.py"
        assert config in names
        for name in names:
            assert name.startswith(("convbook/", dist)) or name == config, f"the wheel holds {name}"
            assert not re.search(r"coursekit|autograder|\.ipynb$|/source/", name), name
            text = whl.read(name).decode("utf-8", errors="replace")
            for marker in MARKERS:
                assert marker not in text, f"{name} holds {marker!r}"
            lines = [l.strip() for l in text.splitlines() if l.strip()]
            present, runs = set(lines), {tuple(lines[i:i + 3]) for i in range(len(lines) - 2)}
            leaked = sorted(f"{a}: {s}" for a, s in hidden if s in present)
            assert not leaked, f"{name} holds lines of a hidden test: {leaked[:3]}"
            for a, run in blocks:
                assert tuple(run) not in runs, f"{name} repeats a solution of {a}: {run}"
        meta = whl.read(dist + "METADATA").decode()
    assert re.search(rf"^Version: {re.escape(version)}$", meta, re.M)
    assert "Provides-Extra: course" in meta
    def extra(name):
        return {m.group(1).lower() for m in re.finditer(
            rf'^Requires-Dist: ([A-Za-z0-9_.-]+)[^;\n]*; extra == "{name}"', meta, re.M)}

    assert extra("course") == COURSE_EXTRAS
    assert extra("pytorch") == {"torch"}


# ----------------------------------------------------------------------------- the student's venv

RUNNER = r'''
"""Run one notebook in this venv's kernel, stopping at its first error; write what happened as JSON."""
import json, sys, time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path, out = Path(sys.argv[1]), Path(sys.argv[2])
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, timeout=900, startup_timeout=300, kernel_name="python3", allow_errors=False,
                        resources={"metadata": {"path": str(path.parent)}})
result = {"ok": True}
start = time.perf_counter()
try:
    client.execute()
except CellExecutionError as exc:
    result = {"ok": False, "ename": exc.ename, "evalue": exc.evalue, "traceback": str(exc)[-4000:]}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            result.update(cell=i, nbgrader=cell.metadata.get("nbgrader", {}))
            break
result["seconds"] = time.perf_counter() - start
from jupyter_client.kernelspec import KernelSpecManager

argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]  # `python` means this interpreter (jupyter_client)
result["kernel"] = sys.executable if argv0 in ("python", "python3", "python%d.%d" % sys.version_info[:2]) else argv0
nbformat.write(nb, path.with_suffix(".executed.ipynb"))
out.write_text(json.dumps(result))
'''


class Student:
    """A venv outside the repository with the site's wheel, and the notebooks downloaded from the site."""

    def __init__(self, top: Path, site: str):
        self.top = top
        self.site = site
        self.env = top / "venv"
        self.python = self.env / "bin" / "python"
        self.work = top / "work"
        self.runner = top / "run_notebook.py"

    def download(self, page: str, folder: str) -> Path:
        """The notebook that the download button of ``page`` (e.g. ``chapters/intro``) offers, fetched over HTTP."""
        target = self.work / folder / f"{page.replace('/', '__')}.ipynb"
        if not target.exists():
            url = f"{self.site}/{page}.html"
            data = _get(_download_link(_get(url).decode(), url))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return target

    def exercise(self, a: str) -> Path:
        return self.download(f"chapters/exercises/{a}", "exercises")

    def pip(self, requirement: str) -> None:
        """`pip install REQUIREMENT` with the venv's pip, in the student's folder."""
        proc = subprocess.run([str(self.env / "bin" / "pip"), "install", "--quiet", requirement], cwd=self.top,
                              env=self.environ(home=False), capture_output=True, text=True, timeout=3600)
        assert proc.returncode == 0, f"pip install {requirement!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"

    def probe(self) -> list:
        """Where the venv imports convbook from, its two versions, and which of TORCH_FREE it has."""
        proc = subprocess.run(
            [str(self.python), "-c",
             "import importlib.metadata as m, importlib.util as u, json, convbook; "
             "print(json.dumps([convbook.__file__, convbook.__version__, m.version('convbook'), "
             f"[n for n in {TORCH_FREE!r} if u.find_spec(n)]]))"],
            cwd=self.top, env=self.environ(home=True), capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    def environ(self, home: bool) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "CONVBOOK_COURSE")
               and not k.startswith(("JUPYTER", "IPYTHON", "MPL"))}
        env["PATH"] = f"{self.env / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.env)
        if home:  # the student's own home: no kernelspec or config of this machine's user
            env["HOME"] = str(self.top / "home")
        return env

    def run(self, notebook: Path, key: str) -> dict:
        out = notebook.with_suffix(".result.json")
        proc = subprocess.run([str(self.python), str(self.runner), str(notebook), str(out)],
                              cwd=notebook.parent, env=self.environ(home=True), capture_output=True, text=True,
                              timeout=3600)
        assert proc.returncode == 0, f"the runner failed on {notebook.name}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        result = json.loads(out.read_text())
        assert Path(result["kernel"]).is_relative_to(self.env), f"{notebook.name} ran in {result['kernel']}"
        _record(f"run {key} (s)", result["seconds"])
        return result


@pytest.fixture(scope="module")
def student(site, install_command, wheel_url, tmp_path_factory) -> Student:
    top = tmp_path_factory.mktemp("student-path").resolve()
    assert not top.is_relative_to(ROOT), f"{top} is inside the repository"
    s = Student(top, site)
    (top / "home").mkdir()
    s.runner.write_text(RUNNER)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(s.env)], check=True, cwd=top, env=s.environ(home=False),
                   timeout=600)
    s.pip(f"convbook[course] @ {wheel_url}")  # the page's command, with the served site's address
    _record("venv install (s)", time.perf_counter() - start)
    where, version, meta_version, extra = s.probe()
    assert Path(where).is_relative_to(s.env), f"the venv imports convbook from {where}, not from its own install"
    assert version == meta_version, "convbook.__version__ differs from the installed package's version"
    assert not extra, f"the student's venv has {extra}, which neither convbook nor its course extras declare"
    return s


def test_validate_in_the_students_install_has_the_grading_backstop(student):
    """The Validate button's own config loading (nbgrader's handler, run as it is) in the student's venv.

    Without the wheel's nbgrader_config.py, Validate stops a cell after nbgrader's default 30 s of wall
    time, which a correct answer can take on a busy machine while grading (a CPU budget, and a wall
    backstop of 10x that) gives it full marks.
    """
    code = ("import json, os; "
            "from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler as H; "
            "from convbook.grading import wall_backstop_seconds; "
            "c = H.load_config(None); "  # the handler's method uses no state of the handler
            "print(json.dumps([c.Execute.timeout, wall_backstop_seconds()]))")
    proc = subprocess.run([str(student.python), "-c", code], cwd=student.top / "home",
                          env=student.environ(home=True), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    timeout, backstop = json.loads(proc.stdout.splitlines()[-1])
    assert backstop == 230  # 10 x the default 20 s of CPU, + 30
    assert timeout == backstop, f"Validate's wall-clock cell timeout is {timeout} s, grading's backstop {backstop} s"


@pytest.fixture
def without_torch(student) -> Student:
    """The [course] venv, as long as the PyTorch lessons have not added torch to it (the exercises run first)."""
    extra = student.probe()[3]
    assert not extra, f"the exercises must run without {extra}: run them before the lessons"
    return student


@pytest.fixture(scope="module")
def with_pytorch(site, student) -> Student:
    """The same venv after the install page's second command, which adds the `pytorch` extra for the lessons."""
    cmd, _ = _page_command(site, "pip-install-convbook-pytorch")
    start = time.perf_counter()
    student.pip(_requirement(site, cmd, "course,pytorch"))
    _record("venv install of the pytorch extra (s)", time.perf_counter() - start)
    return student


def _answer_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_notebook_runs_to_its_first_NotImplementedError(a, without_torch):
    student = without_torch
    import nbformat

    nb = nbformat.read(student.exercise(a), as_version=4)
    answers = _answer_cells(nb)
    assert answers, f"the downloaded {a} has no answer cell"
    r = student.run(student.exercise(a), f"{a} release")
    assert not r["ok"], f"{a} ran to its end: no answer cell raised NotImplementedError"
    assert r["ename"] == "NotImplementedError", \
        f"{a} stopped at cell {r.get('cell')} on {r['ename']}: {r['evalue']}\n{r['traceback']}"
    # the first answer raises when it runs, or (a function) when the test cells under it call it
    nxt = answers[1] if len(answers) > 1 else len(nb.cells)
    first = [answers[0]] + [i for i in range(answers[0] + 1, nxt) if nb.cells[i].cell_type == "code"]
    assert r["cell"] in first, f"{a}: the first NotImplementedError is in cell {r['cell']}, not in the first " \
                               f"answer cell or a cell under it ({first})"
    tb = re.sub(r"\x1b\[[0-9;]*m", "", r["traceback"])
    assert "raise NotImplementedError()" in tb, f"{a}: the NotImplementedError does not come from the answer:\n{tb}"


def _strip_markers(src: str) -> str:
    return "\n".join(l for l in src.splitlines() if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_solved_notebook_passes_every_visible_test(a, without_torch):
    student = without_torch
    import jupytext
    import nbformat

    master = jupytext.read(ROOT / "autograder" / "source" / a / f"{a}.md")
    solutions = {c.metadata["nbgrader"]["grade_id"]: _strip_markers(c.source) for c in master.cells
                 if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(student.exercise(a), as_version=4)
    for i in _answer_cells(nb):
        grade_id = nb.cells[i].metadata["nbgrader"]["grade_id"]
        assert grade_id in solutions, f"{a}: the master has no answer for {grade_id}"
        nb.cells[i].source = solutions[grade_id]
    tests = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    assert tests, f"{a} has no visible test cell"
    solved = student.work / "solved" / f"{a}.ipynb"
    solved.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, solved)
    r = student.run(solved, f"{a} solved")
    assert r["ok"], f"the solved {a} fails at cell {r.get('cell')} ({r.get('nbgrader', {}).get('grade_id')}): " \
                    f"{r['ename']}: {r['evalue']}\n{r['traceback']}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_notebook_runs_with_no_error(lesson, with_pytorch):
    r = with_pytorch.run(with_pytorch.download(lesson, "lessons"), lesson)
    assert r["ok"], f"{lesson} fails at cell {r.get('cell')}: {r['ename']}: {r['evalue']}\n{r['traceback']}"
