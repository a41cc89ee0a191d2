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
import numbers
import sys

import numpy as np

__all__ = [
    "check_array",
    "check_close",
    "check_equal",
    "check_sympy",
    "check_raises",
    "forbid",
    "ForbiddenFunctionError",
]


class ForbiddenFunctionError(RuntimeError):
    """Raised when an exercise's solution calls a function it must not use."""


def _short(value, limit: int = 200) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=20, separator=", ", precision=6)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fail(name: str, reason: str, expected, got) -> None:
    raise AssertionError(
        f"{name}: {reason}\n  expected: {_short(expected)}\n  got:      {_short(got)}"
    )


def check_array(got, expected, *, name: str = "result", rtol: float = 1e-7,
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


def check_close(got, expected, *, name: str = "result", rtol: float = 1e-7, atol: float = 1e-10) -> None:
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


def check_equal(got, expected, *, name: str = "result") -> None:
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
    if got is None and expected is not None:
        _fail(name, "your function returned None (did you forget `return`?).", expected, got)
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple, np.ndarray)):
        got_list = list(np.asarray(got).tolist()) if isinstance(got, np.ndarray) else list(got)
        if len(got_list) != len(expected):
            _fail(name, f"wrong length: expected {len(expected)}, got {len(got_list)}.", expected, got)
        for i, (g, e) in enumerate(zip(got_list, expected)):
            if g != e:
                _fail(name, f"first difference at index {i}: expected {e!r}, got {g!r}.", expected, got)
        return
    if got != expected:
        _fail(name, f"expected {expected!r}, got {got!r}.", expected, got)


def check_sympy(got, expected, *, symbols=None, name: str = "result", points=None) -> None:
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


def _resolve(target):
    """Return (owner, attribute name, dotted name) for a dotted string like 'numpy.fft.fft'."""
    if not isinstance(target, str):
        module = getattr(target, "__module__", None)
        qual = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
        if module is None or qual is None:
            raise TypeError(f"forbid() takes dotted names like 'numpy.convolve', got {target!r}.")
        target = f"{module}.{qual}"
    parts = target.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:-1]:
            owner = getattr(owner, attr)
        if not hasattr(owner, parts[-1]):
            raise ValueError(f"forbid(): {target!r} does not exist.")
        return owner, parts[-1], target
    raise ValueError(f"forbid(): cannot import the module of {target!r}.")


def _blocker(dotted: str):
    def blocked(*args, **kwargs):
        raise ForbiddenFunctionError(
            f"implement this yourself; {dotted} is not allowed in this exercise."
        )
    blocked.__name__ = dotted.rsplit(".", 1)[-1]
    blocked.__qualname__ = f"forbidden {dotted}"
    return blocked


def check_raises(error, func, *args, name: str = "result", **kwargs) -> None:
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
    try:
        value = func(*args, **kwargs)
    except error:
        return
    raise AssertionError(f"{name}: expected {error.__name__} to be raised, but the call returned {value!r}.")


@contextlib.contextmanager
def forbid(*targets, namespace=None):
    """Make the listed functions raise :class:`ForbiddenFunctionError` inside the block.

    Parameters
    ----------
    *targets : str
        Dotted names, e.g. ``"numpy.convolve"``, ``"numpy.fft.fft"``,
        ``"convbook.discrete.convolve"``.  A module name (``"numpy.fft"``)
        forbids every public callable in it.
    namespace : dict, optional
        A namespace whose aliases of the targets are blocked too (for a
        student who wrote ``from numpy import convolve``).  Default: the
        ``__main__`` module's globals, which in a notebook are the student's.

    Notes
    -----
    The originals are restored when the block ends, even on error.  This is a
    guard for honest mistakes and teaching, not a sandbox: code that runs in
    the same process can undo anything (the autograder's audit and re-check
    handle deliberate cheating).

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
    """
    if namespace is None:
        namespace = vars(sys.modules["__main__"])
    patches = []  # (owner, name, original) with owner a module/object or a dict
    originals = {}
    for target in targets:
        if isinstance(target, str) and "." not in target:
            raise ValueError(f"forbid() takes dotted names like 'numpy.convolve', got {target!r}.")
        try:
            module = importlib.import_module(target) if isinstance(target, str) else None
        except ImportError:
            module = None
        if module is not None:
            names = [n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))]
            items = [(module, n, f"{target}.{n}") for n in names]
        else:
            items = [_resolve(target)]
        for owner, attr, dotted in items:
            original = getattr(owner, attr)
            patches.append((owner, attr, original))
            originals[id(original)] = dotted
            setattr(owner, attr, _blocker(dotted))
    for key, value in list(namespace.items()):
        if id(value) in originals and not key.startswith("__"):
            patches.append((namespace, key, value))
            namespace[key] = _blocker(originals[id(value)])
    try:
        yield
    finally:
        for owner, attr, original in reversed(patches):
            if isinstance(owner, dict):
                owner[attr] = original
            else:
                setattr(owner, attr, original)

