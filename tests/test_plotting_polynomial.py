"""Tests of the chapter-3 pictures (convbook.plotting.polynomial) and explorer (convbook.widgets.polynomial)."""

from __future__ import annotations

import base64
import re
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from convbook import plotting, polynomial  # noqa: E402
from convbook.plotting import polynomial as pp  # noqa: E402
from convbook.plotting._style import LINE_COLOR  # noqa: E402
from convbook.widgets import polynomial as wp  # noqa: E402
from test_doctests import run_doctests  # noqa: E402

FAST = settings(max_examples=25, deadline=None)


def texts_by_gid(fig, prefix=""):
    out = {}
    for ax in fig.axes:
        for text in ax.texts:
            gid = text.get_gid()
            if gid and gid.startswith(prefix):
                out[gid] = text.get_text()
    return out


def by_gid(fig, gid):
    for ax in fig.axes:
        for artist in ax.get_children():
            if artist.get_gid() == gid:
                return artist
    raise AssertionError(f"no artist with gid {gid!r}")


def frames_in(page):
    return len(re.findall(r"frames\[\d+\] = ", page))


def sum_value(text):
    """'$c_{3} = 100$' -> '100'."""
    return re.fullmatch(r"\$c_\{\d+\} = (.+)\$", text).group(1)


# --------------------------------------------------------------------------
# doctests
# --------------------------------------------------------------------------

@pytest.mark.parametrize("module", [pp, wp])
def test_doctests(module):
    result = run_doctests(module)
    assert result.attempted >= 5
    assert result.failed == 0


def test_public_functions_are_documented():
    for module in (pp, wp):
        assert module.__all__
        for name in module.__all__:
            doc = getattr(module, name).__doc__
            assert doc and doc.strip(), name
            if callable(getattr(module, name)) and not isinstance(getattr(module, name), type):
                for section in ("Parameters", "Returns", "Raises", "Examples"):
                    assert section in doc, (name, section)


# --------------------------------------------------------------------------
# multiplication_grid_figure
# --------------------------------------------------------------------------

def test_grid_of_the_worked_example():
    fig = pp.multiplication_grid_figure([2, 4], [7, 3, 1])
    assert isinstance(fig, Figure)
    cells = texts_by_gid(fig, "cell")
    assert cells == {"cell 0,0": "14", "cell 0,1": "6", "cell 0,2": "2",
                     "cell 1,0": "28", "cell 1,1": "12", "cell 1,2": "4"}
    sums = texts_by_gid(fig, "sum")
    assert [sum_value(sums[f"sum {k}"]) for k in range(4)] == ["14", "34", "14", "4"]
    # every anti-diagonal has its line x + y = k through the centres of its cells
    for k in range(4):
        line = by_gid(fig, f"diagonal {k}")
        xs, ys = line.get_data()
        assert np.allclose(np.asarray(xs) + np.asarray(ys), k)


@FAST
@given(st.lists(st.integers(-99, 99), min_size=1, max_size=6),
       st.lists(st.integers(-99, 99), min_size=1, max_size=6))
def test_grid_sums_are_the_convolution(a, b):
    fig = pp.multiplication_grid_figure(a, b)
    sums = texts_by_gid(fig, "sum")
    conv = np.convolve(a, b).tolist()
    assert [int(sum_value(sums[f"sum {k}"])) for k in range(len(conv))] == conv
    cells = texts_by_gid(fig, "cell")
    assert len(cells) == len(a) * len(b)
    assert all(cells[f"cell {i},{j}"] == str(a[i] * b[j]) for i in range(len(a)) for j in range(len(b)))


def test_grid_highlight_and_fractions():
    a = [Fraction(1, 2), 1]
    b = [Fraction(1, 3), 2.0]              # whole-number floats are accepted, shown as ints
    fig = pp.multiplication_grid_figure(a, b, highlight=1, title="t")
    sums = texts_by_gid(fig, "sum")
    assert [sum_value(sums[f"sum {k}"]) for k in range(3)] == ["1/6", "4/3", "2"]
    assert by_gid(fig, "diagonal 1").get_color() == LINE_COLOR
    gids = {artist.get_gid() for artist in fig.axes[0].get_children()}
    assert "diagonal 0" not in gids and "diagonal 2" not in gids   # only the highlighted line
    assert sums["sum 1"] and fig.axes[0].get_title() == "t"
    fig = pp.multiplication_grid_figure([1, 2], [3], show_sums=False)
    assert texts_by_gid(fig, "sum") == {}


def test_grid_draws_on_given_axes():
    fig, axes = pp.panels(1, 2)
    out = pp.multiplication_grid_figure([1, 2, 3], [4, 5], ax=axes[1])
    assert out is fig
    assert texts_by_gid(fig, "cell")["cell 2,1"] == "15"


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(a=[], b=[1]), ValueError, "a must not be empty"),
    (dict(a=[[1, 2]], b=[1]), ValueError, "a must be 1-D"),
    (dict(a=[1] * 17, b=[1]), ValueError, "a has 17 entries; at most 16"),
    (dict(a=[1], b=[0.5]), ValueError, r"b\[0\] = 0.5 is not an exact number"),
    (dict(a=[1], b=[float("nan")]), ValueError, r"b\[0\] = nan"),
    (dict(a=["x"], b=[1]), TypeError, "a must hold numbers"),
    (dict(a=[1j], b=[1]), TypeError, "a must hold real numbers"),
    (dict(a=[1, 2], b=[1], highlight=2), ValueError, r"highlight must be an anti-diagonal index 0 \.\. 1"),
    (dict(a=[1, 2], b=[1], highlight=-1), ValueError, "highlight must be an anti-diagonal index"),
    (dict(a=[1, 2], b=[1], highlight=0.5), TypeError, "highlight must be an integer"),
    (dict(a=[1, 2], b=[1], show_sums="yes"), TypeError, "show_sums must be True or False"),
    (dict(a=[1], b=[1], figsize=(0, 1)), ValueError, "figsize"),
    (dict(a=[1], b=[1], ax="axes"), TypeError, "ax must be a matplotlib Axes"),
])
def test_grid_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.multiplication_grid_figure(**kwargs)


# --------------------------------------------------------------------------
# carry_trace, carry_figure, carry_animation
# --------------------------------------------------------------------------

def test_carry_trace_of_the_worked_example():
    trace = pp.carry_trace([14, 34, 14, 4])
    assert trace[0] == pp.CarryStep(-1, (14, 34, 14, 4), (), 0, 0)
    assert [(s.position, s.digits, s.carry_in, s.carry_out) for s in trace[1:]] == [
        (0, (4,), 0, 1), (1, (4, 5), 1, 3), (2, (4, 5, 7), 3, 1), (3, (4, 5, 7, 5), 1, 0)]


def test_carry_trace_spills_and_keeps_zeros():
    assert pp.carry_trace([0])[-1].digits == (0,)
    assert pp.carry_trace([0, 0])[-1].digits == (0, 0)   # the trace keeps what it is given
    trace = pp.carry_trace([999], base=10)
    assert trace[-1].digits == (9, 9, 9)
    assert trace[-1].coefficients == (999, 0, 0)         # two new columns for the carries
    assert pp.carry_trace(np.array([5]), base=2)[-1].digits == (1, 0, 1)


@FAST
@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=12),
       st.sampled_from([2, 3, 7, 10, 16, 2**16, 2**30]))
def test_carry_trace_agrees_with_polynomial_carry(columns, base):
    trace = pp.carry_trace(columns, base)
    digits = list(trace[-1].digits)
    value = sum(c * base**k for k, c in enumerate(columns))
    assert sum(d * base**k for k, d in enumerate(digits)) == value
    assert all(0 <= d < base for d in digits)
    # the package's carry drops high zeros; the trace keeps them
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
    assert digits == polynomial.carry(columns, base)
    for step in trace[1:]:                               # eq-ch3-carry at every column
        k = step.position
        assert step.coefficients[k] + step.carry_in == base * step.carry_out + step.digits[k]
        assert step.carry_out * (base - 1) < max(columns) or max(columns) == 0   # r_k < C / (B - 1)
    assert [s.carry_in for s in trace[2:]] == [s.carry_out for s in trace[1:-1]]
    assert trace[-1].carry_out == 0


@pytest.mark.parametrize("args, kwargs, error, match", [
    (([],), {}, ValueError, "coefficients must not be empty"),
    (([1, -2],), {}, ValueError, r"coefficients\[1\] = -2 is negative"),
    (([1, Fraction(1, 2)],), {}, TypeError, r"coefficients\[1\] = Fraction\(1, 2\) is not allowed"),
    (([1.5],), {}, ValueError, r"coefficients\[0\] = 1.5 is not an integer"),
    (([True, 1],), {}, TypeError, "coefficients must hold numbers, not booleans"),
    ((np.array([True]),), {}, TypeError, "coefficients must hold numbers, not booleans"),
    (([[1]],), {}, ValueError, "coefficients must be 1-D"),
    (([1],), {"base": 1}, ValueError, "base must be an integer >= 2"),
    (([1],), {"base": 10.0}, TypeError, "base must be an integer >= 2"),
    (([1],), {"base": True}, TypeError, "base must be an integer >= 2"),
])
def test_carry_trace_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.carry_trace(*args, **kwargs)


def test_carry_figure_steps():
    first = texts_by_gid(pp.carry_figure([14, 34, 14, 4], step=0))
    assert [first[f"column {k}"] for k in range(4)] == ["14", "34", "14", "4"]
    assert not any(g.startswith("digit") for g in first)
    assert "before any carrying" in first["message"]
    last = texts_by_gid(pp.carry_figure([14, 34, 14, 4]))
    assert [last[f"digit {k}"] for k in range(4)] == ["4", "5", "7", "5"]
    assert "carry out" not in last                      # the last column passes nothing on
    assert last["message"].endswith("the digits read 5754")
    middle = texts_by_gid(pp.carry_figure([14, 34, 14, 4], step=2))
    assert middle["carry in"] == "+1" and middle["carry out"] == "carry 3"
    assert "34 + 1 = 35 = 3 \\cdot 10 + 5" in middle["message"]


def test_carry_figure_in_base_16_lists_digits():
    fig = pp.carry_figure([255, 255], base=16)
    texts = texts_by_gid(fig)
    digits = [int(texts[f"digit {k}"]) for k in range(4)]
    assert digits == [15, 14, 0, 1]
    assert sum(d * 16**k for k, d in enumerate(digits)) == 255 + 255 * 16
    assert texts["message"].endswith("the digits read " + ",".join(map(str, reversed(digits))))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(step=5), ValueError, "step must be an integer from 0 to 4"),
    (dict(step=-1), ValueError, "step must be an integer from 0 to 4"),
    (dict(step=1.0), TypeError, "step must be an integer"),
    (dict(base=0), ValueError, "base must be an integer >= 2"),
    (dict(dpi=-3), ValueError, "dpi must be a positive number"),
])
def test_carry_figure_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.carry_figure([14, 34, 14, 4], **kwargs)


def test_carry_figure_refuses_too_many_columns():
    with pytest.raises(ValueError, match="need 15 columns once carried; at most 14"):
        pp.carry_figure([1] * 15)


def test_carry_animation_has_one_frame_per_step():
    anim = pp.carry_animation([12, 32, 61, 100, 94, 76, 45], dpi=20, figsize=(4, 2))
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim)
    assert frames_in(page) == 9                          # the start and 8 digits
    assert "://" not in page
    with pytest.raises(ValueError, match="interval must be a positive number"):
        pp.carry_animation([1], interval=0)


# --------------------------------------------------------------------------
# long multiplication: grid and carries together
# --------------------------------------------------------------------------

def test_long_multiplication_figure_links_grid_and_carries():
    fig = pp.long_multiplication_figure(9876, 5432, step=4)
    grid, carries = fig.axes
    assert carries.get_title() == "carrying: 9876 × 5432 = 53646432"
    assert by_gid(fig, "diagonal 3").get_color() == LINE_COLOR   # column 10^3 ...
    sums = texts_by_gid(fig, "sum")
    assert sum_value(sums["sum 3"]) == "100"                              # ... sums to 100
    texts = texts_by_gid(fig)
    assert texts["carry in"] == "+6" and texts["carry out"] == "carry 10"
    # the spill-over step: no anti-diagonal left to highlight, every line drawn
    fig = pp.long_multiplication_figure(9876, 5432)
    assert all(by_gid(fig, f"diagonal {k}") for k in range(7))
    assert texts_by_gid(fig)["message"].endswith("53646432")


@FAST
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from([2, 7, 10, 16]))
def test_long_multiplication_final_digits_are_the_product(x, y, base):
    digits = polynomial.to_digits(x * y, base)
    dx, dy = polynomial.to_digits(x, base), polynomial.to_digits(y, base)
    columns = len(pp.carry_trace(polynomial.multiply(dx, dy), base)) - 1
    assert columns == max(len(digits), len(dx) + len(dy) - 1)
    if max(len(dx), len(dy)) > 16 or columns > 14:
        with pytest.raises(ValueError, match="fit in a readable picture"):
            pp.long_multiplication_figure(x, y, base=base, dpi=20)
        return
    fig = pp.long_multiplication_figure(x, y, base=base, dpi=20)
    texts = texts_by_gid(fig, "digit")
    shown = [int(texts[f"digit {k}"]) for k in range(len(texts))]
    while len(shown) > 1 and shown[-1] == 0:
        shown.pop()
    assert shown == digits


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((-1, 5), {}, ValueError, "x must be a non-negative integer, got -1"),
    ((3, 2.0), {}, TypeError, "y must be a non-negative integer"),
    ((True, 2), {}, TypeError, "x must be a non-negative integer"),
    ((10**16, 2), {}, ValueError, "x has 17 digits in base 10; at most 16"),
    ((10**9, 10**7), {}, ValueError, "x \\* y has 17 digits in base 10; at most 14"),
    ((42, 137), {"step": 9}, ValueError, "step must be an integer from 0 to 4"),
    ((42, 137), {"base": 1}, ValueError, "base must be an integer >= 2"),
])
def test_long_multiplication_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.long_multiplication_figure(*args, **kwargs)


def test_long_multiplication_animation():
    page = plotting.animation_html(pp.long_multiplication_animation(42, 137, dpi=20))
    assert frames_in(page) == 5
    with pytest.raises(ValueError, match="interval must be a positive number"):
        pp.long_multiplication_animation(42, 137, interval=-5)
    with pytest.raises(TypeError, match="x must be a non-negative integer"):
        pp.long_multiplication_animation("42", 137)


# --------------------------------------------------------------------------
# timings
# --------------------------------------------------------------------------

@FAST
@given(st.floats(0.5, 3.0), st.floats(1e-9, 1e-3))
def test_fit_loglog_recovers_a_power_law(p, c):
    n = np.array([16, 32, 64, 128, 256])
    slope, const = pp.fit_loglog(n, c * n**p)
    assert slope == pytest.approx(p, rel=1e-9)
    assert const == pytest.approx(c, rel=1e-7)


def test_fit_loglog_min_size_drops_the_overhead():
    n = np.array([1, 2, 100, 200, 400])
    t = np.array([5.0, 5.0, 1e-2, 4e-2, 16e-2])              # a flat start, then n^2
    assert pp.fit_loglog(n, t, min_size=100)[0] == pytest.approx(2.0)
    assert pp.fit_loglog(n, t)[0] < 1.0


@pytest.mark.parametrize("args, kwargs, error, match", [
    (([1, 2], [1, 2, 3]), {}, ValueError, "same length"),
    (([1, 2], [1, 0]), {}, ValueError, "times must hold finite positive numbers"),
    (([1, -2], [1, 1]), {}, ValueError, "sizes must hold finite positive numbers"),
    ((["a"], [1]), {}, TypeError, "sizes must hold numbers"),
    (([1j, 2], [1, 1]), {}, TypeError, "sizes must hold real numbers"),
    (([1, 2], [1, 2]), {"min_size": 2}, ValueError, "at least two distinct sizes"),
    (([3, 3], [1, 2]), {}, ValueError, "at least two distinct sizes"),
    (([1, 2], [1, 2]), {"min_size": 0}, ValueError, "min_size must be a positive number"),
])
def test_fit_loglog_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.fit_loglog(*args, **kwargs)


def test_timing_figure():
    n = np.array([10, 100, 1000])
    fig = pp.timing_figure({"loops": (n, 1e-6 * n**2), "fast": (n, 1e-7 * n)},
                           fits={"loops": (2.0, 1e-6, 100)})
    ax = fig.axes[0]
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert np.allclose(by_gid(fig, "measured fast").get_ydata(), 1e-7 * n)
    xs, ys = by_gid(fig, "fit loops").get_data()
    assert xs.min() == pytest.approx(100) and np.allclose(ys, 1e-6 * xs**2)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["loops: slope 2.00", "fast"]


@pytest.mark.parametrize("args, kwargs, error, match", [
    (({},), {}, TypeError, "results must be a non-empty dict"),
    (({"a": [1, 2, 3]},), {}, TypeError, r"results\['a'\] must be a pair"),
    (({"a": ([1, 2], [1])},), {}, ValueError, "differ in length"),
    (({"a": ([1, 2], [1, -1])},), {}, ValueError, "times must hold finite positive numbers"),
    (({"a": ([1, 2], [1, 2])},), {"fits": [1]}, TypeError, "fits must be a dict"),
    (({"a": ([1, 2], [1, 2])},), {"fits": {"b": (1, 1, 1)}}, ValueError, "names no method"),
    (({"a": ([1, 2], [1, 2])},), {"fits": {"a": (1, 1)}}, TypeError, r"must be \(slope, C, min_size\)"),
    (({"a": ([1, 2], [1, 2])},), {"fits": {"a": (1, "x", 1)}}, TypeError, "must hold real numbers"),
    (({"a": ([1, 2], [1, 2])},), {"fits": {"a": (1, np.inf, 1)}}, ValueError, "finite numbers"),
])
def test_timing_figure_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pp.timing_figure(*args, **kwargs)


# --------------------------------------------------------------------------
# pmf_figure and panels
# --------------------------------------------------------------------------

def test_pmf_figure_draws_exact_and_frequencies():
    die = [Fraction(1, 6)] * 6
    two = polynomial.multiply(die, die)
    freq = np.full(11, 1 / 11)
    fig = pp.pmf_figure(range(2, 13), two, freq, title="two dice")
    exact = by_gid(fig, "exact")
    assert np.allclose(exact.get_xdata(), np.arange(2, 13))
    assert np.allclose(exact.get_ydata(), [float(p) for p in two])
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    assert np.allclose(heights, freq)
    assert fig.axes[0].get_ylim()[1] == pytest.approx(1.4 * 6 / 36)
    fig = pp.pmf_figure(np.array([0, 1]), [0.5, 0.5])      # no simulation: no bars
    assert len(fig.axes[0].patches) == 0


@pytest.mark.parametrize("args, error, match", [
    (([0, 1], [0.5]), ValueError, "exact must have one value per support point"),
    (([0, 1], [0.5, -0.5]), ValueError, "exact must hold finite probabilities"),
    (([0, 1], [0.5, np.nan]), ValueError, "exact must hold finite probabilities"),
    (([0.5, 1], [0.5, 0.5]), TypeError, "support must hold integers"),
    (([0, 1], [0.5j, 0.5]), TypeError, "exact must hold real numbers"),
    (([0, 1], [0.5, 0.5], [1.0]), ValueError, "frequencies must have one value per support point"),
    (([], []), ValueError, "support must not be empty"),
])
def test_pmf_figure_errors(args, error, match):
    with pytest.raises(error, match=match):
        pp.pmf_figure(*args)


def test_panels():
    fig, axes = pp.panels(2, 3, figsize=(6, 4), sharey=True)
    assert axes.shape == (6,) and len(fig.axes) == 6
    assert fig._repr_png_().startswith(b"\x89PNG")          # shows itself in a notebook
    with pytest.raises(ValueError, match="nrows must be an integer >= 1"):
        pp.panels(0, 1)
    with pytest.raises(TypeError, match="ncols must be an integer >= 1"):
        pp.panels(1, 2.0)


# --------------------------------------------------------------------------
# the explorer
# --------------------------------------------------------------------------

def png_of(output):
    (item,) = output.outputs
    assert item["output_type"] == "display_data"
    return base64.b64decode(item["data"]["image/png"])


def test_explorer_steps_and_rebuilds():
    explorer = wp.long_multiplication_explorer(42, 137, dpi=20, figsize=(5, 2))
    assert isinstance(explorer, ipywidgets.VBox)
    (x_box, y_box, base_box), slider, output = explorer.children[0].children, *explorer.children[1:]
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.min, slider.max, slider.value) == (0, 4, 0)
    before = png_of(output)
    slider.value = 3
    assert png_of(output) != before
    assert output.outputs[0]["data"]["text/plain"] == "42 × 137 in base 10, step 3 of 4"
    # a longer product: the slider's range grows, the value is kept
    x_box.value = 9876
    y_box.value = 5432
    assert slider.max == 8 and slider.value == 3
    assert output.outputs[0]["data"]["text/plain"] == "9876 × 5432 in base 10, step 3 of 8"
    # a shorter one: the value is clamped
    slider.value = 8
    x_box.value, y_box.value = 2, 3
    assert slider.max == 1 and slider.value == 1
    # base 2: 2 * 3 = 110 in binary
    base_box.value = 2
    assert output.outputs[0]["data"]["text/plain"] == "2 × 3 in base 2, step 1 of 3"


def test_explorer_shows_errors_instead_of_raising():
    explorer = wp.long_multiplication_explorer(42, 137, dpi=20, figsize=(5, 2))
    (x_box, _, _), slider, output = explorer.children[0].children, *explorer.children[1:]
    x_box.value = -5
    (item,) = output.outputs
    assert item["output_type"] == "stream"
    assert "x must be a non-negative integer, got -5" in item["text"]
    x_box.value = 42                                           # back to a valid value
    assert png_of(output).startswith(b"\x89PNG")


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((-1, 2), {}, ValueError, "x must be a non-negative integer"),
    ((1.5, 2), {}, TypeError, "x must be a non-negative integer"),
    ((1, 2), {"base": 37}, ValueError, "base must be an integer from 2 to 36"),
    ((1, 2), {"base": 1}, ValueError, "base must be an integer >= 2"),
    ((42, 137), {"step": 5}, ValueError, "step must be an integer from 0 to 4"),
    ((42, 137), {"step": -1}, ValueError, "step must be an integer >= 0"),
])
def test_explorer_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        wp.long_multiplication_explorer(*args, **kwargs)

