"""The canvas view: zoom around the cursor, pan, fit, a background grid, palette drops.

    view = CanvasView(document)
    view.scene().message.connect(status_bar.showMessage)
    view.drop_requested.connect(main_window.place)   # (mime text, scene position)

Keys: F fits the design to the view (Delete is the main window's action); hold Space (or the middle
button) and drag to pan; the wheel zooms around the pointer.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsView

from archcanvas.core import events

from archcanvas.gui.canvas import theme as canvas_theme
from archcanvas.gui.canvas.scene import CanvasScene

MIME = "application/x-archcanvas-item"
MIN_SCALE, MAX_SCALE = 0.03, 4.0
GRID = 20.0
MAJOR_EVERY = 5


class CanvasView(QGraphicsView):
    drop_requested = Signal(str, QPointF)  # palette item ("layer:Conv2D"), where it was dropped

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._scene = CanvasScene(document, self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)  # the grid is redrawn only on zoom
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPointF | None = None
        self._space = False
        document.focus_requested.connect(self.center_on)
        document.design_replaced.connect(self.fit)
        document.design_changed.connect(self._on_design_changed)

    # public API -----------------------------------------------------------------------------
    def scene(self) -> CanvasScene:  # the typed scene, for callers and tests
        return self._scene

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, scale: float) -> None:
        """Zoom about the centre of the view, within MIN_SCALE..MAX_SCALE."""
        scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        f = scale / self.zoom()
        self.scale(f, f)

    def fit(self) -> None:
        """Show the whole design, at most at 100 %."""
        rect = self._scene.content_rect()
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.set_zoom(1.0)
        elif self.zoom() < MIN_SCALE:
            self.set_zoom(MIN_SCALE)
        self.centerOn(rect.center())

    def center_on(self, node_id: str) -> None:
        if self._scene.item_for(node_id) is not None:
            self.centerOn(self._scene.node_rect(node_id).center())

    def reveal(self, node_ids) -> None:
        """Scroll as little as needed to show ``node_ids`` (nodes just added beside others);
        when they cannot all fit at this zoom, centre on them."""
        scene = self._scene
        rect = QRectF()
        for n in node_ids:
            if scene.item_for(n) is not None:
                rect = rect.united(scene.node_rect(n))
        if rect.isNull():
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if visible.contains(rect):
            return
        margin = 40
        if rect.width() + 2 * margin > visible.width() or rect.height() + 2 * margin > visible.height():
            self.centerOn(rect.center())
        else:
            self.ensureVisible(rect, round(margin * self.zoom()), round(margin * self.zoom()))

    def scene_center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def set_scheme(self, name: str) -> None:
        """Repaint in the ``light`` or ``dark`` canvas colours (see ``gui.canvas.theme``)."""
        canvas_theme.set_scheme(name)
        self._scene.restyle()
        self.resetCachedContent()
        self.viewport().update()

    # drawing --------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        t = canvas_theme.theme()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp 1 px lines, and 5x faster
        painter.fillRect(rect, QColor(t.background))
        scale = self.zoom()
        step = GRID if scale >= 0.5 else GRID * MAJOR_EVERY
        if step * scale < 6:  # lines closer than a few pixels are noise
            return
        left = math.floor(rect.left() / step)
        top = math.floor(rect.top() / step)
        minor, major = [], []
        x = left
        while x * step <= rect.right():
            line = QLineF(x * step, rect.top(), x * step, rect.bottom())
            (major if x % MAJOR_EVERY == 0 or step > GRID else minor).append(line)
            x += 1
        y = top
        while y * step <= rect.bottom():
            line = QLineF(rect.left(), y * step, rect.right(), y * step)
            (major if y % MAJOR_EVERY == 0 or step > GRID else minor).append(line)
            y += 1
        for lines, colour in ((minor, t.grid_minor), (major, t.grid_major)):
            if lines:
                pen = QPen(QColor(colour), 1)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawLines(lines)

    def empty_hint(self) -> str:
        """What an empty canvas says (nothing once the design has a layer)."""
        if len(self.document.design):
            return ""
        return ("Double-click a layer, block or template in the palette,\n"
                "or drag it here, to start.  Ctrl+O opens a design.")

    def _on_design_changed(self, batch) -> None:
        # the hint covers the middle of the view: repaint all of it when it comes or goes
        if len(self.document.design) <= 1 and events.touches(batch, events.NodeAdded, events.NodeRemoved):
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        hint = self.empty_hint()
        if not hint:
            return
        painter.save()
        painter.resetTransform()  # in pixels, at any zoom
        font = painter.font()
        font.setPixelSize(15)
        painter.setFont(font)
        painter.setPen(QColor(canvas_theme.theme().subtext))
        painter.drawText(QRectF(self.viewport().rect()), Qt.AlignmentFlag.AlignCenter, hint)
        painter.restore()

    # zoom and pan ---------------------------------------------------------------------------
    def wheelEvent(self, event):
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            # keep the scene point under the pointer in place (Qt's AnchorUnderMouse uses the last
            # mouse move, which a wheel without a move before it does not have)
            at = event.position().toPoint()
            before = self.mapToScene(at)
            self.set_zoom(self.zoom() * 1.0015 ** delta)
            self.centerOn(self.scene_center() + (before - self.mapToScene(at)))
        event.accept()

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.MiddleButton or (
                event.button() == Qt.MouseButton.LeftButton and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(d.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(d.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_F and not event.modifiers():
            self.fit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event):
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # palette drops --------------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):  # the scene would refuse: no item takes drops
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event):
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        text = bytes(event.mimeData().data(MIME)).decode("utf-8")
        event.acceptProposedAction()
        self.drop_requested.emit(text, self.mapToScene(event.position().toPoint()))
