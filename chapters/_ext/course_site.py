"""Sphinx extension that keeps the site self-contained and its console clean.

- Vendors MathJax 3 (the ``es5`` build that the ``django-static-mathjax``
  wheel ships, so no Node.js is needed) into ``_static/mathjax/``; the book's
  ``mathjax_path`` points there, so pages load math from their own host.
  Only the parts the pages use are copied (:data:`MATHJAX_PARTS`, about 7 MB
  of the wheel's 24 MB): the ``tex-chtml.js`` component, the TeX extensions
  it autoloads, the CommonHTML woff-v2 fonts, and the menu with its
  accessibility tools (the explorer and its speech-rule engine, loaded when
  a reader turns them on).
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


MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre")


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
