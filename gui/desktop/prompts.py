"""Every question and message the desktop features put to the user, in one replaceable place.

The file, recovery and crash code calls these through the module (``prompts.ask_discard(...)``),
never by a name imported earlier, so a test answers a prompt by monkeypatching one attribute
here instead of driving a modal dialog. Each function blocks and returns the user's answer.

On a platform nobody can see (``offscreen``, ``minimal``: ``--screenshot`` runs, CI) a modal
dialog would wait forever, so there the message goes to stderr and the safe answer is taken:
Cancel, No, nothing chosen.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
HEADLESS_PLATFORMS = ("offscreen", "minimal")


def headless() -> bool:
    return QGuiApplication.platformName() in HEADLESS_PLATFORMS


def _say(text: str) -> None:
    try:
        sys.stderr.write(f"archcanvas: {text}\n")
    except Exception:
        pass


def ask_discard(parent, name: str) -> str:
    """``SAVE``, ``DISCARD`` or ``CANCEL`` for a design with unsaved changes."""
    if headless():
        _say(f"unsaved changes to {name} kept (no one to ask)")
        return CANCEL
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                      f"Save the changes to “{name}” before closing it?", parent=parent)
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: SAVE,
            QMessageBox.StandardButton.Discard: DISCARD}.get(QMessageBox.StandardButton(answer), CANCEL)


def show_error(parent, title: str, text: str) -> None:
    if headless():
        return _say(f"{title}: {text}")
    QMessageBox.critical(parent, title, text)


def ask_restore(parent, text: str) -> bool:
    """Offer to restore work recovered after a crash."""
    if headless():
        return False
    answer = QMessageBox.question(parent, "Recover unsaved work", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def show_crash(parent, summary: str, details: str, log_path: str | None) -> None:
    if headless():  # the traceback is on stderr already
        return _say(summary + (f" (logged to {log_path})" if log_path else ""))
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong", summary, parent=parent)
    where = f"\n\nThe details were written to {log_path}." if log_path else ""
    box.setInformativeText("ArchCanvas is still running and your design is intact; saving now "
                           "is a good idea." + where)
    box.setDetailedText(details)
    box.exec()


def open_file_name(parent, caption: str, folder: str, filters: str) -> str:
    """A path chosen to open, or ``""`` when the user cancels."""
    if headless():
        return ""
    return QFileDialog.getOpenFileName(parent, caption, folder, filters)[0]


def save_file_name(parent, caption: str, suggested: str, filters: str) -> str:
    """A path chosen to write, or ``""`` when the user cancels. The dialog confirms overwrites."""
    if headless():
        return ""
    return QFileDialog.getSaveFileName(parent, caption, suggested, filters)[0]
