"""``archcanvas export DESIGN --format F -o OUT``: code (pytorch, keras), a figure (svg, pdf, png)
or the graph (dot, graphml). A design with errors is refused with the lines ``report`` prints;
a layer a format cannot express is refused by name. Nothing is written unless all of it can be.
"""

from __future__ import annotations

import os
import sys

from .cli_tools import Failed, error, parser, path_arg, read_design, write_utf8


def run(argv: list[str]) -> int:
    from .export import FORMATS, TEXT_FORMATS, ExportError, export

    p = parser("archcanvas export",
               "Write a design as runnable PyTorch or Keras code (build_model()), a figure, or a graph file.")
    p.add_argument("design", metavar="DESIGN", type=path_arg("stdin"), help="design file ('-' reads stdin)")
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="what to write")
    p.add_argument("-o", "--output", metavar="OUT", type=path_arg("stdout"), required=True,
                   help="file to write ('-' prints it; not for png or pdf)")
    args = p.parse_args(argv)
    if args.output == "-" and args.format not in TEXT_FORMATS:
        p.error(f"--format {args.format} is binary; give -o a file name")
    if args.design != "-" and args.output != "-" and os.path.realpath(args.output) == os.path.realpath(args.design):
        p.error(f"-o {args.output} would overwrite the design itself")
    design = read_design(args.design)
    try:
        data = export(design, args.format)
    except ExportError as err:
        for line in err.lines:
            error(line)
        raise Failed from None
    if args.output == "-":
        write_utf8(data)
        sys.stdout.flush()
        return 0
    from .atomic import write_atomic

    write_atomic(args.output, data.encode("utf-8") if isinstance(data, str) else data, what=args.format)
    print(f"wrote {args.output}")
    return 0
