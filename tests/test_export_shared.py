"""Frozen layers (trainable=False) and shared weights (weights_of) in both exports."""

from __future__ import annotations

import numpy as np
import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design, Node
from archcanvas.core.export import export
from archcanvas.core.export.common import make_plan

from export_support import load_module
from test_export_keras import _copy_weights

pytestmark = pytest.mark.skipif(not hasattr(Node, "weights_of"), reason="designs without trainable/weights_of")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")


def frozen_and_shared() -> Design:
    d = Design("frozen and shared")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c1", {"filters": 4, "kernel_size": 3, "padding": "same"}, trainable=False)
    d.add_node("BatchNormalization", "bn", {}, trainable=False)
    d.add_node("Conv2D", "c2", {"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"})
    d.add_node("Conv2D", "c3", {"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
               weights_of="c2")
    d.add_node("GlobalAveragePooling2D", "gap", {})
    d.add_node("Dense", "out", {"units": 2})
    for s, t in (("in", "c1"), ("c1", "bn"), ("bn", "c2"), ("c2", "c3"), ("c3", "gap"), ("gap", "out")):
        d.connect(s, t)
    return d


def test_frozen_and_shared_layers_keep_their_params_and_outputs(tmp_path):
    design = frozen_and_shared()
    totals, plan = analyze(design).totals, make_plan(design)
    (tmp_path / "t.py").write_text(export(design, "pytorch"), encoding="utf-8")
    (tmp_path / "k.py").write_text(export(design, "keras"), encoding="utf-8")
    tmodel = load_module(tmp_path / "t.py", "shared_torch").build_model()
    kmodel = load_module(tmp_path / "k.py", "shared_keras").build_model()
    trainable = sum(p.numel() for p in tmodel.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in tmodel.parameters() if not p.requires_grad)
    stats = sum(b.numel() for n, b in tmodel.named_buffers() if n.endswith(("running_mean", "running_var")))
    assert (trainable, frozen + stats) == (totals.trainable_params, totals.non_trainable_params)
    assert not hasattr(tmodel, "c3") and "c3 = self.c2(c2)" in export(design, "pytorch")
    assert kmodel.count_params() == totals.params
    assert sum(int(np.prod(w.shape)) for w in kmodel.trainable_weights) == totals.trainable_params
    _copy_weights(kmodel, tmodel, design, plan)
    x = np.random.default_rng(2).uniform(-1, 1, (1, 8, 8, 3)).astype("float32")
    with torch.no_grad():
        got = tmodel(torch.from_numpy(x).permute(0, 3, 1, 2)).numpy()
    np.testing.assert_allclose(got, keras.ops.convert_to_numpy(kmodel(x, training=False)), rtol=1e-3, atol=1e-4)
