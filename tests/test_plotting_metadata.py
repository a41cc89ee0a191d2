"""The figures' PNG hook (convbook.plotting._style): hi-dpi PNGs that say how small their text is.

Every figure of convbook.plotting is a ``_NotebookFigure``; its ``_repr_png_`` draws it at
``PNG_SCALE`` times its dpi and writes text chunks (dpi, scale, width in inches, smallest
visible font in points) from which the site (chapters/_ext/page_fit.py) sizes each <img> and
tests/test_site_figures.py checks the rendered size of the smallest text.
"""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT
from convbook.plotting import curves_figure
from convbook.plotting._style import PNG_SCALE, _new_figure


def _page_fit():
    spec = importlib.util.spec_from_file_location("page_fit", ROOT / "chapters" / "_ext" / "page_fit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png(fig) -> Image.Image:
    return Image.open(io.BytesIO(fig._repr_png_()))


def test_png_is_drawn_at_scale_times_dpi_and_says_so():
    fig = _new_figure((5, 2.5), 80)
    fig.subplots().plot([0, 1], [1, 0])
    im = _png(fig)
    assert im.size == (5 * 80 * PNG_SCALE, 2.5 * 80 * PNG_SCALE)
    assert im.text["convbook:dpi"] == "80"
    assert im.text["convbook:scale"] == str(PNG_SCALE)
    assert float(im.text["convbook:width_in"]) == 5
    assert fig.dpi == 80  # the figure itself is left at its dpi


def test_smallest_font_is_the_smallest_visible_nonempty_text():
    fig = _new_figure((4, 3), 72)
    ax = fig.subplots()
    ax.plot([0, 1])
    ax.set_title("title", fontsize=15)
    ax.tick_params(labelsize=7.5)
    ax.text(0.5, 0.5, "hidden", fontsize=3).set_visible(False)
    ax.text(0.2, 0.2, "   ", fontsize=2)
    assert float(_png(fig).text["convbook:min_font_pt"]) == 7.5
    ax.annotate("tiny", (0.1, 0.1), fontsize=5.5)
    assert float(_png(fig).text["convbook:min_font_pt"]) == 5.5


def test_a_figure_with_no_text_has_no_font_chunk():
    fig = _new_figure((2, 2), 50)
    ax = fig.subplots()
    ax.imshow(np.eye(3))
    ax.set_axis_off()
    text = _png(fig).text
    assert "convbook:min_font_pt" not in text and text["convbook:width_in"] == "2"
    assert _page_fit().figure_style(dict(text)) is None


def test_a_public_figure_carries_the_chunks():
    fig = curves_figure({"a": np.sin, "b": np.cos}, (0, 3))
    text = _png(fig).text
    assert float(text["convbook:min_font_pt"]) > 0
    assert float(text["convbook:width_in"]) == pytest.approx(fig.get_figwidth())


@pytest.mark.parametrize("width_in, font_pt, dpi", [(9, 8, 80), (6.5, 9, 100), (3, 12, 80), (12, 6, 72)])
def test_figure_style_keeps_the_smallest_text_legible(width_in, font_pt, dpi):
    page_fit = _page_fit()
    style, least = page_fit.figure_style({"convbook:dpi": str(dpi), "convbook:scale": "2",
                                          "convbook:width_in": str(width_in),
                                          "convbook:min_font_pt": str(font_pt)})
    assert font_pt / 72 * least / width_in >= page_fit.MIN_TEXT_PX
    assert font_pt / 72 * (least - 1) / width_in < page_fit.MIN_TEXT_PX
    assert f"min-width:{least}px" in style
    width = int(style.split("width:")[1].split("px")[0])
    assert width == max(least, round(dpi * width_in))


def test_size_figures_wraps_once(tmp_path):
    page_fit = _page_fit()
    fig = _new_figure((6, 3), 80)
    fig.subplots().plot([0, 1])
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "f.png").write_bytes(fig._repr_png_())
    (tmp_path / "_images" / "logo.png").write_bytes(b"")  # not a figure: no chunks, left alone
    Image.new("RGB", (4, 4)).save(tmp_path / "_images" / "logo.png")
    page = tmp_path / "a.html"
    html = '<p><img alt="x" src="_images/f.png" /> <img src="_images/logo.png"></p>'
    once = page_fit.size_figures(html, page, tmp_path)
    assert once.count('<span class="pf-figure">') == 1 and "data-pf-min-width=" in once
    assert '<img src="_images/logo.png">' in once
    assert page_fit.size_figures(once, page, tmp_path) == once
