"""The ``archcanvas`` command line: ``report``, ``templates``, ``new``, and opening the app.

``archcanvas [DESIGN.json]`` and ``archcanvas report DESIGN.json`` share one optional positional
slot, which argparse's subparsers cannot express; so ``main`` dispatches on the first word: a known
command goes to that command's parser, anything else to the ``open_app`` hook, which parses the
app's own options (``--screenshot``, ``--size``: ``gui.launcher``; core knows none of them). Core
never imports gui or Qt, so the headless commands run where no Qt library can load.

Exit codes: 0 ok; 1 a bad design or file (one ``error: …`` line per problem on stderr); 2 bad usage.
No traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import math
import os
import re
import sys
import textwrap

from .cli_tools import Failed, error as _err, parser as _parser, path_arg as _path, read_design, write_design
from .cli_tools import write_utf8 as _write_utf8
from .errors import ArchCanvasError

# Each command: its help line and the function that runs it ("module:function", imported only
# when the command is used, so one command's imports never slow another down).
COMMANDS = {
    "report": ("print the cost report of a design (table, CSV or JSON)", "archcanvas.core.cli:_report"),
    "templates": ("list the templates and their parameters", "archcanvas.core.cli:_templates_cmd"),
    "new": ("write a template as a design file", "archcanvas.core.cli:_new"),
    "diff": ("compare two designs layer by layer (B − A)", "archcanvas.core.cli_diff:run"),
    "sweep": ("cost of a template or design over width, resolution (and φ)", "archcanvas.core.cli_sweep:run"),
    "devices": ("list the built-in device profiles for report --device", "archcanvas.core.cli_devices:run"),
    "calibrate": ("measure this machine's FLOP/s and bandwidth as a device profile", "archcanvas.core.cli_calibrate:run"),
    "export": ("write a design as PyTorch or Keras code, a figure, or a graph file", "archcanvas.core.cli_export:run"),
    "import": ("convert a Keras or ONNX model file into a design", "archcanvas.core.cli_import:run"),
}
def main(argv=None, open_app=None) -> int:
    """Run the command line. ``open_app(argv) -> exit code`` opens the desktop app with the words
    that name no command (a design file and the app's own options, which only the app knows);
    the installed ``archcanvas`` (``gui.launcher``) passes it, since core never imports gui."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # a layer name must not crash a non-UTF-8 terminal
        except (AttributeError, ValueError):
            pass
    try:
        if argv and argv[0] in COMMANDS:
            return _command(argv[0])(argv[1:])
        return _open(argv, open_app)
    except SystemExit as stop:  # argparse: --help (0) and usage errors (2)
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    except Failed:
        return 1
    except ArchCanvasError as err:
        _err(err)
        return 1
    except OSError as err:
        if isinstance(err, BrokenPipeError):  # `archcanvas report x.json | head`
            _silence_stdout()
            return 1
        where = f"{err.filename}: " if err.filename else ""
        _err(where + (err.strerror or str(err)).lower())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug must still end in one line, not a traceback
        _err(f"internal error: {type(err).__name__}: {err}")
        return 1


def _command(name: str):
    module, _, function = COMMANDS[name][1].partition(":")
    return getattr(importlib.import_module(module), function)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# opening the app -------------------------------------------------------------------------------
def commands_help() -> str:
    """The commands as the top-level ``--help`` lists them (the app's parser shows this)."""
    return "\n".join(f"  {name:<10} {doc}" for name, (doc, _) in COMMANDS.items())


def version() -> str:
    try:
        from importlib.metadata import version as _dist_version
        return _dist_version("archcanvas")
    except Exception:
        return "unknown"


def _open(argv: list[str], open_app) -> int:
    first = argv[0] if argv else ""
    if first and not first.startswith("-") and not os.path.exists(first) and not first.endswith(".json"):
        hint = difflib.get_close_matches(first, COMMANDS, n=1)
        _parser("archcanvas", "", usage="archcanvas [DESIGN.json] [APP OPTIONS]\n"
                "       archcanvas {" + ",".join(COMMANDS) + "} ...").error(
            f"unknown command {first!r}" + (f" (did you mean {hint[0]!r}?)" if hint else
                                            f"; commands are {', '.join(COMMANDS)}"))
    if open_app is None:
        if first in ("-h", "--help"):
            print(f"usage: archcanvas {{{','.join(COMMANDS)}}} ...\n\ncommands:\n{commands_help()}")
            return 0
        _err("this command line has no desktop app; use 'archcanvas report DESIGN.json'")
        return 1
    try:
        return int(open_app(argv) or 0)
    except ImportError as err:  # Qt missing or broken in this environment
        _err(f"the desktop app cannot start: {err}")
        return 1


# report ----------------------------------------------------------------------------------------
def _report(argv: list[str]) -> int:
    from . import report
    from .analysis import analyze
    from .atomic import write_atomic

    p = _parser("archcanvas report",
                "Print the cost report of a design: one row per layer in topological order, then totals.")
    p.add_argument("design", metavar="DESIGN.json", type=_path("stdin"),
                   help="design file ('-' reads it from stdin)")
    p.add_argument("--csv", metavar="OUT.csv", type=_path("stdout"),
                   help="also write the report as CSV to OUT.csv ('-': print the CSV instead of the table)")
    p.add_argument("--csv-exact-names", action="store_true",
                   help="write names in the CSV exactly, even those a spreadsheet would take for a formula "
                        "(by default a name starting with = + - @ gets a leading ')")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of the table")
    p.add_argument("--dtype", choices=tuple(report.DTYPE_BYTES), default="float32",
                   help="element type for activation and weight bytes (default: float32)")
    from .cli_estimates import add_options, device_of, estimate_kw
    add_options(p)
    args = p.parse_args(argv)
    if args.csv == "-" and args.json:
        p.error("--csv - and --json both print to stdout; give --csv a file name")
    if args.design != "-" and args.csv and args.csv != "-" \
            and os.path.realpath(args.csv) == os.path.realpath(args.design):
        p.error(f"--csv {args.csv} would overwrite the design itself")
    device = device_of(args)
    design = read_design(args.design)
    analysis = analyze(design)
    if not analysis.ok:
        _err_lines(report.problem_lines(design, analysis))
        raise Failed
    exact = args.csv_exact_names
    if args.csv and args.csv != "-":
        write_atomic(args.csv, report.to_csv(design, analysis, args.dtype, exact), what="CSV report")
    # A file or a pipe gets the exact bytes; a terminal never gets escape sequences or bidi overrides.
    tty = _is_terminal(sys.stdout)
    if args.csv == "-":
        text = report.to_csv(design, analysis, args.dtype, exact)
        _write_utf8(report.printable_lines(text) if tty else text)
    elif args.json:
        text = json.dumps(report.to_json(design, analysis, args.dtype, **estimate_kw(args, device)),
                          indent=2, ensure_ascii=False) + "\n"
        _write_utf8(report.json_for_terminal(text) if tty else text)
    else:
        from .estimates import text
        # the estimates name layers too: shown as the table shows names (no escapes, no bidi overrides)
        sys.stdout.write(report.to_text(design, analysis, args.dtype)
                         + report.printable_lines(text(design, analysis, **estimate_kw(args, device, options=True))))
    sys.stdout.flush()
    return 0


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _err_lines(lines: list[str]) -> None:
    """Many ``error:`` lines (one per layer of a 20,000-layer design) written at once."""
    from .report import printable

    sys.stderr.write("".join("error: " + printable(" ".join(line.split())) + "\n" for line in lines))
    sys.stderr.flush()


# templates -------------------------------------------------------------------------------------
def _templates() -> dict:
    """The template registry; a function so tests can put fakes in its place."""
    try:
        from .templates import TEMPLATES
    except ImportError as err:
        raise ArchCanvasError(f"no templates available ({err})") from None
    return TEMPLATES


def _option(param) -> str:
    return "--" + param.name.replace("_", "-")


def _default_text(param) -> str:
    d = param.default
    return ",".join(str(x) for x in d) if isinstance(d, (list, tuple)) else str(d)


def _param_help(param) -> str:
    bits = [f"default {_default_text(param)}"]
    if param.choices:
        bits.append("one of " + ", ".join(str(c) for c in param.choices))
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        bits.append(f"{lo} to {hi}")
    elif lo is not None:
        bits.append(f"at least {lo}")
    elif hi is not None:
        bits.append(f"at most {hi}")
    return f"{param.doc} ({'; '.join(bits)})".replace("%", "%%")


def _metavar(param) -> str:
    return {"int": "INT", "float": "X", "ints": "N,N,…", "choice": "{" + ",".join(map(str, param.choices)) + "}"
            }.get(param.kind, "VALUE")


def _param_type(param):
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)

    def bounded(x, text):
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            rng = f"from {lo} to {hi}" if lo is not None and hi is not None else \
                f"at least {lo}" if lo is not None else f"at most {hi}"
            raise argparse.ArgumentTypeError(f"must be {rng}, got {text}")
        return x

    def number(kind, text):
        from .templates.params import parse_float, parse_int

        try:
            x = (parse_int if kind is int else parse_float)(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be {'an integer' if kind is int else 'a number'} in plain digits 0-9, got {text!r}") from None
        if kind is float and not math.isfinite(x):
            raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
        return bounded(x, text)

    if param.kind == "int":
        return lambda text: number(int, text)
    if param.kind == "float":
        return lambda text: number(float, text)
    if param.kind == "ints":
        def ints(text):
            parts = [t.strip() for t in text.split(",")]
            if not text.strip() or any(not t for t in parts):
                raise argparse.ArgumentTypeError(f"must be integers separated by commas, got {text!r}")
            return tuple(number(int, t) for t in parts)
        return ints
    choice_type = type(param.choices[0]) if param.choices else str
    return lambda text: choice_type(text)


def _first_sentence(doc: str) -> str:
    """The doc's first sentence ("et al." does not end one)."""
    para = " ".join(doc.strip().split("\n\n")[0].split())
    end = re.search(r"(?<! al)\.(\s|$)", para)
    return para[: end.start() + 1] if end else para


def _templates_cmd(argv: list[str]) -> int:
    p = _parser("archcanvas templates",
                "List the templates that 'archcanvas new' writes, with their parameters and defaults.")
    p.parse_args(argv)
    for i, (name, t) in enumerate(_templates().items()):
        if i:
            print()
        print(name)
        line = _first_sentence(t.doc or "")
        if line:
            print(textwrap.fill(line, 100, initial_indent="  ", subsequent_indent="  "))
        width = max((len(_option(q)) + len(_metavar(q)) + 1 for q in t.params), default=0)
        for q in t.params:
            print(f"    {(_option(q) + ' ' + _metavar(q)).ljust(width)}  {_param_help(q).replace('%%', '%')}")
    return 0


def _new(argv: list[str]) -> int:
    templates = _templates()
    names = list(templates)
    if not argv or argv[0].startswith("-"):
        p = _parser("archcanvas new", "Write a template as a design file. Templates: " + ", ".join(names)
                    + ". Run 'archcanvas new TEMPLATE --help' for its parameters.",
                    usage="archcanvas new TEMPLATE [--PARAM VALUE ...] -o OUT.json")
        p.add_argument("template", metavar="TEMPLATE", choices=names, help="template name")
        p.add_argument("-o", "--output", metavar="OUT.json", type=_path("stdout"), required=True)
        p.parse_args(argv)  # prints help, or a usage error; a valid TEMPLATE never gets here
        return 2
    name = argv[0]
    if name not in templates:
        hint = difflib.get_close_matches(name, names, n=1)
        p = _parser("archcanvas new", "", usage="archcanvas new TEMPLATE [--PARAM VALUE ...] -o OUT.json")
        p.error(f"unknown template {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; 'archcanvas templates' lists {len(names)}")
    template = templates[name]
    p = _parser(f"archcanvas new {name}", template.doc)
    for q in template.params:
        kw = {"choices": q.choices} if q.kind == "choice" and q.choices else {}
        p.add_argument(_option(q), dest=q.name, type=_param_type(q), default=q.default,
                       metavar=None if kw else _metavar(q), help=_param_help(q), **kw)
    p.add_argument("-o", "--output", metavar="OUT.json", type=_path("stdout"), required=True,
                   help="design file to write ('-' prints it)")
    args = p.parse_args(argv[1:])
    values = {q.name: getattr(args, q.name) for q in template.params}
    try:
        design = template.build(**values)
    except (ArchCanvasError, ValueError) as err:
        p.error(str(err))
    return write_design(design, args.output, f"{name} with these parameters cannot be computed; nothing was written")
