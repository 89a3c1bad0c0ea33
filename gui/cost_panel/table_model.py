"""The cost report as a Qt table: the CSV's columns (``core.report.COLUMNS``) and layer rows.

Cells show exact values with thousands separators; sorting uses the raw value (``SORT_ROLE``), so
1,000 sorts after 999 and shapes sort by element count. An edit that keeps the same layers in
the same order refreshes the cells in place (``dataChanged``) so the view keeps its sort, scroll
position and selection; a structural change resets the model. Only what differs is announced:
one ``dataChanged`` per run of rows whose own figures changed, and one per share column when
the totals moved (every layer's share changes with them), so an edit of one layer in 5,000
re-reads a handful of rows, not the table.
"""

from __future__ import annotations

from dataclasses import fields
from math import prod
from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from archcanvas.core.report import COLUMNS, Row
from archcanvas.core.shapes import fmt_shape
from archcanvas.core.units import human

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def display(kind: str, value) -> str:
    if kind == "int":
        return f"{value:,}"
    if kind == "pct":
        return f"{value:.2f}%"
    if kind == "shape":
        return "" if value is None else fmt_shape(value)
    return str(value)


def sort_key(kind: str, value):
    if kind == "shape":
        return -1 if value is None else prod(value)
    if kind == "text":
        return str(value).casefold()
    return value


class ReportModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.error_color = QColor("#B3261E")

    def set_error_color(self, color: QColor) -> None:
        self.error_color = color
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    def set_rows(self, rows: list[Row]) -> None:
        same_layers = len(rows) == len(self.rows) and all(
            a.id == b.id for a, b in zip(rows, self.rows))
        if same_layers and rows:
            old, self.rows = self.rows, rows
            self._announce(old, rows)
        else:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

    def _announce(self, old: list[Row], new: list[Row]) -> None:
        last = len(COLUMNS) - 1
        start = None
        for i, (a, b) in enumerate(zip(old, new)):
            differs = _own(a) != _own(b)
            if differs and start is None:
                start = i
            elif not differs and start is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(i - 1, last))
                start = None
        if start is not None:
            self.dataChanged.emit(self.index(start, 0), self.index(len(new) - 1, last))
        for key, column in _SHARES:
            if any(getattr(a, key) != getattr(b, key) for a, b in zip(old, new)):
                self.dataChanged.emit(self.index(0, column), self.index(len(new) - 1, column))

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = COLUMNS[index.column()]
        value = getattr(row, col.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return display(col.kind, value)
        if role == SORT_ROLE:
            return sort_key(col.kind, value)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col.kind in ("int", "pct") else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and row.error:
            return self.error_color
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.error:
                return f"{row.name}: {row.error}"
            if col.kind == "int" and value >= 1000:
                return f"{value:,} ({human(value)})"
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        col = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{col.key}: {col.doc}"
        return None

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.key == key)

    def row_of(self, node_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == node_id), -1)


# a row's own figures, without its shares of the totals (those change for every row at once)
_SHARE_KEYS = tuple(c.key for c in COLUMNS if c.kind == "pct")
_SHARES = tuple((c.key, i) for i, c in enumerate(COLUMNS) if c.kind == "pct")
_OWN_FIELDS = tuple(f.name for f in fields(Row) if f.name not in _SHARE_KEYS)
_own = attrgetter(*_OWN_FIELDS)


class ReportProxy(QSortFilterProxyModel):
    """Sorts by raw value and filters rows by name, type or group (case-insensitive)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""
        self._keys = ("name", "type", "group", "id")

    def set_filter_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._needle = text.strip().casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.strip().casefold()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row, source_parent):
        if not self._needle:
            return True
        row = self.sourceModel().rows[source_row]
        return any(self._needle in str(getattr(row, k)).casefold() for k in self._keys)
