"""A 1,000-variant sweep of MobileNetV2 (40 widths × 25 resolutions): variants per second on one core
and on every core. Run by hand: python tests/bench/bench_sweep.py"""

import os
import time

from archcanvas.core import sweep


def main() -> None:
    alphas = [round(0.35 + 0.025 * i, 3) for i in range(40)]
    resolutions = list(range(96, 96 + 8 * 25, 8))
    vs = sweep.variants(alphas, resolutions)
    source = sweep.Source(template="mobilenet-v2")
    t = time.perf_counter()
    serial = sweep.sweep(source, vs[:100], workers=1)
    one = 100 / (time.perf_counter() - t)
    t = time.perf_counter()
    rows = sweep.sweep(source, vs)
    every = len(vs) / (time.perf_counter() - t)
    assert rows[:100] == serial and not any("error" in r for r in rows)
    print(f"{len(vs)} variants of mobilenet-v2: {one:.0f}/s on 1 core, {every:.0f}/s on {os.cpu_count()} cores "
          f"(×{every / one:.2f}); the whole sweep {len(vs) / every:.1f} s")


if __name__ == "__main__":
    main()
