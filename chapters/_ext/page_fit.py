"""Sphinx extension: pages that fit every screen, and Chinese that renders anywhere.

- **Wide content scrolls, and says so.**  ``page_fit_static/page_fit.js`` makes
  every display equation (MathJax's ``mjx-container``) and every table a
  horizontal scroller (a table that sits in no scroller of the theme gets a
  ``div.pf-scroll`` around it).  While a scroller's content is wider than it, it
  carries ``pf-overflows`` and the side where more content waits fades out
  (``pf-more-left`` / ``pf-more-right``, drawn by ``page_fit.css``), and it can
  be scrolled with the keyboard.  Long equations of the lessons are broken into
  lines in their sources; this is for the ones that cannot be broken at a
  phone's width.
- **Figures stay legible.**  After the build, every ``<img>`` of a figure PNG that
  carries convbook's text chunks (dpi, width in inches, smallest font in points;
  drawn at twice its dpi) is given a width at which its smallest text is at least
  ``MIN_TEXT_PX`` CSS px, and sits in a ``span.pf-figure`` that scrolls sideways
  with the same cue when the column is narrower than that (a phone).
- **Chinese is tagged.**  After the build, every run of CJK characters in the
  text of every HTML page (the navigation included; never inside a script, a
  style, the title, an attribute or TeX source) is wrapped in
  ``<span lang="zh">``.  The step is idempotent, so pages that an incremental
  build did not rewrite pass through unchanged.
- **Chinese renders offline.**  The characters that the pages use are cut out of
  Debian's Noto Sans CJK SC (package ``fonts-noto-cjk``) with fontTools into
  ``_static/page-fit/convbook-cjk.woff2`` (``.woff`` when fontTools has no
  brotli), with the font's licence beside it, and ``_static/page-fit/cjk.css``
  declares it as the face ``Convbook CJK`` that ``:lang(zh)`` uses.  Without
  Noto, WenQuanYi Micro Hei (``fonts-wqy-microhei``) is the source, with a
  warning; without either, the build warns and ships no face.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "page_fit_static"
OUT = "page-fit"  # under the site's _static/
FAMILY = "Convbook CJK"
FONT_STEM = "convbook-cjk"

# (family in the font's name table, Debian's path of the file, Debian package)
SOURCES = [
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "fonts-wqy-microhei"),
]

# CJK radicals, symbols and punctuation, kana, ideographs (with extension A and the compatibility
# block), fullwidth forms.
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
ZH_OPEN = '<span lang="zh">'
_TOKEN = re.compile(r"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!?[A-Za-z/](?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
_NAME = re.compile(r"<(/?)([A-Za-z][\w:-]*)")
_RAW = {"script", "style", "title", "textarea"}
_MATH_CLASS = re.compile(r"""\bclass\s*=\s*["'][^"']*\bmath\b""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def tag_chinese(html: str) -> tuple[str, set[str]]:
    """Wrap every run of CJK characters in the text of ``html`` in ``<span lang="zh">``.

    Returns the new HTML and the set of CJK characters of its text.  Text inside
    ``script``, ``style``, ``title`` and ``textarea``, inside an element whose class
    is ``math`` (TeX source for MathJax), and attribute values are left alone; a
    run already inside ``<span lang="zh">`` is not wrapped twice.

    Examples
    --------
    >>> html, chars = tag_chinese('<p title="卷积">Convolution 卷积</p>')
    >>> html, sorted(chars)
    ('<p title="卷积">Convolution <span lang="zh">卷积</span></p>', ['卷', '积'])
    >>> tag_chinese(html)[0] == html
    True
    >>> tag_chinese('<div class="math notranslate">$$\\text{卷}$$</div>')[0]
    '<div class="math notranslate">$$\\text{卷}$$</div>'
    """
    out: list[str] = []
    chars: set[str] = set()
    pos, prev_tag = 0, ""
    skip: list | None = None  # [tag name, depth] of the math element being skipped

    def text(chunk: str) -> None:
        if skip is None:
            found = CJK.findall(chunk)
            if found:
                chars.update("".join(found))
                if prev_tag != ZH_OPEN:
                    chunk = CJK.sub(lambda m: f"{ZH_OPEN}{m.group(0)}</span>", chunk)
        out.append(chunk)

    while True:
        m = _TOKEN.search(html, pos)
        text(html[pos:m.start() if m else len(html)])
        if m is None:
            break
        tag = m.group(0)
        out.append(tag)
        pos = m.end()
        prev_tag = tag
        nm = _NAME.match(tag)
        if nm is None:  # a comment, CDATA or doctype
            continue
        closing, name = nm.group(1) == "/", nm.group(2).lower()
        if not closing and name in _RAW:  # raw text up to its end tag
            end = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = end.start() if end else len(html)
            out.append(html[pos:stop])
            pos = stop
            continue
        if name in _VOID or tag.endswith("/>"):
            continue
        if skip is not None:
            if name == skip[0]:
                skip[1] += -1 if closing else 1
                if skip[1] == 0:
                    skip = None
        elif not closing and name in ("span", "div") and _MATH_CLASS.search(tag):
            skip = [name, 1]
    return "".join(out), chars


MIN_TEXT_PX = 10  # the smallest text a figure may show, in CSS px, at any width
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+\.png)["']""")


def figure_style(meta: dict[str, str]) -> tuple[str, float] | None:
    """The CSS of an ``<img>`` of a figure PNG whose text chunks are ``meta``, and its least width.

    ``meta`` holds ``convbook:dpi``, ``convbook:scale``, ``convbook:width_in`` and
    ``convbook:min_font_pt`` (written by ``convbook.plotting._style``).  A label of
    ``p`` points in a figure ``W`` inches wide shown ``D`` CSS px wide is
    ``p / 72 * D / W`` CSS px tall, so the figure is never shown narrower than
    ``72 * W * MIN_TEXT_PX / p``; it is shown at its own size (dpi x W) when that is
    wider, and no wider than its column unless its text would shrink below
    ``MIN_TEXT_PX`` (then its box scrolls sideways, with page_fit's cue).  Returns
    ``None`` for a PNG without those chunks.

    Examples
    --------
    >>> figure_style({"convbook:dpi": "80", "convbook:scale": "2", "convbook:width_in": "9",
    ...               "convbook:min_font_pt": "8"})
    ('width:810px;min-width:810px;max-width:100%;height:auto', 810)
    """
    try:
        dpi, width_in = float(meta["convbook:dpi"]), float(meta["convbook:width_in"])
        smallest = float(meta["convbook:min_font_pt"])
    except (KeyError, ValueError):
        return None
    least = int(-(-72 * width_in * MIN_TEXT_PX // smallest))  # ceil
    width = max(least, round(dpi * width_in))
    return f"width:{width}px;min-width:{least}px;max-width:100%;height:auto", least


def size_figures(html: str, page: Path, outdir: Path) -> str:
    """Give every figure ``<img>`` of ``html`` its legible width and a sideways scroller.

    A PNG that carries convbook's text chunks (see :func:`figure_style`) gets that
    style, ``data-pf-min-width`` and a ``<span class="pf-figure">`` around it, which
    page_fit.js makes a scroller; an ``<img>`` already sized is left alone.
    """
    from PIL import Image

    def fix(m: re.Match) -> str:
        tag = m.group(0)
        src = _SRC.search(tag)
        if src is None or "data-pf-min-width" in tag:
            return tag
        path = (page.parent / src.group(1)).resolve()
        if outdir.resolve() not in path.parents or not path.is_file():
            return tag
        with Image.open(path) as im:
            found = figure_style(dict(getattr(im, "text", {}) or {}))
        if found is None:
            return tag
        style, least = found
        attrs = f' style="{style}" data-pf-min-width="{least}"'
        tag = tag[:-2].rstrip() + attrs + " />" if tag.endswith("/>") else tag[:-1] + attrs + ">"
        return f'<span class="pf-figure">{tag}</span>'

    return _IMG.sub(fix, html)


def _pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html")
                  if not any(part.startswith((".", "_static", "_sources")) for part in p.relative_to(outdir).parts))


def _font_source() -> tuple[str, Path, int, str] | None:
    """The first CJK font of ``SOURCES`` on this machine: (family, file, face index, package)."""
    from fontTools.ttLib import TTCollection, TTFont

    for family, default, package in SOURCES:
        candidates = []
        if shutil.which("fc-list"):
            found = subprocess.run(["fc-list", "-f", "%{file}\n", f"{family}:style=Regular"],
                                   capture_output=True, text=True, check=False).stdout.split()
            candidates += [Path(f) for f in found]
        candidates.append(Path(default))
        for path in candidates:
            if not path.is_file():
                continue
            faces = (TTCollection(str(path), lazy=True).fonts if path.suffix.lower() in (".ttc", ".otc")
                     else [TTFont(str(path), lazy=True)])
            for index, face in enumerate(faces):
                if face["name"].getDebugName(1) == family:
                    return family, path, index, package
    return None


def _flavor() -> str:
    try:
        import brotli  # noqa: F401  (fontTools writes WOFF2 with it)
    except ImportError:
        return "woff"
    return "woff2"


def _write_face_css(app) -> None:
    """``_static/page-fit/cjk.css``: the ``@font-face`` of the subset that the build will write."""
    if app.builder.format != "html":
        return
    out = Path(app.outdir) / "_static" / OUT
    out.mkdir(parents=True, exist_ok=True)
    source = _font_source()
    app.page_fit_font = source  # type: ignore[attr-defined]
    if source is None:
        css = ("/* no CJK font was found at build time (Debian: apt-get install fonts-noto-cjk):"
               " Chinese uses the reader's fonts */\n")
    else:
        flavor = _flavor()
        css = (f"/* {FAMILY}: the characters of this site, cut from {source[0]} ({source[2]}) with fontTools */\n"
               f"@font-face {{\n  font-family: \"{FAMILY}\";\n"
               f"  src: url(\"{FONT_STEM}.{flavor}\") format(\"{flavor}\");\n"
               "  font-weight: 400;\n  font-style: normal;\n  font-display: swap;\n}\n")
    path = out / "cjk.css"
    if not path.exists() or path.read_text(encoding="utf-8") != css:
        path.write_text(css, encoding="utf-8")


def _subset(source: tuple[str, Path, int, str], chars: set[str], out: Path) -> None:
    """Write the subset of ``source`` holding ``chars`` (and its licence) into ``out``, unless it is there."""
    from fontTools import subset

    flavor = _flavor()
    text = "".join(sorted(chars))
    family, path, index, package = source
    key = hashlib.sha256(f"{path}:{index}:{flavor}:{text}".encode()).hexdigest()
    stamp, font = out / f"{FONT_STEM}.key", out / f"{FONT_STEM}.{flavor}"
    if font.exists() and stamp.exists() and stamp.read_text() == key:
        return
    options = subset.Options()
    options.font_number = index
    options.flavor = flavor
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    face = subset.load_font(str(path), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(face)
    subset.save_font(face, str(font), options)
    licence = Path("/usr/share/doc") / package / "copyright"
    if licence.is_file():
        shutil.copyfile(licence, out / f"{FONT_STEM}-LICENSE.txt")
    stamp.write_text(key)
    logger.info(f"page_fit: {len(chars)} CJK characters cut from {family} into _static/{OUT}/{font.name} "
                f"({font.stat().st_size // 1024} KiB)")


def _finish(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    chars: set[str] = set()
    for page in _pages(outdir):
        html = page.read_text(encoding="utf-8")
        tagged, found = tag_chinese(html)
        tagged = size_figures(tagged, page, outdir)
        chars |= found
        if tagged != html:
            page.write_text(tagged, encoding="utf-8")
    source = getattr(app, "page_fit_font", None)
    if source is None:
        logger.warning("page_fit: no CJK font found (Debian: apt-get install fonts-noto-cjk); "
                       "the site ships no Chinese font")
        return
    if source[0] != SOURCES[0][0]:
        logger.warning(f"page_fit: {SOURCES[0][0]} not found (Debian package {SOURCES[0][2]}); "
                       f"the Chinese subset is cut from {source[0]} instead")
    if chars:
        _subset(source, chars, outdir / "_static" / OUT)


def _static_path(app, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("config-inited", _static_path)
    app.connect("builder-inited", _write_face_css)
    app.connect("build-finished", _finish)
    app.add_css_file("page_fit.css")
    app.add_css_file(f"{OUT}/cjk.css")
    app.add_js_file("page_fit.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
