"""The student's workspace: the release and the lessons as notebooks, never overwriting a student's work.

``workspace/<set>/`` holds a copy of each set's student version, and
``workspace/lessons/<chapter>/<page>.ipynb`` each lesson page, as plain
notebooks whose MyST references are resolved (:mod:`coursekit.lessons`), with
the glossary beside them.  A manifest, ``workspace/.coursekit/manifest.json``,
records a hash of every file this module wrote: a file still as written is
brought up to date when its source changes, and a file the student changed
(or ran and saved) is kept as it is.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import lessons as lessons_mod
from . import masters
from .paths import Course

__all__ = ["MANIFEST", "lessons", "prepare_workspace"]

MANIFEST = Path(".coursekit") / "manifest.json"


def lessons(course: Course) -> list[Path]:
    """The lesson pages: MyST notebooks under ``chapters/<NN-name>/``."""
    return lessons_mod.lesson_pages(course)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lessons_digest(course: Course) -> str:
    """A hash of everything the converted lessons are made from (cheap: no notebook is parsed)."""
    sources = [*lessons(course), course.chapters / f"{lessons_mod.GLOSSARY}.md", course.chapters / "references.bib",
               *sorted(course.source.glob("*/*.md")), Path(lessons_mod.__file__)]
    h = hashlib.sha256()
    for p in sources:
        h.update(str(p.name).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") + b"\0")
    return h.hexdigest()


def _without_ids(data: bytes):
    """A notebook's JSON without its cell ids (jupytext gives cells new random ids at every read)."""
    try:
        nb = json.loads(data)
        for cell in nb.get("cells", []):
            cell.pop("id", None)
    except (ValueError, AttributeError):
        return None
    return nb


def _is_legacy_lesson(course: Course, rel: str, data: bytes) -> bool:
    """Whether ``data`` is what the workspace held for a lesson before lessons were converted (raw MyST)."""
    import jupytext

    parts = Path(rel).parts
    if len(parts) != 3 or parts[0] != lessons_mod.LESSONS:
        return False
    page = course.chapters / parts[1] / f"{Path(parts[2]).stem}.md"
    if not page.is_file():
        return False
    nb = jupytext.read(page)
    nb.metadata.pop("jupytext", None)
    return _without_ids(jupytext.writes(nb, fmt="ipynb").encode()) == _without_ids(data)


def prepare_workspace(course: Course, workspace: Path | None = None) -> list[Path]:
    """Bring the workspace up to date: return the files written (new, or unchanged by the student and outdated).

    Exercise sets land in ``workspace/<set>/``; each lesson page becomes a
    notebook in ``workspace/lessons/<chapter>/<page>.ipynb``, so that its live
    explorers (ipywidgets) run in JupyterLab.  A file the student changed is
    never touched; one the student deleted comes back.
    """
    workspace = course.workspace if workspace is None else Path(workspace)
    manifest_path = workspace / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    files: dict[str, str] = manifest.setdefault("files", {})
    written: list[Path] = []

    def place(rel: str, data: bytes, legacy=None) -> None:
        dst = workspace / rel
        new = _sha(data)
        if dst.exists():
            old = dst.read_bytes()
            as_written = files.get(rel) == _sha(old) or (legacy is not None and legacy(old))
            if _sha(old) == new:
                files[rel] = new
                return
            if not as_written:
                return  # the student's version: kept as it is
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.coursekit-tmp")
        tmp.write_bytes(data)
        tmp.replace(dst)
        files[rel] = new
        written.append(dst)

    digest = _lessons_digest(course)
    recorded = manifest.get("lesson_files", [])
    if manifest.get("lessons") != digest or not recorded or any(not (workspace / r).exists() for r in recorded):
        import nbformat

        converted = lessons_mod.convert(course)
        for rel, nb in sorted(converted.notebooks.items()):
            place(rel, nbformat.writes(nb).encode(), legacy=lambda old, rel=rel: _is_legacy_lesson(course, rel, old))
        manifest["lessons"], manifest["lesson_files"] = digest, sorted(converted.notebooks)

    for name in masters.assignments(course):
        for src in sorted((course.release / name).rglob("*")):
            if src.is_file():
                place(src.relative_to(course.release).as_posix(), src.read_bytes())

    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return written
