"""The ``archcanvas`` command: core's command line with the desktop app plugged in.

``gui`` depends on ``core``, never the reverse, so the command that can open a window starts
here and hands ``core.cli`` the way to open it. The headless commands (report, templates, new)
still import no Qt: this module imports only ``core.cli`` until a window is asked for.
"""

from __future__ import annotations

from archcanvas.core import cli


def open_app(path, screenshot=None, size=None) -> int:
    from archcanvas.gui import app  # Qt is imported only when a window is wanted

    return app.run(path, screenshot=screenshot, size=size)


def rasterize(svg_text: str, fmt: str) -> bytes:
    from archcanvas.gui.desktop import figures  # Qt only when a png or pdf is asked for

    return figures.rasterize(svg_text, fmt)


def main(argv=None) -> int:
    from archcanvas.core.export.figure import set_rasterizer

    set_rasterizer(rasterize)
    return cli.main(argv, open_app=open_app)
