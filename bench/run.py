"""`make bench`: every benchmark table, measured side by side in one run.

Usage: python bench/run.py [--quick] [name ...]   (names: multiply, convolve, fft, nn, widgets)
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SUITES = {
    "multiply": ("bench_multiply", "fourier.multiply vs Python int and gmpy2 (GMP)"),
    "convolve": ("bench_convolve", "discrete.convolve(method='auto') vs numpy and scipy.signal"),
    "fft": ("bench_fft", "fourier.fft vs numpy.fft and scipy.fft"),
    "nn": ("bench_nn", "nn.conv2d vs torch (CPU, same threads) and the BLAS limit"),
    "widgets": ("bench_widgets", "the live explorers: kernel time per slider step, and a burst of key presses"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("names", nargs="*", choices=[*SUITES, []], default=[])
    args = parser.parse_args()
    import numpy as np

    from convbook import _fft

    # glibc's malloc serves large arrays from fresh, page-faulting memory until the process first frees
    # a large block, and from reused memory after that (its adaptive mmap threshold).  Every suite, and
    # numpy's own FFT above all (work arrays of 2 to 16 MB per call at 2^17 to 2^20), is measured in that second, steady
    # state -- the one a notebook kernel is in after a few cells -- whichever suites ran before it.
    _fft._raise_malloc_thresholds()
    print(f"convbook benchmarks -- python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}; malloc in its steady state (see run.py)")
    for name in args.names or SUITES:
        module, title = SUITES[name]
        print(f"\n## {title}", flush=True)
        importlib.import_module(module).main(quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
