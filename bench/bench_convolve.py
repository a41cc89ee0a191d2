"""Benchmark: ``discrete.convolve(method='auto')`` against the peers a user would pick instead.

For float64 signals of length n and kernels of length k, the table shows
``numpy.convolve`` (direct), ``scipy.signal.fftconvolve``, ``scipy.signal.oaconvolve``
(overlap-add), convbook's own ``method='fft'``, and ``discrete.convolve(method='auto')``;
then the ratio of 'auto' to the best peer, and what ``scipy.signal.choose_conv_method``
and 'auto' pick.  'auto' is timed side by side (interleaved medians) with each
contender in turn.  The issue's target: 'auto' within 1.1x of the best of numpy,
fftconvolve and oaconvolve over the whole (n, k) grid.

``python bench/bench_convolve.py --calibrate`` re-measures the constants of
that cost model (see the comment above them in ``convbook/discrete.py``) and
prints them; with ``--write`` it also writes them into ``convbook/discrete.py``,
where ``convolve`` reads them.  ``--only NAME[,NAME]`` re-measures a part of
them: ``direct``, ``fft``, ``overlap-add``, ``int`` (object kernel and
integer FFT overheads), ``2d``.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time

import numpy as np
import scipy.signal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import median_times, print_table, progress  # noqa: E402

from convbook import discrete  # noqa: E402


def _one_call(fn):
    fn()  # warm up
    t0 = time.perf_counter()
    fn()
    return max(time.perf_counter() - t0, 1e-7)


def _number_for(fn, target=0.02):
    """How many calls make one sample last about `target` seconds."""
    return max(1, min(100_000, int(target / _one_call(fn))))


def _shared_number(fns, target=0.02, cap=1.0):
    """One call count for interleaved contenders: enough calls that a sample of
    the fastest lasts about `target` s (so that one cold first call does not
    dominate it), but a sample of the slowest at most about `cap` s."""
    times = [_one_call(f) for f in fns.values()]
    return max(1, min(100_000, int(target / min(times)), int(cap / max(times))))


def _pair(fns, repeat, quick):
    """Interleaved medians of two contenders, in both orders, averaged (seconds)."""
    number = _shared_number(fns, target=0.002, cap=0.05) if quick else _shared_number(fns, target=0.05, cap=0.5)
    forward = median_times(fns, repeat=repeat, number=number)
    backward = median_times(dict(reversed(list(fns.items()))), repeat=repeat, number=number)
    return {name: (forward[name] + backward[name]) / 2 for name in fns}


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(0)
    ns = [10**3, 10**4] if quick else [10**3, 10**4, 10**5, 10**6]
    ks = [2, 100] if quick else [2, 10, 100, 1000]
    repeat = 3 if quick else 9
    rows = []
    worst = 0.0
    for n in ns:
        for k in ks:
            progress(f"convolve n={n} k={k}")
            a = rng.standard_normal(n)
            v = rng.standard_normal(k)
            auto = lambda: discrete.convolve(a, v, method="auto")  # noqa: E731
            # 'auto' is timed against each contender separately, side by side.  (In
            # a many-way rotation, whichever runs right after an FFT pays for the
            # page faults of the memory the FFT gave back to the OS: up to 5x on a
            # 1 ms call, which measures glibc, not convolution.)
            contenders = {
                "numpy": lambda: np.convolve(a, v),
                "fftconvolve": lambda: scipy.signal.fftconvolve(a, v),
                "oaconvolve": lambda: scipy.signal.oaconvolve(a, v),
                "own fft": lambda: discrete.convolve(a, v, method="fft"),
            }
            pairs = {name: _pair({name: fn, "auto": auto}, repeat, quick) for name, fn in contenders.items()}
            peers = ("numpy", "fftconvolve", "oaconvolve")
            best = min(peers, key=lambda name: pairs[name][name])
            ratio = pairs[best]["auto"] / pairs[best][best]
            worst = max(worst, ratio)
            rows.append(
                [n, k, *(pairs[name][name] * 1e3 for name in contenders), pairs[best]["auto"] * 1e3, ratio,
                 best, scipy.signal.choose_conv_method(a, v), discrete.choose_method(a, v)]
            )
    print_table(
        "discrete.convolve(method='auto') vs numpy.convolve, scipy.signal.fftconvolve / oaconvolve "
        "(float64, mode='full')",
        ["n", "k", "numpy ms", "fftconvolve ms", "oaconvolve ms", "own fft ms", "auto ms", "auto / best peer",
         "best peer", "scipy picks", "auto picks"],
        rows,
        note=(
            f"worst ratio auto / best peer = {worst:.2f} (goal <= 1.1).  'auto' is timed in side-by-side "
            f"pairs, against each contender in turn (interleaved medians of {repeat} samples, both orders "
            "averaged); 'auto ms' and the ratio come from the pair with the best peer."
        ),
    )


# ---------------------------------------------------------------------------
# Calibration of the cost model (not part of `make bench`)
# ---------------------------------------------------------------------------


def _best_time(fn, repeat=5, target=0.01):
    number = _number_for(fn, target)
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def _fit(features, times):
    """Non-negative least squares on the relative error: min sum ((X c - t) / t)^2, c >= 0."""
    from scipy.optimize import nnls  # the benchmarks may use scipy; the package does not

    X = np.asarray(features, dtype=float)
    t = np.asarray(times, dtype=float)
    c, _ = nnls(X / t[:, None], np.ones_like(t))
    err = X @ c / t - 1
    return c, float(np.abs(err).max()), float(np.sqrt(np.mean(err**2)))


PARTS = ("direct", "fft", "overlap-add", "int", "2d")


def _fmt_constant(x: float) -> str:
    return "0.0" if x == 0 else re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{x:.3g}")


def write_constants(values: dict, path: str | None = None) -> list[str]:
    """Rewrite the assignments of the named constants in ``convbook/discrete.py``; returns the new lines.

    A line ``_A, _B = 1.0, 2.0  # comment`` is rewritten when every name on its
    left is in ``values``; a tuple value is written as a tuple.  The comments stay.
    """
    path = path or discrete.__file__
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    pattern = re.compile(r"^(_[A-Z0-9_]+(?:, _[A-Z0-9_]+)*) = ([^#]*?)(\s*#.*)?$")
    changed = []
    for i, line in enumerate(lines):
        m = pattern.match(line)
        if not m:
            continue
        names = m.group(1).split(", ")
        if not all(name in values for name in names):
            continue
        parts = []
        for name in names:
            v = values[name]
            parts.append("(" + ", ".join(_fmt_constant(x) for x in v) + ")" if isinstance(v, tuple) else _fmt_constant(v))
        lines[i] = f"{m.group(1)} = {', '.join(parts)}{m.group(3) or ''}"
        changed.append(lines[i])
    missing = set(values) - {n for line in changed for n in line.split(" = ")[0].split(", ")}
    if missing:
        raise SystemExit(f"no assignment of {sorted(missing)} in {path}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return changed


def calibrate(parts=PARTS, write: bool = False) -> dict:
    """Measure the constants of the cost model of ``discrete.convolve(method='auto')``.

    Every method is timed through the public function (``method='direct'``,
    ``'fft'`` and ``'overlap-add'``, so with their overheads), one right after
    the other at every grid point, so that they see the same load on the
    machine; the best of 7 runs is kept.  Prints the fitted constants and
    their rms / max relative errors, and returns them by the names they have
    in ``convbook/discrete.py`` (written there when `write` is true).
    """
    rng = np.random.default_rng(0)
    found: dict = {}
    Ms = [30, 100, 300, 1000, 3000, 10**4, 3 * 10**4, 10**5, 3 * 10**5, 10**6]
    Ns = [1, 2, 5, 11, 12, 30, 100, 300, 1000, 3000]
    d0s = []
    for label, make, kind in [
        ("float64", lambda n: rng.standard_normal(n), "f"),
        ("complex128", lambda n: rng.standard_normal(n) + 1j * rng.standard_normal(n), "c"),
        ("int64", lambda n: rng.integers(-1000, 1000, n), "i"),
    ]:
        direct = {"small": ([], []), "blas": ([], [])}
        fft = ([], [])
        oa = ([], [])
        for M in Ms:
            for N in Ns:
                if N > M or M * N > 3 * 10**8 or (kind != "f" and M * N > 3 * 10**7):
                    continue
                a, v = make(M), make(N)
                for mode in ("full", "same", "valid"):
                    start, length = discrete._window(M, N, mode)
                    if "direct" in parts:
                        macs = discrete._direct_macs(M, N, start, length)
                        t = _best_time(lambda: discrete.convolve(a, v, mode, "direct"), repeat=7)
                        group = direct["small" if kind == "f" and N <= discrete._SMALL_KERNEL else "blas"]
                        group[0].append([1.0, length, macs])
                        group[1].append(t)
                    if kind == "i" or mode == "same":
                        continue
                    if "fft" in parts:
                        L = discrete._fft_length(M, N, start, length, kind)
                        t = _best_time(lambda: discrete.convolve(a, v, mode, "fft"), repeat=7)
                        lg = math.log2(L)
                        fft[0].append([1.0, L, L * lg, L * lg * lg])
                        fft[1].append(t)
                    if "overlap-add" in parts and mode == "full" and 1 < N and 4 * N <= M:
                        _, L, blocks = discrete._oa_plan(M, N)
                        t = _best_time(lambda: discrete.convolve(a, v, mode, "overlap-add"), repeat=7)
                        oa[0].append([1.0, blocks * L, blocks * L * math.log2(L)])
                        oa[1].append(t)
            progress(f"{label}: M={M} done")
        names = {"f": {"small": ("_D_OUT_SMALL", "_D_MAC_SMALL"), "blas": ("_D_OUT", "_D_MAC")},
                 "c": {"blas": ("_D_OUT_COMPLEX", "_D_MAC_COMPLEX")},
                 "i": {"blas": ("_D_OUT_INT", "_D_MAC_INT")}}[kind]
        for name, (X, t) in direct.items():
            if X:
                c, emax, erms = _fit(X, t)
                progress(f"direct {label} ({name}): D0={c[0]:.3g} D_OUT={c[1]:.3g} D_MAC={c[2]:.3g} "
                         f"(rms {erms:.2f}, max {emax:.2f})")
                if name in names:
                    found[names[name][0]], found[names[name][1]] = float(c[1]), float(c[2])
                if kind == "f":
                    d0s.append(float(c[0]))
        if fft[0]:
            c, emax, erms = _fit(*fft)
            progress(f"fft {label}: F0={c[0]:.3g} F_LIN={c[1]:.3g} F_NLOGN={c[2]:.3g} F_NLOG2N={c[3]:.3g} "
                     f"(rms {erms:.2f}, max {emax:.2f})")
            found["_FFT_COMPLEX" if kind == "c" else "_FFT_REAL"] = tuple(float(x) for x in c)
        if oa[0]:
            c, emax, erms = _fit(*oa)
            progress(f"overlap-add {label}: A0={c[0]:.3g} A_LIN={c[1]:.3g} A_NLOGN={c[2]:.3g} "
                     f"(rms {erms:.2f}, max {emax:.2f})")
            found["_OA_COMPLEX" if kind == "c" else "_OA_REAL"] = tuple(float(x) for x in c)
    if d0s:
        found["_D0"] = float(np.mean(d0s))
    if "int" in parts:
        a = rng.integers(-(10**6), 10**6, 300).astype(object)
        v = rng.integers(-(10**6), 10**6, 300).astype(object)
        t = _best_time(lambda: discrete._kernel(a, v, "full", False), repeat=3)
        progress(f"direct object: D_MAC_OBJECT={t / 300**2:.3g}")
        found["_D_MAC_OBJECT"] = t / 300**2
        # integer FFT overhead per sample (conversion, norms, rounding, back to int64)
        feats, times = [], []
        for e in range(8, 21, 2):
            M = 2**e // 2
            ai, vi = rng.integers(-100, 100, M), rng.integers(-100, 100, M)
            L = discrete._pow2(2 * M - 1)
            t_int = _best_time(lambda: discrete.convolve(ai, vi, method="fft"), repeat=3)
            af, vf = ai.astype(float), vi.astype(float)
            t_flt = _best_time(lambda: discrete._cyclic_float(af, vf, L, "f"), repeat=3)
            feats.append([L])
            times.append(t_int - t_flt)
        c = np.linalg.lstsq(np.asarray(feats, float), np.asarray(times), rcond=None)[0]
        progress(f"int fft extra: F_INT_LIN={c[0]:.3g}")
        found["_F_INT_LIN"] = max(float(c[0]), 0.0)
    if "2d" in parts:
        # 2-D shift-and-add: per shift and per multiply-add
        feats, times = [], []
        for S in (16, 64, 256, 1024):
            for K in (1, 2, 3, 5, 9):
                a, k = rng.standard_normal((S, S)), rng.standard_normal((K, K))
                t = _best_time(lambda: discrete._direct2d(a, k), repeat=3)
                feats.append([1.0, K * K, K * K * S * S])
                times.append(t)
        c, emax, erms = _fit(feats, times)
        progress(f"direct 2-D: D0={c[0]:.3g} SHIFT={c[1]:.3g} MAC={c[2]:.3g} (rms {erms:.2f}, max {emax:.2f})")
        found["_D2_SHIFT"], found["_D2_MAC"] = float(c[1]), float(c[2])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# fitted constants (load average {load:.1f}):")
    for name, value in found.items():
        print(f"{name} = {value!r}")
    if write:
        for line in write_constants(found):
            progress(f"written: {line}")
    return found


def _parts(argv) -> tuple:
    if "--only" not in argv:
        return PARTS
    i = argv.index("--only")
    parts = tuple(argv[i + 1].split(",")) if i + 1 < len(argv) else ()
    if not parts or not set(parts) <= set(PARTS):
        raise SystemExit(f"--only takes a comma-separated list of {', '.join(PARTS)}")
    return parts


if __name__ == "__main__":
    if "--calibrate" in sys.argv:
        calibrate(_parts(sys.argv), write="--write" in sys.argv)
    else:
        main(quick="--quick" in sys.argv)
