"""The overview: a small view of the whole design in the canvas's corner, with the part the
canvas shows outlined. Click or drag in it to move the canvas there. It appears by itself for
designs of more than ``AUTO_LAYERS`` layers (View ▸ Overview toggles it).

It is a second QGraphicsView of the same scene, so it draws what the canvas draws (at a scale
where nodes are plain boxes) and never keeps a copy of the design."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGraphicsView

AUTO_LAYERS = 60
SIZE = (220, 150)
MARGIN = 10


class Minimap(QGraphicsView):
    def __init__(self, canvas):
        super().__init__(canvas.scene(), canvas)
        self.canvas = canvas
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
        canvas.scene().changed.connect(self._scene_changed)
        self._place()
        self.refresh()

    # showing ----------------------------------------------------------------------------------
    def wanted(self) -> bool:
        if self.user_choice is not None:
            return self.user_choice
        return len(self.canvas.scene().design) > AUTO_LAYERS

    def refresh(self) -> None:
        self.setVisible(self.wanted())
        if self.isVisible():
            self._fit()

    def set_user_choice(self, shown: bool) -> None:
        self.user_choice = shown
        self.refresh()

    def _scene_changed(self, *_):
        self.refresh()

    def _fit(self) -> None:
        rect = self.canvas.scene().content_rect()
        if not rect.isNull():
            self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)

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
