"""Figures of chapter 5's lesson "im2col: a layer as one matrix product".

Lesson ``05-deep-learning/im2col``: :func:`im2col_figure` draws the im2col
matrix next to the image it comes from, one column highlighted with its
window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.patches import Rectangle

from convbook import nn
from convbook._validation import check_int, check_tuple
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import _out_size, _real_array

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["im2col_figure"]


# --------------------------------------------------------------------------
# im2col
# --------------------------------------------------------------------------

def _annotate(ax, values, fmt, highlight=None):
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            v = values[r, c]
            text = fmt.format(v)
            bold = highlight is not None and highlight[r, c]
            ax.text(c, r, text, ha="center", va="center", fontsize=8,
                    color="white" if bold else "black", fontweight="bold" if bold else "normal")


def im2col_figure(x: ArrayLike, kernel_size: int | tuple[int, int], column: int = 0, *,
                  stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                  dilation: int | tuple[int, int] = 1, figsize: tuple[float, float] = (9.0, 3.6),
                  dpi: float = 80) -> Figure:
    """Draw an image next to its im2col matrix, one window and its column highlighted.

    :func:`convbook.nn.unfold` turns every window of the (padded) image into
    a column; the window of output position ``(y, x)`` becomes column
    ``y W_out + x``, read row by row (row-major).  The conv2d layer is then
    one matrix product, ``w.reshape(K, -1) @ cols``.

    Parameters
    ----------
    x : array_like
        A small 2-D real image (at most 10x10), e.g. ``np.arange(16).reshape(4, 4)``.
    kernel_size : int or (int, int)
        Window size.
    column : int, optional
        The window (column of the matrix) to highlight.
    stride, padding, dilation : optional
        As in :func:`convbook.nn.unfold` (padding per side).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the padded image (gid ``'image'``) and the matrix (gid
        ``'cols'``), values written in the cells.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers or a parameter is not an integer.
    ValueError
        If ``x`` is not 2-D or larger than 10x10, the window does not fit,
        the matrix would have more than 40 columns, or ``column`` is out of
        range.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting.nn import im2col_figure
    >>> fig = im2col_figure(np.arange(9).reshape(3, 3), 2, column=3)
    >>> fig.axes[1].get_title()
    'im2col matrix: 4 rows (kH·kW·C) × 4 columns (windows)'
    """
    x = _real_array("x", x, 2)
    if max(x.shape) > 10:
        raise ValueError(f"x must be at most 10x10 to be drawn with its values, got shape {x.shape}.")
    kernel = check_tuple("kernel_size", kernel_size, 2, minimum=1)
    s = check_tuple("stride", stride, 2, minimum=1)
    d = check_tuple("dilation", dilation, 2, minimum=1)
    p = check_tuple("padding", padding, 2, minimum=0)
    pads = ((p[0], p[0]), (p[1], p[1]))
    Ho, Wo = _out_size(x.shape, kernel, s, d, pads)
    if Ho * Wo > 40:
        raise ValueError(f"the matrix would have {Ho * Wo} columns: at most 40 can be drawn.")
    column = check_int("column", column, minimum=0)
    if column >= Ho * Wo:
        raise ValueError(f"column must be < {Ho * Wo} (the number of windows), got {column}.")
    cols = nn.unfold(x[None], kernel, dilation=d, padding=p, stride=s)
    xp = np.pad(x, pads)
    row, col = divmod(column, Wo)
    mask = np.zeros(xp.shape, bool)
    mask[row * s[0]: row * s[0] + d[0] * (kernel[0] - 1) + 1: d[0],
         col * s[1]: col * s[1] + d[1] * (kernel[1] - 1) + 1: d[1]] = True
    cmask = np.zeros(cols.shape, bool)
    cmask[:, column] = True
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax_i, ax_c = fig.subplots(1, 2, width_ratios=(xp.shape[1] + 1, cols.shape[1] + 1))
    integer = bool(np.all(x == np.round(x)))
    fmt = "{:.0f}" if integer else "{:.2g}"
    for ax, values, m, gid in ((ax_i, xp, mask, "image"), (ax_c, cols, cmask, "cols")):
        shade = np.where(m, 1.0, 0.0)
        ax.imshow(shade, cmap="Blues", vmin=-0.15, vmax=1.4, interpolation="nearest", gid=gid)
        _annotate(ax, values, fmt, m)
        ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="0.6", lw=0.6)
        ax.tick_params(which="both", length=0, labelsize=7)
    if p != (0, 0):
        H, W = x.shape
        ax_i.add_patch(Rectangle((p[1] - 0.5, p[0] - 0.5), W, H, fill=False, edgecolor="0.1", lw=1.5))
    ax_i.set_title(f"image {x.shape[0]}×{x.shape[1]}" + (" (padded)" if p != (0, 0) else "")
                   + f", window {column} at ({row}, {col})", fontsize=9)
    ax_c.set_title(f"im2col matrix: {cols.shape[0]} rows (kH·kW·C) × {cols.shape[1]} columns (windows)",
                   fontsize=9)
    ax_c.set_xlabel("window index $y\\,W_{out} + x$")
    ax_c.set_ylabel("tap $(i, j)$, row-major")
    return fig
