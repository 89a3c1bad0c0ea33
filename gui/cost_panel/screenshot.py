"""Render the panel with MobileNet v1 loaded to a PNG (the README's screenshot).

    QT_QPA_PLATFORM=offscreen python -m archcanvas.gui.cost_panel.screenshot docs/screenshots/cost-panel.png
    QT_QPA_PLATFORM=offscreen python -m archcanvas.gui.cost_panel.screenshot docs/screenshots/cost-panel-breakdown.png breakdown
"""

from __future__ import annotations

import sys
from pathlib import Path


def render(path, width: int = 860, height: int = 700, template: str = "mobilenet-v1",
           tab: str = "charts") -> None:
    from PySide6.QtWidgets import QApplication

    from archcanvas.core.templates import TEMPLATES
    from archcanvas.gui.document.document import Document

    from archcanvas.gui.cost_panel.panel import CostPanel

    app = QApplication.instance() or QApplication([])
    doc = Document(TEMPLATES[template].build())
    panel = CostPanel(doc)
    panel.resize(width, height)
    panel.show()
    panel.show_tab(tab)
    for _ in range(3):
        app.processEvents()
    panel.flush()
    app.processEvents()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not panel.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    panel.close()
    panel.deleteLater()


if __name__ == "__main__":
    render(sys.argv[1] if len(sys.argv) > 1 else "cost-panel.png",
           tab=sys.argv[2] if len(sys.argv) > 2 else "charts")
