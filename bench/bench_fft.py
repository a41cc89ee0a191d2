"""fourier.fft (own Stockham / Bluestein, pure numpy) vs numpy.fft.fft (pocketfft, C).

complex128 input; powers of two from 2^10 to 2^20, then a few other lengths
(which our fft() computes with Bluestein's algorithm on power-of-two
transforms of length >= 2n - 1, where pocketfft has native mixed radices).
Each result is also checked against numpy: max error / max(1, max|X|).
"""

from __future__ import annotations

import numpy as np
from _common import median_times, print_table, progress

from convbook import fourier


def _rows(sizes, rng, quick):
    rows = []
    for n in sizes:
        progress(f"fft n={n}")
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        ref = np.fft.fft(x)
        err = float(np.max(np.abs(fourier.fft(x) - ref)) / max(1.0, float(np.max(np.abs(ref)))))
        number = max(1, (1 << 16) // n) if quick else max(1, (1 << 19) // n)
        times = median_times(
            {"numpy": lambda: np.fft.fft(x), "convbook": lambda: fourier.fft(x)},
            repeat=3 if quick else 7,
            number=number,
        )
        tn, tc = times["numpy"], times["convbook"]
        rows.append([n, tn * 1e6, tc * 1e6, tc / tn, f"{err:.0e}"])
    return rows


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(20240604)
    pow2 = [2**p for p in (range(6, 11) if quick else range(10, 21))]
    other = [100, 3**5, 1000] if quick else [1000, 3**9, 10**5 + 3]
    print_table(
        "fourier.fft vs numpy.fft.fft, powers of two (complex128)",
        ["n", "numpy us", "convbook us", "ratio", "max rel err"],
        _rows(pow2, rng, quick),
        note="ratio = convbook / numpy time (lower is better); target: <= 4 for n >= 2^12.",
    )
    print_table(
        "fourier.fft vs numpy.fft.fft, other lengths (Bluestein)",
        ["n", "numpy us", "convbook us", "ratio", "max rel err"],
        _rows(other, rng, quick),
        note="Bluestein: two power-of-two FFTs of length >= 2n - 1 (the chirp's transform is cached).",
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
