"""Several grading machines, one PostgreSQL gradebook.

A real PostgreSQL server (Debian's package; `.ci/run` installs it) is started
by this test on 127.0.0.1 in a scratch directory and stopped after.  Two
"machines" (two copies of the course directory) grade their own shard of the
class at the same time against the shared gradebook; the result must be the
same as grading the whole class on one machine, and each machine's
``coursekit report`` then writes the whole class (the verdicts are stored in
the same database).
"""

from __future__ import annotations

import contextlib
import csv
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from conftest import coursekit
from coursekit import paths

pytestmark = [pytest.mark.slow]

ASSIGNMENT = "01-continuous"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd, **kw):
    """Run a server command as the `postgres` system user when we are root (postgres refuses root)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


@contextlib.contextmanager
def postgres_server():
    """A scratch PostgreSQL server on a free 127.0.0.1 port, trusting local connections; yields the URL of its
    database ``gradebook`` and stops the server (and removes its folder) after."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed: `apt-get install postgresql` (.ci/run does it)")
    # pytest's own tmp folders are private to root; the server's user must reach its data folder
    data = Path(tempfile.mkdtemp(prefix="convbook-pg-"))
    os.chmod(data, 0o700)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"])
    _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
                  f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
    try:
        _as_postgres([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook"])
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    finally:
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as url:
        yield url


def _machine(top: Path, students: dict) -> Path:
    """A copy of the course directory, as a grading machine would have it."""
    ag = paths.scratch_course(top, [ASSIGNMENT])
    for student, nb in students.items():
        d = ag / "submitted" / student / ASSIGNMENT
        d.mkdir(parents=True)
        nbformat.write(nb, d / f"{ASSIGNMENT}.ipynb")
    return ag


def test_two_machines_share_one_postgres_gradebook(postgres, tmp_path):
    from test_autograder import STUDENTS, _student_notebook

    first = _machine(tmp_path / "release-maker", {})
    env = dict(os.environ, CONVBOOK_GRADEBOOK_URL=postgres, CONVBOOK_CELL_CPU="6", CONVBOOK_RECHECK_SECONDS="15")
    subprocess.run(coursekit(first, "release"), cwd=first.parent, env=env,
                   check=True, capture_output=True, text=True)
    release = nbformat.read(first / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    master = nbformat.read(first / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    students = {}
    for i in range(3):
        students[f"sol{i}"] = _student_notebook(release, master)
        students[f"wrong{i}"] = _student_notebook(release, master, **STUDENTS["wrong"])
    students["blank"] = release

    machines = []
    for k in range(2):
        ag = _machine(tmp_path / f"machine{k}", students)
        shutil.copytree(first / "release", ag / "release")
        shutil.copy2(first / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", ag / "source" / ASSIGNMENT)
        machines.append(ag)
    procs = [subprocess.Popen(coursekit(ag, "grade", "--no-release", "--jobs", "1", "--shard", f"{k}/2"), cwd=ag.parent, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
             for k, ag in enumerate(machines)]
    outs = [p.communicate(timeout=1500)[0] for p in procs]
    for p, out in zip(procs, outs):
        assert p.returncode == 0, out[-3000:]
    graded = [set(l.split()[2].split("/")[0] for l in out.splitlines() if ": graded (" in l) for out in outs]
    assert graded[0] and graded[1] and not graded[0] & graded[1], "each machine grades its own slice"
    assert graded[0] | graded[1] == set(students)

    # Every machine sees the whole class in the shared gradebook.
    with (machines[0] / "grades.csv").open() as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    from nbgrader.api import Gradebook
    with Gradebook(postgres) as gb:
        totals = {s: gb.find_submission(ASSIGNMENT, s).score for s in students}
    best = totals["sol0"]
    assert best > 0 and all(totals[f"sol{i}"] == best for i in range(3))
    assert all(0 < totals[f"wrong{i}"] < best for i in range(3))
    assert totals["blank"] == 0
    for s in ("sol0", "wrong0"):
        if rows[s][f"{ASSIGNMENT}/status"] == "graded":  # graded by machine 0, so its CSV has the scores
            assert float(rows[s][f"{ASSIGNMENT}/total"]) == totals[s]

    # The verdicts live in the shared gradebook too: `coursekit report` on either machine, once both have
    # finished, writes the whole class, graded, with the same totals, and the same grades.csv on both.
    csvs = []
    for ag in machines:
        result = subprocess.run(coursekit(ag, "report"), cwd=ag.parent, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert f"{len(students)} submission(s), {len(students)} graded" in result.stdout, result.stdout
        with (ag / "grades.csv").open() as fh:
            rows = {r["student"]: r for r in csv.DictReader(fh)}
        assert {s: r[f"{ASSIGNMENT}/status"] for s, r in rows.items()} == {s: "graded" for s in students}
        for s in students:
            assert float(rows[s][f"{ASSIGNMENT}/total"]) <= totals[s] + 1e-9, (s, rows[s])  # capped, never more
            assert rows[s][f"{ASSIGNMENT}/total"] == rows[s]["total"]
        assert float(rows["sol0"]["total"]) == best and float(rows["blank"]["total"]) == 0
        csvs.append((ag / "grades.csv").read_bytes())
    assert csvs[0] == csvs[1], "both machines write the same grades.csv"
