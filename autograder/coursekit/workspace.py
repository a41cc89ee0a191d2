"""The student's workspace: the release and the lessons as notebooks, and JupyterLab on it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import masters
from .paths import BIN, Course


def lessons(course: Course) -> list[Path]:
    """The lesson pages: MyST notebooks under ``chapters/<NN-name>/``."""
    return sorted(course.chapters.glob("[0-9][0-9]-*/*.md"))


def prepare_workspace(course: Course, workspace: Path | None = None) -> list[Path]:
    """Copy the release and the lessons into a student workspace, never overwriting a student's file.

    Exercise sets land in ``workspace/<set>/``; each lesson page becomes a
    notebook in ``workspace/lessons/<chapter>/<page>.ipynb``, so that its live
    explorers (ipywidgets) run in JupyterLab.  Returns the files it created.
    """
    import jupytext

    workspace = course.workspace if workspace is None else Path(workspace)
    copied = []
    for page in lessons(course):
        dst = workspace / "lessons" / page.parent.name / f"{page.stem}.ipynb"
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            nb = jupytext.read(page)
            nb.metadata.pop("jupytext", None)
            jupytext.write(nb, dst)
            copied.append(dst)
    for name in masters.assignments(course):
        for src in sorted((course.release / name).rglob("*")):
            if src.is_dir():
                continue
            dst = workspace / name / src.relative_to(course.release / name)
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
                copied.append(dst)
    return copied


def lab(course: Course, port: int) -> None:
    """Fill the workspace, then replace this process with JupyterLab on 127.0.0.1."""
    copied = prepare_workspace(course)
    print(f"workspace: {course.workspace} ({len(copied)} new file(s); your existing work is never overwritten)")
    cmd = [str(BIN / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
           f"--ServerApp.root_dir={course.workspace}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers run as root; Jupyter refuses to start without it
    print("starting:", " ".join(cmd), flush=True)
    os.execv(cmd[0], cmd)
