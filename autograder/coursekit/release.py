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
        out = nbgrader(course, "generate_assignment", name, "--force", "--log-level=WARN", capture=True).stdout or ""
        # "Removing existing assignment" is what --force does each time; anything else nbgrader says is shown
        said = [line for line in out.splitlines() if line.strip() and "Removing existing assignment" not in line]
        print(f"release  {name}: {course.rel(course.release / name)}" + "".join(f"\n  {line}" for line in said))
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


#: The note under each exercise page's title: how to run the set with nothing but the site.  The book copy
#: is also the site's download, so it reads well in JupyterLab too (jupyterlab-myst renders the admonition).
INSTALL_NOTE = """```{admonition} Run this set on your computer
:class: tip
Download this notebook with the download button at the top of the page (**.ipynb**). You need no copy of
the course's repository: the [Install and run](../install.md) page gives the one `pip install` command for
`convbook` and everything the notebooks need, then `jupyter lab`.
```"""


def book_exercises(course: Course) -> None:
    """Copy each release notebook into the book's ``chapters/exercises/``, marked not to be executed.

    A note that links to the book's install page stands under the set's title (the first line of its first
    cell), or opens the notebook when it starts otherwise.
    """
    import nbformat

    course.book_exercises.mkdir(parents=True, exist_ok=True)
    for name in masters.assignments(course):
        src = course.release / name / f"{name}.ipynb"
        if not src.exists():
            raise CourseError(f"{src} is missing: run `make release` first")
        nb = nbformat.read(src, as_version=4)
        nb.metadata["mystnb"] = {"execution_mode": "off"}
        first = nb.cells[0] if nb.cells else None
        if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
            title, _, rest = first.source.partition("\n")
            first.source = f"{title}\n\n{INSTALL_NOTE}\n{rest}"
        else:
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(INSTALL_NOTE, id="install-note"))
        text = nbformat.writes(nb)
        out = course.book_exercises / f"{name}.ipynb"
        if not out.exists() or out.read_text() != text:
            out.write_text(text)
        print(f"book     {name}: {course.rel(out)}")
