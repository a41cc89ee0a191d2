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
import os

import numpy as np

__all__ = [
    "MAX_SIZE",
    "check_choice",
    "check_int",
    "check_tuple",
    "check_real",
    "check_size",
    "memory_bytes",
    "as_numeric_array",
    "as_real_array",
    "describe",
]

#: The largest number of elements (and the largest length along an axis) that a
#: numpy array can have: sizes are ``intp``.  An integer size parameter above it
#: can never be honoured, whatever the memory.
MAX_SIZE = int(np.iinfo(np.intp).max)


def describe(value) -> str:
    """A short description of ``value`` for an error message (type and repr, clipped)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        if abs(int(value)).bit_length() > 200:  # repr of a huge int is long, or refused (int_max_str_digits)
            return f"an integer of {abs(int(value)).bit_length()} bits (type {type(value).__name__})"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__} object>"
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


def _int_bounds(minimum, maximum) -> str:
    """The allowed range for a message: the largest array size is implied, not spelled out."""
    low = "" if minimum is None else f" >= {minimum}"
    if maximum is None or maximum == MAX_SIZE:
        return low
    if minimum is None:
        return f" <= {maximum}"
    return f" between {minimum} and {maximum}"


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check that ``value`` is an integer (not a bool, not a float) >= ``minimum`` and <= ``maximum``.

    Returns it as a Python ``int``.  Sizes, strides, paddings and the like pass
    ``maximum=MAX_SIZE``: no array can be longer (``10**30`` is refused here,
    instead of failing deep inside numpy).

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
    >>> check_int("n", 10**30, minimum=1, maximum=MAX_SIZE)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer <= 9223372036854775807 (the largest size a numpy array can have), got 1000000000000000000000000000000 (type int).
    """
    bounds = _int_bounds(minimum, maximum)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer{bounds}, got {describe(value)}.")
    try:
        value = operator.index(value)
    except TypeError:  # numpy.timedelta64 registers as an Integral but is not an index
        raise TypeError(f"{name} must be an integer{bounds}, got {describe(value)}.") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer{bounds}, got {describe(value)}.")
    if maximum is not None and value > maximum:
        if maximum == MAX_SIZE:
            raise ValueError(
                f"{name} must be an integer <= {MAX_SIZE} (the largest size a numpy array can have), "
                f"got {describe(value)}."
            )
        raise ValueError(f"{name} must be an integer{bounds}, got {describe(value)}.")
    return value


def check_tuple(name: str, value, length: int, *, minimum: int | None = None,
                maximum: int | None = None) -> tuple[int, ...]:
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
        return (check_int(name, value, minimum=minimum, maximum=maximum),) * length
    if not isinstance(value, (tuple, list)) or len(value) != length:
        raise ValueError(
            f"{name} must be an integer or a tuple of {length} integers{_int_bounds(minimum, maximum)}, "
            f"got {describe(value)}."
        )
    return tuple(check_int(f"{name}[{i}]", v, minimum=minimum, maximum=maximum) for i, v in enumerate(value))


def check_real(name: str, value, *, finite: bool = True) -> float:
    """Check that ``value`` is a real number (not a bool, not complex) and return it as a float.

    >>> check_real("dx", 0.5)
    0.5
    >>> check_real("dx", 1 + 2j)
    Traceback (most recent call last):
    ...
    TypeError: dx must be a real number, got (1+2j) (type complex).
    >>> check_real("hi", float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: hi must be finite, got inf (type float).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}.")
    try:
        out = float(value)
    except (OverflowError, TypeError, ValueError):
        raise ValueError(f"{name} must be a real number within float range (about 1.8e308), "
                         f"got {describe(value)}.") from None
    if finite and not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {describe(value)}.")
    return out


def _nbytes(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} EiB"  # pragma: no cover


def memory_bytes() -> int | None:
    """This machine's physical memory in bytes (None if unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        return None


def check_size(name: str, value, shape, dtype=np.float64, *, what: str = "an output", context: str = "") -> None:
    """Refuse a parameter whose implied array could not exist, naming it and the size.

    ``shape`` is the array that ``name=value`` implies (ints of any size).  It
    is refused when it has more elements than a numpy array can hold, or
    needs more bytes than this machine's physical memory.  O(len(shape)).
    ``context`` prefixes the message (e.g. ``"conv2d: "``); an array
    ``value`` is shown by its shape.

    >>> check_size("n", 10, (10, 10))
    >>> check_size("n", 2**40, (2**40, 2**40))
    Traceback (most recent call last):
    ...
    ValueError: n=1099511627776 would make an output of shape (1099511627776, 1099511627776), that is 1208925819614629174706176 elements: more than a numpy array can have (9223372036854775807).
    """
    count = 1
    for d in shape:
        count *= int(d)
    shown = f"{name} of shape {value.shape}" if isinstance(value, np.ndarray) else f"{name}={value!r}"
    if count > MAX_SIZE:
        raise ValueError(
            f"{context}{shown} would make {what} of shape {tuple(shape)}, that is {count} elements: "
            f"more than a numpy array can have ({MAX_SIZE})."
        )
    nbytes = count * np.dtype(dtype).itemsize
    memory = memory_bytes()
    if memory is not None and nbytes > memory:
        raise ValueError(
            f"{context}{shown} would make {what} of shape {tuple(shape)}, {_nbytes(nbytes)} of "
            f"{np.dtype(dtype).name}: more than this machine's memory ({_nbytes(memory)})."
        )


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


def as_real_array(name: str, value, *, ndim=None, allow_empty: bool = False) -> np.ndarray:
    """Like :func:`as_numeric_array`, for parameters that must be real: a floating array.

    Floating arrays keep their precision; everything else becomes float64.
    Complex numbers are refused (numpy's ``astype(float)`` would silently drop
    the imaginary part), as are integers beyond float range.

    >>> as_real_array("t_values", [1, 2.5])
    array([1. , 2.5])
    >>> as_real_array("t_values", [1 + 2j, 3])
    Traceback (most recent call last):
    ...
    TypeError: t_values must hold real numbers, got [(1+2j), 3] (type list): complex values are refused, as dropping their imaginary part would silently give a wrong answer.
    """
    arr = as_numeric_array(name, value, ndim=ndim, allow_empty=allow_empty)
    if arr.dtype.kind == "c" or (
        arr.dtype.kind == "O" and not all(isinstance(v, numbers.Real) for v in arr.flat)
    ):
        raise TypeError(
            f"{name} must hold real numbers, got {describe(value)}: complex values are refused, as "
            "dropping their imaginary part would silently give a wrong answer."
        )
    if arr.dtype.kind == "f":
        return arr
    try:
        return arr.astype(np.float64)
    except (OverflowError, TypeError, ValueError):
        raise ValueError(
            f"{name} must hold real numbers within float range (about 1.8e308), got {describe(value)}."
        ) from None
