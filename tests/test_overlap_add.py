"""discrete.overlap_add and discrete.overlap_save: block convolution, against numpy, scipy and the didactic twins."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import _blocks, discrete

METHODS = [discrete.overlap_add, discrete.overlap_save]


@pytest.mark.parametrize("f", METHODS)
@pytest.mark.parametrize("M, N, B", [(1, 1, 1), (5, 1, 2), (1, 5, 3), (10, 3, 4), (100, 7, 1), (37, 37, 8),
                                     (50, 20, 3), (1000, 50, None), (7, 2, 100)])
def test_hand_cases_match_numpy(f, M, N, B):
    rng = np.random.default_rng(M * 1000 + N)
    x, h = rng.normal(size=M), rng.normal(size=N)
    assert np.allclose(f(x, h, B), np.convolve(x, h))
    assert np.allclose(f(h, x, B), np.convolve(h, x)), "the order of the inputs does not matter"


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), M=st.integers(1, 300), N=st.integers(1, 60), B=st.integers(1, 80),
       kind=st.sampled_from(["float", "complex", "int"]))
def test_random_cases_match_numpy_exactly_for_integers(seed, M, N, B, kind):
    rng = np.random.default_rng(seed)
    if kind == "int":
        x, h = rng.integers(-1000, 1000, M), rng.integers(-1000, 1000, N)
    else:
        x, h = rng.normal(size=M), rng.normal(size=N)
        if kind == "complex":
            x = x + 1j * rng.normal(size=M)
    expected = np.convolve(x, h)
    for f in METHODS:
        got = f(x, h, B)
        assert got.shape == expected.shape
        if kind == "int":
            assert got.dtype == np.int64 and np.array_equal(got, expected)
        else:
            assert np.allclose(got, expected, atol=1e-9 * max(1.0, np.abs(expected).max()))


@pytest.mark.parametrize("f", METHODS)
def test_large_integers_and_fractions_stay_exact(f):
    x, h = [10**30, -3, 7, 2**70], [10**20, 1]
    assert list(f(x, h, 2)) == [int(t) for t in np.convolve(np.array(x, dtype=object), np.array(h, dtype=object))]
    assert list(f([Fraction(1, 3), 2, 1], [1, Fraction(1, 2)], 1)) == [Fraction(1, 3), Fraction(13, 6), 2, Fraction(1, 2)]


def test_agrees_with_scipy_oaconvolve():
    rng = np.random.default_rng(7)
    x, h = rng.normal(size=20_000), rng.normal(size=301)
    for f in METHODS:
        assert np.allclose(f(x, h), scipy.signal.oaconvolve(x, h))


@pytest.mark.parametrize("B", [1, 3, 16, 200])
def test_the_didactic_twins_agree_with_the_fast_paths(B):
    rng = np.random.default_rng(B)
    x, h = rng.normal(size=150), rng.normal(size=9)
    loops_add = _blocks.overlap_add_loops(x, h, B, np.convolve)
    loops_save = _blocks.overlap_save_loops(x, h, B, lambda w, k: discrete.circular_convolve(w, k))
    assert np.allclose(loops_add, _blocks.overlap_add_float(x, h, B))
    assert np.allclose(loops_save, _blocks.overlap_save_float(x, h, B))


def test_the_default_block_minimises_the_cost_model():
    for M, N in [(10**6, 10**3), (1000, 10), (50, 49)]:
        B = _blocks.best_block(M, N)
        assert B >= 1 and discrete._next_fast_len(B + N - 1) == B + N - 1
        cost = _blocks.block_cost(M, N, B)
        assert all(cost <= _blocks.block_cost(M, N, b) for b in range(max(1, B // 4), 4 * B, max(1, B // 16)))


@pytest.mark.parametrize("f", METHODS)
@pytest.mark.parametrize("bad, error, match", [
    (0, ValueError, r"block_size must be an integer >= 1, got 0"),
    (-5, ValueError, r"block_size must be an integer >= 1, got -5"),
    (2.5, TypeError, r"block_size must be an integer >= 1, got 2.5 \(type float\)"),
    ("3", TypeError, r"block_size must be an integer >= 1, got '3'"),
    (True, TypeError, r"block_size must be an integer >= 1, got True"),
])
def test_bad_block_sizes(f, bad, error, match):
    with pytest.raises(error, match=match):
        f([1.0, 2.0, 3.0], [1.0], bad)


@pytest.mark.parametrize("f", METHODS)
def test_bad_inputs(f):
    with pytest.raises(ValueError, match=r"a must not be empty"):
        f([], [1.0])
    with pytest.raises(ValueError, match=r"v must not be empty"):
        f([1.0], [])
    with pytest.raises(ValueError, match=r"a must be"):
        f(np.ones((2, 2)), [1.0])
    with pytest.raises(TypeError, match=r"v must hold numbers"):
        f([1.0], ["x"])
