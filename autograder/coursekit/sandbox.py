"""The sandbox that every grading kernel runs in: bubblewrap, an unprivileged user, CPU-time limits.

nbgrader starts one kernel per submission and runs the student's code in it.
Here that kernel is started through a kernel spec (:func:`install_kernelspec`)
whose argv is ``python -m coursekit.sandbox kernel {connection_file}``:
the one place where a grading kernel starts.  That command, still outside,
builds a bubblewrap (``bwrap``) sandbox and replaces itself with it:

- **what the kernel sees**: the system (``/usr``, ``/etc``), the Python
  installation, the venv and convbook's sources, all read-only; a private
  ``/tmp``; and, writable, only the folder holding this submission's copy and
  the worker's private runtime folder (the connection file and the kernel's
  IPC sockets).  Not the masters, the gradebook, the reports, other
  submissions, ``$HOME`` or the rest of the repository.
- **no network**: its own network namespace.  The kernel talks to nbgrader
  over IPC sockets (``KernelManager.transport = "ipc"``), which are files in
  the runtime folder.
- **its own processes**: its own PID namespace and session; when nbgrader
  stops the kernel, bubblewrap dies and the kernel takes every process of the
  sandbox with it (``--die-with-parent``), detached ones included.
- **an unprivileged user** (``nobody`` when grading as root), so that the
  process limit holds and root's files stay root's.  Outside, each process
  that starts sandboxes gives them a user id of their own
  (:func:`sandbox_uid`), mapped to ``nobody`` inside by a user namespace:
  the kernel counts the process limit per user, so a fork bomb in one
  submission cannot use up the processes of another graded beside it.
- **limits**: address space, processes, file size and total CPU seconds
  (``setrlimit``), and per cell a CPU-time budget (``ITIMER_PROF``) that
  stops the cell with a ``TimeoutError`` and lets the rest of the notebook
  run.  CPU time, not wall time: a busy machine makes grading slower, never
  harsher.  nbgrader's wall-clock cell timeout stays only as a backstop for a
  blocked cell, at ten times the CPU budget.

Settings (environment): ``CONVBOOK_CELL_CPU`` (CPU seconds per cell, 20),
``CONVBOOK_SANDBOX_MEMORY_MB`` (address space, 6144), ``CONVBOOK_SANDBOX_PROCS``
(processes and threads, 512), ``CONVBOOK_SANDBOX_FILE_MB`` (largest file, 512).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

from .paths import CourseError

KERNEL_NAME = "convbook-sandbox"
TMP_ENV = "COURSEKIT_SANDBOX_TMP"
NOBODY = 65534
#: environment variables passed into the sandbox (nothing else is: no grading secret, no gradebook URL)
PASSED_ENV = ("LANG", "LC_ALL", "PYTHONHASHSEED", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
              "OMP_NUM_THREADS", "MKL_NUM_THREADS", "CONVBOOK_CELL_CPU")
_CELL_LIMIT_FILE = Path(__file__).with_name("_cell_cpu_limit.py")
_INSIDE = "/opt/coursekit"  # where the kernel launcher is mounted inside the sandbox


def cell_cpu_seconds() -> float:
    """The CPU-time budget of one cell, in seconds (``CONVBOOK_CELL_CPU``, default 20): convbook.grading's."""
    from convbook import grading

    try:
        return grading.cell_cpu_seconds()
    except ValueError as exc:
        raise CourseError(str(exc)) from None


def wall_backstop_seconds() -> int:
    """nbgrader's wall-clock cell timeout (convbook.grading's): only a blocked cell ever reaches it."""
    from convbook import grading

    cell_cpu_seconds()  # a bad CONVBOOK_CELL_CPU is a CourseError here
    return grading.wall_backstop_seconds()


def _positive_setting(name: str, default: float) -> float:
    raw = os.environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise CourseError(f"{name} must be a positive number, got {raw!r}")
    return value


def bwrap_path() -> str:
    """The bubblewrap binary; a :class:`CourseError` that says how to install it when it is missing."""
    found = shutil.which("bwrap")
    if found is None:
        raise CourseError("grading runs student code only inside a bubblewrap sandbox, and `bwrap` is not installed: "
                          "apt-get install bubblewrap")
    return found


def _readonly_roots() -> list[str]:
    """What a kernel needs to read: the system, Python, the venv and the sources of editable installs."""
    roots = ["/usr", "/etc", sys.base_prefix, sys.prefix]
    spec = importlib.util.find_spec("convbook")
    if spec is not None and spec.submodule_search_locations:
        roots.append(str(Path(next(iter(spec.submodule_search_locations))).resolve()))
    out: list[str] = []
    for root in sorted({str(Path(r).resolve()) for r in roots}, key=len):
        if not any(root == o or root.startswith(o + "/") for o in out):
            out.append(root)
    return out


#: the first of the sandboxes' own user ids (outside; inside, every one of them is nobody)
UID_BASE = 2**30


def sandbox_uid() -> int:
    """The user id, outside, of the sandboxes that this process starts (grading as root).

    One per process (``UID_BASE`` plus the process id), so that no two
    sandboxes that run at the same time share one: ``RLIMIT_NPROC`` counts
    the processes of a user, and a shared user would let a fork bomb in one
    submission take the processes of every other.  A process runs its
    sandboxes one after the other (a grading worker: the kernel's launcher is
    a process of its own, then the re-check).

    Examples
    --------
    >>> sandbox_uid() == UID_BASE + os.getpid()
    True
    """
    return UID_BASE + os.getpid()


def bwrap_argv(workdir: Path, writable: list[Path], command: list[str]) -> list[str]:
    """The bubblewrap command that runs ``command`` in ``workdir`` inside the sandbox."""
    as_root = os.geteuid() == 0
    # every namespace but the user's when root: setpriv below then drops to a real unprivileged user
    argv = [bwrap_path(), "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            *([] if as_root else ["--unshare-user"]), "--die-with-parent", "--new-session", "--clearenv"]
    # a private /tmp first (the grader's /tmp is never seen), so that the mounts below may sit inside it
    argv += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
    mounts = [*_readonly_roots(), *map(str, writable), f"{_INSIDE}/{_CELL_LIMIT_FILE.name}"]
    # bubblewrap makes the folders above a mount point private (0700): open them, or nobody cannot pass
    for parent in sorted({str(a) for m in mounts for a in Path(m).parents if str(a) != "/"}, key=len):
        argv += ["--perms", "0755", "--dir", parent]
    for top in _readonly_roots():
        argv += ["--ro-bind", top, top]
    for name in ("lib", "lib64", "bin", "sbin"):  # Debian's merged /usr
        if Path(f"/{name}").is_symlink():
            argv += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
    argv += ["--ro-bind", str(_CELL_LIMIT_FILE), f"{_INSIDE}/{_CELL_LIMIT_FILE.name}"]
    for path in writable:
        argv += ["--bind", str(path), str(path)]
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME="/tmp", MPLCONFIGDIR="/tmp/matplotlib",
               IPYTHONDIR="/tmp/ipython", MPLBACKEND="Agg")
    for k, v in sorted(env.items()):
        argv += ["--setenv", k, v]
    argv += ["--chdir", str(workdir)]
    if as_root:
        # as root, become this process's own unprivileged user (no file is writable by ownership, and the process
        # limit holds and is this sandbox's alone), seen as nobody from inside its own user namespace
        uid = sandbox_uid()
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                 shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}",
                 "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
                 shutil.which("unshare") or "/usr/bin/unshare", f"--map-user={NOBODY}", f"--map-group={NOBODY}"]
    argv += ["--"]
    return argv + command


def _limit_resources() -> None:
    """Limits of the sandboxed process tree, set just before bubblewrap starts."""
    import resource

    mib = 2**20
    limits = {
        resource.RLIMIT_AS: int(_positive_setting("CONVBOOK_SANDBOX_MEMORY_MB", 6144) * mib),
        resource.RLIMIT_FSIZE: int(_positive_setting("CONVBOOK_SANDBOX_FILE_MB", 512) * mib),
        resource.RLIMIT_NPROC: int(_positive_setting("CONVBOOK_SANDBOX_PROCS", 512)),
        resource.RLIMIT_CORE: 0,
        # the whole notebook: every cell's budget, and then some (the per-cell timer stops a cell long before)
        resource.RLIMIT_CPU: int(60 * cell_cpu_seconds()),
    }
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))


def _prepare_writable(path: Path) -> None:
    """Make a folder (and what is in it) the sandbox user's (:func:`sandbox_uid`), so that the kernel may write."""
    if os.geteuid() != 0:
        return
    uid = sandbox_uid()
    for p in [path, *path.rglob("*")]:
        os.chown(p, uid, uid, follow_symlinks=False)


def kernel(connection_file: str) -> None:
    """Start an IPython kernel in the sandbox (the kernel spec's argv ends here).

    Runs outside, as the grader: it hands the submission's folder and the
    worker's private IPC folder to the sandbox user, copies the connection
    file there (its key lets only nbgrader talk to this kernel), sets the
    limits and replaces itself with bubblewrap.
    """
    info = json.loads(Path(connection_file).read_text())
    if info.get("transport") != "ipc" or not os.path.isabs(info.get("ip", "")):
        raise CourseError("a sandboxed kernel has no network: its connection must be IPC sockets in a private "
                          "folder (coursekit.sandbox.configure sets that up)")
    ipc_dir = Path(info["ip"]).parent.resolve()
    workdir = Path.cwd().resolve()
    conn = ipc_dir / Path(connection_file).name
    if conn != Path(connection_file).resolve():
        shutil.copyfile(connection_file, conn)
    os.chmod(conn, 0o600)
    for path in (workdir, ipc_dir):
        _prepare_writable(path)
    command = [sys.executable, f"{_INSIDE}/{_CELL_LIMIT_FILE.name}", "-f", str(conn), "--HistoryManager.enabled=False",
               "--IPKernelApp.log_level=ERROR", "--IPKernelApp.parent_handle=1"]  # 1: no parent poller, no banner
    argv = bwrap_argv(workdir, [workdir, ipc_dir], command)
    _limit_resources()
    os.execv(argv[0], argv)


def install_kernelspec(data_dir: Path) -> str:
    """Write the sandbox's kernel spec under ``data_dir/kernels/``; returns the kernel name."""
    spec_dir = Path(data_dir) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [sys.executable, "-m", "coursekit.sandbox", "kernel", "{connection_file}"],
            "display_name": "Python 3 (grading sandbox)", "language": "python",
            # a signal cannot reach a kernel in another PID namespace and session: interrupt by message
            "interrupt_mode": "message", "metadata": {"debugger": False}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return KERNEL_NAME


def configure(c) -> None:
    """Make every nbgrader execution configured by ``c`` (autograde, validate) run in the sandbox.

    Called from the course's ``nbgrader_config.py``.  Each process that loads
    the config gets a private folder (removed at exit) for the kernel spec and
    for its kernels' IPC sockets, so that no two processes' kernels can see
    each other's sockets.
    """
    import atexit
    import tempfile

    # under TMP_ENV when the caller owns a folder for it (grading workers end without running atexit)
    private = Path(tempfile.mkdtemp(prefix="coursekit-sandbox-", dir=os.environ.get(TMP_ENV) or None))
    atexit.register(shutil.rmtree, private, True)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(private / "share")] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    c.Execute.kernel_name = install_kernelspec(private / "share")
    c.KernelManager.transport = "ipc"
    (private / "ipc").mkdir()
    c.KernelManager.ip = str(private / "ipc" / "kernel")
    c.Execute.timeout = wall_backstop_seconds()
    c.Execute.interrupt_on_timeout = True


def run_sandboxed(workdir: Path, command: list[str], *, cpu_seconds: float, wall_seconds: float,
                  stderr=None) -> int | None:
    """Run ``command`` in the sandbox with ``workdir`` as its only writable folder; its return code.

    The same sandbox as a grading kernel's (:func:`bwrap_argv`, the limits of
    :func:`_limit_resources`), with the process's CPU time capped at
    ``cpu_seconds``.  ``stdin`` and ``stdout`` are closed; ``stderr`` is
    a file opened outside, or closed too.  Returns None when the sandbox was
    still running after ``wall_seconds`` (a backstop for a blocked process:
    it is then killed, with everything in it).
    """
    import resource
    import subprocess

    workdir = Path(workdir).resolve()
    _prepare_writable(workdir)
    argv = bwrap_argv(workdir, [workdir], command)
    cpu = max(1, int(cpu_seconds))

    def limits() -> None:
        _limit_resources()
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        resource.setrlimit(resource.RLIMIT_CPU, (min(cpu, hard), min(cpu + 5, hard)))

    try:
        return subprocess.run(argv, cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=stderr if stderr is not None else subprocess.DEVNULL, timeout=wall_seconds,
                              preexec_fn=limits).returncode
    except subprocess.TimeoutExpired:
        return None


def check_available() -> None:
    """Refuse to grade without a working sandbox, saying why."""
    import subprocess

    argv = bwrap_argv(Path("/"), [], [sys.executable, "-c", "import convbook"])
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise CourseError(f"the grading sandbox does not start here (bubblewrap said: "
                          f"{(proc.stderr or proc.stdout).strip()[-500:]})")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "kernel":
        raise SystemExit("usage: python -m coursekit.sandbox kernel CONNECTION_FILE")
    kernel(sys.argv[2])
