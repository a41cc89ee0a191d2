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

    print(f"convbook benchmarks -- python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    for name in args.names or SUITES:
        module, title = SUITES[name]
        print(f"\n## {title}", flush=True)
        importlib.import_module(module).main(quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
