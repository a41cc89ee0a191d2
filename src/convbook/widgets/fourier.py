"""Interactive explorers (ipywidgets) for chapter 4 (the FFT); they need a live kernel.

- :func:`butterfly_explorer` (lesson ``04-fft/cooley-tukey``): a slider that
  steps through the butterflies of the radix-2 FFT of a short input,
  redrawing :func:`convbook.plotting.fourier.butterfly_figure` with the
  values on the wires after each one;
- :func:`wraparound_explorer` (lesson ``04-fft/linear-by-fft``): a slider for
  the transform length N of a circular convolution, redrawing
  :func:`convbook.plotting.fourier.wraparound_figure`, so the reader can
  watch the tail of the linear convolution wrap onto its head until N
  reaches ``M + N_v - 1``.

The static book shows the same pictures as kernel-free animations
(:func:`convbook.plotting.fourier.butterfly_animation` and
:func:`convbook.plotting.fourier.wraparound_animation`): lesson cells that
build an explorer are tagged ``skip-execution`` and run in JupyterLab only.

Conventions are numpy's (:math:`\\omega = e^{-2\\pi i/n}`, forward transform
unscaled); convolutions are true convolutions, and lengths are total lengths
after zero padding.  ipywidgets is an optional dependency, imported when an
explorer is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from numpy.typing import ArrayLike

from convbook._validation import check_int
from convbook.plotting import fourier as pf
from convbook.plotting.fourier._common import _MAX_WRAP_LEN, _real_vector

from convbook.plotting.fourier.cooley_tukey import _Butterfly
from convbook.plotting.fourier.linear_by_fft import _LiveWraparound

from ._common import _check_bool, _check_options, _ipywidgets, _LiveFigure, _png_bytes_output, _Redraw

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["butterfly_explorer", "wraparound_explorer"]


def butterfly_explorer(x: ArrayLike = (1, 2, 3, 4, 0, 0, 0, 0), *, step: int = 0, continuous_update: bool = False,
                       **figure_kwargs: Any) -> ipywidgets.VBox:
    r"""A slider that steps through the butterflies of the radix-2 FFT of ``x``.

    Position t of the slider shows
    :func:`convbook.plotting.fourier.butterfly_figure` with ``step=t``: the
    wires after t butterflies
    :math:`(a, b) \mapsto (a + \omega_m^k b, a - \omega_m^k b)`, the t-th in
    red, each computed value written by its node.  At the last position the
    right-hand column holds :math:`X = \mathrm{DFT}(x)`.

    Parameters
    ----------
    x : array_like, optional
        The input: a length that is a power of two from 2 to 16 (default
        ``(1, 2, 3, 4, 0, 0, 0, 0)``).
    step : int, optional
        The starting position, ``0`` to :math:`(n/2)\log_2 n`.
    continuous_update : bool, optional
        Redraw while the slider is dragged (True) or when it is released.
    **figure_kwargs
        ``figsize`` and ``dpi``, passed on to the figure.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([slider, output])``: an ``IntSlider`` and an ``Output`` whose
        ``outputs`` hold the current picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the message says how to install it).
    TypeError
        If ``x`` does not hold numbers, ``step`` is not an integer, a keyword
        is unknown, or ``continuous_update`` is not a bool.
    ValueError
        If the length of ``x`` is not a power of two from 2 to 16, or
        ``step`` is out of range.

    Notes
    -----
    numpy's convention, :math:`\omega_m = e^{-2\pi i/m}`.  The picture is
    rendered to a PNG in the kernel, so the explorer works in JupyterLab and
    in a test without a frontend; the static twin is
    :func:`convbook.plotting.fourier.butterfly_animation`.

    Examples
    --------
    >>> from convbook.widgets.fourier import butterfly_explorer
    >>> explorer = butterfly_explorer([1, 2, 3, 4], dpi=30)
    >>> slider, output = explorer.children
    >>> slider.min, slider.max, slider.value
    (0, 4, 0)
    >>> slider.value = 4
    >>> output.outputs[0]["data"]["text/plain"]
    'butterfly diagram after 4 of 4 butterflies'
    """
    widgets = _ipywidgets("the chapter 4 explorers need")
    _check_options("butterfly_explorer", figure_kwargs, {"figsize", "dpi"})
    continuous_update = _check_bool("continuous_update", continuous_update)
    trace = pf.butterfly_steps(x)
    total = len(trace.steps)
    step = check_int("step", step, minimum=0)

    live_picture = _Butterfly(x, **figure_kwargs)      # validates x and the options
    live_picture.update(step)                          # ... and the starting step
    live = _LiveFigure(live_picture.fig, live_picture.moving)

    def picture(t):
        live_picture.update(t)
        return _png_bytes_output(live.png(), f"butterfly diagram after {t} of {total} butterflies")

    first = picture(step)  # validates x, step and the options before any widget is built
    slider = widgets.IntSlider(value=step, min=0, max=total, step=1, description="butterflies",
                               continuous_update=continuous_update)
    output = widgets.Output()
    output.outputs = (first,)
    redraw = _Redraw(lambda: setattr(output, "outputs", (picture(slider.value),)))
    slider.observe(redraw, names="value")
    explorer = widgets.VBox([slider, output])
    explorer._redraw = redraw
    return explorer


def wraparound_explorer(a: ArrayLike, v: ArrayLike, *, n: int | None = None, continuous_update: bool = False,
                        **figure_kwargs: Any) -> ipywidgets.VBox:
    r"""A slider for the transform length N of a circular convolution of ``a`` and ``v``.

    Each position shows :func:`convbook.plotting.fourier.wraparound_figure`:
    the linear convolution :math:`y = a * v` (K = M + N_v - 1 outputs) and the
    circular convolution of length N computed by FFT,
    :math:`c_k = y_k + y_{k+N}`, whose first K - N outputs are corrupted by the
    wrapped tail.  From N = K on, nothing wraps.

    Parameters
    ----------
    a, v : array_like
        Real 1-D sequences (at most 400 values each).
    n : int, optional
        The starting length (default ``max(M, N_v)``, the shortest allowed).
    continuous_update : bool, optional
        Redraw while the slider is dragged (True) or when it is released.
    **figure_kwargs
        ``figsize`` and ``dpi``, passed on to the figure.

    Returns
    -------
    ipywidgets.VBox
        ``VBox([slider, output])``: an ``IntSlider`` from ``max(M, N_v)`` to
        ``K + 4`` and an ``Output`` holding the picture as a PNG.

    Raises
    ------
    ImportError
        If ipywidgets is not installed.
    TypeError
        If an input does not hold real numbers, ``n`` is not an integer, a
        keyword is unknown, or ``continuous_update`` is not a bool.
    ValueError
        If an input is empty, not 1-D, too long or not finite, or ``n`` is
        outside the slider's range.

    Notes
    -----
    True convolution; N is the total length after zero padding.  The static
    twin is :func:`convbook.plotting.fourier.wraparound_animation`.

    Examples
    --------
    >>> from convbook.widgets.fourier import wraparound_explorer
    >>> explorer = wraparound_explorer([1, 1, 1, 1], [1, 2, 3], dpi=30)
    >>> slider, output = explorer.children
    >>> slider.min, slider.max, slider.value
    (4, 10, 4)
    >>> slider.value = 6
    >>> output.outputs[0]["data"]["text/plain"]
    'circular convolution of length 6: 0 outputs corrupted'
    """
    widgets = _ipywidgets("the chapter 4 explorers need")
    _check_options("wraparound_explorer", figure_kwargs, {"figsize", "dpi"})
    continuous_update = _check_bool("continuous_update", continuous_update)
    a_arr = _real_vector("a", a, max_len=_MAX_WRAP_LEN)
    v_arr = _real_vector("v", v, max_len=_MAX_WRAP_LEN)
    low = max(a_arr.shape[0], v_arr.shape[0])
    K = a_arr.shape[0] + v_arr.shape[0] - 1
    high = K + 4
    n = low if n is None else check_int("n", n, minimum=1)
    if not low <= n <= high:
        raise ValueError(f"n must be an integer between max(len(a), len(v)) = {low} and {high}, got {n}.")

    options = {"figsize": (8.0, 5.0), "dpi": 80, **figure_kwargs}      # wraparound_figure's defaults
    live_picture = _LiveWraparound(a_arr, v_arr, options["figsize"], options["dpi"], high)
    live_picture.update(n)
    live = _LiveFigure(live_picture.fig, live_picture.moving)

    def picture(length):
        live_picture.update(length)
        return _png_bytes_output(
            live.png(), f"circular convolution of length {length}: {max(0, K - length)} outputs corrupted")

    first = picture(n)
    slider = widgets.IntSlider(value=n, min=low, max=high, step=1, description="L",
                               continuous_update=continuous_update)
    output = widgets.Output()
    output.outputs = (first,)
    redraw = _Redraw(lambda: setattr(output, "outputs", (picture(slider.value),)))
    slider.observe(redraw, names="value")
    explorer = widgets.VBox([slider, output])
    explorer._redraw = redraw
    return explorer
