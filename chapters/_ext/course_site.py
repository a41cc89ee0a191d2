"""Sphinx extension that keeps the site self-contained and its console clean.

- Vendors MathJax 3 (the ``es5`` build that the ``django-static-mathjax``
  wheel ships, so no Node.js is needed) into ``_static/mathjax/``; the book's
  ``mathjax_path`` points there, so pages load math from their own host.
- Writes ``favicon.ico`` at the site's root, drawn here (the convolution
  star on the course blue): browsers ask for ``/favicon.ico`` on pages that
  name no icon, such as the root ``index.html`` redirect, and a 404 there is
  an error in the console.
- Drops duplicate inline scripts: under Sphinx 7, sphinx-thebe registers its
  configuration script twice, which logs ``Identifier 'THEBE_JS_URL' has
  already been declared`` in the browser console.
"""

from __future__ import annotations

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


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = _mathjax_es5()
    dst = Path(app.outdir) / "_static" / "mathjax"
    stamp = dst / ".vendored-from"
    if stamp.exists() and stamp.read_text() == str(src):
        return
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    stamp.write_text(str(src))


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
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
