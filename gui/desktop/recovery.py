"""Autosave to a recovery file, and the offer to restore it after a crash or a kill.

Each open document has its own ``autosave-<id>.json`` in the user's data folder, written
(atomically) a couple of seconds after the last edit and every minute while there are unsaved
changes, and deleted when the document becomes clean (saved) or the window closes cleanly.

Whether a recovery file is abandoned is decided by a ``QLockFile`` beside it that the window
holds while it lives: a process that dies (crash, kill -9, power cut) leaves a lock whose process
is gone, which Qt recognises as stale, so the next start can take it and offer the file. A live
window's lock cannot be taken, even from the same process, so two windows never offer each
other's work. The lock is released when the window is destroyed without a clean close (a crash
inside the app, or a test dropping the window), leaving the file to be offered.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from archcanvas.core import fileformat
from archcanvas.core.atomic import write_atomic
from archcanvas.core.design import Design
from archcanvas.core.layout import place_unpositioned
from archcanvas.core.errors import ArchCanvasError

from archcanvas.gui.desktop import prompts
from archcanvas.gui.desktop.settings import data_dir

FORMAT = "archcanvas.recovery"
INTERVAL_MS = 60_000   # periodic autosave while there are unsaved changes
DELAY_MS = 2_000       # autosave this long after the last edit
KEEP_DISCARDED = 5     # declined recovery files kept (renamed) in case the answer was a slip


THREAD_FROM = 2_000    # layers from which the recovery file is written on a worker thread


def _write(file: Path, build, path, saved_at) -> str | None:
    """Build the recovery data and write it atomically; why not, or None. Runs on any thread."""
    try:
        data = {"format": FORMAT, "version": 1, "saved_at": saved_at, "path": path, "design": build()}
        write_atomic(file, json.dumps(data, ensure_ascii=False, indent=1), what="recovery file")
    except (ArchCanvasError, OSError, TypeError, ValueError, RecursionError) as err:
        return str(err)
    return None


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never because it is old
    return lock


class Recovery(QObject):
    """Keeps the recovery file of one document up to date."""

    finished = Signal(object, object)  # (state written, error or None), from the writer thread

    def __init__(self, document, parent: QObject | None = None, folder: Path | None = None):
        super().__init__(parent)
        self.document = document
        self.error: str | None = None  # why autosave cannot work, for the status bar
        try:
            self.folder = Path(folder) if folder else data_dir() / "recovery"
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a read-only profile: run without autosave rather than not at all
            self.folder = Path(folder) if folder else Path(".archcanvas-recovery-unavailable")
            self.error = f"autosave is off: cannot create the recovery folder: {err.strerror or err}"
        key = uuid.uuid4().hex[:12]
        self.file = self.folder / f"autosave-{key}.json"
        self.lock = _lock(self.folder / f"autosave-{key}.lock")
        if self.error is None:
            self.lock.tryLock(0)
        self._written = None  # what the file on disk holds: (design, edits seen, path)
        self._edits = 0       # design events seen, so "nothing changed since" costs nothing
        self._writer: threading.Thread | None = None
        self.finished.connect(self._finished)  # from the writer thread, queued to this one
        self.periodic = QTimer(self, interval=INTERVAL_MS)
        self.periodic.timeout.connect(self.autosave)
        self.periodic.start()
        self.soon = QTimer(self, singleShot=True, interval=DELAY_MS)
        self.soon.timeout.connect(self.autosave)
        document.design_changed.connect(self._clean_changed_false)
        document.undo_stack.cleanChanged.connect(self._clean_changed)
        document.design_replaced.connect(self.autosave)
        lock = self.lock
        if parent is not None:
            # Destroyed without a clean close: the process is as good as dead for this file.
            parent.destroyed.connect(lambda *_: lock.unlock())

    def _clean_changed_false(self, *_) -> None:
        self._edits += 1
        self._clean_changed(False)

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.autosave()
        elif shiboken6.isValid(self.soon):
            self.soon.start()

    def autosave(self) -> bool:
        """Write the recovery file if there is unsaved work, else remove it; True when written
        (or, for a large design, being written on a worker thread: ``wait`` for it)."""
        doc = self.document
        if not (shiboken6.isValid(doc) and shiboken6.isValid(doc.undo_stack)):
            # the undo stack clears itself (and says "clean") while it is destroyed: that is
            # not a save, and the recovery file must stay
            return False
        if not doc.modified:
            self.discard()
            return False
        state = (id(doc.design), self._edits, str(doc.path))
        if state == self._written and self.file.exists():
            return False
        self.wait()  # one write at a time, in order
        # Taken on this thread in a few ms (fileformat.snapshot); turned into JSON and written
        # on a worker for a large design, so autosave never holds up the window.
        build = fileformat.snapshot(doc.design)
        path = str(doc.path) if doc.path else None
        saved_at = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        if len(doc.design) < THREAD_FROM:
            return self._finished(state, _write(self.file, build, path, saved_at))
        self._writer = threading.Thread(target=self._write_then_tell, args=(state, build, path, saved_at),
                                        name="archcanvas-autosave", daemon=True)
        self._writer.start()
        self._written = state  # not asked again while it is being written
        return True

    def _write_then_tell(self, state, build, path, saved_at) -> None:
        error = _write(self.file, build, path, saved_at)
        try:
            self.finished.emit(state, error)
        except RuntimeError:  # the window (and this object) went away meanwhile
            pass

    def _finished(self, state, error) -> bool:
        if error is not None:
            self._written = None
            if error != self.error:  # said once, not every minute
                self.error = error
                bar = getattr(self.parent(), "statusBar", None)
                if callable(bar):
                    bar().showMessage(f"Autosave failed: {error}", 10_000)
            return False
        self._written, self.error = state, None
        return True

    def wait(self) -> None:
        """Until the write under way (if any) is done."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.join()

    def discard(self) -> None:
        self.wait()
        self._written = None
        try:
            self.file.unlink(missing_ok=True)
        except OSError:
            pass

    def close(self) -> None:
        """A clean close: nothing to recover any more."""
        self.periodic.stop()
        self.soon.stop()
        self.discard()
        self.lock.unlock()


@dataclass
class Orphan:
    """A recovery file whose window is gone; holds its lock while it is being offered."""
    file: Path
    lock: QLockFile
    data: dict

    @property
    def name(self) -> str:
        design = self.data.get("design") if isinstance(self.data, dict) else None
        return str(design.get("name", "untitled")) if isinstance(design, dict) else "untitled"

    @property
    def path(self) -> Path | None:
        p = self.data.get("path")
        return Path(p) if isinstance(p, str) and p else None

    def design(self) -> Design:
        return fileformat.from_dict(self.data.get("design"), source=f"recovery file {self.file}")

    def remove(self) -> None:
        self.file.unlink(missing_ok=True)
        self.lock.unlock()

    def set_aside(self, kind: str = "declined") -> Path | None:
        """Declined (or unreadable): keep it under another name for a while, never offered again.
        Returns the new name (None when it could only be removed)."""
        return _set_aside(self.file, self.lock, kind)


def _set_aside(file: Path, lock: QLockFile, kind: str) -> Path | None:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside: Path | None = file.with_name(f"{kind}-{stamp}-{file.stem}.json")
    try:
        file.replace(aside)
    except OSError:
        aside = None
        try:
            file.unlink(missing_ok=True)
        except OSError:
            pass
    lock.unlock()
    old = sorted(file.parent.glob(f"{kind}-*.json"))
    for f in old[:-KEEP_DISCARDED]:
        try:
            f.unlink(missing_ok=True)
        except OSError:
            pass
    return aside


def orphans(folder: Path | None = None, unreadable: list | None = None) -> list[Orphan]:
    """Recovery files nobody holds, newest first (their locks are now held by the caller).

    A file that cannot be read as a recovery file is set aside (``unreadable-….json``), so it is
    not met again at every start; ``(file, set-aside name or None, reason)`` is appended to
    ``unreadable`` for the caller to tell the user."""
    folder = Path(folder) if folder else data_dir() / "recovery"
    for stray in folder.glob("autosave-*.lock"):  # a dead window that had nothing unsaved
        if not stray.with_suffix(".json").exists():
            lock = _lock(stray)
            if lock.tryLock(0):
                lock.unlock()
    found = []
    for file in sorted(folder.glob("autosave-*.json"), key=lambda f: f.stat().st_mtime, reverse=True):
        lock = _lock(file.with_suffix(".lock"))
        if not lock.tryLock(0):
            continue  # a live window's file
        try:
            data = fileformat.parse_json(file.read_bytes(), f"recovery file {file.name}")
            if not (isinstance(data, dict) and data.get("format") == FORMAT):
                raise fileformat.FormatError(f'recovery file {file.name}: not an ArchCanvas recovery file '
                                             f'(no "format": "{FORMAT}")')
        except (OSError, ArchCanvasError) as err:
            if isinstance(err, OSError) and not file.exists():  # removed meanwhile
                lock.unlock()
                continue
            aside = _set_aside(file, lock, "unreadable")
            if unreadable is not None:
                unreadable.append((file, aside, str(err) if isinstance(err, ArchCanvasError)
                                   else f"recovery file {file.name}: {err.strerror or err}"))
            continue
        found.append(Orphan(file, lock, data))
    return found


# The autosave holds the design, not the edits that led to it, so Undo cannot go back past it.
NO_HISTORY = ("The design comes back as it was autosaved, without its undo history: "
              "Undo starts again from the restored design.")
RESTORED_NOTE = "no undo history before this point"


def _tell_set_aside(window, unreadable: list) -> None:
    lines = [f"{reason}\nIt was set aside as {aside.name}." if aside else f"{reason}\nIt was removed."
             for _, aside, reason in unreadable]
    where = unreadable[0][0].parent
    prompts.show_error(window, "Recovery file set aside",
                       "Autosaved work could not be read, so it cannot be restored and will not be "
                       f"offered again (kept in {where}):\n\n" + "\n\n".join(lines))


def offer_restore(window, document, recovery: Recovery | None, maybe_save=lambda: True) -> bool:
    """Offer the newest abandoned work; True when it was restored into ``document``."""
    unreadable: list = []
    found = orphans(recovery.folder if recovery else None, unreadable)
    if unreadable:
        _tell_set_aside(window, unreadable)
    if not found:
        return False
    first, rest = found[0], found[1:]
    for other in rest:  # offered one per start; release the others for the next one
        other.lock.unlock()
    when = first.data.get("saved_at", "")
    try:
        when = _dt.datetime.fromisoformat(when).strftime("%d %b %Y, %H:%M")
    except (TypeError, ValueError):
        pass
    origin = f"from {first.path}" if first.path else "never saved"
    more = f"\n\n{len(rest)} more recovered design(s) will be offered at the next start." if rest else ""
    text = (f"ArchCanvas did not close properly. Unsaved changes to “{first.name}” ({origin}), "
            f"autosaved {when}, can be restored.\n\n{NO_HISTORY}\n\nRestore them?{more}")
    if not prompts.ask_restore(window, text):
        first.set_aside()
        return False
    try:
        design = first.design()
    except ArchCanvasError as err:
        file, aside = first.file, first.set_aside("unreadable")
        kept = f"It was set aside as {aside.name} and will not be offered again." if aside else \
            "It was removed."
        prompts.show_error(window, "Cannot restore",
                           f"The recovery file cannot be read: {err}\n\n{kept} (folder: {file.parent})")
        return False
    if not maybe_save():
        first.lock.unlock()
        return False
    place_unpositioned(design)  # a hand-edited recovery file may lack positions
    document.set_design(design, first.path)
    document.undo_stack.resetClean()  # restored work is unsaved work
    first.remove()
    if hasattr(window, "show_message"):
        window.show_message(f"Restored unsaved changes to “{first.name}”: {RESTORED_NOTE}", 15000)
    if recovery is not None:
        recovery.autosave()  # protected again at once, under this window's own file
    return True
