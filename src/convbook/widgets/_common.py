"""What every chapter's explorers share (private): importing ipywidgets, checks, PNG outputs.

- :func:`_ipywidgets` imports ipywidgets or says how to install it;
- :func:`_check_options` refuses unknown figure keywords, :func:`_check_bool`
  a non-bool flag;
- :func:`_png_output` puts a figure into an ``Output`` widget as a PNG;
- :class:`_LiveFigure` redraws only the moving artists of a figure built once
  (a step of an explorer), :func:`_png_bytes_output` wraps its PNG;
- :class:`_Redraw` coalesces bursts of slider changes in a kernel into one
  or two redraws that end on the latest value.
"""

from __future__ import annotations

import base64
import importlib
import io
import math
import sys
import threading
import time

import numpy as np

from convbook._validation import describe


def _ipywidgets(who: str = "convbook.widgets needs"):
    """Import ipywidgets, or say how to install it (``who`` starts the message)."""
    try:
        return importlib.import_module("ipywidgets")
    except ImportError as exc:
        raise ImportError(
            f"{who} the package 'ipywidgets' (>= 8): install it with "
            "`pip install ipywidgets` (or `pip install convbook[widgets]`), then restart "
            "the kernel. The static animations of convbook.plotting need no extra package."
        ) from exc


def _check_options(func: str, options: dict, allowed) -> None:
    """Refuse figure keywords that ``func`` does not know, listing the ones it does."""
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(
            f"{func} got an unexpected keyword argument {unknown[0]!r}. "
            f"Acceptable figure options are {', '.join(sorted(allowed))}."
        )


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {describe(value)}.")
    return value


def _png_output(fig, text: str) -> dict:
    """A Jupyter ``display_data`` output holding ``fig`` as a PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": data, "text/plain": text},
        "metadata": {},
    }


# --------------------------------------------------------------------------
# Live pictures: a figure built once, its moving artists redrawn per step
# --------------------------------------------------------------------------

class _LiveFigure:
    """A figure laid out and drawn once; :meth:`png` redraws only its moving artists.

    ``moving`` is a callable returning the artists that a step changes (it is
    called at every step, so artists made anew by an update, e.g.
    ``fill_between``, are included).  At construction the figure is drawn
    twice: once with everything (the layout engine places the axes, then is
    switched off so nothing moves afterwards) and once without the moving
    artists, whose pixels are kept as the background.  :meth:`png` restores
    that background, draws the moving artists in z-order and encodes the
    canvas as a PNG without an optimisation pass: about a tenth of the cost
    of building and saving the figure again.  Build the live figure before
    the first update when the layout must not depend on the starting value.
    """

    def __init__(self, fig, moving):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.text import Text

        self.fig, self.moving = fig, moving
        self.canvas = FigureCanvasAgg(fig)
        self.canvas.draw()                         # lay the axes out once...
        fig.set_layout_engine("none")              # ...and keep them there
        artists = list(moving())
        shown = [a.get_visible() for a in artists]
        # an axes moves its title when it draws: keep the positions of the first draw
        places = [a.get_position() if isinstance(a, Text) else None for a in artists]
        for artist in artists:
            artist.set_visible(False)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        for artist, visible, place in zip(artists, shown, places):
            artist.set_visible(visible)
            if place is not None:
                artist.set_position(place)

    def rgba(self):
        """The picture as it stands now: an ``(height, width, 4)`` uint8 array (a view)."""
        canvas = self.canvas
        canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in sorted(self.moving(), key=lambda a: a.get_zorder()):
            artist.draw(renderer)                  # an invisible artist draws nothing
        return np.asarray(canvas.buffer_rgba())

    def png(self) -> bytes:
        """The picture as PNG bytes (fast zlib level, no optimisation pass)."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.rgba()).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _png_bytes_output(png: bytes, text: str) -> dict:
    """A Jupyter ``display_data`` output holding PNG bytes."""
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text},
        "metadata": {},
    }


def _in_kernel() -> bool:
    """True inside a running IPython kernel (where a frontend can send bursts of changes)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except Exception:  # pragma: no cover - an IPython without get_ipython
        return False
    return ip is not None and getattr(ip, "kernel", None) is not None


#: Seconds between two redraws in a kernel: a burst of changes costs two redraws.
REDRAW_DELAY = 0.15


class _Redraw:
    """Coalesce bursts of widget changes into few redraws that end on the latest state.

    Call the instance from every observer.  ``draw`` reads the widgets' current
    values itself, so whichever call ends up drawing shows the latest state.
    With ``delay == 0`` (outside a kernel: tests, doctests, scripts) every
    call draws at once.  With ``delay > 0`` a call draws at once if the last
    redraw ended at least ``delay`` seconds ago; otherwise it only records
    that the picture is stale, and one trailing redraw (a
    :class:`threading.Timer`) draws the latest state ``delay`` after the last
    one: ten quick changes cost two redraws, the second at the final values.
    ``redraws`` counts the redraws; :meth:`wait` blocks until none is pending.
    """

    def __init__(self, draw, delay: float | None = None):
        self._draw = draw
        self.delay = (REDRAW_DELAY if _in_kernel() else 0.0) if delay is None else float(delay)
        self.redraws = 0
        self._state = threading.Lock()      # guards the fields below
        self._drawing = threading.Lock()    # one redraw at a time
        self._stale = False
        self._timer = None
        self._last = -math.inf

    def __call__(self, change=None) -> None:
        with self._state:
            self._stale = True
            if self.delay > 0:
                if self._timer is not None:          # a trailing redraw will read the latest state
                    return
                wait = self._last + self.delay - time.monotonic()
                if wait > 0:
                    self._timer = threading.Timer(wait, self._trailing)
                    self._timer.daemon = True
                    self._timer.start()
                    return
        self._run()

    def _trailing(self) -> None:
        with self._state:
            self._timer = None
        self._run()

    def _run(self) -> None:
        with self._drawing:
            with self._state:
                if not self._stale:                   # another call drew the latest state already
                    return
                self._stale = False
            try:
                self._draw()
            finally:
                with self._state:
                    self.redraws += 1
                    self._last = time.monotonic()

    def wait(self, timeout: float = 30.0) -> None:
        """Block until no redraw is scheduled or running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._state:
                timer = self._timer
            if timer is not None:
                timer.join(max(0.0, deadline - time.monotonic()))
                continue
            with self._drawing:
                pass
            with self._state:
                if self._timer is None:
                    return
