"""Tests of convbook.fourier: DFT/FFT against numpy, FFT convolution, exact big-int products."""

from __future__ import annotations

import doctest
import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import _fft, fourier

SETTINGS = settings(deadline=None, max_examples=60)


def rel_err(got, ref):
    """max|got - ref| / max(1, max|ref|): the brief's accuracy measure."""
    ref = np.asarray(ref)
    return float(np.max(np.abs(np.asarray(got) - ref)) / max(1.0, float(np.max(np.abs(ref)))))


def random_vector(seed: int, n: int, complex_: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    if complex_:
        x = x + 1j * rng.standard_normal(n)
    return x


def random_int(rng: random.Random, bits: int) -> int:
    """A random int with exactly ``bits`` bits, from random bytes (no decimal strings)."""
    if bits <= 0:
        return 0
    x = int.from_bytes(rng.randbytes((bits + 7) // 8), "little") >> (-bits % 8)
    return x | (1 << (bits - 1))


# --------------------------------------------------------------------------
# doctests
# --------------------------------------------------------------------------


def test_doctests():
    result = doctest.testmod(fourier, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 40


# --------------------------------------------------------------------------
# DFT by definition
# --------------------------------------------------------------------------


def test_dft_matrix_small_cases_are_exact():
    assert fourier.dft_matrix(1).tolist() == [[1]]
    assert fourier.dft_matrix(2).tolist() == [[1, 1], [1, -1]]
    w4 = fourier.dft_matrix(4)
    expected = np.array([[1, 1, 1, 1], [1, -1j, -1, 1j], [1, -1, 1, -1], [1, 1j, -1, -1j]])
    assert np.array_equal(w4, expected)


@pytest.mark.parametrize("n", [3, 5, 8, 12, 31])
def test_dft_matrix_definition_and_unitarity(n):
    w = fourier.dft_matrix(n)
    j = np.arange(n)
    np.testing.assert_allclose(w, np.exp(-2j * np.pi * np.outer(j, j) / n), atol=1e-14)
    np.testing.assert_allclose(w.conj().T @ w, n * np.eye(n), atol=1e-12)
    assert w.dtype == np.complex128


def test_dft_matrix_returns_a_fresh_writable_copy():
    w = fourier.dft_matrix(4)
    w[0, 0] = 99
    assert fourier.dft_matrix(4)[0, 0] == 1


def test_dft_hand_cases():
    np.testing.assert_array_equal(fourier.dft([1, 0, 0, 0]), np.ones(4))
    np.testing.assert_array_equal(fourier.dft([1, 1, 1, 1]), [4, 0, 0, 0])
    np.testing.assert_array_equal(fourier.dft([1, 2, 3, 4]), [10, -2 + 2j, -2, -2 - 2j])
    third = [6, -1.5 + 0.5j * math.sqrt(3), -1.5 - 0.5j * math.sqrt(3)]
    np.testing.assert_allclose(fourier.dft([1, 2, 3]), third, atol=1e-14)
    np.testing.assert_allclose(fourier.idft([10, -2 + 2j, -2, -2 - 2j]), [1, 2, 3, 4], atol=1e-15)


@SETTINGS
@given(n=st.integers(1, 300), seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_dft_matches_fft_and_numpy(n, seed, complex_):
    x = random_vector(seed, n, complex_)
    ref = np.fft.fft(x)
    assert rel_err(fourier.dft(x), ref) <= 1e-12
    assert rel_err(fourier.dft(x), fourier.fft(x)) <= 1e-12
    assert rel_err(fourier.idft(ref), x) <= 1e-12
    assert rel_err(fourier.idft(x), fourier.ifft(x)) <= 1e-12


# --------------------------------------------------------------------------
# FFT
# --------------------------------------------------------------------------


def test_fft_hand_cases():
    np.testing.assert_array_equal(fourier.fft([5]), [5 + 0j])
    np.testing.assert_array_equal(fourier.fft([1, 2]), [3, -1])
    np.testing.assert_array_equal(fourier.fft([1, 2, 3, 4]), [10, -2 + 2j, -2, -2 - 2j])
    third = [6, -1.5 + 0.5j * math.sqrt(3), -1.5 - 0.5j * math.sqrt(3)]
    np.testing.assert_allclose(fourier.fft([1, 2, 3]), third, atol=1e-14)
    np.testing.assert_allclose(fourier.fft(np.ones(8)), [8, 0, 0, 0, 0, 0, 0, 0], atol=1e-14)
    # A pure tone lands in one bin.
    n, k = 64, 5
    tone = np.exp(2j * np.pi * k * np.arange(n) / n)
    expected = np.zeros(n, complex)
    expected[k] = n
    np.testing.assert_allclose(fourier.fft(tone), expected, atol=1e-12)
    np.testing.assert_allclose(fourier.ifft(expected), tone, atol=1e-15)


@settings(deadline=None, max_examples=150)
@given(n=st.integers(1, 600), seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_fft_matches_numpy_any_length(n, seed, complex_):
    x = random_vector(seed, n, complex_)
    got = fourier.fft(x)
    assert got.dtype == np.complex128 and got.shape == (n,)
    assert rel_err(got, np.fft.fft(x)) <= 1e-12
    assert rel_err(fourier.ifft(x), np.fft.ifft(x)) <= 1e-12
    assert rel_err(fourier.ifft(got), x) <= 1e-12


@SETTINGS
@given(x=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=70))
def test_fft_matches_numpy_on_hypothesis_floats(x):
    assert rel_err(fourier.fft(x), np.fft.fft(x)) <= 1e-12


@pytest.mark.parametrize("n", [2**12, 2**15, 2**17, 3**9, 10**5 + 3, 65537, 10**5, 97 * 1024, 251 * 256,
                               257 * 256])
def test_fft_matches_numpy_long(n):
    x = random_vector(n, n, True)
    assert rel_err(fourier.fft(x), np.fft.fft(x)) <= 1e-12
    assert rel_err(fourier.ifft(x), np.fft.ifft(x)) <= 1e-12


@SETTINGS
@given(p=st.integers(0, 10), seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_didactic_radix2_versions_agree_with_fft(p, seed, complex_):
    x = random_vector(seed, 2**p, complex_)
    fast = fourier.fft(x)
    assert rel_err(fourier.fft_recursive(x), fast) <= 1e-12
    assert rel_err(fourier.fft_iterative(x), fast) <= 1e-12
    assert rel_err(fourier.fft_bluestein(x), fast) <= 1e-12


@SETTINGS
@given(n=st.integers(1, 400), seed=st.integers(0, 2**32 - 1))
def test_bluestein_matches_numpy_any_length(n, seed):
    x = random_vector(seed, n, True)
    assert rel_err(fourier.fft_bluestein(x), np.fft.fft(x)) <= 1e-12


def test_fft_does_not_modify_its_input_and_accepts_many_input_kinds():
    x = np.arange(8.0)
    before = x.copy()
    fourier.fft(x)
    fourier.fft_iterative(x)
    np.testing.assert_array_equal(x, before)
    ref = np.fft.fft(np.arange(6))
    kinds = (list(range(6)), tuple(range(6)), np.arange(6, dtype=np.int8), np.arange(6, dtype=np.float32),
             np.array([Fraction(i) for i in range(6)], dtype=object), np.arange(12.0)[::2] / 2)
    for kind in kinds:
        assert rel_err(fourier.fft(kind), ref) <= 1e-12
    assert fourier.fft([True, False]).tolist() == [1, 1]


def test_convolution_theorem_with_an_independent_circular_convolution():
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 8, 13, 32, 45):
        a = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        b = rng.standard_normal(n)
        circular = np.zeros(n, complex)
        for k in range(n):  # plain loops: independent of any FFT
            for j in range(n):
                circular[k] += a[j] * b[(k - j) % n]
        assert rel_err(fourier.fft(circular), fourier.fft(a) * fourier.fft(b)) <= 1e-12
        assert rel_err(fourier.ifft(fourier.fft(a) * fourier.fft(b)), circular) <= 1e-12


def test_fft_propagates_nan_like_numpy():
    x = [1.0, np.nan, 2.0, 3.0]
    assert np.isnan(fourier.fft(x)).all() and np.isnan(np.fft.fft(x)).all()


# --------------------------------------------------------------------------
# FFT: which algorithm for which length (mixed radix / Bluestein)
# --------------------------------------------------------------------------


def prime_factors(n: int) -> list[int]:
    """Trial division, independent of the engine's own factorisation."""
    out, p = [], 2
    while p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out + ([n] if n > 1 else [])


PRIMES = [p for p in range(2, 3000) if prime_factors(p) == [p]]

smooth_lengths = (
    st.lists(st.sampled_from([2, 3, 5, 7]), min_size=1, max_size=12)
    .map(math.prod)
    .filter(lambda n: n <= 2**17)
)


@settings(deadline=None, max_examples=80)
@given(n=smooth_lengths, seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_fft_smooth_lengths_take_the_mixed_radix_path_and_match_numpy(n, seed, complex_):
    plan = _fft.fft_plan(n)
    assert plan.algorithm == "stockham" and plan.length == n
    assert math.prod(plan.radices) == n
    assert all(r <= 27 for r in plan.radices)
    x = random_vector(seed, n, complex_)
    got = fourier.fft(x)
    assert np.array_equal(got, _fft.fft_stockham(np.asarray(x, dtype=complex)))  # the path taken
    ref = np.fft.fft(x)
    assert rel_err(got, ref) <= 1e-12
    assert rel_err(fourier.ifft(x), np.fft.ifft(x)) <= 1e-12


@settings(deadline=None, max_examples=80)
@given(p=st.sampled_from(PRIMES), seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_fft_prime_lengths_match_numpy(p, seed, complex_):
    plan = _fft.fft_plan(p)
    x = random_vector(seed, p, complex_)
    got = fourier.fft(x)
    if p < 256:  # one pass of prime radix: the DFT-matrix product itself
        assert plan == _fft.FFTPlan("stockham", p, (p,))
        assert np.array_equal(got, _fft.fft_stockham(np.asarray(x, dtype=complex)))
    else:
        assert plan.algorithm == "bluestein"
        assert np.array_equal(got, _fft.fft_bluestein_core(np.asarray(x, dtype=complex), plan.length))
    assert rel_err(got, np.fft.fft(x)) <= 1e-12
    assert rel_err(fourier.ifft(got), x) <= 1e-12


@pytest.mark.parametrize("n", [11 * 13 * 16, 17 * 4096, 61 * 59, 97 * 1024, 127 * 127 * 2, 30030, 131 * 64,
                               251 * 3 * 8, 257 * 64, 2 * 65537, 10**5, 5**6, 2**10 * 3**5])
def test_fft_lengths_with_larger_prime_factors(n):
    plan = _fft.fft_plan(n)
    largest = max(prime_factors(n))
    assert plan.algorithm == ("stockham" if largest < 256 else "bluestein")
    if plan.algorithm == "stockham":
        assert math.prod(plan.radices) == n
        assert largest <= 27 or largest in plan.radices  # a pass of prime radix
    x = random_vector(n, n, True)
    assert rel_err(fourier.fft(x), np.fft.fft(x)) <= 1e-12
    assert rel_err(fourier.fft(x.real), np.fft.fft(x.real)) <= 1e-12


def test_fft_plans_by_hand():
    assert _fft.fft_plan(1) == _fft.FFTPlan("stockham", 1, ())
    assert _fft.fft_plan(2**20).radices == (16, 16, 16, 16, 16)
    assert _fft.fft_plan(2**10).radices == (16, 8, 8)
    assert _fft.fft_plan(3**9).radices == (27, 9, 9, 9)
    assert _fft.fft_plan(5**6).radices == (25, 25, 25)
    assert _fft.fft_plan(1000).radices == (10, 10, 10)
    assert _fft.fft_plan(6).radices == (6,)
    # 65537 is prime: Bluestein on the smallest 2^a 3^b 5^c 7^d >= 2n - 1.
    plan = _fft.fft_plan(65537)
    assert plan.algorithm == "bluestein" and plan.length == 131220 == 2**2 * 3**8 * 5
    assert math.prod(plan.radices) == plan.length


def test_mixed_radix_plan_properties():
    for n in [2, 3, 12, 64, 360, 1024, 3**7, 2**5 * 7**3, 11**3, 13 * 17 * 19, 2**27, 10**6, 7**9]:
        rads = _fft.mixed_radices(n)
        assert math.prod(rads) == n
        assert list(rads) == sorted(rads, reverse=True)
        for r in rads:
            assert r <= 27 or r in _fft.SMALL_PRIMES
        if n & (n - 1) == 0:
            assert set(rads) <= {2, 4, 8, 16}
    assert _fft.SMALL_PRIMES == tuple(p for p in PRIMES if p < 256)


def test_next_smooth_against_brute_force():
    for n in range(1, 3000):
        m = n
        while max(prime_factors(m), default=1) > 7:
            m += 1
        assert _fft.next_smooth(n) == m
    assert _fft.bluestein_length(1000) == 2000
    assert _fft.bluestein_length(1000, smooth=False) == 2048


@pytest.mark.parametrize("r, cols", [(3, 1820), (3, 1821), (3, 1830), (7, 1000), (16, 64), (16, 200),
                                     (61, 1), (67, 1), (127, 1), (127, 3), (127, 8), (27, 729),
                                     (131, 1), (131, 7), (251, 2), (251, 5)])
def test_small_dft_batches_agree_with_one_product(r, cols):
    """Whole blocks, a remainder of one column or of several, a single column (never a GEMV),
    blocks of rows of w (r > 127)."""
    w = _fft.dft_matrix_cached(r)
    t = random_vector(r * cols, r * cols, True).reshape(r, cols)
    got = _fft.small_dft(w, t)
    assert got.shape == (r, cols) and got.flags.c_contiguous
    np.testing.assert_allclose(got, w @ t, rtol=0, atol=1e-12 * np.max(np.abs(w @ t)))


def test_didactic_bluestein_keeps_its_power_of_two():
    for n in (3, 100, 131, 1000):
        x = random_vector(n, n, True)
        m = _fft.bluestein_length(n, smooth=False)
        assert m & (m - 1) == 0 and 2 * n - 1 <= m < 4 * n
        assert np.array_equal(fourier.fft_bluestein(x), _fft.fft_bluestein_core(x, m))
        assert rel_err(fourier.fft_bluestein(x), np.fft.fft(x)) <= 1e-12


# 32..: the real-GEMM passes (every radix <= 64, two passes or more); 97 * 32 keeps the complex path
@pytest.mark.parametrize("n", [32, 360, 3**7, 3**8, 2**6 * 5**3, 61 * 64, 6000, 97 * 32, 2**12, 2**13, 2**18])
def test_stockham_error_stays_within_its_bound(n):
    """||fft(x) - numpy's||_2 <= (our bound + numpy's assumed bound) ||X||_2, and far below it."""
    x = random_vector(n + 1, n, True)
    ref = np.fft.fft(x)
    diff = float(np.linalg.norm(_fft.fft_stockham(x) - ref))
    bound = (_fft.stockham_delta(n) + _fft.pocketfft_delta(n)) * float(np.linalg.norm(ref))
    assert diff <= bound
    assert diff <= 1e-15 * math.sqrt(n) * float(np.linalg.norm(ref))


# --------------------------------------------------------------------------
# fft_convolve
# --------------------------------------------------------------------------


def test_fft_convolve_hand_cases():
    np.testing.assert_allclose(fourier.fft_convolve([1, 2, 3], [0, 1, 0.5]), [0, 1, 2.5, 4, 1.5], atol=1e-14)
    np.testing.assert_allclose(fourier.fft_convolve([1, 2, 3], [0, 1, 0.5], "same"), [1, 2.5, 4], atol=1e-14)
    np.testing.assert_allclose(fourier.fft_convolve([1, 2, 3], [0, 1, 0.5], "valid"), [2.5], atol=1e-14)
    # numpy's 'same' for an even kernel keeps one more sample on the right.
    np.testing.assert_allclose(fourier.fft_convolve([1, 2, 3, 4], [1, 1.0], "same"), [1, 3, 5, 7], atol=1e-14)
    # v longer than a: swapped like numpy.convolve.
    np.testing.assert_allclose(fourier.fft_convolve([1.0], [1, 2, 3], "valid"), [1, 2, 3], atol=1e-14)
    got = fourier.fft_convolve([1, 2, 3], [4, 5])
    assert got.dtype == np.int64 and got.tolist() == [4, 13, 22, 15]
    got = fourier.fft_convolve([1j, 2], [1, 1j])
    assert got.dtype == np.complex128
    np.testing.assert_allclose(got, [1j, 1, 2j], atol=1e-14)


@settings(deadline=None, max_examples=120)
@given(
    m=st.integers(1, 200),
    n=st.integers(1, 200),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["float", "complex", "int"]),
    mode=st.sampled_from(["full", "same", "valid"]),
)
def test_fft_convolve_matches_numpy_convolve(m, n, seed, kind, mode):
    rng = np.random.default_rng(seed)
    if kind == "int":
        a = rng.integers(-1000, 1000, m)
        v = rng.integers(-1000, 1000, n)
    else:
        a = random_vector(seed, m, kind == "complex")
        v = random_vector(seed + 1, n, kind == "complex") * 1e3
    ref = np.convolve(a, v, mode=mode)
    got = fourier.fft_convolve(a, v, mode=mode)
    assert got.shape == ref.shape
    if kind == "int":
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, ref)
    else:
        scale = np.linalg.norm(a) * np.linalg.norm(v)
        assert np.max(np.abs(got - ref)) <= 1e-10 * scale
        assert np.max(np.abs(got - ref)) <= 1e-10 * np.max(np.abs(ref))
        assert got.dtype == (np.complex128 if kind == "complex" else np.float64)


@SETTINGS
@given(
    a=st.lists(st.integers(-(2**70), 2**70), min_size=1, max_size=30),
    v=st.lists(st.integers(-(2**70), 2**70), min_size=1, max_size=30),
    mode=st.sampled_from(["full", "same", "valid"]),
)
def test_fft_convolve_exact_on_python_ints_of_any_size(a, v, mode):
    ref = np.convolve(np.array(a, dtype=object), np.array(v, dtype=object), mode=mode)
    got = fourier.fft_convolve(a, v, mode=mode)
    assert [int(g) for g in got] == [int(r) for r in ref]
    fits = all(abs(int(r)) < 2**63 for r in ref)
    assert got.dtype == (np.int64 if fits else object)


def test_fft_convolve_exact_where_numpy_int64_overflows():
    a = np.array([2**62, -(2**62), 3], dtype=np.int64)
    v = np.array([4, 2**61 + 1], dtype=np.int64)
    exact = np.convolve(a.astype(object), v.astype(object))
    got = fourier.fft_convolve(a, v)
    assert got.dtype == object and got.tolist() == exact.tolist()
    assert np.convolve(a, v).tolist() != exact.tolist()  # numpy wraps around silently


def test_fft_convolve_exact_for_long_int_vectors_beyond_the_float_certificate():
    rng = np.random.default_rng(3)
    a = rng.integers(-(2**40), 2**40, 3000)
    v = rng.integers(-(2**40), 2**40, 2000)
    exact = np.convolve(a.astype(object), v.astype(object))
    got = fourier.fft_convolve(a, v)
    assert got.tolist() == exact.tolist()
    assert fourier.fft_convolve([0, 2**63 + 1], [1]).tolist() == [0, 2**63 + 1]  # numpy: float64
    uint = np.array([2**64 - 1, 5], dtype=np.uint64)
    assert fourier.fft_convolve(uint, [3, 1]).tolist() == [3 * (2**64 - 1), 2**64 - 1 + 15, 5]


def test_fft_convolve_small_ints_of_every_dtype_and_bools():
    for dtype in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64):
        a = np.array([1, 2, 3], dtype=dtype)
        assert fourier.fft_convolve(a, a).tolist() == [1, 4, 10, 12, 9]
    assert fourier.fft_convolve([True, True], [True, True]).tolist() == [1, 2, 1]
    assert fourier.fft_convolve([0, 0], [5]).tolist() == [0, 0]


def test_fft_convolve_non_finite_values_like_numpy():
    a = [1.0, np.nan, 1.0, 2.0]
    v = [1.0, 1.0]
    np.testing.assert_array_equal(fourier.fft_convolve(a, v), np.convolve(a, v))
    np.testing.assert_array_equal(fourier.fft_convolve([np.inf, 1], [1, 0]), np.convolve([np.inf, 1], [1, 0]))


def test_fft_convolve_mixed_fractions_and_floats():
    got = fourier.fft_convolve([Fraction(1, 2), 1.5], [2, 2])
    np.testing.assert_allclose(got, [1, 4, 3], atol=1e-14)
    assert got.dtype == np.float64


def test_convolution_certificate_bounds_the_observed_error():
    rng = np.random.default_rng(11)
    for size, magnitude in [(64, 2**20), (1000, 2**16), (4096, 2**12), (500, 2**25)]:
        a = rng.integers(-magnitude, magnitude, size).astype(np.float64)
        v = rng.integers(0, magnitude, size).astype(np.float64)
        n = 1 << (2 * size - 2).bit_length()
        pa, pv = np.zeros(n, complex), np.zeros(n, complex)
        pa[:size], pv[:size] = a, v
        p = _fft.fft_pow2(pa) * _fft.fft_pow2(pv)
        z = _fft.ifft_pow2(p)[: 2 * size - 1].real
        exact = np.convolve(a.astype(np.int64).astype(object), v.astype(np.int64).astype(object))
        observed = max(abs(float(zk) - int(ek)) for zk, ek in zip(z, exact))
        delta = _fft.stockham_delta(n)
        cert = _fft.convolution_certificate(_fft.norm2(a), _fft.norm2(v), _fft.norm2(p), n, delta)
        assert observed <= cert
        assert cert < 1e5 * max(observed, 1e-12)  # a worst-case bound, yet not absurdly loose


# --------------------------------------------------------------------------
# limbs
# --------------------------------------------------------------------------


def test_to_limbs_and_from_limbs_hand_cases():
    assert fourier.to_limbs(0, 8).tolist() == [0]
    assert fourier.to_limbs(0x1234, 4).tolist() == [4, 3, 2, 1]
    assert fourier.to_limbs(2**64, 32).tolist() == [0, 0, 1]
    assert fourier.from_limbs([4, 3, 2, 1], 4) == 0x1234
    assert fourier.from_limbs([-1, 1], 8) == 255
    assert fourier.from_limbs([2**100, 0, 1], 1) == 2**100 + 4
    assert fourier.from_limbs(np.array([7], dtype=np.uint8), 3) == 7
    # numpy would turn this list into float64 and round 2**63 + 1:
    assert fourier.from_limbs([2**63 + 1, 1], 64) == 2**64 + 2**63 + 1


def test_fast_limb_extraction_and_packing_agree_with_the_readable_versions():
    rng = random.Random(5)
    for b in range(1, 33):
        for bits in (1, 7, 8, 63, 64, 65, 200, 1001):
            x = random_int(rng, bits)
            n = -(-bits // b)
            fast = _fft.extract_limbs(x, b, n)
            assert fast.tolist() == fourier.to_limbs(x, b).tolist()
            assert _fft.pack_digits(fast, b) == x
            coefficients = np.array([rng.randrange(2**62) for _ in range(n)], dtype=np.int64)
            assert _fft.assemble(coefficients, b) == fourier.from_limbs(coefficients, b)


def _from_coefficients(c, b: int) -> int:
    return sum(int(v) << (b * k) for k, v in enumerate(c))


def test_fast_centred_limbs_and_balanced_digits_agree_with_the_readable_versions():
    rng = random.Random(6)
    for b in range(1, 27):
        half = 2 ** (b - 1)
        for bits in (1, 7, 8, 63, 64, 65, 200, 1001, 4099):
            for x in (random_int(rng, bits), 2**bits - 1, 2 ** (bits - 1)):
                n = -(-bits // b) + rng.choice((0, 0, 1, 2))
                limbs = fourier.to_limbs(x, b).tolist()
                limbs += [0] * (n - len(limbs))
                assert _fft.centred_limbs(x, b, n).tolist() == [v - half for v in limbs]
                d = _fft.balanced_digits(x, b, n)
                assert d.dtype == np.float64 and d.shape == (n,)
                assert fourier.from_limbs([int(v) for v in d], b) == x
                assert all(-half <= v < half for v in d[:-1].tolist()) and -half <= d[-1] <= 2**b
    assert _fft.centring_offset(4, 3) == 0x888


def test_carry_assemble_agrees_with_the_readable_sum():
    rng = random.Random(7)
    for b in range(1, 27):
        for n in (1, 2, 3, 17, 300):
            for top in (1, b, 2 * b, 41, 58):
                c = np.array([rng.randrange(-(2**top), 2**top) for _ in range(n)], dtype=np.int64)
                assert _fft.carry_assemble(c, b, top) == _from_coefficients(c, b)
                scratch = np.full(2 * n + 3, -12345, dtype=np.int64)  # stale contents must not matter
                assert _fft.carry_assemble(c, b, top, scratch=scratch) == _from_coefficients(c, b)
                assert _fft.assemble_signed(c, b) == _from_coefficients(c, b)
                if top <= 52:  # float64 coefficients (attempt_product's), the float Horner or the int path
                    scratch = np.full(2 * n + 3, -12345, dtype=np.int64)
                    f = c.astype(np.float64)
                    assert _fft.carry_assemble(f, b, top, scratch=scratch) == _from_coefficients(c, b)
                    assert _fft.carry_assemble(f, b, top) == _from_coefficients(c, b)
    for b in (12, 14, 16):  # carries that ripple a long way, up and down
        for c in ([2**b - 1] * 50 + [2**b], [2 ** (2 * b)] + [2**b - 1] * 300, [-1] + [0] * 200 + [1],
                  [1] + [-(2**b) + 1] * 100 + [-1], [2**40] * 40 + [-(2**40)] * 40):
            c = np.array(c, dtype=np.int64)
            assert _fft.carry_assemble(c, b, 42) == _from_coefficients(c, b)
            assert _fft.carry_assemble(-c, b, 42) == -_from_coefficients(c, b)


@settings(deadline=None, max_examples=200)
@given(b=st.integers(1, 26), c=st.lists(st.integers(-(2**45), 2**45), min_size=1, max_size=80))
def test_carry_assemble_hypothesis(b, c):
    assert _fft.carry_assemble(np.array(c, dtype=np.int64), b, 46) == _from_coefficients(c, b)


def test_the_whole_idea_in_one_line():
    x, y = random_int(random.Random(1), 3000), random_int(random.Random(2), 2000)
    for b in (8, 16, 20):
        coefficients = fourier.fft_convolve(fourier.to_limbs(x, b), fourier.to_limbs(y, b))
        assert fourier.from_limbs(coefficients, b) == x * y


# --------------------------------------------------------------------------
# multiply
# --------------------------------------------------------------------------


def test_multiply_hand_cases():
    assert fourier.multiply(0, 123, threshold=0) == 0
    assert fourier.multiply(-5, 0) == 0
    assert fourier.multiply(1, 1, threshold=0) == 1
    assert fourier.multiply(-3, 4, threshold=0) == -12
    assert fourier.multiply(-3, -4, threshold=0) == 12
    assert fourier.multiply(2**64, 2**64, threshold=0) == 2**128
    assert fourier.multiply(12345678901234567890, 98765432109876543210, threshold=0) == (
        1219326311370217952237463801111263526900
    )
    assert fourier.multiply(np.int64(-7), np.uint8(6), threshold=0) == -42
    assert type(fourier.multiply(np.int64(3), 4)) is int


def test_multiply_thousands_of_random_pairs_with_the_fft_forced():
    rng = random.Random(20240604)
    for _ in range(2500):  # 1 to ~3000 digits, every sign, some zeros
        bx = int(math.exp(rng.uniform(0, math.log(10_000))))
        by = int(math.exp(rng.uniform(0, math.log(10_000)))) if rng.random() < 0.8 else bx
        x = random_int(rng, bx) * rng.choice((1, -1))
        y = random_int(rng, by) * rng.choice((1, -1))
        if rng.random() < 0.01:
            x = 0
        assert fourier.multiply(x, y, threshold=0) == x * y
    for _ in range(60):  # 10^3 to 3 * 10^4 digits
        bx = int(math.exp(rng.uniform(math.log(3_300), math.log(100_000))))
        by = int(math.exp(rng.uniform(math.log(3_300), math.log(100_000))))
        x, y = random_int(rng, bx), -random_int(rng, by)
        assert fourier.multiply(x, y, threshold=0) == x * y


def test_multiply_huge_and_unbalanced_factors():
    rng = random.Random(99)
    big = random_int(rng, 332_200)  # 10^5 decimal digits
    other = random_int(rng, 330_000)
    assert fourier.multiply(big, other) == big * other
    assert fourier.multiply(big, -big) == -(big * big)
    for small_bits in (1, 40, 3_000):
        small = random_int(rng, small_bits)
        assert fourier.multiply(big, small, threshold=0) == big * small
        assert fourier.multiply(small, -big, threshold=0) == -(small * big)


@settings(deadline=None, max_examples=300)
@given(x=st.integers(), y=st.integers())
def test_multiply_hypothesis_integers(x, y):
    assert fourier.multiply(x, y, threshold=0) == x * y


@pytest.mark.parametrize("k", [1, 2, 15, 16, 17, 64, 1000, 33_219, 100_000, 300_000])
def test_multiply_adversarial_all_limbs_at_maximum(k):
    m = 2**k - 1  # every limb is 2^b - 1, whatever b
    assert fourier.multiply(m, m, threshold=0) == m * m
    assert fourier.multiply(m, -(m - 1), threshold=0) == -m * (m - 1)


STRUCTURED = {
    "power of two": lambda: 2**200_000,  # limbs all 0 but the top one: centred limbs at -2^(b-1)
    "2^k + 1": lambda: 2**150_000 + 1,
    "repeating bytes": lambda: int.from_bytes(b"\x55" * 30_000, "little") ** 2,
    "0101...01": lambda: (2**300_000 - 1) // 3,
    "(2^k - 1)^20": lambda: (2**5000 - 1) ** 20,
}


@pytest.mark.parametrize("name", STRUCTURED)
def test_multiply_adversarial_structured_factors(name):
    x = STRUCTURED[name]()
    y = 2 ** x.bit_length() - 1
    assert fourier.multiply(x, x, threshold=0) == x * x
    assert fourier.multiply(x, y, threshold=0) == x * y


def test_degenerate_inputs_fail_the_certificate_and_take_the_safe_plan():
    bits = 300_000 - 300_000 % _fft.choose(300_000, 300_000, False).limb_bits  # whole limbs
    optimistic = _fft.choose(bits, bits, False)
    safe = _fft.choose(bits, bits, True)
    b, n = optimistic.limb_bits, optimistic.limbs_x
    assert b * n == bits
    # Every balanced digit at -2^(b-1) but the top one (2^(b-1)): the worst spectrum.
    m = (1 << (b * n)) - _fft.centring_offset(b, n)
    assert -(-m.bit_length() // b) == n and set(_fft.balanced_digits(m, b, n)[:-1].tolist()) == {-(2 ** (b - 1))}
    assert _fft.attempt_product(m, m, optimistic) is None  # the run-time certificate refuses
    assert _fft.attempt_product(m, m, safe) == m * m
    assert _fft.fft_product(m, m - 1) == m * (m - 1)
    assert safe.limb_bits < optimistic.limb_bits
    ones = 2**bits - 1  # balanced digits -1, 0, ..., 0, 2^b: tiny norms, the optimistic plan suffices
    assert _fft.attempt_product(ones, ones, optimistic) == ones * ones


def test_reused_spectrum_buffers_are_per_thread():
    import threading

    rng = random.Random(11)
    pairs = [(random_int(rng, 200_000), random_int(rng, 200_000)) for _ in range(4)]
    plan = _fft.choose(200_000, 200_000, False)
    wrong = []

    def work(x, y):
        for _ in range(5):
            if _fft.attempt_product(x, y, plan) != x * y:  # unverified: a shared buffer would show
                wrong.append((x, y))

    threads = [threading.Thread(target=work, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong


def test_splitting_beyond_the_transform_cap_is_exact():
    rng = random.Random(3)
    for bx, by in [(2_000, 2_000), (5_000, 300), (1, 4_000)]:
        x, y = random_int(rng, bx), random_int(rng, by)
        assert _fft.fft_product(x, y, max_length=64) == x * y
    m = 2**3000 - 1
    assert _fft.fft_product(m, m, max_length=100) == m * m


def test_verify_detects_wrong_products():
    rng = random.Random(8)
    x, y = random_int(rng, 5000), random_int(rng, 4000)
    z = x * y
    assert _fft.verify(x, y, z)
    for wrong in (z + 1, z - 1, z + (1 << 4000), z - (1 << 777), z ^ (1 << 9000),
                  z + _fft.CHECK_PRIME):
        assert not _fft.verify(x, y, wrong)


def test_multiply_plan_properties():
    previous = 99
    for digits in (10, 100, 10**3, 10**4, 10**5, 10**6, 10**7):
        bits = int(digits * math.log2(10)) + 1
        plan = fourier.multiply_plan(bits, bits)
        b = plan.limb_bits
        assert plan.limbs_x == -(-bits // b) and plan.limbs_y == -(-bits // b)
        assert plan.length >= plan.limbs_x + plan.limbs_y - 1 and plan.length % 2 == 0
        rest = plan.length
        for p in (2, 3, 5):
            while rest % p == 0:
                rest //= p
        assert rest == 1
        assert plan.error_bound <= 0.125
        assert plan.max_coefficient == min(plan.limbs_x, plan.limbs_y) * (2**b - 1) ** 2 < 2**53
        assert plan.safe_limb_bits <= b and plan.safe_error_bound <= 0.125
        assert b <= previous  # longer factors, smaller limbs
        previous = b
    assert fourier.multiply_plan(100, 100).uses_fft is False
    assert fourier.multiply_plan(10**6, 10**6).uses_fft is True
    huge = fourier.multiply_plan(10**9, 10**9)  # no certified plan: multiply would split
    assert huge.safe_limb_bits is None


def test_multiply_unsafe_demonstrates_a_wrong_product():
    x = 7**3000
    assert fourier.multiply_unsafe(x, x + 1, 8) == x * (x + 1)
    assert fourier.multiply_unsafe(-x, x + 1, 8) == -x * (x + 1)
    assert fourier.multiply_unsafe(x, x + 1, 30) != x * (x + 1)
    m = 2**40_000 - 1
    assert fourier.multiply_unsafe(m, m, 24) != m * m
    assert fourier.multiply(m, m, threshold=0) == m * m
    assert fourier.multiply_unsafe(0, 5, 16) == 0


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


TRANSFORMS = [fourier.dft, fourier.idft, fourier.fft, fourier.ifft, fourier.fft_recursive,
              fourier.fft_iterative, fourier.fft_bluestein]


@pytest.mark.parametrize("func", TRANSFORMS)
def test_transform_input_errors(func):
    with pytest.raises(ValueError, match="must not be empty"):
        func([])
    with pytest.raises(ValueError, match="must be 1-D, got an array of shape"):
        func([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="must be 1-D"):
        func(3.0)
    with pytest.raises(TypeError, match="must hold numbers"):
        func(["a", "b"])
    with pytest.raises(ValueError, match="rectangular array of numbers"):
        func([[1, 2], [3]])
    with pytest.raises(OverflowError, match="too large for a complex128"):
        func(np.array([10**400, 1], dtype=object))


@pytest.mark.parametrize("func", [fourier.fft_recursive, fourier.fft_iterative])
def test_didactic_radix2_refuses_other_lengths(func):
    message = r"len\(x\) must be a power of two for fft_\w+, got 6\. Use fft\(\) for any length\."
    with pytest.raises(ValueError, match=message):
        func(np.ones(6))


def test_dft_matrix_errors():
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 0"):
        fourier.dft_matrix(0)
    with pytest.raises(TypeError, match=r"n must be an integer >= 1, got 2.0 \(type float\)"):
        fourier.dft_matrix(2.0)
    with pytest.raises(TypeError, match="n must be an integer"):
        fourier.dft_matrix(True)
    with pytest.raises(ValueError, match="n must be an integer between 1 and 4096 for dft_matrix, got 4097"):
        fourier.dft_matrix(4097)


def test_fft_convolve_errors():
    message = "mode='circular' is not allowed. Acceptable mode flags are 'full', 'same', or 'valid'."
    with pytest.raises(ValueError, match=message):
        fourier.fft_convolve([1], [1], mode="circular")
    with pytest.raises(ValueError, match="mode=None is not allowed"):
        fourier.fft_convolve([1], [1], mode=None)
    with pytest.raises(ValueError, match="a must not be empty"):
        fourier.fft_convolve([], [1])
    with pytest.raises(ValueError, match="v must be 1-D"):
        fourier.fft_convolve([1], [[1]])
    with pytest.raises(TypeError, match="v must hold numbers"):
        fourier.fft_convolve([1], ["x"])
    with pytest.raises(OverflowError, match="a holds a value too large for float64"):
        fourier.fft_convolve(np.array([10**400, 0.5], dtype=object), [1.0])


@pytest.mark.parametrize("bad", [1.5, "12", True, np.float64(2.0), None, 1 + 0j, [1]])
def test_multiply_type_errors_name_the_parameter(bad):
    with pytest.raises(TypeError, match=r"^x must be an integer, got "):
        fourier.multiply(bad, 3)
    with pytest.raises(TypeError, match=r"^y must be an integer, got "):
        fourier.multiply(3, bad)
    with pytest.raises(TypeError, match=r"^x must be an integer, got "):
        fourier.multiply_unsafe(bad, 3, 8)


def test_multiply_and_helpers_value_errors():
    with pytest.raises(ValueError, match=r"threshold must be an integer >= 0, got -1"):
        fourier.multiply(2, 3, threshold=-1)
    with pytest.raises(TypeError, match=r"threshold must be an integer >= 0, got 0.5"):
        fourier.multiply(2, 3, threshold=0.5)
    with pytest.raises(ValueError, match=r"limb_bits must be an integer between 1 and 32, got 33"):
        fourier.multiply_unsafe(2, 3, 33)
    with pytest.raises(ValueError, match=r"limb_bits must be an integer >= 1, got 0"):
        fourier.multiply_unsafe(2, 3, 0)
    with pytest.raises(ValueError, match=r"bits_x must be an integer >= 1, got 0"):
        fourier.multiply_plan(0, 5)
    with pytest.raises(TypeError, match=r"bits_y must be an integer >= 1, got 5.0"):
        fourier.multiply_plan(5, 5.0)
    with pytest.raises(ValueError, match=r"x must be an integer >= 0, got -1"):
        fourier.to_limbs(-1, 8)
    with pytest.raises(ValueError, match=r"limb_bits must be an integer between 1 and 62, got 63"):
        fourier.to_limbs(5, 63)
    with pytest.raises(TypeError, match=r"coefficients must hold integers, got \[1.5\]"):
        fourier.from_limbs([1.5], 8)
    with pytest.raises(ValueError, match="coefficients must not be empty"):
        fourier.from_limbs([], 8)
    with pytest.raises(ValueError, match=r"limb_bits must be an integer >= 1, got 0"):
        fourier.from_limbs([1], 0)
