"""Benchmark of the desktop features on big designs (run by hand:
``python tests/bench/bench_desktop.py``).

On the real main window (offscreen), for GoogLeNet and for the 1,000-layer design of
bench_analysis, prints the median wall-clock time of:
  * an autosave (to_dict + JSON + atomic write with fsync) — runs 2 s after edits, so it must
    not be felt: target < 50 ms at 1,000 layers, excluding the fsync the disk decides;
  * Copy of every layer and Paste of them back (one undoable command, canvas items included);
  * Save (atomic) and Open (load + show);
  * Export CSV, PNG and SVG.
Targets: copy < 50 ms, paste < 1 s and open < 1 s at 1,000 layers.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="archcanvas-bench-"))
os.environ["ARCHCANVAS_SETTINGS"] = str(TMP / "settings.ini")
os.environ["ARCHCANVAS_DATA_DIR"] = str(TMP / "data")

from PySide6.QtWidgets import QApplication  # noqa: E402

app = QApplication.instance() or QApplication(sys.argv[:1])

from bench_analysis import build_design  # noqa: E402
from archcanvas.core import fileformat  # noqa: E402
from archcanvas.core.templates import build  # noqa: E402
from archcanvas.core.layout import layered_positions  # noqa: E402
from archcanvas.gui.desktop.install import install  # noqa: E402
from archcanvas.gui.main_window import MainWindow  # noqa: E402


def median_ms(fn, runs: int = 5, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench(label: str, design) -> None:
    for node_id, pos in layered_positions(design).items():
        if design.node(node_id).pos is None:
            design.move(node_id, pos)
    window = MainWindow()
    f = install(window, restore=False)
    f.crash.uninstall()
    path = TMP / f"{label}.json"
    fileformat.save(design, path)
    t_open = median_ms(lambda: f.files.open_path(path, ask=False), runs=3)
    doc = window.document
    n = len(doc.design)
    ids = doc.design.node_ids()
    doc.undo_stack.resetClean()
    t_auto = median_ms(lambda: (setattr(f.recovery, "_written", None), f.recovery.autosave()))
    doc.set_selection(ids)
    t_copy = median_ms(f.clipboard.copy)

    def paste_and_undo():
        f.clipboard.paste()
    t_paste = median_ms(paste_and_undo, runs=3, setup=lambda: doc.undo_stack.setIndex(0) if doc.undo_stack.count() else None)
    doc.undo_stack.setIndex(0)
    t_save = median_ms(lambda: f.files.save_to(TMP / f"{label}-saved.json"), runs=3)
    t_csv = median_ms(lambda: f.files.export_csv(TMP / f"{label}.csv"), runs=3)
    t_png = median_ms(lambda: f.files.export_image(TMP / f"{label}.png"), runs=3)
    t_svg = median_ms(lambda: f.files.export_image(TMP / f"{label}.svg"), runs=3)
    print(f"{label}: {n} layers")
    for name, t in (("open", t_open), ("autosave", t_auto), ("copy all", t_copy), ("paste all", t_paste),
                    ("save", t_save), ("export CSV", t_csv), ("export PNG", t_png), ("export SVG", t_svg)):
        print(f"  {name:<11} {t:8.1f} ms   ({1000 * t / n:7.1f} µs/layer)")
    doc.undo_stack.clear()
    doc.undo_stack.setClean()
    window.close()


def main() -> None:
    from archcanvas.gui.desktop import prompts
    prompts.show_error = lambda parent, title, text: print(f"  ! {title}: {text}")
    bench("googlenet", build("googlenet"))
    bench("1000-layers", build_design())


if __name__ == "__main__":
    main()
