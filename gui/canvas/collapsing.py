"""Collapsed groups on the canvas: the scene's helper that draws each collapsed group
(``Design.collapsed``, through ``core.collapse``) as one ``CollapsedItem``, and the gestures
and menu entries that collapse and expand.

The members of a collapsed group keep their positions and items; their items are hidden, and
their wires to the rest of the design end on the collapsed card (wires inside it are hidden).
The card stands where the members start: their left edge, halfway down (``core.layout`` lays
a collapsed group out as one node at that point, so Auto-layout packs the design around it).

Selecting the card selects its members (the inspector and the cost panel show them); Delete
deletes them, one undo step. Collapsing one group leaves every position alone, so the card
sits inside the frame it replaces and overlaps nothing. Expanding one group in place when
something now stands in its frame's way, and Collapse all / Expand all, lay the design out
again in the same undo step.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QPointF, QRectF, Qt

from archcanvas.core import collapse
from archcanvas.core.layout import MAX_WIDTH, SPACING, units, wrapped_positions
from archcanvas.core.shapes import fmt_shape
from archcanvas.core.units import exact, human
from archcanvas.gui.canvas import gestures
from archcanvas.gui.canvas.collapsed_item import SIZE, CollapsedItem
from archcanvas.gui.canvas.edge_item import EdgeItem
from archcanvas.gui.canvas.group_item import LABEL_H, MARGIN, GroupItem
from archcanvas.gui.canvas.node_item import NodeItem, node_size
from archcanvas.gui.document.design_commands import SetCollapsed


class Collapsing:
    def __init__(self, scene):
        self.scene = scene
        self.items: dict[str, CollapsedItem] = {}
        self.hidden: dict[str, str] = {}  # node id -> the collapsed group drawn in its place
        self.by_group: dict[str, list[str]] = {}  # the inverse: collapsed group -> its hidden nodes
        self.dirty = False

    # reads for the scene ---------------------------------------------------------------------
    def card_of(self, node_id: str) -> CollapsedItem | None:
        name = self.hidden.get(node_id)
        return None if name is None else self.items.get(name)

    def members(self, name: str) -> list[str]:
        return self.by_group.get(name, [])

    def card_rects(self) -> list[QRectF]:
        return [QRectF(item.pos(), QRectF(0, 0, *SIZE).size()) for item in self.items.values()]

    def wire_shown(self, source: str, target: str) -> bool:
        """A wire inside one collapsed group is not drawn."""
        inside = self.hidden.get(source)
        return inside is None or inside != self.hidden.get(target)

    def frame_shown(self, group: str) -> bool:
        return not self.hidden or not any(p in self.items for p in collapse.prefixes(group))

    def tooltip(self, name: str) -> str:
        t = collapse.totals(self.scene.document.analysis, name)
        return (f"<b>{html.escape(name, quote=False)}</b> — collapsed block of {t.layers} layers<br>"
                f"params: {exact(t.params)}<br>MACs: {exact(t.macs)}<br>FLOPs: {exact(t.flops)}<br>"
                "<i>double-click to expand</i>")

    # following the design --------------------------------------------------------------------
    def sync(self) -> None:
        """Draw the design's collapsed groups as they are now: cards made or dropped, member
        items hidden or shown, wires re-ended, frames hidden with their block."""
        scene, design = self.scene, self.scene.design
        self.dirty = False
        new = collapse.hidden(design) if design.collapsed else {}
        if not new and not self.hidden and not self.items:
            return  # nothing is or was collapsed: the usual case, and free
        with scene.selection.quiet():  # hiding a selected item deselects it: not the user's doing
            self._redraw(new)
        scene.selection.document_changed(scene.document.selection)  # the cards show it now

    def _redraw(self, new: dict[str, str]) -> None:
        scene, design = self.scene, self.scene.design
        old, self.hidden = self.hidden, new
        self.by_group = {}
        for node_id, name in new.items():
            self.by_group.setdefault(name, []).append(node_id)
        changed = {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}
        names = set(new.values())
        for name in [n for n in self.items if n not in names]:
            scene.removeItem(self.items.pop(name))
        for name in names - self.items.keys():
            item = self.items[name] = CollapsedItem(name)
            scene.addItem(item)
        for node_id in changed:
            item = scene.item_for(node_id)
            if item is not None:
                item.setVisible(node_id not in new)
        for name in names:
            self.place(name)
        self.texts(names)
        for group in collapse.group_names(design) | {g for g in old.values()}:
            frame = scene.group_item(group)
            if frame is not None:
                frame.setVisible(self.frame_shown(group))
        touched = changed | set(new)
        for key, edge in scene.edge_items().items():
            if key[0] in touched or key[1] in touched:
                edge.setVisible(self.wire_shown(key[0], key[1]))
        scene.reroute_nodes(touched)

    def place(self, name: str) -> None:
        """Stand the card where its members start (their drawn positions: a drag previews too)."""
        ps = [self.scene.shown_pos(n) for n in self.members(name)]
        if ps:
            ys = [p.y() for p in ps]
            self.items[name].setPos(QPointF(min(p.x() for p in ps), (min(ys) + max(ys)) / 2))

    def texts(self, names) -> None:
        for name in names:
            item = self.items.get(name)
            if item is not None:
                item.set_texts(*card_texts(self.scene.design, self.scene.document.analysis, name, self.members(name)))

    def analysis_updated(self, changed) -> None:
        if self.items:
            self.texts({self.hidden[n] for n in changed if n in self.hidden})

    def moved(self, node_ids) -> None:
        """Members moved (a drag of the card, an undo): the card follows."""
        names = {self.hidden[n] for n in node_ids if n in self.hidden}
        for name in names:
            self.place(name)
        if names:
            self.scene.reroute_nodes([n for name in names for n in self.by_group[name]])


def card_texts(design, analysis, name: str, ids: list[str]) -> tuple[str, tuple[str, str, str], bool]:
    """What a card says: ``("8 layers", (output shape, params, MACs), failed)``; the sums are
    the analysis's group sums (``core.collapse.totals``), rounded as on a node."""
    t = collapse.totals(analysis, name)
    results = analysis.results
    bad = sum(1 for n in ids if n not in results or not results[n].ok)
    if bad:
        first = f"⚠ {bad} layer{'s' if bad > 1 else ''} not computed"
    else:
        shapes = list(dict.fromkeys(fmt_shape(results[n].shape) for n in collapse.outputs(design, ids)))
        first = " · ".join(shapes[:2]) + (" …" if len(shapes) > 2 else "")
    return f"{len(ids)} layers", (first, f"{human(t.params)} params", f"{human(t.macs)} MACs"), bad > 0


# gestures -------------------------------------------------------------------------------------
def press(scene, event):
    """A press on a card (its ▸ expands it; elsewhere it selects the members and drags them)
    or on a frame's ▾ (collapses the group): the gesture, else None."""
    if event.button() != Qt.MouseButton.LeftButton:
        return None
    pos = event.scenePos()
    for item in scene.items(pos):
        if isinstance(item, CollapsedItem):
            if item.toggle_rect().contains(item.mapFromScene(pos)):
                set_collapsed(scene, item.name, False)
                return gestures.Gesture()
            members = scene.collapse.members(item.name)
            scene.document.set_selection(members)
            return gestures.MoveDrag(scene, members, pos)
        if isinstance(item, GroupItem):
            if item.toggle_rect().contains(pos):
                set_collapsed(scene, item.name, True)
                return gestures.Gesture()
            return None
        if isinstance(item, (NodeItem, EdgeItem)):
            return None
    return None


def double_click(scene, event) -> bool:
    """A double-click on a card expands it; on a frame's title band, collapses the group."""
    if event.button() != Qt.MouseButton.LeftButton:
        return False
    for item in scene.items(event.scenePos()):
        if isinstance(item, CollapsedItem):
            set_collapsed(scene, item.name, False)
            return True
        if isinstance(item, GroupItem):
            set_collapsed(scene, item.name, True)
            return True
        if isinstance(item, (NodeItem, EdgeItem)):
            return False
    return False


# collapsing and expanding: undoable commands -------------------------------------------------
def set_collapsed(scene, name: str, on: bool) -> None:
    """Collapse (``on``) or expand group ``name``; one undo step."""
    doc = scene.document
    design = doc.design
    new = design.collapsed | {name} if on else design.collapsed - {name}
    if new == design.collapsed:
        return
    positions = None
    if not on and _blocked(scene, name, new):
        positions = wrapped_positions(design, collapsed=new)
    doc.push(SetCollapsed(doc, new, f"{'Collapse' if on else 'Expand'} {name}", positions))
    scene.flush()  # the cards stand where the moved members are before anyone fits the view


def set_all(scene, on: bool) -> None:
    """Collapse every group (each stage of a template one card) or expand all, and lay the
    design out for it; one undo step."""
    doc = scene.document
    design = doc.design
    new = frozenset(collapse.group_names(design)) if on else frozenset()
    if not design.groups() or new == collapse.effective(design):
        return
    width = _row_width(scene, len(units(design, collapse.hidden(design, new)))) if on else MAX_WIDTH
    positions = wrapped_positions(design, width, collapsed=new)
    doc.push(SetCollapsed(doc, new, "Collapse all groups" if on else "Expand all groups", positions))
    scene.flush()


def _row_width(scene, n_units: int) -> float:
    """Rows for ``n_units`` cards and layers shaped like the canvas, so that fit-to-view shows
    them large enough to read (one row of 20 cards would be a thin line at fit zoom)."""
    views = scene.views()
    size = views[0].viewport().size() if views else None
    aspect = size.width() / max(1, size.height()) if size is not None and size.height() > 0 else 2.0
    dx, dy = SPACING
    per_row = max(1, round(math.sqrt(n_units * aspect * 1.5 * dy / dx)))
    return (per_row - 0.5) * dx


def _blocked(scene, name: str, collapsed) -> bool:
    """Whether expanding ``name`` would put its frame over something drawn outside it."""
    design = scene.design
    shut = collapse.hidden(design, collapsed)
    inside = collapse.members(design, name)
    mine = set(inside)
    frame = QRectF()
    for n in inside:
        if n not in shut:
            frame = frame.united(_rect(scene, n))
    if frame.isNull():
        return False
    frame = frame.adjusted(-MARGIN, -MARGIN - LABEL_H, MARGIN, MARGIN)
    for node in design.nodes():
        if node.id not in mine and node.id not in shut and frame.intersects(_rect(scene, node.id)):
            return True
    cards: dict[str, list[str]] = {}
    for n, g in shut.items():
        if n not in mine:
            cards.setdefault(g, []).append(n)
    for ids in cards.values():
        ps = [design.node(n).pos or (0.0, 0.0) for n in ids]
        ys = [p[1] for p in ps]
        if frame.intersects(QRectF(min(p[0] for p in ps), (min(ys) + max(ys)) / 2, *SIZE)):
            return True
    return False


def _rect(scene, node_id: str) -> QRectF:
    pos = scene.design.node(node_id).pos or (0.0, 0.0)
    item = scene.item_for(node_id)
    return QRectF(pos[0], pos[1], *node_size(item.n_inputs if item is not None else 0))
