"""Tests of convbook.plotting: the rolling-up picture, animations as kernel-free HTML."""

from __future__ import annotations

import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from convbook import continuous, plotting  # noqa: E402
from convbook.plotting import _animation, _style  # noqa: E402
from test_doctests import run_doctests  # noqa: E402

T = sp.Symbol("t", real=True)


def box(x, a=0.0, b=1.0):
    x = np.asarray(x, dtype=float)
    return np.where((x >= a) & (x < b), 1.0, 0.0)


def by_gid(fig, gid):
    for ax in fig.axes:
        for artist in ax.get_children():
            if artist.get_gid() == gid:
                return artist
    raise AssertionError(f"no artist with gid {gid!r}")


def frames_in(page):
    return len(re.findall(r"frames\[\d+\] = ", page))


def test_doctests():
    """Chapter 1's figures, animation_html and the shared style (chapters 2-5 are tested with their figures)."""
    result = run_doctests(_animation, _style, plotting.continuous)
    assert result.attempted > 10
    assert result.failed == 0


# --------------------------------------------------------------------------
# animation_html
# --------------------------------------------------------------------------

def small_animation(frames=5, *, pyplot=False):
    if pyplot:
        fig, ax = plt.subplots(figsize=(2, 1.5), dpi=30)
    else:
        fig = Figure(figsize=(2, 1.5), dpi=30)
        ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 0])
    return fig, FuncAnimation(fig, lambda k: line.set_ydata([0, k]), frames=frames)


def test_animation_html_is_self_contained_and_keeps_its_controls():
    _, anim = small_animation(5)
    page = plotting.animation_html(anim)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page
    assert 'class="fa' not in page                     # every Font Awesome icon is replaced
    assert frames_in(page) == 5
    assert "var frames = new Array(5);" in page
    # the slider, the play/pause buttons and the loop selector are all there
    assert re.search(r'<input id="_anim_slider[0-9a-f]+" type="range"', page)
    for title in ("Play", "Pause", "Play backwards", "First frame", "Last frame",
                  "Previous frame", "Next frame"):
        assert f'title="{title}"' in page
    assert "\u25b6" in page and "\u275a\u275a" in page   # play and pause symbols
    # the ids the JavaScript looks up exist in the markup
    for kind in ("img", "slider"):
        ident = re.search(rf'var {kind}_id = "([^"]+)";', page).group(1)
        assert f'id="{ident}"' in page
    loop_id = re.search(r'var loop_select_id = "([^"]+)";', page).group(1)
    assert f'name="{loop_id}"' in page
    assert 'aria-label="Frame"' in page


def test_animation_html_alt_text_is_escaped_and_mode_is_passed():
    _, anim = small_animation(2)
    page = plotting.animation_html(anim, alt='boxes "sliding" <here>', default_mode="once")
    assert 'alt="boxes &quot;sliding&quot; &lt;here&gt;"' in page
    assert re.search(r'value="once"[^>]*\n?\s*checked', page)


def _frames(page):
    import base64

    return [base64.b64decode(re.sub(r"[\\\s]", "", b))
            for b in re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]*)"', page)]


def _pixels(png):
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.mode, np.asarray(image.convert("RGB"), dtype=np.int16)


def test_animation_frames_are_palette_pngs_that_look_the_same():
    """Each frame is re-encoded as an 8-bit palette PNG: smaller, and the same picture as matplotlib's own."""
    import io

    rng = np.random.default_rng(0)
    fig = Figure(figsize=(4, 3), dpi=60)
    ax = fig.subplots()
    image = ax.imshow(rng.random((30, 40)), cmap="viridis")  # a colormap's ramp, and antialiased text
    ax.set_title("a heat map")

    def update(k):
        image.set_data(np.roll(image.get_array(), k, axis=1))

    anim = FuncAnimation(fig, update, frames=4)
    page = plotting.animation_html(anim)
    frames = _frames(page)
    assert len(frames) == 4
    fig.canvas.draw()
    original = io.BytesIO()
    fig.savefig(original, format="png", dpi=60)
    mode, last = _pixels(frames[-1])
    assert mode == "P"
    _, reference = _pixels(original.getvalue())
    assert last.shape == reference.shape
    difference = np.abs(last - reference).max(axis=2)
    assert difference.mean() < 1.5 and np.percentile(difference, 99) <= 12
    assert len(frames[-1]) < len(original.getvalue())


def test_palette_png_keeps_transparent_and_palette_images_as_they_are():
    import io

    from PIL import Image

    see_through = io.BytesIO()
    Image.new("RGBA", (8, 8), (255, 0, 0, 100)).save(see_through, "PNG")
    assert _animation._palette_png(see_through.getvalue()) == see_through.getvalue()
    palette = io.BytesIO()
    Image.new("P", (8, 8)).save(palette, "PNG")
    assert _animation._palette_png(palette.getvalue()) == palette.getvalue()
    from PIL.PngImagePlugin import PngInfo

    opaque, info = io.BytesIO(), PngInfo()
    info.add_text("convbook:dpi", "144")
    Image.new("RGBA", (8, 8), (0, 128, 255, 255)).save(opaque, "PNG", pnginfo=info, dpi=(144, 144))
    lighter = _animation._palette_png(opaque.getvalue())
    mode, pixels = _pixels(lighter)
    assert mode == "P" and (pixels == [0, 128, 255]).all()
    with Image.open(io.BytesIO(lighter)) as image:  # the figure's metadata survives the re-encoding
        assert image.text == {"convbook:dpi": "144"} and round(image.info["dpi"][0]) == 144


def test_animation_html_closes_a_pyplot_figure():
    fig, anim = small_animation(2, pyplot=True)
    assert plt.fignum_exists(fig.number)
    plotting.animation_html(anim)
    assert not plt.fignum_exists(fig.number)


def test_animation_html_errors():
    with pytest.raises(TypeError, match=r"anim must be a matplotlib.animation.Animation, got 'x'"):
        plotting.animation_html("x")
    _, anim = small_animation(2)
    with pytest.raises(ValueError, match=r"default_mode='bounce' is not allowed.*'loop', 'once', or 'reflect'"):
        plotting.animation_html(anim, default_mode="bounce")
    with pytest.raises(TypeError, match=r"alt must be a string, got 3"):
        plotting.animation_html(anim, alt=3)
    assert frames_in(plotting.animation_html(anim)) == 2   # still usable after the errors


# --------------------------------------------------------------------------
# rolling_up_figure: the two pictures are one computation
# --------------------------------------------------------------------------

def test_rolling_up_figure_box_box_matches_the_triangle():
    t = 1.3
    fig = plotting.rolling_up_figure(box, box, t, x_range=(-1, 2), n=301)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert fig._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")   # shows itself in IPython
    # U along the line and the flip-and-slide product are the same curve
    x1, u = by_gid(fig, "U on line").get_data()
    x2, prod = by_gid(fig, "product").get_data()
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(u, prod)
    np.testing.assert_array_equal(prod, box(x1) * box(t - x1))
    # the red line is x + y = t
    lx, ly = by_gid(fig, "line").get_data()
    np.testing.assert_allclose(np.asarray(lx) + np.asarray(ly), t)
    # the heat map is the outer product g(y) f(x)
    image = by_gid(fig, "U").get_array()
    xs = np.linspace(-1, 2, 301)
    np.testing.assert_array_equal(image, np.outer(box(xs), box(xs)))
    # V(t) on the curve: (box * box)(1.3) = 0.7, up to the grid step 0.01
    (tv,), (v,) = by_gid(fig, "V(t)").get_data()
    assert tv == t
    assert v == pytest.approx(0.7, abs=0.02)
    assert v == pytest.approx(np.trapezoid(prod, x1))


def test_rolling_up_figure_with_exact_conv_from_sympy():
    f = continuous.rect(T)
    g = continuous.one_sided_exp(T, 2)
    exact = continuous.convolve(f, g, T)
    V = continuous.to_numeric(exact, T)
    fig = plotting.rolling_up_figure(continuous.to_numeric(f, T), continuous.to_numeric(g, T), 0.8,
                                     x_range=(-1, 3), conv=V, n=101)
    (_,), (v,) = by_gid(fig, "V(t)").get_data()
    assert v == pytest.approx(float(exact.subs(T, sp.Rational(4, 5))), rel=1e-12)
    ts, vs = by_gid(fig, "V").get_data()
    assert ts[0] == -2 and ts[-1] == 6            # t_range = x_range + y_range
    np.testing.assert_allclose(vs, V(ts))
    # the numeric V (no conv) agrees with the exact one to the grid's accuracy
    fig2 = plotting.rolling_up_figure(continuous.to_numeric(f, T), continuous.to_numeric(g, T), 0.8,
                                      x_range=(-1, 3), n=401)
    _, vs2 = by_gid(fig2, "V").get_data()
    np.testing.assert_allclose(vs2, V(np.linspace(-2, 6, 401)), atol=0.02)


@settings(max_examples=15, deadline=None)
@given(
    a=st.floats(-1, 0.5), wa=st.floats(0.2, 1.0),
    c=st.floats(-1, 0.5), wc=st.floats(0.2, 1.0),
    t=st.floats(-2, 3),
)
def test_rolling_up_value_is_the_overlap_of_two_boxes(a, wa, c, wc, t):
    f = lambda x: box(x, a, a + wa)        # noqa: E731
    g = lambda x: box(x, c, c + wc)        # noqa: E731
    fig = plotting.rolling_up_figure(f, g, t, x_range=(-1.5, 1.5), n=601, figsize=(4, 3), dpi=20)
    (_,), (v,) = by_gid(fig, "V(t)").get_data()
    # f(x) g(t - x) = 1 where a <= x < a + wa and t - c - wc < x <= t - c
    overlap = max(0.0, min(a + wa, t - c) - max(a, t - c - wc))
    assert v == pytest.approx(overlap, abs=2 * 3 / 600 + 1e-9)


def test_rolling_up_figure_accepts_scalar_returning_callables():
    fig = plotting.rolling_up_figure(lambda x: 1.0, box, 0.5, x_range=(0, 1), n=11)
    _, fx = by_gid(fig, "f").get_data()
    np.testing.assert_array_equal(fx, np.ones(11))


def test_rolling_up_figure_errors():
    with pytest.raises(TypeError, match=r"f must be a callable.*sympy.lambdify"):
        plotting.rolling_up_figure(continuous.rect(T), box, 0.5)
    with pytest.raises(TypeError, match=r"g must be a callable that accepts a numpy array, got 3"):
        plotting.rolling_up_figure(box, 3, 0.5)
    with pytest.raises(TypeError, match=r"f must be vectorised over numpy arrays.*raised TypeError"):
        plotting.rolling_up_figure(math.exp, box, 0.5)
    with pytest.raises(ValueError, match=r"f\(x\) must return an array of the shape of x, \(201,\), got shape \(3,\)"):
        plotting.rolling_up_figure(lambda x: np.ones(3), box, 0.5)
    with pytest.raises(ValueError, match=r"g returned non-finite values \(nan or inf\), e.g. at x = "):
        plotting.rolling_up_figure(box, lambda x: 1 / np.where(x > 0, x, np.nan), 0.5)
    with pytest.raises(ValueError, match=r"f must return real values, got complex"):
        plotting.rolling_up_figure(lambda x: 1j * x, box, 0.5)
    with pytest.raises(TypeError, match=r"f must return numbers, got"):
        plotting.rolling_up_figure(lambda x: np.full(x.shape, "a"), box, 0.5)
    with pytest.raises(TypeError, match=r"conv must be a callable"):
        plotting.rolling_up_figure(box, box, 0.5, conv=[1, 2])
    with pytest.raises(TypeError, match=r"t must be a real number, got True \(type bool\)"):
        plotting.rolling_up_figure(box, box, True)
    with pytest.raises(TypeError, match=r"t must be a real number, got '1' \(type str\)"):
        plotting.rolling_up_figure(box, box, "1")
    with pytest.raises(ValueError, match=r"t must be a finite real number, got nan"):
        plotting.rolling_up_figure(box, box, float("nan"))
    with pytest.raises(ValueError, match=r"x_range must satisfy low < high, got \(2, 1\)"):
        plotting.rolling_up_figure(box, box, 0.5, x_range=(2, 1))
    with pytest.raises(ValueError, match=r"y_range must be a pair \(low, high\) of real numbers, got 3"):
        plotting.rolling_up_figure(box, box, 0.5, y_range=3)
    with pytest.raises(ValueError, match=r"t_range\[1\] must be a finite real number, got inf"):
        plotting.rolling_up_figure(box, box, 0.5, t_range=(0, float("inf")))
    with pytest.raises(ValueError, match=r"n must be an integer >= 3, got 2"):
        plotting.rolling_up_figure(box, box, 0.5, n=2)
    with pytest.raises(TypeError, match=r"n must be an integer >= 3, got 10.0"):
        plotting.rolling_up_figure(box, box, 0.5, n=10.0)
    with pytest.raises(ValueError, match=r"dpi must be a positive number, got 0.0"):
        plotting.rolling_up_figure(box, box, 0.5, dpi=0)
    with pytest.raises(ValueError, match=r"figsize must be a pair \(width, height\) in inches, got 5"):
        plotting.rolling_up_figure(box, box, 0.5, figsize=5)
    with pytest.raises(ValueError, match=r"cmap='viridian' is not a matplotlib colour map"):
        plotting.rolling_up_figure(box, box, 0.5, cmap="viridian")


# --------------------------------------------------------------------------
# rolling_up_animation
# --------------------------------------------------------------------------

def test_rolling_up_animation_one_frame_per_t_and_static_twin_values():
    ts = np.linspace(-0.5, 2.5, 6)
    anim = plotting.rolling_up_animation(box, box, ts, x_range=(-1, 2), n=61, dpi=20,
                                         figsize=(4, 3))
    assert isinstance(anim, FuncAnimation)
    page = plotting.animation_html(anim, alt="two boxes")
    assert frames_in(page) == 6
    assert "https://" not in page and "http://" not in page
    # after the last frame, the point on V sits at the last t, as the static figure would
    fig = anim._fig
    (tv,), (v,) = by_gid(fig, "V(t)").get_data()
    static = plotting.rolling_up_figure(box, box, ts[-1], x_range=(-1, 2), n=61,
                                        t_range=(-2, 4))
    assert tv == ts[-1]
    assert v == by_gid(static, "V(t)").get_data()[1][0]


def rgba(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


def test_animation_frame_looks_like_the_static_figure():
    # the animation pre-renders its static parts once: a frame must still show
    # the same picture as rolling_up_figure at that t
    options = dict(x_range=(-1, 2), n=61, dpi=40, figsize=(6, 4.5), t_range=(-2, 4))
    anim = plotting.rolling_up_animation(box, box, [0.2, 1.3], **options)
    plotting.animation_html(anim)                   # leaves the figure at t = 1.3
    frame = rgba(anim._fig)
    static = rgba(plotting.rolling_up_figure(box, box, 1.3, **options))
    assert frame.shape == static.shape
    differ = np.any(np.abs(frame - static) > 40, axis=-1)
    assert differ.mean() < 0.01


def test_rolling_up_animation_widens_t_range_to_cover_ts():
    anim = plotting.rolling_up_animation(box, box, [-5, 0, 5], x_range=(-1, 2), n=11, dpi=10,
                                         figsize=(4, 3))
    ts, _ = by_gid(anim._fig, "V").get_data()
    assert ts[0] == -5 and ts[-1] == 5
    assert frames_in(plotting.animation_html(anim)) == 3


def test_rolling_up_animation_errors():
    with pytest.raises(ValueError, match=r"ts must not be empty"):
        plotting.rolling_up_animation(box, box, [])
    with pytest.raises(ValueError, match=r"ts must be 1-D, got an array of shape \(2, 2\)"):
        plotting.rolling_up_animation(box, box, [[0, 1], [2, 3]])
    with pytest.raises(TypeError, match=r"ts must hold numbers"):
        plotting.rolling_up_animation(box, box, ["a", "b"])
    with pytest.raises(TypeError, match=r"ts must hold real numbers, got an array of shape \(2,\) and dtype complex128"):
        plotting.rolling_up_animation(box, box, [1j, 2])
    with pytest.raises(ValueError, match=r"ts must hold finite numbers"):
        plotting.rolling_up_animation(box, box, [0, np.nan])
    with pytest.raises(ValueError, match=r"ts must have at most 200 values \(one frame each\), got 201"):
        plotting.rolling_up_animation(box, box, np.zeros(201))
    with pytest.raises(ValueError, match=r"interval must be a positive number, got -1.0"):
        plotting.rolling_up_animation(box, box, [0, 1], interval=-1)
    with pytest.raises(ValueError, match=r"x_range must satisfy low < high"):
        plotting.rolling_up_animation(box, box, [0, 1], x_range=(1, 1))
    with pytest.raises(TypeError, match=r"g must be vectorised over numpy arrays"):
        plotting.rolling_up_animation(box, math.cos, [0, 1])


# --------------------------------------------------------------------------
# joint_heatmap, curves_figure, histogram_figure
# --------------------------------------------------------------------------

@settings(max_examples=10, deadline=None)
@given(p=st.lists(st.floats(-2, 2), min_size=1, max_size=3),
       q=st.lists(st.floats(-2, 2), min_size=1, max_size=3))
def test_swapping_f_and_g_reflects_U_in_the_diagonal(p, q):
    f = lambda x: np.polyval(p, x)  # noqa: E731
    g = lambda x: np.polyval(q, x)  # noqa: E731
    u = by_gid(plotting.joint_heatmap(f, g, x_range=(-1, 1), n=21), "U").get_array()
    u_swapped = by_gid(plotting.joint_heatmap(g, f, x_range=(-1, 1), n=21), "U").get_array()
    np.testing.assert_array_equal(u_swapped, np.asarray(u).T)


def test_joint_heatmap_draws_line_and_diagonal_into_given_axes():
    fig = Figure()
    ax = fig.subplots()
    out = plotting.joint_heatmap(box, box, x_range=(-1, 2), t=0.5, diagonal=True, n=11, ax=ax,
                                 title="U")
    assert out is fig and ax.get_title() == "U"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["$x + y = 0.5$", "$y = x$"]
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(x + y, 0.5)


def test_joint_heatmap_errors():
    with pytest.raises(TypeError, match=r"diagonal must be True or False, got 'yes'"):
        plotting.joint_heatmap(box, box, diagonal="yes")
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes, got 1"):
        plotting.joint_heatmap(box, box, ax=1)
    with pytest.raises(TypeError, match=r"f must be a callable"):
        plotting.joint_heatmap(None, box)
    with pytest.raises(ValueError, match=r"n must be an integer >= 3"):
        plotting.joint_heatmap(box, box, n=1)
    with pytest.raises(ValueError, match=r"t must be a finite real number"):
        plotting.joint_heatmap(box, box, t=float("inf"))
    with pytest.raises(ValueError, match=r"cmap=3 is not a matplotlib colour map"):
        plotting.joint_heatmap(box, box, cmap=3)
    fig = plotting.joint_heatmap(box, box, cmap=matplotlib.colormaps["gray"], n=5)
    assert by_gid(fig, "U").get_cmap().name == "gray"


def test_curves_figure_plots_each_curve():
    fig = plotting.curves_figure({"sin": np.sin, "box": box}, (0, 3), n=31, fill=True,
                                 title="two", ylabel="y")
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:2]] == ["sin", "box"]
    x, y = lines[0].get_data()
    np.testing.assert_allclose(y, np.sin(np.linspace(0, 3, 31)))
    assert ax.get_title() == "two" and ax.get_ylabel() == "y"


def test_curves_figure_errors():
    with pytest.raises(TypeError, match=r"curves must be a non-empty dict \{label: callable\}, got \{\}"):
        plotting.curves_figure({}, (0, 1))
    with pytest.raises(TypeError, match=r"curves must be a non-empty dict"):
        plotting.curves_figure([np.sin], (0, 1))
    with pytest.raises(TypeError, match=r"curves\['s'\] must be a callable"):
        plotting.curves_figure({"s": 1.0}, (0, 1))
    with pytest.raises(ValueError, match=r"x_range must satisfy low < high"):
        plotting.curves_figure({"s": np.sin}, (1, 0))


def test_histogram_figure_is_a_density_and_draws_the_pdf():
    rng = np.random.default_rng(1)
    s = rng.uniform(size=2000) + rng.uniform(size=2000)
    tri = continuous.to_numeric(continuous.convolve(continuous.rect(T), continuous.rect(T), T), T)
    fig = plotting.histogram_figure(s, tri, bins=20, x_range=(0, 2), title="sum")
    ax = fig.axes[0]
    heights = np.array([p.get_height() for p in ax.patches])
    widths = np.array([p.get_width() for p in ax.patches])
    assert float(np.sum(heights * widths)) == pytest.approx(1.0)
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(y, tri(x))
    # 2000 samples: the histogram follows the triangle within sampling noise
    centres = np.array([p.get_x() + p.get_width() / 2 for p in ax.patches])
    assert np.max(np.abs(heights - tri(centres))) < 0.2


def test_histogram_figure_default_range_and_no_pdf():
    fig = plotting.histogram_figure([1, 1, 1], bins=3)
    assert fig.axes[0].get_xlim() == (0.5, 1.5)


def test_histogram_figure_errors():
    with pytest.raises(ValueError, match=r"samples must not be empty"):
        plotting.histogram_figure([])
    with pytest.raises(ValueError, match=r"samples must be 1-D"):
        plotting.histogram_figure([[1.0]])
    with pytest.raises(TypeError, match=r"samples must hold real numbers, got an array of shape \(1,\) and dtype complex128"):
        plotting.histogram_figure([1j])
    with pytest.raises(ValueError, match=r"samples must be finite"):
        plotting.histogram_figure([1.0, np.inf])
    with pytest.raises(TypeError, match=r"pdf must be a callable"):
        plotting.histogram_figure([1.0, 2.0], pdf="triangle")
    with pytest.raises(ValueError, match=r"bins must be an integer >= 1, got 0"):
        plotting.histogram_figure([1.0, 2.0], bins=0)
    with pytest.raises(ValueError, match=r"x_range must satisfy low < high"):
        plotting.histogram_figure([1.0, 2.0], x_range=(3, 3))
