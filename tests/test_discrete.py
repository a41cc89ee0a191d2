"""Tests of convbook.discrete: numpy/scipy semantics, exact integers, loops == fast paths."""

from __future__ import annotations

import random
import re
from fractions import Fraction

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import discrete

MODES = ("full", "same", "valid")
METHODS = ("direct", "fft", "auto")
SETTINGS = settings(deadline=None, max_examples=60)

# --------------------------------------------------------------------------
# Strategies and oracles
# --------------------------------------------------------------------------

small_ints = st.lists(st.integers(-1000, 1000), min_size=1, max_size=25)
finite = dict(allow_nan=False, allow_infinity=False, allow_subnormal=False)
floats = st.lists(st.floats(-1e3, 1e3, **finite), min_size=1, max_size=25)
complexes = st.lists(
    st.builds(complex, st.floats(-1e3, 1e3, **finite), st.floats(-1e3, 1e3, **finite)), min_size=1, max_size=25
)
numeric = st.one_of(small_ints, floats, complexes)
big_ints = st.lists(st.integers(-(2**200), 2**200), min_size=1, max_size=12)
near_2_62 = st.lists(
    st.tuples(st.integers(2**62 - 2**40, 2**62), st.booleans()).map(lambda t: -t[0] if t[1] else t[0]),
    min_size=1,
    max_size=40,
)


def oracle(a, v):
    """Full convolution with Python numbers: the definition, nothing else."""
    out = [0] * (len(a) + len(v) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(v):
            out[i + j] += x * y
    return out


def kronecker(a, v):
    """Exact full convolution of Python ints by Kronecker substitution (one big-int product)."""
    w = (max(map(abs, a)) * max(map(abs, v)) * min(len(a), len(v))).bit_length() + 2
    A = sum(x << (w * i) for i, x in enumerate(a))
    V = sum(y << (w * j) for j, y in enumerate(v))
    C = A * V + sum(1 << (w * i + w - 1) for i in range(len(a) + len(v) - 1))  # every slot + 2**(w-1)
    mask = (1 << w) - 1
    return [((C >> (w * i)) & mask) - (1 << (w - 1)) for i in range(len(a) + len(v) - 1)]


def window(full, M, N, mode):
    lo, hi = min(M, N), max(M, N)
    start, length = {"full": (0, M + N - 1), "same": ((lo - 1) // 2, hi), "valid": (lo - 1, hi - lo + 1)}[mode]
    return full[start : start + length]


def assert_close(got, ref, rtol=1e-10, atol=0.0):
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    scale = np.abs(ref).max() if ref.size else 0.0
    assert np.abs(got - ref).max() <= rtol * scale + atol, (got, ref)


def fft_atol(a, v):
    """FFT convolution errors scale with ||a|| ||v|| (Percival's bound), not with the output."""
    return 1e-13 * np.linalg.norm(np.asarray(a, dtype=complex)) * np.linalg.norm(np.asarray(v, dtype=complex))


# --------------------------------------------------------------------------
# Hand-computed cases
# --------------------------------------------------------------------------


def test_hand_case_every_mode():
    a, v = [1, 2, 3], [0, 1, 0.5]
    assert discrete.convolve(a, v).tolist() == [0.0, 1.0, 2.5, 4.0, 1.5]
    assert discrete.convolve(a, v, "same").tolist() == [1.0, 2.5, 4.0]
    assert discrete.convolve(a, v, "valid").tolist() == [2.5]
    for method in METHODS:
        assert_close(discrete.convolve(a, v, method=method), [0.0, 1.0, 2.5, 4.0, 1.5])


def test_hand_case_integers_and_longer_v():
    # numpy swaps the inputs when v is longer: 'same' has length max(M, N) = 4
    # full is [1, 3, 5, 7, 4]; 'same' cuts (min(M, N) - 1) // 2 = 0 on the left
    assert discrete.convolve([1, 1], [1, 2, 3, 4], "same").tolist() == [1, 3, 5, 7]
    assert np.convolve([1, 1], [1, 2, 3, 4], "same").tolist() == [1, 3, 5, 7]
    assert discrete.convolve([1, 1], [1, 2, 3, 4], "valid").tolist() == [3, 5, 7]
    assert discrete.convolve([1, 1], [1, 2, 3, 4]).dtype == np.int64


def test_hand_case_correlate_complex():
    # c[k] = sum_n a[n+k] conj(v[n]), k = -2..2, computed by hand
    expected = [-0.5j, 1 - 1j, 2 - 1.5j, 3, 0]
    for method in METHODS:
        got = discrete.correlate([1, 2, 3], [0, 1, 0.5j], "full", method=method)
        assert_close(got, expected)
    assert_close(discrete.correlate([1, 2, 3], [0, 1, 0.5j], "full"), np.correlate([1, 2, 3], [0, 1, 0.5j], "full"))


def test_scalars_count_as_length_one():
    assert discrete.convolve(3, [1, 2]).tolist() == np.convolve(3, [1, 2]).tolist() == [3, 6]


def test_booleans_count_as_integers():
    # numpy.convolve on bool arrays ORs; convolution counts
    assert discrete.convolve([True, True], [True, True]).tolist() == [1, 2, 1]
    assert discrete.convolve(np.array([True, True]), [1, 1], method="fft").tolist() == [1, 2, 1]


def test_small_int_dtypes_do_not_overflow():
    a = np.array([100, 100], dtype=np.int8)
    assert np.convolve(a, a).dtype == np.int8  # numpy wraps around in int8...
    got = discrete.convolve(a, a)
    assert got.dtype == np.int64 and got.tolist() == [10000, 20000, 10000]  # ...we do not


def test_int64_overflow_goes_to_python_ints():
    a = np.array([2**62, 2**62, -(2**62)], dtype=np.int64)
    v = np.array([3, 5], dtype=np.int64)
    exact = oracle(a.tolist(), v.tolist())
    assert np.convolve(a, v).tolist() != exact  # numpy silently wraps around
    for method in METHODS:
        got = discrete.convolve(a, v, method=method)
        assert got.dtype == object and got.tolist() == exact
        assert all(type(x) is int for x in got)


def test_python_ints_beyond_int64_given_as_a_list():
    # np.asarray([2**63, -1]) is float64 -- the ints must not be rounded
    for method in METHODS:
        assert discrete.convolve([2**63, -1], [1], method=method).tolist() == [2**63, -1]
        assert discrete.convolve([2**63 + 1, -1], [2**70, 1], method=method).tolist() == oracle(
            [2**63 + 1, -1], [2**70, 1]
        )


def test_uint64_and_int64_mix_stays_exact():
    a = np.array([2**64 - 1, 1], dtype=np.uint64)
    v = np.array([-1, 2], dtype=np.int64)
    for method in METHODS:
        assert discrete.convolve(a, v, method=method).tolist() == oracle([2**64 - 1, 1], [-1, 2])


def test_fractions_stay_exact():
    a = [Fraction(1, 3), Fraction(-2, 7), 1]
    v = [Fraction(5, 6), 2]
    for method in METHODS:
        got = discrete.convolve(a, v, method=method)
        assert got.dtype == object and got.tolist() == oracle(a, v)
        assert all(isinstance(x, Fraction) for x in got)


def test_non_finite_inputs():
    a = np.ones(30_000)
    a[10] = np.nan
    v = np.ones(3_000)
    assert discrete.choose_method(np.ones(30_000), v) in ("fft", "overlap-add")  # an FFT route, for finite inputs
    assert discrete.choose_method(a, v) == "direct"  # the FFT would spread the nan everywhere
    np.testing.assert_array_equal(np.isnan(discrete.convolve(a, v)), np.isnan(np.convolve(a, v)))
    with pytest.raises(ValueError, match="method='fft' needs finite inputs"):
        discrete.convolve(a, v, method="fft")
    with pytest.raises(ValueError, match="method='fft' needs finite inputs"):
        discrete.convolve2d([[np.inf]], [[1.0]], method="fft")
    np.testing.assert_array_equal(discrete.convolve([np.inf, 1.0], [1.0, 0.0]), np.convolve([np.inf, 1.0], [1.0, 0.0]))


def test_longdouble_keeps_its_precision():
    a = np.array([1, 2**-60], dtype=np.longdouble)
    assert discrete.convolve(a, [1.0, 1.0], method="direct")[1] == 1 + np.longdouble(2) ** -60  # not 1.0
    for method in METHODS:
        got = discrete.convolve(a, [1.0, 1.0], method=method)
        assert got.dtype == np.longdouble
        assert_close(got, np.convolve(a, np.array([1.0, 1.0], dtype=np.longdouble)), rtol=1e-15)


# --------------------------------------------------------------------------
# Agreement with numpy, every mode, dtype and method
# --------------------------------------------------------------------------


@SETTINGS
@given(numeric, numeric, st.sampled_from(MODES), st.sampled_from(METHODS))
def test_convolve_agrees_with_numpy(a, v, mode, method):
    ref = np.convolve(a, v, mode)
    got = discrete.convolve(a, v, mode, method)
    if ref.dtype.kind == "i":
        assert got.dtype == np.int64 and got.tolist() == ref.tolist()
    else:
        assert_close(got, ref, atol=fft_atol(a, v) if method == "fft" else 0.0)


@SETTINGS
@given(numeric, numeric, st.sampled_from(MODES), st.sampled_from(METHODS))
def test_correlate_agrees_with_numpy(a, v, mode, method):
    ref = np.correlate(a, v, mode)
    got = discrete.correlate(a, v, mode, method)
    if ref.dtype.kind == "i":
        assert got.dtype == np.int64 and got.tolist() == ref.tolist()
    else:
        assert_close(got, ref, atol=fft_atol(a, v) if method == "fft" else 0.0)


def test_every_length_pair_and_mode_matches_numpy_windows():
    rng = np.random.default_rng(0)
    for M in range(1, 9):
        for N in range(1, 9):
            a, v = rng.integers(-9, 9, M), rng.integers(-9, 9, N)
            for mode in MODES:
                for method in METHODS:
                    assert discrete.convolve(a, v, mode, method).tolist() == np.convolve(a, v, mode).tolist()
                    assert discrete.correlate(a, v, mode, method).tolist() == np.correlate(a, v, mode).tolist()


def test_large_float_inputs_every_method():
    rng = np.random.default_rng(1)
    for M, N in [(5000, 3000), (20_000, 50), (100, 40_000)]:
        a, v = rng.standard_normal(M), rng.standard_normal(N) + 0.5j * rng.standard_normal(N)
        for mode in MODES:
            ref = np.convolve(a, v, mode)
            for method in METHODS:
                assert_close(discrete.convolve(a, v, mode, method), ref, atol=fft_atol(a, v))
                assert_close(discrete.convolve(a, v.real, mode, method), np.convolve(a, v.real, mode), atol=fft_atol(a, v))


def test_auto_is_the_method_choose_method_names():
    rng = np.random.default_rng(2)
    seen = set()
    for M, N in [(1000, 2), (1000, 1000), (10_000, 100), (20_000, 2000), (3000, 3000), (50, 40_000)]:
        a, v = rng.standard_normal(M), rng.standard_normal(N)
        for mode in MODES:
            method = discrete.choose_method(a, v, mode)
            seen.add(method)
            # bitwise: the same computation
            np.testing.assert_array_equal(discrete.convolve(a, v, mode), discrete.convolve(a, v, mode, method))
            if method == "direct":
                np.testing.assert_array_equal(discrete.convolve(a, v, mode), np.convolve(a, v, mode))
    assert {"direct", "fft"} <= seen


# --------------------------------------------------------------------------
# Algebraic properties
# --------------------------------------------------------------------------


@SETTINGS
@given(small_ints, small_ints, st.sampled_from(METHODS))
def test_commutativity(a, v, method):
    assert discrete.convolve(a, v, method=method).tolist() == discrete.convolve(v, a, method=method).tolist()


@SETTINGS
@given(floats, floats)
def test_commutativity_floats(a, v):
    assert_close(discrete.convolve(a, v), discrete.convolve(v, a))


@SETTINGS
@given(small_ints, small_ints, small_ints, st.sampled_from(METHODS))
def test_associativity(a, b, c, method):
    conv = lambda x, y: discrete.convolve(x, y, method=method)  # noqa: E731
    assert conv(conv(a, b), c).tolist() == conv(a, conv(b, c)).tolist()


@SETTINGS
@given(st.data(), st.integers(1, 20), st.integers(-50, 50), st.integers(-50, 50), st.sampled_from(METHODS))
def test_linearity(data, M, alpha, beta, method):
    a = data.draw(st.lists(st.integers(-1000, 1000), min_size=M, max_size=M))
    b = data.draw(st.lists(st.integers(-1000, 1000), min_size=M, max_size=M))
    v = data.draw(small_ints)
    left = discrete.convolve([alpha * x + beta * y for x, y in zip(a, b)], v, method=method)
    right = alpha * discrete.convolve(a, v, method=method) + beta * discrete.convolve(b, v, method=method)
    assert left.tolist() == right.tolist()


@SETTINGS
@given(numeric, st.integers(0, 10), st.sampled_from(METHODS))
def test_delta_identity_and_shift(a, shift, method):
    delta = [0] * shift + [1]
    got = discrete.convolve(a, delta, method=method)
    expected = np.concatenate([np.zeros(shift), np.asarray(a)])
    assert_close(got, expected, atol=fft_atol(a, delta) if method == "fft" else 0.0)


@SETTINGS
@given(numeric, numeric, st.sampled_from(MODES))
def test_direct_fft_auto_agree(a, v, mode):
    results = [discrete.convolve(a, v, mode, method) for method in METHODS]
    for r in results[1:]:
        if results[0].dtype.kind == "i":
            assert r.dtype == results[0].dtype and r.tolist() == results[0].tolist()
        else:
            assert_close(r, results[0], atol=fft_atol(a, v))


# --------------------------------------------------------------------------
# Exact big integers
# --------------------------------------------------------------------------


@SETTINGS
@given(near_2_62, near_2_62, st.sampled_from(MODES), st.sampled_from(METHODS))
def test_values_near_2_62_exact(a, v, mode, method):
    got = discrete.convolve(np.array(a, dtype=np.int64), np.array(v, dtype=np.int64), mode, method)
    assert got.dtype == object
    assert got.tolist() == window(oracle(a, v), len(a), len(v), mode)


@SETTINGS
@given(big_ints, big_ints, st.sampled_from(MODES), st.sampled_from(METHODS))
def test_python_ints_beyond_int64_exact(a, v, mode, method):
    got = discrete.convolve(a, v, mode, method)
    assert got.tolist() == window(oracle(a, v), len(a), len(v), mode)
    assert discrete.correlate(a, v, "full", method).tolist() == oracle(a, v[::-1])


def test_long_big_integer_convolutions_use_exact_limbs():
    rng = random.Random(3)
    for M, N, bits, exact in [(3000, 2500, 62, kronecker), (400, 300, 300, kronecker), (20_000, 7, 62, oracle)]:
        a = [rng.randrange(-(2**bits), 2**bits) for _ in range(M)]
        v = [rng.randrange(-(2**bits), 2**bits) for _ in range(N)]
        expected = exact(a, v)
        assert discrete.convolve(a, v, method="fft").tolist() == expected
        assert discrete.convolve(a, v, method="auto").tolist() == expected


def test_float_fft_route_is_exact_at_its_error_bound():
    # the largest value m for which all-m inputs pass the bound: the worst case for rounding
    for M in (10, 1000, 10_000):
        L = 1 << (2 * M - 2).bit_length()
        m = int((0.25 / (M * discrete._fft_error_bound(L))) ** 0.5)
        for a in (np.full(M, m), m * (-1) ** np.arange(M)):
            v = np.full(M, m)
            assert discrete._float_fft_is_exact(np.linalg.norm(a), np.linalg.norm(v), L)
            got = discrete.convolve(a, v, method="fft")
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, np.convolve(a, v))


def test_medium_integers_beyond_the_float_bound_are_exact():
    rng = np.random.default_rng(4)
    a, v = rng.integers(-(2**24), 2**24, 5000), rng.integers(-(2**24), 2**24, 4000)
    got = discrete.convolve(a, v, method="fft")
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, np.convolve(a, v))  # int64 is exact here: the bound fits


# --------------------------------------------------------------------------
# Didactic loops == fast paths
# --------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(numeric, big_ints), st.one_of(numeric, big_ints), st.sampled_from(MODES))
def test_convolve_loops_agree(a, v, mode):
    fast, slow = discrete.convolve(a, v, mode), discrete.convolve_loops(a, v, mode)
    assert fast.dtype == slow.dtype
    if fast.dtype.kind in "iO":
        assert fast.tolist() == slow.tolist()
    else:
        assert_close(slow, fast)


@SETTINGS
@given(st.one_of(numeric, big_ints), st.one_of(numeric, big_ints), st.sampled_from(MODES))
def test_correlate_loops_agree(a, v, mode):
    fast, slow = discrete.correlate(a, v, mode), discrete.correlate_loops(a, v, mode)
    assert fast.dtype == slow.dtype
    if fast.dtype.kind in "iO":
        assert fast.tolist() == slow.tolist()
    else:
        assert_close(slow, fast)


def test_loops_with_fractions():
    a, v = [Fraction(1, 2), Fraction(2, 3), 3], [Fraction(-1, 5), 1]
    for mode in MODES:
        assert discrete.convolve_loops(a, v, mode).tolist() == discrete.convolve(a, v, mode).tolist()
        assert discrete.correlate_loops(a, v, mode).tolist() == discrete.correlate(a, v, mode).tolist()
    assert discrete.circular_convolve_loops(a, v, 4).tolist() == discrete.circular_convolve(a, v, 4).tolist()


# --------------------------------------------------------------------------
# Circular convolution
# --------------------------------------------------------------------------


@SETTINGS
@given(numeric, numeric, st.integers(0, 10), st.sampled_from(METHODS))
def test_circular_is_ifft_of_product(a, v, extra, method):
    n = max(len(a), len(v)) + extra
    ref = np.fft.ifft(np.fft.fft(a, n) * np.fft.fft(v, n))
    got = discrete.circular_convolve(a, v, n, method)
    assert got.shape == (n,)
    if np.iscomplexobj(a) or np.iscomplexobj(v):
        assert_close(got, ref, atol=fft_atol(a, v))
    else:
        assert_close(got, ref.real, atol=fft_atol(a, v))
    assert_close(discrete.circular_convolve_loops(a, v, n), got, atol=fft_atol(a, v))


@SETTINGS
@given(st.one_of(small_ints, big_ints), st.one_of(small_ints, big_ints), st.integers(0, 10))
def test_circular_exact_for_ints(a, v, extra):
    n = max(len(a), len(v)) + extra
    full = oracle(a, v) + [0] * n
    expected = [sum(full[i::n]) for i in range(n)]
    for method in METHODS:
        assert discrete.circular_convolve(a, v, n, method).tolist() == expected
    assert discrete.circular_convolve_loops(a, v, n).tolist() == expected


def test_circular_hand_case_and_default_period():
    assert discrete.circular_convolve([1, 2, 3], [1, 1]).tolist() == [4, 3, 5]
    assert discrete.circular_convolve([1, 2, 3], [1, 1], n=4).tolist() == [1, 3, 5, 3]


# --------------------------------------------------------------------------
# Convolution matrix
# --------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(small_ints, floats, complexes), st.integers(1, 12), st.sampled_from(MODES))
def test_convolution_matrix_matches_scipy(a, n, mode):
    A = discrete.convolution_matrix(a, n, mode)
    ref = scipy.linalg.convolution_matrix(np.asarray(a), n, mode)
    assert A.shape == ref.shape and A.dtype == ref.dtype
    np.testing.assert_array_equal(A, ref)
    np.testing.assert_array_equal(discrete.convolution_matrix_loops(a, n, mode), A)
    v = np.arange(1, n + 1)
    assert_close(A @ v, np.convolve(a, v, mode))


def test_convolution_matrix_exact_big_ints():
    a = [2**100, -3]
    A = discrete.convolution_matrix(a, 3, "full")
    assert A.dtype == object and A.tolist() == [[2**100, 0, 0], [-3, 2**100, 0], [0, -3, 2**100], [0, 0, -3]]
    assert (A @ np.array([1, 2, 3], dtype=object)).tolist() == oracle(a, [1, 2, 3])


# --------------------------------------------------------------------------
# 2-D
# --------------------------------------------------------------------------


def matrices(elements, max_side=6):
    shapes = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return shapes.flatmap(
        lambda rc: st.lists(st.lists(elements, min_size=rc[1], max_size=rc[1]), min_size=rc[0], max_size=rc[0])
    )


int_mats = matrices(st.integers(-100, 100))
float_mats = matrices(st.floats(-100, 100, **finite))
complex_mats = matrices(st.builds(complex, st.floats(-10, 10, **finite), st.floats(-10, 10, **finite)))


def _valid_ok(a, k):
    (M1, M2), (N1, N2) = np.shape(a), np.shape(k)
    return (M1 >= N1 and M2 >= N2) or (N1 >= M1 and N2 >= M2)


@SETTINGS
@given(st.one_of(int_mats, float_mats, complex_mats), st.one_of(int_mats, float_mats), st.sampled_from(MODES),
       st.sampled_from(METHODS))
def test_convolve2d_matches_scipy(a, k, mode, method):
    if mode == "valid" and not _valid_ok(a, k):
        with pytest.raises(ValueError, match="one must be at least as large as the other"):
            discrete.convolve2d(a, k, mode, method)
        with pytest.raises(ValueError, match="one must be at least as large as the other"):
            scipy.signal.convolve2d(a, k, mode)
        return
    ref = scipy.signal.convolve2d(a, k, mode)
    got = discrete.convolve2d(a, k, mode, method)
    if ref.dtype.kind == "i":
        assert got.dtype == np.int64 and got.tolist() == ref.tolist()
    else:
        assert_close(got, ref, atol=fft_atol(a, k))
    slow = discrete.convolve2d_loops(a, k, mode)
    assert slow.dtype == got.dtype
    assert_close(slow, got, atol=fft_atol(a, k))


def test_convolve2d_large_against_scipy():
    rng = np.random.default_rng(5)
    a, k = rng.standard_normal((120, 90)), rng.standard_normal((30, 40))
    for mode in MODES:
        ref = scipy.signal.convolve2d(a, k, mode)
        for method in METHODS:
            assert_close(discrete.convolve2d(a, k, mode, method), ref, atol=fft_atol(a, k))
    ai, ki = rng.integers(-1000, 1000, (60, 50)), rng.integers(-1000, 1000, (20, 30))
    for method in METHODS:
        assert discrete.convolve2d(ai, ki, "same", method).tolist() == scipy.signal.convolve2d(ai, ki, "same").tolist()


def test_convolve2d_exact_big_ints_and_fractions():
    a = [[2**62, -(2**62)], [2**62, 1]]
    k = [[2**62, 3], [5, -(2**62)]]
    for mode in MODES:
        slow = discrete.convolve2d_loops(a, k, mode)
        assert slow.dtype == object
        for method in METHODS:
            assert discrete.convolve2d(a, k, mode, method).tolist() == slow.tolist()
    q = [[Fraction(1, 3), 2], [Fraction(-1, 2), Fraction(5, 7)]]
    for method in METHODS:
        got = discrete.convolve2d(q, [[1, Fraction(1, 2)]], "full", method)
        assert got.tolist() == discrete.convolve2d_loops(q, [[1, Fraction(1, 2)]]).tolist()
        assert all(isinstance(x, Fraction) for x in got.flat)


def test_convolve2d_is_true_convolution_not_correlation():
    impulse = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    k = [[1, 2], [3, 4]]
    # the impulse response is the kernel itself, not flipped
    assert discrete.convolve2d(impulse, k, "full")[1:3, 1:3].tolist() == k


# --------------------------------------------------------------------------
# Bad input: every error path
# --------------------------------------------------------------------------

MODE_MSG = re.escape("mode='circular' is not allowed. Acceptable mode flags are 'full', 'same', or 'valid'.")
METHOD_MSG = re.escape("method='magic' is not allowed. Acceptable method flags are 'auto', 'direct', or 'fft'.")


@pytest.mark.parametrize(
    "call",
    [
        lambda: discrete.convolve([1], [1], mode="circular"),
        lambda: discrete.convolve(np.ones(3), np.ones(2), mode="circular"),
        lambda: discrete.correlate([1], [1], mode="circular"),
        lambda: discrete.convolve_loops([1], [1], mode="circular"),
        lambda: discrete.correlate_loops([1], [1], mode="circular"),
        lambda: discrete.choose_method([1], [1], mode="circular"),
        lambda: discrete.convolution_matrix([1], 2, mode="circular"),
        lambda: discrete.convolution_matrix_loops([1], 2, mode="circular"),
        lambda: discrete.convolve2d([[1]], [[1]], mode="circular"),
        lambda: discrete.convolve2d_loops([[1]], [[1]], mode="circular"),
    ],
)
def test_unknown_mode(call):
    with pytest.raises(ValueError, match=MODE_MSG):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: discrete.correlate([1], [1], method="magic"),
        lambda: discrete.circular_convolve([1], [1], method="magic"),
        lambda: discrete.convolve2d([[1]], [[1]], method="magic"),
    ],
)
def test_unknown_method(call):
    with pytest.raises(ValueError, match=METHOD_MSG):
        call()


CONVOLVE_METHOD_MSG = re.escape(
    "method='magic' is not allowed. Acceptable method flags are 'auto', 'direct', 'fft', or 'overlap-add'.")


@pytest.mark.parametrize(
    "call",
    [
        lambda: discrete.convolve([1], [1], method="magic"),
        lambda: discrete.convolve(np.ones(3), np.ones(2), method="magic"),
    ],
)
def test_unknown_method_of_convolve_lists_overlap_add(call):
    with pytest.raises(ValueError, match=CONVOLVE_METHOD_MSG):
        call()


@pytest.mark.parametrize("mode", MODES)
def test_overlap_add_every_length_pair_matches_numpy(mode):
    rng = np.random.default_rng(12)
    for M in range(1, 12):
        for N in range(1, 12):
            a, v = rng.integers(-9, 9, M), rng.integers(-9, 9, N)
            assert discrete.convolve(a, v, mode, "overlap-add").tolist() == np.convolve(a, v, mode).tolist()
            f, g = a + 0.5, v - 0.25j
            assert_close(discrete.convolve(f, g, mode, "overlap-add"), np.convolve(f, g, mode), atol=fft_atol(f, g))


@SETTINGS
@given(near_2_62, near_2_62, st.sampled_from(MODES))
def test_overlap_add_values_near_2_62_exact(a, v, mode):
    got = discrete.convolve(np.array(a, dtype=np.int64), np.array(v, dtype=np.int64), mode, "overlap-add")
    assert got.dtype == object and got.tolist() == window(oracle(a, v), len(a), len(v), mode)


@SETTINGS
@given(big_ints, big_ints, st.sampled_from(MODES))
def test_overlap_add_python_ints_beyond_int64_exact(a, v, mode):
    assert discrete.convolve(a, v, mode, "overlap-add").tolist() == window(oracle(a, v), len(a), len(v), mode)


@pytest.mark.parametrize(
    "fn", [discrete.convolve, discrete.correlate, discrete.circular_convolve, discrete.convolve_loops,
           discrete.correlate_loops, discrete.circular_convolve_loops, discrete.choose_method]
)
def test_bad_1d_inputs(fn):
    with pytest.raises(ValueError, match="a must not be empty"):
        fn([], [1])
    with pytest.raises(ValueError, match="v must not be empty"):
        fn([1], np.array([]))
    with pytest.raises(ValueError, match=r"v must be 0-D or 1-D, got an array of shape \(1, 2\)"):
        fn([1], [[1, 2]])
    with pytest.raises(TypeError, match="a must hold numbers"):
        fn(["x", "y"], [1])
    with pytest.raises(TypeError, match="v must hold numbers"):
        fn([1], np.array([1, None], dtype=object))
    with pytest.raises(ValueError, match="a must be a rectangular array of numbers"):
        fn([[1, 2], [3]], [1])


def test_empty_float64_arrays_do_not_slip_through_the_fast_lane():
    with pytest.raises(ValueError, match="v must not be empty"):
        discrete.convolve(np.ones(3), np.ones(0))
    with pytest.raises(ValueError, match="a must not be empty"):
        discrete.convolve(np.ones(0), np.ones(3))


def test_empty_int64_arrays_do_not_slip_through_the_fast_lane():
    with pytest.raises(ValueError, match="v must not be empty"):
        discrete.convolve(np.ones(3, dtype=np.int64), np.ones(0, dtype=np.int64))
    with pytest.raises(ValueError, match="a must not be empty"):
        discrete.convolve(np.ones(0, dtype=np.int64), np.ones(3, dtype=np.int64))


@pytest.mark.parametrize("mode", MODES)
def test_the_int64_fast_lane_gives_what_the_general_path_gives(mode):
    """1-D int64 arrays with method='auto' skip the general validation: the same values and dtype,
    exact, also where the bound does not fit in int64 (object result) or an input is all zeros."""
    rng = np.random.default_rng(12)
    i64 = np.iinfo(np.int64)
    cases = [rng.integers(-1000, 1000, (M, N)[j]) for M, N in [(1000, 2), (1000, 100), (7, 300), (3000, 3000)]
             for j in (0, 1)]
    cases = list(zip(cases[::2], cases[1::2]))
    cases += [(np.array([i64.min, 1, 2]), np.array([0, 0])),                  # all zeros: int64 zeros
              (np.array([i64.min, i64.max]), np.array([1, -1, 1])),            # bound beyond int64: Python ints
              (np.array([2**31, -(2**31)]), np.array([2**31, 3, -(2**31)])),   # just beyond: Python ints
              (np.array([2**30, -(2**30)]), np.array([2**30, 3]))]             # fits
    for a, v in cases:
        got = discrete.convolve(a, v, mode)
        general = discrete.convolve(a.astype(np.int32) if max(map(abs, a.tolist())) < 2**31 else a.tolist(),
                                    v.tolist(), mode)
        exact = discrete.convolve_loops(a.tolist(), v.tolist(), mode)
        assert got.dtype == general.dtype == exact.dtype
        assert got.tolist() == general.tolist() == exact.tolist()


def test_integers_too_large_for_floats():
    with pytest.raises(OverflowError, match="a holds integers too large for float64"):
        discrete.convolve([2**2000], [1.5])
    with pytest.raises(OverflowError, match="a holds numbers that cannot be converted to float64"):
        discrete.convolve([2**2000, 0.5], [1])


@pytest.mark.parametrize("fn", [discrete.circular_convolve, discrete.circular_convolve_loops])
def test_bad_period(fn):
    with pytest.raises(ValueError, match=r"n must be None or an integer >= max\(len\(a\), len\(v\)\) = 3, got 2"):
        fn([1, 2, 3], [1], n=2)
    with pytest.raises(TypeError, match=r"n must be None or an integer .* got 3.0 \(type float\)"):
        fn([1, 2, 3], [1], n=3.0)
    with pytest.raises(TypeError, match=r"n must be None or an integer .* got True \(type bool\)"):
        fn([1], [1], n=True)


@pytest.mark.parametrize("fn", [discrete.convolution_matrix, discrete.convolution_matrix_loops])
def test_bad_convolution_matrix_args(fn):
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 0"):
        fn([1, 2], 0)
    with pytest.raises(TypeError, match=r"n must be an integer >= 1, got 2.5 \(type float\)"):
        fn([1, 2], 2.5)
    with pytest.raises(ValueError, match="a must be 1-D"):
        fn([[1, 2]], 2)
    with pytest.raises(ValueError, match="a must be 1-D"):
        fn(3, 2)
    with pytest.raises(ValueError, match="a must not be empty"):
        fn([], 2)
    with pytest.raises(TypeError, match="a must hold numbers"):
        fn(["1"], 2)


@pytest.mark.parametrize("fn", [discrete.convolve2d, discrete.convolve2d_loops])
def test_bad_2d_inputs(fn):
    with pytest.raises(ValueError, match=r"a must be 2-D, got an array of shape \(3,\)"):
        fn([1, 2, 3], [[1]])
    with pytest.raises(ValueError, match=r"k must be 2-D"):
        fn([[1]], [[[1]]])
    with pytest.raises(ValueError, match="k must not be empty"):
        fn([[1]], np.zeros((0, 2)))
    with pytest.raises(TypeError, match="a must hold numbers"):
        fn([["a"]], [[1]])
    with pytest.raises(ValueError, match=r"one must be at least as large as the other in every dimension: "
                                         r"got a of shape \(2, 3\) and k of shape \(3, 2\)"):
        fn(np.ones((2, 3)), np.ones((3, 2)), "valid")
