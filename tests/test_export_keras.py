"""The Keras export, run (Keras 3 on PyTorch): every template and example becomes a Keras model
with exactly our params, trainable split and per-layer shapes; saved with ``model.save()`` and
loaded back it is the same design (types, attributes, wiring); and with Keras's weights copied
into the PyTorch export, both compute the same outputs, which is what "Keras semantics kept
exactly" means."""

from __future__ import annotations

import ast
import json
import math
import zipfile

import numpy as np
import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.export import export
from archcanvas.core.export.common import make_plan
from archcanvas.core.export.torch_code import torch_shape

from export_support import refused, designs, load_module

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
CASES = designs()
KERAS_NAMES = {None: "linear", "swish": "silu", "hard_swish": "hard_silu"}  # Keras saves the alias


def _size(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def _plain(v):
    if isinstance(v, (list, tuple)):
        # Keras saves a single axis as a one-element list ([3]); the design may hold it as 3
        return _plain(v[0]) if len(v) == 1 and isinstance(v[0], int) else tuple(_plain(x) for x in v)
    return v


def _history(args) -> list[str]:
    """The layers an inbound node reads, in order, from its serialized arguments."""
    if isinstance(args, dict):
        if args.get("class_name") == "__keras_tensor__":
            return [args["config"]["keras_history"][0]]
        return [n for v in args.values() for n in _history(v)]
    if isinstance(args, (list, tuple)):
        return [n for v in args for n in _history(v)]
    return []


def _same_design(config, design, plan):
    """A functional model's saved config is the design: types, attributes, wiring in port order."""
    by_name = {plan.layer_name[nid]: nid for nid in plan.order}
    layers = config["layers"]
    assert {layer["config"]["name"] for layer in layers} == set(by_name)
    for layer in layers:
        nid = by_name[layer["config"]["name"]]
        node, cfg, kind = design.node(nid), layer["config"], layer["class_name"]
        if kind == "InputLayer":
            assert (node.type, tuple(cfg["batch_shape"][1:])) == ("Input", plan.shape(nid))
            continue
        assert kind == node.type, nid
        a = node.resolved()
        for attr in node.layer.attrs:
            ours = a[attr.name]
            if attr.none_means and ours is None:
                ours = a[attr.none_means]
            if attr.name == "activation":
                ours = KERAS_NAMES.get(ours, ours)
            if attr.kind == "axes_or_none" and ours is None:
                ours = ()  # Keras saves Normalization(axis=None) as axis []
            assert _plain(cfg[attr.name]) == _plain(ours), (nid, attr.name)
        (inbound,) = layer["inbound_nodes"]
        assert _history(inbound["args"]) == [plan.layer_name[s] for s in plan.inputs[nid]], nid


def _filled(node) -> dict:
    """Resolved attributes as Keras saves them: pooling strides filled in, activation aliases."""
    a = dict(node.resolved())
    for attr in node.layer.attrs:
        if attr.none_means and a[attr.name] is None:
            a[attr.name] = a[attr.none_means]
    if "activation" in a:
        a["activation"] = KERAS_NAMES.get(a["activation"], a["activation"])
    return a


def _imported_is_the_design(saved, design, plan):
    """ArchCanvas's own importer reads the saved model back as the design we exported."""
    from collections import Counter

    from archcanvas.core.importers import read_any

    back = read_any(saved)
    ours, theirs = analyze(design).totals, analyze(back).totals
    assert (theirs.params, theirs.trainable_params, theirs.macs, theirs.flops) == \
        (ours.params, ours.trainable_params, ours.macs, ours.flops)
    assert Counter(n.type for n in back.nodes()) == Counter(n.type for n in design.nodes())
    if any(n.type == "ConstantOp" for n in design.nodes()):
        return  # an operation comes back under the name Keras gave it
    by_name = {plan.layer_name[nid]: nid for nid in plan.order}
    assert {n.label for n in back.nodes()} == set(by_name)  # each node named after its layer
    for node in back.nodes():
        mine = design.node(by_name[node.label])
        assert (node.type, _filled(node)) == (mine.type, _filled(mine)), node.id
        assert [by_name[back.node(s).label] for s in back.input_ids(node.id)] == design.input_ids(mine.id), node.id


def _saved_config(path) -> dict:
    """What model.save() wrote, read back from the .keras archive as an importer reads it."""
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))["config"]


def _depthwise(k):  # Keras (kh, kw, cin, dm) -> torch (cin * dm, 1, kh, kw)
    kh, kw, c, m = k.shape
    return k.reshape(kh, kw, c * m).transpose(2, 0, 1)[:, None]


def _copy_weights(kmodel, tmodel, design, plan):
    """Keras's weights into the torch export, in the order both keep them; BN statistics made
    non-trivial first so that epsilon and the statistics matter."""
    rng = np.random.default_rng(0)
    for nid in plan.order:
        node = design.node(nid)
        if node.type in ("Input", "ConstantOp") or getattr(node, "weights_of", None):
            continue  # a second call of a shared layer has no weights of its own
        layer = kmodel.get_layer(plan.layer_name[nid])
        weights = layer.get_weights()
        if node.type == "Normalization" and weights:  # adapt()'s mean and variance
            weights = [rng.uniform(-1, 1, weights[0].shape).astype("float32"),
                       rng.uniform(0.25, 4, weights[1].shape).astype("float32"), weights[2]]
            layer.set_weights(weights)
            layer.finalize_state()  # Keras computes with copies of them that set_weights leaves stale
        if node.type == "BatchNormalization":
            weights = [rng.uniform(0.5, 1.5, w.shape).astype("float32") if i % 2 == (len(weights) == 4 and 1)
                       else w for i, w in enumerate(weights)]
            weights[-2] = rng.uniform(-0.2, 0.2, weights[-2].shape).astype("float32")
            weights[-1] = rng.uniform(0.5, 1.5, weights[-1].shape).astype("float32")
            layer.set_weights(weights)
        state = getattr(tmodel, plan.ident[nid]).state_dict()
        names = [n for n in state if not n.endswith("num_batches_tracked")]
        assert len(names) == len(weights), nid
        for i, (name, w) in enumerate(zip(names, weights)):
            target = state[name]
            if w.ndim == 4:
                depthwise = node.type == "DepthwiseConv2D" or (node.type == "SeparableConv2D" and i == 0)
                w = _depthwise(w) if depthwise else w.transpose(3, 2, 0, 1)
            elif w.ndim == 2:
                w = w.T.reshape(target.shape)
            elif w.shape != tuple(target.shape):  # PReLU's alpha (1, 1, C): one slope per channel
                w = w.reshape(target.shape)
            state[name] = torch.from_numpy(np.ascontiguousarray(w))
        getattr(tmodel, plan.ident[nid]).load_state_dict(state)


@pytest.mark.parametrize("case", list(CASES))
def test_keras_export_round_trips_and_matches_the_torch_export(case, tmp_path):
    design = CASES[case]()
    if refused("keras", case, design):
        return
    analysis, plan = analyze(design), make_plan(design)
    path = tmp_path / "keras_model.py"
    path.write_text(export(design, "keras"), encoding="utf-8")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert {n.name for node in ast.walk(tree) if isinstance(node, ast.Import) for n in node.names} == {"keras"}
    model = load_module(path, f"keras_{case.replace(':', '_').replace('-', '_')}").build_model()
    t = analysis.totals
    assert model.count_params() == t.params
    assert (_size(model.trainable_weights), _size(model.non_trainable_weights)) == \
        (t.trainable_params, t.non_trainable_params)
    ops = {nid for nid in plan.order if design.node(nid).type == "ConstantOp"}  # keras.ops, not layers
    for nid in (n for n in plan.order if n not in ops):
        layer = model.get_layer(plan.layer_name[nid])
        assert tuple(layer.output.shape[1:]) == plan.shape(nid), nid
        assert layer.count_params() == analysis[nid].params, nid

    saved = tmp_path / "model.keras"
    model.save(saved)
    if not ops:  # an operation is saved under a name Keras picks, so only layers are compared
        _same_design(_saved_config(saved), design, plan)
    _imported_is_the_design(saved, design, plan)
    # loading rebuilds the model, as long as building it: once, and once with the file's own LayerScale
    if case in ("every-type", "partial-layers"):
        _same_design(keras.saving.load_model(saved).get_config(), design, plan)

    if plan.shape(plan.order[0])[0] > 75:  # the 224-pixel examples: their templates, at 32 (75), check this
        return
    tpath = tmp_path / "torch_model.py"
    tpath.write_text(export(design, "pytorch"), encoding="utf-8")
    tmodel = load_module(tpath, f"torch_{case.replace(':', '_').replace('-', '_')}").build_model()
    _copy_weights(model, tmodel, design, plan)
    rng = np.random.default_rng(1)
    ins = [nid for nid in plan.order if design.node(nid).type == "Input"]
    xs = [rng.uniform(-1, 1, (1, *plan.shape(i))).astype("float32") for i in ins]
    want = model(xs if len(xs) > 1 else xs[0], training=False)
    with torch.no_grad():
        got = tmodel(*[torch.from_numpy(x).permute(0, 3, 1, 2) if x.ndim == 4 else torch.from_numpy(x) for x in xs])
    want = want if isinstance(want, (list, tuple)) else [want]
    got = got if isinstance(got, tuple) else (got,)
    for nid, w, g in zip(plan.outputs, want, got):
        w = keras.ops.convert_to_numpy(w)
        g = g.permute(0, 2, 3, 1).numpy() if g.ndim == 4 else g.numpy()
        assert g.shape == w.shape, nid
        np.testing.assert_allclose(g, w, rtol=1e-3, atol=1e-4, err_msg=nid)


def test_a_node_named_like_the_files_own_layer_class_does_not_shadow_it(tmp_path):
    from export_support import partial_layers

    design = partial_layers()
    design.rename("ls", "LayerScale")
    path = tmp_path / "named.py"
    path.write_text(export(design, "keras"), encoding="utf-8")
    model = load_module(path, "keras_named_layer_scale").build_model()
    assert model.get_layer("LayerScale").count_params() == 4
    assert model.count_params() == analyze(design).totals.params
