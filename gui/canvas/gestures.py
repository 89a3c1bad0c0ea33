"""Mouse gestures on the canvas: wiring ports and dragging nodes or group frames.

A gesture previews on the scene while the button is held and ends in one command pushed on the
document (or a message saying why not). The design is not touched until the button is released.

- Drag from an output port to an input port (or onto a node: its first free input) to connect.
- Drag from a free input port back to a node to connect it the other way round.
- Drag from a connected input port to lift that wire: drop it on another input to move it,
  or on empty canvas to disconnect.
- Drag a selected node (or a group's label band) to move it with the rest of the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt

from archcanvas.core.errors import DesignError

from archcanvas.gui.document.commands import Connect, Disconnect, MoveNodes, new_gesture
from archcanvas.gui.canvas.edge_item import EdgeItem
from archcanvas.gui.canvas.group_item import GroupItem
from archcanvas.gui.canvas.node_item import PORT_HIT, NodeItem

DRAG_THRESHOLD = 3.0


def port_at(scene, pos: QPointF):
    """``(node_id, ("in"|"out", port))`` for a port near ``pos``, else None."""
    box = QRectF(pos.x() - PORT_HIT * 2, pos.y() - PORT_HIT * 2, PORT_HIT * 4, PORT_HIT * 4)
    for item in scene.items(box, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
        if isinstance(item, NodeItem):
            hit = item.port_at(item.mapFromScene(pos))
            if hit is not None:
                return item.node_id, hit
    return None


def node_at(scene, pos: QPointF) -> str | None:
    for item in scene.items(pos):
        if isinstance(item, NodeItem):
            return item.node_id
    return None


NUDGE_KEYS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
NUDGE = 10.0  # scene units per arrow press; Shift: 5x


def nudge(scene, dx: float, dy: float) -> None:
    """Move the selection by an arrow key. A run of presses on the same nodes is one undo step."""
    doc = scene.document
    ids = [n for n in doc.selection if n in doc.design]
    if not ids:
        return
    stack = doc.undo_stack
    last = stack.command(stack.index() - 1) if stack.index() > 0 else None
    run = getattr(scene, "_nudge_gesture", None)
    if not (isinstance(last, MoveNodes) and last.gesture == run and run is not None):
        run = scene._nudge_gesture = new_gesture()
    moves = {}
    for n in ids:
        p = scene.shown_pos(n)
        moves[n] = (doc.design.node(n).pos, (p.x() + dx, p.y() + dy))
    doc.push(MoveNodes(doc, moves, gesture=run))


def start(scene, event):
    """A gesture that replaces Qt's own press handling (ports, group frames), else None."""
    if event.button() != Qt.MouseButton.LeftButton:
        return None
    pos = event.scenePos()
    hit = port_at(scene, pos)
    if hit is not None:
        node_id, (kind, port) = hit
        return WireDrag(scene, node_id, kind, port, pos)
    for item in scene.items(pos):
        if isinstance(item, NodeItem):
            return None
        if isinstance(item, EdgeItem) and item.key is not None:
            scene.pick_edge(item.key)
            return Gesture()
        if isinstance(item, GroupItem):
            members = scene.group_members(item.name)
            scene.document.set_selection(members)
            return MoveDrag(scene, members, pos)
    return None


def start_move(scene, event):
    """After Qt has updated the selection: a press on a selected node starts moving the selection."""
    if event.button() != Qt.MouseButton.LeftButton:
        return None
    node_id = node_at(scene, event.scenePos())
    selection = scene.document.selection  # Qt's press has already been synced into it
    if node_id is None or node_id not in selection:
        return None
    return MoveDrag(scene, list(selection), event.scenePos())


class Gesture:
    def move(self, pos: QPointF) -> None: ...

    def finish(self, pos: QPointF) -> None: ...

    def cancel(self) -> None:
        """Escape: drop the preview; the design was never touched."""


class MoveDrag(Gesture):
    def __init__(self, scene, ids, start: QPointF):
        self.scene, self.start = scene, QPointF(start)
        self.origin = {n: scene.shown_pos(n) for n in ids}
        self.moved = False

    def move(self, pos: QPointF) -> None:
        delta = pos - self.start
        if not self.moved and delta.manhattanLength() < DRAG_THRESHOLD:
            return
        self.moved = True
        for node_id, origin in self.origin.items():
            self.scene.show_at(node_id, origin + delta)
        self.scene.flush()

    def cancel(self) -> None:
        for node_id, origin in self.origin.items():
            if self.scene.item_for(node_id) is not None:
                self.scene.show_at(node_id, origin)
        self.scene.flush()

    def finish(self, pos: QPointF) -> None:
        self.move(pos)
        if not self.moved:
            return
        delta = pos - self.start
        doc = self.scene.document
        moves = {n: (doc.design.node(n).pos, (o.x() + delta.x(), o.y() + delta.y()))
                 for n, o in self.origin.items()}
        doc.push(MoveNodes(doc, moves, gesture=new_gesture()))


class WireDrag(Gesture):
    """A rubber wire from a port; ``finish`` connects, moves or removes a wire."""

    def __init__(self, scene, node_id: str, kind: str, port: int, pos: QPointF):
        self.scene = scene
        design = scene.design
        self.lifted = None        # (source, target, port) of a wire picked up from its input
        self.reverse = None       # (target, port): dragging from a free input towards an output
        if kind == "out":
            self.source = node_id
        elif (source := design.source_at(node_id, port)) is not None:
            self.source, self.lifted = source, (source, node_id, port)
            scene.edge_item(*self.lifted).setVisible(False)
        else:
            self.source, self.reverse = None, (node_id, port)
        self._checks: dict = {}
        self.wire = EdgeItem(None)
        self.wire.setZValue(5)
        self.wire.set_state("dragging")
        scene.addItem(self.wire)
        self.move(pos)

    # where the wire would go ----------------------------------------------------------------
    def target_at(self, pos: QPointF):
        """``(node_id, port or None)`` under the pointer that this wire could go to, else None."""
        hit = port_at(self.scene, pos)
        if self.reverse is None:
            if hit is not None and hit[1][0] == "in" and hit[0] != self.source:
                return hit[0], hit[1][1]
            node_id = node_at(self.scene, pos)
            return (node_id, None) if node_id not in (None, self.source) else None
        if hit is not None and hit[1][0] == "out" and hit[0] != self.reverse[0]:
            return hit[0], None
        node_id = node_at(self.scene, pos)
        return (node_id, None) if node_id not in (None, self.reverse[0]) else None

    def problem(self, target) -> str:
        """Why the wire cannot go to ``target`` ("" when it can)."""
        if target not in self._checks:
            design = self.scene.design
            try:
                if self.reverse is not None:
                    design.check_connect(target[0], *self.reverse)
                elif not self._is_same_place(target):
                    design.check_connect(self.source, *target)
                self._checks[target] = ""
            except DesignError as err:
                self._checks[target] = str(err)
        return self._checks[target]

    def _is_same_place(self, target) -> bool:
        return self.lifted is not None and target[0] == self.lifted[1] and target[1] in (None, self.lifted[2])

    # the gesture ----------------------------------------------------------------------------
    def move(self, pos: QPointF) -> None:
        scene = self.scene
        target = self.target_at(pos)
        state = "dragging" if target is None else "invalid" if self.problem(target) else "valid"
        self.wire.set_state(state)
        if self.reverse is not None:
            start = scene.output_anchor(target[0]) if state == "valid" else pos
            self.wire.set_endpoints(start, scene.input_anchor(*self.reverse))
            return
        end = pos
        if state == "valid":
            port = target[1]
            if port is None:
                port = self.lifted[2] if self._is_same_place(target) else scene.design.free_port(target[0])
            end = scene.input_anchor(target[0], port)
        self.wire.set_endpoints(scene.output_anchor(self.source), end)

    def cancel(self) -> None:
        self.scene.removeItem(self.wire)
        if self.lifted is not None and (item := self.scene.edge_item(*self.lifted)) is not None:
            item.setVisible(True)

    def finish(self, pos: QPointF) -> None:
        scene, doc = self.scene, self.scene.document
        target = self.target_at(pos)
        self.cancel()
        try:
            if self.reverse is not None:
                if target is not None:
                    doc.push(Connect(doc, target[0], *self.reverse))
            elif self.lifted is None:
                if target is not None:
                    doc.push(Connect(doc, self.source, *target))
            elif target is None:
                doc.push(Disconnect(doc, *self.lifted))
            elif not self._is_same_place(target):
                connect = Connect(doc, self.source, *target)  # checked before anything changes
                stack = doc.undo_stack
                stack.beginMacro(f"Move wire {connect.text().removeprefix('Connect ')}")
                stack.push(Disconnect(doc, *self.lifted))
                stack.push(connect)
                stack.endMacro()
        except DesignError as err:
            scene.message.emit(str(err))
