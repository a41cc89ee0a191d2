"""Figures and kernel-free animations for chapter 3 (polynomials and long multiplication).

Chapter 3 reads the discrete convolution

.. math:: c_k = \\sum_{i + j = k} a_i\\, b_j

as the product of two polynomials and as schoolbook long multiplication.
This module draws its pictures:

* :func:`multiplication_grid_figure` -- the table of all products
  ``a[i] * b[j]`` whose *anti-diagonals* ``i + j = k`` are summed: the
  discrete twin of chapter 1's rolling up of ``U(x, y) = f(x) g(y)`` along
  the lines ``x + y = t``;
* :func:`carry_trace`, :func:`carry_figure`, :func:`carry_animation` -- the
  carries that turn the convolution ``(14, 34, 14, 4)`` into the digits of
  ``5754``, one column at a time;
* :func:`long_multiplication_figure`, :func:`long_multiplication_animation`
  -- both at once for two integers: the grid of their digits with the
  anti-diagonal of the current column highlighted, next to the carries
  (the static twin of the explorer in :mod:`convbook._widgets_polynomial`);
* :func:`fit_loglog` and :func:`timing_figure` -- measured running times on
  log-log axes, with fitted slopes;
* :func:`pmf_figure` -- an exact probability mass function next to the
  relative frequencies of a simulation;
* :func:`panels` -- a grid of axes on a figure that shows itself in a
  notebook, for lessons that combine several of the pictures.

Conventions: coefficient and digit sequences are **lowest degree first**
(``a[i]`` multiplies ``x**i``, or ``base**i`` for digits), as in
``numpy.polynomial`` and :mod:`convbook.polynomial`; the pictures write
numbers the usual way, most significant digit on the left.  The convolution
is the true convolution, ``b`` indexed by ``k - i``.  Figures are
:class:`matplotlib.figure.Figure` objects that are not registered with
pyplot (see :mod:`convbook.plotting`).
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from matplotlib.animation import FuncAnimation

from ._validation import as_numeric_array, check_int, describe
from .plotting import (
    F_COLOR,
    G_COLOR,
    LINE_COLOR,
    PRODUCT_COLOR,
    V_COLOR,
    _check_figsize,
    _check_positive,
    _figure_and_axes,
    _new_figure,
)

__all__ = [
    "multiplication_grid_figure",
    "CarryStep",
    "carry_trace",
    "carry_figure",
    "carry_animation",
    "long_multiplication_figure",
    "long_multiplication_animation",
    "fit_loglog",
    "timing_figure",
    "pmf_figure",
    "panels",
]

_GRID_MAX = 16        # digits per factor a readable grid can show
_CARRY_MAX = 14       # columns a readable carry picture can show
_DIAGONAL_COLORS = ["#cfe3f6", "#fde2c4", "#d3efd0", "#f6d0d0", "#e3d7f0",
                    "#ecdcc9", "#f8d9ec", "#e0e0e0", "#eef2c4", "#cdeff2"]


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------

def _exact_sequence(name: str, value, *, max_len: int | None = None,
                    nonnegative: bool = False, integer: bool = False) -> list:
    """A non-empty 1-D sequence of exact numbers (ints, or Fractions unless ``integer``).

    Floats are accepted when they are whole numbers (``2.0``) and returned as ints, so
    that ``numpy.convolve`` output of float dtype can be drawn; anything else raises.
    """
    if (isinstance(value, np.ndarray) and value.dtype.kind == "b") or (
            isinstance(value, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in value)):
        raise TypeError(f"{name} must hold numbers, not booleans, got {describe(value)}.")
    arr = as_numeric_array(name, value, ndim=1)
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    out = []
    for k, v in enumerate(arr.tolist()):
        if isinstance(v, numbers.Integral):
            v = int(v)
        elif isinstance(v, float):
            if not math.isfinite(v) or v != int(v):
                raise ValueError(
                    f"{name}[{k}] = {v!r} is not {'an integer' if integer else 'an exact number'}: "
                    f"{name} must hold integers{'' if integer else ' or Fractions'}."
                )
            v = int(v)
        elif isinstance(v, numbers.Rational) and not integer:
            v = Fraction(v)
        else:
            kind = "integers" if integer else "integers or Fractions"
            raise TypeError(f"{name}[{k}] = {v!r} is not allowed: {name} must hold {kind}.")
        if nonnegative and v < 0:
            raise ValueError(f"{name}[{k}] = {v} is negative: {name} must hold integers >= 0.")
        out.append(v)
    if max_len is not None and len(out) > max_len:
        raise ValueError(
            f"{name} has {len(out)} entries; at most {max_len} fit in a readable picture."
        )
    return out


def _check_base(base) -> int:
    return check_int("base", base, minimum=2)


def _fmt(v) -> str:
    """An exact number as short text: ``3``, ``-2``, ``1/6``."""
    return str(v)


# --------------------------------------------------------------------------
# The multiplication grid
# --------------------------------------------------------------------------

def multiplication_grid_figure(a, b, *, highlight=None, show_sums=True, a_name="a", b_name="b",
                               ax=None, title=None, figsize=(6.0, 5.0), dpi=80):
    """The table of products ``a[i] * b[j]`` with its anti-diagonals ``i + j = k`` summed.

    The convolution (the coefficients of a polynomial product) is

    .. math:: c_k = \\sum_{i + j = k} a_i\\, b_j ,

    the sum of the table along the anti-diagonal ``i + j = k``.  Column ``i``
    holds ``a[i]`` (along the horizontal axis), row ``j`` holds ``b[j]`` (up
    the vertical axis), and cell ``(i, j)`` the product ``a[i] * b[j]``,
    coloured by its anti-diagonal.  A dashed line ``x + y = k`` runs through
    each anti-diagonal and its sum ``c_k`` is written where the line leaves
    the table: the discrete twin of chapter 1's rolling up of
    ``U(x, y) = f(x) g(y)`` along ``x + y = t``.

    Parameters
    ----------
    a, b : sequence of int or Fraction
        Coefficients (or digits), lowest degree first, 1 to 16 entries each.
        Whole-number floats are accepted and shown as integers.
    highlight : int, optional
        Draw only the anti-diagonal ``i + j = highlight`` in colour (the
        others grey) and its line in red; by default every anti-diagonal has
        its own colour.
    show_sums : bool, optional
        Write the sums ``c_k`` at the ends of the anti-diagonals (with
        ``highlight``, its sum in red).
    a_name, b_name : str, optional
        Names used in the labels (mathtext allowed).
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
        The figure drawn on.  Its artists carry gids: ``'cell i,j'`` (the text
        of each product), ``'sum k'`` (the text ``c_k = ...``) and
        ``'diagonal k'`` (each line).

    Raises
    ------
    TypeError
        If ``a`` or ``b`` holds something other than integers or Fractions,
        ``highlight`` is not an integer, or ``show_sums`` is not a bool.
    ValueError
        If ``a`` or ``b`` is empty, not 1-D, has more than 16 entries, or a
        non-integral float; if ``highlight`` is outside
        ``0 .. len(a) + len(b) - 2``.

    Notes
    -----
    Lowest degree first: ``a[0]`` is the constant term (the units digit).  So
    the table's origin, cell ``(0, 0)``, is at the bottom left, as ``U`` was
    in chapter 1, and the line ``x + y = k`` runs from the bottom right to
    the top left.  The output has ``len(a) + len(b) - 1`` entries, numpy's
    ``'full'`` mode.

    Examples
    --------
    >>> from convbook._plotting_polynomial import multiplication_grid_figure
    >>> fig = multiplication_grid_figure([2, 4], [7, 3, 1])
    >>> sums = {a.get_gid(): a.get_text() for a in fig.axes[0].texts
    ...         if (a.get_gid() or "").startswith("sum")}
    >>> [sums[f"sum {k}"] for k in range(4)]
    ['$c_{0} = 14$', '$c_{1} = 34$', '$c_{2} = 14$', '$c_{3} = 4$']
    """
    a = _exact_sequence("a", a, max_len=_GRID_MAX)
    b = _exact_sequence("b", b, max_len=_GRID_MAX)
    na, nb = len(a), len(b)
    if highlight is not None:
        highlight = check_int("highlight", highlight)
        if not 0 <= highlight <= na + nb - 2:
            raise ValueError(
                f"highlight must be an anti-diagonal index 0 .. {na + nb - 2} "
                f"(len(a) + len(b) - 2), got {highlight}."
            )
    if not isinstance(show_sums, (bool, np.bool_)):
        raise TypeError(f"show_sums must be True or False, got {describe(show_sums)}.")
    a_name, b_name = str(a_name), str(b_name)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    from matplotlib.patches import Rectangle

    sums = [0] * (na + nb - 1)
    for i in range(na):
        for j in range(nb):
            k = i + j
            sums[k] += a[i] * b[j]
            if highlight is None:
                face = _DIAGONAL_COLORS[k % len(_DIAGONAL_COLORS)]
            else:
                face = "#ffd1d1" if k == highlight else "#f2f2f2"
            ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=face, edgecolor="0.55",
                                   lw=1, zorder=1))
            strong = highlight is None or k == highlight
            ax.text(i, j, _fmt(a[i] * b[j]), ha="center", va="center", zorder=3,
                    fontsize="large" if strong else "medium",
                    color="black" if strong else "0.6", gid=f"cell {i},{j}")

    # the lines x + y = k and the sums where they leave the table (bottom or right edge)
    for k in range(na + nb - 1):
        lo, hi = max(-0.5, k - nb + 0.5), min(na - 0.5, k + 0.5)
        xs = np.array([lo - 0.25, hi + 0.45])
        hot = highlight == k
        if highlight is None or hot:
            ax.plot(xs, k - xs, color=LINE_COLOR if hot else "0.35", lw=2 if hot else 1,
                    ls="-" if hot else "--", zorder=2, gid=f"diagonal {k}")
        if show_sums:
            x_end = hi + 0.55
            color = LINE_COLOR if hot else (V_COLOR if highlight is None else "0.55")
            ax.text(x_end, k - x_end, f"$c_{{{k}}} = {_fmt(sums[k])}$", ha="left", va="top",
                    fontsize="medium", color=color, fontweight="bold" if hot else "normal",
                    gid=f"sum {k}")

    ax.set_xlim(-0.6, na + 1.2)
    ax.set_ylim(-1.5, nb - 0.4)
    ax.set_aspect("equal")
    ax.set_xticks(range(na), [f"${a_name}_{{{i}}} = {_fmt(v)}$" for i, v in enumerate(a)],
                  fontsize="small")
    ax.set_yticks(range(nb), [f"${b_name}_{{{j}}} = {_fmt(v)}$" for j, v in enumerate(b)],
                  fontsize="small")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"column $i$: ${a_name}_i$", color=F_COLOR)
    ax.xaxis.set_label_position("top")
    ax.set_ylabel(f"row $j$: ${b_name}_j$", color=G_COLOR)
    if title is not None:
        ax.set_title(str(title), pad=8)
    return fig


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


def carry_trace(coefficients, base=10):
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
    >>> from convbook._plotting_polynomial import carry_trace
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


def carry_figure(coefficients, step=None, *, base=10, ax=None, title=None,
                 figsize=(7.0, 3.2), dpi=80):
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
    >>> from convbook._plotting_polynomial import carry_figure
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


def carry_animation(coefficients, *, base=10, interval=1200, title=None, figsize=(7.0, 3.2),
                    dpi=72):
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
    >>> from convbook._plotting_polynomial import carry_animation
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
# Long multiplication: the grid and the carries side by side
# --------------------------------------------------------------------------

def _digits_of(name: str, value, base: int) -> list[int]:
    """The digits of a non-negative integer, lowest first (``[0]`` for 0)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {describe(value)}.")
    value = int(value)
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}.")
    digits = []
    while True:
        value, digit = divmod(value, base)
        digits.append(digit)
        if value == 0:
            return digits


def _long_multiplication_plan(x, y, base):
    """Validate ``x``, ``y``: their digits, the convolution and the number of carry steps."""
    a = _digits_of("x", x, base)
    b = _digits_of("y", y, base)
    for name, digits in (("x", a), ("y", b)):
        if len(digits) > _GRID_MAX:
            raise ValueError(
                f"{name} has {len(digits)} digits in base {base}; at most {_GRID_MAX} fit "
                "in a readable picture."
            )
    conv = [0] * (len(a) + len(b) - 1)
    for i, ai in enumerate(a):
        for j, bj in enumerate(b):
            conv[i + j] += ai * bj
    steps = len(carry_trace(conv, base))
    if steps - 1 > _CARRY_MAX:
        raise ValueError(
            f"x * y has {steps - 1} digits in base {base}; at most {_CARRY_MAX} fit in a "
            "readable picture."
        )
    return a, b, conv, steps


class _LongMultiplication:
    """The multiplication grid of the digits (left) and the carries (right)."""

    def __init__(self, x, y, base, *, figsize, dpi):
        base = _check_base(base)
        self.a, self.b, self.conv, self.steps = _long_multiplication_plan(x, y, base)
        self.fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        width = len(carry_trace(self.conv, base)[-1].coefficients)
        self.ax_grid, ax_carry = self.fig.subplots(
            1, 2, width_ratios=[len(self.a) + 2.5, width + 2.5])
        self.carry = _CarryPicture(self.conv, base, title=None, figsize=figsize, dpi=dpi,
                                   ax=ax_carry)
        self.x, self.y, self.base = int(x), int(y), base

    def update(self, step):
        position = step - 1
        highlight = position if 0 <= position < len(self.conv) else None
        self.ax_grid.clear()
        multiplication_grid_figure(self.a, self.b, highlight=highlight, ax=self.ax_grid,
                                   a_name="x", b_name="y",
                                   title=f"digit products; anti-diagonal sums $c_k$")
        self.carry.title = f"carrying: {self.x} × {self.y} = {self.x * self.y}"
        if self.base != 10:
            self.carry.title = f"carrying in base {self.base}"
        return self.carry.update(step)


def long_multiplication_figure(x, y, step=None, *, base=10, figsize=(11.0, 4.4), dpi=80):
    """Long multiplication of two integers: the digit grid and the carries, at one step.

    Left: :func:`multiplication_grid_figure` of the digits of ``x`` and ``y``
    (lowest first), whose anti-diagonal sums are the convolution
    ``c = digits(x) * digits(y)``.  Right: :func:`carry_figure` of ``c``.  At
    step ``s >= 1`` column ``k = s - 1`` is carried and its anti-diagonal is
    highlighted in the grid, so the picture reads

    .. math:: x\\, y = \\sum_k c_k B^k = \\sum_k d_k B^k ,
              \\qquad c_k = \\sum_{i + j = k} x_i\\, y_j .

    Parameters
    ----------
    x, y : int
        Non-negative integers with at most 16 digits in ``base``, whose
        product has at most 14 digits (so that the picture stays readable).
    step : int, optional
        ``0`` (before carrying) to the last step (every digit settled, the
        default); see :func:`carry_trace`.
    base : int, optional
        The base ``B >= 2``.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        A figure with two axes (grid, carries), with the gids of
        :func:`multiplication_grid_figure` and :func:`carry_figure`.

    Raises
    ------
    TypeError
        If ``x`` or ``y`` is not an integer (bools are refused), or ``step``
        or ``base`` is not an integer.
    ValueError
        If ``x`` or ``y`` is negative or has more than 16 digits, ``x * y``
        has more than 14 digits, ``base < 2`` or ``step`` is out of range.

    Notes
    -----
    The grid puts the units digits at its bottom left (lowest degree first);
    the carry table writes the number the usual way, units on the right.

    Examples
    --------
    >>> from convbook._plotting_polynomial import long_multiplication_figure
    >>> fig = long_multiplication_figure(42, 137, step=2)
    >>> grid, carries = fig.axes
    >>> [t.get_text() for t in grid.texts if t.get_gid() == "sum 1"]
    ['$c_{1} = 34$']
    >>> carries.get_title()
    'carrying: 42 × 137 = 5754'
    """
    picture = _LongMultiplication(x, y, base, figsize=figsize, dpi=dpi)
    last = picture.steps - 1
    step = last if step is None else check_int("step", step)
    if not 0 <= step <= last:
        raise ValueError(f"step must be an integer from 0 to {last} for x={x}, y={y}, got {step}.")
    picture.update(step)
    return picture.fig


def long_multiplication_animation(x, y, *, base=10, interval=1500, figsize=(11.0, 4.4), dpi=72):
    """Animate :func:`long_multiplication_figure`: one column carried per frame.

    Parameters
    ----------
    x, y : int
        Non-negative integers with at most 16 digits in ``base``, whose
        product has at most 14 digits (so that the picture stays readable).
    base : int, optional
        The base ``B >= 2``.
    interval : float, optional
        Delay between frames, in milliseconds.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per step of :func:`carry_trace` (the start, then one per
        digit of the product); show it with
        :func:`convbook.plotting.animation_html`.

    Raises
    ------
    TypeError, ValueError
        As in :func:`long_multiplication_figure`, or if ``interval`` is not
        a positive number.

    Notes
    -----
    Lowest degree first in the grid, units on the right in the carry table,
    as in :func:`long_multiplication_figure`.

    Examples
    --------
    >>> import re
    >>> from convbook._plotting_polynomial import long_multiplication_animation
    >>> from convbook.plotting import animation_html
    >>> page = animation_html(long_multiplication_animation(42, 137, dpi=25))
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))
    5
    """
    interval = _check_positive("interval", interval)
    picture = _LongMultiplication(x, y, base, figsize=figsize, dpi=dpi)
    picture.update(0)
    return FuncAnimation(picture.fig, picture.update, frames=picture.steps, interval=interval,
                         blit=False, repeat=True)


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


def fit_loglog(sizes, times, *, min_size=None):
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
    >>> from convbook._plotting_polynomial import fit_loglog
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


def timing_figure(results, *, fits=None, ax=None, title=None, xlabel="digits $n$",
                  ylabel="time (s)", figsize=(6.4, 4.2), dpi=80):
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
    >>> from convbook._plotting_polynomial import timing_figure
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


# --------------------------------------------------------------------------
# Probability mass functions
# --------------------------------------------------------------------------

def pmf_figure(support, exact, frequencies=None, *, ax=None, title=None, xlabel="$s$",
               exact_label="exact pmf", frequency_label="simulated frequency",
               figsize=(5.6, 3.4), dpi=80):
    """An exact probability mass function (stems) over simulated relative frequencies (bars).

    Parameters
    ----------
    support : array_like of int
        The values ``s`` of the random variable (1-D).
    exact : array_like
        ``P(S = s)`` for each value of ``support``: floats, ints or Fractions.
    frequencies : array_like, optional
        Relative frequencies of a simulation, for the same values.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title, xlabel, exact_label, frequency_label : str, optional
        Labels.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on; the bars have gid ``'frequencies'`` and the stem
        markers ``'exact'``.

    Raises
    ------
    TypeError
        If an argument does not hold real numbers.
    ValueError
        If the arrays are not 1-D of equal length, or hold negative or
        non-finite values.

    Notes
    -----
    A mass function, not a density: the bars have width 1 and heights that
    sum to 1, so they compare with the pmf directly.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from convbook._plotting_polynomial import pmf_figure
    >>> fig = pmf_figure([0, 1], [Fraction(1, 2), Fraction(1, 2)], [0.48, 0.52])
    >>> len(fig.axes[0].patches)
    2
    """
    s = as_numeric_array("support", support, ndim=1)
    if s.dtype.kind not in "iuO" or not all(isinstance(v, numbers.Integral) for v in s.tolist()):
        raise TypeError(f"support must hold integers, got {describe(support)}.")
    s = np.array(s.tolist(), dtype=float)

    def probabilities(name, value):
        arr = as_numeric_array(name, value, ndim=1)
        if arr.dtype.kind == "c":
            raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
        try:
            arr = np.array([float(v) for v in arr.tolist()])
        except TypeError:
            raise TypeError(f"{name} must hold real numbers, got {describe(value)}.") from None
        if arr.shape != s.shape:
            raise ValueError(f"{name} must have one value per support point ({s.size}), got {arr.size}.")
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name} must hold finite probabilities >= 0, got {describe(value)}.")
        return arr

    p = probabilities("exact", exact)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    if frequencies is not None:
        q = probabilities("frequencies", frequencies)
        ax.bar(s, q, width=0.8, color="0.78", edgecolor="white", label=frequency_label,
               gid="frequencies")
    ax.vlines(s, 0, p, color=V_COLOR, lw=1.5)
    ax.plot(s, p, "o", color=V_COLOR, ms=5, label=exact_label, gid="exact")
    ax.axhline(0, color="0.6", lw=0.8)
    top = max(float(p.max()), float(q.max()) if frequencies is not None else 0.0)
    ax.set_ylim(0, 1.4 * top if top > 0 else 1.0)          # room for the legend above the peak
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("probability")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small", loc="upper right")
    return fig


def panels(nrows=1, ncols=2, *, figsize=(10.0, 3.6), dpi=80, **subplot_kwargs):
    """A figure with a grid of axes that shows itself in a notebook (for several pictures).

    Parameters
    ----------
    nrows, ncols : int, optional
        The grid (at least 1 each).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.
    **subplot_kwargs
        Passed to :meth:`matplotlib.figure.Figure.subplots` (``sharey``, ...).

    Returns
    -------
    (matplotlib.figure.Figure, numpy.ndarray of Axes)
        The figure (constrained layout, not registered with pyplot) and its
        axes, always as an array of shape ``(nrows, ncols)`` flattened to 1-D.

    Raises
    ------
    TypeError
        If ``nrows`` or ``ncols`` is not an integer.
    ValueError
        If ``nrows`` or ``ncols`` is below 1, or ``figsize``/``dpi`` is invalid.

    Notes
    -----
    Pass each axes to a drawing function's ``ax`` argument, then leave the
    figure as the last expression of the cell.

    Examples
    --------
    >>> from convbook._plotting_polynomial import panels
    >>> fig, axes = panels(1, 3)
    >>> axes.shape
    (3,)
    """
    nrows = check_int("nrows", nrows, minimum=1)
    ncols = check_int("ncols", ncols, minimum=1)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kwargs)
    return fig, axes.ravel()

