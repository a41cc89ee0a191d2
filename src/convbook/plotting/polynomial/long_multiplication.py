"""Figures of chapter 3's lesson "Long multiplication is a convolution".

Lesson ``03-polynomial/long-multiplication``:

* :func:`multiplication_grid_figure` -- the table of all products
  ``a[i] * b[j]`` whose *anti-diagonals* ``i + j = k`` are summed: the
  discrete twin of chapter 1's rolling up of ``U(x, y) = f(x) g(y)`` along
  the lines ``x + y = t``;
* :func:`long_multiplication_figure`, :func:`long_multiplication_animation`
  -- the grid of the digits of two integers with the anti-diagonal of the
  current column highlighted, next to the carries of
  :mod:`~convbook.plotting.polynomial.carrying_and_cost` (the static twin of
  the explorer in :mod:`convbook.widgets.polynomial`).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.animation import FuncAnimation

from convbook._validation import check_int, describe
from convbook.plotting._style import (
    F_COLOR, G_COLOR, LINE_COLOR, V_COLOR, _check_figsize, _check_positive, _figure_and_axes, _new_figure,
)

from ._common import _CARRY_MAX, _DIAGONAL_COLORS, _GRID_MAX, _check_base, _exact_sequence
from .carrying_and_cost import _CarryPicture, carry_trace

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["multiplication_grid_figure", "long_multiplication_figure", "long_multiplication_animation"]


# --------------------------------------------------------------------------
# The multiplication grid
# --------------------------------------------------------------------------

def multiplication_grid_figure(a: Sequence[int | Fraction], b: Sequence[int | Fraction], *,
                               highlight: int | None = None, show_sums: bool = True, a_name: str = "a",
                               b_name: str = "b", ax: Axes | None = None, title: str | None = None,
                               figsize: tuple[float, float] = (6.0, 5.0), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.polynomial import multiplication_grid_figure
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


def _fmt(v) -> str:
    """An exact number as short text: ``3``, ``-2``, ``1/6``."""
    return str(v)


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


class _LiveLongMultiplication(_LongMultiplication):
    """The long-multiplication picture for a live explorer: the grid is built once, then recoloured.

    :meth:`_LongMultiplication.update` clears the grid and draws it again (the
    static animation's frames); here every cell, product, diagonal and sum is
    made once and a step only changes colours, sizes and visibility, as
    :func:`multiplication_grid_figure` would draw them with that highlight.
    The carry table is redrawn as before (it is small).  The picture is laid
    out at step 0 whatever step comes first, so every step looks the same
    whichever way it was reached.  ``moving()`` lists what a step may change.
    """

    def __init__(self, x, y, base, *, figsize, dpi):
        super().__init__(x, y, base, figsize=figsize, dpi=dpi)
        ax = self.ax_grid
        multiplication_grid_figure(self.a, self.b, highlight=None, ax=ax, a_name="x", b_name="y",
                                   title="digit products; anti-diagonal sums $c_k$")
        na, nb = len(self.a), len(self.b)
        self.cell_k = [i + j for i in range(na) for j in range(nb)]
        self.cells = list(ax.patches)
        self.products = [t for t in ax.texts if str(t.get_gid()).startswith("cell ")]
        self.diagonals = [line for line in ax.lines if str(line.get_gid()).startswith("diagonal ")]
        self.sums = [t for t in ax.texts if str(t.get_gid()).startswith("sum ")]
        self.update(0)

    def moving(self):
        """The artists that :meth:`update` may change (the carry table's are made anew each step)."""
        carry = self.carry.ax
        return [*self.cells, *self.products, *self.diagonals, *self.sums,
                *carry.patches, *carry.texts, *carry.lines, carry.title]

    def update(self, step):
        position = step - 1
        highlight = position if 0 <= position < len(self.conv) else None
        for rect, text, k in zip(self.cells, self.products, self.cell_k):
            if highlight is None:
                rect.set_facecolor(_DIAGONAL_COLORS[k % len(_DIAGONAL_COLORS)])
            else:
                rect.set_facecolor("#ffd1d1" if k == highlight else "#f2f2f2")
            strong = highlight is None or k == highlight
            text.set_fontsize("large" if strong else "medium")
            text.set_color("black" if strong else "0.6")
        for k, (line, total) in enumerate(zip(self.diagonals, self.sums)):
            hot = highlight == k
            line.set_visible(highlight is None or hot)
            line.set_color(LINE_COLOR if hot else "0.35")
            line.set_linewidth(2 if hot else 1)
            line.set_linestyle("-" if hot else "--")
            total.set_color(LINE_COLOR if hot else (V_COLOR if highlight is None else "0.55"))
            total.set_fontweight("bold" if hot else "normal")
        self.carry.title = f"carrying: {self.x} × {self.y} = {self.x * self.y}"
        if self.base != 10:
            self.carry.title = f"carrying in base {self.base}"
        return self.carry.update(step)


def long_multiplication_figure(x: int, y: int, step: int | None = None, *, base: int = 10,
                               figsize: tuple[float, float] = (11.0, 4.4), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.polynomial import long_multiplication_figure
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


def long_multiplication_animation(x: int, y: int, *, base: int = 10, interval: float = 500,
                                  figsize: tuple[float, float] = (11.0, 4.4), dpi: float = 72) -> FuncAnimation:
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
    >>> from convbook.plotting.polynomial import long_multiplication_animation
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
