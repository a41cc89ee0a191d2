"""The interactive explorer of chapter 2 (ipywidgets); it needs a live kernel.

The lesson "Full, same and valid" (``02-discrete/modes``) ends with
:func:`discrete_explorer`: boxes to type a signal and a kernel, a drop-down
for numpy's mode ('full', 'same', 'valid') and a slider for the kernel's
position.  Each change redraws
:func:`convbook.plotting.discrete.sliding_kernel_figure`: the flipped kernel
``v[n - k]`` over the zero-padded signal, the products ``a[k] v[n - k]`` and
the output ``y[n] = sum_k a[k] v[n - k]`` so far.  The static book shows the
same picture as a kernel-free animation,
:func:`convbook.plotting.discrete.sliding_kernel_animation`, its static twin.

ipywidgets is an optional dependency, imported when an explorer is built
(with a clear message if it is missing).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from convbook._validation import check_choice, check_int, describe
from convbook.plotting import discrete as pd
from convbook.plotting.discrete.modes import _Sliding
from convbook.plotting.discrete._common import _MAX_SAMPLES, _fmt, _sequence

from ._common import _check_bool, _check_options, _ipywidgets, _LiveFigure, _png_bytes_output, _Redraw

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["discrete_explorer", "parse_sequence"]


_MODES = ("full", "same", "valid")
_FIGURE_OPTIONS = {"figsize", "dpi"}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def parse_sequence(name: str, text: str) -> np.ndarray:
    """Read a sequence typed in a text box: numbers separated by commas or spaces.

    Brackets are ignored, so ``"1, 2, 3"``, ``"1 2 3"`` and ``"[1, 2, 3]"``
    are the same sequence.  All integers give an ``int64`` array (convolved
    exactly); any decimal point or exponent gives ``float64``.

    Parameters
    ----------
    name : str
        The box's name, for the message.
    text : str
        What was typed.

    Returns
    -------
    numpy.ndarray
        The 1-D sequence (1 to 400 numbers).

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If a token is not a number, nothing was typed, or there are more
        than 400 numbers; the message quotes the offending token.

    Examples
    --------
    >>> from convbook.widgets.discrete import parse_sequence
    >>> parse_sequence("kernel", "[1, 0, -1]")
    array([ 1,  0, -1])
    >>> parse_sequence("signal", "0.5 2 1e1")
    array([ 0.5,  2. , 10. ])
    >>> parse_sequence("kernel", "1, two")
    Traceback (most recent call last):
    ...
    ValueError: kernel: 'two' is not a number. Type numbers separated by commas, e.g. 1, 2, -1.
    """
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string of numbers, got {describe(text)}.")
    tokens = [t for t in re.split(r"[\s,;]+", text.strip().strip("[]()").strip()) if t]
    if not tokens:
        raise ValueError(f"{name}: type at least one number, e.g. 1, 2, -1.")
    for token in tokens:
        if not _NUMBER.match(token):
            raise ValueError(
                f"{name}: {token!r} is not a number. Type numbers separated by commas, e.g. 1, 2, -1."
            )
    if len(tokens) > _MAX_SAMPLES:
        raise ValueError(f"{name}: at most {_MAX_SAMPLES} numbers for a readable picture, "
                         f"got {len(tokens)}.")
    if all(_INTEGER.match(t) for t in tokens):
        values = [int(t) for t in tokens]
        if all(abs(v) < 2**62 for v in values):
            return np.array(values, dtype=np.int64)
    return np.array([float(t) for t in tokens])


def _as_text(values) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in np.asarray(values).tolist())


def discrete_explorer(signal: ArrayLike, kernel: ArrayLike, mode: Literal["full", "same", "valid"] = "full",
                      position: int = 0, *, continuous_update: bool = False,
                      **figure_kwargs: Any) -> ipywidgets.VBox:
    """Type a signal and a kernel, pick a mode, slide the kernel: the convolution, step by step.

    Each state of the controls shows
    :func:`convbook.plotting.discrete.sliding_kernel_figure`: the kernel
    flipped and shifted, ``v[n - k]``, over the zero-padded signal ``a[k]``,
    the products ``a[k] v[n - k]``, and the outputs

    .. math:: y[n] = \\sum_k a[k]\\, v[n - k]

    of numpy's `mode` computed so far.

    Parameters
    ----------
    signal : array_like
        The starting signal ``a``: 1-D, real, finite, at most 400 samples.
    kernel : array_like
        The starting kernel ``v``, same rules.
    mode : {'full', 'same', 'valid'}, optional
        The starting mode (numpy's): 'full' ``M + N - 1`` outputs, 'same'
        ``max(M, N)``, 'valid' ``max(M, N) - min(M, N) + 1``.
    position : int, optional
        The starting position, an output index of `mode`.
    continuous_update : bool, optional
        Redraw while the slider is dragged (True) or when it is released
        (False, the default).
    **figure_kwargs
        ``figsize`` and ``dpi``, passed on to the figure.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([HBox([signal_box, kernel_box]), HBox([mode_dropdown, slider]),
        message, output])``: two ``Text`` boxes, a ``Dropdown``, an
        ``IntSlider``, an ``HTML`` line for messages and an ``Output`` whose
        ``outputs`` hold the current picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If a sequence does not hold real numbers, ``position`` is not an
        integer, ``continuous_update`` is not a bool, or a keyword is unknown.
    ValueError
        If a sequence is empty, not 1-D, not finite or too long, ``mode`` is
        unknown, ``position`` is out of range, or a figure option is invalid.

    Notes
    -----
    True convolution (the kernel is flipped), numpy's modes.  Changing the
    mode or the sequences resets the slider's range to the new number of
    outputs (keeping the position when it still exists).  Text that is not a
    list of numbers is reported in the message line and leaves the picture
    as it was.  The picture is rendered to a PNG in the kernel and stored in
    the ``Output`` widget, so it works in JupyterLab and in a test without a
    frontend; on a static page use
    :func:`convbook.plotting.discrete.sliding_kernel_animation`, the
    explorer's static twin.

    Examples
    --------
    >>> from convbook.widgets.discrete import discrete_explorer
    >>> explorer = discrete_explorer([1, 2, 3, 4], [1, 1], dpi=20)
    >>> (signal_box, kernel_box), (mode, slider) = [box.children for box in explorer.children[:2]]
    >>> slider.max, explorer.children[3].outputs[0]["data"]["text/plain"]
    (4, "sliding kernel, mode='full', position 0 (n = 0): y[n] = 1")
    >>> mode.value = "valid"
    >>> slider.max
    2
    >>> slider.value = 2
    >>> explorer.children[3].outputs[0]["data"]["text/plain"]
    "sliding kernel, mode='valid', position 2 (n = 3): y[n] = 7"
    """
    widgets = _ipywidgets()
    signal = _sequence("signal", signal)
    kernel = _sequence("kernel", kernel)
    check_choice("mode", mode, _MODES)
    position = check_int("position", position, minimum=0)
    _check_bool("continuous_update", continuous_update)
    _check_options("discrete_explorer", figure_kwargs, _FIGURE_OPTIONS)
    state = {"signal": signal, "kernel": kernel, "busy": False, "pictures": {}}
    options = {"figsize": (8.0, 6.6), "dpi": 80, **figure_kwargs}   # sliding_kernel_figure's defaults

    def length(mode_value):
        return pd.mode_window(state["signal"].size, state["kernel"].size, mode_value)[1]

    def live_picture(mode_value):
        """The picture of ``mode_value`` for the current sequences, built once (one per mode)."""
        if mode_value not in state["pictures"]:
            sliding = _Sliding(state["signal"], state["kernel"], mode_value,
                                        options["figsize"], options["dpi"])
            state["pictures"][mode_value] = (sliding, _LiveFigure(sliding.fig, lambda: sliding.moving))
        return state["pictures"][mode_value]

    def picture(mode_value, pos):
        sliding, live = live_picture(mode_value)
        value = sliding.update(pos)
        text = (f"sliding kernel, mode='{mode_value}', position {pos} (n = {sliding.start + pos}): "
                f"y[n] = {_fmt(value)}")
        return _png_bytes_output(live.png(), text)

    first = picture(mode, position)      # draws once: a bad position or option raises here
    signal_box = widgets.Text(value=_as_text(signal), description="signal",
                              continuous_update=False)
    kernel_box = widgets.Text(value=_as_text(kernel), description="kernel",
                              continuous_update=False)
    mode_box = widgets.Dropdown(options=list(_MODES), value=mode, description="mode")
    slider = widgets.IntSlider(value=position, min=0, max=length(mode) - 1, step=1,
                               description="position", continuous_update=continuous_update)
    message = widgets.HTML(value="")
    output = widgets.Output()
    output.outputs = (first,)

    def draw():
        output.outputs = (picture(mode_box.value, slider.value),)

    redraw = _Redraw(draw)

    def reset_range():
        """Fit the slider to the current mode and sequences without redrawing twice."""
        state["busy"] = True
        try:
            top = length(mode_box.value) - 1
            if slider.value > top:
                slider.value = top
            slider.max = top
        finally:
            state["busy"] = False
        redraw()

    def on_slider(change):
        if not state["busy"]:
            redraw()

    def on_mode(change):
        reset_range()

    def on_text(which, box):
        def handler(change):
            try:
                state[which] = parse_sequence(which, change["new"])
            except ValueError as exc:
                message.value = f"<span style='color:#b00020'>{_escape(str(exc))}</span>"
                return
            message.value = ""
            state["pictures"] = {}          # new sequences: new pictures
            reset_range()
        return handler

    slider.observe(on_slider, names="value")
    mode_box.observe(on_mode, names="value")
    signal_box.observe(on_text("signal", signal_box), names="value")
    kernel_box.observe(on_text("kernel", kernel_box), names="value")
    explorer = widgets.VBox([widgets.HBox([signal_box, kernel_box]), widgets.HBox([mode_box, slider]),
                             message, output])
    explorer._redraw = redraw
    return explorer


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
