"""Figures of chapter 5's lesson "A gallery of convolution arithmetic".

Lesson ``05-deep-learning/gallery``, in the manner of Dumoulin and Visin's
``conv_arithmetic`` animations: one small square layer per case, every cell
value computed by :mod:`convbook.nn`.

- :func:`gallery_cases`: the named cases (no padding, half padding, full
  padding, stride, stride with odd sizes, dilation, transposed with and
  without stride, ``output_padding``) and their settings;
- :func:`gallery_output_size` and :func:`gallery_formula`: the output size,
  as :func:`convbook.nn.conv2d` or :func:`convbook.nn.conv_transpose2d`
  returns it, and the formula that gives it, with the numbers filled in;
- :func:`gallery_figure` and :func:`gallery_animation`: one frame, and all
  of them.  A convolution has one frame per output cell: the window that
  output cell reads is shaded on the padded input.  A transposed
  convolution has one frame per input cell: the cells of the output it
  scatters into are shaded, and ``padding`` crops the scattered grid.

The kernel is all ones, so each output value is the sum of the cells it
reads (convolution) or of the input values scattered onto it (transposed),
and a reader can check it by eye.  The input values are integers from 0 to
3, ``numpy.random.default_rng(0).integers(0, 4, (n, n))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Union

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from convbook import nn
from convbook._validation import check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _figure_and_axes, _new_figure

from ._common import (
    CURRENT_COLOR, DONE_COLOR, INPUT_COLOR, MAX_FRAMES, OUTPUT_COLOR, PAD_COLOR, TAP_COLOR, _check_bool,
    _out_size, _pads,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Padding = Union[int, Literal["valid", "same", "full"]]

__all__ = ["gallery_cases", "gallery_output_size", "gallery_formula", "gallery_figure", "gallery_animation"]

CELL_INCHES = 0.3      # the default figure size: 0.3 inch (21.6 px at 72 dpi) per cell
MIN_WIDTH = 14.0       # cells: the formula's width at 11 pt
MAX_GRID = 12          # cells per side of any grid drawn (padded input, scattered output)
_CASES = (
    ("no padding", dict(n=4, kernel_size=3)),
    ("half padding", dict(n=4, kernel_size=3, padding="same")),
    ("full padding", dict(n=3, kernel_size=3, padding="full")),
    ("stride", dict(n=5, kernel_size=3, stride=2)),
    ("stride, odd sizes", dict(n=6, kernel_size=3, stride=2, padding=1)),
    ("dilation", dict(n=7, kernel_size=3, dilation=2)),
    ("transposed", dict(n=2, kernel_size=3, transposed=True)),
    ("transposed, stride", dict(n=2, kernel_size=3, stride=2, transposed=True)),
    ("transposed, output_padding", dict(n=3, kernel_size=3, stride=2, padding=1, output_padding=1,
                                        transposed=True)),
)


def gallery_cases() -> dict[str, dict]:
    """The gallery's named cases: ``{name: keyword arguments of gallery_figure}``.

    Returns
    -------
    dict
        A fresh dict (change it freely), in the lesson's order.  Each value
        holds ``n`` and ``kernel_size``, and where they are not the default
        ``stride``, ``padding``, ``dilation``, ``output_padding`` and
        ``transposed``.

    Examples
    --------
    >>> from convbook.plotting.nn import gallery_cases, gallery_output_size
    >>> cases = gallery_cases()
    >>> list(cases)[:3]
    ['no padding', 'half padding', 'full padding']
    >>> cases["stride, odd sizes"]
    {'n': 6, 'kernel_size': 3, 'stride': 2, 'padding': 1}
    >>> gallery_output_size(**cases["transposed, output_padding"])
    6
    """
    return {name: dict(settings) for name, settings in _CASES}


class _Setting:
    """A validated square layer: sizes, pads, the input values and the output computed by convbook.nn."""

    def __init__(self, n, kernel_size, stride, padding, dilation, transposed, output_padding):
        self.n = check_int("n", n, minimum=1)
        self.k = check_int("kernel_size", kernel_size, minimum=1)
        self.s = check_int("stride", stride, minimum=1)
        self.d = check_int("dilation", dilation, minimum=1)
        self.transposed = _check_bool("transposed", transposed)
        self.op = check_int("output_padding", output_padding, minimum=0)
        self.x = np.random.default_rng(0).integers(0, 4, (self.n, self.n)).astype(float)
        self.w = np.ones((1, 1, self.k, self.k))
        if self.transposed:
            if isinstance(padding, str) or isinstance(padding, (bool, np.bool_)):
                raise TypeError(f"padding of a transposed convolution must be an integer >= 0 (it crops the "
                                f"output; no 'same', 'valid' or 'full', as in PyTorch), got {describe(padding)}.")
            self.p = check_int("padding", padding, minimum=0)
            if self.op >= max(self.s, self.d):
                raise ValueError(f"output_padding must be smaller than stride or dilation, got "
                                 f"output_padding={self.op}, stride={self.s}, dilation={self.d}.")
            self.out = nn.transposed_output_size(self.n, self.k, self.s, self.p, self.op, self.d)
            self.full = (self.n - 1) * self.s + self.d * (self.k - 1) + 1   # before cropping
            self.grid = max(self.full, self.p + self.out)
            self.y = nn.conv_transpose2d(self.x[None, None], self.w, stride=self.s, padding=self.p,
                                         output_padding=self.op, dilation=self.d)[0, 0]
            self.frames = self.n * self.n
            big = max(self.grid, self.n)
        else:
            if self.op:
                raise ValueError(f"output_padding is only for a transposed convolution, got "
                                 f"output_padding={self.op} with transposed=False.")
            (pb, pe), _ = _pads(padding, (self.k, self.k), (self.s, self.s), (self.d, self.d))
            self.pads = (pb, pe)
            self.out = _out_size((self.n,), (self.k,), (self.s,), (self.d,), ((pb, pe),))[0]
            self.xp = np.pad(self.x, ((pb, pe), (pb, pe)))
            torch_padding = "same" if padding == "same" else pb     # 'full' is an explicit int in PyTorch
            self.y = nn.conv2d(self.x[None, None], self.w, stride=self.s, padding=torch_padding,
                               dilation=self.d)[0, 0]
            self.frames = self.out * self.out
            big = max(self.n + pb + pe, self.out)
        if big > MAX_GRID:
            raise ValueError(f"the grids are too large to draw: {big} cells per side; keep them <= {MAX_GRID} "
                             f"(n={self.n}, kernel_size={self.k}, stride={self.s}, dilation={self.d}).")
        if self.y.shape != (self.out, self.out):      # the formula and convbook.nn must agree
            raise RuntimeError(f"convbook.nn returned shape {self.y.shape}, the formula {self.out}")

    def formula(self):
        n, k, s, d = self.n, self.k, self.s, self.d
        if self.transposed:
            return (f"({n} − 1)·{s} − 2·{self.p} + {d}·({k} − 1) + {self.op} + 1 = {self.out}")
        pb, pe = self.pads
        return f"⌊({n} + {pb} + {pe} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {self.out}"


def gallery_output_size(n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1, *,
                        transposed: bool = False, output_padding: int = 0) -> int:
    """The output size of a gallery case, as :mod:`convbook.nn` computes it.

    For a convolution, ``floor((n + p_begin + p_end - d(k - 1) - 1) / s) + 1``;
    for a transposed convolution, ``(n - 1)s - 2p + d(k - 1) + output_padding + 1``.
    The size is checked against the shape that :func:`convbook.nn.conv2d` or
    :func:`convbook.nn.conv_transpose2d` returns on the case's input.

    Parameters
    ----------
    n : int
        Height and width of the (square) input.
    kernel_size : int
        Height and width of the kernel.
    stride, dilation : int, optional
        As in :func:`convbook.nn.conv2d` (>= 1).
    padding : int, 'valid', 'same' or 'full', optional
        Zeros on EACH side (PyTorch); ``'same'`` only with stride 1, the odd
        zero at the end; ``'full'`` is ``d(k - 1)`` on each side.  For a
        transposed convolution only an integer: the cells cropped from each
        side.
    transposed : bool, optional
        A transposed convolution (:func:`convbook.nn.conv_transpose2d`).
    output_padding : int, optional
        Extra rows and columns at the bottom and right of a transposed
        convolution, smaller than ``stride`` or ``dilation``.

    Returns
    -------
    int
        The output's height (and width).

    Raises
    ------
    TypeError
        If a size is not an integer, ``transposed`` is not a bool, or a
        transposed padding is a string.
    ValueError
        If a size is out of range, the padding flag is unknown, ``'same'`` is
        asked with a stride, the dilated kernel does not fit, ``output_padding``
        is too large or given without ``transposed``, or a grid is larger than
        12 cells.

    Examples
    --------
    >>> from convbook.plotting.nn import gallery_output_size
    >>> gallery_output_size(6, 3, stride=2, padding=1), gallery_output_size(5, 3, stride=2, padding=1)
    (3, 3)
    >>> gallery_output_size(3, 3, stride=2, padding=1, transposed=True, output_padding=1)
    6
    """
    return _Setting(n, kernel_size, stride, padding, dilation, transposed, output_padding).out


def gallery_formula(n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1, *,
                    transposed: bool = False, output_padding: int = 0) -> str:
    """The output-size formula of a gallery case, with its numbers filled in.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation, transposed, output_padding
        As in :func:`gallery_output_size`.

    Returns
    -------
    str
        ``'⌊(n + p_begin + p_end − d·(k − 1) − 1) / s⌋ + 1 = out'`` for a
        convolution, ``'(n − 1)·s − 2·p + d·(k − 1) + output_padding + 1 = out'``
        for a transposed convolution.

    Raises
    ------
    TypeError, ValueError
        As :func:`gallery_output_size`.

    Examples
    --------
    >>> from convbook.plotting.nn import gallery_formula
    >>> gallery_formula(4, 3, padding="same")
    '⌊(4 + 1 + 1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 4'
    >>> gallery_formula(2, 3, stride=2, transposed=True)
    '(2 − 1)·2 − 2·0 + 1·(3 − 1) + 0 + 1 = 5'
    """
    return _Setting(n, kernel_size, stride, padding, dilation, transposed, output_padding).formula()


# --------------------------------------------------------------------------
# The picture
# --------------------------------------------------------------------------

def _cell(ax, x, y, face, gid, dashed=False):
    patch = Rectangle((x, y), 1, 1, facecolor=face, edgecolor="0.6" if dashed else "0.25", lw=0.8,
                      ls="--" if dashed else "-", gid=gid, antialiased=False)
    ax.add_patch(patch)
    return patch


def _number(ax, x, y, value, gid, color="0.1"):
    return ax.text(x + 0.5, y + 0.53, "" if value is None else f"{value:g}", ha="center", va="center",
                   fontsize=10, color=color, gid=gid, antialiased=False)


class _GalleryGrid:
    """The left grid (padded input, or input), the right grid (output, or scattered output), the frame."""

    def __init__(self, ax, st, title):
        self.ax, self.st = ax, st
        n = st.n
        if st.transposed:
            left, right = n, st.grid
            self.x0 = left + 1.5
            self.ly, self.ry = (right - left) / 2.0, 0.0
            for r in range(n):
                for c in range(n):
                    _cell(ax, c, self.ly + r, INPUT_COLOR, "input")
                    _number(ax, c, self.ly + r, st.x[r, c], "input value")
            self.right = {}
            self.values = {}
            for r in range(st.grid):
                for c in range(st.grid):
                    kept = st.p <= r < st.p + st.out and st.p <= c < st.p + st.out
                    self.right[r, c] = _cell(ax, self.x0 + c, r, OUTPUT_COLOR if kept else PAD_COLOR,
                                             "output" if kept else "cropped", dashed=not kept)
                    self.values[r, c] = _number(ax, self.x0 + c, r, None, "output value" if kept else "cropped value")
            left_label, right_label = "input", "output (dashed: cropped by padding)"
        else:
            pb, pe = st.pads
            left, right = n + pb + pe, st.out
            self.x0 = left + 1.5
            self.ly, self.ry = 0.0, (left - right) / 2.0
            for r in range(left):
                for c in range(left):
                    inside = pb <= r < pb + n and pb <= c < pb + n
                    _cell(ax, c, r, INPUT_COLOR if inside else PAD_COLOR, "input" if inside else "padding",
                          dashed=not inside)
                    _number(ax, c, r, st.xp[r, c] if inside else None, "input value")
            self.right, self.values = {}, {}
            for r in range(right):
                for c in range(right):
                    self.right[r, c] = _cell(ax, self.x0 + c, self.ry + r, OUTPUT_COLOR, "output")
                    self.values[r, c] = _number(ax, self.x0 + c, self.ry + r, None, "output value")
            left_label, right_label = "input (dashed: padding)", "output"
        self.taps = []
        self.current = Rectangle((0, 0), 1, 1, fill=False, edgecolor=CURRENT_COLOR, lw=2.5, gid="current")
        ax.add_patch(self.current)
        height = max(left, right)
        ax.text(left / 2, -0.3, left_label, ha="center", va="bottom", fontsize=10)
        ax.text(self.x0 + right / 2, min(self.ry, 0) - 0.3 if st.transposed else self.ry - 0.3, right_label,
                ha="center", va="bottom", fontsize=10)
        ax.text((self.x0 + right) / 2, height + 0.3, st.formula(), ha="center", va="top", fontsize=11)
        width = max(self.x0 + right + 0.6, MIN_WIDTH)               # room for the formula
        middle = (self.x0 + right) / 2
        ax.set_xlim(middle - width / 2, middle + width / 2)
        ax.set_ylim(height + 1.6, -1.5)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title is not None:
            ax.set_title(title, fontsize=11)
        for artist in (*ax.texts, self.current, ax.title):
            artist.set_antialiased(False)    # crisp cells and text: a third of the PNG bytes per frame
        self.extent = (width, height + 3.1)     # in cells

    def _shade(self, cells, x0, y0):
        for tap in self.taps:
            tap.remove()
        self.taps = [self.ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=TAP_COLOR, alpha=0.6,
                                                 edgecolor="none", gid="tap", antialiased=False))
                     for r, c in cells]

    def update(self, frame):
        st = self.st
        frame = check_int("frame", frame, minimum=0)
        if frame >= st.frames:
            raise ValueError(f"frame must be < {st.frames} (one frame per "
                             f"{'input' if st.transposed else 'output'} cell), got {frame}.")
        row, col = divmod(frame, st.n if st.transposed else st.out)
        if st.transposed:
            # what input cell (row, col) scatters to, before cropping: convbook.nn with padding 0
            one = np.zeros((1, 1, st.n, st.n))
            one[0, 0, row, col] = 1.0
            spread = nn.conv_transpose2d(one, st.w, stride=st.s, dilation=st.d)[0, 0]
            self._shade(zip(*np.nonzero(spread)), self.x0, 0.0)
            self.current.set_xy((col, self.ly + row))
            done, mask = np.zeros((2, 1, 1, st.n, st.n))
            done[0, 0].flat[: frame + 1] = st.x.flat[: frame + 1]
            mask[0, 0].flat[: frame + 1] = 1.0
            partial = nn.conv_transpose2d(done, st.w, stride=st.s, dilation=st.d)[0, 0]   # scattered so far
            reached = nn.conv_transpose2d(mask, st.w, stride=st.s, dilation=st.d)[0, 0] > 0
            last = frame == st.frames - 1
            for (r, c), text in self.values.items():
                hit = r < st.full and c < st.full and reached[r, c]
                kept = self.right[r, c].get_gid() == "output"
                text.set_text(f"{partial[r, c]:g}" if hit else "0" if last and kept else "")
                if kept:
                    self.right[r, c].set_facecolor(DONE_COLOR if hit or last else OUTPUT_COLOR)
        else:
            # the padded cells output (row, col) reads: the gradient of that output, by convbook.nn
            grad = np.zeros((1, 1, st.out, st.out))
            grad[0, 0, row, col] = 1.0
            reads, _, _ = nn.conv2d_backward(grad, st.xp[None, None], st.w, stride=st.s, dilation=st.d)
            self._shade(zip(*np.nonzero(reads[0, 0])), 0.0, 0.0)
            self.current.set_xy((self.x0 + col, self.ry + row))
            for (r, c), text in self.values.items():
                done = r * st.out + c <= frame
                text.set_text(f"{st.y[r, c]:g}" if done else "")
                self.right[r, c].set_facecolor(DONE_COLOR if done else OUTPUT_COLOR)


def _fill(fig, ax, grid):
    """Size the figure to its grids, 0.3 inch per cell, the axes filling it (no layout engine)."""
    fig.set_layout_engine("none")
    dpi = fig.dpi        # even pixel sizes, which an animation's frames need (its writer would trim them)
    fig.set_size_inches(*(2 * round(e * CELL_INCHES * dpi / 2) / dpi for e in grid.extent))
    ax.set_position((0.0, 0.0, 1.0, 1.0))


def gallery_figure(n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1, *,
                   transposed: bool = False, output_padding: int = 0, frame: int = 0, ax: Axes | None = None,
                   title: str | None = None, figsize: tuple[float, float] | None = None,
                   dpi: float = 72) -> Figure:
    """Draw one frame of a gallery case: the cells one output reads, or one input scatters to.

    **Convolution** (frame ``m`` is output cell ``(m // n_out, m % n_out)``):
    the padded input is on the left (padding dashed white), the output on the
    right.  The shaded cells are the ones the current output cell reads, the
    cells where the gradient of that output with respect to the padded input
    (:func:`convbook.nn.conv2d_backward`) is non-zero:
    ``(row s + i d, col s + j d)`` for ``0 <= i, j < k``.  The output cells
    computed so far show their values, from :func:`convbook.nn.conv2d`.

    **Transposed** (frame ``m`` is input cell ``(m // n, m % n)``): the input
    is on the left, the scattered grid of size ``(n - 1)s + d(k - 1) + 1`` on
    the right, its outer ``padding`` rows and columns dashed (cropped); the
    ``output_padding`` rows and columns at the bottom and right are kept.
    The shaded cells are the ones the current input cell scatters its value
    to (:func:`convbook.nn.conv_transpose2d` of that one cell); the values
    are the sums scattered so far.

    The kernel is all ones; the formula of the output size is written under
    the grids.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation, transposed, output_padding
        As in :func:`gallery_output_size`.
    frame : int, optional
        The frame to draw, from 0 to ``n_out**2 - 1`` (convolution) or
        ``n**2 - 1`` (transposed).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        An axes title (default none).
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``); default 0.3 inch per
        cell.
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        Patches carry gids ``'input'``, ``'padding'``, ``'output'``,
        ``'cropped'``, ``'tap'`` (the shaded cells) and ``'current'``; texts
        ``'input value'`` and ``'output value'``.  A cell of the left grid
        ``(r, c)`` has its corner at ``(c, r)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`gallery_output_size`, and if ``frame`` is not an integer
        from 0 to the last frame.

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.

    Examples
    --------
    >>> from convbook.plotting.nn import gallery_figure
    >>> fig = gallery_figure(5, 3, stride=2, frame=1)         # output (0, 1)
    >>> ax = fig.axes[0]
    >>> sorted((int(p.get_y()), int(p.get_x())) for p in ax.patches if p.get_gid() == "tap")[:4]
    [(0, 2), (0, 3), (0, 4), (1, 2)]
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "output value"]
    ['14', '14', '', '']
    """
    st = _Setting(n, kernel_size, stride, padding, dilation, transposed, output_padding)
    sized = ax is None and figsize is None
    fig, ax = _figure_and_axes(ax, (1.0, 1.0) if figsize is None else figsize, dpi)
    grid = _GalleryGrid(ax, st, None if title is None else str(title))
    grid.update(frame)
    if sized:
        _fill(fig, ax, grid)
    return fig


def gallery_animation(n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1, *,
                      transposed: bool = False, output_padding: int = 0, interval: float = 400,
                      figsize: tuple[float, float] | None = None, dpi: float = 72) -> FuncAnimation:
    """Every frame of :func:`gallery_figure`, as an animation (the static twin of the explorer).

    Show it without a kernel with :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation, transposed, output_padding
        As in :func:`gallery_output_size`.
    interval : float, optional
        Delay between frames in milliseconds, at most 500 (so that Play
        visibly plays).
    figsize : (float, float), optional
        Figure size in inches; default 0.3 inch per cell.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per output cell (convolution) or input cell (transposed);
        the figure is not registered with pyplot.

    Raises
    ------
    TypeError, ValueError
        As :func:`gallery_figure`, and a ``ValueError`` if ``interval`` is
        not in ``(0, 500]`` or there would be more than 200 frames.

    Examples
    --------
    >>> import re
    >>> from convbook.plotting import animation_html
    >>> from convbook.plotting.nn import gallery_animation
    >>> page = animation_html(gallery_animation(2, 3, stride=2, transposed=True, dpi=30))
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))   # one frame per input cell
    4
    """
    interval = _check_positive("interval", interval)
    if interval > 500:
        raise ValueError(f"interval must be at most 500 ms (Play must show a change at once), got {interval!r}.")
    st = _Setting(n, kernel_size, stride, padding, dilation, transposed, output_padding)
    if st.frames > MAX_FRAMES:
        raise ValueError(f"the animation would have {st.frames} frames: at most {MAX_FRAMES} are allowed.")
    fig = _new_figure((1.0, 1.0) if figsize is None else _check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    grid = _GalleryGrid(ax, st, None)
    grid.update(0)
    if figsize is None:
        _fill(fig, ax, grid)
    return FuncAnimation(fig, grid.update, frames=st.frames, interval=interval, blit=False, repeat=True)
