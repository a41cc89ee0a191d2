"""Figures of chapter 4's lesson "Linear convolution by FFT".

Lesson ``04-fft/linear-by-fft``: the wrap-around error of a circular
convolution that is too short to hold the linear one
(:func:`wraparound_figure`), swept over the transform length by
:func:`wraparound_animation` (the static twin of
:func:`convbook.widgets.fourier.wraparound_explorer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation

from convbook._validation import check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import HEAD_COLOR, TAIL_COLOR, WRONG_COLOR, _MAX_WRAP_LEN, _check_interval, _real_vector

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["wraparound_figure", "wraparound_animation"]


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


class _LiveWraparound(_Wraparound):
    """The wrap-around picture built once for every length up to ``xmax``; ``update(N)`` moves it.

    The same panels as :class:`_Wraparound` (which clears and redraws its
    axes for each length, as the static animation does), for a live
    explorer: every bar, line, label and both legends are made once, on an
    x-axis fixed to ``xmax``; a step changes bar colours, heights and
    visibility, moves the markers of the length and the arrow, and rewrites
    the title.  ``moving()`` lists what a step may change.
    """

    def __init__(self, a, v, figsize, dpi, xmax):
        super().__init__(a, v, figsize, dpi)
        K, full, top, bottom = self.K, self.full, self.top, self.bottom
        self.xmax = xmax = self.check_length(xmax)
        idx = np.arange(K)
        self.linear = top.bar(idx, full, color=HEAD_COLOR, width=0.8, gid="linear")
        top.axhline(0, color="0.6", lw=0.8)
        self.tail_span = top.axvspan(0, 1, color=TAIL_COLOR, alpha=0.12, lw=0)
        self.tail_text = top.text(0, self.ylim_top[1] * 0.93, "tail: outputs $\\geq L$",
                                  ha="center", va="top", color=TAIL_COLOR, fontsize=9)
        self.top_line = top.axvline(0, color="0.3", ls="--", lw=1)
        top.set_ylim(*self.ylim_top)
        top.set_title(f"linear convolution $a * v$: {K} outputs")

        slots = np.arange(xmax)
        self.head = bottom.bar(slots, np.zeros(xmax), color=HEAD_COLOR, width=0.8, gid="head",
                               label="linear output $y_k$")
        self.wrapped = bottom.bar(slots, np.zeros(xmax), color=TAIL_COLOR, width=0.8, gid="wrapped",
                                  label="wrapped tail $y_{k+L}$")
        (self.circ_dots,) = bottom.plot([], [], "o", color="k", ms=3.5, gid="circular",
                                        label="circular (by FFT)")
        self.ghost = bottom.bar(idx, full, color=TAIL_COLOR, alpha=0.3, width=0.8, hatch="//",
                                edgecolor=TAIL_COLOR, lw=0, gid="tail ghost")
        self.y_arrow = self.ylim_bottom[1] * 0.6
        self.arrow = bottom.annotate("", xy=(0, self.y_arrow), xytext=(1, self.y_arrow),
                                     arrowprops=dict(arrowstyle="->", color=TAIL_COLOR, lw=1.5,
                                                     connectionstyle="arc3,rad=-0.08"))
        self.arrow_text = bottom.text(0, self.y_arrow, "", color=TAIL_COLOR, ha="center", va="bottom",
                                      fontsize=9)
        bottom.axhline(0, color="0.6", lw=0.8)
        self.bottom_line = bottom.axvline(0, color="0.3", ls="--", lw=1)
        self.wrong_span = bottom.axvspan(-0.5, 0.5, color=WRONG_COLOR, alpha=0.08, lw=0)
        bottom.set_ylim(*self.ylim_bottom)
        self.bottom_title = bottom.set_title(" ")
        bottom.set_xlabel("output index $k$")
        from matplotlib.legend import Legend

        legends = []
        for handles in ((self.circ_dots, self.head, self.wrapped), (self.circ_dots, self.head)):
            legend = Legend(bottom, handles, [h.get_label() for h in handles], loc="upper right",
                            fontsize="small", ncols=3, frameon=False)
            bottom.add_artist(legend)
            legends.append(legend)
        self.legends = legends
        bottom.set_xlim(-0.8, max(K, xmax) - 0.2)

    def moving(self):
        """The artists that :meth:`update` may change."""
        return [*self.linear, self.tail_span, self.tail_text, self.top_line, *self.head, *self.wrapped,
                self.circ_dots, *self.ghost, self.arrow, self.arrow_text, self.bottom_line,
                self.wrong_span, self.bottom_title, *self.legends]

    def update(self, N):
        N = self.check_length(N)
        if N > self.xmax:
            raise ValueError(f"n must be at most {self.xmax} in this picture, got {N}.")
        K, full = self.K, self.full
        circ = np.fft.irfft(np.fft.rfft(self.a, N) * np.fft.rfft(self.v, N), N)
        self.circular = circ
        wrapped = np.zeros(N)
        tail = full[N:]
        wrapped[: tail.shape[0]] += tail
        head = np.zeros(N)
        head[: min(N, K)] = full[: min(N, K)]
        n_wrong = max(0, K - N)

        for i, bar in enumerate(self.linear):
            bar.set_facecolor(TAIL_COLOR if i >= N else HEAD_COLOR)
        self.tail_span.set_visible(N < K)
        self.tail_span.set_x(N - 0.5)
        self.tail_span.set_width(K - N)
        self.tail_text.set_visible(N < K)
        self.tail_text.set_x((N + K - 1) / 2)
        self.top_line.set_xdata([N - 0.5, N - 0.5])

        for i, (h, w) in enumerate(zip(self.head, self.wrapped)):
            inside = i < N
            h.set_visible(inside)
            w.set_visible(inside and n_wrong > 0)
            if inside:
                h.set_height(head[i])
                w.set_y(head[i])
                w.set_height(wrapped[i])
        self.circ_dots.set_data(np.arange(N), circ)
        for i, bar in enumerate(self.ghost):
            bar.set_visible(N <= i < K)
        self.arrow.set_visible(n_wrong > 0)
        self.arrow_text.set_visible(n_wrong > 0)
        if n_wrong:
            self.arrow.xy = ((n_wrong - 1) / 2, self.y_arrow)
            self.arrow.set_position(((N + K - 1) / 2, self.y_arrow))
            self.arrow_text.set_x((N + K - 1) / 2)
            self.arrow_text.set_text(f"index $k \\to k - {N}$")
        self.bottom_line.set_xdata([N - 0.5, N - 0.5])
        self.wrong_span.set_visible(n_wrong > 0)
        self.wrong_span.set_width(n_wrong)
        state = (f"{n_wrong} output{'s' if n_wrong != 1 else ''} corrupted"
                 if n_wrong else "no wrap-around: equal to the linear convolution")
        self.bottom_title.set_text(f"circular convolution of length $L = {N}$: {state}")
        self.legends[0].set_visible(n_wrong > 0)
        self.legends[1].set_visible(n_wrong == 0)
        return circ


def wraparound_figure(a: ArrayLike, v: ArrayLike, n: int, *, figsize: tuple[float, float] = (8.0, 5.0),
                      dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.fourier import wraparound_figure
    >>> fig = wraparound_figure([1, 2, 3], [1, 1, 1], 4)     # K = 5: one output wraps
    >>> dots = [l for l in fig.axes[1].get_lines() if l.get_gid() == "circular"][0]
    >>> print(np.round(dots.get_ydata(), 12))       # [1, 3, 6, 5] + [3, 0, 0, 0]
    [4. 3. 6. 5.]
    """
    picture = _Wraparound(a, v, figsize, dpi)
    picture.update(n)
    return picture.fig


def wraparound_animation(a: ArrayLike, v: ArrayLike, lengths: Sequence[int] | None = None, *,
                         interval: float = 500, figsize: tuple[float, float] = (8.0, 5.0),
                         dpi: float = 72) -> FuncAnimation:
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
    >>> from convbook.plotting.fourier import wraparound_animation
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
