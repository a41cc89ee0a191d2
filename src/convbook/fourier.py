"""The discrete Fourier transform, the FFT, and convolution through it (chapter 4).

This module backs chapter 4 of the course: the DFT as a matrix, the fast
Fourier transform (mixed-radix Cooley--Tukey for every length whose prime
factors are all below 256, Bluestein's chirp-z for the others), the
convolution theorem, and its most famous application: exact multiplication
of huge integers.

Conventions are numpy's throughout: the forward transform is unscaled and
uses exp(-2 pi i jk/n); the inverse carries the 1/n.

Didactic paths (readable, for the lessons) and fast paths (for use), which the
test-suite proves agree:

==========================  ==========================================
didactic                    fast
==========================  ==========================================
:func:`dft` (the matrix)    :func:`fft`, :func:`ifft`
:func:`fft_recursive`       :func:`fft` (power-of-two lengths)
:func:`fft_iterative`       :func:`fft` (power-of-two lengths)
:func:`fft_bluestein`       :func:`fft` (a prime factor > 255)
:func:`to_limbs`,           :func:`multiply`
:func:`from_limbs`
==========================  ==========================================

:func:`multiply_unsafe` is a deliberately broken multiplication that shows
what happens when the rounding-error bound is ignored.
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from convbook import _fft
from convbook._validation import MAX_SIZE, as_numeric_array, check_choice, check_int, describe, memory_bytes

__all__ = [
    "dft_matrix",
    "dft",
    "idft",
    "fft",
    "ifft",
    "fft_recursive",
    "fft_iterative",
    "fft_bluestein",
    "fft_convolve",
    "multiply",
    "multiply_plan",
    "MultiplyPlan",
    "multiply_unsafe",
    "to_limbs",
    "from_limbs",
]

_DFT_MATRIX_MAX = 4096
_MODES = ("full", "same", "valid")
#: Below this many bits in the smaller factor, :func:`multiply` hands over to
#: Python's ``x * y``.  Measured (CPU-time medians of interleaved runs,
#: random full-length factors): the FFT path becomes faster near 5400
#: decimal digits (18 000 bits): 0.9 to 1.0 times as fast as ``x * y`` at
#: 5000 digits, 1.1 at 5500, 1.15 at 6000, 1.8 at 10^4.
CROSSOVER_BITS = 18_000


# --------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------


def _as_complex_vector(name: str, x) -> np.ndarray:
    """A non-empty 1-D array of numbers as a contiguous complex128 array."""
    arr = as_numeric_array(name, x, ndim=1)
    try:
        return np.ascontiguousarray(arr, dtype=np.complex128)
    except OverflowError:
        raise OverflowError(
            f"{name} holds a value too large for a complex128 (float64) array, got {describe(x)}."
        ) from None
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must hold numbers convertible to complex, got {describe(x)}."
        ) from None


def _check_pow2(name: str, n: int, func: str) -> None:
    if not _fft.is_pow2(n):
        raise ValueError(
            f"len({name}) must be a power of two for {func}, got {n}. "
            "Use fft() for any length."
        )


def _check_bigint(name: str, value) -> int:
    """A Python int from an int or numpy integer (not bool, float, str)."""
    if type(value) is int:  # the common case, without the ABC checks of check_int
        return value
    return check_int(name, value)


# --------------------------------------------------------------------------
# The DFT by its definition
# --------------------------------------------------------------------------


def dft_matrix(n: int) -> np.ndarray:
    r"""The n x n DFT matrix, :math:`W_{jk} = e^{-2\pi i\, jk/n}`.

    .. math::

        W = \begin{pmatrix} 1 & 1 & \cdots & 1 \\
                            1 & \omega & \cdots & \omega^{n-1} \\
                            \vdots & & \ddots & \vdots \\
                            1 & \omega^{n-1} & \cdots & \omega^{(n-1)^2}
            \end{pmatrix}, \qquad \omega = e^{-2\pi i/n}.

    Parameters
    ----------
    n : int
        The size, ``1 <= n <= 4096`` (a lesson-sized matrix; 4096 x 4096
        complex numbers already take 256 MiB).

    Returns
    -------
    numpy.ndarray
        A new ``(n, n)`` complex128 array.  ``dft_matrix(n) @ x`` is the DFT
        of ``x``; ``dft_matrix(n).conj() @ X / n`` is the inverse.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1`` or ``n > 4096``.

    Notes
    -----
    The exponent :math:`jk` is reduced modulo :math:`n` in integer arithmetic
    before the angle is formed, so every entry is accurate to a few ulps.
    The matrix is symmetric, and :math:`W^H W = n I`: up to the factor
    :math:`\sqrt{n}` it is unitary.

    Examples
    --------
    >>> from convbook.fourier import dft_matrix
    >>> import numpy as np
    >>> W = dft_matrix(4)
    >>> print(np.round(W.real).astype(int))
    [[ 1  1  1  1]
     [ 1  0 -1  0]
     [ 1 -1  1 -1]
     [ 1  0 -1  0]]
    >>> print(np.round(W.imag).astype(int))
    [[ 0  0  0  0]
     [ 0 -1  0  1]
     [ 0  0  0  0]
     [ 0  1  0 -1]]
    >>> bool(np.allclose(W.conj().T @ W, 4 * np.eye(4)))
    True
    """
    n = check_int("n", n, minimum=1)
    if n > _DFT_MATRIX_MAX:
        raise ValueError(
            f"n must be an integer between 1 and {_DFT_MATRIX_MAX} for dft_matrix, got {describe(n)}. "
            "Use dft() or fft() to transform long vectors without forming the matrix."
        )
    return _fft.dft_matrix_cached(n).copy()


def _dft_blocks(x: np.ndarray) -> np.ndarray:
    """X_k = sum_j x_j W[k, j], forming W a block of rows at a time (O(n^2) time, bounded memory)."""
    n = x.shape[0]
    out = np.empty(n, dtype=np.complex128)
    j = np.arange(n, dtype=np.int64)
    rows = max(1, (1 << 18) // n)
    for start in range(0, n, rows):
        k = np.arange(start, min(n, start + rows), dtype=np.int64)
        out[start:start + k.shape[0]] = (_fft.unit_roots(np.outer(k, j) % n, n) * x).sum(axis=1)
    return out


def dft(x: ArrayLike) -> np.ndarray:
    r"""Discrete Fourier transform by its definition, O(n²).

    .. math::

        X_k = \sum_{j=0}^{n-1} x_j\, e^{-2\pi i\, jk/n}, \qquad k = 0, \dots, n-1,

    that is ``X = dft_matrix(n) @ x``.

    Parameters
    ----------
    x : array_like
        A non-empty 1-D sequence of real or complex numbers.

    Returns
    -------
    numpy.ndarray
        ``X``, complex128, of length ``n = len(x)``.

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty or not 1-D.
    OverflowError
        If a value is too large for a float64.

    Notes
    -----
    numpy's conventions: the forward transform is unscaled, the inverse
    (:func:`idft`) carries the factor 1/n.  This is the didactic reference for
    :func:`fft`; it forms the DFT matrix a block of rows at a time, so memory
    stays bounded, but the time grows as n².

    Examples
    --------
    >>> from convbook.fourier import dft
    >>> X = dft([1, 2, 3, 4])
    >>> print(X)
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    >>> import numpy as np
    >>> bool(np.allclose(X, np.fft.fft([1, 2, 3, 4])))
    True
    """
    return _dft_blocks(_as_complex_vector("x", x))


def idft(X: ArrayLike) -> np.ndarray:
    r"""Inverse discrete Fourier transform by its definition, O(n²).

    .. math::

        x_j = \frac{1}{n} \sum_{k=0}^{n-1} X_k\, e^{+2\pi i\, jk/n}.

    Parameters
    ----------
    X : array_like
        A non-empty 1-D sequence of real or complex numbers.

    Returns
    -------
    numpy.ndarray
        ``x``, complex128, of length ``len(X)``.

    Raises
    ------
    TypeError
        If ``X`` does not hold numbers.
    ValueError
        If ``X`` is empty or not 1-D.
    OverflowError
        If a value is too large for a float64.

    Notes
    -----
    Computed as :math:`\overline{\mathrm{DFT}(\overline{X})}/n`, which is the
    same sum.  ``idft(dft(x))`` recovers ``x`` up to rounding.

    Examples
    --------
    >>> from convbook.fourier import dft, idft
    >>> print(idft([10, -2 + 2j, -2, -2 - 2j]).real)
    [1. 2. 3. 4.]
    """
    X = _as_complex_vector("X", X)
    out = _dft_blocks(np.conj(X))
    return np.conj(out) / X.shape[0]


# --------------------------------------------------------------------------
# FFT: didactic versions
# --------------------------------------------------------------------------


def _fft_rec(x: np.ndarray) -> np.ndarray:
    n = x.shape[0]
    if n == 1:
        return x.copy()
    even = _fft_rec(x[0::2])  # DFT of x_0, x_2, x_4, ...
    odd = _fft_rec(x[1::2])  # DFT of x_1, x_3, x_5, ...
    twiddled = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate([even + twiddled, even - twiddled])


def fft_recursive(x: ArrayLike) -> np.ndarray:
    r"""Recursive radix-2 Cooley--Tukey FFT (didactic; power-of-two lengths).

    Split into even- and odd-indexed samples, transform both halves, combine:

    .. math::

        X_k = E_k + \omega_n^k O_k, \qquad
        X_{k + n/2} = E_k - \omega_n^k O_k, \qquad
        \omega_n = e^{-2\pi i/n},\ 0 \le k < n/2,

    where :math:`E` and :math:`O` are the DFTs of length n/2 of
    :math:`x_0, x_2, \dots` and :math:`x_1, x_3, \dots`.  Cost
    :math:`T(n) = 2T(n/2) + O(n) = O(n \log n)`.

    Parameters
    ----------
    x : array_like
        A 1-D sequence of numbers whose length is a power of two.

    Returns
    -------
    numpy.ndarray
        The DFT of ``x``, complex128 (same values as :func:`fft`).

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty, not 1-D, or its length is not a power of two.

    Notes
    -----
    Readable, not fast: every level of the recursion allocates new arrays.
    Use :func:`fft` for real work.

    References
    ----------
    J. W. Cooley and J. W. Tukey, "An algorithm for the machine calculation of
    complex Fourier series", Math. Comp. 19 (1965), 297--301.

    Examples
    --------
    >>> from convbook.fourier import fft_recursive
    >>> print(fft_recursive([1, 2, 3, 4]))
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    >>> fft_recursive([1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: len(x) must be a power of two for fft_recursive, got 3. Use fft() for any length.
    """
    x = _as_complex_vector("x", x)
    _check_pow2("x", x.shape[0], "fft_recursive")
    return _fft_rec(x)


def _bit_reversed_indices(n: int) -> np.ndarray:
    """Index i with its log2(n) bits reversed, for every i < n."""
    bits = n.bit_length() - 1
    i = np.arange(n)
    rev = np.zeros(n, dtype=np.int64)
    for bit in range(bits):
        rev |= ((i >> bit) & 1) << (bits - 1 - bit)
    return rev


def fft_iterative(x: ArrayLike) -> np.ndarray:
    r"""Iterative radix-2 Cooley--Tukey FFT (didactic; power-of-two lengths).

    The recursion of :func:`fft_recursive` unrolled: put the samples in
    bit-reversed order, then for sizes :math:`s = 2, 4, \dots, n` combine
    neighbouring blocks of length s/2 with the butterfly

    .. math::

        (a, b) \mapsto (a + \omega_s^k b,\ a - \omega_s^k b),
        \qquad \omega_s = e^{-2\pi i/s},\ 0 \le k < s/2.

    Parameters
    ----------
    x : array_like
        A 1-D sequence of numbers whose length is a power of two.

    Returns
    -------
    numpy.ndarray
        The DFT of ``x``, complex128 (same values as :func:`fft`).

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty, not 1-D, or its length is not a power of two.

    Notes
    -----
    One vectorised butterfly pass per level, log2(n) passes.  :func:`fft`
    uses the same algorithm reorganised (self-sorting Stockham order, no
    bit reversal, and radix 16 or 8 per pass, each pass one batch of small
    DFT-matrix products), which is several times faster in numpy.

    Examples
    --------
    >>> from convbook.fourier import fft_iterative
    >>> print(fft_iterative([1, 0, 0, 0, 0, 0, 0, 0]).real)
    [1. 1. 1. 1. 1. 1. 1. 1.]
    >>> print(fft_iterative([1, 2, 3, 4]))
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    """
    x = _as_complex_vector("x", x)
    n = x.shape[0]
    _check_pow2("x", n, "fft_iterative")
    a = x[_bit_reversed_indices(n)]
    size = 2
    while size <= n:
        half = size // 2
        w = np.exp(-2j * np.pi * np.arange(half) / size)
        blocks = a.reshape(-1, size)  # a view: each row is one group of butterflies
        t = w * blocks[:, half:]
        blocks[:, half:] = blocks[:, :half] - t
        blocks[:, :half] += t
        size *= 2
    return a


def fft_bluestein(x: ArrayLike) -> np.ndarray:
    r"""Bluestein's chirp-z FFT: a DFT of any length as one convolution.

    With :math:`jk = \tfrac12\left(j^2 + k^2 - (k-j)^2\right)` and the chirp
    :math:`w_t = e^{-i\pi t^2/n}`,

    .. math::

        X_k = \sum_j x_j e^{-2\pi i jk/n}
            = w_k \sum_j (x_j w_j)\, \overline{w_{k-j}},

    a linear convolution of :math:`x_j w_j` with :math:`\overline{w_t}`
    (:math:`|t| < n`), which is computed as a circular convolution of length
    :math:`m \ge 2n - 1`, a power of two, with power-of-two FFTs.

    Parameters
    ----------
    x : array_like
        A non-empty 1-D sequence of numbers, any length.

    Returns
    -------
    numpy.ndarray
        The DFT of ``x``, complex128.

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty or not 1-D.

    Notes
    -----
    :func:`fft` uses the same algorithm for the lengths that have a prime
    factor above 255, with m the smallest :math:`2^a 3^b 5^c 7^d \ge 2n - 1`
    and mixed-radix transforms (same values up to rounding); this version
    keeps the power of two of the textbook.  It is public so that lessons
    can apply it to any length (powers of two included) and compare.  The
    chirp angles are reduced exactly (:math:`t^2 \bmod 2n` in integer
    arithmetic), and the transform of the chirp is cached per n.  Cost: two
    FFTs of length m (about 4n to 8n).

    References
    ----------
    L. Bluestein, "A linear filtering approach to the computation of discrete
    Fourier transform", IEEE Trans. Audio Electroacoust. 18 (1970), 451--455.

    Examples
    --------
    >>> from convbook.fourier import fft_bluestein
    >>> import numpy as np
    >>> x = [1.0, 2.0, 0.0, -1.0, 5.0]
    >>> bool(np.allclose(fft_bluestein(x), np.fft.fft(x)))
    True
    """
    return _fft.fft_bluestein_core(_as_complex_vector("x", x))


# --------------------------------------------------------------------------
# FFT: fast path
# --------------------------------------------------------------------------


def fft(x: ArrayLike) -> np.ndarray:
    r"""Fast Fourier transform of a 1-D sequence of any length (numpy's convention).

    .. math::

        X_k = \sum_{j=0}^{n-1} x_j\, e^{-2\pi i\, jk/n}, \qquad k = 0, \dots, n-1.

    Parameters
    ----------
    x : array_like
        A non-empty 1-D sequence of real or complex numbers.

    Returns
    -------
    numpy.ndarray
        ``X``, complex128, length ``len(x)``; equal to ``numpy.fft.fft(x)``
        to within ``1e-12 * max(1, max|X|)`` (measured: a few 1e-16 relative).

    Raises
    ------
    TypeError
        If ``x`` does not hold numbers.
    ValueError
        If ``x`` is empty or not 1-D.
    OverflowError
        If a value is too large for a float64.

    Notes
    -----
    Own implementation (``numpy.fft`` is not used).  Which algorithm
    handles which length n:

    - every prime factor of n below 256 (powers of two, 1000, :math:`3^9`,
      :math:`10^6`, :math:`97 \cdot 1024`, :math:`2 \cdot 3 \cdot 5 \cdot 7
      \cdot 11 \cdot 13`, :math:`251^2`, ...): mixed-radix Cooley--Tukey
      (decimation in time) in self-sorting (Stockham) order.  n is written
      as a product of radices :math:`r_1 r_2 \cdots r_K`: 16 and 8 for
      powers of two (:math:`2^{20} = 16^5`), otherwise divisors of n up to
      27 or a prime factor (:math:`3^9 = 27 \cdot 9^3`, :math:`10^5 = 25 \cdot 20^2
      \cdot 10`, :math:`97 \cdot 1024 = 97 \cdot 16 \cdot 8^2`), chosen by
      dynamic programming over the divisors of n to minimise a measured
      cost model (one pass costs about one memory pass, plus r/25 of one
      for the r multiply-adds per point).  Each pass merges r interleaved
      sub-transforms of length m:

      .. math::

          X_{k + m s} = \sum_{j=0}^{r-1} e^{-2\pi i\, js/r}
              \left(e^{-2\pi i\, jk/(rm)}\, Y^{(j)}_k\right),
          \qquad 0 \le k < m,\ 0 \le s < r,

      that is one multiplication by the twiddle factors (transposing to the
      new layout in the same numpy call) and the r-point DFT of all the
      sub-sequences as one batch of small DFT-matrix products.  From
      n = 32 on (radices up to 64, two passes or more) the products are
      real: each row of r complex numbers, contiguous, is read as 2r
      floats and multiplied by the 2r x 2r real matrix of the DFT (BLAS's
      real GEMM, about twice as fast as its complex one here); passes go in
      pairs, the second of a pair with its twiddles folded into one matrix
      per value of the previous digit, so that it only copies.  The
      batches are cut so that BLAS never starts its worker threads:
      predictable timings on a shared machine.  Plans, twiddles and
      matrices are cached per n; each thread keeps its work buffers for
      its last few lengths (64 MB at most).
    - n has a prime factor of 257 or more (65537, :math:`10^5 + 3`,
      :math:`257 \cdot 256`, ...): Bluestein's chirp-z algorithm
      (:func:`fft_bluestein`), whose circular convolution is done with two
      mixed-radix transforms of the smallest length
      :math:`m = 2^a 3^b 5^c 7^d \ge 2n - 1`.  It costs four to five
      mixed-radix transforms of length n, which is why prime factors up to
      251 get a pass of their own instead (p multiply-adds per point: the
      cheaper of the two up to about p = 300, as measured).  numpy's
      pocketfft also switches to Bluestein by a cost estimate, and its
      timings show it doing so near the same place.
    - n = 1: the identity.

    The output is always complex128 (numpy >= 2 returns complex64 for
    float32 input).  The didactic versions are :func:`dft`,
    :func:`fft_recursive`, :func:`fft_iterative` and :func:`fft_bluestein`.

    Examples
    --------
    >>> from convbook.fourier import fft
    >>> import numpy as np
    >>> print(fft([1, 2, 3, 4]))
    [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    >>> x = np.random.default_rng(0).standard_normal(1000)
    >>> bool(np.allclose(fft(x), np.fft.fft(x)))
    True

    Any length: mixed radix (3^5; 2 * 251, with a radix-251 pass) and
    Bluestein (257, a prime above 255):

    >>> for n in (3**5, 2 * 251, 257):
    ...     x = np.random.default_rng(n).standard_normal(n)
    ...     print(n, bool(np.allclose(fft(x), np.fft.fft(x))))
    243 True
    502 True
    257 True
    """
    return _fft.fft_any(_as_complex_vector("x", x))


def ifft(X: ArrayLike) -> np.ndarray:
    r"""Inverse fast Fourier transform (numpy's convention: the 1/n is here).

    .. math::

        x_j = \frac{1}{n} \sum_{k=0}^{n-1} X_k\, e^{+2\pi i\, jk/n}.

    Parameters
    ----------
    X : array_like
        A non-empty 1-D sequence of real or complex numbers.

    Returns
    -------
    numpy.ndarray
        ``x``, complex128, length ``len(X)``; ``ifft(fft(x))`` equals ``x``
        up to rounding.

    Raises
    ------
    TypeError
        If ``X`` does not hold numbers.
    ValueError
        If ``X`` is empty or not 1-D.
    OverflowError
        If a value is too large for a float64.

    Notes
    -----
    Computed as :math:`\overline{\mathrm{FFT}(\overline{X})}/n`.

    Examples
    --------
    >>> from convbook.fourier import fft, ifft
    >>> print(ifft(fft([1, 2, 3])).real)
    [1. 2. 3.]
    """
    return _fft.ifft_any(_as_complex_vector("X", X))


# --------------------------------------------------------------------------
# Convolution through the FFT
# --------------------------------------------------------------------------


def _is_integer_array(arr: np.ndarray) -> bool:
    if arr.dtype.kind in "iu":
        return True
    if arr.dtype == object:
        return all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in arr)
    return False


def _as_vector(name: str, value) -> np.ndarray:
    """``as_numeric_array(name, value, ndim=1)``, keeping lists of Python ints exact.

    numpy turns ``[0, 2**63]`` into float64 (and ``[2**64]`` into objects):
    a list or tuple whose items are all integers becomes an object array of
    Python ints instead, so that no value is rounded on the way in.
    """
    arr = as_numeric_array(name, value, ndim=1)
    if (
        isinstance(value, (list, tuple))
        and arr.dtype.kind == "f"
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in value)
    ):
        return np.array([int(v) for v in value], dtype=object)
    return arr


def _as_float_vector(name: str, arr: np.ndarray, dtype) -> np.ndarray:
    try:
        return np.asarray(arr, dtype=dtype)
    except OverflowError:
        raise OverflowError(
            f"{name} holds a value too large for float64 (mixed with non-integers), got {describe(arr)}."
        ) from None
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must hold numbers convertible to {np.dtype(dtype).name}, got {describe(arr)}."
        ) from None


def _mode_slice(full: np.ndarray, m: int, n: int, mode: str) -> np.ndarray:
    if mode == "full":
        return full
    long, short = max(m, n), min(m, n)
    if mode == "same":
        start = (short - 1) // 2
        return full[start:start + long]
    return full[short - 1:long]  # valid


def fft_convolve(a: ArrayLike, v: ArrayLike, mode: Literal["full", "same", "valid"] = "full") -> np.ndarray:
    r"""Linear convolution of two 1-D sequences through the FFT (``numpy.convolve`` semantics).

    .. math::

        (a * v)_k = \sum_j a_j\, v_{k-j},
        \qquad a * v = \mathcal{F}^{-1}\!\left(\mathcal{F}(a_{pad}) \cdot \mathcal{F}(v_{pad})\right),

    where both inputs are zero-padded to a length :math:`L \ge M + N - 1`
    (the next power of two) so that the circular convolution computed by the
    FFT equals the linear one.

    Parameters
    ----------
    a, v : array_like
        Non-empty 1-D sequences of numbers, of lengths M and N (either may be
        the longer one).
    mode : {'full', 'same', 'valid'}
        Which part of the full convolution to return, exactly as
        ``numpy.convolve``.

    Returns
    -------
    numpy.ndarray
        - 'full': length M + N - 1.
        - 'same': length max(M, N), the full result centred as numpy does:
          ``full[(min(M, N) - 1) // 2 :][: max(M, N)]``.
        - 'valid': length max(M, N) - min(M, N) + 1, only where the shorter
          sequence lies entirely inside the longer one.

        dtype: if both inputs hold integers (any numpy integer dtype, bools,
        or Python ints of any size), the exact integer result: int64 when
        every value fits, else an object array of Python ints (where
        ``numpy.convolve`` would silently wrap around).  Otherwise float64,
        or complex128 if either input is complex.

    Raises
    ------
    TypeError
        If an input does not hold numbers.
    ValueError
        If an input is empty or not 1-D, or ``mode`` is not one of the three.
    OverflowError
        If integers too large for a float64 are mixed with non-integers.

    Notes
    -----
    This is a true convolution (the kernel is flipped), not the
    cross-correlation of deep-learning "convolutions".  Like
    ``numpy.convolve`` the operation is symmetric; 'same' is centred the
    numpy way (for an even shorter length, one more sample is kept on the
    right than on the left), which differs from ``scipy.signal.convolve``'s
    'same' when the first input is the shorter one.

    Floating-point inputs: errors are typically a small multiple of
    :math:`10^{-16}\,\lVert a\rVert_2 \lVert v\rVert_2`, the natural scale
    of the result (it bounds every output, by Cauchy--Schwarz), and never
    more than the rigorous bound below; tests check agreement with
    ``numpy.convolve`` to 1e-10 of that scale (and of max|result|).  Inputs
    holding inf or NaN are convolved directly (an FFT would smear a NaN over
    every output).

    Integer inputs are exact.  The floating-point result is rounded only
    when a rigorous bound on its error is below 1/4:

    .. math::

        \lVert z' - z \rVert_\infty \le \lVert a\rVert \lVert v\rVert
        \left((1+\delta)^2 (1 + \sqrt2\gamma_2) - 1\right)
        + \delta\, \lVert P' \rVert_2 / \sqrt{L},

    with :math:`\delta` a bound on the relative 2-norm error of one of our
    FFTs (derived stage by stage from Higham's bounds for complex products
    and inner products), and :math:`P'` the computed product of the spectra,
    measured at run time.  When the bound is too large, the larger operand
    is split into the high and low halves of its bits, each half is
    convolved the same way, and the results are recombined exactly with
    Python ints -- an exact route that stays fast.

    References
    ----------
    N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
    SIAM (2002), Lemma 3.5, Section 3.6 and Theorem 24.2.

    Examples
    --------
    Floating-point results carry rounding errors of order 1e-16:

    >>> from convbook.fourier import fft_convolve
    >>> import numpy as np
    >>> print(np.round(fft_convolve([1, 2, 3], [0, 1, 0.5]), 12))
    [0.  1.  2.5 4.  1.5]
    >>> print(np.round(fft_convolve([1, 2, 3], [0, 1, 0.5], mode="same"), 12))
    [1.  2.5 4. ]
    >>> print(np.round(fft_convolve([1, 2, 3], [0, 1, 0.5], mode="valid"), 12))
    [2.5]

    Integers are exact, of any size:

    >>> fft_convolve([1, 2, 3], [4, 5])
    array([ 4, 13, 22, 15])
    >>> print(fft_convolve([10**20, 1], [10**20, -1]))
    [10000000000000000000000000000000000000000 0 -1]
    """
    mode = check_choice("mode", mode, _MODES)
    a_arr = _as_vector("a", a)
    v_arr = _as_vector("v", v)
    m, n = a_arr.shape[0], v_arr.shape[0]

    if _is_integer_array(a_arr) and _is_integer_array(v_arr):
        full = _fft.exact_int_convolve(_fft.as_int_array(a_arr), _fft.as_int_array(v_arr))
        return _fft.as_int_array(_mode_slice(full, m, n, mode))

    is_complex = any(
        arr.dtype.kind == "c"
        or (arr.dtype == object and any(isinstance(x, (complex, np.complexfloating)) for x in arr))
        for arr in (a_arr, v_arr)
    )
    dtype = np.complex128 if is_complex else np.float64
    af = _as_float_vector("a", a_arr, dtype)
    vf = _as_float_vector("v", v_arr, dtype)
    if not (np.all(np.isfinite(af)) and np.all(np.isfinite(vf))):
        return _mode_slice(np.convolve(af, vf), m, n, mode)

    k = m + n - 1
    size = 1 << (k - 1).bit_length()
    pa = np.zeros(size, dtype=np.complex128)
    pv = np.zeros(size, dtype=np.complex128)
    pa[:m] = af
    pv[:n] = vf
    spectrum = _fft.fft_pow2(pa)
    spectrum *= _fft.fft_pow2(pv)
    full = _fft.ifft_pow2(spectrum)[:k]
    if not is_complex:
        full = full.real.copy()
    return _mode_slice(full, m, n, mode)


# --------------------------------------------------------------------------
# Exact big-integer multiplication
# --------------------------------------------------------------------------


def to_limbs(x: int, limb_bits: int) -> np.ndarray:
    r"""The base-:math:`2^b` digits ("limbs") of a non-negative integer, least significant first.

    .. math::

        x = \sum_{i=0}^{n-1} x_i\, 2^{b i}, \qquad 0 \le x_i < 2^b.

    Parameters
    ----------
    x : int
        A non-negative integer (Python int or numpy integer).
    limb_bits : int
        The limb size b, ``1 <= b <= 62``.

    Returns
    -------
    numpy.ndarray
        int64 array of length ``max(1, ceil(x.bit_length() / b))``.

    Raises
    ------
    TypeError
        If ``x`` or ``limb_bits`` is not an integer.
    ValueError
        If ``x < 0`` or ``limb_bits`` is out of range.

    Notes
    -----
    The readable loop (one shift and one mask per limb, quadratic for huge
    numbers).  :func:`multiply` uses a vectorised equivalent built on
    ``int.to_bytes`` and ``numpy.frombuffer``.

    Examples
    --------
    >>> from convbook.fourier import to_limbs
    >>> to_limbs(0x1234, 4)
    array([4, 3, 2, 1])
    >>> to_limbs(1000, 8)
    array([232,   3])
    """
    x = check_int("x", x, minimum=0)
    b = check_int("limb_bits", limb_bits, minimum=1)
    if b > 62:
        raise ValueError(f"limb_bits must be an integer between 1 and 62, got {describe(limb_bits)}.")
    mask = (1 << b) - 1
    limbs = []
    while True:
        limbs.append(x & mask)
        x >>= b
        if x == 0:
            break
    return np.array(limbs, dtype=np.int64)


def from_limbs(coefficients: ArrayLike, limb_bits: int) -> int:
    r"""Evaluate :math:`\sum_k c_k 2^{b k}` exactly: the "carry" step of long multiplication.

    Parameters
    ----------
    coefficients : array_like
        A non-empty 1-D sequence of integers (any sign and size: they need not
        be digits, e.g. the coefficients of a convolution of limbs).
    limb_bits : int
        b, ``>= 1``.

    Returns
    -------
    int
        The Python int :math:`\sum_k c_k 2^{bk}`.

    Raises
    ------
    TypeError
        If the coefficients are not integers, or ``limb_bits`` is not an
        integer.
    ValueError
        If ``coefficients`` is empty or not 1-D, or ``limb_bits < 1``, or so
        large that the result could not be held (more bits than this
        machine's memory).

    Notes
    -----
    Adds neighbours pairwise, doubling the shift each round, so the work is
    about log2(n) passes over the number rather than n.  With
    :func:`to_limbs` and :func:`fft_convolve` it gives the whole idea of FFT
    multiplication in one line (exact, because :func:`fft_convolve` is exact
    on integers):
    ``from_limbs(fft_convolve(to_limbs(x, b), to_limbs(y, b)), b) == x * y``.

    Examples
    --------
    >>> from convbook.fourier import fft_convolve, from_limbs, to_limbs
    >>> from_limbs([4, 3, 2, 1], 4) == 0x1234
    True
    >>> from_limbs([20, 13], 4)
    228
    >>> x, y = 12345678901234567890, 98765432109876543210
    >>> from_limbs(fft_convolve(to_limbs(x, 16), to_limbs(y, 16)), 16) == x * y
    True
    """
    arr = _as_vector("coefficients", coefficients)
    if not _is_integer_array(arr):
        raise TypeError(f"coefficients must hold integers, got {describe(coefficients)}.")
    b = check_int("limb_bits", limb_bits, minimum=1, maximum=MAX_SIZE)
    values = [int(c) for c in arr.tolist()]
    last = max((k for k, c in enumerate(values) if c), default=0)
    bits = last * b + abs(values[last]).bit_length()
    memory = memory_bytes()
    if memory is not None and bits > 8 * memory:
        raise ValueError(
            f"limb_bits={b} is too large for {len(values)} coefficients: coefficient {last} is shifted by "
            f"{last} * limb_bits bits, so the result would have {bits} bits, more than this machine's "
            f"memory ({memory} bytes) can hold."
        )
    shift = b
    while len(values) > 1:
        if len(values) % 2:
            values.append(0)
        values = [values[i] + (values[i + 1] << shift) for i in range(0, len(values), 2)]
        shift *= 2
    return values[0]


class MultiplyPlan(NamedTuple):
    """How :func:`multiply` splits two factors of the given sizes (see :func:`multiply_plan`)."""

    limb_bits: int
    limbs_x: int
    limbs_y: int
    length: int
    max_coefficient: int
    error_bound: float
    safe_limb_bits: int | None
    safe_length: int | None
    safe_error_bound: float | None
    uses_fft: bool


def multiply_plan(bits_x: int, bits_y: int) -> MultiplyPlan:
    r"""The limb size and transform length :func:`multiply` uses for factors of these sizes.

    Parameters
    ----------
    bits_x, bits_y : int
        Bit lengths of the two factors (``abs(x).bit_length()``), ``>= 1``.

    Returns
    -------
    MultiplyPlan
        A named tuple with

        - ``limb_bits`` (b), ``limbs_x``, ``limbs_y`` (:math:`\lceil
          \text{bits}/b \rceil`), ``length`` (the real FFT length, an
          even :math:`2^i 3^j 5^k \ge` limbs_x + limbs_y - 1: the smallest,
          or one at most 10% longer with fewer factors 3, whose passes are
          slower per point);
        - ``max_coefficient``: :math:`\min(n_x, n_y)(2^b - 1)^2`, the largest
          possible coefficient of the limb convolution (it must, and does,
          stay far below :math:`2^{53}`);
        - ``error_bound``: the predicted rounding-error bound for ordinary
          inputs (checked at run time by the exact certificate);
        - ``safe_limb_bits``, ``safe_length``, ``safe_error_bound``: the
          smaller limbs used when the run-time certificate fails (degenerate
          inputs whose balanced digits are all :math:`-2^{b-1}`); the bound
          holds for every input
          (None when even 1-bit limbs cannot be certified: multiply then
          splits the factors);
        - ``uses_fft``: whether ``multiply`` (default threshold) takes the
          FFT path at all rather than Python's ``x * y``.

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If a size is < 1, or above ``2**63 - 1`` (no number that large fits
        in memory).

    Notes
    -----
    The factors are written with balanced digits before the transform,
    :math:`x = \sum_i u_i 2^{bi}` with :math:`|u_i| \le 2^{b-1}` (the top
    digit :math:`\le 2^b`), which removes the dominant zero-frequency term
    that non-negative limbs would give; the convolution of the digits is then
    directly the (signed) coefficient vector of :math:`xy`.  The bound is
    that of :func:`fft_convolve` applied to the digits, with :math:`\delta` taken from Higham's Theorem 24.2 for radix-2
    FFTs (:math:`t\eta/(1-t\eta)`, :math:`\eta = \mu + \gamma_4(\sqrt2+\mu)`,
    t levels) with twice the number of levels as a safety factor, since
    numpy's pocketfft uses mixed radices: for numpy's transforms this is an
    assumption, not a proof, which is why products are also verified.

    - ``limb_bits`` is the largest b whose *predicted* error for ordinary
      inputs (digits of rms :math:`2^{b-1}/\sqrt3`, and
      :math:`\lVert P\rVert_2/\sqrt L \approx \lVert u\rVert
      \lVert v\rVert`, as measured on random factors, with a factor 1.5 of
      slack) is at most 1/8; an odd b is lowered by one and 17 to 19 to 16
      (even limbs, 16-bit ones most of all, are cheaper to cut and
      reassemble, which outweighs the slightly longer transform).
    - ``safe_limb_bits`` is the largest b whose worst-case bound is at most
      1/8, for any digits: :math:`\lVert u\rVert_2 \le \sqrt{n+3}\,2^{b-1}`,
      :math:`\lVert u\rVert_1 \le (n+1)\,2^{b-1}`.

    Either way the coefficients are rounded only if the certificate computed
    from the actual data at run time is at most 1/4.  Longer factors get
    smaller limbs.

    Examples
    --------
    >>> from convbook.fourier import multiply_plan
    >>> plan = multiply_plan(33_220, 33_220)      # two 10^4-digit numbers
    >>> plan.limb_bits, plan.limbs_x, plan.length
    (16, 2077, 4320)
    >>> plan.error_bound < 0.125 and plan.max_coefficient < 2**53
    True
    >>> plan.safe_limb_bits
    13
    >>> multiply_plan(3_321_929, 3_321_929).limb_bits  # 10^6 digits: smaller limbs
    12
    """
    bx = check_int("bits_x", bits_x, minimum=1, maximum=MAX_SIZE)
    by = check_int("bits_y", bits_y, minimum=1, maximum=MAX_SIZE)
    plan = _fft.choose(bx, by, False)
    safe = _fft.choose(bx, by, True)
    if plan is None:
        plan = safe
    if plan is None:
        return MultiplyPlan(0, 0, 0, 0, 0, math.inf, None, None, None, min(bx, by) >= CROSSOVER_BITS)
    b = plan.limb_bits
    return MultiplyPlan(
        limb_bits=b,
        limbs_x=plan.limbs_x,
        limbs_y=plan.limbs_y,
        length=plan.length,
        max_coefficient=min(plan.limbs_x, plan.limbs_y) * ((1 << b) - 1) ** 2,
        error_bound=plan.bound,
        safe_limb_bits=None if safe is None else safe.limb_bits,
        safe_length=None if safe is None else safe.length,
        safe_error_bound=None if safe is None else safe.bound,
        uses_fft=min(bx, by) >= CROSSOVER_BITS,
    )


def multiply(x: int, y: int, *, threshold: int | None = None) -> int:
    r"""Exact product of two integers of any size, through a floating-point FFT.

    .. math::

        x = \sum_i x_i 2^{bi},\quad y = \sum_j y_j 2^{bj}
        \quad\Longrightarrow\quad
        xy = \sum_k \Big(\underbrace{\textstyle\sum_i x_i y_{k-i}}_{(x * y)_k}\Big) 2^{bk}:

    the limbs are convolved with an FFT, the (exactly integer) coefficients
    are rounded, and the carries are propagated.

    Parameters
    ----------
    x, y : int
        The factors: Python ints (or numpy integers) of any size and sign.
    threshold : int, optional
        Use Python's ``x * y`` when the smaller factor has fewer bits than
        this.  Default: the measured crossover, ``CROSSOVER_BITS`` (18 000
        bits, about 5400 decimal digits).  ``threshold=0`` forces the FFT path
        (for lessons and tests).

    Returns
    -------
    int
        ``x * y`` exactly, as a Python int.

    Raises
    ------
    TypeError
        If ``x``, ``y`` or ``threshold`` is not an integer (floats, strings,
        bools and numpy floats are refused).
    ValueError
        If ``threshold < 0``.

    Notes
    -----
    Steps (all vectorised; no decimal strings anywhere):

    1. :math:`|x|` and :math:`|y|` are written with balanced digits in
       :math:`[-2^{b-1}, 2^{b-1})` (:func:`multiply_plan` chooses b and
       the transform length; longer factors get smaller limbs): one big-int
       addition of the constant whose limbs are all :math:`2^{b-1}`, then
       ``int.to_bytes`` and strided ``numpy`` views of the bytes cut the
       limbs of the sum, and :math:`2^{b-1}` is subtracted from each;
    2. the digit vectors are convolved with ``numpy.fft.rfft``/``irfft``
       (real-input transforms; numpy's, for speed; :func:`fft` is our
       own): the result is the coefficient vector of :math:`xy` in base
       :math:`2^b`, no correction needed;
    3. a rigorous certificate of the rounding error (see
       :func:`fft_convolve`) is computed from the actual data; only if it is
       at most 1/4 (and every value is within 1/4 of an integer) are the
       coefficients rounded.  Otherwise the product is redone with the
       smaller, worst-case-safe limbs, and beyond float64's reach the factors
       are split in halves recursively;
    4. the (signed) coefficients are combined in small groups (pairs, for
       the usual limb sizes) into digits of base :math:`2^{gb}`, carried by
       vectorised passes until every digit is in :math:`[0, 2^{gb})` (the
       last few carries ripple one by one) and packed into bytes, and one
       ``int.from_bytes`` builds the result;
    5. the result is verified modulo the prime :math:`2^{30} - 35` and
       modulo :math:`2^{64}` (a few O(n) passes); if the check fails --
       which would mean the error bound's assumptions about numpy's FFT were
       violated -- the product is recomputed as ``x * y``.

    So the answer is never inexact.  Zero factors return 0 at once.

    References
    ----------
    A. Schönhage and V. Strassen, "Schnelle Multiplikation großer Zahlen",
    Computing 7 (1971), 281--292.  D. E. Knuth, *The Art of Computer
    Programming*, vol. 2, section 4.3.3.  N. J. Higham, *Accuracy and
    Stability of Numerical Algorithms*, 2nd ed., SIAM (2002), Theorem 24.2.

    Examples
    --------
    >>> from convbook.fourier import multiply
    >>> multiply(12345678901234567890, -98765432109876543210, threshold=0)
    -1219326311370217952237463801111263526900
    >>> x = 3**20000
    >>> multiply(x, x + 1) == x * (x + 1)
    True
    """
    x = _check_bigint("x", x)
    y = _check_bigint("y", y)
    threshold = CROSSOVER_BITS if threshold is None else check_int("threshold", threshold, minimum=0)
    if x == 0 or y == 0:
        return 0
    negative = (x < 0) != (y < 0)
    ax, ay = abs(x), abs(y)
    if min(ax.bit_length(), ay.bit_length()) < threshold:
        product = ax * ay
    else:
        product = _fft.fft_product(ax, ay)
    return -product if negative else product


def multiply_unsafe(x: int, y: int, limb_bits: int) -> int:
    r"""DEMONSTRATION ONLY: FFT multiplication with a limb size you choose, unchecked.

    The same convolution of limbs as :func:`multiply`, but with the limb
    size imposed, no centring, no error certificate, no verification and no
    fallback.  With limbs too large for the length, the coefficients
    :math:`(x * y)_k` (up to :math:`\min(n_x, n_y)(2^b-1)^2`) exceed what
    float64's 53-bit significand and the FFT's rounding errors allow, the
    rounding picks the wrong integer, and **the product is wrong**.  Never
    use it for real work: use :func:`multiply`.

    Parameters
    ----------
    x, y : int
        The factors (any size and sign).
    limb_bits : int
        The limb size b, ``1 <= b <= 32``.

    Returns
    -------
    int
        The sum :math:`\sum_k \mathrm{round}(\tilde z_k)\, 2^{bk}` of the
        rounded floating-point coefficients, with the signs applied: equal to
        ``x * y`` only when the limbs were small enough.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If ``limb_bits`` is out of range.

    Notes
    -----
    Compare with :func:`multiply_plan`, which chooses b from a proven
    error bound.

    Examples
    --------
    >>> from convbook.fourier import multiply_unsafe
    >>> x = 7**3000                                # about 8400 bits
    >>> multiply_unsafe(x, x + 1, limb_bits=8) == x * (x + 1)
    True
    >>> multiply_unsafe(x, x + 1, limb_bits=30) == x * (x + 1)
    False
    """
    x = _check_bigint("x", x)
    y = _check_bigint("y", y)
    b = check_int("limb_bits", limb_bits, minimum=1)
    if b > 32:
        raise ValueError(f"limb_bits must be an integer between 1 and 32, got {describe(limb_bits)}.")
    if x == 0 or y == 0:
        return 0
    negative = (x < 0) != (y < 0)
    ax, ay = abs(x), abs(y)
    nx, ny = -(-ax.bit_length() // b), -(-ay.bit_length() // b)
    n = _fft.next_fast_length(nx + ny - 1)
    xf = _fft.extract_limbs(ax, b, nx).astype(np.float64)
    yf = _fft.extract_limbs(ay, b, ny).astype(np.float64)
    z = np.fft.irfft(np.fft.rfft(xf, n) * np.fft.rfft(yf, n), n)[: nx + ny - 1]
    coefficients = [int(c) for c in np.rint(z).tolist()]  # exact: floats are integers here
    product = from_limbs(np.array(coefficients, dtype=object), b)
    return -product if negative else product
