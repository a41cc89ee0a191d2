"""Rigorous rounding-error bounds: Higham's constants, the FFTs' relative errors, convolution certificates."""

from __future__ import annotations

import math

from .stockham import _real_folded, _uses_real_passes, stockham_radices


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
