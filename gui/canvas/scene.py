"""The canvas scene: builds, updates and removes items in answer to the document's signals.

One map from node id to ``NodeItem``, one from ``(source, target, port)`` to ``EdgeItem``, one
from group name to ``GroupItem``. The scene reads the design and the analysis, never the items:
where a node is drawn comes from the design's position (or, during a drag, from the gesture's
preview in ``_shown``). Mouse gestures live in ``gestures.py``; they end in a command pushed on
the document, and the picture changes only when the design says it changed. Keeping the
canvas's selection and the document's in step is ``selection.py``'s job.

Work per edit is proportional to what the edit touched: ``analysis_updated`` names the nodes to
redraw; group frames are recomputed for the groups whose members moved, once per event loop turn.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene, QToolTip

from archcanvas.core import events

from archcanvas.gui.canvas import collapsing, gestures, labels
from archcanvas.gui.canvas.collapsed_item import CollapsedItem
from archcanvas.gui.canvas.edge_item import EdgeItem
from archcanvas.gui.canvas.group_item import GroupItem
from archcanvas.gui.canvas.node_item import NodeItem, input_port_pos, node_size, output_port_pos
from archcanvas.gui.canvas.router import Router
from archcanvas.gui.canvas.selection import SelectionSync

EXTENT = 200_000.0  # the scene is effectively unbounded; the view pans freely (and it grows, _make_room)


# geometry is a pure function of the number of inputs: computed once per count, not per wire
_size = lru_cache(maxsize=None)(node_size)
_out_at = lru_cache(maxsize=None)(output_port_pos)
_in_at = lru_cache(maxsize=None)(input_port_pos)
OVERVIEW_WIRES_UP_TO = 2_000  # layers; larger designs' overviews show the boxes and frames only
WIDTH_MARGIN = 1_000.0  # more than a node's size: a node placed at the rectangle's edge fits whole


class Overview(NamedTuple):
    """The design at a glance, for the overview map: plain shapes in scene coordinates."""
    boxes: dict[str, list[QRectF]]   # layer category -> the boxes of its layers
    wires: list[QLineF]              # output port to input port
    frames: list[QRectF]             # group frames
    content: QRectF                  # all of it (as ``content_rect``)


class CanvasScene(QGraphicsScene):
    message = Signal(str)  # a refused gesture, for the status bar
    picked_changed = Signal()  # a wire was picked for Delete, or is no longer

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setSceneRect(-EXTENT / 2, -EXTENT / 2, EXTENT, EXTENT)
        self._room = (-EXTENT / 2, -EXTENT / 2, EXTENT / 2, EXTENT / 2)  # as _make_room grows it
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[tuple[str, str, int], EdgeItem] = {}
        self._groups: dict[str, GroupItem] = {}
        self._members: dict[str, set[str]] = {}
        self._group_of: dict[str, str] = {}      # node id -> the group whose frame holds it
        self._out: dict[str, set[tuple[str, str, int]]] = {}  # node id -> keys of its wires out
        self._fresh: set[str] = set()  # items made in this batch, from the design as it ends
        # The items the last batch that removed any took away, kept for its undo: putting back
        # 5,000 layers, their items are not made again, and most wires still run where they ran.
        self._buried: dict = {}  # node id -> NodeItem, wire key -> EdgeItem
        self._burial = self._batch_no = 0
        self._shown: dict[str, QPointF] = {}      # where each node is drawn (its pos, or a drag preview)
        self._dirty_groups: set[str] = set()
        self._heat_max = 0
        self.selection = SelectionSync(self)
        self.collapse = collapsing.Collapsing(self)
        self._moved_hidden: set[str] = set()  # members of collapsed groups moved since the last flush
        self._gesture: gestures.Gesture | None = None
        self._nudge_gesture: int | None = None  # arrow presses in a row merge into one step
        self._group_timer = QTimer(self)
        self._group_timer.setSingleShot(True)
        self._group_timer.timeout.connect(self.flush)
        self._dispatch = events.Dispatcher({
            events.NodeAdded: self._node_added, events.NodeRemoved: self._node_removed,
            events.EdgeAdded: self._edge_added, events.EdgeRemoved: self._edge_removed,
            events.AttrsChanged: self._attrs_changed, events.Renamed: self._renamed,
            events.GroupChanged: self._group_changed, events.Moved: self._moved,
            events.CollapsedChanged: self._collapsed_changed,
        })
        document.design_changed.connect(self._on_design_changed)
        document.design_replaced.connect(self.rebuild)
        document.analysis_updated.connect(self._on_analysis_updated)
        document.selection_changed.connect(self._on_document_selection)
        self.selectionChanged.connect(self._on_scene_selection)
        self.rebuild()

    # public API -----------------------------------------------------------------------------
    @property
    def design(self):
        return self.document.design

    def group_members(self, name: str) -> list[str]:
        """The ids of the nodes drawn in group ``name``'s frame, sorted."""
        return sorted(self._members.get(name, ()))

    def item_for(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def edge_item(self, source: str, target: str, port: int) -> EdgeItem | None:
        return self._edges.get((source, target, port))

    def edge_items(self) -> dict[tuple[str, str, int], EdgeItem]:
        return dict(self._edges)

    def group_item(self, name: str) -> GroupItem | None:
        return self._groups.get(name)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def selected_ids(self) -> list[str]:
        """The selected layers; a selected collapsed group stands for its members."""
        out = []
        for i in self.selectedItems():
            if isinstance(i, NodeItem):
                out.append(i.node_id)
            elif isinstance(i, CollapsedItem):
                out.extend(self.collapse.members(i.name))
        return out

    def content_rect(self) -> QRectF:
        """The nodes and frames, for fit-to-view."""
        self.flush()  # frames and cards as the last edit left them, not as of the last loop turn
        rect = QRectF()
        for node_id in self._nodes:
            rect = rect.united(self.node_rect(node_id))
        for g in self._groups.values():
            if g.isVisible():  # a collapsed group's frame is hidden; its card is its node's rect
                rect = rect.united(g.frame_rect())
        return rect

    def overview_shapes(self) -> Overview:
        """Every layer as a box, every wire as a line, every frame: what the overview draws."""
        boxes: dict[str, list[QRectF]] = {}
        nodes, grid = self._nodes, self.router.grid.boxes
        hidden = self.collapse.hidden  # a collapsed block's layers are drawn as its card
        kept = [n for n in nodes if n not in hidden] if hidden else list(nodes)
        kept_boxes = [grid[n] for n in kept]  # the grid holds each drawn node's box: no QPointF to read
        for node_id, (l, t, _, _) in zip(kept, kept_boxes):
            item = nodes[node_id]
            rects = boxes.get(item.category)
            if rects is None:
                rects = boxes[item.category] = []
            rects.append(QRectF(l, t, *_size(item.n_inputs)))
        if kept:
            ls, ts, rs, bs = zip(*kept_boxes)
            content = QRectF(min(ls), min(ts), max(rs) - min(ls), max(bs) - min(ts))
        else:
            content = QRectF()
        shown = self._shown
        # past a few thousand layers a wire in the overview is a pixel between neighbouring boxes,
        # and making 20,000 lines was the larger part of its redraw
        wires = [] if len(nodes) > OVERVIEW_WIRES_UP_TO else [
            QLineF(self.output_anchor(s), self.input_anchor(t, p)) for s, t, p in self._edges
            if s in shown and t in shown and self.collapse.wire_shown(s, t)]
        frames = [g.frame_rect() for g in self._groups.values() if g.isVisible()]
        frames += self.collapse.card_rects()
        for f in frames:
            content = content.united(f)
        return Overview(boxes, wires, frames, content)

    def node_rect(self, node_id: str) -> QRectF:
        """Where a node is drawn: its own rectangle, or its collapsed group's card."""
        card = self.collapse.card_of(node_id)
        if card is not None:
            return QRectF(card.pos(), card.body_rect().size())
        p = self._shown[node_id]
        w, h = _size(self._nodes[node_id].n_inputs)
        return QRectF(p.x(), p.y(), w, h)

    def output_anchor(self, node_id: str) -> QPointF:
        card = self.collapse.card_of(node_id)
        if card is not None:
            return card.pos() + card.output_anchor()
        return self._shown[node_id] + _out_at(self._nodes[node_id].n_inputs)

    def input_anchor(self, node_id: str, port: int) -> QPointF:
        card = self.collapse.card_of(node_id)
        if card is not None:
            return card.pos() + card.input_anchor()
        return self._shown[node_id] + _in_at(self._nodes[node_id].n_inputs, port)

    def reroute_nodes(self, node_ids) -> None:
        """Re-end the wires of ``node_ids`` (their nodes, or the cards standing for them, moved)."""
        for node_id in node_ids:
            if node_id in self._nodes:
                self._reroute(node_id)

    def tooltip_for(self, node_id: str) -> str:
        """What hovering a node shows: the problem, or exact shape and costs."""
        analysis = self.document.analyzer.analysis
        return labels.tooltip(self.design.node(node_id), analysis.results.get(node_id), analysis.totals.macs)

    def wire_tooltip(self, source: str, target: str, port: int) -> str:
        design = self.design
        return labels.wire_tooltip(design.node(source), design.node(target), port,
                                   self.document.analyzer.analysis.results.get(source))

    def pick_edge(self, key) -> None:
        """Highlight one wire (a click on it) for Delete (the window's, which reads
        ``picked_edge``); picking a wire clears the node selection."""
        self.selection.pick_edge(key)

    def picked_edge(self):
        return self.selection.picked

    def restyle(self) -> None:
        for item in self.items():
            if hasattr(item, "restyle"):
                item.restyle()

    # building -------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and draw the document's design afresh (New, Open, start-up)."""
        self._gesture = None
        with self.selection.quiet():
            self.clear()
        self._nodes, self._edges, self._groups, self._members, self._shown = {}, {}, {}, {}, {}
        self.router = Router(self)  # where the nodes are, and where each wire runs past them
        self._moved_nodes: set[str] = set()  # their wires are routed again once all have moved
        self.collapse = collapsing.Collapsing(self)
        self._group_of, self._out, self._buried = {}, {}, {}
        self.selection.reset()
        self._heat_max = 0
        design = self.design
        for node in design.nodes():
            self._add_node_item(node.id)
        for e in design.edges():
            self._add_edge_item(e.source, e.target, e.port)
        self._dirty_groups = set(self._members)
        self.flush()
        self.collapse.sync()
        self._on_analysis_updated(set(design.node_ids()))
        self._on_document_selection(self.document.selection)

    def _add_node_item(self, node_id: str) -> None:
        node = self.design.node(node_id)
        item = self._buried.pop(node_id, None)
        if item is None:
            item = NodeItem(node_id)
        else:
            item.revive()
        self._nodes[node_id] = item
        # the window gives loaded designs positions before showing them; the scene only draws
        self._shown[node_id] = QPointF(*node.pos) if node.pos is not None else QPointF(0, 0)
        item.setPos(self._shown[node_id])
        self._make_room(self._shown[node_id])
        item.set_header(node.label, node.type, node.layer.category, node.group)
        item.set_summary(labels.summary(node))
        self._update_ports(node_id)
        self.router.put(node_id, self.node_rect(node_id))
        self.addItem(item)
        if node.group:
            self._members.setdefault(node.group, set()).add(node_id)
            self._group_of[node_id] = node.group
            self._dirty_groups.add(node.group)
            self._collapse_dirty()

    def _make_room(self, pos: QPointF) -> None:
        """Grow the scene to hold a node at ``pos``, with ``EXTENT / 2`` to spare on that side.

        A node outside the scene rectangle cannot be scrolled to, and Qt's item index covers the
        rectangle only: every item outside it lands in the index's edge cells, and each repaint
        tested them all (a 5,000-layer row of inception modules is 460,000 px wide). Growing
        by half the extent at a time, the index is rebuilt a few times, not per node."""
        x, y = pos.x(), pos.y()
        l, t, r, b = self._room  # the scene rectangle as numbers: this runs for every node put back
        if l <= x and x + WIDTH_MARGIN <= r and t <= y and y + WIDTH_MARGIN <= b:
            return
        spare = EXTENT / 2
        rect = self.sceneRect().united(QRectF(x - spare, y - spare, 2 * spare, 2 * spare))
        self.setSceneRect(rect)
        self._room = (rect.left(), rect.top(), rect.right(), rect.bottom())

    def _add_edge_item(self, source: str, target: str, port: int) -> None:
        key = (source, target, port)
        item = self._buried.pop(key, None)
        if item is None:
            item = EdgeItem(key)
        else:
            item.revive()
        self.router.route(item, source, target, port)
        self._edges[key] = item
        self._out.setdefault(source, set()).add(key)
        item.setVisible(self.collapse.wire_shown(source, target))
        r = self.document.analyzer.analysis.results.get(source)
        item.set_state("ok" if r is None or r.ok else "blocked")
        self.addItem(item)
        self.selection.edge_added((source, target, port), item)

    def _update_ports(self, node_id: str) -> None:
        design = self.design
        layer = design.node(node_id).layer
        # the design's own per-node reads: ``design.graph`` would first put nodes restored by an
        # undo back in file order, a rebuild of the whole graph for each restored node
        connected = {p for p, _ in design.ports(node_id)}
        if self._nodes[node_id].set_ports(design.port_count(node_id), connected, layer.variadic):
            self.router.put(node_id, self.node_rect(node_id))  # its height may have changed
            self._reroute(node_id)
            self._mark_group(node_id)

    def _reroute(self, node_id: str) -> None:
        design = self.design
        for e in design.inputs(node_id) + design.outputs(node_id):
            s, t, p = e.source, e.target, e.port
            item = self._edges.get((s, t, p))
            if item is not None and s in self._shown and t in self._shown:
                self.router.route(item, s, t, p)

    def _mark_group(self, node_id: str) -> None:
        group = self.design.node(node_id).group if node_id in self.design else None
        if group:
            self._dirty_groups.add(group)
            self._group_timer.start(0)

    def flush(self) -> None:
        """Fit the frames of groups whose members changed to their members, and route the wires
        of moved nodes again (a lane found while other nodes were still moving may be stale)."""
        moved, self._moved_nodes = self._moved_nodes, set()
        for node_id in moved:
            if node_id in self._nodes:
                self._reroute(node_id)
        for name in self._dirty_groups:
            members = self._members.get(name)
            item = self._groups.get(name)
            if not members:
                if item is not None:
                    self.removeItem(item)
                    del self._groups[name]
                self._members.pop(name, None)
                continue
            if item is None:
                item = self._groups[name] = GroupItem(name)
                item.setVisible(self.collapse.frame_shown(name))
                self.addItem(item)
            rect = QRectF()
            for m in members:
                rect = rect.united(self.node_rect(m))
            item.set_members_rect(rect)
        self._dirty_groups.clear()
        if self.collapse.dirty:
            self._moved_hidden.clear()
            self.collapse.sync()
        elif self._moved_hidden:
            moved, self._moved_hidden = self._moved_hidden, set()
            self.collapse.moved(moved)

    def _collapse_dirty(self) -> None:
        """Group membership changed: with collapsed groups about, redraw them at the next flush."""
        if self.design.collapsed:
            self.collapse.dirty = True
            self._group_timer.start(0)

    def _collapsed_changed(self, e: events.CollapsedChanged):
        self.flush()  # the frames are current before the cards decide which of them to hide
        self.collapse.sync()

    # following the design -------------------------------------------------------------------
    def _on_design_changed(self, batch) -> None:
        # a method, not the dispatcher itself: Qt drops a dead receiver's connections only for slots
        self._batch_no += 1
        try:
            self._dispatch(batch)
        finally:
            self._fresh = set()

    # A batch (one command) arrives when the command is done, so each handler meets the design
    # as it is at the end: a node or wire the same command took away again is skipped.
    def _node_added(self, e: events.NodeAdded):
        if e.id not in self.design:
            return
        if e.id in self._nodes:  # removed and put back in one batch
            self._node_removed(events.NodeRemoved(e.id))
        self._add_node_item(e.id)
        self._fresh.add(e.id)  # its ports were read from the design as the batch ends
        self._group_timer.start(0)

    def _node_removed(self, e: events.NodeRemoved):
        id = e.id
        item = self._nodes.pop(id, None)
        self._shown.pop(id, None)
        self.router.drop(id)
        name = self._group_of.pop(id, None)  # not a search of every group: 5,000 removals at once
        if name is not None and id in self._members.get(name, ()):
            self._members[name].discard(id)
            self._dirty_groups.add(name)
            self._group_timer.start(0)
        if item is not None:
            self.removeItem(item)
            self._bury(id, item)
        if id in self.collapse.hidden:
            self._collapse_dirty()

    def _bury(self, key, item) -> None:
        """Keep an item this batch removed, for the undo that may put it back (its item is then
        the same, only the state a new one starts in restored)."""
        if self._burial != self._batch_no:  # only the latest removing batch's are kept
            self._buried, self._burial = {}, self._batch_no
        self._buried[key] = item

    def _edge_added(self, e: events.EdgeAdded):
        key = (e.source, e.target, e.port)
        if key in self._edges or not (e.source in self._nodes and e.target in self._nodes
                                      and self.design.has_edge(*key)):
            return
        if e.target not in self._fresh:  # undoing a deletion of 5,000 layers: once per layer, not per wire
            self._update_ports(e.target)
        self._add_edge_item(*key)

    def _edge_removed(self, e: events.EdgeRemoved):
        source, target, port = e.source, e.target, e.port
        self.selection.edge_removed((source, target, port))
        item = self._edges.pop((source, target, port), None)
        if item is not None:
            self.removeItem(item)
            self._bury((source, target, port), item)
            out = self._out.get(source)
            if out is not None:
                out.discard((source, target, port))
                if not out:
                    del self._out[source]
        if target in self._nodes and target in self.design:
            self._update_ports(target)

    def _attrs_changed(self, e: events.AttrsChanged):
        if e.id in self._nodes and e.id in self.design:
            self._nodes[e.id].set_summary(labels.summary(self.design.node(e.id)))

    def _renamed(self, e: events.Renamed | events.GroupChanged):
        if e.id not in self._nodes or e.id not in self.design:
            return
        node = self.design.node(e.id)
        self._nodes[e.id].set_header(node.label, node.type, node.layer.category, node.group)

    def _group_changed(self, e: events.GroupChanged):
        id, old = e.id, e.old
        if id not in self.design:
            return
        new = self.design.node(id).group
        if id in self._nodes:
            self._renamed(e)  # the short name drops the group's prefix
        if old:
            self._members.get(old, set()).discard(id)
            self._dirty_groups.add(old)
        self._group_of.pop(id, None)
        if new:
            self._members.setdefault(new, set()).add(id)
            self._group_of[id] = new
            self._dirty_groups.add(new)
        self._collapse_dirty()
        self._group_timer.start(0)

    def _moved(self, e: events.Moved):
        id = e.id
        if id not in self._nodes or id not in self.design:
            return
        pos = self.design.node(id).pos
        self.show_at(id, QPointF(*pos) if pos is not None else QPointF(0, 0))

    def show_at(self, node_id: str, pos: QPointF) -> None:
        """Draw a node at ``pos`` (its design position, or a drag preview) with its wires and frame."""
        self._shown[node_id] = QPointF(pos)
        self._nodes[node_id].setPos(pos)
        self.router.put(node_id, self.node_rect(node_id))
        self._make_room(self._shown[node_id])
        if node_id in self.collapse.hidden:
            self._moved_hidden.add(node_id)  # its card follows at the flush
        else:
            self._reroute(node_id)
        self._mark_group(node_id)
        self._moved_nodes.add(node_id)
        self._group_timer.start(0)

    def shown_pos(self, node_id: str) -> QPointF:
        return QPointF(self._shown[node_id])

    # following the analysis -----------------------------------------------------------------
    def _on_analysis_updated(self, changed) -> None:
        analysis = self.document.analyzer.analysis
        results = analysis.results
        heat_max = max((r.macs for r in results.values()), default=0)
        nodes, edges, out = self._nodes, self._edges, self._out
        todo = [n for n in changed if n in nodes]
        for node_id in todo:
            r = results.get(node_id)
            nodes[node_id].set_result(*labels.result_texts(r))
            state = "ok" if r is not None and r.ok else "blocked"
            for key in out.get(node_id, ()):
                edges[key].set_state(state)
        # the largest layer sets the scale; only when it changes must every strip be redrawn
        again = self._nodes if heat_max != self._heat_max else todo
        self._heat_max = heat_max
        for node_id in again:
            r = results.get(node_id)
            self._nodes[node_id].set_heat(r.macs / heat_max if r is not None and heat_max else 0.0)
        self.collapse.analysis_updated(changed)

    # selection, both ways (``selection.py``) -------------------------------------------------------------------
    def _on_scene_selection(self) -> None:
        self.selection.scene_changed()

    def _on_document_selection(self, ids) -> None:
        self.selection.document_changed(ids)

    # gestures -------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        if self.selection.picked and event.button() == Qt.MouseButton.LeftButton:
            self.pick_edge(None)
        gesture = collapsing.press(self, event)
        if gesture is not None:
            self._gesture = gesture
            event.accept()
            return
        gesture = gestures.start(self, event)
        if gesture is not None:
            self._gesture = gesture
            event.accept()
            return
        super().mousePressEvent(event)
        self._gesture = gestures.start_move(self, event)

    def mouseMoveEvent(self, event):
        if self._gesture is not None:
            self._gesture.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        gesture, self._gesture = self._gesture, None
        if gesture is not None:
            gesture.finish(event.scenePos())
            if isinstance(gesture, gestures.WireDrag):
                event.accept()
                return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event):
        if collapsing.double_click(self, event):
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event):
        key = event.key()
        if key == Qt.Key.Key_Escape and self._gesture is not None:
            self._gesture.cancel()
            self._gesture = None
        elif self.focusItem() is not None:
            super().keyPressEvent(event)
            return
        elif key in gestures.NUDGE_KEYS and self.document.selection:
            step = gestures.NUDGE * (5 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            dx, dy = gestures.NUDGE_KEYS[key]
            gestures.nudge(self, dx * step, dy * step)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def helpEvent(self, event):
        # tooltips are made on demand: they quote totals that change with every edit
        for item in self.items(event.scenePos()):
            text = None
            if isinstance(item, NodeItem):
                text = self.tooltip_for(item.node_id)
            elif isinstance(item, EdgeItem) and item.key is not None:
                text = self.wire_tooltip(*item.key)
            elif isinstance(item, CollapsedItem):
                text = self.collapse.tooltip(item.name)
            if text:
                QToolTip.showText(event.screenPos(), text, event.widget())
                event.accept()
                return
        QToolTip.hideText()
        event.ignore()
