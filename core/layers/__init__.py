"""The layer catalogue: every layer type, keyed by its Keras name.

Each family module defines ``LAYERS``; this registry collects them and refuses duplicates.
"""

from __future__ import annotations

from ..errors import DesignError
from . import conv, dense, io, merge, norm_act, pooling, reshape
from .spec import REQUIRED, Attr, Cost, LayerType

REGISTRY: dict[str, LayerType] = {}


def register(layer: LayerType) -> LayerType:
    if layer.name in REGISTRY:
        raise DesignError(f"layer type {layer.name} is already registered")
    REGISTRY[layer.name] = layer
    return layer


def get(type_name: str) -> LayerType:
    try:
        return REGISTRY[type_name]
    except (KeyError, TypeError):
        raise DesignError(f"unknown layer type {type_name!r}") from None


for _family in (io, conv, pooling, dense, merge, norm_act, reshape):
    for _layer in _family.LAYERS:
        register(_layer)

CATEGORIES = tuple(dict.fromkeys(layer.category for layer in REGISTRY.values()))

__all__ = ["REGISTRY", "CATEGORIES", "REQUIRED", "Attr", "Cost", "LayerType", "get", "register"]
