"""Exact convolution of integer vectors through FFTs (used by fourier.fft_convolve)."""

from __future__ import annotations

import math

import numpy as np

from .bounds import SAFE_ERROR, convolution_certificate, stockham_delta
from .stockham import fft_pow2, ifft_pow2


_FLOAT_EXACT = 2**53
_INT64_MAX = 2**63 - 1


def _max_abs(a: np.ndarray) -> int:
    if a.size == 0:
        return 0
    return int(max(abs(int(a.max())), abs(int(a.min()))))


def _fits_int64(a: np.ndarray) -> bool:
    return _max_abs(a) <= _INT64_MAX


def as_int_array(a: np.ndarray) -> np.ndarray:
    """int64 when every value fits, else an object array of Python ints."""
    if a.dtype == np.int64:
        return a
    if a.dtype != object and a.dtype.kind in "iu" and (a.dtype.itemsize < 8 or a.dtype.kind == "i"):
        return a.astype(np.int64)
    obj = np.array([int(v) for v in a.tolist()], dtype=object)
    if _fits_int64(obj):
        return obj.astype(np.int64)
    return obj


def norm2(x: np.ndarray) -> float:
    """Euclidean norm without BLAS (numpy's pairwise summation).

    ``numpy.linalg.norm`` calls BLAS, whose threads can take milliseconds to
    wake on a loaded machine; this is a plain, predictable reduction.
    """
    v = x.view(np.float64) if x.dtype == np.complex128 else x
    return math.sqrt(float(np.add.reduce(v * v)))


def _float_int_convolve(a: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """FFT convolution of int vectors (|values| < 2^53), rounded when certified, else None."""
    k = a.shape[0] + v.shape[0] - 1
    n = 1 << (k - 1).bit_length()
    af = np.zeros(n, dtype=np.complex128)
    vf = np.zeros(n, dtype=np.complex128)
    af[: a.shape[0]] = a.astype(np.float64)
    vf[: v.shape[0]] = v.astype(np.float64)
    norm_a = norm2(af)
    norm_v = norm2(vf)
    p = fft_pow2(af)
    p *= fft_pow2(vf)
    norm_p = norm2(p)
    cert = convolution_certificate(norm_a, norm_v, norm_p, n, stockham_delta(n))
    if cert > SAFE_ERROR:
        return None
    z = ifft_pow2(p)[:k].real
    return np.rint(z).astype(np.int64)


def _split_bits(a: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray]:
    """a = hi * 2^h + lo with 0 <= lo < 2^h (floor semantics, negatives included)."""
    if a.dtype == object:
        mask = (1 << h) - 1
        lo = np.array([int(x) & mask for x in a], dtype=object)
        hi = np.array([int(x) >> h for x in a], dtype=object)
        return as_int_array(hi), as_int_array(lo)
    return a >> h, a & ((1 << h) - 1)


def _combine(hi: np.ndarray, lo: np.ndarray, h: int) -> np.ndarray:
    """hi * 2^h + lo, exactly, in int64 when that cannot overflow, else Python ints."""
    if hi.dtype == np.int64 and lo.dtype == np.int64:
        if (_max_abs(hi) << h) + _max_abs(lo) <= _INT64_MAX:
            return (hi << h) + lo
    out = np.array([(int(x) << h) + int(y) for x, y in zip(hi.tolist(), lo.tolist())], dtype=object)
    return as_int_array(out)


def exact_int_convolve(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Exact full linear convolution of two integer vectors (int64 or object arrays).

    Floating-point FFT convolution, rounded only when the certificate of
    :func:`convolution_certificate` is below 1/4.  Otherwise the operand with
    the larger magnitude is split into high and low halves of its bits,
    ``a = hi 2^h + lo``, and both halves are convolved recursively (smaller
    values, smaller error).  Values that cannot be split any further (|.| <= 1)
    yet still fail the certificate (astronomically long vectors) go to the
    direct O(MN) sum with Python ints.
    """
    ma, mv = _max_abs(a), _max_abs(v)
    k = a.shape[0] + v.shape[0] - 1
    if ma == 0 or mv == 0:
        return np.zeros(k, dtype=np.int64)
    if ma < _FLOAT_EXACT and mv < _FLOAT_EXACT:
        out = _float_int_convolve(a, v)
        if out is not None:
            return out
    if max(ma, mv) <= 1:
        direct = np.convolve(a.astype(object), v.astype(object))
        return as_int_array(direct)
    if ma >= mv:
        h = max(1, ma.bit_length() // 2)
        hi, lo = _split_bits(a, h)
        return _combine(exact_int_convolve(hi, v), exact_int_convolve(lo, v), h)
    h = max(1, mv.bit_length() // 2)
    hi, lo = _split_bits(v, h)
    return _combine(exact_int_convolve(a, hi), exact_int_convolve(a, lo), h)
