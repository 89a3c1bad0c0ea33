"""The worked examples of DESIGN.md (from the seed documents), reproduced exactly.

Every design here is built with the Design API, so these tests pin the cost rules themselves and
not a template. The expected numbers are the ones printed in the seeds and in the GoogLeNet paper.
"""

from fractions import Fraction

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design


def chain(d: Design, src: str, *specs, group=None) -> str:
    """Add ``(type, attrs)`` specs one after another below ``src``; return the last id."""
    for type_name, attrs in specs:
        node = d.add_node(type_name, attrs=attrs, group=group)
        d.connect(src, node)
        src = node
    return src


def conv(filters, k, padding="same", activation="relu", **kw):
    return ("Conv2D", {"filters": filters, "kernel_size": k, "padding": padding,
                       "activation": activation, **kw})


def inception(d: Design, src: str, c1, c3r, c3, c5r, c5, pp, group="inception") -> str:
    """GoogLeNet's module: four branches joined by a Concatenate in branch order."""
    outs = [
        chain(d, src, conv(c1, 1), group=group),
        chain(d, src, conv(c3r, 1), conv(c3, 3), group=group),
        chain(d, src, conv(c5r, 1), conv(c5, 5), group=group),
        chain(d, src, ("MaxPooling2D", {"pool_size": 3, "strides": 1, "padding": "same"}),
              conv(pp, 1), group=group),
    ]
    cat = d.add_node("Concatenate", group=group)
    for port, o in enumerate(outs):
        d.connect(o, cat, port)
    return cat


def seed_network() -> Design:
    d = Design("seed 000")
    d.add_node("Input", "in", attrs={"shape": [28, 28, 3]})
    cat = inception(d, "in", 64, 96, 128, 16, 32, 32)
    chain(d, cat, ("MaxPooling2D", {"pool_size": 2}), ("Flatten", {}),
          ("Dense", {"units": 64, "activation": "relu"}), ("Dense", {"units": 2, "activation": "softmax"}))
    return d


def test_seed_network_params():
    d = seed_network()
    a = analyze(d)
    assert a.ok
    convs = [a[n] for n in a.order if a[n].type == "Conv2D"]
    assert len(convs) == 6
    assert sum(r.params for r in convs) == 124_384
    assert a.by_type["Conv2D"].params == 124_384
    assert a.totals.params == 3_335_842
    assert a.totals.trainable_params == 3_335_842
    assert a.totals.non_trainable_params == 0
    shapes = [a[n].shape for n in a.order]
    assert (28, 28, 256) in shapes and (14, 14, 256) in shapes and (50176,) in shapes
    dense = [a[n] for n in a.order if a[n].type == "Dense"]
    assert [r.params for r in dense] == [50176 * 64 + 64, 64 * 2 + 2]
    assert a[a.order[-1]].shape == (2,)
    # the whole module is one group, so its sum is the six convolutions (pool and concat are free)
    assert a.by_group["inception"].params == 124_384


def test_bottleneck_macs():
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [28, 28, 192]})
    direct = chain(d, "x", conv(32, 5))
    reduce_ = chain(d, "x", conv(16, 1))
    after = chain(d, reduce_, conv(32, 5))
    a = analyze(d)
    assert a[direct].macs == 120_422_400
    assert a[reduce_].macs == 2_408_448
    assert a[after].macs == 10_035_200
    assert a[reduce_].macs + a[after].macs == 12_443_648
    assert a[direct].shape == a[after].shape == (28, 28, 32)


def test_depthwise_separable_macs_and_ratio():
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [6, 6, 3]})
    std = chain(d, "x", conv(5, 3, padding="valid", activation=None))
    dw = chain(d, "x", ("DepthwiseConv2D", {"kernel_size": 3}))
    pw = chain(d, dw, conv(5, 1, padding="valid", activation=None))
    sep = chain(d, "x", ("SeparableConv2D", {"filters": 5, "kernel_size": 3}))
    a = analyze(d)
    assert a[std].macs == 2_160
    assert a[dw].macs == 432
    assert a[pw].macs == 240
    assert a[dw].macs + a[pw].macs == 672
    # SeparableConv2D is the same computation in one layer
    assert a[sep].macs == 672
    assert a[sep].shape == a[pw].shape == a[std].shape == (4, 4, 5)
    n, dk = 5, 3
    assert Fraction(672, 2_160) == Fraction(1, n) + Fraction(1, dk * dk)


@pytest.mark.parametrize("n, dk, cin, hw", [(5, 3, 3, 6), (64, 3, 32, 56), (1024, 3, 1024, 7), (7, 5, 4, 9)])
def test_separable_ratio_is_one_over_n_plus_one_over_dk2(n, dk, cin, hw):
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [hw, hw, cin]})
    std = chain(d, "x", conv(n, dk, activation=None))
    sep = chain(d, "x", ("SeparableConv2D", {"filters": n, "kernel_size": dk, "padding": "same"}))
    a = analyze(d)
    assert Fraction(a[sep].macs, a[std].macs) == Fraction(1, n) + Fraction(1, dk * dk)


def test_googlenet_inception_3a():
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [28, 28, 192]})
    cat = inception(d, "x", 64, 96, 128, 16, 32, 32, group="inception_3a")
    a = analyze(d)
    assert a[cat].shape == (28, 28, 256)
    g = a.by_group["inception_3a"]
    assert g.params == 163_328 + 368
    assert g.trainable_params == 163_328 + 368
    assert g.macs == 128_049_152
    # without biases the convolutions hold exactly the paper's weights
    for n in d.nodes():
        if n.type == "Conv2D":
            d.set_attr(n.id, "use_bias", False)
    a2 = analyze(d)
    assert a2.by_group["inception_3a"].params == 163_328
    assert a2.by_group["inception_3a"].macs == 128_049_152
