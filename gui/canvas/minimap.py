"""The overview: a small view of the whole design in the canvas's corner, with the part the
canvas shows outlined. Click or drag in it to move the canvas there. It appears by itself for
designs of more than ``AUTO_LAYERS`` layers (View ▸ Overview toggles it).

It is a QGraphicsView in the canvas scene's coordinates, but of an empty scene of its own: at
its scale a layer is a coloured box, so it draws one box per layer (in its category's colour),
one line per wire (up to ``scene.OVERVIEW_WIRES_UP_TO`` layers) and the group frames, from the canvas scene's geometry (``overview_shapes``),
with a few batched calls into a cached pixmap. Drawing the canvas's own items here cost a Python
``paint`` per item for every change anywhere (a text edit repainted 5,000 layers); now the
picture is rebuilt only when the layout changed (layers or wires added, removed, moved,
regrouped), once per event loop turn, and an attribute edit costs it nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView

from archcanvas.core import events
from archcanvas.gui.theme.canvas import color, theme

AUTO_LAYERS = 60
# the events that change where things are drawn; attribute edits and renames do not
_LAYOUT = (events.NodeAdded, events.NodeRemoved, events.EdgeAdded, events.EdgeRemoved,
           events.GroupChanged, events.Moved)
SIZE = (220, 150)
MARGIN = 10


class Minimap(QGraphicsView):
    def __init__(self, canvas):
        super().__init__(canvas)
        scene = canvas.scene()
        self._own = QGraphicsScene(scene.sceneRect(), self)  # empty: the picture is the background
        self.setScene(self._own)
        self.canvas = canvas
        self._shapes = None        # the canvas scene's overview_shapes(), None: to be read again
        self._content = QRectF()
        self._pixmap: QPixmap | None = None
        self._pixmap_key = None
        self.rebuilds = 0          # how often the picture was read from the scene (tests count it)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        self.setObjectName("canvas.minimap")
        self.setInteractive(False)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFixedSize(*SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to move the canvas")
        self.user_choice: bool | None = None  # None: shown by the design's size
        canvas.installEventFilter(self)
        canvas.viewport().installEventFilter(self)
        canvas.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        canvas.verticalScrollBar().valueChanged.connect(self.viewport().update)
        scene.sceneRectChanged.connect(self._own.setSceneRect)  # the canvas's scene grows with the design
        document = scene.document
        document.design_changed.connect(self._on_design_changed)
        document.design_replaced.connect(self._invalidate)
        self._place()
        self.refresh()

    # showing ----------------------------------------------------------------------------------
    def wanted(self) -> bool:
        if self.user_choice is not None:
            return self.user_choice
        return len(self.canvas.scene().design) > AUTO_LAYERS

    def refresh(self) -> None:
        self._timer.stop()
        self.setVisible(self.wanted())
        if self.isVisible():
            self._fit()

    def showEvent(self, event) -> None:
        # refresh() fits only a visible view: a design opened before the window was shown (a
        # file named on the command line, --screenshot) is fitted here, when it first appears
        super().showEvent(event)
        self._fit()

    def set_user_choice(self, shown: bool) -> None:
        self.user_choice = shown
        self.refresh()

    def _on_design_changed(self, batch) -> None:
        if any(isinstance(e, _LAYOUT) for e in batch):
            self._invalidate()

    def _invalidate(self, *_) -> None:
        self._shapes = None
        self._timer.start()  # once per event loop turn, however many batches came

    def _read(self):
        if self._shapes is None:
            self.rebuilds += 1
            self._shapes = self.canvas.scene().overview_shapes()
            self._content = self._shapes.content
            self._pixmap_key = None
        return self._shapes

    def _fit(self) -> None:
        self._read()
        rect = self._content
        if not rect.isNull():
            self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        shapes = self._read()
        size = self.viewport().size()
        key = (id(shapes), theme().name, size.width(), size.height(), self.transform())
        if self._pixmap is None or key != self._pixmap_key:
            self._pixmap = self._render(shapes, size)
            self._pixmap_key = key
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self._pixmap)
        painter.restore()

    def _render(self, shapes, size) -> QPixmap:
        t = theme()
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(t.background))
        p = QPainter(pixmap)
        p.setTransform(self.viewportTransform())
        pen = QPen(color(t.group_border), 0)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.setBrush(color(t.group_fill))
        if shapes.frames:
            p.drawRects(shapes.frames)
        pen = QPen(QColor(t.edge), 0)
        pen.setCosmetic(True)
        p.setPen(pen)
        if shapes.wires:
            p.drawLines(shapes.wires)
        p.setPen(Qt.PenStyle.NoPen)
        for category, boxes in shapes.boxes.items():
            p.setBrush(t.category(category))
            p.drawRects(boxes)
        p.end()
        return pixmap

    def _place(self) -> None:
        vp = self.canvas.viewport().geometry()
        self.move(vp.right() - SIZE[0] - MARGIN, vp.bottom() - SIZE[1] - MARGIN)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        elif event.type() == QEvent.Type.Paint and obj is self.canvas.viewport():
            self.viewport().update()  # the outline follows zoom and pan
        return False

    # drawing and moving -----------------------------------------------------------------------
    def visible_rect(self) -> QRectF:
        return self.canvas.mapToScene(self.canvas.viewport().rect()).boundingRect()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        pen = QPen(QColor(230, 120, 30), 0)
        pen.setCosmetic(True)
        pen.setWidth(2)
        painter.setPen(pen)
        painter.setBrush(QColor(230, 120, 30, 40))
        painter.drawRect(self.visible_rect())

    def _jump(self, pos) -> None:
        self.canvas.centerOn(self.mapToScene(pos))

    def mousePressEvent(self, event):
        self._jump(event.position().toPoint())

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._jump(event.position().toPoint())

    def wheelEvent(self, event):
        event.ignore()
