"""discrete.overlap_add and discrete.overlap_save: block convolution, against numpy, scipy and the didactic twins."""

from __future__ import annotations

import re
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


# --------------------------------------------------------------------------
# convolve(method="overlap-add") and the choice of method="auto"
# --------------------------------------------------------------------------

MODES = ("full", "same", "valid")


def _inputs(rng, kind, M, N):
    if kind == "int":
        return rng.integers(-1000, 1000, M), rng.integers(-1000, 1000, N)
    x, h = rng.normal(size=M), rng.normal(size=N)
    if kind == "complex":
        x, h = x + 1j * rng.normal(size=M), h - 1j * rng.normal(size=N)
    return x, h


def _assert_matches(got, expected, kind):
    assert got.shape == expected.shape and got.dtype == expected.dtype, (got.dtype, expected.dtype)
    if kind == "int":
        assert np.array_equal(got, expected)
    else:
        assert np.allclose(got, expected, rtol=0, atol=1e-11 * max(1.0, np.abs(expected).max()))


@pytest.mark.parametrize("kind", ["float", "complex", "int"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("M, N", [(1, 1), (1, 4), (4, 1), (2, 2), (7, 3), (3, 7), (100, 2), (2, 100), (64, 64),
                                  (65, 64), (1000, 37), (37, 1000), (5000, 300), (20_000, 11)])
def test_convolve_overlap_add_matches_numpy_in_every_mode(kind, mode, M, N):
    x, h = _inputs(np.random.default_rng(M * 7919 + N), kind, M, N)
    _assert_matches(discrete.convolve(x, h, mode, method="overlap-add"), np.convolve(x, h, mode), kind)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), M=st.integers(1, 400), N=st.integers(1, 120),
       kind=st.sampled_from(["float", "complex", "int"]), mode=st.sampled_from(MODES))
def test_convolve_overlap_add_random_cases(seed, M, N, kind, mode):
    x, h = _inputs(np.random.default_rng(seed), kind, M, N)
    expected = np.convolve(x, h, mode)
    _assert_matches(discrete.convolve(x, h, mode, method="overlap-add"), expected, kind)
    if kind != "int":  # the same blocks as the public overlap_add, then numpy's window
        start = {"full": 0, "same": (min(M, N) - 1) // 2, "valid": min(M, N) - 1}[mode]
        window = discrete.overlap_add(x, h)[start:start + len(expected)]
        assert np.allclose(discrete.convolve(x, h, mode, method="overlap-add"), window, rtol=0, atol=1e-12 * max(1.0, np.abs(expected).max()))


def test_integer_blocks_at_the_float_bound_are_exact():
    """The largest magnitude whose blocks pass the error bound (the worst case for rounding): still exact."""
    M, N = 20_000, 50
    B, L, _ = discrete._oa_int_plan(M, N)
    m = int((0.25 / (B ** 0.5 * N ** 0.5 * discrete._fft_error_bound(L))) ** 0.5)
    x, h = np.full(M, m), np.full(N, m)
    assert discrete._float_fft_is_exact(np.linalg.norm(np.full(B, float(m))), np.linalg.norm(h.astype(float)), L)
    for a in (x, x * (-1) ** np.arange(M)):
        for mode in MODES:
            got = discrete.convolve(a, h, mode, method="overlap-add")
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, np.convolve(a, h, mode))


@pytest.mark.parametrize("bits", [30, 40, 52])
def test_integers_beyond_the_float_bound_go_through_exact_limbs(bits):
    rng = np.random.default_rng(bits)
    x, h = rng.integers(-(2**bits), 2**bits, 30_000), rng.integers(-(2**bits), 2**bits, 200)
    B, L, _ = discrete._oa_int_plan(len(x), len(h))
    assert not discrete._float_fft_is_exact(np.linalg.norm(x[:B].astype(float)), np.linalg.norm(h.astype(float)), L)
    expected = discrete.convolve(x, h, method="direct")  # numpy's kernel, in int64 or Python ints
    got = discrete.convolve(x, h, method="overlap-add")
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
    for mode in ("same", "valid"):
        assert discrete.convolve(x, h, mode, method="overlap-add").tolist() == discrete.convolve(x, h, mode, "direct").tolist()


def test_values_near_2_62_and_python_ints_stay_exact():
    rng = np.random.default_rng(11)
    x = rng.integers(2**62 - 2**40, 2**62, 3000) * rng.choice([-1, 1], 3000)
    h = rng.integers(2**62 - 2**40, 2**62, 40) * rng.choice([-1, 1], 40)
    exact = np.convolve(x.astype(object), h.astype(object))            # Python ints: the definition, exactly
    for mode in MODES:
        got = discrete.convolve(x, h, mode, method="overlap-add")
        start = {"full": 0, "same": (40 - 1) // 2, "valid": 40 - 1}[mode]
        assert got.dtype == object and got.tolist() == exact[start:start + len(got)].tolist()
    big = [rng_int * 2**150 + 3 for rng_int in range(-200, 200)]
    assert discrete.convolve(big, [2**90, -1, 5], method="overlap-add").tolist() == list(
        np.convolve(np.array(big, dtype=object), np.array([2**90, -1, 5], dtype=object)))
    q = [Fraction(1, 3), 2, Fraction(-5, 7)] * 30
    assert discrete.convolve(q, [1, Fraction(1, 2)], "same", "overlap-add").tolist() == \
        discrete.convolve(q, [1, Fraction(1, 2)], "same", "direct").tolist()


def test_the_didactic_loop_agrees_with_the_integer_route():
    rng = np.random.default_rng(5)
    x, h = rng.integers(-10**6, 10**6, 3000), rng.integers(-10**6, 10**6, 70)
    B = discrete._oa_int_plan(len(x), len(h))[0]
    loops = _blocks.overlap_add_loops(x.tolist(), h.tolist(), B, lambda p, q: discrete.convolve_loops(p, q).tolist())
    assert discrete.convolve(x, h, method="overlap-add").tolist() == loops


def test_add_blocks_is_exact_for_integers_and_for_several_overlaps():
    rng = np.random.default_rng(6)
    for blocks, B, W in [(1, 5, 5), (4, 3, 3), (5, 4, 9), (3, 2, 11), (10, 7, 13)]:
        y = rng.integers(-(2**59), 2**59, (blocks, W))   # at most ceil(W / B) <= 6 rows add up: no int64 overflow
        expected = [0] * ((blocks - 1) * B + W)
        for k in range(blocks):
            for i in range(W):
                expected[k * B + i] += int(y[k, i])
        got = _blocks.add_blocks(y, B, len(expected))
        assert got.dtype == np.int64 and got.tolist() == expected
        obj = _blocks.add_blocks(y.astype(object) * 2**70, B, len(expected))
        assert obj.tolist() == [e * 2**70 for e in expected]


def _predicted(M, N, mode="full", kind="f"):
    """The cost model's choice, computed from its formulas here (no timing)."""
    start, length = discrete._window(M, N, mode)
    costs = {"direct": discrete._direct_cost(M, N, start, length, kind),
             "fft": discrete._fft_cost(discrete._fft_length(M, N, start, length, kind), kind)}
    if min(M, N) > 1 and 4 * min(M, N) <= max(M, N):  # the range the overlap-add constants are fitted on
        costs["overlap-add"] = discrete._oa_cost(max(M, N), min(M, N), kind)[0]
    return min(costs, key=lambda k: (costs[k], list(costs).index(k)))


@pytest.mark.parametrize("M, N", [(1000, 2), (10**6, 10), (10**6, 1000), (10**6, 100), (10**5, 1000),
                                  (20_000, 20_000), (3000, 3000), (300, 10**6)])
@pytest.mark.parametrize("mode", MODES)
def test_auto_picks_what_the_cost_model_predicts(M, N, mode):
    rng = np.random.default_rng(M + N)
    a, v = rng.standard_normal(M), rng.standard_normal(N)
    expected = "direct" if M * N <= discrete._ALWAYS_DIRECT else _predicted(M, N, mode)
    assert discrete.choose_method(a, v, mode) == expected
    # 'auto' runs that method: bitwise the same result (float64 fast lane and general path alike)
    np.testing.assert_array_equal(discrete.convolve(a, v, mode), discrete.convolve(a, v, mode, method=expected))
    np.testing.assert_array_equal(discrete.convolve(list(a), v, mode), discrete.convolve(a, v, mode, method=expected))


def test_auto_uses_overlap_add_for_long_signals_and_short_to_medium_kernels():
    """The shape of the choice at the far ends, whatever the fitted constants: a sanity check of the model."""
    assert _predicted(10**7, 1000) == "overlap-add"
    assert _predicted(10**7, 2) == "direct"
    assert _predicted(10**6, 10**6) == "fft"
    assert discrete.choose_method(np.ones(10**6), np.ones(1000)) == "overlap-add"
    assert discrete.choose_method(np.ones(10**6, dtype=complex), np.ones(1000)) == _predicted(10**6, 1000, kind="c")


def test_auto_for_integers_follows_the_model_and_stays_exact():
    rng = np.random.default_rng(9)
    x, h = rng.integers(-100, 100, 10**6), rng.integers(-100, 100, 1000)
    method = discrete.choose_method(x, h)
    direct = discrete._direct_cost(10**6, 1000, 0, 10**6 + 999, "i")
    L = discrete._fft_length(10**6, 1000, 0, 10**6 + 999, "i")
    fft = discrete._fft_cost(L) + discrete._F_INT_LIN * L
    oa = discrete._oa_int_cost(10**6, 1000)
    assert method == min(("direct", direct), ("fft", fft), ("overlap-add", oa), key=lambda t: t[1])[0]
    got = discrete.convolve(x, h)
    assert got.dtype == np.int64 and np.array_equal(got, discrete.convolve(x, h, method="direct"))


def test_auto_falls_back_to_direct_on_non_finite_input_and_overlap_add_refuses_it():
    x = np.ones(10**5)
    x[7] = np.inf
    h = np.ones(1000)
    assert discrete.choose_method(np.ones(10**5), h) == _predicted(10**5, 1000)
    assert discrete.choose_method(x, h) == "direct"
    np.testing.assert_array_equal(discrete.convolve(x, h), np.convolve(x, h))
    with pytest.raises(ValueError, match=r"method='overlap-add' needs finite inputs"):
        discrete.convolve(x, h, method="overlap-add")


@pytest.mark.parametrize("bad", ["magic", "overlap_add", "oa", "OVERLAP-ADD", None, 3])
def test_bad_method_names_for_convolve(bad):
    with pytest.raises(ValueError, match=re.escape(
            f"method={bad!r} is not allowed. Acceptable method flags are 'auto', 'direct', 'fft', or 'overlap-add'.")):
        discrete.convolve([1.0, 2.0], [1.0], method=bad)
    with pytest.raises(ValueError, match="Acceptable method flags are 'auto', 'direct', 'fft', or 'overlap-add'"):
        discrete.convolve(np.ones(3), np.ones(2), method=bad)   # the float64 fast lane checks too


@pytest.mark.parametrize("fn", [discrete.correlate, discrete.circular_convolve])
def test_overlap_add_is_a_method_of_convolve_only(fn):
    with pytest.raises(ValueError, match=re.escape(
            "method='overlap-add' is not allowed. Acceptable method flags are 'auto', 'direct', or 'fft'.")):
        fn([1.0, 2.0], [1.0], method="overlap-add")
