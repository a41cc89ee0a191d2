"""Tests of chapter 2's figures, animation and explorer (convbook.plotting.discrete,
convbook.widgets.discrete): they build, and the numbers they draw are the convolution."""

from __future__ import annotations

import base64
import re
import sys

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.signal  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from convbook.plotting import discrete as pd  # noqa: E402
from convbook.widgets import discrete as wd  # noqa: E402
from convbook import discrete, plotting  # noqa: E402
from test_doctests import run_doctests  # noqa: E402

MODES = ("full", "same", "valid")
SMALL = dict(figsize=(5, 4), dpi=20)


def by_gid(fig, gid):
    found = [artist for ax in fig.axes for artist in ax.get_children() if artist.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} artists with gid {gid!r}"
    return found[0]


def xy(fig, gid):
    x, y = by_gid(fig, gid).get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def frames_in(page):
    return len(re.findall(r"frames\[\d+\] = ", page))


def rgba(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


sequences = st.lists(st.integers(-5, 5), min_size=1, max_size=9)


@pytest.mark.parametrize("module", [pd, wd])
def test_doctests(module):
    result = run_doctests(module)
    assert result.attempted >= 10
    assert result.failed == 0


# --------------------------------------------------------------------------
# mode_window: numpy's windows
# --------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(M=st.integers(1, 12), N=st.integers(1, 12), mode=st.sampled_from(MODES))
def test_mode_window_is_the_slice_numpy_keeps(M, N, mode):
    rng = np.random.default_rng(M * 100 + N)
    a, v = rng.integers(-9, 10, M), rng.integers(-9, 10, N)
    start, length = pd.mode_window(M, N, mode)
    full = np.convolve(a, v, "full")
    np.testing.assert_array_equal(full[start:start + length], np.convolve(a, v, mode))
    np.testing.assert_array_equal(full[start:start + length], discrete.convolve(a, v, mode))


def test_mode_window_hand_values_and_scipy_same_differs():
    assert pd.mode_window(8, 3, "full") == (0, 10)
    assert pd.mode_window(8, 3, "same") == (1, 8)
    assert pd.mode_window(8, 3, "valid") == (2, 6)
    assert pd.mode_window(8, 4, "same") == (1, 8)
    # the kernel is longer than the signal: numpy keeps max(M, N), scipy len(in1)
    assert pd.mode_window(3, 5, "same") == (1, 5)
    assert len(scipy.signal.convolve([1, 2, 3], np.ones(5), "same")) == 3


def test_mode_window_errors():
    with pytest.raises(ValueError, match=r"mode='circular' is not allowed. Acceptable mode flags are 'full', 'same', or 'valid'"):
        pd.mode_window(3, 2, "circular")
    with pytest.raises(ValueError, match=r"M must be an integer >= 1, got 0"):
        pd.mode_window(0, 2)
    with pytest.raises(TypeError, match=r"N must be an integer >= 1, got 2.0"):
        pd.mode_window(3, 2.0)


# --------------------------------------------------------------------------
# sliding_kernel_figure
# --------------------------------------------------------------------------

def test_sliding_kernel_figure_hand_example():
    a, v = [0, 1, 2, 3, 2, 1], [1, 2, -1]
    fig = pd.sliding_kernel_figure(a, v, position=3, mode="same")
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert fig._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")
    n = 4                                        # 'same' starts at (3 - 1) // 2 = 1
    k, vf = xy(fig, "kernel flipped")
    np.testing.assert_array_equal(k, [2, 3, 4])
    np.testing.assert_array_equal(vf, [-1, 2, 1])          # v[n - k] = v[2], v[1], v[0]
    k2, prods = xy(fig, "products")
    np.testing.assert_array_equal(k2, k)
    np.testing.assert_array_equal(prods, [-2, 6, 2])      # a[2..4] * v[n - k]
    y = np.convolve(a, v)
    assert prods.sum() == y[n] == 6
    xs, ys = xy(fig, "output")
    np.testing.assert_array_equal(ys, np.convolve(a, v, "same")[:4])
    np.testing.assert_array_equal(xs, np.arange(1, 5) - 1.0)   # under the kernel's centre
    (cx,), (cy,) = xy(fig, "current output")
    assert (cx, cy) == (3.0, 6.0)
    fx, fy = xy(fig, "full output")
    np.testing.assert_array_equal(fy, y)
    np.testing.assert_array_equal(fx, np.arange(len(y)) - 1.0)
    pk, pv = xy(fig, "padding")
    np.testing.assert_array_equal(pk, [-2, -1, 6, 7])
    np.testing.assert_array_equal(pv, 0)
    sk, sv = xy(fig, "signal")
    np.testing.assert_array_equal(sv, a)
    assert by_gid(fig, "sum text").get_text() == "$y[4] = (-2) + 6 + 2 = 6$"


@settings(max_examples=15, deadline=None)
@given(a=sequences, v=sequences, mode=st.sampled_from(MODES), data=st.data())
def test_sliding_kernel_figure_draws_the_convolution(a, v, mode, data):
    expected = discrete.convolve(a, v, mode)
    position = data.draw(st.integers(0, len(expected) - 1))
    fig = pd.sliding_kernel_figure(a, v, position, mode, **SMALL)
    _, products = xy(fig, "products")
    assert products.sum() == expected[position]
    _, outputs = xy(fig, "output")
    np.testing.assert_array_equal(outputs, expected[:position + 1])
    np.testing.assert_array_equal(outputs, np.convolve(a, v, mode)[:position + 1])
    # the kernel's samples are v reversed, sitting on k = n - N + 1 .. n
    k, vf = xy(fig, "kernel flipped")
    np.testing.assert_array_equal(vf, np.asarray(v)[::-1])
    start, _ = pd.mode_window(len(a), len(v), mode)
    assert k[-1] == start + position and len(k) == len(v)


def test_sliding_kernel_figure_floats_and_long_kernel():
    a, v = [0.5, -1.25], [1.0, 2.0, 3.0, 4.0, 0.1]
    for mode in MODES:
        expected = np.convolve(a, v, mode)
        fig = pd.sliding_kernel_figure(a, v, len(expected) - 1, mode, **SMALL)
        np.testing.assert_allclose(xy(fig, "output")[1], expected)
        assert xy(fig, "products")[1].sum() == pytest.approx(expected[-1])


def test_sliding_kernel_figure_errors():
    with pytest.raises(ValueError, match=r"position must be an integer in 0..5 \(one per output of mode='same', which has 6 outputs\), got 6"):
        pd.sliding_kernel_figure([1, 2, 3, 4, 5, 6], [1, 1], 6, "same")
    with pytest.raises(ValueError, match=r"position must be an integer >= 0, got -1"):
        pd.sliding_kernel_figure([1, 2], [1], -1)
    with pytest.raises(TypeError, match=r"position must be an integer >= 0, got 1.0"):
        pd.sliding_kernel_figure([1, 2], [1], 1.0)
    with pytest.raises(ValueError, match=r"mode='circular' is not allowed"):
        pd.sliding_kernel_figure([1, 2], [1], 0, "circular")
    with pytest.raises(ValueError, match=r"signal must not be empty"):
        pd.sliding_kernel_figure([], [1])
    with pytest.raises(ValueError, match=r"kernel must be 1-D, got an array of shape \(1, 2\)"):
        pd.sliding_kernel_figure([1, 2], [[1, 2]])
    with pytest.raises(TypeError, match=r"signal must hold real numbers, got \[1j, 2\] \(type list\): these pictures draw real sequences"):
        pd.sliding_kernel_figure([1j, 2], [1])
    with pytest.raises(TypeError, match=r"kernel must hold numbers \(int, float or complex\), got 'ab'"):
        pd.sliding_kernel_figure([1, 2], "ab")
    with pytest.raises(ValueError, match=r"signal must hold finite numbers \(no nan or inf\)"):
        pd.sliding_kernel_figure([1, np.nan], [1])
    with pytest.raises(ValueError, match=r"signal must have at most 400 samples for a readable picture, got 401"):
        pd.sliding_kernel_figure(np.ones(401), [1])
    with pytest.raises(OverflowError, match=r"kernel holds numbers too large to draw"):
        pd.sliding_kernel_figure([1], [10**400])
    with pytest.raises(ValueError, match=r"dpi must be a positive number, got 0.0"):
        pd.sliding_kernel_figure([1, 2], [1], dpi=0)
    with pytest.raises(ValueError, match=r"figsize must be a pair \(width, height\) in inches, got 3"):
        pd.sliding_kernel_figure([1, 2], [1], figsize=3)


# --------------------------------------------------------------------------
# sliding_kernel_animation: the static twin
# --------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_animation_has_one_frame_per_output_and_no_other_host(mode):
    a, v = [0, 1, 2, 3, 2, 1, 0], [1, 0, -1]
    anim = pd.sliding_kernel_animation(a, v, mode, figsize=(4, 3.2), dpi=20)
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim, alt="a kernel sliding")
    assert "://" not in page
    assert frames_in(page) == len(np.convolve(a, v, mode))
    # after the last frame every output of the mode is drawn, and they are the convolution
    _, outputs = xy(anim._fig, "output")
    np.testing.assert_array_equal(outputs, discrete.convolve(a, v, mode))


def test_animation_frame_looks_like_the_static_figure():
    a, v = [0, 1, 2, 3, 2, 1, 0, -1], [1, 2, -1]
    options = dict(figsize=(6, 5), dpi=40)
    anim = pd.sliding_kernel_animation(a, v, "same", **options)
    plotting.animation_html(anim)                  # leaves the figure at the last position
    frame = rgba(anim._fig)
    static = rgba(pd.sliding_kernel_figure(a, v, 7, "same", **options))
    assert frame.shape == static.shape
    differ = np.any(np.abs(frame - static) > 40, axis=-1)
    assert differ.mean() < 0.01


def test_animation_errors():
    with pytest.raises(ValueError, match=r"mode='full' has 202 outputs, one frame each; .* at most 200 frames"):
        pd.sliding_kernel_animation(np.ones(200), np.ones(3))
    with pytest.raises(ValueError, match=r"interval must be a positive number, got -5.0"):
        pd.sliding_kernel_animation([1, 2], [1], interval=-5)
    with pytest.raises(ValueError, match=r"mode='wrap' is not allowed"):
        pd.sliding_kernel_animation([1, 2], [1], "wrap")


# --------------------------------------------------------------------------
# modes_figure
# --------------------------------------------------------------------------

@pytest.mark.parametrize("M, N", [(8, 3), (8, 4), (3, 5), (1, 1), (6, 6)])
def test_modes_figure_counts_the_outputs_of_each_mode(M, N):
    fig = pd.modes_figure(M, N, **SMALL)
    assert len(fig.axes) == 3
    for ax, mode in zip(fig.axes, MODES):
        assert ax.get_title().startswith(f"mode='{mode}'")
        expected = len(np.convolve(np.ones(M), np.ones(N), mode))
        assert len(by_gid(fig, f"output {mode}").get_paths()) == expected
        assert f"{expected} outputs" in ax.get_title()
        assert len(by_gid(fig, f"signal {mode}").get_paths()) == M
        assert len(by_gid(fig, f"first {mode}").get_paths()) == N
        assert len(by_gid(fig, f"last {mode}").get_paths()) == N
    # 'valid' touches no padding unless the kernel is longer (then N - M zeros on each side);
    # 'full' touches N - 1 zeros on each side
    assert len(by_gid(fig, "padding valid").get_paths()) == 2 * max(0, N - M)
    assert len(by_gid(fig, "padding full").get_paths()) == 2 * (N - 1)


def test_modes_figure_errors():
    with pytest.raises(ValueError, match=r"M must be an integer >= 1, got 0"):
        pd.modes_figure(0, 3)
    with pytest.raises(TypeError, match=r"N must be an integer >= 1, got '3'"):
        pd.modes_figure(5, "3")
    with pytest.raises(ValueError, match=r"N must be an integer in 1..400 for a readable picture, got 500"):
        pd.modes_figure(5, 500)


# --------------------------------------------------------------------------
# antidiagonal_figure
# --------------------------------------------------------------------------

@settings(max_examples=12, deadline=None)
@given(a=sequences, v=sequences, data=st.data())
def test_antidiagonal_figure_sums_to_the_convolution(a, v, data):
    n = data.draw(st.integers(0, len(a) + len(v) - 2))
    fig = pd.antidiagonal_figure(a, v, n, **SMALL)
    U = np.asarray(by_gid(fig, "U").get_array())
    np.testing.assert_array_equal(U, np.outer(v, a))          # rows j (v), columns k (a)
    k, j = xy(fig, "antidiagonal")
    np.testing.assert_array_equal(k + j, n)
    assert U[j.astype(int), k.astype(int)].sum() == discrete.convolve(a, v)[n]
    _, y = xy(fig, "output")
    np.testing.assert_array_equal(y, discrete.convolve(a, v))
    assert xy(fig, "current output")[1][0] == y[n]


def test_antidiagonal_figure_default_and_errors():
    fig = pd.antidiagonal_figure([1, 2, 3], [1, 1, 1])
    assert xy(fig, "current output")[0][0] == 2               # the middle anti-diagonal
    with pytest.raises(ValueError, match=r"n must be an integer in 0..4 \(the anti-diagonals of a 3 x 3 grid\), got 5"):
        pd.antidiagonal_figure([1, 2, 3], [1, 1, 1], 5)
    with pytest.raises(TypeError, match=r"n must be an integer >= 0, got 'a'"):
        pd.antidiagonal_figure([1, 2, 3], [1, 1, 1], "a")
    with pytest.raises(ValueError, match=r"cmap='nope' is not a matplotlib colour map"):
        pd.antidiagonal_figure([1], [1], cmap="nope")
    with pytest.raises(ValueError, match=r"v must not be empty"):
        pd.antidiagonal_figure([1], [])


# --------------------------------------------------------------------------
# toeplitz_figure
# --------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n", [2, 5])
def test_toeplitz_figure_draws_the_convolution_matrix(mode, n):
    a = [1, 2, 3]
    x = np.arange(1, n + 1) * (-1) ** np.arange(n)
    fig = pd.toeplitz_figure(a, n, mode, x=x, **SMALL)
    A = np.asarray(by_gid(fig, "matrix").get_array())
    np.testing.assert_array_equal(A, discrete.convolution_matrix(a, n, mode))
    np.testing.assert_array_equal(A, scipy.linalg.convolution_matrix(a, n, mode))
    np.testing.assert_array_equal(np.asarray(by_gid(fig, "x").get_array())[:, 0], x)
    y = np.asarray(by_gid(fig, "y").get_array())[:, 0]
    np.testing.assert_array_equal(y, np.convolve(a, x, mode))
    np.testing.assert_array_equal(y, A @ x)
    # Toeplitz: constant along every diagonal
    assert np.all(A[1:, 1:] == A[:-1, :-1])


def test_toeplitz_figure_annotations():
    fig = pd.toeplitz_figure([1, -2], 3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(texts) == sorted(["1", "1", "1", "-2", "-2", "-2"])   # zeros are left blank
    assert not pd.toeplitz_figure([1, -2], 3, annotate=False).axes[0].texts
    assert not pd.toeplitz_figure([1, -2], 20).axes[0].texts       # 21 rows: too many to annotate


def test_toeplitz_figure_errors():
    with pytest.raises(ValueError, match=r"x must have n = 3 samples \(the matrix has 3 columns\), got 2"):
        pd.toeplitz_figure([1, 2], 3, x=[1, 2])
    with pytest.raises(TypeError, match=r"annotate must be True or False, got 1"):
        pd.toeplitz_figure([1, 2], 3, annotate=1)
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 0"):
        pd.toeplitz_figure([1, 2], 0)
    with pytest.raises(ValueError, match=r"n must be an integer in 1..400 for a readable picture, got 401"):
        pd.toeplitz_figure([1, 2], 401)
    with pytest.raises(ValueError, match=r"mode='periodic' is not allowed"):
        pd.toeplitz_figure([1, 2], 3, "periodic")
    with pytest.raises(TypeError, match=r"x must hold real numbers"):
        pd.toeplitz_figure([1, 2], 2, x=[1j, 1])
    with pytest.raises(ValueError, match=r"cmap='RdBlu' is not a matplotlib colour map"):
        pd.toeplitz_figure([1, 2], 2, cmap="RdBlu")


# --------------------------------------------------------------------------
# wraparound_figure
# --------------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(a=sequences, v=sequences, extra=st.integers(0, 12))
def test_wraparound_figure_is_the_circular_convolution(a, v, extra):
    n = max(len(a), len(v)) + extra
    fig = pd.wraparound_figure(a, v, n, **SMALL)
    _, circ = xy(fig, "circular")
    np.testing.assert_array_equal(circ, discrete.circular_convolve(a, v, n))
    spectral = np.fft.ifft(np.fft.fft(a, n) * np.fft.fft(v, n)).real
    np.testing.assert_allclose(circ, spectral, atol=1e-9)
    y = np.convolve(a, v)
    i, head = xy(fig, "linear")
    j, tail = xy(fig, "tail")
    np.testing.assert_array_equal(np.concatenate([head, tail]), y)
    np.testing.assert_array_equal(np.concatenate([i, j]), np.arange(len(y)))
    assert len(tail) == max(0, len(y) - n)
    # the stacked bars add up to the circular result
    patches = fig.axes[1].patches
    heights = np.array([[p.get_height() for p in patches if p.get_gid() == gid]
                        for gid in ("head", "wrapped")])
    np.testing.assert_allclose(heights.sum(axis=0), circ)


def test_wraparound_figure_default_period_and_no_wrap():
    fig = pd.wraparound_figure([1, 2, 3], [1, 1, 1])
    np.testing.assert_array_equal(xy(fig, "circular")[1], [6, 6, 6])
    assert "the last 2 samples wrap around" in fig.axes[1].get_title()
    fig = pd.wraparound_figure([1, 2, 3], [1, 1, 1], n=5)
    assert "nothing wraps" in fig.axes[1].get_title()
    np.testing.assert_array_equal(xy(fig, "circular")[1], np.convolve([1, 2, 3], [1, 1, 1]))


def test_wraparound_figure_errors():
    with pytest.raises(ValueError, match=r"n must be None or an integer >= max\(len\(a\), len\(v\)\) = 3, got 2"):
        pd.wraparound_figure([1, 2, 3], [1], 2)
    with pytest.raises(TypeError, match=r"n must be None or an integer >= max\(len\(a\), len\(v\)\) = 3, got 4.0"):
        pd.wraparound_figure([1, 2, 3], [1], 4.0)
    with pytest.raises(ValueError, match=r"n must be at most 800 for a readable picture, got 801"):
        pd.wraparound_figure([1, 2, 3], [1], 801)
    with pytest.raises(TypeError, match=r"v must hold real numbers"):
        pd.wraparound_figure([1, 2, 3], [1j])


# --------------------------------------------------------------------------
# convergence_figure
# --------------------------------------------------------------------------

def test_convergence_figure_fits_the_slopes():
    hs = np.array([0.1, 0.05, 0.025, 0.0125])
    fig = pd.convergence_figure(hs, {"O(h)": 3 * hs, "O(h^2)": 0.5 * hs**2}, title="rates")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log" and ax.get_title() == "rates"
    np.testing.assert_array_equal(xy(fig, "O(h)")[1], 3 * hs)
    assert by_gid(fig, "O(h) fit").get_label() == "O(h): slope 1.00"
    assert by_gid(fig, "O(h^2) fit").get_label() == "O(h^2): slope 2.00"
    x, y = xy(fig, "O(h^2) fit")
    np.testing.assert_allclose(y, 0.5 * x**2, rtol=1e-9)


def test_convergence_figure_errors():
    with pytest.raises(ValueError, match=r"hs must hold at least two finite positive steps"):
        pd.convergence_figure([0.1], {"e": [1.0]})
    with pytest.raises(ValueError, match=r"hs must hold at least two finite positive steps"):
        pd.convergence_figure([0.1, -0.1], {"e": [1.0, 2.0]})
    with pytest.raises(TypeError, match=r"hs must hold real numbers"):
        pd.convergence_figure([0.1j, 0.2], {"e": [1.0, 2.0]})
    with pytest.raises(TypeError, match=r"errors must be a non-empty dict \{label: errors\}, got \[1, 2\]"):
        pd.convergence_figure([0.1, 0.2], [1, 2])
    with pytest.raises(ValueError, match=r"errors\['e'\] must have one error per step \(2\), got 3"):
        pd.convergence_figure([0.1, 0.2], {"e": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"errors\['e'\] must hold finite positive errors \(log-log axes\)"):
        pd.convergence_figure([0.1, 0.2], {"e": [0.0, 2.0]})
    with pytest.raises(TypeError, match=r"errors\['e'\] must hold real numbers"):
        pd.convergence_figure([0.1, 0.2], {"e": [1j, 2.0]})


# --------------------------------------------------------------------------
# discrete_explorer, with the real ipywidgets
# --------------------------------------------------------------------------

def png_of(output):
    (item,) = output.outputs
    assert item["output_type"] == "display_data"
    return base64.b64decode(item["data"]["image/png"])


def parts(explorer):
    (signal_box, kernel_box), (mode, slider) = (box.children for box in explorer.children[:2])
    message, output = explorer.children[2:]
    return signal_box, kernel_box, mode, slider, message, output


def test_explorer_builds_its_controls():
    explorer = wd.discrete_explorer([0, 1, 2, 3, 2, 1], [1, 0, -1], "same", 2, **SMALL)
    assert isinstance(explorer, ipywidgets.VBox)
    signal_box, kernel_box, mode, slider, message, output = parts(explorer)
    assert isinstance(signal_box, ipywidgets.Text) and signal_box.value == "0, 1, 2, 3, 2, 1"
    assert isinstance(kernel_box, ipywidgets.Text) and kernel_box.value == "1, 0, -1"
    assert isinstance(mode, ipywidgets.Dropdown) and list(mode.options) == list(MODES)
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.min, slider.max, slider.value) == (0, 5, 2)
    assert slider.continuous_update is False
    assert isinstance(message, ipywidgets.HTML) and message.value == ""
    assert png_of(output).startswith(b"\x89PNG\r\n\x1a\n")


def test_moving_the_slider_redraws_the_picture():
    a, v = [0, 1, 2, 3, 2, 1], [1, 0, -1]
    explorer = wd.discrete_explorer(a, v, "full", 0, continuous_update=True, **SMALL)
    *_, slider, _, output = parts(explorer)
    assert slider.continuous_update is True
    before = png_of(output)
    slider.value = 4
    after = png_of(output)
    assert after.startswith(b"\x89PNG") and after != before
    y = np.convolve(a, v)
    assert output.outputs[0]["data"]["text/plain"] == (
        f"sliding kernel, mode='full', position 4 (n = 4): y[n] = {y[4]}")
    slider.value = 0                                   # back: the same picture again
    assert png_of(output) == before


def test_changing_the_mode_resets_the_slider_and_redraws():
    a, v = [1, 2, 3, 4, 5, 6], [1, 1, 1]
    explorer = wd.discrete_explorer(a, v, "full", 7, **SMALL)
    *_, mode, slider, _, output = parts(explorer)
    assert slider.max == 7
    mode.value = "valid"                               # 4 outputs: position 7 no longer exists
    assert (slider.max, slider.value) == (3, 3)
    assert output.outputs[0]["data"]["text/plain"] == (
        f"sliding kernel, mode='valid', position 3 (n = 5): y[n] = {np.convolve(a, v, 'valid')[3]}")
    mode.value = "same"
    assert (slider.max, slider.value) == (5, 3)        # the position is kept when it exists
    assert output.outputs[0]["data"]["text/plain"].startswith("sliding kernel, mode='same', position 3 (n = 4)")


def test_typing_sequences_updates_the_picture_and_bad_text_is_reported():
    explorer = wd.discrete_explorer([1, 2, 3], [1, 1], **SMALL)
    signal_box, kernel_box, _, slider, message, output = parts(explorer)
    signal_box.value = "[1, 2, 3, 4, 5, 6, 7]"
    assert slider.max == 7 and message.value == ""
    kernel_box.value = "0.5 0.5"
    slider.value = 7
    assert output.outputs[0]["data"]["text/plain"] == (
        "sliding kernel, mode='full', position 7 (n = 7): y[n] = 3.5")
    picture = png_of(output)
    kernel_box.value = "1, x"
    assert "&#x27;x&#x27; is not a number" in message.value or "'x' is not a number" in message.value
    assert png_of(output) == picture                   # the picture is left as it was
    kernel_box.value = "1, -1"
    assert message.value == ""
    assert output.outputs[0]["data"]["text/plain"].endswith("y[n] = -7")


def test_parse_sequence():
    assert wd.parse_sequence("s", "1,2 ,3").tolist() == [1, 2, 3]
    assert wd.parse_sequence("s", "(1; -2.5)").dtype == np.float64
    assert wd.parse_sequence("s", " 7 ").tolist() == [7]
    assert wd.parse_sequence("s", str(2**70)).tolist() == [float(2**70)]
    with pytest.raises(ValueError, match=r"s: type at least one number, e.g. 1, 2, -1."):
        wd.parse_sequence("s", " [ ] ")
    with pytest.raises(ValueError, match=r"s: 'nan' is not a number"):
        wd.parse_sequence("s", "1, nan")
    with pytest.raises(ValueError, match=r"s: at most 400 numbers for a readable picture, got 401"):
        wd.parse_sequence("s", " ".join(["1"] * 401))
    with pytest.raises(TypeError, match=r"s must be a string of numbers, got \[1, 2\] \(type list\)"):
        wd.parse_sequence("s", [1, 2])


def test_explorer_errors():
    with pytest.raises(ValueError, match=r"position must be an integer in 0..2 \(one per output of mode='valid', which has 3 outputs\), got 3"):
        wd.discrete_explorer([1, 2, 3, 4], [1, 1], "valid", 3)
    with pytest.raises(TypeError, match=r"position must be an integer >= 0, got 0.5"):
        wd.discrete_explorer([1, 2], [1], position=0.5)
    with pytest.raises(ValueError, match=r"mode='circular' is not allowed"):
        wd.discrete_explorer([1, 2], [1], "circular")
    with pytest.raises(TypeError, match=r"continuous_update must be True or False, got 'yes'"):
        wd.discrete_explorer([1, 2], [1], continuous_update="yes")
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'colour'. Acceptable figure options are dpi, figsize"):
        wd.discrete_explorer([1, 2], [1], colour="red")
    with pytest.raises(TypeError, match=r"signal must hold real numbers"):
        wd.discrete_explorer([1j], [1])
    with pytest.raises(ValueError, match=r"dpi must be a positive number, got -1.0"):
        wd.discrete_explorer([1, 2], [1], dpi=-1)


def test_missing_ipywidgets_gives_an_install_hint(monkeypatch):
    # None in sys.modules makes `import ipywidgets` fail, as when it is not installed
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r"needs the package 'ipywidgets'.*pip install ipywidgets"):
        wd.discrete_explorer([1, 2], [1])
