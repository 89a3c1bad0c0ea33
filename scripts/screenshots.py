"""Regenerate the README's screenshots of the main window, through the real command line.

    python scripts/screenshots.py                    # the README's: main-window, seed-inception, mobilenet-v1
    python scripts/screenshots.py --theme dark       # the same in the dark theme (…-dark.png)
    python scripts/screenshots.py --out DIR --size 1400x900 googlenet   # DIR/googlenet.png
    python scripts/screenshots.py --collapsed efficientnet               # after View ▸ Collapse all groups

For each template it runs ``archcanvas new TEMPLATE -o T.json`` and then
``archcanvas T.json --screenshot OUT.png --size WxH``: exactly what a user can run. The app runs
offscreen (no display needed) with a throw-away settings file and data folder, so the user's
saved window layout, theme and recovery files never leak into a picture, and a picture never
depends on who made it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the pictures the README and docs/ show: file name -> template
README_SHOTS = {"main-window": "googlenet", "seed-inception": "seed-inception", "mobilenet-v1": "mobilenet-v1"}
# big templates are read at fit zoom with every block collapsed (View ▸ Collapse all groups)
README_COLLAPSED = {"mobilenet-v2-collapsed": "mobilenet-v2", "efficientnet-b0-collapsed": "efficientnet"}

# What View ▸ Collapse all groups then the screenshot does, run in the app's own interpreter: the
# command line's --screenshot has no menu to pick, so this drives the real window's action.
COLLAPSED_SHOT = r"""
import sys
from archcanvas.gui import app as A
qapp = A.application()
design, _ = A.open_design(sys.argv[1])
window = A.build_window(restore=False)
window.open_design(design, None)
w, h = (int(v) for v in sys.argv[3].split("x"))
window.resize(w, h)
window.show()
A.settle(qapp)
window.collapse_all_action.trigger()
sys.exit(A.save_screenshot(qapp, window, sys.argv[2], (w, h)))
"""


def archcanvas() -> list[str]:
    """The installed entry point next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "archcanvas"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("archcanvas")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from archcanvas.gui.launcher import main; sys.exit(main())"]


def shoot(template: str, out: Path, size: str, theme: str, work: Path, collapsed: bool = False) -> None:
    design = work / f"{template}.json"
    profile = work / f"profile-{template}"
    profile.mkdir(exist_ok=True)
    (profile / "settings.ini").write_text(f"[view]\ntheme={theme}\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "ARCHCANVAS_SETTINGS": str(profile / "settings.ini"),
           "ARCHCANVAS_DATA_DIR": str(profile / "data")}
    shot = ([sys.executable, "-c", COLLAPSED_SHOT, str(design), str(out), size] if collapsed
            else archcanvas() + [str(design), "--screenshot", str(out), "--size", size])
    for args in (archcanvas() + ["new", template, "-o", str(design)], shot):
        run = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"error: {' '.join(args[-4:])} failed ({run.returncode}): {run.stderr.strip()}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Regenerate the README's screenshots with 'archcanvas --screenshot'.")
    p.add_argument("templates", nargs="*",
                   help="templates to show, each saved as TEMPLATE.png (default: the README's pictures: "
                        + ", ".join(f"{k}.png = {v}" for k, v in README_SHOTS.items()) + ")")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    p.add_argument("--size", default="1600x1000", help="window size WxH (default 1600x1000)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--collapsed", action="store_true", help="collapse every block first (View ▸ Collapse all groups)")
    args = p.parse_args(argv)
    if args.templates:
        shots = {t: (t, args.collapsed) for t in args.templates}
    else:
        shots = {**{k: (v, False) for k, v in README_SHOTS.items()}, **{k: (v, True) for k, v in README_COLLAPSED.items()}}
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.theme == "light" else f"-{args.theme}"
    with tempfile.TemporaryDirectory(prefix="archcanvas-shots-") as tmp:
        for name, (template, collapsed) in shots.items():
            out = args.out / f"{name}{suffix}.png"
            shoot(template, out, args.size, args.theme, Path(tmp), collapsed)
            print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
