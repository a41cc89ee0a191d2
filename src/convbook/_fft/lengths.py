"""FFT lengths: the smooth ones numpy's pocketfft does fast, the primes the mixed-radix passes handle."""

from __future__ import annotations

import functools
import math


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
