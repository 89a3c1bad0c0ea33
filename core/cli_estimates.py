"""``archcanvas report``'s memory and latency options, shared with any command that estimates."""

from __future__ import annotations

import argparse

from .memory import Options


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-fuse", action="store_true",
                   help="count every layer's output as its own tensor: no in-place batch norm or "
                        "activation, no ZeroPadding2D folded into the next convolution or pooling")
    p.add_argument("--depthwise-in-place", action="store_true",
                   help="let a depthwise convolution write its output over its input (as MCUNetV2 does)")
    p.add_argument("--device", metavar="NAME|FILE",
                   help="estimate latency by a roofline on a device: a name from 'archcanvas devices' "
                        "or a profile .json file")


def device_of(args):
    """The ``--device`` profile (``ArchCanvasError`` if unknown or malformed), or None."""
    if args.device is None:
        return None
    from .latency import find_device

    return find_device(args.device)


def estimate_kw(args, device, options: bool = False) -> dict:
    if options:
        return {"options": Options(args.dtype, not args.no_fuse, args.depthwise_in_place), "device": device}
    return {"fuse": not args.no_fuse, "depthwise_in_place": args.depthwise_in_place, "device": device}
