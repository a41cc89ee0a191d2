"""Sphinx extension that keeps the site self-contained and its console clean.

- Vendors MathJax 3 (the ``es5`` build that the ``django-static-mathjax``
  wheel ships, so no Node.js is needed) into ``_static/mathjax/``; the book's
  ``mathjax_path`` points there, so pages load math from their own host.
  Only the components the pages use are copied (:data:`MATHJAX_PARTS`, about
  1.5 MB of the wheel's 24 MB), and ``_config.yml``'s ``mathjax3_config``
  loads them one by one through ``startup.js``: the TeX input (with the
  extensions it autoloads when a formula asks for one), the CommonHTML output
  with its font data and woff-v2 fonts, and the assistive MathML that screen
  readers read.  The combined ``tex-chtml.js`` would add the contextual menu
  (426 kB on every page) and, behind it, the explorer's 4 MB speech-rule
  engine; no page uses them.
- Makes the site lighter (:func:`_lighten`): every PNG figure in
  ``_images`` becomes an 8-bit palette PNG of its own 256 colours (as the
  animation frames are, ``convbook.plotting.animation_html``); the theme's
  ``fontawesome.js`` (1.5 MB on every page, which turns the icons into SVG)
  goes, since the theme's stylesheet already draws the same icons from the
  Font Awesome webfonts.  Not shipped either: the theme's source maps
  (``*.map``, 3.5 MB, for debugging the theme), the TrueType copies of those
  webfonts (0.7 MB; every browser takes the woff2 ones, listed first), and
  sphinx-book-theme's message catalogues (``_static/locales``, 0.5 MB, which
  Sphinx reads at build time and no page loads).
- Writes ``favicon.ico`` at the site's root, drawn here (the convolution
  star on the course blue): browsers ask for ``/favicon.ico`` on pages that
  name no icon, such as the root ``index.html`` redirect, and a 404 there is
  an error in the console.
- Drops duplicate inline scripts: under Sphinx 7, sphinx-thebe registers its
  configuration script twice, which logs ``Identifier 'THEBE_JS_URL' has
  already been declared`` in the browser console.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def _mathjax_es5() -> Path:
    import mathjax  # the django-static-mathjax wheel

    roots = [Path(p) for p in mathjax.__path__]
    for root in roots:
        candidate = root / "static" / "mathjax" / "es5"
        if (candidate / "tex-chtml.js").exists():
            return candidate
    raise RuntimeError(
        "MathJax 3 not found: install the pinned requirements (django-static-mathjax) "
        "with `make venv`."
    )


MATHJAX_PARTS = ("startup.js", "core.js", "input/tex.js", "input/tex/extensions", "output/chtml.js",
                 "output/chtml/fonts/tex.js", "output/chtml/fonts/woff-v2", "a11y/assistive-mml.js")


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = _mathjax_es5()
    dst = Path(app.outdir) / "_static" / "mathjax"
    stamp = dst / ".vendored-from"
    what = f"{src}\n{' '.join(MATHJAX_PARTS)}"
    if stamp.exists() and stamp.read_text() == what:
        return
    if dst.exists():
        shutil.rmtree(dst)
    for part in MATHJAX_PARTS:
        (dst / part).parent.mkdir(parents=True, exist_ok=True)
        if (src / part).is_dir():
            shutil.copytree(src / part, dst / part)
        else:
            shutil.copy2(src / part, dst / part)
    stamp.write_text(what)


def _favicon_ico(app, exception) -> None:
    """Draw the 32x32 icon of ``favicon.svg`` (a white six-spoke star on #1f4e79) as ``/favicon.ico``."""
    if exception is not None or app.builder.format != "html":
        return
    import math

    from PIL import Image, ImageDraw  # Pillow comes with matplotlib

    size, scale = 32, 8  # draw at 8x and downsample: smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=6 * scale, fill="#1f4e79")
    c, r = big / 2, 10 * scale
    for k in range(6):  # the spokes of the convolution operator's star
        a = math.pi / 2 + k * math.pi / 3
        draw.line((c, c, c + r * math.cos(a), c - r * math.sin(a)), fill="white", width=3 * scale)
    img = img.resize((size, size), Image.LANCZOS)
    img.save(Path(app.outdir) / "favicon.ico", sizes=[(16, 16), (32, 32)])


_FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=\S+\.map(?: \*/)?")
_TRUETYPE = re.compile(rb',url\([^)]*\.ttf\) format\("truetype"\)')


def _lighten(app, exception) -> None:
    """Palette PNGs in ``_images``, no ``fontawesome.js``, no source maps (see the module's docstring)."""
    if exception is not None or app.builder.format != "html":
        return
    from convbook.plotting._animation import _palette_png

    out = Path(app.outdir)
    for png in sorted((out / "_images").glob("*.png")):
        data = png.read_bytes()
        lighter = _palette_png(data)
        if len(lighter) < len(data):
            png.write_bytes(lighter)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = _FONTAWESOME_JS.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")
    static = out / "_static"
    for name in ("scripts/fontawesome.js", "scripts/fontawesome.js.LICENSE.txt"):
        (static / name).unlink(missing_ok=True)
    for dropped in [*static.rglob("*.map"), *(static / "vendor").rglob("*.ttf")]:
        dropped.unlink()
    shutil.rmtree(static / "locales", ignore_errors=True)
    for asset in [*static.rglob("*.js"), *static.rglob("*.css")]:
        if "mathjax" in asset.parts:
            continue
        data = asset.read_bytes()
        lean = _TRUETYPE.sub(b"", _SOURCE_MAP.sub(b"", data))
        if lean != data:
            asset.write_bytes(lean)


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # the same inline script comes once with filename None and once with '' (sphinx-thebe)
        key = (getattr(js, "filename", js) or "", repr(sorted(getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    scripts[:] = unique


def setup(app):
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _favicon_ico)
    app.connect("build-finished", _lighten)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
