"""Where a course's files live: the bottom layer, imported by every other module.

A course is a folder laid out as nbgrader expects (``nbgrader_config.py``,
``source/<set>/``, ``release/``, ``submitted/``, ``autograded/``,
``feedback/``, the gradebook), inside a repository that also holds the book
(``chapters/``) and the student ``workspace/``.  The course is this
repository's ``autograder/`` unless ``CONVBOOK_COURSE`` (or ``coursekit
--course DIR``) names another; tests and benchmarks grade in a scratch course
(:func:`scratch_course`), so the instructor's gradebook is never touched.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from pathlib import Path

#: The repository's own course folder (``autograder/``, which holds this package).
DEFAULT_COURSE = Path(__file__).resolve().parent.parent
#: The venv's bin: nbgrader, jupyter and alembic are called from there.
BIN = Path(sys.executable).parent
ENV_VAR = "CONVBOOK_COURSE"


class CourseError(Exception):
    """A problem with the course's files that the instructor must fix."""


@dataclasses.dataclass(frozen=True)
class Course:
    """The folders of one course; ``dir`` holds ``nbgrader_config.py``."""

    dir: Path

    @property
    def repo(self) -> Path:
        """The repository around the course: the book's ``chapters/`` and ``workspace/``."""
        return self.dir.parent

    source = property(lambda self: self.dir / "source", doc="the jupytext masters, ``source/<set>/<set>.md``")
    release = property(lambda self: self.dir / "release", doc="nbgrader's student versions")
    submitted = property(lambda self: self.dir / "submitted", doc="``submitted/<student>/<set>/``")
    autograded = property(lambda self: self.dir / "autograded", doc="nbgrader's graded copies")
    feedback = property(lambda self: self.dir / "feedback", doc="the feedback HTML for students")
    logs = property(lambda self: self.dir / "logs",
                    doc="nbgrader's log of each graded submission, ``logs/<student>/<set>.log``")
    chapters = property(lambda self: self.repo / "chapters", doc="the book's lessons")
    book_exercises = property(lambda self: self.repo / "chapters" / "exercises",
                              doc="where the book shows the student versions")
    workspace = property(lambda self: self.repo / "workspace", doc="the student's JupyterLab folder")

    def master(self, name: str) -> Path:
        """The jupytext master of the set ``name``: the one source of truth."""
        return self.source / name / f"{name}.md"

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository, for messages."""
        try:
            return str(Path(path).relative_to(self.repo))
        except ValueError:
            return str(path)


def current() -> Course:
    """The course named by ``CONVBOOK_COURSE``, else this repository's ``autograder/``.

    Where coursekit is installed from a copy rather than editable (the hub's shared environment,
    :mod:`coursekit.hub`), the course is the ``autograder/`` of the current folder, where ``make`` runs.
    """
    named = os.environ.get(ENV_VAR)
    if named:
        course = Course(Path(named).resolve())
    elif (DEFAULT_COURSE / "nbgrader_config.py").is_file():
        course = Course(DEFAULT_COURSE)
    else:
        course = Course(Path.cwd().resolve() / "autograder")
    if not (course.dir / "nbgrader_config.py").is_file():
        raise CourseError(f"{course.dir} is not a course folder: it has no nbgrader_config.py "
                          f"(set {ENV_VAR} or pass --course to a folder that has one)")
    return course


def scratch_course(top: Path, names) -> Path:
    """A course in ``top/autograder`` with this course's config and the masters ``names``.

    Tests and benchmarks grade there, so the instructor's gradebook, release
    and submissions are never touched.  Returns the new course folder; run
    ``coursekit`` on it with ``CONVBOOK_COURSE`` set to it.
    """
    ag = Path(top) / "autograder"
    (ag / "source").mkdir(parents=True, exist_ok=True)
    shutil.copy2(DEFAULT_COURSE / "nbgrader_config.py", ag / "nbgrader_config.py")
    for name in names:
        (ag / "source" / name).mkdir(parents=True, exist_ok=True)
        shutil.copy2(Course(DEFAULT_COURSE).master(name), ag / "source" / name / f"{name}.md")
    return ag
