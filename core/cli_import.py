"""``archcanvas import MODEL -o DESIGN.json``: a Keras or ONNX model file as an ordinary design.

Nothing is written unless the whole model imports and every layer can be computed; otherwise one
``error:`` line per unsupported layer (or uncomputable node) and exit 1.
"""

from __future__ import annotations

import os

from .cli_tools import Failed, error, parser, path_arg, write_design


def run(argv: list[str]) -> int:
    from .importers import ModelImportError, import_model

    p = parser("archcanvas import",
               "Convert a model file (.keras, Keras to_json() text, .h5, TF.js model.json, .onnx) into a "
               "design file. The file is read as data; nothing in it is executed.")
    p.add_argument("model", metavar="MODEL", type=path_arg("a file"), help="the model file")
    p.add_argument("-o", "--output", metavar="DESIGN.json", type=path_arg("stdout"), required=True,
                   help="design file to write ('-' prints it)")
    args = p.parse_args(argv)
    if args.output != "-" and os.path.exists(args.output) and os.path.exists(args.model) \
            and os.path.samefile(args.output, args.model):
        p.error(f"-o {args.output} would overwrite the model itself")
    try:
        design = import_model(args.model)
    except ModelImportError as err:
        for line in err.lines:
            error(line)
        raise Failed from None
    return write_design(design, args.output, f"{args.model}: the imported model cannot be computed; nothing was written")
