"""The ``archcanvas`` command: core's command line with the desktop app plugged in.

``gui`` depends on ``core``, never the reverse, so the command that can open a window starts
here and hands ``core.cli`` the way to open it (``open_app``). The app's own options live here
too: ``archcanvas [DESIGN.json] [--screenshot OUT.png] [--size WxH]``, and the check that there
is a display to open a window on. This module imports no Qt: the headless commands (report,
templates, new) run where no Qt library can load, and Qt is imported only when a window is wanted.
"""

from __future__ import annotations

import argparse
import os
import sys

from archcanvas.core import cli
from archcanvas.core.cli_tools import error, parser

DISPLAY_ERROR = ("no display available; set QT_QPA_PLATFORM=offscreen for a headless run, "
                 "or use 'archcanvas report DESIGN.json'")


def window_size(text: str) -> tuple[int, int]:
    """``--size``: ``1600x1000`` -> ``(1600, 1000)``."""
    try:
        w, h = (int(x) for x in text.lower().split("x"))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"must be WIDTHxHEIGHT in pixels, e.g. 1600x1000, got {text!r}")


def app_parser() -> argparse.ArgumentParser:
    p = parser(
        "archcanvas",
        "Design convolutional networks and see their shapes, parameters, MACs and FLOPs.\n"
        "With no command, opens the desktop app (an example design when no file is given).",
        usage="archcanvas [DESIGN.json] [--screenshot OUT.png] [--size WxH]\n"
              "       archcanvas {" + ",".join(cli.COMMANDS) + "} ...",
        epilog=f"commands:\n{cli.commands_help()}\n\nRun 'archcanvas COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("design", nargs="?", metavar="DESIGN.json", help="design file to open")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the window to OUT.png and quit")
    p.add_argument("--size", type=window_size, metavar="WxH", help="window size in pixels, e.g. 1600x1000")
    p.add_argument("--version", action="version", version=f"archcanvas {cli.version()}")
    return p


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def open_app(argv: list[str]) -> int:
    """Parse the app's options and open the window (``gui.app.run``); the exit code."""
    args = app_parser().parse_args(argv)
    if args.design is not None and not os.path.isfile(args.design):
        what = "is a folder, not a design file" if os.path.isdir(args.design) else "no such file"
        error(f"{args.design}: {what}")
        return 1
    if not has_display():
        if not args.screenshot:
            error(DISPLAY_ERROR)
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    from archcanvas.gui import app  # Qt is imported only when a window is wanted

    return app.run(args.design, screenshot=args.screenshot, size=args.size)


def rasterize(svg_text: str, fmt: str) -> bytes:
    from archcanvas.gui.desktop import figures  # Qt only when a png or pdf is asked for

    return figures.rasterize(svg_text, fmt)


def main(argv=None) -> int:
    from archcanvas.core.export.figure import set_rasterizer

    set_rasterizer(rasterize)
    return cli.main(argv, open_app=open_app)
