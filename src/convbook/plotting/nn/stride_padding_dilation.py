"""Figures of chapter 5's lesson "Stride, padding, dilation and groups".

Lesson ``05-deep-learning/stride-padding-dilation``:

- :func:`conv_grid_figure` and :func:`conv_grid_animation`: the sliding
  window of a layer on a grid of cells, with its padding, stride and
  dilation, in the manner of Dumoulin and Visin's guide to convolution
  arithmetic; the animation moves the window over every output position;
- :func:`strided_sampling_figure`: a strided layer is the stride-1 layer
  sampled every ``s`` positions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from convbook import nn
from convbook._validation import check_int, check_tuple
from convbook.plotting._style import _check_figsize, _check_positive, _figure_and_axes, _new_figure

from ._common import (
    CURRENT_COLOR, DONE_COLOR, INPUT_COLOR, MAX_FRAMES, OUTPUT_COLOR, PAD_COLOR, TAP_COLOR, _check_position,
    _out_size, _pad_text, _pads, _pair_text, _real_array,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["conv_grid_figure", "conv_grid_animation", "strided_sampling_figure"]


# --------------------------------------------------------------------------
# The sliding window on a grid (Dumoulin & Visin style)
# --------------------------------------------------------------------------

class _ConvGrid:
    """Padded input grid and output grid side by side in one axes; the window moves."""

    def __init__(self, ax, size, kernel, stride, padding, dilation, title):
        self.size = check_tuple("n", size, 2, minimum=1)
        self.kernel = check_tuple("kernel_size", kernel, 2, minimum=1)
        self.stride = check_tuple("stride", stride, 2, minimum=1)
        self.dilation = check_tuple("dilation", dilation, 2, minimum=1)
        self.pads = _pads(padding, self.kernel, self.stride, self.dilation)
        self.out = _out_size(self.size, self.kernel, self.stride, self.dilation, self.pads)
        for name, value in (("n", self.size), ("output", self.out)):
            if max(value) > 24:
                raise ValueError(f"the grid is too large to draw: {name} = {value}; keep sizes <= 24.")
        self.ax = ax
        (pt, pb), (pl, pr) = self.pads
        H, W = self.size
        Hp, Wp = H + pt + pb, W + pl + pr
        Ho, Wo = self.out
        self.x0, self.y0 = Wp + 2.0, (Hp - Ho) / 2.0
        for r in range(Hp):
            for c in range(Wp):
                inside = pt <= r < pt + H and pl <= c < pl + W
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=INPUT_COLOR if inside else PAD_COLOR,
                                       edgecolor="0.25" if inside else "0.6", lw=0.8,
                                       ls="-" if inside else "--", gid="input" if inside else "padding"))
        self.out_cells = []
        for r in range(Ho):
            for c in range(Wo):
                cell = Rectangle((self.x0 + c, self.y0 + r), 1, 1, facecolor=OUTPUT_COLOR,
                                 edgecolor="0.25", lw=0.8, gid="output")
                ax.add_patch(cell)
                self.out_cells.append(cell)
        kh, kw = self.kernel
        self.taps = [Rectangle((0, 0), 1, 1, facecolor=TAP_COLOR, alpha=0.55, edgecolor="none", gid="tap")
                     for _ in range(kh * kw)]
        for tap in self.taps:
            ax.add_patch(tap)
        (dh, dw) = self.dilation
        self.window = Rectangle((0, 0), dh * (kh - 1) + 1, dw * (kw - 1) + 1, fill=False,
                                edgecolor=TAP_COLOR, lw=2.0, gid="window")
        ax.add_patch(self.window)
        self.current = Rectangle((0, 0), 1, 1, facecolor=CURRENT_COLOR, edgecolor="0.1", lw=1.5,
                                 gid="current")
        ax.add_patch(self.current)
        ax.text(Wp / 2, -0.4, "input (dashed: padding)", ha="center", va="bottom", fontsize=9)
        ax.text(self.x0 + Wo / 2, self.y0 - 0.4, "output", ha="center", va="bottom", fontsize=9)
        self.label = ax.text((self.x0 + Wo) / 2, max(Hp, self.y0 + Ho) + 0.4, "", ha="center", va="top",
                             fontsize=8)
        ax.set_xlim(-0.5, self.x0 + Wo + 0.5)
        ax.set_ylim(max(Hp, self.y0 + Ho) + 1.6, -1.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title is None:
            title = (f"input {H}×{W}, kernel {kh}×{kw}, stride {_pair_text(self.stride)},\n"
                     f"padding {_pad_text(self.pads)}, dilation {_pair_text(self.dilation)}"
                     f" → output {Ho}×{Wo}")
        ax.set_title(title, fontsize=9)

    def update(self, position):
        row, col = _check_position(position, self.out)
        (sh, sw), (dh, dw) = self.stride, self.dilation
        kh, kw = self.kernel
        top, left = row * sh, col * sw
        for idx, tap in enumerate(self.taps):
            i, j = divmod(idx, kw)
            tap.set_xy((left + j * dw, top + i * dh))
        self.window.set_xy((left, top))
        self.current.set_xy((self.x0 + col, self.y0 + row))
        Wo = self.out[1]
        for k, cell in enumerate(self.out_cells):
            cell.set_facecolor(DONE_COLOR if k < row * Wo + col else OUTPUT_COLOR)
        self.label.set_text(f"output ({row}, {col}) reads padded rows {top}–{top + dh * (kh - 1)}, "
                            f"columns {left}–{left + dw * (kw - 1)}")


def conv_grid_figure(n: int | tuple[int, int], kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                     padding: int | tuple[int, int] | Literal["valid", "same", "full"] = 0,
                     dilation: int | tuple[int, int] = 1,
                     position: tuple[int, int] = (0, 0), *, ax: Axes | None = None, title: str | None = None,
                     figsize: tuple[float, float] = (6.0, 3.4), dpi: float = 80) -> Figure:
    """Draw a convolution layer's sliding window on a grid: padded input, window, output.

    The padded input is drawn on the left (input cells blue, padding cells
    white with dashed edges), the output grid on the right.  The window of
    output position ``(row, col)`` covers the padded-input cells

    .. math:: (row\\, s_h + i\\, d_h,\\; col\\, s_w + j\\, d_w), \\qquad
              0 \\le i < k_h,\\; 0 \\le j < k_w,

    shaded dark blue (with dilation ``d > 1`` there are gaps between them);
    the output cell is dark green and the cells before it in row-major order
    light green.  The title states the output size,
    ``floor((n + p_begin + p_end - d(k-1) - 1)/s) + 1`` per dimension.

    Parameters
    ----------
    n : int or (int, int)
        Input height and width (at most 24).
    kernel_size : int or (int, int)
        Kernel height and width.
    stride, dilation : int or (int, int), optional
        As in :func:`convbook.nn.conv2d`.
    padding : int, (int, int), 'valid', 'same' or 'full', optional
        An int adds that many zeros on EACH side (PyTorch).  ``'same'`` (only
        with stride 1) adds ``d(k-1)`` in total, the odd one at the end
        (bottom/right) as PyTorch does; ``'full'`` adds ``d(k-1)`` on each
        side (every window that overlaps the input; not a PyTorch option,
        spelled ``padding=d*(k-1)`` there).
    position : (int, int), optional
        The output position whose window is drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title (default: the setting and the output size).
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.  Patches carry gids: ``'input'``, ``'padding'``,
        ``'output'``, ``'tap'`` (one per kernel tap), ``'window'`` and
        ``'current'``.

    Raises
    ------
    TypeError
        If a size is not an integer (or pair of integers), or ``position`` is
        not a pair of integers.
    ValueError
        If a size is out of range, the padding flag is unknown, ``'same'`` is
        asked with a stride, the dilated kernel does not fit in the padded
        input, a grid is larger than 24, or ``position`` is not an output
        position.

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.

    Examples
    --------
    >>> from convbook.plotting.nn import conv_grid_figure
    >>> fig = conv_grid_figure(5, 3, stride=2, padding=1, position=(1, 2))
    >>> fig.axes[0].get_title()
    'input 5×5, kernel 3×3, stride 2,\\npadding 1, dilation 1 → output 3×3'
    >>> taps = [p.get_xy() for p in fig.axes[0].patches if p.get_gid() == "tap"]
    >>> [(int(x), int(y)) for x, y in taps[:3]]      # (column, row) in the padded input
    [(4, 2), (5, 2), (6, 2)]
    """
    if ax is None:
        fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        ax = fig.subplots()
    else:
        fig, ax = _figure_and_axes(ax, figsize, dpi)
    grid = _ConvGrid(ax, n, kernel_size, stride, padding, dilation, None if title is None else str(title))
    grid.update(position)
    return fig


def conv_grid_animation(n: int | tuple[int, int], kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                        padding: int | tuple[int, int] | Literal["valid", "same", "full"] = 0,
                        dilation: int | tuple[int, int] = 1, *, interval: float = 500,
                        figsize: tuple[float, float] = (6.0, 3.4), dpi: float = 72) -> FuncAnimation:
    """Move a layer's window over every output position, in row-major order: an animation.

    Each frame is :func:`conv_grid_figure` at the next output position: the
    window (dark blue taps) steps by the stride across the padded input and
    the output cells fill in, one per frame.  Show it without a kernel with
    :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation
        As in :func:`conv_grid_figure`.
    interval : float, optional
        Delay between frames, in milliseconds.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``H_out * W_out`` frames; the figure is not registered with pyplot.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv_grid_figure`, and a ``ValueError`` if the output has
        more than 200 positions (one frame each).

    Notes
    -----
    The layer is PyTorch's ``conv2d`` (a cross-correlation); the picture
    shows which cells are read, not the kernel's values, so it is the same for
    a true convolution with the flipped kernel.

    Examples
    --------
    >>> from convbook.plotting.nn import conv_grid_animation
    >>> from convbook.plotting import animation_html
    >>> anim = conv_grid_animation(4, 3, padding=0, dpi=30)
    >>> page = animation_html(anim)
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))     # a 2x2 output: 4 frames
    4
    """
    interval = _check_positive("interval", interval)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    grid = _ConvGrid(ax, n, kernel_size, stride, padding, dilation, None)
    Ho, Wo = grid.out
    if Ho * Wo > MAX_FRAMES:
        raise ValueError(f"the output has {Ho * Wo} positions, one frame each: at most {MAX_FRAMES} are allowed.")
    grid.update((0, 0))

    def frame(k):
        grid.update(divmod(k, Wo))

    return FuncAnimation(fig, frame, frames=Ho * Wo, interval=interval, blit=False, repeat=True)


# --------------------------------------------------------------------------
# Stride as subsampling
# --------------------------------------------------------------------------

def strided_sampling_figure(x: ArrayLike, w: ArrayLike, stride: int, *, figsize: tuple[float, float] = (7.0, 4.0),
                            dpi: float = 80) -> Figure:
    """Show that a strided layer is the stride-1 layer sampled every ``s`` positions (1-D).

    .. math:: y_s[m] = \\sum_i x[m s + i]\\, w[i] = y_1[m s]

    Top: the input ``x``.  Middle: the stride-1 output ``y_1`` (grey), with
    the samples ``y_1[0], y_1[s], y_1[2s], ...`` marked.  Bottom: the strided
    output ``y_s`` computed directly by :func:`convbook.nn.conv1d` with
    ``stride=s``, drawn at the positions ``m s`` where its windows start: the
    same values.

    Parameters
    ----------
    x : array_like
        1-D real input.
    w : array_like
        1-D real kernel, not longer than ``x``.
    stride : int
        The stride ``s`` (>= 1).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes; the lines carry gids ``'x'``, ``'stride 1'``, ``'kept'``
        and ``'strided'``.

    Raises
    ------
    TypeError
        If ``x`` or ``w`` does not hold real numbers, or ``stride`` is not an
        integer.
    ValueError
        If ``x`` or ``w`` is not 1-D, empty or not finite, ``w`` is longer
        than ``x``, or ``stride < 1``.

    Notes
    -----
    No padding, no dilation, cross-correlation (no flip), as ``conv1d``.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting.nn import strided_sampling_figure
    >>> fig = strided_sampling_figure(np.sin(np.arange(20) / 3), [1.0, -1.0], 3)
    >>> [ax.get_title() for ax in fig.axes][2]
    'stride 3: $y_3[m]$ (7 samples), drawn at position $3m$'
    """
    x = _real_array("x", x, 1)
    w = _real_array("w", w, 1)
    s = check_int("stride", stride, minimum=1)
    if w.size > x.size:
        raise ValueError(f"w must not be longer than x, got len(w) = {w.size} > len(x) = {x.size}.")
    y1 = nn.conv1d(x[None], w[None, None])[0]
    ys = nn.conv1d(x[None], w[None, None], stride=s)[0]
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax_x, ax_1, ax_s = fig.subplots(3, 1, sharex=True)
    pos = np.arange(x.size)
    ax_x.stem(pos, x, linefmt="C0-", markerfmt="C0o", basefmt="0.6").markerline.set_gid("x")
    ax_x.set_title("input $x$", fontsize=10)
    t1 = np.arange(y1.size)
    stem = ax_1.stem(t1, y1, linefmt="0.7", markerfmt="o", basefmt="0.6")
    stem.markerline.set_color("0.6")
    stem.markerline.set_gid("stride 1")
    (kept,) = ax_1.plot(t1[::s], y1[::s], "o", color="C3", ms=8, mfc="none", mew=2, gid="kept")
    ax_1.set_title(f"stride 1: $y_1[t]$ ({y1.size} samples); $t = 0, {s}, {2 * s}, \\ldots$ circled",
                  fontsize=10)
    tm = np.arange(ys.size) * s
    st = ax_s.stem(tm, ys, linefmt="C3-", markerfmt="C3o", basefmt="0.6")
    st.markerline.set_gid("strided")
    ax_s.set_title(f"stride {s}: $y_{s}[m]$ ({ys.size} samples), drawn at position ${s}m$", fontsize=10)
    ax_s.set_xlabel("position $t$ in the input where the window starts")
    for ax in (ax_x, ax_1, ax_s):
        ax.axhline(0, color="0.8", lw=0.6)
    return fig
