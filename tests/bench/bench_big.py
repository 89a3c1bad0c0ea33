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

Every figure runs until the canvas has repainted and the event loop has run whatever the edit
deferred (the cost panel's coalesced update, the overview's redraw): ``_settle`` repaints, then
processes events, waiting idle for the cost panel's coalescing timer, until it has nothing
pending, then paints. Wall time is what a user waits;
on a shared machine it also holds other processes' time, so the process's CPU time is printed
beside it (``cpu``), the figure to compare with the targets when the load average is high.
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
    from PySide6.QtCore import QEventLoop

    window.view.viewport().repaint()
    qapp.processEvents()
    panel = window.cost_panel
    while panel is not None and panel._pending:  # its coalescing timer has not fired yet:
        qapp.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # wait for it, idle
    qapp.processEvents()  # and paint what it changed


class Clock:
    """Wall and CPU time of one measured step, in ms."""

    def __enter__(self):
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = (time.perf_counter() - self.t0) * 1000
        self.cpu = (time.process_time() - self.c0) * 1000


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

    with Clock() as c:
        window.open_design(fileformat.load(path), path)
        _settle(qapp, window)
    out["load"] = (c.wall, c.cpu)

    conv = [x.id for x in doc.design.nodes() if x.type == "Conv2D"]
    target = conv[len(conv) * 3 // 4]
    doc.set_selection([target])
    window.view.set_zoom(1.0)
    window.view.center_on(target)
    qapp.processEvents()
    spin = window.inspector.editors["filters"].spin
    walls, cpus = [], []
    for i in range(10):
        with Clock() as c:
            spin.setValue(spin.value() + 1)
            _settle(qapp, window)
        walls.append(c.wall)
        cpus.append(c.cpu)
    out["edit"] = (statistics.median(walls), statistics.median(cpus))

    recovery = window.desktop.recovery
    with Clock() as c:
        recovery.autosave()
    out["autosave"] = (c.wall, c.cpu)
    recovery.wait() if hasattr(recovery, "wait") else None

    some = doc.design.node_ids()[n // 2: n // 2 + 200]
    doc.set_selection(some)
    with Clock() as c:
        window.delete_selection()
        _settle(qapp, window)
    out["delete200"] = (c.wall, c.cpu)
    with Clock() as c:
        doc.undo_stack.undo()
        _settle(qapp, window)
    out["undo200"] = (c.wall, c.cpu)

    window.fit_view() if hasattr(window, "fit_view") else window.view.fit()
    qapp.processEvents()
    with Clock() as c:
        doc.set_selection(doc.design.node_ids())  # Edit ▸ Select All
        window.delete_selection()
        _settle(qapp, window)
    out["delete_all"] = (c.wall, c.cpu)
    assert len(doc.design) == 0
    with Clock() as c:
        doc.undo_stack.undo()
        _settle(qapp, window)
    out["undo_all"] = (c.wall, c.cpu)
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

    def f(key: str, digits: int = 0) -> str:
        wall, cpu = r[key]
        return f"{wall:.{digits}f} ms (cpu {cpu:.{digits}f})"

    print(f"{n:>6} layers: load+draw {f('load')} | one edit to repaint {f('edit', 1)} (target ≤ {edit_target} ms)")
    print(f"{'':>14}select all + delete {f('delete_all')}, its undo {f('undo_all')} (target ≤ 1000 ms at 5,000)")
    print(f"{'':>14}delete 200 {f('delete200')}, its undo {f('undo200')} | autosave on the GUI thread "
          f"{f('autosave', 1)} | peak RSS {r['rss']:.0f} MiB")
    print(f"{'':>14}per layer (cpu): load {r['load'][1] * 1e3 / n:.1f} µs, delete all {r['delete_all'][1] * 1e3 / n:.1f} µs, "
          f"undo {r['undo_all'][1] * 1e3 / n:.1f} µs, edit {r['edit'][1] * 1e3 / n:.2f} µs")


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
