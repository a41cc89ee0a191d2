"""Colours, limits, validators and stem plots shared by chapter 2's figures (private).

The figure modules of :mod:`convbook.plotting.discrete` (one per lesson)
and the explorer :func:`convbook.widgets.discrete.discrete_explorer` import
from here.
"""

from __future__ import annotations

import numbers

import numpy as np

from convbook._validation import as_numeric_array, describe


SIGNAL_COLOR = "C0"
KERNEL_COLOR = "C1"
PRODUCT_COLOR = "C2"
OUTPUT_COLOR = "C4"
CURRENT_COLOR = "#d62728"
GHOST_COLOR = "0.7"

_MODES = ("full", "same", "valid")
_MAX_SAMPLES = 400       # a stem picture of more samples is unreadable
_MAX_FRAMES = 200        # frames of an animation embedded in a page


# --------------------------------------------------------------------------
# validation and small helpers (private)
# --------------------------------------------------------------------------

def _sequence(name: str, value, *, max_len: int = _MAX_SAMPLES) -> np.ndarray:
    """A non-empty 1-D sequence of finite real numbers, no longer than ``max_len``.

    Returns the validated array *as given* (ints stay ints, so that the
    convolution computed from it is exact); callers convert to float for
    drawing.
    """
    arr = as_numeric_array(name, value, ndim=1)
    if arr.dtype.kind == "c" or (
        arr.dtype.kind == "O" and any(isinstance(x, complex) or
                                      (isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real))
                                      for x in arr)
    ):
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}: "
                        "these pictures draw real sequences.")
    try:
        as_float = arr.astype(float)
    except OverflowError:
        raise OverflowError(f"{name} holds numbers too large to draw (beyond float range).") from None
    if not np.all(np.isfinite(as_float)):
        raise ValueError(f"{name} must hold finite numbers (no nan or inf), got {describe(value)}.")
    if arr.size > max_len:
        raise ValueError(
            f"{name} must have at most {max_len} samples for a readable picture, got {arr.size}."
        )
    return arr


def _floats(values) -> np.ndarray:
    return np.asarray(values).astype(float)


def _span(values, *, margin=0.12) -> tuple[float, float]:
    """(bottom, top) limits containing ``values`` and 0, with a margin."""
    values = np.asarray(values, dtype=float)
    top = max(float(values.max(initial=0.0)), 0.0)
    bottom = min(float(values.min(initial=0.0)), 0.0)
    pad = margin * (top - bottom) or 1.0
    return bottom - (pad if bottom < 0 else 0.25 * pad), top + pad


def _segments(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.stack([np.column_stack([x, np.zeros_like(x)]), np.column_stack([x, y])], axis=1)


def _stems(ax, x, y, color, gid, *, hollow=False, lw=1.5, ms=5.0, label=None):
    """Draw a stem plot whose parts can be updated: returns (LineCollection, Line2D)."""
    from matplotlib.collections import LineCollection

    lines = LineCollection(_segments(x, y), colors=color, linewidths=lw, gid=f"{gid} stems")
    ax.add_collection(lines)
    (markers,) = ax.plot(np.asarray(x, dtype=float), np.asarray(y, dtype=float), "o", color=color,
                         ms=ms, ls="none", gid=gid, label=label,
                         mfc="white" if hollow else color)
    return lines, markers


def _set_stems(stems, x, y):
    lines, markers = stems
    lines.set_segments(_segments(x, y))
    markers.set_data(np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def _fmt(value: float) -> str:
    """A number for a label: integers without decimals, others with up to 3."""
    value = float(value)
    if value == round(value) and abs(value) < 1e12:
        return f"{int(round(value))}"
    return f"{value:.3g}" if abs(value) >= 1e4 or abs(value) < 1e-3 else f"{value:.3f}".rstrip("0")
