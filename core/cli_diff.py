"""``archcanvas diff A B [--json | --csv OUT] [--dtype D]``: two designs side by side, B − A."""

from __future__ import annotations

import json
import sys

from .cli_tools import Failed, error, parser, path_arg, read_design, write_utf8


def run(argv: list[str]) -> int:
    from . import diff, report
    from .analysis import analyze
    from .atomic import write_atomic

    p = parser("archcanvas diff", "Compare two designs: totals and every layer (matched by name), "
                                  "with the delta B − A.")
    p.add_argument("a", metavar="A", type=path_arg("stdin"), help="the first design (the baseline)")
    p.add_argument("b", metavar="B", type=path_arg("stdin"), help="the second design")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("--csv", metavar="OUT.csv", type=path_arg("stdout"),
                   help="write one row per layer, then TOTAL, to OUT.csv ('-' prints it)")
    p.add_argument("--dtype", choices=tuple(report.DTYPE_BYTES), default="float32",
                   help="element type for activation and weight bytes (default: float32)")
    args = p.parse_args(argv)
    if args.a == "-" and args.b == "-":
        p.error("only one of A and B can be read from stdin")
    if args.json and args.csv == "-":
        p.error("--csv - and --json both print to stdout; give --csv a file name")
    sides = []
    for path in (args.a, args.b):
        design = read_design(path)
        analysis = analyze(design)
        if not analysis.ok:
            for line in report.problem_lines(design, analysis):
                error(f"{path}: {line}")
            raise Failed
        sides.append((design, analysis))
    result = diff.diff(*sides[0], *sides[1], dtype=args.dtype)
    if args.csv and args.csv != "-":
        write_atomic(args.csv, diff.to_csv(result), what="CSV comparison")
    if args.csv == "-":
        write_utf8(diff.to_csv(result))
    elif args.json:
        write_utf8(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    elif not args.csv:
        sys.stdout.write(diff.to_text(result))
    return 0
