"""Placing palette entries: one code path for a drop, a double-click and the tests.

``Placer.place("layer:Conv2D", scene_pos)`` builds a small standalone design (one layer, a block
under a fresh group, or a whole template) and pushes it with one ``AddNodes`` command, so every
placement is one undo step. A drop (a ``scene_pos``) places the entry where it was dropped,
unwired: the user aimed at a spot, not at the selection. Without a drop point (double-click,
Enter) and with exactly one node selected, the new layer or block is wired to that node's
output (a block through its ``entries``, built on the shape that node gives it) and goes one
column to its right; with no such node it goes to the view's centre. Wherever it was meant to
go, it lands in the free space nearest that spot (``core.layout.free_offset``, right and below
first), never on top of another node or inside another block's frame. Blocks and
templates ask for their parameters through ``Placer.ask`` (the generated dialog by default;
tests may replace it).
"""

from __future__ import annotations

from typing import Callable

from archcanvas.core import layers
from archcanvas.core.templates import BLOCKS, TEMPLATES, fresh_group
from archcanvas.core.design import Design
from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.layout import SPACING, collides, free_offset
from archcanvas.gui.canvas.group_item import LABEL_H, MARGIN
from archcanvas.gui.canvas.node_item import node_size
from archcanvas.gui.document.commands import AddNodes
from archcanvas.gui.inspector.param_dialog import ask_params

NODE_SIZE = node_size(1)


def footprint(design: Design) -> list[tuple[float, float, float, float]]:
    """``(x, y, w, h)`` of every positioned node of ``design`` as the canvas draws it, and of
    every block's frame with its title band, for ``free_offset``."""
    rects, frames = [], {}
    for node in design.nodes():
        if node.pos is None:
            continue
        w, h = node_size(design.port_count(node.id))
        rect = (node.pos[0], node.pos[1], w, h)
        rects.append(rect)
        if node.group:
            frames.setdefault(node.group, []).append(rect)
    for members in frames.values():
        left, top = min(r[0] for r in members), min(r[1] for r in members)
        right, bottom = max(r[0] + r[2] for r in members), max(r[1] + r[3] for r in members)
        rects.append((left - MARGIN, top - MARGIN - LABEL_H, right - left + 2 * MARGIN,
                      bottom - top + 2 * MARGIN + LABEL_H))
    return rects


def nodes_collide(fragment: Design, design: Design, offset) -> bool:
    """True when a node of ``fragment``, shifted by ``offset``, would overlap a node of ``design``."""
    def nodes(d):
        return [(n.pos[0], n.pos[1], *node_size(d.port_count(n.id))) for n in d.nodes() if n.pos is not None]
    return collides(nodes(fragment), nodes(design), (float(offset[0]), float(offset[1])))


def clear_offset(fragment: Design, design: Design, offset) -> tuple[float, float]:
    """``offset`` for adding ``fragment`` to ``design``, moved to the nearest free space."""
    return free_offset(footprint(fragment), footprint(design), (float(offset[0]), float(offset[1])))


class Placer:
    def __init__(self, document, parent=None, center: Callable[[], tuple[float, float]] = lambda: (0.0, 0.0),
                 message: Callable[[str], None] = lambda text: None):
        self.document = document
        self.parent = parent
        self.center = center      # scene point at the middle of the view
        self.message = message    # transient message for the status bar
        self.ask = self._ask_dialog

    def _ask_dialog(self, kind: str, name: str, spec) -> dict | None:
        title = f"Add {kind} “{name.replace('_', ' ')}”"
        return ask_params(self.parent, title, spec.doc, spec.params)

    # ------------------------------------------------------------------------------------
    def place(self, item_text: str, scene_pos=None, params: dict | None = None) -> list[str]:
        """Add the entry ``item_text`` (``kind:name``) at ``scene_pos``, unwired (None: wired to
        and beside the selected node, or at the view's centre); returns the new node ids (empty if cancelled
        or refused, with the reason given to ``message``)."""
        kind, _, name = item_text.partition(":")
        handler = {"layer": self._layer, "block": self._block, "template": self._template}.get(kind)
        try:
            if handler is None:
                raise ArchCanvasError(f"cannot place {item_text!r}: not a layer, block or template")
            return handler(name, scene_pos, params)
        except ArchCanvasError as err:
            self.message(str(err))
            return []

    @property
    def design(self) -> Design:
        return self.document.design

    def _anchor(self, scene_pos) -> str | None:
        """The single selected node, which new nodes connect to; none for a drop."""
        if scene_pos is not None:
            return None
        sel = self.document.selection
        return sel[0] if len(sel) == 1 and sel[0] in self.design else None

    def _where(self, scene_pos, anchor: str | None) -> tuple[float, float]:
        """Top-left corner meant for a new node: centred on the drop point or the view's centre,
        or one column to the right of the node it connects to (``_push`` then finds the free
        space nearest it)."""
        if scene_pos is not None:
            x, y = (scene_pos.x(), scene_pos.y()) if hasattr(scene_pos, "x") else scene_pos
            return (float(x) - NODE_SIZE[0] / 2, float(y) - NODE_SIZE[1] / 2)
        pos = self.design.node(anchor).pos if anchor else None
        if pos is None:
            x, y = self.center()
            return (x - NODE_SIZE[0] / 2, y - NODE_SIZE[1] / 2)
        return (pos[0] + SPACING[0], pos[1])

    def _push(self, fragment: Design, connect, offset, text: str, select: list[str],
              design_name: str | None = None) -> list[str]:
        offset = clear_offset(fragment, self.design, offset)
        command = AddNodes(self.document, fragment, connect=connect, offset=offset, text=text,
                           design_name=design_name)
        self.document.push(command)
        for reason in command.skipped:
            self.message(f"not connected: {reason}")
        self.document.set_selection([command.id_map[n] for n in select])
        return command.ids

    def _layer(self, name: str, scene_pos, params) -> list[str]:
        layer = layers.get(name)
        fragment = Design()
        node = fragment.add_node(layer.name, self.design.unique_id(layer.name), pos=(0, 0))
        anchor = self._anchor(scene_pos) if layer.max_inputs != 0 else None
        connect = [(anchor, node, None)] if anchor else []
        return self._push(fragment, connect, self._where(scene_pos, anchor), f"Add {layer.name}", [node])

    def _block(self, name: str, scene_pos, params) -> list[str]:
        block, params = self._entry("block", name, BLOCKS, params)
        if params is None:
            return []
        group = fresh_group(self.design, name.replace("-", "_"))
        fragment = Design()
        anchor = self._anchor(scene_pos)
        stand_in = self._stand_in(fragment, anchor)
        result = block.add(fragment, stand_in, group, origin=(0.0, 0.0), **params)
        if stand_in is not None:
            fragment.remove_node(stand_in)  # its edges become the connections to the anchor
        connect = [(anchor, node, port) for node, port in result.entries] if anchor else []
        offset = self._where(scene_pos, anchor)
        offset = self._centre_vertically(fragment, offset)
        return self._push(fragment, connect, offset, f"Add block {group}", [result.output])

    def _entry(self, kind: str, name: str, catalogue: dict, params):
        """The block or template called ``name`` and its parameters (asked for when not given;
        None when the user cancels)."""
        entry = catalogue.get(name)
        if entry is None:
            raise ArchCanvasError(f"unknown {kind} {name!r}")
        return entry, (self.ask(kind, name, entry) if params is None else params)

    def _stand_in(self, fragment: Design, anchor: str | None) -> str | None:
        """An Input in ``fragment`` with the anchor's output shape, for the block to build on.

        A block reads its source's shape (an inverted residual expands the input's channels
        ×t, adds the residual only when they equal its filters, and pads for a stride by the
        input's size); built on nothing it would guess. The stand-in is removed afterwards and
        the anchor takes its place."""
        if anchor is None:
            return None
        result = self.document.analysis.results.get(anchor)
        shape = result.shape if result is not None else None
        if not shape or not all(isinstance(d, int) and d > 0 for d in shape):
            return None
        return fragment.add_node("Input", "__anchor__", attrs={"shape": list(shape)})

    def _template(self, name: str, scene_pos, params) -> list[str]:
        template, params = self._entry("template", name, TEMPLATES, params)
        if params is None:
            return []
        fragment = template.build(**params)
        was_empty = len(self.design) == 0
        if not was_empty:
            separate_groups(fragment, self.design)
        offset = (0.0, 0.0) if was_empty and scene_pos is None else self._where(scene_pos, None)
        # a template placed into an empty, unnamed design names it, in the same undo step
        rename = was_empty and self.design.name in ("", "untitled")
        return self._push(fragment, (), offset, f"Add template {name}", [],
                          design_name=fragment.name if rename else None)

    @staticmethod
    def _centre_vertically(fragment: Design, offset) -> tuple[float, float]:
        """Line a block's middle up with the drop point, so its entries face the node before it."""
        ys = [n.pos[1] for n in fragment.nodes() if n.pos is not None]
        if not ys:
            return offset
        return (offset[0], offset[1] + NODE_SIZE[1] / 2 - (min(ys) + max(ys) + NODE_SIZE[1]) / 2)


class _Names:
    """Group names in use, in the form ``fresh_group`` reads a design's (``groups()``)."""

    def __init__(self, names):
        self.names = set(names)

    def groups(self) -> dict:
        return dict.fromkeys(self.names)


def separate_groups(fragment: Design, design: Design) -> None:
    """Rename the groups of ``fragment`` that ``design`` already uses (``inception_3a_1``…),
    so a pasted copy or a second template forms blocks of its own: joining the original's
    frame would draw the copies inside it and count them in its share of the cost."""
    used = set(design.groups())
    taken = _Names(used | set(fragment.groups()))
    for group, ids in fragment.groups().items():
        if group not in used:
            continue
        new = fresh_group(taken, group)
        taken.names.add(new)
        for n in ids:
            fragment.set_group(n, new)


