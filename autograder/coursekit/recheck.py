"""Independent re-check: each graded function, re-run alone in a clean process.

nbgrader runs the student's code and the tests in one kernel, where the code
can tamper with the tests.  Here, for every exercise that has a ``recheck``
cell in its master, three processes take part:

1. a **reference** process runs the master's set-up cell and recheck cell,
   and computes ``reference(*case)`` with ``convbook`` for every case;
2. a **student** process, with a time and memory limit, runs the set-up
   cell, the recheck cell (for the cases) and then the student's answer cells
   alone (not the test cells, not the rest of the notebook), and calls the
   graded function on every case, with the exercise's ``forbid(...)`` list
   in force;
3. the grader compares the two with the recheck cell's ``same(got,
   expected)``, after decoding both with a safe decoder (JSON, and sympy
   expressions rebuilt from ``srepr`` through an allow-list: no ``eval``, no
   ``pickle``).

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

Usage (internal): ``python -m coursekit.recheck reference|student MASTER NOTEBOOK|- OUT``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from .forbidden import forbidden_by_exercise

TIME_LIMIT = int(os.environ.get("CONVBOOK_RECHECK_SECONDS", "30"))  # CPU seconds per process
WALL_BACKSTOP = 30 * TIME_LIMIT + 60
MEMORY_LIMIT = int(os.environ.get("CONVBOOK_RECHECK_MEMORY_MB", "4096")) * 2**20


# ------------------------------------------------------------------ safe encoding

def encode(obj):
    """A JSON-able description of ``obj`` (numbers, strings, sequences, arrays, sympy)."""
    import numpy as np

    if obj is None or isinstance(obj, (bool, str)):
        return {"t": "lit", "v": obj}
    if isinstance(obj, int):
        return {"t": "int", "v": str(obj)}
    if isinstance(obj, float):
        return {"t": "float", "v": repr(obj)}
    if isinstance(obj, complex):
        return {"t": "complex", "v": [repr(obj.real), repr(obj.imag)]}
    if isinstance(obj, Fraction):
        return {"t": "fraction", "v": [str(obj.numerator), str(obj.denominator)]}
    if isinstance(obj, np.generic):
        return encode(obj.item())
    if isinstance(obj, np.ndarray):
        return {"t": "array", "dtype": str(obj.dtype), "shape": list(obj.shape),
                "v": [encode(v) for v in obj.ravel().tolist()]}
    if isinstance(obj, (list, tuple)):
        return {"t": type(obj).__name__, "v": [encode(v) for v in obj]}
    try:
        import sympy as sp
        if isinstance(obj, sp.Basic):
            return {"t": "sympy", "v": sp.srepr(obj)}
    except ImportError:
        pass
    raise TypeError(f"cannot re-check a value of type {type(obj).__name__}")


_SYMPY_ALLOWED = {
    "Symbol", "Dummy", "Integer", "Rational", "Float", "Add", "Mul", "Pow", "Piecewise", "ExprCondPair",
    "StrictLessThan", "LessThan", "StrictGreaterThan", "GreaterThan", "Equality", "Unequality", "And", "Or",
    "Not", "BooleanTrue", "BooleanFalse", "true", "false", "exp", "log", "sqrt", "sin", "cos", "tan", "pi",
    "E", "I", "ImaginaryUnit", "Exp1", "Pi", "erf", "erfc", "Abs", "Max", "Min", "Heaviside", "sign",
    "Half", "One", "Zero", "NegativeOne", "Infinity", "NegativeInfinity", "oo", "nan", "NaN", "zoo",
    "ComplexInfinity", "Interval", "Union", "FiniteSet", "EmptySet", "Tuple", "re", "im", "floor",
    "ceiling", "factorial", "binomial", "gamma", "DiracDelta", "Function", "Lambda",
}


def _sympy_name(name: str):
    import sympy as sp
    from sympy.functions.elementary.piecewise import ExprCondPair

    return ExprCondPair if name == "ExprCondPair" else getattr(sp, name)


def _sympy_from_srepr(text: str):
    """Rebuild a sympy expression from ``srepr`` without eval: only allow-listed constructors."""
    import sympy as sp

    def build(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -build(node.operand)
        if isinstance(node, ast.Tuple):
            return tuple(build(e) for e in node.elts)
        if isinstance(node, ast.Name) and node.id in _SYMPY_ALLOWED:
            return _sympy_name(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SYMPY_ALLOWED:
            args = [build(a) for a in node.args]
            kwargs = {k.arg: build(k.value) for k in node.keywords}
            return _sympy_name(node.func.id)(*args, **kwargs)
        raise ValueError(f"unexpected construct in a sympy expression: {ast.dump(node)[:80]}")

    return build(ast.parse(text, mode="eval").body)


def decode(data):
    """The inverse of :func:`encode`, safe on untrusted input."""
    import numpy as np

    t, v = data["t"], data.get("v")
    if t == "lit":
        if v is not None and not isinstance(v, (bool, str)):
            raise ValueError("bad literal")
        return v
    if t == "int":
        return int(v)
    if t == "float":
        return float(v)
    if t == "complex":
        return complex(float(v[0]), float(v[1]))
    if t == "fraction":
        return Fraction(int(v[0]), int(v[1]))
    if t in ("list", "tuple"):
        items = [decode(x) for x in v]
        return items if t == "list" else tuple(items)
    if t == "array":
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biufcO":
            raise ValueError(f"bad dtype {dtype}")
        items = [decode(x) for x in v]
        return np.array(items, dtype=dtype).reshape(data["shape"])
    if t == "sympy":
        return _sympy_from_srepr(v)
    raise ValueError(f"unknown encoded type {t!r}")


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


def _limit_resources():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT + 5))


def _run(mode: str, master: Path, notebook: Path | None):
    """Run one side in a fresh process; return (decoded JSON, error message or None)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, "-m", "coursekit.recheck", mode, str(Path(master).resolve()),
               str(Path(notebook).resolve()) if notebook else "-", str(out)]
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
        try:
            # the limit is CPU time (RLIMIT_CPU), for the reference too, so that a busy machine changes
            # nothing; the wall-clock timeout is only a backstop for a process that blocks.  30x, not 10x:
            # at a load average of 10 on 2 cores, a 15 s CPU loop here took more than 180 s of wall time.
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True,
                                  timeout=WALL_BACKSTOP, preexec_fn=_limit_resources)
        except subprocess.TimeoutExpired:
            return None, f"blocked for {WALL_BACKSTOP} s without finishing"
        if not out.exists() and proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return None, f"ran out of CPU time ({TIME_LIMIT} s of CPU)"
        if not out.exists():
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
            return None, f"the process died ({tail[0][:200]})"
        return json.loads(out.read_text()), None


def reference_results(master: Path) -> dict:
    """{exercise: [encoded expected value, ...]} computed by convbook in a clean process."""
    data, err = _run("reference", master, None)
    if err:
        raise RuntimeError(f"the re-check reference for {Path(master).name} failed: {err}")
    return data


def _reference_key(master: Path) -> str:
    """A hash of what the reference answers depend on: the master and convbook's sources."""
    import hashlib

    import convbook

    h = hashlib.sha256(Path(master).read_bytes())
    for src in sorted(Path(convbook.__file__).parent.rglob("*.py")):
        h.update(src.name.encode() + src.read_bytes())
    return h.hexdigest()[:32]


def cached_reference_results(master: Path, cache_dir: Path) -> tuple[dict | None, str | None]:
    """(reference answers, None), computed once per content of the master and of convbook; or (None, why).

    A failure never aborts a grading run: the caller grades without the
    re-check for that set and says why.
    """
    path = Path(cache_dir) / f"{Path(master).stem}-{_reference_key(master)}.json"
    if path.exists():
        return json.loads(path.read_text()), None
    try:
        data = reference_results(master)
    except RuntimeError as exc:
        return None, str(exc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return data, None


def recheck_submission(master: Path, notebook: Path, expected: dict) -> dict:
    """{exercise: {'ok': bool, 'detail': str}} for one submitted notebook."""
    setup, specs = master_parts(master)
    if not specs:
        return {}
    got, err = _run("student", master, notebook)
    if err:
        return {ex: {"ok": False, "detail": err} for ex in specs}
    verdicts = {}
    for exercise, spec in specs.items():
        ns: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(setup + "\n" + spec["source"], "<recheck>", "exec"), ns)
        verdicts[exercise] = _compare(ns["same"], got.get(exercise, []), expected[exercise])
    return verdicts


def _compare(same, got: list, expected: list) -> dict:
    if len(got) != len(expected):
        return {"ok": False, "detail": "not every case was answered"}
    for i, (g, e) in enumerate(zip(got, expected)):
        if "error" in g:
            return {"ok": False, "detail": f"case {i}: raised {g['error']}"}
        try:
            g_val, e_val = decode(g["value"]), decode(e["value"])
        except Exception as exc:  # noqa: BLE001 - untrusted input
            return {"ok": False, "detail": f"case {i}: could not read the answer ({exc})"}
        try:
            ok = bool(same(g_val, e_val))
        except Exception:  # noqa: BLE001 - a wrong type of answer is a disagreement
            ok = False
        if not ok:
            return {"ok": False, "detail": f"case {i}: expected {str(e_val)[:80]}, got {str(g_val)[:80]}"}
    return {"ok": True, "detail": f"{len(expected)} case(s) agree"}


# ------------------------------------------------------------------ the child processes

def _child(mode: str, master: str, notebook: str, out: str) -> None:
    setup, specs = master_parts(Path(master))
    results: dict = {}
    if mode == "reference":
        for exercise, spec in specs.items():
            ns: dict = {"__name__": "__main__"}
            exec(compile(setup + "\n" + spec["source"], "<recheck>", "exec"), ns)
            results[exercise] = [{"value": encode(ns["reference"](*case))} for case in ns["CASES"]]
        Path(out).write_text(json.dumps(results))
        return

    import jupytext
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from convbook.grading import forbid

    forbidden = forbidden_by_exercise(jupytext.read(master))
    shell = InteractiveShell.instance()
    shell.run_cell(setup, store_history=False, silent=True)
    cases = {}
    for exercise, spec in specs.items():
        shell.run_cell(spec["source"], store_history=False, silent=True)
        cases[exercise] = list(shell.user_ns["CASES"])
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:  # the student's answer cells alone
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            shell.run_cell(cell.source, store_history=False, silent=True)
    for exercise, spec in specs.items():
        func = shell.user_ns.get(spec["function"])
        answers = results[exercise] = []
        for case in cases[exercise]:
            try:
                if not callable(func):
                    raise NameError(f"{spec['function']} is not defined")
                with forbid(*sorted(forbidden.get(exercise, ())), namespace=shell.user_ns):
                    value = func(*case)
                answers.append({"value": encode(value)})
            except BaseException as exc:  # noqa: BLE001 - a student's error is a verdict
                answers.append({"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
    Path(out).write_text(json.dumps(results))


if __name__ == "__main__":
    _child(*sys.argv[1:5])
