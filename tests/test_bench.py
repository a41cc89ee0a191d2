"""`make bench` works: every suite runs (in quick mode) and prints its table.

Speed itself is never asserted here: ratios are measured by `make bench`.
"""

import subprocess
import sys

from conftest import ROOT


def test_bench_quick_prints_every_table():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    for title in ("fourier.multiply vs Python int (x * y) and gmpy2",
                  "discrete.convolve(method='auto') vs numpy.convolve, scipy.signal.fftconvolve / oaconvolve",
                  "fourier.fft vs numpy.fft.fft and scipy.fft.fft",
                  "nn.conv2d (float32) vs torch.nn.functional.conv2d",
                  "Live explorers: one slider step (ms)"):
        assert title in out.stdout, f"missing table: {title}\n{out.stdout[-2000:]}"
    for column in ("slower than gmpy2", "auto / best peer", "vs scipy", "vs torch"):  # the peers' ratios
        assert column in out.stdout, f"missing ratio column: {column}"
    explorers = out.stdout.split("Live explorers: one slider step (ms)", 1)[1]
    for name in ("rolling_up", "discrete", "long_multiplication", "butterfly", "wraparound", "conv2d", "gallery"):
        assert f"{name}_explorer" in explorers, f"no row for {name}_explorer"
    assert " NO\n" not in explorers, "a burst of key presses did not end on the right picture"
    assert "exact" in out.stdout and " NO\n" not in out.stdout.split("## fourier.fft")[0], "an inexact product"


def test_bench_grade_runs_on_a_tiny_class():
    """`make bench-grade` grades a synthetic class serially and with 2 workers and prints the table."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_grade.py"), "--students", "2"],
                         capture_output=True, text=True, timeout=1200)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Grading a class of 2" in out.stdout and "speed-up with 2 jobs" in out.stdout, out.stdout[-2000:]
