"""Small private helpers that validate arguments for every public function.

Every error names the parameter, shows the value received and says what is
allowed, in the manner of scipy's ``"Acceptable mode flags are 'valid',
'same', or 'full'."``.  Public functions call these first, so that bad input
never turns into a traceback from deep inside numpy, nor into a silently wrong
answer.
"""

from __future__ import annotations

import numbers
import operator

import numpy as np

__all__ = [
    "check_choice",
    "check_int",
    "check_tuple",
    "as_numeric_array",
    "describe",
]


def describe(value) -> str:
    """A short description of ``value`` for an error message (type and repr, clipped)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def _or_list(allowed) -> str:
    items = [repr(a) for a in allowed]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + ", or " + items[-1]


def check_choice(name: str, value, allowed) -> str:
    """Check that ``value`` is one of the strings in ``allowed`` and return it.

    >>> check_choice("mode", "full", ("valid", "same", "full"))
    'full'
    >>> check_choice("mode", "circular", ("valid", "same", "full"))
    Traceback (most recent call last):
    ...
    ValueError: mode='circular' is not allowed. Acceptable mode flags are 'valid', 'same', or 'full'.
    """
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{name}={value!r} is not allowed. "
            f"Acceptable {name} flags are {_or_list(allowed)}."
        )
    return value


def check_int(name: str, value, *, minimum: int | None = None) -> int:
    """Check that ``value`` is an integer (not a bool, not a float) >= ``minimum``.

    Returns it as a Python ``int``.

    >>> check_int("stride", 2, minimum=1)
    2
    >>> check_int("stride", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: stride must be an integer >= 1, got 0 (type int).
    >>> check_int("stride", 1.5, minimum=1)
    Traceback (most recent call last):
    ...
    TypeError: stride must be an integer >= 1, got 1.5 (type float).
    """
    bound = "" if minimum is None else f" >= {minimum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer{bound}, got {describe(value)}.")
    value = operator.index(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer{bound}, got {describe(value)}.")
    return value


def check_tuple(name: str, value, length: int, *, minimum: int | None = None) -> tuple[int, ...]:
    """Expand an int or a sequence of ``length`` ints into a tuple, checking each.

    >>> check_tuple("stride", 2, 2, minimum=1)
    (2, 2)
    >>> check_tuple("stride", (1, 3), 2, minimum=1)
    (1, 3)
    >>> check_tuple("stride", (1, 2, 3), 2, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: stride must be an integer or a tuple of 2 integers >= 1, got (1, 2, 3) (type tuple).
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return (check_int(name, value, minimum=minimum),) * length
    bound = "" if minimum is None else f" >= {minimum}"
    if not isinstance(value, (tuple, list)) or len(value) != length:
        raise ValueError(
            f"{name} must be an integer or a tuple of {length} integers{bound}, got {describe(value)}."
        )
    return tuple(check_int(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))


_NUMERIC_KINDS = "biufc"
_INT64 = np.iinfo(np.int64)


def _exact_ints(value, arr: np.ndarray) -> np.ndarray:
    """Keep Python ints exact: numpy turns ``[0, 2**63 + 1]`` into float64 (rounding it)
    and ``[2**63 + 1, 5]`` into uint64 (which later mixes with int64 into float64)."""
    flat = np.asarray(value, dtype=object).ravel()
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in flat):
        return arr
    if all(_INT64.min <= int(v) <= _INT64.max for v in flat):
        return np.asarray(value, dtype=np.int64)
    return np.asarray(value, dtype=object)


def as_numeric_array(name: str, value, *, ndim=None, allow_empty: bool = False) -> np.ndarray:
    """Convert ``value`` to a numeric numpy array, or raise a clear error.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : array_like
        Numbers: a list, tuple, scalar or array of ints, floats or complex
        numbers.  Object arrays are accepted when every element is a number
        (Python ints too large for int64, ``fractions.Fraction``, ...).
    ndim : int or tuple of int, optional
        The allowed number(s) of dimensions.
    allow_empty : bool
        Whether an array with no elements is acceptable.

    Returns
    -------
    numpy.ndarray
        Booleans are converted to ``int64`` (convolution counts, it does not
        take logical ORs as ``numpy.convolve`` does on bool arrays).

    Examples
    --------
    >>> as_numeric_array("a", [1, 2, 3], ndim=1)
    array([1, 2, 3])
    >>> as_numeric_array("a", [0, 2**63 + 1], ndim=1)   # exact, where numpy would round to float
    array([0, 9223372036854775809], dtype=object)
    >>> as_numeric_array("a", [], ndim=1)
    Traceback (most recent call last):
    ...
    ValueError: a must not be empty, got an array of shape (0,) and dtype float64.
    >>> as_numeric_array("a", ["x", "y"], ndim=1)
    Traceback (most recent call last):
    ...
    TypeError: a must hold numbers (int, float or complex), got ['x', 'y'] (type list).
    >>> as_numeric_array("a", [[1, 2]], ndim=1)
    Traceback (most recent call last):
    ...
    ValueError: a must be 1-D, got an array of shape (1, 2) and dtype int64.
    """
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists, etc.
        raise ValueError(f"{name} must be a rectangular array of numbers, got {describe(value)}: {exc}") from None
    if arr.dtype.kind in "uf" and not isinstance(value, np.ndarray) and arr.size:
        arr = _exact_ints(value, arr)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind == "O":
        flat = arr.ravel()
        if not all(isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_)) for v in flat):
            raise TypeError(f"{name} must hold numbers (int, float or complex), got {describe(value)}.")
    elif arr.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} must hold numbers (int, float or complex), got {describe(value)}.")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got {describe(arr)}.")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got {describe(arr)}.")
    return arr
