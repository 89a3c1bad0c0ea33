"""Benchmark of design files (run by hand: ``python tests/bench/bench_fileformat.py``).

Uses the realistic 1,000-layer design of ``bench_analysis.py`` (Inception-like modules, one group
per module, every node with a position) and prints the median of 15 runs of:
  * ``save``: dumps + write to a temp file + fsync + rename (what the user waits for);
  * ``load``: read + JSON parse + every check + building the design;
  * and, for where the time goes, ``dumps`` and ``loads`` alone.
Target: load and save each under 100 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from bench_analysis import build_design  # noqa: E402

from archcanvas.core import fileformat as ff  # noqa: E402

TARGET_MS = 100.0


def _median_ms(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main() -> None:
    d = build_design(1000)
    for i, node in enumerate(d.nodes()):
        node.pos = (float(i % 40) * 220.0, float(i // 40) * 140.0)
    text = ff.dumps(d)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"
        save = _median_ms(lambda: ff.save(d, path))
        load = _median_ms(lambda: ff.load(path))
        assert ff.to_dict(ff.load(path)) == ff.to_dict(d)
    dumps = _median_ms(lambda: ff.dumps(d))
    loads = _median_ms(lambda: ff.loads(text))
    print(f"design: {len(d)} layers, {len(d.edges())} edges; file {len(text.encode()) / 1024:.0f} KiB, "
          f"{text.count(chr(10))} lines")
    for label, ms in (("save (dumps + write + fsync + rename)", save), ("load (read + parse + check + build)", load)):
        print(f"{label:40s} {ms:7.1f} ms   target < {TARGET_MS:.0f} ms   ratio {ms / TARGET_MS:.2f}")
    print(f"{'  dumps alone':40s} {dumps:7.1f} ms")
    print(f"{'  loads alone':40s} {loads:7.1f} ms")


if __name__ == "__main__":
    main()
