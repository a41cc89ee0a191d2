"""The PDF edition (``make book`` ends with tools/pdf.py; ``make pdf`` is the same): the real script, run on the real book.

It builds the book as one page with jupyter-book (reusing the lessons that ``make book`` executed), prints
it with Debian's Chromium, and the PDF is read back with poppler's ``pdftotext`` and ``pdfinfo``: every
page title of ``_toc.yml`` is in it, the worked example 42 x 137 = 5754 is there as typeset math, no TeX
source is left raw, and it has a book's length.  Needs a built site (``make book``; ``make test`` does it),
Debian's ``chromium`` and ``poppler-utils``; a missing one fails the test with the line that installs it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, chromium_path

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PDF = ROOT / "_build" / "pdf" / "convbook.pdf"

# TeX source that would mean MathJax had not typeset a formula when the page was printed.
RAW_TEX = [r"\frac", r"\sum", r"\int", r"\times", r"\cdot", r"\mathrm", r"\begin{", r"\left", "$$", r"\("]


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is missing: the PDF is read back with Debian's poppler-utils: "
                    "apt-get install -y poppler-utils")
    return found


def _normal(text: str) -> str:
    """The text as read: NFKC (the ligature 'fi' back to two letters), no page footers ("12 / 550"),
    one space for any run of white space, none before punctuation (a code span's padding)."""
    text = re.sub(r"^\d+ / \d+$", " ", unicodedata.normalize("NFKC", text).replace("\f", "\n"), flags=re.M)
    return re.sub(r"\s+([:,.;)])", r"\1", re.sub(r"\s+", " ", text)).strip()


def _toc_titles() -> dict[str, str]:
    """The title (first level-1 heading, MyST markup removed) of every page of _toc.yml."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import pdf as tool
    finally:
        sys.path.pop(0)
    titles = {}
    for f in tool._toc_files(ROOT):
        src = next((ROOT / f"{f}{e}" for e in (".md", ".ipynb") if (ROOT / f"{f}{e}").exists()), None)
        assert src is not None, f"{f} of _toc.yml has no source (run `make book` first)"
        text = src.read_text()
        if src.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
        m = re.search(r"^# (.+)$", text, re.M)
        assert m, f"{src} has no title"
        titles[f] = _normal(m.group(1).replace("`", ""))
    return titles


@pytest.fixture(scope="module")
def pdf_text() -> tuple[str, int]:
    pdftotext, pdfinfo = _need("pdftotext"), _need("pdfinfo")
    if chromium_path() is None:
        pytest.fail("chromium is missing: the PDF is printed with Debian's Chromium: apt-get install -y chromium")
    if not (ROOT / "_build" / "html" / "index.html").exists():
        pytest.fail("no built site: run `make book` first (`make test` does it)")
    # `make book` (which `make test` runs first) ends with tools/pdf.py: its PDF is read as it is, unless
    # the site was rebuilt after it (then the script is run here, as `make book` would run it)
    site_copy, intro = ROOT / "_build" / "html" / "convbook.pdf", ROOT / "_build" / "html" / "chapters" / "intro.html"
    if not (PDF.exists() and site_copy.exists() and site_copy.stat().st_mtime >= intro.stat().st_mtime):
        done = subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py")], cwd=ROOT, capture_output=True,
                              text=True, timeout=3600)
        print(done.stdout[-2000:])
        assert done.returncode == 0, f"tools/pdf.py failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    assert PDF.exists()
    info = subprocess.run([pdfinfo, str(PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(PDF), "-"], capture_output=True, text=True,
                          check=True).stdout
    print(f"PDF: {pages} pages, {PDF.stat().st_size / 2**20:.1f} MiB, {len(text)} characters of text")
    return text, pages


def test_pdf_has_every_page_title(pdf_text):
    text = _normal(pdf_text[0])
    missing = {f: t for f, t in _toc_titles().items() if t not in text}
    assert not missing, f"titles of _toc.yml pages not in the PDF: {missing}"


def test_pdf_has_the_42_x_137_equation_typeset(pdf_text):
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", pdf_text[0]))
    # chapter 3: "42 x 137 = 5754", and the convolution of the digits (2, 4) * (7, 3, 1)
    assert "42×137=5754" in flat, "the worked example 42 × 137 = 5754 is not in the PDF's text"
    assert "(14,34,14,4)" in flat


def test_pdf_shows_no_raw_tex(pdf_text):
    """TeX source may be printed only where the page shows code (a matplotlib label, a docstring)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((ROOT / "_build" / "singlehtml" / "book.html").read_text(), "html.parser")
    code = "\n".join(e.get_text() for e in soup.find_all(["pre", "code"]) if e.find_parent(["pre", "code"]) is None)
    math = soup.select(".math, span.math, div.math")
    assert len(math) > 100, f"only {len(math)} formulas in the one-page book"
    text = pdf_text[0]
    raw = {s: (text.count(s), code.count(s)) for s in RAW_TEX if text.count(s) > code.count(s)}
    assert not raw, f"TeX source printed raw outside code, (in the PDF, in code): {raw}"


def test_pdf_has_a_books_length(pdf_text):
    pages = pdf_text[1]
    print(f"page count: {pages}")
    assert pages > 20


def test_pdf_is_linked_from_the_site(pdf_text):
    site_copy = ROOT / "_build" / "html" / "convbook.pdf"
    assert site_copy.exists() and site_copy.read_bytes() == PDF.read_bytes(), "the site has no copy of the PDF"
    intro = (ROOT / "_build" / "html" / "chapters" / "intro.html").read_text()
    assert 'href="../convbook.pdf"' in intro, "the intro page does not link to the PDF"
