"""Limits and validators shared by chapter 3's figures (private).

The figure modules of :mod:`convbook.plotting.polynomial` (one per lesson)
import from here.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np

from convbook._validation import as_numeric_array, check_int, describe


_GRID_MAX = 16        # digits per factor a readable grid can show
_CARRY_MAX = 14       # columns a readable carry picture can show
_DIAGONAL_COLORS = ["#cfe3f6", "#fde2c4", "#d3efd0", "#f6d0d0", "#e3d7f0",
                    "#ecdcc9", "#f8d9ec", "#e0e0e0", "#eef2c4", "#cdeff2"]


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------

def _exact_sequence(name: str, value, *, max_len: int | None = None,
                    nonnegative: bool = False, integer: bool = False) -> list:
    """A non-empty 1-D sequence of exact numbers (ints, or Fractions unless ``integer``).

    Floats are accepted when they are whole numbers (``2.0``) and returned as ints, so
    that ``numpy.convolve`` output of float dtype can be drawn; anything else raises.
    """
    if (isinstance(value, np.ndarray) and value.dtype.kind == "b") or (
            isinstance(value, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in value)):
        raise TypeError(f"{name} must hold numbers, not booleans, got {describe(value)}.")
    arr = as_numeric_array(name, value, ndim=1)
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    out = []
    for k, v in enumerate(arr.tolist()):
        if isinstance(v, numbers.Integral):
            v = int(v)
        elif isinstance(v, float):
            if not math.isfinite(v) or v != int(v):
                raise ValueError(
                    f"{name}[{k}] = {v!r} is not {'an integer' if integer else 'an exact number'}: "
                    f"{name} must hold integers{'' if integer else ' or Fractions'}."
                )
            v = int(v)
        elif isinstance(v, numbers.Rational) and not integer:
            v = Fraction(v)
        else:
            kind = "integers" if integer else "integers or Fractions"
            raise TypeError(f"{name}[{k}] = {v!r} is not allowed: {name} must hold {kind}.")
        if nonnegative and v < 0:
            raise ValueError(f"{name}[{k}] = {v} is negative: {name} must hold integers >= 0.")
        out.append(v)
    if max_len is not None and len(out) > max_len:
        raise ValueError(
            f"{name} has {len(out)} entries; at most {max_len} fit in a readable picture."
        )
    return out


def _check_base(base) -> int:
    return check_int("base", base, minimum=2)
