"""Curves, heat maps and histograms: chapter 1's lessons on sympy and on the properties.

- :func:`curves_figure` -- several functions on one axes: exact convolutions
  computed with sympy (lesson ``01-continuous/sympy``) and the properties
  they obey (lesson ``01-continuous/properties``);
- :func:`joint_heatmap` -- ``U(x, y) = f(x) g(y)`` with the line
  ``x + y = t`` and the diagonal whose mirror is commutativity (lesson
  ``01-continuous/properties``; chapter 3's ``long-multiplication`` draws it
  next to the multiplication grid);
- :func:`histogram_figure` -- simulated sums of random variables against the
  exact density, the convolution of the densities (lesson
  ``01-continuous/properties``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import (
    LINE_COLOR, V_COLOR, _check_callable, _check_cmap, _check_range, _check_real, _draw_heatmap, _evaluate,
    _figure_and_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["joint_heatmap", "curves_figure", "histogram_figure"]


# --------------------------------------------------------------------------
# General helpers
# --------------------------------------------------------------------------

def joint_heatmap(f: Callable[[np.ndarray], np.ndarray], g: Callable[[np.ndarray], np.ndarray], *,
                  x_range: tuple[float, float] = (-1.5, 2.5), y_range: tuple[float, float] | None = None,
                  t: float | None = None, diagonal: bool = False, n: int = 201, ax: Axes | None = None,
                  title: str | None = None,
                  cmap: str = "viridis", figsize: tuple[float, float] = (4.2, 4.0), dpi: float = 80) -> Figure:
    """Draw ``U(x, y) = f(x) g(y)`` as a heat map, optionally with ``x + y = t``.

    Parameters
    ----------
    f, g : callable
        Numeric functions, vectorised over numpy arrays.
    x_range : (float, float), optional
        The window in ``x``.
    y_range : (float, float), optional
        The window in ``y``; defaults to ``x_range``.
    t : float, optional
        If given, draw the line ``x + y = t`` along which ``V(t)`` is rolled up.
    diagonal : bool, optional
        Draw the diagonal ``y = x`` (the mirror that swaps ``f`` and ``g``).
    n : int, optional
        Grid points per axis (at least 3).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title (default ``"U(x, y) = f(x) g(y)"``).
    cmap : str, optional
        Colour map.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (``ax.figure`` when ``ax`` is given).

    Raises
    ------
    TypeError
        If ``f`` or ``g`` is not a vectorised callable, or ``diagonal`` is not
        a bool.
    ValueError
        If a range is not a pair ``low < high``, ``n < 3`` or ``cmap`` is not
        a colour map.

    Notes
    -----
    ``x`` runs along the horizontal axis and ``y`` up the vertical one
    (``origin='lower'``), so swapping ``f`` and ``g`` reflects the picture in
    the diagonal ``y = x``: that is commutativity, :math:`f * g = g * f`.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import joint_heatmap
    >>> box = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    >>> fig = joint_heatmap(box, np.exp, x_range=(-1, 2), t=1.0, n=31)
    >>> fig.axes[0].get_xlabel()
    '$x$'
    """
    _check_callable("f", f)
    _check_callable("g", g)
    x_range = _check_range("x_range", x_range)
    y_range = x_range if y_range is None else _check_range("y_range", y_range)
    n = check_int("n", n, minimum=3)
    if not isinstance(diagonal, (bool, np.bool_)):
        raise TypeError(f"diagonal must be True or False, got {describe(diagonal)}.")
    if t is not None:
        t = _check_real("t", t)
    cmap = _check_cmap(cmap)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)
    values = np.outer(_evaluate("g", g, ys), _evaluate("f", f, xs))
    _draw_heatmap(ax, values, x_range, y_range, cmap)
    if t is not None:
        ax.plot(xs, t - xs, color=LINE_COLOR, lw=2, label=f"$x + y = {t:g}$")
    if diagonal:
        ax.plot(xs, xs, color="white", lw=1, ls="--", label="$y = x$")
    if t is not None or diagonal:
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(x_range)
    ax.set_ylim(y_range)
    ax.set_title("$U(x, y) = f(x)\\,g(y)$" if title is None else str(title))
    return fig


def curves_figure(curves: dict[str, Callable[[np.ndarray], np.ndarray]], x_range: tuple[float, float], *, n: int = 400,
                  ax: Axes | None = None, title: str | None = None, xlabel: str = "$t$",
                  ylabel: str | None = None, fill: bool = False, figsize: tuple[float, float] = (6.0, 3.6),
                  dpi: float = 80) -> Figure:
    """Plot several numeric functions on one axes, with a legend.

    Parameters
    ----------
    curves : dict
        ``{label: callable}``; each callable is vectorised over numpy arrays.
        Labels may use matplotlib's mathtext, e.g. ``"$f * g$"``.
    x_range : (float, float)
        The window of the horizontal axis.
    n : int, optional
        Sample points (at least 3).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title, xlabel, ylabel : str, optional
        Labels of the axes.
    fill : bool, optional
        Shade the area under each curve lightly.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError
        If ``curves`` is not a non-empty dict of callables.
    ValueError
        If ``x_range`` is not a pair ``low < high`` or a curve returns bad values.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import curves_figure
    >>> fig = curves_figure({"sine": np.sin, "cosine": np.cos}, (0, 6.3))
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['sine', 'cosine']
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict {{label: callable}}, got {describe(curves)}.")
    for label, func in curves.items():
        _check_callable(f"curves[{label!r}]", func)
    x_range = _check_range("x_range", x_range)
    n = check_int("n", n, minimum=3)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    xs = np.linspace(*x_range, n)
    for k, (label, func) in enumerate(curves.items()):
        ys = _evaluate(f"curves[{label!r}]", func, xs)
        ax.plot(xs, ys, color=f"C{k % 10}", lw=2, label=str(label))
        if fill:
            ax.fill_between(xs, ys, color=f"C{k % 10}", alpha=0.15, lw=0)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlim(x_range)
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return fig


def histogram_figure(samples: ArrayLike, pdf: Callable[[np.ndarray], np.ndarray] | None = None, *, bins: int = 60,
                     x_range: tuple[float, float] | None = None, ax: Axes | None = None, title: str | None = None,
                     label: str = "simulated", pdf_label: str = "exact density", xlabel: str = "$s$",
                     figsize: tuple[float, float] = (5.0, 3.4), dpi: float = 80) -> Figure:
    """A density histogram of ``samples`` with an exact density drawn over it.

    The histogram is normalised (``density=True``): bar heights are counts
    divided by ``len(samples) * bin width``, so it estimates the probability
    density and can be compared with ``pdf`` directly.

    Parameters
    ----------
    samples : array_like
        1-D real samples (e.g. simulated sums of random variables).
    pdf : callable, optional
        The exact density, vectorised over numpy arrays (e.g. a lambdified
        sympy ``Piecewise``).
    bins : int, optional
        Number of bins (at least 1).
    x_range : (float, float), optional
        The histogram's range; defaults to the range of the samples.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title.
    label, pdf_label, xlabel : str, optional
        Legend labels and the horizontal axis' label.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError
        If ``samples`` does not hold real numbers or ``pdf`` is not callable.
    ValueError
        If ``samples`` is empty, not 1-D or not finite, ``bins < 1``, or
        ``x_range`` is not a pair ``low < high``.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import histogram_figure
    >>> rng = np.random.default_rng(0)
    >>> s = rng.uniform(size=1000) + rng.uniform(size=1000)
    >>> triangle = lambda x: np.clip(1 - np.abs(x - 1), 0, None)
    >>> fig = histogram_figure(s, triangle, bins=20, x_range=(0, 2))
    >>> len(fig.axes[0].patches)
    20
    """
    samples = as_numeric_array("samples", samples, ndim=1)
    if samples.dtype.kind not in "biuf":
        raise TypeError(f"samples must hold real numbers, got {describe(samples)}.")
    samples = samples.astype(float)
    if not np.all(np.isfinite(samples)):
        raise ValueError(f"samples must be finite, got {describe(samples)} with nan or inf.")
    if pdf is not None:
        _check_callable("pdf", pdf)
    bins = check_int("bins", bins, minimum=1)
    if x_range is None:
        low, high = float(samples.min()), float(samples.max())
        x_range = (low, high) if low < high else (low - 0.5, high + 0.5)
    x_range = _check_range("x_range", x_range)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    ax.hist(samples, bins=bins, range=x_range, density=True, color="0.75",
            edgecolor="white", label=label)
    if pdf is not None:
        xs = np.linspace(*x_range, 400)
        ax.plot(xs, _evaluate("pdf", pdf, xs), color=V_COLOR, lw=2, label=pdf_label)
    ax.set_xlim(x_range)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return fig
