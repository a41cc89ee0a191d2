"""Tests of convbook.continuous: exact continuous convolution with sympy (chapter 1)."""

import doctest
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import continuous
from convbook.continuous import (
    convolve,
    gaussian,
    one_sided_exp,
    pieces,
    rect,
    riemann_convolve,
    support,
    to_numeric,
    triangle,
)

t = sp.Symbol("t", real=True)
a, b = sp.symbols("a b", positive=True)
s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
m1, m2 = sp.symbols("mu1 mu2", real=True)
R = sp.Rational
BOX = rect(t)


# ---------------------------------------------------------------- helpers


def assert_same_pieces(got, expected):
    """Exact equality of two piecewise signals: same breakpoints, simplify(p - q) == 0 on each piece."""
    pg, pe = pieces(got, t), pieces(expected, t)
    assert [(lo, hi) for lo, hi, _ in pg] == [(lo, hi) for lo, hi, _ in pe], (got, expected)
    for (_, _, p), (_, _, q) in zip(pg, pe):
        assert sp.simplify(p - q) == 0, (p, q)


def assert_equal_at(got, expected, points):
    """Exact equality at the given (rational) points."""
    for p in points:
        assert sp.simplify(got.subs(t, p) - expected.subs(t, p)) == 0, (p, got.subs(t, p), expected.subs(t, p))


RATIONALS = [R(k, 7) for k in range(-30, 45, 3)]  # never an integer breakpoint except 0, 3, ...


def irwin_hall(n):
    """The density of the sum of n independent uniforms on [0, 1), the textbook formula."""
    args = []
    for j in range(n):
        piece = sum((-1) ** k * sp.binomial(n, k) * (t - k) ** (n - 1) for k in range(j + 1)) / sp.factorial(n - 1)
        args.append((sp.expand(piece), t < j + 1))
    return sp.Piecewise((0, t < 0), *args, (0, True))


def area(f):
    """The exact integral of a piecewise signal over the real line."""
    return sp.simplify(sum(sp.integrate(p, (t, lo, hi), conds="none") for lo, hi, p in pieces(f, t) if p != 0))


# ---------------------------------------------------------------- constructors


def test_rect_boundary_values():
    assert [rect(t).subs(t, v) for v in (-1, 0, R(1, 2), R(999, 1000), 1, 2)] == [0, 1, 1, 1, 0, 0]
    centred = rect(t, -R(1, 2), R(1, 2))
    assert [centred.subs(t, v) for v in (-R(1, 2), 0, R(1, 2))] == [1, 1, 0]
    T = sp.Symbol("T", positive=True)
    assert rect(t, 0, T).subs(t, 0) == 1 and rect(t, 0, T).subs(t, T) == 0
    step = rect(t, 0, sp.oo)
    assert [step.subs(t, v) for v in (-1, 0, 10**6)] == [0, 1, 1]
    assert rect(t, -sp.oo, sp.oo) == 1
    # an expression as the variable: rect(t - 1) is the box on [1, 2)
    assert_same_pieces(rect(t - 1), rect(t, 1, 2))


def test_triangle_and_exp_and_gaussian_values():
    assert [triangle(t).subs(t, v) for v in (-2, -1, -R(1, 2), 0, R(1, 4), 1, 2)] == [0, 0, R(1, 2), 1, R(3, 4), 0, 0]
    h = one_sided_exp(t, a)
    assert h.subs(t, 0) == 1
    assert h.subs(t, -R(1, 10**6)) == 0
    assert h.subs(t, 2) == sp.exp(-2 * a)
    assert gaussian(t, 2, 1).subs(t, 1) == 1 / (2 * sp.sqrt(2 * sp.pi))
    assert sp.integrate(gaussian(t, 3, -2), (t, -sp.oo, sp.oo)) == 1


def test_pieces_of_user_written_signals():
    assert pieces(sp.Heaviside(t) - sp.Heaviside(t - 1), t) == [(-sp.oo, 0, 0), (0, 1, 1), (1, sp.oo, 0)]
    assert pieces(sp.Heaviside(t) * sp.exp(-t), t) == [(-sp.oo, 0, 0), (0, sp.oo, sp.exp(-t))]
    assert pieces(sp.Max(0, 1 - sp.Abs(t)), t) == pieces(triangle(t), t)
    T = sp.Symbol("T", positive=True)
    assert pieces(rect(t, T, 2 * T), t) == [(-sp.oo, T, 0), (T, 2 * T, 1), (2 * T, sp.oo, 0)]
    assert pieces(gaussian(t), t) == [(-sp.oo, sp.oo, gaussian(t))]


# ---------------------------------------------------------------- textbook pairs, exact


def test_box_box_is_a_triangle():
    got = convolve(BOX, BOX, t)
    assert got == sp.Piecewise((0, t < 0), (t, t < 1), (2 - t, t < 2), (0, True))
    half = rect(t, -R(1, 2), R(1, 2))
    assert_same_pieces(convolve(half, half, t), triangle(t))


def test_b_splines_box3_and_box4():
    b2 = convolve(BOX, BOX, t)
    b3 = convolve(b2, BOX, t)
    expected3 = sp.Piecewise(
        (0, t < 0), (t**2 / 2, t < 1), ((-2 * t**2 + 6 * t - 3) / 2, t < 2), ((3 - t) ** 2 / 2, t < 3), (0, True)
    )
    assert_same_pieces(b3, expected3)
    b4 = convolve(b3, BOX, t)
    expected4 = sp.Piecewise(
        (0, t < 0),
        (t**3 / 6, t < 1),
        ((-3 * t**3 + 12 * t**2 - 12 * t + 4) / 6, t < 2),
        ((3 * t**3 - 24 * t**2 + 60 * t - 44) / 6, t < 3),
        ((4 - t) ** 3 / 6, t < 4),
        (0, True),
    )
    assert_same_pieces(b4, expected4)
    # box * box * box * box grouped the other way: (box * box) * (box * box)
    assert_same_pieces(convolve(b2, b2, t), expected4)


def test_triangle_triangle_in_every_spelling():
    b4 = convolve(convolve(convolve(BOX, BOX, t), BOX, t), BOX, t)
    expected = b4.subs(t, t + 2)  # triangle = box * box shifted by 1
    assert_same_pieces(convolve(triangle(t), triangle(t), t), expected)
    by_hand = sp.Piecewise((1 + t, (t >= -1) & (t < 0)), (1 - t, (t >= 0) & (t <= 1)), (0, True))
    assert_same_pieces(convolve(by_hand, by_hand, t), expected)
    assert_same_pieces(convolve(sp.Max(0, 1 - sp.Abs(t)), triangle(t), t), expected)


def test_irwin_hall_as_repeated_convolution():
    density = BOX
    for n in (2, 3):
        density = convolve(density, BOX, t)
        assert_same_pieces(density, irwin_hall(n))
        assert_equal_at(density, irwin_hall(n), RATIONALS)


def test_exponentials_equal_and_different_rates():
    same = convolve(one_sided_exp(t, a), one_sided_exp(t, a), t)
    assert_same_pieces(same, sp.Piecewise((0, t < 0), (t * sp.exp(-a * t), True)))
    diff = convolve(one_sided_exp(t, a), one_sided_exp(t, b), t)
    assert_same_pieces(diff, sp.Piecewise((0, t < 0), ((sp.exp(-a * t) - sp.exp(-b * t)) / (b - a), True)))
    numeric = convolve(one_sided_exp(t, 1), one_sided_exp(t, 2), t)
    assert_same_pieces(numeric, sp.Piecewise((0, t < 0), (sp.exp(-t) - sp.exp(-2 * t), True)))


def test_gaussians_with_symbolic_sigmas_and_means():
    got = convolve(gaussian(t, s1, m1), gaussian(t, s2, m2), t)
    assert not isinstance(got, sp.Piecewise)
    expected = gaussian(t, sp.sqrt(s1**2 + s2**2), m1 + m2)
    assert sp.simplify(got - expected) == 0
    assert sp.simplify(convolve(gaussian(t, 3), gaussian(t, 4), t) - gaussian(t, 5)) == 0


def test_mixtures_box_exp_and_gaussian_box():
    got = convolve(BOX, one_sided_exp(t, a), t)
    expected = sp.Piecewise(
        (0, t < 0), ((1 - sp.exp(-a * t)) / a, t < 1), ((sp.exp(a) - 1) * sp.exp(-a * t) / a, True)
    )
    assert_same_pieces(got, expected)
    smooth = convolve(gaussian(t), BOX, t)
    erf_form = (sp.erf(t / sp.sqrt(2)) - sp.erf((t - 1) / sp.sqrt(2))) / 2
    assert sp.simplify(smooth - erf_form) == 0


def test_heaviside_inputs_are_rewritten():
    got = convolve(sp.Heaviside(t) * sp.exp(-t), sp.Heaviside(t) - sp.Heaviside(t - 1), t)
    assert_same_pieces(got, convolve(one_sided_exp(t, 1), BOX, t))
    assert not got.has(sp.Heaviside)


def test_symbolic_widths():
    T = sp.Symbol("T", positive=True)
    got = convolve(rect(t, 0, T), rect(t, 0, T), t)
    assert_same_pieces(got, sp.Piecewise((0, t < 0), (t, t < T), (2 * T - t, t < 2 * T), (0, True)))
    with pytest.raises(ValueError, match="cannot decide the sign of .*ordering the breakpoint sums"):
        convolve(rect(t, 0, T), rect(t, 0, sp.Symbol("S", positive=True)), t)


def test_numbers_are_constant_signals():
    assert convolve(2, BOX, t) == 2
    assert convolve(BOX, 0.5, t) == sp.Float(0.5)


# ---------------------------------------------------------------- the rules of convolution


def test_commutativity_exact():
    pairs = [(rect(t, 0, 2), triangle(t)), (one_sided_exp(t, 2), triangle(t))]
    for f, g in pairs:
        assert_same_pieces(convolve(f, g, t), convolve(g, f, t))


def test_associativity_at_rational_points():
    f, g, h = rect(t, 0, 2), triangle(t), rect(t, -1, R(1, 2))
    left = convolve(convolve(f, g, t), h, t)
    right = convolve(f, convolve(g, h, t), t)
    assert_equal_at(left, right, RATIONALS)
    assert_same_pieces(left, right)


def test_area_rule():
    for f, g in [(rect(t, 0, 2), triangle(t)), (one_sided_exp(t, a), one_sided_exp(t, b)), (triangle(t), one_sided_exp(t, 3))]:
        assert sp.simplify(area(convolve(f, g, t)) - area(f) * area(g)) == 0


def test_support_rule():
    for f, g in [(rect(t, 0, 2), triangle(t)), (one_sided_exp(t, 1), rect(t, -3, -1)), (gaussian(t), BOX)]:
        sf, sg = support(f, t), support(g, t)
        assert support(convolve(f, g, t), t) == sp.Interval(sf.start + sg.start, sf.end + sg.end)
    assert support(rect(t, 0, 2), t) == sp.Interval(0, 2)
    assert support(sp.Integer(0), t) == sp.S.EmptySet


def test_derivative_rule_where_smooth():
    d_triangle = rect(t, -1, 0) - rect(t, 0, 1)  # the derivative of the triangle, off its kinks
    g = rect(t, 0, R(3, 2))
    lhs = sp.diff(convolve(triangle(t), g, t), t)
    rhs = convolve(d_triangle, g, t)
    kinks = {-1, 0, 1, R(1, 2), R(3, 2), R(5, 2)}
    assert_equal_at(lhs, rhs, [p for p in RATIONALS if p not in kinks])
    # and with an exponential: d/dt (h * box) = h' * box + h(0) box  (h jumps by 1 at 0)
    h = one_sided_exp(t, 2)
    lhs = sp.diff(convolve(h, BOX, t), t)
    rhs = convolve(-2 * h, BOX, t) + BOX
    assert_equal_at(lhs, rhs, [p for p in RATIONALS if p not in (0, 1)])


@settings(max_examples=12, deadline=None)
@given(
    st.integers(-3, 3), st.integers(1, 3), st.integers(-3, 3), st.integers(1, 3),
)
def test_two_boxes_make_a_trapezoid(a1, w1, a2, w2):
    f, g = rect(t, a1, a1 + w1), rect(t, a2, a2 + w2)
    got = convolve(f, g, t)
    lo, short, long = a1 + a2, min(w1, w2), max(w1, w2)
    trapezoid = sp.Piecewise(
        (0, t < lo), (t - lo, t < lo + short), (short, t < lo + long), (lo + w1 + w2 - t, t < lo + w1 + w2), (0, True)
    )
    assert_same_pieces(got, trapezoid)
    assert_same_pieces(got, convolve(g, f, t))
    assert area(got) == w1 * w2


# ---------------------------------------------------------------- numeric paths


def test_to_numeric_handles_piecewise_and_overflowing_branches():
    expr = convolve(BOX, one_sided_exp(t, 1), t)
    F = to_numeric(expr, t)
    xs = [R(-1, 2), R(1, 3), R(3, 2), 5]
    np.testing.assert_allclose(F([float(x) for x in xs]), [float(expr.subs(t, x)) for x in xs], rtol=1e-14)
    # the unused branch exp(-t) overflows at t = -1000: no warning, the selected value is 0
    assert F(np.array([-1000.0, 1000.0])).tolist() == [0.0, 0.0]
    const = to_numeric(sp.Integer(3), t)
    assert const(np.zeros((2, 3))).shape == (2, 3) and const(1.0).tolist() == 3.0
    assert to_numeric(gaussian(t) * 0 + sp.erf(t), t)([0.0]).tolist() == [0.0]


def test_riemann_sums_converge_to_the_exact_convolution():
    t_values = np.linspace(-1.3, 2.9, 15) + 0.0123  # off the grid: the box edges cut cells
    cases = [(rect(t, 0, 2), one_sided_exp(t, 1), 0, 2), (one_sided_exp(t, 1), triangle(t), 0, 40), (triangle(t), gaussian(t), -1, 1)]
    for f, g, lo, hi in cases:
        exact = to_numeric(convolve(f, g, t), t)(t_values)
        errors = [np.max(np.abs(riemann_convolve(f, g, t, t_values, dx=dx, lo=lo, hi=hi) - exact)) for dx in (0.1, 0.01, 0.001)]
        assert errors[0] > errors[1] > errors[2]
        assert errors[2] < 2e-3
    # a smooth integrand that vanishes at both ends: the midpoint sum is then extremely accurate
    exact = to_numeric(convolve(gaussian(t), gaussian(t, 2), t), t)(t_values)
    approx = riemann_convolve(gaussian(t), gaussian(t, 2), t, t_values, dx=0.05, lo=-12, hi=12)
    np.testing.assert_allclose(approx, exact, rtol=1e-10, atol=1e-14)


def test_riemann_loops_agree_with_vectorized():
    f, g = triangle(t), one_sided_exp(t, 2)
    t_values = [-0.5, 0.25, 1.75]
    loops = riemann_convolve(f, g, t, t_values, dx=0.05, lo=-1, hi=1, method="loops")
    fast = riemann_convolve(f, g, t, t_values, dx=0.05, lo=-1, hi=1)
    np.testing.assert_allclose(loops, fast, rtol=1e-12, atol=1e-15)
    assert riemann_convolve(f, g, t, 0.25, dx=0.05, lo=-1, hi=1).shape == ()


# ---------------------------------------------------------------- bad input


def test_bad_variable():
    with pytest.raises(TypeError, match=r"t must be a sympy Symbol, .*got 't' \(type str\)"):
        convolve(BOX, BOX, "t")
    with pytest.raises(TypeError, match="t must be a sympy Symbol"):
        convolve(BOX, BOX, t + 1)
    with pytest.raises(ValueError, match="every real value.*is_positive=True"):
        convolve(BOX, BOX, sp.Symbol("t", positive=True))
    with pytest.raises(ValueError, match="declared non-real"):
        support(BOX, sp.Symbol("t", imaginary=True))
    with pytest.raises(TypeError, match=r"t must be a sympy Symbol or expression, .*got 1 \(type int\)"):
        rect(1)
    with pytest.raises(TypeError, match="t must be a sympy Symbol or expression"):
        gaussian("t")


def test_bad_parameters():
    with pytest.raises(ValueError, match="rect needs a < b, got a=1 and b=1"):
        rect(t, 1, 1)
    with pytest.raises(ValueError, match="rect needs a < b, got a=2 and b=1"):
        rect(t, 2, 1)
    with pytest.raises(ValueError, match="cannot decide that a < b"):
        rect(t, 0, sp.Symbol("c"))
    with pytest.raises(TypeError, match=r"b must be a real number or a sympy expression, got '1'"):
        rect(t, 0, "1")
    with pytest.raises(ValueError, match=r"a must be positive, got 0"):
        one_sided_exp(t, 0)
    with pytest.raises(ValueError, match=r"a must be positive, got -1"):
        one_sided_exp(t, -1)
    with pytest.raises(ValueError, match="sign sympy cannot decide.*positive=True"):
        one_sided_exp(t, sp.Symbol("c", real=True))
    with pytest.raises(ValueError, match=r"sigma must be positive, got -2"):
        gaussian(t, -2)
    with pytest.raises(ValueError, match=r"sigma must be positive, got 0"):
        gaussian(t, 0.0)
    with pytest.raises(ValueError, match="mu must be real, got I"):
        gaussian(t, 1, sp.I)
    with pytest.raises(ValueError, match="a must be finite"):
        one_sided_exp(t, sp.oo)


def test_bad_signals():
    with pytest.raises(TypeError, match="f must be a sympy expression .* got the string 'rect.t.'.*Strings are not parsed"):
        convolve("rect(t)", BOX, t)
    with pytest.raises(TypeError, match=r"g must be a sympy expression \(or a plain number\).*got \[1, 2\]"):
        convolve(BOX, [1, 2], t)
    with pytest.raises(TypeError, match="g must be a sympy expression or a number, got True"):
        convolve(BOX, True, t)
    with pytest.raises(TypeError, match="f must be a sympy expression .*got t < 1"):
        convolve(t < 1, BOX, t)
    with pytest.raises(ValueError, match="f must be finite"):
        convolve(sp.oo, BOX, t)
    # convolve takes Dirac deltas (sifting property), but not one where the other factor jumps
    with pytest.raises(ValueError, match=r"f: cannot convolve .*jumps or bends at t = 0, where the delta sits"):
        convolve(BOX * sp.DiracDelta(t), BOX, t)
    with pytest.raises(ValueError, match="floor is not supported"):
        convolve(sp.floor(t), BOX, t)
    with pytest.raises(ValueError, match=r"undefined near t = -1.*\(0, True\)"):
        convolve(sp.Piecewise((1, t > 0)), BOX, t)
    with pytest.raises(ValueError, match="cannot decide the sign"):
        convolve(rect(t, 0, 1) * sp.Heaviside(t - sp.Symbol("c", real=True)), BOX, t)


def test_divergent_convolutions_raise():
    with pytest.raises(ValueError, match=r"diverges: the integrand 1 does not vanish as tau -> oo"):
        convolve(1, 1, t)
    with pytest.raises(ValueError, match=r"diverges: the integrand exp\(t\) does not vanish"):
        convolve(sp.exp(t), sp.exp(t), t)
    growing = sp.Heaviside(t) * sp.exp(t)
    with pytest.raises(ValueError, match="diverges"):
        convolve(growing, sp.Heaviside(-t), t)
    with pytest.raises(ValueError, match="diverges"):
        convolve(sp.exp(t**2), BOX * 0 + 1, t)
    with pytest.raises(ValueError, match=r"cannot decide whether the integrand .* decays .*positive=True"):
        convolve(sp.Heaviside(t) * sp.exp(sp.Symbol("c", real=True) * t), 1, t)
    with pytest.raises(ValueError, match="cannot integrate .* in closed form between -oo and oo"):
        convolve(sp.sin(t), sp.exp(-(t**2)), t)
    # on finite intervals unusual pieces are left to sympy.integrate
    assert sp.simplify(convolve(sp.sin(t), BOX, t) - (sp.cos(t - 1) - sp.cos(t))) == 0
    # a growing one-sided exponential is fine when the other signal cuts it off
    assert_same_pieces(convolve(growing, growing, t), sp.Piecewise((0, t < 0), (t * sp.exp(t), True)))


def test_bad_numeric_arguments():
    with pytest.raises(ValueError, match=r"expr must depend on t only, got the free symbols a"):
        to_numeric(one_sided_exp(t, a), t)
    with pytest.raises(ValueError, match=r"g must depend on t only, got the free symbols a, b"):
        riemann_convolve(BOX, one_sided_exp(t, a + b), t, [0.5], dx=0.1, lo=0, hi=1)
    with pytest.raises(TypeError, match="x must hold numbers"):
        to_numeric(BOX, t)(["a"])
    with pytest.raises(ValueError, match=r"dx must be positive, got 0"):
        riemann_convolve(BOX, BOX, t, [0.5], dx=0, lo=0, hi=1)
    with pytest.raises(ValueError, match="lo must be < hi, got lo=1 and hi=0"):
        riemann_convolve(BOX, BOX, t, [0.5], dx=0.1, lo=1, hi=0)
    with pytest.raises(ValueError, match="hi must be finite"):
        riemann_convolve(BOX, BOX, t, [0.5], dx=0.1, lo=0, hi=math.inf)
    with pytest.raises(TypeError, match="dx must be a real number, got '0.1'"):
        riemann_convolve(BOX, BOX, t, [0.5], dx="0.1", lo=0, hi=1)
    with pytest.raises(ValueError, match="t_values must be finite"):
        riemann_convolve(BOX, BOX, t, [np.nan], dx=0.1, lo=0, hi=1)
    with pytest.raises(ValueError, match="t_values must be 0-D or 1-D"):
        riemann_convolve(BOX, BOX, t, [[0.5]], dx=0.1, lo=0, hi=1)
    with pytest.raises(ValueError, match="method='fast' is not allowed. Acceptable method flags are 'vectorized', or 'loops'"):
        riemann_convolve(BOX, BOX, t, [0.5], dx=0.1, lo=0, hi=1, method="fast")


# ---------------------------------------------------------------- documentation


def test_doctests():
    result = doctest.testmod(continuous, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 15 and result.failed == 0


def test_public_api_is_documented():
    for name in continuous.__all__:
        doc = getattr(continuous, name).__doc__
        for section in ("Parameters", "Returns", "Raises", "Examples"):
            assert section in doc, (name, section)
    assert "rolling up" in continuous.__doc__ and "x + y = t" in continuous.__doc__
