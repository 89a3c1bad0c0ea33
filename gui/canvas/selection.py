"""The selection, both ways: nodes selected on the canvas become the document's selection and
the document's selection (from the cost panel, the problems list, Select All) is shown on the
canvas; the wires of selected nodes are emphasized, and one wire can be picked for Delete
(the scene's ``picked_changed`` says when, so Edit→Delete can follow it).

``SelectionSync`` belongs to a ``CanvasScene`` and works on its item maps; the scene forwards
the signals to it (so they are disconnected with the scene).
"""

from __future__ import annotations

from contextlib import contextmanager

from archcanvas.gui.canvas.collapsed_item import CollapsedItem
from archcanvas.gui.canvas.node_item import NodeItem


class SelectionSync:
    def __init__(self, scene):
        self.scene = scene
        self.syncing = False  # while true, a selection change is an echo of our own
        self.picked: tuple[str, str, int] | None = None  # the wire clicked last, for Delete
        self.emphasized: set = set()  # keys of the wires drawn in the selection colour

    def reset(self) -> None:
        self.emphasized = set()
        self._set_picked(None)

    def _set_picked(self, key) -> None:
        if key != self.picked:
            self.picked = key
            self.scene.picked_changed.emit()

    @contextmanager
    def quiet(self):
        self.syncing = True
        try:
            yield
        finally:
            self.syncing = False

    # wires ------------------------------------------------------------------------------------
    def pick_edge(self, key) -> None:
        edges = self.scene.edge_items()
        old = edges.get(self.picked) if self.picked else None
        if old is not None:
            old.set_picked(False)
        self._set_picked(key if key in edges else None)
        if self.picked:
            edges[key].set_picked(True)
            self.scene.document.set_selection([])

    def edge_added(self, key, item) -> None:
        selection = self.scene.document.selection
        if selection and (key[0] in selection or key[1] in selection):
            self.emphasized.add(key)
            item.set_emphasis(True)

    def edge_removed(self, key) -> None:
        if self.picked == key:
            self._set_picked(None)
        self.emphasized.discard(key)

    def emphasize(self, ids) -> None:
        """Draw the wires of the selected nodes in the selection colour, to trace them."""
        design = self.scene.design
        edges = self.scene.edge_items()
        keys = set()
        for n in ids:
            if n in design:
                keys.update((e.source, e.target, e.port) for e in design.inputs(n) + design.outputs(n))
        for key in self.emphasized - keys:
            # a wire of a node the current edit removed goes with it: not restyled first
            if (item := edges.get(key)) is not None and key[0] in design and key[1] in design:
                item.set_emphasis(False)
        for key in keys - self.emphasized:
            if (item := edges.get(key)) is not None:
                item.set_emphasis(True)
        self.emphasized = keys

    # nodes ------------------------------------------------------------------------------------
    def scene_changed(self) -> None:
        """The user selected on the canvas: tell the document, keeping its order where it can."""
        if self.syncing or self.scene.document.in_batch:
            return  # an echo of our own, or items of removed nodes leaving the scene mid-edit
        ids = set(self.scene.selected_ids())
        document = self.scene.document
        kept = [n for n in document.selection if n in ids]
        with self.quiet():
            document.set_selection(kept + sorted(ids.difference(kept)))

    def document_changed(self, ids) -> None:
        """The document's selection changed: show it on the canvas."""
        if ids and self.picked:
            self.pick_edge(None)
        self.emphasize(ids)
        if self.syncing:
            return
        with self.quiet():
            wanted = set(ids)
            design = self.scene.design
            for item in self.scene.selectedItems():
                # the items of removed nodes leave the scene with this batch: not deselected first
                if isinstance(item, NodeItem) and item.node_id not in wanted and item.node_id in design:
                    item.setSelected(False)
                elif isinstance(item, CollapsedItem) and wanted.isdisjoint(self.scene.collapse.members(item.name)):
                    item.setSelected(False)
            for node_id in ids:
                # a member of a collapsed group is shown selected by its card
                item = self.scene.collapse.card_of(node_id) or self.scene.item_for(node_id)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
