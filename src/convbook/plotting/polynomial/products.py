"""Figures of chapter 3's lessons "Multiplying polynomials is convolving coefficients" and "Dice and coins".

* :func:`pmf_figure` -- an exact probability mass function (the coefficients
  of a polynomial product) next to the relative frequencies of a simulation
  (lessons ``03-polynomial/products`` and ``03-polynomial/probability``);
* :func:`panels` -- a grid of axes on a figure that shows itself in a
  notebook, for lessons that combine several pictures (those two and
  ``03-polynomial/long-multiplication``).
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import (
    V_COLOR, _check_figsize, _check_positive, _figure_and_axes, _new_figure,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["pmf_figure", "panels"]


# --------------------------------------------------------------------------
# Probability mass functions
# --------------------------------------------------------------------------

def pmf_figure(support: ArrayLike, exact: ArrayLike, frequencies: ArrayLike | None = None, *,
               ax: Axes | None = None, title: str | None = None, xlabel: str = "$s$",
               exact_label: str = "exact pmf", frequency_label: str = "simulated frequency",
               figsize: tuple[float, float] = (5.6, 3.4), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.polynomial import pmf_figure
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


def panels(nrows: int = 1, ncols: int = 2, *, figsize: tuple[float, float] = (10.0, 3.6), dpi: float = 80,
           **subplot_kwargs: Any) -> tuple[Figure, np.ndarray]:
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
    >>> from convbook.plotting.polynomial import panels
    >>> fig, axes = panels(1, 3)
    >>> axes.shape
    (3,)
    """
    nrows = check_int("nrows", nrows, minimum=1)
    ncols = check_int("ncols", ncols, minimum=1)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kwargs)
    return fig, axes.ravel()
