"""Figures of chapter 5's lesson "Cross-correlation, not convolution", and its images.

Lesson ``05-deep-learning/correlation`` filters a test image with the classic
kernels; the later lessons (``channels``, ``stride-padding-dilation``,
``backprop``, ``equivariance-and-filters``) reuse the same pieces:

- :func:`synthetic_scene` and :func:`standard_kernels`: a test image drawn in
  code (no download) and the classic image filters;
- :func:`image_grid_figure`: a row (or grid) of images, kernels or feature
  maps with their shapes.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import check_int, describe
from convbook.plotting._style import _check_cmap, _check_positive, _new_figure

from ._common import _check_bool, _image_limits, _real_array

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["synthetic_scene", "standard_kernels", "image_grid_figure"]


# --------------------------------------------------------------------------
# A test image and the classic kernels
# --------------------------------------------------------------------------

def synthetic_scene(size: int = 64, *, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """A grey-level test image of simple shapes, drawn in code (nothing is downloaded).

    On a background that brightens slowly from left to right: a bright disk,
    a mid-grey square, a dark triangle, a patch of vertical stripes and a short
    thin bright diagonal line.  Edges in every direction, flat regions, a gradient
    and fine texture: what blur, sharpen and edge filters act on.

    Parameters
    ----------
    size : int, optional
        Height and width in pixels (at least 8).
    noise : float, optional
        Standard deviation of Gaussian noise added to every pixel (>= 0).
    seed : int, optional
        Seed of the noise, for reproducible images.

    Returns
    -------
    numpy.ndarray
        A float64 array of shape ``(size, size)`` with values in ``[0, 1]``
        (row 0 at the top, as images are shown).

    Raises
    ------
    TypeError
        If ``size`` or ``seed`` is not an integer, or ``noise`` not a number.
    ValueError
        If ``size < 8`` or ``noise < 0``.

    Examples
    --------
    >>> from convbook.plotting.nn import synthetic_scene
    >>> img = synthetic_scene(32)
    >>> img.shape, img.dtype, bool(img.min() >= 0 and img.max() <= 1)
    ((32, 32), dtype('float64'), True)
    """
    size = check_int("size", size, minimum=8)
    seed = check_int("seed", seed, minimum=0)
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, numbers.Real):
        raise TypeError(f"noise must be a real number >= 0, got {describe(noise)}.")
    noise = float(noise)
    if not (noise >= 0 and np.isfinite(noise)):
        raise ValueError(f"noise must be a finite real number >= 0, got {noise!r}.")
    u = (np.arange(size) + 0.5) / size
    X, Y = np.meshgrid(u, u)                           # X: column (left -> right), Y: row (top -> bottom)
    img = 0.15 + 0.2 * X                               # a gentle gradient
    img[(X - 0.3) ** 2 + (Y - 0.3) ** 2 < 0.18 ** 2] = 0.95                   # disk
    img[(X > 0.58) & (X < 0.88) & (Y > 0.12) & (Y < 0.42)] = 0.6               # square
    triangle = (Y > 0.58) & (Y < 0.9) & (np.abs(X - 0.72) < (Y - 0.58) * 0.55)
    img[triangle] = 0.02                                                        # triangle
    stripes = (X > 0.1) & (X < 0.42) & (Y > 0.6) & (Y < 0.9)
    img[stripes] = np.where(np.floor(X[stripes] * size / 2) % 2 == 0, 0.8, 0.3)  # 2-pixel stripes
    img[(np.abs(X - Y) < 0.6 / size) & (X > 0.44) & (X < 0.6)] = 1.0           # a short thin line
    if noise > 0:
        img = img + np.random.default_rng(seed).normal(0.0, noise, img.shape)
    return np.clip(img, 0.0, 1.0)


def standard_kernels() -> dict[str, np.ndarray]:
    """The classic image filters as kernels for :func:`convbook.nn.conv2d` (a correlation).

    Returns
    -------
    dict
        ``{name: kernel}``, each a float64 2-D array:

        ``'identity'``
            3x3, a 1 in the centre.
        ``'box blur'``
            3x3, all ``1/9``: the local mean.
        ``'Gaussian blur'``
            5x5, ``outer(b, b) / 256`` with the binomial ``b = (1, 4, 6, 4, 1)``.
        ``'sharpen'``
            ``[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]``: the identity plus
            (the pixel minus its four neighbours).
        ``'Sobel x'``
            ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]``.
        ``'Sobel y'``
            its transpose.
        ``'Laplacian'``
            ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``.
        ``'shift'``
            3x3 with a single 1 right of the centre.

    Notes
    -----
    The kernels are written for a **cross-correlation** (PyTorch's
    ``conv2d``, no flip): ``'Sobel x'`` then responds positively where the
    intensity grows from left to right, ``'Sobel y'`` where it grows
    downwards (row index increasing), and ``'shift'`` reads the right
    neighbour, moving the picture one pixel to the LEFT.  In a true
    convolution (``scipy.signal.convolve2d``) the flip changes the sign of both
    Sobel kernels and moves ``'shift'``'s picture to the right.  The
    symmetric kernels (blurs, sharpen, Laplacian, identity) are the same in
    both conventions.

    Examples
    --------
    >>> from convbook.plotting.nn import standard_kernels
    >>> k = standard_kernels()
    >>> sorted(k)
    ['Gaussian blur', 'Laplacian', 'Sobel x', 'Sobel y', 'box blur', 'identity', 'sharpen', 'shift']
    >>> float(k["Gaussian blur"].sum()), k["Sobel x"][1].tolist()
    (1.0, [-2.0, 0.0, 2.0])
    """
    b = np.array([1.0, 4.0, 6.0, 4.0, 1.0])
    sobel_x = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    shift = np.zeros((3, 3))
    shift[1, 2] = 1.0
    return {
        "identity": identity,
        "box blur": np.full((3, 3), 1.0 / 9.0),
        "Gaussian blur": np.outer(b, b) / 256.0,
        "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
        "Sobel x": sobel_x,
        "Sobel y": sobel_x.T.copy(),
        "Laplacian": np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),
        "shift": shift,
    }


# --------------------------------------------------------------------------
# Images, kernels and feature maps
# --------------------------------------------------------------------------

def image_grid_figure(images: dict[str, ArrayLike], *, ncols: int | None = None, cmap: str | None = None,
                      annotate: bool = False, show_shape: bool = True, suptitle: str | None = None,
                      panel_size: float = 2.4, dpi: float = 80) -> Figure:
    """Show several 2-D arrays (images, kernels, feature maps) side by side, each with its title.

    Parameters
    ----------
    images : dict
        ``{title: 2-D array}``; titles may use matplotlib's mathtext.
    ncols : int, optional
        Panels per row (default: all in one row, at most 6).
    cmap : str, optional
        One colour map for every panel.  By default each panel chooses: grey
        (black = 0) for a non-negative array, and the diverging ``'RdBu_r'``
        centred on 0 (blue negative, red positive) for an array with negative
        values.
    annotate : bool, optional
        Write each value in its cell (for small arrays: at most 15x15).
    show_shape : bool, optional
        Add the shape ``H×W`` to each title.
    suptitle : str, optional
        A title over all panels.
    panel_size : float, optional
        Size of each panel in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per array, in order; each image carries the gid of its title.

    Raises
    ------
    TypeError
        If ``images`` is not a non-empty dict of real arrays, or a flag is not
        a bool.
    ValueError
        If an array is not 2-D, empty or not finite, ``annotate`` is asked
        for an array larger than 15x15, or ``cmap`` is not a colour map.

    Notes
    -----
    Row 0 is at the top, as images are shown (``origin='upper'``), and
    each pixel is drawn as a square (no interpolation).

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting.nn import image_grid_figure
    >>> fig = image_grid_figure({"a": np.eye(3), "b": -np.eye(3)}, annotate=True)
    >>> [ax.get_title() for ax in fig.axes]
    ['a (3×3)', 'b (3×3)']
    """
    if not isinstance(images, dict) or not images:
        raise TypeError(f"images must be a non-empty dict {{title: 2-D array}}, got {describe(images)}.")
    arrays = {str(t): _real_array(f"images[{t!r}]", a, 2) for t, a in images.items()}
    annotate = _check_bool("annotate", annotate)
    show_shape = _check_bool("show_shape", show_shape)
    if cmap is not None:
        cmap = _check_cmap(cmap)
    if annotate:
        for t, a in arrays.items():
            if max(a.shape) > 15:
                raise ValueError(f"annotate=True needs arrays of at most 15x15, images[{t!r}] has shape {a.shape}.")
    n = len(arrays)
    ncols = min(n, 6) if ncols is None else check_int("ncols", ncols, minimum=1)
    nrows = -(-n // ncols)
    size = _check_positive("panel_size", panel_size)
    fig = _new_figure((size * ncols, size * nrows + (0.4 if suptitle else 0.0)),
                      _check_positive("dpi", dpi))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, (title, arr) in zip(axes, arrays.items()):
        cm, lo, hi = _image_limits(arr, cmap)
        ax.imshow(arr, cmap=cm, vmin=lo, vmax=hi, interpolation="nearest", gid=title)
        if annotate:
            for (r, c), v in np.ndenumerate(arr):
                txt = f"{v:.0f}" if v == round(v) else f"{v:.2g}"
                dark = (v - lo) / (hi - lo) if hi > lo else 0.5
                light_text = (cm == "gray" and dark < 0.5) or (cm == "RdBu_r" and abs(v) > 0.6 * hi)
                ax.text(c, r, txt, ha="center", va="center", fontsize=7,
                        color="white" if light_text else "black")
        ax.set_title(f"{title} ({arr.shape[0]}×{arr.shape[1]})" if show_shape else title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n:]:
        ax.set_axis_off()
    if suptitle:
        fig.suptitle(str(suptitle), fontsize=10)
    return fig
