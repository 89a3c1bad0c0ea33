"""The cost panel: where the parameters and the MACs/FLOPs of the open design go.

``CostPanel(document)`` is a QWidget the main window docks; see ``panel.py`` and docs/cost-panel.md.
"""

from .panel import CostPanel

__all__ = ["CostPanel"]
