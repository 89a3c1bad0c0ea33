"""Starting the desktop app: ``run(path=None, screenshot=None, size=None) -> exit code``.

``archcanvas [DESIGN.json]`` calls ``run``. Without a file the window opens on an example
(``resources/examples/googlenet.json`` if shipped, else the seed Inception network). With
``screenshot`` the window is shown at ``size`` (default 1600×1000), given a few event-loop ticks
to lay out and draw, saved as a PNG, and the app exits; this works with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from archcanvas.core import fileformat
from archcanvas.core.design import Design
from archcanvas.core.errors import ArchCanvasError


APP_NAME = "ArchCanvas"
DEFAULT_SIZE = (1600, 1000)
EXAMPLE = ("examples", "googlenet.json")


def application() -> QApplication:
    """The QApplication (created once), named for QSettings and styled."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    """Fusion (the same look on every platform) plus resources/style.qss, loaded once."""
    if app.property("archcanvasStyled"):
        return
    app.setStyle("Fusion")
    try:
        from archcanvas import resources
        sheet = resources.path("style.qss").read_text(encoding="utf-8")
    except (OSError, ImportError):
        sheet = ""
    app.setStyleSheet(sheet + app.styleSheet())
    app.setProperty("archcanvasStyled", True)


def example_design() -> Design:
    """The example shown when no file is given."""
    try:
        from archcanvas import resources
        ref = resources.path(*EXAMPLE)
        if ref.is_file():
            return fileformat.loads(ref.read_text(encoding="utf-8"), "/".join(EXAMPLE))
    except (OSError, ImportError, ArchCanvasError):
        pass
    from archcanvas.core.templates import TEMPLATES
    return TEMPLATES["seed-inception"].build()


def load_design(path) -> Design:
    """The design in ``path`` (a design file, or a model file imported: ``core.importers``), with
    file-system errors turned into a one-line message."""
    return open_design(path)[0]


def open_design(path) -> tuple[Design, bool]:
    """``(design, imported)``; an imported model opens untitled, so Save never writes over it."""
    from archcanvas.core.importers import open_any
    try:
        return open_any(path)
    except OSError as err:
        raise ArchCanvasError(f"{path}: {err.strerror or err}") from None


def build_window(document=None, restore: bool = True):
    """The application's main window, assembled in this one place: the window with its canvas,
    docks, Edit and View menus (``gui.main_window``), then the desktop features on it (File
    menu, clipboard, recovery, settings, themes: ``gui.desktop.install``), which take the
    window's menus and actions by reference. ``window.desktop`` holds those features."""
    from archcanvas.gui.desktop.install import install
    from archcanvas.gui.main_window import MainWindow  # after the QApplication exists

    window = MainWindow(document)
    window.desktop = install(window, restore=restore)
    return window


def settle(app: QApplication, ticks: int = 4, ms: int = 30) -> None:
    """Let queued layout, paint and timer work run (a few short event-loop turns)."""
    for _ in range(ticks):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        app.processEvents()


def headless_prompts() -> list[str]:
    """No modal questions in a run nobody watches (``--screenshot``): an unexpected error is
    printed to stderr (and kept in the returned list) instead of waiting forever for a dialog."""
    errors: list[str] = []
    try:
        from archcanvas.gui.desktop import prompts
    except ImportError:
        return errors

    def say(*lines):
        errors.append(" ".join(" ".join(str(x) for x in lines if x).split()))
        print("error: " + errors[-1], file=sys.stderr)

    prompts.show_error = lambda parent, title, text: say(title + ":", text)
    prompts.show_crash = lambda parent, summary, details, log_path=None: say(summary, f"(log: {log_path})")
    prompts.ask_restore = lambda parent, text: False
    prompts.ask_discard = lambda parent, name: getattr(prompts, "DISCARD", "discard")
    return errors


def run(path=None, screenshot=None, size=None) -> int:
    app = application()
    problems = headless_prompts() if screenshot else []
    error = None
    design, design_path = None, None
    if path:
        try:
            design, imported = open_design(path)
            design_path = None if imported else Path(path)
        except ArchCanvasError as err:
            error = str(err)
    if error and screenshot:
        print(f"error: {error}", file=sys.stderr)
        return 1

    window = build_window(restore=not screenshot)
    window.open_design(design if design is not None else example_design(), design_path)
    if design_path is not None and window.desktop is not None and not screenshot:
        window.desktop.files.remember(design_path)  # opened from the shell: Open Recent has it too
    if screenshot:
        code = save_screenshot(app, window, screenshot, size or DEFAULT_SIZE)
        return code or (1 if problems else 0)  # a window that failed to draw is no screenshot

    window.show()
    window.view.fit()
    window.view.setFocus()  # so F, Delete and Ctrl+A act on the canvas from the start
    if error:  # once the event loop runs, so the window is drawn behind the message
        from archcanvas.gui.desktop import prompts
        QTimer.singleShot(0, lambda: prompts.show_error(
            window, "Cannot open the design", f"{error}\n\nShowing an example design instead."))
    return app.exec()


def save_screenshot(app: QApplication, window, out, size) -> int:
    width, height = size
    window.resize(int(width), int(height))
    window.show()
    settle(app)
    window.view.fit()
    settle(app)
    image = window.grab()
    out = Path(out)
    if out.parent and not out.parent.exists():
        print(f"error: {out.parent}: no such folder", file=sys.stderr)
        return 1
    if not image.save(str(out), "PNG"):
        print(f"error: {out}: could not write the PNG", file=sys.stderr)
        return 1
    window.close()
    return 0
