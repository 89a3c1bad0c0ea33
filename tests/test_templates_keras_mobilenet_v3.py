"""MobileNetV3 Small and Large against keras.applications (weights=None, 224×224), every layer
and every operation Keras records on a tensor (the hard sigmoid's ``x + 3.0``, ``x * (1/6)``);
MACs per layer against FlopCounterMode at 64×64."""

import pytest

keras = pytest.importorskip("keras")

from keras_apps import compare, compare_macs, fresh  # noqa: E402

from archcanvas.core.templates import build  # noqa: E402

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("size, minimalistic, alpha, params", [
    ("small", False, 1.0, 2_554_968), ("large", False, 1.0, 5_507_432),
    ("small", True, 0.75, None), ("large", True, 1.25, None)])
def test_mobilenet_v3_equals_keras(size, minimalistic, alpha, params):
    factory = getattr(keras.applications, f"MobileNetV3{size.title()}")
    model = fresh(factory, input_shape=(224, 224, 3), alpha=alpha, minimalistic=minimalistic)
    design = build(f"mobilenet-v3-{size}", alpha=alpha, minimalistic=str(minimalistic).lower())
    a = compare(model, design)
    if params:
        assert a.totals.params == params
    if not minimalistic:  # the same Keras layers and ops on the 64×64 template's shapes
        compare_macs(model, build(f"mobilenet-v3-{size}", alpha=alpha, resolution=64))
