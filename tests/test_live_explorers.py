"""The live explorers (issue 16, item 5): a step redraws what moves on a figure built once, and a burst of
changes is debounced into few redraws that end on the right picture.

Every explorer of the lessons is checked the same way: ten value changes in a row, with the in-kernel
debounce on, cost at most two redraws, and the picture shown after them is the one a single change to the
final value draws in a fresh explorer.  The 2-D convolution explorer's live picture is also compared with
its static figure, pixel for pixel, at every setting it steps through.  Timing is `make bench`'s
(bench/bench_widgets.py), never asserted here.
"""

from __future__ import annotations

import base64
import io
import threading

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from convbook.plotting import nn as pn
from convbook.widgets import continuous as wc
from convbook.widgets import discrete as wd
from convbook.widgets import fourier as wf
from convbook.widgets import nn as wn
from convbook.widgets import polynomial as wp
from convbook.widgets._common import REDRAW_DELAY, _Redraw


def _box(x):
    return ((np.asarray(x) >= 0) & (np.asarray(x) <= 1)).astype(float)


def _ramp(x):
    x = np.asarray(x, dtype=float)
    return np.where((x >= 0) & (x <= 2), x / 2, 0.0)


SIGNAL = np.random.default_rng(0).standard_normal(12).round(1)
# (build, the slider a student moves): the lessons' calls, smaller figures
EXPLORERS = {
    "rolling_up": (lambda: wc.rolling_up_explorer(_box, _ramp, t_range=(-1, 4), x_range=(-1, 3), dpi=30), "t"),
    "discrete": (lambda: wd.discrete_explorer(SIGNAL, [1, 2, 1], mode="same", dpi=30), "position"),
    "long_multiplication": (lambda: wp.long_multiplication_explorer(42, 137, base=10, dpi=30), "step"),
    "butterfly": (lambda: wf.butterfly_explorer([1, 1, 1, 1, 0, 0, 0, 0], dpi=30), "butterflies"),
    "wraparound": (lambda: wf.wraparound_explorer(np.ones(4), np.arange(5.0), dpi=30), "L"),
    "conv2d": (lambda: wn.conv2d_explorer(pn.synthetic_scene(16), dpi=30, figsize=(4, 2)), "stride"),
    "gallery": (lambda: wn.gallery_explorer("stride, odd sizes", dpi=30), "frame"),
}


def _walk(widget):
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _walk(child)
    return out


def _slider(explorer, description):
    (found,) = [w for w in _walk(explorer)
                if isinstance(w, (ipywidgets.IntSlider, ipywidgets.FloatSlider)) and w.description == description]
    return found


def _picture(explorer) -> bytes:
    (out,) = [w for w in _walk(explorer) if isinstance(w, ipywidgets.Output)]
    (item,) = out.outputs
    return base64.b64decode(item["data"]["image/png"])


def _values(slider):
    if isinstance(slider.value, float):
        return [float(v) for v in np.linspace(slider.min, slider.max, 11)]
    return list(range(slider.min, slider.max + 1))


def test_a_burst_of_calls_costs_two_redraws_and_draws_the_latest_state():
    state, drawn = {"value": 0}, []
    redraw = _Redraw(lambda: drawn.append(state["value"]), delay=0.2)
    for v in range(1, 11):
        state["value"] = v
        redraw()
    redraw.wait()
    assert redraw.redraws == len(drawn) <= 2 and drawn[-1] == 10, drawn


def test_calls_far_apart_each_redraw():
    state, drawn = {"value": 0}, []
    redraw = _Redraw(lambda: drawn.append(state["value"]), delay=0.0)
    for v in range(1, 6):
        state["value"] = v
        redraw()
    assert drawn == [1, 2, 3, 4, 5]


def test_calls_from_several_threads_end_on_the_latest_state():
    state, drawn, lock = {"value": 0}, [], threading.Lock()
    redraw = _Redraw(lambda: drawn.append(state["value"]), delay=0.05)

    def press(v):
        with lock:
            state["value"] = max(state["value"], v)
        redraw()

    threads = [threading.Thread(target=press, args=(v,)) for v in range(1, 21)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    redraw.wait()
    assert drawn[-1] == 20 and len(drawn) < 20, drawn


@pytest.mark.parametrize("name", EXPLORERS)
def test_ten_quick_changes_cost_at_most_two_redraws_and_end_on_the_right_picture(name):
    build, description = EXPLORERS[name]
    explorer = build()
    slider = _slider(explorer, description)
    values = _values(slider)
    explorer._redraw.delay = REDRAW_DELAY          # as in a kernel
    before = explorer._redraw.redraws
    for v in (values * 10)[1:11]:
        slider.value = v
    explorer._redraw.wait()
    assert 1 <= explorer._redraw.redraws - before <= 2, explorer._redraw.redraws - before
    final = slider.value
    fresh = build()
    fresh_slider = _slider(fresh, description)
    fresh_slider.value = values[0] if final != values[0] else values[-1]
    fresh_slider.value = final
    assert _picture(explorer) == _picture(fresh), (name, final)


def _pixels(png: bytes):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_the_conv2d_explorers_live_picture_is_its_static_figure():
    scene = pn.synthetic_scene(16)
    explorer = wn.conv2d_explorer(scene, dpi=30, figsize=(4, 2))
    menus, sliders, size, output = explorer.children
    (kernel, padding), (stride, dilation) = menus.children, sliders.children
    kernels = pn.standard_kernels()
    for name, pad, s, d in [(kernel.value, padding.value, 1, 1), ("Gaussian blur", 2, 1, 1),
                            ("Gaussian blur", 2, 3, 1), ("Gaussian blur", 2, 3, 2), (kernel.value, "same", 1, 1)]:
        kernel.value, padding.value, stride.value, dilation.value = name, pad, s, d
        buffer = io.BytesIO()
        pn.conv_explorer_figure(scene, kernels[name], s, pad, d, kernel_name=name, figsize=(4, 2),
                                dpi=30).savefig(buffer, format="png")
        live = base64.b64decode(output.outputs[0]["data"]["image/png"])
        assert np.array_equal(_pixels(live), _pixels(buffer.getvalue())), (name, pad, s, d)
