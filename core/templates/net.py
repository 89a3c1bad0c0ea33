"""A small builder for whole networks written the way keras.applications writes them.

``Net.add(type, attrs, inputs, name)`` adds one layer under the current group (``with
net.group("conv2_block1"):``) and returns its id. A layer that keras.applications leaves
unnamed gets the name Keras gives it in a fresh session: the class name in snake case, then
``_1``, ``_2``… per class (``conv2d``, ``conv2d_1``, ``batch_normalization_3``), so a template's
ids are the Keras model's layer names one for one.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from ..design import Design

_SNAKE1 = re.compile(r"(.)([A-Z][a-z]+)")
_SNAKE2 = re.compile(r"([a-z])([A-Z])")


def keras_auto_name(type_name: str) -> str:
    """Keras's ``to_snake_case`` of a class name: ``BatchNormalization`` → ``batch_normalization``,
    ``Conv2D`` → ``conv2d``, ``ZeroPadding2D`` → ``zero_padding2d``."""
    s = _SNAKE1.sub(r"\1_\2", type_name)
    return _SNAKE2.sub(r"\1_\2", s).lower()


class Net:
    def __init__(self, title: str, resolution: int, channels: int = 3, input_id: str = "input"):
        self.design = Design(title)
        self._group: str | None = None
        self._counts: dict[str, int] = {}
        self.input = self.design.add_node("Input", input_id, attrs={"shape": [resolution, resolution, channels]})

    @contextmanager
    def group(self, name: str | None):
        outer, self._group = self._group, name
        try:
            yield
        finally:
            self._group = outer

    def auto(self, type_name: str, base: str | None = None) -> str:
        """Keras's automatic name; ``base`` for an operation that is not named after its type
        (Keras records ``x + 3.0`` as the op ``add``: our ConstantOp, Keras's ``add_4``)."""
        base = base or keras_auto_name(type_name)
        n = self._counts.get(base, 0)
        self._counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def add(self, type_name: str, attrs: dict | None, inputs, name: str | None = None) -> str:
        node_id = name or self.auto(type_name)
        self.design.add_node(type_name, node_id, attrs=attrs or {}, group=self._group)
        for port, src in enumerate([inputs] if isinstance(inputs, str) else inputs):
            self.design.connect(src, node_id, port)
        return node_id

    def shape(self, node_id: str):
        from ..analysis import analyze
        return analyze(self.design).results[node_id].shape


def conv(filters, kernel, strides=1, padding="valid", use_bias=True, activation=None) -> dict:
    """Conv2D attributes with only what differs from Keras's defaults (kernel may be a pair)."""
    attrs = {"filters": filters, "kernel_size": list(kernel) if isinstance(kernel, tuple) else kernel}
    if strides != 1:
        attrs["strides"] = strides
    if padding != "valid":
        attrs["padding"] = padding
    if not use_bias:
        attrs["use_bias"] = False
    if activation is not None:
        attrs["activation"] = activation
    return attrs


def bn(epsilon=None, scale=True, momentum=None, axis=-1) -> dict:
    """BatchNormalization attributes; ``axis`` 3 where Keras's code writes ``bn_axis`` (= 3)."""
    attrs = {} if axis == -1 else {"axis": axis}
    if epsilon is not None:
        attrs["epsilon"] = epsilon
    if not scale:
        attrs["scale"] = False
    if momentum is not None:
        attrs["momentum"] = momentum
    return attrs


def act(name="relu") -> dict:
    return {"activation": name}
