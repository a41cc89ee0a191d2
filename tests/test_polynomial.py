"""Tests of convbook.polynomial: polynomial products, digits, carrying, long multiplication."""

from __future__ import annotations

import random
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import polynomial as poly

SETTINGS = settings(deadline=None, max_examples=80)

ints = st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=30)
big_ints = st.lists(st.integers(-(2**100), 2**100), min_size=1, max_size=15)
fractions = st.lists(st.fractions(min_value=-1000, max_value=1000, max_denominator=50), min_size=1, max_size=12)
bases = st.integers(2, 40)


# --------------------------------------------------------------------------
# The worked example of chapter 3
# --------------------------------------------------------------------------


def test_worked_example_42_times_137():
    assert poly.to_digits(42) == [2, 4]
    assert poly.to_digits(137) == [7, 3, 1]
    assert poly.multiply([2, 4], [7, 3, 1]) == [14, 34, 14, 4]
    assert poly.carry([14, 34, 14, 4]) == [4, 5, 7, 5]
    assert poly.from_digits([4, 5, 7, 5]) == 5754
    assert poly.multiply_integers(42, 137) == 5754


def test_worked_example_is_in_the_docstrings():
    for fn in (poly.multiply_integers, poly.carry):
        doc = fn.__doc__
        assert "42" in doc and "137" in doc and "(14, 34, 14, 4)" in doc and "5754" in doc
    assert "(2, 4) * (7, 3, 1) = (14, 34, 14, 4)" in poly.__doc__
    assert "[14, 34, 14, 4]" in poly.multiply.__doc__


# --------------------------------------------------------------------------
# multiply
# --------------------------------------------------------------------------


def test_multiply_hand_cases():
    assert poly.multiply([1, 1], [1, -1]) == [1, 0, -1]  # (1 + x)(1 - x)
    assert poly.multiply([1, 1], [1, 1]) == [1, 2, 1]
    assert poly.multiply([3], [1, 2, 3]) == [3, 6, 9]
    assert poly.multiply([0.5, 1.0], [2.0]) == [1.0, 2.0]
    assert poly.multiply([1j, 1], [1j, -1]) == [-1, 0, -1]  # (i + x)(i - x) = -1 - x**2


def test_multiply_returns_python_numbers():
    out = poly.multiply(np.array([2, 4]), np.array([7, 3, 1]))
    assert out == [14, 34, 14, 4] and all(type(c) is int for c in out)
    assert all(type(c) is float for c in poly.multiply([1.5], [2, 3]))
    assert poly.multiply([True, True], [1, 1]) == [1, 2, 1]


@SETTINGS
@given(st.one_of(ints, big_ints), st.one_of(ints, big_ints))
def test_multiply_exact_ints_agree_with_loops_and_sympy(p, q):
    out = poly.multiply(p, q)
    assert out == poly.multiply_loops(p, q)
    x = sympy.Symbol("x")
    expected = sympy.Poly(list(reversed(p)), x) * sympy.Poly(list(reversed(q)), x)
    coeffs = [int(c) for c in reversed(expected.all_coeffs())]
    assert out[: len(coeffs)] == coeffs and all(c == 0 for c in out[len(coeffs) :])
    assert all(type(c) is int for c in out)


@SETTINGS
@given(fractions, fractions)
def test_multiply_fractions_exact(p, q):
    out = poly.multiply(p, q)
    assert out == poly.multiply_loops(p, q)
    assert all(isinstance(c, Fraction) for c in out)
    # evaluation is a ring morphism: (p q)(t) = p(t) q(t), exactly
    t = Fraction(3, 7)
    ev = lambda cs: sum(c * t**k for k, c in enumerate(cs))  # noqa: E731
    assert ev(out) == ev(p) * ev(q)


@SETTINGS
@given(st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=30),
       st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=30))
def test_multiply_floats_agree_with_numpy(p, q):
    out = np.array(poly.multiply(p, q))
    ref = np.polynomial.polynomial.polymul(p, q)
    ref = np.concatenate([ref, np.zeros(len(p) + len(q) - 1 - len(ref))])  # polymul trims high zeros
    scale = max(np.abs(ref).max(), 1e-300)
    assert np.abs(out - ref).max() <= 1e-10 * scale + 1e-12 * np.linalg.norm(p) * np.linalg.norm(q)
    loops = np.array(poly.multiply_loops(p, q))
    assert np.abs(out - loops).max() <= 1e-10 * scale + 1e-12 * np.linalg.norm(p) * np.linalg.norm(q)


def test_multiply_long_integer_polynomials_use_the_fft_and_stay_exact():
    rng = random.Random(0)
    p = [rng.randrange(-(2**62), 2**62) for _ in range(3000)]
    q = [rng.randrange(-(2**62), 2**62) for _ in range(2000)]
    out = poly.multiply(p, q)
    # check through evaluation at a large point: p(B) q(B) with B beyond every coefficient
    B = 2**200
    ev = lambda cs: sum(c << (200 * k) for k, c in enumerate(cs))  # noqa: E731
    assert ev(out) == ev(p) * ev(q)
    assert B // 2 > max(map(abs, out))  # so the evaluation determines every coefficient


# --------------------------------------------------------------------------
# Digits and carrying
# --------------------------------------------------------------------------


def test_digits_hand_cases():
    assert poly.to_digits(0) == [0]
    assert poly.to_digits(5754) == [4, 5, 7, 5]
    assert poly.to_digits(255, base=16) == [15, 15]
    assert poly.to_digits(np.int64(10)) == [0, 1]
    assert poly.from_digits([0]) == 0
    assert poly.from_digits([4, 5, 7, 5, 0, 0]) == 5754
    assert poly.from_digits(np.array([1, 1, 1]), base=2) == 7


@SETTINGS
@given(st.integers(0, 10**300), bases)
def test_digits_round_trip(n, base):
    digits = poly.to_digits(n, base)
    assert all(0 <= d < base for d in digits)
    assert digits[-1] != 0 or digits == [0]
    assert poly.from_digits(digits, base) == n
    if base == 10:
        assert digits == [int(c) for c in reversed(str(n))]
    assert poly.to_digits(n, base) == list(reversed(sympy.ntheory.digits(n, base)[1:]))


def test_carry_hand_cases():
    assert poly.carry([14, 34, 14, 4]) == [4, 5, 7, 5]
    assert poly.carry([0]) == [0]
    assert poly.carry([0, 0, 0]) == [0]
    assert poly.carry([10]) == [0, 1]
    assert poly.carry([99, 99]) == [9, 8, 0, 1]  # 99 + 990 = 1089
    assert poly.carry([3, 0, 0], base=2) == [1, 1]
    assert poly.carry(np.array([14, 34, 14, 4])) == [4, 5, 7, 5]
    assert poly.carry([10**30]) == poly.to_digits(10**30)


@SETTINGS
@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=30), bases)
def test_carry_keeps_the_value(coefficients, base):
    digits = poly.carry(coefficients, base)
    assert all(0 <= d < base for d in digits)
    assert digits[-1] != 0 or digits == [0]
    assert poly.from_digits(digits, base) == sum(c * base**k for k, c in enumerate(coefficients))


# --------------------------------------------------------------------------
# Long multiplication
# --------------------------------------------------------------------------


@SETTINGS
@given(st.integers(-(10**40), 10**40), st.integers(-(10**40), 10**40), bases)
def test_multiply_integers_any_sign_and_base(x, y, base):
    assert poly.multiply_integers(x, y, base) == x * y


def test_multiply_integers_signs_and_zero():
    for x, y in [(0, 0), (0, -5), (-7, 0), (-3, -4), (3, -4), (-3, 4), (1, 1), (-1, -1)]:
        assert poly.multiply_integers(x, y) == x * y
    assert poly.multiply_integers(np.int64(-12), 12) == -144


def test_multiply_integers_1000_digit_numbers():
    rng = random.Random(7)
    for _ in range(5):
        x = rng.randrange(-(10**1000), 10**1000)
        y = rng.randrange(-(10**1000), 10**1000)
        assert poly.multiply_integers(x, y) == x * y
    x = 10**999 + rng.randrange(10**999)
    assert poly.multiply_integers(x, x, base=2**16) == x * x
    nines = 10**1000 - 1
    assert poly.multiply_integers(nines, nines) == nines * nines  # every carry ripples


# --------------------------------------------------------------------------
# Bad input: every error path
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [poly.multiply, poly.multiply_loops])
def test_multiply_bad_input(fn):
    with pytest.raises(ValueError, match="p must not be empty"):
        fn([], [1])
    with pytest.raises(ValueError, match="q must not be empty"):
        fn([1], [])
    with pytest.raises(ValueError, match=r"p must be 1-D, got an array of shape \(1, 2\)"):
        fn([[1, 2]], [1])
    with pytest.raises(ValueError, match=r"q must be 1-D, got an array of shape \(\)"):
        fn([1], 5)
    with pytest.raises(TypeError, match="q must hold numbers"):
        fn([1], ["a", "b"])
    with pytest.raises(TypeError, match="p must hold numbers"):
        fn([1, None], [1])


@pytest.mark.parametrize(
    "n, exc, msg",
    [
        (-1, ValueError, "n must be an integer >= 0, got -1 (type int)."),
        (1.0, TypeError, "n must be an integer >= 0, got 1.0 (type float)."),
        ("12", TypeError, "n must be an integer >= 0, got '12' (type str)."),
        (True, TypeError, "n must be an integer >= 0, got True (type bool)."),
    ],
)
def test_to_digits_bad_n(n, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        poly.to_digits(n)


@pytest.mark.parametrize(
    "call",
    [
        lambda base: poly.to_digits(5, base),
        lambda base: poly.from_digits([1], base),
        lambda base: poly.carry([1], base),
        lambda base: poly.multiply_integers(2, 3, base),
    ],
)
def test_bad_base(call):
    with pytest.raises(ValueError, match=re.escape("base must be an integer >= 2, got 1 (type int).")):
        call(1)
    with pytest.raises(ValueError, match=re.escape("base must be an integer >= 2, got -10 (type int).")):
        call(-10)
    with pytest.raises(TypeError, match=re.escape("base must be an integer >= 2, got 10.0 (type float).")):
        call(10.0)
    with pytest.raises(TypeError, match=re.escape("base must be an integer >= 2, got True (type bool).")):
        call(True)


def test_from_digits_bad_digits():
    with pytest.raises(ValueError, match=re.escape("digits[1] must be a digit in [0, 10) for base=10, got 10 (type int).")):
        poly.from_digits([1, 10])
    with pytest.raises(ValueError, match=re.escape("digits[0] must be a digit in [0, 2) for base=2, got 2")):
        poly.from_digits([2], base=2)
    with pytest.raises(ValueError, match=re.escape("digits[2] must be an integer >= 0, got -1 (type int).")):
        poly.from_digits([1, 2, -1])
    with pytest.raises(TypeError, match=re.escape("digits[0] must be an integer >= 0, got 1.5 (type float).")):
        poly.from_digits([1.5])
    with pytest.raises(TypeError, match=re.escape("digits[0] must be an integer >= 0, got True (type bool).")):
        poly.from_digits([True])
    with pytest.raises(TypeError, match=re.escape("digits[0] must be an integer >= 0, got '4' (type str).")):
        poly.from_digits(["4"])
    with pytest.raises(ValueError, match=re.escape("digits must not be empty, got [] (type list).")):
        poly.from_digits([])
    with pytest.raises(TypeError, match=re.escape("digits must be a list, tuple or 1-D array of integers, got '4575'")):
        poly.from_digits("4575")
    with pytest.raises(TypeError, match=re.escape("digits must be a list, tuple or 1-D array of integers, got 5754")):
        poly.from_digits(5754)
    with pytest.raises(ValueError, match=re.escape("digits must be a 1-D sequence of integers, got an array of shape (1, 2)")):
        poly.from_digits(np.array([[1, 2]]))
    with pytest.raises(TypeError, match=re.escape("digits[0] must be an integer >= 0, got np.float64(1.0)")):
        poly.from_digits(np.array([1.0]))


def test_carry_bad_coefficients():
    with pytest.raises(ValueError, match=re.escape("coefficients[1] must be an integer >= 0, got -3 (type int).")):
        poly.carry([14, -3])
    with pytest.raises(TypeError, match=re.escape("coefficients[0] must be an integer >= 0, got 1.5 (type float).")):
        poly.carry([1.5])
    with pytest.raises(ValueError, match=re.escape("coefficients must not be empty, got () (type tuple).")):
        poly.carry(())
    with pytest.raises(TypeError, match=re.escape("coefficients must be a list, tuple or 1-D array of integers, got 14")):
        poly.carry(14)


@pytest.mark.parametrize("bad", [4.2, "42", True, None, Fraction(1, 2), 42.0])
def test_multiply_integers_rejects_non_integers(bad):
    with pytest.raises(TypeError, match=r"x must be an integer \(int, any size\), got "):
        poly.multiply_integers(bad, 3)
    with pytest.raises(TypeError, match=r"y must be an integer \(int, any size\), got "):
        poly.multiply_integers(3, bad)
