"""Level of detail: at any zoom a node shows the most important text that fits (name, then output
shape, then cost), never a box with nothing, with names elided in the middle; the rule is
``gui.canvas.lod.fit_lines``, and the node item draws what it returns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, qGray

from archcanvas.core.design import Design
from archcanvas.core.templates import build
from archcanvas.gui.canvas import lod
from archcanvas.gui.canvas.node_item import LOD_SIMPLE, NodeItem
from archcanvas.gui.canvas.scene import CanvasScene
from archcanvas.gui.canvas.view import CanvasView
from archcanvas.gui.document.document import Document

ZOOMS = [0.03, 0.05, 0.088, 0.12, 0.18, 0.25, 0.35, 0.5, 0.65]
NAMES = ["block6a_expand_conv", "expanded_conv_10_depthwise", "depthwise", "inception_3a_5x5_reduce",
         "bn", "x", "conv2d_1"]
SHAPE, COST = "14×14×672", "10.8K params · 2.11M MACs"


def _box(qtbot):
    item = NodeItem("n")
    box = item.text_box()
    return box.width(), box.height()


def _check(name, lines, width, height):
    assert lines, "a node never shows nothing"
    texts = [t for t, _, _ in lines]
    assert all(texts)
    # the name first (bold: whole, broken after an underscore, or elided in the middle)
    n = sum(bold for _, _, bold in lines)
    assert [bold for _, _, bold in lines] == [True] * n + [False] * (len(lines) - n) and n in (1, 2)
    first = "".join(texts[:n])
    if n == 2:
        assert first == name and texts[0].endswith("_")
    elif first != name:
        assert "…" in first
        head, _, tail = first.partition("…")
        assert name.startswith(head) and name.endswith(tail), first  # elided in the middle
        assert head or tail
    # then the shape, then the cost
    assert texts[n:] == [SHAPE, COST][:len(texts) - n]
    # every line fits the box, in width and together in height
    for text, px, bold in lines:
        assert lod.metrics(px, bold).horizontalAdvance(text) <= width + 1e-6, text
    assert sum(lod.line_height(px, bold) for _, px, bold in lines) <= height + 1e-6


def test_every_zoom_shows_the_most_important_text_that_fits(qtbot):
    width, height = _box(qtbot)
    for name in NAMES:
        for zoom in ZOOMS:
            lines = lod.fit_lines(name, SHAPE, COST, width, height, lod.quantize(zoom))
            _check(name, lines, width, height)
            px = lines[0][1]
            if lod.line_height(round(lod.MIN_PX / zoom), True) <= height:  # the minimum fits the box
                assert px * zoom >= lod.MIN_PX - 1e-6, (name, zoom)  # so the name is not smaller


def test_closer_shows_more_and_larger(qtbot):
    width, height = _box(qtbot)
    counts, sizes = [], []
    for zoom in ZOOMS:
        lines = lod.fit_lines("block6a_expand_conv", SHAPE, COST, width, height, lod.quantize(zoom))
        counts.append(len(lines))
        sizes.append(lines[0][1] * zoom)
    assert counts == sorted(counts) and counts[0] == 1 and counts[-1] == 3
    # legible as soon as the box is tall enough for the minimum size (from about 12 %)
    assert all(size >= lod.MIN_PX for zoom, size in zip(ZOOMS, sizes) if zoom >= 0.12)
    # at medium zoom a name is never cut at both ends ("lepthwise"): whole, or elided in the middle
    mid = lod.fit_lines("depthwise", SHAPE, COST, width, height, lod.quantize(0.3))
    assert mid[0][0] == "depthwise"


def test_a_long_name_is_elided_in_the_middle_keeping_both_ends(qtbot):
    width, height = _box(qtbot)
    name = "expanded_conv_10_depthwise_BN"
    text = lod.fit_lines(name, "", "", width, height, lod.quantize(0.2))[0][0]
    assert "…" in text and text.startswith("ex") and text.endswith("BN")


def test_a_name_breaks_after_an_underscore_when_both_halves_fit(qtbot):
    width, height = _box(qtbot)
    lines = lod.fit_lines("block6a_expand_conv", SHAPE, COST, width, height, lod.quantize(0.35))
    names = [t for t, _, bold in lines if bold]
    assert names == ["block6a_", "expand_conv"]  # not "blo…conv"
    assert lines[0][1] * 0.35 >= lod.MIN_PX


def test_errors_and_blocked_nodes_say_so_when_there_is_room(qtbot):
    item = NodeItem("n")
    item.set_header("proj_conv", "Conv2D", "conv")
    item.set_result("error", "", "", "kernel 3 larger than input 2")
    assert [t for t, _, _ in item.texts_at(0.5)] == ["proj_conv", "⚠ has a problem"]
    item.set_result("blocked", "", "", "")
    assert [t for t, _, _ in item.texts_at(0.5)][1] == "not computed"


@pytest.mark.parametrize("name", ["efficientnet", "mobilenet-v2", "googlenet"])
def test_at_fit_zoom_every_node_of_a_big_template_has_its_name(qtbot, name):
    doc = Document()
    doc.set_design(build(name, resolution=64))
    view = CanvasView(doc)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    zoom = view.zoom()
    assert zoom < LOD_SIMPLE
    width, height = _box(qtbot)
    for item in view.scene().node_items():
        lines = item.texts_at(zoom)
        assert lines[0][0], item.node_id
        for text, px, bold in lines:
            assert lod.metrics(px, bold).horizontalAdvance(text) <= width + 1e-6


def test_a_painted_node_draws_its_lines_at_every_zoom(qtbot):
    d = Design("one")
    d.add_node("Input", "image", attrs={"shape": [32, 32, 3]}, pos=(0, 0))
    d.add_node("DepthwiseConv2D", "block1_depthwise", attrs={"kernel_size": 3}, pos=(260, 0))
    d.connect("image", "block1_depthwise")
    doc = Document()
    doc.set_design(d)
    scene = CanvasScene(doc)
    item = scene.item_for("block1_depthwise")
    assert item.shape_text == "30×30×3"
    source = scene.node_rect("block1_depthwise")
    for zoom in ZOOMS[2:]:  # (further out a 1 px font leaves no mark to count)
        dark = {}
        for shown in (False, True):  # blank texts first, then the real ones back
            item.set_header("block1_depthwise" if shown else " ", "DepthwiseConv2D", "conv")
            item.set_result("ok", "30×30×3" if shown else "", "", "")
            w, h = round(source.width() * zoom) + 1, round(source.height() * zoom) + 1
            image = QImage(w, h, QImage.Format.Format_RGB32)
            image.fill(0xFFFFFF)
            painter = QPainter(image)
            scene.render(painter, QRectF(0, 0, source.width() * zoom, source.height() * zoom), source)
            painter.end()
            dark[shown] = sum(qGray(image.pixel(x, y)) < 110 for x in range(w) for y in range(h))
        assert dark[True] > dark[False], zoom  # the texts are drawn: dark pixels on the pale box
        name = "".join(t for t, _, bold in item.texts_at(zoom) if bold)
        assert name == "block1_depthwise" or "…" in name


@pytest.mark.parametrize("name, halves", [("pool1_3x3_s2", ("pool1_", "3x3_s2")), ("3x3_reduce", ("3x3_", "reduce"))])
def test_a_name_breaks_evenly_at_the_size_two_lines_allow(qtbot, name, halves):
    # GoogLeNet at fit zoom in a 1600×1000 window: the break is capped by the box's height
    # (it was refused when the largest size of the halves was too tall) and the even one wins
    width, height = _box(qtbot)
    lines = lod.fit_lines(name, SHAPE, COST, width, height, lod.quantize(0.277))
    assert tuple(t for t, _, bold in lines if bold) == halves
    px = lines[0][1]
    assert px * 0.277 >= lod.MIN_PX - 0.5 and 2 * lod.line_height(px, True) <= height
