"""The open design, its undo stack, its current analysis and the selection, as Qt signals.

Data flows one way: a gesture becomes a command pushed on ``undo_stack``; the command calls one
``Design`` method; the design tells its observers; the document relays that batch of typed
events (``core.events``) as ``design_changed`` and, once the command is done, re-analyses what changed and emits ``analysis_updated``. Views
update from those signals and never write to each other.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from archcanvas.core.analysis import Analysis, Analyzer
from archcanvas.core.design import Design
from archcanvas.core.events import AttrsChanged, Batch, GroupChanged, NodeAdded, NodeRemoved
from archcanvas.core.report import DTYPE_BYTES


_OWN_CHANGE = (NodeAdded, AttrsChanged, GroupChanged)


class Document(QObject):
    design_changed = Signal(object)         # a batch: a tuple of core.events.Event, in order
    design_replaced = Signal()              # a new design was loaded or created
    analysis_updated = Signal(object)       # set of node ids whose results (or attributes) changed
    selection_changed = Signal(list)        # node ids, in selection order
    focus_requested = Signal(str)           # centre this node in the canvas
    path_changed = Signal()
    dtype_changed = Signal(str)             # the element type memory figures are counted in

    def __init__(self, design: Design | None = None, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(lambda _: self.refresh())
        self.path: Path | None = None
        self.selection: list[str] = []
        self._batch_depth = 0
        self._selection_dirty = False
        self._touched: set[str] = set()  # nodes the last edits changed themselves (not via inputs)
        self.dtype = "float32"  # one choice for every view and the CSV export, as the CLI's --dtype
        self.design: Design
        self.analyzer: Analyzer
        self._attach(design or Design())

    # the design --------------------------------------------------------------------------
    def _attach(self, design: Design) -> None:
        self.design = design
        self.analyzer = Analyzer(design)
        design.subscribe(self._relay)
        # analysed here, before any view reads it, so views never have to refresh (and emit)
        # while they are being built
        self.analyzer.refresh()

    def set_design(self, design: Design, path: Path | str | None = None) -> None:
        """Replace the open design (New, Open); clears undo history and selection."""
        self.design.unsubscribe(self._relay)
        self.analyzer.close()
        self.undo_stack.clear()
        self._attach(design)
        self._touched = set()
        self.selection = []
        self.path = Path(path) if path else None
        self.design_replaced.emit()
        self.selection_changed.emit([])
        self.path_changed.emit()
        self.analysis_updated.emit(set(design.node_ids()))

    def set_path(self, path: Path | str | None) -> None:
        self.path = Path(path) if path else None
        self.path_changed.emit()

    @property
    def dtype_bytes(self) -> int:
        return DTYPE_BYTES[self.dtype]

    def set_dtype(self, dtype: str) -> None:
        """Count weight and activation memory as ``dtype`` (a key of ``core.report.DTYPE_BYTES``)."""
        if dtype not in DTYPE_BYTES:
            raise ValueError(f"unknown dtype {dtype!r} (known: {', '.join(DTYPE_BYTES)})")
        if dtype != self.dtype:
            self.dtype = dtype
            self.dtype_changed.emit(dtype)

    def _relay(self, batch: Batch) -> None:
        touched = self._touched
        for e in batch:
            if type(e) in _OWN_CHANGE:
                touched.add(e.id)
        removed = {e.id for e in batch if type(e) is NodeRemoved}
        if removed and not removed.isdisjoint(self.selection):
            self.selection = [n for n in self.selection if n not in removed]
            self._selection_dirty = False  # this says it, before the views hear of the batch
            self.selection_changed.emit(list(self.selection))
        self.design_changed.emit(batch)

    # batches -------------------------------------------------------------------------------
    @contextmanager
    def batch(self):
        """One edit, undo or redo, whatever its size, is one batch for the views: the selection
        is announced once, at the end (deleting 5,000 selected layers is one selection change,
        not 5,000, each of which the canvas, inspector and charts would follow). Every command's
        ``redo`` and ``undo`` runs in one (``commands._Command``); batches nest."""
        self._batch_depth += 1
        try:
            with self.design.batch():  # the design's events of the block reach the views as one batch
                yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth:
                self._end_batch()

    @property
    def in_batch(self) -> bool:
        return self._batch_depth > 0

    def _end_batch(self) -> None:
        if self._selection_dirty:
            self._selection_dirty = False
            self.selection_changed.emit(list(self.selection))

    @property
    def analysis(self) -> Analysis:
        """The analysis as of the last ``refresh`` (after every command, undo and redo). Reading
        it computes nothing and emits nothing."""
        return self.analyzer.analysis

    def refresh(self) -> set[str]:
        """Re-analyse what the last edits touched and tell the views which nodes now read
        differently: those whose result changed, and those whose own attributes or group did.

        ``Analyzer.update`` stops below an edit wherever a shape stays the same (a filter count
        changes the next convolution, not the 1,000 layers after it), and each view's work
        follows this set: one attribute edit redraws a handful of canvas items and table rows,
        not every layer below it."""
        changed = self.analyzer.update()
        touched, self._touched = self._touched, set()
        if touched:
            changed |= touched & self.design.node_map().keys()
        if changed:
            self.analysis_updated.emit(changed)
        return changed

    # edits -------------------------------------------------------------------------------
    def push(self, command) -> None:
        """Run an undoable command (its redo runs now) and re-analyse."""
        self.undo_stack.push(command)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # selection ---------------------------------------------------------------------------
    def set_selection(self, ids) -> None:
        ids = [n for n in dict.fromkeys(ids) if n in self.design]
        if ids != self.selection:
            self.selection = ids
            if self._batch_depth:
                self._selection_dirty = True  # announced when the batch ends
            else:
                self.selection_changed.emit(list(ids))

    def focus(self, node_id: str) -> None:
        self.set_selection([node_id])
        self.focus_requested.emit(node_id)
