"""From parsed JSON to a checked ``Design``: every rule of design files, format version 1.

``from_dict`` checks everything a file can get wrong *before* it builds the design, and a fault is
one ``FormatError`` whose message names the place and the fault on one line::

    design.json: nodes[3].attrs.filters: must be a positive integer, got -4

What a file can express but the analysis cannot compute (a kernel larger than its input, a concat
of mismatched shapes, groups that do not divide the filters) loads fine: the GUI can produce such a
design and must be able to open it again; the analysis reports it on the node. The public API is
``core.fileformat``; this module is its reading half.
"""

from __future__ import annotations

import difflib
import math
from itertools import islice

from . import layers
from .collapse import group_names
from .design import MAX_PORT, Design, is_unicode
from .errors import ArchCanvasError, AttrError, FormatError
from .gcpause import gc_paused
from .kinds import is_int as _is_int
from .quote import show

FORMAT = "archcanvas.design"
VERSION = 1
TOP_KEYS = ("format", "version", "name", "nodes", "edges", "view")
VIEW_KEYS = ("collapsed",)
NODE_KEYS = ("id", "type", "name", "group", "attrs", "pos", "trainable", "weights_of")
EDGE_KEYS = ("source", "target", "port")
NO_SOURCE = "<design>"
_MISSING = object()


# messages --------------------------------------------------------------------------------------
def fail(source: str, place: str, fault: str):
    parts = [p for p in (None if source == NO_SOURCE else source, place) if p]
    raise FormatError(": ".join([*parts, fault]))


def _show(v, limit: int = 60) -> str:
    """A JSON value as the user wrote it (``true``, ``"64"``, ``64.0``), cut to one short line."""
    text = _brief(v, limit + 1)
    if isinstance(v, dict):
        text = "an object" if len(text) > limit else text
    if isinstance(v, bool) or v is None:
        return text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _brief(v, budget: int) -> str:
    """``json.dumps(v)`` while it is shorter than ``budget``; once it reaches that, the text so far
    (unclosed). Each level of nesting writes a bracket, so a list nested 5,000 deep is quoted
    without deep recursion (``json.dumps`` of it raises ``RecursionError``)."""
    if isinstance(v, dict):
        items, text, close = ((k, x) for k, x in v.items()), "{", "}"
    elif isinstance(v, (list, tuple)):
        items, text, close = ((None, x) for x in v), "[", "]"
    else:
        return show(v)  # a scalar, quoted as every message quotes one (core.quote)
    for i, (key, x) in enumerate(items):
        text += ", " if i else ""
        if key is not None:
            text += _brief(key, budget) + ": "
        if len(text) >= budget:
            return text
        text += _brief(x, budget - len(text))
        if len(text) >= budget:
            return text
    return text + close


def _kind(v) -> str:
    if isinstance(v, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
            type(None): "null"}.get(type(v), type(v).__name__)


def _did_you_mean(word: str, options) -> str:
    options = list(options)
    by_lower = {o.lower(): o for o in options}
    hits = [by_lower[word.lower()]] if word.lower() in by_lower else \
        difflib.get_close_matches(word, options, n=3, cutoff=0.6)
    if not hits:
        return ""
    return " (did you mean " + " or ".join(f'"{h}"' for h in hits) + "?)"


def _cut(message: str, limit: int = 300) -> str:
    """A message that quotes a huge value (a list of 100,000 numbers) stays one readable line."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


MAX_DEPTH = 100  # nesting of unknown keys' values; deeper would exhaust Python's stack on save


class _TooDeep(Exception):
    pass


def copy_json(v, depth: int = 0):
    """A deep copy of JSON data; tuples become lists, as JSON has only lists."""
    if depth >= MAX_DEPTH:
        raise _TooDeep
    if isinstance(v, dict):
        return {k: copy_json(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [copy_json(x, depth + 1) for x in v]
    return v


def _extras(raw: dict, known, source: str, place: str) -> dict:
    out = {}
    for key, value in raw.items():
        if key in known:
            continue
        here = f"{place}.{key}" if place else key
        try:
            out[key] = copy_json(value)
        except _TooDeep:
            fail(source, here, f"nested more than {MAX_DEPTH} levels deep")
        bad = _unsavable(key) or _unsavable(out[key])
        if bad is not None:  # JSON's 1e400 reads as infinity, and infinity cannot be saved again
            fail(source, here + bad[0], bad[1])
    return out


def _unsavable(v) -> tuple[str, str] | None:
    """Where in ``v`` (already depth-checked) a value sits that no file can hold again (a
    non-finite number, a lone surrogate), and what it is: ``("[2].x", why)``…; or None."""
    if isinstance(v, float):
        return None if math.isfinite(v) else ("", "a number too large to be finite (beyond ±1.8e308)")
    if isinstance(v, str):
        return None if is_unicode(v) else ("", _SURROGATE)
    items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
    for k, x in items:
        bad = _unsavable(x) if isinstance(k, int) or is_unicode(k) else ("", _SURROGATE)
        if bad is not None:
            return (f".{k!s}" if isinstance(k, str) else f"[{k}]") + bad[0], bad[1]
    return None


# reading ---------------------------------------------------------------------------------------
def from_dict(data, source: str = NO_SOURCE) -> Design:
    """Build a design from format-v1 data; raises ``FormatError`` naming the place and the fault."""
    with gc_paused():  # thousands of acyclic objects at once (see core.gcpause)
        return _from_dict(data, source, False)[0]


def from_parsed(data, source: str = NO_SOURCE) -> tuple[Design, int]:
    """``from_dict`` for data that is the reader's own (just parsed, held by no one else): it is
    kept, not copied. Also returns how many keys the objects it read hold, summed (each object
    once; some may be left out, never one counted twice): ``fileformat.loads`` compares that with
    the text to know that no object lost a duplicate key."""
    with gc_paused():
        return _from_dict(data, source, True)


def _from_dict(data, source: str, own: bool) -> tuple[Design, int]:
    if not isinstance(data, dict):
        fail(source, "", f"not an ArchCanvas design: the top level is {_kind(data)}, "
                          f'expected an object with "format": "{FORMAT}"')
    fmt = data.get("format", _MISSING)
    if fmt is _MISSING:
        if "nodes" in data:
            fail(source, "format", f'missing; a design file says "format": "{FORMAT}"')
        fail(source, "", f'not an ArchCanvas design (no "format": "{FORMAT}")')
    if fmt != FORMAT:
        fail(source, "format", f'not an ArchCanvas design: expected "{FORMAT}", got {_show(fmt)}')
    version = data.get("version", _MISSING)
    if version is _MISSING:
        fail(source, "version", f"missing; this ArchCanvas reads version {VERSION}")
    if _is_int(version) and version > VERSION:
        fail(source, "", f"written by a newer ArchCanvas (format version {version}); "
                          f"this one reads version {VERSION}")
    if not (_is_int(version) and version == VERSION):
        fail(source, "version", f"must be the integer {VERSION}, got {_show(version)}")
    name = data.get("name", "untitled")
    if not isinstance(name, str):
        fail(source, "name", f"must be a string, got {_show(name)}")
    if not is_unicode(name):
        fail(source, "name", _SURROGATE)
    nodes = data.get("nodes", _MISSING)
    if nodes is _MISSING:
        fail(source, "nodes", "missing; a design needs a list of nodes")
    if not isinstance(nodes, list):
        fail(source, "nodes", f"must be a list, got {_kind(nodes)}")
    edges = data.get("edges", [])
    if not isinstance(edges, list):
        fail(source, "edges", f"must be a list, got {_kind(edges)}")

    design = Design(name)
    design.extra = _extras(data, TOP_KEYS, source, "")
    index: dict[str, int] = {}  # id -> place in the file
    layer_of: dict[str, layers.LayerType] = {}
    items, keys = _read_nodes(nodes, source, index, layer_of, own)
    design.add_checked(items, ())  # every check done: no second validation of the attributes
    _read_edges(design, edges, source, index, layer_of)
    for i, item in enumerate(items):
        if item[8] is not None and item[8] not in index:  # weights_of
            fail(source, f"nodes[{i}].weights_of", f'no node has the id "{item[8]}"')
    if "view" in data:
        _read_view(design, data["view"], source)
        keys += keys_in(data["view"])
    # the other values are strings, numbers or lists of nodes and edges (each edge an object)
    keys += len(data) + sum(map(len, edges)) + sum(keys_in(data[k]) for k in design.extra)
    return design, keys


def keys_in(v) -> int:
    """The keys of every object in ``v`` (JSON data), summed."""
    count, stack = 0, [v]
    pop, push = stack.pop, stack.extend
    while stack:
        x = pop()
        if type(x) is dict:
            count += len(x)
            push(x.values())
        elif type(x) is list:
            push(x)
    return count


def _read_view(design: Design, view, source: str) -> None:
    """``"view": {"collapsed": [group, ...]}``: view state, checked as strictly as the rest (a
    misspelt group name is an error, not a block that silently stays open)."""
    if not isinstance(view, dict):
        fail(source, "view", f"must be an object, got {_show(view)}")
    design.view_extra = _extras(view, VIEW_KEYS, source, "view")
    collapsed = view.get("collapsed", [])
    if not isinstance(collapsed, list):
        fail(source, "view.collapsed", f"must be a list of group names, got {_show(collapsed)}")
    names = group_names(design)
    seen: dict[str, int] = {}
    for i, name in enumerate(collapsed):
        place = f"view.collapsed[{i}]"
        if not isinstance(name, str) or not name:
            fail(source, place, f"must be a group name (a non-empty string), got {_show(name)}")
        if name in seen:
            fail(source, place, f'"{name}" is already listed at view.collapsed[{seen[name]}]')
        if name not in names:
            fail(source, place, f'no layer is in the group "{_cut(name, 80)}"' + _did_you_mean(name, names))
        seen[name] = i
    design.collapsed = frozenset(seen)


# The keys the quick path reads; a node with any other key (an unknown one kept in ``extra``,
# or one added to NODE_KEYS later and read by the careful path only) takes the careful path.
_QUICK_KEYS = frozenset(("id", "type", "name", "group", "attrs", "pos", "trainable", "weights_of"))
_NO_ATTRS: dict = {}


def _read_nodes(nodes: list, source: str, index: dict, layer_of: dict, own: bool) -> tuple[list[tuple], int]:
    """Each node as ``Design.add_checked`` takes it, every rule checked, and the keys of the
    objects read (see ``from_parsed``); ``index`` gets each id's place, ``layer_of`` its layer
    type. A node as ArchCanvas writes it takes the quick path: a few strict tests, and its
    attributes validated once, by ``resolve``. Anything else (an error, an unknown key, an
    attribute fault left to the analysis) takes the careful path, which checks in the documented
    order and names the first fault. (One loop, not a call per node: this runs for every node.)
    ``own``: the attributes are the reader's to keep when the required ones come first."""
    items, keys, registry, absent, count, far = [], _QUICK_KEYS, _LAYERS, _NO_ATTRS, 0, _FAR
    required_of: dict[str, tuple] = {}  # type -> its required attributes (a dict lookup, not a property call)
    for i, raw in enumerate(nodes):
        # (``in`` and subscripts, not .get(): no call per key)
        if type(raw) is dict and keys.issuperset(raw) and "id" in raw and "type" in raw:
            node_id, type_name = raw["id"], raw["type"]
            attrs = raw["attrs"] if "attrs" in raw else absent
            pos = raw["pos"] if "pos" in raw else None
            group = raw["group"] if "group" in raw else None
            name = raw["name"] if "name" in raw else None
            weights_of = raw["weights_of"] if "weights_of" in raw else None
            trainable = raw["trainable"] if "trainable" in raw else True
            layer = registry.get(type_name) if type(type_name) is str else None
            # _is_text inline for the texts most nodes have (a call per test costs as much as the test)
            if (layer is not None and type(node_id) is str and node_id and node_id not in index
                    and (node_id.isascii() or is_unicode(node_id)) and type(attrs) is dict
                    and (trainable is True or trainable is False)
                    and (group is None or (type(group) is str and (group.isascii() or is_unicode(group))))
                    and (name is None or (type(name) is str and (name.isascii() or is_unicode(name))))
                    and (weights_of is None or _is_text(weights_of))):
                pos_ok = pos is None
                if not pos_ok and type(pos) is list and len(pos) == 2:
                    x, y = pos
                    pos_ok = ((type(x) is int or type(x) is float) and (type(y) is int or type(y) is float)
                              and -far < x < far and -far < y < far)
                if pos_ok:
                    try:
                        resolved = layer.resolve(attrs)
                    except (AttrError, RecursionError):
                        pass
                    else:
                        index[node_id] = i
                        layer_of[node_id] = layer
                        count += len(raw) + len(attrs)
                        required = required_of.get(type_name)  # first, as Design.add_node puts them
                        if required is None:
                            required = required_of[type_name] = layer.required_names
                        if own and (not required or _leads(attrs, required)):
                            out = {} if attrs is absent else attrs  # its values are plain JSON: nothing to copy
                        else:
                            out = {k: attrs[k] for k in required} if required else {}
                            for k, v in attrs.items():
                                out[k] = copy_json(v) if type(v) is list or type(v) is dict else v
                        items.append((type_name, node_id, out, name or None, group or None, pos, {}, trainable,
                                      weights_of or None, resolved))
                        continue
        item = _read_node_carefully(raw, source, f"nodes[{i}]", index)
        layer_of[item[1]] = _LAYERS[item[0]]
        count += keys_in(raw)
        items.append(item)
    return items, count


def _leads(attrs: dict, names: tuple) -> bool:
    """The first keys of ``attrs`` are ``names``, in that order."""
    return tuple(islice(attrs, len(names))) == names


_LAYERS = layers.REGISTRY


def _is_text(v) -> bool:
    return type(v) is str and (v.isascii() or is_unicode(v))


def _read_node_carefully(raw, source: str, place: str, index: dict) -> tuple:
    if not isinstance(raw, dict):
        fail(source, place, f"must be an object, got {_show(raw)}")
    if "id" not in raw:
        fail(source, place, 'missing "id"')
    node_id = raw["id"]
    if not isinstance(node_id, str) or not node_id:
        fail(source, f"{place}.id", f"must be a non-empty string, got {_show(node_id)}")
    if not is_unicode(node_id):
        fail(source, f"{place}.id", _SURROGATE)
    if node_id in index:
        fail(source, f"{place}.id", f'"{node_id}" is already the id of nodes[{index[node_id]}]')
    index[node_id] = len(index)
    if "type" not in raw:
        fail(source, place, f'missing "type" (node "{node_id}")')
    type_name = raw["type"]
    if not isinstance(type_name, str):
        fail(source, f"{place}.type", f"must be a string naming a layer type, got {_show(type_name)}")
    layer = layers.REGISTRY.get(type_name)
    if layer is None:
        fail(source, f"{place}.type", f'unknown layer type "{type_name}"' + (
            _did_you_mean(type_name, layers.REGISTRY) or f" (known: {', '.join(layers.REGISTRY)})"))
    attrs = raw.get("attrs", {})
    if not isinstance(attrs, dict):
        fail(source, f"{place}.attrs", f"must be an object, got {_show(attrs)}")
    try:  # valid attributes are validated once, here; the analysis starts from the result
        resolved = layer.resolve(attrs)
    except (AttrError, RecursionError):
        resolved = None
        _check_attrs(layer, attrs, source, place)  # says which one and why, or passes (see below)
    name = _optional_text(raw, "name", source, place)
    group = _optional_text(raw, "group", source, place)
    pos = raw.get("pos")
    if pos is not None and not (isinstance(pos, list) and len(pos) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and abs(x) < _FAR for x in pos)):
        fail(source, f"{place}.pos", f"must be [x, y] with two numbers, got {_show(pos)}")
    trainable = raw.get("trainable", True)
    if not isinstance(trainable, bool):
        fail(source, f"{place}.trainable", f"must be true or false, got {_show(trainable)}")
    weights_of = _optional_text(raw, "weights_of", source, place)
    extra = _extras(raw, NODE_KEYS, source, place)
    attrs = copy_json(attrs)
    attrs = {**{k: attrs[k] for k in layer.required_names}, **attrs}  # the required ones first
    # resolved is None on a cross-attribute fault (each attribute passed _check_attrs): the
    # analysis resolves again and reports it on the node
    return (type_name, node_id, attrs, name, group, pos, extra, trainable, weights_of, resolved)


def _check_attrs(layer, attrs: dict, source: str, place: str) -> None:
    """Each attribute known and valid, the required ones present; a cross-attribute fault (groups
    that do not divide the filters) passes: the analysis reports it on the node."""
    type_name = layer.name
    for key, value in attrs.items():
        attr = layer.attr_index.get(key)
        if attr is None:
            hint = _did_you_mean(key, layer.attr_index) or (
                f" (known: {', '.join(layer.attr_index)})" if layer.attr_index else " (it takes none)")
            fail(source, f"{place}.attrs.{_cut(key, 80)}", f"unknown attribute for {type_name}{hint}")
        try:
            attr.validate(value)
        except AttrError as err:
            fail(source, f"{place}.attrs.{key}", _cut(str(err)))
        except RecursionError:  # quoting a value nested ~1,000 deep in the message runs out of stack
            fail(source, f"{place}.attrs.{key}", "the value is nested too deeply to be valid")
    for attr in layer.attrs:
        if attr.required and attr.name not in attrs:
            fail(source, f"{place}.attrs.{attr.name}", f"missing; {type_name} requires it")


_FAR = 1e300  # beyond any canvas; also keeps a 400-digit integer from reaching float() as OverflowError


def _optional_text(raw: dict, key: str, source: str, place: str):
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        fail(source, f"{place}.{key}", f"must be a string, got {_show(value)}")
    if value and not is_unicode(value):
        fail(source, f"{place}.{key}", _SURROGATE)
    return value or None


_SURROGATE = "contains a lone UTF-16 surrogate (\\ud800 to \\udfff), which is not a character"


def _read_edges(design: Design, edges: list, source: str, index: dict, layer_of: dict) -> None:
    """Check every edge, give port-less edges the remaining ports of their target in file order,
    refuse cycles, then connect in file order (so a save writes the edges back in that order).
    ``index``: each node id's place in the file; ``layer_of``: its layer type."""
    quick = _quick_wires(edges, index, layer_of)
    if quick is None:
        wires = _careful_wires(design, edges, source, index, layer_of)
        forward = all(index[s] < index[t] for s, t, _ in wires)
    else:
        wires, forward = quick
    # Files are mostly written in flow order: then every wire runs forward and none closes a cycle.
    if not forward:
        cycle = _find_cycle(list(index), [(s, t) for s, t, _ in wires])
        if cycle:
            path = " → ".join(f'"{n}"' for n in [*cycle, cycle[0]])
            fail(source, "edges", f"the connections form a cycle: {path}")
    design.add_checked((), wires)  # every rule was checked above


def _quick_wires(edges: list, index: dict, layer_of: dict) -> tuple[list[tuple[str, str, int]], bool] | None:
    """The wires of edges as ArchCanvas writes them, in file order, and whether each runs forward
    in the file; None at anything else (a fault, an unknown key, two edges wanting one input),
    for ``_careful_wires`` to name.

    Where it answers, it is the careful path's answer: a port-less edge gets the lowest input of
    its target that no other edge takes, and here no other edge takes input 0."""
    wires, taken, forward = [], {}, True
    try:  # (subscripts, not .get(): no call per key; a KeyError is an end missing or no node's id)
        for raw in edges:
            if type(raw) is not dict:
                return None
            src, tgt = raw["source"], raw["target"]
            # with both ends present, the number of keys says there are no others
            if "port" in raw:
                port = raw["port"]
                if len(raw) != 3 or type(port) is not int or not 0 <= port <= MAX_PORT:
                    return None
            elif len(raw) == 2:
                port = 0
            else:
                return None
            if type(src) is not str or type(tgt) is not str or src == tgt:
                return None
            if index[src] > index[tgt]:
                forward = False
            limit = layer_of[tgt].max_inputs
            if limit == 0 or (limit is not None and port >= limit):
                return None
            end = tgt if port == 0 else (tgt, port)  # input 0 of a node: its id (most wires; no tuple made)
            if end in taken:
                return None
            taken[end] = None
            wires.append((src, tgt, port))
    except KeyError:
        return None
    return wires, forward


def _careful_wires(design: Design, edges: list, source: str, index: dict, layer_of: dict) -> list:
    """Every rule of edges checked in the documented order, the first fault named; the wires
    ``(source, target, port)`` in file order."""
    taken: dict[tuple[str, int], tuple[int, str]] = {}  # (target, port) -> (edge index, source)
    placed: list[tuple[int, str, str, int]] = []
    pending: list[tuple[int, str, str]] = []
    for i, raw in enumerate(edges):
        place = f"edges[{i}]"
        if not isinstance(raw, dict):
            fail(source, place, f"must be an object with source and target, got {_show(raw)}")
        if not _EDGE_KEY_SET.issuperset(raw):
            for key in raw:
                if key not in EDGE_KEYS:
                    fail(source, f"{place}.{key}", "unknown key; an edge has source, target and port")
        src, tgt = raw.get("source"), raw.get("target")
        if not (isinstance(src, str) and isinstance(tgt, str) and src in index and tgt in index):
            _bad_end(design, raw, source, place, index)
        if src == tgt:
            fail(source, place, f'connects "{src}" to itself')
        limit = layer_of[tgt].max_inputs
        if limit == 0:
            fail(source, f"{place}.target", f'"{tgt}" is an {design.node(tgt).type} and takes no inputs')
        if "port" not in raw:
            pending.append((i, src, tgt))
            continue
        port = raw["port"]
        if not _is_int(port) or not 0 <= port <= MAX_PORT:
            fail(source, f"{place}.port", f"must be an integer from 0 to {MAX_PORT}, got {_show(port)}")
        if limit is not None and port >= limit:
            fail(source, f"{place}.port", f'{design.node(tgt).type} "{tgt}" has one input (port 0); '
                                           f"port {port} does not exist")
        if (tgt, port) in taken:
            j, other = taken[(tgt, port)]
            fail(source, f"{place}.port", f'input {port} of "{tgt}" is already connected to "{other}" '
                                           f"by edges[{j}]")
        taken[(tgt, port)] = (i, src)
        placed.append((i, src, tgt, port))
    next_free: dict[str, int] = {}
    for i, src, tgt in pending:
        port = next_free.get(tgt, 0)
        while (tgt, port) in taken:
            port += 1
        limit = layer_of[tgt].max_inputs
        if port > MAX_PORT:  # the same ceiling as an explicit port
            fail(source, f"edges[{i}]", f'"{tgt}" would get input {port}; ports go from 0 to {MAX_PORT}')
        if limit is not None and port >= limit:
            j, other = taken[(tgt, 0)]
            fail(source, f"edges[{i}]", f'"{tgt}" ({design.node(tgt).type}) takes one input, already '
                                         f'connected to "{other}" by edges[{j}]')
        taken[(tgt, port)] = (i, src)
        next_free[tgt] = port + 1
        placed.append((i, src, tgt, port))
    if pending:
        placed.sort()
    return [(s, t, p) for _, s, t, p in placed]


_EDGE_KEY_SET = frozenset(EDGE_KEYS)


def _bad_end(design: Design, raw: dict, source: str, place: str, index: dict) -> None:
    """Fail on the first end of an edge that is missing, not a string, or no node's id."""
    for end in ("source", "target"):
        if end not in raw:
            fail(source, place, f'missing "{end}"')
        node_id = raw[end]
        if not isinstance(node_id, str):
            fail(source, f"{place}.{end}", f"must be a node id (a string), got {_show(node_id)}")
        if node_id not in index:
            fail(source, f"{place}.{end}", f'no node with id "{node_id}"' + _did_you_mean(node_id, list(index)))
    raise AssertionError("an edge's ends were not wrong after all")


def _find_cycle(node_ids: list[str], edges: list[tuple[str, str]]) -> list[str] | None:
    """A cycle's nodes in flow order, starting at the one first in the file; None if acyclic.

    Kahn's algorithm peels off every node with no remaining input; whatever is left lies on or
    below a cycle, and each such node has an input that is left too, so walking inputs back from
    any of them must come round to a node already seen. (networkx's find_cycle is 5× slower.)
    """
    indegree = dict.fromkeys(node_ids, 0)
    succ: dict[str, list[str]] = {n: [] for n in node_ids}
    pred: dict[str, list[str]] = {n: [] for n in node_ids}
    for s, t in edges:
        succ[s].append(t)
        pred[t].append(s)
        indegree[t] += 1
    ready = [n for n, k in indegree.items() if k == 0]
    while ready:
        n = ready.pop()
        for t in succ[n]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    left = {n for n, k in indegree.items() if k > 0}
    if not left:
        return None
    order = {n: i for i, n in enumerate(node_ids)}
    node, seen, walk = min(left, key=order.__getitem__), {}, []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = min((p for p in pred[node] if p in left), key=order.__getitem__)
    cycle = walk[seen[node]:][::-1]
    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    return cycle[first:] + cycle[:first]
