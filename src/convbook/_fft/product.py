"""Exact FFT product of two positive Python ints: limb size, transform length, certificate, checks."""

from __future__ import annotations

import functools
import math
import threading
from typing import NamedTuple

import numpy as np

from .bounds import _SQRT2, SAFE_ERROR, convolution_certificate, gamma, pocketfft_delta
from .limbs import balanced_digits, carry_assemble


_MAX_LIMB_BITS = 26
_MAX_LENGTH = 2**27  # transform-length cap (1 GiB per float64 array): split beyond
CHECK_PRIME = 2**30 - 35  # 1073741789, prime; one CPython digit, so x % p is fast
_MASK64 = 2**64 - 1


def next_fast_length(n: int) -> int:
    """Smallest even 2^a 3^b 5^c >= n (pocketfft's fastest lengths)."""
    n = max(2, n)
    best = 1 << (n - 1).bit_length()
    f5 = 1
    while f5 < best:
        f35 = f5
        while f35 < best:
            f = f35
            while f < n:
                f *= 2
            if f % 2 == 0:
                best = min(best, f)
            f35 *= 3
        f5 *= 5
    return best


#: Extra cost per point of each factor 3 of a pocketfft length, relative to
#: the other radices: radix-3 passes are slower per point than radix-4 and 5
#: ones (measured, rfft + irfft per point: 559872 = 2^8 3^7 is 5% slower
#: than 562500 = 2^2 3^2 5^6, 4374 = 2 3^7 14% slower than 4320 = 2^5 3^3 5).
_COST_PER_FACTOR_3 = 0.015


@functools.lru_cache(maxsize=1024)
def transform_length(n: int) -> int:
    """The cheapest even 2^a 3^b 5^c >= n by the cost model L (1 + 0.015 b) (within 10% of the smallest)."""
    smallest = next_fast_length(n)
    best, best_cost = smallest, math.inf
    f5 = 1
    while f5 <= 1.1 * smallest:
        f35, e3 = f5, 0
        while f35 <= 1.1 * smallest:
            f = f35
            while f < n or f % 2:
                f *= 2
            cost = f * (1 + _COST_PER_FACTOR_3 * e3)
            if f <= 1.1 * smallest and (cost, f) < (best_cost, best):
                best, best_cost = f, cost
            f35 *= 3
            e3 += 1
        f5 *= 5
    return best


class Attempt(NamedTuple):
    limb_bits: int
    limbs_x: int
    limbs_y: int
    length: int
    bound: float


def _estimate(nx: int, ny: int, b: int, length: int, worst_case: bool) -> float:
    """Error bound for the convolution of balanced b-bit digits (``balanced_digits``).

    worst_case=True: valid for every input.  All digits but the top one have
    |u_i| <= 2^(b-1), the top one |u_(n-1)| <= 2^b, so ||u||_2 <= sqrt(n + 3)
    2^(b-1), ||u||_1 <= (n + 1) 2^(b-1), and ||P||_2 / sqrt(L) <= (||u||_1 +
    delta sqrt(L) ||u||_2)(1 + delta)(1 + sqrt(2) gamma_2) ||v||_2.

    worst_case=False: a prediction for ordinary inputs, whose digits
    look uniformly distributed (rms 2^(b-1) / sqrt(3)) and whose spectrum
    product has ||P||_2 / sqrt(L) ~ ||u|| ||v|| (measured: 0.98 to 1.06 for
    random factors), with a factor 1.5 of slack.  It only chooses the limb
    size: the product is accepted on the strength of the certificate
    computed from the actual data.
    """
    half = 2.0 ** (b - 1)
    delta = pocketfft_delta(length)
    if worst_case:
        n2x, n2y = math.sqrt(nx + 3) * half, math.sqrt(ny + 3) * half
        n1 = min((nx + 1) * half * n2y, (ny + 1) * half * n2x)
        norm_p = (n1 + delta * math.sqrt(length) * n2x * n2y) * (1 + delta) * (1 + _SQRT2 * gamma(2))
    else:
        n2x, n2y = math.sqrt(nx / 3) * half, math.sqrt(ny / 3) * half
        norm_p = 1.5 * n2x * n2y
    return convolution_certificate(n2x, n2y, norm_p * math.sqrt(length), length, delta)


@functools.lru_cache(maxsize=256)
def choose(bits_x: int, bits_y: int, worst_case: bool) -> Attempt | None:
    """Largest limb size whose error bound (or prediction) is <= SAFE_ERROR / 2, or None."""
    for b in range(_MAX_LIMB_BITS, 0, -1):
        nx, ny = -(-bits_x // b), -(-bits_y // b)
        length = transform_length(nx + ny - 1)
        if length > _MAX_LENGTH:
            return None
        bound = _estimate(nx, ny, b, length, worst_case)
        if bound <= SAFE_ERROR / 2:
            if not worst_case and (16 < b < 20 or (b % 2 and b > 1)):
                # Even limbs are cheaper to cut and reassemble (g = 8 / gcd(b, 8)
                # limbs per group of bytes: 8 for odd b, 2 or 1 for even b),
                # and 16-bit ones most of all, which matters more than the
                # slightly longer transform (measured: 10^3 to 3 * 10^4 digits).
                return choose_limb_bits(bits_x, bits_y, 16 if b > 16 else b - 1, worst_case)
            return Attempt(b, nx, ny, length, bound)
    return None


def choose_limb_bits(bits_x: int, bits_y: int, b: int, worst_case: bool) -> Attempt:
    """The plan for a given limb size b."""
    nx, ny = -(-bits_x // b), -(-bits_y // b)
    length = transform_length(nx + ny - 1)
    return Attempt(b, nx, ny, length, _estimate(nx, ny, b, length, worst_case))


def _sum_squares(v: np.ndarray) -> float:
    """sum v_i^2 of a float64 vector in one pass, without temporaries or BLAS.

    Plain (not pairwise) accumulation: relative error <= n u (< 2e-8 for
    n <= 2^27 + 2), which the (1 + 1e-6) inflation of
    ``convolution_certificate`` covers.
    """
    return float(np.einsum("i,i->", v, v))


#: Transform lengths up to this keep their two spectrum arrays between calls,
#: per thread (at most 2 x 8.4 MB): a fresh large array costs a page fault
#: per 4 KiB on first touch, measured 10% of a 10^6-digit product.
_SCRATCH_MAX = 2**20
_scratch = threading.local()


#: Transform lengths from this on raise glibc's malloc thresholds first (once
#: per process, see ``_raise_malloc_thresholds``).
_WARM_MIN = 2**15


@functools.cache  # once per process
def _raise_malloc_thresholds() -> None:
    """Allocate and free one 24 MiB block, once: glibc then keeps freed memory up to 48 MiB.

    pocketfft allocates its work arrays (16 bytes a point per transform,
    twice that for irfft) inside each call.  With glibc's initial thresholds
    they come from fresh pages every time -- mmap'd, or at the top of the
    heap, which free() trims back as soon as 2 x the mmap threshold is free
    -- at one page fault per 4 KiB: 6500 faults, 6 ms (18%), per 10^6-digit
    product, measured.  Freeing an mmap'd block raises glibc's mmap threshold
    to its size and the trim threshold to twice that (glibc's own adaptive
    rule, which any program freeing a large array triggers anyway), after
    which these arrays reuse heap pages already mapped.  np.empty touches no
    page, so this costs microseconds; elsewhere than glibc it does nothing.
    """
    block = np.empty(3 << 20)  # 24 MiB, below glibc's 32 MiB cap for the rule
    del block


def _spectrum_buffers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two complex128 arrays of length n // 2 + 1 (reused by this thread when n <= _SCRATCH_MAX)."""
    if n >= _WARM_MIN:
        _raise_malloc_thresholds()
    buffers = getattr(_scratch, "spectra", None)
    if buffers is None or buffers[0].shape[0] != n // 2 + 1:
        buffers = (np.empty(n // 2 + 1, dtype=np.complex128), np.empty(n // 2 + 1, dtype=np.complex128))
        if n <= _SCRATCH_MAX:
            _scratch.spectra = buffers
    return buffers


def attempt_product(x: int, y: int, plan: Attempt) -> int | None:
    """x * y for positive ints via one real FFT convolution of balanced digits.

    x and y are written with signed digits, x = sum_i d_i 2^(b i) with
    |d_i| <= 2^(b-1) (the top digit up to 2^b; see ``balanced_digits``),
    which removes the huge zero-frequency term that non-negative limbs would
    give and keeps the norms, hence the error bound, small.  The
    convolution of the digits of x and y is then exactly the (signed)
    coefficient vector of x y in base 2^b: nothing to correct.  Returns None
    when the run-time certificate or the distance-to-integer check fails.
    """
    b, nx, ny, n = plan.limb_bits, plan.limbs_x, plan.limbs_y, plan.length
    spec, other = _spectrum_buffers(n)
    u = balanced_digits(x, b, nx)
    norm_u = math.sqrt(_sum_squares(u))
    np.fft.rfft(u, n, out=spec)
    if x == y:  # squaring: one forward transform fewer
        norm_v = norm_u
        spec *= spec
    else:
        v = balanced_digits(y, b, ny)
        norm_v = math.sqrt(_sum_squares(v))
        np.fft.rfft(v, n, out=other)
        spec *= other
    work = other.view(np.float64)[:n]  # memory reused: see _SCRATCH_MAX
    # 2-norm of the whole (Hermitian) spectrum from its non-negative half.
    total = _sum_squares(spec.view(np.float64))
    edge = abs(complex(spec[0])) ** 2 + abs(complex(spec[-1])) ** 2
    norm_p = math.sqrt(max(0.0, 2 * total - edge))
    cert = convolution_certificate(norm_u, norm_v, norm_p, n, pocketfft_delta(n))
    if cert > SAFE_ERROR:
        return None
    k = nx + ny - 1
    z = np.fft.irfft(spec, n, out=work)[:k]
    coef = spec.view(np.float64)[:k]  # the spectrum's memory, no longer needed
    np.rint(z, out=coef)  # exact integers (|z| < 2^53), kept in float64 for carry_assemble
    z -= coef
    np.abs(z, out=z)
    if float(z.max()) > SAFE_ERROR:
        return None
    # |coefficient k| <= ||u|| ||v|| (Cauchy--Schwarz on its window).
    bound_bits = (int(norm_u * norm_v * (1 + 1e-6)) + 2).bit_length()
    return carry_assemble(coef, b, bound_bits, scratch=work.view(np.int64))


def verify(x: int, y: int, z: int) -> bool:
    """Cheap check that z == x * y: modulo the prime 2^30 - 35 and modulo 2^64."""
    p = CHECK_PRIME
    if (x % p) * (y % p) % p != z % p:
        return False
    return ((x & _MASK64) * (y & _MASK64)) & _MASK64 == z & _MASK64


def fft_product(x: int, y: int, max_length: int = _MAX_LENGTH) -> int:
    """Exact x * y for positive ints (never inexact: certified, verified, or Python's own).

    1. the optimistic plan (largest limbs for ordinary inputs), certified at
       run time;
    2. if its certificate fails (degenerate inputs, whose balanced digits
       all sit at -2^(b-1)), the worst-case plan, valid for every input;
    3. if even that does not exist (or the transform would be longer than
       ``max_length``), split the larger operand in two and recurse;
    4. the result is verified modulo a prime and 2^64; on failure the product
       is recomputed with Python's ``x * y``.
    """
    bx, by = x.bit_length(), y.bit_length()
    result = None
    tried = set()
    for worst_case in (False, True):
        plan = choose(bx, by, worst_case)
        if plan is None or plan.length > max_length or plan.limb_bits in tried:
            continue
        tried.add(plan.limb_bits)
        result = attempt_product(x, y, plan)
        if result is not None:
            break
    if result is None:
        safe = choose(bx, by, True)
        if safe is None or safe.length > max_length:
            # Too long for float64 transforms: x = hi 2^h + lo, two products.
            if bx < by:
                x, y, bx = y, x, by
            if bx <= 64:
                return x * y
            h = bx // 2
            hi, lo = x >> h, x & ((1 << h) - 1)
            result = (fft_product(hi, y, max_length) << h) + (
                fft_product(lo, y, max_length) if lo else 0
            )
    if result is None or not verify(x, y, result):
        return x * y
    return result
