"""nbconvert preprocessors the course adds to nbgrader (named in ``autograder/nbgrader_config.py``)."""

import copy
import html
import re
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class MinimalTracebacks(Preprocessor):
    """Cut every error output to ``ename: evalue``, dropping the traceback.

    A traceback quotes source lines, and in a test cell those can be hidden
    tests.  The exception's own message (written by ``convbook.grading``)
    already says what was expected and what was returned.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


class StderrIsOutput(Preprocessor):
    """Turn every stderr stream of a graded notebook into stdout, so that printing to stderr costs nothing.

    nbgrader fails a test cell that has any stderr output.  Warnings, ``logging``
    messages and ``print(..., file=sys.stderr)`` from a correct answer are not
    failures; an exception is, and stays one: error outputs are left as they are.
    The text is kept (and shown in the feedback); only its stream changes.
    Used in place of nbgrader's ``IgnorePattern`` in ``Autograde.autograde_preprocessors``.

    Its counterpart inside the kernel, :func:`convbook.grading.grade_like_the_grader`
    (called by every set-up cell), does the same for ``sys.stderr`` wherever
    the notebook runs, ``nbgrader validate`` included; this preprocessor is
    the grader's backstop for output that bypasses ``sys.stderr``.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources


#: what the feedback shows in place of an output that quoted hidden tests
WITHHELD = ("[output withheld from the feedback: it quoted the hidden tests, which only the grader sees. "
            "The points above are as graded.]\n")
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.S | re.M)
_MIN_LINE = 16  # as the leak tests count a line: shorter ones (`else:`, `_got = []`) are not distinctive


def _skeleton(text: str) -> str:
    """Letters and digits only: the same under repr()'s escapes, HTML entities, quoting and spacing."""
    return re.sub(r"[\W_]+", "", html.unescape(text))


def hidden_skeletons(sources: list[str]) -> set[str]:
    """The skeletons of the distinctive hidden-test lines of these cells (lines shown elsewhere excluded)."""
    hidden, public = set(), set()
    for src in sources:
        inside = [m.group(1) for m in _HIDDEN.finditer(src)]
        hidden.update(l.strip() for block in inside for l in block.splitlines())
        public.update(l.strip() for l in _HIDDEN.sub("", src).splitlines())
    lines = {l for l in hidden - public if len(l) >= _MIN_LINE and not l.startswith("#")}
    # a line must hold words: rows of bare numbers ([0, 0, 1, 0, ...],) also appear in honest outputs
    return {k for k in map(_skeleton, lines) if len(k) >= 8 and sum(c.isalpha() for c in k) >= 4}


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":  # its traceback quotes the test cell: MinimalTracebacks drops it
        return "\n".join([output.get("ename", ""), output.get("evalue", "")])
    return "\n".join(v if isinstance(v, str) else "\n".join(map(str, v)) if isinstance(v, list) else str(v)
                     for v in output.get("data", {}).values())


class WithholdHiddenTestEchoes(Preprocessor):
    """Replace every output that quotes a hidden test by a note, before the feedback is written.

    The running test cell's source, hidden tests included, is in the kernel
    while it runs (IPython's ``In``/``_ih``, ``linecache``, the frames), so
    an answer can print it, in any cell.  nbgrader's ``ClearHiddenTests``
    removes the hidden tests from the cells' sources only; this preprocessor,
    which runs before it, compares every output with the notebook's hidden
    lines (letters and digits only, so ``repr`` and HTML escapes do not hide
    them) and withholds the outputs that contain one.  The audit flags the
    reads of the history as well; this is the backstop for the feedback.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess(self, nb, resources):
        hidden = hidden_skeletons([c.source for c in nb.cells if c.cell_type == "code"])
        if not hidden:
            return nb, resources
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for k, output in enumerate(cell.get("outputs", [])):
                text = _skeleton(_output_text(output))
                if any(h in text for h in hidden):
                    cell.outputs[k] = nbformat.v4.new_output("stream", name="stdout", text=WITHHELD)
        return nb, resources


#: what :class:`RepairCells` logs before each repair; ``coursekit grade`` collects these lines from nbgrader's log
REPAIRED = "coursekit repaired"
_FLAGS = ("grade", "solution", "locked", "points", "task", "grade_id")


class RepairCells(Preprocessor):
    """Undo what copy and paste, and an edited cell flag, do to a submission, before nbgrader sanitises it.

    JupyterLab copies a cell's metadata with the cell, so a pasted test or
    locked cell carries the original's ``grade_id``, and nbgrader stops with
    ``KeyError: 'grade_id'`` (its ``DeduplicateIds`` empties the copy's
    metadata, which its ``CheckCellMetadata`` then cannot read); a cell whose
    flags a student edited stops it with "Inconsistent checksums".  Here,
    first in ``Autograde.sanitize_preprocessors``, with the release notebook as
    the truth:

    - copies of a **locked or test cell** are dropped (the one that matches
      the release is kept, else the first), so every test runs once;
    - copies of an **answer cell** all keep their code: the last one is
      graded (nbgrader's own choice), the others run as cells of the
      student's own;
    - **edited metadata** (the grade, solution and locked flags, points,
      the grade_id's kind) is restored from the release, and metadata that
      names no cell of the release is removed.

    Each repair is logged as a warning starting with :data:`REPAIRED`; the
    submission is then graded as usual.  The submitted file is not changed.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def _release(self, resources) -> dict | None:
        info = resources.get("nbgrader", {})
        try:
            root = self.config.CourseDirectory.root or "."
            release = self.config.CourseDirectory.get("release_directory", "release")
            path = Path(root) / release / info["assignment"] / f"{info['notebook']}.ipynb"
            nb = nbformat.read(path, as_version=4)
        except (KeyError, OSError, ValueError, TypeError) as exc:
            self.log.warning("%s nothing: no release notebook to compare with (%s)", REPAIRED, exc)
            return None
        return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id")}

    def preprocess(self, nb, resources):
        release = self._release(resources)
        if release is None:
            return nb, resources
        notes = []
        where: dict[str, list[int]] = {}
        for i, cell in enumerate(nb.cells):
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid:
                where.setdefault(gid, []).append(i)
        drop, own = set(), set()
        for gid, cells in where.items():
            if len(cells) < 2:
                continue
            truth = release.get(gid)
            answer = (truth or nb.cells[cells[0]]).metadata.get("nbgrader", {}).get("solution", False)
            if answer:
                own.update(cells[:-1])
                notes.append(f"{len(cells)} copies of the answer cell {gid!r}: the last is graded, "
                             f"the other {len(cells) - 1} run as cells of the student's own")
            else:
                same = [i for i in cells if truth is not None and nb.cells[i].source == truth.source]
                keep = same[0] if same else cells[0]
                drop.update(i for i in cells if i != keep)
                notes.append(f"dropped {len(cells) - 1} pasted copy(ies) of the locked or test cell {gid!r}")
        for i in own:
            del nb.cells[i].metadata["nbgrader"]
        nb.cells = [cell for i, cell in enumerate(nb.cells) if i not in drop]
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if meta is None:
                continue
            gid = meta.get("grade_id")
            truth = release.get(gid)
            if truth is None:
                del cell.metadata["nbgrader"]
                if gid or any(meta.get(k) for k in ("grade", "solution", "locked")):
                    notes.append(f"removed nbgrader metadata that names no cell of the assignment ({gid!r})")
                continue
            want = truth.metadata["nbgrader"]
            changed = [k for k in _FLAGS if meta.get(k) != want.get(k)]
            if changed:
                cell.metadata["nbgrader"] = copy.deepcopy(want)
                notes.append(f"restored the nbgrader metadata of {gid!r} from the release ({', '.join(changed)} "
                             f"had been edited)")
        for note in notes:
            self.log.warning("%s %s: %s", REPAIRED, resources.get("nbgrader", {}).get("notebook", "?"), note)
        return nb, resources
