r"""Exact continuous convolution with sympy (backs chapter 1 of the course).

The picture of the course
-------------------------
The convolution of two signals ``f`` and ``g`` is

.. math::

    V(t) = (f * g)(t) = \int_{-\infty}^{\infty} f(x)\, g(t - x)\, dx .

Think of the surface ``U(x, y) = f(x) g(y)`` over the ``(x, y)`` plane.  For
one value of ``t``, walk along the line ``x + y = t`` and add up the values of
``U`` that you meet: the total is ``V(t)`` (the point ``(x, t - x)`` runs
along the line as ``x`` runs over the real axis).  Sliding ``t`` sweeps the
line across the plane: ``V`` is the "rolling up" of the surface ``U`` along
the lines ``x + y = t``, each line rolled into one value of ``V``.
Everything else in this module -- the breakpoints ``a_i + b_j`` of the
result, the area rule, the support rule -- can be read off that picture.

What is here
------------
* Signal constructors returning sympy expressions: :func:`rect`,
  :func:`triangle`, :func:`one_sided_exp`, :func:`gaussian`.
* :func:`convolve`: the exact ``(f * g)(t)`` as a sympy expression
  (a ``Piecewise`` in ``t`` where needed), computed piece by piece with
  closed-form antiderivatives, not by calling ``sympy.integrate`` on the whole
  definition (which returns unevaluated integrals, or runs for minutes, on
  several textbook pairs).  Dirac deltas (and their derivatives) are
  convolved by the sifting property.
* :func:`pieces` and :func:`support`: a piecewise signal as a list of
  intervals and formulas, and the interval where it lives.
* :func:`to_numeric`: a numpy-vectorised callable for plotting.
* :func:`riemann_convolve`: the didactic numeric path, a Riemann sum (with a
  loop version a student can read), which converges to :func:`convolve` as
  ``dx`` shrinks.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike
from sympy.core.function import AppliedUndef

from ._validation import as_real_array, check_choice, check_real, check_size, describe

__all__ = [
    "rect",
    "triangle",
    "one_sided_exp",
    "gaussian",
    "convolve",
    "pieces",
    "support",
    "to_numeric",
    "riemann_convolve",
]

_oo = sp.oo

# Functions of t that convolve cannot split into smooth pieces.
_UNSUPPORTED = (sp.DiracDelta, sp.floor, sp.ceiling, sp.frac, sp.Mod)

# Unevaluated operations: not a formula for a signal (sympy cannot substitute t - tau in
# them, nor lambdify evaluate them).
_UNEVALUATED = (sp.Integral, sp.Derivative, sp.Subs, sp.Sum, sp.Product, sp.Limit, sp.Order)


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------


def _check_expr_arg(name: str, value) -> sp.Expr:
    """``t`` of a constructor: any real sympy expression (a Symbol, ``t - 1``, ...)."""
    if isinstance(value, sp.Expr):
        if value.has(sp.nan, sp.zoo, _oo, -_oo) or not _may_be_real(value):
            raise ValueError(
                f"{name} must be a real sympy Symbol or expression, such as sympy.Symbol('t', real=True) "
                f"or t - 1, got {describe(value)}: a signal is compared with its edges (t < 1), which "
                f"needs real values."
            )
        return value
    raise TypeError(
        f"{name} must be a sympy Symbol or expression, such as sympy.Symbol('t', real=True) "
        f"or t - 1, got {describe(value)}."
    )


def _may_be_real(value: sp.Expr) -> bool:
    """False for an expression that is not real (``I*t``, ``1 + I``); True when it is or may be."""
    if value.is_extended_real is False:
        return False
    if value.is_extended_real is None and value.has(sp.I):
        return sp.im(value).is_zero is True
    return True


def _check_symbol(name: str, value) -> sp.Symbol:
    """``t`` of convolve & co.: a sympy Symbol free to range over the whole real line."""
    if not isinstance(value, sp.Symbol):
        raise TypeError(
            f"{name} must be a sympy Symbol, such as sympy.Symbol('{name}', real=True), "
            f"got {describe(value)}."
        )
    if value.is_extended_real is False:
        raise ValueError(
            f"{name} must be able to take every real value, got the symbol {value} which is "
            f"declared non-real. Use sympy.Symbol('{value}', real=True)."
        )
    decided = [
        k
        for k in ("positive", "negative", "zero", "nonnegative", "nonpositive", "integer")
        if getattr(value, f"is_{k}") is not None
    ]
    if decided:
        raise ValueError(
            f"{name} must be able to take every real value, got the symbol {value} whose "
            f"assumptions decide is_{decided[0]}={getattr(value, f'is_{decided[0]}')}: sympy "
            f"would silently drop the pieces of the signals outside that range. Use "
            f"sympy.Symbol('{value}', real=True)."
        )
    return value


def _check_signal(name: str, value) -> sp.Expr:
    """``f`` or ``g``: a sympy expression; Python numbers are sympified, strings refused."""
    if isinstance(value, str):
        raise TypeError(
            f"{name} must be a sympy expression such as rect(t) or sympy.exp(-t), got the "
            f"string {value!r}. Strings are not parsed (sympify evaluates them as Python code): "
            f"build the expression from sympy objects instead."
        )
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a sympy expression or a number, got {describe(value)}.")
    if isinstance(value, numbers.Number):
        value = sp.sympify(value)
    if not isinstance(value, sp.Expr):
        raise TypeError(
            f"{name} must be a sympy expression (or a plain number), such as rect(t) or "
            f"sympy.exp(-t), got {describe(value)}."
        )
    if value.has(sp.nan, sp.zoo, _oo, -_oo):
        raise ValueError(f"{name} must be finite, got {describe(value)}.")
    _check_evaluated(name, value)
    return value


def _check_evaluated(name: str, value: sp.Expr) -> None:
    """Refuse unevaluated operations and undefined functions: they are not formulas."""
    for node in sp.preorder_traversal(value):
        if isinstance(node, _UNEVALUATED):
            raise ValueError(
                f"{name} holds the unevaluated {type(node).__name__} {_show(node)}: it is not a formula "
                f"for a signal. Evaluate it first ({name}.doit()), or write the formula it stands for."
            )
        if isinstance(node, AppliedUndef):
            raise ValueError(
                f"{name} holds the undefined function {node}: sympy knows nothing about its values. "
                f"Give the signal as a formula, e.g. rect(t) or sympy.exp(-t) * sympy.Heaviside(t)."
            )


def _check_param(name: str, value, *, positive: bool = False, allow_inf: bool = False) -> sp.Expr:
    """A parameter (a bound, a rate, a width): a real number or a sympy expression."""
    if isinstance(value, str) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or a sympy expression, got {describe(value)}.")
    if isinstance(value, numbers.Number):
        value = sp.sympify(value)
    if not isinstance(value, sp.Expr):
        raise TypeError(f"{name} must be a real number or a sympy expression, got {describe(value)}.")
    if value.has(sp.nan, sp.zoo) or value.is_extended_real is False:
        raise ValueError(f"{name} must be real, got {describe(value)}.")
    if not allow_inf and value.has(_oo, -_oo):
        raise ValueError(f"{name} must be finite, got {describe(value)}.")
    if value.has(sp.Piecewise, sp.Heaviside, sp.DiracDelta) or value.atoms(sp.Rel) or value.atoms(AppliedUndef):
        raise ValueError(
            f"{name} must be a number or an expression in parameters (such as a positive symbol), "
            f"not a signal, got {describe(value)}."
        )
    if positive:
        if value.is_positive is False:
            raise ValueError(f"{name} must be positive, got {describe(value)}.")
        if value.is_positive is None:
            raise ValueError(
                f"{name} must be positive, got {describe(value)} whose sign sympy cannot decide. "
                f"Declare the symbols positive, e.g. sympy.Symbol('{name}', positive=True)."
            )
    return value


# --------------------------------------------------------------------------
# signal constructors
# --------------------------------------------------------------------------


def rect(t: sp.Expr, a: float | sp.Expr = 0, b: float | sp.Expr = 1) -> sp.Expr:
    r"""The box (rectangular pulse) that is 1 on ``[a, b)`` and 0 elsewhere.

    .. math::

        \operatorname{rect}_{[a, b)}(t) =
        \begin{cases} 1 & a \le t < b \\ 0 & \text{otherwise} \end{cases}

    Parameters
    ----------
    t : sympy.Expr
        The variable (a sympy Symbol, or any expression such as ``t - 1``).
    a, b : number or sympy.Expr, optional
        The edges, ``a < b`` (default ``[0, 1)``).  ``a = -oo`` or ``b = oo``
        give a unit step.  Prefer exact numbers (``sympy.Rational(1, 2)``
        rather than ``0.5``): floats make the results inexact.

    Returns
    -------
    sympy.Expr
        A ``Piecewise`` with explicit intervals.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy expression, or ``a``/``b`` is not a number or
        a sympy expression.
    ValueError
        If ``a >= b``, or if sympy cannot decide that ``a < b`` (undeclared
        symbols).

    Notes
    -----
    The boundary values are exact: ``rect(t, a, b)`` is 1 at ``t = a`` and 0
    at ``t = b``.  (``Heaviside(t) - Heaviside(t - 1)`` would be 1/2 at both
    edges with sympy's default ``Heaviside(0) = 1/2``.)  Point values do not
    change any convolution.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> rect(t)
    Piecewise((0, t < 0), (1, t < 1), (0, True))
    >>> [rect(t).subs(t, v) for v in (-1, 0, sp.Rational(1, 2), 1)]
    [0, 1, 1, 0]
    """
    t = _check_expr_arg("t", t)
    a = _check_param("a", a, allow_inf=True)
    b = _check_param("b", b, allow_inf=True)
    width = b - a
    if width.has(sp.nan) or width.is_extended_positive is False:
        raise ValueError(f"rect needs a < b, got a={a} and b={b}.")
    if width.is_extended_positive is None:
        raise ValueError(
            f"rect needs a < b, got a={a} and b={b} and sympy cannot decide that a < b: "
            f"declare the symbols positive or give numbers."
        )
    if a == -_oo and b == _oo:
        return sp.Integer(1)
    if a == -_oo:
        return sp.Piecewise((1, t < b), (0, True))
    if b == _oo:
        return sp.Piecewise((0, t < a), (1, True))
    return sp.Piecewise((0, t < a), (1, t < b), (0, True))


def triangle(t: sp.Expr) -> sp.Expr:
    r"""The unit triangle ``max(0, 1 - |t|)``, the convolution of two centred boxes.

    .. math::

        \Lambda(t) = \max(0, 1 - |t|) =
        \begin{cases} 1 + t & -1 \le t < 0 \\ 1 - t & 0 \le t < 1 \\
        0 & \text{otherwise} \end{cases}

    Parameters
    ----------
    t : sympy.Expr
        The variable (a sympy Symbol or an expression).

    Returns
    -------
    sympy.Expr
        A ``Piecewise`` with explicit intervals; its value is 0 at ``t = -1``
        and ``t = 1`` and 1 at ``t = 0``.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy expression.

    Notes
    -----
    ``triangle(t) == convolve(rect(t, -1/2, 1/2), rect(t, -1/2, 1/2), t)``.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> triangle(t)
    Piecewise((0, t < -1), (t + 1, t < 0), (1 - t, t < 1), (0, True))
    >>> [triangle(t).subs(t, v) for v in (-1, sp.Rational(-1, 2), 0, 1)]
    [0, 1/2, 1, 0]
    """
    t = _check_expr_arg("t", t)
    return sp.Piecewise((0, t < -1), (1 + t, t < 0), (1 - t, t < 1), (0, True))


def one_sided_exp(t: sp.Expr, a: float | sp.Expr = 1) -> sp.Expr:
    r"""The one-sided (causal) exponential ``e^{-a t}`` for ``t >= 0``, 0 before.

    .. math::

        h(t) = \begin{cases} e^{-a t} & t \ge 0 \\ 0 & t < 0 \end{cases}

    the impulse response of a first-order low-pass filter (an RC circuit).

    Parameters
    ----------
    t : sympy.Expr
        The variable (a sympy Symbol or an expression).
    a : positive number or sympy.Expr, optional
        The rate (default 1), ``a > 0``; a symbol must be declared positive,
        ``sympy.Symbol('a', positive=True)``.

    Returns
    -------
    sympy.Expr
        A ``Piecewise``, exactly 1 at ``t = 0``.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy expression or ``a`` is not a number or a sympy
        expression.
    ValueError
        If ``a <= 0``, or if sympy cannot decide that ``a > 0``.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> one_sided_exp(t, 2)
    Piecewise((0, t < 0), (exp(-2*t), True))
    >>> one_sided_exp(t, 2).subs(t, 0)
    1
    """
    t = _check_expr_arg("t", t)
    a = _check_param("a", a, positive=True)
    return sp.Piecewise((0, t < 0), (sp.exp(-a * t), True))


def gaussian(t: sp.Expr, sigma: float | sp.Expr = 1, mu: float | sp.Expr = 0) -> sp.Expr:
    r"""The normal density with standard deviation ``sigma`` and mean ``mu``.

    .. math::

        \varphi_{\mu, \sigma}(t) = \frac{1}{\sigma\sqrt{2\pi}}
        \exp\!\left(-\frac{(t - \mu)^2}{2\sigma^2}\right)

    Parameters
    ----------
    t : sympy.Expr
        The variable (a sympy Symbol or an expression).
    sigma : positive number or sympy.Expr, optional
        The standard deviation (default 1); a symbol must be declared
        positive.
    mu : real number or sympy.Expr, optional
        The mean (default 0).

    Returns
    -------
    sympy.Expr
        A smooth expression (no ``Piecewise``) of total area 1.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy expression, or ``sigma``/``mu`` not a number
        or a sympy expression.
    ValueError
        If ``sigma <= 0`` (or its sign cannot be decided), or ``mu`` is not
        real and finite.

    Notes
    -----
    Gaussians are closed under convolution: means add and variances add,
    ``gaussian(t, s1, m1) * gaussian(t, s2, m2) = gaussian(t, sqrt(s1**2 + s2**2), m1 + m2)``.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> gaussian(t)
    sqrt(2)*exp(-t**2/2)/(2*sqrt(pi))
    >>> gaussian(t, 2, 1).subs(t, 1)
    sqrt(2)/(4*sqrt(pi))
    """
    t = _check_expr_arg("t", t)
    sigma = _check_param("sigma", sigma, positive=True)
    mu = _check_param("mu", mu)
    return sp.exp(-((t - mu) ** 2) / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))


# --------------------------------------------------------------------------
# pieces: a signal as intervals and smooth formulas
# --------------------------------------------------------------------------


def _sign(value, what: str) -> int:
    """-1, 0 or 1 for a sympy value whose sign must be decidable."""
    value = sp.expand(value)
    if value.is_zero:
        return 0
    if value.is_extended_positive:
        return 1
    if value.is_extended_negative:
        return -1
    raise ValueError(
        f"cannot decide the sign of {value} ({what}). Give numbers, or declare the "
        f"symbols' signs, e.g. sympy.Symbol('a', positive=True)."
    )


def _roots(expr, x):
    """The real points where ``expr`` (a function of x) can change sign."""
    expr = sp.sympify(expr)
    if not expr.has(x):
        return []
    try:
        poly = sp.Poly(expr, x)
    except sp.PolynomialError:
        poly = None
    if poly is not None and poly.degree() == 1 and not any(c.has(x) for c in poly.all_coeffs()):
        c1, c0 = poly.all_coeffs()
        return [sp.simplify(-c0 / c1)]
    xr = sp.Dummy("x", real=True)
    found = sp.solveset(expr.xreplace({x: xr}), xr, sp.S.Reals)
    if isinstance(found, sp.FiniteSet):
        return list(found)
    if found is sp.S.EmptySet:
        return []
    raise ValueError(
        f"cannot locate where {expr} changes sign: the pieces of a signal must be delimited "
        f"by conditions such as t < 1 or Abs(t) < 1."
    )


def _kinks(expr, x):
    """Every point where a Piecewise / Heaviside / Abs / Max / Min / sign of ``expr`` may switch."""
    pts = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.DiracDelta) and node.has(x):
            raise ValueError(
                f"{node} is a distribution, not a function: it has no value at any point, hence no "
                f"pieces. convolve accepts it (the sifting property: convolve(DiracDelta(t - c), g, t) "
                f"== g(t - c))."
            )
        if isinstance(node, _UNSUPPORTED) and node.has(x):
            raise ValueError(
                f"{type(node).__name__} is not supported in a signal (got {node}): "
                f"use Piecewise, Heaviside, Abs, Max or Min to build piecewise signals."
            )
        if isinstance(node, (sp.Heaviside, sp.Abs, sp.sign)):
            pts += _roots(node.args[0], x)
        elif isinstance(node, (sp.Max, sp.Min)):
            args = node.args
            pts += [r for i in range(len(args)) for j in range(i) for r in _roots(args[i] - args[j], x)]
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                if not isinstance(cond, sp.logic.boolalg.Boolean):
                    continue
                for rel in cond.atoms(sp.Rel):
                    pts += _roots(rel.lhs - rel.rhs, x)
    return [p for p in pts if p.is_finite is not False]


def _sorted_unique(points, what: str):
    """Sort symbolic points by deciding signs of differences; drop duplicates."""
    out = []
    for p in points:
        pos = len(out)
        duplicate = False
        for i, q in enumerate(out):
            s = _sign(p - q, f"ordering the {what} {p} and {q}")
            if s == 0:
                duplicate = True
                break
            if s < 0:
                pos = i
                break
        if not duplicate:
            out.insert(pos, p)
    return out


def _resolve(expr, x, s):
    """The smooth formula that ``expr`` equals on the open interval around the point ``x = s``."""
    if not expr.has(x) or not expr.args:
        return expr
    if isinstance(expr, sp.Piecewise):
        for piece, cond in expr.args:
            value = cond.subs(x, s) if isinstance(cond, sp.Basic) else sp.sympify(cond)
            if value is sp.true:
                return _resolve(piece, x, s)
            if value is not sp.false:
                raise ValueError(
                    f"cannot decide the condition {cond} at {x} = {s}: give numbers, or "
                    f"declare the symbols' signs."
                )
        raise ValueError(
            f"the Piecewise {expr} is undefined near {x} = {s} (no condition holds there): "
            f"add a default piece such as (0, True)."
        )
    if isinstance(expr, (sp.Heaviside, sp.Abs, sp.sign)):
        arg = _resolve(expr.args[0], x, s)
        sgn = _sign(expr.args[0].subs(x, s), f"the argument of {expr} at {x} = {s}")
        if isinstance(expr, sp.Heaviside):
            return sp.Integer(1 if sgn > 0 else 0)
        if isinstance(expr, sp.sign):
            return sp.Integer(sgn)
        return arg if sgn >= 0 else -arg
    if isinstance(expr, (sp.Max, sp.Min)):
        best = None
        for cand in expr.args:
            if best is None:
                best = cand
                continue
            sgn = _sign((cand - best).subs(x, s), f"comparing the arguments of {expr} at {x} = {s}")
            if (sgn > 0) == isinstance(expr, sp.Max) and sgn != 0:
                best = cand
        return _resolve(best, x, s)
    return expr.func(*[_resolve(arg, x, s) for arg in expr.args])


def _sample(lo, hi):
    """A point strictly inside (lo, hi); the ends may be infinite."""
    if lo == -_oo and hi == _oo:
        return sp.Integer(0)
    if lo == -_oo:
        return hi - 1
    if hi == _oo:
        return lo + 1
    return (lo + hi) / 2


def _is_zero(expr) -> bool:
    return expr == 0 or sp.expand(expr) == 0


def _pieces(expr, x):
    """The list [(lo, hi, formula)] covering the real line, adjacent equal formulas merged."""
    bps = _sorted_unique(_kinks(expr, x), "breakpoints")
    edges = [-_oo, *bps, _oo]
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        formula = _resolve(expr, x, _sample(lo, hi))
        if out and (out[-1][2] == formula or _is_zero(out[-1][2] - formula)):
            out[-1] = (out[-1][0], hi, out[-1][2])
        else:
            out.append((lo, hi, formula))
    return out


def _named_pieces(name, expr, x):
    """:func:`_pieces`, with the parameter's name in front of any error."""
    try:
        return _pieces(expr, x)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def pieces(f: sp.Expr | complex, t: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr, sp.Expr]]:
    r"""Split a piecewise signal into intervals and the smooth formula on each.

    .. math::

        f(t) = p_k(t) \quad \text{for } \mathrm{lo}_k < t < \mathrm{hi}_k,
        \qquad -\infty = \mathrm{lo}_0 < \mathrm{hi}_0 = \mathrm{lo}_1 < \dots
        < \mathrm{hi}_{n-1} = \infty

    Parameters
    ----------
    f : sympy.Expr or number
        A signal in ``t``, built with ``Piecewise`` (explicit intervals),
        ``Heaviside``, ``Abs``, ``Max``, ``Min`` or ``sign``, or a smooth
        expression (one piece).
    t : sympy.Symbol
        The variable.

    Returns
    -------
    list of (lo, hi, formula)
        Consecutive open intervals covering the real line (``lo`` of the first
        is ``-oo``, ``hi`` of the last is ``oo``), with the formula (free of
        ``Piecewise``, ``Heaviside``, ...) that ``f`` equals on each.
        Adjacent intervals with the same formula are merged.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy Symbol, or ``f`` is not a sympy expression
        (strings are refused).
    ValueError
        If a breakpoint or a condition cannot be decided (undeclared
        symbols), if a ``Piecewise`` has no piece for some ``t`` (add
        ``(0, True)``), or if ``f`` holds ``DiracDelta`` (a distribution: it
        has no pieces; :func:`convolve` takes it), ``floor``, ..., an
        unevaluated ``Integral`` or an undefined function.

    Notes
    -----
    Values *at* the breakpoints are not reported: they never change an
    integral, hence never a convolution.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> pieces(sp.Heaviside(t) - sp.Heaviside(t - 1), t)
    [(-oo, 0, 0), (0, 1, 1), (1, oo, 0)]
    >>> pieces(sp.Max(0, 1 - sp.Abs(t)), t)
    [(-oo, -1, 0), (-1, 0, t + 1), (0, 1, 1 - t), (1, oo, 0)]
    """
    t = _check_symbol("t", t)
    f = _check_signal("f", f)
    return _named_pieces("f", f, t)


def support(f: sp.Expr | complex, t: sp.Symbol) -> sp.Set:
    r"""The support of a signal: the closed interval outside which it is zero.

    .. math::

        \operatorname{supp} f = \overline{\operatorname{hull}\{t : f(t) \ne 0\}}

    Parameters
    ----------
    f : sympy.Expr or number
        A signal in ``t`` (piecewise or smooth, see :func:`pieces`).
    t : sympy.Symbol
        The variable.

    Returns
    -------
    sympy.Interval or sympy.EmptySet
        ``Interval(lo, hi)`` from the first to the last interval on which
        ``f`` is not identically zero (closed at finite ends, e.g.
        ``Interval(0, oo)`` for :func:`one_sided_exp`, ``Interval(-oo, oo)``
        for :func:`gaussian`), or ``EmptySet`` for the zero signal.

    Raises
    ------
    TypeError, ValueError
        As :func:`pieces`.

    Notes
    -----
    Gaps inside are filled in (the convex hull).  With that convention the
    support rule is exact (Titchmarsh's convolution theorem):
    ``support(f * g) = support(f) + support(g)``, e.g. a box on ``[0, 2)``
    convolved with the triangle on ``[-1, 1]`` lives on ``[-1, 3]``.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> support(rect(t, 0, 2), t)
    Interval(0, 2)
    >>> support(one_sided_exp(t, 1), t)
    Interval(0, oo)
    """
    t = _check_symbol("t", t)
    f = _check_signal("f", f)
    nonzero = [(lo, hi) for lo, hi, formula in _named_pieces("f", f, t) if not _is_zero(formula)]
    if not nonzero:
        return sp.S.EmptySet
    return sp.Interval(nonzero[0][0], nonzero[-1][1])


# --------------------------------------------------------------------------
# the exact convolution
# --------------------------------------------------------------------------


class _Term:
    """``coef * tau**k * exp(A*tau**2 + B*tau)``, or a ``raw`` term left to sympy."""

    __slots__ = ("coef", "k", "A", "B", "raw")

    def __init__(self, coef=None, k=0, A=0, B=0, raw=None):
        self.coef, self.k, self.A, self.B, self.raw = coef, k, sp.sympify(A), sp.sympify(B), raw


def _terms(integrand, tau):
    """Split an expanded integrand into _Terms (closed forms) and raw terms (for sympy)."""
    out = []
    for term in sp.Add.make_args(integrand):
        coef, k, expo, ok = sp.Integer(1), 0, sp.Integer(0), True
        for factor in sp.Mul.make_args(term):
            if not factor.has(tau):
                coef *= factor
            elif factor == tau:
                k += 1
            elif factor.is_Pow and factor.base == tau and factor.exp.is_Integer and factor.exp > 0:
                k += int(factor.exp)
            elif isinstance(factor, sp.exp):
                expo += factor.args[0]
            elif factor.is_Pow and not factor.base.has(tau) and factor.base.is_positive:
                expo += factor.exp * sp.log(factor.base)
            else:
                ok = False
                break
        if ok:
            try:
                poly = sp.Poly(sp.expand(expo), tau)
            except sp.PolynomialError:
                ok = False
            else:
                ok = poly.degree() <= 2 and not any(c.has(tau) for c in poly.all_coeffs())
        if not ok:
            out.append(_Term(raw=term))
            continue
        c = [sp.Integer(0)] * (3 - len(poly.all_coeffs())) + poly.all_coeffs()
        A, B, C = c
        out.append(_Term(coef * sp.exp(C), k, A, B))
    return out


def _show(expr):
    """``expr`` with the integration variable printed as ``tau`` (not ``_tau``) in messages."""
    return expr.xreplace({d: sp.Symbol(d.name) for d in expr.atoms(sp.Dummy)})


def _diverges(term, where):
    return ValueError(
        f"the convolution integral diverges: the integrand {_show(term)} does not vanish as "
        f"tau -> {where}. Convolution needs inputs that decay (e.g. one_sided_exp with a "
        f"positive rate), or one of finite support."
    )


def _decays(rate, direction, term) -> bool:
    """Whether exp(rate * tau) vanishes as tau -> direction*oo; raise if undecidable."""
    r = sp.re(rate) * direction
    if r.is_extended_negative:
        return True
    if r.is_extended_nonnegative:
        return False
    raise ValueError(
        f"cannot decide whether the integrand {_show(term)} decays as tau -> {'' if direction > 0 else '-'}oo "
        f"(the sign of {sp.re(rate)} is unknown): declare the rates positive, e.g. "
        f"sympy.Symbol('a', positive=True), or give numbers."
    )


def _integrate_term(term: _Term, tau, lo, hi):
    """The exact integral of one term over (lo, hi); the ends may be -oo / oo."""
    if term.raw is not None:
        return _integrate_raw(term.raw, tau, lo, hi)
    coef, k, A, B = term.coef, term.k, term.A, term.B
    term_expr = coef * tau**k * sp.exp(A * tau**2 + B * tau)
    if A == 0:
        if B == 0 or B.is_zero:
            anti = coef * tau ** (k + 1) / (k + 1)
            rate = None
        else:
            # d/dtau [e^{B tau} sum_m (-1)^m k!/(k-m)! tau^(k-m) / B^(m+1)] = tau^k e^{B tau}
            # (for symbolic B of unknown sign this is the generic case B != 0)
            poly = sum(
                (-1) ** m * math.factorial(k) // math.factorial(k - m) * tau ** (k - m) / B ** (m + 1)
                for m in range(k + 1)
            )
            anti = coef * sp.exp(B * tau) * poly
            rate = B

        def at(end, direction):
            if end in (_oo, -_oo):
                if rate is None or not _decays(rate, direction, term_expr):
                    raise _diverges(term_expr, end)
                return sp.Integer(0)
            return anti.xreplace({tau: end})

        return at(hi, 1) - at(lo, -1)
    # Gaussian-type term.  On a finite interval the integrand is bounded, whatever the
    # sign of A: the closed form below holds for every A != 0 (for A > 0, sqrt(-A) is
    # imaginary and erf(i y) = i erfi(y)).  Only an infinite end needs e^{A tau^2} to decay:
    # the support of the other factors (a box, say) is what makes the interval finite.
    if lo in (_oo, -_oo) or hi in (_oo, -_oo):
        negA = _sign(-sp.re(A), f"the quadratic coefficient of the integrand {term_expr}")
        if negA <= 0:
            raise _diverges(term_expr, hi if hi in (_oo, -_oo) else lo)
    m = -B / (2 * A)  # complete the square: A tau^2 + B tau = A (tau - m)^2 - B^2 / (4A)
    scale = coef * sp.exp(-(B**2) / (4 * A))
    # tau^k = sum_j binom(k, j) m^(k-j) u^j with u = tau - m, and
    # I_j(u) = int u^j e^{A u^2} du = E_j(u) e^{A u^2} + c_j erf(sqrt(-A) u), where
    # I_j = u^(j-1) e^{A u^2} / (2A) - (j-1)/(2A) I_(j-2),  I_0 = sqrt(pi)/(2 sqrt(-A)) erf(sqrt(-A) u),
    # I_1 = e^{A u^2} / (2A).  At u = +-oo the e^{A u^2} part vanishes and erf = +-1.
    if sp.re(A).is_positive and sp.im(A).is_zero:
        # e^{A u^2} grows (finite interval only): I_0 = sqrt(pi)/(2 sqrt(A)) erfi(sqrt(A) u), real.
        root, special = sp.sqrt(A), sp.erfi
    else:
        root, special = sp.sqrt(-A), sp.erf
    u = sp.Dummy("u")
    E = [sp.Integer(0), 1 / (2 * A)]
    c = [sp.sqrt(sp.pi) / (2 * root), sp.Integer(0)]
    for j in range(2, k + 1):
        E.append(u ** (j - 1) / (2 * A) - (j - 1) * E[j - 2] / (2 * A))
        c.append(-(j - 1) * c[j - 2] / (2 * A))

    def at(end):
        if end in (_oo, -_oo):
            sgn = 1 if end == _oo else -1
            return sum(sp.binomial(k, j) * m ** (k - j) * sgn * c[j] for j in range(k + 1))
        w = end - m
        return sum(
            sp.binomial(k, j) * m ** (k - j) * (E[j].subs(u, w) * sp.exp(A * w**2) + c[j] * special(root * w))
            for j in range(k + 1)
        )

    return scale * (at(hi) - at(lo))


def _integrate_raw(expr, tau, lo, hi):
    """Leave an unusual term (sin, log, ...) on a finite interval to sympy.integrate, and check."""
    if _oo in (lo, hi) or -_oo in (lo, hi):
        raise ValueError(
            f"cannot integrate {_show(expr)} in closed form between {lo} and {hi}: on infinite intervals "
            f"convolve handles polynomials times exponentials, and Gaussians."
        )
    value = sp.integrate(expr, (tau, lo, hi), conds="none")
    if value.has(sp.Integral):
        raise ValueError(
            f"cannot integrate {_show(expr)} in closed form between {lo} and {hi}: convolve handles "
            f"piecewise polynomials times exponentials, and Gaussians."
        )
    if value.has(_oo, -_oo, sp.zoo, sp.nan, sp.AccumBounds):
        raise ValueError(f"the convolution integral diverges: the integral of {_show(expr)} from {lo} to {hi} is {value}.")
    return value


def _larger(x, y, t, ts):
    if x == y or y == -_oo:
        return x
    if x == -_oo:
        return y
    if _oo in (x, y):
        return _oo
    return x if _sign((x - y).subs(t, ts), "comparing integration limits") > 0 else y


def _smaller(x, y, t, ts):
    if x == y or y == _oo:
        return x
    if x == _oo:
        return y
    if -_oo in (x, y):
        return -_oo
    return x if _sign((x - y).subs(t, ts), "comparing integration limits") < 0 else y


def _nonempty(lo, hi, t, ts) -> bool:
    if lo == -_oo or hi == _oo:
        return lo != hi
    return _sign((hi - lo).subs(t, ts), "comparing integration limits") > 0


def _tidy(expr, t):
    """A readable exact form of one piece of the result.

    Polynomials are expanded.  Otherwise the terms are grouped by the part of
    their exponent that depends on ``t`` (completing the square when it is
    quadratic), and each coefficient is factored: sums of ``c_k(t) e^{...}``.
    """
    expr = sp.expand(expr)
    if not expr.has(sp.exp):
        return expr
    groups = {}
    for term in sp.Add.make_args(expr):
        expo, rest = sp.Integer(0), sp.Integer(1)
        for factor in sp.Mul.make_args(term):
            if isinstance(factor, sp.exp):
                expo += factor.args[0]
            else:
                rest *= factor
        expo = sp.expand(expo)
        tpart = sp.Add(*[e for e in sp.Add.make_args(expo) if e.has(t)])
        const = expo - tpart
        try:
            poly = sp.Poly(tpart, t)
        except sp.PolynomialError:
            poly = None
        if poly is not None and poly.degree() == 2 and not any(c.has(t) for c in poly.all_coeffs()):
            alpha, beta, _ = poly.all_coeffs()
            alpha = sp.factor(alpha)
            m = sp.factor(sp.cancel(-beta / (2 * alpha)))
            tpart = alpha * (t - m) ** 2
            const = const - alpha * m**2
        groups.setdefault(tpart, []).append(rest * sp.exp(sp.factor(sp.cancel(const))))
    out = sp.Add(*[sp.collect(sp.expand(sp.Add(*c)), t, func=sp.factor) * sp.exp(k) for k, c in groups.items()])
    factored = sp.factor_terms(out)
    return factored if sp.count_ops(factored) < sp.count_ops(out) else out


def convolve(f: sp.Expr | complex, g: sp.Expr | complex, t: sp.Symbol) -> sp.Expr:
    r"""The exact convolution ``(f * g)(t)`` of two signals given as sympy expressions.

    .. math::

        (f * g)(t) = \int_{-\infty}^{\infty} f(\tau)\, g(t - \tau)\, d\tau

    Parameters
    ----------
    f, g : sympy.Expr or number
        Signals in ``t``: piecewise (``Piecewise`` with explicit intervals,
        ``Heaviside``, ``Abs``, ``Max``, ``Min``, ``sign``) with pieces made
        of polynomials times exponentials ``exp(c*t)``, Gaussians (or any
        ``exp`` of a quadratic, such as ``exp(t**2)``, on a finite piece), or
        constants; plus Dirac deltas ``c(t) * DiracDelta(alpha*t + beta, k)``
        (derivatives included), with ``c`` smooth where the delta sits.
        Python ints and floats are accepted (a constant signal); strings are
        refused.
    t : sympy.Symbol
        The variable of ``f``, ``g`` and of the result.  It must range over
        the whole real line (no ``positive=True``); ``Symbol('t', real=True)``
        is the natural choice.

    Returns
    -------
    sympy.Expr
        The exact ``(f * g)(t)``: a ``Piecewise`` in ``t`` written as
        ``Piecewise((V0, t < c1), (V1, t < c2), ..., (Vn, True))`` where the
        ``c`` are the sums ``a_i + b_j`` of the breakpoints of ``f`` and of
        ``g`` (adjacent pieces with the same formula are merged), or a single
        expression when one formula holds for every ``t``.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy Symbol, or ``f``/``g`` is not a sympy
        expression or a number (strings included).
    ValueError
        If the integral diverges (e.g. ``1 * 1``, or pieces that grow like
        ``e^{t}`` where the other signal does not cut them off), if a sign
        needed to decide convergence or the order of breakpoints is unknown
        (declare symbols ``positive=True``), if a piece has no closed-form
        integral, if a signal holds an unevaluated ``Integral`` (or
        ``Derivative``, ``Sum``, ...) or an undefined function ``f(t)``, or
        a Dirac delta that is not of the form above (``DiracDelta(t**2)``,
        a product of deltas, a delta where its factor jumps).

    Notes
    -----
    This is the *true* convolution (``g`` is flipped), not the
    cross-correlation ``\int f(t + \tau) g(\tau) d\tau`` (``g`` the kernel, read
    forwards, conjugated if complex: what ``numpy.correlate(f, g)`` and a
    deep-learning layer compute).

    The method, instead of handing the definition to ``sympy.integrate``:
    both signals are split into pieces (:func:`pieces`) at their breakpoints
    ``a_i`` and ``b_j``.  ``g(t - tau)`` switches pieces at
    ``tau = t - b_j``, so for ``t`` strictly between two consecutive sums
    ``a_i + b_j`` the order of all the limits is fixed; on each such
    interval of ``t`` the integral is the sum, over pairs of pieces, of
    ``\int p_i(\tau) q_j(t - \tau) d\tau`` between
    ``max(a_i, t - b_{j+1})`` and ``min(a_{i+1}, t - b_j)``, computed with the
    closed-form antiderivatives of ``tau^k e^{B tau}`` (and of
    ``e^{A tau^2 + B tau}`` by completing the square, giving ``erf``, or
    Gaussian moments on the whole line).  In the ``(x, y)`` picture of the
    module docstring, the line ``x + y = t`` crosses the grid of rectangles
    ``[a_i, a_{i+1}) x [b_j, b_{j+1})`` in a fixed set of cells between two
    consecutive corners ``a_i + b_j``.

    With symbolic rates the *generic* case is returned: one-sided
    exponentials with rates ``a`` and ``b`` (distinct symbols) give
    ``(e^{-a t} - e^{-b t}) / (b - a)``, valid for ``a != b``; pass the same
    symbol twice to get the equal-rate result ``t e^{-a t}``.

    At a breakpoint ``c`` the ``Piecewise`` takes the formula of the interval
    to the right of ``c`` (the ``t < c`` conditions); convolutions of
    integrable and bounded signals are continuous, so both neighbouring
    formulas give the true value there.

    Pieces that are not polynomials times exponentials (``sin``, ``log``, ...)
    are handed to ``sympy.integrate`` on finite intervals only (this may be
    slow); on infinite intervals they raise a ValueError.

    On a finite interval ``e^{A tau^2 + B tau}`` is bounded whatever the sign
    of ``A``: for ``A > 0`` (``exp(t**2) * rect(t)``, say) the integral is
    written with ``erfi``, the imaginary error function.  Only an infinite
    end needs ``A < 0``.

    Dirac deltas use the sifting property,
    ``(c delta^{(k)}(. - a)) * h = c h^{(k)}(t - a)``, with ``h^{(k)}`` the
    derivative in the sense of distributions: a jump ``J`` of ``h^{(j)}`` at
    ``b`` adds ``c J delta^{(k-1-j)}(t - a - b)``.  A delta's factor is
    evaluated at the delta (``c(t) delta(t - a) = c(a) delta(t - a)``, and
    the product rule for its derivatives), and ``delta(alpha t + beta)`` is
    ``delta(t + beta/alpha) / |alpha|``.  The result may then hold deltas
    itself (``delta * delta``, or a delta's derivative meeting a jump).

    References
    ----------
    .. [1] A. V. Oppenheim, A. S. Willsky, *Signals and Systems*, 2nd ed.,
       section 2.3 (the convolution integral, worked examples).

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> convolve(rect(t), rect(t), t)
    Piecewise((0, t < 0), (t, t < 1), (2 - t, t < 2), (0, True))
    >>> a = sp.Symbol('a', positive=True)
    >>> convolve(one_sided_exp(t, a), one_sided_exp(t, a), t)
    Piecewise((0, t < 0), (t*exp(-a*t), True))
    >>> s1, s2 = sp.symbols('sigma1 sigma2', positive=True)
    >>> v = convolve(gaussian(t, s1), gaussian(t, s2), t)
    >>> sp.simplify(v - gaussian(t, sp.sqrt(s1**2 + s2**2)))
    0

    A delta shifts, its derivative differentiates (the jumps of the box
    become deltas):

    >>> convolve(sp.DiracDelta(t - 2), rect(t), t)
    Piecewise((0, t < 2), (1, t < 3), (0, True))
    >>> convolve(sp.DiracDelta(t, 1), rect(t), t)
    DiracDelta(t) - DiracDelta(t - 1)

    A growing Gaussian factor is fine on a finite piece:

    >>> convolve(sp.exp(t**2) * rect(t), rect(t), t).args[1]
    (sqrt(pi)*erfi(t)/2, t < 1)
    """
    t = _check_symbol("t", t)
    f = _check_signal("f", f)
    g = _check_signal("g", g)
    f, f_deltas = _split_deltas("f", f, t)
    g, g_deltas = _split_deltas("g", g, t)
    fp = _named_pieces("f", f, t)
    gp = _named_pieces("g", g, t)
    values = _convolve_pieces(fp, gp, t)
    if not f_deltas and not g_deltas:
        return _assemble(values, t)
    return _with_deltas(_assemble(values, t), fp, f_deltas, gp, g_deltas, t)


def _assemble(values, t):
    """[(hi, formula), ...] (the last hi is oo) -> ``Piecewise((V0, t < c1), ..., (Vn, True))``."""
    if len(values) == 1:
        return values[0][1]
    args = [(value, t < hi) for hi, value in values[:-1]]
    return sp.Piecewise(*args, (values[-1][1], True))


def _convolve_pieces(fp, gp, t):
    """The convolution of two signals given by their pieces, as [(hi, formula), ...]."""
    tau = sp.Dummy("tau", real=True)
    crit = _sorted_unique(
        [lo_f + lo_g for lo_f, _, _ in fp[1:] for lo_g, _, _ in gp[1:]], "breakpoint sums"
    )
    pairs = []
    for a0, a1, p in fp:
        if _is_zero(p):
            continue
        for b0, b1, q in gp:
            if _is_zero(q):
                continue
            integrand = sp.expand(p.xreplace({t: tau}) * q.xreplace({t: t - tau}))
            if integrand != 0:
                pairs.append((a0, a1, b0, b1, _terms(integrand, tau)))
    edges = [-_oo, *crit, _oo]
    values = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        ts = _sample(lo, hi)
        total = sp.Integer(0)
        for a0, a1, b0, b1, terms in pairs:
            lower = _larger(a0, t - b1, t, ts)
            upper = _smaller(a1, t - b0, t, ts)
            if _nonempty(lower, upper, t, ts):
                for term in terms:
                    total += _integrate_term(term, tau, lower, upper)
        value = _tidy(total, t)
        if value.has(_oo, -_oo, sp.zoo, sp.nan):
            raise ValueError(f"the convolution integral diverges for {lo} < t < {hi}: got {value}.")
        if values and (values[-1][1] == value or _is_zero(values[-1][1] - value)):
            values[-1] = (hi, values[-1][1])
        else:
            values.append((hi, value))
    return values


# --------------------------------------------------------------------------
# Dirac deltas: the sifting property
# --------------------------------------------------------------------------


def _delta(point, order, t):
    """The sympy distribution delta^(order)(t - point)."""
    return sp.DiracDelta(t - point, order) if order else sp.DiracDelta(t - point)


def _split_deltas(name, expr, t):
    """``expr = regular + sum_i c_i delta^(k_i)(t - a_i)``: returns ``(regular, [(c_i, a_i, k_i)])``.

    Each delta term must be ``coefficient(t) * DiracDelta(alpha*t + beta, k)`` with
    ``alpha != 0``, the coefficient smooth at the point ``a = -beta/alpha``:
    ``c(t) delta^(k)(t - a) = sum_j (-1)^j C(k, j) c^(j)(a) delta^(k-j)(t - a)`` and
    ``delta^(k)(alpha (t - a)) = delta^(k)(t - a) / (|alpha| alpha^k)``.
    """
    if not expr.has(sp.DiracDelta):
        return expr, []
    regular, deltas = [], []
    for term in sp.Add.make_args(sp.expand(expr)):
        if not term.has(sp.DiracDelta):
            regular.append(term)
            continue
        factors = sp.Mul.make_args(term)
        found = [fac for fac in factors if isinstance(fac, sp.DiracDelta)]
        coef = sp.Mul(*[fac for fac in factors if not isinstance(fac, sp.DiracDelta)])
        if len(found) != 1 or coef.has(sp.DiracDelta):
            raise ValueError(
                f"{name}: cannot convolve the term {term}: a Dirac delta can only be added to a "
                f"signal, or multiplied by a function of {t} (products of deltas, or deltas inside "
                f"other functions, are not distributions that convolve knows)."
            )
        delta = found[0]
        arg, order = delta.args[0], (int(delta.args[1]) if len(delta.args) > 1 else 0)
        try:
            poly = sp.Poly(arg, t)
        except sp.PolynomialError:
            poly = None
        if poly is None or poly.degree() != 1 or any(c.has(t) for c in poly.all_coeffs()):
            raise ValueError(
                f"{name}: cannot convolve {delta}: the argument of DiracDelta must be linear in {t}, "
                f"such as DiracDelta({t} - 1) or DiracDelta(2*{t}); got {arg}."
            )
        alpha, beta = poly.all_coeffs()
        point = sp.simplify(-beta / alpha)
        slope = _sign(alpha, f"the slope of the argument of {delta}")
        scale = 1 / (slope * alpha * alpha**order)
        if coef.has(t):
            for kink in _kinks(coef, t):
                if _sign(kink - point, f"comparing the breakpoint {kink} of {coef} with {point}") == 0:
                    raise ValueError(
                        f"{name}: cannot convolve {term}: {coef} jumps or bends at {t} = {point}, "
                        f"where the delta sits, so the product has no definite weight."
                    )
            coef = _resolve(coef, t, point)
        for j in range(order + 1):
            weight = (-1) ** j * sp.binomial(order, j) * sp.diff(coef, t, j).subs(t, point) * scale
            if weight.has(sp.nan, sp.zoo, _oo, -_oo):
                raise ValueError(f"{name}: the weight of the delta in {term} is not finite: {weight}.")
            if not _is_zero(weight):
                deltas.append((weight, point, order - j))
    return sp.Add(*regular), deltas


def _derivative(pcs, t, k):
    """The k-th derivative, in the sense of distributions, of a signal given by its pieces.

    Returns the pieces of the classical derivative and the deltas of the jumps:
    a jump J of the j-th derivative at b contributes J delta^(k-1-j)(t - b).
    """
    deltas = []
    for j in range(k):
        for (_, b, left), (_, _, right) in zip(pcs[:-1], pcs[1:]):
            jump = sp.simplify(right.subs(t, b) - left.subs(t, b))
            if jump.has(sp.nan, sp.zoo, _oo, -_oo):
                raise ValueError(
                    f"cannot differentiate the signal at {t} = {b} for a derivative of a Dirac delta: "
                    f"it is infinite there ({left} | {right})."
                )
            if not _is_zero(jump):
                deltas.append((jump, b, k - 1 - j))
        pcs = [(lo, hi, sp.diff(formula, t)) for lo, hi, formula in pcs]
    return pcs, deltas


def _with_deltas(regular, fp, f_deltas, gp, g_deltas, t):
    """Add the sifted terms: ``(c delta^(k)(. - a)) * h = c h^(k)(t - a)`` (h^(k) in the sense of distributions)."""
    shifted = [regular]
    weights = {}

    def add_delta(c, point, order):
        key = (point, order)
        weights[key] = weights.get(key, 0) + c

    for deltas, other_pieces, other_deltas in ((f_deltas, gp, g_deltas), (g_deltas, fp, [])):
        for c, a, k in deltas:
            pcs, jumps = _derivative(other_pieces, t, k)
            values = [(hi, formula) for _, hi, formula in pcs]
            shifted.append(c * _assemble(values, t).xreplace({t: t - a}))
            for c2, b, m in jumps + [(c2, b, m + k) for c2, b, m in other_deltas]:
                add_delta(c * c2, a + b, m)
    total = sp.Add(*shifted)
    if total.has(sp.Piecewise):  # one Piecewise again, with merged, tidied pieces
        values = []
        for _, hi, formula in _pieces(total, t):
            value = _tidy(formula, t)
            if values and _is_zero(values[-1][1] - value):
                values[-1] = (hi, values[-1][1])
            else:
                values.append((hi, value))
        total = _assemble(values, t)
    else:
        total = _tidy(total, t)
    return total + sp.Add(*[sp.simplify(c) * _delta(p, m, t) for (p, m), c in weights.items() if not _is_zero(c)])


# --------------------------------------------------------------------------
# numeric paths
# --------------------------------------------------------------------------


def _modules():
    try:
        import scipy.special  # noqa: F401  (erf, erfc for lambdify)
    except ImportError:  # pragma: no cover - scipy is optional
        return ["numpy"]
    return ["scipy", "numpy"]


def _numeric(name, expr, t):
    """to_numeric for the parameter ``name`` (``t`` already checked)."""
    expr = _check_signal(name, expr)
    extra = expr.free_symbols - {t}
    if extra:
        names = ", ".join(sorted(str(s) for s in extra))
        raise ValueError(
            f"{name} must depend on {t} only, got the free symbols {names} in {describe(expr)}: "
            f"substitute numbers first, e.g. {name}.subs({{{sorted(extra, key=str)[0]}: 2}})."
        )
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.DiracDelta) and node.has(t):
            what = "a derivative of the Dirac delta" if len(node.args) > 1 else "the Dirac delta"
            raise ValueError(
                f"{name} holds {node}, {what}: a distribution, not a function, so it has no "
                f"numeric values to evaluate or to sum. For the exact convolution with it use "
                f"continuous.convolve (sifting property: convolve(DiracDelta(t - c), g, t) == g(t - c))."
            )
    try:
        fn = sp.lambdify([t], expr, modules=_modules())
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a warning of the probe is not a failure
            np.asarray(fn(np.array([-1.0, 0.0, 0.5, 1.0])))  # probe: generated code that cannot run
    except Exception as exc:  # noqa: BLE001 - any failure of the generated code is the expression's
        raise ValueError(
            f"{name} = {_show(expr)} cannot be evaluated numerically: numpy/scipy (through "
            f"sympy.lambdify) have no numeric version of it ({type(exc).__name__}: {exc}). "
            f"Evaluate it with sympy instead, e.g. {name}.subs({t}, 0.5).evalf()."
        ) from None

    def numeric(x):
        arr = as_real_array("x", x, allow_empty=True)
        with np.errstate(all="ignore"):
            out = np.asarray(fn(arr))
        return out + np.zeros(arr.shape)

    numeric.__doc__ = f"Vectorised {expr} as a function of {t}."
    return numeric


def to_numeric(expr: sp.Expr | complex, t: sp.Symbol) -> Callable[[ArrayLike], np.ndarray]:
    r"""A numpy-vectorised function ``x -> expr(t=x)``, for plots and numeric checks.

    .. math::

        F(x_1, \dots, x_n) = (\mathrm{expr}(x_1), \dots, \mathrm{expr}(x_n))

    Parameters
    ----------
    expr : sympy.Expr or number
        An expression in ``t`` only (``Piecewise`` allowed); substitute
        values for any parameter first, e.g. ``expr.subs(a, 2)``.
    t : sympy.Symbol
        The variable.

    Returns
    -------
    callable
        ``F(x)`` takes a real scalar or array ``x`` and returns a float (or
        complex) ``numpy.ndarray`` of the shape of ``x``.

    Raises
    ------
    TypeError
        If ``t`` is not a sympy Symbol or ``expr`` not a sympy expression; and
        (when called) if ``x`` does not hold real numbers (complex ``x`` is
        refused, not cut to its real part).
    ValueError
        If ``expr`` has free symbols other than ``t``, holds a Dirac delta (a
        distribution has no values), an unevaluated ``Integral`` or
        ``Derivative``, an undefined function, or anything else that numpy
        and scipy cannot evaluate (checked once, when ``F`` is built).

    Notes
    -----
    Built with ``sympy.lambdify`` (numpy, and scipy for ``erf``): a
    ``Piecewise`` becomes ``numpy.select``, which evaluates *every* branch
    on every point; overflow warnings of the branches not selected (e.g.
    ``exp(-t)`` at ``t = -1000``) are silenced, the selected values are
    exact up to floating point.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> F = to_numeric(triangle(t), t)
    >>> F([-1, -0.5, 0, 0.25, 2]).tolist()
    [0.0, 0.5, 1.0, 0.75, 0.0]
    """
    t = _check_symbol("t", t)
    return _numeric("expr", expr, t)


def riemann_convolve(f: sp.Expr | complex, g: sp.Expr | complex, t: sp.Symbol, t_values: ArrayLike, *,
                     dx: float, lo: float, hi: float,
                     method: Literal["vectorized", "loops"] = "vectorized") -> np.ndarray:
    r"""A numeric convolution by a midpoint Riemann sum (the didactic numeric path).

    .. math::

        (f * g)(t) \approx \sum_{n=0}^{N-1} f(x_n)\, g(t - x_n)\, h,
        \qquad x_n = \mathrm{lo} + (n + \tfrac12) h,\quad h = \frac{\mathrm{hi} - \mathrm{lo}}{N}

    Parameters
    ----------
    f, g : sympy.Expr or number
        Signals in ``t`` with no other free symbol.
    t : sympy.Symbol
        Their variable.
    t_values : array_like of real
        The points where ``(f * g)(t)`` is approximated (scalar or 1-D).
    dx : positive float
        The step; ``N = max(1, round((hi - lo) / dx))`` cells, so the step
        actually used is ``h = (hi - lo) / N`` (equal to ``dx`` when ``dx``
        divides ``hi - lo``).
    lo, hi : float
        The range of ``x`` summed over, ``lo < hi``, finite; it must cover
        the support of ``f`` (the integral outside is dropped).
    method : {'vectorized', 'loops'}, optional
        ``'loops'``: two plain Python loops over ``t`` and ``x``, the
        definition a student can read.  ``'vectorized'`` (default): the same
        sum as one numpy matrix product.  They agree to rounding.

    Returns
    -------
    numpy.ndarray
        The approximations, of the shape of ``t_values`` (complex when ``f``
        or ``g`` is complex-valued, by both methods).

    Raises
    ------
    TypeError
        If ``t`` is not a sympy Symbol, ``f``/``g`` not sympy expressions,
        ``t_values``/``dx``/``lo``/``hi`` not real numbers (complex values
        are refused, not cut to their real part).
    ValueError
        If ``dx <= 0``, ``lo >= hi``, a value is not finite, ``method`` is
        unknown, ``f``/``g`` has free symbols besides ``t`` or cannot be
        evaluated numerically (see :func:`to_numeric`: a Dirac delta, for
        one), or ``dx`` is so small that the sum could not be held.

    Notes
    -----
    True convolution (``g`` flipped).  The error falls like ``h`` when the
    integrand jumps (boxes) and like ``h**2`` when it is smooth, and goes to 0
    as ``dx -> 0`` in every case: the sums converge to :func:`convolve`.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol('t', real=True)
    >>> riemann_convolve(rect(t), rect(t), t, [0.5, 1.0, 1.5], dx=0.001, lo=0, hi=1).round(6).tolist()
    [0.5, 1.0, 0.5]
    """
    t = _check_symbol("t", t)
    method = check_choice("method", method, ("vectorized", "loops"))
    F = _numeric("f", f, t)
    G = _numeric("g", g, t)
    tv = as_real_array("t_values", t_values, ndim=(0, 1)).astype(float)
    if not np.all(np.isfinite(tv)):
        raise ValueError(f"t_values must be finite, got {describe(t_values)}.")
    dx_, lo_, hi_ = check_real("dx", dx), check_real("lo", lo), check_real("hi", hi)
    if dx_ <= 0:
        raise ValueError(f"dx must be positive, got {describe(dx)}.")
    if lo_ >= hi_:
        raise ValueError(f"lo must be < hi, got lo={lo!r} and hi={hi!r}.")
    cells = (hi_ - lo_) / dx_
    if not math.isfinite(cells) or cells > 2**62:
        raise ValueError(
            f"dx={dx!r} is too small for the range lo={lo!r} .. hi={hi!r}: (hi - lo) / dx = {cells:g} cells, "
            f"more than an array can have."
        )
    n = max(1, round(cells))
    # the vectorized sum forms a len(t_values) x n matrix; the loops only the n points
    check_size("dx", dx, (tv.size, n) if method == "vectorized" else (n,), what="a Riemann sum")
    h = (hi_ - lo_) / n
    x = lo_ + (np.arange(n) + 0.5) * h
    flat = tv.reshape(-1)
    if method == "loops":
        sums = []
        for ti in flat:
            total = 0.0
            for xn in x:
                # .item(): a Python float, or a complex for a complex-valued signal (never dropped)
                total += F(xn).item() * G(ti - xn).item() * h
            sums.append(total)
        out = np.array(sums, dtype=np.result_type(F(x[:1]), G(flat[:1] - x[:1])))
    else:
        out = G(flat[:, None] - x[None, :]) @ F(x) * h
    return out.reshape(tv.shape)
