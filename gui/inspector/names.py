"""The inspector's naming fields: the layer's name, its group, and (nothing selected) the design's name.

Each edit becomes one command on the document (``Rename``, ``SetGroup``, ``SetDesignName``); the
fields are refilled from the model with their signals blocked, so showing never counts as an edit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from archcanvas.gui.document.commands import Rename, SetGroup
from archcanvas.gui.document.design_commands import UNTITLED, SetDesignName
from archcanvas.gui.inspector.editor_base import MIXED

NO_GROUP = "(none)"


class NameFields(QObject):
    """``name_edit``, ``group_row`` (``group_combo``) and ``design_name_edit``, for the nodes in ``ids``."""

    def __init__(self, document, parent: QWidget):
        super().__init__(parent)
        self.document = document
        self.ids: list[str] = []
        self.name_edit = QLineEdit(parent)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setToolTip("The layer's name (shown on the canvas and in reports); empty = its id")
        self.name_edit.editingFinished.connect(self._rename)
        self.design_name_edit = QLineEdit(parent)
        self.design_name_edit.setObjectName("designNameEdit")
        self.design_name_edit.setPlaceholderText(UNTITLED)
        self.design_name_edit.setToolTip("The design's name (in the file, the report and the window title "
                                         "until the design is saved)")
        self.design_name_edit.editingFinished.connect(self._rename_design)
        self.group_row = QWidget(parent)
        row = QHBoxLayout(self.group_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Group:", self.group_row))
        self.group_combo = QComboBox(self.group_row)
        self.group_combo.setObjectName("groupCombo")
        self.group_combo.setEditable(True)
        self.group_combo.setInsertPolicy(QComboBox.NoInsert)  # the model's groups fill the list
        self.group_combo.setToolTip("The block the selected layers belong to (charts and the report add "
                                    "up per group); type a new name to start a group")
        self.group_combo.activated.connect(lambda _: self._set_group())
        self.group_combo.lineEdit().editingFinished.connect(self._set_group)
        row.addWidget(self.group_combo, 1)

    @property
    def design(self):
        return self.document.design

    def show(self, ids: list[str]) -> None:
        """Fill the fields for ``ids``; with none, only the design's name shows."""
        self.ids = list(ids)
        empty = not ids
        self.name_edit.setVisible(not empty)
        self.group_row.setVisible(not empty)
        self.design_name_edit.setVisible(empty)
        if empty:
            self.fill_design_name()
        else:
            self.fill_nodes()

    def fill_design_name(self) -> None:
        name = self.design.name
        with QSignalBlocker(self.design_name_edit):
            self.design_name_edit.setText("" if name == UNTITLED else name)

    def fill_nodes(self) -> None:
        nodes = [self.design.node(n) for n in self.ids]
        single = len(nodes) == 1
        with QSignalBlocker(self.name_edit):
            self.name_edit.setEnabled(single)
            self.name_edit.setText(nodes[0].name or "" if single else "")
            self.name_edit.setPlaceholderText(nodes[0].id if single else f"{len(nodes)} layers selected")
        self.fill_group()

    def fill_group(self) -> None:
        groups = {self.design.node(n).group for n in self.ids}
        with QSignalBlocker(self.group_combo):
            self.group_combo.clear()
            self.group_combo.addItem(NO_GROUP)
            self.group_combo.addItems(sorted(self.design.groups()))
            self.group_combo.lineEdit().setPlaceholderText(MIXED if len(groups) > 1 else NO_GROUP)
            if len(groups) > 1:
                self.group_combo.setCurrentIndex(-1)
                self.group_combo.setEditText("")
            else:
                group = next(iter(groups))
                self.group_combo.setCurrentIndex(self.group_combo.findText(group) if group else 0)

    # editing ---------------------------------------------------------------------------------
    def _rename(self) -> None:
        if len(self.ids) != 1:
            return
        node = self.design.node(self.ids[0])
        name = self.name_edit.text().strip() or None
        if name != node.name:
            self.document.push(Rename(self.document, node.id, name))

    def _set_group(self) -> None:
        """The group typed or picked: one SetGroup for the shown nodes, none if nothing changes."""
        if not self.ids:
            return
        text = self.group_combo.currentText().strip()
        if not text and len({self.design.node(n).group for n in self.ids}) > 1:
            return  # left "mixed" as it was
        group = None if text in ("", NO_GROUP) else text
        if any(self.design.node(n).group != group for n in self.ids):
            self.document.push(SetGroup(self.document, self.ids, group))

    def _rename_design(self) -> None:
        name = self.design_name_edit.text().strip() or UNTITLED
        if name != self.design.name:
            self.document.push(SetDesignName(self.document, name))
        else:
            self.fill_design_name()
