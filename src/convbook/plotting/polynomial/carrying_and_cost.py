"""Figures of chapter 3's lesson "Carrying, bases and the cost of multiplying".

Lesson ``03-polynomial/carrying-and-cost`` (and, first, the carries of
``03-polynomial/long-multiplication``):

* :func:`carry_trace`, :func:`carry_figure`, :func:`carry_animation` -- the
  carries that turn the convolution ``(14, 34, 14, 4)`` into the digits of
  ``5754``, one column at a time (:class:`CarryStep` is one column);
* :func:`fit_loglog` and :func:`timing_figure` -- measured running times on
  log-log axes, with fitted slopes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation

from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import (
    F_COLOR, G_COLOR, LINE_COLOR, _check_figsize, _check_positive, _figure_and_axes, _new_figure,
)

from ._common import _CARRY_MAX, _check_base, _exact_sequence

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["CarryStep", "carry_trace", "carry_figure", "carry_animation", "fit_loglog", "timing_figure"]


# --------------------------------------------------------------------------
# Carrying, step by step
# --------------------------------------------------------------------------

class CarryStep(NamedTuple):
    """One state of the carrying of a coefficient sequence (see :func:`carry_trace`).

    Attributes
    ----------
    position : int
        The column just settled (``-1`` before the first step).
    coefficients : tuple of int
        The columns, lowest first, extended with zeros as carries spill over.
    digits : tuple of int
        The digits settled so far, lowest first (``len(digits) == position + 1``).
    carry_in : int
        The carry that entered column ``position`` (0 at the start).
    carry_out : int
        The carry that leaves column ``position`` for the next one.
    """

    position: int
    coefficients: tuple
    digits: tuple
    carry_in: int
    carry_out: int


def carry_trace(coefficients: Sequence[int], base: int = 10) -> list[CarryStep]:
    """Carry a sequence of column sums into digits, recording every step.

    Column ``k`` holds ``c[k]`` plus the carry from column ``k - 1``; it keeps

    .. math:: d_k = (c_k + r_{k-1}) \\bmod B, \\qquad
              r_k = \\lfloor (c_k + r_{k-1}) / B \\rfloor ,

    with ``r_{-1} = 0`` and ``B`` the base, and passes ``r_k`` on.  When the
    columns run out and a carry is left, new columns (holding 0) are added
    until it is used up.  Leading zero digits are kept, so the trace of
    ``[0]`` is one step that settles the digit 0.

    Parameters
    ----------
    coefficients : sequence of int
        Non-negative column sums, lowest first, e.g. the convolution of two
        digit sequences.  Any size (Python ints).
    base : int, optional
        The base ``B >= 2``.

    Returns
    -------
    list of CarryStep
        ``trace[0]`` is the state before any carrying (``position = -1``);
        ``trace[s]`` is the state after column ``s - 1`` is settled; the
        last state holds every digit, and ``sum(d * base**k)`` equals
        ``sum(c * base**k)``.

    Raises
    ------
    TypeError
        If a coefficient is not an integer, or ``base`` is not an integer.
    ValueError
        If ``coefficients`` is empty or not 1-D, a coefficient is negative, or
        ``base < 2``.

    Notes
    -----
    Lowest degree first, as everywhere in chapter 3: ``c[0]`` is the units
    column.  This is the didactic loop the carry pictures are drawn from; the
    package function ``convbook.polynomial.carry`` computes the final digits.

    Examples
    --------
    >>> from convbook.plotting.polynomial import carry_trace
    >>> trace = carry_trace([14, 34, 14, 4])
    >>> [(s.position, s.carry_in, s.carry_out) for s in trace[1:]]
    [(0, 0, 1), (1, 1, 3), (2, 3, 1), (3, 1, 0)]
    >>> trace[-1].digits        # 5754, lowest digit first
    (4, 5, 7, 5)
    >>> carry_trace([9, 9, 9])[-1].digits   # 999: nothing to carry
    (9, 9, 9)
    >>> carry_trace([25])[-1].digits        # a carry spills into a new column
    (5, 2)
    """
    columns = _exact_sequence("coefficients", coefficients, nonnegative=True, integer=True)
    base = _check_base(base)
    trace = [CarryStep(-1, tuple(columns), (), 0, 0)]
    digits: list[int] = []
    carry = 0
    k = 0
    while k < len(columns) or carry:
        if k == len(columns):
            columns.append(0)          # a carry spills over: a new column
        total = columns[k] + carry
        digit, carry_out = total % base, total // base
        digits.append(digit)
        trace.append(CarryStep(k, tuple(columns), tuple(digits), carry, carry_out))
        carry = carry_out
        k += 1
    return trace


class _CarryPicture:
    """The carry table: columns, carries, digits; ``update(step)`` redraws it."""

    def __init__(self, coefficients, base, *, title, figsize, dpi, ax=None):
        self.trace = carry_trace(coefficients, base)
        self.base = base
        self.width = len(self.trace[-1].coefficients)
        if self.width > _CARRY_MAX:
            raise ValueError(
                f"coefficients need {self.width} columns once carried; at most {_CARRY_MAX} "
                "fit in a readable picture."
            )
        if ax is None:
            self.fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
            self.ax = self.fig.subplots()
        else:
            self.fig, self.ax = _figure_and_axes(ax, figsize, dpi)
        self.title = title

    def x_of(self, k):
        """Columns are drawn most significant on the left, as numbers are written."""
        return self.width - 1 - k

    def update(self, step):
        from matplotlib.patches import FancyArrowPatch, Rectangle

        ax, base, width = self.ax, self.base, self.width
        ax.clear()
        state = self.trace[step]
        rows = {"columns": 2.0, "carry": 1.0, "digits": 0.0}
        base_text = "10" if base == 10 else str(base)
        for k in range(width):
            x = self.x_of(k)
            current = k == state.position
            done = k < state.position
            value = state.coefficients[k] if k < len(state.coefficients) else 0
            # the column sums still to carry (grey once settled)
            ax.add_patch(Rectangle((x - 0.45, rows["columns"] - 0.4), 0.9, 0.8,
                                   facecolor="#ffd1d1" if current else "white",
                                   edgecolor=LINE_COLOR if current else "0.6",
                                   lw=2 if current else 1))
            added = k < len(self.trace[0].coefficients)
            ax.text(x, rows["columns"], str(value) if added or k <= state.position else "",
                    ha="center", va="center", fontsize="large",
                    color="0.6" if done else "black", gid=f"column {k}")
            # the digits settled so far
            ax.add_patch(Rectangle((x - 0.45, rows["digits"] - 0.4), 0.9, 0.8,
                                   facecolor="#d3efd0" if k <= state.position else "white",
                                   edgecolor="0.6", lw=1))
            if k <= state.position:
                ax.text(x, rows["digits"], str(state.digits[k]), ha="center", va="center",
                        fontsize="x-large", fontweight="bold", color="black", gid=f"digit {k}")
            ax.text(x, -0.75, f"${base_text}^{{{k}}}$", ha="center", va="center",
                    fontsize="small", color="0.35")
        # the carry entering the current column, and the one leaving it
        if state.position >= 0:
            x = self.x_of(state.position)
            ax.text(x, rows["carry"], f"+{state.carry_in}" if state.carry_in else "+0",
                    ha="center", va="center", fontsize="large", color=F_COLOR, gid="carry in")
            if state.carry_out:
                arrow = FancyArrowPatch((x - 0.1, rows["carry"] + 0.25),
                                        (x - 0.85, rows["carry"] + 0.25),
                                        arrowstyle="-|>", mutation_scale=14, color=G_COLOR,
                                        connectionstyle="arc3,rad=0.4", lw=2)
                ax.add_patch(arrow)
                ax.text(x - 0.5, rows["carry"] - 0.2, f"carry {state.carry_out}",
                        ha="center", va="center", fontsize="small", color=G_COLOR,
                        gid="carry out")
            total = state.coefficients[state.position] + state.carry_in
            message = (f"column ${base_text}^{{{state.position}}}$: "
                       f"${state.coefficients[state.position]} + {state.carry_in} = {total}"
                       f" = {state.carry_out} \\cdot {base_text} + {state.digits[-1]}$"
                       f"  →  digit {state.digits[-1]}, carry {state.carry_out}")
            if step == len(self.trace) - 1:
                sep = "" if base <= 10 else ","
                message += "\nthe digits read " + sep.join(str(d) for d in reversed(state.digits))
        else:
            message = "the column sums (the convolution), before any carrying"
        ax.text(-0.65, rows["columns"], "sums $c_k$", ha="right", va="center",
                fontsize="medium")
        ax.text(-0.65, rows["carry"], "carry in", ha="right", va="center",
                fontsize="medium", color=F_COLOR)
        ax.text(-0.65, rows["digits"], "digits $d_k$", ha="right", va="center",
                fontsize="medium")
        ax.text((width - 2.9) / 2, -1.4, message, ha="center", va="center", fontsize="medium",
                gid="message")
        ax.set_xlim(-2.5, width - 0.4)
        ax.set_ylim(-2.0, 2.7)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if self.title is not None:
            ax.set_title(str(self.title))
        return state


def carry_figure(coefficients: Sequence[int], step: int | None = None, *, base: int = 10, ax: Axes | None = None,
                 title: str | None = None, figsize: tuple[float, float] = (7.0, 3.2), dpi: float = 80) -> Figure:
    """The carrying of column sums into digits, at one step (see :func:`carry_trace`).

    Three rows of boxes, most significant column on the left as numbers are
    written: the column sums ``c_k`` (the convolution of the digits), the
    carry entering the current column, and the digits settled so far.  At
    step ``s >= 1`` column ``s - 1`` is settled:

    .. math:: c_k + r_{k-1} = r_k \\cdot B + d_k , \\qquad 0 \\le d_k < B .

    Parameters
    ----------
    coefficients : sequence of int
        Non-negative column sums, lowest first.
    step : int, optional
        ``0`` (nothing carried) to ``len(carry_trace(coefficients, base)) - 1``
        (every digit settled, the default).
    base : int, optional
        The base ``B >= 2``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.  Texts carry gids: ``'column k'``, ``'digit k'``,
        ``'carry in'``, ``'carry out'`` and ``'message'``.

    Raises
    ------
    TypeError
        As in :func:`carry_trace`, or if ``step`` is not an integer.
    ValueError
        As in :func:`carry_trace`; if ``step`` is out of range, or the digits
        need more than 14 columns.

    Notes
    -----
    Lowest degree first in the argument, most significant first on the
    picture: ``carry_figure([14, 34, 14, 4])`` shows ``5 7 5 4``.

    Examples
    --------
    >>> from convbook.plotting.polynomial import carry_figure
    >>> fig = carry_figure([14, 34, 14, 4], step=2)
    >>> texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    >>> texts["digit 0"], texts["digit 1"], texts["carry out"]
    ('4', '5', 'carry 3')
    """
    picture = _CarryPicture(coefficients, _check_base(base), title=title, figsize=figsize,
                            dpi=dpi, ax=ax)
    last = len(picture.trace) - 1
    step = last if step is None else check_int("step", step)
    if not 0 <= step <= last:
        raise ValueError(f"step must be an integer from 0 to {last} for these coefficients, got {step}.")
    picture.update(step)
    return picture.fig


def carry_animation(coefficients: Sequence[int], *, base: int = 10, interval: float = 500, title: str | None = None,
                    figsize: tuple[float, float] = (7.0, 3.2), dpi: float = 72) -> FuncAnimation:
    """Animate the carrying of column sums into digits, one column per frame.

    Frame ``s`` is :func:`carry_figure` at step ``s``; there are
    ``len(carry_trace(coefficients, base))`` frames (one more than the number
    of digits).  Show it without a kernel with
    :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    coefficients : sequence of int
        Non-negative column sums, lowest first.
    base : int, optional
        The base ``B >= 2``.
    interval : float, optional
        Delay between frames, in milliseconds.
    title : str, optional
        The axes title.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation; its figure is not registered with pyplot.

    Raises
    ------
    TypeError, ValueError
        As in :func:`carry_figure`, or if ``interval`` is not a positive number.

    Notes
    -----
    Lowest degree first, as in :func:`carry_trace`.  The picture has only a
    few dozen artists, so each frame is drawn from scratch.

    Examples
    --------
    >>> import re
    >>> from convbook.plotting.polynomial import carry_animation
    >>> from convbook.plotting import animation_html
    >>> page = animation_html(carry_animation([14, 34, 14, 4], dpi=30))
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))   # the start and 4 columns
    5
    """
    interval = _check_positive("interval", interval)
    picture = _CarryPicture(coefficients, _check_base(base), title=title, figsize=figsize,
                            dpi=dpi)
    picture.update(0)
    return FuncAnimation(picture.fig, picture.update, frames=len(picture.trace),
                         interval=interval, blit=False, repeat=True)


# --------------------------------------------------------------------------
# Timings on log-log axes
# --------------------------------------------------------------------------

def _check_real_value(name, value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must hold finite numbers, got {value!r}.")
    return value


def _positive_vector(name, value):
    arr = as_numeric_array(name, value, ndim=1)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must hold finite positive numbers, got {describe(value)}.")
    return arr


def fit_loglog(sizes: ArrayLike, times: ArrayLike, *, min_size: float | None = None) -> tuple[float, float]:
    """Fit ``time ≈ C * size**p`` by least squares on log-log axes.

    .. math:: \\log t = \\log C + p \\log n

    Parameters
    ----------
    sizes, times : array_like
        Positive sizes ``n`` and measured times ``t``, of equal length.
    min_size : float, optional
        Use only the sizes ``>= min_size`` (to leave out the small sizes,
        where fixed overheads hide the growth rate).

    Returns
    -------
    (float, float)
        The slope ``p`` and the constant ``C``.

    Raises
    ------
    TypeError
        If ``sizes`` or ``times`` does not hold real numbers.
    ValueError
        If they are not 1-D, differ in length, hold non-positive values, or
        fewer than two sizes are left to fit.

    Notes
    -----
    The fit is ``numpy.polyfit(log n, log t, 1)``; a slope of 2 means that
    doubling ``n`` multiplies the time by 4.

    Examples
    --------
    >>> from convbook.plotting.polynomial import fit_loglog
    >>> p, C = fit_loglog([10, 20, 40, 80], [3e-4, 1.2e-3, 4.8e-3, 1.92e-2])
    >>> round(p, 6), round(C, 9)
    (2.0, 3e-06)
    """
    n = _positive_vector("sizes", sizes)
    t = _positive_vector("times", times)
    if n.shape != t.shape:
        raise ValueError(f"sizes and times must have the same length, got {n.size} and {t.size}.")
    if min_size is not None:
        keep = n >= _check_positive("min_size", min_size)
        n, t = n[keep], t[keep]
    if np.unique(n).size < 2:
        raise ValueError(f"fit_loglog needs at least two distinct sizes to fit, got {n.size}.")
    slope, intercept = np.polyfit(np.log(n), np.log(t), 1)
    return float(slope), float(np.exp(intercept))


def timing_figure(results: dict[str, tuple[ArrayLike, ArrayLike]], *,
                  fits: dict[str, tuple[float, float, float]] | None = None, ax: Axes | None = None,
                  title: str | None = None, xlabel: str = "digits $n$", ylabel: str = "time (s)",
                  figsize: tuple[float, float] = (6.4, 4.2), dpi: float = 80) -> Figure:
    """Measured times on log-log axes, one marked line per method, with fitted power laws.

    Parameters
    ----------
    results : dict
        ``{label: (sizes, times)}``, positive numbers.
    fits : dict, optional
        ``{label: (slope, C, min_size)}`` (e.g. from :func:`fit_loglog`): a
        dashed line ``C * n**slope`` over the sizes ``>= min_size``; the
        slope is added to the method's legend entry.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title, xlabel, ylabel : str, optional
        Labels.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on; the measured lines have gids ``'measured <label>'``
        and the fits ``'fit <label>'``.

    Raises
    ------
    TypeError
        If ``results`` is not a non-empty dict of pairs, ``fits`` is not a
        dict, or a fit is not a triple of real numbers.
    ValueError
        If sizes and times are not positive vectors of equal length, a fit
        names a method not in ``results`` or holds a non-finite number.

    Notes
    -----
    On log-log axes ``t = C n**p`` is a straight line of slope ``p``.

    Examples
    --------
    >>> from convbook.plotting.polynomial import timing_figure
    >>> fig = timing_figure({"loops": ([10, 100], [1e-4, 1e-2])},
    ...                     fits={"loops": (2.0, 1e-6, 10)})
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_yscale()
    ('log', 'log')
    """
    if not isinstance(results, dict) or not results:
        raise TypeError(f"results must be a non-empty dict {{label: (sizes, times)}}, got {describe(results)}.")
    if fits is not None and not isinstance(fits, dict):
        raise TypeError(f"fits must be a dict {{label: (slope, C, min_size)}}, got {describe(fits)}.")
    data = {}
    for label, pair in results.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"results[{label!r}] must be a pair (sizes, times), got {describe(pair)}.")
        n = _positive_vector(f"results[{label!r}] sizes", pair[0])
        t = _positive_vector(f"results[{label!r}] times", pair[1])
        if n.shape != t.shape:
            raise ValueError(f"results[{label!r}]: sizes and times differ in length ({n.size} and {t.size}).")
        data[label] = (n, t)
    checked_fits = {}
    for label, fit in (fits or {}).items():
        if label not in data:
            raise ValueError(f"fits[{label!r}] names no method of results; known: {list(data)}.")
        if not isinstance(fit, (tuple, list)) or len(fit) != 3:
            raise TypeError(f"fits[{label!r}] must be (slope, C, min_size), got {describe(fit)}.")
        checked_fits[label] = tuple(_check_real_value(f"fits[{label!r}]", v) for v in fit)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    for k, (label, (n, t)) in enumerate(data.items()):
        color = f"C{k % 10}"
        text = str(label)
        if label in checked_fits:
            slope, const, min_size = checked_fits[label]
            text = f"{label}: slope {slope:.2f}"
            m = n[n >= min_size]
            if m.size:
                grid = np.geomspace(m.min(), m.max(), 50)
                ax.loglog(grid, const * grid**slope, "--", color=color, lw=2.5, alpha=0.45,
                          gid=f"fit {label}")
        ax.loglog(n, t, "o-", color=color, lw=1.5, ms=4, label=text, gid=f"measured {label}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", color="0.9")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return fig
