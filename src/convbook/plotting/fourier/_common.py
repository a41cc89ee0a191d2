"""Colours, limits and validators shared by chapter 4's figures (private).

The figure modules of :mod:`convbook.plotting.fourier` (one per lesson) and
the explorers of :mod:`convbook.widgets.fourier` import from here.
"""

from __future__ import annotations

import numpy as np

from convbook._validation import as_numeric_array, describe
from convbook.plotting._style import _check_positive


HEAD_COLOR = "C0"      # outputs that a short circular convolution gets right
TAIL_COLOR = "C1"      # the tail of the linear convolution, which wraps around
WRONG_COLOR = "#d62728"
ACTIVE_COLOR = "#d62728"
WIRE_COLOR = "0.55"
DONE_COLOR = "0.15"

_MAX_BUTTERFLY_N = 16      # a readable diagram
_MAX_TRACE_N = 1024        # butterfly_steps keeps n values per butterfly
_MAX_WRAP_LEN = 400        # bars in a wrap-around figure


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------

def _real_vector(name: str, value, *, max_len: int | None = None) -> np.ndarray:
    """A non-empty 1-D array of finite real numbers, as float64."""
    arr = as_numeric_array(name, value, ndim=1)
    if arr.dtype.kind == "c" or (arr.dtype == object and any(isinstance(v, complex) for v in arr)):
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    try:
        arr = arr.astype(np.float64)
    except OverflowError:
        raise OverflowError(f"{name} holds a value too large for float64, got {describe(value)}.") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers, got {describe(value)} with nan or inf.")
    if max_len is not None and arr.shape[0] > max_len:
        raise ValueError(
            f"len({name}) must be at most {max_len} for a readable figure, got {arr.shape[0]}."
        )
    return arr


def _check_interval(value) -> float:
    return _check_positive("interval", value)
