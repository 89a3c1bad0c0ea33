"""PNG and PDF of an exported figure: core writes the SVG, Qt's SVG renderer draws it here.

Registered with ``core.export.figure.set_rasterizer`` by the launcher, so ``archcanvas export
--format png|pdf`` runs headless (offscreen when there is no display) and core never imports Qt.
"""

from __future__ import annotations

import os
import sys

SCALE = 2.0  # PNG pixels per SVG unit: sharp enough for a slide or a paper
MAX_PIXELS = 40_000_000  # a network of hundreds of layers is drawn smaller rather than failing


def _app():
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not any(
                os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(["archcanvas"])
    return app


def rasterize(svg_text: str, fmt: str) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtSvg import QSvgRenderer

    _app()
    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError("the figure's SVG could not be read")
    size = renderer.defaultSize()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if fmt == "png":
        scale = min(SCALE, (MAX_PIXELS / max(1, size.width() * size.height())) ** 0.5)
        image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(buffer, "PNG")
    elif fmt == "pdf":
        writer = QPdfWriter(buffer)
        writer.setResolution(72)  # one SVG unit is one point
        page = QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point, "figure")
        writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        painter = QPainter(writer)
        renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
    else:
        raise ValueError(f"cannot rasterize to {fmt!r}")
    return bytes(buffer.data())
