"""Benchmark of convbook.nn.conv2d on ResNet-like layers, against PyTorch and the BLAS limit.

The peer a user would pick instead is ``torch.nn.functional.conv2d`` on the CPU,
with torch's thread count set equal to numpy's BLAS thread count (read with
threadpoolctl), so that both use the same cores; torch is timed side by side
with convbook, and the issue's goal is convbook <= 2x torch's time on every layer.

For a dense layer the reference is ONE ``numpy.matmul`` with the layer's
multiply-accumulate count, ``(K, C*k*k) @ (C*k*k, N*Ho*Wo)`` in float32: what
any im2col + GEMM implementation in numpy could at best achieve (target:
convbook within 2.5x of it).  For a depthwise layer the reference is the
``k*k`` whole-tensor multiply-adds ``acc += x_shifted * w_tap`` on an input
padded beforehand (target: within 2x).

Run: ``python bench/run.py nn`` (or ``--quick`` for tiny sizes).
"""

from __future__ import annotations

import os
import statistics

import numpy as np

from _common import interleaved_samples, print_table, progress


def _layers(quick: bool):
    if quick:
        return [
            ("dense 3x3 s1 (2,8,8,8)", (2, 8, 8, 8), 8, 1, 1, 1),
            ("dense 3x3 s2 (2,8,8,8)", (2, 8, 8, 8), 8, 2, 1, 1),
            ("depthwise 3x3 (2,8,8,8)", (2, 8, 8, 8), 8, 1, 1, 8),
        ]
    return [
        ("dense 3x3 s1 (8,64,32,32)->64", (8, 64, 32, 32), 64, 1, 1, 1),
        ("dense 3x3 s2 (8,64,32,32)->64", (8, 64, 32, 32), 64, 2, 1, 1),
        ("dense 3x3 s1 (1,64,56,56)->64", (1, 64, 56, 56), 64, 1, 1, 1),
        ("depthwise 3x3 g=64 (8,64,32,32)", (8, 64, 32, 32), 64, 1, 1, 64),
    ]


def _reference(x, w, stride, padding, groups):
    """The comparison point: one GEMM of the same size, or the k*k depthwise multiply-adds."""
    N, C, H, W = x.shape
    K, Cg, k, _ = w.shape
    Ho = (H + 2 * padding - k) // stride + 1
    Wo = (W + 2 * padding - k) // stride + 1
    rng = np.random.default_rng(1)
    if groups == 1:
        a = rng.standard_normal((K, C * k * k)).astype(x.dtype)
        b = rng.standard_normal((C * k * k, N * Ho * Wo)).astype(x.dtype)
        return lambda: np.matmul(a, b)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    taps = [w[:, 0, i, j][:, None, None] for i in range(k) for j in range(k)]

    def depthwise():
        acc = np.zeros((N, K, Ho, Wo), dtype=x.dtype)
        for t, (i, j) in enumerate((i, j) for i in range(k) for j in range(k)):
            acc += xp[:, :, i : i + stride * (Ho - 1) + 1 : stride, j : j + stride * (Wo - 1) + 1 : stride] * taps[t]
        return acc

    return depthwise


def blas_threads() -> int:
    """The number of threads numpy's BLAS uses (threadpoolctl), or the core count if it cannot tell."""
    from threadpoolctl import threadpool_info

    counts = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
    return max(counts) if counts else (os.cpu_count() or 1)


def main(quick: bool = False) -> None:
    import torch
    import torch.nn.functional as F

    from convbook import nn

    threads = blas_threads()
    torch.set_num_threads(threads)
    repeat = 5 if quick else 21
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = []
    for name, xshape, K, stride, padding, groups in _layers(quick):
        progress(name)
        rng = np.random.default_rng(0)
        x = rng.standard_normal(xshape).astype(np.float32)
        w = rng.standard_normal((K, xshape[1] // groups, 3, 3)).astype(np.float32)
        fns = {
            "convbook": lambda: nn.conv2d(x, w, stride=stride, padding=padding, groups=groups),
            "reference": _reference(x, w, stride, padding, groups),
        }
        xt, wt = torch.from_numpy(x), torch.from_numpy(w)
        fns["torch"] = lambda: F.conv2d(xt, wt, stride=stride, padding=padding, groups=groups)
        results = {name: fn() for name, fn in fns.items()}  # warm-up, and a sanity check
        err = float(np.max(np.abs(results["convbook"] - results["torch"].numpy())))
        samples = interleaved_samples(fns, repeat=repeat)
        t = {k: statistics.median(v) for k, v in samples.items()}
        best = {k: min(v) for k, v in samples.items()}
        target = 2.5 if groups == 1 else 2.0
        ratio = t["convbook"] / t["reference"]
        vs_torch = t["convbook"] / t["torch"]
        vs_best = best["convbook"] / best["torch"]  # the goal: <= 2x torch's best time
        rows.append([
            name, t["convbook"] * 1e3, t["torch"] * 1e3, vs_torch, best["convbook"] * 1e3, best["torch"] * 1e3,
            vs_best, "yes" if vs_best <= 2 else "NO",
            t["reference"] * 1e3, ratio, "yes" if ratio <= target else f"NO (<= {target})", err,
        ])
    print_table(
        f"nn.conv2d (float32) vs torch.nn.functional.conv2d (CPU, {threads} threads = numpy's BLAS) "
        "and the BLAS limit",
        ["layer", "convbook ms", "torch ms", "vs torch", "convbook best", "torch best", "best vs best",
         "<= 2x torch best", "reference ms", "vs reference", "within target", "max|diff| vs torch"],
        rows,
        note=("reference: dense = one numpy.matmul (K, C*k*k) @ (C*k*k, N*Ho*Wo); depthwise = k*k "
              "in-place 'acc += x_shifted * w_tap' on a pre-padded input.\nMedians of interleaved runs, and "
              "the best of them (the goal is against torch's best: its OpenMP threads and numpy's BLAS threads "
              "take turns on the cores, so torch's median can be 10x its best even on an idle machine); "
              f"1-min load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at the end "
              f"({os.cpu_count()} cores): on a loaded machine every BLAS call (convbook makes one per chunk of "
              "the batch, the reference one in all) can lose a scheduler time slice."
              + ("\nquick mode: tiny layers, where Python overhead (~0.1 ms per call) dominates; the ratios "
                 "mean nothing." if quick else "")),
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
