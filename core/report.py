"""The cost report: one row per layer in topological order, then totals; as CSV, JSON and text.

The columns are declared once in ``COLUMNS`` (as torchinfo declares its columns), so the GUI's
table, the CSV and the JSON show the same figures under the same names. ``to_csv`` holds every
CSV formatting rule: the GUI's "Export CSV" and ``archcanvas report --csv`` are the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from unicodedata import combining, east_asian_width

from .analysis import Analysis
from .design import Design
from .quote import printable
from .shapes import fmt_shape
from .units import human, human_bytes

DTYPE_BYTES = {"float32": 4, "float16": 2, "int8": 1}


@dataclass(frozen=True)
class Column:
    key: str  # the Row field, the CSV header and the JSON key
    title: str  # for a table heading
    kind: str  # "text", "shape", "int" or "pct"
    doc: str


# The contract's columns first, in the contract's order; extras after, so positions never move.
COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", "text", "the layer's name (its id when it has none)"),
    Column("type", "Type", "text", "the Keras layer type"),
    Column("group", "Group", "text", "the block the layer belongs to, e.g. inception_3a"),
    Column("output_shape", "Output shape", "shape", "output tensor without the batch axis, e.g. 28x28x256"),
    Column("params", "Params", "int", "parameters, as Keras's count_params()"),
    Column("trainable_params", "Trainable", "int", "parameters updated by training"),
    Column("macs", "MACs", "int", "multiply-accumulates (the papers' mult-adds)"),
    Column("flops", "FLOPs", "int", "2 × MACs plus elementwise work (bias, activation, norm, pooling…)"),
    Column("activations", "Activations", "int", "elements of the output tensor"),
    Column("id", "Id", "text", "the node's id in the design file"),
    Column("non_trainable_params", "Non-trainable", "int", "parameters not trained (batch-norm statistics)"),
    Column("activation_bytes", "Activation bytes", "int", "activations × bytes per element of the dtype"),
    Column("weight_bytes", "Weight bytes", "int", "params × bytes per element of the dtype"),
    Column("pct_params", "% params", "pct", "share of the design's params, in percent"),
    Column("pct_macs", "% MACs", "pct", "share of the design's MACs, in percent"),
    Column("error", "Error", "text", "why the layer could not be computed (empty when it could)"),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


@dataclass(frozen=True)
class Row:
    name: str
    type: str
    group: str
    output_shape: tuple[int, ...] | None
    params: int
    trainable_params: int
    macs: int
    flops: int
    activations: int
    id: str
    non_trainable_params: int
    activation_bytes: int
    weight_bytes: int
    pct_params: float
    pct_macs: float
    error: str = ""


def _bytes_per(dtype: str) -> int:
    try:
        return DTYPE_BYTES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r} (known: {', '.join(DTYPE_BYTES)})") from None


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def rows(design: Design, analysis: Analysis, dtype: str = "float32") -> list[Row]:
    """Every node, ``Input`` included, in topological order."""
    size = _bytes_per(dtype)
    total = analysis.totals
    out = []
    for node_id in analysis.order:
        if node_id not in design:
            continue
        node, r = design.node(node_id), analysis.results[node_id]
        out.append(Row(
            name=node.label, type=node.type, group=node.group or "", output_shape=r.shape,
            params=r.params, trainable_params=r.trainable, macs=r.macs, flops=r.flops,
            activations=r.activations, id=node.id, non_trainable_params=r.non_trainable,
            activation_bytes=r.activations * size, weight_bytes=r.params * size,
            pct_params=_pct(r.params, total.params), pct_macs=_pct(r.macs, total.macs),
            error=r.message,
        ))
    return out


def totals(analysis: Analysis, dtype: str = "float32") -> dict:
    """The design's totals, with bytes for ``dtype``."""
    size = _bytes_per(dtype)
    t = analysis.totals.as_dict()
    return {**t, "activation_bytes": t["activations"] * size, "weight_bytes": t["params"] * size}


def _group_totals(analysis: Analysis, dtype: str) -> dict:
    size = _bytes_per(dtype)
    out = {}
    for group, t in analysis.by_group.items():
        d = t.as_dict()
        out[group] = {**d, "activation_bytes": d["activations"] * size, "weight_bytes": d["params"] * size}
    return out


def json_for_terminal(text: str) -> str:
    """JSON text with every character a terminal would act on or hide written as a ``\\u`` escape:
    the same JSON value, safe to show (JSON's own escapes cover only U+0000 to U+001F)."""
    if text.isprintable() or all(c.isprintable() or c == "\n" for c in text):
        return text
    return "".join(c if c.isprintable() or c == "\n" else _u_escape(c) for c in text)


def _u_escape(c: str) -> str:
    n = ord(c)
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


def printable_lines(text: str) -> str:
    """``printable`` for each line of ``text``, keeping its line breaks (CSV shown on a terminal)."""
    return "".join(printable(line[:-1]) + "\n" if line.endswith("\n") else printable(line)
                   for line in text.splitlines(keepends=True))


# CSV -------------------------------------------------------------------------------------------
# A spreadsheet reads a cell that starts with one of these as a formula (``=cmd|' /C calc'!A0``
# as a layer name would run a program when the report is opened): OWASP's "CSV injection" advice
# is to put a ``'`` in front, which spreadsheets show as text and do not display.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(column: Column, value, exact: bool = False) -> str:
    """One value as the CSV writes it: plain integers, shapes as 28x28x256, percents with 2 decimals;
    text that a spreadsheet would take for a formula gets a leading ``'`` unless ``exact``."""
    if column.kind == "shape":
        return "" if value is None else "x".join(str(d) for d in value)
    if column.kind == "pct":
        return f"{value:.2f}"
    text = str(value)
    if column.kind == "text" and not exact and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _ambiguous_labels(design: Design) -> dict[str, int]:
    """How many nodes each text could name, as an id or as a label (a node whose label is its id
    counts once): built once, so naming every node costs one pass over the design, not one each."""
    counts: dict[str, int] = {}
    for n in design.nodes():
        counts[n.id] = counts.get(n.id, 0) + 1
        if n.name and n.name != n.id:
            counts[n.name] = counts.get(n.name, 0) + 1
    return counts


def node_ref(design: Design, node_id: str, _counts: dict[str, int] | None = None) -> str:
    """The node as an error line names it: its name, plus its id when the name alone could
    mean another node (two layers called "conv", or a name that is another node's id)."""
    label = design.node(node_id).label
    counts = _ambiguous_labels(design) if _counts is None else _counts
    if counts.get(label, 0) > 1:
        return f"{label} (id {node_id})"
    return label


def problem_lines(design: Design, analysis: Analysis) -> list[str]:
    """Why no report can be made: one line per layer with an error of its own (or, failing
    those, per layer not computed), as ``archcanvas report`` prints them after ``error: ``."""
    counts = _ambiguous_labels(design)
    return [f"{node_ref(design, r.id, counts)}: {r.message}" for r in analysis.problems or analysis.blocked]


def to_csv(design: Design, analysis: Analysis, dtype: str = "float32", exact_names: bool = False) -> str:
    """Header, one row per layer in topological order, then a ``TOTAL`` row; ``\\n`` line ends.
    Text cells that start like a formula are neutralized (``csv_cell``) unless ``exact_names``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    # The csv module quotes a field with "\n" (the line end) but not one with a bare "\r", which
    # every reader takes for a line break; a row holding one is written with every field quoted.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMN_KEYS)
    for row in rows(design, analysis, dtype):
        cells = [csv_cell(c, getattr(row, c.key), exact_names) for c in COLUMNS]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    t = totals(analysis, dtype)
    total_row = {"name": "TOTAL", "type": "", "group": "", "output_shape": None, "id": "", "error": "",
                 "pct_params": 100.0 if t["params"] else 0.0, "pct_macs": 100.0 if t["macs"] else 0.0, **t}
    writer.writerow([csv_cell(c, total_row[c.key]) for c in COLUMNS])
    return buf.getvalue()


# JSON ------------------------------------------------------------------------------------------
def to_json(design: Design, analysis: Analysis, dtype: str = "float32", *, fuse: bool = True,
            depthwise_in_place: bool = False, device=None) -> dict:
    """``{"layers": [...], "totals": {...}}`` of the contract, plus the design's name, the dtype
    and sums per group and per layer type. ``output_shape`` is a list (``null`` if not computed).
    Peak memory, receptive fields and (with a ``device``) latency: ``core.estimates.annotate``."""
    layers = []
    for row in rows(design, analysis, dtype):
        item = asdict(row)
        item["output_shape"] = None if row.output_shape is None else list(row.output_shape)
        item["group"] = row.group or None
        item["pct_params"] = round(row.pct_params, 4)
        item["pct_macs"] = round(row.pct_macs, 4)
        if not row.error:
            del item["error"]
        layers.append(item)
    data = {
        "design": design.name,
        "dtype": dtype,
        "layers": layers,
        "totals": totals(analysis, dtype),
        "by_group": _group_totals(analysis, dtype),
        "by_type": {k: t.as_dict() for k, t in analysis.by_type.items()},
    }
    from .estimates import annotate, memory  # they read this module's dtypes
    annotate(data, design, analysis, memory.Options(dtype, fuse, depthwise_in_place), device)
    return data


# text ------------------------------------------------------------------------------------------
def _int(n: int) -> str:
    return f"{n:,}"


def _columns(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two, combining marks none (a Korean
    layer name must not push the columns after it out of line)."""
    if text.isascii():
        return len(text)
    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def _table(headings: list[str], body: list[list[str]], right: set[int]) -> tuple[list[str], int]:
    body = [[printable(c) for c in row] for row in body]
    widths = [max(_columns(h), *(_columns(r[i]) for r in body)) if body else _columns(h)
              for i, h in enumerate(headings)]

    def line(cells):
        pads = [" " * (w - _columns(c)) for c, w in zip(cells, widths)]
        return " " + "  ".join(p + c if i in right else c + p
                               for i, (c, p) in enumerate(zip(cells, pads))).rstrip()

    return [line(headings), *(line(r) for r in body)], sum(widths) + 2 * len(widths)


def to_text(design: Design, analysis: Analysis, dtype: str = "float32") -> str:
    """An aligned table for the terminal in the spirit of Keras's ``model.summary()``."""
    size = _bytes_per(dtype)
    all_rows = rows(design, analysis, dtype)
    has_groups = any(r.group for r in all_rows)
    headings = ["Layer (type)", "Output shape", "Params", "MACs", "FLOPs"] + (["Group"] if has_groups else []) \
        + ["Connected to"]
    body, notes = [], {}
    for r in all_rows:
        # One input per line, as Keras lists "Connected to": a merge of long names stays narrow.
        inputs = [design.node(s).label for s in design.input_ids(r.id)] or ["-"]
        shape = fmt_shape(r.output_shape) if r.output_shape is not None else ("error" if r.error else "-")
        cells = [f"{r.name} ({r.type})", shape, _int(r.params), _int(r.macs), _int(r.flops)]
        body.append(cells + ([r.group or "-"] if has_groups else []) + [inputs[0]])
        blank = [""] * (len(headings) - 1)
        body.extend(blank + [name] for name in inputs[1:])
        if r.error:
            notes[len(body) - 1] = r.error
    lines_, width = _table(headings, body, right={2, 3, 4})
    rule, heavy = "─" * width, "═" * width
    out = [f'Design: "{printable(design.name)}"', rule, lines_[0], heavy]
    for i, text in enumerate(lines_[1:]):
        out.append(text)
        if i in notes:
            out.append(f"   ! {printable(notes[i])}")
    t = analysis.totals
    out += [
        heavy,
        f" Total params: {_int(t.params)} ({human_bytes(t.params * size)})",
        f" Trainable params: {_int(t.trainable_params)} ({human_bytes(t.trainable_params * size)})",
        f" Non-trainable params: {_int(t.non_trainable_params)} ({human_bytes(t.non_trainable_params * size)})",
        f" MACs: {_int(t.macs)} ({human(t.macs)})",
        f" FLOPs: {_int(t.flops)} ({human(t.flops)})",
        f" Activations: {_int(t.activations)} elements ({human_bytes(t.activations * size)} as {dtype})",
        rule,
    ]
    if analysis.by_group:
        groups = [[g, str(gt.layers), _int(gt.params), _int(gt.macs), _int(gt.flops),
                   f"{_pct(gt.params, t.params):.1f}%", f"{_pct(gt.macs, t.macs):.1f}%"]
                  for g, gt in analysis.by_group.items()]
        glines, _ = _table(["Group", "Layers", "Params", "MACs", "FLOPs", "% params", "% MACs"], groups,
                           right={1, 2, 3, 4, 5, 6})
        out += [" Per group:", *glines, rule]
    failed, blocked = len(analysis.problems), len(analysis.blocked)
    if failed or blocked:
        also = f", {blocked} more depend on them" if blocked else ""
        out.append(f" {failed} layer(s) could not be computed{also}; their cost is not in the totals.")
    return "\n".join(out) + "\n"
