"""Private engine of :mod:`convbook.fourier`: fast FFT paths, error bounds, limb packing.

Nothing here validates its arguments: the public functions of
:mod:`convbook.fourier` do that first and then call these helpers with clean
``complex128`` arrays or positive Python ints.

Contents
--------
- the FFT lengths that numpy's pocketfft does fast (2^i 3^j 5^k), for
  :mod:`convbook.discrete` and its overlap-add blocks too;
- twiddle factors computed from exact integer angles, cached per length;
- a Stockham (self-sorting) Cooley--Tukey FFT for every length whose prime
  factors are all below 256 (SMALL_PRIMES), powers of two included: mixed
  radix (passes of radix 16 and 8 for powers of two, up to 27 or a prime
  factor otherwise), each pass one batch of small DFT-matrix products
  (real-arithmetic ones on float64 views from n = 32 on, radices <= 64);
- Bluestein's chirp-z FFT for every other length, built on the former with
  a 7-smooth convolution length;
- rigorous rounding-error certificates for FFT convolutions of integers;
- vectorised conversion between Python ints and b-bit limbs, and the exact
  FFT product of two positive Python ints.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import NamedTuple

import numpy as np


@functools.lru_cache(maxsize=1024)
def next_fast_len(n: int) -> int:
    """Smallest 2**i * 3**j * 5**k >= n (lengths that numpy's pocketfft does fast)."""
    if n <= 6:
        return max(n, 1)
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            quotient = -(-n // p35)  # ceil(n / p35)
            p2 = 1 << (quotient - 1).bit_length()
            best = min(best, p2 * p35)
            p35 *= 3
        p5 *= 5
    return best


# Unit roundoff of IEEE binary64 (Higham's u): fl(a op b) = (a op b)(1 + d), |d| <= U.
U = 2.0**-53
# Bound on the error |w_computed - w| of every twiddle factor we compute:
# the angle is reduced exactly to [0, pi/4] and then rounded three times
# (<= 1.2 U), and numpy's cos and sin are accurate to a few ulps (<= 4 ulp
# assumed, i.e. 8 U each, sqrt(2) 8 U together): about 12.5 U, rounded up.
MU_OWN = 16 * U
# The same bound assumed for numpy's pocketfft (it computes its twiddles more
# accurately than we do).
MU_POCKET = 8 * U
# Certificates below this value guarantee correct rounding to integers (the
# mathematical requirement is < 1/2; the factor 2 is a margin).
SAFE_ERROR = 0.25
_SQRT2 = math.sqrt(2.0)


def gamma(k: int) -> float:
    """Higham's gamma_k = k u / (1 - k u)."""
    return k * U / (1 - k * U)


# --------------------------------------------------------------------------
# Twiddle factors and DFT matrices
# --------------------------------------------------------------------------


def unit_roots(t, n: int) -> np.ndarray:
    """exp(-2 pi i t / n) for an integer array ``t``, accurate to ~MU_OWN.

    The angle is reduced exactly, in integer arithmetic, to the first octant
    [0, pi/4] by the symmetries of cos and sin (working with 8t and 8n so
    that n/2, n/4 and n/8 are integers) before anything is rounded: the error
    does not grow with ``t`` or ``n``, and multiples of a quarter turn come
    out exactly as 1, -i, -1, i.
    """
    big_n = 8 * n
    tt = np.mod(np.asarray(t, dtype=np.int64), n) * 8
    conj = tt > big_n // 2
    tt = np.where(conj, big_n - tt, tt)
    neg_cos = tt > big_n // 4
    tt = np.where(neg_cos, big_n // 2 - tt, tt)
    swap = tt > big_n // 8
    tt = np.where(swap, big_n // 4 - tt, tt)
    angle = (2.0 * np.pi) * (tt / big_n)
    c, s = np.cos(angle), np.sin(angle)
    c, s = np.where(swap, s, c), np.where(swap, c, s)
    c = np.where(neg_cos, -c, c)
    s = np.where(conj, -s, s)
    return c - 1j * s


@functools.lru_cache(maxsize=64)
def dft_matrix_cached(n: int) -> np.ndarray:
    """The n x n DFT matrix W[j, k] = exp(-2 pi i jk / n) (read-only, cached)."""
    k = np.arange(n, dtype=np.int64)
    w = unit_roots(np.outer(k, k) % n, n)
    w.flags.writeable = False
    return w


# --------------------------------------------------------------------------
# Smooth lengths: Stockham Cooley--Tukey, mixed radix, matrix-product passes
# --------------------------------------------------------------------------


def _primes_below(limit: int) -> tuple[int, ...]:
    return tuple(p for p in range(2, limit) if all(p % d for d in range(2, math.isqrt(p) + 1)))


#: The primes that mixed-radix passes handle (all primes below 256): a length
#: with a larger prime factor is transformed with Bluestein's algorithm.  A
#: pass of prime radix p costs p multiply-adds per point, which up to about
#: 300 is still cheaper than Bluestein's two transforms of length >= 2n - 1
#: (measured, time of the calling thread relative to numpy's: 17 * 4096
#: points, 1.8 against 11 with Bluestein; 97 * 1024, 2.1 against 6.6;
#: 131 * 512, 2.3 against 5.2; 257 * 256, 1.3 against 1.6; but 383 * 256,
#: 1.8 against 1.4 and 509 * 128, 2.5 against 1.4).
SMALL_PRIMES = _primes_below(256)
#: Largest composite radix of one pass.
_MAX_RADIX = 27


def is_pow2(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def small_prime_exponents(n: int) -> tuple[tuple[int, int], ...] | None:
    """((p, e), ...) with n = prod p^e over SMALL_PRIMES, or None if n has another prime factor."""
    out = []
    for p in SMALL_PRIMES:
        e = 0
        while n % p == 0:
            n //= p
            e += 1
        if e:
            out.append((p, e))
    return tuple(out) if n == 1 else None


def _pass_cost(r: int) -> int:
    """Model of the time per point of one pass of radix r, in units of 1/25 of a memory pass.

    A pass reads and writes every point twice (the twiddle product with its
    transposition, then the DFT-matrix product), which costs about the same
    whatever r; the matrix product adds r complex multiply-adds per point,
    each about 1/25 of that fixed cost (process-time minima of single passes
    and of whole transforms, r = 2 ... 32, on this project's machine).
    Integer units, so that equal costs compare equal.
    """
    return 25 + r


@functools.lru_cache(maxsize=256)
def mixed_radices(n: int) -> tuple[int, ...]:
    """Radices (largest first) of the passes for a SMALL_PRIMES-smooth n > 1.

    Dynamic programming over the divisors d of n: the cheapest factorisation
    of d into radices, each a prime factor of n or a divisor <= _MAX_RADIX,
    under ``_pass_cost`` (fewer passes breaking ties).  Powers of two get
    radices 16 and 8 (2^20 -> (16, 16, 16, 16, 16)); 3^9 -> (27, 9, 9, 9),
    5^6 -> (25, 25, 25), 10^5 -> (25, 20, 20, 10), 17 * 4096 ->
    (17, 16, 16, 16).  Larger radices first measured slightly faster.
    """
    exponents = small_prime_exponents(n)
    divisors = [1]
    for p, e in exponents:
        divisors = [d * p**k for d in divisors for k in range(e + 1)]
    divisors.sort()
    primes = {p for p, _ in exponents}
    candidates = [r for r in divisors if 1 < r <= _MAX_RADIX or r in primes]
    best: dict[int, tuple[int, int, tuple[int, ...]]] = {1: (0, 0, ())}
    for d in divisors[1:]:
        options = []
        for r in candidates:
            if r > d:
                break
            if d % r == 0:
                cost, passes, rads = best[d // r]
                options.append((cost + _pass_cost(r), passes + 1, rads + (r,)))
        best[d] = min(options)
    return tuple(sorted(best[n][2], reverse=True))


def stockham_radices(n: int) -> tuple[int, ...]:
    """The radices of ``fft_stockham``'s passes over a SMALL_PRIMES-smooth n (() for n = 1)."""
    return () if n == 1 else mixed_radices(n)


class _Stage(NamedTuple):
    radix: int
    matrix: np.ndarray  # radix x radix DFT matrix
    twiddle: np.ndarray | None  # shape (radix, 1, previous radix, m / previous radix)


@functools.lru_cache(maxsize=32)
def stockham_plan(n: int) -> tuple[_Stage, ...]:
    """Radices, DFT matrices and twiddle factors for ``fft_stockham`` (cached per n)."""
    rads = stockham_radices(n)
    stages = []
    m = 1  # length of the sub-transforms already done
    for i, r in enumerate(rads):
        tw = None
        if i > 0:
            rp = rads[i - 1]
            j = np.arange(r, dtype=np.int64)[:, None]
            k = np.arange(m, dtype=np.int64)[None, :]
            tw = unit_roots(j * k, r * m).reshape(r, 1, rp, m // rp)
            tw.flags.writeable = False
        stages.append(_Stage(r, dft_matrix_cached(r), tw))
        m *= r
    return tuple(stages)


# A single large complex GEMM wakes OpenBLAS's worker threads, which on a
# loaded, shared machine stall for milliseconds (measured: medians 50 to 300
# times the best time).  The stage products are therefore done as a batch of
# small products of about _GEMM_BLOCK multiply-adds each, which OpenBLAS runs
# on the calling thread; numpy loops over the batch in C.  OpenBLAS threads a
# complex GEMM only above 8192 * 4 = 32768 multiply-adds (SMP_THRESHOLD_MIN *
# GEMM_MULTITHREAD_THRESHOLD in its interface/gemm.c; checked here with
# process time against thread time): no product exceeds _GEMM_MAX.  A
# one-column product would be a GEMV, which OpenBLAS threads from about 4096
# multiply-adds on: products have two columns at least.
_GEMM_BLOCK = 16384
_GEMM_MAX = 32768


def _column_blocks(w: np.ndarray, t: np.ndarray, block: int) -> np.ndarray:
    """w @ t for w (rows, r) and t (r, cols) as one batch of products of ``block`` columns.

    When ``cols`` is not a multiple of the block (mixed radix), the
    remaining columns are one more, narrower product -- of two columns at
    least (one is then computed twice).
    """
    r, cols = t.shape
    if cols == 1:
        if w.size < 2048:
            return w @ t
        return (w @ np.repeat(t, 2, axis=1))[:, :1].copy()  # two equal columns: not a GEMV
    if cols <= block:
        return w @ t
    nb, rest = divmod(cols, block)
    main = nb * block
    rows = w.shape[0]
    out = np.empty((rows, cols), dtype=np.complex128)
    # body[b] = t[:, b * block:(b + 1) * block]: views, no copies (splitting
    # the unit-stride axis of a slice needs none).
    body = t[:, :main].reshape(r, nb, block).transpose(1, 0, 2)
    np.matmul(w, body, out=out[:, :main].reshape(rows, nb, block).transpose(1, 0, 2))
    if rest:
        start = main - 1 if rest == 1 else main
        np.matmul(w, t[:, start:], out=out[:, start:])
    return out


def small_dft(w: np.ndarray, t: np.ndarray) -> np.ndarray:
    """w @ t for an r x r DFT matrix w and an (r, cols) array t, in products OpenBLAS keeps on this thread.

    Blocks of ``max(2, _GEMM_BLOCK // r^2)`` columns (r <= 127, the largest
    radix with two columns within _GEMM_MAX); for a larger prime radix,
    blocks of rows of w too, of two columns each.
    """
    r = t.shape[0]
    if 2 * r * r <= _GEMM_MAX:
        return _column_blocks(w, t, max(2, _GEMM_BLOCK // (r * r)))
    rows = _GEMM_MAX // (2 * r)
    return np.concatenate([_column_blocks(w[i:i + rows], t, 2) for i in range(0, r, rows)])


# Real-arithmetic passes.  OpenBLAS's dgemm on float64 views runs the same
# products 2 to 2.5 times faster than zgemm (measured, r = 8 ... 32): a row
# of r complex numbers seen as 2r reals, times the 2r x 2r real matrix of the
# complex map, is the r-point DFT of that row.  So these passes apply the
# DFT along the last (contiguous) axis, rows in blocks of at most _GEMM_MAX
# real multiply-adds (no worker threads, as above).  Radices above
# _REAL_MAX_RADIX (a block would hold fewer than two rows) and one-pass
# lengths use the complex passes above (and lengths below _REAL_MIN_LENGTH;
# measured, with the calls prepared once by _real_program: 0.93 of the
# complex passes' time at n = 32 to 100, 0.7 at 512 to 1024, 0.6 at 2048).
_REAL_MAX_RADIX = 64
_REAL_MIN_LENGTH = 32


def _real_matrix(w: np.ndarray) -> np.ndarray:
    """The real (2r, 2r) matrix M with t.view(float) @ M == (w @ t).view(float) for a complex r-vector t."""
    r = w.shape[-1]
    wt = np.swapaxes(w, -1, -2)
    m = np.empty(w.shape[:-2] + (2 * r, 2 * r))
    m[..., 0::2, 0::2] = wt.real
    m[..., 0::2, 1::2] = wt.imag
    m[..., 1::2, 0::2] = -wt.imag
    m[..., 1::2, 1::2] = wt.real
    m.flags.writeable = False
    return m


class _RealPass(NamedTuple):
    radix: int
    matrix: np.ndarray  # (2r, 2r), or (r_prev, 2r, 2r) with the twiddles folded in (second pass)
    twiddle: np.ndarray | None  # (m, r) in the row order of the pass, None if folded or first


@functools.lru_cache(maxsize=32)
def real_plan(n: int) -> tuple[_RealPass, ...]:
    """Matrices and twiddles of ``_fft_real_passes`` (cached per n).

    Pass i > 0 multiplies by w_{m_i}^{j F} (m_i = r_0 ... r_i, j the input
    digit, F < m_{i-1} the frequency so far), F seen in the row order
    (F' natural, k) with F = F' + m_{i-2} k.  Passes go in pairs (0, 1),
    (2, 3), ...: in the second pass of a pair, F = F'' + m_{i-2} k with F''
    the frequency before the pair, and w_{m_i}^{j F''} is applied by the
    first pass of the pair, with its own twiddles (one table, indexed by both
    input digits), while w_{r_{i-1} r_i}^{j k} goes into one matrix per
    value of k: that pass multiplies by nothing.
    """
    rads = stockham_radices(n)
    passes = [_RealPass(rads[0], _real_matrix(dft_matrix_cached(rads[0])), None)]
    m, mprev = rads[0], 1
    for i, r in enumerate(rads[1:], 1):
        rp = rads[i - 1]
        j = np.arange(r, dtype=np.int64)
        if _real_folded(i, len(rads)):
            # W'[k][s, j] = W_r[s, j] w_{r rp}^{j k} = exp(-2 pi i j (s rp + k) / (r rp))
            k = np.arange(rp, dtype=np.int64)[:, None, None]
            s = np.arange(r, dtype=np.int64)[None, :, None]
            passes.append(_RealPass(r, _real_matrix(unit_roots(j * (s * rp + k), r * rp)), None))
        else:
            f = (np.arange(mprev, dtype=np.int64)[:, None] + mprev * np.arange(rp, dtype=np.int64)).reshape(-1)
            if _real_folded(i + 1, len(rads)):
                # w_{m_i}^{j F} w_{m_{i+1}}^{j' F} = w_{m_{i+1}}^{(j r' + j') F}, j' the next pass's digit
                rn = rads[i + 1]
                jn = np.arange(rn, dtype=np.int64)[:, None, None]
                tw = unit_roots(f[:, None] * (j * rn + jn), r * m * rn)[:, None]
            else:
                tw = unit_roots(f[:, None] * j, r * m)[None, None]
            tw.flags.writeable = False
            passes.append(_RealPass(r, _real_matrix(dft_matrix_cached(r)), tw))
        mprev, m = m, m * r
    return tuple(passes)


def _real_folded(i: int, passes: int) -> bool:
    """Whether pass i of ``_fft_real_passes`` has its twiddles in its matrices."""
    # pass 1 only with a third pass: else one row per matrix (GEMVs)
    return i < passes and i % 2 == 1 and (i > 1 or passes > 2)


def _uses_real_passes(n: int) -> bool:
    """Whether ``fft_stockham`` transforms length n with ``_fft_real_passes``."""
    rads = stockham_radices(n)
    return n >= _REAL_MIN_LENGTH and len(rads) >= 2 and max(rads) <= _REAL_MAX_RADIX


def _split_rows(a: np.ndarray, nb: int, block: int) -> np.ndarray:
    """View of a (..., nb * block, c) as (..., nb, block, c) -- a view whatever a's strides."""
    *lead, _, c = a.shape
    v = a.reshape(*lead, nb, block, c)  # splitting one axis: numpy makes a view (as_strided is slower)
    if not np.may_share_memory(v, a):
        *lead_s, s, cs = a.strides
        v = np.lib.stride_tricks.as_strided(a, (*lead, nb, block, c), (*lead_s, block * s, s, cs))
    return v


def _row_product_calls(src: np.ndarray, mat: np.ndarray, dst: np.ndarray) -> list:
    """The numpy calls, to be made later, of dst = src @ mat in products of <= _GEMM_MAX multiply-adds.

    Real arrays, rows along axis -2, any strides; ``mat`` is (2r, 2r) or a
    stack broadcasting against src's leading axes.  A remainder of one row
    is done as two (one of them twice): no GEMV.
    """
    rows, c = src.shape[-2:]
    block = max(2, _GEMM_MAX // (c * c))
    if rows <= block:
        return [functools.partial(np.matmul, src, mat, out=dst)]
    nb, rest = divmod(rows, block)
    main = nb * block
    stack = mat if mat.ndim == 2 else mat[..., None, :, :]
    calls = [functools.partial(np.matmul, _split_rows(src[..., :main, :], nb, block), stack,
                               out=_split_rows(dst[..., :main, :], nb, block))]
    if rest:
        start = main - 1 if rest == 1 else main
        calls.append(functools.partial(np.matmul, src[..., start:, :], mat, out=dst[..., start:, :]))
    return calls


_workspace = threading.local()
#: Per thread, the programs of up to _WORKSPACE_COUNT lengths stay between
#: calls, lengths summing to at most _WORKSPACE_MAX (two buffers of 16
#: bytes a point each: 64 MB at most).
_WORKSPACE_MAX = 1 << 21
_WORKSPACE_COUNT = 4


class _RealProgram(NamedTuple):
    a: np.ndarray  # work buffers, n complex each
    b: np.ndarray
    steps: list  # the numpy calls from the first pass's product to the last pass's
    chunks: list  # (columns, view of b) of the final transposition


def _real_program(n: int) -> _RealProgram:
    """Buffers and prepared numpy calls of ``_fft_real_passes`` (kept per thread for recent lengths).

    Preparing the views once saves the reshapes and transposes of every call
    (a third of the time at n = 4096).
    """
    kept = getattr(_workspace, "programs", None)
    if kept is None:
        kept = _workspace.programs = {}
    prog = kept.pop(n, None)
    if prog is not None:
        kept[n] = prog  # most recent last
        return prog
    passes = real_plan(n)
    a = np.empty(n, dtype=np.complex128)
    b = np.empty(n, dtype=np.complex128)
    r = passes[0].radix
    steps = _row_product_calls(a.view(np.float64).reshape(n // r, 2 * r), passes[0].matrix,
                               b.view(np.float64).reshape(n // r, 2 * r))
    m, mprev, rp = r, 1, r
    for p in passes[1:]:
        r = p.radix
        q = n // (m * r)
        src = b.reshape(r, q * m).T.reshape(q, m, r)
        if p.twiddle is None:
            steps.append(functools.partial(np.copyto, a.reshape(q, m, r), src))
            # one product per value of the previous digit (rows at stride rp),
            # blocks of c outermost, _GEMM_BLOCK multiply-adds: each block's
            # products share one small region of memory (about 2 times
            # faster at 2^20 than sweeping all of c once per digit)
            block = max(2, _GEMM_BLOCK // (4 * r * r))
            if mprev > 1:  # rows F', written back behind the previous digit
                av = a.view(np.float64).reshape(q, mprev, rp, 2 * r).transpose(0, 2, 1, 3)
                steps += _row_product_calls(av, p.matrix, b.view(np.float64).reshape(q, rp, mprev, 2 * r))
            elif q > block and q % block == 0:
                shape = (q // block, block, rp, 2 * r)
                av = a.view(np.float64).reshape(shape).transpose(0, 2, 1, 3)
                bv = b.view(np.float64).reshape(shape).transpose(0, 2, 1, 3)
                steps.append(functools.partial(np.matmul, av, p.matrix, out=bv))
            else:
                av = a.view(np.float64).reshape(q, rp, 2 * r).transpose(1, 0, 2)
                bv = b.view(np.float64).reshape(q, rp, 2 * r).transpose(1, 0, 2)
                steps += _row_product_calls(av, p.matrix, bv)
        else:
            g = p.twiddle.shape[0]  # the next pass's digit too, when it is folded
            steps.append(functools.partial(np.multiply, src.reshape(g, q // g, m, r), p.twiddle,
                                           out=a.reshape(g, q // g, m, r)))
            av = a.view(np.float64).reshape(q, mprev, rp, 2 * r)
            bv = b.view(np.float64).reshape(q, rp, mprev, 2 * r).transpose(0, 2, 1, 3)
            # rows of the products: the previous digit (contiguous reads,
            # measured faster than writing contiguously), unless that makes
            # them too small
            if rp < 8 and mprev > rp:
                av, bv = av.transpose(0, 2, 1, 3), bv.transpose(0, 2, 1, 3)
            steps += _row_product_calls(av, p.matrix, bv)
        mprev, m, rp = m, m * r, r
    # X[k, F'] = Z[F', k]; in column chunks: one numpy call over the whole
    # array reads Z with stride r in its inner loop and is 3 times slower at 2^20.
    z = b.reshape(mprev, r)
    chunks = [(slice(c, c + 1024), z[c:c + 1024].T) for c in range(0, mprev, 1024)]
    prog = _RealProgram(a, b, steps, chunks)
    if n <= _WORKSPACE_MAX:
        kept[n] = prog
        while len(kept) > _WORKSPACE_COUNT or sum(kept) > _WORKSPACE_MAX:
            del kept[next(iter(kept))]  # the least recently used
    return prog


def _fft_real_passes(x: np.ndarray) -> np.ndarray:
    """``fft_stockham`` with real-arithmetic passes along the contiguous axis (K >= 2 radices <= 64).

    State after pass i: ``Z[c, F', k]`` -- for every residue ``c`` of the
    input index modulo q (sub-sequences still to merge), the DFT of
    ``x[c::q]`` at frequency F' + m_{i-1} k; F' natural for i >= 1.  Before
    each pass, one numpy call moves the next input digit j (the leading digit
    of c) to the last axis, multiplying by the twiddles (a plain copy before
    the first pass and before passes with folded twiddles, see
    ``real_plan``); the pass then writes its rows back with the
    previous output digit moved in front of F', which keeps F' natural.  At
    the end Z[F', k] is transposed to X[k, F'].  The calls are prepared by
    ``_real_program``.
    """
    n = x.shape[0]
    prog = _real_program(n)
    r = real_plan(n)[0].radix
    np.copyto(prog.a.reshape(n // r, r), x.reshape(r, n // r).T)
    for step in prog.steps:
        step()
    out = np.empty(n, dtype=np.complex128)
    o = out.reshape(prog.chunks[0][1].shape[0], -1)
    for cols, zt in prog.chunks:
        np.copyto(o[:, cols], zt)
    return out


def fft_stockham(x: np.ndarray) -> np.ndarray:
    """Forward FFT of a contiguous complex128 vector whose length is SMALL_PRIMES-smooth.

    n = r_1 r_2 ... r_K (the radices of ``stockham_radices``).  State after
    each pass: ``Y[s, c, k]`` holds, for every residue ``c`` of the input
    index modulo ``q`` (the number of interleaved sub-sequences still to
    merge), the length-``m`` DFT of the sub-sequence ``x[c::q]`` at
    frequency ``s * m_prev + k``.  One pass of radix ``r`` merges ``r``
    interleaved sub-sequences (decimation in time):

        X[k + m s'] = sum_j W_r[s', j] w_{rm}^{jk} Y_j[k],  0 <= k < m,

    i.e. multiply by the twiddles (the transposition to the new layout
    happens in the same numpy call) and apply the ``r``-point DFT to all of
    them with one (batched) matrix product.  Nothing in a pass depends on r
    being a power of two.
    """
    n = x.shape[0]
    if n == 1:
        return x.copy()
    if _uses_real_passes(n):
        return _fft_real_passes(x)
    stages = stockham_plan(n)
    first = stages[0]
    y = small_dft(first.matrix, x.reshape(first.radix, -1)).reshape(first.radix, -1, 1)
    for stage in stages[1:]:
        r = stage.radix
        rp, q, mp = y.shape
        q2 = q // r
        t = np.empty((r, q2, rp, mp), dtype=np.complex128)
        np.multiply(y.transpose(1, 0, 2).reshape(r, q2, rp, mp), stage.twiddle, out=t)
        y = small_dft(stage.matrix, t.reshape(r, -1)).reshape(r, q2, rp * mp)
    return y.reshape(n)


# The exact integer convolutions transform power-of-two lengths only.
fft_pow2 = fft_stockham


def ifft_pow2(x: np.ndarray) -> np.ndarray:
    """Inverse of ``fft_pow2``: conj(fft(conj(X))) / n (exact scaling, n = 2^p)."""
    n = x.shape[0]
    out = fft_pow2(np.conj(x))
    np.conjugate(out, out=out)
    out /= n
    return out


def stockham_delta(n: int) -> float:
    """Bound on the relative 2-norm error of ``fft_stockham`` for a smooth length n.

    Per stage of radix r: a twiddle multiplication (|error| <= mu + sqrt(2)
    gamma_2 (1 + mu) relative, Higham Lemma 3.5) and r-point DFTs done as
    complex inner products of length r (|error| <= sqrt(2) gamma_{r+2} |w|.|t|
    + mu ||t||_1 per output, Higham Sec. 3.6), which gives a relative 2-norm
    error of sqrt(r) (sqrt(2) gamma_{r+2} (1 + mu) + mu) since the r-point DFT
    scales 2-norms by sqrt(r).  Stage errors compose multiplicatively because
    every stage is sqrt(r) times a unitary map.

    The real-arithmetic passes (``_fft_real_passes``) compute each real and
    imaginary part of an output as a real inner product of length 2r, in
    whatever order BLAS sums: |error| <= gamma_{2r} sum |terms| per part,
    hence sqrt(2) gamma_{2r} |w|.|t| per output (gamma_{2r} instead of
    gamma_{r+2}).  Their passes 1, 3, 5, ... (``_real_folded``) have their
    twiddles in their matrices (entries computed to within mu, like the DFT
    matrices): no twiddle multiplication there; the passes before them
    multiply by one twiddle table for both (each entry one unit root, to
    within mu).  Copies and transpositions are exact.
    """
    if n == 1:
        return 0.0
    mu = MU_OWN
    rads = stockham_radices(n)
    real = _uses_real_passes(n)
    total = 1.0
    for i, r in enumerate(rads):
        g = gamma(2 * r) if real else gamma(r + 2)
        stage = math.sqrt(r) * (_SQRT2 * g * (1 + mu) + mu)
        folded = real and _real_folded(i, len(rads))
        if i > 0 and not folded:
            stage = (1 + stage) * (1 + mu + _SQRT2 * gamma(2) * (1 + mu)) - 1
        total *= 1 + stage
    return total - 1


def pocketfft_delta(n: int) -> float:
    """Assumed bound on the relative 2-norm error of numpy's rfft/irfft, length n.

    Higham's Theorem 24.2 for the radix-2 Cooley--Tukey FFT of length 2^t:
    ||fl(Fx) - Fx||_2 <= t eta / (1 - t eta) ||Fx||_2 with
    eta = mu + gamma_4 (sqrt(2) + mu).  pocketfft uses other (mixed) radices
    and real-data transforms, so this is an assumption, made with a safety
    factor: twice as many levels as ceil(log2 n) (+1 for the real/complex
    post-processing).
    """
    t = 2 * (max(1, math.ceil(math.log2(n))) + 1)
    eta = MU_POCKET + gamma(4) * (_SQRT2 + MU_POCKET)
    return t * eta / (1 - t * eta)


def convolution_certificate(norm_a: float, norm_v: float, norm_p: float, n: int, delta: float) -> float:
    """Rigorous bound on max |z_computed - z| for z = ifft(fft(a) * fft(v)).

    ``norm_a``, ``norm_v`` are the 2-norms of the real inputs, ``norm_p`` the
    2-norm of the computed pointwise product (the whole spectrum, i.e. the
    actual input of the inverse transform), ``n`` the transform length and
    ``delta`` the relative 2-norm error bound of one transform.

    With F the unnormalised DFT (||F w|| = sqrt(n) ||w||) and the exact 1/n
    scaling of a power-of-two length:

    - errors of the forward transforms and of the product, mapped through the
      exact inverse: ||F^-1 (P' - P)||_inf <= ||P' - P||_1 / n
      <= ||a|| ||v|| ((1 + delta)^2 (1 + sqrt(2) gamma_2) - 1)  (Cauchy--Schwarz);
    - the error of the inverse transform itself:
      ||fl(F^-1 P') - F^-1 P'||_inf <= ||.||_2 <= delta ||P'||_2 / sqrt(n).

    The result is inflated slightly to cover the rounding of the three norms
    and of a scaling by 1/n when n is not a power of two.
    """
    term_inputs = norm_a * norm_v * ((1 + delta) ** 2 * (1 + _SQRT2 * gamma(2)) - 1)
    term_inverse = delta * norm_p / math.sqrt(n)
    return (term_inputs + term_inverse + 2 * U * norm_a * norm_v) * (1 + 1e-6)



# --------------------------------------------------------------------------
# Any other length: Bluestein's chirp-z algorithm on top of fft_stockham
# --------------------------------------------------------------------------


def next_smooth(n: int, primes: tuple[int, ...] = (2, 3, 5, 7)) -> int:
    """Smallest m >= n whose prime factors are all in ``primes`` (2 must be one of them)."""
    limit = 1 << max(0, n - 1).bit_length()  # a power of two >= n: always a candidate
    smooth = [1]
    for p in primes:
        grown = []
        for c in smooth:
            while c <= limit:
                grown.append(c)
                c *= p
        smooth = grown
    return min(c for c in smooth if c >= n)


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
    n = x.shape[0]
    out = fft_any(np.conj(x))
    np.conjugate(out, out=out)
    out /= n
    return out


# --------------------------------------------------------------------------
# Exact convolution of integer vectors (used by fourier.fft_convolve)
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Python ints <-> b-bit limbs (vectorised, by groups of limbs spanning whole bytes)
# --------------------------------------------------------------------------


def _group(b: int) -> tuple[int, int, int]:
    """(limbs per group, bytes per group, 64-bit words per group): g limbs of b bits = whole bytes."""
    g = 8 // math.gcd(b, 8)
    nbytes = g * b // 8
    return g, nbytes, (nbytes + 7) // 8


def extract_limbs(x: int, b: int, n: int) -> np.ndarray:
    """The n lowest b-bit limbs of the non-negative int x, as uint64 (1 <= b <= 56).

    g = 8 / gcd(b, 8) consecutive limbs span exactly g b / 8 bytes (one limb
    per b/8 bytes when 8 | b, two per b/4 bytes when 4 | b, ...).  The bytes
    of ``x`` are cut into such groups, each group is read as little-endian
    64-bit words, and limb j of every group is one shift-and-mask of a row of
    words (rows are made contiguous first: strided columns are slower).
    """
    if b in (8, 16, 32):  # whole bytes: a plain reinterpretation
        return np.frombuffer(x.to_bytes(n * b // 8, "little"), dtype=f"<u{b // 8}").astype(np.uint64)
    g, nbytes, words = _group(b)
    groups = -(-n // g)
    raw = np.frombuffer(x.to_bytes(groups * nbytes, "little"), dtype=np.uint8).reshape(groups, nbytes)
    buf = np.zeros((groups, 8 * (words + 1)), dtype=np.uint8)
    buf[:, :nbytes] = raw
    w = np.ascontiguousarray(buf.view("<u8").T)  # (words + 1, groups)
    out = np.empty((g, groups), dtype=np.uint64)
    mask = np.uint64((1 << b) - 1)
    for j in range(g):
        q, r = divmod(b * j, 64)
        row = out[j]
        np.right_shift(w[q], np.uint64(r), out=row)
        if r + b > 64:
            row |= w[q + 1] << np.uint64(64 - r)
        row &= mask
    return out.T.reshape(-1)[:n]


def pack_digits(d: np.ndarray, b: int) -> int:
    """sum_k d[k] 2^(b k) for digits 0 <= d[k] < 2^b (uint64 array), via int.from_bytes."""
    if b % 8 == 0 and b <= 64:  # whole bytes: the low b / 8 bytes of every digit
        return int.from_bytes(_low_bytes(np.ascontiguousarray(d, dtype="<u8"), b // 8), "little")
    g, nbytes, words = _group(b)
    n = d.shape[0]
    groups = -(-n // g)
    dd = np.zeros(groups * g, dtype=np.uint64)
    dd[:n] = d
    dd = np.ascontiguousarray(dd.reshape(groups, g).T)
    w = np.zeros((words, groups), dtype=np.uint64)
    for j in range(g):
        q, r = divmod(b * j, 64)
        w[q] |= dd[j] << np.uint64(r)
        if r + b > 64:
            w[q + 1] |= dd[j] >> np.uint64(64 - r)
    return int.from_bytes(_low_bytes(np.ascontiguousarray(w.T), nbytes), "little")


def _low_bytes(rows: np.ndarray, nbytes: int) -> bytes:
    """The first nbytes bytes of every row of a C-contiguous 2-d (or 1-d) uint64 array, concatenated.

    Read through a strided view of nbytes-wide void items: one memcpy per
    row, several times faster than slicing the bytes (``[:, :nbytes]``).
    """
    stride = rows.strides[0]
    items = np.ndarray((rows.shape[0],), dtype=f"V{nbytes}", buffer=rows, strides=(stride,))
    return items.tobytes()


def assemble(c: np.ndarray, b: int) -> int:
    """sum_k c[k] 2^(b k) for non-negative int64 coefficients c[k] < 2^62.

    The coefficients overlap (each is wider than b bits), so they are dealt
    into s interleaved layers, c[r::s], with s b >= their width and s b a
    multiple of 8: within a layer they are s b bits apart and do not overlap,
    so each layer is written as whole bytes (the coefficients' own
    little-endian bytes, zero-padded to s b / 8) and read by
    ``int.from_bytes``.  Python's big-int additions of the s shifted layers
    then propagate every carry.
    """
    c = c.astype(np.uint64)
    top = int(c.max()).bit_length() if c.size else 0
    if top <= b:
        return pack_digits(c, b)
    if 64 % b == 0:
        layers = 64 // b  # slots of exactly 8 bytes: no padding needed
    else:
        layers = 1
        while layers * b < top or (layers * b) % 8:
            layers += 1
    slot = layers * b // 8
    n = c.shape[0]
    rows = -(-n // layers)
    padded = np.zeros(rows * layers, dtype="<u8")
    padded[:n] = c
    as_bytes = padded.view(np.uint8).reshape(rows, layers, 8)
    keep = min(slot, 8)
    total = 0
    for r in range(layers):
        if slot == 8:
            raw = as_bytes[:, r, :].tobytes()
        else:
            buf = np.zeros((rows, slot), dtype=np.uint8)
            buf[:, :keep] = as_bytes[:, r, :keep]
            raw = buf.tobytes()
        total += int.from_bytes(raw, "little") << (b * r)
    return total


@functools.lru_cache(maxsize=8)
def centring_offset(b: int, n: int) -> int:
    """sum_(i < n) 2^(b-1) 2^(b i): the int whose n b-bit limbs are all 2^(b-1)."""
    return ((1 << (b * n)) - 1) // ((1 << b) - 1) << (b - 1)


def centred_limbs(x: int, b: int, n: int) -> np.ndarray:
    """The n lowest b-bit limbs of the non-negative int x, minus 2^(b-1), as float64 (1 <= b <= 57).

    The fast twin of ``extract_limbs(x, b, n) - 2^(b-1)``: limb j of each
    group of g = 8 / gcd(b, 8) limbs starts at byte b j // 8 of its group, so
    one strided (unaligned) view of 32-bit words (64-bit when b > 25) over
    the bytes of ``x`` reads it for every group at once; a shift, a mask and
    a subtraction that writes float64 straight into the result finish it.
    """
    g, nbytes, _ = _group(b)
    groups = -(-n // g)
    wide = b > 25
    word = np.dtype("<u8" if wide else "<u4")
    raw = x.to_bytes(max(groups * nbytes, (x.bit_length() + 7) // 8) + word.itemsize, "little")
    out = np.empty((groups, g), dtype=np.float64)
    mask = word.type((1 << b) - 1)
    half = float(1 << (b - 1))
    for j in range(g):
        offset, shift = divmod(b * j, 8)
        w = np.ndarray((groups,), dtype=word, buffer=raw, offset=offset, strides=(nbytes,))
        limb = np.right_shift(w, word.type(shift))
        limb &= mask
        np.subtract(limb, half, out=out[:, j])
    return out.reshape(-1)[:n]


def balanced_digits(x: int, b: int, n: int) -> np.ndarray:
    """Signed digits d (float64) with x = sum_i d_i 2^(b i), for 0 <= x < 2^(b n).

    d_i is in [-2^(b-1), 2^(b-1)) for i < n - 1 and the top digit in
    [-2^(b-1), 2^b].  They are the limbs of x + C minus 2^(b-1), where C has
    every one of its n limbs equal to 2^(b-1) (``centring_offset``): one
    big-int addition instead of a carry loop.  The top digit keeps the
    possible carry out of the n limbs (it is x + C shifted, not masked).
    Centred digits like these keep the spectrum free of the huge
    zero-frequency term that non-negative limbs would give, and, unlike
    limbs shifted by a constant, they represent x itself: the convolution of
    the digits of x and y gives the coefficients of x y directly.
    """
    xc = x + centring_offset(b, n)
    d = centred_limbs(xc, b, n)
    d[n - 1] = float((xc >> (b * (n - 1))) - (1 << (b - 1)))
    return d


def carry_assemble(c: np.ndarray, b: int, bound_bits: int, scratch: np.ndarray | None = None) -> int:
    """sum_k c[k] 2^(b k) for signed integer coefficients with |c[k]| < 2^bound_bits (<= 60).

    ``c`` is int64, or float64 holding integers (then |c[k]| < 2^53).

    Fast twin of ``assemble`` (and of ``fourier.from_limbs``), for signed
    coefficients.  g consecutive coefficients are first combined (Horner,
    exact in int64) into one coefficient of base 2^(g b), the largest g
    that keeps them below 2^62; then vectorised carry passes (floor shift,
    mask, add the carry to the next coefficient) bring them into
    [0, 2^(g b)), each pass dividing the excess by 2^(g b); the last few
    carries, usually none or a handful, ripple one by one.  Finally the
    digits are packed into bytes for one ``int.from_bytes``.  ``scratch``, an
    optional int64 work array (its contents are overwritten), holds the
    combined coefficients and the carries when it is long enough.
    """
    if bound_bits + 2 > 62:
        return assemble_signed(c, b)
    g = max(1, min((61 - bound_bits) // b + 1, 48 // b))
    base = b * g
    k = c.shape[0]
    groups = -(-k // g)
    if scratch is not None and scratch.shape[0] >= 2 * groups:
        e, q = scratch[:groups], scratch[groups : 2 * groups]
        e.fill(0)
    else:
        e, q = np.zeros(groups, dtype=np.int64), np.empty(groups, dtype=np.int64)
    if c.dtype == np.float64 and g > 1 and bound_bits + b * (g - 1) < 53:
        # float64 holding integers: Horner in float64 in e's memory (exact:
        # |e| < 2^(bound_bits + b (g - 1) + 1) <= 2^53), the first step fused
        # with the strided read, then one cast
        ef = e.view(np.float64)
        np.multiply(c[g - 1 :: g], float(1 << b), out=ef[: -(-(k - g + 1) // g)])
        for r in range(g - 2, -1, -1):
            if r < g - 2:
                ef *= float(1 << b)
            ef[: -(-(k - r) // g)] += c[r::g]
        np.copyto(e, ef, casting="unsafe")
    else:
        c = c.astype(np.int64, copy=False)  # exact: integers below 2^53 if float
        e[: -(-(k - g + 1) // g)] = c[g - 1 :: g]
        for r in range(g - 2, -1, -1):
            e <<= b
            e[: -(-(k - r) // g)] += c[r::g]
    mask = np.int64((1 << base) - 1)
    shift = np.int64(base)
    extra = 0  # carry out of the top coefficient, in units of 2^(base groups)
    while True:
        np.right_shift(e, shift, out=q)
        count = int(np.count_nonzero(q))
        if count == 0:
            break
        if count <= 32:  # ripple the few carries left, one by one
            for i in np.flatnonzero(q).tolist():
                carry = int(e[i]) >> base
                while carry:
                    e[i] &= mask
                    i += 1
                    if i == groups:
                        extra += carry
                        break
                    v = int(e[i]) + carry
                    e[i] = v
                    carry = v >> base
            break
        e &= mask
        e[1:] += q[:-1]
        extra += int(q[-1])
    return pack_digits(e.view(np.uint64), base) + (extra << (base * groups))


def assemble_signed(c: np.ndarray, b: int) -> int:
    """sum_k c[k] 2^(b k) for any signed integer coefficients (the positive and negative parts)."""
    c = np.asarray(c, dtype=np.int64)
    return assemble(np.maximum(c, 0), b) - assemble(np.maximum(-c, 0), b)


# --------------------------------------------------------------------------
# Exact product of two positive Python ints
# --------------------------------------------------------------------------

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
