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
