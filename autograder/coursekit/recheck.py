"""Independent re-check: each graded function, re-run alone in the sandbox, judged outside it.

nbgrader runs the student's code and the tests in one kernel, where the code
can tamper with the tests.  Here, for every exercise that has a ``recheck``
cell in its master, the work is split between a trusted side and the
student's side, and only plain data crosses between them:

1. a **reference** process (trusted, outside the sandbox, computed once per
   content of the master, of convbook and of the grading seed, and cached)
   runs the master's set-up cell and recheck cell, builds the hidden inputs
   ``CASES`` and computes ``reference(*case)`` with ``convbook`` for each;
2. a **student** process runs in the grading sandbox
   (:func:`coursekit.sandbox.run_sandboxed`: bubblewrap, no network, an
   unprivileged user, limits) in a private folder that holds only a job
   file: the public set-up cell, the submission's own non-test cells (answer
   cells and the cells the student added), and per exercise the function's
   name, the master's calling glue (:func:`glue_source`), what the exercise
   forbids and the hidden inputs as plain data.  It never sees the master,
   an expected value, a checker, the gradebook or another submission.  It
   runs the cells, then forks once per exercise with that exercise's own
   CPU-time budget, and writes the outputs as JSON (see
   :mod:`coursekit._recheck_child`); objects of classes the submission
   defines are refused;
3. the grading worker (trusted) decodes the outputs with a safe decoder (no
   ``eval``, no ``pickle``) and compares each with the recheck cell's
   ``same(got, expected)``, itself under a CPU-time budget.

**Hidden random inputs come from the grading seed.**  While a recheck cell
runs on the trusted side, ``numpy.random.default_rng(k)`` draws from the
seed ``k`` mixed with a secret only the grading machine holds
(:func:`grading_seed`: ``CONVBOOK_GRADING_SEED``, else the course's
``.grading-seed`` file, made on first use).  A student who reads the public
master learns the shape of the tests, not their inputs.

A recheck cell in a master (``autograder/source/<a>/<a>.md``) sits beside
the exercise's hidden tests and is removed from every generated notebook::

    ```{code-cell} ipython3
    ---
    recheck:
      exercise: box-box
      function: box_box
    ---
    CASES = [(t,), (sp.Symbol("s", real=True),)]
    def reference(t):
        return continuous.convolve(continuous.rect(t), continuous.rect(t), t)
    def same(got, expected):
        return sp.simplify(got - expected) == 0
    ```

``function`` is the student's function, or a wrapper the recheck cell
defines around it (``recheck_convolve_loops``); a wrapper and the top-level
names it needs are the only part of the cell that reaches the student's side.

Usage (internal): ``python -m coursekit.recheck reference MASTER OUT`` (with
``CONVBOOK_GRADING_SEED`` set).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import _recheck_child, sandbox
from ._recheck_child import FORMAT, Refused, decode, encode
from .forbidden import forbidden_by_exercise
from .paths import CourseError

__all__ = ["Refused", "cached_reference_results", "decode", "encode", "glue_source", "grading_seed",
           "master_parts", "recheck_submission", "reference_results"]

TIME_LIMIT = int(os.environ.get("CONVBOOK_RECHECK_SECONDS", "30"))  # CPU seconds per exercise
MEMORY_LIMIT = int(os.environ.get("CONVBOOK_RECHECK_MEMORY_MB", "4096")) * 2**20
SEED_ENV = "CONVBOOK_GRADING_SEED"
SEED_FILE = ".grading-seed"
MAX_ANSWER_BYTES = 64 * 2**20  # per exercise: the trusted side reads no more of a student's output


# ------------------------------------------------------------------ masters

def master_parts(master_md: Path):
    """(set-up source, {exercise: recheck spec}) from a jupytext master."""
    import jupytext

    nb = jupytext.read(master_md)
    setup, specs = "", {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata
        if meta.get("nbgrader", {}).get("grade_id") == "setup":
            setup = cell.source
        if "recheck" in meta:
            spec = dict(meta["recheck"])
            spec["source"] = cell.source
            specs[spec["exercise"]] = spec
    return setup, specs


def glue_source(spec: dict) -> str:
    """The part of a recheck cell that runs on the student's side: the wrapper ``function`` and what it needs.

    Top-level statements of the cell that define the wrapper, and, through the
    names they use, what the wrapper needs (helpers, constants, imports).
    Empty when ``function`` is the student's own.  ``reference``, ``same`` and
    ``CASES`` never cross: a wrapper that needs them is an error in the master.

    Examples
    --------
    >>> spec = {"exercise": "e", "function": "wrap", "source": (
    ...     "CASES = [(1,)]\\n_K = 2\\ndef _twice(f, x):\\n    return _K * f(x)\\n"
    ...     "def wrap(x):\\n    return _twice(double, x)\\ndef reference(x):\\n    return 4 * x\\n")}
    >>> print(glue_source(spec))
    _K = 2
    <BLANKLINE>
    def _twice(f, x):
        return _K * f(x)
    <BLANKLINE>
    def wrap(x):
        return _twice(double, x)
    """
    tree = ast.parse(spec["source"])
    defines: dict[str, list[int]] = {}
    for i, node in enumerate(tree.body):
        for name in _defined_names(node):
            defines.setdefault(name, []).append(i)
    needed, todo, seen = set(), [spec["function"]], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in defines:
            continue
        seen.add(name)
        if name in ("reference", "same", "CASES"):
            raise CourseError(f"the re-check of {spec['exercise']!r}: the wrapper {spec['function']} needs {name}, "
                              "which must never reach the student's side")
        for i in defines[name]:
            needed.add(i)
            todo += [n.id for n in ast.walk(tree.body[i]) if isinstance(n, ast.Name)]
    return "\n\n".join(ast.unparse(tree.body[i]) for i in sorted(needed))


def _defined_names(node) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    targets = {ast.Assign: lambda n: n.targets, ast.AnnAssign: lambda n: [n.target],
               ast.AugAssign: lambda n: [n.target],
               ast.For: lambda n: [n.target], ast.With: lambda n: [i.optional_vars for i in n.items if i.optional_vars]}
    if type(node) in targets:
        return [n.id for t in targets[type(node)](node) for n in ast.walk(t) if isinstance(n, ast.Name)]
    return []


# ------------------------------------------------------------------ the grading seed

def grading_seed(course_dir: Path) -> str:
    """The secret that the hidden random inputs are drawn from; only the grading machine holds it.

    ``CONVBOOK_GRADING_SEED`` if set (the same on every machine of a sharded
    class), else the course's ``.grading-seed`` (made with :mod:`secrets` on
    first use, readable by its owner only, git-ignored, never in the sandbox).

    Examples
    --------
    >>> import tempfile
    >>> saved = os.environ.pop(SEED_ENV, None)
    >>> with tempfile.TemporaryDirectory() as course:
    ...     made = grading_seed(course)
    ...     len(made), grading_seed(course) == made, oct(os.stat(f"{course}/{SEED_FILE}").st_mode & 0o777)
    (64, True, '0o600')
    >>> os.environ.update({SEED_ENV: saved} if saved else {})
    """
    import secrets

    value = os.environ.get(SEED_ENV, "").strip()
    if value:
        return value
    path = Path(course_dir) / SEED_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if not value:
            raise CourseError(f"the grading seed {path} is empty: delete it (a new one is made) or set {SEED_ENV}")
        return value
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


@contextlib.contextmanager
def _grading_rng(seed: str | None):
    """While a recheck cell runs: ``numpy.random.default_rng(k)`` draws from ``k`` mixed with the grading seed."""
    import numpy as np

    if seed is None:
        yield
        return
    original = np.random.default_rng

    def default_rng(k=None):
        if k is None or isinstance(k, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
            return original(k)
        return original(int.from_bytes(hashlib.sha256(f"{seed}\0{k!r}".encode()).digest(), "little"))

    np.random.default_rng = default_rng
    try:
        yield
    finally:
        np.random.default_rng = original


def _namespaces(setup: str, specs: dict, seed: str | None) -> dict:
    """{exercise: namespace of the master's set-up and recheck cell}, on the trusted side."""
    base: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(setup, "<set-up>", "exec"), base)  # noqa: S102 - the master's own code
        out = {}
        for exercise, spec in specs.items():
            ns = dict(base)
            with _grading_rng(seed):
                exec(compile(spec["source"], f"<recheck {exercise}>", "exec"), ns)  # noqa: S102
            out[exercise] = ns
    return out


# ------------------------------------------------------------------ the reference (trusted)

def _reference_cpu(master: Path) -> int:
    """The reference's CPU budget: one exercise's budget per exercise, plus one and 30 s for the start-up
    and the set-up (the imports alone take seconds), as the student's side gets (:func:`_run_student`)."""
    try:
        n = len(master_parts(master)[1])
    except (CourseError, SyntaxError, OSError):
        n = 1
    return (n + 1) * TIME_LIMIT + 30


def _limit_resources(cpu_seconds: int):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _run_reference(master: Path, seed: str):
    """Compute the reference in a fresh process; return (decoded JSON, error message or None)."""
    cpu = _reference_cpu(master)
    backstop = 30 * cpu + 60
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, "-m", "coursekit.recheck", "reference", str(Path(master).resolve()), str(out)]
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", **{SEED_ENV: seed})
        try:
            # the limit is CPU time (RLIMIT_CPU), so that a busy machine changes nothing; the wall-clock
            # timeout is only a backstop for a process that blocks.  30x, not 10x: at a load average of 10
            # on 2 cores, a 15 s CPU loop here took more than 180 s of wall time.
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True,
                                  timeout=backstop, preexec_fn=functools.partial(_limit_resources, cpu))
        except subprocess.TimeoutExpired:
            return None, f"blocked for {backstop} s without finishing"
        if not out.exists() and proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return None, f"ran out of CPU time ({cpu} s of CPU)"
        if not out.exists():
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
            return None, f"the process died ({tail[0][:200]})"
        return json.loads(out.read_text()), None


def reference_results(master: Path, seed: str) -> dict:
    """{exercise: {"cases": [encoded input], "expected": [{"value": encoded}]}}, by convbook, in a clean process."""
    data, err = _run_reference(master, seed)
    if err:
        raise RuntimeError(f"the re-check reference for {Path(master).name} failed: {err}")
    return data


def _reference_key(master: Path, seed: str) -> str:
    """A hash of what the reference answers depend on: the master, convbook's sources, the format, the seed."""
    import convbook

    h = hashlib.sha256(Path(master).read_bytes())
    for src in sorted(Path(convbook.__file__).parent.rglob("*.py")):
        h.update(src.name.encode() + src.read_bytes())
    h.update(f"format {FORMAT}\0seed {hashlib.sha256(seed.encode()).hexdigest()}".encode())
    return h.hexdigest()[:32]


def cached_reference_results(master: Path, cache_dir: Path, seed: str) -> tuple[dict | None, str | None]:
    """(reference answers, None), computed once per content of the master, of convbook and of the seed; or (None, why).

    A failure never aborts a grading run: the caller grades without the
    re-check for that set and says why.
    """
    try:
        for spec in master_parts(master)[1].values():
            glue_source(spec)
    except (CourseError, SyntaxError) as exc:
        return None, f"the re-check of {Path(master).name} cannot run: {exc}"
    path = Path(cache_dir) / f"{Path(master).stem}-{_reference_key(master, seed)}.json"
    if path.exists():
        return json.loads(path.read_text()), None
    try:
        data = reference_results(master, seed)
    except RuntimeError as exc:
        return None, str(exc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return data, None


def _reference_child(master: str, out: str) -> None:
    seed = os.environ[SEED_ENV]
    setup, specs = master_parts(Path(master))
    results: dict = {}
    for exercise, ns in _namespaces(setup, specs, seed).items():
        cases = [tuple(case) for case in ns["CASES"]]
        encoded = [encode(case, signals=True) for case in cases]  # before reference() could touch them
        try:
            expected = [{"value": encode(ns["reference"](*case))} for case in cases]
        except Refused as exc:
            raise RuntimeError(f"the reference of {exercise!r} returned a value the re-check cannot read: "
                               f"{exc}") from None
        results[exercise] = {"cases": encoded, "expected": expected}
    Path(out).write_text(json.dumps(results))


# ------------------------------------------------------------------ one submission

_MASTERS: dict = {}


def _master_info(master: Path, seed: str | None):
    """(set-up, specs, forbidden, namespaces) of a master, computed once per content in this process."""
    import jupytext

    key = (str(Path(master).resolve()), hashlib.sha256(Path(master).read_bytes()).hexdigest(), seed)
    if key not in _MASTERS:
        nb = jupytext.read(master)
        setup, specs = master_parts(master)
        given = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                 if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("locked")
                 and not c.metadata["nbgrader"].get("grade") and not c.metadata["nbgrader"].get("solution")
                 and c.metadata["nbgrader"].get("grade_id") not in (None, "setup")}
        _MASTERS[key] = (setup, specs, given, forbidden_by_exercise(nb), _namespaces(setup, specs, seed))
    return _MASTERS[key]


def student_cells(notebook: Path, given: dict | None = None) -> list[str]:
    """The sources of a submission's non-test code cells, in order: its answer cells and the cells it added.

    The set-up cell is left out (the re-check runs the master's), and so are
    test cells; a read-only cell the instructor gave (``given``: grade_id to
    source) runs as the master has it.
    """
    import nbformat

    given = given or {}
    nb = nbformat.read(notebook, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader") or {}
        gid = meta.get("grade_id")
        if gid == "setup" or (meta.get("grade") and not meta.get("solution")):
            continue
        out.append(given.get(gid, cell.source) if meta.get("locked") else cell.source)
    return out


def recheck_submission(master: Path, notebook: Path, expected: dict, seed: str | None = None) -> dict:
    """{exercise: {'ok': bool, 'detail': str}} for one submitted notebook.

    ``expected`` is :func:`cached_reference_results`'s data; ``seed`` the
    grading seed it was made with (for the checkers' own random draws).
    """
    setup, specs, given, forbidden, namespaces = _master_info(master, seed)
    specs = {ex: spec for ex, spec in specs.items() if ex in expected}
    if not specs:
        return {}
    try:
        cells = student_cells(notebook, given)
    except Exception as exc:  # noqa: BLE001 - an unreadable notebook fails every exercise
        return {ex: {"ok": False, "detail": f"could not read the notebook ({str(exc)[:200]})"} for ex in specs}
    job = {"setup": setup, "cells": cells, "cell_cpu": sandbox.cell_cpu_seconds(), "exercise_cpu": TIME_LIMIT,
           "exercise_wall": 30 * TIME_LIMIT + 30,
           "exercises": [{"exercise": ex, "function": spec["function"], "glue": glue_source(spec),
                          "forbidden": sorted(forbidden.get(ex, ())), "cases": expected[ex]["cases"]}
                         for ex, spec in specs.items()]}
    answers = _run_student(job)
    verdicts = {}
    for (exercise, spec), got in zip(specs.items(), answers):
        if isinstance(got, str):
            verdicts[exercise] = {"ok": False, "detail": got}
            continue
        try:
            with _cpu_budget(TIME_LIMIT):
                verdicts[exercise] = _compare(namespaces[exercise]["same"], got, expected[exercise]["expected"])
        except _TooSlow:
            verdicts[exercise] = {"ok": False, "detail": f"comparing the answers took more than {TIME_LIMIT} s of CPU"}
    return verdicts


def _run_student(job: dict) -> list:
    """Run the job in the sandbox; per exercise, the list of answers or a string saying why there is none."""
    n = len(job["exercises"])
    parent_cpu = 4 * TIME_LIMIT + len(job["cells"]) + 30  # the set-up and the cells (each has its own budget)
    wall = 30 * (parent_cpu + n * TIME_LIMIT) + 60  # a backstop only: the limits are CPU time
    with tempfile.TemporaryDirectory(prefix="coursekit-recheck-", dir=os.environ.get(sandbox.TMP_ENV) or None) as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        (work / "job.json").write_text(json.dumps(job))
        shutil.copyfile(_recheck_child.__file__, work / "_recheck_child.py")
        shutil.copyfile(Path(_recheck_child.__file__).with_name("_recheck_guard.py"), work / "_recheck_guard.py")
        with open(Path(tmp) / "stderr.txt", "w+b") as err:  # outside the folder the sandbox sees
            rc = sandbox.run_sandboxed(work, [sys.executable, "-I", "_recheck_child.py", "job.json"],
                                       cpu_seconds=parent_cpu, wall_seconds=wall, stderr=err)
            err.seek(max(0, err.seek(0, 2) - 4000))
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:]
        if rc is None:
            why = f"blocked for {wall} s without finishing"
        elif rc in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL):
            why = f"ran out of CPU time ({parent_cpu} s of CPU for the cells)"
        else:
            why = f"the process died ({(tail or [f'exit code {rc}'])[0][:200]})"
        status = _read_untrusted(work / "status.json")
        out = []
        for k in range(n):
            got = _read_untrusted(work / f"ex-{k}.json")
            if isinstance(got, list):
                out.append(got)
            else:
                said = status.get(str(k)) if isinstance(status, dict) else None
                out.append(str(said)[:200] if said else why)
        return out


def _read_untrusted(path: Path):
    """JSON written by the student's side, or None: never more than MAX_ANSWER_BYTES, never a symlink."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_ANSWER_BYTES:
            return None
        return json.loads(path.read_text())
    except (OSError, ValueError, RecursionError):
        return None


class _TooSlow(BaseException):
    """The trusted comparison used up its CPU-time budget."""


@contextlib.contextmanager
def _cpu_budget(seconds: float):
    """Stop the block after ``seconds`` of CPU time (main thread only; elsewhere no budget)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    old = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


def _case_verdict(same, i: int, g, e) -> str | None:
    """None if case ``i`` agrees, else a one-line reason."""
    if not isinstance(g, dict):
        return f"case {i}: could not read the answer"
    if "error" in g:
        return f"case {i}: raised {str(g['error'])[:200]}"
    if "refused" in g:
        return f"case {i}: refused: {str(g['refused'])[:200]}"
    try:
        g_val, e_val = decode(g["value"]), decode(e["value"])
    except Exception as exc:  # noqa: BLE001 - untrusted input
        return f"case {i}: could not read the answer ({str(exc)[:100]})"
    try:
        ok = bool(same(g_val, e_val))
    except Exception:  # noqa: BLE001 - a wrong type of answer is a disagreement
        ok = False
    return None if ok else f"case {i}: expected {str(e_val)[:80]}, got {str(g_val)[:80]}"


def _compare(same, got: list, expected: list) -> dict:
    """The verdict on one exercise: every case is judged, ``passed`` of ``cases`` agree.

    ``detail`` names the first case that disagrees.  The count is what the
    report turns into the trusted share of the exercise's points
    (:func:`coursekit.report.scores_of_record`).
    """
    if len(got) != len(expected):
        return {"ok": False, "detail": "not every case was answered", "passed": 0, "cases": len(expected)}
    reasons = [_case_verdict(same, i, g, e) for i, (g, e) in enumerate(zip(got, expected))]
    failed = [r for r in reasons if r is not None]
    passed = len(expected) - len(failed)
    if not failed:
        return {"ok": True, "detail": f"{len(expected)} case(s) agree", "passed": passed, "cases": len(expected)}
    more = f" (and {len(failed) - 1} more; {passed} of {len(expected)} agree)" if len(failed) > 1 else \
        f" ({passed} of {len(expected)} agree)"
    return {"ok": False, "detail": failed[0] + more, "passed": passed, "cases": len(expected)}


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "reference":
        raise SystemExit("usage: python -m coursekit.recheck reference MASTER OUT")
    _reference_child(sys.argv[2], sys.argv[3])
