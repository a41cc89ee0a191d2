"""Shared helpers for the benchmarks: side-by-side medians and plain-text tables.

Benchmarks print ratios measured in one run, never assert a wall time: this
machine is noisy, so only ratios of interleaved measurements mean anything.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time


def interleaved_samples(fns: dict, repeat: int = 5, number: int = 1) -> dict:
    """Time every callable in ``fns`` ``repeat`` times, interleaved; return {name: [seconds per call, ...]}.

    Interleaving (a, b, a, b, ...) means that a burst of noise on the machine
    hits every contender alike, so the ratios stay meaningful.
    """
    samples = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - t0) / number)
    return samples


def median_times(fns: dict, repeat: int = 5, number: int = 1) -> dict:
    """Medians (s) of ``interleaved_samples``."""
    return {name: statistics.median(ts) for name, ts in interleaved_samples(fns, repeat, number).items()}


def print_table(title: str, headers: list[str], rows: list[list], note: str = "") -> None:
    """Print a fixed-width table with a title and an optional note underneath."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    print()
    print(title)
    print("=" * len(title))
    print("  ".join(h.rjust(w) for h, w in zip(cells[0], widths)))
    print(line)
    for r in cells[1:]:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    if note:
        print(note)
    sys.stdout.flush()


def _fmt(c) -> str:
    if isinstance(c, float):
        if c == 0:
            return "0"
        if abs(c) >= 100:
            return f"{c:.0f}"
        if abs(c) >= 1:
            return f"{c:.2f}"
        return f"{c:.3g}"
    return str(c)


def progress(msg: str) -> None:
    """One progress line on stderr, so long benchmarks show they are alive."""
    print(f"  ... {msg}", file=sys.stderr, flush=True)
