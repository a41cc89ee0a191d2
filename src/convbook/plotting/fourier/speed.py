"""Figures of chapter 4's lesson "Speed, measured".

:func:`loglog_figure` draws measured timings and operation counts on log-log
axes, with a crossover marked: lesson ``04-fft/speed``, and also the
operation counts of ``04-fft/cooley-tukey`` and the rounding errors and
timings of ``04-fft/big-integers``.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import describe
from convbook.plotting._style import _figure_and_axes

from ._common import _real_vector

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["loglog_figure"]


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


def loglog_figure(x: ArrayLike, measured: dict[str, ArrayLike], *,
                  predicted: dict[str, ArrayLike | tuple[ArrayLike, str]] | None = None,
                  crossover: float | None = None, crossover_label: str | None = None,
                  xlabel: str = "size", ylabel: str = "time (s)", title: str | None = None,
                  ax: Axes | None = None, figsize: tuple[float, float] = (6.4, 4.0), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.fourier import loglog_figure
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
