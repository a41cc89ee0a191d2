"""Tests of chapter 5's figures, animations (convbook.plotting.nn) and explorer (convbook.widgets.nn)."""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from convbook import nn, plotting  # noqa: E402
from convbook.plotting import nn as pn  # noqa: E402
from convbook.plotting.nn._common import DONE_COLOR, GROUP_COLORS  # noqa: E402
from convbook.plotting.nn.equivariance_and_filters import DEFAULT_SETTINGS  # noqa: E402
from convbook.widgets import nn as wn  # noqa: E402
from test_doctests import run_doctests  # noqa: E402


def patches(fig, gid, ax=0):
    return [p for p in fig.axes[ax].patches if p.get_gid() == gid]


def frames_in(page):
    return len(re.findall(r"frames\[\d+\] = ", page))


def image(fig, gid):
    for ax in fig.axes:
        for im in ax.get_images():
            if im.get_gid() == gid:
                return im
    raise AssertionError(f"no image with gid {gid!r}")


@pytest.mark.parametrize("module", [pn, wn])
def test_doctests(module):
    result = run_doctests(module)
    assert result.failed == 0
    assert result.attempted >= 8


def test_public_functions_are_documented():
    for module in (pn, wn):
        for name in module.__all__:
            doc = getattr(module, name).__doc__
            assert doc and "Examples" in doc and "Returns" in doc, f"{module.__name__}.{name}"


# --------------------------------------------------------------------------
# synthetic_scene and standard_kernels
# --------------------------------------------------------------------------

def test_synthetic_scene_is_a_deterministic_grey_image():
    img = pn.synthetic_scene(40)
    assert img.shape == (40, 40) and img.dtype == np.float64
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert np.array_equal(img, pn.synthetic_scene(40))
    # shapes are there: a bright disk near the top left, a dark triangle near the bottom right
    assert img[12, 12] > 0.9 and img[34, 29] < 0.05
    # the background brightens from left to right
    assert img[2, 36] > img[2, 2]


def test_synthetic_scene_noise_is_reproducible_and_clipped():
    a = pn.synthetic_scene(32, noise=0.1, seed=3)
    assert np.array_equal(a, pn.synthetic_scene(32, noise=0.1, seed=3))
    assert not np.array_equal(a, pn.synthetic_scene(32, noise=0.1, seed=4))
    assert not np.array_equal(a, pn.synthetic_scene(32))
    assert a.min() >= 0.0 and a.max() <= 1.0


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(size=7), ValueError, r"size must be an integer >= 8, got 7"),
    (dict(size=16.0), TypeError, r"size must be an integer >= 8, got 16.0 \(type float\)"),
    (dict(size=16, noise=-0.1), ValueError, r"noise must be a finite real number >= 0, got -0.1"),
    (dict(size=16, noise=float("nan")), ValueError, r"noise must be a finite real number >= 0"),
    (dict(size=16, noise="a"), TypeError, r"noise must be a real number >= 0, got 'a'"),
    (dict(size=16, noise=True), TypeError, r"noise must be a real number >= 0, got True"),
    (dict(size=16, seed=-1), ValueError, r"seed must be an integer >= 0, got -1"),
])
def test_synthetic_scene_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.synthetic_scene(**kwargs)


def test_standard_kernels_conventions():
    k = pn.standard_kernels()
    assert set(k) == {"identity", "box blur", "Gaussian blur", "sharpen", "Sobel x", "Sobel y", "Laplacian",
                      "shift"}
    for name in ("box blur", "Gaussian blur", "sharpen", "identity"):
        assert np.isclose(k[name].sum(), 1.0), name
    assert np.isclose(k["Laplacian"].sum(), 0.0) and np.isclose(k["Sobel x"].sum(), 0.0)
    assert np.array_equal(k["Sobel y"], k["Sobel x"].T)
    assert np.array_equal(k["sharpen"], k["identity"] - k["Laplacian"])
    ramp = np.tile(np.arange(6.0), (6, 1))                   # rises to the right
    assert np.allclose(nn.conv2d(ramp[None, None], k["Sobel x"][None, None]), 8.0)      # positive: no flip
    assert np.allclose(nn.conv2d(ramp.T[None, None], k["Sobel y"][None, None]), 8.0)    # rises downwards
    x = np.arange(25.0).reshape(5, 5)
    moved = nn.conv2d(x[None, None], k["shift"][None, None], padding=1)[0, 0]
    assert np.array_equal(moved[:, :-1], x[:, 1:])                                       # picture moves left


def test_standard_kernels_returns_fresh_arrays():
    k = pn.standard_kernels()
    k["identity"][1, 1] = 99.0
    assert pn.standard_kernels()["identity"][1, 1] == 1.0


# --------------------------------------------------------------------------
# conv_grid_figure / conv_grid_animation
# --------------------------------------------------------------------------

def test_conv_grid_figure_draws_the_padded_input_window_and_output():
    fig = pn.conv_grid_figure(5, 3, stride=2, padding=1, position=(1, 2))
    assert isinstance(fig, Figure)
    assert len(patches(fig, "input")) == 25
    assert len(patches(fig, "padding")) == 7 * 7 - 25
    assert len(patches(fig, "output")) == 9
    taps = sorted(tuple(map(int, p.get_xy())) for p in patches(fig, "tap"))
    assert taps == sorted((4 + j, 2 + i) for i in range(3) for j in range(3))    # (column, row)
    (window,) = patches(fig, "window")
    assert window.get_xy() == (4, 2) and (window.get_width(), window.get_height()) == (3, 3)
    colours = [p.get_facecolor() for p in patches(fig, "output")]
    done = matplotlib.colors.to_rgba(DONE_COLOR)
    assert sum(c == done for c in colours) == 1 * 3 + 2                            # the cells before (1, 2)
    assert "output 3×3" in fig.axes[0].get_title()


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 3), data=st.data())
def test_conv_grid_geometry_matches_the_layer(n, k, s, p, d, data):
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(ValueError, match="no output position fits"):
            pn.conv_grid_figure(n, k, stride=s, padding=p, dilation=d, figsize=(2, 2), dpi=20)
        return
    out = nn.output_size(n, k, s, p, d)
    row = data.draw(st.integers(0, out - 1))
    col = data.draw(st.integers(0, out - 1))
    fig = pn.conv_grid_figure(n, k, stride=s, padding=p, dilation=d, position=(row, col), figsize=(2, 2), dpi=20)
    assert len(patches(fig, "output")) == out * out
    assert len(patches(fig, "padding")) == (n + 2 * p) ** 2 - n * n
    taps = sorted(tuple(map(int, t.get_xy())) for t in patches(fig, "tap"))
    assert taps == sorted((col * s + j * d, row * s + i * d) for i in range(k) for j in range(k))
    assert all(x < n + 2 * p and y < n + 2 * p for x, y in taps)                  # inside the padded input


def test_conv_grid_same_padding_puts_the_extra_zero_at_the_end_and_full_pads_both_sides():
    fig = pn.conv_grid_figure((4, 5), 2, padding="same")
    pads = [tuple(map(int, p.get_xy())) for p in patches(fig, "padding")]
    assert len(pads) == 5 * 6 - 4 * 5
    assert all(x == 5 or y == 4 for x, y in pads)                      # one column right, one row below
    assert len(patches(fig, "output")) == 4 * 5
    fig = pn.conv_grid_figure(3, 2, padding="full")
    assert len(patches(fig, "padding")) == 5 * 5 - 9 and len(patches(fig, "output")) == 16
    fig = pn.conv_grid_figure(3, 3, padding="valid")
    assert not patches(fig, "padding") and len(patches(fig, "output")) == 1


def test_conv_grid_figure_draws_on_a_given_axes_with_a_title():
    fig = Figure()
    ax = fig.subplots()
    assert pn.conv_grid_figure(4, 2, ax=ax, title="valid") is fig
    assert ax.get_title() == "valid"


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=5, kernel_size=3, padding="circular"), ValueError,
     r"padding='circular' is not allowed. Acceptable padding flags are 'valid', 'same' or 'full'"),
    (dict(n=5, kernel_size=3, stride=2, padding="same"), ValueError,
     r"padding='same' is not supported for strided convolutions"),
    (dict(n=3, kernel_size=3, dilation=2), ValueError, r"the dilated kernel \(d\*\(k-1\)\+1 = 5\) is longer"),
    (dict(n=30, kernel_size=3), ValueError, r"too large to draw: n = \(30, 30\)"),
    (dict(n=5, kernel_size=0), ValueError, r"kernel_size must be an integer >= 1, got 0"),
    (dict(n=5, kernel_size=3, stride=1.5), ValueError,
     r"stride must be an integer or a tuple of 2 integers >= 1, got 1.5"),
    (dict(n=5, kernel_size=3, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (dict(n=5, kernel_size=3, position=(3, 0)), ValueError,
     r"position must be an output position, 0 <= row < 3 and 0 <= column < 3, got \(3, 0\)"),
    (dict(n=5, kernel_size=3, position=(0.0, 0)), TypeError, r"position must be a pair \(row, column\) of integers"),
    (dict(n=5, kernel_size=3, position=0), TypeError, r"position must be a pair"),
    (dict(n=5, kernel_size=3, ax="axes"), TypeError, r"ax must be a matplotlib Axes, got 'axes'"),
    (dict(n=5, kernel_size=3, dpi=0), ValueError, r"dpi must be a positive number, got 0.0"),
])
def test_conv_grid_figure_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.conv_grid_figure(**kwargs)


def test_conv_grid_animation_has_one_frame_per_output_position():
    anim = pn.conv_grid_animation(5, 3, stride=2, padding=1, dpi=25)
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim)
    assert frames_in(page) == 9
    assert "https://" not in page and "http://" not in page


def test_conv_grid_animation_frames_move_the_window():
    anim = pn.conv_grid_animation(4, 2, stride=2, dpi=25)        # output 2x2
    fig = anim._fig
    anim._func(3)                                                # the last position, (1, 1)
    (window,) = patches(fig, "window")
    assert window.get_xy() == (2, 2)
    anim._func(1)                                                # position (0, 1)
    assert window.get_xy() == (2, 0)
    assert frames_in(plotting.animation_html(anim)) == 4          # (an animation must be rendered once)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=(16, 16), kernel_size=1), ValueError, r"the output has 256 positions, one frame each: at most 200"),
    (dict(n=5, kernel_size=3, interval=0), ValueError, r"interval must be a positive number"),
    (dict(n=5, kernel_size=6), ValueError, r"no output position fits"),
])
def test_conv_grid_animation_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.conv_grid_animation(**kwargs)


# --------------------------------------------------------------------------
# tensor_shapes_figure
# --------------------------------------------------------------------------

def shape_texts(fig):
    return [t.get_text().replace("\n", " ") for t in fig.axes[0].texts if t.get_gid() == "shape"]


def test_tensor_shapes_figure_states_and_draws_the_shapes():
    fig = pn.tensor_shapes_figure(4, 6, size=(8, 7), kernel_size=(3, 2), groups=2, stride=2, padding=1, batch=5)
    assert shape_texts(fig) == [
        "x: (N, C, H, W) = (5, 4, 8, 7)",
        "w: (K, C/groups, kH, kW) = (6, 2, 3, 2)",
        f"out: (N, K, H_out, W_out) = (5, 6, {nn.output_size(8, 3, 2, 1)}, {nn.output_size(7, 2, 2, 1)})",
        "bias: (K,) = (6,)",
    ]
    assert len(patches(fig, "x")) == 4 and len(patches(fig, "out")) == 6 and len(patches(fig, "w")) == 6 * 2
    blue, orange = (matplotlib.colors.to_rgba(c) for c in GROUP_COLORS[:2])
    inputs = [p.get_facecolor() for p in patches(fig, "x")]
    assert inputs.count(blue) == 2 and inputs.count(orange) == 2       # two channels per group
    kernels = [p.get_facecolor() for p in patches(fig, "w")]
    assert kernels.count(blue) == 3 * 2 and kernels.count(orange) == 3 * 2
    note = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "groups = 2" in note


def test_tensor_shapes_figure_depthwise_and_same_padding():
    fig = pn.tensor_shapes_figure(8, 8, size=6, kernel_size=3, groups=8, padding="same")
    assert shape_texts(fig)[1] == "w: (K, C/groups, kH, kW) = (8, 1, 3, 3)"
    assert shape_texts(fig)[2] == "out: (N, K, H_out, W_out) = (1, 8, 6, 6)"
    assert "1 input channel of its colour" in " ".join(t.get_text() for t in fig.axes[0].texts)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(in_channels=3, out_channels=4, groups=2), ValueError, r"in_channels=3 is not divisible by groups=2"),
    (dict(in_channels=4, out_channels=3, groups=2), ValueError, r"out_channels=3 is not divisible by groups=2"),
    (dict(in_channels=17, out_channels=4), ValueError, r"in_channels must be at most 16 to be drawn, got 17"),
    (dict(in_channels=0), ValueError, r"in_channels must be an integer >= 1, got 0"),
    (dict(size=2, kernel_size=3), ValueError, r"no output position fits"),
    (dict(padding="full"), ValueError, r"padding='full' is not a conv2d option"),
    (dict(stride=2, padding="same"), ValueError, r"padding='same' is not supported for strided convolutions"),
    (dict(batch=0), ValueError, r"batch must be an integer >= 1, got 0"),
])
def test_tensor_shapes_figure_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.tensor_shapes_figure(**kwargs)


# --------------------------------------------------------------------------
# strided_sampling_figure
# --------------------------------------------------------------------------

def line_data(fig, gid):
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid() == gid:
                return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    raise AssertionError(f"no line with gid {gid!r}")


@settings(max_examples=15, deadline=None)
@given(n=st.integers(3, 20), k=st.integers(1, 3), s=st.integers(1, 4), seed=st.integers(0, 100))
def test_strided_sampling_figure_shows_the_strided_output_as_samples_of_stride_1(n, k, s, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    fig = pn.strided_sampling_figure(x, w, s, figsize=(3, 3), dpi=20)
    y1 = np.correlate(x, w, mode="valid")
    kept_t, kept_y = line_data(fig, "kept")
    strided_t, strided_y = line_data(fig, "strided")
    assert np.allclose(line_data(fig, "stride 1")[1], y1)
    assert np.array_equal(kept_t, np.arange(0, len(y1), s)) and np.allclose(kept_y, y1[::s])
    assert np.array_equal(strided_t, kept_t) and np.allclose(strided_y, kept_y)
    assert np.allclose(strided_y, nn.conv1d(x[None], w[None, None], stride=s)[0])


@pytest.mark.parametrize("args, error, match", [
    (([1.0, 2.0], [1.0, 2.0, 3.0], 1), ValueError, r"w must not be longer than x, got len\(w\) = 3 > len\(x\) = 2"),
    (([[1.0, 2.0]], [1.0], 1), ValueError, r"x must be 1-D"),
    (([1.0, np.nan], [1.0], 1), ValueError, r"x must hold finite numbers"),
    (([1.0, 2.0], [1j], 1), TypeError, r"w must hold real numbers"),
    (([1.0, 2.0], [1.0], 0), ValueError, r"stride must be an integer >= 1, got 0"),
    ((["a"], [1.0], 1), TypeError, r"x must hold numbers"),
])
def test_strided_sampling_figure_errors(args, error, match):
    with pytest.raises(error, match=match):
        pn.strided_sampling_figure(*args)


# --------------------------------------------------------------------------
# im2col_figure
# --------------------------------------------------------------------------

def cell_texts(ax):
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}


def test_im2col_figure_writes_the_unfold_matrix_and_highlights_one_window():
    x = np.arange(16).reshape(4, 4)
    fig = pn.im2col_figure(x, 2, column=4)
    ax_image, ax_cols = fig.axes
    cols = nn.unfold(x[None].astype(float), 2)
    texts = cell_texts(ax_cols)
    assert all(texts[(r, c)] == f"{cols[r, c]:.0f}" for r in range(4) for c in range(9))
    shade = image(fig, "cols").get_array()
    assert np.array_equal(np.flatnonzero(shade.any(axis=0)), [4])
    window = image(fig, "image").get_array()
    assert np.array_equal(np.argwhere(window > 0).tolist(), [[1, 1], [1, 2], [2, 1], [2, 2]])
    bold = sorted(int(t.get_text()) for t in ax_image.texts if t.get_fontweight() == "bold")
    assert bold == [5, 6, 9, 10]


def test_im2col_figure_with_padding_stride_and_dilation_and_non_integers():
    x = np.linspace(0, 1, 25).reshape(5, 5)
    fig = pn.im2col_figure(x, 2, column=0, stride=2, padding=1, dilation=2)
    out = nn.output_size(5, 2, 2, 1, 2)
    assert image(fig, "cols").get_array().shape == (4, out * out)
    assert image(fig, "image").get_array().shape == (7, 7)
    assert "(padded)" in fig.axes[0].get_title()


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((np.zeros((11, 2)), 1), {}, ValueError, r"x must be at most 10x10 to be drawn with its values"),
    ((np.zeros((8, 8)), 1), {}, ValueError, r"the matrix would have 64 columns: at most 40"),
    ((np.zeros((3, 3)), 2), dict(column=4), ValueError, r"column must be < 4 \(the number of windows\), got 4"),
    ((np.zeros((3, 3)), 4), {}, ValueError, r"no output position fits"),
    ((np.zeros(3), 1), {}, ValueError, r"x must be 2-D"),
    ((np.zeros((3, 3)), 2), dict(column=-1), ValueError, r"column must be an integer >= 0, got -1"),
])
def test_im2col_figure_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.im2col_figure(*args, **kwargs)


# --------------------------------------------------------------------------
# image_grid_figure
# --------------------------------------------------------------------------

def test_image_grid_figure_chooses_grey_or_a_centred_diverging_map():
    signed = np.array([[-1.0, 0.5], [0.0, 2.0]])
    almost = np.array([[1.0, -1e-15], [0.5, 0.0]])       # a rounding error below zero
    fig = pn.image_grid_figure({"plain": np.eye(2), "signed": signed, "almost": almost}, ncols=2)
    assert [ax.get_title() for ax in fig.axes[:3]] == ["plain (2×2)", "signed (2×2)", "almost (2×2)"]
    assert len(fig.axes) == 4 and not fig.axes[3].axison              # the unused panel is hidden
    plain, sgn, alm = image(fig, "plain"), image(fig, "signed"), image(fig, "almost")
    assert plain.get_cmap().name == "gray" and plain.get_clim() == (0.0, 1.0)
    assert sgn.get_cmap().name == "RdBu_r" and sgn.get_clim() == (-2.0, 2.0)
    assert alm.get_cmap().name == "gray"


def test_image_grid_figure_options():
    fig = pn.image_grid_figure({"k": [[1, -2], [3, 4]]}, annotate=True, show_shape=False, cmap="viridis",
                               suptitle="kernels")
    assert fig.axes[0].get_title() == "k"
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["-2", "1", "3", "4"]
    assert image(fig, "k").get_cmap().name == "viridis"
    assert fig._suptitle.get_text() == "kernels"
    fig = pn.image_grid_figure({"zeros": np.zeros((3, 3))})                    # a blank image still draws
    assert image(fig, "zeros").get_clim() == (0.0, 1.0)


@pytest.mark.parametrize("args, kwargs, error, match", [
    (({},), {}, TypeError, r"images must be a non-empty dict"),
    (([np.eye(2)],), {}, TypeError, r"images must be a non-empty dict"),
    (({"a": np.zeros((2, 2, 2))},), {}, ValueError, r"images\['a'\] must be 2-D"),
    (({"a": [[np.inf]]},), {}, ValueError, r"images\['a'\] must hold finite numbers"),
    (({"a": np.zeros((16, 2))},), dict(annotate=True), ValueError, r"annotate=True needs arrays of at most 15x15"),
    (({"a": np.eye(2)},), dict(annotate=1), TypeError, r"annotate must be True or False, got 1"),
    (({"a": np.eye(2)},), dict(cmap="nope"), ValueError, r"cmap='nope' is not a matplotlib colour map"),
    (({"a": np.eye(2)},), dict(ncols=0), ValueError, r"ncols must be an integer >= 1, got 0"),
    (({"a": np.eye(2)},), dict(panel_size=-1), ValueError, r"panel_size must be a positive number"),
])
def test_image_grid_figure_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.image_grid_figure(*args, **kwargs)


# --------------------------------------------------------------------------
# conv_explorer_figure / conv_explorer_animation
# --------------------------------------------------------------------------

@settings(max_examples=12, deadline=None)
@given(s=st.integers(1, 3), p=st.sampled_from([0, 1, 2, "valid", "same"]), d=st.integers(1, 2),
       name=st.sampled_from(["Sobel x", "Gaussian blur", "shift"]))
def test_conv_explorer_figure_shows_the_layer_output(s, p, d, name):
    img = pn.synthetic_scene(12)
    kernel = pn.standard_kernels()[name]
    if p == "same" and s > 1:
        with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
            pn.conv_explorer_figure(img, kernel, s, p, d, figsize=(3, 2), dpi=20)
        return
    fig = pn.conv_explorer_figure(img, kernel, s, p, d, kernel_name=name, figsize=(3, 2), dpi=20)
    expected = nn.conv2d(img[None], kernel[None, None], stride=s, padding=p, dilation=d)[0]
    assert np.allclose(image(fig, "output").get_array(), expected)
    assert np.array_equal(image(fig, "kernel").get_array(), kernel)
    padded = image(fig, "input").get_array()
    if p == "same":
        total = d * (kernel.shape[0] - 1)
        assert padded.shape == (12 + total, 12 + total)
        assert np.array_equal(padded[total // 2: total // 2 + 12, total // 2: total // 2 + 12], img)
    else:
        q = 0 if p == "valid" else p
        assert padded.shape == (12 + 2 * q, 12 + 2 * q)
    assert f"output {expected.shape[0]}×{expected.shape[1]}" in fig.axes[2].get_title()
    assert f"= {expected.shape[0]}$" in fig._suptitle.get_text()
    assert name in fig.axes[1].get_title() and "no flip" in fig.axes[1].get_title()


def test_conv_explorer_figure_window_position():
    fig = pn.conv_explorer_figure(np.zeros((10, 10)), np.ones((3, 3)), stride=2, padding=1, dilation=2,
                                  position=(1, 3))
    window = next(p for p in fig.axes[0].patches if p.get_gid() == "window")
    assert window.get_xy() == (3 * 2 - 0.5, 1 * 2 - 0.5)
    assert (window.get_width(), window.get_height()) == (5, 5)
    taps = next(line for line in fig.axes[0].get_lines() if line.get_gid() == "taps")
    assert taps.get_visible() and len(taps.get_xdata()) == 9


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((np.zeros((5, 5)), np.ones((7, 7))), {}, ValueError, r"no output position fits"),
    ((np.zeros((5, 5)), np.ones((3, 3)), 1, "full"), {}, ValueError, r"padding='full' is not a conv2d option"),
    ((np.zeros((5, 5)), np.ones((3, 3)), 2, "same"), {}, ValueError, r"padding='same' is not supported"),
    ((np.zeros((5, 5)), np.ones((16, 16))), {}, ValueError, r"kernel must be at most 15x15"),
    ((np.zeros((300, 2)), np.ones((1, 1))), {}, ValueError, r"image must be at most 256x256"),
    ((np.zeros((5, 5)), [[1j]]), {}, TypeError, r"kernel must hold real numbers"),
    ((np.zeros((5, 5)), np.ones((3, 3))), dict(position=(3, 0)), ValueError, r"position must be an output position"),
    ((np.zeros(5), np.ones((3, 3))), {}, ValueError, r"image must be 2-D"),
])
def test_conv_explorer_figure_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pn.conv_explorer_figure(*args, **kwargs)


def test_conv_explorer_animation_sweeps_the_settings():
    img = pn.synthetic_scene(12)
    settings_ = [dict(stride=1), dict(stride=2, padding=1), dict(dilation=2, padding="same")]
    anim = pn.conv_explorer_animation(img, np.ones((3, 3)) / 9, settings_, dpi=20)
    fig = anim._fig
    for k, setting in enumerate(settings_):
        anim._func(k)
        expected = nn.conv2d(img[None], np.ones((1, 1, 3, 3)) / 9, **setting)[0]
        assert np.allclose(image(fig, "output").get_array(), expected)
    assert frames_in(plotting.animation_html(anim)) == 3
    default = pn.conv_explorer_animation(img, np.ones((3, 3)), figsize=(2, 1), dpi=10)
    assert frames_in(plotting.animation_html(default)) == len(DEFAULT_SETTINGS) == 18


@pytest.mark.parametrize("settings_, error, match", [
    ([], ValueError, r"settings must hold 1 to 200 settings \(one frame each\), got 0"),
    ([dict(stride=1)] * 201, ValueError, r"got 201"),
    ({"stride": 1}, TypeError, r"settings must be a sequence of dicts"),
    ([1], TypeError, r"settings\[0\] must be a dict, got 1"),
    ([dict(stride=1), dict(strides=2)], TypeError, r"settings\[1\] has an unknown key 'strides'"),
    ([dict(stride=1), dict(stride=2, padding="same")], ValueError,
     r"settings\[1\] = \{'stride': 2, 'padding': 'same'\}: padding='same' is not supported"),
    ([dict(stride=0)], ValueError, r"settings\[0\] = \{'stride': 0\}: stride must be an integer"),
])
def test_conv_explorer_animation_errors(settings_, error, match):
    with pytest.raises(error, match=match):
        pn.conv_explorer_animation(np.zeros((8, 8)), np.ones((3, 3)), settings_)


# --------------------------------------------------------------------------
# conv2d_explorer (ipywidgets)
# --------------------------------------------------------------------------

def png_of(output):
    (item,) = output.outputs
    assert item["output_type"] == "display_data"
    data = base64.b64decode(item["data"]["image/png"])
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def parts(explorer):
    menus, sliders, size, output = explorer.children
    (kernel, padding), (stride, dilation) = menus.children, sliders.children
    return kernel, padding, stride, dilation, size, output


def test_explorer_builds_its_controls_and_a_first_picture():
    explorer = wn.conv2d_explorer(dpi=20, figsize=(3, 2))
    assert isinstance(explorer, ipywidgets.VBox)
    kernel, padding, stride, dilation, size, output = parts(explorer)
    assert isinstance(kernel, ipywidgets.Dropdown) and isinstance(padding, ipywidgets.Dropdown)
    assert isinstance(stride, ipywidgets.IntSlider) and isinstance(dilation, ipywidgets.IntSlider)
    assert isinstance(size, ipywidgets.HTML) and isinstance(output, ipywidgets.Output)
    assert kernel.options == tuple(pn.standard_kernels())
    assert [label for label, _ in wn.PADDING_OPTIONS] == ["valid", "same", "0", "1", "2", "3", "4"]
    assert (stride.min, stride.max, dilation.min, dilation.max) == (1, 4, 1, 4)
    assert "output 30 × 30" in size.value                           # 32x32 scene, 3x3 kernel, no padding
    png_of(output)


def test_every_control_redraws_and_the_size_follows_the_formula():
    kernel, padding, stride, dilation, size, output = parts(
        wn.conv2d_explorer(pn.synthetic_scene(16), dpi=20, figsize=(3, 2)))
    pictures = [png_of(output)]
    kernel.value = "Gaussian blur"                                  # 5x5
    assert "output 12 × 12" in size.value
    pictures.append(png_of(output))
    padding.value = 2
    assert "output 16 × 16" in size.value
    pictures.append(png_of(output))
    stride.value = 3
    assert f"output {nn.output_size(16, 5, 3, 2)} × {nn.output_size(16, 5, 3, 2)}" in size.value
    assert "⌊(16 + 2 + 2 − 1·(5 − 1) − 1) / 3⌋ + 1" in size.value
    pictures.append(png_of(output))
    dilation.value = 2
    assert f"output {nn.output_size(16, 5, 3, 2, 2)} × " in size.value
    pictures.append(png_of(output))
    assert len(set(pictures)) == len(pictures)                      # every change drew a new picture
    assert output.outputs[0]["data"]["text/plain"] == "conv2d with Gaussian blur, stride 3, padding 2, dilation 2"


def test_invalid_settings_are_explained_and_valid_ones_restore_the_picture():
    kernel, padding, stride, dilation, size, output = parts(
        wn.conv2d_explorer(pn.synthetic_scene(8), dpi=20, figsize=(3, 2)))
    stride.value = 2
    padding.value = "same"
    assert "not allowed" in size.value and "strided" in size.value and output.outputs == ()
    stride.value = 1
    assert "output 8 × 8" in size.value
    png_of(output)
    kernel.value = "Gaussian blur"
    dilation.value = 3                                                # span 13, 'same' pads 12 zeros
    assert "output 8 × 8" in size.value
    padding.value = "valid"                                           # span 13 > 8: no window fits
    assert "not allowed" in size.value and "no output position fits" in size.value
    assert "d*(k-1)+1 = 13" in size.value and output.outputs == ()


def test_explorer_starting_values_and_custom_kernels():
    explorer = wn.conv2d_explorer(np.ones((10, 10)), {"avg": np.ones((2, 2)) / 4, "edge": [[1, -1]]},
                                  kernel="edge", stride=2, padding=np.int64(1), dilation=1, dpi=20,
                                  figsize=(3, 2))
    kernel, padding, stride, dilation, size, output = parts(explorer)
    assert kernel.options == ("avg", "edge") and kernel.value == "edge"
    assert padding.value == 1 and stride.value == 2
    assert f"output {nn.output_size(10, 1, 2, 1)} × {nn.output_size(10, 2, 2, 1)}" in size.value


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(kernel="Sobel z"), ValueError, r"kernel='Sobel z' is not one of the kernels. Acceptable kernel names"),
    (dict(padding=5), ValueError, r"padding=5 is not allowed. Acceptable padding values are 'valid', 'same', 0"),
    (dict(padding="full"), ValueError, r"padding='full' is not allowed"),
    (dict(padding=True), ValueError, r"padding=True is not allowed"),
    (dict(stride=5), ValueError, r"stride must be an integer from 1 to 4 \(the slider's range\), got 5"),
    (dict(dilation=0), ValueError, r"dilation must be an integer >= 1, got 0"),
    (dict(stride=1.0), TypeError, r"stride must be an integer >= 1, got 1.0"),
    (dict(kernels={}), TypeError, r"kernels must be a non-empty dict"),
    (dict(kernels={"big": np.ones((16, 16))}), ValueError, r"kernels\['big'\] must be at most 15x15"),
    (dict(kernels={"bad": [["a"]]}), TypeError, r"kernels\['bad'\] must hold numbers"),
    (dict(image=np.ones((300, 3))), ValueError, r"image must be at most 256x256"),
    (dict(stride=2, padding="same"), ValueError, r"the starting setting is not a valid layer: padding='same'"),
])
def test_explorer_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        wn.conv2d_explorer(**kwargs)
