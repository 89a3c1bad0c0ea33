"""Breakdown tab: shares of params and MACs by cost class and by group, as tables whose share
columns draw a horizontal bar behind the percentage. Clicking a row selects its layers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHeaderView, QLabel, QSplitter, QStyle, QStyledItemDelegate, QTableView,
    QVBoxLayout, QWidget,
)

from archcanvas.core.breakdown import NORMALIZATION, Share
from archcanvas.core.units import exact, human

from archcanvas.gui.theme.chart import class_color

SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
_COLS = ("label", "layers", "params", "params_share", "macs", "macs_share")
_TITLES = {"layers": "Layers", "params": "Params", "params_share": "% params", "macs": "MACs",
           "macs_share": "% MACs"}
_WIDTHS = {"layers": 46, "params": 58, "params_share": 68, "macs": 58, "macs_share": 68}
LABEL_WIDTH = 120  # "Depthwise 3×3", "inception_4a", "Normalization" in full
# From this width on the two tables fit side by side: each its label, figures and scroll bar.
SIDE_BY_SIDE_WIDTH = 2 * (LABEL_WIDTH + sum(_WIDTHS.values()) + 24)
QWIDGETSIZE_MAX = (1 << 24) - 1
_BAR = {"params_share": QColor("#4C72B0"), "macs_share": QColor("#DD8452")}


class ShareModel(QAbstractTableModel):
    def __init__(self, first_title: str, swatches: bool, parent=None):
        super().__init__(parent)
        self.first_title = first_title
        self.swatches = swatches
        self.shares: list[Share] = []
        self._icons: dict[str, QPixmap] = {}

    @property
    def exclude(self) -> tuple[str, ...]:
        return (NORMALIZATION,) if self.papers_box.isChecked() else ()

    def set_shares(self, shares: list[Share]) -> None:
        if [s.label for s in shares] == [s.label for s in self.shares] and shares:
            self.shares = shares
            self.dataChanged.emit(self.index(0, 0), self.index(len(shares) - 1, len(_COLS) - 1))
        else:
            self.beginResetModel()
            self.shares = shares
            self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.shares)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(_COLS)

    def _swatch(self, label: str) -> QPixmap:
        pm = self._icons.get(label)
        if pm is None:
            pm = QPixmap(10, 10)
            pm.fill(class_color(label))
            self._icons[label] = pm
        return pm

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self.shares[index.row()]
        key = _COLS[index.column()]
        value = getattr(s, key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "label":
                return value
            if key.endswith("_share"):
                return f"{100 * value:.2f}%"
            return human(value) if key != "layers" else str(value)
        if role == SHARE_ROLE and key.endswith("_share"):
            return value
        if role == Qt.ItemDataRole.DecorationRole and key == "label" and self.swatches:
            return self._swatch(s.label)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{s.label}: {s.layers} layer(s)\nparams {exact(s.params)} ({100 * s.params_share:.2f}%)"
                    f"\nMACs {exact(s.macs)} ({100 * s.macs_share:.2f}%)\nFLOPs {exact(s.flops)}")
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "label":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            key = _COLS[section]
            return self.first_title if key == "label" else _TITLES[key]
        return None


class ShareBarDelegate(QStyledItemDelegate):
    """Paints the share as a bar filling the cell from the left, the percentage on top."""

    def paint(self, painter: QPainter, option, index):
        share = index.data(SHARE_ROLE)
        if share is None:
            return super().paint(painter, option, index)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        key = _COLS[index.column()]
        r = QRectF(option.rect).adjusted(2, 3, -2, -3)
        color = QColor(_BAR[key])
        color.setAlpha(110)
        painter.fillRect(QRectF(r.left(), r.top(), r.width() * max(0.0, min(1.0, share)), r.height()), color)
        painter.drawText(r.adjusted(0, 0, -2, 0), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         index.data())


def _table(model: ShareModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setItemDelegate(ShareBarDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(20)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    h = view.horizontalHeader()
    h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(_COLS)):
        h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        h.resizeSection(col, _WIDTHS[_COLS[col]])
    return view


class BreakdownView(QWidget):
    rows_activated = Signal(list)  # node ids of the clicked class or group
    options_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.class_model = ShareModel("Layer class", swatches=True, parent=self)
        self.group_model = ShareModel("Group", swatches=False, parent=self)
        self.class_view = _table(self.class_model)
        self.group_view = _table(self.group_model)
        # Side by side when the panel is wide (the bottom dock at the default window size), so
        # each table gets the panel's whole height; stacked when it is narrow (a side dock).
        split = self.split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self._boxes = []
        for title, view in (("By layer class", self.class_view), ("By group", self.group_view)):
            box = QWidget()
            self._boxes.append(box)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 2, 0, 0)
            lay.setSpacing(2)
            label = QLabel(f"<b>{title}</b>")
            lay.addWidget(label)
            lay.addWidget(view)
            split.addWidget(box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self._class_height = 0
        self.papers_box = QCheckBox("Leave batch norm out, as the papers' tables do")
        self.papers_box.setToolTip(
            "MobileNet's Table 2 and most papers count only convolution and fully connected\n"
            "weights; batch norm adds 4 numbers per channel (1% of MobileNet v1's parameters).")
        self.papers_box.toggled.connect(self.options_changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.papers_box)
        lay.addWidget(split)
        self.class_view.clicked.connect(lambda i: self._activate(self.class_model, i))
        self.group_view.clicked.connect(lambda i: self._activate(self.group_model, i))

    @property
    def exclude(self) -> tuple[str, ...]:
        return (NORMALIZATION,) if self.papers_box.isChecked() else ()

    def set_shares(self, by_class: list[Share], by_group: list[Share]) -> None:
        self.class_model.set_shares(by_class)
        self.group_model.set_shares(by_group)
        # the classes are few: stacked, their table gets just the room it needs, the groups the rest
        v = self.class_view
        rows = max(len(by_class), 3)
        table = v.horizontalHeader().sizeHint().height() + rows * v.verticalHeader().defaultSectionSize() + 4
        self._class_height = table + 24
        self._arrange()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        side_by_side = self.width() >= SIDE_BY_SIDE_WIDTH
        self.split.setOrientation(Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical)
        self._boxes[0].setMaximumHeight(QWIDGETSIZE_MAX if side_by_side else max(self._class_height, 80))

    def _activate(self, model: ShareModel, index) -> None:
        if index.isValid():
            self.rows_activated.emit(list(model.shares[index.row()].node_ids))
