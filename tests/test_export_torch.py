"""The PyTorch export, run: every template and example becomes a torch module whose parameters,
per-layer output shapes (forward hooks on zeros) and MACs (FlopCounterMode) are exactly ours."""

from __future__ import annotations

import ast

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.export import ExportError, export
from archcanvas.core.export.common import make_plan
from archcanvas.core.export.torch_code import torch_shape
from archcanvas.core.report import problem_lines

from export_support import refused, designs, every_type, load_module, second_catalogue

torch = pytest.importorskip("torch")
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

CASES = designs()


def torch_model(design, tmp_path, name="exported"):
    path = tmp_path / f"{name}.py"
    path.write_text(export(design, "pytorch"), encoding="utf-8")
    return load_module(path, name), path


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for n in node.names} | \
        {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("case", list(CASES))
def test_torch_export_has_our_params_shapes_and_macs(case, tmp_path):
    design = CASES[case]()
    if refused("pytorch", case, design):
        return
    analysis, plan = analyze(design), make_plan(design)
    module, path = torch_model(design, tmp_path)
    assert imports(path) == {"torch"}
    model = module.build_model()
    t = analysis.totals
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    # the saved buffers: BatchNormalization's running statistics, and Normalization's adapt() weights
    # (mean, variance, count); torch's num_batches_tracked has no Keras counterpart
    params = dict(model.named_parameters())
    stats = sum(b.numel() for n, b in model.state_dict().items()
                if n not in params and not n.endswith("num_batches_tracked"))
    assert (trainable, frozen + stats) == (t.trainable_params, t.non_trainable_params)

    seen = {}
    for nid in plan.order:
        if design.node(nid).type != "Input":
            layer = getattr(model, plan.ident[nid])
            layer.register_forward_hook(lambda m, i, o, nid=nid: seen.__setitem__(nid, tuple(o.shape)))
    inputs = [torch.zeros(1, *torch_shape(plan.shape(i))) for i in plan.order if design.node(i).type == "Input"]
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(*inputs)
    for nid in plan.order:
        if design.node(nid).type != "Input":
            assert seen[nid] == (1, *torch_shape(plan.shape(nid))), nid
    counts = counter.get_flop_counts()
    for nid in plan.order:  # 2 FLOPs per multiply-accumulate, bias excluded: our MAC rule × 2
        got = sum(counts.get(f"Model.{plan.ident[nid]}", {}).values())
        assert got == 2 * analysis[nid].macs, nid
    assert counter.get_total_flops() == 2 * t.macs


def test_every_node_is_an_attribute_named_after_it_with_its_shape_comment(tmp_path):
    design = every_type()
    design.rename("c1", "stem conv")
    text = export(design, "pytorch")
    assert "self.stem_conv = " in text and "# stem_conv: Conv2D, output 8x8x8 (torch: N x 8 x 8 x 8)" in text
    assert "def build_model():" in text
    # 'same' with stride 2 on 16 pixels: Keras pads 0 above, 1 below, as does the export
    assert "nn.ZeroPad2d((0, 1, 0, 1))" in text
    assert 'nn.ConstantPad2d((0, 1, 0, 1), float("-inf"))' in text
    assert "nn.BatchNorm2d(8, eps=0.01, momentum=0.1)" in text


def test_a_layer_without_a_faithful_counterpart_is_refused_by_name():
    design = every_type()
    design.set_attr("act", "activation", "exponential")
    design.set_attr("ap", "strides", 2)  # 'same' average pooling, 4 -> 2, padded unevenly
    design.set_attr("bn", "axis", 1)
    with pytest.raises(ExportError) as err:
        export(design, "pytorch")
    assert err.value.lines == [
        "bn: BatchNormalization over axis 1 of a 3-d input has no faithful PyTorch counterpart",
        "ap: AveragePooling2D with 'same' padding that is uneven here (Keras averages only the real cells)"
        " has no faithful PyTorch counterpart",
        "act: Activation with activation 'exponential' has no faithful PyTorch counterpart",
    ]


def test_a_design_with_errors_is_refused_with_the_report_lines():
    design = every_type()
    design.set_attr("c1", "kernel_size", 40)
    design.set_attr("c1", "padding", "valid")
    with pytest.raises(ExportError) as err:
        export(design, "pytorch")
    assert err.value.lines == problem_lines(design, analyze(design))
    assert err.value.lines[0] == "c1: input 16×16: input size 16 is smaller than the kernel 40 with 'valid' padding"


def test_a_type_without_an_emitter_is_refused_by_name(monkeypatch):
    from archcanvas.core.export import keras_code, torch_code

    monkeypatch.delitem(torch_code.EMITTERS, "Dropout")
    monkeypatch.delitem(keras_code.EMITTERS, "Dropout")
    for fmt, target in (("pytorch", "PyTorch"), ("keras", "Keras")):
        with pytest.raises(ExportError) as err:
            export(every_type(), fmt)
        assert err.value.lines == [f"drop: Dropout cannot be exported to {target} yet"]


def test_second_catalogue_refusals_name_the_node_and_the_reason():
    design = second_catalogue(layer_scale=True)
    design.set_attr("upb", "interpolation", "bicubic")
    design.set_attr("relu", "threshold", 0.5)
    with pytest.raises(ExportError) as err:
        export(design, "pytorch")
    assert err.value.lines == [
        "upb: UpSampling2D with interpolation 'bicubic' has no faithful PyTorch counterpart",
        "relu: ReLU with a threshold has no faithful PyTorch counterpart",
    ]

