"""EfficientNet against keras.applications (weights=None), layer by layer; MACs per layer
against FlopCounterMode at a small resolution; B7's params without a forward pass."""

import pytest

keras = pytest.importorskip("keras")

from keras_apps import compare, compare_macs, fresh  # noqa: E402

from archcanvas.core.fileformat import dumps  # noqa: E402
from archcanvas.core.templates import build  # noqa: E402
from archcanvas.core.templates.efficientnet import compound  # noqa: E402

pytestmark = pytest.mark.oracle
apps = keras.applications


def test_b0_equals_keras_and_its_macs_equal_flop_counter():
    model, design = fresh(apps.EfficientNetB0), build("efficientnet")
    a = compare(model, design)
    assert a.totals.params == 5_330_571
    assert (a.totals.non_trainable_params, design.node("input").attrs["shape"]) == (42_023, [224, 224, 3])
    # The same Keras layers on the 32×32 template's shapes (same paddings: every map stays even).
    compare_macs(model, build("efficientnet", resolution=32))


def test_b7_equals_keras_at_600_without_a_forward_pass():
    model, design = fresh(apps.EfficientNetB7), build("efficientnet", variant="b7")
    assert design.node("input").attrs["shape"] == [600, 600, 3]
    assert compare(model, design).totals.params == 66_658_687
    assert design.node("top_dropout").attrs["rate"] == model.get_layer("top_dropout").rate == 0.5


def test_phi_scales_b0_by_the_compound_rule_as_keras_rounds_it():
    from keras.src.applications.efficientnet import EfficientNet  # the builder behind B0…B7

    assert dumps(build("efficientnet", phi=0)).replace(" φ=0", "-B0") == dumps(build("efficientnet"))
    width, depth, resolution, dropout = compound(1.5)
    assert (round(width, 4), round(depth, 4), resolution, dropout) == (1.1537, 1.3145, 276, 0.3)
    model = fresh(EfficientNet, width_coefficient=width, depth_coefficient=depth, default_size=resolution,
                  dropout_rate=dropout, input_shape=(64, 64, 3), classes=10)
    design = build("efficientnet", phi=1.5, resolution=64, classes=10)
    compare_macs(model, design, compare(model, design))


def test_phi_between_the_variant_sentinel_and_zero_is_refused():
    from archcanvas.core.errors import AttrError

    with pytest.raises(AttrError, match=r"^phi: must be -1"):
        build("efficientnet", phi=-0.5)
