"""The ONNX importer against torch: GoogLeNet-, MobileNetV2- and ResNet-style models built here,
exported with ``torch.onnx.export`` with BatchNormalization kept (``TrainingMode.PRESERVE``) and
folded into the convolutions (the default eval export), imported, and compared: params in total
and per layer with torch and the ONNX initializers, MACs with FlopCounterMode, and every node's
shape with ``onnx.shape_inference``."""

from __future__ import annotations

import math
import warnings

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.importers import import_model
from archcanvas.core.importers.onnx_graph import to_channels_last

onnx = pytest.importorskip("onnx")
torch = pytest.importorskip("torch")
nn = torch.nn
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402


def conv_bn(cin, cout, k=3, s=1, groups=1, act=nn.ReLU):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), act())


class Inception(nn.Module):
    def __init__(self, cin, c1, c3r, c3, c5r, c5, pp):
        super().__init__()
        self.b1 = conv_bn(cin, c1, 1)
        self.b2 = nn.Sequential(conv_bn(cin, c3r, 1), conv_bn(c3r, c3, 3))
        self.b3 = nn.Sequential(conv_bn(cin, c5r, 1), conv_bn(c5r, c5, 5))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), conv_bn(cin, pp, 1))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)


class GoogLeNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, ceil_mode=True))
        self.inception3a = Inception(16, 8, 8, 12, 4, 4, 4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(0.4)
        self.fc = nn.Linear(28, 10)

    def forward(self, x):
        x = self.pool(self.inception3a(self.stem(x)))
        return torch.softmax(self.fc(self.drop(torch.flatten(x, 1))), 1)


class InvertedResidual(nn.Module):
    def __init__(self, c, expand):
        super().__init__()
        self.block = nn.Sequential(conv_bn(c, c * expand, 1, act=nn.ReLU6), conv_bn(c * expand, c * expand, 3, groups=c * expand,
                                   act=nn.ReLU6), nn.Conv2d(c * expand, c, 1, bias=False), nn.BatchNorm2d(c))
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, c, 1), nn.Hardsigmoid())

    def forward(self, x):
        y = self.block(x)
        return x + y * self.se(y)


class MobileNetV2ish(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_bn(3, 8, 3, 2, act=nn.ReLU6), InvertedResidual(8, 4),
                                      conv_bn(8, 16, 1, act=nn.Hardswish))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16, 5))

    def forward(self, x):
        return self.classifier(nn.functional.adaptive_avg_pool2d(self.features(x), 1))


class Bottleneck(nn.Module):
    def __init__(self, cin, mid, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, mid, 1), conv_bn(mid, mid, 3, stride),
                                  nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.down(x))


class ResNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(3, 8, 7, 2)
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(Bottleneck(8, 4, 16, 1), Bottleneck(16, 8, 32, 2))
        self.fc = nn.Linear(32 * 5 * 5, 7)

    def forward(self, x):
        x = self.layer1(self.pool(self.stem(x)))
        x = nn.functional.pad(x, (0, 1, 0, 1))  # ONNX Pad, pads from a constant
        return self.fc(x.view(x.size(0), -1))  # a Shape -> Gather -> Concat sub-graph feeds the Reshape


def trained(model):
    """Batch-norm statistics as training leaves them: all different, so the exporter has no equal
    folded biases to merge into one initializer (it does that for the fresh, equal ones)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                for t in (m.running_mean, m.weight, m.bias):
                    t.uniform_(-1, 1)
                m.running_var.uniform_(0.5, 1.5)
    return model.eval()


MODELS = {"googlenet": (GoogLeNetish, 32), "mobilenetv2": (MobileNetV2ish, 32), "resnet": (ResNetish, 32)}
MODES = {"preserve": torch.onnx.TrainingMode.PRESERVE, "folded": torch.onnx.TrainingMode.EVAL}


@pytest.fixture(scope="module", params=[(m, k) for m in MODELS for k in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
def exported(request, tmp_path_factory):
    name, mode = request.param
    cls, size = MODELS[name]
    torch.manual_seed(0)
    model = trained(cls())
    x = torch.zeros(1, 3, size, size)
    path = tmp_path_factory.mktemp("onnx") / f"{name}-{mode}.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), path, dynamo=False, training=MODES[mode])
    with FlopCounterMode(display=False) as counter:
        model(x)
    return mode, model, path, counter.get_total_flops() // 2


def test_params_and_macs_match_torch(exported):
    mode, model, path, macs = exported
    a = analyze(import_model(path))
    assert a.ok, [r.message for r in a.problems][:3]
    weights = sum(p.numel() for p in model.parameters())
    statistics = sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var")))
    if mode == "preserve":  # BatchNormalization kept: its statistics are the non-trainable params
        assert (a.totals.trainable_params, a.totals.non_trainable_params) == (weights, statistics)
    else:  # folded: every BatchNormalization became a bias of the convolution before it
        g = onnx.load(path).graph
        floats = sum(math.prod(t.dims) for t in g.initializer if t.data_type == onnx.TensorProto.FLOAT and t.dims)
        assert (a.totals.params, a.totals.non_trainable_params) == (floats, 0)
        assert not any(n.op_type == "BatchNormalization" for n in g.node)
    assert a.totals.macs == macs


def test_per_layer_params_from_the_initializers(exported):
    _, _, path, _ = exported
    design = import_model(path)
    a = analyze(design)
    by_name = {n.label: a[n.id] for n in design.nodes()}
    g = onnx.load(path).graph
    sizes = {t.name: math.prod(t.dims) for t in g.initializer}
    alias = {n.output[0]: n.input[0] for n in g.node if n.op_type == "Identity" and n.input[0] in sizes}
    checked = 0
    for node in g.node:
        if node.op_type in ("Conv", "Gemm", "BatchNormalization"):
            expected = sum(sizes[alias.get(i, i)] for i in node.input[1:] if i)
            assert by_name[node.name].params == expected, node.name
            checked += 1
    assert checked >= 6


def test_every_node_shape_matches_onnx_shape_inference(exported):
    _, _, path, _ = exported
    design = import_model(path)
    a = analyze(design)
    inferred = onnx.shape_inference.infer_shapes(onnx.load(path), data_prop=True).graph
    shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
              for vi in list(inferred.value_info) + list(inferred.output)}
    by_name = {n.label: a[n.id] for n in design.nodes()}
    compared = 0
    for node in inferred.node:
        # without constant folding (the PRESERVE export) ONNX cannot infer what follows a Pad
        # whose pads a sub-graph computes: there it has no answer to compare with
        if node.name in by_name and all(shapes.get(node.output[0]) or [0]):
            assert by_name[node.name].shape == to_channels_last(shapes[node.output[0]]), node.name
            compared += 1
    assert compared >= 10
    outputs = [o.name for o in inferred.output]
    assert design.node(a.order[-1]).label in {n.name for n in inferred.node if n.output[0] in outputs}


def test_googlenet_branches_are_one_group(tmp_path):
    path = tmp_path / "g.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(GoogLeNetish().eval(), (torch.zeros(1, 3, 32, 32),), path, dynamo=False)
    design = import_model(path)
    assert "inception3a" in design.groups()
    concat = [n for n in design.nodes() if n.type == "Concatenate"]
    assert len(concat) == 1 and concat[0].group == "inception3a" and len(design.input_ids(concat[0].id)) == 4


class Twice(nn.Module):
    """One convolution applied twice: its weights are one initializer, counted once."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)

    def forward(self, x):
        return self.conv(torch.relu(self.conv(x)))


def test_a_module_called_twice_shares_its_initializers(tmp_path):
    path = tmp_path / "twice.onnx"
    model = Twice().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 4, 8, 8),), path, dynamo=False)
    design = import_model(path)
    convs = [n for n in design.nodes() if n.type == "Conv2D"]
    assert len(convs) == 2 and convs[1].weights_of == convs[0].id
    a = analyze(design)
    assert (a.totals.params, a.totals.macs) == (sum(p.numel() for p in model.parameters()), 2 * 8 * 8 * 9 * 4 * 4)


class UNetish(nn.Module):
    """Decoder ops: a transposed convolution and a nearest-neighbour resize, joined by Concat."""

    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 8, 3, 2, 1)
        self.up = nn.ConvTranspose2d(8, 4, 2, 2)
        self.resize = nn.Upsample(scale_factor=2)
        self.head = nn.Conv2d(12, 1, 1)

    def forward(self, x):
        d = torch.relu(self.down(x))
        return torch.sigmoid(self.head(torch.cat([self.up(d), self.resize(d)], 1)))


def test_transposed_convolution_and_resize(tmp_path):
    path = tmp_path / "unet.onnx"
    model, x = UNetish().eval(), torch.zeros(1, 3, 16, 16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), path, dynamo=False)
    design = import_model(path)
    types = [n.type for n in design.nodes()]
    assert "Conv2DTranspose" in types and "UpSampling2D" in types
    a = analyze(design)
    with FlopCounterMode(display=False) as counter:
        model(x)
    assert (a.totals.params, a.totals.macs) == (sum(p.numel() for p in model.parameters()),
                                                counter.get_total_flops() // 2)
    assert a[a.order[-1]].shape == (16, 16, 1)
