"""VGG, ResNet, DenseNet, Xception and Inception v3 against keras.applications (weights=None).

Each template is compared layer by layer (names, types, wiring, output shape, params, trainable,
attributes) at Keras's default resolution, and again at a small resolution where every layer's
MACs are checked against FlopCounterMode (2 FLOPs per multiply-accumulate). Each Keras model
is built once per session.
"""

import pytest

keras = pytest.importorskip("keras")

from keras_apps import compare, compare_macs, fresh  # noqa: E402
from oracle_keras import keras_model, model_flops  # noqa: E402

from archcanvas.core.analysis import analyze  # noqa: E402
from archcanvas.core.templates import build  # noqa: E402

pytestmark = pytest.mark.oracle
apps = keras.applications

# template -> (Keras factory, the small resolution of the MAC check: Keras's minimum; None for
# the deeper members of a family, whose every layer is built by the same code as ResNet50's or
# DenseNet121's, checked here; VGG's classifier depends on the resolution: its own test)
FAMILIES = {
    "vgg16": (apps.VGG16, None), "vgg19": (apps.VGG19, None),
    "resnet50": (apps.ResNet50, 32), "resnet101": (apps.ResNet101, None), "resnet152": (apps.ResNet152, None),
    "resnet50-v2": (apps.ResNet50V2, 32),
    "densenet121": (apps.DenseNet121, 32), "densenet169": (apps.DenseNet169, None),
    "densenet201": (apps.DenseNet201, None),
    "xception": (apps.Xception, 71), "inception-v3": (apps.InceptionV3, 75),
}

# The issue's figures: Keras's model.summary() totals.
KERAS_PARAMS = {"vgg16": 138_357_544, "resnet50": 25_636_712, "densenet121": 8_062_504,
                "xception": 22_910_480, "inception-v3": 23_851_784}


@pytest.mark.parametrize("name", FAMILIES)
def test_template_equals_keras_layer_by_layer(name):
    # One Keras model per template, at its default resolution, not kept (VGG's are 0.5 GB each).
    model, design = fresh(FAMILIES[name][0]), build(name)
    a = compare(model, design)
    if name in KERAS_PARAMS:
        assert a.totals.params == KERAS_PARAMS[name]
    small = FAMILIES[name][1]
    if small is not None:  # the same Keras layers, run on the small template's shapes
        compare_macs(model, build(name, resolution=small))


@pytest.mark.parametrize("depth", [16, 19])
def test_vgg_macs_per_layer_equal_flop_counter_at_a_small_resolution(depth):
    model = fresh(getattr(apps, f"VGG{depth}"), input_shape=(32, 32, 3))
    design = build(f"vgg{depth}", resolution=32)
    compare_macs(model, design, compare(model, design))


def test_vgg16_macs_at_224_are_the_issues_figure():
    a = analyze(build("vgg16"))  # FlopCounterMode agrees, layer by layer, in the test above
    assert (a.totals.params, a.totals.macs) == (138_357_544, 15_470_264_320)


def test_resnet_v15_moves_the_stride_to_the_3x3():
    """Keras has no v1.5; the design itself, rebuilt in Keras, is measured by FlopCounterMode,
    and it differs from v1 exactly where the stride moved."""
    v1, v15 = build("resnet50", resolution=32), build("resnet50", resolution=32, variant="v1.5")
    a1, a15 = analyze(v1), analyze(v15)
    assert a15.totals.params == a1.totals.params
    model, _ = keras_model(v15)
    assert model_flops(model, [(32, 32, 3)]) == 2 * a15.totals.macs
    changed = {n for n in v1.node_ids() if a1.results[n].macs != a15.results[n].macs
               or a1.results[n].shape != a15.results[n].shape}
    assert changed == {f"conv{s}_block1_{k}" for s in (3, 4, 5) for k in ("1_conv", "1_bn", "1_relu")}
    for s in (3, 4, 5):  # the 1×1 now runs at the stage's input resolution: 4× its MACs
        one = f"conv{s}_block1_1_conv"
        assert a15.results[one].macs == 4 * a1.results[one].macs
        assert v15.node(f"conv{s}_block1_2_conv").attrs["strides"] == 2
        assert "strides" not in v15.node(one).attrs
    assert a1.results["avg_pool"].shape == a15.results["avg_pool"].shape


def test_classes_and_densenet_blocks_follow_keras():
    from keras.src.applications.densenet import DenseNet  # the builder behind DenseNet121…

    model = fresh(DenseNet, blocks=[2, 3, 4, 2], input_shape=(48, 48, 3), classes=7)
    design = build("densenet121", blocks=(2, 3, 4, 2), resolution=48, classes=7)
    compare_macs(model, design, compare(model, design))
