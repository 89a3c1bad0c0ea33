"""New layers, blocks, templates and pastes land in free space next to what they are wired to,
never on top of a node: ``core.layout.free_offset`` on its own, then the real window adding a
block, a layer and a paste into a template design and into a 1,000-layer design."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF

from archcanvas.core.layout import GAP, SPACING, collides, free_offset
from archcanvas.core.templates import build
from archcanvas.gui.canvas.group_item import LABEL_H, MARGIN
from archcanvas.gui.document.commands import auto_layout
from desktop_support import make_window, profile  # noqa: F401  (fixture)
from test_layout_clear import random_design

NODE = (0.0, 0.0, 184.0, 95.0)


# the algorithm, pure --------------------------------------------------------------------------
def test_a_free_spot_is_kept():
    assert free_offset([NODE], [(1000.0, 0.0, 184.0, 95.0)], (260.0, 0.0)) == (260.0, 0.0)


def test_a_taken_spot_gives_way_below_before_anywhere_else():
    # the wanted spot holds a node; the nearest free one on the grid is straight below it
    taken = [(0.0, 0.0, 184.0, 95.0), (260.0, 0.0, 184.0, 95.0)]
    x, y = free_offset([NODE], taken, (260.0, 0.0))
    assert x == 260.0 and y == 2 * SPACING[1] / 2  # two half-rows: 150 clears 95 + the gap
    assert not collides([NODE], taken, (x, y), GAP)


def test_with_no_room_nearby_it_goes_below_everything():
    wall = [(float(x), float(y), 260.0, 150.0) for x in range(-4000, 4001, 260) for y in range(-3000, 3001, 150)]
    x, y = free_offset([NODE], wall, (0.0, 0.0))
    assert x == 0.0 and y == max(r[1] + r[3] for r in wall) + 2 * GAP


def test_a_block_with_a_hole_fits_around_a_node_only_when_each_node_is_clear():
    # two nodes 600 apart; a node sits between them: the block's extent is not free but each
    # of its nodes is, so it is not moved
    block = [(0.0, 0.0, 184.0, 95.0), (600.0, 0.0, 184.0, 95.0)]
    taken = [(300.0, 0.0, 184.0, 95.0)]
    assert free_offset(block, taken, (0.0, 0.0)) == (0.0, 0.0)
    assert free_offset(block, [(50.0, 50.0, 10.0, 10.0)], (0.0, 0.0)) != (0.0, 0.0)


rect = st.tuples(st.integers(-2000, 2000), st.integers(-2000, 2000), st.integers(20, 400), st.integers(20, 300))


@given(st.lists(rect, min_size=1, max_size=4), st.lists(rect, max_size=60), st.tuples(st.integers(-500, 500), st.integers(-500, 500)))
def test_whatever_is_there_the_result_collides_with_nothing(new, taken, offset):
    new = [tuple(map(float, r)) for r in new]
    taken = [tuple(map(float, r)) for r in taken]
    shift = free_offset(new, taken, tuple(map(float, offset)))
    assert not collides(new, taken, shift, GAP - 1e-6)


# in the window ---------------------------------------------------------------------------------
def _rects(scene, ids) -> dict[str, QRectF]:
    return {n: scene.node_rect(n) for n in ids}


def assert_lands_clear(window, old: set[str], new: list[str]) -> None:
    """The canvas after the edit: no new node on an old one, no old node inside a new block's
    frame (title included) and no new node inside an old block's frame."""
    assert new
    scene = window.view.scene()
    scene.flush()
    old_rects, new_rects = _rects(scene, old), _rects(scene, new)
    for a, ra in new_rects.items():
        for b, rb in old_rects.items():
            assert not ra.intersects(rb), f"{a} is on {b}"
    design = window.document.design
    for group, members in design.groups().items():
        frame = scene.group_item(group).frame_rect()
        others = old_rects if set(members) <= set(new) else new_rects if set(members) <= old else {}
        for n, r in others.items():
            assert not frame.intersects(r), f"{group}'s frame covers {n}"


def _window(qtbot, design):
    window, features = make_window(qtbot)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.open_design(design)
    window.placer.ask = lambda kind, name, spec: {}  # every block with its defaults
    return window, features


def _placements(qtbot, window, features, anchor: str) -> None:
    doc = window.document
    for entry in ("block:inception", "layer:Conv2D", "block:conv-bn-relu"):
        old = set(doc.design.node_ids())
        doc.set_selection([anchor])  # wired to it, beside it
        assert_lands_clear(window, old, window.place(entry))
    old = set(doc.design.node_ids())
    assert_lands_clear(window, old, window.place("layer:Dense", window.view.scene().node_rect(anchor).center()))
    # a paste of a block and its neighbours, twice: each copy clear of the others
    members = sorted(doc.design.groups()[doc.design.node(anchor).group or next(iter(doc.design.groups()))])
    doc.set_selection(members)
    features.clipboard.copy()
    for _ in range(2):
        old = set(doc.design.node_ids())
        assert_lands_clear(window, old, features.clipboard.paste())
    old = set(doc.design.node_ids())
    assert_lands_clear(window, old, window.place("template:seed-inception", params={}))


def test_adding_and_pasting_into_a_template_never_lands_on_a_node(qtbot, profile):  # noqa: F811
    window, features = _window(qtbot, build("googlenet", resolution=64))
    _placements(qtbot, window, features, "inception_4b_output")


def test_adding_and_pasting_into_1000_layers_never_lands_on_a_node(qtbot, profile):  # noqa: F811
    design = random_design(1000)
    window, features = _window(qtbot, design)
    window.document.push(auto_layout(window.document))
    # an anchor inside a block, with the next block right of it (and few enough channels for
    # an Inception block's defaults: the random concatenations make them grow fast)
    results = window.document.analyzer.analysis.results
    grouped = [n.id for n in window.document.design.nodes() if n.group and results[n.id].ok
               and results[n.id].shape[-1] <= 256]
    assert len(grouped) > 20
    _placements(qtbot, window, features, grouped[-1])


@pytest.mark.parametrize("entry", ["layer:Conv2D", "block:inception"])
def test_what_is_wired_to_a_node_lands_right_of_it_when_that_is_free(qtbot, profile, entry):  # noqa: F811
    window, _ = _window(qtbot, build("vgg16", resolution=32))
    design = window.document.design
    last = design.topological_order()[-1]
    window.document.set_selection([last])
    ids = window.place(entry)
    assert all(e.source == last for n in ids for e in design.inputs(n) if e.source not in ids)
    x0 = window.view.scene().node_rect(last).left()
    left = min(window.view.scene().node_rect(n).left() for n in ids)
    assert left == x0 + SPACING[0]
    assert_lands_clear(window, set(design.node_ids()) - set(ids), ids)
