"""``archcanvas devices [--json]``: the built-in device profiles that ``report --device`` takes."""

from __future__ import annotations

import json

from .cli_tools import parser, write_utf8
from .latency import builtin_devices


def run(argv: list[str]) -> int:
    p = parser("archcanvas devices", "List the built-in device profiles (usable as 'report --device NAME').")
    p.add_argument("--json", action="store_true", help="print the profiles as a JSON list")
    args = p.parse_args(argv)
    devices = builtin_devices().values()
    if args.json:
        write_utf8(json.dumps([d.as_dict() for d in devices], indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max(len(d.name) for d in devices)
    for d in devices:
        print(f"{d.name.ljust(width)}  {d.peak_flops / 1e9:8.1f} GFLOP/s  {d.memory_bandwidth / 1e9:6.1f} GB/s  {d.title}")
        print(f"{' ' * width}  source: {d.source}")
    return 0
