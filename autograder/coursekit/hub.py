"""``make hub``: a JupyterHub on 127.0.0.1 for the course, with nbgrader's exchange, for real Unix users.

What it sets up, as root, under the hub's root (``CONVBOOK_HUB_ROOT``, ``/srv/convbook-hub``):

- **accounts** (:mod:`coursekit.accounts`): one per row of ``autograder/roster.csv``, logged in by PAM,
  the machine's own password check (the spawner needs real accounts anyway, so no second user database);
- **the users' environment** (``CONVBOOK_HUB_ENV``, ``/opt/convbook-hub-env``): a venv of Debian's
  ``python3``, readable by everyone, holding the course's pinned JupyterLab, nbgrader, JupyterHub's
  single-user server, convbook and coursekit (installed from this checkout, so the kernels import what
  the book teaches).  The course's own ``.venv`` cannot serve: it is built on root's Python, which other
  users cannot read.  It is rebuilt only when the pins or the packages' sources change;
- **the exchange** (``exchange/``, mode 0777 as nbgrader documents): the instructor releases into it, each
  student fetches and submits from the *Assignments* tab, and nbgrader's JupyterHub auth plugin takes the
  course list from the hub's groups (``nbgrader-convolution`` for everyone, ``formgrade-convolution`` for
  the instructors);
- **the instructor's course**: a copy of this repository in ``~<instructor>/convbook`` (made once, never
  overwritten), whose ``.venv`` is the users' environment, so ``make hub-release``, ``make grade`` and the
  rest run in the instructor's hub terminal; the formgrader reads its gradebook;
- **each role's Jupyter configuration** (``jupyter/<role>/``): students get the Assignments tab and
  Validate, without the formgrader, create-assignment or the course list; instructors get all of it.

Then it runs JupyterHub (the course venv's, pinned) behind configurable-http-proxy (pinned in
``hub/package.json``, installed with ``npm ci``), prints its URL once it answers, and stops it with the
single-user servers on Ctrl+C or SIGTERM.  The hub's database and the gradebook are SQLite, or PostgreSQL
with one setting, ``CONVBOOK_DATABASE=postgresql://user:password@host:port`` (databases ``jupyterhub`` and
``convbook_gradebook``, made when missing).
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import accounts, lab
from .config import load_config
from .paths import BIN, Course, CourseError
from .roster import Member, read_roster, roster_path

__all__ = ["DEFAULT_ROOT", "DEFAULT_ENV", "COURSE_ID", "hub_root", "env_dir", "database_urls", "build_env",
           "prepare_exchange", "instructor_copy", "role_configs", "settings", "serve", "down"]

DEFAULT_ROOT = Path("/srv/convbook-hub")
DEFAULT_ENV = Path("/opt/convbook-hub-env")
COURSE_ID = "convolution"
_SYSTEM_PYTHON = "/usr/bin/python3"
# what the users' environment holds, at the course's pins (requirements.txt, used as constraints)
_ENV_PACKAGES = ("jupyterhub", "jupyterlab", "notebook", "nbgrader", "ipywidgets", "ipykernel", "numpy", "scipy",
                 "sympy", "matplotlib", "jupytext", "psycopg2-binary", "SQLAlchemy",
                 "setuptools>=77")  # convbook's and coursekit's build backend (pyproject.toml), not Debian's 66


def hub_root() -> Path:
    """Where the hub keeps its state and the exchange (``CONVBOOK_HUB_ROOT``)."""
    return Path(os.environ.get("CONVBOOK_HUB_ROOT") or DEFAULT_ROOT)


def env_dir() -> Path:
    """The users' environment (``CONVBOOK_HUB_ENV``)."""
    return Path(os.environ.get("CONVBOOK_HUB_ENV") or DEFAULT_ENV)


def database_urls(setting: str | None, state: Path, course: Course) -> tuple[str, str]:
    """``(hub database URL, gradebook URL)`` from the one setting ``CONVBOOK_DATABASE``.

    >>> database_urls(None, Path("/s"), Course(Path("/c")))
    ('sqlite:////s/jupyterhub.sqlite', '')
    >>> database_urls("postgresql://u:p@127.0.0.1:5432", Path("/s"), Course(Path("/c")))
    ('postgresql+psycopg2://u:p@127.0.0.1:5432/jupyterhub', 'postgresql+psycopg2://u:p@127.0.0.1:5432/convbook_gradebook')
    >>> database_urls("mysql://x", Path("/s"), Course(Path("/c")))
    Traceback (most recent call last):
    ...
    coursekit.paths.CourseError: CONVBOOK_DATABASE must be empty or 'sqlite' (SQLite files) or a PostgreSQL server URL postgresql://user:password@host:port, got 'mysql://x'
    """
    if not setting or setting == "sqlite":
        return f"sqlite:///{state / 'jupyterhub.sqlite'}", ""  # the gradebook: the course's own SQLite
    if not setting.startswith("postgresql://") or setting.rstrip("/").count("/") > 2:
        raise CourseError("CONVBOOK_DATABASE must be empty or 'sqlite' (SQLite files) or a PostgreSQL server URL "
                          f"postgresql://user:password@host:port, got {setting!r}")
    # the driver named: SQLAlchemy 2.1 takes plain postgresql:// for psycopg 3, which the course does not install
    base = "postgresql+psycopg2://" + setting.rstrip("/")[len("postgresql://"):]
    return f"{base}/jupyterhub", f"{base}/convbook_gradebook"


def _ensure_pg_databases(server: str, names: tuple[str, ...]) -> None:
    import psycopg2

    conn = psycopg2.connect(server.rstrip("/") + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in names:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _step(text: str) -> None:
    print(f"hub: {text}", flush=True)


def _tree_hash(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                           and ".egg-info" not in str(p)):
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _write_constraints(python: Path, pins: str, constraints: Path) -> list[str]:
    """The course's pins as constraints for the users' environment, less the ones this Python cannot take.

    The pins are frozen on the course venv's Python; Debian's may be an older patch release, for which a
    pinned release may not exist (soupsieve 4.1 needs Python >= 3.11.5, Debian 12 has 3.11.2).  A dry run
    names those; each is left free (pip picks the newest that fits) and said.  Returns their names.
    """
    lines = [line for line in pins.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-e"))]
    freed: list[str] = []
    for _ in range(20):
        constraints.write_text("".join(line + "\n" for line in lines))
        result = subprocess.run([str(python), "-m", "pip", "install", "--dry-run",
                                 "--disable-pip-version-check", "-c", str(constraints), *_ENV_PACKAGES],
                                capture_output=True, text=True)
        if result.returncode == 0:
            break
        # pip: "The user requested (constraint) soupsieve==4.1.3" ... "no matching distributions available
        # for your environment:\n    soupsieve"
        tail = result.stdout + result.stderr
        if "no matching distributions available for your environment" not in tail:
            raise CourseError(f"the users' environment cannot be resolved at the course's pins:\n{tail[-3000:]}")
        names = tail.split("no matching distributions available for your environment:", 1)[1].split("\n\n")[0].split()
        drop = {n.lower().replace("_", "-") for n in names}
        kept = [ln for ln in lines if ln.split("==")[0].strip().lower().replace("_", "-") not in drop]
        if len(kept) == len(lines):
            raise CourseError(f"the users' environment cannot be resolved at the course's pins:\n{tail[-3000:]}")
        freed += sorted(drop)
        lines = kept
    if freed:
        _step(f"users' environment: {', '.join(freed)} left free of the course's pin (no release of that pin for "
              f"{python}'s Python version)")
    return freed


def build_env(repo: Path, env: Path) -> Path:
    """Build (or bring up to date) the users' environment ``env``; return its Python.

    Rebuilt when ``requirements.txt`` changed; convbook and coursekit are reinstalled when their sources did.
    """
    python = env / "bin" / "python"
    stamp_file = env / ".convbook-hub.json"
    pins = (repo / "requirements.txt").read_text()
    want = {"pins": hashlib.sha256(pins.encode()).hexdigest(),
            "sources": _tree_hash(repo / "src" / "convbook", repo / "autograder" / "coursekit", repo / "jupyter-config")}
    have = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    if have == want and python.exists():
        _step(f"users' environment {env}: up to date")
        return python
    if not Path(_SYSTEM_PYTHON).exists():
        raise CourseError(f"the users' environment is built on Debian's {_SYSTEM_PYTHON}: apt-get install python3-venv")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    constraints = env / "constraints.txt"
    if have.get("pins") != want["pins"] or not python.exists():
        _step(f"users' environment {env}: building (Debian's python3, the course's pins; a few minutes)")
        if env.exists():
            shutil.rmtree(env)
        subprocess.run([_SYSTEM_PYTHON, "-m", "venv", str(env)], check=True)
        # Debian's venv pip (23.0) misreads some of today's package metadata: bring pip up first, as for .venv
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        _write_constraints(python, pins, constraints)
        subprocess.run([*pip, "-c", str(constraints), *_ENV_PACKAGES], check=True)
    _step("users' environment: installing convbook and coursekit from this checkout")
    subprocess.run([*pip, "--no-deps", "--force-reinstall", "--no-build-isolation", str(repo), str(repo / "autograder")],
                   check=True, cwd=env)
    for dist in (repo / "build", repo / "autograder" / "build"):
        shutil.rmtree(dist, ignore_errors=True)  # setuptools' scratch folders: nothing is left in the checkout
    stamp_file.write_text(json.dumps(want) + "\n")
    os.chmod(env, 0o755)
    return python


def prepare_exchange(root: Path) -> Path:
    """nbgrader's exchange folder, writable by everyone (nbgrader's documented 0777); return it."""
    exchange = root / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o777)
    return exchange


def _repo_files(repo: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, check=True).stdout.decode()
    return [f for f in out.split("\0") if f and (repo / f).is_file()]


def instructor_copy(repo: Path, member: Member, env: Path, roster: Path) -> Path:
    """The instructor's copy of the course repository, ``~/convbook`` (made once; never overwritten)."""
    user = pwd.getpwnam(member.id)
    home = Path(user.pw_dir)
    copy = home / "convbook"
    if copy.exists():
        _step(f"{member.id}'s course {copy}: kept as it is")
        return copy
    _step(f"{member.id}'s course: copying this repository into {copy}")
    for name in _repo_files(repo):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, copy / name, follow_symlinks=False)
    (copy / ".venv").symlink_to(env)
    shutil.copyfile(roster, copy / "autograder" / "roster.csv")  # the hub's roster is the copy's class list
    for p in [copy, *copy.rglob("*")]:
        os.chown(p, user.pw_uid, user.pw_gid, follow_symlinks=False)
    return copy


def _nbgrader_config(exchange: Path, course_config: Path | None) -> str:
    lines = ["# the hub's nbgrader settings (written by `make hub`): the exchange, and the course list from the hub",
             "import os", "c = get_config()  # noqa: F821", f"c.Exchange.root = {str(exchange)!r}",
             'c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"']
    if course_config is not None:
        lines += ["# the course's own settings (its gradebook, for the formgrader), unless nbgrader already reads",
                  "# them from the folder it runs in",
                  f"if os.path.realpath(os.getcwd()) != {str(course_config.parent)!r}:",
                  f"    load_subconfig({str(course_config)!r})  # noqa: F821"]
    # a student's Validate judges as grading does through the config the convbook wheel installed into the
    # users' environment ({prefix}/etc/jupyter/nbgrader_config.py), which nbgrader reads after this one
    return "\n".join(lines) + "\n"


def role_configs(root: Path, exchange: Path, instructors: dict[str, Path]) -> dict[str, str]:
    """Each user's Jupyter configuration folder: ``jupyter/student`` or ``jupyter/instructor-<id>``."""
    student = lab.jupyter_config(root / "jupyter" / "student", "hub-student")
    (student / "nbgrader_config.py").write_text(_nbgrader_config(exchange, None))
    dirs = {"student": str(student)}
    for login, copy in instructors.items():
        d = lab.jupyter_config(root / "jupyter" / f"instructor-{login}", "instructor")
        (d / "nbgrader_config.py").write_text(_nbgrader_config(exchange, (copy / "autograder" / "nbgrader_config.py")))
        dirs[login] = str(d)
    for p in [root / "jupyter", *(root / "jupyter").rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return dirs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proxy(repo: Path) -> Path:
    """configurable-http-proxy, pinned in ``hub/package.json`` (``npm ci`` when it is missing or stale)."""
    hub = repo / "hub"
    binary = hub / "node_modules" / ".bin" / "configurable-http-proxy"
    lock, installed = hub / "package-lock.json", hub / "node_modules" / ".package-lock.json"
    if not binary.exists() or not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        if shutil.which("npm") is None:
            raise CourseError("the hub's proxy is installed with npm, which is missing: apt-get install npm")
        _step("proxy: npm ci (configurable-http-proxy, pinned in hub/package-lock.json)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=hub, check=True)
    return binary


def settings(course: Course, *, port: int, root: Path, env: Path) -> dict:
    """Set everything up (accounts, environment, exchange, copies, configurations); the hub's settings."""
    if os.geteuid() != 0:
        raise CourseError("`make hub` needs root: it makes the roster's Unix accounts and starts each user's "
                          "server as that user (run it as root, or with sudo)")
    repo = course.repo
    roster = roster_path(course)
    members = read_roster(roster)
    state = root / "state"
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    new = accounts.ensure_accounts(members, state)
    _step(f"accounts: {len(members)} in the roster, {len(new)} made now"
          + (f" (their passwords: {state / 'passwords.csv'}, readable by root only)" if new else ""))
    python = build_env(repo, env)
    exchange = prepare_exchange(root)
    _step(f"exchange: {exchange}")
    instructors = {m.id: instructor_copy(repo, m, env, roster) for m in members if m.role == "instructor"}
    # the Makefile's stamp (the instructor's `.venv` is this environment), newer than the copies'
    # requirements.txt and pyproject.toml (copied with their times): `make` there never tries to rebuild it
    (env / ".installed").touch()
    hub_db, gradebook = database_urls(os.environ.get("CONVBOOK_DATABASE"), state, course)
    if gradebook:
        _ensure_pg_databases(os.environ["CONVBOOK_DATABASE"], ("jupyterhub", "convbook_gradebook"))
    configs = role_configs(root, exchange, instructors)
    return {
        "port": port, "hub_port": _free_port(), "proxy_api_port": _free_port(),
        "proxy": str(_proxy(repo)), "state": str(state), "db_url": hub_db, "gradebook_url": gradebook,
        "singleuser": str(python.parent / "jupyterhub-singleuser"), "env_bin": str(python.parent),
        "course_id": COURSE_ID, "configs": configs,
        "instructors": {login: str(copy) for login, copy in instructors.items()},
        "students": [m.id for m in members if m.role == "student"],
    }


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/hub/api", timeout=10):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def serve(course: Course, *, port: int | None = None) -> int:
    """Set up and run the hub on 127.0.0.1 (``port``: ``HUB_PORT``, else 8000); its exit status."""
    load_config(course)
    root, env = hub_root(), env_dir()
    port = lab.pick_port(port if port is not None else 8000)
    t0 = time.monotonic()
    conf = settings(course, port=port, root=root, env=env)
    settings_file = Path(conf["state"]) / "settings.json"
    settings_file.write_text(json.dumps(conf, indent=1) + "\n")
    os.chmod(settings_file, 0o600)
    hub_env = dict(os.environ, CONVBOOK_HUB_SETTINGS=str(settings_file), PATH=f"{BIN}:{os.environ.get('PATH', '')}")
    cmd = [str(BIN / "jupyterhub"), "-f", str(course.repo / "hub" / "jupyterhub_config.py")]
    _step(f"starting JupyterHub on 127.0.0.1:{port}")
    proc = subprocess.Popen(cmd, cwd=conf["state"], env=hub_env)
    forward = lambda signum, _frame: proc.send_signal(signal.SIGTERM)  # noqa: E731
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, forward)
    url = f"http://127.0.0.1:{port}"
    while proc.poll() is None and not _answers(url):
        time.sleep(0.25)  # polling a socket that is not listening yet: nothing to wait on
    if proc.poll() is not None:
        raise CourseError(f"JupyterHub stopped with status {proc.returncode} before it served {url} "
                          "(its messages are above)")
    print(f"\nJupyterHub is ready: open {url}/ (set-up and start {time.monotonic() - t0:.1f} s)\n"
          f"    log in as a roster member; passwords of the accounts made: {Path(conf['state']) / 'passwords.csv'}\n"
          "    (Ctrl+C to stop it and every user's server)\n", flush=True)
    return proc.wait()


def down() -> list[str]:
    """Remove the accounts that ``make hub`` made and the hub's root (not the users' environment)."""
    root = hub_root()
    removed = accounts.remove_accounts(root / "state")
    shutil.rmtree(root, ignore_errors=True)
    return removed
