"""Figures and kernel-free animations for chapter 4 (the FFT).

Chapter 4 turns the convolution theorem into an algorithm.  Its pictures are

- the n-th roots of unity on the unit circle, and the path that one row of
  the DFT matrix takes around it (:func:`roots_of_unity_figure`), and the
  rows of that matrix as sampled cosines and sines (:func:`dft_rows_figure`);
- the wrap-around error of a circular convolution that is too short to hold
  the linear one (:func:`wraparound_figure`, swept over the transform
  length by :func:`wraparound_animation`);
- the butterfly diagram of the radix-2 Cooley--Tukey FFT, optionally with the
  values on the wires after each butterfly (:func:`butterfly_steps` computes
  them, :func:`butterfly_figure` draws one step, :func:`butterfly_animation`
  steps through them all);
- measured timings and operation counts on log-log axes, with a crossover
  marked (:func:`loglog_figure`).

Conventions are numpy's: :math:`X_k = \\sum_j x_j \\omega^{jk}` with
:math:`\\omega = e^{-2\\pi i/n}` (so the powers of :math:`\\omega` go round the
circle *clockwise*), the forward transform unscaled and the inverse with the
factor 1/n.  Convolutions are true convolutions (the kernel is flipped), and
"circular convolution of length N" means both inputs zero-padded to N and
indices taken modulo N.

Figures are :class:`matplotlib.figure.Figure` objects not registered with
pyplot (as in :mod:`convbook.plotting`); leave one as the last expression of
a notebook cell to display it, and show an animation without a kernel with
:func:`convbook.plotting.animation_html`.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np
from matplotlib.animation import FuncAnimation

from ._validation import as_numeric_array, check_int, describe
from .plotting import _check_figsize, _check_positive, _figure_and_axes, _new_figure

__all__ = [
    "roots_of_unity_figure",
    "dft_rows_figure",
    "wraparound_figure",
    "wraparound_animation",
    "ButterflyStep",
    "ButterflyTrace",
    "butterfly_steps",
    "butterfly_figure",
    "butterfly_animation",
    "loglog_figure",
]

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


def _fmt_complex(z: complex, digits: int = 2) -> str:
    """A short text for a complex number: '4', '-2+2i', '1.41i', '0'."""
    re_, im = round(float(z.real), digits), round(float(z.imag), digits)
    re_ = 0.0 if re_ == 0 else re_          # no '-0'
    im = 0.0 if im == 0 else im

    def num(v):
        text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
        return text

    if im == 0:
        return num(re_)
    if re_ == 0:
        return ("-" if im < 0 else "") + ("" if abs(im) == 1 else num(abs(im))) + "i"
    sign = "-" if im < 0 else "+"
    return f"{num(re_)}{sign}{'' if abs(im) == 1 else num(abs(im))}i"


# --------------------------------------------------------------------------
# Roots of unity and the rows of the DFT matrix
# --------------------------------------------------------------------------

def roots_of_unity_figure(n, *, power=1, ax=None, title=None, figsize=(4.4, 4.4), dpi=80):
    r"""The n-th roots of unity :math:`\omega^k = e^{-2\pi i k/n}` on the unit circle.

    The points :math:`\omega^0 = 1, \omega^1, \dots, \omega^{n-1}` are drawn
    and labelled; with ``power = j`` the figure also follows row ``j`` of the
    DFT matrix, :math:`W_{jk} = \omega^{jk}` for :math:`k = 0, 1, \dots, n`,
    with numbered chords: the row walks round the circle in steps of ``j``
    roots and is back at 1 after n steps.

    Parameters
    ----------
    n : int
        How many roots, ``1 <= n <= 64``.
    power : int, optional
        The row ``j`` to follow (any integer; only ``j mod n`` matters).
        ``power=0`` draws the points only.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title (a default names n and j).
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.  Artists carry gids: ``'roots'`` (the points,
        whose offsets are :math:`(\cos, \sin)` of the angles
        :math:`-2\pi k/n`) and ``'path'`` (the vertices
        :math:`\omega^{jk}`, k = 0..n, when ``power`` is not a multiple of n).

    Raises
    ------
    TypeError
        If ``n`` or ``power`` is not an integer.
    ValueError
        If ``n`` is out of range.

    Notes
    -----
    numpy's sign convention, :math:`\omega = e^{-2\pi i/n}`: the powers of
    :math:`\omega` go round *clockwise*, from 1 at angle 0 to
    :math:`\omega^1` at angle :math:`-2\pi/n`.  With the opposite convention
    (many textbooks, and the inverse transform) they go anticlockwise.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_fourier import roots_of_unity_figure
    >>> fig = roots_of_unity_figure(8, power=3)
    >>> ax = fig.axes[0]
    >>> points = [a for a in ax.collections if a.get_gid() == "roots"][0].get_offsets()
    >>> print(np.round(np.asarray(points[2], dtype=float), 6))   # omega^2 = e^{-i pi/2} = -i
    [ 0. -1.]
    """
    n = check_int("n", n, minimum=1)
    if n > 64:
        raise ValueError(f"n must be an integer between 1 and 64 for a readable figure, got {n}.")
    power = check_int("power", power)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    k = np.arange(n)
    angles = -2 * np.pi * k / n
    theta = np.linspace(0, 2 * np.pi, 361)
    ax.plot(np.cos(theta), np.sin(theta), color="0.75", lw=1)
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.scatter(np.cos(angles), np.sin(angles), s=40, color="C0", zorder=3, gid="roots")
    for kk, ang in zip(k, angles):
        ax.annotate(f"$\\omega^{{{kk}}}$", (np.cos(ang), np.sin(ang)),
                    xytext=(1.2 * np.cos(ang), 1.2 * np.sin(ang)), textcoords="data",
                    ha="center", va="center", fontsize=10 if n <= 16 else 7)
    j = power % n
    if j:
        steps = np.arange(n + 1)
        path_angles = -2 * np.pi * ((j * steps) % n) / n
        px, py = np.cos(path_angles), np.sin(path_angles)
        ax.plot(px, py, color="C3", lw=1.2, alpha=0.8, gid="path")
        for s in range(n):
            mx, my = (px[s] + px[s + 1]) / 2, (py[s] + py[s + 1]) / 2
            ax.annotate("", xy=(px[s + 1], py[s + 1]), xytext=(mx, my),
                        arrowprops=dict(arrowstyle="->", color="C3", lw=1.2))
            if n <= 16:
                ax.text(mx, my, str(s + 1), color="C3", fontsize=8, ha="center", va="center",
                        bbox=dict(boxstyle="circle,pad=0.15", fc="white", ec="none", alpha=0.8))
    # the direction of increasing k (clockwise in numpy's convention)
    if n > 1:
        arc = np.linspace(0, -2 * np.pi / n, 30) if n > 2 else np.linspace(0, -np.pi / 2, 30)
        ax.plot(0.55 * np.cos(arc), 0.55 * np.sin(arc), color="0.4", lw=1)
        ax.annotate("", xy=(0.55 * np.cos(arc[-1]), 0.55 * np.sin(arc[-1])),
                    xytext=(0.55 * np.cos(arc[-3]), 0.55 * np.sin(arc[-3])),
                    arrowprops=dict(arrowstyle="->", color="0.4"))
    ax.set_aspect("equal")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_xlabel("real part")
    ax.set_ylabel("imaginary part")
    if title is None:
        title = f"$n = {n}$: $\\omega = e^{{-2\\pi i/{n}}}$"
        if j:
            exponent = "k" if power == 1 else f"{power}k"
            title += f", row $j = {power}$: $\\omega^{{{exponent}}}$"
    ax.set_title(title)
    return fig


def dft_rows_figure(n, rows=(0, 1, 2, 3), *, figsize=None, dpi=80):
    r"""Rows of the DFT matrix as sampled waves: real part cosine, imaginary part minus sine.

    Row ``j`` of :math:`W_{jk} = e^{-2\pi i jk/n}` holds the samples, at
    :math:`k = 0, \dots, n-1`, of :math:`\cos(2\pi j t/n) - i\sin(2\pi j t/n)`:
    a wave with j periods in the window.  So :math:`X_j = (W x)_j` measures
    how much of that frequency the signal ``x`` contains.  One panel per row,
    stems for the samples, the continuous waves drawn thin behind them.

    Parameters
    ----------
    n : int
        The size of the matrix, ``2 <= n <= 64``.
    rows : sequence of int, optional
        The rows to draw (1 to 8 of them, each in ``0 .. n-1``).
    figsize : (float, float), optional
        Figure size; default ``(7, 1.5 * len(rows) + 0.6)``.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per row.  In the axes of row j, the gids ``'real j'`` and
        ``'imag j'`` mark the sample markers (whose y data are the real and
        imaginary parts of ``W[j]``).

    Raises
    ------
    TypeError
        If ``n`` or a row is not an integer, or ``rows`` is not a sequence.
    ValueError
        If ``n`` or a row is out of range, or there are too many rows.

    Notes
    -----
    numpy's sign: the imaginary part is :math:`-\sin`.  Rows ``j`` and
    ``n - j`` are complex conjugates (the same cosine, opposite sines): for a
    real signal :math:`X_{n-j} = \overline{X_j}`.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_fourier import dft_rows_figure
    >>> fig = dft_rows_figure(8, rows=(1,))
    >>> ax = fig.axes[0]
    >>> real = [l for l in ax.get_lines() if l.get_gid() == "real 1"][0]
    >>> print(np.round(real.get_ydata(), 3))
    [ 1.     0.707  0.    -0.707 -1.    -0.707 -0.     0.707]
    """
    n = check_int("n", n, minimum=2)
    if n > 64:
        raise ValueError(f"n must be an integer between 2 and 64 for a readable figure, got {n}.")
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__"):
        raise TypeError(f"rows must be a sequence of integers, got {describe(rows)}.")
    if not 1 <= len(rows) <= 8:
        raise ValueError(f"rows must hold 1 to 8 row indices, got {len(rows)}.")
    rows = [check_int(f"rows[{i}]", r, minimum=0) for i, r in enumerate(rows)]
    for i, r in enumerate(rows):
        if r >= n:
            raise ValueError(f"rows[{i}] must be a row index between 0 and {n - 1}, got {r}.")
    if figsize is None:
        figsize = (7.0, 1.5 * len(rows) + 0.6)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    axes = fig.subplots(len(rows), 1, sharex=True, squeeze=False)[:, 0]
    k = np.arange(n)
    t = np.linspace(0, n - 1, 400)
    for ax, j in zip(axes, rows):
        w = np.exp(-2j * np.pi * j * k / n)
        ax.plot(t, np.cos(2 * np.pi * j * t / n), color="C0", lw=0.8, alpha=0.5)
        ax.plot(t, -np.sin(2 * np.pi * j * t / n), color="C1", lw=0.8, alpha=0.5)
        ax.vlines(k - 0.08, 0, w.real, color="C0", lw=1.5)
        ax.vlines(k + 0.08, 0, w.imag, color="C1", lw=1.5)
        ax.plot(k - 0.08, w.real, "o", color="C0", ms=4, gid=f"real {j}",
                label="real part $\\cos(2\\pi jk/n)$")
        ax.plot(k + 0.08, w.imag, "s", color="C1", ms=4, gid=f"imag {j}",
                label="imaginary part $-\\sin(2\\pi jk/n)$")
        # the markers' y data are the exact row, not the offset positions
        ax.axhline(0, color="0.6", lw=0.8)
        ax.set_ylim(-1.3, 1.3)
        ax.set_ylabel(f"row $j = {j}$")
    axes[0].legend(loc="upper right", fontsize="small", ncols=2, frameon=False,
                   bbox_to_anchor=(1.0, 1.45))
    axes[-1].set_xlabel("$k$ (column of $W$: the sample index)")
    axes[-1].set_xticks(k if n <= 16 else k[:: max(1, n // 16)])
    return fig


# --------------------------------------------------------------------------
# Wrap-around: a circular convolution that is too short
# --------------------------------------------------------------------------

class _Wraparound:
    """The two panels of the wrap-around picture; ``update(N)`` changes the length."""

    def __init__(self, a, v, figsize, dpi):
        self.a = _real_vector("a", a, max_len=_MAX_WRAP_LEN)
        self.v = _real_vector("v", v, max_len=_MAX_WRAP_LEN)
        self.full = np.convolve(self.a, self.v)
        self.K = self.full.shape[0]
        self.minimum = max(self.a.shape[0], self.v.shape[0])
        self.fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        self.top, self.bottom = self.fig.subplots(2, 1, sharex=True)
        values = np.concatenate([self.full, [0.0]])
        hi = max(float(np.max(values)), 0.0)
        lo = min(float(np.min(values)), 0.0)
        # a wrapped output can reach the sum of two outputs
        self.ylim_top = (lo - 0.08 * (hi - lo or 1), hi + 0.3 * (hi - lo or 1))
        self.ylim_bottom = (2 * lo - 0.1 * (hi - lo or 1), 2 * hi + 0.35 * (hi - lo or 1))
        self.circular = None
        self.xmax = 0          # an animation fixes the x-axis to its longest frame

    def check_length(self, N):
        N = check_int("n", N, minimum=1)
        if N < self.minimum:
            raise ValueError(
                f"n must be an integer >= max(len(a), len(v)) = {self.minimum}, got {N}: "
                "the inputs are zero-padded to length n, not truncated."
            )
        if N > 2 * self.K + 8:
            raise ValueError(
                f"n must be at most 2 * (len(a) + len(v) - 1) + 8 = {2 * self.K + 8} "
                f"for a readable figure, got {N}."
            )
        return N

    def update(self, N):
        N = self.check_length(N)
        K, full = self.K, self.full
        # the circular convolution, computed the way an FFT computes it
        circ = np.fft.irfft(np.fft.rfft(self.a, N) * np.fft.rfft(self.v, N), N)
        self.circular = circ
        wrapped = np.zeros(N)
        tail = full[N:]                                   # outputs N .. K-1 of the linear result
        wrapped[: tail.shape[0]] += tail                  # ... land on outputs 0 .. K-N-1
        head = np.zeros(N)
        head[: min(N, K)] = full[: min(N, K)]
        n_wrong = max(0, K - N)

        top, bottom = self.top, self.bottom
        top.clear()
        bottom.clear()
        idx = np.arange(K)
        colors = [TAIL_COLOR if i >= N else HEAD_COLOR for i in idx]
        top.bar(idx, full, color=colors, width=0.8, gid="linear")
        top.axhline(0, color="0.6", lw=0.8)
        if N < K:
            top.axvspan(N - 0.5, K - 0.5, color=TAIL_COLOR, alpha=0.12, lw=0)
            top.text((N + K - 1) / 2, self.ylim_top[1] * 0.93, "tail: outputs $\\geq L$",
                     ha="center", va="top", color=TAIL_COLOR, fontsize=9)
        top.axvline(N - 0.5, color="0.3", ls="--", lw=1)
        top.set_ylim(*self.ylim_top)
        top.set_title(f"linear convolution $a * v$: {K} outputs")

        bottom.bar(np.arange(N), head, color=HEAD_COLOR, width=0.8, gid="head",
                   label="linear output $y_k$")
        if n_wrong:
            bottom.bar(np.arange(N), wrapped, bottom=head, color=TAIL_COLOR, width=0.8,
                       gid="wrapped", label="wrapped tail $y_{k+L}$")
        bottom.plot(np.arange(N), circ, "o", color="k", ms=3.5, gid="circular",
                    label="circular (by FFT)")
        if n_wrong:
            # the tail, outside the circle of length N, and where it goes
            bottom.bar(np.arange(N, K), tail, color=TAIL_COLOR, alpha=0.3, width=0.8,
                       hatch="//", edgecolor=TAIL_COLOR, lw=0, gid="tail ghost")
            y_arrow = self.ylim_bottom[1] * 0.6
            bottom.annotate("", xy=((n_wrong - 1) / 2, y_arrow), xytext=((N + K - 1) / 2, y_arrow),
                            arrowprops=dict(arrowstyle="->", color=TAIL_COLOR, lw=1.5,
                                            connectionstyle="arc3,rad=-0.08"))
            bottom.text((N + K - 1) / 2, y_arrow, f"index $k \\to k - {N}$", color=TAIL_COLOR,
                        ha="center", va="bottom", fontsize=9)
        bottom.axhline(0, color="0.6", lw=0.8)
        bottom.axvline(N - 0.5, color="0.3", ls="--", lw=1)
        if n_wrong:
            bottom.axvspan(-0.5, n_wrong - 0.5, color=WRONG_COLOR, alpha=0.08, lw=0)
        bottom.set_ylim(*self.ylim_bottom)
        state = (f"{n_wrong} output{'s' if n_wrong != 1 else ''} corrupted"
                 if n_wrong else "no wrap-around: equal to the linear convolution")
        bottom.set_title(f"circular convolution of length $L = {N}$: {state}")
        bottom.set_xlabel("output index $k$")
        bottom.legend(loc="upper right", fontsize="small", ncols=3, frameon=False)
        bottom.set_xlim(-0.8, max(K, N, self.xmax) - 0.2)
        return circ


def wraparound_figure(a, v, n, *, figsize=(8.0, 5.0), dpi=80):
    r"""Linear convolution against a circular convolution of length n: the wrap-around error.

    The FFT of length n computes the *circular* convolution of the
    zero-padded inputs,

    .. math::

        c_k = \sum_{r \ge 0} y_{k + rn}, \qquad y = a * v \ (\text{linear, length } K = M + N - 1),

    so when :math:`n < K` the tail :math:`y_n, \dots, y_{K-1}` is added onto
    the head :math:`y_0, \dots, y_{K-n-1}`, and only those K - n outputs are
    wrong.  Top panel: the linear convolution, its tail (outputs
    :math:`\ge n`) in another colour.  Bottom panel: the circular result (dots,
    computed by ``numpy.fft``), as the linear output (bars) plus the wrapped
    tail stacked on it.

    Parameters
    ----------
    a, v : array_like
        Real 1-D sequences (at most 400 values each), of lengths M and N.
    n : int
        The transform length, ``max(M, N) <= n <= 2 K + 8``.

    figsize : (float, float), optional
        Figure size.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes.  gids: ``'linear'`` (bars of ``a * v``), ``'head'`` (bars
        of the linear outputs ``0 .. n-1``), ``'wrapped'`` (the tail stacked
        on them, when ``n < K``) and ``'circular'`` (the dots: the circular
        convolution computed by FFT).

    Raises
    ------
    TypeError
        If an input does not hold real numbers, or ``n`` is not an integer.
    ValueError
        If an input is empty, not 1-D, too long or not finite, or ``n`` is out
        of range.

    Notes
    -----
    True convolution, numpy's 'full' output.  "Length n" is the total length
    after zero padding (not padding per side); the figure's labels call it
    L, as chapter 4 does, since N is the length of ``v`` there.  With
    :math:`n \ge K` nothing wraps: zero padding to at least
    :math:`M + N - 1` is what makes the FFT compute the linear convolution.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_fourier import wraparound_figure
    >>> fig = wraparound_figure([1, 2, 3], [1, 1, 1], 4)     # K = 5: one output wraps
    >>> dots = [l for l in fig.axes[1].get_lines() if l.get_gid() == "circular"][0]
    >>> print(np.round(dots.get_ydata(), 12))       # [1, 3, 6, 5] + [3, 0, 0, 0]
    [4. 3. 6. 5.]
    """
    picture = _Wraparound(a, v, figsize, dpi)
    picture.update(n)
    return picture.fig


def wraparound_animation(a, v, lengths=None, *, interval=700, figsize=(8.0, 5.0), dpi=72):
    """Sweep the transform length: the wrap-around shrinks until padding is long enough.

    Each frame is :func:`wraparound_figure` for one length n in ``lengths``.

    Parameters
    ----------
    a, v : array_like
        Real 1-D sequences (at most 400 values each).
    lengths : sequence of int, optional
        The lengths, one per frame (1 to 60 of them, each valid for
        :func:`wraparound_figure`); default ``max(M, N)`` up to ``M + N``.
    interval : float, optional
        Milliseconds between frames.
    figsize, dpi
        As in :func:`wraparound_figure`.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation (its figure is not registered with pyplot); show it
        with :func:`convbook.plotting.animation_html`.

    Raises
    ------
    TypeError
        As :func:`wraparound_figure`; or ``lengths`` is not a sequence.
    ValueError
        As :func:`wraparound_figure`; or there are no lengths or more than 60.

    Notes
    -----
    True convolution; lengths are total lengths after zero padding.

    Examples
    --------
    >>> from convbook._plotting_fourier import wraparound_animation
    >>> from convbook.plotting import animation_html
    >>> anim = wraparound_animation([1, 2, 3], [1, 1], dpi=30)   # lengths 3, 4, 5
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", animation_html(anim)))
    3
    """
    picture = _Wraparound(a, v, figsize, dpi)
    if lengths is None:
        lengths = list(range(picture.minimum, picture.K + 2))
    if isinstance(lengths, (str, bytes)) or not hasattr(lengths, "__len__"):
        raise TypeError(f"lengths must be a sequence of integers, got {describe(lengths)}.")
    if not 1 <= len(lengths) <= 60:
        raise ValueError(f"lengths must hold 1 to 60 transform lengths (one frame each), got {len(lengths)}.")
    lengths = [picture.check_length(N) for N in lengths]
    picture.xmax = max(lengths)
    interval = _check_interval(interval)
    picture.update(lengths[0])

    def frame(i):
        picture.update(lengths[i])

    return FuncAnimation(picture.fig, frame, frames=len(lengths), interval=interval, blit=False,
                         repeat=True)


# --------------------------------------------------------------------------
# The butterfly diagram of the radix-2 FFT
# --------------------------------------------------------------------------

class ButterflyStep(NamedTuple):
    """One butterfly of the iterative radix-2 FFT (see :func:`butterfly_steps`)."""

    stage: int          #: 1 .. log2(n); stage s builds DFTs of length 2**s
    top: int            #: the upper wire (row) of the butterfly
    bottom: int         #: the lower wire, ``top + 2**(s-1)``
    k: int              #: the twiddle exponent: the factor is omega_size**k
    size: int           #: 2**s
    values: np.ndarray  #: all n wire values right after this butterfly (a copy)


class ButterflyTrace(NamedTuple):
    """Every state of the iterative radix-2 FFT of one input (see :func:`butterfly_steps`)."""

    order: np.ndarray        #: input index on each wire: bit-reversed order
    start: np.ndarray        #: the wire values before the first butterfly, ``x[order]``
    steps: tuple             #: the ButterflySteps, in the order they are computed


def _bit_reversed(n: int) -> np.ndarray:
    bits = n.bit_length() - 1
    return np.array([int(format(i, f"0{bits}b")[::-1], 2) if bits else 0 for i in range(n)])


def butterfly_steps(x):
    r"""Run the iterative radix-2 Cooley--Tukey FFT one butterfly at a time, recording every state.

    The samples are put in bit-reversed order; then for the stages
    :math:`s = 1, \dots, \log_2 n` (building DFTs of length
    :math:`m = 2^s` from pairs of length :math:`m/2`) every pair of wires
    ``(top, bottom = top + m/2)`` goes through the butterfly

    .. math::

        (a, b) \mapsto (a + \omega_m^k\, b,\ a - \omega_m^k\, b), \qquad
        \omega_m = e^{-2\pi i/m},\ k = \text{top} \bmod m .

    After the last butterfly the wires hold :math:`X = \mathrm{DFT}(x)` in
    natural order.

    Parameters
    ----------
    x : array_like
        A 1-D sequence of numbers (real or complex) whose length is a power of
        two, at most 1024.

    Returns
    -------
    ButterflyTrace
        ``order`` (the input index on each wire), ``start`` (``x[order]`` as
        complex128) and ``steps``, a tuple of :math:`(n/2)\log_2 n`
        :class:`ButterflyStep` (stage, top, bottom, k, size, values).

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty, not 1-D, or its length is not a power of two or
        exceeds 1024.

    Notes
    -----
    numpy's convention (:math:`\omega = e^{-2\pi i/n}`, unscaled), so
    ``trace.steps[-1].values`` equals ``numpy.fft.fft(x)`` up to rounding.
    This is the same algorithm as :func:`convbook.fourier.fft_iterative`,
    one butterfly at a time instead of one vectorised stage at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_fourier import butterfly_steps
    >>> trace = butterfly_steps([1, 2, 3, 4])
    >>> trace.order.tolist()
    [0, 2, 1, 3]
    >>> [(s.stage, s.top, s.bottom, s.k) for s in trace.steps]
    [(1, 0, 1, 0), (1, 2, 3, 0), (2, 0, 2, 0), (2, 1, 3, 1)]
    >>> print(np.round(trace.steps[-1].values, 12))
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    """
    arr = as_numeric_array("x", x, ndim=1)
    try:
        arr = arr.astype(np.complex128)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"x must hold numbers convertible to complex, got {describe(x)}.") from None
    n = arr.shape[0]
    if n & (n - 1):
        raise ValueError(f"len(x) must be a power of two, got {n}.")
    if n > _MAX_TRACE_N:
        raise ValueError(f"len(x) must be at most {_MAX_TRACE_N} to record every butterfly, got {n}.")
    order = _bit_reversed(n)
    wires = arr[order].copy()
    start = wires.copy()
    steps = []
    size = 2
    stage = 1
    while size <= n:
        half = size // 2
        for group in range(0, n, size):
            for k in range(half):
                top, bottom = group + k, group + k + half
                w = np.exp(-2j * np.pi * k / size)
                a, b = wires[top], w * wires[bottom]
                wires[top], wires[bottom] = a + b, a - b
                steps.append(ButterflyStep(stage, top, bottom, k, size, wires.copy()))
        size *= 2
        stage += 1
    return ButterflyTrace(order, start, tuple(steps))


def _draw_butterflies(ax, n: int, trace: ButterflyTrace | None, step: int, x_given: bool,
                      highlight: bool = True):
    """Draw the butterfly network of size n on ``ax``; if a trace is given, the values after ``step``."""
    stages = n.bit_length() - 1
    gap = 3.2 if x_given else 2.4
    col_x = [gap * s for s in range(stages + 1)]
    row_y = lambda r: n - 1 - r  # noqa: E731  (row 0 at the top)
    # the state of every column after `step` butterflies
    known = np.zeros((stages + 1, n), dtype=bool)
    known[0] = True
    values = np.full((stages + 1, n), np.nan, dtype=complex)
    order = _bit_reversed(n)
    if trace is not None:
        values[0] = trace.start
    active = None
    all_steps = trace.steps if trace is not None else _network(n)
    for i, st in enumerate(all_steps):
        if i >= step:
            break
        known[st.stage, [st.top, st.bottom]] = True
        if trace is not None:
            values[st.stage, st.top] = st.values[st.top]
            values[st.stage, st.bottom] = st.values[st.bottom]
        active = st if (i == step - 1 and highlight) else active

    for st in all_steps:
        s, top, bottom = st.stage, st.top, st.bottom
        x0, x1 = col_x[s - 1], col_x[s]
        done = known[s, top]
        is_active = active is not None and (s, top) == (active.stage, active.top)
        color = ACTIVE_COLOR if is_active else (DONE_COLOR if done else WIRE_COLOR)
        lw = 2.4 if is_active else (1.2 if done else 0.9)
        gid = "active" if is_active else None
        for r0, r1 in ((top, top), (bottom, top), (top, bottom), (bottom, bottom)):
            ax.plot([x0, x1], [row_y(r0), row_y(r1)], color=color, lw=lw, zorder=2 if not is_active else 4,
                    solid_capstyle="round", gid=gid)
        # twiddle factor on the lower input, minus sign on the lower output
        tx = x0 + 0.16 * (x1 - x0)
        ax.text(tx, row_y(bottom) + 0.16, f"$\\omega_{{{st.size}}}^{{{st.k}}}$", fontsize=9.5,
                color=color if is_active else "0.25", ha="left", va="bottom", zorder=5)
        ax.text(x1 - 0.12 * (x1 - x0), row_y(bottom) - 0.12, "$-$", fontsize=9,
                color=color if is_active else "0.25", ha="center", va="top", zorder=5)

    for s in range(stages + 1):
        for r in range(n):
            filled = known[s, r]
            ax.plot(col_x[s], row_y(r), "o", ms=6, zorder=6,
                    color=(ACTIVE_COLOR if active is not None and s == active.stage and
                           r in (active.top, active.bottom) else ("k" if filled else "white")),
                    markeredgecolor="k", gid=f"node {s} {r}")
            if trace is not None and filled and x_given:
                ax.text(col_x[s], row_y(r) + 0.2, _fmt_complex(values[s, r]), fontsize=8.5,
                        ha="center", va="bottom", zorder=7,
                        bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))
    for r in range(n):
        ax.text(col_x[0] - 0.25, row_y(r), f"$x_{{{order[r]}}}$", ha="right", va="center", fontsize=10)
        ax.text(col_x[-1] + 0.25, row_y(r), f"$X_{{{r}}}$", ha="left", va="center", fontsize=10)
    for s in range(stages + 1):
        label = "input\n(bit-reversed)" if s == 0 else f"stage {s}\nDFTs of length {2 ** s}"
        ax.text(col_x[s], n - 0.35, label, ha="center", va="bottom", fontsize=8.5)
    ax.set_xlim(col_x[0] - 1.0, col_x[-1] + 1.0)
    ax.set_ylim(-0.7, n + 0.45)
    ax.set_axis_off()
    return active


class _NetStep(NamedTuple):
    stage: int
    top: int
    bottom: int
    k: int
    size: int


def _network(n: int):
    """The butterflies of the radix-2 network, without values."""
    out = []
    size, stage = 2, 1
    while size <= n:
        half = size // 2
        for group in range(0, n, size):
            for k in range(half):
                out.append(_NetStep(stage, group + k, group + k + half, k, size))
        size *= 2
        stage += 1
    return out


def _butterfly_input(x, n):
    """(n, trace or None) from the arguments of butterfly_figure / animation."""
    if x is None:
        n = check_int("n", n, minimum=2)
        if n & (n - 1) or n > _MAX_BUTTERFLY_N:
            raise ValueError(
                f"n must be a power of two between 2 and {_MAX_BUTTERFLY_N} for a readable diagram, got {n}."
            )
        return n, None
    trace = butterfly_steps(x)
    n = trace.start.shape[0]
    if n < 2 or n > _MAX_BUTTERFLY_N:
        raise ValueError(
            f"len(x) must be a power of two between 2 and {_MAX_BUTTERFLY_N} for a readable diagram, got {n}."
        )
    return n, trace


def _butterfly_title(n, trace, step, active):
    total = (n // 2) * (n.bit_length() - 1)
    if active is None and step == total and trace is not None:
        return f"radix-2 FFT of length {n}: {total} butterflies; $X = \\mathrm{{DFT}}(x)$ on the right"
    if step == 0:
        return f"radix-2 FFT of length {n}: {total} butterflies" + (
            "; the inputs in bit-reversed order" if trace is not None else "")
    a = active
    text = (f"butterfly {step} of {total} (stage {a.stage}): "
            f"wires {a.top}, {a.bottom} $\\leftarrow$ $a \\pm \\omega_{{{a.size}}}^{{{a.k}}} b$")
    if step == total and trace is not None:
        text += ": done, $X = \\mathrm{DFT}(x)$"
    return text


def butterfly_figure(x=None, *, n=8, step=None, figsize=None, dpi=80):
    r"""The butterfly diagram of the radix-2 Cooley--Tukey FFT, optionally with its values.

    Wires run left to right, one per sample; the inputs enter in bit-reversed
    order on the left and the DFT :math:`X_0, \dots, X_{n-1}` leaves in
    natural order on the right.  Between the columns, stage s combines pairs
    of DFTs of length :math:`2^{s-1}` into DFTs of length :math:`m = 2^s`
    with butterflies

    .. math::

        (a, b) \mapsto (a + \omega_m^k b,\ a - \omega_m^k b),
        \qquad \omega_m = e^{-2\pi i/m},

    drawn as a cross of four lines; the factor :math:`\omega_m^k` (the
    *twiddle factor*) is written on the lower input, the minus sign on the
    lower output.

    Parameters
    ----------
    x : array_like, optional
        An input whose length is a power of two from 2 to 16.  If given, each
        computed wire value is written next to its node.
    n : int, optional
        The size when ``x`` is omitted (a power of two, 2 to 16).
    step : int, optional
        Show the state after this many butterflies (``0`` to
        :math:`(n/2)\log_2 n`): computed nodes are filled, the last butterfly
        is drawn in red, the others in grey.  Default: all of them, none
        highlighted.
    figsize : (float, float), optional
        Default ``(9, 0.6 n + 1.2)`` with values, narrower without.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.  Node markers carry gids ``'node s r'`` (column s, row r);
        the four lines of the last butterfly carry the gid ``'active'``.

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers, or ``n``/``step`` is not an integer.
    ValueError
        If the length is not a power of two from 2 to 16, or ``step`` is out
        of range.

    Notes
    -----
    numpy's sign convention; decimation in time (the input is split into even
    and odd samples, recursively, which is what puts it in bit-reversed
    order).  Values are written rounded to two decimals, with ``i`` for the
    imaginary unit.

    Examples
    --------
    >>> from convbook._plotting_fourier import butterfly_figure
    >>> fig = butterfly_figure(n=8)
    >>> fig.axes[0].get_title()
    'radix-2 FFT of length 8: 12 butterflies'
    >>> fig = butterfly_figure([1, 1, 1, 1, 0, 0, 0, 0], step=5)
    >>> sum(1 for l in fig.axes[0].get_lines() if l.get_gid() == "active")
    4
    """
    n, trace = _butterfly_input(x, n)
    total = (n // 2) * (n.bit_length() - 1)
    highlight = step is not None
    step = total if step is None else check_int("step", step, minimum=0)
    if step > total:
        raise ValueError(f"step must be an integer between 0 and {total} for n = {n}, got {step}.")
    if figsize is None:
        figsize = (9.0 if trace is not None else 6.5, 0.6 * n + 1.3)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    active = _draw_butterflies(ax, n, trace, step, trace is not None, highlight)
    ax.set_title(_butterfly_title(n, trace, step if (highlight or trace is not None) else 0, active),
                 fontsize=10)
    return fig


def butterfly_animation(x, *, interval=900, figsize=None, dpi=72):
    """Step through the butterflies of the radix-2 FFT of ``x``: one frame per butterfly.

    Frame 0 shows the inputs in bit-reversed order; frame t shows the state
    after t butterflies (:func:`butterfly_figure` with ``step=t``), the t-th
    in red.  For n = 8 that is 13 frames.

    Parameters
    ----------
    x : array_like
        An input whose length is a power of two from 2 to 16.
    interval : float, optional
        Milliseconds between frames.
    figsize : (float, float), optional
        As in :func:`butterfly_figure`.
    dpi : float, optional
        Resolution of the frames.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation (its figure is not registered with pyplot); show it
        with :func:`convbook.plotting.animation_html`.

    Raises
    ------
    TypeError, ValueError
        As :func:`butterfly_figure`.

    Notes
    -----
    The static twin of :func:`convbook._widgets_fourier.butterfly_explorer`.

    Examples
    --------
    >>> from convbook._plotting_fourier import butterfly_animation
    >>> from convbook.plotting import animation_html
    >>> anim = butterfly_animation([1, 2, 3, 4], dpi=30)     # 4 butterflies: 5 frames
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", animation_html(anim)))
    5
    """
    n, trace = _butterfly_input(x, 8)
    interval = _check_interval(interval)
    if figsize is None:
        figsize = (9.0, 0.6 * n + 1.3)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    total = len(trace.steps)

    def frame(t):
        ax.clear()
        active = _draw_butterflies(ax, n, trace, t, True)
        ax.set_title(_butterfly_title(n, trace, t, active), fontsize=10)

    frame(0)
    return FuncAnimation(fig, frame, frames=total + 1, interval=interval, blit=False, repeat=True)


# --------------------------------------------------------------------------
# Measured timings and counts on log-log axes
# --------------------------------------------------------------------------

def _positive_series(name: str, value, size: int) -> np.ndarray:
    arr = _real_vector(name, value)
    if arr.shape[0] != size:
        raise ValueError(f"{name} must have one value per x, {size}, got {arr.shape[0]}.")
    if np.any(arr <= 0):
        raise ValueError(f"{name} must hold positive values for log-log axes, got {describe(value)}.")
    return arr


def loglog_figure(x, measured, *, predicted=None, crossover=None, crossover_label=None,
                  xlabel="size", ylabel="time (s)", title=None, ax=None, figsize=(6.4, 4.0), dpi=80):
    """Measured series (markers) and predicted ones (dashed lines) on log-log axes.

    For timings (seconds against a size) and operation counts: power laws are
    straight lines, their slope is the exponent, and where two curves cross
    one method overtakes the other.

    Parameters
    ----------
    x : array_like
        Positive sizes, 1-D (at least two).
    measured : dict
        ``{label: values}``, one positive value per size; drawn as markers
        joined by thin lines.
    predicted : dict, optional
        ``{label: values}`` or ``{label: (values, legend_text)}``, drawn as
        dashed lines; a label that is also in ``measured`` gets the same
        colour (and the legend text ``"<label> (predicted)"`` unless one is
        given).
    crossover : float, optional
        A size to mark with a vertical dotted line (e.g. where two measured
        curves cross).
    crossover_label : str, optional
        The legend text of that line (default ``"crossover"``).
    xlabel, ylabel, title : str, optional
        Labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.  Lines carry gids ``'measured <label>'``,
        ``'predicted <label>'`` and ``'crossover'``.

    Raises
    ------
    TypeError
        If ``measured``/``predicted`` is not a dict, or values are not real.
    ValueError
        If sizes or values are not positive and finite, lengths differ, or
        ``crossover`` is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_fourier import loglog_figure
    >>> n = np.array([8, 64, 512, 4096])
    >>> fig = loglog_figure(n, {"DFT: n^2": n**2.0}, predicted={"FFT: n log2 n": n * np.log2(n)},
    ...                     crossover=2, ylabel="multiplications")
    >>> sorted(l.get_gid() for l in fig.axes[0].get_lines())
    ['crossover', 'measured DFT: n^2', 'predicted FFT: n log2 n']
    """
    xs = _real_vector("x", x)
    if xs.shape[0] < 2:
        raise ValueError(f"x must hold at least two sizes, got {xs.shape[0]}.")
    if np.any(xs <= 0):
        raise ValueError(f"x must hold positive sizes for log-log axes, got {describe(x)}.")
    if not isinstance(measured, dict) or not measured:
        raise TypeError(f"measured must be a non-empty dict {{label: values}}, got {describe(measured)}.")
    if predicted is not None and not isinstance(predicted, dict):
        raise TypeError(f"predicted must be a dict {{label: values}} or None, got {describe(predicted)}.")
    series = {str(k): _positive_series(f"measured[{k!r}]", v, xs.shape[0]) for k, v in measured.items()}
    guesses, legends = {}, {}
    for k, v in (predicted or {}).items():
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], str):
            v, legends[str(k)] = v
        guesses[str(k)] = _positive_series(f"predicted[{k!r}]", v, xs.shape[0])
    if crossover is not None:
        if isinstance(crossover, (bool, np.bool_)) or not isinstance(crossover, numbers.Real):
            raise TypeError(f"crossover must be a positive number or None, got {describe(crossover)}.")
        if not (math.isfinite(float(crossover)) and crossover > 0):
            raise ValueError(f"crossover must be a positive number or None, got {crossover!r}.")
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    colors = {}
    for i, label in enumerate(list(series) + [g for g in guesses if g not in series]):
        colors[label] = f"C{i % 10}"
    for label, ys in series.items():
        ax.loglog(xs, ys, "o-", color=colors[label], lw=1, ms=5, label=label, gid=f"measured {label}")
    for label, ys in guesses.items():
        text = legends.get(label, f"{label} (predicted)" if label in series else label)
        ax.loglog(xs, ys, "--", color=colors[label], lw=1.5, label=text, gid=f"predicted {label}")
    if crossover is not None:
        ax.axvline(float(crossover), color="0.2", ls=":", lw=1.5, gid="crossover",
                   label="crossover" if crossover_label is None else str(crossover_label))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.grid(True, which="major", color="0.9")
    ax.legend(fontsize="small")
    return fig
