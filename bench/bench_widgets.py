"""The live explorers: kernel time per slider step, and what a burst of key presses costs.

Each explorer of the lessons is built as the lesson builds it (the same data and figure size), then
its slider is stepped through every value (twice, wrapping round): one step is the redraw the kernel
does when a student moves the slider, from the widget's change to the PNG put in the output.  The
table gives the median and the worst step, as CPU time of this process (the kernel's time, which a
loaded machine does not inflate) and as wall time.  Goal (issue 16): <= 100 ms of kernel time per step.

"burst": ten value changes in a row, as ten quick key presses send them, with the kernel's debounce
on (``_Redraw`` with its in-kernel delay): how many redraws they cost, and that the last one shows
the final value (the picture equals a single redraw at that value).
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from _common import print_table, progress


def _walk(widget):
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _walk(child)
    return out


def _slider(explorer, description: str):
    import ipywidgets

    for w in _walk(explorer):
        if isinstance(w, (ipywidgets.IntSlider, ipywidgets.FloatSlider)) and w.description == description:
            return w
    raise LookupError(description)


def _picture(explorer) -> bytes:
    import ipywidgets

    for w in _walk(explorer):
        if isinstance(w, ipywidgets.Output) and w.outputs:
            return w.outputs[0]["data"]["image/png"]
    return b""


def _explorers():
    """(name, lesson, build, slider's description): as the lessons call them."""
    from convbook.plotting import nn as pn
    from convbook.widgets import continuous as wc
    from convbook.widgets import discrete as wd
    from convbook.widgets import fourier as wf
    from convbook.widgets import nn as wn
    from convbook.widgets import polynomial as wp

    box = lambda x: ((x >= 0) & (x <= 1)).astype(float)  # noqa: E731
    ramp = lambda x: np.where((x >= 0) & (x <= 2), x / 2, 0.0)  # noqa: E731
    signal = np.random.default_rng(0).standard_normal(12).round(1)
    return [
        ("rolling_up_explorer", "01 rolling-up", lambda: wc.rolling_up_explorer(box, ramp, t_range=(-1, 4),
                                                                                 x_range=(-1, 3)), "t"),
        ("discrete_explorer", "02 modes", lambda: wd.discrete_explorer(signal, [1, 2, 1], mode="same"), "position"),
        ("long_multiplication_explorer", "03 long-multiplication",
         lambda: wp.long_multiplication_explorer(42, 137, base=10), "step"),
        ("butterfly_explorer", "04 cooley-tukey", lambda: wf.butterfly_explorer([1, 1, 1, 1, 0, 0, 0, 0]),
         "butterflies"),
        ("wraparound_explorer", "04 linear-by-fft", lambda: wf.wraparound_explorer(np.ones(4), np.arange(5.0)),
         "L"),
        ("conv2d_explorer", "05 equivariance-and-filters", lambda: wn.conv2d_explorer(pn.synthetic_scene(32)),
         "stride"),
        ("gallery_explorer", "05 gallery", lambda: wn.gallery_explorer("stride, odd sizes"), "frame"),
    ]


def _values(slider):
    if isinstance(slider.value, float):
        return list(np.linspace(slider.min, slider.max, 21))
    return list(range(slider.min, slider.max + 1))


def _steps(explorer, slider, rounds: int):
    cpu, wall = [], []
    values = _values(slider)
    for _ in range(rounds):
        for v in values[1:] + values[:1]:
            c0, w0 = time.process_time(), time.perf_counter()
            slider.value = v
            explorer._redraw.wait()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
    return cpu, wall


def _burst(build, description):
    """Ten changes at once with the kernel's debounce: (redraws, the last picture is the final value's)."""
    from convbook.widgets._common import REDRAW_DELAY

    explorer = build()
    slider = _slider(explorer, description)
    values = _values(slider)
    explorer._redraw.delay = REDRAW_DELAY
    before = explorer._redraw.redraws
    for v in (values * 10)[1:11]:
        slider.value = v
    explorer._redraw.wait()
    burst = explorer._redraw.redraws - before
    final, shown = slider.value, _picture(explorer)
    fresh = build()                     # one redraw at the final value, in an explorer of its own
    fresh_slider = _slider(fresh, description)
    fresh_slider.value = fresh_slider.min if final != fresh_slider.min else fresh_slider.max
    fresh_slider.value = final
    fresh._redraw.wait()
    return burst, shown == _picture(fresh)


def main(quick: bool = False) -> None:
    import matplotlib

    matplotlib.use("Agg")
    rounds = 1 if quick else 2
    rows = []
    for name, lesson, build, description in _explorers():
        progress(f"{name}: stepping '{description}'")
        explorer = build()
        slider = _slider(explorer, description)
        explorer._redraw.delay = 0.0     # every change draws at once: one step is one redraw
        cpu, wall = _steps(explorer, slider, rounds)
        burst, right = _burst(build, description)
        rows.append([name, lesson, len(cpu), 1000 * statistics.median(cpu), 1000 * max(cpu),
                     1000 * statistics.median(wall), f"{burst} redraws", "yes" if right else "NO"])
    print_table("Live explorers: one slider step (ms)",
                ["explorer", "lesson", "steps", "CPU median", "CPU worst", "wall median", "10 presses",
                 "ends right"], rows,
                note="CPU: this process's time per step (the kernel's); goal <= 100 ms. '10 presses': ten changes "
                     "in a row with the in-kernel debounce; 'ends right': the last picture is the final value's.")
