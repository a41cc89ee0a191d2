"""Polynomial multiplication and long multiplication as convolution (backs chapter 3).

Multiplying two polynomials convolves their coefficient sequences, and
multiplying two integers is the same computation on their digits followed by
carrying.  The worked example of the chapter, digits lowest first:

* 42 has digits (2, 4) and 137 has digits (7, 3, 1);
* (2, 4) * (7, 3, 1) = (14, 34, 14, 4)  -- the convolution, i.e. the
  polynomial product (2 + 4x)(7 + 3x + x**2) = 14 + 34x + 14x**2 + 4x**3;
* carrying in base 10 turns (14, 34, 14, 4) into the digits (4, 5, 7, 5):
  42 x 137 = 5754, which is the polynomial evaluated at x = 10.

Coefficient and digit lists are plain Python lists, lowest degree (lowest
digit) first.  Everything is exact for Python ints (of any size) and for
``fractions.Fraction``.

Functions: :func:`multiply` (fast, through :func:`convbook.discrete.convolve`)
and its didactic twin :func:`multiply_loops`; :func:`to_digits`,
:func:`from_digits` and :func:`carry`, the three steps around the convolution;
:func:`multiply_integers`, long multiplication put together from them.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from convbook import discrete
from convbook._validation import as_numeric_array, check_int, describe

__all__ = [
    "multiply",
    "multiply_loops",
    "to_digits",
    "from_digits",
    "carry",
    "multiply_integers",
]


def _python_number(x):
    """numpy scalars -> Python numbers, booleans -> ints; other numbers unchanged."""
    if isinstance(x, np.generic):
        x = x.item()
    return int(x) if isinstance(x, bool) else x


def _coefficients(name, value):
    """Validate a coefficient sequence (1-D, non-empty, numbers); return a Python list."""
    arr = as_numeric_array(name, value, ndim=1)
    items = list(value) if isinstance(value, (list, tuple)) else arr.tolist()
    return [_python_number(x) for x in items]


def _int_list(name, value, *, base=None):
    """Validate a non-empty 1-D sequence of non-negative ints (digits if `base` is given)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name} must be a 1-D sequence of integers, got {describe(value)}.")
        items = value.tolist() if value.dtype.kind in "iu" else list(value)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        items = list(value)
    else:
        raise TypeError(f"{name} must be a list, tuple or 1-D array of integers, got {describe(value)}.")
    if not items:
        raise ValueError(f"{name} must not be empty, got {describe(value)}.")
    out = []
    for i, x in enumerate(items):
        x = check_int(f"{name}[{i}]", x, minimum=0)
        if base is not None and x >= base:
            shown = f"{base}) for base={base}" if base.bit_length() <= 200 else f"base), base {describe(base)}"
            raise ValueError(f"{name}[{i}] must be a digit in [0, {shown}, got {describe(x)}.")
        out.append(x)
    return out


def multiply(p: ArrayLike, q: ArrayLike) -> list[numbers.Number]:
    """Product of two polynomials given by their coefficients, lowest degree first.

    .. math::  (p q)_n = \\sum_k p_k\\, q_{n-k}, \\qquad n = 0, \\dots, \\deg p + \\deg q

    Parameters
    ----------
    p : sequence of numbers, length M
        Coefficients ``p_0, p_1, ..., p_{M-1}`` of ``p(x) = sum p_k x**k``:
        ints (any size), ``Fraction``, floats or complex numbers.
    q : sequence of numbers, length N
        Coefficients of the second polynomial.

    Returns
    -------
    list
        The ``M + N - 1`` coefficients of ``p(x) q(x)``, lowest degree first,
        as Python numbers: exact ints for ints, ``Fraction`` for fractions.

    Raises
    ------
    ValueError
        An empty or multi-dimensional sequence.
    TypeError
        Coefficients that are not numbers.

    Notes
    -----
    The coefficients of a product are the (full) convolution of the
    coefficients: this calls :func:`convbook.discrete.convolve`, which picks
    numpy's direct kernel or an FFT and stays exact for integers and fractions.
    :func:`multiply_loops` is the same product written as two loops.  No
    trailing zero is removed: ``[1, 0]`` has degree "at most 1".

    Examples
    --------
    The worked example of chapter 3, (2 + 4x)(7 + 3x + x**2):

    >>> from convbook.polynomial import multiply
    >>> multiply([2, 4], [7, 3, 1])
    [14, 34, 14, 4]

    Fractions stay exact:

    >>> from fractions import Fraction
    >>> multiply([Fraction(1, 2), 1], [Fraction(1, 3), 1])
    [Fraction(1, 6), Fraction(5, 6), Fraction(1, 1)]
    """
    p_list = _coefficients("p", p)
    q_list = _coefficients("q", q)
    return discrete.convolve(p_list, q_list).tolist()


def multiply_loops(p: ArrayLike, q: ArrayLike) -> list[numbers.Number]:
    """Didactic :func:`multiply`: the schoolbook double loop.

    .. math::  (p q)_{i+j} \\mathrel{+}= p_i\\, q_j \\quad \\text{for every } i, j

    Parameters
    ----------
    p : sequence of numbers, length M
        Coefficients, lowest degree first.
    q : sequence of numbers, length N
        Coefficients, lowest degree first.

    Returns
    -------
    list
        The ``M + N - 1`` coefficients of the product (the same as
        :func:`multiply`; float sums may differ in the last bits).

    Raises
    ------
    ValueError, TypeError
        As :func:`multiply`.

    Notes
    -----
    Every term ``p_i x**i`` times every term ``q_j x**j`` adds ``p_i q_j`` to
    the coefficient of ``x**(i+j)``: M N multiplications, exactly the
    convolution sum of chapter 2 read the other way round.

    Examples
    --------
    >>> from convbook.polynomial import multiply_loops
    >>> multiply_loops([2, 4], [7, 3, 1])
    [14, 34, 14, 4]
    >>> multiply_loops([1, 1], [1, -1])  # (1 + x)(1 - x) = 1 - x**2
    [1, 0, -1]
    """
    p_list = _coefficients("p", p)
    q_list = _coefficients("q", q)
    out = [0] * (len(p_list) + len(q_list) - 1)
    for i, a in enumerate(p_list):
        for j, b in enumerate(q_list):
            out[i + j] += a * b
    return out


def to_digits(n: int, base: int = 10) -> list[int]:
    """The digits of a non-negative integer, lowest first.

    .. math::  n = \\sum_{k=0}^{K-1} d_k\\, b^k, \\qquad 0 \\le d_k < b

    Parameters
    ----------
    n : int
        A non-negative integer (Python or numpy int; not a bool).
    base : int, optional
        The base ``b >= 2`` (default 10).

    Returns
    -------
    list of int
        ``[d_0, d_1, ..., d_{K-1}]`` with ``d_{K-1} != 0``, except
        ``to_digits(0) == [0]``.

    Raises
    ------
    TypeError
        `n` or `base` not an integer (floats, strings and booleans included).
    ValueError
        `n` negative, or `base` < 2.

    Notes
    -----
    Repeated division: ``n, d = divmod(n, base)`` gives the lowest digit
    ``d`` and leaves the other digits in ``n``.  Lowest first is the order of
    polynomial coefficients: digit ``d_k`` multiplies ``base**k``.

    Examples
    --------
    >>> from convbook.polynomial import to_digits
    >>> to_digits(137)
    [7, 3, 1]
    >>> to_digits(42, base=2)
    [0, 1, 0, 1, 0, 1]
    >>> to_digits(0)
    [0]
    """
    n = check_int("n", n, minimum=0)
    base = check_int("base", base, minimum=2)
    digits = []
    while True:
        n, d = divmod(n, base)
        digits.append(d)
        if n == 0:
            return digits


def from_digits(digits: Sequence[int] | np.ndarray, base: int = 10) -> int:
    """The integer with the given digits, lowest first.

    .. math::  n = \\sum_k d_k\\, b^k = d_0 + b\\,(d_1 + b\\,(d_2 + \\cdots))

    Parameters
    ----------
    digits : sequence of int
        Digits ``d_0, d_1, ...`` (lowest first), each in ``[0, base)``.
        Trailing (high) zeros are allowed.
    base : int, optional
        The base ``b >= 2`` (default 10).

    Returns
    -------
    int
        The number.

    Raises
    ------
    TypeError
        `digits` not a sequence, a digit or `base` not an integer.
    ValueError
        `digits` empty, a digit outside ``[0, base)``, `base` < 2.

    Notes
    -----
    Horner's rule, from the highest digit down: the inverse of :func:`to_digits`.

    Examples
    --------
    >>> from convbook.polynomial import from_digits
    >>> from_digits([4, 5, 7, 5])
    5754
    >>> from_digits([0, 1, 0, 1, 0, 1], base=2)
    42
    """
    base = check_int("base", base, minimum=2)
    ds = _int_list("digits", digits, base=base)
    n = 0
    for d in reversed(ds):
        n = n * base + d
    return n


def carry(coefficients: Sequence[int] | np.ndarray, base: int = 10) -> list[int]:
    """Normalise non-negative integer coefficients into base-`base` digits, lowest first.

    .. math::  c_k + r_k = d_k + b\\, r_{k+1}, \\qquad 0 \\le d_k < b, \\quad r_0 = 0

    Parameters
    ----------
    coefficients : sequence of int
        Non-negative integers ``c_0, c_1, ...``, lowest first, of any size
        (e.g. the convolution of two digit lists).
    base : int, optional
        The base ``b >= 2`` (default 10).

    Returns
    -------
    list of int
        The digits of ``sum c_k b**k``, lowest first, without high zeros
        (``carry([0]) == [0]``).  The list may be longer than `coefficients`
        when the last carry spills over.

    Raises
    ------
    TypeError
        `coefficients` not a sequence, a coefficient or `base` not an integer.
    ValueError
        `coefficients` empty, a negative coefficient, `base` < 2.

    Notes
    -----
    The schoolbook carry, from the lowest position up: keep ``(c_k + r) mod b``
    as the digit, pass ``(c_k + r) // b`` on to the next position.  The value
    ``sum c_k b**k`` does not change, only its representation.

    Examples
    --------
    The last step of 42 x 137: the convolution of the digits (2, 4) and
    (7, 3, 1) is (14, 34, 14, 4), and carrying gives the digits of 5754:

    >>> from convbook.polynomial import carry
    >>> carry([14, 34, 14, 4])
    [4, 5, 7, 5]
    >>> carry([10, 0, 0])
    [0, 1]
    >>> carry([5], base=2)
    [1, 0, 1]
    """
    base = check_int("base", base, minimum=2)
    cs = _int_list("coefficients", coefficients)
    digits, running = [], 0
    for c in cs:  # running = what is still to write out, in units of the current place
        running += c
        digits.append(running % base)
        running //= base
    while running:  # the carry out of the top place becomes new places
        digits.append(running % base)
        running //= base
    top = len(digits)
    while top > 1 and digits[top - 1] == 0:
        top -= 1
    return digits[:top]


def multiply_integers(x: int, y: int, base: int = 10) -> int:
    """Long multiplication: the digits of ``x`` convolved with those of ``y``, then carried.

    .. math::  x\\,y = \\Big(\\sum_k d_k(|x|)\\, b^k\\Big)\\Big(\\sum_l d_l(|y|)\\, b^l\\Big)
               = \\sum_n \\Big(\\sum_k d_k(|x|)\\, d_{n-k}(|y|)\\Big) b^n \\quad (\\text{times the sign})

    Parameters
    ----------
    x, y : int
        Integers of any size and sign (Python or numpy ints; not bools).
    base : int, optional
        The base ``b >= 2`` of the digits (default 10); the result does not
        depend on it.

    Returns
    -------
    int
        ``x * y``, exactly.

    Raises
    ------
    TypeError
        `x`, `y` or `base` not an integer (floats, strings, booleans).
    ValueError
        `base` < 2.

    Notes
    -----
    The didactic route of chapter 3, in four steps:
    :func:`to_digits` of ``|x|`` and ``|y|``; their convolution
    (:func:`multiply`); :func:`carry`; :func:`from_digits`; and the sign
    ``-`` when exactly one of ``x``, ``y`` is negative.  It costs O(n**2)
    digit products for n-digit numbers (less with the FFT that
    :func:`multiply` may choose for long inputs); Python's own ``x * y`` is
    the fast path, and the tests check that the two agree.

    Examples
    --------
    The worked example: 42 has digits (2, 4), 137 has digits (7, 3, 1);
    (2, 4) * (7, 3, 1) = (14, 34, 14, 4); carry -> (4, 5, 7, 5), so 5754:

    >>> from convbook.polynomial import multiply_integers
    >>> multiply_integers(42, 137)
    5754
    >>> multiply_integers(-42, 137, base=2)
    -5754
    >>> multiply_integers(10**30 + 1, 10**30 - 1) == 10**60 - 1
    True
    """
    for name, value in (("x", x), ("y", y)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer (int, any size), got {describe(value)}.")
        try:
            operator.index(value)
        except TypeError:  # numpy.timedelta64 registers as an Integral but is not an integer
            raise TypeError(f"{name} must be an integer (int, any size), got {describe(value)}.") from None
    x, y = operator.index(x), operator.index(y)
    base = check_int("base", base, minimum=2)
    negative = (x < 0) != (y < 0)
    coefficients = multiply(to_digits(abs(x), base), to_digits(abs(y), base))
    product = from_digits(carry(coefficients, base), base)
    return -product if negative else product
