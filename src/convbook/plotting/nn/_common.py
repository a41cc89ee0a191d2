"""Colours, limits and validators shared by chapter 5's figures (private).

The figure modules of :mod:`convbook.plotting.nn` (one per lesson) and the
explorer :func:`convbook.widgets.nn.conv2d_explorer` import from here.
"""

from __future__ import annotations

import numbers

import numpy as np

from convbook._validation import as_numeric_array, check_tuple, describe


INPUT_COLOR = "#9ecae1"      # input cells
PAD_COLOR = "white"          # zero padding
TAP_COLOR = "#08519c"        # the kernel taps of the current window
OUTPUT_COLOR = "#e5f5e0"     # output cells not computed yet
DONE_COLOR = "#a1d99b"       # output cells already computed
CURRENT_COLOR = "#238b45"    # the output cell being computed
GROUP_COLORS = ("#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#fb6a4a", "#fdd0a2", "#c7e9c0", "#bcbddc")
MAX_FRAMES = 200


# --------------------------------------------------------------------------
# Validation helpers (private)
# --------------------------------------------------------------------------

def _pads(padding, kernel, stride, dilation):
    """``padding`` -> ((top, bottom), (left, right)), as convbook.nn reads it (plus 'full')."""
    if isinstance(padding, str):
        if padding not in ("valid", "same", "full"):
            raise ValueError(
                f"padding={padding!r} is not allowed. Acceptable padding flags are 'valid', 'same' or "
                "'full' (or an integer >= 0, or a tuple of 2 integers >= 0: zeros added on each side)."
            )
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "full":
            return tuple((d * (k - 1), d * (k - 1)) for k, d in zip(kernel, dilation))
        if any(s != 1 for s in stride):
            raise ValueError(
                f"padding='same' is not supported for strided convolutions, got stride={stride} "
                "(PyTorch refuses it too). Use stride=1, or an explicit integer padding."
            )
        return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))
    return tuple((p, p) for p in check_tuple("padding", padding, 2, minimum=0))


def _out_size(size, kernel, stride, dilation, pads):
    """Output (H_out, W_out); a ValueError naming the sizes if the window does not fit."""
    out = []
    for n, k, s, d, (a, b) in zip(size, kernel, stride, dilation, pads):
        span = d * (k - 1) + 1
        if n + a + b < span:
            raise ValueError(
                f"the dilated kernel (d*(k-1)+1 = {span}) is longer than the padded input "
                f"(n + padding = {n + a + b}): no output position fits."
            )
        out.append((n + a + b - span) // s + 1)
    return tuple(out)


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}.")
    return bool(value)


def _real_array(name, value, ndim):
    arr = as_numeric_array(name, value, ndim=ndim)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got {describe(arr)}.")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers, got {describe(arr)} with nan or inf.")
    return arr


def _check_position(position, out_hw):
    if (not isinstance(position, (tuple, list)) or len(position) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))
                       for v in position)):
        raise TypeError(f"position must be a pair (row, column) of integers, got {describe(position)}.")
    row, col = int(position[0]), int(position[1])
    if not (0 <= row < out_hw[0] and 0 <= col < out_hw[1]):
        raise ValueError(
            f"position must be an output position, 0 <= row < {out_hw[0]} and 0 <= column < {out_hw[1]}, "
            f"got {tuple(position)}."
        )
    return row, col


def _pair_text(values):
    a, b = values
    return f"{a}" if a == b else f"({a}, {b})"


def _pad_text(pads):
    (t, b), (left, r) = pads
    if t == b and left == r:
        return _pair_text((t, left))
    return f"(top {t}, bottom {b}, left {left}, right {r})"


# --------------------------------------------------------------------------
# Colour limits of images (private)
# --------------------------------------------------------------------------

def _image_limits(arr, cmap):
    """(cmap, vmin, vmax): grey for non-negative images, a diverging map centred on 0 otherwise."""
    if cmap is not None:
        return cmap, float(arr.min()), float(arr.max()) if arr.max() > arr.min() else float(arr.min()) + 1
    m = float(np.abs(arr).max())
    if arr.min() < -1e-9 * max(m, 1.0):      # rounding errors below 0 do not make an image signed
        return "RdBu_r", -m, m
    top = float(arr.max())
    return "gray", 0.0, top if top > 0 else 1.0
