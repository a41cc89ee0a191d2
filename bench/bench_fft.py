"""fourier.fft (own Stockham / Bluestein, pure numpy) vs numpy.fft.fft and scipy.fft.fft (pocketfft, C).

complex128 input; powers of two from 2^10 to 2^20, then other lengths: smooth
ones (every prime factor below 256), which our fft() computes with the same
mixed-radix Stockham passes as the powers of two, and lengths with a larger
prime factor, which go to Bluestein's algorithm (two mixed-radix transforms
of a 7-smooth length m >= 2n - 1).  The "plan" column says which, with the
radices of the passes.  Each result is also checked against numpy:
max error / max(1, max|X|).

Timings: numpy and convbook alternate (bench/_common.median_times), and each
column is the median of the repeats, so that the load of a shared machine
hits all alike; only the ratio means something.  run.py first puts glibc's
malloc in its steady state: before a process has freed a large block,
numpy's per-call work arrays (2 to 16 MB at 2^17 to 2^20) come from fresh
pages, one page fault per 4 KiB, and numpy.fft is up to 1.6x slower there
(measured) -- which made these ratios depend on which suites ran first.
The ratio is to numpy.fft (the issue's goal: <= 1.5 at powers of two >=
2^12); scipy.fft is shown beside it.
"""

from __future__ import annotations

import numpy as np
import scipy.fft
from _common import median_times, print_table, progress

from convbook import _fft, fourier


def _plan(n: int) -> str:
    plan = _fft.fft_plan(n)
    radices = "*".join(str(r) for r in plan.radices)
    if plan.algorithm == "stockham":
        return f"radix {radices}"
    return f"Bluestein m={plan.length} ({radices})"


def _rows(sizes, rng, quick, with_plan):
    rows = []
    for n in sizes:
        progress(f"fft n={n}")
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        ref = np.fft.fft(x)
        err = float(np.max(np.abs(fourier.fft(x) - ref)) / max(1.0, float(np.max(np.abs(ref)))))
        number = max(1, (1 << 16) // n) if quick else max(1, (1 << 19) // n)
        times = median_times(
            {"numpy": lambda: np.fft.fft(x), "scipy": lambda: scipy.fft.fft(x), "convbook": lambda: fourier.fft(x)},
            repeat=3 if quick else 9,
            number=number,
        )
        tn, tc = times["numpy"], times["convbook"]
        row = [n, tn * 1e6, times["scipy"] * 1e6, tc * 1e6, tc / tn, tc / times["scipy"], f"{err:.0e}"]
        rows.append(row + [_plan(n)] if with_plan else row)
    return rows


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(20240604)
    pow2 = [2**p for p in (range(6, 11) if quick else range(10, 21))]
    if quick:
        other = [100, 3**5, 1000, 257]
    else:
        other = [1000, 3**9, 5**6, 10**5, 2**10 * 3**5, 10**6, 97 * 1024, 251 * 256,
                 65537, 10**5 + 3, 257 * 256]
    headers = ["n", "numpy us", "scipy us", "convbook us", "vs numpy", "vs scipy", "max rel err"]
    print_table(
        "fourier.fft vs numpy.fft.fft and scipy.fft.fft, powers of two (complex128)",
        headers,
        _rows(pow2, rng, quick, False),
        note="vs numpy / vs scipy = convbook's time over the peer's, medians of interleaved runs (lower is "
        "better); goal: <= 1.5 x numpy for n >= 2^12.",
    )
    print_table(
        "fourier.fft vs numpy.fft.fft and scipy.fft.fft, other lengths (mixed radix or Bluestein)",
        headers + ["plan"],
        _rows(other, rng, quick, True),
        note="mixed radix for every n whose prime factors are < 256 (97 * 1024, 251 * 256: one pass of "
        "prime radix);\nBluestein otherwise (65537 and 10^5 + 3 are prime, 257 * 256 is not; numpy's "
        "timings show it using Bluestein for all three too).",
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
