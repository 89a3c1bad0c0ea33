"""A Keras model configuration (Sequential or Functional, Keras 3 or tf.keras 2) as a design.

The configuration is walked as data. Each call of a layer is one node (a layer called twice is two
nodes, the second naming the first in ``weights_of`` so its weights count once); a nested model
is expanded in place, once per call, its layers grouped under its name; the trainable flag of a
layer, or of a model around it, is kept. Every layer that cannot be imported is collected, so the
user sees all of them at once (``ModelImportError`` with one line each), never a partial design.
"""

from __future__ import annotations

import re

from .. import layers
from ..design import Design
from ..errors import ArchCanvasError
from . import ModelImportError, fail
from .keras_layers import Unsupported, convert, convert_op, fixed_shape, input_shape

MODEL_CLASSES = ("Functional", "Model", "Sequential")
MAX_NESTING = 32
MAX_LAYERS = 100_000
# keras.applications names its blocks' layers conv2_block1_1_conv, block_3_expand, block2a_se…
_BLOCK = re.compile(r"^((?:[A-Za-z]+\d+_)?block_?\d+[a-z]?)_")


def design_from_keras(config: dict, source: str) -> Design:
    walker = _Walker(source, _is_keras3(config))
    walker.model(config, None, None, False, 0)
    if walker.errors:
        raise ModelImportError(walker.errors)
    if not len(walker.design):
        fail(source, "the model has no layers")
    return walker.design


def _is_keras3(config: dict) -> bool:
    # Keras 3 writes "module" beside class_name and records calls as {"args", "kwargs"}.
    return "module" in config and "registered_name" in config or '"__keras_tensor__"' in _peek(config)


def _peek(config: dict) -> str:
    layer_list = config.get("config", {}).get("layers") if isinstance(config.get("config"), dict) else None
    for entry in (layer_list or [])[:4]:
        if isinstance(entry, dict) and isinstance(entry.get("inbound_nodes"), list) and entry["inbound_nodes"]:
            first = entry["inbound_nodes"][0]
            return '"__keras_tensor__"' if isinstance(first, dict) and "args" in first else ""
    return ""


class _Walker:
    def __init__(self, source: str, keras3: bool):
        self.source, self.keras3 = source, keras3
        self.design = Design("imported model")
        self.errors: list[str] = []
        self._refused: set[str] = set()
        self._names: set[str] = set()
        self._first_call: dict[tuple, str] = {}  # the layer's identity -> its first call's node

    # models ------------------------------------------------------------------------------------
    def model(self, entry: dict, inputs, group, frozen: bool, depth: int) -> list:
        """Expand a model, on ``inputs`` (node ids) or, for None, on Input nodes of its own."""
        if depth > MAX_NESTING:
            fail(self.source, f"models are nested more than {MAX_NESTING} deep")
        config = entry.get("config")
        name = _name(entry)
        if depth == 0:
            self.design.name = name or "imported model"
        inner_group = group if depth == 0 else name
        if isinstance(config, dict):
            frozen = frozen or config.get("trainable") is False
        if entry.get("class_name") == "Sequential" or isinstance(config, list):
            return self._sequential(config, inputs, inner_group, frozen, depth, name)
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            fail(self.source, f'model "{name}" ({entry.get("class_name")}) has no list of layers')
        return self._functional(config, inputs, inner_group, frozen, depth, name)

    def _sequential(self, config, inputs, group, frozen, depth, model_name) -> list:
        entries = config if isinstance(config, list) else config.get("layers")
        if not isinstance(entries, list):
            fail(self.source, f'Sequential "{model_name}" has no list of layers')
        x = inputs[0] if inputs else None
        started = bool(inputs)
        for entry in entries:
            cls, conf, name = self._fields(entry)
            if cls == "InputLayer":
                x = self._input(entry, group) if not started else self._pass(entry, x, group, frozen)
                started = True
                continue
            if not started and cls not in MODEL_CLASSES:
                shape = input_shape(conf) if isinstance(conf, dict) else None
                if shape is None and isinstance(config, dict):
                    shape = _build_shape(config)
                if shape is None:
                    fail(self.source, f'layer "{name}" ({cls}) is the first of Sequential "{model_name}" '
                                      "and no input shape is given")
                x = self._input_node(f"{name}_input", shape, group, name, cls)
            started = True
            if cls in MODEL_CLASSES:
                outs = self.model(entry, None if x is None else [x], group, frozen, depth + 1)
                x = outs[0] if outs else None
            else:
                x = self._call(entry, [x], [], 0, group, frozen)
        return [x]

    def _functional(self, config, inputs, group, frozen, depth, model_name) -> list:
        entries = {}
        for entry in config["layers"]:
            _, _, name = self._fields(entry)
            entries[name] = entry
        produced: dict[tuple, object] = {}
        input_refs = _refs(config.get("input_layers"))
        if inputs is not None and len(inputs) != len(input_refs):
            fail(self.source, f'model "{model_name}" takes {len(input_refs)} inputs but is called on {len(inputs)}')
        for i, (lname, ni, ti) in enumerate(input_refs):
            entry = entries.get(lname)
            if entry is None:
                fail(self.source, f'model "{model_name}": input layer "{lname}" is not among its layers')
            produced[(lname, ni, ti)] = self._input(entry, group) if inputs is None else \
                self._pass(entry, inputs[i], group, frozen)
        pending = []
        for name, entry in entries.items():
            cls = entry.get("class_name")
            if cls == "InputLayer":
                continue
            calls = entry.get("inbound_nodes") or []
            if not isinstance(calls, list):
                fail(self.source, f'layer "{name}": inbound_nodes must be a list')
            offset = self._call_offset(entry)
            pending += [(entry, k, k + offset, call) for k, call in enumerate(calls)]
        while pending:
            waiting = []
            for item in pending:
                entry, k, index, call = item
                refs, constants = self._call_args(call, _name(entry))
                if not all(ref in produced for ref in refs):
                    waiting.append(item)
                    continue
                ins = [produced[ref] for ref in refs]
                cls = entry.get("class_name")
                if cls in MODEL_CLASSES:
                    outs = self.model(entry, ins, group, frozen, depth + 1)
                else:
                    outs = [self._call(entry, ins, constants, k, group, frozen)]
                for ti, out in enumerate(outs):
                    produced[(_name(entry), index, ti)] = out
            if len(waiting) == len(pending):
                missing = sorted({f"{r[0]}[{r[1]}]" for e, _, _, c in waiting
                                  for r in self._call_args(c, _name(e))[0] if r not in produced})
                fail(self.source, f'model "{model_name}": layers take inputs that are never produced: '
                                  + ", ".join(missing[:5]))
            pending = waiting
        outs = []
        for ref in _refs(config.get("output_layers")):
            if ref not in produced:
                fail(self.source, f'model "{model_name}": its output {ref[0]}[{ref[1]}] is never produced')
            outs.append(produced[ref])
        return outs

    def _call_offset(self, entry: dict) -> int:
        """Keras numbers a nested model's calls from 1 when the model has its own input node
        (a Functional; in tf.keras 2 also a Sequential that starts with an input)."""
        cls, conf = entry.get("class_name"), entry.get("config")
        if cls not in MODEL_CLASSES:
            return 0
        if cls != "Sequential":
            return 1
        if self.keras3 or not isinstance(conf, (dict, list)):
            return 0
        first = (conf if isinstance(conf, list) else conf.get("layers") or [None])[0]
        if not isinstance(first, dict):
            return 0
        return int(first.get("class_name") == "InputLayer" or input_shape(first.get("config") or {}) is not None)

    # calls -------------------------------------------------------------------------------------
    def _call_args(self, call, name) -> tuple[list[tuple], list]:
        """The tensors (as (layer, node, tensor) refs) and numeric constants of one call."""
        refs, constants = [], []
        if isinstance(call, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            for value in list(call.get("args") or []) + list((call.get("kwargs") or {}).values()):
                _keras3_values(value, refs, constants)
        elif isinstance(call, list):  # tf.keras 2: [["name", node, tensor, {kwargs}], ...]
            for ref in call:
                if not (isinstance(ref, list) and len(ref) >= 3 and isinstance(ref[0], str)):
                    fail(self.source, f'layer "{name}": an inbound node is not [name, node, tensor, kwargs]')
                refs.append((ref[0], ref[1], ref[2]))
                for value in (ref[3].values() if len(ref) > 3 and isinstance(ref[3], dict) else ()):
                    if _is_ref(value):
                        refs.append((value[0], value[1], value[2]))
                    elif _is_number(value):
                        constants.append(value)
        else:
            fail(self.source, f'layer "{name}": an inbound node must be a list or an object')
        return refs, constants

    def _call(self, entry, ins, constants, k, group, frozen):
        cls, conf, name = self._fields(entry)
        try:  # converted even below a refused layer, so every unsupported layer is named at once
            module = str(entry.get("module") or "")
            if module.startswith(("keras.src.ops", "keras.ops")):
                type_name, attrs = convert_op(cls, conf, len(ins), constants, _constant_first(entry, k))
            else:
                type_name, attrs = convert(cls, conf, len(ins), constants)
            layer = layers.REGISTRY[type_name]
            for key, value in attrs.items():
                try:
                    layer.attr_index[key].validate(value)
                except ArchCanvasError as err:
                    raise Unsupported(f"{key}: {err}") from None
            if layer.check:
                layer.resolve(attrs)  # cross-attribute rules (strides with dilation, groups)
        except Unsupported as why:
            return self._refuse(name, cls, str(why))
        except ArchCanvasError as why:
            return self._refuse(name, cls, str(why))
        if any(x is None for x in ins):
            return None  # an input could not be imported: said already
        trainable = not frozen and conf.get("trainable") is not False
        return self._add(name, type_name, attrs, ins, group, trainable, (id(entry),))

    def _refuse(self, name, cls, why):
        if name not in self._refused:
            self._refused.add(name)
            self.errors.append(f'{self.source}: layer "{name}" ({cls}) cannot be imported: {why}')
        return None

    def _input(self, entry, group):
        cls, conf, name = self._fields(entry)
        shape = input_shape(conf)
        if shape is None:
            fail(self.source, f'input layer "{name}" has no shape')
        return self._input_node(name, shape, group, name, cls)

    def _input_node(self, name, shape, group, layer_name, cls):
        try:
            return self._add(name, "Input", {"shape": fixed_shape(shape)}, [], group, True, None)
        except Unsupported as why:
            return self._refuse(layer_name, cls, str(why))

    def _pass(self, entry, x, group, frozen):
        """A nested model's InputLayer, fed by the outer graph: an Identity node when the catalogue
        has one (so the layer still has its row), else the outer tensor itself."""
        if x is None or "Identity" not in layers.REGISTRY:
            return x
        return self._add(_name(entry), "Identity", {}, [x], group, not frozen, None)

    def _add(self, name, type_name, attrs, ins, group, trainable, key):
        if len(self.design) >= MAX_LAYERS:
            fail(self.source, f"the model has more than {MAX_LAYERS:,} layers")
        shown = name
        if shown in self._names:
            shown = f"{group}/{name}" if group else name
            base, n = shown, 2
            while shown in self._names:
                shown, n = f"{base} #{n}", n + 1
        self._names.add(shown)
        block = _BLOCK.match(name)
        node_group = (f"{group}/{block.group(1)}" if group else block.group(1)) if block else group
        first = self._first_call.get(key) if key else None
        node_id = self.design.unique_id(shown)
        self.design.add_node(type_name, node_id, attrs=attrs, name=shown, group=node_group,
                             trainable=trainable, weights_of=first)
        if key and first is None:
            self._first_call[key] = node_id
        for port, source in enumerate(ins):
            self.design.connect(source, node_id, port)
        return node_id

    def _fields(self, entry):
        if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
            fail(self.source, f"a layer entry is not an object with a class_name: {str(entry)[:60]}")
        conf = entry.get("config")
        if not isinstance(conf, (dict, list)):
            fail(self.source, f'layer {entry.get("name")!r} ({entry["class_name"]}) has no config object')
        name = _name(entry)
        if not isinstance(name, str) or not name:
            fail(self.source, f'a {entry["class_name"]} layer has no name')
        return entry["class_name"], conf, name


def _constant_first(entry: dict, k: int) -> bool:
    """Whether call ``k`` of a Keras 3 op has a number as its first argument (``3.0 - x``)."""
    calls = entry.get("inbound_nodes") or []
    call = calls[k] if k < len(calls) else None
    args = call.get("args") if isinstance(call, dict) else None
    return bool(args) and _is_number(args[0])


def _name(entry: dict):
    conf = entry.get("config")
    return entry.get("name") or (conf.get("name") if isinstance(conf, dict) else None)


def _refs(value) -> list[tuple]:
    if not value:
        return []
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = [value]  # Keras 3 writes a model's single input or output as one ref
    return [(r[0], r[1], r[2]) for r in value if _is_ref(r)]


def _is_ref(value) -> bool:
    return (isinstance(value, list) and len(value) >= 3 and isinstance(value[0], str)
            and all(isinstance(i, int) and not isinstance(i, bool) for i in value[1:3]))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _keras3_values(value, refs: list, constants: list) -> None:
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            history = (value.get("config") or {}).get("keras_history")
            if _is_ref(history):
                refs.append((history[0], history[1], history[2]))
        return
    if isinstance(value, list):
        for item in value:
            _keras3_values(item, refs, constants)
    elif _is_number(value):
        constants.append(value)


def _build_shape(config: dict):
    shape = config.get("build_input_shape")
    if isinstance(shape, dict) and shape.get("class_name") == "__tuple__":
        shape = shape.get("config", {}).get("value")
    return list(shape)[1:] if isinstance(shape, list) and shape else None
