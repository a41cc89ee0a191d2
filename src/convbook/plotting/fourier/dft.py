"""Figures of chapter 4's lesson "The discrete Fourier transform".

Lesson ``04-fft/dft``: the n-th roots of unity on the unit circle, and the
path that one row of the DFT matrix takes around it
(:func:`roots_of_unity_figure`), and the rows of that matrix as sampled
cosines and sines (:func:`dft_rows_figure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from convbook._validation import check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _figure_and_axes, _new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["roots_of_unity_figure", "dft_rows_figure"]


# --------------------------------------------------------------------------
# Roots of unity and the rows of the DFT matrix
# --------------------------------------------------------------------------

def roots_of_unity_figure(n: int, *, power: int = 1, ax: Axes | None = None, title: str | None = None,
                          figsize: tuple[float, float] = (4.4, 4.4), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.fourier import roots_of_unity_figure
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


def dft_rows_figure(n: int, rows: Sequence[int] = (0, 1, 2, 3), *, figsize: tuple[float, float] | None = None,
                    dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.fourier import dft_rows_figure
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
