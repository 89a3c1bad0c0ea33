"""ConvNeXt-Tiny against keras.applications (weights=None), layer by layer, the nested stem and
downsampling models opened up; MACs per layer against FlopCounterMode at 32×32."""

import pytest

keras = pytest.importorskip("keras")

from keras_apps import compare, compare_macs, fresh  # noqa: E402

from archcanvas.core.templates import build  # noqa: E402

pytestmark = pytest.mark.oracle


def test_convnext_tiny_equals_keras():
    model, design = fresh(keras.applications.ConvNeXtTiny), build("convnext-tiny")
    a = compare(model, design)
    assert (a.totals.params, a.totals.non_trainable_params) == (28_589_128, 0)
    compare_macs(model, build("convnext-tiny", resolution=32))


def test_convnext_tiny_classes_follow_keras():
    model = fresh(keras.applications.ConvNeXtTiny, input_shape=(64, 64, 3), classes=10)
    compare(model, build("convnext-tiny", resolution=64, classes=10))
