"""Measure this machine's peak FLOP/s and memory bandwidth with numpy, as a device profile.

Peak: the best of several float32 matrix products (n × n by n × n is 2n³ FLOPs), which numpy
hands to its BLAS on every core it uses. Bandwidth: the best of several copies of an array far
larger than the caches (a copy reads and writes every byte: 2 × size bytes moved). Best-of
rather than mean, because a shared machine only ever slows a run down.
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from .latency import Device


def _best(fn, repeats: int, clock=time.perf_counter) -> float:
    fn()  # warm-up: page faults, thread pool start
    best = float("inf")
    for _ in range(repeats):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return max(best, 1e-9)


def peak_flops(n: int = 1024, repeats: int = 5, clock=time.perf_counter) -> float:
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = np.random.default_rng(1).random((n, n), dtype=np.float32)
    out = np.empty((n, n), dtype=np.float32)
    return 2 * n**3 / _best(lambda: np.matmul(a, b, out=out), repeats, clock)


def bandwidth(megabytes: int = 256, repeats: int = 5, clock=time.perf_counter) -> float:
    src = np.ones(megabytes * 2**20 // 8, dtype=np.float64)
    dst = np.empty_like(src)
    return 2 * src.nbytes / _best(lambda: np.copyto(dst, src), repeats, clock)


def measure(name: str = "this-machine", quick: bool = False, clock=time.perf_counter) -> Device:
    """``clock``: wall time by default; a single-threaded benchmark on a shared machine may
    pass ``time.process_time`` (CPU time, which other people's jobs do not inflate)."""
    n, mb, reps = (256, 32, 3) if quick else (1024, 256, 5)
    flops, bw = peak_flops(n, reps, clock), bandwidth(mb, reps, clock)
    return Device(
        name=name, peak_flops=flops, memory_bandwidth=bw,
        title=f"{platform.node() or 'this machine'} ({platform.processor() or platform.machine()}, "
              f"{os.cpu_count()} logical CPUs), measured",
        source=f"archcanvas calibrate with numpy {np.__version__} on {time.strftime('%Y-%m-%d')}",
        derivation=f"best of {reps}: float32 matmul {n}×{n} (2n³ FLOPs); copy of {mb} MiB (2 × size bytes)")
