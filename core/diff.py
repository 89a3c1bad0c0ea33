"""Two designs side by side: totals, blocks and layers of A and B, and B − A.

Layers are matched by name (the report's ``name``: a node's name, or its id when it has none); a
name that occurs more than once on a side is matched occurrence by occurrence. A layer only one
side has gets ``None`` on the other side and counts as zero in the delta, so the layers' deltas
always add up to the totals' delta. Figures are the report's numbers (``core.report.to_json``),
so every figure the report gains (peak memory, say) is compared too.
"""

from __future__ import annotations

from collections import Counter

from . import report
from .analysis import Analysis
from .design import Design

LAYER_FIGURES = ("params", "trainable_params", "non_trainable_params", "macs", "flops", "activations",
                 "activation_bytes", "weight_bytes")


def _numbers(d: dict | None, keys) -> dict | None:
    return None if d is None else {k: d[k] for k in keys}


def _delta(a: dict | None, b: dict | None, keys) -> dict:
    return {k: (0 if b is None else b[k]) - (0 if a is None else a[k]) for k in keys}


def _keyed(layers: list[dict]) -> dict[tuple[str, int], dict]:
    seen: Counter = Counter()
    out = {}
    for layer in layers:
        out[(layer["name"], seen[layer["name"]])] = layer
        seen[layer["name"]] += 1
    return out


def _side(entries: list[dict], keys) -> list[dict]:
    """Match ``{"name", "a", "b"}`` entries and add their delta."""
    return [{**e, "a": _numbers(e["a"], keys), "b": _numbers(e["b"], keys),
             "delta": _delta(e["a"], e["b"], keys)} for e in entries]


def _matched_layers(ra: dict, rb: dict) -> list[dict]:
    a, b = _keyed(ra["layers"]), _keyed(rb["layers"])
    order = list(a) + [k for k in b if k not in a]  # A's order, then what only B has, in B's order
    return [{"name": k[0], "type": (a.get(k) or b.get(k))["type"], "a": a.get(k), "b": b.get(k)} for k in order]


def _total_keys(ta: dict, tb: dict) -> tuple[str, ...]:
    return tuple(k for k, v in ta.items()
                 if k in tb and isinstance(v, int) and not isinstance(v, bool) and isinstance(tb[k], int))


def diff(a: Design, analysis_a: Analysis, b: Design, analysis_b: Analysis, dtype: str = "float32") -> dict:
    """``{"totals": {"a", "b", "delta"}, "groups": [...], "layers": [{"name", "a", "b", "delta"}]}``."""
    ra, rb = report.to_json(a, analysis_a, dtype), report.to_json(b, analysis_b, dtype)
    keys = _total_keys(ra["totals"], rb["totals"])
    groups = [{"name": g, "a": ra["by_group"].get(g), "b": rb["by_group"].get(g)}
              for g in list(ra["by_group"]) + [g for g in rb["by_group"] if g not in ra["by_group"]]]
    layer_keys = tuple(k for k in LAYER_FIGURES if k in keys) or LAYER_FIGURES
    return {
        "a": a.name, "b": b.name, "dtype": dtype,
        "totals": {"a": _numbers(ra["totals"], keys), "b": _numbers(rb["totals"], keys),
                   "delta": _delta(ra["totals"], rb["totals"], keys)},
        "groups": _side(groups, layer_keys),
        "layers": _side(_matched_layers(ra, rb), layer_keys),
    }


def to_csv(result: dict) -> str:
    """One row per matched layer, then ``TOTAL``: ``name,type,in,<figure>_a,<figure>_b,<figure>_delta…``;
    ``in`` is ``both``, ``a`` or ``b``; a side without the layer has empty cells."""
    import csv
    import io

    keys = tuple(result["layers"][0]["delta"]) if result["layers"] else LAYER_FIGURES
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "type", "in"] + [f"{k}_{s}" for k in keys for s in ("a", "b", "delta")])

    def cells(entry):
        out = []
        for k in keys:
            out += ["" if entry["a"] is None else entry["a"][k], "" if entry["b"] is None else entry["b"][k],
                    entry["delta"][k]]
        return out

    for e in result["layers"]:
        side = "both" if e["a"] is not None and e["b"] is not None else ("a" if e["b"] is None else "b")
        w.writerow([e["name"], e["type"], side] + cells(e))
    t = result["totals"]
    w.writerow(["TOTAL", "", ""] + cells({"a": t["a"], "b": t["b"], "delta": t["delta"]}))
    return buf.getvalue()


def to_text(result: dict) -> str:
    """A short table: totals, then the layers whose figures changed, largest MAC change first."""
    t = result["totals"]
    lines = [f"A: {result['a']}", f"B: {result['b']}", ""]
    width = max(len(k) for k in t["delta"]) if t["delta"] else 0
    for k, d in t["delta"].items():
        lines.append(f"{k.ljust(width)}  {t['a'][k]:>16,}  {t['b'][k]:>16,}  {d:>+16,}")
    changed = [e for e in result["layers"] if any(e["delta"].values()) or e["a"] is None or e["b"] is None]
    changed.sort(key=lambda e: -abs(e["delta"].get("macs", 0)))
    lines += ["", f"{len(changed)} of {len(result['layers'])} layers differ (params, MACs as B − A):"]
    for e in changed:
        mark = "only in A" if e["b"] is None else "only in B" if e["a"] is None else ""
        lines.append(f"  {report.printable(e['name'])}  {e['delta']['params']:+,} params  "
                     f"{e['delta']['macs']:+,} MACs  {mark}".rstrip())
    return "\n".join(lines) + "\n"
