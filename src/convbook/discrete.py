"""Discrete convolution in one and two dimensions (backs chapter 2 of the course).

The chapter defines the discrete convolution of two finite sequences,

.. math::  (a * v)[n] = \\sum_k a[k]\\, v[n - k],

computes it by hand, then twice faster: with numpy's direct kernel and with
the FFT.  This module provides both routes for every operation, each next to
a *didactic* twin written with plain Python loops over the definition, so that
a lesson can show the definition and the tests can prove that the two agree:

===========================  ==================================  ====================
fast path                    didactic twin                       reference semantics
===========================  ==================================  ====================
:func:`convolve`             :func:`convolve_loops`              ``numpy.convolve``
:func:`correlate`            :func:`correlate_loops`             ``numpy.correlate``
:func:`circular_convolve`    :func:`circular_convolve_loops`     ``ifft(fft(a, n) * fft(v, n))``
:func:`convolution_matrix`   :func:`convolution_matrix_loops`    ``scipy.linalg.convolution_matrix``
:func:`convolve2d`           :func:`convolve2d_loops`            ``scipy.signal.convolve2d``
===========================  ==================================  ====================

:func:`choose_method` tells which of ``'direct'``, ``'fft'`` and
``'overlap-add'`` the ``method='auto'`` setting of :func:`convolve` picks, from
a cost model measured on the course machine (like
``scipy.signal.choose_conv_method``); :func:`correlate` and
:func:`convolve2d` choose between ``'direct'`` and ``'fft'``.

Number types
------------
* Integers (any numpy integer dtype, booleans, Python ints of any size) are
  convolved **exactly**, with every method.  The result is ``int64`` when
  ``max|a| * max|v| * min(len(a), len(v))`` -- a bound on every output -- fits
  in ``int64``, and otherwise an ``object`` array of Python ints (numpy itself
  would silently wrap around).  The same rule, so the same dtype, holds for
  every method and for the didactic loops.
* Rationals (``fractions.Fraction`` in object arrays) are exact too: the result
  is an object array of ``Fraction``.
* Real and complex floating inputs are computed in double precision (or in
  ``longdouble`` when an input is ``longdouble``) and give ``float64`` /
  ``complex128`` results.

This module depends on numpy only (its FFT is :mod:`numpy.fft`); the tests
compare it with numpy and scipy.
"""

from __future__ import annotations

import functools
import math
import numbers
from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from convbook._fft import next_fast_len as _next_fast_len
from convbook._validation import MAX_SIZE, as_numeric_array, check_choice, check_int, check_size, describe

try:  # The C kernel that numpy.convolve and numpy.correlate call.  Calling it
    # directly skips numpy's Python wrapper (~0.3 us), which matters for the
    # 'auto' method on tiny inputs; fall back to the public functions otherwise.
    from numpy._core.multiarray import correlate as _kernel_correlate
    from numpy._core.multiarray import correlate2 as _kernel_correlate2
except ImportError:  # pragma: no cover - depends on the numpy version
    _kernel_correlate = _kernel_correlate2 = None

__all__ = [
    "convolve",
    "convolve_loops",
    "correlate",
    "correlate_loops",
    "circular_convolve",
    "circular_convolve_loops",
    "convolution_matrix",
    "convolution_matrix_loops",
    "convolve2d",
    "convolve2d_loops",
    "choose_method",
    "overlap_add",
    "overlap_save",
]

_MODES = ("full", "same", "valid")
_METHODS = ("auto", "direct", "fft")
_CONVOLVE_METHODS = ("auto", "direct", "fft", "overlap-add")  # convolve only: overlap-add gives numpy's windows
_INT64_MAX = 2**63 - 1
_F64 = np.dtype(np.float64)
_I64 = np.dtype(np.int64)
_MAXIMUM, _MINIMUM = np.maximum.reduce, np.minimum.reduce
_NDARRAY = np.ndarray

# ---------------------------------------------------------------------------
# Cost model of method='auto' (seconds).
#
# Measured on the course machine (2 cores shared with other jobs, load
# average 0.1 to 0.9 on 2026-12-04; numpy 2.4.6, OpenBLAS) with
# ``python bench/bench_convolve.py --calibrate``: it times
# ``convolve(a, v, mode, method='direct')`` and ``method='fft'`` one right
# after the other -- so that both see the same load -- over M in 30 .. 10**6,
# N in 1 .. 3000 and the three modes, for float64, complex128 and int64, keeps
# the best of 7 runs of each, and fits every model below by non-negative least
# squares on the *relative* error (rms 30 %, 50 % for complex direct).  The
# constants include the overhead of validation (a few microseconds).  Only
# the ratio of the two costs matters, and near the crossover the two methods
# cost about the same, so a 30 % error costs little.  The integer and object
# constants only need to be rough: they decide between routes whose costs
# differ by large factors.
#
#   direct:       D0 + D_OUT * outputs + D_MAC * multiply-adds
#   fft:          F0 + F_LIN * L + F_NLOGN * L log2 L + F_NLOG2N * L (log2 L)**2
#   overlap-add:  A0 + blocks * L * (A_LIN + A_NLOGN * log2 L)
#                 (blocks = ceil(M / B) of B new samples, FFT length L = B + N - 1,
#                 B from convbook._blocks.best_block)
#
# numpy's kernel has two regimes for float64: a dedicated loop when the
# shorter input has at most 11 samples, one BLAS dot per output otherwise.
# The fit puts all the FFT cost into L (log2 L)**2: the cache makes an FFT of
# 2**20 points cost about twice as much per L log2 L as one of 2**12 points.
# ---------------------------------------------------------------------------
_D0 = 3.3e-6
_SMALL_KERNEL = 11
_D_OUT_SMALL, _D_MAC_SMALL = 1.18e-10, 1.13e-10  # float64, shorter input <= 11 samples
_D_OUT, _D_MAC = 6e-9, 6.86e-11  # float64, one BLAS dot per output
_D_OUT_COMPLEX, _D_MAC_COMPLEX = 3.22e-9, 2.16e-10
_D_OUT_INT, _D_MAC_INT = 8.33e-10, 3.49e-10
_D_MAC_OBJECT = 2.69e-8  # Python-int arithmetic (results beyond int64)
_FFT_REAL = (1.54e-5, 5.4e-10, 0.0, 6.44e-11)  # F0, F_LIN, F_NLOGN, F_NLOG2N
_FFT_COMPLEX = (1.62e-5, 6.34e-9, 0.0, 8.36e-11)
_OA_REAL = (2.13e-5, 4.81e-9, 3.81e-11)  # A0, A_LIN, A_NLOGN
_OA_COMPLEX = (2.19e-5, 8.48e-9, 7.32e-11)
_F_INT_LIN = 1.57e-9  # integer FFT route: conversions, norms, rounding, per sample
_D2_SHIFT, _D2_MAC = 1.86e-6, 5.4e-10  # 2-D shift-and-add: per shift, per multiply-add

# Below this many multiply-adds numpy's kernel always beats the FFT path (which
# alone costs F0): small float64 inputs skip the cost model entirely.
_ALWAYS_DIRECT = int((min(_FFT_REAL[0], _OA_REAL[0]) - _D0) / max(_D_OUT_SMALL + _D_MAC_SMALL, _D_OUT / (_SMALL_KERNEL + 1) + _D_MAC))


# ---------------------------------------------------------------------------
# Input preparation
# ---------------------------------------------------------------------------


def _operand(name, value, ndim):
    """Validate ``value`` and classify it: returns ``(array, kind)``.

    kind 'i': integers -- an ndarray of a numpy integer dtype, or an object
    array of Python ints; 'q': rationals -- object array of ints and
    ``Fraction``; 'f': real floating ndarray; 'c': complex ndarray.
    """
    arr = as_numeric_array(name, value, ndim=ndim)
    kind = arr.dtype.kind
    if kind == "f" and not isinstance(value, np.ndarray) and np.max(np.abs(arr)) >= 2.0**63:
        # np.asarray([2**63, -1]) silently becomes float64: recover the ints.
        obj = np.array(value, dtype=object)
        if obj.shape == arr.shape and all(isinstance(x, numbers.Integral) for x in obj.flat):
            arr, kind = obj, "O"
    if kind in "iu":
        return arr, "i"
    if kind in "fc":
        return arr, kind
    # object array of numbers (as_numeric_array checked that they are numbers)
    flat = arr.ravel()
    if all(isinstance(x, numbers.Integral) for x in flat):
        return np.array([int(x) for x in flat], dtype=object).reshape(arr.shape), "i"
    if all(isinstance(x, numbers.Rational) for x in flat):
        vals = [int(x) if isinstance(x, numbers.Integral) else Fraction(x) for x in flat]
        return np.array(vals, dtype=object).reshape(arr.shape), "q"
    is_complex = any(isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real) for x in flat)
    target = np.complex128 if is_complex else np.float64
    try:
        return arr.astype(target), "c" if is_complex else "f"
    except (OverflowError, TypeError, ValueError) as exc:
        raise OverflowError(
            f"{name} holds numbers that cannot be converted to {np.dtype(target).name} "
            f"(mixed with floats, integers must stay below about 1.8e308): {exc}."
        ) from None


def _to_float(name, arr, dtype):
    """Convert an operand to a floating dtype with a clear error on overflow."""
    try:
        return arr.astype(dtype, copy=False)
    except OverflowError:
        raise OverflowError(
            f"{name} holds integers too large for {np.dtype(dtype).name}; "
            "they are mixed with floating-point numbers, so the computation is in floating point."
        ) from None


def _pair(a, ka, v, kv, names=("a", "v")):
    """Bring two classified operands to a common kind: returns ``(a, v, kind)``."""
    kinds = {ka, kv}
    if kinds <= {"i"}:
        return a, v, "i"
    if kinds <= {"i", "q"}:
        return a, v, "q"
    wide = any(x.dtype.itemsize > (8 if k == "f" else 16) for x, k in ((a, ka), (v, kv)) if k in "fc")
    if "c" in kinds:
        dtype = np.clongdouble if wide else np.complex128
        kind = "c"
    else:
        dtype = np.longdouble if wide else np.float64
        kind = "f"
    if ka == "q":
        a = np.array([complex(x) if kind == "c" else float(x) for x in a.flat], dtype=dtype).reshape(a.shape)
    if kv == "q":
        v = np.array([complex(x) if kind == "c" else float(x) for x in v.flat], dtype=dtype).reshape(v.shape)
    return _to_float(names[0], a, dtype), _to_float(names[1], v, dtype), kind


def _prepare_1d(a, v):
    """Validate the two 1-D operands of convolve/correlate/circular_convolve."""
    a, ka = _operand("a", a, (0, 1))
    v, kv = _operand("v", v, (0, 1))
    return _pair(a.reshape(-1), ka, v.reshape(-1), kv)


def _max_abs(x) -> int:
    """max |x| of an integer array (numpy ints or Python ints) as a Python int."""
    if x.dtype == object:
        return max(abs(e) for e in x.flat)
    if x.dtype.kind == "u":
        return int(_MAXIMUM(x, axis=None))
    # the ufunc reductions over every axis: cheaper calls than .max() and .min()
    return max(int(_MAXIMUM(x, axis=None)), -int(_MINIMUM(x, axis=None)))


def _as_int_arrays(a, v, terms, maxes=None):
    """Integer operands as int64 arrays, or object arrays of Python ints if too large.

    Returns ``(a, v, fits, bound, max|a|, max|v|)``: ``bound = max|a| * max|v| * terms``
    bounds every output, and ``fits`` says whether it is <= int64's maximum
    (then int64 arithmetic is exact; otherwise Python ints are needed).
    ``maxes``: ``(max|a|, max|v|)`` when the caller has them already.
    """
    ma, mv = maxes or (_max_abs(a), _max_abs(v))
    bound = ma * mv * terms
    if bound == 0:  # an operand is all zeros: values of the other may not fit in int64
        return np.zeros(a.shape, np.int64), np.zeros(v.shape, np.int64), True, 0, 0, 0
    a = a.astype(np.int64, copy=False) if ma <= _INT64_MAX else a.astype(object)
    v = v.astype(np.int64, copy=False) if mv <= _INT64_MAX else v.astype(object)
    return a, v, bound <= _INT64_MAX, bound, ma, mv


def _scale_rationals(x):
    """Object array of ints/Fractions -> (object array of ints, common denominator)."""
    den = math.lcm(*(e.denominator if isinstance(e, Fraction) else 1 for e in x.flat))
    ints = [int(e) * den if not isinstance(e, Fraction) else e.numerator * (den // e.denominator) for e in x.flat]
    return np.array(ints, dtype=object).reshape(x.shape), den


def _rational_result(y, den):
    """Integer result array -> object array of Fraction(y, den)."""
    return np.array([Fraction(int(e), den) for e in y.flat], dtype=object).reshape(y.shape)


def _int_result(values, bound):
    """A list of Python ints -> int64 array if ``bound`` fits, else object array."""
    if bound <= _INT64_MAX:
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


# ---------------------------------------------------------------------------
# Output ranges: where each mode's outputs sit inside the full result
# ---------------------------------------------------------------------------


def _window(M, N, mode, corr=False):
    """(start, length) of the ``mode`` outputs inside the full result.

    numpy's rules: 'same' has length max(M, N) and starts at (min(M, N) - 1) // 2
    (numpy.convolve); numpy.correlate computes with the inputs swapped when
    N > M and reverses the output, so its 'same' window then starts at M // 2.
    'valid' has length max - min + 1 and starts at min - 1.
    """
    lo, hi = min(M, N), max(M, N)
    if mode == "full":
        return 0, M + N - 1
    if mode == "valid":
        return lo - 1, hi - lo + 1
    if corr and N > M:
        return M // 2, hi
    return (lo - 1) // 2, hi


# ---------------------------------------------------------------------------
# FFT machinery
# ---------------------------------------------------------------------------


def _cyclic_float(a, v, L, kind):
    """Cyclic convolution of length L with numpy.fft (rfft for real input)."""
    if kind == "c":
        return np.fft.ifft(np.fft.fft(a, L) * np.fft.fft(v, L))
    return np.fft.irfft(np.fft.rfft(a, L) * np.fft.rfft(v, L), L)


def _fft_error_bound(L: int) -> float:
    """Relative error bound of an FFT convolution of length L (Percival, 2003).

    ``max|exact - computed| <= ||x||_2 * ||y||_2 * delta`` with
    ``delta = (1+e)**(3n) * (1+e*sqrt(5))**(3n+1) * (1+b)**(3n) - 1``,
    ``n = log2(L)``, ``e = 2**-53`` and twiddle factors accurate to ``b``.  The
    theorem is for radix-2 FFTs; numpy's pocketfft uses radix-4/2 passes and a
    real-to-complex post-pass on power-of-two lengths, so we take ``n + 2``
    levels and ``b = 2e`` as a safety margin.
    """
    n = (L - 1).bit_length() + 2
    e = 2.0**-53
    b = 2 * e
    return math.expm1(3 * n * math.log1p(e) + (3 * n + 1) * math.log1p(e * math.sqrt(5)) + 3 * n * math.log1p(b))


def _float_fft_is_exact(na: float, nv: float, L: int, terms: int = 1) -> bool:
    """True when rounding a float FFT convolution is guaranteed to give the exact ints.

    ``terms`` spectra products summed before the inverse transform multiply the
    bound.  We ask for an error <= 1/4 (rounding needs < 1/2): a factor 2 spare.
    """
    return terms * na * nv * _fft_error_bound(L) <= 0.25


def _pow2(n: int) -> int:
    return 1 << max(n - 1, 0).bit_length()


def _magnitude_words(x, nbits):
    """|x| as a (len(x), ceil(nbits/64)) uint64 matrix of 64-bit words, and signs."""
    if x.dtype == object:
        nw = max(1, -(-nbits // 64))
        raw = b"".join(abs(e).to_bytes(8 * nw, "little") for e in x)
        words = np.frombuffer(raw, dtype="<u8").reshape(len(x), nw).astype(np.uint64)
        sign = np.array([(e > 0) - (e < 0) for e in x], dtype=np.int64)
        return words, sign
    x = x.astype(np.int64, copy=False)
    mag = x.view(np.uint64).copy()
    neg = x < 0
    mag[neg] = ~mag[neg] + np.uint64(1)
    return mag.reshape(-1, 1), np.sign(x)


def _limb(words, sign, j, s):
    """The j-th s-bit limb of every magnitude, with the sign attached, as float64."""
    off = s * j
    q, r = divmod(off, 64)
    nw = words.shape[1]
    limb = words[:, q] >> np.uint64(r)
    if r + s > 64 and q + 1 < nw:
        limb = limb | (words[:, q + 1] << np.uint64(64 - r))
    limb = limb & np.uint64((1 << s) - 1)
    return (limb.astype(np.int64) * sign).astype(np.float64)


def _limb_plan(bits_a, bits_v, M, N, L):
    """Widest limb size s whose grouped float FFTs are guaranteed exact, or None."""
    root = math.sqrt(M) * math.sqrt(N)
    for s in range(26, 0, -1):
        na, nv = -(-bits_a // s), -(-bits_v // s)
        if _float_fft_is_exact(root * (2**s - 1), 2**s - 1, L, terms=min(na, nv)):
            return s, na, nv
    return None


def _int_fft(a, v, fits, ma, mv, L, out_len, start):
    """Exact integer cyclic convolution of length L, outputs [start, start + out_len).

    Route 1 (float FFT): when the error bound guarantees correct rounding, one
    rfft convolution in float64, rounded.  Route 2 (limbs): split every
    magnitude into s-bit limbs (signs attached), convolve every pair of limbs
    with float FFTs -- the products of limb pairs (j, l) with the same j + l are
    summed in the frequency domain, so there is one inverse FFT per j + l -- with
    s chosen so that the bound still guarantees exact rounding, and recombine
    the limb convolutions with exact integer arithmetic.
    """
    M, N = len(a), len(v)
    if ma < 2**53 and mv < 2**53:
        af, vf = a.astype(np.float64), v.astype(np.float64)
        if _float_fft_is_exact(float(np.linalg.norm(af)), float(np.linalg.norm(vf)), L):
            y = np.rint(np.fft.irfft(np.fft.rfft(af, L) * np.fft.rfft(vf, L), L)[start : start + out_len])
            y = y.astype(np.int64)
            return y if fits else y.astype(object)
    bits_a, bits_v = ma.bit_length(), mv.bit_length()
    plan = _limb_plan(bits_a, bits_v, M, N, L)
    if plan is None:  # not even 1-bit limbs are safe (L near 2**40): Python ints
        y = _kernel(a.astype(object), v.astype(object), "full", False)[start : start + out_len]
        return y.astype(np.int64) if fits else y
    s, na, nv = plan
    wa, sa = _magnitude_words(a, bits_a)
    wv, sv = _magnitude_words(v, bits_v)
    FA = [np.fft.rfft(_limb(wa, sa, j, s), L) for j in range(na)]
    FV = [np.fft.rfft(_limb(wv, sv, j, s), L) for j in range(nv)]
    digits = []
    for t in range(na + nv - 1):
        spec = sum(FA[j] * FV[t - j] for j in range(max(0, t - nv + 1), min(na, t + 1)))
        r = np.fft.irfft(spec, L)[start : start + out_len]
        digits.append(np.rint(r).astype(np.int64))
    del FA, FV
    if fits:
        # Every partial sum is bounded by max|a| * max|v| * terms <= int64 max.
        y = np.zeros(out_len, dtype=np.int64)
        for t, d in enumerate(digits):
            y += d << np.int64(s * t)
        return y
    return _recombine_object(digits, s)


def _recombine_object(digits, s):
    """Sum digits[t] * 2**(s*t) exactly into Python ints (object array)."""
    T = len(digits)
    for t in range(T - 1):  # normalise every digit but the top one into [0, 2**s)
        q = digits[t] >> np.int64(s)
        digits[t] = digits[t] - (q << np.int64(s))
        digits[t + 1] = digits[t + 1] + q
    y = digits[-1].astype(object) * (1 << (s * (T - 1)))
    per = max(1, 62 // s)  # digits packed into one non-negative int64 chunk
    for u in range(0, T - 1, per):
        chunk = np.zeros(len(y), dtype=np.int64)
        for i in range(min(per, T - 1 - u)):
            chunk += digits[u + i] << np.int64(s * i)
        y = y + chunk.astype(object) * (1 << (s * u))
    return y


def _int_overlap_add(x, h, fits, mx, mh):
    """Exact full convolution of integers by overlap-add (``len(x) >= len(h)``), as :func:`_int_fft` returns it.

    The blocks of ``x`` (``B`` new samples, FFT length ``L``, a power of two)
    are convolved with ``h`` all at once by batched float FFTs, each block
    result rounded to integers, and the overlaps added in integer arithmetic.
    Route 1: one float FFT per block, when the error bound guarantees correct
    rounding for the block of largest norm.  Route 2: the limbs of
    :func:`_int_fft`, with the limb size chosen for one block, the limb
    products summed per block and the blocks added digit by digit.  When
    neither is safe, the whole convolution goes to :func:`_int_fft`.
    """
    from convbook._blocks import add_blocks

    M, N = len(x), len(h)
    B, L, blocks = _oa_int_plan(M, N)
    W, out_len = B + N - 1, M + N - 1
    chunks = -(-W // B)       # how many blocks add up at one output: their sum must stay in int64

    def rows_of(flat):
        rows = np.zeros((blocks, B), dtype=np.float64)
        rows.ravel()[:M] = flat
        return rows

    if mx < 2**53 and mh < 2**53 and chunks < 2**9:
        rows, hf = rows_of(x.astype(np.float64)), h.astype(np.float64)
        worst = float(np.sqrt(np.einsum("ij,ij->i", rows, rows).max()))
        if _float_fft_is_exact(worst, float(np.linalg.norm(hf)), L):
            y = np.fft.irfft(np.fft.rfft(rows, L, axis=1) * np.fft.rfft(hf, L), L, axis=1)[:, :W]
            # every block result is below 2**53 (the bound), so `chunks` of them add up exactly in int64
            y = add_blocks(np.rint(y).astype(np.int64), B, out_len)
            return y if fits else y.astype(object)
    bits_x, bits_h = mx.bit_length(), mh.bit_length()
    plan = _limb_plan(bits_x, bits_h, min(B, M), N, L)
    if plan is not None:
        s, nx, nh = plan
        # a digit sums min(nx, nh) limb products of min(M, N) terms each, below 2**(2s) apiece
        if min(nx, nh) * min(M, N) * (2**s - 1) ** 2 > _INT64_MAX:
            plan = None
    if plan is None:
        return _int_fft(x, h, fits, mx, mh, _pow2(out_len), out_len, 0)
    wx, sx = _magnitude_words(x, bits_x)
    wh, sh = _magnitude_words(h, bits_h)
    FX = [np.fft.rfft(rows_of(_limb(wx, sx, j, s)), L, axis=1) for j in range(nx)]
    FH = [np.fft.rfft(_limb(wh, sh, j, s), L) for j in range(nh)]
    digits = []
    for t in range(nx + nh - 1):
        spec = sum(FX[j] * FH[t - j] for j in range(max(0, t - nh + 1), min(nx, t + 1)))
        r = np.fft.irfft(spec, L, axis=1)[:, :W]
        digits.append(add_blocks(np.rint(r).astype(np.int64), B, out_len))
    del FX, FH
    if fits:  # every partial sum is bounded by max|x| * max|h| * min(M, N) <= int64 max (see _int_fft)
        y = np.zeros(out_len, dtype=np.int64)
        for t, d in enumerate(digits):
            y += d << np.int64(s * t)
        return y
    return _recombine_object(digits, s)


# ---------------------------------------------------------------------------
# Cost model
# ---------------------------------------------------------------------------


def _direct_macs(M, N, start, length):
    """Multiply-adds of the direct kernel for the outputs [start, start + length)."""
    lo = min(M, N)
    total = M * N
    head = start  # the `start` first outputs of the full result are skipped...
    tail = M + N - 1 - start - length  # ...and the `tail` last ones
    for cut in (head, tail):
        c = min(cut, lo - 1)
        total -= c * (c + 1) // 2 + max(0, cut - c) * lo
    return total


def _fft_cost(L, kind="f", transforms=3):
    """Modelled seconds of `transforms` FFTs of length L (3 = one convolution)."""
    f0, flin, fnlogn, fnlog2n = _FFT_COMPLEX if kind == "c" else _FFT_REAL
    lg = math.log2(max(L, 2))
    return f0 + L * (flin + lg * (fnlogn + lg * fnlog2n)) * transforms / 3


def _direct_cost(M, N, start, length, kind, fits=True):
    """Modelled seconds of numpy's kernel for the outputs [start, start + length)."""
    macs = _direct_macs(M, N, start, length)
    if kind == "f":
        small = min(M, N) <= _SMALL_KERNEL
        per_out, per_mac = (_D_OUT_SMALL, _D_MAC_SMALL) if small else (_D_OUT, _D_MAC)
    elif kind == "c":
        per_out, per_mac = _D_OUT_COMPLEX, _D_MAC_COMPLEX
    elif fits:
        per_out, per_mac = _D_OUT_INT, _D_MAC_INT
    else:
        per_out, per_mac = 0.0, _D_MAC_OBJECT
    return _D0 + per_out * length + per_mac * macs


def _fft_length(M, N, start, length, kind):
    """FFT length for the outputs [start, start + length) of the full result.

    A cyclic convolution of length L >= M + N - 1 - start wraps the tail of the
    full result onto outputs [0, M + N - 1 - L) only, all before `start`.
    """
    need = max(M + N - 1 - start, start + length)
    return _pow2(need) if kind in "iq" else _next_fast_len(need)


def _finite_or_direct(a, v):
    """'fft', unless an inf or nan is present: the FFT would spread it over every output."""
    return "fft" if np.isfinite(a).all() and np.isfinite(v).all() else "direct"


def _oa_plan(M, N):
    """Overlap-add of a long input (M samples) with a short one (N): (block size B, FFT length L, blocks)."""
    from convbook._blocks import best_block

    B = best_block(M, N)
    return B, _next_fast_len(B + N - 1), -(-M // B)


def _oa_applies(M, N):
    """Whether 'auto' weighs overlap-add: a kernel of 2 samples or more, at most a quarter of the signal.

    That is the range the constants are fitted on (--calibrate); with longer
    kernels the blocks are few and one FFT does the same work.
    """
    return 1 < min(M, N) and 4 * min(M, N) <= max(M, N)


def _oa_cost(M, N, kind="f"):
    """Modelled seconds of convolve(method='overlap-add') for M >= N (floating inputs), and its block size."""
    B, L, blocks = _oa_plan(M, N)
    a0, alin, anlogn = _OA_COMPLEX if kind == "c" else _OA_REAL
    return a0 + blocks * L * (alin + anlogn * math.log2(max(L, 2))), B


@functools.lru_cache(maxsize=1024)  # 'auto' asks on every call: a few us of arithmetic, against ~0.1 us
def _float_plan(M, N, mode, kind, corr=False):
    """For floating inputs: (method the model prefers, start, length, FFT length).

    The three costs are compared in the order direct, fft, overlap-add; a tie
    goes to the earlier.  Correlation (``corr``) has no overlap-add route.
    A pure function of the sizes and of the constants above (read once, at
    import, like ``_DIRECT_TAPS``), hence cached.
    """
    start, length = _window(M, N, mode, corr)
    L = _fft_length(M, N, start, length, kind)
    direct, fft = _direct_cost(M, N, start, length, kind), _fft_cost(L, kind)
    best, cost = ("direct", direct) if direct <= fft else ("fft", fft)
    if not corr and _oa_applies(M, N) and _oa_cost(max(M, N), min(M, N), kind)[0] < cost:
        best = "overlap-add"
    return best, start, length, L


def _direct_wins(M, N, mode, kind, corr=False):
    """Whether the cost model prefers numpy's kernel for floating inputs."""
    return _float_plan(M, N, mode, kind, corr)[0] == "direct"


def _oa_int_plan(M, N):
    """Integer overlap-add: (B, L, blocks) with L a power of two (the length the error bound is proved for).

    The block size of :func:`convbook._blocks.best_block`, grown so that its
    blocks fill the power-of-two FFT length above ``B + N - 1``.
    """
    B, _, _ = _oa_plan(M, N)
    L = _pow2(B + N - 1)
    B = L - N + 1
    return B, L, -(-M // B)


@functools.lru_cache(maxsize=1024)  # as _float_plan: asked on every integer call of 'auto'
def _int_costs(M, N, mode, fits, corr=False):
    """For integer inputs, the costs that do not depend on the values: ``(direct, L, fft, oa)``.

    ``direct``: numpy's kernel (on Python ints when the bound
    ``max|a| * max|v| * min(M, N)`` does not fit in int64, ``fits`` false);
    ``L``: the FFT length; ``fft``, ``oa``: the cheapest FFT routes, one float
    FFT of the whole and one per overlap-add block (``inf`` where overlap-add
    is not weighed).
    """
    start, length = _window(M, N, mode, corr)
    direct = _direct_cost(M, N, start, length, "i", fits)
    L = _fft_length(M, N, start, length, "i")
    cheapest_fft = _fft_cost(L) + _F_INT_LIN * L
    oa = _oa_int_cost(max(M, N), min(M, N)) if not corr and _oa_applies(M, N) else math.inf
    return direct, L, cheapest_fft, oa


def _int_direct_first(M, N, mode, fits, corr=False):
    """Whether numpy's kernel costs no more than the cheapest FFT route: then 'auto' takes it, whatever the values."""
    direct, _, cheapest_fft, oa = _int_costs(M, N, mode, fits, corr)
    return direct <= min(cheapest_fft, oa)


def _oa_int_cost(M, N):
    """Modelled seconds of the integer overlap-add route (one float FFT per block), M >= N."""
    _, L, blocks = _oa_int_plan(M, N)
    a0, alin, anlogn = _OA_REAL
    return a0 + blocks * L * (alin + _F_INT_LIN + anlogn * math.log2(max(L, 2)))


def _oa_cost_per_sample(N, kind="f"):
    """A lower bound of the overlap-add cost per input sample, for any signal length (N taps).

    Each block of B new samples costs at least ``L * (A_LIN + A_NLOGN log2 L)``
    with ``L = B + N - 1``: the minimum over the fast lengths L of that cost / B.
    """
    _, alin, anlogn = _OA_COMPLEX if kind == "c" else _OA_REAL
    best, L = math.inf, _next_fast_len(2 * N - 1)
    while L <= max(64 * N, 4096):
        best = min(best, L * (alin + anlogn * math.log2(L)) / (L - N + 1))
        L = _next_fast_len(L + 1)
    return best


def _always_direct_taps() -> int:
    """Largest kernel length for which the model prefers the direct kernel for every
    signal length and mode (float64), found by bisection; the FFT cost is taken at
    the smallest admissible length, a lower bound."""

    def direct_always(k):
        # Long signals: the direct cost per output against overlap-add's per input sample.
        per_out, per_mac = (_D_OUT_SMALL, _D_MAC_SMALL) if k <= _SMALL_KERNEL else (_D_OUT, _D_MAC)
        if per_out + k * per_mac > _oa_cost_per_sample(k):
            return False
        M = k
        while M < 10**10:
            for mode in _MODES:
                start, length = _window(M, k, mode)
                need = max(M + k - 1 - start, start + length)
                if _direct_cost(M, k, start, length, "f") > _fft_cost(need, "f"):
                    return False
            M = int(M * 1.1) + 1
        return True

    lo, hi = 1, 4096  # direct_always(lo) holds, direct_always(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if direct_always(mid) else (lo, mid)
    return lo


# Kernels at most this long always go to numpy's kernel under method='auto'.
_DIRECT_TAPS = _always_direct_taps()


def _choose(a, v, kind, mode, corr=False, maxes=None):
    """'direct', 'fft' or 'overlap-add' for prepared 1-D operands (the cost model of method='auto').

    Correlation (``corr``) chooses between 'direct' and 'fft' only.  ``maxes``:
    ``(max|a|, max|v|)`` of integer operands when the caller has them already.
    """
    M, N = len(a), len(v)
    if kind in "fc":
        if M * N <= _ALWAYS_DIRECT:
            return "direct"
        best = _float_plan(M, N, mode, kind, corr)[0]
        return best if best == "direct" else best if _finite_or_direct(a, v) == "fft" else "direct"
    # integers (rationals are scaled to integers first)
    ma, mv = maxes or (_max_abs(a), _max_abs(v))
    fits = ma * mv * min(M, N) <= _INT64_MAX
    direct, L, cheapest_fft, oa = _int_costs(M, N, mode, fits, corr)
    if direct <= min(cheapest_fft, oa):
        return "direct"
    if ma < 2**53 and mv < 2**53:
        af, vf = a.astype(np.float64), v.astype(np.float64)
        na, nv = math.sqrt(af.dot(af)), math.sqrt(vf.dot(vf))  # numpy.linalg.norm's own formula for 1-D
        if _float_fft_is_exact(na, nv, L):
            # Then every block passes the same check too (smaller norms, shorter FFTs):
            # both FFT routes are one float FFT per block.
            return "fft" if cheapest_fft <= oa else "overlap-add"
    plan = _limb_plan(ma.bit_length(), mv.bit_length(), M, N, L)
    if plan is None:
        return "direct"
    _, na, nv = plan
    limbs = _fft_cost(L, transforms=2 * (na + nv) - 1) + _F_INT_LIN * L * (na + nv)
    if a.dtype == object or v.dtype == object:
        limbs += _D_MAC_OBJECT * (M + N) * 4
    return "direct" if direct <= limbs else "fft"


# ---------------------------------------------------------------------------
# The 1-D core shared by convolve, correlate and circular_convolve
# ---------------------------------------------------------------------------


def _kernel(a, v, mode, corr):
    """numpy's direct kernel: numpy.convolve / numpy.correlate semantics."""
    if _kernel_correlate is None:  # pragma: no cover
        return np.correlate(a, v, mode) if corr else np.convolve(a, v, mode)
    if corr:
        return _kernel_correlate2(a, v, mode)
    if len(v) > len(a):
        a, v = v, a
    return _kernel_correlate(a, v[::-1], mode)


def _core(a, v, kind, mode, method, corr=False):
    """Convolution (or numpy-style correlation) of prepared 1-D operands."""
    den = None
    if kind == "q":
        (a, da), (v, dv) = _scale_rationals(a), _scale_rationals(v)
        den, kind = da * dv, "i"
    maxes = (_max_abs(a), _max_abs(v)) if kind == "i" else None
    if method == "auto":
        method = _choose(a, v, kind, mode, corr, maxes)
    M, N = len(a), len(v)
    start, length = _window(M, N, mode, corr)
    if kind == "i":
        a, v, fits, _, ma, mv = _as_int_arrays(a, v, min(M, N), maxes)
        if method == "direct" or not ma:
            if not fits:  # numpy's kernel on Python ints
                a, v = a.astype(object), v.astype(object)
            y = _kernel(a, v, mode, corr)
        elif method == "overlap-add":  # convolution only (correlate does not offer it)
            x, h, mx, mh = (a, v, ma, mv) if M >= N else (v, a, mv, ma)
            y = _int_overlap_add(x, h, fits, mx, mh)[start : start + length]
            y = y.copy() if length < M + N - 1 else y
        else:
            w = v[::-1] if corr else v
            y = _int_fft(a, w, fits, ma, mv, _fft_length(M, N, start, length, "i"), length, start)
        return y if den is None else _rational_result(y, den)
    if method == "direct":
        return _kernel(a, v, mode, corr)
    if not (np.isfinite(a).all() and np.isfinite(v).all()):
        raise ValueError(
            f"method={method!r} needs finite inputs: the FFT spreads an inf or nan over every output. "
            "Use method='direct' (or 'auto', which falls back to it)."
        )
    if method == "overlap-add":
        from convbook._blocks import overlap_add_float

        x, h = (a, v) if M >= N else (v, a)
        y = overlap_add_float(x, h, _oa_plan(len(x), len(h))[0])[start : start + length]
        return y.copy() if length < M + N - 1 else y
    w = np.conj(v[::-1]) if corr else v
    L = _fft_length(M, N, start, length, kind)
    return _cyclic_float(a, w, L, kind)[start : start + length].copy()


# ---------------------------------------------------------------------------
# Public API: 1-D
# ---------------------------------------------------------------------------


def convolve(a: ArrayLike, v: ArrayLike, mode: Literal["full", "same", "valid"] = "full",
             method: Literal["auto", "direct", "fft", "overlap-add"] = "auto") -> np.ndarray:
    """Discrete, linear convolution of two 1-D sequences (``numpy.convolve`` semantics).

    .. math::  y[n] = \\sum_k a[k]\\, v[n - k]

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence: ints (any size), booleans, ``Fraction``, floats or
        complex numbers.  A scalar counts as a sequence of length 1.
    v : array_like, shape (N,)
        Second sequence, same types.
    mode : {'full', 'same', 'valid'}, optional
        numpy's conventions, the same for every method:
        'full' (default): every output, length ``M + N - 1``.
        'same': length ``max(M, N)``, the full result with ``(min(M, N) - 1) // 2``
        outputs cut on the left (numpy's centring).
        'valid': only outputs where the sequences overlap completely, length
        ``max(M, N) - min(M, N) + 1``.
    method : {'auto', 'direct', 'fft', 'overlap-add'}, optional
        'direct': numpy's kernel, the sum above (O(M N)).
        'fft': one product of spectra from :mod:`numpy.fft`, of a length
        ``L`` about ``M + N`` (O(L log L)).
        'overlap-add': the longer input cut into blocks of ``B`` samples, every
        block convolved with the shorter input by one FFT of length
        ``B + N - 1`` (all blocks in one batched FFT) and the overlapping
        block results added (see :func:`overlap_add`; ``B`` from the same
        cost model, ``convbook._blocks.best_block``); O(M log N).  The
        requested `mode` window is cut out of the full result.
        'auto' (default): the one of the three that the cost model predicts
        is fastest -- see :func:`choose_method` for the model.  In practice:
        'direct' for short kernels or short inputs, 'overlap-add' for long
        signals with short-to-medium kernels, 'fft' when both inputs are long;
        'direct' also whenever a floating input holds an inf or nan.

    Returns
    -------
    numpy.ndarray
        The convolution, length per `mode` as above.  ``int64`` for integer
        inputs when ``max|a| * max|v| * min(M, N) <= 2**63 - 1``, otherwise an
        ``object`` array of exact Python ints; ``object`` array of ``Fraction``
        for rational inputs; ``float64`` or ``complex128`` for floating inputs.

    Raises
    ------
    ValueError
        Unknown `mode` or `method`; an empty input; an input with more than
        one dimension; ``method='fft'`` or ``'overlap-add'`` with an inf or nan
        in the inputs.
    TypeError
        Inputs that are not numbers.
    OverflowError
        Integers beyond float range mixed with floats.

    See Also
    --------
    choose_method : the method that 'auto' picks, and its cost model.
    overlap_add, overlap_save : block convolution with a chosen block size.

    Notes
    -----
    This is *true* convolution: `v` is flipped before it slides along `a`
    (compare :func:`correlate`, which does not flip).  Convolution commutes,
    and as numpy does, the shorter input is the one that slides, which is
    why 'same' returns ``max(M, N)`` outputs whichever input is longer.
    numpy's 'same' differs from scipy's ('same' as in1's length, see
    :func:`convolve2d`) when `v` is longer than `a`.

    Integers are exact with every method.  ``numpy.convolve`` silently wraps
    around on int64 overflow; here, when the bound ``max|a| * max|v| * min(M, N)``
    exceeds ``2**63 - 1`` the result is an object array of Python ints.  With
    ``method='fft'`` integers use a float FFT only when Percival's error bound
    for FFT convolution guarantees that rounding gives the exact result;
    otherwise they are split into s-bit limbs, each limb product is a float
    FFT convolution that the same bound guarantees exact, and the pieces are
    recombined with integer arithmetic.  ``method='overlap-add'`` applies the
    same test to every block (the block of largest norm, for its FFT length),
    rounds each block's result and adds the overlaps in integer arithmetic,
    or uses the limbs per block when the test fails.

    For floating inputs the FFT error is bounded by a small multiple of
    ``2**-53 * log2(L) * ||a||_2 * ||v||_2``: relative to the largest output it
    is tiny unless the outputs cancel almost completely.

    References
    ----------
    .. [1] C. Percival, "Rapid multiplication modulo the sum and difference of
       highly composite numbers", Math. Comp. 72 (2003), 387-395.
    .. [2] R. P. Brent and P. Zimmermann, *Modern Computer Arithmetic*,
       Cambridge University Press, 2010, section 3.3.2.

    Examples
    --------
    >>> from convbook.discrete import convolve
    >>> convolve([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    >>> convolve([1, 2, 3], [0, 1, 0.5], mode="valid")
    array([2.5])
    >>> convolve([1, 2, 3, 4, 5, 6], [1, 1, 1], mode="same", method="overlap-add")
    array([ 3,  6,  9, 12, 15, 11])

    Integers stay exact, even beyond int64 (numpy would wrap around):

    >>> convolve([2**62, 2**62], [4, 4], method="fft").tolist()
    [18446744073709551616, 36893488147419103232, 18446744073709551616]
    """
    # Fast lanes for the commonest calls -- 1-D float64 or int64 arrays,
    # method='auto' --: skip the general validation (these checks are the same
    # ones, cheaper) and go straight to numpy's kernel or the FFT, as the cost
    # model says.  Anything else (and any input that needs an error message)
    # takes the general path below.
    if (
        type(a) is _NDARRAY
        and type(v) is _NDARRAY
        and method == "auto"
        and _kernel_correlate is not None
        and (mode == "full" or mode == "same" or mode == "valid")
    ):
        sa, sv = a.shape, v.shape
        if len(sa) == 1 and len(sv) == 1 and sa[0] and sv[0]:  # 1-D, not empty
            long, short, M, N = (a, v, sa[0], sv[0]) if sa[0] >= sv[0] else (v, a, sv[0], sa[0])
            da, dv = a.dtype, v.dtype
            if da is _F64 and dv is _F64:
                if N <= _DIRECT_TAPS or M * N <= _ALWAYS_DIRECT:
                    return _kernel_correlate(long, short[::-1], mode)
                best, start, length, L = _float_plan(M, N, mode, "f")
                if best == "direct" or not (np.isfinite(a).all() and np.isfinite(v).all()):
                    return _kernel_correlate(long, short[::-1], mode)
                if best == "fft":
                    return _cyclic_float(long, short, L, "f")[start : start + length].copy()
                from convbook._blocks import overlap_add_float

                y = overlap_add_float(long, short, _oa_plan(M, N)[0])[start : start + length]
                return y.copy() if length < M + N - 1 else y
            if da is _I64 and dv is _I64:
                # int64 is exact in numpy's kernel when the bound of every output fits
                # (then the result is int64, as on the general path); otherwise, or
                # when an FFT route may be cheaper, the general path decides.
                if _max_abs(a) * _max_abs(v) * N <= _INT64_MAX and _int_direct_first(M, N, mode, True):
                    return _kernel_correlate(long, short[::-1], mode)
    check_choice("mode", mode, _MODES)
    check_choice("method", method, _CONVOLVE_METHODS)
    a, v, kind = _prepare_1d(a, v)
    return _core(a, v, kind, mode, method)


def _blocked(a, v, block_size):
    """Validate the operands and the block size of overlap_add / overlap_save: ``(x, h, kind, B)``."""
    from convbook import _blocks

    a, v, kind = _prepare_1d(a, v)
    x, h = (a, v) if len(a) >= len(v) else (v, a)   # convolution commutes: the longer input is cut up
    if block_size is None:
        B = _blocks.best_block(len(x), len(h))
    else:
        B = check_int("block_size", block_size, minimum=1, maximum=MAX_SIZE)
    return x, h, kind, B


def _exact_blocks(x, h, kind, out):
    """The block results of integer or rational inputs, summed exactly, as convolve returns them."""
    if kind == "q":
        arr = np.empty(len(out), dtype=object)
        arr[:] = out
        return arr
    bound = _max_abs(x) * _max_abs(h) * min(len(x), len(h))
    return _int_result([int(t) for t in out], bound)


def overlap_add(a: ArrayLike, v: ArrayLike, block_size: int | None = None) -> np.ndarray:
    r"""Full linear convolution of a long input with a short one, block by block (overlap-add).

    The longer input ``x`` (length M) is cut into blocks of ``B`` samples;
    each block is convolved with the shorter ``h`` (length N) by an FFT of
    length ``L >= B + N - 1``, and the last ``N - 1`` samples of each block's
    result are added to the start of the next one's:

    .. math::

        (x \ast h)[n] = \sum_k (x_k \ast h)[n - kB], \qquad
        x_k[m] = x[kB + m], \; 0 \le m < B .

    The output is ``numpy.convolve(a, v)`` (mode 'full', ``M + N - 1``
    samples), for any two inputs: as with numpy, the order does not matter.

    Parameters
    ----------
    a, v : array_like
        1-D, non-empty, numbers.
    block_size : int, optional
        ``B``, the new samples per block, at least 1.  By default, the ``B``
        that minimises the cost model ``ceil(M / B) * L * (2 log2 L + 1)``
        over FFT lengths ``L = B + N - 1`` that numpy's FFT does fast.

    Returns
    -------
    numpy.ndarray
        ``M + N - 1`` samples.  Floating inputs: ``float64`` or ``complex128``,
        every block's FFT done at once.  Integer inputs: exact, as
        :func:`convolve` returns them (each block by :func:`convolve`, the
        overlaps added in integer arithmetic); rationals: ``Fraction``.

    Raises
    ------
    ValueError
        An empty input, an input with more than one dimension, or
        ``block_size`` below 1.
    TypeError
        Inputs that are not numbers, or a ``block_size`` that is not an integer.

    See Also
    --------
    overlap_save : the other block method.
    convolve : the whole convolution at once (``method='fft'`` is one FFT).
    scipy.signal.oaconvolve : scipy's overlap-add, for floats.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook import discrete
    >>> x = np.arange(10.0)
    >>> np.allclose(discrete.overlap_add(x, [1, -1], block_size=3), np.convolve(x, [1, -1]))
    True
    >>> discrete.overlap_add([1, 2, 3, 4, 5], [1, 1], block_size=2)      # integers stay exact
    array([1, 3, 5, 7, 9, 5])
    """
    from convbook import _blocks

    x, h, kind, B = _blocked(a, v, block_size)
    if kind in "fc":
        return _blocks.overlap_add_float(x, h, B)
    return _exact_blocks(x, h, kind, _blocks.overlap_add_loops(x, h, B, lambda p, q: list(convolve(p, q))))


def overlap_save(a: ArrayLike, v: ArrayLike, block_size: int | None = None) -> np.ndarray:
    r"""Full linear convolution of a long input with a short one, block by block (overlap-save).

    The longer input ``x`` (length M), with ``N - 1`` zeros in front, is read
    in windows of ``L = B + N - 1`` samples that start ``B`` apart.  Each
    window's *circular* convolution with the shorter ``h`` (length N) is
    right in its last ``B`` samples and wrapped around in its first
    ``N - 1``, which are dropped:

    .. math::

        (x \ast h)[kB + m] = (w_k \circledast h)[N - 1 + m], \qquad
        w_k[j] = x[kB - (N - 1) + j], \; 0 \le m < B .

    The output is ``numpy.convolve(a, v)`` (mode 'full', ``M + N - 1``
    samples); the order of the inputs does not matter.

    Parameters
    ----------
    a, v : array_like
        1-D, non-empty, numbers.
    block_size : int, optional
        ``B``, the outputs kept per window, at least 1; the default as in
        :func:`overlap_add`.

    Returns
    -------
    numpy.ndarray
        ``M + N - 1`` samples, typed as by :func:`overlap_add`.

    Raises
    ------
    ValueError
        An empty input, an input with more than one dimension, or
        ``block_size`` below 1.
    TypeError
        Inputs that are not numbers, or a ``block_size`` that is not an integer.

    See Also
    --------
    overlap_add : the other block method.
    circular_convolve : the circular convolution of each window.

    Examples
    --------
    >>> import numpy as np
    >>> from convbook import discrete
    >>> x = np.linspace(0, 1, 9)
    >>> np.allclose(discrete.overlap_save(x, [0.5, 0.5], block_size=4), np.convolve(x, [0.5, 0.5]))
    True
    >>> discrete.overlap_save([1, 2, 3, 4, 5], [1, 1], block_size=2)
    array([1, 3, 5, 7, 9, 5])
    """
    from convbook import _blocks

    x, h, kind, B = _blocked(a, v, block_size)
    if kind in "fc":
        return _blocks.overlap_save_float(x, h, B)
    return _exact_blocks(x, h, kind, _blocks.overlap_save_loops(x, h, B, lambda p, q: list(circular_convolve(p, q))))


def choose_method(a: ArrayLike, v: ArrayLike,
                  mode: Literal["full", "same", "valid"] = "full") -> Literal["direct", "fft", "overlap-add"]:
    """The method, 'direct', 'fft' or 'overlap-add', that ``convolve(a, v, mode, method='auto')`` uses.

    It compares three modelled costs (seconds), measured on the course machine
    by ``bench/bench_convolve.py --calibrate``, and takes the smallest (a tie
    goes to the earlier in this list):

    .. math::  t_{direct} = D_0 + D_{out} \\cdot outputs + D_{mac} \\cdot (multiply\\text{-}adds)

    .. math::  t_{fft} = F_0 + F_{lin} L + F_{nlogn} L \\log_2 L + F_{nlog2n} L (\\log_2 L)^2

    .. math::  t_{overlap-add} = A_0 + \\lceil M / B \\rceil \\, L_B (A_{lin} + A_{nlogn} \\log_2 L_B)

    where L is the FFT length of the whole convolution, B the block size of
    overlap-add (new samples per block, from ``convbook._blocks.best_block``;
    M the longer input's length) and ``L_B = B + N - 1`` its FFT length.
    numpy's kernel has two sets of direct constants (kernels of at most 11
    samples, and longer ones), and every number type its own.

    Parameters
    ----------
    a, v : array_like
        1-D sequences as for :func:`convolve`.
    mode : {'full', 'same', 'valid'}, optional
        Output range, as for :func:`convolve`.

    Returns
    -------
    str
        'direct', 'fft' or 'overlap-add'.

    Raises
    ------
    ValueError, TypeError
        As :func:`convolve`.

    Notes
    -----
    Like ``scipy.signal.choose_conv_method``.  Floating inputs with an inf or
    nan always get 'direct' (the FFT would spread them everywhere).  For
    integers the FFT costs include the exact route (float FFT or limbs, see
    :func:`convolve`): 'overlap-add' is considered when one float FFT per
    block is proved exact, and the direct cost accounts for Python-int
    arithmetic when the result does not fit in int64.  'overlap-add' is
    weighed only for kernels of 2 samples or more and at most a quarter of the
    other input's length (the range its constants are fitted on).

    Examples
    --------
    >>> from convbook.discrete import choose_method
    >>> choose_method([1.0, 2.0, 3.0], [1.0, 1.0])
    'direct'
    >>> import numpy as np
    >>> choose_method(np.ones(20_000), np.ones(10_000))
    'fft'
    >>> choose_method(np.ones(1_000_000), np.ones(1_000))
    'overlap-add'
    """
    check_choice("mode", mode, _MODES)
    a, v, kind = _prepare_1d(a, v)
    if kind == "q":
        a, _ = _scale_rationals(a)
        v, _ = _scale_rationals(v)
        kind = "i"
    return _choose(a, v, kind, mode)


def correlate(a: ArrayLike, v: ArrayLike, mode: Literal["full", "same", "valid"] = "valid",
              method: Literal["auto", "direct", "fft"] = "auto") -> np.ndarray:
    """Cross-correlation of two 1-D sequences (``numpy.correlate`` semantics).

    .. math::  c[k] = \\sum_n a[n + k]\\, \\overline{v[n]}

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence (ints, booleans, ``Fraction``, floats or complex).
    v : array_like, shape (N,)
        Second sequence; it is complex-conjugated.
    mode : {'valid', 'same', 'full'}, optional
        'valid' (default): length ``max(M, N) - min(M, N) + 1``; 'same': length
        ``max(M, N)``; 'full': length ``M + N - 1``, lags ``k = -(N-1), ..., M-1``.
    method : {'auto', 'direct', 'fft'}, optional
        As for :func:`convolve`.

    Returns
    -------
    numpy.ndarray
        The correlation, with the dtype rules of :func:`convolve`.

    Raises
    ------
    ValueError, TypeError, OverflowError
        As :func:`convolve`.

    Notes
    -----
    Cross-correlation does *not* flip `v`: it is the convolution of `a` with
    ``conj(v[::-1])``, which is what the FFT path computes.  It is what deep
    learning calls "convolution".  Unlike convolution it does not commute:
    ``correlate(v, a)`` is ``correlate(a, v)`` reversed and conjugated.
    numpy's 'full' and 'valid' follow from the formula; its 'same' window is
    centred like ``numpy.convolve`` when ``M >= N``, but when ``N > M`` numpy
    computes with the inputs swapped and reverses the output, so the window
    starts at ``M // 2`` in the full result instead of ``(M - 1) // 2``;
    this function reproduces that.

    Examples
    --------
    >>> from convbook.discrete import correlate
    >>> correlate([1, 2, 3], [0, 1, 0.5])
    array([3.5])
    >>> correlate([1, 2, 3], [0, 1, 0.5], mode="full")
    array([0.5, 2. , 3.5, 3. , 0. ])
    >>> correlate([1, 2, 3], [0, 1, 0.5], mode="same")
    array([2. , 3.5, 3. ])
    """
    check_choice("mode", mode, _MODES)
    check_choice("method", method, _METHODS)
    a, v, kind = _prepare_1d(a, v)
    return _core(a, v, kind, mode, method, corr=True)


def _fold(y, n):
    """Wrap a full linear convolution modulo n: out[i] = sum of y[j] for j = i (mod n)."""
    out = np.zeros(n, dtype=y.dtype) if y.dtype != object else np.array([0] * n, dtype=object)
    m = min(n, len(y))
    out[:m] = y[:m]
    out[: len(y) - m] += y[m:]
    return out


def _check_period(n, M, N, dtype):
    """The period n of a circular convolution: None (max(M, N)) or an int that an output can have."""
    if n is None:
        return max(M, N)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be None or an integer >= max(len(a), len(v)) = {max(M, N)}, got {describe(n)}.")
    if n < max(M, N):
        raise ValueError(
            f"n must be None or an integer >= max(len(a), len(v)) = {max(M, N)}, got {describe(n)}: "
            "circular convolution pads both inputs with zeros to length n, it does not truncate them."
        )
    n = check_int("n", n, minimum=max(M, N), maximum=MAX_SIZE)
    check_size("n", n, (n,), dtype, what="an output")
    return n


def circular_convolve(a: ArrayLike, v: ArrayLike, n: int | None = None,
                      method: Literal["auto", "direct", "fft"] = "auto") -> np.ndarray:
    """Circular (cyclic) convolution of period `n`.

    .. math::  y[i] = \\sum_{k=0}^{n-1} a[k]\\, v[(i - k) \\bmod n], \\qquad i = 0, \\dots, n-1

    with `a` and `v` zero-padded to length `n`.

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence (ints, booleans, ``Fraction``, floats or complex).
    v : array_like, shape (N,)
        Second sequence.
    n : int, optional
        The period, at least ``max(M, N)``; default ``max(M, N)``.
    method : {'auto', 'direct', 'fft'}, optional
        Method of the underlying linear convolution, as for :func:`convolve`.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The circular convolution, with the dtype rules of :func:`convolve`
        (exact for integers and fractions).

    Raises
    ------
    ValueError
        `n` smaller than ``max(M, N)``, or so large that no array (or not this
        machine's memory) can hold the output; bad `method`; empty or 2-D inputs.
    TypeError
        `n` not an integer; inputs that are not numbers.

    Notes
    -----
    This equals ``ifft(fft(a, n) * fft(v, n))``: the DFT turns circular
    convolution into a product (the convolution theorem of chapter 4).  It is
    computed as the full linear convolution, folded modulo `n` (output ``j >= n``
    is added to output ``j - n``), which keeps integers exact.  With
    ``n >= M + N - 1`` nothing wraps and the result is the linear convolution
    padded with zeros.

    Examples
    --------
    >>> from convbook.discrete import circular_convolve
    >>> circular_convolve([1, 2, 3], [0, 1, 0.5])
    array([4. , 2.5, 2.5])
    >>> circular_convolve([1, 2, 3], [0, 1, 0.5], n=5)
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    check_choice("method", method, _METHODS)
    a, v, kind = _prepare_1d(a, v)
    n = _check_period(n, len(a), len(v), a.dtype)
    if kind == "q":
        (a, da), (v, dv) = _scale_rationals(a), _scale_rationals(v)
        return _rational_result(_fold(_core(a, v, "i", "full", method), n), da * dv)
    return _fold(_core(a, v, kind, "full", method), n)


# ---------------------------------------------------------------------------
# Didactic twins: plain Python loops over the definitions
# ---------------------------------------------------------------------------


def _python_values(a, v, kind):
    """Prepared operands -> Python lists, plus how to turn the result into an array."""
    A, V = a.tolist(), v.tolist()
    if kind == "i":
        bound = max(abs(x) for x in A) * max(abs(x) for x in V) * min(len(A), len(V))
        return A, V, lambda ys: _int_result(ys, bound)
    if kind == "q":

        def finish(ys):
            out = np.empty(len(ys), dtype=object)
            out[:] = [Fraction(y) for y in ys]
            return out

        return A, V, finish
    dtype = np.result_type(a.dtype, v.dtype)
    return A, V, lambda ys: np.array(ys, dtype=dtype)


def convolve_loops(a: ArrayLike, v: ArrayLike, mode: Literal["full", "same", "valid"] = "full") -> np.ndarray:
    """Didactic :func:`convolve`: two Python loops over the definition.

    .. math::  y[n] = \\sum_{k=0}^{M-1} a[k]\\, v[n - k], \\qquad n = 0, \\dots, M + N - 2

    where the terms with ``n - k`` outside ``0, ..., N-1`` are zero.

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence.
    v : array_like, shape (N,)
        Second sequence.
    mode : {'full', 'same', 'valid'}, optional
        As for :func:`convolve` (numpy's windows).

    Returns
    -------
    numpy.ndarray
        The same values and dtype as :func:`convolve` (float sums may differ
        in the last bits: the order of the additions differs).

    Raises
    ------
    ValueError, TypeError
        As :func:`convolve`.

    Notes
    -----
    O(M N) Python operations: for teaching and testing, not for speed.  The
    full result is computed, then the `mode` window is cut out of it.

    Examples
    --------
    >>> from convbook.discrete import convolve_loops
    >>> convolve_loops([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve_loops([1, 2, 3], [1, 1], mode="valid")
    array([3, 5])
    """
    check_choice("mode", mode, _MODES)
    a, v, kind = _prepare_1d(a, v)
    A, V, finish = _python_values(a, v, kind)
    M, N = len(A), len(V)
    full = []
    for n in range(M + N - 1):
        total = 0
        for k in range(M):
            if 0 <= n - k < N:
                total += A[k] * V[n - k]
        full.append(total)
    start, length = _window(M, N, mode)
    return finish(full[start : start + length])


def correlate_loops(a: ArrayLike, v: ArrayLike,
                    mode: Literal["full", "same", "valid"] = "valid") -> np.ndarray:
    """Didactic :func:`correlate`: Python loops over the definition.

    .. math::  c[k] = \\sum_{n} a[n + k]\\, \\overline{v[n]}, \\qquad k = -(N-1), \\dots, M-1

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence.
    v : array_like, shape (N,)
        Second sequence (conjugated).
    mode : {'valid', 'same', 'full'}, optional
        As for :func:`correlate` (numpy's windows).

    Returns
    -------
    numpy.ndarray
        The same values and dtype as :func:`correlate`.

    Raises
    ------
    ValueError, TypeError
        As :func:`correlate`.

    Notes
    -----
    No flip: `v` slides along `a` as it is (cross-correlation).

    Examples
    --------
    >>> from convbook.discrete import correlate_loops
    >>> correlate_loops([1, 2, 3], [0, 1, 0.5], mode="full")
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    check_choice("mode", mode, _MODES)
    a, v, kind = _prepare_1d(a, v)
    A, V, finish = _python_values(a, v, kind)
    M, N = len(A), len(V)
    full = []
    for lag in range(-(N - 1), M):
        total = 0
        for n in range(N):
            if 0 <= n + lag < M:
                total += A[n + lag] * V[n].conjugate()
        full.append(total)
    start, length = _window(M, N, mode, corr=True)
    return finish(full[start : start + length])


def circular_convolve_loops(a: ArrayLike, v: ArrayLike, n: int | None = None) -> np.ndarray:
    """Didactic :func:`circular_convolve`: Python loops with indices modulo `n`.

    .. math::  y[i] = \\sum_{k=0}^{n-1} a[k]\\, v[(i - k) \\bmod n]

    Parameters
    ----------
    a : array_like, shape (M,)
        First sequence, zero-padded to length `n`.
    v : array_like, shape (N,)
        Second sequence, zero-padded to length `n`.
    n : int, optional
        The period, at least ``max(M, N)``; default ``max(M, N)``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The same values and dtype as :func:`circular_convolve`.

    Raises
    ------
    ValueError, TypeError
        As :func:`circular_convolve`.

    Notes
    -----
    The index ``(i - k) mod n`` wraps around: what leaves the period on the
    right comes back on the left.  The terms where ``a[k]`` or
    ``v[(i - k) mod n]`` is one of the padding zeros are skipped: they add
    nothing (and skipping them keeps an ``inf`` or ``nan`` of the inputs
    where :func:`circular_convolve` puts it, instead of ``0 * inf = nan``
    everywhere).  O(n M) Python operations.

    Examples
    --------
    >>> from convbook.discrete import circular_convolve_loops
    >>> circular_convolve_loops([1, 2, 3], [1, 1])
    array([4, 3, 5])
    """
    a, v, kind = _prepare_1d(a, v)
    n = _check_period(n, len(a), len(v), a.dtype)
    A, V, finish = _python_values(a, v, kind)
    M, N = len(A), len(V)
    out = []
    for i in range(n):
        total = 0
        for k in range(M):  # a[k] = 0 for k >= M: those terms are skipped (as 0 * inf would be nan)
            j = (i - k) % n
            if j < N:  # v[j] = 0 for j >= N
                total += A[k] * V[j]
        out.append(total)
    return finish(out)


# ---------------------------------------------------------------------------
# Convolution matrix
# ---------------------------------------------------------------------------


def _prepare_matrix_args(a, n, mode):
    check_choice("mode", mode, _MODES)
    a, _ = _operand("a", a, 1)
    n = check_int("n", n, minimum=1, maximum=MAX_SIZE)
    _, rows = _window(len(a), n, mode)
    check_size("n", n, (rows, n), a.dtype, what="a matrix")
    return a, n


def convolution_matrix(a: ArrayLike, n: int, mode: Literal["full", "same", "valid"] = "full") -> np.ndarray:
    """The Toeplitz matrix A such that ``A @ v == convolve(a, v, mode)`` for ``len(v) == n``.

    .. math::  A[i, j] = a[i + s - j] \\quad (0 \\le i + s - j < M, \\text{ else } 0)

    where ``s`` is the start of the `mode` window (0 for 'full').

    Parameters
    ----------
    a : array_like, shape (M,)
        The filter.
    n : int
        Length of the vectors the matrix will be applied to (>= 1).
    mode : {'full', 'same', 'valid'}, optional
        'full' (default): shape ``(M + n - 1, n)``; 'same': shape
        ``(max(M, n), n)``, rows ``s = (min(M, n) - 1) // 2`` on; 'valid':
        shape ``(max(M, n) - min(M, n) + 1, n)``, rows ``s = min(M, n) - 1`` on.

    Returns
    -------
    numpy.ndarray
        The matrix, in the dtype of `a` (booleans become int64).

    Raises
    ------
    ValueError
        Unknown `mode`; `a` empty or not 1-D; `n` < 1, or so large that the
        matrix could not be held (more elements than a numpy array can have,
        or more bytes than this machine's memory).
    TypeError
        `n` not an integer; `a` not numeric.

    Notes
    -----
    Same as ``scipy.linalg.convolution_matrix``, with numpy's 'same' and
    'valid' windows (the rows of the full matrix that ``numpy.convolve`` keeps).
    Each column is a shifted copy of `a`: convolution is linear, and this is
    its matrix.  Built with one fancy-indexing step from the padded filter.

    Examples
    --------
    >>> from convbook.discrete import convolution_matrix
    >>> convolution_matrix([1, 2, 3], 2)
    array([[1, 0],
           [2, 1],
           [3, 2],
           [0, 3]])
    >>> convolution_matrix([1, 2, 3], 2) @ [1, 1]
    array([1, 3, 5, 3])
    >>> convolution_matrix([1, 2, 3], 4, mode="valid")
    array([[3, 2, 1, 0],
           [0, 3, 2, 1]])
    """
    a, n = _prepare_matrix_args(a, n, mode)
    M = len(a)
    start, rows = _window(M, n, mode)
    padded = np.concatenate([np.zeros(n, dtype=a.dtype), a, np.zeros(rows + start, dtype=a.dtype)])
    i = np.arange(rows)[:, None] + start
    j = np.arange(n)[None, :]
    return padded[i - j + n]


def convolution_matrix_loops(a: ArrayLike, n: int,
                             mode: Literal["full", "same", "valid"] = "full") -> np.ndarray:
    """Didactic :func:`convolution_matrix`: fill ``A[i, j] = a[i + s - j]`` with two loops.

    .. math::  A[i, j] = a[i + s - j] \\quad (0 \\le i + s - j < M, \\text{ else } 0)

    Parameters
    ----------
    a : array_like, shape (M,)
        The filter.
    n : int
        Number of columns (>= 1).
    mode : {'full', 'same', 'valid'}, optional
        As for :func:`convolution_matrix`.

    Returns
    -------
    numpy.ndarray
        The same matrix as :func:`convolution_matrix`.

    Raises
    ------
    ValueError, TypeError
        As :func:`convolution_matrix`.

    Notes
    -----
    Row ``i`` of the matrix holds the filter reversed, shifted right by
    ``i + s``: ``(A @ v)[i] = sum_j a[i + s - j] v[j]`` is the convolution sum.

    Examples
    --------
    >>> from convbook.discrete import convolution_matrix_loops
    >>> convolution_matrix_loops([1, 2, 3], 3, mode="same")
    array([[2, 1, 0],
           [3, 2, 1],
           [0, 3, 2]])
    """
    a, n = _prepare_matrix_args(a, n, mode)
    M = len(a)
    start, rows = _window(M, n, mode)
    A = np.zeros((rows, n), dtype=a.dtype)
    for i in range(rows):
        for j in range(n):
            k = i + start - j
            A[i, j] = a[k] if 0 <= k < M else 0
    return A


# ---------------------------------------------------------------------------
# 2-D
# ---------------------------------------------------------------------------


def _prepare_2d(a, k, mode):
    check_choice("mode", mode, _MODES)
    a, ka = _operand("a", a, 2)
    k, kk = _operand("k", k, 2)
    a, k, kind = _pair(a, ka, k, kk, names=("a", "k"))
    (M1, M2), (N1, N2) = a.shape, k.shape
    if mode == "valid":
        if M1 >= N1 and M2 >= N2:
            win = ((N1 - 1, M1 - N1 + 1), (N2 - 1, M2 - N2 + 1))
        elif N1 >= M1 and N2 >= M2:
            win = ((M1 - 1, N1 - M1 + 1), (M2 - 1, N2 - M2 + 1))
        else:
            raise ValueError(
                f"For 'valid' mode, one must be at least as large as the other in every dimension: "
                f"got a of shape {a.shape} and k of shape {k.shape}."
            )
    elif mode == "same":  # scipy: the shape of `a`, centred like scipy's _centered
        win = (((N1 - 1) // 2, M1), ((N2 - 1) // 2, M2))
    else:
        win = ((0, M1 + N1 - 1), (0, M2 + N2 - 1))
    return a, k, kind, win


def _direct2d(a, k):
    """Full 2-D convolution by shift-and-add over the entries of the smaller input."""
    if k.size > a.size:
        a, k = k, a
    (M1, M2), (N1, N2) = a.shape, k.shape
    out = np.zeros((M1 + N1 - 1, M2 + N2 - 1), dtype=np.result_type(a.dtype, k.dtype))
    if out.dtype == object:
        out[...] = 0
    for p in range(N1):
        for q in range(N2):
            out[p : p + M1, q : q + M2] += k[p, q] * a
    return out


def _fft2d(a, k, kind, fits_terms):
    """Full 2-D convolution through the 1-D FFT path on rows padded to width W.

    With rows of width ``W = M2 + N2 - 1`` flattened end to end, index
    ``p*W + q`` times ``r*W + s`` lands on ``(p+r)*W + (q+s)`` with ``q+s < W``:
    the 1-D convolution of the flattened arrays *is* the 2-D one.
    """
    (M1, M2), (N1, N2) = a.shape, k.shape
    W = M2 + N2 - 1
    R = M1 + N1 - 1
    fa = np.zeros((M1, W), dtype=a.dtype)
    fk = np.zeros((N1, W), dtype=k.dtype)
    if a.dtype == object:
        fa[...] = 0
    if k.dtype == object:
        fk[...] = 0
    fa[:, :M2] = a
    fk[:, :N2] = k
    fa, fk = fa.reshape(-1), fk.reshape(-1)
    out_len = R * W
    if kind == "i":
        fits, ma, mv = fits_terms
        if not ma:
            return np.zeros((R, W), dtype=np.int64 if fits else object)
        y = _int_fft(fa, fk, fits, ma, mv, _pow2(out_len), out_len, 0)
    else:
        y = _cyclic_float(fa, fk, _next_fast_len(out_len), kind)[:out_len]
    return y.reshape(R, W)


def _choose2d(a, k, kind, out_size):
    """'direct' or 'fft' for 2-D operands (shift-and-add against one flattened FFT)."""
    small, big = sorted((a.size, k.size))
    per_mac = _D_MAC_OBJECT if a.dtype == object or k.dtype == object else _D2_MAC
    direct = _D0 + _D2_SHIFT * small + per_mac * small * big
    L = _next_fast_len(out_size) if kind in "fc" else _pow2(out_size)
    fft = _fft_cost(L, kind)
    if kind == "i":
        fft = 2 * fft + _F_INT_LIN * L  # rough: the exact route may need limbs
    return "direct" if direct <= fft else "fft"


def convolve2d(a: ArrayLike, k: ArrayLike, mode: Literal["full", "same", "valid"] = "full",
               method: Literal["auto", "direct", "fft"] = "auto") -> np.ndarray:
    """True 2-D convolution with zero fill (``scipy.signal.convolve2d`` semantics).

    .. math::  y[i, j] = \\sum_{p} \\sum_{q} a[p, q]\\, k[i - p, j - q]

    Parameters
    ----------
    a : array_like, shape (M1, M2)
        The image (ints, booleans, ``Fraction``, floats or complex).
    k : array_like, shape (N1, N2)
        The kernel.
    mode : {'full', 'same', 'valid'}, optional
        'full' (default): shape ``(M1 + N1 - 1, M2 + N2 - 1)``.
        'same': the shape of `a`, the full result with ``(N1 - 1) // 2`` rows
        and ``(N2 - 1) // 2`` columns cut at the top and left (scipy's centring).
        'valid': only positions where one input covers the other completely:
        shape ``(|M1 - N1| + 1, |M2 - N2| + 1)``; one input must be at least as
        large as the other in *every* dimension.
    method : {'auto', 'direct', 'fft'}, optional
        'direct': shift-and-add, one scaled copy of the larger input per entry
        of the smaller; 'fft': the 1-D FFT path of :func:`convolve` on rows
        padded to width ``M2 + N2 - 1`` and laid end to end; 'auto' (default)
        picks by a cost model.

    Returns
    -------
    numpy.ndarray
        The 2-D convolution, shape per `mode`.  Integers are exact, ``int64``
        when ``max|a| * max|k| * min(M1, N1) * min(M2, N2)`` fits in int64, an
        object array of Python ints otherwise; ``Fraction`` stays exact.

    Raises
    ------
    ValueError
        Unknown `mode` or `method`; empty inputs; inputs that are not 2-D; in
        'valid' mode, neither input at least as large as the other in every
        dimension.
    TypeError
        Inputs that are not numbers.

    Notes
    -----
    True convolution: the kernel is flipped in both directions before it
    slides (deep learning's "convolution", ``torch.nn.functional.conv2d``, is
    a cross-correlation and does not flip).  The image is padded with zeros
    (scipy's ``boundary='fill', fillvalue=0``).  scipy's 'same' keeps the
    shape of the *first* input, unlike numpy's 1-D 'same' that keeps the
    longer one.

    Examples
    --------
    >>> from convbook.discrete import convolve2d
    >>> image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> convolve2d(image, [[0, 1], [1, 0]])
    array([[ 0,  1,  2,  3],
           [ 1,  6,  8,  6],
           [ 4, 12, 14,  9],
           [ 7,  8,  9,  0]])
    >>> convolve2d(image, [[1, 1], [1, 1]], mode="valid")
    array([[12, 16],
           [24, 28]])
    >>> convolve2d(image, [[1, 2, 1]], mode="same")
    array([[ 4,  8,  8],
           [13, 20, 17],
           [22, 32, 26]])
    """
    check_choice("method", method, _METHODS)
    a, k, kind, ((r0, nr), (c0, nc)) = _prepare_2d(a, k, mode)
    den = None
    if kind == "q":
        (a, da), (k, dk) = _scale_rationals(a), _scale_rationals(k)
        den, kind = da * dk, "i"
    fits_terms = None
    if kind == "i":
        terms = min(a.shape[0], k.shape[0]) * min(a.shape[1], k.shape[1])
        a, k, fits, _, ma, mk = _as_int_arrays(a, k, terms)
        fits_terms = (fits, ma, mk)
    out_size = (a.shape[0] + k.shape[0] - 1) * (a.shape[1] + k.shape[1] - 1)
    if method == "auto":
        method = _choose2d(a, k, kind, out_size)
        if method == "fft" and kind in "fc" and not (np.isfinite(a).all() and np.isfinite(k).all()):
            method = "direct"
    if method == "fft" and kind in "fc" and not (np.isfinite(a).all() and np.isfinite(k).all()):
        raise ValueError(
            "method='fft' needs finite inputs: the FFT spreads an inf or nan over every output. "
            "Use method='direct' (or 'auto', which falls back to it)."
        )
    if method == "direct":
        if kind == "i" and not fits_terms[0]:
            a, k = a.astype(object), k.astype(object)
        full = _direct2d(a, k)
    else:
        full = _fft2d(a, k, kind, fits_terms)
    y = full[r0 : r0 + nr, c0 : c0 + nc].copy()
    return y if den is None else _rational_result(y, den)


def convolve2d_loops(a: ArrayLike, k: ArrayLike,
                     mode: Literal["full", "same", "valid"] = "full") -> np.ndarray:
    """Didactic :func:`convolve2d`: four Python loops over the definition.

    .. math::  y[i, j] = \\sum_{p=0}^{M_1-1} \\sum_{q=0}^{M_2-1} a[p, q]\\, k[i - p, j - q]

    (terms with ``k`` indices out of range are zero).

    Parameters
    ----------
    a : array_like, shape (M1, M2)
        The image.
    k : array_like, shape (N1, N2)
        The kernel.
    mode : {'full', 'same', 'valid'}, optional
        As for :func:`convolve2d`.

    Returns
    -------
    numpy.ndarray
        The same values and dtype as :func:`convolve2d`.

    Raises
    ------
    ValueError, TypeError
        As :func:`convolve2d`.

    Notes
    -----
    O(M1 M2 x outputs) Python operations: every output visits every entry of
    `a` and keeps the terms whose kernel index falls inside `k` (zero fill).

    Examples
    --------
    >>> from convbook.discrete import convolve2d_loops
    >>> convolve2d_loops([[1, 2], [3, 4]], [[1, -1]])
    array([[ 1,  1, -2],
           [ 3,  1, -4]])
    """
    a, k, kind, ((r0, nr), (c0, nc)) = _prepare_2d(a, k, mode)
    A, K = a.tolist(), k.tolist()
    (M1, M2), (N1, N2) = a.shape, k.shape
    rows = []
    for i in range(r0, r0 + nr):
        row = []
        for j in range(c0, c0 + nc):
            total = 0
            for p in range(M1):
                for q in range(M2):
                    if 0 <= i - p < N1 and 0 <= j - q < N2:
                        total += A[p][q] * K[i - p][j - q]
            row.append(total)
        rows.append(row)
    if kind == "i":
        ma = max(abs(x) for r in A for x in r)
        mk = max(abs(x) for r in K for x in r)
        bound = ma * mk * min(M1, N1) * min(M2, N2)
        return _int_result([x for r in rows for x in r], bound).reshape(nr, nc)
    if kind == "q":
        out = np.empty((nr, nc), dtype=object)
        for i, r in enumerate(rows):
            for j, x in enumerate(r):
                out[i, j] = Fraction(x)
        return out
    return np.array(rows, dtype=np.result_type(a.dtype, k.dtype)).reshape(nr, nc)
