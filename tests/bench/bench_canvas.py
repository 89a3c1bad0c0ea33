"""Benchmark of the canvas, offscreen (run by hand: ``python tests/bench/bench_canvas.py``).

On the 1,000-layer design of ``bench_analysis.py`` (Inception-like modules, one group each, no
saved positions), prints:
  * load: ``CanvasView`` built (auto-layout of unpositioned nodes, items, wires, frames), fitted
    and painted once, in ms;
  * a repaint at 100 % zoom centred on the design (text drawn), in ms;
  * edit-to-update: one ``SetAttr`` pushed deep in the design until the canvas has repainted, in
    ms, and how many node items were told to change;
  * selecting all 1,000 nodes, in ms;
  * one drag step of a selected group of 20 nodes (preview of positions, wires and frame), in ms.
Targets: load-and-draw < 2 s, edit-to-update < 50 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_analysis import build_design  # noqa: E402
from archcanvas.gui.canvas import CanvasView  # noqa: E402
from archcanvas.gui.canvas.node_item import NodeItem  # noqa: E402
from archcanvas.gui.document.commands import SetAttr  # noqa: E402
from archcanvas.gui.document.document import Document  # noqa: E402


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    design = build_design()
    doc = Document(design)
    t0 = time.perf_counter()
    view = CanvasView(doc)
    view.resize(1600, 1000)
    view.show()
    view.fit()
    app.processEvents()
    view.viewport().repaint()
    load = ms(t0)
    print(f"layers: {len(design)}, wires: {len(design.edges())}, groups: {len(design.groups())}")
    print(f"load, lay out, fit and draw: {load:.0f} ms (target < 2000 ms, {2000 / load:.1f}x margin)"
          f" at zoom {view.zoom():.3f}")

    conv = [n.id for n in design.nodes() if n.type == "Conv2D"]
    target = conv[len(conv) * 3 // 4]
    view.set_zoom(1.0)
    view.center_on(target)
    app.processEvents()
    t0 = time.perf_counter()
    view.viewport().repaint()
    print(f"repaint at 100 % (full detail, cold caches): {ms(t0):.1f} ms")

    touched = []
    original = NodeItem.set_result
    NodeItem.set_result = lambda self, *a: (touched.append(self.node_id), original(self, *a))[1]
    times = []
    for i in range(20):
        touched.clear()
        t0 = time.perf_counter()
        doc.push(SetAttr(doc, [target], "filters", 40 + i))  # merges: typing in one field
        app.processEvents()  # the scene's queued dirty-item pass
        view.viewport().repaint()
        times.append(ms(t0))
    NodeItem.set_result = original
    med = statistics.median(times)
    print(f"edit-to-update (SetAttr + repaint): median {med:.1f} ms, max {max(times):.1f} ms "
          f"(target < 50 ms, {50 / med:.1f}x margin); node items updated per edit: {len(touched)}")

    scene = view.scene()
    t0 = time.perf_counter()
    doc.set_selection(design.node_ids())
    app.processEvents()
    view.viewport().repaint()
    print(f"select all {len(design)} nodes (items, wires emphasized, repaint): {ms(t0):.0f} ms")
    doc.set_selection([])
    app.processEvents()

    group = design.node(target).group
    members = [n for n in design.node_ids() if design.node(n).group == group]
    origin = {n: scene.shown_pos(n) for n in members}
    t0 = time.perf_counter()
    for step in range(1, 11):
        for n, p in origin.items():
            scene.show_at(n, p + QPointF(step * 3, step * 2))
        scene.flush()
        app.processEvents()
        view.viewport().repaint()
    print(f"drag step of a {len(members)}-node group with repaint: {ms(t0) / 10:.1f} ms")


if __name__ == "__main__":
    main()
