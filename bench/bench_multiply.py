"""fourier.multiply vs Python's own ``x * y`` (Karatsuba in CPython), exact products.

Two tables: the requested sizes (10^3 .. 10^6 decimal digits, default
threshold, so below the crossover multiply() simply calls ``x * y``), and a
sweep with the FFT path forced (``threshold=0``) that locates the crossover.
Integers are built from random bytes (CPython refuses int(str) beyond 4300
digits); every product is checked against ``x * y``.
"""

from __future__ import annotations

import math
import random

from _common import median_times, print_table, progress

from convbook import fourier

_BITS_PER_DIGIT = math.log2(10)


def _random_int(rng: random.Random, digits: int) -> int:
    nbytes = max(1, math.ceil(digits * _BITS_PER_DIGIT / 8))
    x = int.from_bytes(rng.randbytes(nbytes), "little")
    return x | (1 << (nbytes * 8 - 1))  # full length


def _row(rng, digits, repeat, threshold=None):
    x, y = _random_int(rng, digits), _random_int(rng, digits)
    exact = x * y
    got = fourier.multiply(x, y, threshold=threshold)
    ok = got == exact
    times = median_times(
        {"int": lambda: x * y, "fourier": lambda: fourier.multiply(x, y, threshold=threshold)},
        repeat=repeat,
    )
    ti, tf = times["int"], times["fourier"]
    return [f"{digits:,}",
            ti * 1e3, tf * 1e3, ti / tf, "yes" if ok else "NO"], ti / tf


def main(quick: bool = False) -> None:
    rng = random.Random(20240604)
    sizes = [100, 1000, 3000] if quick else [10**3, 10**4, 10**5, 10**6]
    rows = []
    for d in sizes:
        progress(f"multiply {d} digits")
        row, _ = _row(rng, d, repeat=3 if quick else (5 if d < 10**6 else 3))
        rows.append(row)
    print_table(
        "fourier.multiply vs Python int (x * y), default threshold",
        ["digits", "int ms", "fourier ms", "speed-up", "exact"],
        rows,
        note=f"default threshold: FFT path when the smaller factor has >= {fourier.CROSSOVER_BITS} bits "
        f"(~{fourier.CROSSOVER_BITS / _BITS_PER_DIGIT:.0f} digits); medians of interleaved runs.",
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
        "crossover sweep: fourier.multiply(x, y, threshold=0) vs x * y",
        ["digits", "int ms", "fourier ms", "speed-up", "exact"],
        rows,
        note="FFT path first faster at about "
        + (f"{crossover} digits" if crossover else "no size in this sweep"),
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
