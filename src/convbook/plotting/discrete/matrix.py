"""Figures of chapter 2's lesson "Convolution as a matrix".

Lesson ``02-discrete/matrix`` writes the convolution with a fixed kernel as a
matrix product; :func:`toeplitz_figure` draws that matrix, constant along its
diagonals, for numpy's three modes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from convbook import discrete
from convbook._validation import check_choice, check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import _MAX_SAMPLES, _MODES, _floats, _fmt, _sequence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["toeplitz_figure"]


# --------------------------------------------------------------------------
# The convolution matrix
# --------------------------------------------------------------------------

def toeplitz_figure(a: ArrayLike, n: int, mode: Literal["full", "same", "valid"] = "full",
                    x: ArrayLike | None = None, *, annotate: bool | None = None, cmap: str = "RdBu_r",
                    figsize: tuple[float, float] | None = None, dpi: float = 80) -> Figure:
    """The convolution matrix of ``a`` as an image, optionally applied to a vector ``x``.

    The matrix ``A = convolution_matrix(a, n, mode)`` satisfies

    .. math:: A x = a * x, \\qquad A[i, j] = a[i + s - j]

    (``s`` the start of the mode's window, zero outside ``0..M-1``): each
    column is a copy of ``a`` shifted down by one more row, so ``A`` is
    constant along its diagonals, a Toeplitz matrix.

    Parameters
    ----------
    a : array_like
        The filter, 1-D, real, finite (at most 400 samples).
    n : int
        The length of the vectors ``A`` applies to (1 to 400).
    mode : {'full', 'same', 'valid'}, optional
        numpy's mode; the matrix has ``M + n - 1``, ``max(M, n)`` or
        ``max(M, n) - min(M, n) + 1`` rows.
    x : array_like, optional
        A vector of length ``n``: if given, ``x`` and ``y = A x`` are drawn
        as columns beside the matrix.
    annotate : bool, optional
        Write each entry in its cell; default: when the matrix has at most
        16 rows and 16 columns.
    cmap : str, optional
        A diverging colour map (zero is its middle colour).
    figsize : (float, float), optional
        Figure size in inches; default from the matrix' shape.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one unit per cell.  Images with gids: ``'matrix'`` (``A``),
        and with ``x`` also ``'x'`` and ``'y'`` (one-column images, drawn to
        the right of ``A``).

    Raises
    ------
    TypeError
        If ``a`` or ``x`` does not hold real numbers, ``n`` is not an
        integer, or ``annotate`` is not a bool.
    ValueError
        If ``a`` is empty, not 1-D or not finite; ``n`` is outside 1..400;
        ``mode`` is unknown; ``x`` does not have length ``n``; or ``cmap`` is
        not a colour map.

    Notes
    -----
    Built with :func:`convbook.discrete.convolution_matrix`, which agrees
    with ``scipy.linalg.convolution_matrix``.  ``y`` is computed as
    ``convolve(a, x, mode)`` -- the product ``A @ x`` gives the same numbers.

    Examples
    --------
    >>> from convbook.plotting.discrete import toeplitz_figure
    >>> fig = toeplitz_figure([1, 2, 3], 4)
    >>> fig.axes[0].images[0].get_array().tolist()[:3]
    [[1.0, 0.0, 0.0, 0.0], [2.0, 1.0, 0.0, 0.0], [3.0, 2.0, 1.0, 0.0]]
    """
    from convbook.plotting._style import _check_cmap

    a = _sequence("a", a)
    n = check_int("n", n, minimum=1)
    if n > _MAX_SAMPLES:
        raise ValueError(f"n must be an integer in 1..{_MAX_SAMPLES} for a readable picture, got {n}.")
    check_choice("mode", mode, _MODES)
    cmap = _check_cmap(cmap)
    if x is not None:
        x = _sequence("x", x)
        if x.size != n:
            raise ValueError(f"x must have n = {n} samples (the matrix has {n} columns), got {x.size}.")
    A = _floats(discrete.convolution_matrix(a, n, mode))
    rows = A.shape[0]
    if annotate is None:
        annotate = rows <= 16 and n <= 16
    elif not isinstance(annotate, (bool, np.bool_)):
        raise TypeError(f"annotate must be True or False, got {describe(annotate)}.")
    y = None if x is None else _floats(discrete.convolve(a, x, mode))
    vmax = max(float(np.abs(A).max()), 1e-300)
    # One axes, one cell = one unit: A at columns 0..n-1, then x and y = A x to its right.
    x_col, y_col = n + 1.5, n + 3.5
    right = (y_col + 0.5) if x is not None else (n - 0.5)
    if figsize is None:
        width = min(11.0, 1.4 + 0.45 * (right + 0.5))
        tall = max(rows, n) if x is not None else rows
        figsize = (max(width, 3.6), min(9.0, max(2.4, 1.3 + 0.42 * tall)))
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()

    def draw(values, x0, gid, scale, skip_zeros):
        h, w = values.shape
        image = ax.imshow(values, cmap=cmap, vmin=-scale, vmax=scale, interpolation="nearest",
                          extent=(x0 - 0.5, x0 + w - 0.5, h - 0.5, -0.5), gid=gid)
        if annotate:
            for (i, j), value in np.ndenumerate(values):
                if value != 0 or not skip_zeros:
                    ax.text(x0 + j, i, _fmt(value), ha="center", va="center", fontsize="small",
                            color="white" if abs(value) / scale > 0.6 else "black")
        return image

    draw(A, 0, "matrix", vmax, True)
    ax.set_title(f"convolution_matrix(a, n={n}, mode='{mode}'): {rows} x {n}", fontsize="medium")
    ax.set_xlabel("column $j$")
    ax.set_ylabel("row $i$")
    ax.set_xlim(-0.5, right)
    height = max(rows, n) if x is not None else rows
    ax.set_ylim(height - 0.5, -1.3 if x is not None else -0.5)
    ax.set_aspect("equal")
    if rows <= 30 and n <= 30:
        ax.set_xticks(range(n))
        ax.set_yticks(range(rows))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if x is not None:
        xs = _floats(x)
        draw(xs[:, None], x_col, "x", max(float(np.abs(xs).max()), 1e-300), False)
        draw(y[:, None], y_col, "y", max(float(np.abs(y).max()), 1e-300), False)
        middle = (min(rows, n) - 1) / 2
        ax.text((n - 0.5 + x_col - 0.5) / 2, middle, "$\\times$", ha="center", va="center",
                fontsize="large")
        ax.text((x_col + y_col) / 2, middle, "$=$", ha="center", va="center", fontsize="large")
        ax.text(x_col, -1.0, "$x$", ha="center", va="center")
        ax.text(y_col, -1.0, "$y = Ax$", ha="center", va="center")
    return fig
