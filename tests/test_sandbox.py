"""The grading sandbox, for real: bubblewrap, an unprivileged user, limits, and a real kernel in it.

Each test runs code as a submission would, inside :func:`coursekit.sandbox.bwrap_argv`
or in a kernel started from the sandbox's kernel spec, and checks what it
could reach.  Nothing is mocked: a test that cannot start bubblewrap fails.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from conftest import ROOT
from coursekit import sandbox
from coursekit.paths import CourseError

pytestmark = [pytest.mark.slow]


def run_inside(tmp_path: Path, code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` with the venv's Python inside the sandbox, in a fresh working folder, with its limits."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    sandbox._prepare_writable(work)
    argv = sandbox.bwrap_argv(work, [work], [sys.executable, "-c", textwrap.dedent(code)])
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=work,
                          preexec_fn=sandbox._limit_resources)


def test_bwrap_is_there():
    assert Path(sandbox.bwrap_path()).exists()
    sandbox.check_available()


def test_the_sandbox_sees_no_course_file_and_no_home(tmp_path):
    secret = ROOT / "autograder" / "source" / "01-continuous" / "01-continuous.md"
    assert secret.exists()
    proc = run_inside(tmp_path, f"""
        import os, convbook
        seen = {{}}
        for path in [{str(secret)!r}, {str(ROOT / "autograder")!r}, {str(ROOT / "README.md")!r},
                     os.path.expanduser("~root"), "/root/.bash_history", {str(ROOT / ".git")!r}]:
            seen[path] = os.path.exists(path)
        print(seen)
        print("uid", os.getuid())
        print("convbook", convbook.__file__)
    """)
    assert proc.returncode == 0, proc.stderr
    seen = eval(proc.stdout.splitlines()[0])  # noqa: S307 - our own dict literal
    assert seen[str(secret)] is False and seen[str(ROOT / "autograder")] is False
    assert seen[str(ROOT / "README.md")] is False and seen[str(ROOT / ".git")] is False
    assert "convbook" in proc.stdout  # ... while the package it needs is there
    if os.geteuid() == 0:
        assert "uid 65534" in proc.stdout, "grading as root, the sandbox runs as nobody"


def test_the_system_is_read_only(tmp_path):
    proc = run_inside(tmp_path, f"""
        import errno
        for path in ["/usr/evil", {str(Path(sys.prefix) / "evil")!r}, "/etc/evil"]:
            try:
                open(path, "w")
            except OSError as exc:
                print("refused", path, errno.errorcode[exc.errno])
            else:
                print("WROTE", path)
        open("answer.txt", "w").write("the working folder is writable")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "WROTE" not in proc.stdout and proc.stdout.count("refused") == 3
    assert (tmp_path / "work" / "answer.txt").read_text() == "the working folder is writable"


def test_no_network_not_even_the_graders_loopback(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        proc = run_inside(tmp_path, f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=5)
            except OSError as exc:
                print("refused", type(exc).__name__)
            else:
                print("CONNECTED")
        """)
    assert proc.returncode == 0, proc.stderr
    assert "refused" in proc.stdout


def test_a_fork_bomb_is_bounded(tmp_path):
    proc = run_inside(tmp_path, """
        import os, time
        children = 0
        try:
            for _ in range(5000):
                if os.fork() == 0:
                    time.sleep(20)
                    os._exit(0)
                children += 1
        except OSError as exc:
            print("stopped after", children, type(exc).__name__, flush=True)
        else:
            print("FORKED", children, flush=True)
        os._exit(0)
    """)
    assert "stopped after" in proc.stdout, (proc.stdout, proc.stderr)
    assert int(proc.stdout.split()[2]) <= int(os.environ.get("CONVBOOK_SANDBOX_PROCS", "512"))


#: starts one sandbox from a process of its own, as a grading worker or a kernel's launcher does
_LAUNCH = """
import os, sys
from pathlib import Path
from coursekit import sandbox
work = Path(sys.argv[1])
sandbox._prepare_writable(work)
sandbox._limit_resources()
os.chdir(work)
argv = sandbox.bwrap_argv(work, [work], [sys.executable, "-c", sys.argv[2]])
os.execvp(argv[0], argv)
"""


def _launch(tmp_path: Path, name: str, code: str) -> subprocess.Popen:
    work = tmp_path / name
    work.mkdir()
    return subprocess.Popen([sys.executable, "-c", _LAUNCH, str(work), textwrap.dedent(code)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="the sandboxes change user only when grading as root")
def test_a_fork_bomb_does_not_take_the_processes_of_a_sandbox_beside_it(tmp_path):
    """Two submissions graded at once: one holds every process it may have, the other still forks."""
    bomb = _launch(tmp_path, "bomb", """
        import os, sys, time
        children = 0
        try:
            for _ in range(5000):
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
        except OSError as exc:
            print("holding", children, type(exc).__name__, flush=True)
        sys.stdin.close()
        time.sleep(60)
        os._exit(0)
    """)
    try:
        line = bomb.stdout.readline()
        assert line.startswith("holding"), (line, bomb.stderr.read() if bomb.poll() is not None else "")
        neighbour = _launch(tmp_path, "neighbour", """
            import os
            for k in range(50):
                pid = os.fork()
                if pid == 0:
                    os._exit(0)
                os.waitpid(pid, 0)
            print("forked 50", flush=True)
        """)
        out, err = neighbour.communicate(timeout=120)
        assert neighbour.returncode == 0 and "forked 50" in out, (out, err)
    finally:
        bomb.kill()
        bomb.communicate(timeout=60)


def test_memory_and_file_size_are_bounded(tmp_path):
    proc = run_inside(tmp_path, """
        try:
            block = bytearray(8 * 2**30)
        except MemoryError:
            print("no 8 GiB")
        try:
            with open("big", "wb") as fh:
                for _ in range(2048):
                    fh.write(b"x" * 2**20)
        except OSError as exc:
            print("no 2 GiB file:", exc.strerror)
    """)
    assert proc.returncode == 0, proc.stderr
    assert "no 8 GiB" in proc.stdout and "no 2 GiB file" in proc.stdout
    assert (tmp_path / "work" / "big").stat().st_size <= 512 * 2**20


def test_nothing_outlives_the_sandbox(tmp_path):
    """A detached grandchild (its own session, as ``posix_spawn(setsid=True)`` makes) dies with the sandbox."""
    proc = run_inside(tmp_path, """
        import os, subprocess, sys
        subprocess.Popen([sys.executable, "-c",
                          "import time; time.sleep(4); open('still-here', 'w').write('!')"],
                         start_new_session=True)
        print("parent leaves")
    """)
    assert proc.returncode == 0 and "parent leaves" in proc.stdout, proc.stderr
    time.sleep(8)
    assert not (tmp_path / "work" / "still-here").exists(), "a process outlived its sandbox"


def _run_notebook(tmp_path: Path, sources: list[str], cell_cpu: float) -> nbformat.NotebookNode:
    """Execute a notebook with the sandbox's kernel, configured exactly as grading configures it."""
    from nbclient import NotebookClient

    c = Config()
    old = {k: os.environ.get(k) for k in ("CONVBOOK_CELL_CPU", "JUPYTER_PATH")}
    os.environ["CONVBOOK_CELL_CPU"] = str(cell_cpu)
    try:
        sandbox.configure(c)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        work = tmp_path / "nb"
        work.mkdir()
        client = NotebookClient(nb, kernel_name=c.Execute.kernel_name, timeout=c.Execute.timeout,
                                allow_errors=True, interrupt_on_timeout=True, config=c,
                                resources={"metadata": {"path": str(work)}})
        client.execute()
        return nb
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_a_cell_is_stopped_by_cpu_time_and_the_next_cell_runs(tmp_path):
    nb = _run_notebook(tmp_path, ["while True:\n    pass", "import time\nt0 = time.time(); time.sleep(3)\n"
                                  "print('slept', round(time.time() - t0))", "print('next cell ran')"],
                       cell_cpu=2)
    loop, sleep, after = nb.cells
    errors = [o for o in loop.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "CellCPUTimeExceeded", loop.outputs
    assert "CPU time" in errors[0].evalue
    # waiting is not working: 3 s of sleep is no reason to stop a cell whose CPU budget is 2 s
    assert "slept 3" in "".join(o.get("text", "") for o in sleep.outputs), sleep.outputs
    assert "next cell ran" in "".join(o.get("text", "") for o in after.outputs)


def test_the_kernel_in_the_sandbox_cannot_see_the_master(tmp_path):
    secret = ROOT / "autograder" / "source" / "01-continuous" / "01-continuous.md"
    nb = _run_notebook(tmp_path, [f"import os\nprint(os.path.exists({str(secret)!r}), os.getuid())"], cell_cpu=20)
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert text.startswith("False"), nb.cells[0].outputs
    if os.geteuid() == 0:
        assert text.split()[1] == "65534"


def test_a_kernel_without_ipc_is_refused(tmp_path):
    conn = tmp_path / "kernel.json"
    conn.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1"}))
    with pytest.raises(CourseError, match="has no network: its connection must be IPC sockets"):
        sandbox.kernel(str(conn))


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_bad_settings_are_named(monkeypatch, value):
    monkeypatch.setenv("CONVBOOK_CELL_CPU", value)
    with pytest.raises(CourseError, match=f"CONVBOOK_CELL_CPU must be a positive number of seconds, got '{value}'"):
        sandbox.cell_cpu_seconds()


def test_grading_refuses_without_bubblewrap(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CourseError, match="apt-get install bubblewrap"):
        sandbox.bwrap_path()


def test_a_grader_who_is_not_root_gets_a_user_namespace_and_no_setpriv(monkeypatch, tmp_path):
    """As root the sandbox drops to a user of its own with setpriv; as anyone else (the instructor on the hub,
    tests/test_hub.py) bubblewrap makes a user namespace, and setpriv, which only root may use, is left out."""
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    argv = sandbox.bwrap_argv(tmp_path, [tmp_path], ["true"])
    assert "--unshare-user" in argv and not any(a.endswith("setpriv") for a in argv), argv
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    argv = sandbox.bwrap_argv(tmp_path, [tmp_path], ["true"])
    assert "--unshare-user" not in argv and any(a.endswith("setpriv") for a in argv), argv
