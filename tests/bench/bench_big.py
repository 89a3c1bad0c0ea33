"""Big designs in the main window, offscreen (run by hand: ``python tests/bench/bench_big.py [N ...]``;
``bench_gui.py`` runs it at 1,000, 5,000 and 20,000 layers after its own figures).

For each size prints, with the targets of issue 11:
  * load and draw: the design read from its file, laid out, fitted and painted (ms);
  * one attribute edit to repaint: a filter count typed into the inspector deep in the design
    until the canvas has repainted, median of 10 (target ≤ 50 ms at 5,000, ≤ 200 ms at 20,000);
  * Select All + Delete, and its undo, each until the canvas has repainted (target ≤ 1 s at 5,000);
  * deleting 200 layers, and its undo;
  * autosave: the time the GUI thread spends in one autosave of the whole design (ms);
  * memory: the process's peak resident size after all of it (MiB).
Growth should be linear: the per-layer figures at 1,000 and 20,000 should be alike.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = (1000, 5000, 20000)


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _settle(qapp, window) -> None:
    window.view.viewport().repaint()
    qapp.processEvents()


def bench_size(n: int, tmp: Path, qapp) -> dict:
    from bench_analysis import build_design
    from archcanvas.core import fileformat
    from archcanvas.gui import app as A
    path = tmp / f"big{n}.json"
    fileformat.save(build_design(n), path)
    window = A.build_window(restore=False)
    window.resize(1600, 1000)
    window.show()
    qapp.processEvents()
    doc = window.document
    out: dict = {"n": n}

    t0 = time.perf_counter()
    window.open_design(fileformat.load(path), path)
    _settle(qapp, window)
    out["load"] = ms(t0)

    conv = [x.id for x in doc.design.nodes() if x.type == "Conv2D"]
    target = conv[len(conv) * 3 // 4]
    doc.set_selection([target])
    window.view.set_zoom(1.0)
    window.view.center_on(target)
    qapp.processEvents()
    spin = window.inspector.editors["filters"].spin
    times = []
    for i in range(10):
        t0 = time.perf_counter()
        spin.setValue(spin.value() + 1)
        _settle(qapp, window)
        times.append(ms(t0))
    out["edit"] = statistics.median(times)

    recovery = window.desktop.recovery
    t0 = time.perf_counter()
    recovery.autosave()
    out["autosave"] = ms(t0)
    recovery.wait() if hasattr(recovery, "wait") else None

    some = doc.design.node_ids()[n // 2: n // 2 + 200]
    doc.set_selection(some)
    t0 = time.perf_counter()
    window.delete_selection()
    _settle(qapp, window)
    out["delete200"] = ms(t0)
    t0 = time.perf_counter()
    doc.undo_stack.undo()
    _settle(qapp, window)
    out["undo200"] = ms(t0)

    window.fit_view() if hasattr(window, "fit_view") else window.view.fit()
    qapp.processEvents()
    t0 = time.perf_counter()
    doc.set_selection(doc.design.node_ids())  # Edit ▸ Select All
    window.delete_selection()
    _settle(qapp, window)
    out["delete_all"] = ms(t0)
    assert len(doc.design) == 0
    t0 = time.perf_counter()
    doc.undo_stack.undo()
    _settle(qapp, window)
    out["undo_all"] = ms(t0)
    assert len(doc.design) == n
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    recovery.close()
    window.close()
    window.deleteLater()
    qapp.processEvents()
    return out


def print_row(r: dict) -> None:
    n = r["n"]
    edit_target = 50 if n <= 5000 else 200
    print(f"{n:>6} layers: load+draw {r['load']:7.0f} ms | edit {r['edit']:6.1f} ms (target ≤ {edit_target}) | "
          f"select all + delete {r['delete_all']:7.0f} ms, undo {r['undo_all']:7.0f} ms (target ≤ 1000 at 5,000) | "
          f"delete 200 {r['delete200']:6.0f} ms, undo {r['undo200']:6.0f} ms | autosave on the GUI thread "
          f"{r['autosave']:6.1f} ms | peak RSS {r['rss']:6.0f} MiB")
    print(f"{'':>14}per layer: load {r['load'] * 1e3 / n:6.1f} µs, delete all {r['delete_all'] * 1e3 / n:6.1f} µs, "
          f"undo {r['undo_all'] * 1e3 / n:6.1f} µs")


def main(sizes=SIZES) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench_big_"))
    os.environ.update(ARCHCANVAS_SETTINGS=str(tmp / "s.ini"), ARCHCANVAS_DATA_DIR=str(tmp / "data"))
    from archcanvas.gui import app as A

    qapp = A.application()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for n in sizes:
        print_row(bench_size(n, tmp, qapp))


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
