"""The cost panel: where the parameters and the MACs/FLOPs of the open design go.

``CostPanel(document)`` is a QWidget the main window docks; see ``panel.py`` and docs/cost-panel.md.
"""

from archcanvas.gui.cost_panel.panel import CostPanel

__all__ = ["CostPanel"]
