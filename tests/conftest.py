"""Shared fixtures: paths of the repository and the coursekit command line; and the rule that a skipped
test is not a passing test (any skip fails the run, with the list of what was skipped and why)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def coursekit(course_dir: Path, *args: str) -> list[str]:
    """The command line ``coursekit --course COURSE_DIR ARGS`` with this interpreter."""
    return [sys.executable, "-m", "coursekit", "--course", str(course_dir), *args]


# The jupytext header of a MyST master: the small masters of the grading tests start with it.
MYST_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def tiny_course(top: Path, master: str, submissions: dict[str, dict[str, str]]) -> tuple[Path, dict]:
    """A scratch course in ``top`` with one set, ``demo``, from the master text ``master``, released, and
    one submission per student: the release with the cells ``{grade_id: source}`` filled in.  Returns the
    course folder and the environment to run coursekit in (no grading seed or gradebook URL from outside,
    15 s of CPU per cell and per re-checked exercise)."""
    import os
    import subprocess

    import nbformat

    from coursekit import paths

    ag = paths.scratch_course(top, [])
    (ag / "source" / "demo").mkdir(parents=True)
    (ag / "source" / "demo" / "demo.md").write_text(master)
    env = {k: v for k, v in os.environ.items() if k not in ("CONVBOOK_GRADING_SEED", "CONVBOOK_GRADEBOOK_URL")}
    env.update(CONVBOOK_CELL_CPU="15", CONVBOOK_RECHECK_SECONDS="15")
    subprocess.run(coursekit(ag, "release"), cwd=top, env=env, check=True, capture_output=True, text=True)
    release_nb = nbformat.read(ag / "release" / "demo" / "demo.ipynb", as_version=4)
    for student, answers in submissions.items():
        nb = nbformat.from_dict(release_nb)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell.source = answers[gid]
        (ag / "submitted" / student / "demo").mkdir(parents=True)
        nbformat.write(nb, ag / "submitted" / student / "demo" / "demo.ipynb")
    return ag, env


def toc_files() -> list[str]:
    """Every document of ``_toc.yml``, root first (paths without their suffix)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            files.append(e["file"])
            walk(e.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


_SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    """Collect every skip (on the xdist controller, the workers' reports arrive here too)."""
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _SKIPPED:
        terminalreporter.write_sep("!", f"{len(_SKIPPED)} TESTS SKIPPED: a skip is not a pass", red=True, bold=True)
        for line in _SKIPPED[:50]:
            terminalreporter.write_line(f"  {line}")
        if chromium_path() is None:
            terminalreporter.write_line("  no chromium on PATH: `make test` installs it (tools/debian-packages.sh)")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _SKIPPED and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
