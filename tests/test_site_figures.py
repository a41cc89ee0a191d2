"""Figures stay legible at a desktop's 1280 x 800 and a phone's 390 x 844, measured in Debian's Chromium.

Every figure PNG of the site carries, from convbook.plotting's hook, its dpi, its width in inches and its
smallest font in points (PNG text chunks).  A label of ``p`` points in a figure ``W`` inches wide, shown in
an <img> ``D`` CSS px wide, is ``p / 72 * D / W`` CSS px: on every page of ``_toc.yml`` at both widths the
test reads ``D`` from the rendered <img> and requires at least 10 CSS px; a figure wider than its column
must sit in a box that scrolls sideways and shows it (page_fit's ``pf-overflows`` and its fade).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from PIL import Image

from conftest import toc_files
from test_site import browser, served, site  # noqa: F401 - the site tests' server and Chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
MIN_PX = 10

IMAGES = """async () => {
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  const art = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  return [...art.querySelectorAll('img')].map(i => {
    const box = i.closest('span.pf-figure');
    const cs = box ? getComputedStyle(box) : null;
    const mask = cs && ((cs.maskImage && cs.maskImage !== 'none') || (cs.webkitMaskImage && cs.webkitMaskImage !== 'none'));
    return {src: i.currentSrc || i.src, width: i.getBoundingClientRect().width, natural: i.naturalWidth,
            boxed: !!box, over: box ? box.scrollWidth > box.clientWidth + 1 : false,
            cue: !!(box && box.classList.contains('pf-overflows') && mask),
            scrolls: !!(cs && (cs.overflowX === 'auto' || cs.overflowX === 'scroll'))};
  });
}"""


def _chunks(site: Path, src: str) -> dict[str, str]:
    path = site / unquote(urlparse(src).path).lstrip("/")
    if path.suffix.lower() != ".png" or not path.is_file():
        return {}
    with Image.open(path) as im:
        return {k: v for k, v in (getattr(im, "text", {}) or {}).items() if k.startswith("convbook:")}


@pytest.fixture(scope="module")
def measured(browser, served, site) -> dict[str, list[dict]]:
    """{size: [one row per figure <img> on every toc page]}, with the smallest text in CSS px."""
    out: dict[str, list[dict]] = {}
    for size, (w, h) in SIZES.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        rows, unmeasured = [], []
        for f in toc_files():
            page.goto(f"{served}/{f}.html", wait_until="load")
            for img in page.evaluate(IMAGES):
                meta = _chunks(site, img["src"])
                if "/_images/" in img["src"] and img["src"].lower().endswith(".png") and "convbook:dpi" not in meta:
                    unmeasured.append((f, img["src"].rsplit("/", 1)[-1]))  # a cell's figure drawn around the hook
                if "convbook:min_font_pt" not in meta:
                    continue  # a picture with no text
                px = float(meta["convbook:min_font_pt"]) / 72 * img["width"] / float(meta["convbook:width_in"])
                rows.append({**img, "page": f, "px": px})
        context.close()
        out[size] = rows
        out[f"{size} unmeasured"] = unmeasured
    print({size: (len(out[size]), round(min(r["px"] for r in out[size]), 2)) for size in SIZES if out[size]})
    return out


@pytest.mark.parametrize("size", SIZES)
def test_every_figures_smallest_text_is_at_least_10_css_px(measured, size):
    rows = measured[size]
    assert len(rows) >= 50, f"only {len(rows)} measurable figures at {SIZES[size]}"
    # every figure a lesson's code draws carries the font metadata (convbook.plotting's figures, and
    # pyplot's through plotting.book_figures()), so none escapes the measurement
    assert not measured[f"{size} unmeasured"], f"figures without the font metadata: {measured[f'{size} unmeasured']}"
    small = sorted((round(r["px"], 2), r["page"], r["src"].rsplit("/", 1)[-1][:12]) for r in rows if r["px"] < MIN_PX)
    assert not small, f"{len(small)} figures below {MIN_PX} CSS px at {SIZES[size]}: {small[:10]}"


@pytest.mark.parametrize("size", SIZES)
def test_a_figure_wider_than_its_column_scrolls_with_a_cue(measured, size):
    bad = [(r["page"], r["src"].rsplit("/", 1)[-1][:12]) for r in measured[size]
           if not r["boxed"] or (r["over"] and not (r["scrolls"] and r["cue"]))]
    assert not bad, bad


def test_figure_pngs_are_hi_dpi(measured):
    """A figure is never shown wider than its PNG's pixels allow at 1 device px per CSS px."""
    rows = [r for rows in measured.values() for r in rows]
    assert all(r["natural"] >= r["width"] for r in rows), [(r["page"], r["natural"], r["width"]) for r in rows
                                                         if r["natural"] < r["width"]][:5]
