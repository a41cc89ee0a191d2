"""``make lab``: JupyterLab for a student (or, with ``--role instructor``, for the instructor).

What a student gets:

- the student version of each exercise set is regenerated only when its master
  (or the course's nbgrader configuration) changed since the last time, which
  a stamp, ``release/.coursekit-release.json``, records as content hashes;
  nbgrader's own messages are kept back unless it fails, so nothing printed
  sounds like work being lost;
- the workspace (:func:`coursekit.workspace.prepare_workspace`), where nothing
  a student changed is ever replaced;
- JupyterLab on 127.0.0.1 with a private Jupyter configuration (placed first on
  ``JUPYTER_CONFIG_PATH``, so the student's own ``~/.jupyter`` still applies)
  that turns off nbgrader's instructor tools (formgrader, create assignment,
  the course and assignment lists, which need an exchange this course does not
  use) and keeps *Validate*; JupyterLab's news and update checks are off, both
  the pop-up (its plugin is disabled) and the server side;
- the port asked for (``--port``, ``make lab PORT=N``) or, when none was asked
  for, the first free one from 8888; the URL is printed once the server answers
  there, with its token (passed in the environment, not on the command line).

The instructor's lab (``--role instructor``) runs in the course folder with
every nbgrader extension, as the formgrader needs.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import masters, workspace
from .config import nbgrader, venv_env
from .paths import BIN, Course, CourseError

__all__ = ["ROLES", "CONFIG_ROLES", "STAMP", "release_if_changed", "jupyter_config", "pick_port", "lab_command", "lab"]

ROLES = ("student", "instructor")
#: the configurations :func:`jupyter_config` writes: the two lab roles, and a hub student's (coursekit.hub)
CONFIG_ROLES = (*ROLES, "hub-student")
STAMP = ".coursekit-release.json"
DEFAULT_PORT = 8888
# nbgrader's config for a student's Validate (the file the convbook wheel installs into {prefix}/etc/jupyter)
STUDENT_NBGRADER_CONFIG = Path(__file__).resolve().parents[2] / "jupyter-config" / "nbgrader_config.py"

# nbgrader 0.9's server extensions and lab plugins (its installation guide names them one by one).
_INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list",
                                 "nbgrader.server_extensions.assignment_list")
_INSTRUCTOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                           "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                           "@jupyter/nbgrader:menu")
# For everyone: no "would you like news?" toast, and no request for news (the plugin that asks and fetches).
# jupyterlab-myst, where installed, is off in this lab: the workspace's lessons are already plain Markdown
# with every cross-reference resolved (coursekit.lessons), and it would number their equations anew.
_ALWAYS_OFF = ("@jupyterlab/apputils-extension:announcements", "jupyterlab-myst")


def _sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _release_inputs(course: Course, name: str) -> str:
    """A hash of what the student version of ``name`` is made from."""
    from importlib.metadata import version  # importing nbgrader itself costs seconds

    here = Path(__file__).resolve().parent
    return _sha256(course.master(name).read_bytes(), (course.dir / "nbgrader_config.py").read_bytes(),
                   (here / "masters.py").read_bytes(), (here / "preprocessors.py").read_bytes(),
                   version("nbgrader").encode())


def release_if_changed(course: Course) -> list[str]:
    """Regenerate the student version of each set whose inputs changed; return the sets regenerated.

    A set is regenerated when its release notebook is missing or its master,
    the course's ``nbgrader_config.py``, coursekit's master and preprocessor
    code or nbgrader's version differ from what the stamp recorded.
    """
    stamp_path = course.release / STAMP
    try:
        stamp = json.loads(stamp_path.read_text())
    except (OSError, ValueError):
        stamp = {}
    changed = []
    for name in masters.assignments(course):
        digest = _release_inputs(course, name)
        if stamp.get(name) == digest and (course.release / name / f"{name}.ipynb").is_file():
            continue
        why = ("new" if not (course.release / name / f"{name}.ipynb").is_file()
               else "its master or the course's configuration changed" if name in stamp
               else "made before `make lab` kept a record")
        print(f"student version of {name}: generating ({why})", flush=True)
        masters.build_master(course, name)
        result = nbgrader(course, "generate_assignment", name, "--force", "--log-level=WARN",
                          check=False, capture=True)
        if result.returncode != 0:
            raise CourseError(f"nbgrader generate_assignment {name} failed ({result.returncode}):\n"
                              f"{(result.stdout or '')[-3000:]}")
        stamp[name] = digest
        changed.append(name)
        course.release.mkdir(parents=True, exist_ok=True)
        stamp_path.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    if not changed:
        print("student versions: up to date (no master changed)")
    return changed


def jupyter_config(config_dir: Path, role: str) -> Path:
    """Write the lab's private Jupyter configuration for ``role`` into ``config_dir``; return it.

    >>> import tempfile, json
    >>> d = jupyter_config(Path(tempfile.mkdtemp()), "student")
    >>> page = json.loads((d / "labconfig" / "page_config.json").read_text())
    >>> page["disabledExtensions"]["@jupyter/nbgrader:formgrader"], page["disabledExtensions"]["@jupyter/nbgrader:validate-assignment"]
    (True, False)
    >>> jupyter_config(d, "teacher")
    Traceback (most recent call last):
    ...
    coursekit.paths.CourseError: role must be one of ('student', 'instructor', 'hub-student'), got 'teacher'
    """
    if role not in CONFIG_ROLES:
        raise CourseError(f"role must be one of {CONFIG_ROLES}, got {role!r}")
    student = role != "instructor"
    server = {ext: not student for ext in _INSTRUCTOR_SERVER_EXTENSIONS}
    server["nbgrader.server_extensions.validate_assignment"] = True
    disabled = {plugin: student for plugin in _INSTRUCTOR_LAB_PLUGINS}
    disabled["@jupyter/nbgrader:validate-assignment"] = False
    if role == "hub-student":  # on a hub, a student fetches and submits in the Assignments tab (nbgrader's menu opens it)
        server["nbgrader.server_extensions.assignment_list"] = True
        disabled["@jupyter/nbgrader:assignment-list"] = disabled["@jupyter/nbgrader:menu"] = False
    disabled.update({plugin: True for plugin in _ALWAYS_OFF})
    config = {"ServerApp": {"jpserver_extensions": server},
              # no request to the internet for news or new versions, whatever the browser side asks
              "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config, indent=1) + "\n")
    if role == "student":  # Validate's wall-clock backstop = grading's: the config the convbook wheel installs for students
        shutil.copyfile(STUDENT_NBGRADER_CONFIG, config_dir / "nbgrader_config.py")
    (config_dir / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": disabled}, indent=1) + "\n")
    return config_dir


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(port: int | None) -> int:
    """``port`` if it is free (else a clear error); with ``None``, the first free port from 8888.

    >>> pick_port(0)
    Traceback (most recent call last):
    ...
    coursekit.paths.CourseError: port must be between 1 and 65535, got 0
    """
    if port is not None:
        if not 1 <= port <= 65535:
            raise CourseError(f"port must be between 1 and 65535, got {port}")
        if not _free(port):
            raise CourseError(f"port {port} on 127.0.0.1 is in use (another JupyterLab?): "
                              f"choose another, e.g. `make lab PORT={port + 1}`")
        return port
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 100):
        if _free(candidate):
            return candidate
    raise CourseError(f"no free port in {DEFAULT_PORT}..{DEFAULT_PORT + 99}: choose one with `make lab PORT=N`")


def lab_command(course: Course, role: str, port: int, token: str, config_dir: Path) -> tuple[list[str], dict, Path]:
    """The ``jupyter lab`` command line, its environment and its folder, for ``role`` on ``port``."""
    root = course.workspace if role == "student" else course.dir
    jupyter_config(config_dir, role)
    env = venv_env()
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(config_dir)] + ([env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else []))
    env["JUPYTER_TOKEN"] = token
    cmd = [str(BIN / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
           "--no-browser", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers run as root; Jupyter refuses to start without it
    return cmd, env, root


def _serve(cmd: list[str], env: dict, root: Path, url: str, token: str) -> int:
    """Run JupyterLab; print its URL once it answers there; return its exit status.

    Ctrl+C reaches JupyterLab from the terminal (it asks before it stops);
    SIGTERM and SIGHUP sent to this process are passed on to it.
    """
    proc = subprocess.Popen(cmd, env=env, cwd=root)
    forward = lambda signum, _frame: proc.send_signal(signum)  # noqa: E731
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends it to JupyterLab too
    status = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(status, timeout=10):
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)  # polling a socket that is not listening yet: there is nothing to wait on
    if proc.poll() is not None:
        raise CourseError(f"jupyter lab stopped with status {proc.returncode} before it served {url} "
                          "(its messages are above)")
    print(f"\nJupyterLab is ready: open {url}/lab?token={token}\n    (Ctrl+C twice to stop it)\n", flush=True)
    return proc.wait()


def lab(course: Course, *, port: int | None = None, role: str = "student") -> int:
    """Bring the release and the workspace up to date, start JupyterLab and print its URL once it serves."""
    if role not in ROLES:
        raise CourseError(f"role must be one of {CONFIG_ROLES}, got {role!r}")
    port = pick_port(port)  # before any work: a taken port is known at once
    release_if_changed(course)
    if role == "student":
        report = workspace.prepare_workspace(course)
        print(f"workspace: {course.workspace} ({len(report)} file(s) new or brought up to date; "
              "a file you changed is always kept as it is)")
    token = secrets.token_hex(24)
    cmd, env, root = lab_command(course, role, port, token, course.repo / "_build" / "jupyter-lab" / role)
    print(f"JupyterLab ({role}) on {root}: starting on port {port}", flush=True)
    return _serve(cmd, env, root, f"http://127.0.0.1:{port}", token)
