"""Tests of the chapter 4 figures (convbook.plotting.fourier) and explorers (convbook.widgets.fourier)."""

from __future__ import annotations

import base64
import re
import sys

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from convbook import discrete, fourier, plotting  # noqa: E402
from convbook.plotting import fourier as pf  # noqa: E402
from convbook.plotting.fourier.cooley_tukey import _fmt_complex  # noqa: E402
from convbook.widgets import fourier as wf  # noqa: E402
from test_doctests import run_doctests  # noqa: E402


def by_gid(fig, gid):
    found = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert found, f"no artist with gid {gid!r}"
    return found


def bar_heights(fig, gid):
    """Heights of the bars (rectangles) with the given gid, left to right."""
    bars = [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]
    assert bars, f"no bars with gid {gid!r}"
    return np.array([p.get_height() for p in sorted(bars, key=lambda p: p.get_x())])


def has_bars(fig, gid):
    return any(p.get_gid() == gid for ax in fig.axes for p in ax.patches)


def frames_in(page):
    return len(re.findall(r"frames\[\d+\] = ", page))


def png_of(output):
    (item,) = output.outputs
    assert item["output_type"] == "display_data"
    return base64.b64decode(item["data"]["image/png"])


def bit_reverse(i, n):
    bits = n.bit_length() - 1
    return int(format(i, f"0{bits}b")[::-1], 2) if bits else 0


# --------------------------------------------------------------------------
# docstrings
# --------------------------------------------------------------------------

@pytest.mark.parametrize("module", [pf, wf])
def test_doctests(module):
    result = run_doctests(module)
    assert result.attempted >= 10
    assert result.failed == 0


def test_every_public_name_has_a_docstring():
    for module in (pf, wf):
        for name in module.__all__:
            assert getattr(module, name).__doc__.strip(), name


# --------------------------------------------------------------------------
# roots of unity and the rows of W
# --------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 64), power=st.integers(-100, 100))
def test_roots_and_the_path_of_a_row_of_W(n, power):
    fig = pf.roots_of_unity_figure(n, power=power)
    assert isinstance(fig, Figure)
    (points,) = by_gid(fig, "roots")
    angles = -2 * np.pi * np.arange(n) / n
    assert np.allclose(np.asarray(points.get_offsets(), float),
                       np.column_stack([np.cos(angles), np.sin(angles)]))
    paths = [a for a in fig.axes[0].get_lines() if a.get_gid() == "path"]
    if power % n == 0:
        assert paths == []                          # row 0 (mod n) stays at 1
    else:
        (path,) = paths
        row = fourier.dft_matrix(n)[power % n]
        walk = path.get_xdata() + 1j * path.get_ydata()
        assert np.allclose(walk[:-1], row, atol=1e-12)     # the row of W, in order...
        assert np.isclose(walk[-1], 1)                     # ...back at 1 after n steps


def test_roots_figure_draws_into_given_axes_and_is_clockwise():
    fig = Figure()
    ax = fig.subplots()
    assert pf.roots_of_unity_figure(4, ax=ax) is fig
    (points,) = by_gid(fig, "roots")
    assert np.allclose(np.asarray(points.get_offsets(), float)[1], [0, -1])   # omega^1 = -i
    assert "row $j = 1$" in pf.roots_of_unity_figure(4).axes[0].get_title()


def test_roots_errors():
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 0"):
        pf.roots_of_unity_figure(0)
    with pytest.raises(ValueError, match=r"n must be an integer between 1 and 64 for a readable figure, got 65"):
        pf.roots_of_unity_figure(65)
    with pytest.raises(TypeError, match=r"n must be an integer >= 1, got 8.0"):
        pf.roots_of_unity_figure(8.0)
    with pytest.raises(TypeError, match=r"power must be an integer, got '3'"):
        pf.roots_of_unity_figure(8, power="3")
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes, got 3"):
        pf.roots_of_unity_figure(8, ax=3)


def test_dft_rows_are_the_rows_of_W():
    n, rows = 12, (0, 1, 5, 11)
    fig = pf.dft_rows_figure(n, rows=rows)
    assert len(fig.axes) == len(rows)
    W = fourier.dft_matrix(n)
    for j in rows:
        (real,) = by_gid(fig, f"real {j}")
        (imag,) = by_gid(fig, f"imag {j}")
        assert np.allclose(real.get_ydata(), W[j].real, atol=1e-12)
        assert np.allclose(imag.get_ydata(), W[j].imag, atol=1e-12)
    assert pf.dft_rows_figure(4, rows=[2], figsize=(3, 2), dpi=20).get_size_inches().tolist() == [3, 2]


def test_dft_rows_errors():
    with pytest.raises(ValueError, match=r"n must be an integer >= 2, got 1"):
        pf.dft_rows_figure(1)
    with pytest.raises(ValueError, match=r"n must be an integer between 2 and 64 .*got 100"):
        pf.dft_rows_figure(100)
    with pytest.raises(TypeError, match=r"rows must be a sequence of integers, got 3"):
        pf.dft_rows_figure(8, rows=3)
    with pytest.raises(TypeError, match=r"rows must be a sequence of integers, got 'ab'"):
        pf.dft_rows_figure(8, rows="ab")
    with pytest.raises(ValueError, match=r"rows must hold 1 to 8 row indices, got 0"):
        pf.dft_rows_figure(8, rows=())
    with pytest.raises(ValueError, match=r"rows must hold 1 to 8 row indices, got 9"):
        pf.dft_rows_figure(16, rows=range(9))
    with pytest.raises(ValueError, match=r"rows\[1\] must be a row index between 0 and 7, got 8"):
        pf.dft_rows_figure(8, rows=(1, 8))
    with pytest.raises(TypeError, match=r"rows\[0\] must be an integer >= 0, got 1.5"):
        pf.dft_rows_figure(8, rows=(1.5,))
    with pytest.raises(ValueError, match=r"figsize must be a pair"):
        pf.dft_rows_figure(8, figsize=3)


# --------------------------------------------------------------------------
# wrap-around
# --------------------------------------------------------------------------

def test_wraparound_by_hand():
    # a = (1, 2, 3), v = (1, 1, 1): linear (1, 3, 6, 5, 3), K = 5; length 4 wraps y_4 = 3 onto y_0
    fig = pf.wraparound_figure([1, 2, 3], [1, 1, 1], 4)
    assert len(fig.axes) == 2
    assert np.allclose(bar_heights(fig, "linear"), [1, 3, 6, 5, 3])
    assert np.allclose(bar_heights(fig, "head"), [1, 3, 6, 5])
    assert np.allclose(bar_heights(fig, "wrapped"), [3, 0, 0, 0])
    (dots,) = by_gid(fig, "circular")
    assert np.allclose(dots.get_ydata(), [4, 3, 6, 5])
    assert "1 output corrupted" in fig.axes[1].get_title()
    assert "$L = 4$" in fig.axes[1].get_title()


@settings(max_examples=30, deadline=None)
@given(a=st.lists(st.integers(-9, 9), min_size=1, max_size=12),
       v=st.lists(st.integers(-9, 9), min_size=1, max_size=12),
       extra=st.integers(0, 30))
def test_wraparound_figure_is_the_fold_of_the_linear_convolution(a, v, extra):
    M, N = len(a), len(v)
    K = M + N - 1
    n = max(M, N) + extra % (2 * K + 9 - max(M, N))
    fig = pf.wraparound_figure(a, v, n, dpi=20)
    y = np.convolve(a, v)
    (dots,) = by_gid(fig, "circular")
    assert np.allclose(dots.get_ydata(), discrete.circular_convolve(a, v, n=n), atol=1e-9)
    head = bar_heights(fig, "head")
    assert np.allclose(head[:min(n, K)], y[:min(n, K)]) and np.all(head[K:] == 0)
    if n < K:
        wrapped = bar_heights(fig, "wrapped")
        assert np.allclose(wrapped[:K - n], y[n:]) and np.all(wrapped[K - n:] == 0)
        assert f"{K - n} output" in fig.axes[1].get_title()
    else:
        assert not has_bars(fig, "wrapped")
        assert "no wrap-around" in fig.axes[1].get_title()


def test_wraparound_errors():
    with pytest.raises(ValueError, match=r"n must be an integer >= max\(len\(a\), len\(v\)\) = 5, got 4"):
        pf.wraparound_figure([1, 2, 3, 4, 5], [1, 1], 4)
    with pytest.raises(ValueError, match=r"n must be at most 2 \* \(len\(a\) \+ len\(v\) - 1\) \+ 8 = 20 .*got 21"):
        pf.wraparound_figure([1, 2, 3], [1, 1, 1, 1], 21)
    with pytest.raises(TypeError, match=r"n must be an integer >= 1, got 4.0"):
        pf.wraparound_figure([1, 2], [1], 4.0)
    with pytest.raises(TypeError, match=r"a must hold real numbers, got \[1j\]"):
        pf.wraparound_figure([1j], [1], 2)
    with pytest.raises(ValueError, match=r"v must hold finite numbers"):
        pf.wraparound_figure([1.0], [np.nan], 2)
    with pytest.raises(ValueError, match=r"a must be 1-D"):
        pf.wraparound_figure([[1, 2]], [1], 2)
    with pytest.raises(ValueError, match=r"v must not be empty"):
        pf.wraparound_figure([1], [], 2)
    with pytest.raises(TypeError, match=r"a must hold numbers"):
        pf.wraparound_figure(["x"], [1], 2)
    with pytest.raises(ValueError, match=r"len\(a\) must be at most 400 for a readable figure, got 401"):
        pf.wraparound_figure(np.ones(401), [1], 401)
    with pytest.raises(OverflowError, match=r"a holds a value too large for float64"):
        pf.wraparound_figure(np.array([10**400], dtype=object), [1], 2)


def test_wraparound_animation_one_frame_per_length_fixed_axis():
    anim = pf.wraparound_animation([1, 1, 1, 1], [1, 2, 3], dpi=20, figsize=(4, 3))
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim)
    assert frames_in(page) == 4                            # lengths 4, 5, 6, 7 (up to K + 1)
    anim = pf.wraparound_animation([1, 1, 1, 1], [1, 2, 3], lengths=[4, 9], dpi=20, figsize=(4, 3))
    anim._func(0)                                          # draw the shortest frame
    assert anim._fig.axes[1].get_xlim()[1] == pytest.approx(9 - 0.2)   # the axis of the longest
    assert frames_in(plotting.animation_html(anim)) == 2


def test_wraparound_animation_errors():
    with pytest.raises(TypeError, match=r"lengths must be a sequence of integers, got 5"):
        pf.wraparound_animation([1, 2], [1], lengths=5)
    with pytest.raises(ValueError, match=r"lengths must hold 1 to 60 transform lengths .*got 0"):
        pf.wraparound_animation([1, 2], [1], lengths=[])
    with pytest.raises(ValueError, match=r"lengths must hold 1 to 60 .*got 61"):
        pf.wraparound_animation(np.ones(40), [1], lengths=[40] * 61)
    with pytest.raises(ValueError, match=r"n must be an integer >= max\(len\(a\), len\(v\)\) = 2, got 1"):
        pf.wraparound_animation([1, 2], [1], lengths=[2, 1])
    with pytest.raises(ValueError, match=r"interval must be a positive number, got 0.0"):
        pf.wraparound_animation([1, 2], [1], interval=0)


# --------------------------------------------------------------------------
# butterflies
# --------------------------------------------------------------------------

complex_numbers = st.complex_numbers(max_magnitude=1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(p=st.integers(0, 6), data=st.data())
def test_butterfly_steps_compute_the_dft_stage_by_stage(p, data):
    n = 2**p
    x = np.array(data.draw(st.lists(complex_numbers, min_size=n, max_size=n)), dtype=complex)
    trace = pf.butterfly_steps(x)
    assert trace.order.tolist() == [bit_reverse(i, n) for i in range(n)]
    assert np.array_equal(trace.start, x[trace.order])
    assert len(trace.steps) == (n // 2) * p
    final = trace.steps[-1].values if trace.steps else trace.start
    scale = max(1.0, float(np.max(np.abs(x))) * n)
    assert np.allclose(final, np.fft.fft(x), atol=1e-12 * scale)
    previous = trace.start
    for i, step in enumerate(trace.steps):
        m = step.size
        assert m == 2**step.stage and step.bottom == step.top + m // 2 and step.k == step.top % m
        w = np.exp(-2j * np.pi * step.k / m)
        expected = previous.copy()
        expected[step.top] = previous[step.top] + w * previous[step.bottom]
        expected[step.bottom] = previous[step.top] - w * previous[step.bottom]
        assert np.allclose(step.values, expected, atol=1e-12 * scale)     # one butterfly, nothing else
        previous = step.values
        last_of_stage = i + 1 == len(trace.steps) or trace.steps[i + 1].stage != step.stage
        if last_of_stage:
            # after stage s, block g of the wires holds the DFT of length m of x[r::n/m]
            for g in range(0, n, m):
                r = trace.order[g]
                assert np.allclose(step.values[g:g + m], np.fft.fft(x[r::n // m]), atol=1e-12 * scale)


def test_butterfly_steps_agree_with_the_package_ffts():
    x = np.random.default_rng(0).standard_normal(64)
    final = pf.butterfly_steps(x).steps[-1].values
    assert np.allclose(final, fourier.fft_iterative(x))
    assert np.allclose(final, fourier.fft_recursive(x))
    assert np.allclose(pf.butterfly_steps([5]).start, [5])


def test_butterfly_steps_errors():
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two, got 6"):
        pf.butterfly_steps(np.ones(6))
    with pytest.raises(ValueError, match=r"len\(x\) must be at most 1024 .*got 2048"):
        pf.butterfly_steps(np.ones(2048))
    with pytest.raises(TypeError, match=r"x must hold numbers"):
        pf.butterfly_steps(["a", "b"])
    with pytest.raises(ValueError, match=r"x must not be empty"):
        pf.butterfly_steps([])
    with pytest.raises(ValueError, match=r"x must be 1-D"):
        pf.butterfly_steps(np.ones((2, 2)))


def test_butterfly_figure_network_and_steps():
    fig = pf.butterfly_figure(n=8)
    nodes = [a for a in fig.axes[0].get_lines() if (a.get_gid() or "").startswith("node ")]
    assert len(nodes) == 4 * 8                             # log2(8) + 1 columns of 8 nodes
    assert not [a for a in fig.axes[0].get_lines() if a.get_gid() == "active"]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "$x_{4}$" in texts and "$X_{7}$" in texts and "$\\omega_{8}^{3}$" in texts
    assert texts.count("$-$") == 12                        # one minus sign per butterfly

    x = [1, 1, 1, 1, 0, 0, 0, 0]
    fig0 = pf.butterfly_figure(x, step=0)
    filled = lambda f: sum(1 for a in f.axes[0].get_lines()  # noqa: E731
                           if (a.get_gid() or "").startswith("node ") and a.get_color() != "white")
    assert filled(fig0) == 8                               # only the inputs are known
    fig5 = pf.butterfly_figure(x, step=5)
    assert filled(fig5) == 8 + 2 * 5
    assert len(by_gid(fig5, "active")) == 4                # the last butterfly: 4 red lines
    assert "butterfly 5 of 12 (stage 2)" in fig5.axes[0].get_title()
    full = pf.butterfly_figure(x)
    values = {t.get_text() for t in full.axes[0].texts}
    assert {"4", "1-2.41i", "1+0.41i"} <= values           # the DFT is written on the right
    assert "X = \\mathrm{DFT}(x)" in full.axes[0].get_title()
    assert len(pf.butterfly_figure(n=2).axes[0].texts) > 0


def test_fmt_complex():
    assert [_fmt_complex(z) for z in (4, -2 + 2j, 1j, -1j, 0, -0.0 - 0.001j, 1.5 - 0.25j)] == [
        "4", "-2+2i", "i", "-i", "0", "0", "1.5-0.25i"]


def test_butterfly_figure_errors():
    with pytest.raises(ValueError, match=r"n must be a power of two between 2 and 16 .*got 6"):
        pf.butterfly_figure(n=6)
    with pytest.raises(ValueError, match=r"n must be a power of two between 2 and 16 .*got 32"):
        pf.butterfly_figure(n=32)
    with pytest.raises(ValueError, match=r"n must be an integer >= 2, got 1"):
        pf.butterfly_figure(n=1)
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two between 2 and 16 .*got 32"):
        pf.butterfly_figure(np.ones(32))
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two between 2 and 16 .*got 1"):
        pf.butterfly_figure([1])
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two, got 3"):
        pf.butterfly_figure([1, 2, 3])
    with pytest.raises(ValueError, match=r"step must be an integer between 0 and 12 for n = 8, got 13"):
        pf.butterfly_figure(n=8, step=13)
    with pytest.raises(ValueError, match=r"step must be an integer >= 0, got -1"):
        pf.butterfly_figure(n=8, step=-1)
    with pytest.raises(TypeError, match=r"step must be an integer >= 0, got 1.5"):
        pf.butterfly_figure(n=8, step=1.5)
    with pytest.raises(ValueError, match=r"dpi must be a positive number"):
        pf.butterfly_figure(n=8, dpi=-1)


def test_butterfly_animation_one_frame_per_butterfly():
    anim = pf.butterfly_animation([1, 2, 3, 4], dpi=20, figsize=(4, 3))
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim)
    assert frames_in(page) == 4 + 1 and "://" not in page          # one per butterfly, and the start
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two, got 5"):
        pf.butterfly_animation(np.ones(5))
    with pytest.raises(ValueError, match=r"interval must be a positive number, got 0.0"):
        pf.butterfly_animation([1, 2], interval=0)


# --------------------------------------------------------------------------
# log-log figure
# --------------------------------------------------------------------------

def test_loglog_figure_series_and_crossover():
    n = np.array([8.0, 64, 512])
    fig = pf.loglog_figure(n, {"a": n**2, "b": n * 3},
                           predicted={"a": n**2 * 1.1, "c": (n * 2, "my text")},
                           crossover=30, crossover_label="here", title="t", ylabel="y")
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines()}
    assert set(lines) == {"measured a", "measured b", "predicted a", "predicted c", "crossover"}
    assert np.allclose(lines["measured a"].get_ydata(), n**2)
    assert lines["predicted a"].get_color() == lines["measured a"].get_color()
    assert lines["predicted c"].get_color() not in (lines["measured a"].get_color(),
                                                    lines["measured b"].get_color())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a", "b", "a (predicted)", "my text", "here"]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert np.allclose(lines["crossover"].get_xdata(), 30)
    assert ax.get_title() == "t" and ax.get_ylabel() == "y"


def test_loglog_figure_errors():
    n = [1, 2, 3]
    with pytest.raises(ValueError, match=r"x must hold at least two sizes, got 1"):
        pf.loglog_figure([1], {"a": [1]})
    with pytest.raises(ValueError, match=r"x must hold positive sizes"):
        pf.loglog_figure([0, 1], {"a": [1, 2]})
    with pytest.raises(TypeError, match=r"measured must be a non-empty dict"):
        pf.loglog_figure(n, [1, 2, 3])
    with pytest.raises(TypeError, match=r"measured must be a non-empty dict"):
        pf.loglog_figure(n, {})
    with pytest.raises(ValueError, match=r"measured\['a'\] must have one value per x, 3, got 2"):
        pf.loglog_figure(n, {"a": [1, 2]})
    with pytest.raises(ValueError, match=r"measured\['a'\] must hold positive values"):
        pf.loglog_figure(n, {"a": [1, -2, 3]})
    with pytest.raises(TypeError, match=r"predicted must be a dict .* or None, got 3"):
        pf.loglog_figure(n, {"a": n}, predicted=3)
    with pytest.raises(ValueError, match=r"predicted\['b'\] must hold finite numbers"):
        pf.loglog_figure(n, {"a": n}, predicted={"b": [1, np.inf, 2]})
    with pytest.raises(ValueError, match=r"crossover must be a positive number or None, got -1"):
        pf.loglog_figure(n, {"a": n}, crossover=-1)
    with pytest.raises(TypeError, match=r"crossover must be a positive number or None, got True"):
        pf.loglog_figure(n, {"a": n}, crossover=True)
    with pytest.raises(TypeError, match=r"crossover must be a positive number or None, got '2'"):
        pf.loglog_figure(n, {"a": n}, crossover="2")


# --------------------------------------------------------------------------
# explorers
# --------------------------------------------------------------------------

def test_butterfly_explorer_steps_and_redraws():
    explorer = wf.butterfly_explorer([1, 2, 3, 4, 0, 0, 0, 0], step=3, continuous_update=True,
                                     dpi=20, figsize=(4, 3))
    assert isinstance(explorer, ipywidgets.VBox)
    slider, output = explorer.children
    assert isinstance(slider, ipywidgets.IntSlider) and isinstance(output, ipywidgets.Output)
    assert (slider.min, slider.max, slider.value, slider.continuous_update) == (0, 12, 3, True)
    before = png_of(output)
    assert before.startswith(b"\x89PNG\r\n\x1a\n")
    slider.value = 12
    assert output.outputs[0]["data"]["text/plain"] == "butterfly diagram after 12 of 12 butterflies"
    assert png_of(output) != before
    slider.value = 3
    assert png_of(output) == before
    assert wf.butterfly_explorer(dpi=20).children[0].max == 12          # the default input


def test_wraparound_explorer_slides_the_length():
    explorer = wf.wraparound_explorer(np.ones(8), [1, 2, 3, 4], n=9, dpi=20)
    slider, output = explorer.children
    assert (slider.min, slider.max, slider.value, slider.description) == (8, 15, 9, "L")
    assert output.outputs[0]["data"]["text/plain"] == "circular convolution of length 9: 2 outputs corrupted"
    before = png_of(output)
    slider.value = 11
    assert output.outputs[0]["data"]["text/plain"] == "circular convolution of length 11: 0 outputs corrupted"
    assert png_of(output) != before


def test_explorer_errors():
    with pytest.raises(ValueError, match=r"len\(x\) must be a power of two, got 3"):
        wf.butterfly_explorer([1, 2, 3])
    with pytest.raises(ValueError, match=r"step must be an integer between 0 and 4 for n = 4, got 5"):
        wf.butterfly_explorer([1, 2, 3, 4], step=5)
    with pytest.raises(TypeError, match=r"continuous_update must be True or False, got 1"):
        wf.butterfly_explorer(continuous_update=1)
    with pytest.raises(TypeError, match=r"butterfly_explorer got an unexpected keyword argument 'n'.*dpi, figsize"):
        wf.butterfly_explorer(n=8)
    with pytest.raises(ValueError, match=r"n must be an integer between max\(len\(a\), len\(v\)\) = 3 and 8, got 2"):
        wf.wraparound_explorer([1, 2, 3], [1, 1], n=2)
    with pytest.raises(TypeError, match=r"n must be an integer >= 1, got 4.5"):
        wf.wraparound_explorer([1, 2, 3], [1, 1], n=4.5)
    with pytest.raises(TypeError, match=r"wraparound_explorer got an unexpected keyword argument 'lengths'"):
        wf.wraparound_explorer([1, 2, 3], [1, 1], lengths=[3])
    with pytest.raises(TypeError, match=r"a must hold real numbers"):
        wf.wraparound_explorer([1j], [1])
    with pytest.raises(TypeError, match=r"continuous_update must be True or False"):
        wf.wraparound_explorer([1], [1], continuous_update="yes")


def test_missing_ipywidgets_gives_an_install_hint(monkeypatch):
    # None in sys.modules makes `import ipywidgets` fail, as when it is not installed
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r"need the package 'ipywidgets'.*pip install ipywidgets"):
        wf.butterfly_explorer()
    with pytest.raises(ImportError, match=r"need the package 'ipywidgets'"):
        wf.wraparound_explorer([1], [1])
