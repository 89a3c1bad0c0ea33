"""The palette: every layer type by category, then the blocks and the whole-network templates.

A Qt model/view pair: a ``QStandardItemModel`` of entries behind a ``QSortFilterProxyModel`` that
the search field filters (matching a name or its doc), shown in a ``QTreeView``. Each entry
carries its item text (``layer:Conv2D``, ``block:inception``, ``template:googlenet``): the
model puts it in the drag's mime data (``MIME``), so dragging an entry onto the canvas is a real
drag and drop, and a double-click or Enter emits ``activated(item_text)``. The main window turns
both into one call, ``place(item_text, scene_pos)``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRectF, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QColor, QDrag, QFontMetrics, QIcon, QPainter, QPen, QPixmap, QStandardItem, QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from archcanvas.core import layers
from archcanvas.gui.text import doc_html
from archcanvas.gui.canvas import MIME  # the canvas accepts drops of this type; one definition
from archcanvas.gui.theme import canvas as canvas_theme

ITEM_ROLE = Qt.UserRole + 1
SEARCH_ROLE = Qt.UserRole + 2


def _templates():
    try:
        from archcanvas.core import templates
    except ImportError:  # the catalogue of blocks is optional for the palette
        return {}, {}
    return getattr(templates, "BLOCKS", {}), getattr(templates, "TEMPLATES", {})


def _title(name: str) -> str:
    return name.replace("_", " ").replace("-", " ")


def _tooltip(title: str, doc: str, params=()) -> str:
    lines = [f"<b>{html.escape(title, quote=False)}</b>"]
    if doc:
        lines.append(doc_html(doc))
    if params:
        lines.append("<p><i>asks for:</i> " + ", ".join(p.name.replace("_", " ") for p in params) + "</p>")
    return "".join(lines)


def _icon(colour: QColor, kind: str) -> QIcon:
    """A small mark in the canvas's colour for the category: a dot for a layer, a framed square
    for a block (a group of layers), three stacked bars for a whole network."""
    size = 14
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(colour)
    if kind == "layer":
        p.drawEllipse(QRectF(3, 3, 8, 8))
    elif kind == "block":
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(colour, 1.5))
        p.drawRoundedRect(QRectF(2, 2, 10, 10), 2.5, 2.5)
        p.setPen(Qt.NoPen)
        p.setBrush(colour)
        p.drawRect(QRectF(5, 5, 4, 4))
    else:
        for y in (2, 6, 10):
            p.drawRoundedRect(QRectF(2, y, 10, 2.5), 1, 1)
    p.end()
    return QIcon(pixmap)


def catalogue() -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """``[(category, [(label, item_text, tooltip, search_text), ...]), ...]`` in palette order."""
    sections: dict[str, list] = {c: [] for c in layers.CATEGORIES}
    for layer in layers.REGISTRY.values():
        sections[layer.category].append(
            (layer.name, f"layer:{layer.name}", _tooltip(layer.name, layer.doc), f"{layer.name} {layer.doc}"))
    blocks, templates = _templates()
    if blocks:
        sections["Blocks"] = [
            (_title(name), f"block:{name}", _tooltip(_title(name), b.doc, b.params), f"{name} {b.doc}")
            for name, b in blocks.items()]
    if templates:
        sections["Templates"] = [
            (t.title or _title(name), f"template:{name}", _tooltip(t.title or _title(name), t.doc, t.params),
             f"{name} {t.title} {t.doc}")
            for name, t in templates.items()]
    return list(sections.items())


class PaletteModel(QStandardItemModel):
    """Entries (not categories) are draggable; their drag carries the item text as ``MIME``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        for category, entries in catalogue():
            head = QStandardItem(category)
            head.setFlags(Qt.ItemIsEnabled)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setData(category, SEARCH_ROLE)
            for label, item_text, tip, search in entries:
                item = QStandardItem(self._icon_for(item_text, category), label)
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
                item.setData(item_text, ITEM_ROLE)
                item.setData(search, SEARCH_ROLE)
                item.setToolTip(tip)
                head.appendRow(item)
            self.appendRow(head)

    @staticmethod
    def _icon_for(item_text: str, category: str) -> QIcon:
        kind = item_text.split(":", 1)[0]
        colour = canvas_theme.theme().category(category) if kind == "layer" else QColor(
            "#4c6185" if kind == "block" else "#5b6b7f")
        return _icon(colour, kind)

    def supportedDragActions(self):
        # Copy only: a view whose drag ends in a Move removes the dragged rows from its model
        return Qt.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        texts = [i.data(ITEM_ROLE) for i in indexes if i.data(ITEM_ROLE)]
        if texts:
            data.setData(MIME, texts[0].encode())
            data.setText(texts[0])
        return data

    def item_texts(self) -> list[str]:
        out = []
        for r in range(self.rowCount()):
            head = self.item(r)
            out += [head.child(c).data(ITEM_ROLE) for c in range(head.rowCount())]
        return out


class PaletteView(QTreeView):
    """Double-click or Enter on an entry emits ``entry_activated`` (never a single click, even
    where the platform activates items on one click, so browsing never adds layers)."""

    entry_activated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.doubleClicked.connect(self._emit)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self._emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _emit(self, index) -> None:
        text = index.data(ITEM_ROLE)
        if text:
            self.entry_activated.emit(text)

    def startDrag(self, supported_actions) -> None:
        """Drag the current entry as ``MIME`` data, shown as a small chip with its name; always
        a copy (Qt's default drag would end in a Move and remove the row from the model)."""
        index = self.currentIndex()
        if not index.isValid() or not index.data(ITEM_ROLE):
            return
        data = self.model().mimeData([index])
        drag = QDrag(self)
        drag.setMimeData(data)
        chip = drag_chip(index.data(Qt.DisplayRole), index.data(Qt.DecorationRole), self.font())
        drag.setPixmap(chip)
        drag.setHotSpot(QPoint(12, chip.height() // 2))  # the pointer sits on the chip's mark
        drag.exec(Qt.CopyAction, Qt.CopyAction)


def drag_chip(text: str, icon, font) -> QPixmap:
    """What follows the pointer during a drag: the entry's mark and name on a rounded chip."""
    metrics = QFontMetrics(font)
    width, height = metrics.horizontalAdvance(text) + 34, metrics.height() + 10
    chip = QPixmap(width, height)
    chip.fill(Qt.transparent)
    p = QPainter(chip)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor("#9fb3d6"), 1))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRoundedRect(QRectF(0.5, 0.5, width - 1, height - 1), 6, 6)
    if icon is not None:
        icon.paint(p, 6, (height - 14) // 2, 14, 14)
    p.setPen(QColor("#1d2430"))
    p.setFont(font)
    p.drawText(QRectF(26, 0, width - 30, height), Qt.AlignVCenter | Qt.AlignLeft, text)
    p.end()
    return chip


class Palette(QWidget):
    activated = Signal(str)  # item text of an entry double-clicked or activated with Enter

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("palette")
        self.model = PaletteModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.proxy.setRecursiveFilteringEnabled(True)

        self.search = QLineEdit(self)
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText("Search layers, blocks, templates…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.set_filter)
        self.search.returnPressed.connect(self._activate_first)
        self.search.installEventFilter(self)

        self.view = PaletteView(self)
        self.view.setObjectName("paletteView")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragOnly)
        self.view.setDefaultDropAction(Qt.CopyAction)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setExpandsOnDoubleClick(True)  # categories fold; entries are placed
        self.view.setIndentation(14)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.ElideRight)
        self.view.entry_activated.connect(self.activated)
        self.view.expandAll()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def set_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def visible_items(self) -> list[str]:
        """Item texts of the entries the filter shows, top to bottom."""
        out = []
        for r in range(self.proxy.rowCount()):
            head = self.proxy.index(r, 0)
            out += [self.proxy.index(c, 0, head).data(ITEM_ROLE) for c in range(self.proxy.rowCount(head))]
        return out

    def index_of(self, item_text: str):
        """The view's index of an entry (for tests and keyboard navigation)."""
        for r in range(self.proxy.rowCount()):
            head = self.proxy.index(r, 0)
            for c in range(self.proxy.rowCount(head)):
                index = self.proxy.index(c, 0, head)
                if index.data(ITEM_ROLE) == item_text:
                    return index
        return None

    def eventFilter(self, obj, event):
        # Down in the search field moves into the list, on the first match
        if obj is self.search and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down:
            first = self.visible_items()
            if first:
                self.view.setCurrentIndex(self.index_of(first[0]))
                self.view.setFocus()
                return True
        return super().eventFilter(obj, event)

    def _activate_first(self) -> None:
        items = self.visible_items()
        if items:
            self.activated.emit(items[0])
