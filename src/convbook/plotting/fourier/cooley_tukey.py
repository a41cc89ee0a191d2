"""Figures of chapter 4's lesson "The fast Fourier transform" (Cooley--Tukey).

Lesson ``04-fft/cooley-tukey``: the butterfly diagram of the radix-2 FFT,
optionally with the values on the wires after each butterfly
(:func:`butterfly_steps` computes them as a :class:`ButterflyTrace` of
:class:`ButterflyStep`, :func:`butterfly_figure` draws one step,
:func:`butterfly_animation` steps through them all, the static twin of
:func:`convbook.widgets.fourier.butterfly_explorer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from matplotlib.animation import FuncAnimation

from convbook._validation import as_numeric_array, check_int, describe
from convbook.plotting._style import _check_figsize, _check_positive, _new_figure

from ._common import ACTIVE_COLOR, DONE_COLOR, WIRE_COLOR, _MAX_BUTTERFLY_N, _MAX_TRACE_N, _check_interval

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ButterflyStep", "ButterflyTrace", "butterfly_steps", "butterfly_figure", "butterfly_animation"]


def _fmt_complex(z: complex, digits: int = 2) -> str:
    """A short text for a complex number: '4', '-2+2i', '1.41i', '0'."""
    re_, im = round(float(z.real), digits), round(float(z.imag), digits)
    re_ = 0.0 if re_ == 0 else re_          # no '-0'
    im = 0.0 if im == 0 else im

    def num(v):
        text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
        return text

    if im == 0:
        return num(re_)
    if re_ == 0:
        return ("-" if im < 0 else "") + ("" if abs(im) == 1 else num(abs(im))) + "i"
    sign = "-" if im < 0 else "+"
    return f"{num(re_)}{sign}{'' if abs(im) == 1 else num(abs(im))}i"


# --------------------------------------------------------------------------
# The butterfly diagram of the radix-2 FFT
# --------------------------------------------------------------------------

class ButterflyStep(NamedTuple):
    """One butterfly of the iterative radix-2 FFT (see :func:`butterfly_steps`)."""

    stage: int          #: 1 .. log2(n); stage s builds DFTs of length 2**s
    top: int            #: the upper wire (row) of the butterfly
    bottom: int         #: the lower wire, ``top + 2**(s-1)``
    k: int              #: the twiddle exponent: the factor is omega_size**k
    size: int           #: 2**s
    values: np.ndarray  #: all n wire values right after this butterfly (a copy)


class ButterflyTrace(NamedTuple):
    """Every state of the iterative radix-2 FFT of one input (see :func:`butterfly_steps`)."""

    order: np.ndarray        #: input index on each wire: bit-reversed order
    start: np.ndarray        #: the wire values before the first butterfly, ``x[order]``
    steps: tuple             #: the ButterflySteps, in the order they are computed


def _bit_reversed(n: int) -> np.ndarray:
    bits = n.bit_length() - 1
    return np.array([int(format(i, f"0{bits}b")[::-1], 2) if bits else 0 for i in range(n)])


def butterfly_steps(x: ArrayLike) -> ButterflyTrace:
    r"""Run the iterative radix-2 Cooley--Tukey FFT one butterfly at a time, recording every state.

    The samples are put in bit-reversed order; then for the stages
    :math:`s = 1, \dots, \log_2 n` (building DFTs of length
    :math:`m = 2^s` from pairs of length :math:`m/2`) every pair of wires
    ``(top, bottom = top + m/2)`` goes through the butterfly

    .. math::

        (a, b) \mapsto (a + \omega_m^k\, b,\ a - \omega_m^k\, b), \qquad
        \omega_m = e^{-2\pi i/m},\ k = \text{top} \bmod m .

    After the last butterfly the wires hold :math:`X = \mathrm{DFT}(x)` in
    natural order.

    Parameters
    ----------
    x : array_like
        A 1-D sequence of numbers (real or complex) whose length is a power of
        two, at most 1024.

    Returns
    -------
    ButterflyTrace
        ``order`` (the input index on each wire), ``start`` (``x[order]`` as
        complex128) and ``steps``, a tuple of :math:`(n/2)\log_2 n`
        :class:`ButterflyStep` (stage, top, bottom, k, size, values).

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty, not 1-D, or its length is not a power of two or
        exceeds 1024.

    Notes
    -----
    numpy's convention (:math:`\omega = e^{-2\pi i/n}`, unscaled), so
    ``trace.steps[-1].values`` equals ``numpy.fft.fft(x)`` up to rounding.
    This is the same algorithm as :func:`convbook.fourier.fft_iterative`,
    one butterfly at a time instead of one vectorised stage at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook.plotting.fourier import butterfly_steps
    >>> trace = butterfly_steps([1, 2, 3, 4])
    >>> trace.order.tolist()
    [0, 2, 1, 3]
    >>> [(s.stage, s.top, s.bottom, s.k) for s in trace.steps]
    [(1, 0, 1, 0), (1, 2, 3, 0), (2, 0, 2, 0), (2, 1, 3, 1)]
    >>> print(np.round(trace.steps[-1].values, 12))
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    """
    arr = as_numeric_array("x", x, ndim=1)
    try:
        arr = arr.astype(np.complex128)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"x must hold numbers convertible to complex, got {describe(x)}.") from None
    n = arr.shape[0]
    if n & (n - 1):
        raise ValueError(f"len(x) must be a power of two, got {n}.")
    if n > _MAX_TRACE_N:
        raise ValueError(f"len(x) must be at most {_MAX_TRACE_N} to record every butterfly, got {n}.")
    order = _bit_reversed(n)
    wires = arr[order].copy()
    start = wires.copy()
    steps = []
    size = 2
    stage = 1
    while size <= n:
        half = size // 2
        for group in range(0, n, size):
            for k in range(half):
                top, bottom = group + k, group + k + half
                w = np.exp(-2j * np.pi * k / size)
                a, b = wires[top], w * wires[bottom]
                wires[top], wires[bottom] = a + b, a - b
                steps.append(ButterflyStep(stage, top, bottom, k, size, wires.copy()))
        size *= 2
        stage += 1
    return ButterflyTrace(order, start, tuple(steps))


def _draw_butterflies(ax, n: int, trace: ButterflyTrace | None, step: int, x_given: bool,
                      highlight: bool = True):
    """Draw the butterfly network of size n on ``ax``; if a trace is given, the values after ``step``."""
    stages = n.bit_length() - 1
    gap = 3.2 if x_given else 2.4
    col_x = [gap * s for s in range(stages + 1)]
    row_y = lambda r: n - 1 - r  # noqa: E731  (row 0 at the top)
    # the state of every column after `step` butterflies
    known = np.zeros((stages + 1, n), dtype=bool)
    known[0] = True
    values = np.full((stages + 1, n), np.nan, dtype=complex)
    order = _bit_reversed(n)
    if trace is not None:
        values[0] = trace.start
    active = None
    all_steps = trace.steps if trace is not None else _network(n)
    for i, st in enumerate(all_steps):
        if i >= step:
            break
        known[st.stage, [st.top, st.bottom]] = True
        if trace is not None:
            values[st.stage, st.top] = st.values[st.top]
            values[st.stage, st.bottom] = st.values[st.bottom]
        active = st if (i == step - 1 and highlight) else active

    for st in all_steps:
        s, top, bottom = st.stage, st.top, st.bottom
        x0, x1 = col_x[s - 1], col_x[s]
        done = known[s, top]
        is_active = active is not None and (s, top) == (active.stage, active.top)
        color = ACTIVE_COLOR if is_active else (DONE_COLOR if done else WIRE_COLOR)
        lw = 2.4 if is_active else (1.2 if done else 0.9)
        gid = "active" if is_active else None
        for r0, r1 in ((top, top), (bottom, top), (top, bottom), (bottom, bottom)):
            ax.plot([x0, x1], [row_y(r0), row_y(r1)], color=color, lw=lw, zorder=2 if not is_active else 4,
                    solid_capstyle="round", gid=gid)
        # twiddle factor on the lower input, minus sign on the lower output
        tx = x0 + 0.16 * (x1 - x0)
        ax.text(tx, row_y(bottom) + 0.16, f"$\\omega_{{{st.size}}}^{{{st.k}}}$", fontsize=9.5,
                color=color if is_active else "0.25", ha="left", va="bottom", zorder=5)
        ax.text(x1 - 0.12 * (x1 - x0), row_y(bottom) - 0.12, "$-$", fontsize=9,
                color=color if is_active else "0.25", ha="center", va="top", zorder=5)

    for s in range(stages + 1):
        for r in range(n):
            filled = known[s, r]
            ax.plot(col_x[s], row_y(r), "o", ms=6, zorder=6,
                    color=(ACTIVE_COLOR if active is not None and s == active.stage and
                           r in (active.top, active.bottom) else ("k" if filled else "white")),
                    markeredgecolor="k", gid=f"node {s} {r}")
            if trace is not None and filled and x_given:
                ax.text(col_x[s], row_y(r) + 0.2, _fmt_complex(values[s, r]), fontsize=8.5,
                        ha="center", va="bottom", zorder=7,
                        bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))
    _frame_the_network(ax, col_x, row_y, order, n, stages)
    return active


def _frame_the_network(ax, col_x, row_y, order, n, stages) -> None:
    """The inputs' and outputs' names, the stage labels and the limits of a butterfly network's axes."""
    for r in range(n):
        ax.text(col_x[0] - 0.25, row_y(r), f"$x_{{{order[r]}}}$", ha="right", va="center", fontsize=10)
        ax.text(col_x[-1] + 0.25, row_y(r), f"$X_{{{r}}}$", ha="left", va="center", fontsize=10)
    for s in range(stages + 1):
        label = "input\n(bit-reversed)" if s == 0 else f"stage {s}\nDFTs of length {2 ** s}"
        ax.text(col_x[s], n - 0.35, label, ha="center", va="bottom", fontsize=8.5)
    ax.set_xlim(col_x[0] - 1.0, col_x[-1] + 1.0)
    ax.set_ylim(-0.7, n + 0.45)
    ax.set_axis_off()


class _Butterfly:
    """The butterfly diagram with values, built once; ``update(step)`` recolours it in place.

    The same picture as :func:`butterfly_figure` with ``x`` and ``step``
    (``_draw_butterflies`` with values and a highlight), for a live explorer:
    every artist is made once, and a step only changes colours, widths,
    z-orders, the values written by the nodes and the title.  ``moving()``
    lists the artists a step may change (the labels of the wires and the
    stages never change).
    """

    def __init__(self, x, figsize=None, dpi=80):
        n, trace = _butterfly_input(x, 8)
        self.n, self.trace = n, trace
        self.total = len(trace.steps)
        if figsize is None:
            figsize = (9.0, 0.6 * n + 1.3)
        self.fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        ax = self.ax = self.fig.subplots()
        stages = n.bit_length() - 1
        gap = 3.2
        col_x = [gap * s for s in range(stages + 1)]
        row_y = lambda r: n - 1 - r  # noqa: E731  (row 0 at the top)
        self.wires, self.twiddles, self.minus = [], [], []
        for st in trace.steps:
            s, top, bottom = st.stage, st.top, st.bottom
            x0, x1 = col_x[s - 1], col_x[s]
            self.wires.append([ax.plot([x0, x1], [row_y(r0), row_y(r1)], color=WIRE_COLOR, lw=0.9, zorder=2,
                                       solid_capstyle="round")[0]
                               for r0, r1 in ((top, top), (bottom, top), (top, bottom), (bottom, bottom))])
            tx = x0 + 0.16 * (x1 - x0)
            self.twiddles.append(ax.text(tx, row_y(bottom) + 0.16, f"$\\omega_{{{st.size}}}^{{{st.k}}}$",
                                         fontsize=9.5, color="0.25", ha="left", va="bottom", zorder=5))
            self.minus.append(ax.text(x1 - 0.12 * (x1 - x0), row_y(bottom) - 0.12, "$-$", fontsize=9,
                                      color="0.25", ha="center", va="top", zorder=5))
        self.nodes, self.values = {}, {}
        for s in range(stages + 1):
            for r in range(n):
                (self.nodes[s, r],) = ax.plot(col_x[s], row_y(r), "o", ms=6, zorder=6, color="white",
                                              markeredgecolor="k", gid=f"node {s} {r}")
                self.values[s, r] = ax.text(col_x[s], row_y(r) + 0.2, "", fontsize=8.5, ha="center",
                                            va="bottom", zorder=7,
                                            bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none",
                                                      alpha=0.85))
        _frame_the_network(ax, col_x, row_y, trace.order, n, stages)
        self.title = ax.set_title(_butterfly_title(n, trace, self.total, None), fontsize=10)

    def moving(self):
        """The artists that :meth:`update` may change."""
        return [*(line for four in self.wires for line in four), *self.twiddles, *self.minus,
                *self.nodes.values(), *self.values.values(), self.title]

    def update(self, step):
        """Show the state after ``step`` butterflies, the last one in red; returns that butterfly (or None)."""
        n, trace = self.n, self.trace
        step = check_int("step", step, minimum=0)
        if step > self.total:
            raise ValueError(f"step must be an integer between 0 and {self.total} for n = {n}, got {step}.")
        stages = n.bit_length() - 1
        known = np.zeros((stages + 1, n), dtype=bool)
        known[0] = True
        values = np.full((stages + 1, n), np.nan, dtype=complex)
        values[0] = trace.start
        active = None
        for i, st in enumerate(trace.steps[:step]):
            known[st.stage, [st.top, st.bottom]] = True
            values[st.stage, st.top] = st.values[st.top]
            values[st.stage, st.bottom] = st.values[st.bottom]
            active = st if i == step - 1 else active
        for st, four, twiddle, minus in zip(trace.steps, self.wires, self.twiddles, self.minus):
            done = known[st.stage, st.top]
            is_active = active is not None and (st.stage, st.top) == (active.stage, active.top)
            color = ACTIVE_COLOR if is_active else (DONE_COLOR if done else WIRE_COLOR)
            for line in four:
                line.set_color(color)
                line.set_linewidth(2.4 if is_active else (1.2 if done else 0.9))
                line.set_zorder(4 if is_active else 2)
                line.set_gid("active" if is_active else None)
            twiddle.set_color(color if is_active else "0.25")
            minus.set_color(color if is_active else "0.25")
        for (s, r), node in self.nodes.items():
            filled = known[s, r]
            node.set_color(ACTIVE_COLOR if active is not None and s == active.stage and
                           r in (active.top, active.bottom) else ("k" if filled else "white"))
            text = self.values[s, r]
            text.set_text(_fmt_complex(values[s, r]) if filled else "")
            text.set_visible(bool(filled))
        self.title.set_text(_butterfly_title(n, trace, step, active))
        return active


class _NetStep(NamedTuple):
    stage: int
    top: int
    bottom: int
    k: int
    size: int


def _network(n: int):
    """The butterflies of the radix-2 network, without values."""
    out = []
    size, stage = 2, 1
    while size <= n:
        half = size // 2
        for group in range(0, n, size):
            for k in range(half):
                out.append(_NetStep(stage, group + k, group + k + half, k, size))
        size *= 2
        stage += 1
    return out


def _butterfly_input(x, n):
    """(n, trace or None) from the arguments of butterfly_figure / animation."""
    if x is None:
        n = check_int("n", n, minimum=2)
        if n & (n - 1) or n > _MAX_BUTTERFLY_N:
            raise ValueError(
                f"n must be a power of two between 2 and {_MAX_BUTTERFLY_N} for a readable diagram, got {n}."
            )
        return n, None
    trace = butterfly_steps(x)
    n = trace.start.shape[0]
    if n < 2 or n > _MAX_BUTTERFLY_N:
        raise ValueError(
            f"len(x) must be a power of two between 2 and {_MAX_BUTTERFLY_N} for a readable diagram, got {n}."
        )
    return n, trace


def _butterfly_title(n, trace, step, active):
    total = (n // 2) * (n.bit_length() - 1)
    if active is None and step == total and trace is not None:
        return f"radix-2 FFT of length {n}: {total} butterflies; $X = \\mathrm{{DFT}}(x)$ on the right"
    if step == 0:
        return f"radix-2 FFT of length {n}: {total} butterflies" + (
            "; the inputs in bit-reversed order" if trace is not None else "")
    a = active
    text = (f"butterfly {step} of {total} (stage {a.stage}): "
            f"wires {a.top}, {a.bottom} $\\leftarrow$ $a \\pm \\omega_{{{a.size}}}^{{{a.k}}} b$")
    if step == total and trace is not None:
        text += ": done, $X = \\mathrm{DFT}(x)$"
    return text


def butterfly_figure(x: ArrayLike | None = None, *, n: int = 8, step: int | None = None,
                     figsize: tuple[float, float] | None = None, dpi: float = 80) -> Figure:
    r"""The butterfly diagram of the radix-2 Cooley--Tukey FFT, optionally with its values.

    Wires run left to right, one per sample; the inputs enter in bit-reversed
    order on the left and the DFT :math:`X_0, \dots, X_{n-1}` leaves in
    natural order on the right.  Between the columns, stage s combines pairs
    of DFTs of length :math:`2^{s-1}` into DFTs of length :math:`m = 2^s`
    with butterflies

    .. math::

        (a, b) \mapsto (a + \omega_m^k b,\ a - \omega_m^k b),
        \qquad \omega_m = e^{-2\pi i/m},

    drawn as a cross of four lines; the factor :math:`\omega_m^k` (the
    *twiddle factor*) is written on the lower input, the minus sign on the
    lower output.

    Parameters
    ----------
    x : array_like, optional
        An input whose length is a power of two from 2 to 16.  If given, each
        computed wire value is written next to its node.
    n : int, optional
        The size when ``x`` is omitted (a power of two, 2 to 16).
    step : int, optional
        Show the state after this many butterflies (``0`` to
        :math:`(n/2)\log_2 n`): computed nodes are filled, the last butterfly
        is drawn in red, the others in grey.  Default: all of them, none
        highlighted.
    figsize : (float, float), optional
        Default ``(9, 0.6 n + 1.2)`` with values, narrower without.
    dpi : float, optional
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.  Node markers carry gids ``'node s r'`` (column s, row r);
        the four lines of the last butterfly carry the gid ``'active'``.

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers, or ``n``/``step`` is not an integer.
    ValueError
        If the length is not a power of two from 2 to 16, or ``step`` is out
        of range.

    Notes
    -----
    numpy's sign convention; decimation in time (the input is split into even
    and odd samples, recursively, which is what puts it in bit-reversed
    order).  Values are written rounded to two decimals, with ``i`` for the
    imaginary unit.

    Examples
    --------
    >>> from convbook.plotting.fourier import butterfly_figure
    >>> fig = butterfly_figure(n=8)
    >>> fig.axes[0].get_title()
    'radix-2 FFT of length 8: 12 butterflies'
    >>> fig = butterfly_figure([1, 1, 1, 1, 0, 0, 0, 0], step=5)
    >>> sum(1 for l in fig.axes[0].get_lines() if l.get_gid() == "active")
    4
    """
    n, trace = _butterfly_input(x, n)
    total = (n // 2) * (n.bit_length() - 1)
    highlight = step is not None
    step = total if step is None else check_int("step", step, minimum=0)
    if step > total:
        raise ValueError(f"step must be an integer between 0 and {total} for n = {n}, got {step}.")
    if figsize is None:
        figsize = (9.0 if trace is not None else 6.5, 0.6 * n + 1.3)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    active = _draw_butterflies(ax, n, trace, step, trace is not None, highlight)
    ax.set_title(_butterfly_title(n, trace, step if (highlight or trace is not None) else 0, active),
                 fontsize=10)
    return fig


def butterfly_animation(x: ArrayLike, *, interval: float = 500, figsize: tuple[float, float] | None = None,
                        dpi: float = 72) -> FuncAnimation:
    """Step through the butterflies of the radix-2 FFT of ``x``: one frame per butterfly.

    Frame 0 shows the inputs in bit-reversed order; frame t shows the state
    after t butterflies (:func:`butterfly_figure` with ``step=t``), the t-th
    in red.  For n = 8 that is 13 frames.

    Parameters
    ----------
    x : array_like
        An input whose length is a power of two from 2 to 16.
    interval : float, optional
        Milliseconds between frames.
    figsize : (float, float), optional
        As in :func:`butterfly_figure`.
    dpi : float, optional
        Resolution of the frames.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation (its figure is not registered with pyplot); show it
        with :func:`convbook.plotting.animation_html`.

    Raises
    ------
    TypeError, ValueError
        As :func:`butterfly_figure`.

    Notes
    -----
    The static twin of :func:`convbook.widgets.fourier.butterfly_explorer`.

    Examples
    --------
    >>> from convbook.plotting.fourier import butterfly_animation
    >>> from convbook.plotting import animation_html
    >>> anim = butterfly_animation([1, 2, 3, 4], dpi=30)     # 4 butterflies: 5 frames
    >>> import re
    >>> len(re.findall(r"frames\\[\\d+\\] = ", animation_html(anim)))
    5
    """
    n, trace = _butterfly_input(x, 8)
    interval = _check_interval(interval)
    if figsize is None:
        figsize = (9.0, 0.6 * n + 1.3)
    fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
    ax = fig.subplots()
    total = len(trace.steps)

    def frame(t):
        ax.clear()
        active = _draw_butterflies(ax, n, trace, t, True)
        ax.set_title(_butterfly_title(n, trace, t, active), fontsize=10)

    frame(0)
    return FuncAnimation(fig, frame, frames=total + 1, interval=interval, blit=False, repeat=True)
