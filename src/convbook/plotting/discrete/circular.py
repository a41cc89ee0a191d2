"""Figures of chapter 2's lesson "Circular convolution and correlation".

Lesson ``02-discrete/circular``: :func:`wraparound_figure` draws circular
convolution as the linear one with its tail wrapped around to the start.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from convbook import discrete
from convbook._validation import describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import CURRENT_COLOR, OUTPUT_COLOR, _MAX_SAMPLES, _floats, _sequence, _span, _stems

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["wraparound_figure"]


# --------------------------------------------------------------------------
# Circular convolution: the wrap-around
# --------------------------------------------------------------------------

def wraparound_figure(a: ArrayLike, v: ArrayLike, n: int | None = None, *, figsize: tuple[float, float] = (8.0, 5.2),
                      dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.discrete import wraparound_figure
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
