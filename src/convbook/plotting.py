"""Figures and kernel-free animations for the course (chapter 1 onwards).

Chapter 1 pictures the convolution

.. math:: V(t) = (f * g)(t) = \\int f(x)\\, g(t - x)\\, dx

in two ways at once: as the "rolling up" of the joint picture
``U(x, y) = f(x) g(y)`` along the lines ``x + y = t``, and as the familiar
flip-and-slide picture ``f(x)`` against ``g(t - x)``.  This module draws both
(:func:`rolling_up_figure`), sweeps ``t`` in an animation
(:func:`rolling_up_animation`) and turns any matplotlib animation into a
self-contained HTML snippet that needs no kernel and loads nothing from
another host (:func:`animation_html`).  A few general helpers
(:func:`joint_heatmap`, :func:`curves_figure`, :func:`histogram_figure`)
serve the lessons of chapter 1 and later chapters.

Every function takes *numeric* callables, vectorised over numpy arrays (for
instance ``sympy.lambdify(t, expr, "numpy")``), so that this module does not
depend on sympy.  Figures are :class:`matplotlib.figure.Figure` objects that
are *not* registered with pyplot: they never pile up in memory, they are not
shown twice in a notebook, and they work under any backend, Agg included.
Leave a figure as the last expression of a cell to display it: it shows
itself as a PNG in IPython even when pyplot's inline backend is not loaded.

Conventions: the convolution here is the true convolution of mathematics
(``g`` is flipped: ``g(t - x)``), not the cross-correlation that deep-learning
libraries call "convolution".  Integrals drawn from callables are computed
with the trapezoid rule on the plotting grid, so the windows ``x_range`` and
``y_range`` must contain the parts of ``f`` and ``g`` that matter.

Later chapters' figures live in one namespace per chapter, loaded on first
use: ``plotting.discrete`` (chapter 2), ``plotting.polynomial`` (chapter 3),
``plotting.fourier`` (chapter 4) and ``plotting.nn`` (chapter 5), e.g.
``from convbook.plotting import discrete as pd; pd.sliding_kernel_animation(...)``.
"""

from __future__ import annotations

import html
import importlib
import io
import numbers
import re

import numpy as np
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.figure import Figure

from ._validation import as_numeric_array, check_choice, check_int, describe

__all__ = [
    "animation_html",
    "rolling_up_figure",
    "rolling_up_animation",
    "joint_heatmap",
    "curves_figure",
    "histogram_figure",
    "discrete",
    "polynomial",
    "fourier",
    "nn",
]

# Colours shared by every chapter-1 picture: f, g, their product (= U on the
# line), the convolution V, and the line x + y = t.
F_COLOR = "C0"
G_COLOR = "C1"
PRODUCT_COLOR = "C2"
V_COLOR = "C4"
LINE_COLOR = "#ff4d4d"


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------

def _check_real(name: str, value) -> float:
    """A finite real number (not a bool), returned as a float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}.")
    return value


def _check_positive(name: str, value) -> float:
    value = _check_real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return value


def _check_range(name: str, value) -> tuple[float, float]:
    """A pair ``(low, high)`` of finite reals with ``low < high``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name} must be a pair (low, high) of real numbers, got {describe(value)}.")
    low = _check_real(f"{name}[0]", value[0])
    high = _check_real(f"{name}[1]", value[1])
    if not low < high:
        raise ValueError(f"{name} must satisfy low < high, got {describe(value)}.")
    return low, high


def _check_cmap(cmap):
    """A colour map name known to matplotlib, or a Colormap."""
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap) or (isinstance(cmap, str) and cmap in matplotlib.colormaps):
        return cmap
    raise ValueError(
        f"cmap={cmap!r} is not a matplotlib colour map. Acceptable values are a Colormap or a "
        "name such as 'viridis', 'magma' or 'gray' (see matplotlib.colormaps)."
    )


def _check_callable(name: str, func) -> None:
    if not callable(func):
        hint = ""
        if type(func).__module__.startswith("sympy"):
            hint = (" For a sympy expression, pass sympy.lambdify(t, expr, 'numpy')"
                    " (or convbook.continuous.to_numeric(expr, t)).")
        raise TypeError(
            f"{name} must be a callable that accepts a numpy array, got {describe(func)}.{hint}"
        )


def _evaluate(name: str, func, x: np.ndarray) -> np.ndarray:
    """Call ``func(x)`` and return a finite float array of the shape of ``x``."""
    try:
        y = func(x)
    except Exception as exc:  # a scalar-only function, a sympy object, ...
        raise TypeError(
            f"{name} must be vectorised over numpy arrays, but {name}(x) with x an array "
            f"of shape {x.shape} raised {type(exc).__name__}: {exc}"
        ) from None
    try:
        y = np.asarray(y)
    except (TypeError, ValueError):
        y = np.asarray(y, dtype=object)
    if y.dtype.kind == "c":
        if np.any(np.abs(y.imag) > 1e-12 * max(1.0, float(np.max(np.abs(y.real), initial=0.0)))):
            raise ValueError(f"{name} must return real values, got complex values from {name}(x).")
        y = y.real
    if y.dtype.kind not in "biuf":
        try:
            y = y.astype(float)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} must return numbers, got {describe(y)} from {name}(x)."
            ) from None
    try:
        y = np.broadcast_to(y.astype(float), x.shape)
    except ValueError:
        raise ValueError(
            f"{name}(x) must return an array of the shape of x, {x.shape}, got shape {y.shape}."
        ) from None
    if not np.all(np.isfinite(y)):
        bad = x[~np.isfinite(y)]
        raise ValueError(
            f"{name} returned non-finite values (nan or inf), e.g. at x = {float(bad.flat[0]):g}."
        )
    return np.array(y, dtype=float)


def _trapezoid_matrix(f, g, ts: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``V(t) = integral of f(x) g(t - x) dx`` by the trapezoid rule on ``xs``, for every ``t``."""
    fx = _evaluate("f", f, xs)
    values = np.empty(ts.shape)
    # one row of the product at a time keeps the memory modest
    for k, t in enumerate(ts):
        values[k] = np.trapezoid(fx * _evaluate("g", g, t - xs), xs)
    return values


class _NotebookFigure(Figure):
    """A Figure that shows itself as a PNG in IPython, with or without pyplot's inline backend."""

    def _repr_png_(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        buffer = io.BytesIO()
        FigureCanvasAgg(self).print_png(buffer)
        return buffer.getvalue()


def _new_figure(figsize, dpi) -> Figure:
    return _NotebookFigure(figsize=figsize, dpi=dpi, layout="constrained")


# --------------------------------------------------------------------------
# HTML animations without a kernel and without other hosts
# --------------------------------------------------------------------------

# Font Awesome icon -> text symbol.  U+FE0E asks for the text (not emoji) glyph.
_ICONS = {
    "fa-minus": "\u2212",                # slower
    "fa-fast-backward": "\u275a\u25c0\ufe0e\u25c0\ufe0e",  # first frame
    "fa-step-backward": "\u275a\u25c0\ufe0e",              # previous frame
    "fa-play fa-flip-horizontal": "\u25c0\ufe0e",          # play backwards
    "fa-pause": "\u275a\u275a",                            # pause
    "fa-play": "\u25b6\ufe0e",                             # play
    "fa-step-forward": "\u25b6\ufe0e\u275a",               # next frame
    "fa-fast-forward": "\u25b6\ufe0e\u25b6\ufe0e\u275a",   # last frame
    "fa-plus": "+",                                        # faster
}
_ICON_RE = re.compile(r'<i class="fa ([^"]*)"\s*>\s*</i>')
_LINK_RE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_IMG_RE = re.compile(r'<img id="(_anim_img[0-9a-f]*)"\s*>')
_SLIDER_RE = re.compile(r'(<input id="_anim_slider[0-9a-f]*" type="range")')


def _icon(match: re.Match) -> str:
    classes = " ".join(match.group(1).split())
    symbol = _ICONS.get(classes)
    if symbol is None:  # an icon a future matplotlib adds: keep the button usable
        symbol = "\u2022"
    return f'<span aria-hidden="true">{symbol}</span>'


def animation_html(anim, *, alt: str = "An animation: use the slider and the buttons below "
                   "it to step through its frames.", default_mode: str = "loop") -> str:
    """Turn a matplotlib animation into self-contained HTML that needs no kernel.

    The HTML is ``anim.to_jshtml()`` (every frame embedded as a PNG, with a
    frame slider and play buttons driven by a few lines of JavaScript) with
    the one thing that reaches another host removed: the ``<link>`` to the
    Font Awesome stylesheet on a CDN.  Its icons (``<i class="fa ...">``) are
    replaced by plain Unicode symbols (``▶``, ``❚❚``, ``❚◀``, ...), so the
    buttons still show.  The image gets an ``alt`` text and the slider an
    ``aria-label``; every element id the JavaScript relies on is kept.  The
    animation's figure is closed afterwards.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        The animation, e.g. from :func:`rolling_up_animation`.
    alt : str, optional
        Text alternative for the frames, for a screen reader.
    default_mode : {'loop', 'once', 'reflect'}, optional
        What the player does at the last frame.

    Returns
    -------
    str
        An HTML fragment; show it in a notebook with
        ``IPython.display.HTML(animation_html(anim))``.

    Raises
    ------
    TypeError
        If ``anim`` is not a matplotlib animation, or ``alt`` is not a string.
    ValueError
        If ``default_mode`` is not one of the three modes.
    RuntimeError
        If the HTML still refers to another host (a future matplotlib
        template), rather than silently shipping it.

    Notes
    -----
    The frames are embedded, so the page weight grows with the number of
    frames, the figure size and the dpi: keep animations to a few dozen frames
    at a modest dpi.  matplotlib drops the frames beyond
    ``rcParams['animation.embed_limit']`` (20 MB by default).

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.animation import FuncAnimation
    >>> from convbook.plotting import animation_html
    >>> fig = Figure(figsize=(2, 2), dpi=40)
    >>> ax = fig.subplots()
    >>> (line,) = ax.plot([0, 1], [0, 0])
    >>> anim = FuncAnimation(fig, lambda k: line.set_ydata([0, k]), frames=3)
    >>> page = animation_html(anim)
    >>> "https://" in page or "http://" in page
    False
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))   # one embedded PNG per frame
    3
    >>> 'title="Play"' in page and 'type="range"' in page
    True
    """
    if not isinstance(anim, Animation):
        raise TypeError(f"anim must be a matplotlib.animation.Animation, got {describe(anim)}.")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a string, got {describe(alt)}.")
    check_choice("default_mode", default_mode, ("loop", "once", "reflect"))
    try:
        text = anim.to_jshtml(default_mode=default_mode)
    finally:
        _close(getattr(anim, "_fig", None))
    text = _LINK_RE.sub("", text)
    text = _ICON_RE.sub(_icon, text)
    text = _IMG_RE.sub(
        lambda m: f'<img id="{m.group(1)}" alt="{html.escape(alt, quote=True)}">', text
    )
    text = _SLIDER_RE.sub(r'\1 aria-label="Frame"', text)
    if "://" in text:
        where = text.index("://")
        raise RuntimeError(
            "animation_html: the HTML from to_jshtml() still refers to another host near "
            f"{text[max(0, where - 40): where + 40]!r}; update convbook.plotting for this matplotlib."
        )
    return text


def _close(fig) -> None:
    """Close ``fig`` if pyplot manages it (figures made here are not managed: no-op)."""
    if fig is None:
        return
    import matplotlib.pyplot as plt

    plt.close(fig)


# --------------------------------------------------------------------------
# The rolling-up picture
# --------------------------------------------------------------------------

class _RollingUp:
    """The four panels of the rolling-up picture; ``update(t)`` moves the line."""

    def __init__(self, f, g, *, x_range, y_range, t_range, conv, n, figsize, dpi, cmap):
        _check_callable("f", f)
        _check_callable("g", g)
        if conv is not None:
            _check_callable("conv", conv)
        self.f, self.g, self.conv = f, g, conv
        self.x_range = _check_range("x_range", x_range)
        self.y_range = self.x_range if y_range is None else _check_range("y_range", y_range)
        if t_range is None:
            t_range = (self.x_range[0] + self.y_range[0], self.x_range[1] + self.y_range[1])
        self.t_range = _check_range("t_range", t_range)
        n = check_int("n", n, minimum=3)
        figsize = _check_figsize(figsize)
        dpi = _check_positive("dpi", dpi)
        cmap = _check_cmap(cmap)

        self.xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        self.fx = _evaluate("f", f, self.xs)
        gy = _evaluate("g", g, ys)
        self.ts = np.linspace(*self.t_range, n)
        if conv is None:
            self.vs = _trapezoid_matrix(f, g, self.ts, self.xs)
        else:
            self.vs = _evaluate("conv", conv, self.ts)

        self.fig = _new_figure(figsize, dpi)
        (ax_u, ax_line), (ax_slide, ax_v) = self.fig.subplots(2, 2)
        self.axes = (ax_u, ax_line, ax_slide, ax_v)

        # U(x, y) = f(x) g(y), the joint picture
        _draw_heatmap(ax_u, np.outer(gy, self.fx), self.x_range, self.y_range, cmap)
        ax_u.set_title("$U(x, y) = f(x)\\,g(y)$ and the line $x + y = t$")
        (self.line_xy,) = ax_u.plot([], [], color=LINE_COLOR, lw=2, gid="line")
        ax_u.set_xlim(self.x_range)
        ax_u.set_ylim(self.y_range)

        # the values of U along the line, as a function of x
        umax, umin = _span(np.outer(gy, self.fx))
        ax_line.set_xlim(self.x_range)
        ax_line.set_ylim(umin, umax)
        ax_line.axhline(0, color="0.6", lw=0.8)
        ax_line.set_title("$U(x, t - x)$ along the line; the shaded area is $V(t)$")
        ax_line.set_xlabel("$x$ (position along the line)")
        (self.u_on_line,) = ax_line.plot([], [], color=PRODUCT_COLOR, lw=2, gid="U on line")
        self.v_text = ax_line.text(0.03, 0.93, "", transform=ax_line.transAxes, va="top")

        # the flip-and-slide picture
        top, bottom = _span(np.concatenate([self.fx, gy, np.outer(gy, self.fx).ravel()]))
        ax_slide.set_xlim(self.x_range)
        ax_slide.set_ylim(bottom, top + 0.25 * (top - bottom))  # room for the legend
        ax_slide.axhline(0, color="0.6", lw=0.8)
        ax_slide.plot(self.xs, self.fx, color=F_COLOR, lw=2, label="$f(x)$", gid="f")
        (self.g_flipped,) = ax_slide.plot([], [], color=G_COLOR, lw=2, label="$g(t - x)$",
                                          gid="g flipped")
        (self.product,) = ax_slide.plot([], [], color=PRODUCT_COLOR, lw=1.5,
                                        label="$f(x)\\,g(t - x)$", gid="product")
        ax_slide.set_title("flip and slide: $f(x)$ and $g(t - x)$")
        ax_slide.set_xlabel("$x$")
        ax_slide.legend(loc="upper center", ncols=3, fontsize="small", frameon=False)

        # the whole curve V = f * g
        vmax, vmin = _span(self.vs)
        ax_v.plot(self.ts, self.vs, color=V_COLOR, lw=2, gid="V")
        ax_v.axhline(0, color="0.6", lw=0.8)
        ax_v.set_xlim(self.t_range)
        ax_v.set_ylim(vmin, vmax)
        ax_v.set_title("$V(t) = (f * g)(t)$")
        ax_v.set_xlabel("$t$")
        self.t_mark = ax_v.axvline(self.t_range[0], color=LINE_COLOR, lw=1, ls="--")
        (self.v_dot,) = ax_v.plot([], [], "o", color=LINE_COLOR, gid="V(t)")

        self.fills = []

    def freeze(self):
        """Pre-render everything that no frame changes into one background image.

        An animation then redraws, per frame, one image and the few moving
        artists instead of four axes with their ticks and mathtext: about
        five times faster.  The background sits in an axes spanning the
        figure, so saving at another dpi only resamples it.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        moving = [self.line_xy, self.u_on_line, self.v_text, self.g_flipped, self.product,
                  self.t_mark, self.v_dot, *self.fills]
        canvas = FigureCanvasAgg(self.fig)
        canvas.draw()                                  # lay the axes out once...
        self.fig.set_layout_engine("none")             # ...and keep them there
        for artist in moving:
            artist.set_visible(False)
        canvas.draw()
        background = np.asarray(canvas.buffer_rgba()).copy()
        for artist in moving:
            artist.set_visible(True)
        for ax in self.axes:
            for artist in ax.get_children():
                if artist not in moving:
                    artist.set_visible(False)
            ax.set_axis_off()
        holder = self.fig.add_axes((0, 0, 1, 1), zorder=-10)
        holder.imshow(background, aspect="auto", interpolation="nearest")
        holder.set_axis_off()

    def update(self, t):
        t = _check_real("t", t)
        for fill in self.fills:
            fill.remove()
        xs = self.xs
        gt = _evaluate("g", self.g, t - xs)
        prod = self.fx * gt
        value = float(np.trapezoid(prod, xs)) if self.conv is None else float(
            _evaluate("conv", self.conv, np.array([t]))[0])
        ax_u, ax_line, ax_slide, _ = self.axes

        self.line_xy.set_data(xs, t - xs)
        self.u_on_line.set_data(xs, prod)
        self.fills = [
            ax_line.fill_between(xs, prod, color=PRODUCT_COLOR, alpha=0.35, lw=0),
            ax_slide.fill_between(xs, prod, color=PRODUCT_COLOR, alpha=0.35, lw=0),
        ]
        approx = "=" if self.conv is not None else "\\approx"
        self.v_text.set_text(f"$t = {t:.2f}$\n$V(t) {approx} {value:.3f}$")
        self.g_flipped.set_data(xs, gt)
        self.product.set_data(xs, prod)
        self.t_mark.set_xdata([t, t])
        self.v_dot.set_data([t], [value])
        return value


def _check_figsize(figsize) -> tuple[float, float]:
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise ValueError(f"figsize must be a pair (width, height) in inches, got {describe(figsize)}.")
    return (_check_positive("figsize[0]", figsize[0]), _check_positive("figsize[1]", figsize[1]))


def _span(values) -> tuple[float, float]:
    """(top, bottom) axis limits that contain ``values`` and 0, with a margin."""
    top = max(float(np.max(values)), 0.0)
    bottom = min(float(np.min(values)), 0.0)
    pad = 0.08 * (top - bottom) or 1.0
    return top + pad, bottom - (pad if bottom < 0 else 0.02 * (top - bottom or 1.0))


def _draw_heatmap(ax, values, x_range, y_range, cmap):
    image = ax.imshow(values, origin="lower", extent=(*x_range, *y_range), cmap=cmap,
                      aspect="equal", interpolation="nearest", gid="U")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return image


def rolling_up_figure(f, g, t, *, x_range=(-1.5, 2.5), y_range=None, t_range=None,
                      conv=None, n=201, figsize=(9.0, 6.4), dpi=80, cmap="viridis"):
    """Draw the convolution at one ``t`` as a rolling-up and as a flip-and-slide.

    The convolution

    .. math:: V(t) = (f * g)(t) = \\int f(x)\\, g(t - x)\\, dx
              = \\int U(x, t - x)\\, dx, \\qquad U(x, y) = f(x)\\, g(y),

    integrates the joint picture ``U`` along the line ``x + y = t``.  Four
    panels: ``U`` as a heat map with that line drawn over it (top left); the
    values of ``U`` along the line, as a function of ``x``, with the area under
    them shaded, which is ``V(t)`` (top right); the flip-and-slide picture,
    ``f(x)`` and ``g(t - x)`` with their product shaded (bottom left: the same
    curve as the top right, which is why the two pictures are one
    computation); and the whole curve ``V`` with ``V(t)`` marked (bottom right).

    Parameters
    ----------
    f, g : callable
        Numeric functions, vectorised over numpy arrays (e.g.
        ``sympy.lambdify(t, expr, "numpy")``).
    t : float
        Where to evaluate the convolution.
    x_range : (float, float), optional
        The window in ``x``; it must contain the part of ``f`` that matters.
    y_range : (float, float), optional
        The window in ``y`` (for ``g``); defaults to ``x_range``.
    t_range : (float, float), optional
        The window of the ``V`` curve; defaults to
        ``(x_range[0] + y_range[0], x_range[1] + y_range[1])``.
    conv : callable, optional
        The exact ``f * g``, vectorised, to draw instead of the numeric one.
    n : int, optional
        Grid points per axis (at least 3).
    figsize : (float, float), optional
        Figure size in inches.
    dpi : float, optional
        Resolution of the figure.
    cmap : str, optional
        Colour map of the heat map.

    Returns
    -------
    matplotlib.figure.Figure
        A figure with four axes, not registered with pyplot.  Its artists
        carry gids, so their data can be read back: ``'U'`` (the heat map),
        ``'line'`` (``x + y = t``), ``'U on line'``, ``'f'``, ``'g flipped'``,
        ``'product'``, ``'V'`` (the curve) and ``'V(t)'`` (the point).

    Raises
    ------
    TypeError
        If ``f``, ``g`` (or ``conv``) is not a callable that works on numpy
        arrays, or a number is not a real number.
    ValueError
        If a range is not a pair ``low < high``, ``n < 3``, ``cmap`` is not a
        colour map, or a function returns values of the wrong shape, complex
        or non-finite values.

    Notes
    -----
    This is the true convolution (``g`` flipped), not the cross-correlation of
    deep-learning libraries.  The line integral is taken with respect to
    ``x``, the parameter along the line: with respect to arc length it would
    be :math:`\\sqrt{2}\\, V(t)`.  Without ``conv``, every integral uses the
    trapezoid rule on ``n`` points of ``x_range``.

    References
    ----------
    .. [1] R. N. Bracewell, *The Fourier Transform and Its Applications*,
       3rd ed., McGraw-Hill, 2000, ch. 3.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import rolling_up_figure
    >>> box = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    >>> fig = rolling_up_figure(box, box, 0.5, x_range=(-1, 2), n=61)
    >>> len(fig.axes)
    4
    >>> [ax.get_title() for ax in fig.axes][3]
    '$V(t) = (f * g)(t)$'
    """
    picture = _RollingUp(f, g, x_range=x_range, y_range=y_range, t_range=t_range, conv=conv,
                         n=n, figsize=figsize, dpi=dpi, cmap=cmap)
    picture.update(t)
    return picture.fig


def rolling_up_animation(f, g, ts, *, interval=150, x_range=(-1.5, 2.5), y_range=None,
                         t_range=None, conv=None, n=151, figsize=(9.0, 6.4), dpi=72,
                         cmap="viridis"):
    """Sweep ``t`` through ``ts`` in the rolling-up picture: an animation.

    Each frame is :func:`rolling_up_figure` at one ``t``: the line
    ``x + y = t`` slides across ``U(x, y) = f(x) g(y)``, ``g(t - x)`` slides
    across ``f(x)``, and the point ``(t, V(t))`` runs along the curve of
    :math:`V(t) = \\int f(x)\\, g(t - x)\\, dx`.  Show it without a kernel
    with :func:`animation_html`.

    Parameters
    ----------
    f, g : callable
        Numeric functions, vectorised over numpy arrays.
    ts : array_like
        The values of ``t``, one per frame (1-D, 1 to 200 finite values; 30
        to 40 frames make a smooth and light animation).
    interval : float, optional
        Delay between frames, in milliseconds.
    x_range, y_range, t_range, conv, n, figsize, dpi, cmap
        As in :func:`rolling_up_figure` (``t_range`` defaults to the range of
        ``ts`` when that is wider than the default).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation; its figure is not registered with pyplot.

    Raises
    ------
    TypeError
        As in :func:`rolling_up_figure`, or if ``ts`` does not hold numbers.
    ValueError
        As in :func:`rolling_up_figure`, or if ``ts`` is not 1-D, is empty,
        has more than 200 values or non-finite values.

    Notes
    -----
    True convolution, as in :func:`rolling_up_figure`.  Everything that no
    frame changes (the heat map, ``f``, the curve of ``V``, axes, ticks and
    titles) is rendered once into a background image; each frame draws that
    image and the moving artists only (the line, ``g(t - x)``, the shaded
    areas, the point on ``V``), so 40 frames render in a few seconds.  The
    figure's axes after the first frame therefore hold only the moving
    artists; the static ones are hidden.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import rolling_up_animation, animation_html
    >>> box = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    >>> anim = rolling_up_animation(box, box, np.linspace(-0.5, 2.5, 4),
    ...                             x_range=(-1, 2), n=41, dpi=30)
    >>> page = animation_html(anim)
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", page))
    4
    """
    ts = as_numeric_array("ts", ts, ndim=1)
    if ts.dtype.kind == "c" or ts.dtype.kind == "O":
        raise TypeError(f"ts must hold real numbers, got {describe(ts)}.")
    ts = ts.astype(float)
    if not np.all(np.isfinite(ts)):
        raise ValueError(f"ts must hold finite numbers, got {describe(ts)}.")
    if ts.size > 200:
        raise ValueError(
            f"ts must have at most 200 values (one frame each), got {ts.size}: "
            "an animation embedded in a page should be a few dozen frames."
        )
    interval = _check_positive("interval", interval)
    if t_range is None:
        xr = _check_range("x_range", x_range)
        yr = xr if y_range is None else _check_range("y_range", y_range)
        low, high = xr[0] + yr[0], xr[1] + yr[1]
        t_range = (min(low, float(ts.min())), max(high, float(ts.max())))
    picture = _RollingUp(f, g, x_range=x_range, y_range=y_range, t_range=t_range, conv=conv,
                         n=n, figsize=figsize, dpi=dpi, cmap=cmap)
    picture.update(ts[0])  # validates g on the first frame before any rendering
    picture.freeze()

    def frame(k):
        picture.update(ts[k])

    return FuncAnimation(picture.fig, frame, frames=len(ts), interval=interval, blit=False,
                         repeat=True)


# --------------------------------------------------------------------------
# General helpers
# --------------------------------------------------------------------------

def joint_heatmap(f, g, *, x_range=(-1.5, 2.5), y_range=None, t=None, diagonal=False,
                  n=201, ax=None, title=None, cmap="viridis", figsize=(4.2, 4.0), dpi=80):
    """Draw ``U(x, y) = f(x) g(y)`` as a heat map, optionally with ``x + y = t``.

    Parameters
    ----------
    f, g : callable
        Numeric functions, vectorised over numpy arrays.
    x_range : (float, float), optional
        The window in ``x``.
    y_range : (float, float), optional
        The window in ``y``; defaults to ``x_range``.
    t : float, optional
        If given, draw the line ``x + y = t`` along which ``V(t)`` is rolled up.
    diagonal : bool, optional
        Draw the diagonal ``y = x`` (the mirror that swaps ``f`` and ``g``).
    n : int, optional
        Grid points per axis (at least 3).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title (default ``"U(x, y) = f(x) g(y)"``).
    cmap : str, optional
        Colour map.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (``ax.figure`` when ``ax`` is given).

    Raises
    ------
    TypeError
        If ``f`` or ``g`` is not a vectorised callable, or ``diagonal`` is not
        a bool.
    ValueError
        If a range is not a pair ``low < high``, ``n < 3`` or ``cmap`` is not
        a colour map.

    Notes
    -----
    ``x`` runs along the horizontal axis and ``y`` up the vertical one
    (``origin='lower'``), so swapping ``f`` and ``g`` reflects the picture in
    the diagonal ``y = x``: that is commutativity, :math:`f * g = g * f`.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import joint_heatmap
    >>> box = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    >>> fig = joint_heatmap(box, np.exp, x_range=(-1, 2), t=1.0, n=31)
    >>> fig.axes[0].get_xlabel()
    '$x$'
    """
    _check_callable("f", f)
    _check_callable("g", g)
    x_range = _check_range("x_range", x_range)
    y_range = x_range if y_range is None else _check_range("y_range", y_range)
    n = check_int("n", n, minimum=3)
    if not isinstance(diagonal, (bool, np.bool_)):
        raise TypeError(f"diagonal must be True or False, got {describe(diagonal)}.")
    if t is not None:
        t = _check_real("t", t)
    cmap = _check_cmap(cmap)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)
    values = np.outer(_evaluate("g", g, ys), _evaluate("f", f, xs))
    _draw_heatmap(ax, values, x_range, y_range, cmap)
    if t is not None:
        ax.plot(xs, t - xs, color=LINE_COLOR, lw=2, label=f"$x + y = {t:g}$")
    if diagonal:
        ax.plot(xs, xs, color="white", lw=1, ls="--", label="$y = x$")
    if t is not None or diagonal:
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(x_range)
    ax.set_ylim(y_range)
    ax.set_title("$U(x, y) = f(x)\\,g(y)$" if title is None else str(title))
    return fig


def _figure_and_axes(ax, figsize, dpi):
    if ax is None:
        fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        return fig, fig.subplots()
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {describe(ax)}.")
    return ax.figure, ax


def curves_figure(curves, x_range, *, n=400, ax=None, title=None, xlabel="$t$", ylabel=None,
                  fill=False, figsize=(6.0, 3.6), dpi=80):
    """Plot several numeric functions on one axes, with a legend.

    Parameters
    ----------
    curves : dict
        ``{label: callable}``; each callable is vectorised over numpy arrays.
        Labels may use matplotlib's mathtext, e.g. ``"$f * g$"``.
    x_range : (float, float)
        The window of the horizontal axis.
    n : int, optional
        Sample points (at least 3).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title, xlabel, ylabel : str, optional
        Labels of the axes.
    fill : bool, optional
        Shade the area under each curve lightly.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError
        If ``curves`` is not a non-empty dict of callables.
    ValueError
        If ``x_range`` is not a pair ``low < high`` or a curve returns bad values.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import curves_figure
    >>> fig = curves_figure({"sine": np.sin, "cosine": np.cos}, (0, 6.3))
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['sine', 'cosine']
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict {{label: callable}}, got {describe(curves)}.")
    for label, func in curves.items():
        _check_callable(f"curves[{label!r}]", func)
    x_range = _check_range("x_range", x_range)
    n = check_int("n", n, minimum=3)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    xs = np.linspace(*x_range, n)
    for k, (label, func) in enumerate(curves.items()):
        ys = _evaluate(f"curves[{label!r}]", func, xs)
        ax.plot(xs, ys, color=f"C{k % 10}", lw=2, label=str(label))
        if fill:
            ax.fill_between(xs, ys, color=f"C{k % 10}", alpha=0.15, lw=0)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlim(x_range)
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return fig


def histogram_figure(samples, pdf=None, *, bins=60, x_range=None, ax=None, title=None,
                     label="simulated", pdf_label="exact density", xlabel="$s$",
                     figsize=(5.0, 3.4), dpi=80):
    """A density histogram of ``samples`` with an exact density drawn over it.

    The histogram is normalised (``density=True``): bar heights are counts
    divided by ``len(samples) * bin width``, so it estimates the probability
    density and can be compared with ``pdf`` directly.

    Parameters
    ----------
    samples : array_like
        1-D real samples (e.g. simulated sums of random variables).
    pdf : callable, optional
        The exact density, vectorised over numpy arrays (e.g. a lambdified
        sympy ``Piecewise``).
    bins : int, optional
        Number of bins (at least 1).
    x_range : (float, float), optional
        The histogram's range; defaults to the range of the samples.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        The axes title.
    label, pdf_label, xlabel : str, optional
        Legend labels and the horizontal axis' label.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``ax``).
    dpi : float, optional
        Resolution of the new figure (ignored with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError
        If ``samples`` does not hold real numbers or ``pdf`` is not callable.
    ValueError
        If ``samples`` is empty, not 1-D or not finite, ``bins < 1``, or
        ``x_range`` is not a pair ``low < high``.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting import histogram_figure
    >>> rng = np.random.default_rng(0)
    >>> s = rng.uniform(size=1000) + rng.uniform(size=1000)
    >>> triangle = lambda x: np.clip(1 - np.abs(x - 1), 0, None)
    >>> fig = histogram_figure(s, triangle, bins=20, x_range=(0, 2))
    >>> len(fig.axes[0].patches)
    20
    """
    samples = as_numeric_array("samples", samples, ndim=1)
    if samples.dtype.kind not in "biuf":
        raise TypeError(f"samples must hold real numbers, got {describe(samples)}.")
    samples = samples.astype(float)
    if not np.all(np.isfinite(samples)):
        raise ValueError(f"samples must be finite, got {describe(samples)} with nan or inf.")
    if pdf is not None:
        _check_callable("pdf", pdf)
    bins = check_int("bins", bins, minimum=1)
    if x_range is None:
        low, high = float(samples.min()), float(samples.max())
        x_range = (low, high) if low < high else (low - 0.5, high + 0.5)
    x_range = _check_range("x_range", x_range)
    fig, ax = _figure_and_axes(ax, figsize, dpi)
    ax.hist(samples, bins=bins, range=x_range, density=True, color="0.75",
            edgecolor="white", label=label)
    if pdf is not None:
        xs = np.linspace(*x_range, 400)
        ax.plot(xs, _evaluate("pdf", pdf, xs), color=V_COLOR, lw=2, label=pdf_label)
    ax.set_xlim(x_range)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return fig


_CHAPTERS = {"discrete": "convbook._plotting_discrete", "polynomial": "convbook._plotting_polynomial",
             "fourier": "convbook._plotting_fourier", "nn": "convbook._plotting_nn"}


def __getattr__(name):
    """Load a chapter's plotting namespace on first use (no import cycle, no start-up cost)."""
    if name in _CHAPTERS:
        return importlib.import_module(_CHAPTERS[name])
    raise AttributeError(f"module 'convbook.plotting' has no attribute {name!r}")
