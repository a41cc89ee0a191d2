"""Bluestein's chirp-z FFT for every other length, on top of the Stockham passes; the plan for any length."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .lengths import next_smooth, small_prime_exponents
from .stockham import fft_stockham, inverse_by_conjugation, stockham_radices, unit_roots


def bluestein_length(n: int, smooth: bool = True) -> int:
    """Length m >= 2n - 1 of Bluestein's circular convolution: 7-smooth, or a power of two."""
    if smooth:
        return next_smooth(2 * n - 1)
    return 1 << (2 * n - 2).bit_length()


@functools.lru_cache(maxsize=32)
def bluestein_plan(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The chirp w_k = exp(-i pi k^2 / n) and the FFT of its conjugate, padded to m (cached)."""
    k = np.arange(n, dtype=np.int64)
    # exp(-i pi k^2 / n) = exp(-2 pi i (k^2 mod 2n) / (2n)): exact integer angle.
    chirp = unit_roots((k * k) % (2 * n), 2 * n)
    b = np.zeros(m, dtype=np.complex128)
    b[:n] = np.conj(chirp)
    b[m - n + 1:] = np.conj(chirp[1:])[::-1]
    b_hat = fft_stockham(b) / m  # folds the 1/m of the inverse transform in
    chirp.flags.writeable = False
    b_hat.flags.writeable = False
    return chirp, b_hat


def fft_bluestein_core(x: np.ndarray, m: int | None = None) -> np.ndarray:
    """DFT of any length via jk = (j^2 + k^2 - (k - j)^2) / 2 and one circular convolution.

    ``m`` is the convolution length (>= 2n - 1 and SMALL_PRIMES-smooth);
    default: the power of two of the didactic ``fourier.fft_bluestein``.
    """
    n = x.shape[0]
    if n == 1:
        return x.copy()
    if m is None:
        m = bluestein_length(n, smooth=False)
    chirp, b_hat = bluestein_plan(n, m)
    a = np.zeros(m, dtype=np.complex128)
    np.multiply(x, chirp, out=a[:n])
    spectrum = fft_stockham(a)
    spectrum *= b_hat
    np.conjugate(spectrum, out=spectrum)
    conv = fft_stockham(spectrum)  # = m * conj(ifft(...)): the 1/m is in b_hat
    return chirp * np.conj(conv[:n])


class FFTPlan(NamedTuple):
    """How ``fft_any`` transforms a length n (see ``fft_plan``)."""

    algorithm: str  # 'stockham' (mixed radix) or 'bluestein'
    length: int  # n for 'stockham'; the padded convolution length m >= 2n - 1 for 'bluestein'
    radices: tuple[int, ...]  # the Stockham passes over that length


@functools.lru_cache(maxsize=256)
def fft_plan(n: int) -> FFTPlan:
    """'stockham' when every prime factor of n is in SMALL_PRIMES, else 'bluestein'."""
    if small_prime_exponents(n) is not None:
        return FFTPlan("stockham", n, stockham_radices(n))
    m = bluestein_length(n)
    return FFTPlan("bluestein", m, stockham_radices(m))


def fft_any(x: np.ndarray) -> np.ndarray:
    """Forward FFT of a contiguous complex128 vector of any length >= 1."""
    plan = fft_plan(x.shape[0])
    if plan.algorithm == "stockham":
        return fft_stockham(x)
    return fft_bluestein_core(x, plan.length)


def ifft_any(x: np.ndarray) -> np.ndarray:
    """Inverse of ``fft_any``."""
    return inverse_by_conjugation(fft_any, x)
