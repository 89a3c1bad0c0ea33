"""Figures and graph files from ``archcanvas export``, and the command itself, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from archcanvas.core import fileformat as ff
from archcanvas.core.export import ExportError, export
from archcanvas.core.export import figure
from archcanvas.gui import launcher

from export_support import EXAMPLES, every_type

EXE = Path(sys.executable).parent / "archcanvas"
SVG = "{http://www.w3.org/2000/svg}"
GOOGLENET = next(p for p in EXAMPLES if p.stem == "googlenet")


def _texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.stem in ("googlenet", "mobilenet_v2", "inception_module")],
                         ids=lambda p: p.stem)
def test_svg_parses_and_names_every_node_frames_every_group_labels_every_wire(path):
    design = ff.load(path)
    root = ET.fromstring(export(design, "svg"))
    texts = _texts(root)
    nodes = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert nodes == {f"node-{n}" for n in design.node_ids()}
    for n in design.nodes():
        assert n.label in texts or any(t.endswith("…") and n.label.startswith(t[:-1]) for t in texts), n.id
    frames = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "group"}
    assert frames == {f"group-{g}" for g in design.groups()}
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == len(design.edges())
    assert "Fill: share of the network's MACs" in texts
    assert any(t.startswith(f"{len(design)} layers · ") and " MACs · " in t for t in texts)


def test_png_and_pdf_are_drawn_headless_through_the_installed_command(tmp_path, qapp):
    from PySide6.QtGui import QImage

    png, pdf = tmp_path / "g.png", tmp_path / "g.pdf"
    src = str(next(p for p in EXAMPLES if p.stem == "inception_module"))
    assert launcher.main(["export", src, "--format", "png", "-o", str(png)]) == 0
    assert launcher.main(["export", src, "--format", "pdf", "-o", str(pdf)]) == 0
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 1000
    w, h = image.width(), image.height()
    colours = {image.pixel(x, y) for x in range(0, w, 7) for y in range(0, h, 7)}
    dark = sum(1 for x in range(0, w, 5) for y in range(0, h, 5) if QImage.pixelColor(image, x, y).lightness() < 128)
    assert len(colours) > 20 and dark > 200  # boxes, fills and text, not a blank page
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_without_the_desktop_renderer_png_is_refused_in_one_line(monkeypatch):
    monkeypatch.setattr(figure, "_rasterizer", None)
    with pytest.raises(ExportError) as err:
        export(every_type(), "png")
    assert err.value.lines == ["png needs the desktop app's Qt; export svg instead, "
                               "or run the installed 'archcanvas' command"]


def test_dot_is_a_digraph_with_every_node_and_one_edge_per_wire():
    design = ff.load(GOOGLENET)
    text = export(design, "dot")
    assert text.startswith('digraph "GoogLeNet')
    for nid in design.node_ids():
        assert f'\n    "{nid}" [label=' in text or f'\n  "{nid}" [label=' in text, nid
    assert text.count(" -> ") == len(design.edges())
    assert text.count("subgraph \"cluster_") == len(design.groups())


def test_graphml_reads_back_as_the_same_graph(tmp_path):
    design = every_type()
    path = tmp_path / "g.graphml"
    path.write_text(export(design, "graphml"), encoding="utf-8")
    g = nx.read_graphml(path, force_multigraph=True)
    assert set(g.nodes) == set(design.node_ids())
    assert sorted((s, t, d["port"]) for s, t, d in g.edges(data=True)) == \
        sorted((e.source, e.target, e.port) for e in design.edges())
    assert g.nodes["c1"]["output_shape"] == "8x8x8" and g.nodes["c1"]["params"] == 224


def _run(*args):
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=120)


def test_cli_writes_code_that_compiles_and_prints_text_to_stdout(tmp_path):
    out = tmp_path / "model.py"
    src = str(next(p for p in EXAMPLES if p.stem == "seed_inception"))
    r = _run("export", src, "--format", "pytorch", "-o", str(out))
    assert (r.returncode, r.stdout, r.stderr) == (0, f"wrote {out}\n", "")
    compile(out.read_text(encoding="utf-8"), str(out), "exec")
    r = _run("export", src, "--format", "keras", "-o", "-")
    assert r.returncode == 0 and "def build_model():" in r.stdout and "import keras" in r.stdout


def test_cli_refuses_a_bad_design_with_the_lines_of_report(tmp_path):
    design = every_type()
    design.set_attr("c1", "kernel_size", 40)
    design.set_attr("c1", "padding", "valid")
    bad = tmp_path / "bad.json"
    ff.save(design, bad)
    report = _run("report", str(bad))
    r = _run("export", str(bad), "--format", "pytorch", "-o", str(tmp_path / "m.py"))
    assert r.returncode == 1 and r.stderr == report.stderr and r.stderr.startswith("error: c1: ")
    assert not (tmp_path / "m.py").exists()


def test_cli_refuses_an_unfaithful_layer_by_name_and_bad_usage_with_2(tmp_path):
    design = every_type()
    design.set_attr("act", "activation", "exponential")
    path = tmp_path / "d.json"
    ff.save(design, path)
    r = _run("export", str(path), "--format", "pytorch", "-o", str(tmp_path / "m.py"))
    assert (r.returncode, r.stderr) == (
        1, "error: act: Activation with activation 'exponential' has no faithful PyTorch counterpart\n")
    assert _run("export", str(path), "--format", "png", "-o", "-").returncode == 2
    assert _run("export", str(path), "--format", "onnx", "-o", "x").returncode == 2
