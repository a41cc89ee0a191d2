"""Block convolution of a long signal: overlap-add and overlap-save (private; public in convbook.discrete).

Both cut the long input ``x`` (length M) into blocks of ``B`` new samples and
convolve each block with the short kernel ``h`` (length N) by one FFT of
length ``L >= B + N - 1``:

- **overlap-add**: block ``k`` is ``x[kB : kB + B]``; its full convolution
  with ``h`` has ``B + N - 1`` samples, and the last ``N - 1`` overlap the
  start of block ``k + 1``'s, where they are added;
- **overlap-save**: block ``k`` is the ``L`` samples of ``x`` (padded with
  ``N - 1`` zeros in front) that start at ``kB``; its *circular* convolution
  with ``h`` is wrong in its first ``N - 1`` samples (they wrap around) and
  right in the other ``B``, which are kept.

The fast paths below do every block's FFT at once (one batched ``rfft`` of
shape ``(blocks, L)``); the didactic twins (:func:`_overlap_add_loops`,
:func:`_overlap_save_loops`) loop over the blocks and are what the lesson
``04-fft/overlap-add`` writes out.  Integers are kept exact by convolving each
block with :func:`convbook.discrete.convolve` (exact on every route) and adding
the overlaps in integer arithmetic.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from convbook._fft import next_fast_len as _next_fast_len  # the FFT lengths numpy's pocketfft does fast


def block_cost(M: int, N: int, B: int) -> float:
    """The model's cost of block convolution: ceil(M / B) FFT products of length L = fast(B + N - 1).

    Each block costs two real FFTs of length L (forward and back, about
    ``L log2 L`` each) and ``L`` complex products; the kernel's FFT is paid once.
    """
    L = _next_fast_len(B + N - 1)
    return math.ceil(M / B) * L * (2 * math.log2(max(L, 2)) + 1) + L * math.log2(max(L, 2))


@functools.lru_cache(maxsize=256)  # method='auto' of convolve asks for it on every long input
def best_block(M: int, N: int) -> int:
    """The block size B (new samples per block) that minimises :func:`block_cost`, among the B that make
    ``B + N - 1`` a fast FFT length, from ``N`` up to about ``M``."""
    best, best_cost = None, math.inf
    L = _next_fast_len(2 * N - 1)
    while True:
        B = L - N + 1
        cost = block_cost(M, N, B)
        if cost < best_cost:
            best, best_cost = B, cost
        if B >= M:
            break
        L = _next_fast_len(L + 1)
    return best


def _batched(x: np.ndarray, h: np.ndarray, L: int, rows: np.ndarray) -> np.ndarray:
    """Cyclic convolutions of length L of every row of ``rows`` with ``h`` (floating, real or complex)."""
    if np.iscomplexobj(x) or np.iscomplexobj(h):
        return np.fft.ifft(np.fft.fft(rows, L, axis=1) * np.fft.fft(h, L), axis=1)
    return np.fft.irfft(np.fft.rfft(rows, L, axis=1) * np.fft.rfft(h, L), L, axis=1)


def add_blocks(y: np.ndarray, B: int, length: int) -> np.ndarray:
    """Overlap-add the rows of ``y``: row ``k`` (each row ``W`` samples) is added at ``kB``; the first ``length`` samples.

    The rows are added ``B`` columns at a time, each chunk of every row onto a
    view of the output (no temporary copies, and no floating point: integer
    rows are added exactly, in their dtype).
    """
    blocks, W = y.shape
    chunks = -(-W // B)
    out = np.zeros((blocks + chunks) * B, dtype=y.dtype)
    if out.dtype == object:
        out[:] = 0
    for c in range(chunks):                          # chunk c of row k lands on samples [(k + c)B, (k + c + 1)B)
        w = min(B, W - c * B)
        out[c * B:(c + blocks) * B].reshape(blocks, B)[:, :w] += y[:, c * B:c * B + w]
    return out[:length]


def overlap_add_float(x: np.ndarray, h: np.ndarray, B: int) -> np.ndarray:
    """Overlap-add for floating inputs: every block's FFT at once, then the overlaps added in one pass."""
    M, N = len(x), len(h)
    L = _next_fast_len(B + N - 1)
    blocks = math.ceil(M / B)
    rows = np.zeros((blocks, B), dtype=np.result_type(x, h))
    rows.ravel()[:M] = x
    y = _batched(x, h, L, rows)[:, :B + N - 1]       # each block's full convolution with h
    return add_blocks(y, B, M + N - 1)               # its last N - 1 samples overlap the next blocks


def overlap_save_float(x: np.ndarray, h: np.ndarray, B: int) -> np.ndarray:
    """Overlap-save for floating inputs: every window's cyclic convolution at once, the wrapped part dropped."""
    M, N = len(x), len(h)
    L = B + N - 1
    blocks = math.ceil((M + N - 1) / B)
    padded = np.zeros((blocks - 1) * B + L, dtype=np.result_type(x, h))
    padded[N - 1:N - 1 + M] = x                     # N - 1 zeros in front: the first window's "past"
    windows = np.lib.stride_tricks.sliding_window_view(padded, L)[::B]
    y = _batched(x, h, _next_fast_len(L), windows)[:, N - 1:L]   # the first N - 1 samples wrapped around
    return y.ravel()[:M + N - 1]


def overlap_add_loops(x, h, B: int, convolve):
    """Didactic overlap-add: one block at a time, each convolved by ``convolve`` (exact for integers)."""
    M, N = len(x), len(h)
    out = [0] * (M + N - 1)
    for start in range(0, M, B):
        piece = convolve(x[start:start + B], h)      # B + N - 1 samples (fewer for the last block)
        for i, value in enumerate(piece):
            out[start + i] += value                  # the overlap with the next block is added here
    return out


def overlap_save_loops(x, h, B: int, circular_convolve):
    """Didactic overlap-save: windows of L = B + N - 1 samples, each convolved circularly; keep the last B."""
    M, N = len(x), len(h)
    L = B + N - 1
    padded = [0] * (N - 1) + list(x) + [0] * (L + B)
    out = []
    for start in range(0, M + N - 1, B):
        window = padded[start:start + L]
        y = circular_convolve(window, list(h) + [0] * (L - N))
        out.extend(y[N - 1:])                        # the first N - 1 outputs wrapped around: drop them
    return out[:M + N - 1]
