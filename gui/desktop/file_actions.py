"""The File menu: New, Open (also by dropping a .json), Open Recent, Save, Save As, exports, Quit.

Rules that keep work safe:
- every way of replacing or closing the design (New, Open, a drop, a recent file, closing the
  window) first asks ``prompts.ask_discard`` when there are unsaved changes; Save there saves
  first and stops if that save fails;
- saving goes through ``core.fileformat.save`` (atomic); a failed save shows the reason and the
  document stays dirty;
- opening a bad file shows the loader's message and the open design is left as it was.

The window title belongs to ``gui.title.WindowTitle``.
"""

from __future__ import annotations

import math
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QCursor, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from archcanvas.core import fileformat, report
from archcanvas.core.report import problem_lines
from archcanvas.core.atomic import write_atomic
from archcanvas.core.design import Design
from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.importers import is_model_path, open_any

from archcanvas.gui.desktop import prompts
from archcanvas.gui.desktop.title import WindowTitle, display_name
from archcanvas.gui.document.design_commands import UNTITLED, SetDesignName

DESIGN_FILTER = "ArchCanvas designs (*.json);;All files (*)"
# Open also imports models (core.importers); Save keeps to designs
OPEN_FILTER = ("Designs and models (*.json *.keras *.h5 *.hdf5 *.onnx);;ArchCanvas designs (*.json);;"
               "Keras models (*.keras *.h5 *.hdf5 *.json);;ONNX models (*.onnx);;All files (*)")
IMAGE_MARGIN = 24
PNG_SCALE = 2.0  # sharp on high-density screens and in documents
MAX_PIXELS = 60_000_000  # about 240 MB of image memory at most
MAX_SIDE = 16_000
MAX_PROBLEM_LINES = 8
_DROP_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


class FileActions(QObject):
    def __init__(self, window, document, settings, view=None):
        super().__init__(window)
        self.window, self.document, self.settings, self.view = window, document, settings, view
        self.on_closed = []  # callbacks run once the user agreed to close (settings, recovery)
        w = window
        self.new_action = self._action("&New", QKeySequence.StandardKey.New, self.new, "file.new")
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.open, "file.open")
        self.recent_menu = QMenu("Open &Recent", w)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save, "file.save")
        self.save_as_action = self._action("Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as,
                                           "file.save_as")
        self.export_csv_action = self._action("Export Report as &CSV…", None, self.export_csv,
                                              "file.export_csv")
        # A name that starts with = + - @ is a formula to a spreadsheet; the CSV neutralizes it
        # with a leading ' (as `archcanvas report` does) unless this is on (--csv-exact-names).
        self.csv_exact_action = QAction("CSV Keeps E&xact Names", w, checkable=True)
        self.csv_exact_action.setObjectName("file.csv_exact_names")
        self.csv_exact_action.setToolTip("Write layer names into the CSV exactly, even those a spreadsheet "
                                         "would run as formulas (=, +, -, @)")
        self.csv_exact_action.setChecked(settings.view_option("csv_exact_names", False))
        self.csv_exact_action.toggled.connect(lambda on: settings.set_view_option("csv_exact_names", on))
        self.export_png_action = self._action("Export Canvas as &PNG…", None,
                                              lambda: self.export_image(suffix=".png"), "file.export_png")
        self.export_svg_action = self._action("Export Canvas as S&VG…", None,
                                              lambda: self.export_image(suffix=".svg"), "file.export_svg")
        self.export_menu = QMenu("E&xport", w)  # File > Export > Code: archcanvas export's formats
        self.export_menu.setObjectName("menu.file.export")
        self.export_pytorch_action = self._action("&PyTorch Code…", None, lambda: self.export_as("pytorch"),
                                                  "file.export_pytorch")
        self.export_keras_action = self._action("&Keras Code…", None, lambda: self.export_as("keras"),
                                                "file.export_keras")
        self.export_figure_action = self._action("&Figure (SVG, PDF or PNG)…", None,
                                                 lambda: self.export_as("figure"), "file.export_figure")
        for action in (self.export_pytorch_action, self.export_keras_action, self.export_figure_action):
            self.export_menu.addAction(action)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.quit, "file.quit")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        # Windows has no standard key for these two; give them the one every other platform uses
        for action, key in ((self.quit_action, "Ctrl+Q"), (self.save_as_action, "Ctrl+Shift+S")):
            if action.shortcut().isEmpty():
                action.setShortcut(QKeySequence(key))
        w.setAcceptDrops(True)
        # one filter on the application sees the window's Close and a design file dropped
        # anywhere in the window, even on a widget that takes text drops of its own (the
        # palette's search box would paste the path as text)
        QApplication.instance().installEventFilter(self)
        if getattr(window, "title", None) is None:  # a window of its own kind: give it the title
            window.title = WindowTitle(window, document)
        panel = getattr(window, "cost_panel", None)
        if panel is not None and hasattr(panel, "export_requested"):
            # the cost panel's Export button writes the report the one way the File menu does
            panel.export_requested.connect(lambda: self.export_csv())

    def _action(self, text, shortcut, slot, name) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        self.window.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def fill_menu(self, menu: QMenu) -> None:
        for item in (self.new_action, self.open_action, self.recent_menu, None, self.save_action,
                     self.save_as_action, None, self.export_csv_action, self.csv_exact_action,
                     self.export_png_action, self.export_svg_action, self.export_menu, None, self.quit_action):
            if item is None:
                menu.addSeparator()
            elif isinstance(item, QMenu):
                menu.addMenu(item)
            else:
                menu.addAction(item)

    # asking before discarding ------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when the open design may be replaced (clean, saved now, or discarded by choice)."""
        if not self.document.modified:
            return True
        answer = prompts.ask_discard(self.window, display_name(self.document))
        if answer == prompts.SAVE:
            return self.save()
        return answer == prompts.DISCARD

    # opening -----------------------------------------------------------------------------------
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self._show(Design(), None)
        return True

    def open(self) -> bool:
        path = prompts.open_file_name(self.window, "Open design", self._folder(), OPEN_FILTER)
        return self.open_path(path) if path else False

    def open_path(self, path, ask: bool = True) -> bool:
        """Load ``path`` in place of the open design; a bad file leaves everything as it was."""
        path = Path(path)
        if ask and not self.maybe_save():
            return False
        try:
            design, imported = open_any(path)
        except (ArchCanvasError, OSError) as err:
            prompts.show_error(self.window, "Cannot open design", str(err))
            return False
        # an imported model opens untitled, so that Save asks for a design file instead of
        # writing JSON over the model
        self._show(design, None if imported else path)
        self.remember(path)
        return True

    def _show(self, design: Design, path) -> None:
        # the window's own way lays out nodes that have no position and fits the view
        show = getattr(self.window, "open_design", None)
        if callable(show):
            show(design, path)
        else:
            self.document.set_design(design, path)

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files()
        for i, f in enumerate(files):
            label = f"&{i + 1} {Path(f).name}" if i < 9 else Path(f).name
            action = menu.addAction(label)
            action.setToolTip(f)
            action.setStatusTip(f)
            action.triggered.connect(lambda *_, f=f: self.open_recent(f))
        if files:
            menu.addSeparator()
            menu.addAction("Clear Menu", self.settings.clear_recent)
        else:
            menu.addAction("No recent files").setEnabled(False)

    def open_recent(self, path: str) -> bool:
        if not Path(path).exists():
            prompts.show_error(self.window, "Cannot open design",
                               f"{path} no longer exists; it was removed from the recent files.")
            self.settings.remove_recent(path)
            return False
        return self.open_path(path)

    # saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self, path=None) -> bool:
        if path is None:
            suggested = self.document.path or Path(self._folder()) / f"{_file_stem(self.document)}.json"
            path = prompts.save_file_name(self.window, "Save design as", str(suggested), DESIGN_FILTER)
            if not path:
                return False
            if not Path(path).suffix:
                path = f"{path}.json"
        if self.document.design.name.strip() not in ("", UNTITLED):
            return self.save_to(path)
        # An untitled design takes the file's name, written into the file and undoable as a rename.
        self.document.push(SetDesignName(self.document, Path(path).stem))
        if self.save_to(path):
            return True
        self.document.undo_stack.undo()
        return False

    def save_to(self, path) -> bool:
        """Write atomically; on failure say why and keep the document dirty."""
        path = Path(path)
        try:
            fileformat.save(self.document.design, path)
        except (ArchCanvasError, OSError) as err:
            prompts.show_error(self.window, "Cannot save design", str(err))
            return False
        self.document.undo_stack.setClean()
        if path != self.document.path:
            self.document.set_path(path)
        self.remember(path)
        self._status(f"Saved {path}")
        return True

    # exporting ---------------------------------------------------------------------------------
    def export_csv(self, path=None, exact_names: bool | None = None) -> bool:
        """The same bytes as ``archcanvas report DESIGN --csv OUT --dtype D`` (D: the document's
        "Memory as" choice; with ``--csv-exact-names`` when ``exact_names``, by default the File
        menu's "CSV Keeps Exact Names"); like the command, refuses a design whose costs are not all known."""
        if exact_names is None:
            exact_names = self.csv_exact_action.isChecked()
        design, analysis = self.document.design, self.document.analysis
        if not analysis.ok:
            lines = problem_lines(design, analysis)
            more = f"\n… and {len(lines) - MAX_PROBLEM_LINES} more" if len(lines) > MAX_PROBLEM_LINES else ""
            prompts.show_error(self.window, "Cannot export the report",
                               "Some layers cannot be computed, so their costs are unknown:\n"
                               + "\n".join(lines[:MAX_PROBLEM_LINES]) + more)
            return False
        if path is None:
            path = self._ask_export_path("Export report as CSV", ".csv", "CSV files (*.csv)")
            if not path:
                return False
        text = report.to_csv(design, analysis, self.document.dtype, exact_names)
        return self._write(path, text.encode("utf-8"), "report")

    def export_image(self, path=None, suffix: str | None = None) -> bool:
        """The canvas scene as PNG or SVG (chosen by the file's suffix)."""
        scene = self.view.scene() if self.view is not None else None
        if scene is None or not scene.items():
            prompts.show_error(self.window, "Cannot export the canvas", "The canvas is empty.")
            return False
        if path is None:
            kind = (suffix or ".png").lstrip(".").upper()
            path = self._ask_export_path(f"Export canvas as {kind}", suffix or ".png",
                                         f"{kind} images (*.{kind.lower()})")
            if not path:
                return False
        path = Path(path)
        rect = scene.itemsBoundingRect().adjusted(-IMAGE_MARGIN, -IMAGE_MARGIN, IMAGE_MARGIN, IMAGE_MARGIN)
        # a big design takes a second or more to draw and encode: show that something happens
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            data = render_svg(scene, rect) if path.suffix.lower() == ".svg" else render_png(scene, rect)
        finally:
            QApplication.restoreOverrideCursor()
        return self._write(path, data, "image")

    def export_as(self, fmt: str, path=None) -> bool:
        """What ``archcanvas export DESIGN --format F`` writes: code for ``pytorch`` or ``keras``;
        for ``figure``, svg, pdf or png by the file's suffix. Refused with the command's lines."""
        from archcanvas.core.export import ExportError, export
        from archcanvas.core.export.figure import set_rasterizer
        from archcanvas.gui.desktop.figures import rasterize

        if path is None:
            caption, suffix, filters = {
                "pytorch": ("Export PyTorch code", ".py", "Python files (*.py)"),
                "keras": ("Export Keras code", ".py", "Python files (*.py)"),
            }.get(fmt, ("Export figure", ".svg", "SVG (*.svg);;PDF (*.pdf);;PNG (*.png)"))
            path = self._ask_export_path(caption, suffix, filters)
            if not path:
                return False
        if fmt == "figure":
            fmt = {".pdf": "pdf", ".png": "png"}.get(Path(path).suffix.lower(), "svg")
        set_rasterizer(rasterize)  # the app is the desktop package: png and pdf are drawn here
        try:
            data = export(self.document.design, fmt)
        except ExportError as err:
            lines = err.lines
            more = f"\n… and {len(lines) - MAX_PROBLEM_LINES} more" if len(lines) > MAX_PROBLEM_LINES else ""
            prompts.show_error(self.window, "Cannot export the design",
                               "\n".join(lines[:MAX_PROBLEM_LINES]) + more)
            return False
        return self._write(path, data.encode("utf-8") if isinstance(data, str) else data,
                           "code" if fmt in ("pytorch", "keras") else "figure")

    def _ask_export_path(self, caption, suffix, filters) -> str:
        base = self.document.path.with_suffix(suffix) if self.document.path else \
            Path(self._folder()) / f"{_file_stem(self.document)}{suffix}"
        path = prompts.save_file_name(self.window, caption, str(base), filters)
        if path and not Path(path).suffix:
            path += suffix
        return path

    def _write(self, path, data: bytes, what: str) -> bool:
        try:
            write_atomic(path, data, what=what)
        except (ArchCanvasError, OSError) as err:
            prompts.show_error(self.window, f"Cannot export the {what}", str(err))
            return False
        self._status(f"Exported {path}")
        return True

    # quitting and closing ----------------------------------------------------------------------
    def quit(self) -> None:
        """Close every top-level window (each asks about its own changes); quit when all closed."""
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.isWindow() and hasattr(w, "document") and w is not self.window:
                if not w.close():
                    return
        self.window.close()

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if obj is self.window and kind == QEvent.Type.Close:
            if not self.maybe_save():
                event.ignore()
                return True
            for fn in self.on_closed:
                fn()
            return False
        if kind not in _DROP_EVENTS or not self._in_window(obj):
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and _dropped_design(event):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop:
            path = _dropped_design(event)
            if path:
                event.acceptProposedAction()
                self.open_path(path)
                return True
        return False

    # helpers -----------------------------------------------------------------------------------
    def _in_window(self, obj) -> bool:
        if not isinstance(obj, QWidget) or not shiboken6.isValid(self.window):
            return False
        return obj is self.window or obj.window() is self.window

    def remember(self, path) -> None:
        """Put ``path`` first in Open Recent and make its folder the next dialog's start."""
        self.settings.add_recent(path)
        self.settings.set_last_folder(Path(path).resolve().parent)

    def _folder(self) -> str:
        if self.document.path:
            return str(self.document.path.parent)
        return self.settings.last_folder() or str(Path.home())

    def _status(self, text: str) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None:
            bar.showMessage(text, 5000)


def _file_stem(document) -> str:
    name = display_name(document)
    safe = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in name).strip() or "design"
    return safe


def _dropped_design(event) -> str | None:
    """The first local design or model file (.json, .keras, .h5, .onnx) among the dragged URLs."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and is_model_path(url.toLocalFile()):
            return url.toLocalFile()
    return None


def _background(scene) -> QColor:
    """The canvas's own background colour (its grid is left out: a picture wants a clean page)."""
    brush = scene.backgroundBrush()
    if brush.style() != Qt.BrushStyle.NoBrush:
        return brush.color()
    try:
        from archcanvas.gui.theme import canvas as canvas_theme
        return canvas_theme.color(canvas_theme.theme().background)
    except (ImportError, AttributeError):
        return QApplication.palette().base().color()


def render_png(scene, rect: QRectF, scale: float = PNG_SCALE) -> bytes:
    # a very large design is drawn smaller rather than asking for gigabytes of image memory
    area = max(1.0, rect.width() * rect.height())
    cap = min((MAX_PIXELS / area) ** 0.5, MAX_SIDE / max(1.0, rect.width(), rect.height()))
    fit = math.floor if cap < scale else round  # a capped size must not round up past the cap
    scale = min(scale, cap)
    size = QSize(max(1, fit(rect.width() * scale)), max(1, fit(rect.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(3780 * scale))  # 96 dpi × scale, so it prints at its real size
    image.setDotsPerMeterY(round(3780 * scale))
    image.fill(_background(scene))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def render_svg(scene, rect: QRectF) -> bytes:
    from PySide6.QtSvg import QSvgGenerator  # in PySide6-Essentials; imported only when used

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(QSize(round(rect.width()), round(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setTitle("ArchCanvas design")
    painter = QPainter(gen)
    painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), _background(scene))
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    buffer.close()
    return bytes(data)
