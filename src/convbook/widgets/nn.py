"""Interactive explorer (ipywidgets) of a conv2d layer, for chapter 5; it needs a live kernel.

The lesson "Translation equivariance and image filters"
(``05-deep-learning/equivariance-and-filters``) of chapter 5 ends with
:func:`conv2d_explorer`: choose a kernel (blur, sharpen, Sobel, ...) and move
the stride, padding and dilation controls; the picture of
:func:`convbook.plotting.nn.conv_explorer_figure` (the padded input with one
window, the kernel, the output) is redrawn, and the output size is written
out with the formula

.. math:: H_{out} = \\left\\lfloor \\frac{H + p_{top} + p_{bottom} - d(k - 1) - 1}{s} \\right\\rfloor + 1 .

The static book shows the same picture as a kernel-free animation,
:func:`convbook.plotting.nn.conv_explorer_animation`; lesson cells that build
the explorer are tagged ``skip-execution`` and run in JupyterLab only.

The lesson "A gallery of convolution arithmetic" (``05-deep-learning/gallery``)
ends with :func:`gallery_explorer`: any case of
:func:`convbook.plotting.nn.gallery_cases`, any size, stride, padding,
dilation, ``transposed`` and ``output_padding``, frame by frame; its static
twin is :func:`convbook.plotting.nn.gallery_animation`.

ipywidgets is an optional dependency, imported when the explorer is built
(with the install hint of :mod:`convbook.widgets` if it is missing).
"""

from __future__ import annotations

import html
import threading
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import check_int, check_real, describe
from convbook.plotting import nn as pn
from convbook.plotting._style import _figure_and_axes
from convbook.plotting.nn._common import _out_size, _pads, _real_array
from convbook.plotting.nn.equivariance_and_filters import _Explorer
from convbook.plotting.nn.gallery import _fill, _GalleryGrid, _Setting

from ._common import _ipywidgets, _LiveFigure, _png_bytes_output, _Redraw

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["conv2d_explorer", "gallery_explorer"]


PADDING_OPTIONS = (("valid", "valid"), ("same", "same"), ("0", 0), ("1", 1), ("2", 2), ("3", 3), ("4", 4))


def _size_html(image_shape, kernel_shape, stride, padding, dilation):
    """The output size with the formula filled in, per dimension, as a little HTML."""
    pads = _pads(padding, kernel_shape, (stride, stride), (dilation, dilation))
    out = _out_size(image_shape, kernel_shape, (stride, stride), (dilation, dilation), pads)
    parts = []
    for name, n, k, (a, b), o in zip(("H", "W"), image_shape, kernel_shape, pads, out):
        parts.append(f"{name}<sub>out</sub> = ⌊({n} + {a} + {b} − {dilation}·({k} − 1) − 1) / {stride}⌋ + 1"
                     f" = <b>{o}</b>")
    return f"output {out[0]} × {out[1]}: " + "; ".join(parts)


def conv2d_explorer(image: ArrayLike | None = None, kernels: dict[str, ArrayLike] | None = None, *,
                    kernel: str | None = None, stride: int = 1,
                    padding: Literal["valid", "same", 0, 1, 2, 3, 4] = 0, dilation: int = 1,
                    figsize: tuple[float, float] = (9.0, 3.6), dpi: float = 80) -> ipywidgets.VBox:
    """Controls for kernel, stride, padding and dilation above the picture of one conv2d layer.

    The picture is :func:`convbook.plotting.nn.conv_explorer_figure`: the
    input zero-padded as :func:`convbook.nn.conv2d` pads it (an integer
    padding on EACH side; ``'same'`` with the odd zero at the end), the
    window of the middle output position, the kernel (used as it is: a
    cross-correlation, no flip) and the output.  Under the controls, the
    output size with the formula filled in.  A setting that is not a valid
    layer (``'same'`` with a stride, a dilated kernel larger than the padded
    input) is explained in that line instead, and the picture is removed.

    Parameters
    ----------
    image : array_like, optional
        2-D real image (at most 256x256); default
        ``convbook.plotting.nn.synthetic_scene(32)``.
    kernels : dict, optional
        ``{name: 2-D kernel}`` offered in the kernel menu (at most 15x15
        each); default :func:`convbook.plotting.nn.standard_kernels`.
    kernel : str, optional
        The name of the kernel shown first (default: the first one).
    stride : int, optional
        The starting stride, 1 to 4.
    padding : {'valid', 'same', 0, 1, 2, 3, 4}, optional
        The starting padding.
    dilation : int, optional
        The starting dilation, 1 to 4.
    figsize : (float, float), optional
        Size of the picture in inches.
    dpi : float, optional
        Resolution of the picture.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([HBox([kernel, padding]), HBox([stride, dilation]), size, output])``:
        two ``Dropdown`` menus, two ``IntSlider`` controls, an ``HTML`` line
        with the output size (or the reason the setting is not allowed), and
        an ``Output`` whose ``outputs`` hold the picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If ``image`` or a kernel does not hold real numbers, ``kernels`` is not
        a non-empty dict, or a starting value is not an integer.
    ValueError
        If an array is not 2-D, empty, not finite or too large, ``kernel`` is
        not one of the names, a starting value is outside its control's range,
        or the starting setting is not a valid layer.

    Notes
    -----
    The layer is PyTorch's ``conv2d``, a cross-correlation: choose
    ``'shift'`` (a 1 right of the centre) and the picture moves LEFT; a true
    convolution would move it right.  The picture is rendered to a PNG in the
    kernel and put in the ``Output`` widget's state, so the explorer works in
    JupyterLab and in a test without a frontend.  The static site shows
    :func:`convbook.plotting.nn.conv_explorer_animation` instead.

    Examples
    --------
    >>> from convbook.widgets.nn import conv2d_explorer
    >>> from convbook.plotting.nn import synthetic_scene
    >>> explorer = conv2d_explorer(synthetic_scene(16), dpi=30)
    >>> menus, sliders, size, output = explorer.children
    >>> kernel, padding = menus.children
    >>> stride, dilation = sliders.children
    >>> kernel.value, len(output.outputs)
    ('identity', 1)
    >>> stride.value = 2
    >>> "output 7 × 7" in size.value
    True
    >>> padding.value = "same"                   # not allowed with a stride
    >>> "not allowed" in size.value, len(output.outputs)
    (True, 0)
    """
    widgets = _ipywidgets()
    image = pn.synthetic_scene(32) if image is None else _real_array("image", image, 2)
    if max(image.shape) > 256:
        raise ValueError(f"image must be at most 256x256, got shape {image.shape}.")
    if kernels is None:
        kernels = pn.standard_kernels()
    if not isinstance(kernels, dict) or not kernels:
        raise TypeError(f"kernels must be a non-empty dict {{name: 2-D kernel}}, got {describe(kernels)}.")
    kernels = {str(name): _real_array(f"kernels[{name!r}]", k, 2) for name, k in kernels.items()}
    for name, k in kernels.items():
        if max(k.shape) > 15:
            raise ValueError(f"kernels[{name!r}] must be at most 15x15, got shape {k.shape}.")
    names = list(kernels)
    kernel = names[0] if kernel is None else kernel
    if kernel not in kernels:
        raise ValueError(f"kernel={kernel!r} is not one of the kernels. Acceptable kernel names are "
                         f"{', '.join(repr(n) for n in names)}.")
    stride = check_int("stride", stride, minimum=1)
    dilation = check_int("dilation", dilation, minimum=1)
    for name, value in (("stride", stride), ("dilation", dilation)):
        if value > 4:
            raise ValueError(f"{name} must be an integer from 1 to 4 (the slider's range), got {value}.")
    values = [v for _, v in PADDING_OPTIONS]
    if not any(type(padding) is type(v) and padding == v for v in values):
        if isinstance(padding, (int, np.integer)) and not isinstance(padding, (bool, np.bool_)) \
                and 0 <= int(padding) <= 4:
            padding = int(padding)
        else:
            raise ValueError(f"padding={padding!r} is not allowed. Acceptable padding values are 'valid', "
                             "'same', 0, 1, 2, 3 or 4 (zeros added on each side).")

    pictures = {}                  # kernel name -> (picture, live figure): one figure per kernel
    shown = {"figure": None}

    def live_picture(name, s, p, d):
        """The picture of kernel ``name`` updated to one setting (built and laid out at its first setting)."""
        if name not in pictures:
            made = _Explorer(image, kernels[name], name, figsize, dpi)
            made.update(s, p, d)            # a setting that is not a layer raises here: nothing is kept
            # a step redraws the input and output panels (their boxes follow the arrays' shapes) and the
            # formula; the kernel's panel is part of the background
            pictures[name] = (made, _LiveFigure(made.fig, lambda: (made.ax_in, made.ax_out, made.size_text)))
        else:
            pictures[name][0].update(s, p, d)
        return pictures[name]

    def render(name, s, p, d):
        """(png output or None, html text, error message or None) for one setting."""
        k = kernels[name]
        try:
            text = _size_html(image.shape, k.shape, s, p, d)
            made, live = live_picture(name, s, p, d)
        except ValueError as exc:
            shown["figure"] = None
            return None, f"<b>not allowed</b>: {html.escape(str(exc))}", str(exc)
        shown["figure"] = made.fig
        picture = _png_bytes_output(live.png(), f"conv2d with {name}, stride {s}, padding {p!r}, dilation {d}")
        return picture, text, None

    first, text, error = render(kernel, stride, padding, dilation)
    if first is None:
        raise ValueError(f"the starting setting is not a valid layer: {error}")
    kernel_menu = widgets.Dropdown(options=names, value=kernel, description="kernel")
    padding_menu = widgets.Dropdown(options=list(PADDING_OPTIONS), value=padding, description="padding")
    stride_slider = widgets.IntSlider(value=stride, min=1, max=4, description="stride", continuous_update=False)
    dilation_slider = widgets.IntSlider(value=dilation, min=1, max=4, description="dilation",
                                        continuous_update=False)
    size = widgets.HTML(value=text)
    output = widgets.Output()
    output.outputs = (first,)

    def draw():
        png, message, _ = render(kernel_menu.value, stride_slider.value, padding_menu.value, dilation_slider.value)
        size.value = message
        output.outputs = () if png is None else (png,)

    redraw = _Redraw(draw)
    for control in (kernel_menu, padding_menu, stride_slider, dilation_slider):
        control.observe(redraw, names="value")
    explorer = widgets.VBox([widgets.HBox([kernel_menu, padding_menu]),
                             widgets.HBox([stride_slider, dilation_slider]), size, output])
    explorer._redraw = redraw
    explorer._figure = lambda: shown["figure"]     # the figure shown now (None when the setting is refused)
    return explorer


# --------------------------------------------------------------------------
# The gallery of convolution arithmetic (lesson 05-deep-learning/gallery)
# --------------------------------------------------------------------------

_GALLERY_PADDINGS = (("0", 0), ("1", 1), ("2", 2), ("3", 3), ("same", "same"), ("full", "full"))
_GALLERY_RANGES = {"n": (1, 8), "kernel_size": (1, 4), "stride": (1, 3), "dilation": (1, 3),
                   "output_padding": (0, 2)}
_GALLERY_KEPT = 12     # pictures of settings kept for a quick return (each a figure built once)


def gallery_explorer(case: str = "stride", *, dpi: float = 72) -> ipywidgets.VBox:
    """Controls over the picture of :func:`convbook.plotting.nn.gallery_figure`: any case, any frame.

    A menu picks one of the cases of
    :func:`convbook.plotting.nn.gallery_cases` and sets the controls to it;
    then change the input size ``n``, the kernel size, the stride, the
    padding, the dilation, ``transposed`` and ``output_padding``, and step
    through the frames (a Play button and a slider).  Under the controls, the
    output size with its formula filled in; a setting that is not a valid
    layer (``'same'`` with a stride, a kernel larger than the padded input,
    ``output_padding`` not smaller than the stride, ...) is explained there
    instead and the picture is removed.

    Parameters
    ----------
    case : str, optional
        The case shown first, a key of ``gallery_cases()``.
    dpi : float, optional
        Resolution of the picture.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([case, HBox([transposed, padding]), HBox([n, kernel_size]),
        HBox([stride, dilation, output_padding]), HBox([play, frame]), size,
        output])``; ``size`` is an ``HTML`` line, ``output`` an ``Output``
        whose ``outputs`` hold the picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If ``dpi`` is not a real number.
    ValueError
        If ``case`` is not one of the gallery's cases, or ``dpi`` is not
        positive.

    Notes
    -----
    The static book shows each case as
    :func:`convbook.plotting.nn.gallery_animation`, the explorer's twin.

    Examples
    --------
    >>> from convbook.widgets.nn import gallery_explorer
    >>> explorer = gallery_explorer("stride", dpi=30)
    >>> case, flags, sizes, steps, frames, size, output = explorer.children
    >>> size.value
    'output 2 × 2: ⌊(5 + 0 + 0 − 1·(3 − 1) − 1) / 2⌋ + 1 = 2'
    >>> play, frame = frames.children
    >>> frame.max, len(output.outputs)
    (3, 1)
    >>> case.value = "transposed, output_padding"
    >>> size.value
    'output 6 × 6: (3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6'
    >>> flags.children[1].value = "same"          # not a padding of a transposed convolution
    >>> "not allowed" in size.value, len(output.outputs)
    (True, 0)
    """
    widgets = _ipywidgets()
    cases = pn.gallery_cases()
    if case not in cases:
        raise ValueError(f"case={case!r} is not one of the gallery's cases. Acceptable cases are "
                         f"{', '.join(repr(c) for c in cases)}.")
    dpi = check_real("dpi", dpi)
    if dpi <= 0:
        raise ValueError(f"dpi must be a positive number, got {dpi!r}.")
    menu = widgets.Dropdown(options=list(cases), value=case, description="case")
    transposed = widgets.Checkbox(value=False, description="transposed")
    padding = widgets.Dropdown(options=list(_GALLERY_PADDINGS), value=0, description="padding")
    sliders = {name: widgets.IntSlider(value=low, min=low, max=high, description=name, continuous_update=False)
               for name, (low, high) in _GALLERY_RANGES.items()}
    play = widgets.Play(value=0, min=0, max=0, interval=400, description="play")
    frame = widgets.IntSlider(value=0, min=0, max=0, description="frame")
    widgets.jslink((play, "value"), (frame, "value"))
    size = widgets.HTML()
    output = widgets.Output()
    quiet = set()       # threads whose own changes to the controls redraw nothing (they redraw themselves)
    pictures = {}       # settings -> (grid, live figure), the latest few
    shown = {"figure": None}

    def settings():
        kw = {name: slider.value for name, slider in sliders.items()}
        return dict(kw, padding=padding.value, transposed=transposed.value)

    def live_picture(kw, st):
        """The picture of one setting: built and sized once, then only its frame changes."""
        key = tuple(kw.items())
        if key not in pictures:
            while len(pictures) >= _GALLERY_KEPT:
                pictures.pop(next(iter(pictures)))
            fig, ax = _figure_and_axes(None, (1.0, 1.0), dpi)      # as gallery_figure draws it
            grid = _GalleryGrid(ax, st, None)
            grid.update(0)
            _fill(fig, ax, grid)
            values = [t for t in ax.texts if t.get_gid() in ("input value", "output value", "cropped value")]
            # the shaded cells are drawn over the input's numbers: those are redrawn too, the labels are not
            pictures[key] = (grid, _LiveFigure(fig, lambda: (*grid.right.values(), grid.current, *grid.taps,
                                                             *values)))
        return pictures[key]

    def fit_frames(frames):
        me = threading.get_ident()
        quiet.add(me)                           # moving the frame slider's range redraws nothing
        try:
            play.max = frame.max = frames - 1
            frame.value = min(frame.value, frames - 1)
        finally:
            quiet.discard(me)

    def draw():
        kw = settings()
        try:
            st = _Setting(kw["n"], kw["kernel_size"], kw["stride"], kw["padding"], kw["dilation"],
                          kw["transposed"], kw["output_padding"])
            fit_frames(st.frames)
            grid, live = live_picture(kw, st)
            grid.update(frame.value)
        except (TypeError, ValueError) as exc:
            size.value = f"<b>not allowed</b>: {html.escape(str(exc))}"
            output.outputs = ()
            shown["figure"] = None
            return
        size.value = f"output {st.out} × {st.out}: {st.formula()}"
        shown["figure"] = live.fig
        output.outputs = (_png_bytes_output(live.png(), f"gallery frame {frame.value}: {kw}"),)

    redraw = _Redraw(draw)

    def on_change(change=None):
        if threading.get_ident() not in quiet:
            redraw()

    def set_case():
        chosen = dict(n=1, kernel_size=1, stride=1, padding=0, dilation=1, output_padding=0, transposed=False)
        chosen.update(cases[menu.value])
        me = threading.get_ident()
        quiet.add(me)                           # one redraw for the whole case
        try:
            for name, slider in sliders.items():
                slider.value = chosen[name]
            padding.value, transposed.value, frame.value = chosen["padding"], chosen["transposed"], 0
        finally:
            quiet.discard(me)

    def choose(change=None):
        set_case()
        redraw()

    menu.observe(choose, names="value")
    for control in (transposed, padding, frame, *sliders.values()):
        control.observe(on_change, names="value")
    set_case()
    draw()                                      # the first picture, at once
    explorer = widgets.VBox([menu, widgets.HBox([transposed, padding]),
                             widgets.HBox([sliders["n"], sliders["kernel_size"]]),
                             widgets.HBox([sliders["stride"], sliders["dilation"], sliders["output_padding"]]),
                             widgets.HBox([play, frame]), size, output])
    explorer._redraw = redraw
    explorer._figure = lambda: shown["figure"]     # the figure shown now (None when the setting is refused)
    return explorer
