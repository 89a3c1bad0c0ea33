"""Design files: JSON, format version 1 (see docs/file-format.md and resources/design.schema.json).

``load``/``loads``/``from_dict`` read (the checks live in ``core.design_reader``); ``save``/``dumps``/
``to_dict`` write; ``add_fragment`` pastes. Every fault is one ``FormatError`` line naming the place::

    design.json: nodes[3].attrs.filters: must be a positive integer, got -4

Unknown keys at the top level and inside a node survive a load and save (``design.extra``,
``node.extra``); an unknown *attribute* is an error, so a typo never passes silently. Saving is
atomic (``core.atomic``).
"""

from __future__ import annotations

import json
import os
import re
from typing import Callable

from .atomic import SaveError, write_atomic
from .collapse import effective
from .design import Design
from .design_reader import (
    EDGE_KEYS, FORMAT, MAX_DEPTH, MAX_PORT, NO_SOURCE, NODE_KEYS, TOP_KEYS, VERSION, copy_json, fail, from_dict,
    from_parsed,
)
from .errors import FormatError
from .gcpause import gc_paused

__all__ = ["FORMAT", "VERSION", "TOP_KEYS", "NODE_KEYS", "EDGE_KEYS", "MAX_DEPTH", "MAX_PORT", "MAX_BYTES",
           "FormatError", "SaveError", "to_dict", "snapshot", "from_dict", "dumps", "loads", "parse_json", "load", "save", "add_fragment"]

def loads(text: str | bytes, source: str = NO_SOURCE) -> Design:
    """Parse JSON text (strict: no NaN, no duplicate keys) and build the design."""
    with gc_paused():  # thousands of acyclic objects at once (see core.gcpause)
        if isinstance(text, (bytes, bytearray)):
            text = _decode(bytes(text), source)
        design = _read_quickly(text, source)
        return design if design is not None else from_dict(parse_json(text, source), source)


def _read_quickly(text: str, source: str) -> Design | None:
    """``from_dict(parse_json(text))`` for most files at two thirds of the cost; None where it
    cannot tell (then the caller does just that, which names the fault as always).

    ``parse_json`` calls a Python function per JSON object (~480 in MobileNetV2's file) to see
    that none lost a duplicate key; this parses in C alone and proves it by counting instead.
    Each key is followed by one colon outside any string, so the text's colons number at least
    the keys written; each object keeps at most the keys written in it. The reader sums the keys
    of the objects it read, so when that sum equals the text's count of colons, every object
    kept every key written: no key appeared twice, and no string held a colon. Otherwise the
    careful parse runs: a file with a duplicate key or a colon in a name costs what it did."""
    try:
        data = QUICK_PARSE(text)
    except (ValueError, RecursionError):  # a fault: named by the careful parse
        return None
    try:
        design, keys = from_parsed(data, source)
    except Exception as err:  # noqa: BLE001 - re-raised below, after a duplicate key has had its say
        fault = err
    else:
        fault = None
        if keys == text.count(":"):
            return design
    # As before: a duplicate key is named before anything else is wrong with the design.
    parse_json(text, source)
    if fault is not None:
        raise fault
    return design  # no object lost a key: the careful parse gave the same data


def parse_json(text: str | bytes, source: str = NO_SOURCE):
    """JSON text (or UTF-8 bytes) as data, by the design file's rules: strict numbers, no
    duplicate keys, no lone surrogates, bounded nesting; ``FormatError`` naming ``source``
    otherwise. The one parser for files, stdin, the clipboard and recovery files."""
    if isinstance(text, (bytes, bytearray)):
        text = _decode(bytes(text), source)
    if not text.strip():
        fail(source, "", "the file is empty; a design is a JSON object")
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as err:
        cut = err.pos >= len(text.rstrip())
        fail(source, f"line {err.lineno} column {err.colno}", f"not valid JSON: {err.msg}"
              + (" (the text ends too early; is the file cut short?)" if cut else ""))
    except RecursionError:
        fail(source, "", "not a design: the JSON is nested too deeply")
    except _JSONValueError as err:
        fail(source, "", str(err))
    except ValueError as err:  # an integer with more digits than Python will convert (4300)
        fault = "a number has too many digits to be a size" if "digits" in str(err) else str(err)
        fail(source, "", f"not valid JSON for a design: {fault}")
    if _SURROGATE_ESCAPE.search(text):  # rare: only an escape can put a lone surrogate in a string
        _check_surrogates(data, source, "")
    return data


# "\ud800" is valid JSON but no character: alone (not half of an escaped pair) it cannot be
# written as UTF-8, so such a design could be read but never saved or exported.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_surrogates(v, source: str, place: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:  # from_dict refuses such nesting with its own message
        return
    if isinstance(v, str):
        if _has_surrogate(v):
            fail(source, place, "contains a lone UTF-16 surrogate escape (\\ud800 to \\udfff), "
                                 "which is not a character")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _check_surrogates(x, source, f"{place}[{i}]", depth + 1)
    elif isinstance(v, dict):
        for key, x in v.items():
            here = f"{place}.{key}" if place else key
            if _has_surrogate(key):
                fail(source, place, "a key contains a lone UTF-16 surrogate escape (\\ud800 to \\udfff), "
                                     "which is not a character")
            _check_surrogates(x, source, here, depth + 1)


class _JSONValueError(ValueError):
    pass


def _constant(name):
    raise _JSONValueError(f"{name} is not a number JSON allows; every number must be finite")


_DECODER = json.JSONDecoder(parse_constant=_constant)  # json.loads makes one per call


def standard_quick_parse(text: str):
    """The standard parser, in C alone. It would take a lone surrogate escape, which no design may
    hold, so text with any surrogate escape (a pair too: the pattern cannot tell) is refused with
    ValueError, and the careful parse checks it and names the fault."""
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):  # (most files have no escape at all)
        raise ValueError("a lone surrogate")
    return _DECODER.decode(text)


try:  # the same data in about half the time (README, "Dependencies"); the standard parser without it
    from msgspec.json import Decoder as _MsgspecDecoder
except ImportError:
    QUICK_PARSE = standard_quick_parse
else:
    # It refuses some text the standard parser takes (NaN, Infinity, 1e400, lone surrogates), all
    # of which the design reader refuses too: a refusal sends the text to the careful parse, which
    # names the fault as ever. Where both take the text, they give equal data: ints of any size
    # stay ints, floats round alike (tests/test_read_quickly.py).
    QUICK_PARSE = _MsgspecDecoder().decode


def _object(pairs):
    out = dict(pairs)  # in C; only when keys were lost is there a duplicate to name
    if len(out) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _JSONValueError(f'the key "{key}" appears twice in one object; which one is meant?')
            seen.add(key)
    return out


def _decode(raw: bytes, source: str) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        fail(source, "", "UTF-16 text (it starts with a UTF-16 byte-order mark); "
                          "a design is a UTF-8 JSON file: save it as UTF-8")
    if b"\x00" in raw[:4096]:
        fail(source, "", "a binary file, not a JSON design")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        fail(source, "", f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                          "a design is a JSON text file")


def load(path) -> Design:
    """Read a design file; ``FormatError`` says which file and what is wrong with it."""
    shown = os.fspath(path)
    if isinstance(shown, str) and "\0" in shown:
        raise FormatError(f"cannot open {shown!r}: a file name cannot contain a NUL character")
    try:
        with open(shown, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            # Bounded: /dev/zero or a multi-gigabyte file must not eat the machine's memory.
            raw = b"" if size > MAX_BYTES else f.read(MAX_BYTES + 1)
    except OSError as err:
        reason = (err.strerror or str(err)).lower()
        raise FormatError(f"cannot open {shown}: {reason}") from None
    if size > MAX_BYTES or len(raw) > MAX_BYTES:
        what = f"{size:,} bytes; " if size > MAX_BYTES else ""  # a device or a pipe has no size
        fail(shown, "", f"too large for a design file ({what}the limit is {MAX_BYTES // 2**20} MiB)")
    return loads(_decode(raw, shown), shown)


MAX_BYTES = 16 * 2**20  # a 1,000-layer design is about 150 KB; 100,000 layers fit. Parsing a
# 16 MiB file of tiny JSON objects already takes ~850 MB of memory, so the cap stays modest.


# writing ---------------------------------------------------------------------------------------
def _num(x: float):
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def to_dict(design: Design, node_ids=None) -> dict:
    """The design as format-v1 data. With ``node_ids``: only those nodes and the edges among them
    (the GUI's clipboard; paste it back with ``add_fragment``)."""
    return snapshot(design, node_ids)()


def snapshot(design: Design, node_ids=None) -> Callable[[], dict]:
    """``to_dict`` in two halves: this call takes what the data needs from the design now (a
    reference to each node's fields, which edits replace and never change in place: a few ms
    for 20,000 layers), and the function it returns builds the data from that, anywhere (the
    autosave builds and writes it on a worker thread while the window goes on)."""
    chosen = None if node_ids is None else set(node_ids)
    # a copied call shares weights only with a copied layer
    nodes = [(n.id, n.type, n.name, n.group, n.attrs, n.pos, n.extra, n.trainable,
              n.weights_of if n.weights_of is not None and (chosen is None or n.weights_of in chosen) else None)
             for n in design.nodes() if chosen is None or n.id in chosen]
    edges = [(e.source, e.target, e.port, bool(e.port) or design.node(e.target).layer.variadic)
             for e in design.edges() if chosen is None or (e.source in chosen and e.target in chosen)]
    name, extra = design.name, dict(design.extra)
    view = None if chosen is not None else _view(design)  # a clipboard fragment has no view
    return lambda: _build_dict(name, extra, nodes, edges, view)


def _view(design: Design) -> dict | None:
    """The file's ``view``: the collapsed groups that exist (sorted, so saves are stable)."""
    collapsed = sorted(effective(design))
    if not collapsed and not design.view_extra:
        return None
    return {"collapsed": collapsed, **copy_json(design.view_extra)} if collapsed else copy_json(design.view_extra)


def _build_dict(name: str, extra: dict, nodes: list, edges: list, view: dict | None = None) -> dict:
    node_items = []
    for node_id, type_name, label, group, attrs, pos, node_extra, trainable, weights_of in nodes:
        item = {"id": node_id, "type": type_name}
        if label:
            item["name"] = label
        if group:
            item["group"] = group
        item["attrs"] = copy_json(attrs)
        if not trainable:
            item["trainable"] = False
        if weights_of is not None:
            item["weights_of"] = weights_of
        if pos is not None:
            item["pos"] = [_num(pos[0]), _num(pos[1])]
        for key, value in node_extra.items():
            item.setdefault(key, copy_json(value))
        node_items.append(item)
    edge_items = [{"source": s, "target": t, "port": p} if with_port else {"source": s, "target": t}
                  for s, t, p, with_port in edges]
    out = {"format": FORMAT, "version": VERSION, "name": name, "nodes": node_items, "edges": edge_items}
    if view is not None:
        out["view"] = view
    for key, value in extra.items():
        out.setdefault(key, copy_json(value))
    return out


_WIDTH = 160  # one node or edge per line when it fits: readable, and diffs show one line per change


def _fmt(v, indent: int, col: int) -> str:
    """Pretty JSON that keeps short values on one line: one node or edge per line when it fits."""
    flat = json.dumps(v, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
    if not isinstance(v, (dict, list)) or not v or col + len(flat) <= _WIDTH:
        return flat
    pad = " " * (indent + 2)
    if isinstance(v, list):
        body = [pad + _fmt(x, indent + 2, indent + 2) for x in v]
        return "[\n" + ",\n".join(body) + "\n" + " " * indent + "]"
    body = []
    for key, x in v.items():
        k = json.dumps(key, ensure_ascii=False)
        body.append(f"{pad}{k}: " + _fmt(x, indent + 2, indent + 4 + len(k)))
    return "{\n" + ",\n".join(body) + "\n" + " " * indent + "}"


def dumps(design: Design) -> str:
    """The file text: the top level and the node and edge lists expanded, short values inline."""
    data = to_dict(design)
    try:
        lines = []
        for key, value in data.items():
            k = json.dumps(key, ensure_ascii=False)
            if key in ("nodes", "edges") and isinstance(value, list) and value:
                body = ",\n".join("    " + _fmt(x, 4, 4) for x in value)
                lines.append(f"  {k}: [\n{body}\n  ]")
            else:
                lines.append(f"  {k}: " + _fmt(value, 2, 4 + len(k)))
    except (TypeError, ValueError, RecursionError) as err:
        raise FormatError(f"cannot write the design as JSON: {err}") from None
    return "{\n" + ",\n".join(lines) + "\n}\n"


def save(design: Design, path) -> None:
    """Write the design atomically; on failure the old file is whole and ``SaveError`` says why."""
    write_atomic(path, dumps(design), what="design")


# pasting ---------------------------------------------------------------------------------------
_SUFFIX = re.compile(r"_\d+$")


def add_fragment(design: Design, data: dict, id_map_prefix: str | None = None, offset=(0, 0)) -> list[str]:
    """Insert a fragment (``to_dict`` data) into ``design``; returns the new ids in fragment order.

    Ids that collide with the design's get a fresh ``_N`` suffix; with ``id_map_prefix`` every id
    is prefixed first. Positions move by ``offset``. The fragment is fully checked before the
    design is touched, so a bad fragment raises ``FormatError`` and changes nothing.
    """
    if isinstance(data, dict):
        data = {"format": FORMAT, "version": VERSION, **data}
    fragment = from_dict(data, source="fragment")
    taken = set(design.node_ids())
    mapping: dict[str, str] = {}
    for node in fragment.nodes():
        base = f"{id_map_prefix}{node.id}" if id_map_prefix else node.id
        new, stem, i = base, _SUFFIX.sub("", base) or base, 1
        while new in taken:
            new, i = f"{stem}_{i}", i + 1
        taken.add(new)
        mapping[node.id] = new
    dx, dy = offset
    for node in fragment.nodes():
        pos = None if node.pos is None else (node.pos[0] + dx, node.pos[1] + dy)
        design.add_node(node.type, mapping[node.id], attrs=node.attrs, name=node.name, group=node.group,
                        pos=pos, extra=node.extra, trainable=node.trainable,
                        weights_of=mapping.get(node.weights_of) if node.weights_of else None)
    for e in fragment.edges():
        design.connect(mapping[e.source], mapping[e.target], e.port)
    return [mapping[n.id] for n in fragment.nodes()]
