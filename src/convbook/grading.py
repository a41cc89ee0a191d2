"""Helpers for the autograder's test cells: comparisons that explain themselves.

A failing test should teach.  Each ``check_*`` function raises an
``AssertionError`` whose message says what was expected, what the student's
code returned, and where the first difference is (type, shape, dtype, index,
value).  :func:`forbid` makes library shortcuts raise a clear error while a
student's own implementation runs, so an exercise that asks "implement the
convolution yourself" cannot be passed by calling ``numpy.convolve``.

The same helpers work in a notebook (JupyterLab), under nbgrader, and in
plain pytest.

Examples
--------
>>> from convbook.grading import check_array
>>> check_array([14, 34, 14, 4], [14, 34, 14, 4], name="(2, 4) * (7, 3, 1)")
>>> check_array([14, 34, 14], [14, 34, 14, 4], name="(2, 4) * (7, 3, 1)")
Traceback (most recent call last):
...
AssertionError: (2, 4) * (7, 3, 1): wrong shape: expected (4,), got (3,).
  expected: [14, 34, 14, 4]
  got:      [14, 34, 14]
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import numbers
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # sympy is imported by check_sympy when called, not with this module
    import sympy as sp

__all__ = [
    "check_array",
    "check_close",
    "check_equal",
    "check_sympy",
    "check_raises",
    "forbid",
    "ForbiddenFunctionError",
    "grade_like_the_grader",
    "cell_cpu_seconds",
    "wall_backstop_seconds",
]


def _render_for_student(exc) -> list[str]:
    """IPython's traceback of ``exc`` without the frames of this module (``__tracebackhide__``).

    IPython's ``_render_traceback_`` protocol: IPython itself hides such
    frames, but never the last one, where the error is raised.  Here the
    traceback ends at the student's line (the test, or their function).
    """
    from IPython import get_ipython

    shell = get_ipython()
    tb, kept = exc.__traceback__, []
    while tb is not None:
        if not tb.tb_frame.f_locals.get("__tracebackhide__"):
            kept.append(tb)
        tb = tb.tb_next
    for before, after in zip(kept, kept[1:]):
        before.tb_next = after
    if kept:
        kept[-1].tb_next = None
    return shell.InteractiveTB.structured_traceback(type(exc), exc, kept[0] if kept else None)


class ForbiddenFunctionError(RuntimeError):
    """Raised when an exercise's solution calls a function it must not use."""

    def _render_traceback_(self):  # IPython: the traceback ends at the student's call
        return _render_for_student(self)


# ------------------------------------------------------------------ the notebook runs as it is graded

def cell_cpu_seconds() -> float:
    """The CPU-time budget of one notebook cell, in seconds: ``CONVBOOK_CELL_CPU``, default 20.

    The one setting that grading (the sandboxed kernel), ``nbgrader validate``
    and the student's own kernel all use.

    Examples
    --------
    >>> cell_cpu_seconds() > 0
    True
    """
    raw = os.environ.get("CONVBOOK_CELL_CPU", "20")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(f"CONVBOOK_CELL_CPU must be a positive number of seconds, got {raw!r}.")
    return value


def wall_backstop_seconds() -> int:
    """The wall-clock timeout of one cell, in seconds: ``10 * cell_cpu_seconds() + 30`` (230 by default).

    Only a cell that is blocked (waiting, not working) ever reaches it: a cell
    that works is stopped by its CPU budget first, however busy the machine.
    nbgrader's ``Execute.timeout`` is set to it wherever a notebook is judged:
    grading (the course's ``nbgrader_config.py``) and Validate, in the course's
    lab and in a student's own install (the ``nbgrader_config.py`` that the
    convbook wheel installs into ``{sys.prefix}/etc/jupyter``), in place of
    nbgrader's default of 30 s of wall time.

    Examples
    --------
    >>> wall_backstop_seconds() == int(10 * cell_cpu_seconds()) + 30
    True
    """
    return int(10 * cell_cpu_seconds()) + 30


class _StderrAsStdout:
    """``sys.stderr`` in an exercise notebook: what is written goes to stdout, in order."""

    def __getattr__(self, name):
        return getattr(sys.stdout, name)

    def write(self, text):
        return sys.stdout.write(text)

    def flush(self):
        return sys.stdout.flush()


def grade_like_the_grader() -> bool:
    """Make this notebook's kernel behave as the grader's, so that Validate and grading agree.

    Called by each exercise set's set-up cell.  In a Jupyter kernel it

    - sends what the code writes to stderr (warnings, ``logging``,
      ``print(..., file=sys.stderr)``) to stdout, as grading does: nbgrader
      (and its Validate button) would count any stderr output as a failed
      test, though only an exception is one;
    - stops a cell that uses more than :func:`cell_cpu_seconds` of CPU time
      with a ``TimeoutError``, as the grading kernel does (CPU time, not wall
      time: a busy machine never fails a cell).  The grading sandbox installs
      the same budget itself; it is not installed twice.

    Outside a kernel (plain Python, pytest, the re-check) it does nothing.

    Returns
    -------
    bool
        Whether it changed anything (True in a Jupyter kernel).

    Examples
    --------
    >>> grade_like_the_grader()  # not in a Jupyter kernel here
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    if not isinstance(sys.stderr, _StderrAsStdout):
        sys.stderr = _StderrAsStdout()
    import signal

    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGPROF) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return True  # a budget is already in place (the grading sandbox's), or signals cannot be used here
    limit = cell_cpu_seconds()

    def stop(signum, frame):
        signal.setitimer(signal.ITIMER_PROF, 0)
        raise TimeoutError(f"this cell used more than {limit:g} s of CPU time and was stopped "
                           "(an infinite loop, or far more work than the exercise needs)")

    signal.signal(signal.SIGPROF, stop)
    shell.events.register("pre_run_cell", lambda *args: signal.setitimer(signal.ITIMER_PROF, limit))
    shell.events.register("post_run_cell", lambda *args: signal.setitimer(signal.ITIMER_PROF, 0))
    return True


def _short(value, limit: int = 200) -> str:
    if isinstance(value, np.generic) and value.ndim == 0 and value.dtype.kind in "biufc":
        value = value.item()  # 3.0, not np.float64(3.0)
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=20, separator=", ", precision=6)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _assertion(message: str) -> AssertionError:
    """An AssertionError whose traceback, in IPython, ends at the test's line, not in this module."""
    exc = AssertionError(message)
    exc._render_traceback_ = lambda: _render_for_student(exc)
    return exc


def _fail(name: str, reason: str, expected, got) -> None:
    __tracebackhide__ = True  # IPython shows the student's line (the test), not this helper
    raise _assertion(f"{name}: {reason}\n  expected: {_short(expected)}\n  got:      {_short(got)}")


def check_array(got: ArrayLike, expected: ArrayLike, *, name: str = "result", rtol: float = 1e-7,
                atol: float = 1e-10, check_dtype: bool = False) -> None:
    """Check that ``got`` equals the array ``expected`` within tolerance.

    Parameters
    ----------
    got, expected : array_like
        The student's answer and the reference.  Lists, tuples and arrays are
        all accepted; ``None`` (a function that forgot to ``return``) is not.
    name : str
        What is being checked, for the message (e.g. ``"convolve([1, 2], [1, 1])"``).
    rtol, atol : float
        ``|got - expected| <= atol + rtol * |expected|`` elementwise, as
        ``numpy.isclose``.  Integers are compared exactly.
    check_dtype : bool
        Also require the same dtype kind (integer / float / complex).

    Raises
    ------
    AssertionError
        With the first difference: type, shape, dtype, or the first index
        whose value differs.

    Examples
    --------
    >>> check_array([0.1 + 0.2], [0.3], name="sum")
    >>> check_array([1.0, 2.0, 3.5], [1, 2, 3], name="y")
    Traceback (most recent call last):
    ...
    AssertionError: y: first difference at index 2: expected 3, got 3.5 (1 of 3 entries differ).
      expected: [1, 2, 3]
      got:      [1.0, 2.0, 3.5]
    """
    __tracebackhide__ = True
    if got is None:
        _fail(name, "your function returned None (did you forget `return`?).", expected, got)
    exp = np.asarray(expected)
    try:
        arr = np.asarray(got)
    except Exception as exc:  # ragged lists and the like
        _fail(name, f"could not read your answer as an array ({exc}).", expected, got)
    if arr.dtype.kind not in "biufcO":
        _fail(name, f"expected numbers, got an array of dtype {arr.dtype}.", expected, got)
    if arr.shape != exp.shape:
        _fail(name, f"wrong shape: expected {exp.shape}, got {arr.shape}.", expected, got)
    if check_dtype and arr.dtype.kind != exp.dtype.kind:
        _fail(name, f"wrong dtype: expected {exp.dtype} (kind {exp.dtype.kind!r}), got {arr.dtype}.",
              expected, got)
    if exp.dtype.kind in "biu" and arr.dtype.kind in "biuO" or exp.dtype.kind == "O":
        bad = np.array([a != e for a, e in zip(arr.ravel().tolist(), exp.ravel().tolist())], dtype=bool)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~np.isclose(arr.astype(complex), exp.astype(complex), rtol=rtol, atol=atol,
                              equal_nan=True).ravel()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        index = tuple(int(i) for i in np.unravel_index(first, exp.shape)) if exp.ndim > 1 else first
        e_val, g_val = exp.ravel()[first], arr.ravel()[first]
        e_val = e_val.item() if hasattr(e_val, "item") else e_val
        g_val = g_val.item() if hasattr(g_val, "item") else g_val
        where = f"index {index}" if exp.ndim else "the value"
        _fail(name, f"first difference at {where}: expected {e_val!r}, got {g_val!r} "
                    f"({int(bad.sum())} of {bad.size} entries differ).", expected, got)


def check_close(got: object, expected: complex, *, name: str = "result", rtol: float = 1e-7,
                atol: float = 1e-10) -> None:
    """Check that the number ``got`` is within tolerance of ``expected``.

    Examples
    --------
    >>> check_close(0.1 + 0.2, 0.3, name="sum")
    >>> check_close(2.5, 2.0, name="variance")
    Traceback (most recent call last):
    ...
    AssertionError: variance: expected 2.0 (within rtol=1e-07, atol=1e-10), got 2.5.
      expected: 2.0
      got:      2.5
    """
    __tracebackhide__ = True
    if got is None:
        _fail(name, "your function returned None (did you forget `return`?).", expected, got)
    if isinstance(got, (str, bytes)):
        _fail(name, f"expected a number, got {type(got).__name__}.", expected, got)
    try:
        got_c = complex(got)  # also accepts 0-d arrays and sympy numbers
    except Exception:
        _fail(name, f"expected a number, got {type(got).__name__}.", expected, got)
    if not np.isclose(got_c, complex(expected), rtol=rtol, atol=atol):
        _fail(name, f"expected {expected!r} (within rtol={rtol:g}, atol={atol:g}), got {got!r}.",
              expected, got)


def check_equal(got: object, expected: object, *, name: str = "result") -> None:
    """Check exact equality (integers, lists of digits, tuples, strings).

    Examples
    --------
    >>> check_equal([4, 5, 7, 5], [4, 5, 7, 5], name="carry([14, 34, 14, 4])")
    >>> check_equal(5755, 5754, name="42 * 137")
    Traceback (most recent call last):
    ...
    AssertionError: 42 * 137: expected 5754, got 5755.
      expected: 5754
      got:      5755
    """
    __tracebackhide__ = True
    if got is None and expected is not None:
        _fail(name, "your function returned None (did you forget `return`?).", expected, got)
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple, np.ndarray)):
        got_list = list(np.asarray(got).tolist()) if isinstance(got, np.ndarray) else list(got)
        if len(got_list) != len(expected):
            _fail(name, f"wrong length: expected {len(expected)}, got {len(got_list)}.", expected, got)
        for i, (g, e) in enumerate(zip(got_list, expected)):
            wrong_type = _type_mismatch(g, e)
            if wrong_type:
                _fail(name, f"at index {i}: {wrong_type}", expected, got)
            if g != e:
                _fail(name, f"first difference at index {i}: expected {e!r}, got {g!r}.", expected, got)
        return
    wrong_type = _type_mismatch(got, expected)
    if wrong_type:
        _fail(name, wrong_type, expected, got)
    if got != expected:
        _fail(name, f"expected {expected!r}, got {got!r}.", expected, got)


def _type_mismatch(got, expected) -> str | None:
    """Why ``got`` is not even the kind of value expected (an int, a bool, a str), or None.

    ``5.0 == 5`` in Python, but an exercise that asks for a size or a count
    asks for an integer: a float is wrong however close it is.
    """
    is_bool = (bool, np.bool_)
    if isinstance(expected, is_bool):
        if not isinstance(got, is_bool):
            return f"expected a bool ({expected!r}), got {type(got).__name__} {got!r}."
    elif isinstance(expected, numbers.Integral):
        if isinstance(got, is_bool) or not isinstance(got, numbers.Integral):
            return f"expected an integer ({expected!r}), got {type(got).__name__} {got!r}."
    elif isinstance(expected, str) and not isinstance(got, str):
        return f"expected a str ({expected!r}), got {type(got).__name__} {got!r}."
    return None


def check_sympy(got: object, expected: sp.Expr, *, symbols: Sequence[sp.Symbol] | None = None,
                name: str = "result", points: Sequence[float] | None = None) -> None:
    """Check that two sympy expressions are mathematically equal.

    First ``sympy.simplify(got - expected) == 0`` is tried; when simplify
    cannot decide (Piecewise results often defeat it), both are evaluated
    exactly at sample points (rational numbers, including the breakpoints'
    neighbourhoods) and must agree everywhere.

    Parameters
    ----------
    got, expected : sympy expression
    symbols : sequence of sympy.Symbol, optional
        The free variables; default: the free symbols of ``expected``.
    name : str
        What is being checked, for the message.
    points : sequence of numbers, optional
        Where to evaluate; default: a grid of rationals in [-5, 5].

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.symbols("t", real=True)
    >>> check_sympy(sp.sin(t)**2 + sp.cos(t)**2, sp.Integer(1), symbols=[t])
    >>> check_sympy(t**2, t**3, symbols=[t], name="f(t)")
    Traceback (most recent call last):
    ...
    AssertionError: f(t): the expressions differ at t = -5: expected -125, got 25.
      expected: t**3
      got:      t**2
    """
    __tracebackhide__ = True
    import sympy as sp

    if got is None:
        _fail(name, "your function returned None (did you forget `return`?).", expected, got)
    try:
        got = sp.sympify(got, strict=True)
    except (sp.SympifyError, TypeError):
        _fail(name, f"expected a sympy expression, got {type(got).__name__}.", expected, got)
    expected = sp.sympify(expected)
    if symbols is None:
        symbols = sorted(expected.free_symbols | got.free_symbols, key=str)
    extra = got.free_symbols - set(symbols) - expected.free_symbols
    if extra:
        _fail(name, f"your expression uses unexpected symbols {sorted(map(str, extra))}.", expected, got)
    if any(isinstance(a, sp.Integral) for a in sp.preorder_traversal(got)):
        _fail(name, "your expression still contains an unevaluated Integral.", expected, got)
    with contextlib.suppress(Exception):
        if sp.simplify(got - expected) == 0:
            return
    if points is None:
        points = [sp.Rational(k, 4) for k in range(-20, 21)] + [sp.Rational(1, 3), sp.Rational(-7, 3)]
    if not symbols:
        points = [None]
    for p in points:
        subs = {s: p for s in symbols}
        e_val, g_val = expected.subs(subs), got.subs(subs)
        at = ", ".join(f"{s} = {p}" for s in symbols) or "the constant value"
        try:
            diff = complex(sp.N(e_val - g_val, 30))
            scale = 1 + abs(complex(sp.N(e_val, 30)))
        except (TypeError, ValueError):  # nan, zoo, or a leftover symbol
            _fail(name, f"could not evaluate both expressions as numbers at {at}: expected {e_val}, "
                        f"got {g_val}.", expected, got)
        if not abs(diff) <= 1e-20 * scale:  # also catches nan
            _fail(name, f"the expressions differ at {at}: expected {e_val}, got {g_val}.", expected, got)


def check_raises(error: type[BaseException] | tuple[type[BaseException], ...], func: Callable[..., object],
                 *args: object, name: str = "result", **kwargs: object) -> None:
    """Check that ``func(*args, **kwargs)`` raises ``error`` (for exercises that validate input).

    Any other exception propagates unchanged, so the student sees their own bug.

    Examples
    --------
    >>> check_raises(ValueError, int, "x")
    >>> check_raises(ValueError, int, "12", name="int('12')")
    Traceback (most recent call last):
    ...
    AssertionError: int('12'): expected ValueError to be raised, but the call returned 12.
    """
    __tracebackhide__ = True
    try:
        value = func(*args, **kwargs)
    except error:
        return
    raise _assertion(f"{name}: expected {error.__name__} to be raised, but the call returned {value!r}.")


# ------------------------------------------------------------------ forbid, by identity

#: private modules that hold the implementation of a public module: forbidding the public one forbids them too
_IMPLEMENTED_IN = {
    "convbook.nn": ("convbook._nn_impl",),
    "convbook.fourier": ("convbook._fft",),
}

#: C kernels that a public function only wraps (another name for the same computation)
_KERNELS = {
    "numpy.convolve": ("numpy._core.multiarray.correlate",),
    "numpy.correlate": ("numpy._core.multiarray.correlate2",),
}


class _Blocked:
    """What a forbid block refuses: code objects, C functions, source files, and names to patch."""

    def __init__(self):
        self.codes = {}      # id(code) -> (code, dotted): Python functions, whatever name reaches them
        self.cfuncs = {}     # builtin function -> dotted (builtins compare by their C function and self)
        self.prefixes = []   # (source path or folder, dotted): every Python function of a forbidden module
        self.patches = []    # (owner, attr, dotted): callables that no profile event shows (ufuncs, C classes)
        self.pending = {}    # top-level package, installed but not imported yet -> [dotted targets]

    def merge(self, other: _Blocked) -> None:
        for code_id, entry in other.codes.items():
            self.codes.setdefault(code_id, entry)
        for func, dotted in other.cfuncs.items():
            self.cfuncs.setdefault(func, dotted)
        self.prefixes += [p for p in other.prefixes if p not in self.prefixes]
        for top, targets in other.pending.items():
            self.pending.setdefault(top, []).extend(targets)


def _add_code(blocked: _Blocked, func, dotted: str) -> None:
    code = func.__code__
    blocked.codes.setdefault(id(code), (code, dotted))


def _add_callable(blocked: _Blocked, obj, dotted: str, owner=None, attr=None) -> None:
    """Block ``obj`` by identity: its code, the implementation it wraps, or, as a last resort, its name."""
    import functools
    import types

    seen, stack, traced = set(), [obj], False
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        wrapped = item.__dict__.get("__wrapped__") if hasattr(item, "__dict__") else None
        if isinstance(item, types.FunctionType):
            if wrapped is None:  # a wrapper's code is often shared (functools.wraps, contextmanager): not its own
                _add_code(blocked, item, dotted)
                traced = True
        elif isinstance(item, types.MethodType):
            stack.append(item.__func__)
        elif isinstance(item, types.BuiltinFunctionType):
            blocked.cfuncs.setdefault(item, dotted)
            traced = traced or item is obj  # a builtin called by a Python line is seen; inside a wrapper, not
        elif isinstance(item, functools.partial):
            stack.append(item.func)
        elif isinstance(item, type):
            for name in ("__init__", "__new__"):
                member = item.__dict__.get(name)
                member = member.__func__ if isinstance(member, staticmethod) else member
                if isinstance(member, types.FunctionType):
                    _add_code(blocked, member, dotted)
                    traced = True
        else:
            implementation = getattr(item, "_implementation", None)  # numpy's array-function dispatchers
            if implementation is not None:
                stack.append(implementation)
        if wrapped is not None:
            stack.append(wrapped)
    if not traced and owner is not None:
        blocked.patches.append((owner, attr, dotted))


def _source_prefix(module) -> str | None:
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return None
    return os.path.dirname(path) + os.sep if hasattr(module, "__path__") else path


def _add_module(blocked: _Blocked, module, dotted: str) -> None:
    """Every public callable of ``module``, every Python function in its source, every C function of its
    extension modules, and the same for the private modules it is implemented in."""
    import types

    name = module.__name__
    for attr in dir(module):
        if attr.startswith("_"):
            continue
        obj = getattr(module, attr, None)
        if not callable(obj) or isinstance(obj, types.ModuleType):
            continue
        home = getattr(obj, "__module__", None) or ""
        if isinstance(obj, types.BuiltinFunctionType) or home == name or home.startswith(name + "."):
            _add_callable(blocked, obj, f"{dotted}.{attr}", owner=module, attr=attr)
    for mod_name in [name, *_IMPLEMENTED_IN.get(name, ())]:
        mods = [m for k, m in list(sys.modules.items())
                if m is not None and (k == mod_name or k.startswith(mod_name + "."))]
        if mod_name != name and not mods:
            with contextlib.suppress(ImportError):
                mods = [importlib.import_module(mod_name)]
        for mod in mods:
            prefix = _source_prefix(mod)
            if prefix is not None and (prefix, dotted) not in blocked.prefixes:
                blocked.prefixes.append((prefix, dotted))
            if str(getattr(mod, "__file__", "") or "").endswith((".so", ".pyd")):
                for value in list(vars(mod).values()):
                    if isinstance(value, types.BuiltinFunctionType):
                        blocked.cfuncs.setdefault(value, f"{dotted} ({mod.__name__}.{value.__name__})")


def _add_target(blocked: _Blocked, target, strict: bool = True) -> None:
    """Resolve one target of :func:`forbid` into ``blocked``.

    A package that is not installed is a no-op; one that is installed but
    not imported yet is resolved when the student's code imports it.
    """
    if not isinstance(target, str):
        module = getattr(target, "__module__", None)
        qual = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
        if module is None or qual is None or not callable(target):
            raise TypeError(f"forbid() takes dotted names like 'numpy.convolve', got {target!r}.")
        _add_callable(blocked, target, qual if module == "__main__" else f"{module}.{qual}")
        return
    parts = target.split(".")
    if len(parts) < 2 or not all(parts):
        raise ValueError(f"forbid() takes dotted names like 'numpy.convolve', got {target!r}.")
    if not _imported(parts[0]):
        if importlib.util.find_spec(parts[0]) is not None:
            blocked.pending.setdefault(parts[0], []).append(target)
        return  # not installed: nothing can call it
    for split in range(len(parts), 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        if split == len(parts):
            _add_module(blocked, owner, target)
            return
        obj = owner
        for attr in parts[split:]:
            parent, obj = obj, getattr(obj, attr, _MISSING)
            if obj is _MISSING:
                if strict:
                    raise ValueError(f"forbid(): {target!r} does not exist.")
                return
        _add_callable(blocked, obj, target, owner=parent, attr=parts[-1])
        for kernel in _KERNELS.get(target, ()):
            kernels = _Blocked()
            with contextlib.suppress(ValueError, TypeError):
                _add_target(kernels, kernel, strict=False)
            for func in kernels.cfuncs:
                blocked.cfuncs.setdefault(func, target)
        return
    raise ValueError(f"forbid(): cannot import the module of {target!r}.")


_MISSING = object()


def _imported(name: str) -> bool:
    """Whether the module ``name`` is imported, and done importing."""
    module = sys.modules.get(name)
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


def _blocker(dotted: str):
    def blocked(*args, **kwargs):
        __tracebackhide__ = True
        raise ForbiddenFunctionError(f"implement this yourself; {dotted} is not allowed in this exercise.")
    blocked.__name__ = dotted.rsplit(".", 1)[-1]
    blocked.__qualname__ = f"forbidden {dotted}"
    return blocked


class _Guard:
    """One forbid block: a profile function (``sys.setprofile``) that refuses the blocked calls.

    The profile function sees a ``call`` event, with the frame and so its
    code object, whenever any Python function starts (however it was reached:
    an alias, a captured default, a private module path, a C wrapper such as
    numpy's dispatchers), and a ``c_call`` event, with the C function object,
    whenever a Python line calls a builtin (``torch.conv2d``).  It raises
    :class:`ForbiddenFunctionError` there, before the call runs.  CPython
    removes a profile function that raises, so the guard puts itself back at
    the first event of any frame the error passes through (a short-lived
    trace function), before the student's code can catch it and try again.
    """

    _by_callback: dict = {}

    def __init__(self, blocked: _Blocked, parent: _Guard | None):
        self.blocked = blocked
        self.parent = parent
        self.active = True
        self.cache = {}  # id(code) -> (code, dotted or None), for the source-prefix test
        self.local = threading.local()
        self.patched = []  # (owner, attr, original) of the by-name patches in force
        self.callback = self._make_callback()
        _Guard._by_callback[id(self.callback)] = self

    def _refuse(self, frame, dotted):
        __tracebackhide__ = True
        self._arm_rearm(frame)
        raise ForbiddenFunctionError(f"implement this yourself; {dotted} is not allowed in this exercise.")

    def _arm_rearm(self, frame) -> None:
        state = self.local
        if getattr(state, "marked", None) is None:
            state.marked, state.previous_trace = [], sys.gettrace()
        while frame is not None:
            state.marked.append((frame, frame.f_trace))
            frame.f_trace = self._rearm_local
            frame = frame.f_back
        sys.settrace(self._rearm_global)

    def _rearm(self) -> None:
        state = self.local
        marked = getattr(state, "marked", None)
        if marked is None:
            return
        state.marked = None
        for frame, original in reversed(marked):
            frame.f_trace = original
        sys.settrace(state.previous_trace)
        guard = self.current()
        sys.setprofile(guard.callback if guard is not None else None)

    def _rearm_global(self, frame, event, arg):
        previous = getattr(self.local, "previous_trace", None)
        self._rearm()
        return previous(frame, event, arg) if previous is not None else None

    def _rearm_local(self, frame, event, arg):
        self._rearm()
        original = frame.f_trace if frame.f_trace is not self._rearm_local else None
        return original(frame, event, arg) if original is not None else None

    def current(self) -> _Guard | None:
        """This guard, or the innermost enclosing one still active."""
        guard = self
        while guard is not None and not guard.active:
            guard = guard.parent
        return guard

    def _by_prefix(self, code):
        if code.co_name.endswith("_dispatcher") or code.co_name == "<module>":
            return None  # a module being imported runs, so that its functions can be blocked  # numpy's array-function dispatchers only return their arguments: the implementation is next
        filename = code.co_filename
        for prefix, dotted in self.blocked.prefixes:
            if filename == prefix or (prefix.endswith(os.sep) and filename.startswith(prefix)):
                return f"{dotted} ({code.co_qualname})"
        return None

    def _resolve_pending(self) -> bool:
        """Resolve targets whose package the student's code has now imported; True if any was."""
        done = []
        for top in self.blocked.pending:
            if _imported(top):
                done.append(top)
        for top in done:
            waiting = []
            for target in self.blocked.pending.pop(top):
                sub = ".".join(target.split(".")[:2])
                with contextlib.suppress(Exception):
                    if sub != target.split(".")[0] and not _imported(sub) and \
                            importlib.util.find_spec(sub) is not None:
                        waiting.append(target)  # its subpackage is not imported (yet): nothing can call it
                        continue
                late = _Blocked()
                with contextlib.suppress(Exception):  # a broken package cannot be called either
                    _add_target(late, target, strict=False)
                self.blocked.merge(late)
                for owner, attr, dotted in late.patches:
                    self.patch(owner, attr, dotted)
            for target in waiting:  # looked at again once its subpackage is imported
                self.blocked.pending.setdefault(".".join(target.split(".")[:2]), []).append(target)
        if done:
            self.cache.clear()
        return bool(done)

    def patch(self, owner, attr, dotted) -> None:
        original = getattr(owner, attr)
        self.patched.append((owner, attr, original))
        setattr(owner, attr, _blocker(dotted))

    def _make_callback(self):
        codes, cfuncs, cache, blocked = self.blocked.codes, self.blocked.cfuncs, self.cache, self.blocked
        prefixes = self.blocked.prefixes
        guard_c, guard_codes, exempt = _GUARDED_C, _GUARDED_CODES, _EXEMPT_CODES

        pending, modules = self.blocked.pending, sys.modules

        def profile(frame, event, arg, _id=id):
            __tracebackhide__ = True
            if pending:
                for top in pending:
                    if top in modules:  # the code in the block imported it (maybe still importing)
                        self._resolve_pending()
                        break
            if event == "call":
                if not self.active:  # a thread started in the block outlived it
                    guard = self.current()
                    sys.setprofile(guard.callback if guard is not None else None)
                    return
                code = frame.f_code
                entry = codes.get(_id(code))
                if entry is not None and entry[0] is code and self.active:
                    self._refuse(frame, entry[1])
                if prefixes:
                    entry = cache.get(_id(code))
                    if entry is None or entry[0] is not code:
                        entry = cache[_id(code)] = (code, self._by_prefix(code))
                    if entry[1] is not None and self.active:
                        self._refuse(frame, entry[1])
                entry = guard_codes.get(_id(code))
                if entry is not None and entry[0] is code and frame.f_back is not None \
                        and frame.f_back.f_code not in exempt and self.active:
                    self._refuse(frame, entry[1] + " while forbid() is active")
            elif event == "c_call":
                dotted = cfuncs.get(arg)
                if dotted is not None and self.active:
                    self._refuse(frame, dotted)
                dotted = guard_c.get(arg)
                if dotted is not None and frame.f_code not in exempt and self.active:
                    self._refuse(frame, dotted + " while forbid() is active")

        return profile

    def start(self) -> None:
        for owner, attr, dotted in self.blocked.patches:
            self.patch(owner, attr, dotted)
        self.previous_profile = sys.getprofile()
        self.previous_thread_profile = getattr(threading, "_profile_hook", None)
        threading.setprofile(self.callback)
        sys.setprofile(self.callback)

    def stop(self) -> None:
        self.active = False
        sys.setprofile(self.previous_profile)
        threading.setprofile(self.previous_thread_profile)
        for owner, attr, original in reversed(self.patched):
            setattr(owner, attr, original)
        _Guard._by_callback.pop(id(self.callback), None)


#: what would switch a guard off: refused inside a block, except from the guard's own methods
_GUARDED_C = {sys.setprofile: "sys.setprofile", sys.settrace: "sys.settrace"}
_GUARDED_CODES = {id(f.__code__): (f.__code__, f"threading.{f.__name__}")
                  for f in (threading.setprofile, threading.settrace)}
_EXEMPT_CODES = {_Guard.start.__code__, _Guard.stop.__code__, _Guard._rearm.__code__,
                 _Guard._arm_rearm.__code__}


def _blocked_names(namespace, blocked: _Blocked):
    """The namespace's aliases of the by-name patches (``from numpy.fft._pocketfft_umath import fft``)."""
    originals = {id(getattr(owner, attr)): dotted for owner, attr, dotted in blocked.patches}
    return [(key, originals[id(value)]) for key, value in namespace.items()
            if id(value) in originals and not key.startswith("__")]


@contextlib.contextmanager
def forbid(*targets: str | Callable[..., object],
           namespace: dict[str, object] | None = None) -> Iterator[None]:
    """Make the listed functions raise :class:`ForbiddenFunctionError` inside the block.

    Parameters
    ----------
    *targets : str or callable
        Dotted names, e.g. ``"numpy.convolve"``, ``"numpy.fft.fft"``,
        ``"torch.conv2d"``, ``"convbook.discrete.convolve_loops"``.  A module
        name (``"numpy.fft"``, ``"scipy.signal"``) forbids every public
        callable in it and every Python function in its source files, private
        ones included.  A target in a package that is not installed is a
        no-op; one in a package that is installed but not imported yet
        (``torch``, say) is not imported by ``forbid``: it is blocked as soon
        as the code in the block imports it.
    namespace : dict, optional
        For the few callables that only a name can block (numpy ufuncs, C
        classes), the aliases in this namespace are blocked too.  Default: the
        ``__main__`` module's globals, which in a notebook are the student's.

    Raises
    ------
    ValueError
        When a target is not a dotted name, or names nothing in an imported module.

    Notes
    -----
    The block is by identity, not by name: a profile function
    (``sys.setprofile``, and ``threading.setprofile`` for threads started in
    the block) sees each Python function start, with its code object, and
    each builtin that a Python line calls, with the C function object.  So an
    alias, a default argument captured before the block, ``vars(np)[...]``,
    a private module path or a copy made with ``types.FunctionType`` of the
    same code are all refused.  The profile function is removed, and any
    patched name restored, when the block ends, even on error.  It does not
    see a builtin called from C (``map(torch.conv2d, ...)``) or threads
    that were already running; the autograder's audit and trusted re-check
    cover deliberate cheating.

    Examples
    --------
    >>> import numpy as np
    >>> with forbid("numpy.convolve"):
    ...     np.convolve([1, 2], [1, 1])
    Traceback (most recent call last):
    ...
    convbook.grading.ForbiddenFunctionError: implement this yourself; numpy.convolve is not allowed in this exercise.
    >>> np.convolve([1, 2], [1, 1]).tolist()
    [1, 3, 2]
    >>> with forbid("nosuchpackage.convolve"):  # not installed: nothing to forbid
    ...     np.convolve([1], [2]).tolist()
    [2]
    """
    __tracebackhide__ = True
    if namespace is None:
        namespace = vars(sys.modules["__main__"])
    blocked = _Blocked()
    for target in targets:
        _add_target(blocked, target)
    parent = _Guard._by_callback.get(id(sys.getprofile()))
    if parent is not None:
        blocked.merge(parent.blocked)
    guard = _Guard(blocked, parent)
    aliases = _blocked_names(namespace, blocked)
    saved = [(key, namespace[key]) for key, _ in aliases]
    for key, dotted in aliases:
        namespace[key] = _blocker(dotted)
    guard.start()
    try:
        yield
    finally:
        guard.stop()
        namespace.update(saved)
