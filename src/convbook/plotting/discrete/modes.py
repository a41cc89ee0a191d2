"""Figures of chapter 2's lesson "Full, same and valid".

Lesson ``02-discrete/modes`` shows numpy's three modes:

* :func:`mode_window` -- where each mode's outputs sit in the full
  convolution;
* :func:`modes_figure` -- the first and last kernel positions of the modes
  'full', 'same' and 'valid', and the outputs each one keeps;
* :func:`sliding_kernel_figure` and :func:`sliding_kernel_animation` -- the
  flipped kernel ``v[n - k]`` sliding over the zero-padded signal, the
  products at the current position, and the output growing (the animation is
  the static twin of :func:`convbook.widgets.discrete.discrete_explorer`).

:func:`mode_window` serves the lesson ``02-discrete/matrix`` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from convbook import discrete
from convbook._validation import check_choice, check_int
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import (
    CURRENT_COLOR, GHOST_COLOR, KERNEL_COLOR, OUTPUT_COLOR, PRODUCT_COLOR, SIGNAL_COLOR, _MAX_FRAMES,
    _MAX_SAMPLES, _MODES, _floats, _fmt, _sequence, _set_stems, _span, _stems,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["mode_window", "modes_figure", "sliding_kernel_figure", "sliding_kernel_animation"]


# --------------------------------------------------------------------------
# Where the outputs of each mode sit
# --------------------------------------------------------------------------

def mode_window(M: int, N: int, mode: Literal["full", "same", "valid"] = "full") -> tuple[int, int]:
    """Where numpy's `mode` outputs sit in the full convolution: ``(start, length)``.

    For sequences of lengths ``M`` and ``N`` the full convolution has
    ``M + N - 1`` outputs, ``y[0], ..., y[M + N - 2]``; each mode keeps the
    slice ``y[start : start + length]``:

    =======  ===========================  ======================
    mode     start                        length
    =======  ===========================  ======================
    'full'   0                            ``M + N - 1``
    'same'   ``(min(M, N) - 1) // 2``     ``max(M, N)``
    'valid'  ``min(M, N) - 1``            ``max(M, N) - min(M, N) + 1``
    =======  ===========================  ======================

    Parameters
    ----------
    M, N : int
        The lengths of the two sequences (>= 1).
    mode : {'full', 'same', 'valid'}, optional
        numpy's mode.

    Returns
    -------
    (int, int)
        ``start`` and ``length``.

    Raises
    ------
    TypeError
        If ``M`` or ``N`` is not an integer.
    ValueError
        If ``M`` or ``N`` is below 1 or ``mode`` is unknown.

    Notes
    -----
    These are ``numpy.convolve``'s windows, which :func:`convbook.discrete.convolve`
    follows.  ``scipy.signal.convolve(in1, in2, 'same')`` differs: its output
    has the length of ``in1``, so when the kernel ``in2`` is longer than
    ``in1`` it returns fewer outputs than numpy.  For 'same' with
    ``N <= M`` the kernel's centre sits on the kept output's signal sample:
    the total zero padding ``N - 1`` is split ``ceil((N - 1) / 2)`` on the left,
    ``floor((N - 1) / 2)`` on the right.

    Examples
    --------
    >>> from convbook.plotting.discrete import mode_window
    >>> [mode_window(8, 3, mode) for mode in ("full", "same", "valid")]
    [(0, 10), (1, 8), (2, 6)]
    >>> mode_window(3, 5, "same")       # numpy: max(M, N) = 5 outputs
    (1, 5)
    """
    M = check_int("M", M, minimum=1)
    N = check_int("N", N, minimum=1)
    check_choice("mode", mode, _MODES)
    lo, hi = min(M, N), max(M, N)
    if mode == "full":
        return 0, M + N - 1
    if mode == "same":
        return (lo - 1) // 2, hi
    return lo - 1, hi - lo + 1


# --------------------------------------------------------------------------
# The sliding kernel
# --------------------------------------------------------------------------

class _Sliding:
    """Four rows: padded signal, flipped kernel, products, output; ``update(i)`` moves the kernel."""

    def __init__(self, signal, kernel, mode, figsize, dpi):
        signal = _sequence("signal", signal)
        kernel = _sequence("kernel", kernel)
        self.mode = check_choice("mode", mode, _MODES)
        self.a, self.v = _floats(signal), _floats(kernel)
        M, N = self.a.size, self.v.size
        self.M, self.N = M, N
        self.full = _floats(discrete.convolve(signal, kernel, "full"))
        self.start, self.length = mode_window(M, N, mode)
        self.shift = (N - 1) / 2          # output y[n] is drawn under the kernel's centre
        figsize = _check_figsize(figsize)
        dpi = _check_positive("dpi", dpi)

        self.fig = _new_figure(figsize, dpi)
        axes = self.fig.subplots(4, 1, sharex=True, height_ratios=[1, 1, 1, 1.25])
        self.axes = axes
        ax_a, ax_v, ax_p, ax_y = axes
        ks = np.arange(-(N - 1), M + N - 1)                 # the zero-padded signal's positions
        x_lo, x_hi = ks[0] - 0.8, ks[-1] + 0.8

        # the signal and its zero padding
        pad_x = np.concatenate([np.arange(-(N - 1), 0), np.arange(M, M + N - 1)])
        _stems(ax_a, np.arange(M), self.a, SIGNAL_COLOR, "signal", label="$a[k]$")
        if pad_x.size:
            ax_a.plot(pad_x, np.zeros(pad_x.size), "o", color=GHOST_COLOR, mfc="white", ms=5,
                      ls="none", gid="padding", label="zero padding")
        ax_a.set_ylim(*_span(self.a))
        ax_a.set_title(f"signal $a[k]$ ($M = {M}$), zero-padded by $N - 1 = {N - 1}$ on each side",
                       fontsize="medium")

        # the kernel, flipped and shifted
        self.kernel_stems = _stems(ax_v, [], [], KERNEL_COLOR, "kernel flipped")
        ax_v.set_ylim(*_span(self.v))
        ax_v.set_title(f"kernel flipped and shifted: $v[n - k]$ ($N = {N}$)", fontsize="medium")

        # the products
        self.product_stems = _stems(ax_p, [], [], PRODUCT_COLOR, "products")
        ax_p.set_ylim(*_span(np.outer(self.a, self.v), margin=0.3))
        ax_p.set_title("products $a[k]\\,v[n - k]$: their sum is $y[n]$", fontsize="medium")
        self.sum_text = ax_p.text(0.01, 0.95, "", transform=ax_p.transAxes, va="top",
                                  gid="sum text")

        # the output: the full result as ghosts, the mode's window shaded
        xs_full = np.arange(M + N - 1) - self.shift
        ax_y.plot(xs_full, self.full, "o", color=GHOST_COLOR, mfc="white", ms=5, ls="none",
                  gid="full output", label="full result")
        lo = self.start - self.shift - 0.5
        ax_y.add_patch(Rectangle((lo, 0), self.length, 1, transform=ax_y.get_xaxis_transform(),
                                 color=OUTPUT_COLOR, alpha=0.08, lw=0, gid="kept",
                                 label=f"kept by mode='{mode}'"))
        self.output_stems = _stems(ax_y, [], [], OUTPUT_COLOR, "output")
        (self.current,) = ax_y.plot([], [], "o", color=CURRENT_COLOR, ms=8, gid="current output")
        ax_y.set_ylim(*_span(self.full, margin=0.3))
        ax_y.set_title(
            f"output $y = a * v$, mode='{mode}': {self.length} outputs, drawn under the kernel's centre",
            fontsize="medium")
        ax_y.set_xlabel("$k$")
        self.index_text = ax_y.text(0.01, 0.95, "", transform=ax_y.transAxes, va="top",
                                    fontsize="small", gid="index text")

        # the kernel's footprint (shaded) and centre (dotted), on every row
        self.footprints = []
        self.centres = []
        for ax in axes:
            ax.axhline(0, color="0.6", lw=0.8)
            if ax is not ax_y:
                patch = Rectangle((0, 0), N, 1, transform=ax.get_xaxis_transform(),
                                  color=KERNEL_COLOR, alpha=0.12, lw=0, gid="footprint")
                ax.add_patch(patch)
                self.footprints.append(patch)
            self.centres.append(ax.axvline(0, color=CURRENT_COLOR, lw=0.8, ls=":", gid="centre"))
        ax_a.set_xlim(x_lo, x_hi)
        if ks.size <= 40:
            ax_y.set_xticks(ks)
        self.kernel_stems[1].set_label("$v[n - k]$")
        self.product_stems[1].set_label("$a[k]\\,v[n - k]$")
        self.output_stems[1].set_label("outputs so far")
        self.current.set_label("$y[n]$")
        handles = [h for ax in axes for h in ax.get_legend_handles_labels()[0]]
        self.fig.legend(handles=handles, loc="outside lower center", ncols=4,
                        fontsize="small", frameon=False)
        self.moving = [*self.kernel_stems, *self.product_stems, self.sum_text, *self.output_stems,
                       self.current, self.index_text, *self.footprints, *self.centres]

    def update(self, position):
        position = check_int("position", position, minimum=0)
        if position >= self.length:
            raise ValueError(
                f"position must be an integer in 0..{self.length - 1} (one per output of "
                f"mode='{self.mode}', which has {self.length} outputs), got {position}."
            )
        M, N = self.M, self.N
        n = self.start + position
        ks = np.arange(n - N + 1, n + 1)              # where v[n - k] is nonzero
        v_flipped = self.v[n - ks]
        a_at = np.where((ks >= 0) & (ks < M), self.a[np.clip(ks, 0, M - 1)], 0.0)
        products = a_at * v_flipped
        _set_stems(self.kernel_stems, ks, v_flipped)
        _set_stems(self.product_stems, ks, products)
        value = self.full[n]
        if N <= 7:
            terms = " + ".join(_fmt(p) if p >= 0 else f"({_fmt(p)})" for p in products)
            self.sum_text.set_text(f"$y[{n}] = {terms} = {_fmt(value)}$")
        else:
            self.sum_text.set_text(f"$y[{n}] = {_fmt(value)}$")
        done = np.arange(self.start, n + 1)
        _set_stems(self.output_stems, done - self.shift, self.full[done])
        self.current.set_data([n - self.shift], [value])
        where = "" if self.mode == "full" else f"; output index {position} of mode='{self.mode}'"
        self.index_text.set_text(f"$n = {n}${where}")
        for patch in self.footprints:
            patch.set_x(n - N + 0.5)
        for line in self.centres:
            line.set_xdata([n - self.shift, n - self.shift])
        return value


def sliding_kernel_figure(signal: ArrayLike, kernel: ArrayLike, position: int = 0,
                          mode: Literal["full", "same", "valid"] = "full", *, figsize: tuple[float, float] = (8.0, 6.6),
                          dpi: float = 80) -> Figure:
    """The flipped kernel at one position over the zero-padded signal, and the output so far.

    Draws one step of

    .. math:: y[n] = \\sum_k a[k]\\, v[n - k]

    in four rows that share the ``k`` axis: the signal ``a`` (``signal``)
    with ``N - 1`` zeros of padding on each side; the kernel ``v``
    (``kernel``) flipped and shifted to ``v[n - k]``; the products
    ``a[k] v[n - k]``, whose sum is ``y[n]``; and the output.  In the output
    row the whole full result is drawn as hollow grey markers, the outputs
    that `mode` keeps are shaded, and those computed up to ``n`` are drawn as
    stems.  Each output ``y[n]`` is drawn under the centre of the kernel that
    produced it, at ``k = n - (N - 1) / 2``, so 'same' lines up with the
    signal and 'valid' sits inside it.

    Parameters
    ----------
    signal : array_like
        The signal ``a``: 1-D, real, finite, at most 400 samples (the
        picture is readable up to a few dozen).
    kernel : array_like
        The kernel ``v``, same rules.
    position : int, optional
        Which output of `mode` to show, ``0 <= position < L`` where ``L`` is
        the mode's output length; the full index is ``n = s + position`` with
        ``s`` the mode's start (:func:`mode_window`).
    mode : {'full', 'same', 'valid'}, optional
        numpy's mode: 'full' ``M + N - 1`` outputs; 'same' ``max(M, N)``;
        'valid' ``max(M, N) - min(M, N) + 1``.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Four axes.  Artists with gids: ``'signal'``, ``'padding'``,
        ``'kernel flipped'`` (points ``(k, v[n - k])``), ``'products'``
        (points ``(k, a[k] v[n - k])``), ``'full output'`` (all of
        ``y``), ``'output'`` (the outputs computed so far), ``'current output'``
        (``y[n]``); the x positions of the output rows are ``n - (N - 1) / 2``.

    Raises
    ------
    TypeError
        If a sequence does not hold real numbers, or ``position`` is not an
        integer.
    ValueError
        If a sequence is empty, not 1-D, not finite or longer than 400;
        ``mode`` is unknown; ``position`` is outside ``0..L-1``; or a figure
        option is invalid.

    Notes
    -----
    True convolution: the kernel is flipped.  The products row is the whole
    computation of one output: ``sum(products) == y[n]``.  The values of
    ``y`` come from :func:`convbook.discrete.convolve`, whose modes are
    numpy's; scipy's 'same' differs when the kernel is longer than the signal
    (see :func:`mode_window`).

    Examples
    --------
    >>> from convbook.plotting.discrete import sliding_kernel_figure
    >>> fig = sliding_kernel_figure([1, 2, 3, 4], [1, 0, -1], position=2, mode="same")
    >>> products = [ax for ax in fig.axes][2].lines[0].get_ydata()
    >>> float(sum(products))        # y[3] of the full result = output 2 of 'same'
    2.0
    """
    picture = _Sliding(signal, kernel, mode, figsize, dpi)
    picture.update(position)
    return picture.fig


def sliding_kernel_animation(signal: ArrayLike, kernel: ArrayLike, mode: Literal["full", "same", "valid"] = "full",
                             *, interval: float = 500, figsize: tuple[float, float] = (8.0, 6.6),
                             dpi: float = 72) -> FuncAnimation:
    """Slide the flipped kernel over the signal, one frame per output of `mode`.

    Each frame is :func:`sliding_kernel_figure` at the next position: the
    kernel ``v[n - k]`` moves one sample to the right, the products below it
    change, and one more output ``y[n] = sum_k a[k] v[n - k]`` appears.  Show
    it without a kernel with :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    signal, kernel : array_like
        As in :func:`sliding_kernel_figure`.
    mode : {'full', 'same', 'valid'}, optional
        numpy's mode; the animation has one frame per output (at most 200).
    interval : float, optional
        Delay between frames, in milliseconds.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution (keep it modest: every frame is embedded as a PNG).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation; its figure is not registered with pyplot.

    Raises
    ------
    TypeError, ValueError
        As in :func:`sliding_kernel_figure`; ValueError also if the mode has
        more than 200 outputs (frames).

    Notes
    -----
    True convolution, numpy's modes.  Everything that no frame changes (the
    signal, the ghosts of the full output, axes, ticks and titles) is
    rendered once into a background image; frames draw only the moving
    artists, as :func:`convbook.plotting.rolling_up_animation` does.

    Examples
    --------
    >>> import re
    >>> from convbook.plotting.discrete import sliding_kernel_animation
    >>> from convbook.plotting import animation_html
    >>> anim = sliding_kernel_animation([1, 2, 3, 4], [1, 1], mode="valid", dpi=20)
    >>> len(re.findall(r"frames\\[\\d+\\] = ", animation_html(anim)))   # 4 - 2 + 1 outputs
    3
    """
    interval = _check_positive("interval", interval)
    picture = _Sliding(signal, kernel, mode, figsize, dpi)
    if picture.length > _MAX_FRAMES:
        raise ValueError(
            f"mode='{mode}' has {picture.length} outputs, one frame each; an animation embedded in "
            f"a page should have at most {_MAX_FRAMES} frames: use shorter sequences."
        )
    picture.update(0)
    _freeze(picture.fig, picture.axes, picture.moving)

    def frame(k):
        picture.update(k)

    return FuncAnimation(picture.fig, frame, frames=picture.length, interval=interval,
                         blit=False, repeat=True)


def _freeze(fig, axes, moving):
    """Render everything but ``moving`` once into a background image (fast animations).

    The same trick as :meth:`convbook.plotting.continuous.rolling_up._RollingUp.freeze`: afterwards
    each frame draws one image and the moving artists, instead of every axes
    with its ticks and mathtext.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()                          # lay the axes out once...
    fig.set_layout_engine("none")          # ...and keep them there
    for artist in moving:
        artist.set_visible(False)
    canvas.draw()
    background = np.asarray(canvas.buffer_rgba()).copy()
    for artist in moving:
        artist.set_visible(True)
    for ax in axes:
        for artist in ax.get_children():
            if artist not in moving:
                artist.set_visible(False)
        ax.set_axis_off()
    for legend in fig.legends:              # static too: it lives in the background now
        legend.set_visible(False)
    holder = fig.add_axes((0, 0, 1, 1), zorder=-10)
    holder.imshow(background, aspect="auto", interpolation="nearest")
    holder.set_axis_off()


# --------------------------------------------------------------------------
# The three modes at a glance
# --------------------------------------------------------------------------

def _cells(ax, xs, row, color, gid, *, hatch=None, alpha=1.0, label=None):
    patches = [Rectangle((x - 0.42, row - 0.36), 0.84, 0.72) for x in xs]
    collection = PatchCollection(patches, facecolor=color if hatch is None else "white",
                                 edgecolor=color if hatch is None else "0.55", alpha=alpha,
                                 hatch=hatch, lw=1, gid=gid, label=label)
    ax.add_collection(collection)
    return collection


def modes_figure(M: int, N: int, *, figsize: tuple[float, float] = (8.0, 6.4), dpi: float = 80) -> Figure:
    """numpy's three output lengths as the first and last positions of the sliding kernel.

    One panel per mode.  In each, the top row is the signal (``M`` cells)
    with its zero padding (hatched cells); the next rows are the flipped
    kernel (``N`` cells) at the first and the last position the mode keeps;
    the bottom row is the outputs kept, each drawn under the centre of the
    kernel that made it.  The panel titles give the lengths:

    .. math:: L_{full} = M + N - 1, \\quad L_{same} = \\max(M, N), \\quad
              L_{valid} = \\max(M, N) - \\min(M, N) + 1 .

    Parameters
    ----------
    M : int
        Length of the signal (1 to 400).
    N : int
        Length of the kernel (1 to 400).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes, titled by mode.  Each holds patch collections with gids
        ``'signal <mode>'``, ``'padding <mode>'``, ``'first <mode>'``,
        ``'last <mode>'`` and ``'output <mode>'`` (one cell per output).

    Raises
    ------
    TypeError
        If ``M`` or ``N`` is not an integer.
    ValueError
        If ``M`` or ``N`` is outside 1..400.

    Notes
    -----
    numpy's modes (see :func:`mode_window`): 'same' keeps ``max(M, N)``
    outputs starting ``(min(M, N) - 1) // 2`` into the full result;
    scipy's 'same' keeps ``len(in1)`` outputs instead.  With an even kernel
    'same' cannot be centred exactly: the output cells sit half a sample off
    the signal's cells.  Only the padding cells some kept position touches
    are drawn.

    Examples
    --------
    >>> from convbook.plotting.discrete import modes_figure
    >>> fig = modes_figure(8, 3)
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ["mode='full'", "mode='same'", "mode='valid'"]
    """
    M = check_int("M", M, minimum=1)
    N = check_int("N", N, minimum=1)
    for name, value in (("M", M), ("N", N)):
        if value > _MAX_SAMPLES:
            raise ValueError(f"{name} must be an integer in 1..{_MAX_SAMPLES} for a readable picture, "
                             f"got {value}.")
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    axes = fig.subplots(3, 1, sharex=True)
    shift = (N - 1) / 2
    formulas = {"full": f"$M + N - 1 = {M} + {N} - 1 = {M + N - 1}$",
                "same": f"$\\max(M, N) = {max(M, N)}$",
                "valid": f"$\\max(M, N) - \\min(M, N) + 1 = {max(M, N) - min(M, N) + 1}$"}
    for ax, mode in zip(axes, _MODES):
        start, length = mode_window(M, N, mode)
        first, last = start, start + length - 1
        lo, hi = first - N + 1, last                       # the cells any kept position touches
        pads = [k for k in range(lo, hi + 1) if k < 0 or k >= M]
        _cells(ax, range(M), 3, SIGNAL_COLOR, f"signal {mode}", alpha=0.85)
        _cells(ax, pads, 3, None, f"padding {mode}", hatch="///")
        _cells(ax, range(first - N + 1, first + 1), 2, KERNEL_COLOR, f"first {mode}", alpha=0.85)
        _cells(ax, range(last - N + 1, last + 1), 1, KERNEL_COLOR, f"last {mode}", alpha=0.5)
        _cells(ax, np.arange(first, last + 1) - shift, 0, OUTPUT_COLOR, f"output {mode}", alpha=0.85)
        for row, (x0, x1) in ((2, (first - shift, first - shift)), (1, (last - shift, last - shift))):
            ax.annotate("", xy=(x0, 0.38), xytext=(x1, row - 0.38),
                        arrowprops=dict(arrowstyle="->", color="0.35", lw=0.8))
        ax.set_yticks([0, 1, 2, 3], ["output", "last", "first", "signal"])
        ax.set_ylim(-0.6, 3.6)
        ax.set_title(f"mode='{mode}': {length} outputs, {formulas[mode]}", fontsize="medium")
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xlim(-(N - 1) - 0.7, M + N - 2 + 0.7)
    axes[-1].set_xlabel(f"$k$ (signal index); signal $M = {M}$ samples, kernel $N = {N}$")
    if M + 2 * N <= 42:
        axes[-1].set_xticks(range(-(N - 1), M + N - 1))
    return fig
