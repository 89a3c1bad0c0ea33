"""The layer catalogue: every layer type, keyed by its Keras name.

Each family module in this package defines ``LAYERS``; this registry collects them all (a new
module is found without an edit here) and refuses duplicates.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import DesignError
from . import conv, dense, io, merge, norm_act, pooling, reshape
from .spec import REQUIRED, Attr, Cost, LayerType

# The palette's order; modules not named here follow, in name order.
_FAMILIES = [io, conv, pooling, dense, merge, norm_act, reshape]

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


def _families() -> list:
    listed = {m.__name__ for m in _FAMILIES}
    found = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)
             if f"{__name__}.{info.name}" not in listed and info.name != "spec"]
    return _FAMILIES + [m for m in found if hasattr(m, "LAYERS")]


for _family in _families():
    for _layer in _family.LAYERS:
        register(_layer)

CATEGORIES = tuple(dict.fromkeys(layer.category for layer in REGISTRY.values()))

__all__ = ["REGISTRY", "CATEGORIES", "REQUIRED", "Attr", "Cost", "LayerType", "get", "register"]
