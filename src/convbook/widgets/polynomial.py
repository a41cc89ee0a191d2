"""Interactive explorer (ipywidgets) for chapter 3: long multiplication, step by step.

The lesson "Long multiplication is a convolution"
(``03-polynomial/long-multiplication``) shows the carries of ``42 × 137`` as
a kernel-free animation
(:func:`convbook.plotting.polynomial.long_multiplication_animation`); its
interactive twin, :func:`long_multiplication_explorer`, lets the reader type
two numbers and a base and step through the carries with a slider.  Widget
output needs a kernel, so lesson cells that build it are tagged
``skip-execution`` and run in JupyterLab only.

ipywidgets is an optional dependency (``pip install convbook[widgets]``); it
is imported when the explorer is built, with a clear message if it is
missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convbook._validation import check_int
from convbook.plotting.polynomial.long_multiplication import _LiveLongMultiplication, _long_multiplication_plan

from ._common import _ipywidgets, _LiveFigure, _png_bytes_output, _Redraw

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["long_multiplication_explorer"]


def long_multiplication_explorer(x: int = 42, y: int = 137, *, base: int = 10, step: int = 0,
                                 figsize: tuple[float, float] = (11.0, 4.4), dpi: float = 80) -> ipywidgets.VBox:
    """Two number boxes, a base and a step slider above the long-multiplication picture.

    Each position of the slider shows
    :func:`convbook.plotting.polynomial.long_multiplication_figure`: the grid
    of digit products ``x_i y_j`` with the anti-diagonal ``i + j = k`` of the
    current column highlighted, and the carrying of the column sums

    .. math:: c_k = \\sum_{i + j = k} x_i\\, y_j , \\qquad
              c_k + r_{k-1} = r_k B + d_k ,

    into the digits ``d_k`` of ``x * y``.  Changing ``x``, ``y`` or the base
    rebuilds the picture and resets the slider's range.

    Parameters
    ----------
    x, y : int, optional
        The factors: non-negative integers with at most 16 digits in ``base``
        and a product of at most 14 digits.
    base : int, optional
        The base ``B``, 2 to 36.
    step : int, optional
        The starting step (0: before carrying).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([HBox([x_box, y_box, base_box]), slider, output])``: two
        ``IntText`` boxes, a ``BoundedIntText`` for the base, an ``IntSlider``
        for the step and an ``Output`` whose ``outputs`` hold the current
        picture as a PNG.  A value that the picture refuses (a negative
        number, too many digits) shows the error message in the output
        instead of a picture.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If ``x``, ``y``, ``base`` or ``step`` is not an integer.
    ValueError
        If ``x`` or ``y`` is negative or too long (16 digits each, 14 for
        the product), ``base`` is outside
        2 .. 36, or ``step`` is out of range.

    Notes
    -----
    Digits are lowest first in the grid (units at the bottom left) and
    written the usual way, units on the right, in the carry table.  The
    picture is rendered to a PNG in the kernel and placed in the ``Output``
    widget's state, so it works without a frontend too.  The static twin is
    :func:`convbook.plotting.polynomial.long_multiplication_animation`.

    Examples
    --------
    >>> from convbook.widgets.polynomial import long_multiplication_explorer
    >>> explorer = long_multiplication_explorer(42, 137, dpi=30)
    >>> (x_box, y_box, base_box), slider, output = explorer.children[0].children, *explorer.children[1:]
    >>> slider.min, slider.max, len(output.outputs)
    (0, 4, 1)
    >>> slider.value = 2
    >>> output.outputs[0]["data"]["text/plain"]
    '42 × 137 in base 10, step 2 of 4'
    >>> y_box.value = 9999
    >>> slider.max
    6
    """
    widgets = _ipywidgets()
    base = check_int("base", base, minimum=2)
    if base > 36:
        raise ValueError(f"base must be an integer from 2 to 36 in the explorer, got {base}.")
    step = check_int("step", step, minimum=0)

    def steps_of(xv, yv, bv):
        return _long_multiplication_plan(xv, yv, bv)[3] - 1

    last = steps_of(x, y, base)  # bad x, y raise here, before any widget is built
    if step > last:
        raise ValueError(f"step must be an integer from 0 to {last} for x={x}, y={y}, got {step}.")

    pictures = {}

    def live_picture(xv, yv, bv):
        """The picture of ``xv × yv`` in base ``bv``, built (and laid out at step 0) once."""
        key = (int(xv), int(yv), int(bv))
        if key not in pictures:
            pictures.clear()                     # one product at a time
            made = _LiveLongMultiplication(xv, yv, bv, figsize=figsize, dpi=dpi)
            pictures[key] = (made, _LiveFigure(made.fig, made.moving))
        return pictures[key]

    def picture(xv, yv, bv, s, last_step):
        made, live = live_picture(xv, yv, bv)
        made.update(s)
        return _png_bytes_output(live.png(), f"{xv} × {yv} in base {bv}, step {s} of {last_step}")

    first = picture(x, y, base, step, last)
    x_box = widgets.IntText(value=int(x), description="x")
    y_box = widgets.IntText(value=int(y), description="y")
    base_box = widgets.BoundedIntText(value=base, min=2, max=36, description="base")
    slider = widgets.IntSlider(value=step, min=0, max=last, step=1, description="step",
                               continuous_update=False)
    output = widgets.Output()
    output.outputs = (first,)
    state = {"busy": False}

    def error_output(exc):
        return {"output_type": "stream", "name": "stderr",
                "text": f"{type(exc).__name__}: {exc}\n"}

    def draw():
        try:
            new_last = steps_of(x_box.value, y_box.value, base_box.value)
        except (TypeError, ValueError) as exc:
            output.outputs = (error_output(exc),)
            return
        if slider.max != new_last:
            state["busy"] = True                 # fitting the slider's range redraws nothing
            try:
                slider.value = min(slider.value, new_last)
                slider.max = new_last
            finally:
                state["busy"] = False
        output.outputs = (picture(x_box.value, y_box.value, base_box.value, slider.value, new_last),)

    redraw = _Redraw(draw)

    def on_change(change):
        if not state["busy"]:
            redraw()

    for control in (x_box, y_box, base_box, slider):
        control.observe(on_change, names="value")
    explorer = widgets.VBox([widgets.HBox([x_box, y_box, base_box]), slider, output])
    explorer._redraw = redraw
    return explorer
