"""Edit-to-chart-updated time of the cost panel on a 1,000-layer design (target: under 50 ms).

Run by hand:  QT_QPA_PLATFORM=offscreen /work/venv/bin/python tests/bench/bench_cost_panel.py

The design is an input and 333 groups of Conv2D 3×3 → BatchNormalization → ReLU (1,000 layers,
333 groups). Each edit is a real ``SetAttr`` undo command on a convolution in the middle, so the
analysis recomputes that layer and everything below it (about 500 layers) before the panel runs.

Figures (median and worst of the runs):
- analysis: the document's re-analysis inside the push (not the panel's work);
- panel update: the panel's own work after the edit (report rows, charts, table, breakdown, totals);
- paint: the event processing after the update, where the charts' scene is actually redrawn
  (QGraphicsView paints from the event loop; ``repaint()`` alone would not include it);
- edit → painted: push + panel update + paint, i.e. what the user waits for, minus the
  coalescing timer;
- with timer: the same driven by the event loop, the coalescing interval included;
- structural: removing the last layer and undoing it (the bars and rows change in number);
- burst: 20 edits pushed back to back produce how many panel updates.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from archcanvas.core.design import Design  # noqa: E402
from archcanvas.gui.document.commands import RemoveNodes, SetAttr  # noqa: E402
from archcanvas.gui.cost_panel import CostPanel  # noqa: E402
from archcanvas.gui.document.document import Document  # noqa: E402

TARGET_MS = 50.0
RUNS = 30


def big_design(blocks: int = 333) -> Design:
    d = Design("1,000 layers")
    src = d.add_node("Input", "input", attrs={"shape": [56, 56, 64]})
    for b in range(blocks):
        group = f"block_{b}"
        for type_name, attrs in (("Conv2D", {"filters": 64, "kernel_size": 3, "padding": "same",
                                             "use_bias": False}),
                                 ("BatchNormalization", {}),
                                 ("Activation", {"activation": "relu"})):
            node = d.add_node(type_name, attrs=attrs, group=group, pos=(0, 0))
            d.connect(src, node)
            src = node
    return d


def settle(app) -> None:
    """Process what the update queued: the scene's redraw and the widgets' paint events."""
    app.processEvents()
    app.processEvents()


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def summary(name: str, values: list[float], target: float | None = None) -> None:
    med, worst = statistics.median(values), max(values)
    extra = f"   ({med / target:.2f} × the {target:.0f} ms target)" if target else ""
    print(f"{name:<28} median {med:7.2f} ms   worst {worst:7.2f} ms{extra}")


def main() -> int:
    app = QApplication.instance() or QApplication([])
    design = big_design()
    doc = Document(design)
    t0 = time.perf_counter()
    panel = CostPanel(doc)
    panel.resize(900, 760)
    panel.show()
    app.processEvents()
    print(f"design: {len(design)} layers, {len(design.groups())} groups;"
          f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"first build of the panel       {ms(t0):7.2f} ms")
    convs = [n for n in design.topological_order() if design.node(n).type == "Conv2D"]
    target = convs[len(convs) // 2]

    analysis, update, paint, painted, timed = [], [], [], [], []
    for i in range(RUNS):
        filters = 64 + 8 * (i % 2 + 1)
        t0 = time.perf_counter()
        doc.push(SetAttr(doc, [target], "filters", filters))
        analysis.append(ms(t0))
        t1 = time.perf_counter()
        panel.flush()
        update.append(ms(t1))
        t2 = time.perf_counter()
        settle(app)
        paint.append(ms(t2))
        painted.append(ms(t0))
        assert panel.charts.values("params")[panel.charts.ids.index(target)] == 9 * 64 * filters
    for tab in (1, 2, 0):  # every tab painted once with fresh figures
        panel.tabs.setCurrentIndex(tab)
        doc.push(SetAttr(doc, [target], "filters", 96 + tab))
        panel.flush()
        settle(app)
    for i in range(RUNS):
        before = panel.updates
        t0 = time.perf_counter()
        doc.push(SetAttr(doc, [target], "filters", 80 + 8 * (i % 2)))
        while panel.updates == before:
            app.processEvents()
        settle(app)
        timed.append(ms(t0))

    structural = []
    last = design.topological_order()[-1]
    for i in range(RUNS // 2):
        for step in (lambda: doc.push(RemoveNodes(doc, [last])), doc.undo_stack.undo):
            t0 = time.perf_counter()
            step()
            panel.flush()
            settle(app)
            structural.append(ms(t0))
    assert len(panel.charts.ids) == len(design)

    panel.show_tab("table")  # the other heavy tab: 1,000 rows of 16 columns
    table_edit, table_structural = [], []
    for i in range(RUNS // 2):
        t0 = time.perf_counter()
        doc.push(SetAttr(doc, [target], "filters", 64 + 8 * (i % 2 + 1)))
        panel.flush()
        settle(app)
        table_edit.append(ms(t0))
        for step in (lambda: doc.push(RemoveNodes(doc, [last])), doc.undo_stack.undo):
            t0 = time.perf_counter()
            step()
            panel.flush()
            settle(app)
            table_structural.append(ms(t0))
    panel.show_tab("charts")
    settle(app)

    before = panel.updates
    for i in range(20):
        doc.push(SetAttr(doc, [convs[i * 10]], "filters", 48 + 8 * (i % 3)))
    deadline = time.perf_counter() + 2
    while time.perf_counter() < deadline and (panel.updates == before or panel._pending):
        app.processEvents()
    burst_updates = panel.updates - before

    summary("analysis (document)", analysis)
    summary("panel update", update)
    summary("paint", paint)
    summary("edit → painted", painted, TARGET_MS)
    summary("edit → painted, with timer", timed, TARGET_MS)
    summary("structural edit → painted", structural, TARGET_MS)
    summary("Table tab: edit → painted", table_edit, TARGET_MS)
    summary("Table tab: structural", table_structural, TARGET_MS)
    print(f"burst of 20 edits              {burst_updates} panel update(s)")
    print(f"coalescing interval now        {panel._timer.interval()} ms")
    ok = statistics.median(painted) < TARGET_MS
    print("PASS" if ok else "SLOW", f"(target: edit → painted under {TARGET_MS:.0f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
