"""Private engine of :mod:`convbook.fourier`: fast FFT paths, error bounds, limb packing.

Nothing here validates its arguments: the public functions of
:mod:`convbook.fourier` do that first and then call these helpers with clean
``complex128`` arrays or positive Python ints.  The modules, each importing
only those above it:

- ``lengths``: the FFT lengths that numpy's pocketfft does fast (2^i 3^j 5^k),
  for :mod:`convbook.discrete` and its overlap-add blocks too, and the small
  primes the mixed-radix passes handle;
- ``stockham``: twiddle factors computed from exact integer angles, cached per
  length, and a Stockham (self-sorting) Cooley--Tukey FFT for every length
  whose prime factors are all below 256 (SMALL_PRIMES), powers of two
  included: mixed radix (passes of radix 16 and 8 for powers of two, up to 27
  or a prime factor otherwise), each pass one batch of small DFT-matrix
  products (real-arithmetic ones on float64 views from n = 32 on, radices
  <= 64);
- ``bluestein``: Bluestein's chirp-z FFT for every other length, built on the
  former with a 7-smooth convolution length, and the plan for any length;
- ``bounds``: rigorous rounding-error certificates for FFT convolutions of
  integers;
- ``intconv``: exact convolution of integer vectors;
- ``limbs``: vectorised conversion between Python ints and b-bit limbs;
- ``product``: the exact FFT product of two positive Python ints.

This package re-exports what :mod:`convbook.fourier`, :mod:`convbook.discrete`,
the tests and the benchmarks use.
"""

from .lengths import SMALL_PRIMES, is_pow2, next_fast_len, next_smooth
from .stockham import dft_matrix_cached, fft_pow2, fft_stockham, ifft_pow2, mixed_radices, small_dft, unit_roots
from .bluestein import FFTPlan, bluestein_length, fft_any, fft_bluestein_core, fft_plan, ifft_any
from .bounds import convolution_certificate, pocketfft_delta, stockham_delta
from .intconv import as_int_array, exact_int_convolve, norm2
from .limbs import (
    assemble, assemble_signed, balanced_digits, carry_assemble, centred_limbs, centring_offset, extract_limbs,
    pack_digits,
)
from .product import (
    CHECK_PRIME, _raise_malloc_thresholds, attempt_product, choose, fft_product, next_fast_length, verify,
)

__all__ = [
    "Xlengths", "SMALL_PRIMES", "is_pow2", "next_fast_len", "next_smooth", "Xstockham", "dft_matrix_cached",
    "fft_pow2", "fft_stockham", "ifft_pow2", "mixed_radices", "small_dft", "unit_roots", "Xbluestein",
    "FFTPlan", "bluestein_length", "fft_any", "fft_bluestein_core", "fft_plan", "ifft_any", "Xbounds",
    "convolution_certificate", "pocketfft_delta", "stockham_delta", "Xintconv", "as_int_array",
    "exact_int_convolve", "norm2", "Xlimbs", "assemble", "assemble_signed", "balanced_digits",
    "carry_assemble", "centred_limbs", "centring_offset", "extract_limbs", "pack_digits", "Xproduct",
    "CHECK_PRIME", "_raise_malloc_thresholds", "attempt_product", "choose", "fft_product", "next_fast_length",
    "verify",
]
