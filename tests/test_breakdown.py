"""Cost classes and shares (core/breakdown.py), checked against the seeds and MobileNet's Table 2."""

import pytest

from archcanvas.core import breakdown as bd
from archcanvas.core import layers
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design

# MobileNet v1 body (Howard et al. 2017, Table 1): (pointwise filters, depthwise stride).
MOBILENET_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
                    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


def _chain(d, src, *specs, group=None):
    for type_name, attrs in specs:
        node = d.add_node(type_name, attrs=attrs, group=group)
        d.connect(src, node)
        src = node
    return src


def _bn_relu6():
    return [("BatchNormalization", {}), ("Activation", {"activation": "relu6"})]


def build_mobilenet_v1() -> Design:
    """MobileNet v1 (α 1, 224) the way keras.applications builds it: convs without bias, BN,
    ReLU6, and a 1×1 Conv2D with bias as the classifier after global pooling."""
    d = Design("mobilenet v1")
    x = d.add_node("Input", "input", attrs={"shape": [224, 224, 3]})
    x = _chain(d, x, ("Conv2D", {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same",
                                 "use_bias": False}), *_bn_relu6(), group="conv1")
    for i, (filters, stride) in enumerate(MOBILENET_BLOCKS, 1):
        x = _chain(d, x, ("DepthwiseConv2D", {"kernel_size": 3, "strides": stride, "padding": "same",
                                              "use_bias": False}), *_bn_relu6(),
                   ("Conv2D", {"filters": filters, "kernel_size": 1, "use_bias": False}), *_bn_relu6(),
                   group=f"block_{i}")
    _chain(d, x, ("GlobalAveragePooling2D", {"keepdims": True}), ("Dropout", {"rate": 0.001}),
           ("Conv2D", {"filters": 1000, "kernel_size": 1, "padding": "same"}),
           ("Reshape", {"target_shape": [1000]}), ("Activation", {"activation": "softmax"}),
           group="classifier")
    return d


def mobilenet_v1() -> Design:
    """The project's template (what users load); the builder above is an independent check."""
    from archcanvas.core.templates import TEMPLATES
    return TEMPLATES["mobilenet-v1"].build()


def _rows(rows):
    return {r.label: r for r in rows}


@pytest.mark.parametrize("design_fn", [build_mobilenet_v1, mobilenet_v1])
def test_mobilenet_table2_mult_adds(design_fn):
    d = design_fn()
    a = analyze(d)
    assert a.ok
    rows = _rows(bd.by_class(d, a))
    # Paper, Table 2: Conv 1×1 94.86%, Conv DW 3×3 3.06%, Conv 3×3 1.19%, Fully Connected 0.18%
    assert rows[bd.CONV_1X1].macs_share == pytest.approx(0.9486, abs=0.0005)
    assert rows[bd.DEPTHWISE].macs_share == pytest.approx(0.0306, abs=0.0005)
    # The paper's Conv 3×3 row (1.19%) does not add up: its four rows sum to 99.29%. The first
    # convolution's 112×112×3×3×3×32 = 10,838,016 mult-adds are 1.9% of 569M.
    assert rows["Conv2D 3×3"].macs == 112 * 112 * 3 * 3 * 3 * 32
    assert rows["Conv2D 3×3"].macs_share == pytest.approx(0.0191, abs=0.0005)
    assert a.totals.macs == pytest.approx(569e6, rel=0.001)
    assert rows[bd.DENSE].macs_share == pytest.approx(0.0018, abs=0.0005)
    assert rows[bd.DENSE].macs == 1024 * 1000
    assert rows[bd.DENSE].layers == 1
    assert sum(r.macs_share for r in rows.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("design_fn", [build_mobilenet_v1, mobilenet_v1])
def test_mobilenet_table2_params(design_fn):
    d = design_fn()
    a = analyze(d)
    rows = _rows(bd.by_class(d, a))
    pointwise = 32 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 256 * 256 + 256 * 512 + 5 * 512 * 512 \
        + 512 * 1024 + 1024 * 1024
    assert rows[bd.CONV_1X1].params == pointwise == 3_139_584
    assert rows[bd.DENSE].params == 1024 * 1000 + 1000
    # With batch norm in the total (as Keras counts), 1×1 is 73.8% and the classifier 24.1%.
    assert rows[bd.CONV_1X1].params_share == pytest.approx(pointwise / a.totals.params)
    # The paper's Table 2 counts convolution and fully connected weights only:
    # Conv 1×1 74.59%, Fully Connected 24.33%, Conv DW 3×3 1.06%, Conv 3×3 0.02%.
    paper = _rows(bd.by_class(d, a, exclude=(bd.NORMALIZATION,)))
    assert paper[bd.CONV_1X1].params_share == pytest.approx(0.7459, abs=0.0005)
    assert paper[bd.DENSE].params_share == pytest.approx(0.2433, abs=0.0005)
    assert paper[bd.DEPTHWISE].params_share == pytest.approx(0.0106, abs=0.0005)
    assert paper["Conv2D 3×3"].params_share == pytest.approx(0.0002, abs=0.0005)
    assert bd.NORMALIZATION not in paper
    # by group, batch norm left out the same way: the classifier group is the Dense layer alone
    groups = _rows(bd.by_group(d, a, exclude=(bd.NORMALIZATION,)))
    assert sum(g.params for g in groups.values()) == a.totals.params - rows[bd.NORMALIZATION].params
    assert groups["conv1"].params == 864


def test_bottleneck_classes_and_groups():
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [28, 28, 192]})
    d.add_node("Conv2D", "reduce", attrs={"filters": 16, "kernel_size": 1, "padding": "same"},
               group="bottleneck")
    d.add_node("Conv2D", "c5", attrs={"filters": 32, "kernel_size": 5, "padding": "same"},
               group="bottleneck")
    d.add_node("Conv2D", "direct", attrs={"filters": 32, "kernel_size": 5, "padding": "same"})
    d.connect("x", "reduce")
    d.connect("reduce", "c5")
    d.connect("x", "direct")
    a = analyze(d)
    rows = bd.by_class(d, a)
    assert [r.label for r in rows] == [bd.CONV_1X1, "Conv2D 5×5", bd.OTHER]
    c1, c5, other = rows
    assert c1.macs == 2_408_448 and c1.node_ids == ("reduce",)
    assert c5.macs == 10_035_200 + 120_422_400 and c5.layers == 2
    assert other.node_ids == ("x",) and other.macs == 0
    total = 2_408_448 + 10_035_200 + 120_422_400
    assert c5.macs_share == pytest.approx(130_457_600 / total)
    groups = bd.by_group(d, a)
    assert [g.label for g in groups] == ["bottleneck", bd.NO_GROUP]
    assert groups[0].macs == 12_443_648
    assert groups[1].macs == 120_422_400
    assert groups[0].params == (192 * 16 + 16) + (25 * 16 * 32 + 32)


def test_every_layer_type_has_a_class():
    # Each catalogue type maps somewhere without its attributes (a node whose attrs do not resolve).
    # The rank is declared with the class (a CostClass), never parsed from its label.
    for layer in layers.REGISTRY.values():
        label = bd.cost_class(layer, None)
        assert isinstance(label, bd.CostClass) and len(bd.class_rank(label)) == 3, layer.name


def test_classes_follow_attributes_not_names():
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [7, 7, 8]})
    for node_id, t, attrs in [
        ("pw", "Conv2D", {"filters": 4, "kernel_size": 1}),
        ("k17", "Conv2D", {"filters": 4, "kernel_size": [1, 7], "padding": "same"}),
        ("dw", "DepthwiseConv2D", {"kernel_size": 3}),
        ("sep", "SeparableConv2D", {"filters": 4, "kernel_size": 3}),
        ("mp", "MaxPooling2D", {}),
        ("gap", "GlobalAveragePooling2D", {"keepdims": True}),
        ("bn", "BatchNormalization", {}),
        ("act", "Activation", {"activation": "relu"}),
    ]:
        d.add_node(t, node_id, attrs=attrs)
        d.connect("x", node_id)
    d.add_node("Conv2D", "fc", attrs={"filters": 10, "kernel_size": 1})  # on the 1×1 map: a Dense
    d.connect("gap", "fc")
    d.add_node("Conv2D", "grouped_fc", attrs={"filters": 8, "kernel_size": 1, "groups": 2})
    d.connect("gap", "grouped_fc")  # grouped: not every output sees every input, so not Dense
    d.add_node("Add", "add")
    d.connect("pw", "add")
    d.connect("k17", "add")
    a = analyze(d)
    assert a.ok, [r.message for r in a.problems]
    assert bd.classify(d, a) == {
        "x": bd.OTHER, "pw": bd.CONV_1X1, "k17": "Conv2D 1×7", "dw": bd.DEPTHWISE,
        "sep": bd.SEPARABLE, "mp": bd.POOLING, "gap": bd.POOLING, "bn": bd.NORMALIZATION,
        "act": bd.ACTIVATION, "fc": bd.DENSE, "grouped_fc": bd.CONV_1X1, "add": bd.MERGE,
    }
    # the renamed node keeps its class: classes come from types and attributes
    d.rename("pw", "Dense_looking_name")
    assert bd.classify(d, a)["pw"] == bd.CONV_1X1


def test_errors_and_empty_design():
    d = Design()
    assert bd.by_class(d, analyze(d)) == []
    d.add_node("Input", "x", attrs={"shape": [4, 4, 3]})
    d.add_node("Conv2D", "big", attrs={"filters": 8, "kernel_size": 9})  # valid 9×9 on 4×4: error
    d.connect("x", "big")
    a = analyze(d)
    assert not a.ok
    rows = _rows(bd.by_class(d, a))
    assert rows["Conv2D 9×9"].macs == 0 and rows["Conv2D 9×9"].macs_share == 0.0
    assert rows[bd.OTHER].params_share == 0.0


def test_class_order():
    labels = [bd.OTHER, bd.DENSE, bd.conv_kxk((5, 5)), bd.CONV_1X1, bd.conv_kxk((3, 3)), bd.DEPTHWISE,
              bd.POOLING, bd.conv_kxk((1, 7))]
    assert sorted(labels, key=bd.class_rank) == [
        bd.CONV_1X1, "Conv2D 1×7", "Conv2D 3×3", "Conv2D 5×5", bd.DEPTHWISE, bd.DENSE, bd.POOLING, bd.OTHER]


def test_a_fixed_label_sorts_by_its_declared_rank():
    # A label that is not "Conv2D kh×kw" used to crash the window (the rank was parsed with int()).
    fixed = bd.CostClass("Conv2DTranspose", (1.5, 0))
    plain = "Some new class"  # a plain label: after the declared classes, before Other
    assert sorted([bd.OTHER, plain, bd.DEPTHWISE, fixed, bd.conv_kxk((7, 7))], key=bd.class_rank) == [
        "Conv2D 7×7", "Conv2DTranspose", bd.DEPTHWISE, plain, bd.OTHER]
    assert bd.class_rank(bd.DENSE) == bd.class_rank("Dense")  # a plain copy of a fixed label ranks the same
