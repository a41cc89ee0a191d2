"""Matplotlib animations as self-contained HTML: no kernel, nothing from another host.

:func:`animation_html` (public as :func:`convbook.plotting.animation_html`)
is how every lesson with an animation shows it in the static book: chapter
1's "rolling up", chapter 2's "modes", chapter 3's "long multiplication",
chapter 4's "linear convolution by FFT" and "the fast Fourier transform", and
chapter 5's "stride, padding, dilation" and "equivariance and image filters".
The Font Awesome icons of ``to_jshtml()`` become plain Unicode symbols
(``_ICONS``), so the page loads no stylesheet from a CDN.
"""

from __future__ import annotations

import base64
import html
import io
import re
from typing import Literal

from matplotlib.animation import Animation

from convbook._validation import check_choice, describe

__all__ = ["animation_html"]


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
# Play (and Play backwards) take their first step at once, then one per interval: the picture answers the
# click, instead of staying still for a whole interval.
_PLAY_RE = re.compile(r'onclick="(anim[0-9a-f]*)\.(play|reverse)_animation\(\)"')
# matplotlib breaks each frame's base64 into lines, continued with a backslash inside the JavaScript string
_FRAME_RE = re.compile(r'(frames\[\d+\] = "data:image/)png;base64,([A-Za-z0-9+/=\\\s]*)"')
# Colours per frame after re-encoding.  Plots are flat colours plus their antialiased edges, and a
# colormap's ramp; 256 adaptive colours keep both (measured on the rolling-up frames: mean difference
# 0.15 of 255 per pixel, 99 % of the pixels within 3), at about a third of matplotlib's RGBA PNG.
PALETTE_COLOURS = 256


def _palette_png(png: bytes, colours: int = PALETTE_COLOURS) -> bytes:
    """Re-encode a PNG as an 8-bit palette PNG of at most ``colours`` adaptive colours (no dithering).

    matplotlib writes frames as 32-bit RGBA; an opaque figure's alpha channel carries nothing, and the
    image has a few thousand distinct colours at most.  The palette is chosen per frame (median cut), so
    a frame's own colours are what it keeps; its text chunks and dpi are kept too.  A frame with any
    transparency is returned as it is.
    """
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    with Image.open(io.BytesIO(png)) as image:
        if image.mode in ("P", "L", "1") or (image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 255):
            return png  # already a palette (or grey) image, or one with transparency
        rgb = image.convert("RGB")
        text = dict(getattr(image, "text", {}) or {})  # the figure's metadata (convbook:dpi, ...) stays
        dpi = image.info.get("dpi")
    info = PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    rgb.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True, pnginfo=info, **extra)
    return out.getvalue()


def _lighter_frame(match: re.Match) -> str:
    png = _palette_png(base64.b64decode(re.sub(r"[\\\s]", "", match.group(2))))
    return f'{match.group(1)}png;base64,{base64.b64encode(png).decode("ascii")}"'


def _play_at_once(match: re.Match) -> str:
    anim, way = match.group(1), match.group(2)
    step = "anim_step_forward" if way == "play" else "anim_step_reverse"
    return f'onclick="{anim}.{step}(); {anim}.{way}_animation()"'


def _icon(match: re.Match) -> str:
    classes = " ".join(match.group(1).split())
    symbol = _ICONS.get(classes)
    if symbol is None:  # an icon a future matplotlib adds: keep the button usable
        symbol = "\u2022"
    return f'<span aria-hidden="true">{symbol}</span>'


def animation_html(anim: Animation, *, alt: str = "An animation: use the slider and the buttons below "
                   "it to step through its frames.",
                   default_mode: Literal["loop", "once", "reflect"] = "loop") -> str:
    """Turn a matplotlib animation into self-contained HTML that needs no kernel.

    The HTML is ``anim.to_jshtml()`` (every frame embedded as a PNG, with a
    frame slider and play buttons driven by a few lines of JavaScript) with
    the one thing that reaches another host removed: the ``<link>`` to the
    Font Awesome stylesheet on a CDN.  Its icons (``<i class="fa ...">``) are
    replaced by plain Unicode symbols (``▶``, ``❚❚``, ``❚◀``, ...), so the
    buttons still show.  The image gets an ``alt`` text and the slider an
    ``aria-label``; every element id the JavaScript relies on is kept.  Play
    (and Play backwards) shows the next frame at once, then one frame per
    interval, so the picture answers the click.  The animation's figure is
    closed afterwards.

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
    at a modest dpi.  Each frame is re-encoded as an 8-bit palette PNG of 256
    colours chosen for that frame (``_palette_png``): about a third of the
    bytes of matplotlib's RGBA frames, and the same picture to the eye (the
    rolling-up frames: mean difference 0.15 of 255 per pixel).  The book keeps every interval at 500 ms or less, so
    that Play never looks dead.  matplotlib drops the frames beyond
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
    >>> "anim_step_forward(); anim" in page   # Play steps at once, then plays
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
    text, plays = _PLAY_RE.subn(_play_at_once, text)
    text = _FRAME_RE.sub(_lighter_frame, text)
    if plays != 2:
        raise RuntimeError("animation_html: the HTML from to_jshtml() has no Play buttons where expected; "
                           "update convbook.plotting for this matplotlib.")
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
