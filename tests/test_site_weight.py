"""The built site is light: no page weighs more than 1 MB, the whole site (the PDF included) not more than 25 MB.

A page's weight is its HTML plus every file of the site it loads that is its own: the figures, and the
animation frames embedded in the HTML.  Each page is opened in Debian's Chromium (Playwright), MathJax
is let finish (it loads its fonts as the formulas need them), and the files the page requested, plus the
images it names (a lazy image is loaded only when scrolled to), are weighed on disk, uncompressed.  The
assets every page shares (``_static/``: the theme, MathJax and the fonts; ``searchindex.js``), which a
browser fetches once and then keeps, are weighed separately, as their union over all the pages; what must
never come back is tested by name (``fontawesome.js``, MathJax's menu and its speech-rule engine).

The figures are printed (``pytest -s``) for the record: the heaviest pages and the largest shared files.
"""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import pytest

from test_site import SITE, _page_ids, _typeset, _visit, browser, served, site  # noqa: F401 - Chromium, server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE_BUDGET = 1_000_000       # bytes: a page's HTML and its own files
SITE_BUDGET = 25_000_000      # bytes: every file of _build/html, the PDF edition included
SHARED_BUDGET = 2_500_000     # bytes: the union of the shared assets the pages load (measured: about 2.1 MB)
NEVER_LOADED = ("_static/scripts/fontawesome.js", "_static/mathjax/tex-chtml.js", "_static/mathjax/ui/",
                "_static/mathjax/sre/", ".map")


def _shared(rel: str) -> bool:
    return rel.startswith("_static/") or rel == "searchindex.js"


def _files(urls: list[str], served: str) -> dict[str, int]:
    """{file of the site: bytes on disk} for the URLs of the site among ``urls``."""
    files = {}
    for url in urls:
        if not url.startswith(served + "/"):
            continue  # data: URLs are part of the HTML; other hosts are test_site's concern
        path = SITE / unquote(urlparse(url).path.removeprefix("/"))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            files[path.relative_to(SITE).as_posix()] = path.stat().st_size
    return files


@pytest.fixture(scope="module")
def weights(browser, served, site):
    """{page: {file: bytes}} for every page of the built site, as Chromium loads it."""
    found: dict[str, dict[str, int]] = {}
    for rel in _page_ids():
        page, log = _visit(browser, f"{served}/{rel}")
        try:
            if _typeset(page, rel, timeout_ms=60000):
                page.wait_for_load_state("networkidle")  # the fonts the formulas asked for
            urls = log["requests"] + page.evaluate("Array.from(document.images, i => i.src)")
        finally:
            page.close()
        found[rel] = {**_files(urls, served), rel: (site / rel).stat().st_size}
    return found


def _own(files: dict[str, int]) -> int:
    return sum(size for rel, size in files.items() if not _shared(rel))


def test_the_pages_were_weighed(weights):
    assert len(weights) == len(_page_ids()) >= 40
    heaviest = sorted(weights, key=lambda r: _own(weights[r]), reverse=True)
    print("\nheaviest pages (HTML and own files):")
    for rel in heaviest[:8]:
        print(f"  {_own(weights[rel]) / 1e6:5.2f} MB  {rel}")


@pytest.mark.parametrize("rel", _page_ids())
def test_no_page_weighs_more_than_1_mb(rel, weights):
    files = weights[rel]
    own = _own(files)
    largest = sorted(((size, f) for f, size in files.items() if not _shared(f)), reverse=True)[:4]
    assert own <= PAGE_BUDGET, f"{rel} weighs {own / 1e6:.2f} MB with its own files; the largest: {largest}"


def test_no_page_loads_what_it_does_not_use(weights):
    bad = sorted({(rel, f) for rel, files in weights.items() for f in files
                  if any(f.startswith(n) or f.endswith(n) for n in NEVER_LOADED)})
    assert not bad, f"pages load files the site dropped: {bad[:5]}"


def test_the_shared_assets_stay_light(weights):
    shared: dict[str, int] = {}
    for files in weights.values():
        shared.update({f: size for f, size in files.items() if _shared(f)})
    total = sum(shared.values())
    print(f"\nshared assets loaded by the pages: {total / 1e6:.2f} MB in {len(shared)} files; the largest:")
    for f, size in sorted(shared.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {size / 1e3:7.1f} kB  {f}")
    assert total <= SHARED_BUDGET, f"the shared assets are {total / 1e6:.2f} MB"


def test_the_whole_site_weighs_at_most_25_mb(site):
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    total = sum(sizes.values())
    parts: dict[str, int] = {}
    for rel, size in sizes.items():
        top = rel.split("/")[0] if "/" in rel else rel
        parts[top] = parts.get(top, 0) + size
    print(f"\nthe site: {total / 1e6:.1f} MB; " +
          ", ".join(f"{k} {v / 1e6:.1f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])[:6]))
    assert (site / "convbook.pdf").is_file(), "the PDF edition is part of the site"
    assert total <= SITE_BUDGET, f"the site is {total / 1e6:.1f} MB: " + ", ".join(
        f"{k} {v / 1e6:.1f} MB" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])[:5])


def test_the_theme_icons_are_drawn_without_fontawesome_js(browser, served):
    """fontawesome.js went (it redrew the icons as SVG): the theme's stylesheet draws them from the webfont."""
    page, _ = _visit(browser, f"{served}/chapters/01-continuous/rolling-up.html")
    try:
        page.evaluate("document.fonts.ready")
        # the visible ones (the download menu's items are hidden until it opens)
        icons = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.bd-header-article i[class*="fa-"]')).filter(i => i.offsetParent !== null).map(i => {
            const before = getComputedStyle(i, '::before');
            return [i.className, before.fontFamily, before.content, i.getBoundingClientRect().width];
        })""")
        loaded = page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    finally:
        page.close()
    assert len(icons) >= 4, icons
    for name, family, content, width in icons:
        assert "Font Awesome" in family and content not in ("none", "normal", '""'), (name, family, content)
        assert width > 0, f"{name} takes no room: not drawn"
    assert loaded, "the Font Awesome webfont did not load"
