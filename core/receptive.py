"""Receptive field and output stride of every layer, in input pixels (rows, columns).

The usual recurrence (Araujo et al., "Computing Receptive Fields of Convolutional Neural
Networks", Distill 2019): a window layer with kernel k, dilation d and stride s maps
(r, j) to (r + ((k - 1) d) j, j s), where r is the receptive field and j the output stride (the
input pixels between two neighbouring outputs). Padding moves the field, never widens it.
A layer that turns a feature map into a vector or a 1×1 map without a window (global pooling,
Flatten) sees the whole input. A merge takes the largest field and stride of its inputs.
Layers without window attributes keep their input's field.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Analysis
from .design import Design


@dataclass(frozen=True)
class Field:
    size: tuple[int, int]  # receptive field, rows × columns of input pixels
    stride: tuple[int, int]  # output stride
    whole_input: bool = False  # the layer sees every pixel of the input (global pooling, Flatten)


def _pair(v, default=1) -> tuple[int, int]:
    if v is None:
        return (default, default)
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _window(attrs: dict):
    """(kernel, stride, dilation) of a layer that slides a window, else None."""
    kernel = attrs.get("kernel_size", attrs.get("pool_size"))
    if kernel is None:
        return None
    k = _pair(kernel)
    s = _pair(attrs.get("strides"), 0)
    if s == (0, 0):  # pooling's null strides mean the pool size
        s = k
    return k, s, _pair(attrs.get("dilation_rate"))


def fields(design: Design, analysis: Analysis) -> dict[str, Field]:
    out: dict[str, Field] = {}
    for nid in analysis.order:
        r = analysis.results.get(nid)
        if nid not in design or r is None or not r.ok:
            continue
        srcs = [s for s in design.input_ids(nid) if s in out]
        if not srcs:
            out[nid] = Field((1, 1), (1, 1))
            continue
        ins = [out[s] for s in srcs]
        size = (max(f.size[0] for f in ins), max(f.size[1] for f in ins))
        jump = (max(f.stride[0] for f in ins), max(f.stride[1] for f in ins))
        whole = any(f.whole_input for f in ins)
        win = _window(design.node(nid).resolved())
        in_shape = analysis.results[srcs[0]].shape
        if win is not None:
            k, s, d = win
            size = tuple(size[i] + (k[i] - 1) * d[i] * jump[i] for i in range(2))
            jump = (jump[0] * s[0], jump[1] * s[1])
        elif len(in_shape) == 3 and (len(r.shape) != 3 or (r.shape[:2] == (1, 1) and in_shape[:2] != (1, 1))):
            # the whole map goes into every output: a window as large as the input
            size = tuple(size[i] + (in_shape[i] - 1) * jump[i] for i in range(2))
            jump = (jump[0] * in_shape[0], jump[1] * in_shape[1])
            whole = True
        out[nid] = Field(size, jump, whole)
    return out
