"""``archcanvas calibrate``: measure this machine (or scale a profile to a measured latency) and
write a device profile for ``report --device FILE``."""

from __future__ import annotations

import json
from dataclasses import replace
import math

from .cli_tools import Failed, error, parser, path_arg, read_design, write_utf8


def _seconds(text: str) -> float:
    import argparse

    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not math.isfinite(x) or x <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return x


def run(argv: list[str]) -> int:
    p = parser("archcanvas calibrate",
               "Measure this machine's peak FLOP/s (numpy matmul) and memory bandwidth (array copy) and "
               "write them as a device profile. With --measured, scale a profile instead: the design's "
               "estimate on --device becomes the latency you measured.")
    p.add_argument("-o", "--output", metavar="OUT.json", type=path_arg("stdout"), required=True,
                   help="profile to write ('-' prints it)")
    p.add_argument("--name", default=None, help="the profile's name (default: this-machine, or the device's)")
    p.add_argument("--quick", action="store_true", help="small, fast measurements (less accurate)")
    p.add_argument("--measured", metavar="SECONDS", type=_seconds,
                   help="a latency you measured for DESIGN on the device (needs --design and --device)")
    p.add_argument("--design", metavar="DESIGN.json", type=path_arg("stdin"), help="the design you timed")
    p.add_argument("--device", metavar="NAME|FILE", help="the profile to scale (default: measure this machine)")
    p.add_argument("--dtype", choices=("float32", "float16", "int8"), default="float32")
    args = p.parse_args(argv)
    if (args.measured is None) != (args.design is None):
        p.error("--measured and --design go together")
    from .latency import find_device, scaled

    if args.measured is not None:
        from .analysis import analyze
        from .latency import estimate
        from .report import problem_lines

        device = find_device(args.device) if args.device else _measure(args)
        design = read_design(args.design)
        analysis = analyze(design)
        if not analysis.ok:
            for line in problem_lines(design, analysis):
                error(line)
            raise Failed
        before = estimate(design, analysis, device, args.dtype).seconds
        if before <= 0:
            error(f"{args.design}: the design has no work to time")
            raise Failed
        device = scaled(device, before, args.measured)
        if args.name:
            device = replace(device, name=args.name)
    else:
        if args.device:
            p.error("--device is for scaling a profile: give --measured and --design too")
        device = _measure(args)
    text = json.dumps(device.as_dict(), indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        write_utf8(text)
        return 0
    from .atomic import write_atomic

    write_atomic(args.output, text, what="device profile")
    print(f"wrote {args.output}: {device.name}, {device.peak_flops / 1e9:.1f} GFLOP/s, "
          f"{device.memory_bandwidth / 1e9:.1f} GB/s")
    return 0


def _measure(args):
    from .calibrate import measure

    return measure(args.name or "this-machine", quick=args.quick)
