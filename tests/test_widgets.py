"""Tests of convbook.widgets with the real ipywidgets (no frontend needed)."""

from __future__ import annotations

import base64
import sys

import ipywidgets
import numpy as np
import pytest
import sympy as sp

from convbook import continuous, widgets
from test_doctests import run_doctests

T = sp.Symbol("t", real=True)
SMALL = dict(x_range=(-1, 2), n=41, dpi=30, figsize=(4, 3))


def box(x):
    x = np.asarray(x, dtype=float)
    return np.where((x >= 0) & (x < 1), 1.0, 0.0)


def png_of(output):
    (item,) = output.outputs
    assert item["output_type"] == "display_data"
    return base64.b64decode(item["data"]["image/png"])


def test_doctests():
    """Chapter 1's explorer and the shared helpers (chapters 2-5 are tested with their figures)."""
    result = run_doctests(widgets._common, widgets.continuous)
    assert result.attempted > 3
    assert result.failed == 0


def test_explorer_builds_a_slider_and_an_output_with_a_picture():
    explorer = widgets.rolling_up_explorer(box, box, (-1, 3), **SMALL)
    assert isinstance(explorer, ipywidgets.VBox)
    slider, output = explorer.children
    assert isinstance(slider, ipywidgets.FloatSlider)
    assert isinstance(output, ipywidgets.Output)
    assert (slider.min, slider.max, slider.value) == (-1.0, 3.0, 1.0)
    assert slider.step == pytest.approx(0.04)
    assert slider.continuous_update is False
    assert png_of(output).startswith(b"\x89PNG\r\n\x1a\n")


def test_moving_the_slider_redraws_the_output():
    f = continuous.to_numeric(continuous.rect(T), T)
    g = continuous.to_numeric(continuous.one_sided_exp(T, 2), T)
    explorer = widgets.rolling_up_explorer(f, g, (-1, 3), t=0.5, step=0.1,
                                           continuous_update=True, **SMALL)
    slider, output = explorer.children
    before = png_of(output)
    slider.value = 1.7
    after = png_of(output)
    assert after.startswith(b"\x89PNG") and after != before
    assert output.outputs[0]["data"]["text/plain"] == "rolling-up picture at t = 1.7"
    slider.value = 0.5                   # back where it started: the same picture again
    assert png_of(output) == before


def test_explorer_passes_figure_options_on():
    big = widgets.rolling_up_explorer(box, box, (0, 2), x_range=(-1, 2), n=21, dpi=40,
                                      figsize=(4, 3))
    small = widgets.rolling_up_explorer(box, box, (0, 2), x_range=(-1, 2), n=21, dpi=20,
                                        figsize=(4, 3))
    assert len(png_of(big.children[1])) > len(png_of(small.children[1]))


def test_explorer_errors():
    with pytest.raises(TypeError, match=r"f must be a callable that accepts a numpy array"):
        widgets.rolling_up_explorer(continuous.rect(T), box)
    with pytest.raises(ValueError, match=r"t_range must satisfy low < high, got \(3, -1\)"):
        widgets.rolling_up_explorer(box, box, (3, -1))
    with pytest.raises(ValueError, match=r"t must lie in t_range = \(-1, 3\), got t = 5"):
        widgets.rolling_up_explorer(box, box, (-1, 3), t=5)
    with pytest.raises(ValueError, match=r"step must be a positive number, got 0.0"):
        widgets.rolling_up_explorer(box, box, step=0)
    with pytest.raises(TypeError, match=r"continuous_update must be True or False, got 1"):
        widgets.rolling_up_explorer(box, box, continuous_update=1)
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'colour'.*Acceptable figure options are cmap, conv"):
        widgets.rolling_up_explorer(box, box, colour="red")
    with pytest.raises(ValueError, match=r"n must be an integer >= 3, got 1"):
        widgets.rolling_up_explorer(box, box, n=1)


def test_missing_ipywidgets_gives_an_install_hint(monkeypatch):
    # None in sys.modules makes `import ipywidgets` fail, as when it is not installed
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r"needs the package 'ipywidgets'.*pip install ipywidgets"):
        widgets.rolling_up_explorer(box, box)
