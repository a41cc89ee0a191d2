"""Figures of chapter 5's lesson "Translation equivariance and image filters".

Lesson ``05-deep-learning/equivariance-and-filters``:
:func:`conv_explorer_figure` and :func:`conv_explorer_animation` draw an
image, a kernel and the layer's output for one setting of stride, padding and
dilation, with the output size; the animation sweeps the settings
(``DEFAULT_SETTINGS``) and is the static twin of the explorer
:func:`convbook.widgets.nn.conv2d_explorer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from convbook import nn
from convbook._validation import check_tuple, describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import (
    MAX_FRAMES, _check_position, _image_limits, _out_size, _pad_text, _pads, _pair_text, _real_array,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["conv_explorer_figure", "conv_explorer_animation"]


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
        self.fig = _new_figure(_check_figsize(figsize),
                               _check_positive("dpi", dpi))
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


def conv_explorer_figure(image: ArrayLike, kernel: ArrayLike, stride: int | tuple[int, int] = 1,
                         padding: int | tuple[int, int] | Literal["valid", "same"] = 0,
                         dilation: int | tuple[int, int] = 1, *,
                         position: tuple[int, int] | None = None, kernel_name: str | None = None,
                         figsize: tuple[float, float] = (9.0, 3.6), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.nn import conv_explorer_figure, synthetic_scene, standard_kernels
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


def conv_explorer_animation(image: ArrayLike, kernel: ArrayLike, settings: Sequence[dict[str, Any]] | None = None,
                            *, kernel_name: str | None = None, interval: float = 500,
                            figsize: tuple[float, float] = (9.0, 3.6), dpi: float = 72) -> FuncAnimation:
    """Sweep stride, padding and dilation in the explorer's picture: an animation.

    Each frame is :func:`conv_explorer_figure` for one setting: the padding
    grows the input, the stride shrinks the output, the dilation spreads the
    window's taps, and the output size above follows the formula.  It is the
    static twin of :func:`convbook.widgets.nn.conv2d_explorer`; show it with
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
    >>> from convbook.plotting.nn import conv_explorer_animation, synthetic_scene
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
    interval = _check_positive("interval", interval)
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
