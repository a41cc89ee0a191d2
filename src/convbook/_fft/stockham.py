"""Stockham (self-sorting) Cooley--Tukey FFT for every SMALL_PRIMES-smooth length, powers of two included.

Twiddle factors from exact integer angles (cached per length); mixed radix
(passes of radix 16 and 8 for powers of two, up to 27 or a prime factor
otherwise), each pass one batch of small DFT-matrix products (real-arithmetic
ones on float64 views from n = 32 on, radices <= 64), in products that
OpenBLAS keeps on the calling thread.
"""

from __future__ import annotations

import functools
import threading
from typing import NamedTuple

import numpy as np

from .lengths import small_prime_exponents


def unit_roots(t, n: int) -> np.ndarray:
    """exp(-2 pi i t / n) for an integer array ``t``, accurate to ~MU_OWN (``bounds``).

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


#: Largest composite radix of one pass.
_MAX_RADIX = 27


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


def inverse_by_conjugation(forward, x: np.ndarray) -> np.ndarray:
    """The inverse DFT of ``x`` from a ``forward`` one: conj(forward(conj(x))) / n."""
    n = x.shape[0]
    out = forward(np.conj(x))
    np.conjugate(out, out=out)
    out /= n
    return out


def ifft_pow2(x: np.ndarray) -> np.ndarray:
    """Inverse of ``fft_pow2`` (exact scaling by n = 2^p)."""
    return inverse_by_conjugation(fft_pow2, x)
