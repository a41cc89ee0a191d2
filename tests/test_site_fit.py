"""Pages that fit every screen (chapters/_ext/page_fit.py), measured in Debian's Chromium through Playwright.

On every page of ``_toc.yml``, at a desktop's 1280 x 800 and a phone's 390 x 844:

- no display equation and no table is wider than its container, unless it sits in a box that scrolls
  sideways *and* shows that it does (page_fit's ``pf-overflows`` class and its fading edge);
- Chinese text is tagged ``lang="zh"`` and drawn with the subset font the build ships, whose glyphs are real
  (two different characters, two different shapes), not the empty box of a missing glyph;
- lessons are numbered from n.1 in every chapter, and no two pages of the table of contents share a title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, toc_files
from test_site import browser, served, site  # noqa: F401 - the site tests' server and Chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SITE = ROOT / "_build" / "html"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")

# The verdict of each display equation and table: 'fits', 'scroll' (wider, in a scroller with its cue), or a
# failure: 'scroll-no-cue', 'clipped' (cut by an ancestor that hides overflow), 'spills' (past the column).
MEASURE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  const art = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const artR = art.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  function verdict(el) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest('[hidden]')) return null;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === 'visible') continue;
      const ar = a.getBoundingClientRect();
      const left = ar.left + a.clientLeft, right = left + a.clientWidth;
      if (r.left < left - 1 || r.right > right + 1) {
        const scrolls = (cs.overflowX === 'auto' || cs.overflowX === 'scroll') && a.scrollWidth > a.clientWidth + 1;
        const mask = (cs.maskImage && cs.maskImage !== 'none') || (cs.webkitMaskImage && cs.webkitMaskImage !== 'none');
        const cue = a.classList.contains('pf-overflows') && mask;
        return scrolls && cue ? 'scroll' : (scrolls ? 'scroll-no-cue' : 'clipped');
      }
    }
    if (r.right > Math.min(artR.right, vw) + 1 || r.left < Math.max(artR.left, 0) - 1) return 'spills';
    return 'fits';
  }
  const out = [];
  for (const m of document.querySelectorAll('mjx-container[display="true"] > mjx-math')) {
    const v = verdict(m); if (v === null) continue;
    const div = m.closest('div.math');
    out.push({kind: 'equation', v, id: div ? div.id : '',
              text: (m.parentElement.querySelector('mjx-assistive-mml') || m).textContent.slice(0, 60)});
  }
  for (const t of art.querySelectorAll('table')) {
    const v = verdict(t); if (v === null) continue;
    out.push({kind: 'table', v, id: t.id || '', text: t.textContent.trim().slice(0, 40)});
  }
  return out;
}"""

GLYPHS = """async ([a, b]) => {
  const el = document.querySelector('span[lang="zh"]');
  if (!el) return {found: false};
  await document.fonts.ready;
  const family = getComputedStyle(el).fontFamily;
  const loaded = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Convbook CJK')
                                    .map(f => f.status);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = '40px "Convbook CJK"';
  const shape = ch => { const m = canvas.measureText(ch);
    return [m.width, m.actualBoundingBoxAscent, m.actualBoundingBoxDescent, m.actualBoundingBoxLeft].join(','); };
  return {found: true, family, loaded, a: shape(a), b: shape(b),
          check: document.fonts.check('40px "Convbook CJK"', a + b)};
}"""


@pytest.fixture(scope="module")
def verdicts(browser, served) -> dict[str, dict[str, list[dict]]]:
    """{size: {page: [verdicts]}}, every toc page measured once per size."""
    out = {}
    for size, (w, h) in SIZES.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        out[size] = {}
        for f in toc_files():
            page.goto(f"{served}/{f}.html", wait_until="load")
            out[size][f] = page.evaluate(MEASURE)
        context.close()
    counts = {size: {v: sum(1 for items in pages.values() for i in items if i["v"] == v)
                     for v in ("fits", "scroll", "scroll-no-cue", "clipped", "spills")} for size, pages in out.items()}
    print(f"display equations and tables by verdict: {counts}")
    return out


@pytest.mark.parametrize("size", SIZES)
def test_no_equation_or_table_overflows_without_a_scroll_cue(verdicts, size):
    bad = [(f, i["kind"], i["v"], i["id"] or i["text"]) for f, items in verdicts[size].items()
           for i in items if i["v"] not in ("fits", "scroll")]
    assert not bad, f"{len(bad)} at {SIZES[size]}: {bad[:10]}"
    assert sum(len(items) for items in verdicts[size].values()) > 200  # the measure saw the book's math


def test_lesson_equations_fit_the_desktop_column(verdicts):
    """At 1280 px every lesson's display equation reads whole (scrolling is for the API pages and exercises)."""
    wide = [(f, i["id"] or i["text"]) for f, items in verdicts["desktop"].items()
            if not f.startswith(("chapters/api/", "chapters/exercises/")) for i in items
            if i["kind"] == "equation" and i["v"] != "fits"]
    assert not wide, wide


def test_the_42_x_137_equation_is_whole_at_1280(verdicts):
    found = [i for items in verdicts["desktop"].values() for i in items if i["id"] == "equation-eq-ch3-longmult"]
    assert found and all(i["v"] == "fits" for i in found), found


def test_chinese_text_is_tagged_zh():
    from bs4 import BeautifulSoup

    tagged = 0
    for f in toc_files():
        soup = BeautifulSoup((SITE / f"{f}.html").read_text(), "html.parser")
        for s in soup(["script", "style", "title"]):
            s.decompose()
        for node in soup.find_all(string=CJK):
            if node.find_parent(class_="math") or node.find_parent("mjx-container"):
                continue
            assert node.find_parent(attrs={"lang": "zh"}) is not None, f"{f}: {node.strip()[:40]!r} has no lang=zh"
            tagged += 1
    assert tagged > 50, tagged


def test_chinese_glyphs_come_from_the_shipped_font(browser, served):
    page = browser.new_page()
    try:
        page.goto(f"{served}/chapters/glossary.html", wait_until="load")
        got = page.evaluate(GLYPHS, ["卷", "积"])
    finally:
        page.close()
    assert got["found"], "the glossary has no lang=zh text"
    assert "Convbook CJK" in got["family"], got
    assert got["loaded"] and all(s == "loaded" for s in got["loaded"]), got
    assert got["check"], got
    assert got["a"] != got["b"], f"two characters, one shape (the .notdef box?): {got}"


def _title(soup):
    """The page's own title: the article's first h1 (the theme's header has another)."""
    return soup.select_one("article.bd-article h1") or soup.select_one("main h1")


def test_lessons_are_numbered_from_one_in_every_chapter():
    from bs4 import BeautifulSoup

    firsts = {}
    for f in toc_files():
        parts = Path(f).parts
        if len(parts) == 3 and parts[1][:2].isdigit() and parts[2] != "index":
            firsts.setdefault(parts[1], f)
    assert len(firsts) == 5, firsts
    for chapter, f in firsts.items():
        h1 = _title(BeautifulSoup((SITE / f"{f}.html").read_text(), "html.parser"))
        number = int(chapter[:2])
        assert h1 is not None and h1.get_text(" ", strip=True).startswith(f"{number}.1."), \
            f"{f}: {h1.get_text(' ', strip=True) if h1 else None!r}"


def test_no_two_pages_share_a_title():
    from bs4 import BeautifulSoup

    titles = {}
    for f in toc_files():
        h1 = _title(BeautifulSoup((SITE / f"{f}.html").read_text(), "html.parser"))
        text = re.sub(r"^[\d.]+\s*", "", h1.get_text(" ", strip=True).replace("#", "").strip())
        titles.setdefault(text, []).append(f)
    shared = {t: fs for t, fs in titles.items() if len(fs) > 1}
    assert not shared, shared
