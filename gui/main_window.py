"""The main window: the canvas in the centre, docks around it, totals in the status bar.

It wires views to the document and nothing more: the palette's double-click and the canvas's
drop both go to ``place`` (one code path, which the tests call), the canvas's refusals become
status-bar messages, and menus are built from ``gui.actions.Actions``. Panels from other parts
of the app are installed with ``add_dock``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from archcanvas.core.cli_tools import read_design
from archcanvas.core.design import Design
from archcanvas.core.quote import escape
from archcanvas.gui.actions import Actions
from archcanvas.gui.canvas import CanvasView, collapsing
from archcanvas.gui.canvas.context_menu import CanvasContextMenu
from archcanvas.gui.canvas.find import FindBar
from archcanvas.gui.canvas.minimap import Minimap
from archcanvas.gui.document.commands import Disconnect, RemoveNodes, auto_layout
from archcanvas.gui.document.document import Document
from archcanvas.gui.inspector.panel import Inspector
from archcanvas.gui.inspector.undo_keys import InspectorUndoKeys
from archcanvas.gui.palette import Palette
from archcanvas.core.layout import place_unpositioned
from archcanvas.gui.placement import Placer
from archcanvas.gui.explore.menu import ExploreMenu
from archcanvas.gui.help_menu import HelpMenu
from archcanvas.gui.refactor import RefactorMenu
from archcanvas.gui.status import ProblemsList, TotalsLabel
from archcanvas.gui.desktop.title import WindowTitle

MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.document = document or Document()
        self.docks: dict[str, QDockWidget] = {}
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)

        self.view = CanvasView(self.document)
        self.view.setObjectName("canvas")
        self.find_bar = FindBar(self.document)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.view, 1)
        self.setCentralWidget(centre)

        self.palette = Palette(self)
        self.add_dock(self.palette, "Palette", Qt.LeftDockWidgetArea, "palette")
        self.inspector = Inspector(self.document, self)
        self._inspector_keys = InspectorUndoKeys(self.inspector)
        self.add_dock(self.inspector, "Inspector", Qt.RightDockWidgetArea, "inspector")
        self.cost_panel = self._install_cost_panel()
        self.problems = ProblemsList(self.document, self)
        self.add_dock(self.problems, "Problems", Qt.BottomDockWidgetArea, "problems")
        if "cost" in self.docks:
            self.tabifyDockWidget(self.docks["cost"], self.docks["problems"])
            self.docks["cost"].raise_()

        self.totals = TotalsLabel(self.document, self)
        self.statusBar().addPermanentWidget(self.totals)
        self.statusBar().setSizeGripEnabled(True)
        self.totals.clicked.connect(self.show_problems)

        self.placer = Placer(self.document, self, center=self._view_centre, message=self.show_message)
        self.window_actions = Actions(self, self.document, self.view)
        self._build_menus()
        self.context_menu = CanvasContextMenu(self)
        self.minimap = Minimap(self.view)
        self.overview_action = QAction("&Overview", self, checkable=True)
        self.overview_action.setObjectName("view.overview")
        self.overview_action.setToolTip("A small map of the whole design in the canvas's corner")
        self.overview_action.toggled.connect(self.minimap.set_user_choice)
        self.view_menu.insertAction(self.view_menu.actions()[2], self.overview_action)
        self.document.design_replaced.connect(self._sync_overview)
        self._sync_overview()
        self._connect()
        self.title = WindowTitle(self, self.document)
        self.resize(1500, 940)
        self._initial_dock_sizes()

    # building ----------------------------------------------------------------------------
    def add_dock(self, widget, title: str, area=Qt.RightDockWidgetArea, name: str | None = None) -> QDockWidget:
        """Put ``widget`` in a dock (``name`` keys it in ``docks`` and in the saved window state)."""
        name = name or title.lower().replace(" ", "_")
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock.{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        if hasattr(self, "view_menu"):
            self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def _install_cost_panel(self):
        try:
            from archcanvas.gui.cost_panel import CostPanel
        except ImportError:
            return None
        panel = CostPanel(self.document)
        self.add_dock(panel, "Cost", Qt.BottomDockWidgetArea, "cost")
        return panel

    def _initial_dock_sizes(self) -> None:
        """The canvas gets most of the window; a saved window state (later) overrides this."""
        side = [self.docks["palette"], self.docks["inspector"]]
        self.resizeDocks(side, [230, 340], Qt.Horizontal)
        bottom = [d for name, d in self.docks.items() if name in ("cost", "problems")]
        self.resizeDocks(bottom, [430] * len(bottom), Qt.Vertical)

    def _build_menus(self) -> None:
        a = self.window_actions
        bar = self.menuBar()
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.setObjectName("menu.edit")
        for action in (a.undo, a.redo, None, a.delete, a.delete_reconnect, a.select_all):
            self.edit_menu.addSeparator() if action is None else self.edit_menu.addAction(action)
        self.find_action = QAction("&Find…", self)
        self.find_action.setObjectName("edit.find")
        self.find_action.setShortcuts([QKeySequence.Find])
        self.find_action.triggered.connect(self.find_bar.open_bar)
        self.find_next_action = QAction("Find &Next", self)
        self.find_next_action.setObjectName("edit.find_next")
        self.find_next_action.setShortcuts([QKeySequence.FindNext])
        self.find_next_action.triggered.connect(self.find_bar.next)
        self.find_prev_action = QAction("Find &Previous", self)
        self.find_prev_action.setObjectName("edit.find_previous")
        self.find_prev_action.setShortcuts([QKeySequence.FindPrevious])
        self.find_prev_action.triggered.connect(self.find_bar.previous)
        self.edit_menu.addSeparator()
        for action in (self.find_action, self.find_next_action, self.find_prev_action):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.refactor_menu = RefactorMenu(self.document, self, message=self.show_message)
        self.edit_menu.addMenu(self.refactor_menu)
        self.view_menu = bar.addMenu("&View")
        self.view_menu.setObjectName("menu.view")
        self.collapse_all_action = QAction("&Collapse all groups", self, objectName="view.collapse_all",
                                           triggered=lambda: collapsing.set_all(self.view.scene(), True))
        self.expand_all_action = QAction("E&xpand all groups", self, objectName="view.expand_all",
                                         triggered=lambda: collapsing.set_all(self.view.scene(), False))
        for action in (self.collapse_all_action, self.expand_all_action):
            action.triggered.connect(self.view.fit)
        for action in (a.fit, a.auto_layout, self.collapse_all_action, self.expand_all_action, None):
            self.view_menu.addSeparator() if action is None else self.view_menu.addAction(action)
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.explore_menu = ExploreMenu(self, self.document, self._open_variant, read_design, self.show_message)
        bar.addMenu(self.explore_menu)
        self.help_menu = HelpMenu(self, self.show_message)
        bar.addMenu(self.help_menu)

    def _sync_overview(self) -> None:
        """A new design shows the overview by its size again, and the menu tick says so."""
        self.minimap.user_choice = None
        self.minimap.refresh()
        self.overview_action.blockSignals(True)
        self.overview_action.setChecked(self.minimap.isVisible())
        self.overview_action.blockSignals(False)

    def _open_variant(self, design: Design) -> None:
        """A variant from the sweep replaces the open design, after the usual unsaved-work question."""
        desktop = getattr(self, "desktop", None)
        if desktop is None or desktop.files.maybe_save():
            self.open_design(design)

    def _connect(self) -> None:
        a, doc = self.window_actions, self.document
        a.delete.triggered.connect(self.delete_selection)
        a.delete_reconnect.triggered.connect(self.delete_and_reconnect)
        a.select_all.triggered.connect(lambda: doc.set_selection(doc.design.node_ids()))
        a.fit.triggered.connect(self.view.fit)
        a.auto_layout.triggered.connect(self.auto_layout)
        self.palette.activated.connect(self.place)
        self.view.drop_requested.connect(self.place)
        scene = self.view.scene()
        scene.message.connect(self.show_message)
        for signal in (doc.selection_changed, doc.design_replaced, doc.design_changed, scene.picked_changed):
            signal.connect(self._update_edit_actions)
        self._update_edit_actions()

    def _update_edit_actions(self, *_) -> None:
        """Delete (and Delete and Reconnect) act on the selected layers, else on the picked wire."""
        a = self.window_actions
        has = bool(self.document.selection) or self.view.scene().picked_edge() is not None
        a.delete.setEnabled(has)
        a.delete_reconnect.setEnabled(has)
        a.select_all.setEnabled(len(self.document.design) > 0)

    # what the user does ------------------------------------------------------------------
    def place(self, item_text: str, scene_pos: QPointF | None = None, params: dict | None = None) -> list[str]:
        """Add a palette entry (``layer:Conv2D``, ``block:inception``, ``template:googlenet``)
        at ``scene_pos``, unwired (None: wired to and beside the selected node, or at the view's
        centre); the new ids."""
        ids = self.placer.place(item_text, scene_pos, params)
        if ids:
            self.show_message(self.document.undo_stack.undoText(), 3000)
            if item_text.startswith("template:") and len(self.document.design) == len(ids):
                self.view.fit()
            elif scene_pos is None:  # placed beside the selection: it may be off screen
                self.view.reveal(ids)
        return ids

    def delete_selection(self, reconnect: bool = False) -> None:
        """Delete the selected layers with their wires, or else the picked wire (one undo step);
        ``reconnect`` wires what fed the layers to what they fed. The one Delete of the app:
        the Edit menu, the Delete/Backspace keys on the canvas."""
        doc = self.document
        ids = [n for n in doc.selection if n in doc.design]
        picked = self.view.scene().picked_edge()
        if ids:
            doc.push(RemoveNodes(doc, ids, reconnect=reconnect))
        elif picked is not None:
            doc.push(Disconnect(doc, *picked))
        else:
            return
        self.show_message(doc.undo_stack.undoText(), 3000)

    def delete_and_reconnect(self) -> None:
        self.delete_selection(reconnect=True)

    def auto_layout(self) -> None:
        if len(self.document.design):
            self.document.push(auto_layout(self.document))
            self.view.fit()

    def open_design(self, design: Design, path=None) -> None:
        """Show ``design`` (New, Open, the example); nodes saved without a position are laid
        out first, so the canvas only draws and nothing is an edit."""
        place_unpositioned(design)
        self.document.set_design(design, path)
        self.view.fit()

    def show_problems(self) -> None:
        dock = self.docks["problems"]
        dock.show()
        dock.raise_()

    def show_message(self, text: str, ms: int = MESSAGE_MS) -> None:
        self.statusBar().showMessage(escape(text), ms)  # one line, whatever names it quotes

    # reading the window (tests, screenshots) ---------------------------------------------
    def status_text(self) -> str:
        return self.statusBar().currentMessage()

    def _view_centre(self) -> tuple[float, float]:
        p = self.view.scene_center()
        return (p.x(), p.y())
