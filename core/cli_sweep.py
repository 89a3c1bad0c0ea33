"""``archcanvas sweep TEMPLATE|DESIGN --alpha A,… --resolution R,… [--phi X,…] [--csv OUT] [--json]``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys

from .cli_tools import Failed, error, parser, path_arg, read_design, write_utf8

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")  # plain ASCII decimals: no 1_0, no ١٠٠, no inf


def _list(kind, lo, hi):
    word = "integers" if kind is int else "numbers"

    def parse(text: str):
        parts = [t.strip() for t in text.split(",")]
        if not text.strip() or any(not _DECIMAL.fullmatch(t) or (kind is int and "." in t) for t in parts):
            raise argparse.ArgumentTypeError(f"must be plain decimal {word} separated by commas, got {text!r}")
        values = [kind(t) for t in parts]
        bad = [t for t, x in zip(parts, values) if not lo <= x <= hi]
        if bad:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}, got {bad[0]}")
        return values
    return parse


def _columns(rows: list[dict], swept: list[str]) -> list[str]:
    return swept + ["params", "trainable_params", "non_trainable_params", "macs", "flops", "activations"]


def to_csv(rows: list[dict], swept: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = _columns(rows, swept)
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r[c] is None else r[c] for c in cols])
    return buf.getvalue()


def to_text(rows: list[dict], swept: list[str]) -> str:
    cols = _columns(rows, swept)
    cells = [[f"{r[c]:,}" if isinstance(r[c], int) and c not in swept else str(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(x[i]) for x in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(cols, widths))]
    lines += ["  ".join(x.rjust(w) for x, w in zip(row, widths)) for row in cells]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> int:
    from . import sweep
    from .atomic import write_atomic
    from .templates import TEMPLATES

    p = parser("archcanvas sweep", "Cost of every variant of a template or a design over width α, input "
               "resolution ρ and (EfficientNet) compound coefficient φ: one row per combination.")
    p.add_argument("source", metavar="TEMPLATE|DESIGN", help="a template name ('archcanvas templates') or a design file")
    p.add_argument("--alpha", type=_list(float, 0.01, 10.0), metavar="A,…", help="width multipliers, e.g. 0.25,0.5,0.75,1.0")
    p.add_argument("--resolution", type=_list(int, 1, 4096), metavar="R,…", help="input sizes, e.g. 128,160,192,224")
    p.add_argument("--phi", type=_list(float, 0.0, 10.0), metavar="X,…", help="EfficientNet compound coefficients")
    p.add_argument("--csv", metavar="OUT.csv", type=path_arg("stdout"), help="write the rows as CSV ('-' prints them)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="processes to use (default: every core)")
    args = p.parse_args(argv)
    if not (args.alpha or args.resolution or args.phi):
        p.error("give at least one of --alpha, --resolution, --phi")
    if args.json and args.csv == "-":
        p.error("--csv - and --json both print to stdout; give --csv a file name")
    if args.source in TEMPLATES:
        source = sweep.Source(template=args.source)
    elif os.path.exists(args.source) or args.source == "-":
        source = sweep.from_design(read_design(args.source))
    else:
        p.error(f"{args.source!r} is neither a template ({', '.join(TEMPLATES)}) nor a file")
    swept = [k for k in ("alpha", "resolution", "phi") if getattr(args, k)]
    vs = sweep.variants(args.alpha, args.resolution, args.phi)
    tty = sys.stderr.isatty()

    def progress(done, total):
        if tty and total >= 8:
            print(f"\rsweep: {done}/{total} variants", end="" if done < total else "\n", file=sys.stderr, flush=True)

    rows = sweep.sweep(source, vs, workers=args.jobs or None, progress=progress)
    failed = [r for r in rows if "error" in r]
    for r in failed:
        where = ", ".join(f"{k} {r[k]}" for k in swept)
        error(f"{where}: {r['error']}")
    if failed:
        error(f"{len(failed)} of {len(rows)} variants cannot be computed; nothing was written")
        raise Failed
    if args.csv and args.csv != "-":
        write_atomic(args.csv, to_csv(rows, swept), what="CSV sweep")
    if args.csv == "-":
        write_utf8(to_csv(rows, swept))
    elif args.json:
        write_utf8(json.dumps([{k: r[k] for k in _columns(rows, swept) + ["layers", "by_group"]} for r in rows],
                              indent=2, ensure_ascii=False) + "\n")
    elif not args.csv:
        sys.stdout.write(to_text(rows, swept))
    return 0
