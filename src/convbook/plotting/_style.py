"""Colours, figure creation and the small validators that every chapter's figures share.

- the colours of chapter 1's pictures (``F_COLOR``, ``G_COLOR``,
  ``PRODUCT_COLOR``, ``V_COLOR``, ``LINE_COLOR``), which chapter 3's
  multiplication grid reuses;
- :func:`_check_real`, :func:`_check_positive`, :func:`_check_range`,
  :func:`_check_cmap`, :func:`_check_figsize`: the arguments every figure
  takes; :func:`_check_callable` and :func:`_evaluate`: the numeric functions
  of chapter 1 (and its explorer);
- :func:`_new_figure` and :func:`_figure_and_axes`: figures that are not
  registered with pyplot and show themselves as PNGs in IPython;
- :func:`_draw_heatmap`: the heat map of ``U(x, y) = f(x) g(y)`` (chapters 1
  and 2).

Private: the figure modules of every chapter and the explorers of
:mod:`convbook.widgets` import from here; this module imports nothing of
convbook but :mod:`convbook._validation`.
"""

from __future__ import annotations

import io
import numbers

import numpy as np
from matplotlib.figure import Figure

from convbook._validation import describe


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


def _check_figsize(figsize) -> tuple[float, float]:
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise ValueError(f"figsize must be a pair (width, height) in inches, got {describe(figsize)}.")
    return (_check_positive("figsize[0]", figsize[0]), _check_positive("figsize[1]", figsize[1]))


# --------------------------------------------------------------------------
# Figures that are not registered with pyplot
# --------------------------------------------------------------------------

# A figure's PNG is drawn at this many device pixels per pixel of its dpi, so that it stays sharp on
# hi-dpi screens and when the site widens it to keep its smallest text legible (page_fit.py reads the
# text chunks below and sizes the <img>).
PNG_SCALE = 2


def _smallest_font_pt(fig: Figure) -> float | None:
    """The smallest font size, in points, of the visible, non-empty text of a drawn figure."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is fig]
    return min(sizes) if sizes else None


def _png_metadata(fig: Figure) -> dict[str, str]:
    """The text chunks of a figure's PNG: its dpi, width in inches and smallest font size in points."""
    fig.draw_without_rendering()
    meta = {"convbook:dpi": f"{fig.dpi:g}", "convbook:scale": f"{PNG_SCALE:g}",
            "convbook:width_in": f"{fig.get_figwidth():.6g}"}
    smallest = _smallest_font_pt(fig)
    if smallest is not None:
        meta["convbook:min_font_pt"] = f"{smallest:.6g}"
    return meta


class _NotebookFigure(Figure):
    """A Figure that shows itself as a PNG in IPython, with or without pyplot's inline backend.

    The PNG is drawn at ``PNG_SCALE`` times the figure's dpi and carries text chunks
    ``convbook:dpi``, ``convbook:scale``, ``convbook:width_in`` and
    ``convbook:min_font_pt`` (the smallest visible text, in points), from which the
    rendered size of that text follows: ``min_font_pt / 72 * shown_width / width_in``
    CSS px for an ``<img>`` shown ``shown_width`` CSS px wide.
    """

    def _repr_png_(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        meta = _png_metadata(self)
        buffer = io.BytesIO()
        FigureCanvasAgg(self).print_figure(buffer, format="png", dpi=self.dpi * PNG_SCALE, metadata=meta)
        return buffer.getvalue()


def _with_text_chunks(png: bytes, meta: dict[str, str]) -> bytes:
    """``png`` with a ``tEXt`` chunk per item of ``meta`` inserted after its header (no second encoding)."""
    import struct
    import zlib

    chunks = b""
    for key, value in meta.items():
        body = b"tEXt" + key.encode("latin-1") + b"\0" + value.encode("latin-1")
        chunks += struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    header_end = 8 + 4 + 4 + 13 + 4  # the signature, then IHDR: length, type, 13 bytes of data, CRC
    return png[:header_end] + chunks + png[header_end:]


def _pyplot_png(fig: Figure) -> bytes:
    """A pyplot figure's PNG as the inline backend draws it (cropped to its content), at ``PNG_SCALE``
    times its dpi, with the text chunks of :class:`_NotebookFigure` (the width is the cropped width)."""
    if isinstance(fig, _NotebookFigure):
        return fig._repr_png_()
    meta = _png_metadata(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi * PNG_SCALE, bbox_inches="tight")
    png = buffer.getvalue()
    width_px = int.from_bytes(png[16:20], "big")  # IHDR's width field: the cropped width, in pixels
    meta["convbook:width_in"] = f"{width_px / (fig.dpi * PNG_SCALE):.6g}"
    return _with_text_chunks(png, meta)


def book_figures() -> None:
    """Show pyplot's figures, in the running IPython, as the book shows its own.

    Every :class:`matplotlib.figure.Figure` that IPython displays (``plt.show()``
    under the inline backend, or a figure left as a cell's last expression) is
    drawn as a PNG at ``PNG_SCALE`` times its dpi, cropped as the inline backend
    crops, with the text chunks that the book's site reads to keep its smallest
    text at 10 CSS px or more (``convbook:dpi``, ``convbook:scale``,
    ``convbook:width_in``, ``convbook:min_font_pt``).  Lessons that draw with
    pyplot call it once, after their imports.

    Outside IPython it does nothing.

    Examples
    --------
    >>> from convbook.plotting import book_figures
    >>> book_figures()   # outside IPython there is nothing to do
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the course's extras
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot as plt

    # pyplot's inline backend registers its own PNG printer when it is first loaded, which is when the
    # first figure is made: load it now, so that the printer registered next is the one that stays
    plt.close(plt.figure())
    shell.display_formatter.formatters["image/png"].for_type(Figure, _pyplot_png)


def _new_figure(figsize, dpi) -> Figure:
    return _NotebookFigure(figsize=figsize, dpi=dpi, layout="constrained")


def _figure_and_axes(ax, figsize, dpi):
    if ax is None:
        fig = _new_figure(_check_figsize(figsize), _check_positive("dpi", dpi))
        return fig, fig.subplots()
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {describe(ax)}.")
    return ax.figure, ax


def _draw_heatmap(ax, values, x_range, y_range, cmap):
    image = ax.imshow(values, origin="lower", extent=(*x_range, *y_range), cmap=cmap,
                      aspect="equal", interpolation="nearest", gid="U")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return image
