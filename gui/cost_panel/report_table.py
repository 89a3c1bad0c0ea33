"""Table tab: the report as a sortable, filterable table, with an Export CSV button.

The widget knows nothing of the document. Rows come in through ``set_rows``, the selection
through ``select_ids``; the user's picks go out as ``ids_selected`` (row selection) and
``id_activated`` (double click). A guard keeps ``select_ids`` from echoing back as
``ids_selected``.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from archcanvas.gui.cost_panel.table_model import ID_ROLE, ReportModel, ReportProxy


class ReportTable(QWidget):
    ids_selected = Signal(list)
    id_activated = Signal(str)
    export_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ReportModel(self)
        self.proxy = ReportProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = self._make_view()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name, type or group")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save this report as CSV (the same file as the command <code>archcanvas report --csv</code> writes)")
        self.export_button.clicked.connect(self.export_requested)
        row = QHBoxLayout()
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.doubleClicked.connect(self._on_double_click)

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # topological order until a header is clicked
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        v = view.verticalHeader()
        v.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size queries on 1,000 rows
        v.setDefaultSectionSize(20)
        v.hide()
        view.horizontalHeader().setResizeContentsPrecision(200)
        return view

    def set_rows(self, rows, fit_columns: bool = False) -> None:
        self.model.set_rows(rows)
        if fit_columns:
            self.view.resizeColumnsToContents()

    def select_ids(self, ids) -> None:
        """Select the rows of ``ids`` (scrolling to it when there is one), without echoing."""
        self._syncing = True
        try:
            wanted = set(ids)
            sel = QItemSelection()
            last = self.model.columnCount() - 1
            for row, r in enumerate(self.model.rows):
                if r.id in wanted:
                    left = self.proxy.mapFromSource(self.model.index(row, 0))
                    if left.isValid():
                        sel.select(left, left.siblingAtColumn(last))
            self.view.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if len(wanted) == 1 and not sel.isEmpty():
                self.view.scrollTo(sel.indexes()[0])
        finally:
            self._syncing = False

    def selected_ids(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        return [i.data(ID_ROLE) for i in sorted(rows, key=lambda i: i.row())]

    def _on_selection(self, *_) -> None:
        if not self._syncing:
            self.ids_selected.emit(self.selected_ids())

    def _on_double_click(self, index) -> None:
        node_id = index.data(ID_ROLE)
        if node_id:
            self.id_activated.emit(node_id)
