"""Sphinx extension that keeps the site self-contained and its console clean.

- Vendors MathJax 3 (the ``es5`` build that the ``django-static-mathjax``
  wheel ships, so no Node.js is needed) into ``_static/mathjax/``; the book's
  ``mathjax_path`` points there, so pages load math from their own host.
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
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
