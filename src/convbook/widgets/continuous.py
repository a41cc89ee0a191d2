"""The interactive explorer of chapter 1, for the lesson "Convolution as rolling up".

Lesson ``01-continuous/rolling-up`` ends with :func:`rolling_up_explorer`: a
slider for ``t`` that redraws :func:`convbook.plotting.rolling_up_figure`, so
the reader can move the line ``x + y = t`` across ``U(x, y) = f(x) g(y)`` and
watch ``g(t - x)`` slide across ``f(x)``.  The static book shows the same
picture as a kernel-free animation (:func:`convbook.plotting.rolling_up_animation`):
widget output needs a kernel and the widget JavaScript, so lesson cells that
build an explorer are tagged ``skip-execution`` and run in JupyterLab only.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from convbook import plotting
from convbook.plotting._style import _check_callable, _check_positive, _check_range, _check_real

from convbook.plotting.continuous.rolling_up import _RollingUp

from ._common import _check_bool, _check_options, _ipywidgets, _LiveFigure, _png_bytes_output, _Redraw

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["rolling_up_explorer"]


def rolling_up_explorer(f: Callable[[np.ndarray], np.ndarray], g: Callable[[np.ndarray], np.ndarray],
                        t_range: tuple[float, float] = (-1, 3), *,
                        t: float | None = None, step: float | None = None, continuous_update: bool = False,
                        **figure_kwargs: Any) -> ipywidgets.VBox:
    """A slider for ``t`` above the rolling-up picture of ``f * g``, redrawn as ``t`` moves.

    Each position of the slider shows :func:`convbook.plotting.rolling_up_figure`
    at that ``t``: the line ``x + y = t`` on ``U(x, y) = f(x) g(y)``, the
    values of ``U`` along it, ``f(x)`` against ``g(t - x)``, and the point
    ``(t, V(t))`` on the curve of

    .. math:: V(t) = (f * g)(t) = \\int f(x)\\, g(t - x)\\, dx .

    Parameters
    ----------
    f, g : callable
        Numeric functions, vectorised over numpy arrays (e.g.
        ``convbook.continuous.to_numeric(expr, t)``).
    t_range : (float, float), optional
        The slider's range; also the window of the ``V`` curve unless
        ``t_range`` is passed in ``figure_kwargs``.
    t : float, optional
        The starting value (default: the middle of ``t_range``).
    step : float, optional
        The slider's step (default: ``t_range`` split into 100 steps).
    continuous_update : bool, optional
        Redraw while the slider is dragged (True) or when it is released
        (False, the default).  Either way a step redraws only what moves on a
        figure built once, and a burst of changes in a kernel is coalesced
        into at most two redraws ending on the latest value.
    **figure_kwargs
        Passed on to :func:`convbook.plotting.rolling_up_figure`:
        ``x_range``, ``y_range``, ``t_range`` (of the curve), ``conv``,
        ``n``, ``figsize``, ``dpi``, ``cmap``.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([slider, output])``: a ``FloatSlider`` and an ``Output`` whose
        ``outputs`` hold the current picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If ``f``/``g`` is not a vectorised callable, a number is not real, a
        keyword is unknown, or ``continuous_update`` is not a bool.
    ValueError
        If ``t_range`` is not a pair ``low < high``, ``t`` is outside it,
        ``step`` is not positive, or a figure option is invalid.

    Notes
    -----
    True convolution (``g`` flipped), as everywhere in chapter 1.  The
    picture is rendered to a PNG in the kernel and placed in the ``Output``
    widget's state, so it works the same in JupyterLab, in a notebook
    server, and in a test without a frontend.  In a static page (Jupyter
    Book) the widget cannot run: use
    :func:`convbook.plotting.rolling_up_animation` there, the explorer's
    static twin.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.widgets import rolling_up_explorer
    >>> box = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    >>> explorer = rolling_up_explorer(box, box, (-1, 3), x_range=(-1, 2), n=41, dpi=30)
    >>> slider, output = explorer.children
    >>> slider.value, len(output.outputs)
    (1.0, 1)
    >>> slider.value = 1.5
    >>> output.outputs[0]["data"]["text/plain"]
    'rolling-up picture at t = 1.5'
    """
    widgets = _ipywidgets()
    for name, func in (("f", f), ("g", g)):
        _check_callable(name, func)
    low, high = _check_range("t_range", t_range)
    _check_bool("continuous_update", continuous_update)
    t = (low + high) / 2 if t is None else _check_real("t", t)
    if not low <= t <= high:
        raise ValueError(f"t must lie in t_range = ({low:g}, {high:g}), got t = {t:g}.")
    step = (high - low) / 100 if step is None else _check_positive("step", step)
    _check_options("rolling_up_explorer", figure_kwargs,
                   {"x_range", "y_range", "t_range", "conv", "n", "figsize", "dpi", "cmap"})
    figure_kwargs.setdefault("t_range", (low, high))

    options = {name: p.default for name, p in inspect.signature(plotting.rolling_up_figure).parameters.items()
               if p.kind is inspect.Parameter.KEYWORD_ONLY}
    options.update(figure_kwargs)
    # one picture for the explorer's life: a step moves its line and curves, then encodes one PNG
    live_picture = _RollingUp(f, g, **options)
    live = _LiveFigure(live_picture.fig, live_picture.moving)   # laid out before any t: the same for every t

    def picture(value):
        live_picture.update(value)
        return _png_bytes_output(live.png(), f"rolling-up picture at t = {value:g}")

    first = picture(t)  # draw once before building widgets: bad options raise here
    slider = widgets.FloatSlider(value=t, min=low, max=high, step=step, description="t",
                                 continuous_update=continuous_update, readout_format=".2f")
    output = widgets.Output()
    output.outputs = (first,)

    def draw():
        output.outputs = (picture(slider.value),)

    redraw = _Redraw(draw)
    slider.observe(redraw, names="value")
    box = widgets.VBox([slider, output])
    box._redraw = redraw
    return box
