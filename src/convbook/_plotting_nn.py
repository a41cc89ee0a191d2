"""Figures and kernel-free animations for chapter 5, "Convolution in deep learning".

Chapter 5 asks what a deep-learning "convolution" layer computes and how it
differs from the convolution of mathematics.  Its pictures are drawn here:

- :func:`conv_grid_figure` and :func:`conv_grid_animation`: the sliding
  window of a layer on a grid of cells, with its padding, stride and
  dilation, in the manner of Dumoulin and Visin's guide to convolution
  arithmetic; the animation moves the window over every output position;
- :func:`tensor_shapes_figure`: the shapes ``(N, C, H, W)`` of the input,
  ``(K, C/groups, kH, kW)`` of the weights and ``(N, K, H_out, W_out)`` of the
  output, coloured by channel group;
- :func:`strided_sampling_figure`: a strided layer is the stride-1 layer
  sampled every ``s`` positions;
- :func:`im2col_figure`: the im2col matrix next to the image it comes from;
- :func:`image_grid_figure`: a row (or grid) of images, kernels or feature
  maps with their shapes;
- :func:`conv_explorer_figure` and :func:`conv_explorer_animation`: an image,
  a kernel and the layer's output for one setting of stride, padding and
  dilation, with the output size; the animation sweeps the settings and is the
  static twin of the explorer :func:`convbook._widgets_nn.conv2d_explorer`;
- :func:`synthetic_scene` and :func:`standard_kernels`: a test image drawn in
  code (no download) and the classic image filters.

Conventions, out loud: every layer here is PyTorch's ``conv2d`` from
:mod:`convbook.nn`, a **cross-correlation** (the kernel is not flipped);
an integer ``padding`` adds that many zeros on **each** side; ``'same'``
adds ``d(k - 1)`` zeros in total with the odd one at the end (bottom/right),
as PyTorch does.  Figures are :class:`matplotlib.figure.Figure` objects not
registered with pyplot (see :mod:`convbook.plotting`); show animations with
:func:`convbook.plotting.animation_html`.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from . import nn
from ._validation import as_numeric_array, check_int, check_tuple, describe
from . import plotting as _plotting  # private helpers, looked up at call time (safe for re-exports)

__all__ = [
    "synthetic_scene",
    "standard_kernels",
    "conv_grid_figure",
    "conv_grid_animation",
    "tensor_shapes_figure",
    "strided_sampling_figure",
    "im2col_figure",
    "image_grid_figure",
    "conv_explorer_figure",
    "conv_explorer_animation",
]

INPUT_COLOR = "#9ecae1"      # input cells
PAD_COLOR = "white"          # zero padding
TAP_COLOR = "#08519c"        # the kernel taps of the current window
OUTPUT_COLOR = "#e5f5e0"     # output cells not computed yet
DONE_COLOR = "#a1d99b"       # output cells already computed
CURRENT_COLOR = "#238b45"    # the output cell being computed
GROUP_COLORS = ("#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#fb6a4a", "#fdd0a2", "#c7e9c0", "#bcbddc")
MAX_FRAMES = 200


# --------------------------------------------------------------------------
# Validation helpers (private)
# --------------------------------------------------------------------------

def _pads(padding, kernel, stride, dilation):
    """``padding`` -> ((top, bottom), (left, right)), as convbook.nn reads it (plus 'full')."""
    if isinstance(padding, str):
        if padding not in ("valid", "same", "full"):
            raise ValueError(
                f"padding={padding!r} is not allowed. Acceptable padding flags are 'valid', 'same' or "
                "'full' (or an integer >= 0, or a tuple of 2 integers >= 0: zeros added on each side)."
            )
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "full":
            return tuple((d * (k - 1), d * (k - 1)) for k, d in zip(kernel, dilation))
        if any(s != 1 for s in stride):
            raise ValueError(
                f"padding='same' is not supported for strided convolutions, got stride={stride} "
                "(PyTorch refuses it too). Use stride=1, or an explicit integer padding."
            )
        return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))
    return tuple((p, p) for p in check_tuple("padding", padding, 2, minimum=0))


def _out_size(size, kernel, stride, dilation, pads):
    """Output (H_out, W_out); a ValueError naming the sizes if the window does not fit."""
    out = []
    for n, k, s, d, (a, b) in zip(size, kernel, stride, dilation, pads):
        span = d * (k - 1) + 1
        if n + a + b < span:
            raise ValueError(
                f"the dilated kernel (d*(k-1)+1 = {span}) is longer than the padded input "
                f"(n + padding = {n + a + b}): no output position fits."
            )
        out.append((n + a + b - span) // s + 1)
    return tuple(out)


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}.")
    return bool(value)


def _real_array(name, value, ndim):
    arr = as_numeric_array(name, value, ndim=ndim)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got {describe(arr)}.")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers, got {describe(arr)} with nan or inf.")
    return arr


def _check_position(position, out_hw):
    if (not isinstance(position, (tuple, list)) or len(position) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))
                       for v in position)):
        raise TypeError(f"position must be a pair (row, column) of integers, got {describe(position)}.")
    row, col = int(position[0]), int(position[1])
    if not (0 <= row < out_hw[0] and 0 <= col < out_hw[1]):
        raise ValueError(
            f"position must be an output position, 0 <= row < {out_hw[0]} and 0 <= column < {out_hw[1]}, "
            f"got {tuple(position)}."
        )
    return row, col


def _pair_text(values):
    a, b = values
    return f"{a}" if a == b else f"({a}, {b})"


def _pad_text(pads):
    (t, b), (left, r) = pads
    if t == b and left == r:
        return _pair_text((t, left))
    return f"(top {t}, bottom {b}, left {left}, right {r})"


# --------------------------------------------------------------------------
# A test image and the classic kernels
# --------------------------------------------------------------------------

def synthetic_scene(size=64, *, noise=0.0, seed=0):
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
    >>> from convbook._plotting_nn import synthetic_scene
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


def standard_kernels():
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
    >>> from convbook._plotting_nn import standard_kernels
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
# The sliding window on a grid (Dumoulin & Visin style)
# --------------------------------------------------------------------------

class _ConvGrid:
    """Padded input grid and output grid side by side in one axes; the window moves."""

    def __init__(self, ax, size, kernel, stride, padding, dilation, title):
        self.size = check_tuple("n", size, 2, minimum=1)
        self.kernel = check_tuple("kernel_size", kernel, 2, minimum=1)
        self.stride = check_tuple("stride", stride, 2, minimum=1)
        self.dilation = check_tuple("dilation", dilation, 2, minimum=1)
        self.pads = _pads(padding, self.kernel, self.stride, self.dilation)
        self.out = _out_size(self.size, self.kernel, self.stride, self.dilation, self.pads)
        for name, value in (("n", self.size), ("output", self.out)):
            if max(value) > 24:
                raise ValueError(f"the grid is too large to draw: {name} = {value}; keep sizes <= 24.")
        self.ax = ax
        (pt, pb), (pl, pr) = self.pads
        H, W = self.size
        Hp, Wp = H + pt + pb, W + pl + pr
        Ho, Wo = self.out
        self.x0, self.y0 = Wp + 2.0, (Hp - Ho) / 2.0
        for r in range(Hp):
            for c in range(Wp):
                inside = pt <= r < pt + H and pl <= c < pl + W
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=INPUT_COLOR if inside else PAD_COLOR,
                                       edgecolor="0.25" if inside else "0.6", lw=0.8,
                                       ls="-" if inside else "--", gid="input" if inside else "padding"))
        self.out_cells = []
        for r in range(Ho):
            for c in range(Wo):
                cell = Rectangle((self.x0 + c, self.y0 + r), 1, 1, facecolor=OUTPUT_COLOR,
                                 edgecolor="0.25", lw=0.8, gid="output")
                ax.add_patch(cell)
                self.out_cells.append(cell)
        kh, kw = self.kernel
        self.taps = [Rectangle((0, 0), 1, 1, facecolor=TAP_COLOR, alpha=0.55, edgecolor="none", gid="tap")
                     for _ in range(kh * kw)]
        for tap in self.taps:
            ax.add_patch(tap)
        (dh, dw) = self.dilation
        self.window = Rectangle((0, 0), dh * (kh - 1) + 1, dw * (kw - 1) + 1, fill=False,
                                edgecolor=TAP_COLOR, lw=2.0, gid="window")
        ax.add_patch(self.window)
        self.current = Rectangle((0, 0), 1, 1, facecolor=CURRENT_COLOR, edgecolor="0.1", lw=1.5,
                                 gid="current")
        ax.add_patch(self.current)
        ax.text(Wp / 2, -0.4, "input (dashed: padding)", ha="center", va="bottom", fontsize=9)
        ax.text(self.x0 + Wo / 2, self.y0 - 0.4, "output", ha="center", va="bottom", fontsize=9)
        self.label = ax.text((self.x0 + Wo) / 2, max(Hp, self.y0 + Ho) + 0.4, "", ha="center", va="top",
                             fontsize=8)
        ax.set_xlim(-0.5, self.x0 + Wo + 0.5)
        ax.set_ylim(max(Hp, self.y0 + Ho) + 1.6, -1.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title is None:
            title = (f"input {H}×{W}, kernel {kh}×{kw}, stride {_pair_text(self.stride)},\n"
                     f"padding {_pad_text(self.pads)}, dilation {_pair_text(self.dilation)}"
                     f" → output {Ho}×{Wo}")
        ax.set_title(title, fontsize=9)

    def update(self, position):
        row, col = _check_position(position, self.out)
        (sh, sw), (dh, dw) = self.stride, self.dilation
        kh, kw = self.kernel
        top, left = row * sh, col * sw
        for idx, tap in enumerate(self.taps):
            i, j = divmod(idx, kw)
            tap.set_xy((left + j * dw, top + i * dh))
        self.window.set_xy((left, top))
        self.current.set_xy((self.x0 + col, self.y0 + row))
        Wo = self.out[1]
        for k, cell in enumerate(self.out_cells):
            cell.set_facecolor(DONE_COLOR if k < row * Wo + col else OUTPUT_COLOR)
        self.label.set_text(f"output ({row}, {col}) reads padded rows {top}–{top + dh * (kh - 1)}, "
                            f"columns {left}–{left + dw * (kw - 1)}")


def conv_grid_figure(n, kernel_size, stride=1, padding=0, dilation=1, position=(0, 0), *, ax=None,
                     title=None, figsize=(6.0, 3.4), dpi=80):
    """Draw a convolution layer's sliding window on a grid: padded input, window, output.

    The padded input is drawn on the left (input cells blue, padding cells
    white with dashed edges), the output grid on the right.  The window of
    output position ``(row, col)`` covers the padded-input cells

    .. math:: (row\\, s_h + i\\, d_h,\\; col\\, s_w + j\\, d_w), \\qquad
              0 \\le i < k_h,\\; 0 \\le j < k_w,

    shaded dark blue (with dilation ``d > 1`` there are gaps between them);
    the output cell is dark green and the cells before it in row-major order
    light green.  The title states the output size,
    ``floor((n + p_begin + p_end - d(k-1) - 1)/s) + 1`` per dimension.

    Parameters
    ----------
    n : int or (int, int)
        Input height and width (at most 24).
    kernel_size : int or (int, int)
        Kernel height and width.
    stride, dilation : int or (int, int), optional
        As in :func:`convbook.nn.conv2d`.
    padding : int, (int, int), 'valid', 'same' or 'full', optional
        An int adds that many zeros on EACH side (PyTorch).  ``'same'`` (only
        with stride 1) adds ``d(k-1)`` in total, the odd one at the end
        (bottom/right) as PyTorch does; ``'full'`` adds ``d(k-1)`` on each
        side (every window that overlaps the input; not a PyTorch option,
        spelled ``padding=d*(k-1)`` there).
    position : (int, int), optional
        The output position whose window is drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title (default: the setting and the output size).
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.  Patches carry gids: ``'input'``, ``'padding'``,
        ``'output'``, ``'tap'`` (one per kernel tap), ``'window'`` and
        ``'current'``.

    Raises
    ------
    TypeError
        If a size is not an integer (or pair of integers), or ``position`` is
        not a pair of integers.
    ValueError
        If a size is out of range, the padding flag is unknown, ``'same'`` is
        asked with a stride, the dilated kernel does not fit in the padded
        input, a grid is larger than 24, or ``position`` is not an output
        position.

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.

    Examples
    --------
    >>> from convbook._plotting_nn import conv_grid_figure
    >>> fig = conv_grid_figure(5, 3, stride=2, padding=1, position=(1, 2))
    >>> fig.axes[0].get_title()
    'input 5×5, kernel 3×3, stride 2,\\npadding 1, dilation 1 → output 3×3'
    >>> taps = [p.get_xy() for p in fig.axes[0].patches if p.get_gid() == "tap"]
    >>> [(int(x), int(y)) for x, y in taps[:3]]      # (column, row) in the padded input
    [(4, 2), (5, 2), (6, 2)]
    """
    if ax is None:
        fig = _plotting._new_figure(_plotting._check_figsize(figsize), _plotting._check_positive("dpi", dpi))
        ax = fig.subplots()
    else:
        fig, ax = _plotting._figure_and_axes(ax, figsize, dpi)
    grid = _ConvGrid(ax, n, kernel_size, stride, padding, dilation, None if title is None else str(title))
    grid.update(position)
    return fig


def conv_grid_animation(n, kernel_size, stride=1, padding=0, dilation=1, *, interval=600,
                        figsize=(6.0, 3.4), dpi=72):
    """Move a layer's window over every output position, in row-major order: an animation.

    Each frame is :func:`conv_grid_figure` at the next output position: the
    window (dark blue taps) steps by the stride across the padded input and
    the output cells fill in, one per frame.  Show it without a kernel with
    :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation
        As in :func:`conv_grid_figure`.
    interval : float, optional
        Delay between frames, in milliseconds.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``H_out * W_out`` frames; the figure is not registered with pyplot.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv_grid_figure`, and a ``ValueError`` if the output has
        more than 200 positions (one frame each).

    Notes
    -----
    The layer is PyTorch's ``conv2d`` (a cross-correlation); the picture
    shows which cells are read, not the kernel's values, so it is the same for
    a true convolution with the flipped kernel.

    Examples
    --------
    >>> from convbook._plotting_nn import conv_grid_animation
    >>> from convbook.plotting import animation_html
    >>> anim = conv_grid_animation(4, 3, padding=0, dpi=30)
    >>> page = animation_html(anim)
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))     # a 2x2 output: 4 frames
    4
    """
    interval = _plotting._check_positive("interval", interval)
    fig = _plotting._new_figure(_plotting._check_figsize(figsize), _plotting._check_positive("dpi", dpi))
    ax = fig.subplots()
    grid = _ConvGrid(ax, n, kernel_size, stride, padding, dilation, None)
    Ho, Wo = grid.out
    if Ho * Wo > MAX_FRAMES:
        raise ValueError(f"the output has {Ho * Wo} positions, one frame each: at most {MAX_FRAMES} are allowed.")
    grid.update((0, 0))

    def frame(k):
        grid.update(divmod(k, Wo))

    return FuncAnimation(fig, frame, frames=Ho * Wo, interval=interval, blit=False, repeat=True)


# --------------------------------------------------------------------------
# Shapes of a layer
# --------------------------------------------------------------------------

def _stack(ax, x, y, count, width, height, colors, *, depth=0.22, gid=None):
    """``count`` rectangles offset up-right (a pseudo-3-D stack); (x, y) is the front one's corner."""
    for m in reversed(range(count)):
        ax.add_patch(Rectangle((x + m * depth, y + m * depth), width, height, facecolor=colors[m],
                               edgecolor="0.2", lw=0.8, gid=gid))
    return x + width + (count - 1) * depth, y + height + (count - 1) * depth


def tensor_shapes_figure(in_channels=3, out_channels=4, size=6, kernel_size=3, *, groups=1, stride=1,
                         padding=0, dilation=1, batch=1, figsize=(9.0, 4.4), dpi=80):
    """Draw the shapes of a conv2d layer: input, weights (one kernel stack per output channel), output.

    Left, one sample of the input ``x`` of shape ``(N, C, H, W)``: ``C``
    feature maps.  Middle, the weights ``w`` of shape
    ``(K, C/groups, kH, kW)``: ``K`` kernel stacks, one per output channel,
    each with ``C/groups`` kernels.  Right, the output of shape
    ``(N, K, H_out, W_out)``.  Output channel ``k`` is

    .. math:: \\text{out}[k] = b[k] + \\sum_{c \\in \\text{group}(k)} x[c] \\star w[k, c],

    a sum over the input channels of its group of 2-D cross-correlations
    (:math:`\\star`, no flip).  Channels are coloured by group, so the figure
    shows which input channels each kernel stack reads.

    Parameters
    ----------
    in_channels, out_channels : int, optional
        ``C`` and ``K`` (1 to 16), both divisible by ``groups``.
    size : int or (int, int), optional
        The input's height and width.
    kernel_size : int or (int, int), optional
        The kernels' height and width.
    groups, stride, padding, dilation : optional
        As in :func:`convbook.nn.conv2d` (padding: an int or pair per side,
        ``'valid'`` or ``'same'``).
    batch : int, optional
        ``N``, only written in the shapes (one sample is drawn).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; its patches carry gids ``'x'``, ``'w'`` and ``'out'``, and
        the texts with gid ``'shape'`` state the shapes.

    Raises
    ------
    TypeError
        If an argument is not an integer (or pair of integers).
    ValueError
        If channels are out of range or not divisible by ``groups``, or the
        setting is not a valid layer (as for :func:`convbook.nn.conv2d`).

    Examples
    --------
    >>> from convbook._plotting_nn import tensor_shapes_figure
    >>> fig = tensor_shapes_figure(3, 4, size=6, kernel_size=3)
    >>> for text in fig.axes[0].texts:
    ...     if text.get_gid() == "shape":
    ...         print(text.get_text())
    x: (N, C, H, W)
    = (1, 3, 6, 6)
    w: (K, C/groups, kH, kW)
    = (4, 3, 3, 3)
    out: (N, K, H_out, W_out)
    = (1, 4, 4, 4)
    bias: (K,) = (4,)
    """
    C = check_int("in_channels", in_channels, minimum=1)
    K = check_int("out_channels", out_channels, minimum=1)
    G = check_int("groups", groups, minimum=1)
    N = check_int("batch", batch, minimum=1)
    for name, value in (("in_channels", C), ("out_channels", K)):
        if value > 16:
            raise ValueError(f"{name} must be at most 16 to be drawn, got {value}.")
        if value % G:
            raise ValueError(f"{name}={value} is not divisible by groups={G}.")
    H, W = check_tuple("size", size, 2, minimum=1)
    kh, kw = check_tuple("kernel_size", kernel_size, 2, minimum=1)
    s = check_tuple("stride", stride, 2, minimum=1)
    d = check_tuple("dilation", dilation, 2, minimum=1)
    pads = _pads(padding, (kh, kw), s, d)
    if isinstance(padding, str) and padding == "full":
        raise ValueError("padding='full' is not a conv2d option: use padding=d*(k-1).")
    Ho, Wo = _out_size((H, W), (kh, kw), s, d, pads)
    Cg, Kg = C // G, K // G
    fig = _plotting._new_figure(_plotting._check_figsize(figsize), _plotting._check_positive("dpi", dpi))
    ax = fig.subplots()
    unit = 3.0 / max(H, W, Ho, Wo)
    depth = 0.22

    def colour(group):
        return GROUP_COLORS[group % len(GROUP_COLORS)]

    # input, centred on y = 0
    xh = H * unit + (C - 1) * depth
    x_right, x_top = _stack(ax, 0.0, -xh / 2, C, W * unit, H * unit, [colour(c // Cg) for c in range(C)],
                            depth=depth, gid="x")
    # weights: K stacks in a column of height about that of the input
    column = max(xh, 3.2)
    pitch = column / K
    kdepth = min(depth * 0.6, 0.25 * pitch / max(Cg - 1, 1))
    scale = min(1.0, (0.8 * pitch - (Cg - 1) * kdepth) / (kh * unit))
    kw_draw, kh_draw = kw * unit * scale, kh * unit * scale
    wx = x_right + 2.0
    w_right = wx
    for k in range(K):
        yk = column / 2 - (k + 1) * pitch + 0.1 * pitch
        r, _ = _stack(ax, wx, yk, Cg, kw_draw, kh_draw, [colour(k // Kg)] * Cg, depth=kdepth, gid="w")
        w_right = max(w_right, r)
        if K <= 8:
            ax.text(wx - 0.1, yk + kh_draw / 2, f"k={k}", ha="right", va="center", fontsize=7)
    # output
    ox = w_right + 2.0
    oh = Ho * unit + (K - 1) * depth
    o_right, o_top = _stack(ax, ox, -oh / 2, K, Wo * unit, Ho * unit, [colour(k // Kg) for k in range(K)],
                            depth=depth, gid="out")
    top = max(x_top, o_top, column / 2)
    bottom = -max(xh, oh, column) / 2 - 0.3
    labels = (
        ((x_right) / 2, f"x: (N, C, H, W) = ({N}, {C}, {H}, {W})", "input"),
        ((wx + w_right) / 2, f"w: (K, C/groups, kH, kW) = ({K}, {Cg}, {kh}, {kw})", "weights"),
        ((ox + o_right) / 2, f"out: (N, K, H_out, W_out) = ({N}, {K}, {Ho}, {Wo})", "output"),
        ((wx + w_right) / 2, f"bias: (K,) = ({K},)", None),
    )
    for k, (xc, text, heading) in enumerate(labels):
        y = bottom - (0.55 if heading is None else 0.0)
        ax.text(xc, y, text.replace(" = ", "\n= ") if heading else text, ha="center", va="top",
                fontsize=8.5, gid="shape")
        if heading:
            ax.text(xc, top + 0.3, heading, ha="center", va="bottom", fontsize=10, fontweight="bold")
    arrow = dict(arrowstyle="-|>", color="0.3", lw=1.2)
    ax.annotate("", xy=(wx - (0.75 if K <= 8 else 0.2), 0), xytext=(x_right + 0.15, 0), arrowprops=arrow)
    ax.annotate("", xy=(ox - 0.15, 0), xytext=(w_right + 0.15, 0), arrowprops=arrow)
    plural = "s" if Cg > 1 else ""
    note = f"K = {K} kernel stacks of C/groups = {Cg} kernel{plural}: stack k makes output channel k"
    if G > 1:
        note += f"\ngroups = {G}: stack k reads only the {Cg} input channel{plural} of its colour"
    else:
        note += f" from all C = {C} input channels"
    ax.text((o_right) / 2, bottom - 1.55, note, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.8, o_right + 0.8)
    ax.set_ylim(bottom - 2.4, top + 0.9)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig


# --------------------------------------------------------------------------
# Stride as subsampling
# --------------------------------------------------------------------------

def strided_sampling_figure(x, w, stride, *, figsize=(7.0, 4.0), dpi=80):
    """Show that a strided layer is the stride-1 layer sampled every ``s`` positions (1-D).

    .. math:: y_s[m] = \\sum_i x[m s + i]\\, w[i] = y_1[m s]

    Top: the input ``x``.  Middle: the stride-1 output ``y_1`` (grey), with
    the samples ``y_1[0], y_1[s], y_1[2s], ...`` marked.  Bottom: the strided
    output ``y_s`` computed directly by :func:`convbook.nn.conv1d` with
    ``stride=s``, drawn at the positions ``m s`` where its windows start: the
    same values.

    Parameters
    ----------
    x : array_like
        1-D real input.
    w : array_like
        1-D real kernel, not longer than ``x``.
    stride : int
        The stride ``s`` (>= 1).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes; the lines carry gids ``'x'``, ``'stride 1'``, ``'kept'``
        and ``'strided'``.

    Raises
    ------
    TypeError
        If ``x`` or ``w`` does not hold real numbers, or ``stride`` is not an
        integer.
    ValueError
        If ``x`` or ``w`` is not 1-D, empty or not finite, ``w`` is longer
        than ``x``, or ``stride < 1``.

    Notes
    -----
    No padding, no dilation, cross-correlation (no flip), as ``conv1d``.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_nn import strided_sampling_figure
    >>> fig = strided_sampling_figure(np.sin(np.arange(20) / 3), [1.0, -1.0], 3)
    >>> [ax.get_title() for ax in fig.axes][2]
    'stride 3: $y_3[m]$ (7 samples), drawn at position $3m$'
    """
    x = _real_array("x", x, 1)
    w = _real_array("w", w, 1)
    s = check_int("stride", stride, minimum=1)
    if w.size > x.size:
        raise ValueError(f"w must not be longer than x, got len(w) = {w.size} > len(x) = {x.size}.")
    y1 = nn.conv1d(x[None], w[None, None])[0]
    ys = nn.conv1d(x[None], w[None, None], stride=s)[0]
    fig = _plotting._new_figure(_plotting._check_figsize(figsize), _plotting._check_positive("dpi", dpi))
    ax_x, ax_1, ax_s = fig.subplots(3, 1, sharex=True)
    pos = np.arange(x.size)
    ax_x.stem(pos, x, linefmt="C0-", markerfmt="C0o", basefmt="0.6").markerline.set_gid("x")
    ax_x.set_title("input $x$", fontsize=10)
    t1 = np.arange(y1.size)
    stem = ax_1.stem(t1, y1, linefmt="0.7", markerfmt="o", basefmt="0.6")
    stem.markerline.set_color("0.6")
    stem.markerline.set_gid("stride 1")
    (kept,) = ax_1.plot(t1[::s], y1[::s], "o", color="C3", ms=8, mfc="none", mew=2, gid="kept")
    ax_1.set_title(f"stride 1: $y_1[t]$ ({y1.size} samples); $t = 0, {s}, {2 * s}, \\ldots$ circled",
                  fontsize=10)
    tm = np.arange(ys.size) * s
    st = ax_s.stem(tm, ys, linefmt="C3-", markerfmt="C3o", basefmt="0.6")
    st.markerline.set_gid("strided")
    ax_s.set_title(f"stride {s}: $y_{s}[m]$ ({ys.size} samples), drawn at position ${s}m$", fontsize=10)
    ax_s.set_xlabel("position $t$ in the input where the window starts")
    for ax in (ax_x, ax_1, ax_s):
        ax.axhline(0, color="0.8", lw=0.6)
    return fig


# --------------------------------------------------------------------------
# im2col
# --------------------------------------------------------------------------

def _annotate(ax, values, fmt, highlight=None):
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            v = values[r, c]
            text = fmt.format(v)
            bold = highlight is not None and highlight[r, c]
            ax.text(c, r, text, ha="center", va="center", fontsize=8,
                    color="white" if bold else "black", fontweight="bold" if bold else "normal")


def im2col_figure(x, kernel_size, column=0, *, stride=1, padding=0, dilation=1, figsize=(9.0, 3.6), dpi=80):
    """Draw an image next to its im2col matrix, one window and its column highlighted.

    :func:`convbook.nn.unfold` turns every window of the (padded) image into
    a column; the window of output position ``(y, x)`` becomes column
    ``y W_out + x``, read row by row (row-major).  The conv2d layer is then
    one matrix product, ``w.reshape(K, -1) @ cols``.

    Parameters
    ----------
    x : array_like
        A small 2-D real image (at most 10x10), e.g. ``np.arange(16).reshape(4, 4)``.
    kernel_size : int or (int, int)
        Window size.
    column : int, optional
        The window (column of the matrix) to highlight.
    stride, padding, dilation : optional
        As in :func:`convbook.nn.unfold` (padding per side).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the padded image (gid ``'image'``) and the matrix (gid
        ``'cols'``), values written in the cells.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers or a parameter is not an integer.
    ValueError
        If ``x`` is not 2-D or larger than 10x10, the window does not fit,
        the matrix would have more than 40 columns, or ``column`` is out of
        range.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook._plotting_nn import im2col_figure
    >>> fig = im2col_figure(np.arange(9).reshape(3, 3), 2, column=3)
    >>> fig.axes[1].get_title()
    'im2col matrix: 4 rows (kH·kW·C) × 4 columns (windows)'
    """
    x = _real_array("x", x, 2)
    if max(x.shape) > 10:
        raise ValueError(f"x must be at most 10x10 to be drawn with its values, got shape {x.shape}.")
    kernel = check_tuple("kernel_size", kernel_size, 2, minimum=1)
    s = check_tuple("stride", stride, 2, minimum=1)
    d = check_tuple("dilation", dilation, 2, minimum=1)
    p = check_tuple("padding", padding, 2, minimum=0)
    pads = ((p[0], p[0]), (p[1], p[1]))
    Ho, Wo = _out_size(x.shape, kernel, s, d, pads)
    if Ho * Wo > 40:
        raise ValueError(f"the matrix would have {Ho * Wo} columns: at most 40 can be drawn.")
    column = check_int("column", column, minimum=0)
    if column >= Ho * Wo:
        raise ValueError(f"column must be < {Ho * Wo} (the number of windows), got {column}.")
    cols = nn.unfold(x[None], kernel, dilation=d, padding=p, stride=s)
    xp = np.pad(x, pads)
    row, col = divmod(column, Wo)
    mask = np.zeros(xp.shape, bool)
    mask[row * s[0]: row * s[0] + d[0] * (kernel[0] - 1) + 1: d[0],
         col * s[1]: col * s[1] + d[1] * (kernel[1] - 1) + 1: d[1]] = True
    cmask = np.zeros(cols.shape, bool)
    cmask[:, column] = True
    fig = _plotting._new_figure(_plotting._check_figsize(figsize), _plotting._check_positive("dpi", dpi))
    ax_i, ax_c = fig.subplots(1, 2, width_ratios=(xp.shape[1] + 1, cols.shape[1] + 1))
    integer = bool(np.all(x == np.round(x)))
    fmt = "{:.0f}" if integer else "{:.2g}"
    for ax, values, m, gid in ((ax_i, xp, mask, "image"), (ax_c, cols, cmask, "cols")):
        shade = np.where(m, 1.0, 0.0)
        ax.imshow(shade, cmap="Blues", vmin=-0.15, vmax=1.4, interpolation="nearest", gid=gid)
        _annotate(ax, values, fmt, m)
        ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="0.6", lw=0.6)
        ax.tick_params(which="both", length=0, labelsize=7)
    if p != (0, 0):
        H, W = x.shape
        ax_i.add_patch(Rectangle((p[1] - 0.5, p[0] - 0.5), W, H, fill=False, edgecolor="0.1", lw=1.5))
    ax_i.set_title(f"image {x.shape[0]}×{x.shape[1]}" + (" (padded)" if p != (0, 0) else "")
                   + f", window {column} at ({row}, {col})", fontsize=9)
    ax_c.set_title(f"im2col matrix: {cols.shape[0]} rows (kH·kW·C) × {cols.shape[1]} columns (windows)",
                   fontsize=9)
    ax_c.set_xlabel("window index $y\\,W_{out} + x$")
    ax_c.set_ylabel("tap $(i, j)$, row-major")
    return fig


# --------------------------------------------------------------------------
# Images, kernels and feature maps
# --------------------------------------------------------------------------

def _image_limits(arr, cmap):
    """(cmap, vmin, vmax): grey for non-negative images, a diverging map centred on 0 otherwise."""
    if cmap is not None:
        return cmap, float(arr.min()), float(arr.max()) if arr.max() > arr.min() else float(arr.min()) + 1
    m = float(np.abs(arr).max())
    if arr.min() < -1e-9 * max(m, 1.0):      # rounding errors below 0 do not make an image signed
        return "RdBu_r", -m, m
    top = float(arr.max())
    return "gray", 0.0, top if top > 0 else 1.0


def image_grid_figure(images, *, ncols=None, cmap=None, annotate=False, show_shape=True, suptitle=None,
                      panel_size=2.4, dpi=80):
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
    >>> from convbook._plotting_nn import image_grid_figure
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
        cmap = _plotting._check_cmap(cmap)
    if annotate:
        for t, a in arrays.items():
            if max(a.shape) > 15:
                raise ValueError(f"annotate=True needs arrays of at most 15x15, images[{t!r}] has shape {a.shape}.")
    n = len(arrays)
    ncols = min(n, 6) if ncols is None else check_int("ncols", ncols, minimum=1)
    nrows = -(-n // ncols)
    size = _plotting._check_positive("panel_size", panel_size)
    fig = _plotting._new_figure((size * ncols, size * nrows + (0.4 if suptitle else 0.0)),
                                _plotting._check_positive("dpi", dpi))
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


# --------------------------------------------------------------------------
# The explorer's picture and its static twin
# --------------------------------------------------------------------------

class _Explorer:
    """Padded input with one window, the kernel, and the output; update() changes the setting."""

    def __init__(self, image, kernel, kernel_name, figsize, dpi):
        self.image = _real_array("image", image, 2)
        self.kernel = _real_array("kernel", kernel, 2)
        if max(self.image.shape) > 256:
            raise ValueError(f"image must be at most 256x256, got shape {self.image.shape}.")
        if max(self.kernel.shape) > 15:
            raise ValueError(f"kernel must be at most 15x15, got shape {self.kernel.shape}.")
        self.kernel_name = "kernel" if kernel_name is None else str(kernel_name)
        self.fig = _plotting._new_figure(_plotting._check_figsize(figsize),
                                         _plotting._check_positive("dpi", dpi))
        self.ax_in, self.ax_k, self.ax_out = self.fig.subplots(1, 3, width_ratios=(1.0, 0.55, 1.0))
        lo, hi = float(self.image.min()), float(self.image.max())
        self.in_im = self.ax_in.imshow(self.image, cmap="gray", vmin=min(lo, 0.0), vmax=max(hi, lo + 1e-12),
                                       interpolation="nearest", gid="input")
        self.frame = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#ffb000", lw=1.2, ls="--",
                               gid="image border")
        self.ax_in.add_patch(self.frame)
        self.window = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#ff3b3b", lw=1.6, gid="window")
        self.ax_in.add_patch(self.window)
        (self.taps,) = self.ax_in.plot([], [], "s", color="#ff3b3b", ms=3, gid="taps")
        cm, klo, khi = _image_limits(self.kernel, None)
        self.ax_k.imshow(self.kernel, cmap=cm, vmin=klo, vmax=khi, interpolation="nearest", gid="kernel")
        if max(self.kernel.shape) <= 7:
            for (r, c), v in np.ndenumerate(self.kernel):
                txt = f"{v:.0f}" if v == round(v) else f"{v:.2g}"
                self.ax_k.text(c, r, txt, ha="center", va="center", fontsize=7,
                               color="white" if (cm == "gray" and v < 0.5 * khi) or abs(v) > 0.6 * khi
                               else "black")
        self.ax_k.set_title(f"{self.kernel_name}\n{self.kernel.shape[0]}×{self.kernel.shape[1]}, no flip",
                            fontsize=9)
        self.out_im = self.ax_out.imshow(np.zeros((1, 1)), cmap="gray", interpolation="nearest", gid="output")
        self.current = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#ff3b3b", lw=1.6, gid="current")
        self.ax_out.add_patch(self.current)
        for ax in (self.ax_in, self.ax_k, self.ax_out):
            ax.set_xticks([])
            ax.set_yticks([])
        self.size_text = self.fig.suptitle("", fontsize=9)
        self.out_shape = None

    def update(self, stride=1, padding=0, dilation=1, position=None):
        kh, kw = self.kernel.shape
        s = check_tuple("stride", stride, 2, minimum=1)
        d = check_tuple("dilation", dilation, 2, minimum=1)
        pads = _pads(padding, (kh, kw), s, d)
        if isinstance(padding, str) and padding == "full":
            raise ValueError("padding='full' is not a conv2d option: use padding=d*(k-1).")
        Ho, Wo = _out_size(self.image.shape, (kh, kw), s, d, pads)
        torch_padding = padding if isinstance(padding, str) else check_tuple("padding", padding, 2, minimum=0)
        out = nn.conv2d(self.image[None], self.kernel[None, None], stride=s, padding=torch_padding,
                        dilation=d)[0]
        (pt, pb), (pl, pr) = pads
        H, W = self.image.shape
        padded = np.pad(self.image, pads)
        self.in_im.set_data(padded)
        self.in_im.set_extent((-0.5, padded.shape[1] - 0.5, padded.shape[0] - 0.5, -0.5))
        self.ax_in.set_xlim(-0.5, padded.shape[1] - 0.5)
        self.ax_in.set_ylim(padded.shape[0] - 0.5, -0.5)
        self.frame.set_bounds(pl - 0.5, pt - 0.5, W, H)
        row, col = (Ho // 2, Wo // 2) if position is None else _check_position(position, (Ho, Wo))
        top, left = row * s[0], col * s[1]
        self.window.set_bounds(left - 0.5, top - 0.5, d[1] * (kw - 1) + 1, d[0] * (kh - 1) + 1)
        ii, jj = np.meshgrid(np.arange(kh) * d[0] + top, np.arange(kw) * d[1] + left, indexing="ij")
        self.taps.set_data(jj.ravel(), ii.ravel())
        self.taps.set_visible(d != (1, 1))
        self.ax_in.set_title(f"input {H}×{W}, padded to {padded.shape[0]}×{padded.shape[1]}\n"
                             f"window of output ({row}, {col})", fontsize=9)
        cm, lo, hi = _image_limits(out, None)
        self.out_im.set_data(out)
        self.out_im.set_cmap(cm)
        self.out_im.set_clim(lo, hi)
        self.out_im.set_extent((-0.5, Wo - 0.5, Ho - 0.5, -0.5))
        self.ax_out.set_xlim(-0.5, Wo - 0.5)
        self.ax_out.set_ylim(Ho - 0.5, -0.5)
        self.current.set_bounds(col - 0.5, row - 0.5, 1, 1)
        self.ax_out.set_title(f"output {Ho}×{Wo}\nstride {_pair_text(s)}, padding {_pad_text(pads)}, "
                              f"dilation {_pair_text(d)}", fontsize=9)
        self.size_text.set_text(
            f"$H_{{out}} = \\lfloor (H + p_{{top}} + p_{{bottom}} - d(k-1) - 1)/s \\rfloor + 1 = "
            f"\\lfloor ({H} + {pt} + {pb} - {d[0]}\\cdot{kh - 1} - 1)/{s[0]} \\rfloor + 1 = {Ho}$"
        )
        self.out_shape = (Ho, Wo)
        return out


def conv_explorer_figure(image, kernel, stride=1, padding=0, dilation=1, *, position=None, kernel_name=None,
                         figsize=(9.0, 3.6), dpi=80):
    """Draw one conv2d layer on an image: the padded input with a window, the kernel, the output and its size.

    Left, the input zero-padded as the layer pads it (the original image
    framed by a dashed line) with the window of one output position (red; its
    taps marked when dilated).  Middle, the kernel with its values.  Right,
    the output ``convbook.nn.conv2d(image, kernel, stride, padding,
    dilation)``, with that position framed.  Above, the output height

    .. math:: H_{out} = \\left\\lfloor \\frac{H + p_{top} + p_{bottom} - d(k_H - 1) - 1}{s} \\right\\rfloor + 1

    with the numbers filled in.

    Parameters
    ----------
    image : array_like
        2-D real image (at most 256x256).
    kernel : array_like
        2-D real kernel (at most 15x15), used as it is: no flip.
    stride, dilation : int or (int, int), optional
        As in :func:`convbook.nn.conv2d`.
    padding : int, (int, int), 'valid' or 'same', optional
        As in :func:`convbook.nn.conv2d` (an int is per side).
    position : (int, int), optional
        The output position whose window is drawn (default: the middle one).
    kernel_name : str, optional
        The kernel's name, for its title.
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes; the images carry gids ``'input'`` (the padded input),
        ``'kernel'`` and ``'output'``.

    Raises
    ------
    TypeError
        If ``image`` or ``kernel`` does not hold real numbers, or a parameter
        is not an integer.
    ValueError
        If the arrays are not 2-D, empty, not finite or too large, or the
        setting is not a valid layer (``'same'`` with a stride, a dilated
        kernel larger than the padded input, ...).

    Examples
    --------
    >>> from convbook._plotting_nn import conv_explorer_figure, synthetic_scene, standard_kernels
    >>> fig = conv_explorer_figure(synthetic_scene(16), standard_kernels()["Sobel x"], stride=2, padding=1)
    >>> fig.axes[2].get_images()[0].get_array().shape
    (8, 8)
    """
    picture = _Explorer(image, kernel, kernel_name, figsize, dpi)
    picture.update(stride, padding, dilation, position)
    return picture.fig


DEFAULT_SETTINGS = tuple(
    dict(stride=s, padding=p, dilation=d)
    for d in (1, 2) for s in (1, 2, 3) for p in (0, 1, 2)
)


def conv_explorer_animation(image, kernel, settings=None, *, kernel_name=None, interval=900,
                            figsize=(9.0, 3.6), dpi=72):
    """Sweep stride, padding and dilation in the explorer's picture: an animation.

    Each frame is :func:`conv_explorer_figure` for one setting: the padding
    grows the input, the stride shrinks the output, the dilation spreads the
    window's taps, and the output size above follows the formula.  It is the
    static twin of :func:`convbook._widgets_nn.conv2d_explorer`; show it with
    :func:`convbook.plotting.animation_html`.

    Parameters
    ----------
    image, kernel, kernel_name, figsize, dpi
        As in :func:`conv_explorer_figure`.
    settings : sequence of dict, optional
        One dict per frame with any of the keys ``'stride'``, ``'padding'``,
        ``'dilation'`` and ``'position'`` (1 to 200 frames).  The default
        sweeps dilation 1 and 2, stride 1 to 3 and padding 0 to 2: 18 frames.
    interval : float, optional
        Delay between frames, in milliseconds.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation; the figure is not registered with pyplot.

    Raises
    ------
    TypeError
        As :func:`conv_explorer_figure`, or if ``settings`` is not a sequence
        of dicts with the keys above.
    ValueError
        As :func:`conv_explorer_figure` for any setting (every setting is
        checked before the animation is built), or if there are no settings
        or more than 200.

    Examples
    --------
    >>> from convbook._plotting_nn import conv_explorer_animation, synthetic_scene
    >>> from convbook.plotting import animation_html
    >>> anim = conv_explorer_animation(synthetic_scene(12), [[1, 0], [0, -1]],
    ...                                [dict(stride=1), dict(stride=2, padding=1)], dpi=30)
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", animation_html(anim)))
    2
    """
    settings = DEFAULT_SETTINGS if settings is None else settings
    if isinstance(settings, (str, bytes, dict)) or not hasattr(settings, "__len__"):
        raise TypeError(f"settings must be a sequence of dicts, got {describe(settings)}.")
    settings = list(settings)
    if not 1 <= len(settings) <= MAX_FRAMES:
        raise ValueError(f"settings must hold 1 to {MAX_FRAMES} settings (one frame each), got {len(settings)}.")
    allowed = {"stride", "padding", "dilation", "position"}
    for k, setting in enumerate(settings):
        if not isinstance(setting, dict):
            raise TypeError(f"settings[{k}] must be a dict, got {describe(setting)}.")
        unknown = sorted(set(setting) - allowed)
        if unknown:
            raise TypeError(f"settings[{k}] has an unknown key {unknown[0]!r}. Acceptable keys are "
                            "'dilation', 'padding', 'position' and 'stride'.")
    interval = _plotting._check_positive("interval", interval)
    picture = _Explorer(image, kernel, kernel_name, figsize, dpi)
    for k, setting in enumerate(settings):  # check every frame before rendering any
        try:
            picture.update(**setting)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"settings[{k}] = {setting}: {exc}") from None
    picture.update(**settings[0])
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(picture.fig).draw()
    picture.fig.set_layout_engine("none")   # lay out once: the panels do not jump between frames

    def frame(k):
        picture.update(**settings[k])

    return FuncAnimation(picture.fig, frame, frames=len(settings), interval=interval, blit=False, repeat=True)
