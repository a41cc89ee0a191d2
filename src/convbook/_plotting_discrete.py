"""Figures and kernel-free animations for chapter 2, discrete convolution.

Chapter 2 computes the discrete convolution of two finite sequences,

.. math:: y[n] = (a * v)[n] = \\sum_k a[k]\\, v[n - k],

and draws it in the pictures of chapter 1 made discrete:

* :func:`antidiagonal_figure` -- the grid ``U[k, j] = a[k] v[j]`` rolled up
  along its anti-diagonals ``k + j = n`` (the discrete rolling-up);
* :func:`sliding_kernel_figure` and :func:`sliding_kernel_animation` -- the
  flipped kernel ``v[n - k]`` sliding over the zero-padded signal, the
  products at the current position, and the output growing, for numpy's
  three modes (the animation is the static twin of
  :func:`convbook._widgets_discrete.discrete_explorer`);
* :func:`modes_figure` -- the first and last kernel positions of the modes
  'full', 'same' and 'valid', and the outputs each one keeps;
* :func:`toeplitz_figure` -- the convolution matrix, constant along its
  diagonals;
* :func:`wraparound_figure` -- circular convolution as the linear one with
  its tail wrapped around to the start;
* :func:`convergence_figure` -- errors against a step ``h`` on log-log axes,
  with fitted slopes (the Riemann sum approaching the integral).

Conventions, out loud: this is the *true* convolution (the kernel ``v`` is
flipped), not the cross-correlation that deep-learning libraries call
"convolution".  The modes are numpy's (``numpy.convolve``): 'same' has
``max(M, N)`` outputs and starts ``(min(M, N) - 1) // 2`` samples into the
full result -- scipy's 'same' has the length of the *first* input instead.
Every value drawn is computed with :func:`convbook.discrete.convolve` (or
:func:`~convbook.discrete.circular_convolve`,
:func:`~convbook.discrete.convolution_matrix`).  Figures are not registered
with pyplot and show themselves as PNGs in IPython; their artists carry gids
so that tests can read the data back.

This private module backs the lessons of chapter 2; :mod:`convbook.plotting`
re-exports its public functions.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from . import discrete
from ._validation import as_numeric_array, check_choice, check_int, describe
from .plotting import _check_figsize, _check_positive, _new_figure

__all__ = [
    "antidiagonal_figure",
    "sliding_kernel_figure",
    "sliding_kernel_animation",
    "modes_figure",
    "toeplitz_figure",
    "wraparound_figure",
    "convergence_figure",
    "mode_window",
]

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


def mode_window(M: int, N: int, mode: str = "full") -> tuple[int, int]:
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
    >>> from convbook._plotting_discrete import mode_window
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


def _freeze(fig, axes, moving):
    """Render everything but ``moving`` once into a background image (fast animations).

    The same trick as :meth:`convbook.plotting._RollingUp.freeze`: afterwards
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
# The discrete rolling-up: anti-diagonals of U[k, j] = a[k] v[j]
# --------------------------------------------------------------------------

def antidiagonal_figure(a, v, n=None, *, figsize=(9.0, 3.8), dpi=80, cmap="viridis"):
    """The grid ``U[k, j] = a[k] v[j]`` rolled up along its anti-diagonals.

    The discrete convolution sums ``U`` along the anti-diagonal ``k + j = n``:

    .. math:: y[n] = \\sum_{k + j = n} a[k]\\, v[j] = \\sum_k a[k]\\, v[n - k],

    the discrete form of chapter 1's rolling up of ``U(x, y) = f(x) g(y)``
    along the lines ``x + y = t``.  Left: ``U`` as a grid of cells (``k``
    across, ``j`` up), the cells of one anti-diagonal outlined.  Right: the
    whole sequence ``y = a * v`` with ``y[n]`` marked.

    Parameters
    ----------
    a, v : array_like
        The two sequences, 1-D, real, finite, at most 400 samples each (a
        few dozen make a readable grid).
    n : int, optional
        The anti-diagonal to outline, ``0 <= n <= M + N - 2``; default: the
        middle one.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.
    cmap : str, optional
        Colour map of the grid.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes.  Artists with gids: ``'U'`` (the image, ``U[j, k] = v[j] a[k]``
        with ``j`` the row), ``'antidiagonal'`` (the cell centres ``(k, n - k)``),
        ``'output'`` (the stems' markers, ``y``) and ``'current output'``
        (``(n, y[n])``).

    Raises
    ------
    TypeError
        If a sequence does not hold real numbers, or ``n`` is not an integer.
    ValueError
        If a sequence is empty, not 1-D, not finite or too long; ``n`` is out
        of range; or ``cmap`` is not a colour map.

    Notes
    -----
    True convolution: along the anti-diagonal ``k`` grows while ``j = n - k``
    falls, so ``v`` is read backwards -- that is the flip.  The
    cross-correlation sums the *diagonals* ``j - k = const`` instead.

    Examples
    --------
    >>> from convbook._plotting_discrete import antidiagonal_figure
    >>> fig = antidiagonal_figure([1, 2, 3], [1, 1], n=2)
    >>> [round(y) for y in fig.axes[1].lines[0].get_ydata()]
    [1, 3, 5, 3]
    """
    from .plotting import _check_cmap, _draw_heatmap

    a = _sequence("a", a)
    v = _sequence("v", v)
    M, N = a.size, v.size
    last = M + N - 2
    n = last // 2 if n is None else check_int("n", n, minimum=0)
    if n > last:
        raise ValueError(f"n must be an integer in 0..{last} (the anti-diagonals of a {M} x {N} grid), "
                         f"got {n}.")
    cmap = _check_cmap(cmap)
    y = _floats(discrete.convolve(a, v, "full"))
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax_u, ax_y = fig.subplots(1, 2, width_ratios=[1, 1.3])

    U = np.outer(_floats(v), _floats(a))
    image = _draw_heatmap(ax_u, U, (-0.5, M - 0.5), (-0.5, N - 0.5), cmap)
    image.set_gid("U")
    ax_u.set_xlabel("$k$ (index of $a$)")
    ax_u.set_ylabel("$j$ (index of $v$)")
    ks = np.arange(max(0, n - N + 1), min(M - 1, n) + 1)
    ax_u.add_collection(PatchCollection(
        [Rectangle((k - 0.5, n - k - 0.5), 1, 1) for k in ks], facecolor="none",
        edgecolor=CURRENT_COLOR, lw=2.5, gid="antidiagonal cells"))
    ax_u.plot(ks, n - ks, color=CURRENT_COLOR, lw=1, ls="--", gid="antidiagonal")
    if M * N <= 120:
        scale = max(float(np.abs(U).max()), 1e-300)
        for (j, k), value in np.ndenumerate(U):
            ax_u.text(k, j, _fmt(value), ha="center", va="center", fontsize="small",
                      color="black" if (value - U.min()) / (U.max() - U.min() or scale) > 0.6
                      else "white")
    ax_u.set_xlim(-0.5, M - 0.5)
    ax_u.set_ylim(-0.5, N - 0.5)
    if M <= 20:
        ax_u.set_xticks(range(M))
    if N <= 20:
        ax_u.set_yticks(range(N))
    ax_u.set_title(f"$U[k, j] = a[k]\\,v[j]$; cells with $k + j = {n}$")

    ns = np.arange(last + 1)
    _stems(ax_y, ns, y, OUTPUT_COLOR, "output")
    ax_y.plot([n], [y[n]], "o", color=CURRENT_COLOR, ms=8, gid="current output")
    ax_y.axhline(0, color="0.6", lw=0.8)
    ax_y.set_xlim(-0.7, last + 0.7)
    ax_y.set_ylim(*_span(y))
    ax_y.set_xlabel("$n$")
    ax_y.set_title(f"$y = a * v$; $y[{n}] = {_fmt(y[n])}$ is the sum of the outlined cells")
    if last <= 30:
        ax_y.set_xticks(ns)
    return fig


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


def sliding_kernel_figure(signal, kernel, position=0, mode="full", *, figsize=(8.0, 6.6), dpi=80):
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
    >>> from convbook._plotting_discrete import sliding_kernel_figure
    >>> fig = sliding_kernel_figure([1, 2, 3, 4], [1, 0, -1], position=2, mode="same")
    >>> products = [ax for ax in fig.axes][2].lines[0].get_ydata()
    >>> float(sum(products))        # y[3] of the full result = output 2 of 'same'
    2.0
    """
    picture = _Sliding(signal, kernel, mode, figsize, dpi)
    picture.update(position)
    return picture.fig


def sliding_kernel_animation(signal, kernel, mode="full", *, interval=500, figsize=(8.0, 6.6),
                             dpi=72):
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
    >>> from convbook._plotting_discrete import sliding_kernel_animation
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


def modes_figure(M, N, *, figsize=(8.0, 6.4), dpi=80):
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
    >>> from convbook._plotting_discrete import modes_figure
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


# --------------------------------------------------------------------------
# The convolution matrix
# --------------------------------------------------------------------------

def toeplitz_figure(a, n, mode="full", x=None, *, annotate=None, cmap="RdBu_r",
                    figsize=None, dpi=80):
    """The convolution matrix of ``a`` as an image, optionally applied to a vector ``x``.

    The matrix ``A = convolution_matrix(a, n, mode)`` satisfies

    .. math:: A x = a * x, \\qquad A[i, j] = a[i + s - j]

    (``s`` the start of the mode's window, zero outside ``0..M-1``): each
    column is a copy of ``a`` shifted down by one more row, so ``A`` is
    constant along its diagonals, a Toeplitz matrix.

    Parameters
    ----------
    a : array_like
        The filter, 1-D, real, finite (at most 400 samples).
    n : int
        The length of the vectors ``A`` applies to (1 to 400).
    mode : {'full', 'same', 'valid'}, optional
        numpy's mode; the matrix has ``M + n - 1``, ``max(M, n)`` or
        ``max(M, n) - min(M, n) + 1`` rows.
    x : array_like, optional
        A vector of length ``n``: if given, ``x`` and ``y = A x`` are drawn
        as columns beside the matrix.
    annotate : bool, optional
        Write each entry in its cell; default: when the matrix has at most
        16 rows and 16 columns.
    cmap : str, optional
        A diverging colour map (zero is its middle colour).
    figsize : (float, float), optional
        Figure size in inches; default from the matrix' shape.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one unit per cell.  Images with gids: ``'matrix'`` (``A``),
        and with ``x`` also ``'x'`` and ``'y'`` (one-column images, drawn to
        the right of ``A``).

    Raises
    ------
    TypeError
        If ``a`` or ``x`` does not hold real numbers, ``n`` is not an
        integer, or ``annotate`` is not a bool.
    ValueError
        If ``a`` is empty, not 1-D or not finite; ``n`` is outside 1..400;
        ``mode`` is unknown; ``x`` does not have length ``n``; or ``cmap`` is
        not a colour map.

    Notes
    -----
    Built with :func:`convbook.discrete.convolution_matrix`, which agrees
    with ``scipy.linalg.convolution_matrix``.  ``y`` is computed as
    ``convolve(a, x, mode)`` -- the product ``A @ x`` gives the same numbers.

    Examples
    --------
    >>> from convbook._plotting_discrete import toeplitz_figure
    >>> fig = toeplitz_figure([1, 2, 3], 4)
    >>> fig.axes[0].images[0].get_array().tolist()[:3]
    [[1.0, 0.0, 0.0, 0.0], [2.0, 1.0, 0.0, 0.0], [3.0, 2.0, 1.0, 0.0]]
    """
    from .plotting import _check_cmap

    a = _sequence("a", a)
    n = check_int("n", n, minimum=1)
    if n > _MAX_SAMPLES:
        raise ValueError(f"n must be an integer in 1..{_MAX_SAMPLES} for a readable picture, got {n}.")
    check_choice("mode", mode, _MODES)
    cmap = _check_cmap(cmap)
    if x is not None:
        x = _sequence("x", x)
        if x.size != n:
            raise ValueError(f"x must have n = {n} samples (the matrix has {n} columns), got {x.size}.")
    A = _floats(discrete.convolution_matrix(a, n, mode))
    rows = A.shape[0]
    if annotate is None:
        annotate = rows <= 16 and n <= 16
    elif not isinstance(annotate, (bool, np.bool_)):
        raise TypeError(f"annotate must be True or False, got {describe(annotate)}.")
    y = None if x is None else _floats(discrete.convolve(a, x, mode))
    vmax = max(float(np.abs(A).max()), 1e-300)
    # One axes, one cell = one unit: A at columns 0..n-1, then x and y = A x to its right.
    x_col, y_col = n + 1.5, n + 3.5
    right = (y_col + 0.5) if x is not None else (n - 0.5)
    if figsize is None:
        width = min(11.0, 1.4 + 0.45 * (right + 0.5))
        tall = max(rows, n) if x is not None else rows
        figsize = (max(width, 3.6), min(9.0, max(2.4, 1.3 + 0.42 * tall)))
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()

    def draw(values, x0, gid, scale, skip_zeros):
        h, w = values.shape
        image = ax.imshow(values, cmap=cmap, vmin=-scale, vmax=scale, interpolation="nearest",
                          extent=(x0 - 0.5, x0 + w - 0.5, h - 0.5, -0.5), gid=gid)
        if annotate:
            for (i, j), value in np.ndenumerate(values):
                if value != 0 or not skip_zeros:
                    ax.text(x0 + j, i, _fmt(value), ha="center", va="center", fontsize="small",
                            color="white" if abs(value) / scale > 0.6 else "black")
        return image

    draw(A, 0, "matrix", vmax, True)
    ax.set_title(f"convolution_matrix(a, n={n}, mode='{mode}'): {rows} x {n}", fontsize="medium")
    ax.set_xlabel("column $j$")
    ax.set_ylabel("row $i$")
    ax.set_xlim(-0.5, right)
    height = max(rows, n) if x is not None else rows
    ax.set_ylim(height - 0.5, -1.3 if x is not None else -0.5)
    ax.set_aspect("equal")
    if rows <= 30 and n <= 30:
        ax.set_xticks(range(n))
        ax.set_yticks(range(rows))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if x is not None:
        xs = _floats(x)
        draw(xs[:, None], x_col, "x", max(float(np.abs(xs).max()), 1e-300), False)
        draw(y[:, None], y_col, "y", max(float(np.abs(y).max()), 1e-300), False)
        middle = (min(rows, n) - 1) / 2
        ax.text((n - 0.5 + x_col - 0.5) / 2, middle, "$\\times$", ha="center", va="center",
                fontsize="large")
        ax.text((x_col + y_col) / 2, middle, "$=$", ha="center", va="center", fontsize="large")
        ax.text(x_col, -1.0, "$x$", ha="center", va="center")
        ax.text(y_col, -1.0, "$y = Ax$", ha="center", va="center")
    return fig


# --------------------------------------------------------------------------
# Circular convolution: the wrap-around
# --------------------------------------------------------------------------

def wraparound_figure(a, v, n=None, *, figsize=(8.0, 5.2), dpi=80):
    """Circular convolution as the linear one with its tail wrapped around.

    .. math:: y_{circ}[i] = \\sum_{k=0}^{n-1} a[k]\\, v[(i - k) \\bmod n]
              = y[i] + y[i + n], \\qquad i = 0, \\dots, n - 1,

    where ``y = a * v`` is the full linear convolution (``M + N - 1``
    samples, taken as zero beyond its end).  Top: ``y``, the samples at
    ``i >= n`` (the tail) in red, with arrows to where they land.  Bottom:
    ``y_circ`` as stacked bars, ``y[i]`` plus the wrapped ``y[i + n]``.

    Parameters
    ----------
    a, v : array_like
        1-D real finite sequences (at most 400 samples each).
    n : int, optional
        The period, ``n >= max(M, N)``; default ``max(M, N)``.  With
        ``n >= M + N - 1`` nothing wraps.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes.  Artists with gids: ``'linear'`` (markers of ``y[i]``,
        ``i < n``), ``'tail'`` (markers of ``y[i]``, ``i >= n``; empty when
        nothing wraps) and ``'circular'`` (markers of ``y_circ``).

    Raises
    ------
    TypeError
        If a sequence does not hold real numbers, or ``n`` is not an integer.
    ValueError
        If a sequence is empty, not 1-D, not finite or too long, or
        ``n < max(M, N)``.

    Notes
    -----
    Because ``n >= max(M, N)``, the tail has ``M + N - 1 - n <= min(M, N) - 1 < n``
    samples: it wraps once, onto the first samples.  The values come from
    :func:`convbook.discrete.convolve` and
    :func:`convbook.discrete.circular_convolve`.

    Examples
    --------
    >>> from convbook._plotting_discrete import wraparound_figure
    >>> fig = wraparound_figure([1, 2, 3], [1, 1, 1])
    >>> [round(y) for y in fig.axes[1].lines[0].get_ydata()]
    [6, 6, 6]
    """
    a = _sequence("a", a)
    v = _sequence("v", v)
    M, N = a.size, v.size
    if n is None:
        n = max(M, N)
    else:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
            raise TypeError(f"n must be None or an integer >= max(len(a), len(v)) = {max(M, N)}, "
                            f"got {describe(n)}.")
        n = int(n)
        if n < max(M, N):
            raise ValueError(f"n must be None or an integer >= max(len(a), len(v)) = {max(M, N)}, "
                             f"got {n}.")
        if n > 2 * _MAX_SAMPLES:
            raise ValueError(f"n must be at most {2 * _MAX_SAMPLES} for a readable picture, got {n}.")
    y = _floats(discrete.convolve(a, v, "full"))
    circ = _floats(discrete.circular_convolve(a, v, n))
    L = y.size
    tail = max(0, L - n)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax_lin, ax_circ = fig.subplots(2, 1, sharex=True)
    right = max(L, n) - 1
    _stems(ax_lin, np.arange(min(L, n)), y[:n], OUTPUT_COLOR, "linear",
           label="$y[i]$, $i < n$: stays")
    _stems(ax_lin, np.arange(n, L), y[n:], CURRENT_COLOR, "tail",
           label="$y[i]$, $i \\geq n$: wraps to $i - n$" if tail else "_nolegend_")
    if n < L:
        ax_lin.axvspan(n - 0.5, L - 0.5, color=CURRENT_COLOR, alpha=0.07, lw=0)
    ax_lin.axvline(n - 0.5, color="0.3", lw=1, ls="--")
    ax_lin.set_title(f"linear convolution $y = a * v$: {L} samples; the period is $n = {n}$",
                     fontsize="medium")
    low, high = _span(np.concatenate([y, circ]), margin=0.3)
    ax_lin.set_ylim(low, high)
    for i in range(n, L):
        ax_lin.annotate("", xy=(i - n, y[i - n] + 0.04 * (high - low)), xytext=(i, y[i]),
                        arrowprops=dict(arrowstyle="->", color=CURRENT_COLOR, lw=1,
                                        connectionstyle="arc3,rad=0.25"))
    ax_lin.legend(loc="upper right", fontsize="x-small", frameon=False)

    head = np.zeros(n)
    head[:min(L, n)] = y[:n]
    wrapped = np.zeros(n)
    wrapped[:tail] = y[n:]
    idx = np.arange(n)
    ax_circ.bar(idx, head, width=0.6, color=OUTPUT_COLOR, alpha=0.6, label="$y[i]$", gid="head")
    ax_circ.bar(idx, wrapped, width=0.6, bottom=head, color=CURRENT_COLOR, alpha=0.6,
                label="$y[i + n]$ (wrapped)" if tail else "_nolegend_", gid="wrapped")
    ax_circ.plot(idx, circ, "o", color="black", ms=4, ls="none", gid="circular",
                 label="$y_{circ}[i]$")
    ax_circ.axvline(n - 0.5, color="0.3", lw=1, ls="--")
    ax_circ.axhline(0, color="0.6", lw=0.8)
    ax_circ.set_ylim(*_span(np.concatenate([y, circ, head + wrapped]), margin=0.3))
    ax_circ.set_xlim(-0.8, right + 0.8)
    what = "nothing wraps" if tail == 0 else f"the last {tail} samples wrap around"
    ax_circ.set_title(f"circular convolution of period {n}: {what}", fontsize="medium")
    ax_circ.legend(loc="upper right", fontsize="x-small", frameon=False, ncols=3)
    ax_circ.set_xlabel("$i$")
    if right <= 40:
        ax_circ.set_xticks(range(right + 1))
    return fig


# --------------------------------------------------------------------------
# Convergence of the Riemann sum
# --------------------------------------------------------------------------

def convergence_figure(hs, errors, *, figsize=(6.0, 4.0), dpi=80, title=None):
    """Errors against the step ``h`` on log-log axes, each with its fitted power law.

    For each curve the least-squares line through ``(log h, log error)``
    gives the observed order ``p`` of ``error ~ C h^p``; it is drawn dashed
    and reported in the legend.

    Parameters
    ----------
    hs : array_like
        The steps, positive, at least two.
    errors : dict
        ``{label: errors}``, each a sequence of positive errors, one per step.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.
    title : str, optional
        The axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One log-log axes.  For each label, a Line2D with gid ``label`` (the
        measured errors) and one with gid ``label + ' fit'`` (the fitted
        line, whose label states the slope).

    Raises
    ------
    TypeError
        If ``errors`` is not a non-empty dict, or values are not real
        numbers.
    ValueError
        If ``hs`` has fewer than two values or non-positive ones, or an
        error sequence has the wrong length or non-positive values (an error
        of exactly 0 has no logarithm).

    Notes
    -----
    The slope is ``numpy.polyfit(log(h), log(error), 1)[0]``, the same number
    a lesson asserts on.

    Examples
    --------
    >>> from convbook._plotting_discrete import convergence_figure
    >>> hs = [0.1, 0.05, 0.025]
    >>> fig = convergence_figure(hs, {"first order": [0.1, 0.05, 0.025]})
    >>> fig.axes[0].lines[1].get_label()
    'first order: slope 1.00'
    """
    hs = as_numeric_array("hs", hs, ndim=1)
    if hs.dtype.kind not in "biuf":
        raise TypeError(f"hs must hold real numbers, got {describe(hs)}.")
    hs = hs.astype(float)
    if hs.size < 2 or not np.all(np.isfinite(hs)) or np.any(hs <= 0):
        raise ValueError(f"hs must hold at least two finite positive steps, got {describe(hs)}.")
    if not isinstance(errors, dict) or not errors:
        raise TypeError(f"errors must be a non-empty dict {{label: errors}}, got {describe(errors)}.")
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    handles, labels = [], []
    for k, (label, errs) in enumerate(errors.items()):
        errs = as_numeric_array(f"errors[{label!r}]", errs, ndim=1)
        if errs.dtype.kind not in "biuf":
            raise TypeError(f"errors[{label!r}] must hold real numbers, got {describe(errs)}.")
        errs = errs.astype(float)
        if errs.size != hs.size:
            raise ValueError(f"errors[{label!r}] must have one error per step ({hs.size}), "
                             f"got {errs.size}.")
        if not np.all(np.isfinite(errs)) or np.any(errs <= 0):
            raise ValueError(f"errors[{label!r}] must hold finite positive errors (log-log axes), "
                             f"got {describe(errs)}.")
        slope, intercept = np.polyfit(np.log(hs), np.log(errs), 1)
        color = f"C{k % 10}"
        (points,) = ax.loglog(hs, errs, "o", color=color, gid=str(label), label=str(label))
        grid = np.geomspace(hs.min(), hs.max(), 50)
        (fit,) = ax.loglog(grid, np.exp(intercept) * grid ** slope, "--", color=color, lw=1,
                           gid=f"{label} fit", label=f"{label}: slope {slope:.2f}")
        handles.append((points, fit))
        labels.append(fit.get_label())
    ax.set_xlabel("step $h$")
    ax.set_ylabel("error")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(handles, labels, fontsize="small", loc="lower right")
    if title is not None:
        ax.set_title(str(title), fontsize="medium")
    return fig
