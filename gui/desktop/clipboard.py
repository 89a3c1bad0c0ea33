"""Cut, Copy, Paste and Duplicate of the selected layers (Delete and Select All are the main
window's, ``MainWindow.delete_selection``).

The clipboard carries design JSON: ``core.fileformat.to_dict(design, selected_ids)`` (the
selected nodes and the wires among them) under ``application/x-archcanvas-design`` and the same
text as ``text/plain``, so layers paste into another window, another design or another running
ArchCanvas with their internal wires, and a text editor sees readable JSON. Wires to layers that
were not copied are dangling in the copy and are dropped (also when pasting hand-written text).

Pasted layers get fresh ids where they collide, fresh block (group) names where those collide,
move by ``OFFSET`` per paste of the same copy
(so repeated pastes fan out instead of stacking) or, when that would be out of sight, to the
middle of the view, then on to the free space nearest there (``placement.clear_offset``: never
on top of a layer or inside another block's frame), and become the selection. Every change is one
undoable command (``gui.commands.AddNodes`` / ``RemoveNodes``).
"""

from __future__ import annotations

import atexit
import json

from PySide6.QtCore import QMimeData, QObject, QRectF
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from archcanvas.core import fileformat
from archcanvas.core.errors import ArchCanvasError

from archcanvas.gui.desktop import prompts
from archcanvas.gui.canvas.node_item import node_size
from archcanvas.gui.document.commands import AddNodes, RemoveNodes
from archcanvas.gui.placement import clear_offset, nodes_collide, separate_groups

MIME = "application/x-archcanvas-design"
OFFSET = 30.0


def _clear_headless_clipboard() -> None:
    """Qt's offscreen platform crashes at exit when its clipboard still holds a QMimeData
    (PySide6 6.11, seen in the tests and headless runs); there, nobody can paste it anyway."""
    app = QApplication.instance()
    try:
        if app is not None and app.platformName() in ("offscreen", "minimal"):
            app.clipboard().clear()
    except RuntimeError:  # the application is already gone
        pass


atexit.register(_clear_headless_clipboard)


def fragment_json(design, node_ids) -> str:
    return json.dumps(fileformat.to_dict(design, node_ids), ensure_ascii=False, indent=1)


def parse_fragment(text: str | bytes):
    """A standalone design from clipboard text; raises ``ArchCanvasError`` if it is not one.

    The text goes through the file reader (``fileformat.parse_json`` and ``from_dict``), so a
    paste is held to every rule a design file is; the one difference is that wires to layers
    that were not copied are dropped."""
    if not (text.lstrip()[:1] in ("{", b"{")):
        raise fileformat.FormatError("the clipboard does not hold a design (not a JSON object)")
    data = fileformat.parse_json(text, "clipboard")
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise fileformat.FormatError("the clipboard does not hold a design (no list of nodes)")
    data = {"format": fileformat.FORMAT, "version": fileformat.VERSION, **data}
    ids = {n["id"] for n in data["nodes"] if isinstance(n, dict) and isinstance(n.get("id"), str)}
    edges = data.get("edges", [])
    if isinstance(edges, list):  # wires to layers that were not copied have nowhere to go
        data["edges"] = [e for e in edges if not isinstance(e, dict) or _inside(e, ids)]
    return fileformat.from_dict(data, source="clipboard")


def _inside(edge: dict, ids: set) -> bool:
    """Both ends name copied layers; an end that is not even text stays, for the reader to refuse."""
    ends = (edge.get("source"), edge.get("target"))
    return not all(isinstance(e, str) for e in ends) or all(e in ids for e in ends)


def find_action(window, key) -> QAction | None:
    """An action of ``window`` already bound to ``key`` (so we never create an ambiguous shortcut)."""
    seq = QKeySequence(key)
    for action in window.findChildren(QAction):
        if any(s == seq for s in action.shortcuts()):
            return action
    return None


class ClipboardActions(QObject):
    """The clipboard commands of a ``MainWindow`` (its ``view`` and status bar)."""

    def __init__(self, window, document):
        super().__init__(window)
        self.window, self.document = window, document
        self._last_text: str | None = None
        self._pastes = 0
        K = QKeySequence.StandardKey
        self.cut_action = self._action("Cu&t", [K.Cut], self.cut, "edit.cut")
        self.copy_action = self._action("&Copy", [K.Copy], self.copy, "edit.copy")
        self.paste_action = self._action("&Paste", [K.Paste], self.paste, "edit.paste")
        self.duplicate_action = self._action("D&uplicate", ["Ctrl+D"], self.duplicate, "edit.duplicate")
        document.selection_changed.connect(self._update)
        document.design_replaced.connect(self._update)
        QApplication.clipboard().dataChanged.connect(self._update)
        self._update()

    def _action(self, text, keys, slot, name) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        free = []
        for key in keys:
            for seq in QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) \
                    else [QKeySequence(key)]:
                if not seq.isEmpty() and find_action(self.window, seq) is None and seq not in free:
                    free.append(seq)
        action.setShortcuts(free)
        action.triggered.connect(lambda *_: slot())
        self.window.addAction(action)
        return action

    def actions(self) -> list[QAction]:
        return [self.cut_action, self.copy_action, self.paste_action, self.duplicate_action]

    def _update(self, *_):
        has = bool(self.document.selection)
        for a in (self.cut_action, self.copy_action, self.duplicate_action):
            a.setEnabled(has)
        mime = QApplication.clipboard().mimeData()
        self.paste_action.setEnabled(mime is not None and (
            mime.hasFormat(MIME) or mime.text().lstrip().startswith("{")))

    # the clipboard ---------------------------------------------------------------------------
    def copy(self) -> bool:
        ids = list(self.document.selection)
        if not ids:
            return False
        text = fragment_json(self.document.design, ids)
        mime = QMimeData()
        mime.setData(MIME, text.encode("utf-8"))
        mime.setText(text)
        QApplication.clipboard().setMimeData(mime)
        self._last_text, self._pastes = text, 0
        self._status(f"Copied {_count(len(ids))}")
        return True

    def cut(self) -> bool:
        ids = list(self.document.selection)
        if not ids or not self.copy():
            return False
        command = RemoveNodes(self.document, ids)
        command.setText(command.text().replace("Delete", "Cut", 1))
        self.document.push(command)
        self._pastes = -1  # the first paste of a cut goes back where the layers were
        return True

    def clipboard_text(self) -> str | bytes:
        """Our own format as the bytes it is (the reader checks its UTF-8), else the plain text."""
        mime = QApplication.clipboard().mimeData()
        if mime is None:
            return ""
        if mime.hasFormat(MIME):
            return bytes(mime.data(MIME))
        return mime.text()

    def paste(self) -> list[str]:
        """Add the clipboard's layers; returns their ids in the document (now selected)."""
        text = self.clipboard_text()
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                pass  # the reader refuses it, saying which byte
        if not text.strip():
            return []
        try:
            fragment = parse_fragment(text)
        except ArchCanvasError as err:
            self._status(f"Nothing pasted: {err}")
            return []
        if text != self._last_text:  # copied elsewhere (another window or program)
            self._last_text, self._pastes = text, 0
        self._pastes += 1
        return self._add(fragment, self._pastes * OFFSET, "Paste")

    def duplicate(self) -> list[str]:
        ids = list(self.document.selection)
        if not ids:
            return []
        fragment = parse_fragment(fragment_json(self.document.design, ids))
        return self._add(fragment, OFFSET, "Duplicate")

    def _add(self, fragment, offset: float, verb: str) -> list[str]:
        if len(fragment) == 0:
            return []
        what = fragment.nodes()[0].type if len(fragment) == 1 else _count(len(fragment))
        separate_groups(fragment, self.document.design)
        shift = self._into_view(fragment, (offset, offset))
        design = self.document.design
        if offset or nodes_collide(fragment, design, shift):  # a cut's first paste goes back if it can
            shift = clear_offset(fragment, design, shift)
        try:
            command = AddNodes(self.document, fragment, offset=shift, text=f"{verb} {what}")
            self.document.push(command)
        except ArchCanvasError as err:
            prompts.show_error(self.window, f"Cannot {verb.lower()}", str(err))
            return []
        self.document.set_selection(command.ids)
        self._status(command.text())
        return list(command.ids)

    def _into_view(self, fragment, offset) -> tuple[float, float]:
        """``offset``, or, when the copies would land outside the visible canvas (copied in
        another window, or scrolled away since), the shift that centres them in the view."""
        view = self.window.view
        points = [n.pos for n in fragment.nodes() if n.pos is not None]
        if not points:
            return offset
        xs, ys = [p[0] + offset[0] for p in points], [p[1] + offset[1] for p in points]
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        if visible.intersects(QRectF(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)):
            return offset
        centre = visible.center()
        NODE_W, NODE_H = node_size(0)  # centre the copies by their middle, not their corners
        return (offset[0] + centre.x() - (min(xs) + max(xs)) / 2 - NODE_W / 2,
                offset[1] + centre.y() - (min(ys) + max(ys)) / 2 - NODE_H / 2)

    def _status(self, text: str) -> None:
        self.window.show_message(text, 4000)


def _count(n: int) -> str:
    return f"{n} layer" + ("" if n == 1 else "s")
