"""The gallery of convolution arithmetic (convbook.plotting.nn.gallery, widgets.nn.gallery_explorer).

Every frame of every case is checked against convbook.nn and against PyTorch: the cells a frame
shades are the cells the output reads (convolution) or the input scatters to (transposed), its
numbers are the layer's output, the output size is the formula's and torch's, and the frames of
the static animation are the pictures of gallery_figure, pixel for pixel.
"""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from convbook import nn, plotting  # noqa: E402
from convbook.plotting import nn as pn  # noqa: E402
from convbook.widgets import nn as wn  # noqa: E402

torch.set_num_threads(1)

CASES = pn.gallery_cases()
CONV = [name for name, kw in CASES.items() if not kw.get("transposed")]
TRANSPOSED = [name for name, kw in CASES.items() if kw.get("transposed")]


def full(kw):
    """The case's settings with every default filled in."""
    return dict(dict(stride=1, padding=0, dilation=1, output_padding=0, transposed=False), **kw)


def pads(kw):
    """(before, after) zeros of a convolution case, from the definitions (not from the module)."""
    k, d, p = kw["kernel_size"], kw["dilation"], kw["padding"]
    if p == "same":
        return d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2
    if p == "full":
        return d * (k - 1), d * (k - 1)
    return p, p


def cells(fig, gid, x0=0.0):
    return {(int(round(p.get_y())), int(round(p.get_x() - x0))) for p in fig.axes[0].patches
            if p.get_gid() == gid}


def values(fig, gid, x0=0.0, y0=0.0):
    """{(row, col) of the cell, counted from (y0, x0): text} of the texts with that gid."""
    return {(int(np.floor(t.get_position()[1] - y0)), int(np.floor(t.get_position()[0] - x0))): t.get_text()
            for t in fig.axes[0].texts if t.get_gid() == gid}


def right_corner(fig):
    """The left edge and top of the right grid (output or scattered grid)."""
    right = [p for p in fig.axes[0].patches if p.get_gid() in ("output", "cropped")]
    return min(p.get_x() for p in right), min(p.get_y() for p in right)


def input_values(fig, n, top=0.0, left=0.0):
    text = values(fig, "input value", left, top)
    return np.array([[float(text[r, c]) for c in range(n)] for r in range(n)])


# --------------------------------------------------------------------------
# The cases: the issue's list, the formula, convbook.nn and torch agree
# --------------------------------------------------------------------------

def test_the_gallery_has_every_case_of_the_issue():
    kinds = {name: full(kw) for name, kw in CASES.items()}
    assert len(kinds) == 9
    assert any(kw["padding"] == 0 and kw["stride"] == 1 and not kw["transposed"] for kw in kinds.values())
    assert any(kw["padding"] == "same" for kw in kinds.values())
    assert any(kw["padding"] == "full" for kw in kinds.values())
    strided = [kw for kw in kinds.values() if kw["stride"] > 1 and not kw["transposed"]]
    odd = [kw for kw in strided if (kw["n"] + sum(pads(kw)) - kw["dilation"] * (kw["kernel_size"] - 1) - 1)
           % kw["stride"]]
    assert strided and odd, "stride with odd sizes: a remainder the windows never reach"
    assert any(kw["dilation"] > 1 for kw in kinds.values())
    assert any(kw["transposed"] and kw["stride"] == 1 for kw in kinds.values())
    assert any(kw["transposed"] and kw["stride"] > 1 for kw in kinds.values())
    assert any(kw["transposed"] and kw["output_padding"] > 0 for kw in kinds.values())


@pytest.mark.parametrize("name", CONV)
def test_convolution_size_is_the_formula_nn_and_torch(name):
    kw = full(CASES[name])
    n, k, s, d = kw["n"], kw["kernel_size"], kw["stride"], kw["dilation"]
    before, after = pads(kw)
    formula = (n + before + after - d * (k - 1) - 1) // s + 1
    assert pn.gallery_output_size(**CASES[name]) == formula
    assert pn.gallery_formula(**CASES[name]).endswith(f"= {formula}")
    assert f"({n} + {before} + {after} − {d}·({k} − 1) − 1) / {s}" in pn.gallery_formula(**CASES[name])
    x = np.zeros((1, 1, n, n))
    padding = "same" if kw["padding"] == "same" else before
    assert nn.conv2d(x, np.ones((1, 1, k, k)), stride=s, padding=padding, dilation=d).shape[2:] == (formula,) * 2
    got = F.conv2d(torch.zeros(1, 1, n, n), torch.ones(1, 1, k, k), stride=s, padding=padding, dilation=d)
    assert tuple(got.shape[2:]) == (formula, formula)


@pytest.mark.parametrize("name", TRANSPOSED)
def test_transposed_size_is_the_formula_nn_and_torch(name):
    kw = full(CASES[name])
    n, k, s, p, a, d = (kw[key] for key in ("n", "kernel_size", "stride", "padding", "output_padding", "dilation"))
    formula = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    assert pn.gallery_output_size(**CASES[name]) == formula == nn.transposed_output_size(n, k, s, p, a, d)
    assert pn.gallery_formula(**CASES[name]) == f"({n} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {a} + 1 = {formula}"
    got = F.conv_transpose2d(torch.zeros(1, 1, n, n), torch.ones(1, 1, k, k), stride=s, padding=p,
                             output_padding=a, dilation=d)
    assert tuple(got.shape[2:]) == (formula, formula)


def test_output_padding_picks_the_input_size_that_stride_forgot():
    """'stride, odd sizes' maps 5x5 and 6x6 to 3x3; its transpose gives back 5, or 6 with output_padding=1."""
    odd, back = CASES["stride, odd sizes"], full(CASES["transposed, output_padding"])
    assert pn.gallery_output_size(**dict(odd, n=5)) == pn.gallery_output_size(**odd) == back["n"]
    assert pn.gallery_output_size(**dict(back, output_padding=0)) == 5
    assert pn.gallery_output_size(**back) == odd["n"]


# --------------------------------------------------------------------------
# Every frame: the shaded cells and the numbers
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", CONV)
def test_each_convolution_frame_shades_the_receptive_field_of_its_output_cell(name):
    kw = full(CASES[name])
    n, k, s, d = kw["n"], kw["kernel_size"], kw["stride"], kw["dilation"]
    before, after = pads(kw)
    size = n + before + after
    out = pn.gallery_output_size(**CASES[name])
    # which output cells read padded cell (i, j): convbook.nn's forward pass on a one-hot padded input
    read_by = {}
    for i in range(size):
        for j in range(size):
            one = np.zeros((1, 1, size, size))
            one[0, 0, i, j] = 1.0
            hit = nn.conv2d(one, np.ones((1, 1, k, k)), stride=s, dilation=d)[0, 0]
            for r, c in zip(*np.nonzero(hit)):
                read_by.setdefault((int(r), int(c)), set()).add((i, j))
    fig = pn.gallery_figure(**CASES[name], frame=0)
    x = np.pad(input_values(fig, n, before, before), ((before, after), (before, after)))
    expected = nn.conv2d(x[None, None], np.ones((1, 1, k, k)), stride=s, dilation=d)[0, 0]
    padding = "same" if kw["padding"] == "same" else before
    with torch.no_grad():
        oracle = F.conv2d(torch.from_numpy(x[before:before + n, before:before + n][None, None]),
                          torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, padding=padding, dilation=d)
    assert np.array_equal(expected, oracle.numpy()[0, 0])
    for m in range(out * out):
        row, col = divmod(m, out)
        fig = pn.gallery_figure(**CASES[name], frame=m)
        taps = cells(fig, "tap")
        window = {(row * s + i * d, col * s + j * d) for i in range(k) for j in range(k)}
        assert taps == window == read_by[row, col], (name, m)
        x0, y0 = right_corner(fig)
        current = [p for p in fig.axes[0].patches if p.get_gid() == "current"][0]
        assert (current.get_x() - x0, current.get_y() - y0) == (col, row)
        shown = values(fig, "output value", x0, y0)
        for r in range(out):
            for c in range(out):
                text = shown[r, c]
                assert text == (f"{expected[r, c]:g}" if r * out + c <= m else ""), (name, m, r, c)


@pytest.mark.parametrize("name", TRANSPOSED)
def test_each_transposed_frame_shades_where_its_input_cell_scatters(name):
    kw = full(CASES[name])
    n, k, s, p, a, d = (kw[key] for key in ("n", "kernel_size", "stride", "padding", "output_padding", "dilation"))
    out = pn.gallery_output_size(**CASES[name])
    w = np.ones((1, 1, k, k))
    last = None
    for m in range(n * n):
        h, v = divmod(m, n)
        fig = pn.gallery_figure(**CASES[name], frame=m)
        x0, _ = right_corner(fig)
        taps = cells(fig, "tap", x0)
        assert taps == {(h * s + i * d, v * s + j * d) for i in range(k) for j in range(k)}, (name, m)
        # the part that survives the crop is where conv_transpose2d (nn and torch) puts the one cell
        one = np.zeros((1, 1, n, n))
        one[0, 0, h, v] = 1.0
        kept = nn.conv_transpose2d(one, w, stride=s, padding=p, output_padding=a, dilation=d)[0, 0]
        with torch.no_grad():
            oracle = F.conv_transpose2d(torch.from_numpy(one), torch.from_numpy(w), stride=s, padding=p,
                                        output_padding=a, dilation=d).numpy()[0, 0]
        assert np.array_equal(kept, oracle)
        inside = {(r - p, c - p) for r, c in taps if p <= r < p + out and p <= c < p + out}
        assert inside == {(int(r), int(c)) for r, c in zip(*np.nonzero(kept))}, (name, m)
        assert cells(fig, "output", x0) == {(r + p, c + p) for r in range(out) for c in range(out)}
        last = fig
    top = (max(cells(last, "output", x0) | cells(last, "cropped", x0))[0] + 1 - n) / 2
    x = input_values(last, n, top, 0)
    with torch.no_grad():
        y = F.conv_transpose2d(torch.from_numpy(x[None, None]), torch.from_numpy(w), stride=s, padding=p,
                               output_padding=a, dilation=d).numpy()[0, 0]
    shown = values(last, "output value", x0)
    assert {key: float(text) for key, text in shown.items()} == {
        (r + p, c + p): y[r, c] for r in range(out) for c in range(out)}


# --------------------------------------------------------------------------
# The static twin: the animation's frames are gallery_figure's, and it plays fast
# --------------------------------------------------------------------------

def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("name", ["half padding", "stride, odd sizes", "transposed, output_padding"])
def test_animation_frames_are_the_figures_pixel_for_pixel(name):
    anim = pn.gallery_animation(**CASES[name])
    assert anim.event_source.interval <= 500
    page = plotting.animation_html(anim, alt=f"the gallery's {name}")
    frames = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]+)"', page)
    kw = full(CASES[name])
    expected = kw["n"] ** 2 if kw["transposed"] else pn.gallery_output_size(**CASES[name]) ** 2
    assert [int(i) for i, _ in frames] == list(range(expected))
    for i, data in frames:
        buffer = io.BytesIO()
        pn.gallery_figure(**CASES[name], frame=int(i)).savefig(buffer, format="png")
        assert np.array_equal(_pixels(base64.b64decode(data)), _pixels(buffer.getvalue())), (name, i)


def test_every_case_stays_small_for_the_page():
    total = 0
    for name, kw in CASES.items():
        page = plotting.animation_html(pn.gallery_animation(**kw), alt=name)
        total += len(page)
        assert len(page) < 150_000, (name, len(page))
    assert total < 600_000


def test_same_with_an_even_kernel_puts_the_odd_zero_at_the_end():
    fig = pn.gallery_figure(5, 2, stride=1, padding="same", frame=0)
    assert cells(fig, "padding") == {(r, c) for r in range(6) for c in range(6) if r == 5 or c == 5}
    assert cells(fig, "tap") == {(0, 0), (0, 1), (1, 0), (1, 1)}          # output (0, 0) starts on the input
    assert pn.gallery_formula(5, 2, padding="same") == "⌊(5 + 0 + 1 − 1·(2 − 1) − 1) / 1⌋ + 1 = 5"


# --------------------------------------------------------------------------
# Bad input: clear errors that name the parameter
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=0, kernel_size=3), ValueError, r"n must be an integer >= 1, got 0"),
    (dict(n=4, kernel_size=1.5), TypeError, r"kernel_size must be an integer >= 1, got 1.5"),
    (dict(n=4, kernel_size=3, stride=0), ValueError, r"stride must be an integer >= 1"),
    (dict(n=4, kernel_size=3, padding="half"), ValueError, r"padding='half' is not allowed.*'same'"),
    (dict(n=6, kernel_size=3, stride=2, padding="same"), ValueError, r"'same' is not supported for strided"),
    (dict(n=2, kernel_size=5), ValueError, r"dilated kernel .* longer than the padded input"),
    (dict(n=2, kernel_size=3, transposed=True, padding="same"), TypeError,
     r"padding of a transposed convolution must be an integer"),
    (dict(n=2, kernel_size=3, transposed="yes"), TypeError, r"transposed must be True or False"),
    (dict(n=2, kernel_size=3, stride=2, transposed=True, output_padding=2), ValueError,
     r"output_padding must be smaller than stride or dilation, got output_padding=2, stride=2"),
    (dict(n=4, kernel_size=3, output_padding=1), ValueError, r"output_padding is only for a transposed"),
    (dict(n=2, kernel_size=3, padding=3, transposed=True), ValueError, r"output would have size"),
    (dict(n=11, kernel_size=3, padding=1), ValueError, r"too large to draw: 13 cells per side; keep them <= 12"),
])
def test_bad_settings_are_refused_by_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.gallery_output_size(**kwargs)
    with pytest.raises(error, match=match):
        pn.gallery_figure(**kwargs)


def test_bad_frames_and_intervals_are_refused():
    with pytest.raises(ValueError, match=r"frame must be < 4 \(one frame per output cell\), got 4"):
        pn.gallery_figure(4, 3, frame=4)
    with pytest.raises(ValueError, match=r"frame must be < 9 \(one frame per input cell\), got 9"):
        pn.gallery_figure(3, 3, stride=2, transposed=True, frame=9)
    with pytest.raises(TypeError, match=r"frame must be an integer >= 0, got 1.0"):
        pn.gallery_figure(4, 3, frame=1.0)
    with pytest.raises(ValueError, match=r"interval must be at most 500 ms.*got 600"):
        pn.gallery_animation(4, 3, interval=600)
    with pytest.raises(ValueError, match=r"interval must be a positive number"):
        pn.gallery_animation(4, 3, interval=0)
    with pytest.raises(ValueError, match=r"figsize must be a pair"):
        pn.gallery_animation(4, 3, figsize=3)


# --------------------------------------------------------------------------
# The live explorer
# --------------------------------------------------------------------------

def _png(output_widget):
    (shown,) = output_widget.outputs
    return base64.b64decode(shown["data"]["image/png"])


def test_explorer_shows_each_case_as_the_gallery_figure():
    explorer = wn.gallery_explorer("no padding", dpi=40)
    assert isinstance(explorer, ipywidgets.VBox)
    case, flags, sizes, steps, frames, size, output = explorer.children
    transposed, padding = flags.children
    play, frame = frames.children
    for name, kw in CASES.items():
        case.value = name
        assert size.value == f"output {pn.gallery_output_size(**kw)} × {pn.gallery_output_size(**kw)}: " \
                             f"{pn.gallery_formula(**kw)}"
        assert transposed.value == bool(kw.get("transposed")) and padding.value == kw.get("padding", 0)
        last = (kw["n"] ** 2 if kw.get("transposed") else pn.gallery_output_size(**kw) ** 2) - 1
        assert frame.max == play.max == last and frame.value == 0
        frame.value = last
        buffer = io.BytesIO()
        pn.gallery_figure(**kw, frame=last, dpi=40).savefig(buffer, format="png")
        assert np.array_equal(_pixels(_png(output)), _pixels(buffer.getvalue())), name


def test_explorer_explains_a_setting_that_is_not_a_layer_and_recovers():
    explorer = wn.gallery_explorer("stride", dpi=30)
    case, flags, sizes, steps, frames, size, output = explorer.children
    transposed, padding = flags.children
    padding.value = "same"
    assert "not allowed" in size.value and "strided" in size.value and output.outputs == ()
    padding.value = 1
    assert size.value.startswith("output 3 × 3") and len(output.outputs) == 1
    stride, dilation, output_padding = steps.children
    output_padding.value = 1
    assert "output_padding is only for a transposed" in size.value and output.outputs == ()
    transposed.value = True
    assert size.value == "output 10 × 10: (5 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 10"
    assert len(output.outputs) == 1 and frames.children[1].max == 5 * 5 - 1


def test_explorer_refuses_an_unknown_case():
    with pytest.raises(ValueError, match=r"case='strides' is not one of the gallery's cases.*'stride'"):
        wn.gallery_explorer("strides")
    with pytest.raises(ValueError, match=r"dpi must be a positive number, got 0.0"):
        wn.gallery_explorer("stride", dpi=0)
    with pytest.raises(TypeError, match=r"dpi must be"):
        wn.gallery_explorer("stride", dpi="high")
