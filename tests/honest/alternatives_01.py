"""Set 01 by the other method each exercise suggests: limits worked out by hand for rect * rect, sympy's integral
(both cases at once) for the exponentials, and the density of a sum of uniforms by repeated convolution, built once
with sympy and evaluated with lambdify."""
SET = "01-continuous"
CELLS = {
    "box-box-answer": r'''
def box_box(t):
    """(rect * rect)(t): r(x) r(t - x) = 1 exactly on 0 <= x < 1 and t - 1 < x <= t, so the integral is the
    length of that overlap, worked out by hand."""
    return sp.Piecewise((0, t < 0), (t, t < 1), (2 - t, t < 2), (0, True))
''',
    "exp-conv-answer": r'''
def exp_conv(a, b, t):
    """sympy integrates both cases at once (a Piecewise when the rates are symbols that may be equal)."""
    x = sp.Dummy("x", real=True)
    return sp.integrate(sp.exp(-sp.sympify(a) * x) * sp.exp(-sp.sympify(b) * (t - x)), (x, 0, t))
''',
    "uniform-sum-answer": r'''
_X = sp.Symbol("x", real=True)
_U = sp.Dummy("u", real=True)


def _rect(v):
    return sp.Piecewise((1, (v >= 0) & (v < 1)), (0, True))


_DENSITIES = {1: _rect(_X)}
for _n in (2, 3):  # p_n = p_{n-1} * rect, integrated once, here, not on every call
    _DENSITIES[_n] = sp.integrate(_DENSITIES[_n - 1].subs(_X, _U) * _rect(_X - _U), (_U, -sp.oo, sp.oo))
_EVALUATE = {n: sp.lambdify(_X, p, "math") for n, p in _DENSITIES.items()}


def uniform_sum_density(n, x):
    """The density of U1 + ... + Un by repeated convolution of rect with itself."""
    return float(_EVALUATE[n](float(x)))
''',
}
