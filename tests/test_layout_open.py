"""A design of blocks opened without positions is laid out as Auto-layout does (blocks wrapped
into rows, collapsed blocks as cards), not in one line 40,000 px wide; a design with some
positions keeps them (and one without blocks keeps its branches side by side: test_main_window)."""

from __future__ import annotations

from archcanvas.core import templates
from archcanvas.core.collapse import group_names
from archcanvas.core.design_reader import from_dict
from archcanvas.core.fileformat import to_dict
from archcanvas.core.layout import MAX_WIDTH, place_unpositioned, wrapped_positions


def _without_positions(name: str, collapse: bool = False):
    data = to_dict(templates.build(name))
    for node in data["nodes"]:
        node.pop("pos", None)
    design = from_dict(data)
    if collapse:
        design.set_collapsed(group_names(design))
    return design


def test_a_design_without_positions_is_laid_out_in_wrapped_rows():
    design = _without_positions("mobilenet-v2")
    place_unpositioned(design)
    positions = {n.id: n.pos for n in design.nodes()}
    assert positions == {k: tuple(v) for k, v in wrapped_positions(design).items()}
    xs = [x for x, _ in positions.values()]
    assert max(xs) - min(xs) <= 2 * MAX_WIDTH  # rows, not one line of 156 layers
    assert len({y for _, y in positions.values()}) > 10


def test_collapsed_blocks_of_a_file_without_positions_are_laid_out_as_cards():
    design = _without_positions("efficientnet", collapse=True)
    place_unpositioned(design)
    expected = wrapped_positions(design, collapsed=design.collapsed)
    assert {n.id: n.pos for n in design.nodes()} == {k: tuple(v) for k, v in expected.items()}


def test_layers_without_a_position_go_right_of_a_positioned_design():
    design = templates.build("seed-inception")
    before = {n.id: n.pos for n in design.nodes()}
    design.add_node("Dense", "extra", {"units": 3})
    place_unpositioned(design)
    assert {n.id: n.pos for n in design.nodes() if n.id != "extra"} == before
    assert design.node("extra").pos[0] > max(x for x, _ in before.values())
