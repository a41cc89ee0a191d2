"""fourier.multiply vs Python's own ``x * y`` (Karatsuba in CPython) and GMP (gmpy2), exact products.

The peers a user would pick instead: ``int`` multiplication, and ``gmpy2.mpz``
multiplication (GMP's Toom-Cook and Schoenhage-Strassen; the operands are
converted to ``mpz`` before timing).  gmpy2 is a benchmark dependency only.

Two tables: the requested sizes (10^3 .. 10^6 decimal digits, default
threshold, so below the crossover multiply() simply calls ``x * y``), and a
sweep with the FFT path forced (``threshold=0``) that locates the crossover.
Integers are built from random bytes (CPython refuses int(str) beyond 4300
digits); every product is checked against ``x * y``.
"""

from __future__ import annotations

import math
import random
import time

import gmpy2
from _common import median_times, print_table, progress

from convbook import fourier

_BITS_PER_DIGIT = math.log2(10)
_SAMPLE_S = 0.005  # seconds per timing sample, at least (one call when a call takes longer)


def _random_int(rng: random.Random, digits: int) -> int:
    nbytes = max(1, math.ceil(digits * _BITS_PER_DIGIT / 8))
    x = int.from_bytes(rng.randbytes(nbytes), "little")
    return x | (1 << (nbytes * 8 - 1))  # full length


def _row(rng, digits, repeat, threshold=None):
    x, y = _random_int(rng, digits), _random_int(rng, digits)
    gx, gy = gmpy2.mpz(x), gmpy2.mpz(y)
    exact = x * y
    t0 = time.perf_counter()
    got = fourier.multiply(x, y, threshold=threshold)  # also the warm-up (plans, buffers)
    once = max(time.perf_counter() - t0, 1e-7)
    ok = got == exact and int(gx * gy) == exact
    # As timeit does: each sample repeats the call until it lasts a few ms, the same count for every
    # contender, so that a sub-millisecond product is not timed as one cold call after gc.collect().
    number = max(1, min(1000, round(_SAMPLE_S / once)))
    times = median_times(
        {"int": lambda: x * y, "gmpy2": lambda: gx * gy,
         "fourier": lambda: fourier.multiply(x, y, threshold=threshold)},
        repeat=repeat, number=number,
    )
    ti, tg, tf = times["int"], times["gmpy2"], times["fourier"]
    return [f"{digits:,}",
            ti * 1e3, tg * 1e3, tf * 1e3, ti / tf, tf / tg, "yes" if ok else "NO"], ti / tf


def main(quick: bool = False) -> None:
    rng = random.Random(20240604)
    sizes = [100, 1000, 3000] if quick else [10**3, 10**4, 10**5, 10**6]
    rows = []
    for d in sizes:
        progress(f"multiply {d} digits")
        row, _ = _row(rng, d, repeat=3 if quick else (5 if d < 10**6 else 3))
        rows.append(row)
    print_table(
        "fourier.multiply vs Python int (x * y) and gmpy2 (GMP), default threshold",
        ["digits", "int ms", "gmpy2 ms", "fourier ms", "faster than int", "slower than gmpy2", "exact"],
        rows,
        note=f"default threshold: FFT path when the smaller factor has >= {fourier.CROSSOVER_BITS} bits "
        f"(~{fourier.CROSSOVER_BITS / _BITS_PER_DIGIT:.0f} digits); medians of interleaved runs.\n"
        "goal (speed issue): >= 15x int and <= 3x gmpy2 at 10^6 digits.",
    )

    sweep = [300, 1000, 3000] if quick else [2000, 4000, 6000, 8000, 10_000, 15_000, 20_000, 30_000]
    rows, crossover = [], None
    for d in sweep:
        progress(f"forced FFT {d} digits")
        row, speedup = _row(rng, d, repeat=3 if quick else 7, threshold=0)
        rows.append(row)
        if crossover is None and speedup > 1:
            crossover = d
    print_table(
        "crossover sweep: fourier.multiply(x, y, threshold=0) vs x * y and gmpy2",
        ["digits", "int ms", "gmpy2 ms", "fourier ms", "faster than int", "slower than gmpy2", "exact"],
        rows,
        note="FFT path first faster at about "
        + (f"{crossover} digits" if crossover else "no size in this sweep"),
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
