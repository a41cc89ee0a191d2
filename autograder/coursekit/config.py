"""nbgrader's configuration of a course, and the nbgrader command line run with it."""

from __future__ import annotations

import os
import subprocess

from .paths import BIN, Course, CourseError


def load_config(course: Course):
    """nbgrader's configuration from the course's ``nbgrader_config.py``."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(course.dir)).load_config()


def db_url(course: Course) -> str:
    """The gradebook's SQLAlchemy URL (SQLite beside the config, or ``CONVBOOK_GRADEBOOK_URL``)."""
    return str(load_config(course).CourseDirectory.db_url)


def venv_env(env=None) -> dict:
    """``env`` (default: this process's) with the venv's bin first on PATH: nbgrader calls ``alembic``."""
    env = dict(os.environ if env is None else env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(cmd: list[str], *, cwd, check: bool = True, capture: bool = False):
    """Run a command with the venv's bin on PATH; a failure is a :class:`CourseError`."""
    result = subprocess.run(cmd, cwd=cwd, env=venv_env(), text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.STDOUT if capture else None)
    if check and result.returncode != 0:
        out = result.stdout or ""
        raise CourseError(f"command failed ({result.returncode}): {' '.join(cmd)}\n{out[-3000:]}")
    return result


def nbgrader(course: Course, *args: str, check: bool = True, capture: bool = False):
    """``nbgrader ARGS`` run in the course folder, so that it reads the course's config."""
    return run([str(BIN / "nbgrader"), *args], cwd=course.dir, check=check, capture=capture)
