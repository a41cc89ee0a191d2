"""Waves are eigenfunctions of convolution (lesson 02-discrete/lti-eigenfunctions), checked independently.

The lesson's formulas: (x * h)[n] = H(nu) x[n] for x[n] = exp(2 pi i nu n) wherever the kernel lies over
the signal, H(k/N) = fft(h, N)[k], and in continuous time (e^{2 pi i xi t} * g)(t) = g_hat(xi) e^{2 pi i xi t}.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import discrete


def _transfer(h, nu):
    return sum(c * np.exp(-2j * np.pi * nu * k) for k, c in enumerate(h))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), nu=st.floats(-0.5, 0.5), K=st.integers(1, 20))
def test_a_wave_comes_out_scaled_by_the_transfer_function(seed, nu, K):
    h = np.random.default_rng(seed).normal(size=K)
    n = np.arange(80)
    x = np.exp(2j * np.pi * nu * n)
    y = discrete.convolve(x, h)
    assert np.allclose(y[K - 1:len(x)], _transfer(h, nu) * x[K - 1:], atol=1e-10)
    # numpy agrees (the lesson uses convbook's convolve, which has numpy's semantics)
    assert np.allclose(y, np.convolve(x, h))


def test_the_start_is_not_an_eigenfunction():
    """Where the kernel overhangs the start of a finite wave the identity fails: the lesson's caveat."""
    h = np.ones(5) / 5
    x = np.exp(2j * np.pi * 0.07 * np.arange(50))
    y = discrete.convolve(x, h)
    assert not np.allclose(y[:4], _transfer(h, 0.07) * x[:4])


@pytest.mark.parametrize("N", [8, 17, 64])
def test_the_transfer_function_at_k_over_n_is_the_dft(N):
    h = np.random.default_rng(N).normal(size=7)
    assert np.allclose(np.fft.fft(h, N), [_transfer(h, k / N) for k in range(N)])


def test_dft_waves_are_exact_eigenvectors_of_circular_convolution():
    rng = np.random.default_rng(3)
    N = 24
    h = rng.normal(size=N)
    for k in range(N):
        wave = np.exp(2j * np.pi * k * np.arange(N) / N)
        assert np.allclose(discrete.circular_convolve(wave, h), np.fft.fft(h)[k] * wave)


def test_continuous_one_sided_exponential():
    s, t = sp.symbols("s t", real=True)
    xi = sp.Symbol("xi", positive=True)
    out = sp.integrate(sp.exp(-s) * sp.exp(2 * sp.pi * sp.I * xi * (t - s)), (s, 0, sp.oo), conds="none")
    assert sp.simplify(out - sp.exp(2 * sp.pi * sp.I * xi * t) / (1 + 2 * sp.pi * sp.I * xi)) == 0
    # and numerically, by a Riemann sum of the convolution integral at one (t, xi)
    ds = 1e-4
    grid = np.arange(0, 40, ds)
    numeric = np.sum(np.exp(-grid) * np.exp(2j * np.pi * 0.3 * (1.5 - grid))) * ds
    assert abs(numeric - np.exp(2j * np.pi * 0.3 * 1.5) / (1 + 2j * np.pi * 0.3)) < 1e-3
