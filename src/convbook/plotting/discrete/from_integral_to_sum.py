"""Figures of chapter 2's lesson "From the integral to the sum".

Lesson ``02-discrete/from-integral-to-sum`` makes chapter 1's pictures
discrete:

* :func:`antidiagonal_figure` -- the grid ``U[k, j] = a[k] v[j]`` rolled up
  along its anti-diagonals ``k + j = n`` (the discrete rolling-up);
* :func:`convergence_figure` -- errors against a step ``h`` on log-log axes,
  with fitted slopes (the Riemann sum approaching the integral).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from convbook import discrete
from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import CURRENT_COLOR, OUTPUT_COLOR, _floats, _fmt, _sequence, _span, _stems

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["antidiagonal_figure", "convergence_figure"]


# --------------------------------------------------------------------------
# The discrete rolling-up: anti-diagonals of U[k, j] = a[k] v[j]
# --------------------------------------------------------------------------

def antidiagonal_figure(a: ArrayLike, v: ArrayLike, n: int | None = None, *, figsize: tuple[float, float] = (9.0, 3.8),
                        dpi: float = 80, cmap: str = "viridis") -> Figure:
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
    >>> from convbook.plotting.discrete import antidiagonal_figure
    >>> fig = antidiagonal_figure([1, 2, 3], [1, 1], n=2)
    >>> [round(y) for y in fig.axes[1].lines[0].get_ydata()]
    [1, 3, 5, 3]
    """
    from convbook.plotting._style import _check_cmap, _draw_heatmap

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
# Convergence of the Riemann sum
# --------------------------------------------------------------------------

def convergence_figure(hs: ArrayLike, errors: dict[str, ArrayLike], *, figsize: tuple[float, float] = (6.0, 4.0),
                       dpi: float = 80, title: str | None = None) -> Figure:
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
    >>> from convbook.plotting.discrete import convergence_figure
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
