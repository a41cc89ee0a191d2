"""Shared fixtures: paths of the repository, the coursekit command line, and the loud notice for skipped
browser tests."""

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


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if chromium_path() is None:
        terminalreporter.write_sep(
            "!", "BROWSER TESTS SKIPPED: no chromium on PATH (`apt-get install chromium`; .ci/run does it)",
            red=True, bold=True)
