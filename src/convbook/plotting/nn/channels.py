"""Figures of chapter 5's lesson "Channels: many convolutions at once".

Lesson ``05-deep-learning/channels`` (and the groups of
``05-deep-learning/stride-padding-dilation``): :func:`tensor_shapes_figure`
draws the shapes ``(N, C, H, W)`` of the input, ``(K, C/groups, kH, kW)`` of
the weights and ``(N, K, H_out, W_out)`` of the output, coloured by channel
group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from matplotlib.patches import Rectangle

from convbook._validation import check_int, check_tuple
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import GROUP_COLORS, _out_size, _pads

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["tensor_shapes_figure"]


# --------------------------------------------------------------------------
# Shapes of a layer
# --------------------------------------------------------------------------

def _stack(ax, x, y, count, width, height, colors, *, depth=0.22, gid=None):
    """``count`` rectangles offset up-right (a pseudo-3-D stack); (x, y) is the front one's corner."""
    for m in reversed(range(count)):
        ax.add_patch(Rectangle((x + m * depth, y + m * depth), width, height, facecolor=colors[m],
                               edgecolor="0.2", lw=0.8, gid=gid))
    return x + width + (count - 1) * depth, y + height + (count - 1) * depth


def tensor_shapes_figure(in_channels: int = 3, out_channels: int = 4, size: int | tuple[int, int] = 6,
                         kernel_size: int | tuple[int, int] = 3, *, groups: int = 1,
                         stride: int | tuple[int, int] = 1,
                         padding: int | tuple[int, int] | Literal["valid", "same"] = 0,
                         dilation: int | tuple[int, int] = 1,
                         batch: int = 1, figsize: tuple[float, float] = (9.0, 4.4), dpi: float = 80) -> Figure:
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
    >>> from convbook.plotting.nn import tensor_shapes_figure
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
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
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
