"""The student versions: nbgrader's release, and the copies the book shows."""

from __future__ import annotations

from . import masters
from .config import nbgrader
from .paths import Course, CourseError


def release(course: Course) -> list[str]:
    """Build every master, then ``nbgrader generate_assignment`` it into ``release/<set>/``."""
    masters.build_all(course)
    names = masters.assignments(course)
    for name in names:
        nbgrader(course, "generate_assignment", name, "--force", "--log-level=WARN")
        print(f"release  {name}: {course.rel(course.release / name)}")
    return names


def ensure_release(course: Course) -> None:
    """Release unless every set already has a student version (for read-only commands such as the audit)."""
    if any(not (course.release / name).is_dir() for name in masters.assignments(course)):
        release(course)


def check_release(course: Course) -> None:
    """Refuse to go on without a release of every set (``grade --no-release``)."""
    missing = [name for name in masters.assignments(course) if not (course.release / name).is_dir()]
    if missing:
        raise CourseError(f"--no-release, but there is no release of {', '.join(missing)}: run `make release`")


def book_exercises(course: Course) -> None:
    """Copy each release notebook into the book's ``chapters/exercises/``, marked not to be executed."""
    import nbformat

    course.book_exercises.mkdir(parents=True, exist_ok=True)
    for name in masters.assignments(course):
        src = course.release / name / f"{name}.ipynb"
        if not src.exists():
            raise CourseError(f"{src} is missing: run `make release` first")
        nb = nbformat.read(src, as_version=4)
        nb.metadata["mystnb"] = {"execution_mode": "off"}
        text = nbformat.writes(nb)
        out = course.book_exercises / f"{name}.ipynb"
        if not out.exists() or out.read_text() != text:
            out.write_text(text)
        print(f"book     {name}: {course.rel(out)}")
