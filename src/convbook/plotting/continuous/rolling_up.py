"""The rolling-up picture of chapter 1, for the lesson "Convolution as rolling up".

Lesson ``01-continuous/rolling-up`` draws

.. math:: V(t) = (f * g)(t) = \\int U(x, t - x)\\, dx, \\qquad U(x, y) = f(x)\\, g(y),

as the line ``x + y = t`` on the heat map of ``U`` next to the flip-and-slide
picture (:func:`rolling_up_figure`), and sweeps ``t`` in a kernel-free
animation (:func:`rolling_up_animation`, shown with
:func:`convbook.plotting.animation_html`).  Its live twin is
:func:`convbook.widgets.rolling_up_explorer`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation

from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import (
    F_COLOR, G_COLOR, LINE_COLOR, PRODUCT_COLOR, V_COLOR, _check_callable, _check_cmap, _check_figsize,
    _check_positive, _check_range, _check_real, _draw_heatmap, _evaluate, _new_figure,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["rolling_up_figure", "rolling_up_animation"]


# --------------------------------------------------------------------------
# The rolling-up picture
# --------------------------------------------------------------------------

def _trapezoid_matrix(f, g, ts: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``V(t) = integral of f(x) g(t - x) dx`` by the trapezoid rule on ``xs``, for every ``t``."""
    fx = _evaluate("f", f, xs)
    values = np.empty(ts.shape)
    # one row of the product at a time keeps the memory modest
    for k, t in enumerate(ts):
        values[k] = np.trapezoid(fx * _evaluate("g", g, t - xs), xs)
    return values


def _span(values) -> tuple[float, float]:
    """(top, bottom) axis limits that contain ``values`` and 0, with a margin."""
    top = max(float(np.max(values)), 0.0)
    bottom = min(float(np.min(values)), 0.0)
    pad = 0.08 * (top - bottom) or 1.0
    return top + pad, bottom - (pad if bottom < 0 else 0.02 * (top - bottom or 1.0))


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

    def moving(self):
        """The artists that :meth:`update` changes (the shaded areas are made anew each time)."""
        return [self.line_xy, self.u_on_line, self.v_text, self.g_flipped, self.product,
                self.t_mark, self.v_dot, *self.fills]

    def freeze(self):
        """Pre-render everything that no frame changes into one background image.

        An animation then redraws, per frame, one image and the few moving
        artists instead of four axes with their ticks and mathtext: about
        five times faster.  The background sits in an axes spanning the
        figure, so saving at another dpi only resamples it.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        moving = self.moving()
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


def rolling_up_figure(f: Callable[[np.ndarray], np.ndarray], g: Callable[[np.ndarray], np.ndarray], t: float, *,
                      x_range: tuple[float, float] = (-1.5, 2.5), y_range: tuple[float, float] | None = None,
                      t_range: tuple[float, float] | None = None,
                      conv: Callable[[np.ndarray], np.ndarray] | None = None,
                      n: int = 201, figsize: tuple[float, float] = (9.0, 6.4), dpi: float = 80,
                      cmap: str = "viridis") -> Figure:
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


def rolling_up_animation(f: Callable[[np.ndarray], np.ndarray], g: Callable[[np.ndarray], np.ndarray], ts: ArrayLike, *,
                         interval: float = 150, x_range: tuple[float, float] = (-1.5, 2.5),
                         y_range: tuple[float, float] | None = None, t_range: tuple[float, float] | None = None,
                         conv: Callable[[np.ndarray], np.ndarray] | None = None, n: int = 151,
                         figsize: tuple[float, float] = (9.0, 6.4), dpi: float = 72,
                         cmap: str = "viridis") -> FuncAnimation:
    """Sweep ``t`` through ``ts`` in the rolling-up picture: an animation.

    Each frame is :func:`rolling_up_figure` at one ``t``: the line
    ``x + y = t`` slides across ``U(x, y) = f(x) g(y)``, ``g(t - x)`` slides
    across ``f(x)``, and the point ``(t, V(t))`` runs along the curve of
    :math:`V(t) = \\int f(x)\\, g(t - x)\\, dx`.  Show it without a kernel
    with :func:`~convbook.plotting.animation_html`.

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
