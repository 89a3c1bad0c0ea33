"""Context menus on the canvas: a layer, a wire, a block's frame, or the empty canvas.

Every entry is an existing window action or an undoable command (refactors through
``gui.refactor``), so a right-click does nothing the menus cannot."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QMenu

from archcanvas.core import collapse, layers
from archcanvas.core import refactors as R
from archcanvas.gui.canvas import collapsing
from archcanvas.gui.canvas.collapsed_item import CollapsedItem
from archcanvas.gui.canvas.edge_item import EdgeItem
from archcanvas.gui.canvas.group_item import GroupItem
from archcanvas.gui.canvas.node_item import NodeItem
from archcanvas.gui.document.commands import Disconnect, RemoveNodes, SetGroup


class CanvasContextMenu:
    """Installed on the main window's canvas view. ``ask_item`` and ``ask_text`` can be
    replaced (tests answer them)."""

    def __init__(self, window):
        self.window, self.view, self.document = window, window.view, window.document
        self.ask_item = lambda title, label, items: QInputDialog.getItem(window, title, label, items, 0, False)
        self.ask_text = lambda title, label, text: QInputDialog.getText(window, title, label, text=text)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.popup)
        self.last_menu: QMenu | None = None

    def item_at(self, pos: QPoint):
        for item in self.view.items(pos):
            while item is not None and not isinstance(item, (NodeItem, EdgeItem, GroupItem, CollapsedItem)):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    def menu_for(self, item) -> QMenu:
        if isinstance(item, NodeItem):
            return self.node_menu(item.node_id)
        if isinstance(item, EdgeItem) and item.key is not None:
            return self.wire_menu(item.key)
        if isinstance(item, GroupItem):
            return self.group_menu(item.name)
        if isinstance(item, CollapsedItem):
            return self.collapsed_menu(item.name)
        return self.canvas_menu()

    def popup(self, pos: QPoint) -> None:
        self.last_menu = self.menu_for(self.item_at(pos))
        self.last_menu.popup(self.view.viewport().mapToGlobal(pos))

    # menus ------------------------------------------------------------------------------------
    def node_menu(self, node_id: str) -> QMenu:
        doc = self.document
        if node_id not in doc.selection:
            doc.set_selection([node_id])
        menu = QMenu(self.view)
        refactor = self.window.refactor_menu
        refactor.update_enabled()
        menu.addAction(refactor.actions_by_name["replace"])
        menu.addMenu(refactor)
        menu.addSeparator()
        menu.addAction("&Group selection…", self.group_selection).setObjectName("context.group")
        ungroup = menu.addAction("&Ungroup", self.ungroup_selection)
        ungroup.setObjectName("context.ungroup")
        ungroup.setEnabled(any(doc.design.node(n).group for n in doc.selection))
        group = doc.design.node(node_id).group
        if group:
            menu.addAction(f"C&ollapse {group}", lambda: self.set_collapsed(group, True)).setObjectName(
                "context.collapse_group")
        menu.addSeparator()
        clipboard = getattr(getattr(self.window, "desktop", None), "clipboard", None)
        if clipboard is not None:
            menu.addAction("&Copy", clipboard.copy).setObjectName("context.copy")
        menu.addAction(self.window.window_actions.delete)
        return menu

    def wire_menu(self, key) -> QMenu:
        menu = QMenu(self.view)
        menu.addAction("&Insert layer…", lambda: self.insert_on_wire(key)).setObjectName("context.insert")
        menu.addAction("&Delete wire", lambda: self.document.push(Disconnect(self.document, *key))).setObjectName(
            "context.delete_wire")
        return menu

    def group_menu(self, group: str) -> QMenu:
        menu = QMenu(self.view)
        members = self.document.design.groups().get(group, [])
        menu.addAction("&Select block", lambda: self.document.set_selection(members)).setObjectName("context.select_block")
        menu.addAction("&Ungroup block", lambda: self.document.push(SetGroup(self.document, members, None))).setObjectName(
            "context.ungroup_block")
        menu.addAction("C&ollapse", lambda: self.set_collapsed(group, True)).setObjectName("context.collapse")
        return menu

    def collapsed_menu(self, group: str) -> QMenu:
        """A collapsed block's card: expand it, or act on all its layers at once."""
        doc = self.document
        members = collapse.members(doc.design, group)
        menu = QMenu(self.view)
        menu.addAction("&Expand", lambda: self.set_collapsed(group, False)).setObjectName("context.expand")
        menu.addAction("&Select block", lambda: doc.set_selection(members)).setObjectName("context.select_block")
        menu.addAction("&Ungroup block", lambda: doc.push(SetGroup(doc, members, None))).setObjectName(
            "context.ungroup_block")
        menu.addAction("&Delete block", lambda: doc.push(RemoveNodes(doc, members))).setObjectName(
            "context.delete_block")
        return menu

    def canvas_menu(self) -> QMenu:
        menu = QMenu(self.view)
        a = self.window.window_actions
        clipboard = getattr(getattr(self.window, "desktop", None), "clipboard", None)
        if clipboard is not None:
            menu.addAction("&Paste", clipboard.paste).setObjectName("context.paste")
        for action in (a.select_all, a.fit, a.auto_layout):
            menu.addAction(action)
        if self.document.design.groups():
            menu.addSeparator()
            menu.addAction(self.window.collapse_all_action)
            menu.addAction(self.window.expand_all_action)
        return menu

    def set_collapsed(self, group: str, on: bool) -> None:
        collapsing.set_collapsed(self.view.scene(), group, on)

    # edits ------------------------------------------------------------------------------------
    def insert_on_wire(self, key) -> bool:
        names = [t for t, layer in layers.REGISTRY.items() if t != "Input" and layer.min_inputs <= 1]
        new_type, ok = self.ask_item("Insert layer", "Layer to insert on the wire:", names)
        return ok and self.window.refactor_menu.run(lambda d: R.insert_on_wire(d, key, new_type))

    def group_selection(self) -> bool:
        ids = list(self.document.selection)
        if not ids:
            return False
        name, ok = self.ask_text("Group", f"Name of the block for {len(ids)} layers:", "block")
        name = name.strip()
        if not ok or not name:
            return False
        self.document.push(SetGroup(self.document, ids, name))
        return True

    def ungroup_selection(self) -> bool:
        ids = [n for n in self.document.selection if self.document.design.node(n).group]
        if ids:
            self.document.push(SetGroup(self.document, ids, None))
        return bool(ids)
