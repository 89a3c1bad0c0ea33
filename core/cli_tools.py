"""What every ``archcanvas`` command shares: the one error line, argument types, UTF-8 output, and
the one way to read the design a command is given.

A command is a module with ``run(argv) -> int``, listed in ``core.cli.COMMANDS``. It prints its
problems with ``error`` and raises ``Failed`` to end with exit 1; ``core.cli.main`` turns any
``ArchCanvasError`` or ``OSError`` into one ``error:`` line, so no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys

from .errors import ArchCanvasError
from .quote import printable


class Failed(Exception):
    """Stop with exit 1 after the ``error:`` lines have been printed."""


def error(message: str) -> None:
    """Print one ``error: …`` line on stderr: whitespace folded, unprintable characters escaped."""
    print("error: " + printable(" ".join(str(message).split())), file=sys.stderr)


def path_arg(dash: str):
    """An argparse type for a file name, ``-`` meaning ``dash`` (stdin or stdout)."""
    def path(text: str) -> str:
        # An empty name (an unset shell variable) must not pass as "no --csv" or as the current folder.
        if not text:
            raise argparse.ArgumentTypeError(f"needs a file name ('-' for {dash}), got an empty one")
        return text
    return path


def parser(prog: str, description: str, **kw) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=prog, description=description, allow_abbrev=False, **kw)


def write_utf8(text: str) -> None:
    """CSV, JSON and designs on stdout are UTF-8 whatever the locale, as the files are: a Latin-1
    terminal must not turn a name into ``?`` (or the output into invalid JSON) for the next program."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") in ("utf8", "utf8sig"):
        sys.stdout.write(text)  # the usual case, and a capture in tests
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def write_design(design, output: str, refusal: str) -> int:
    """Write ``design`` to ``output`` (``-``: stdout) and say what was written; a design that
    cannot be computed is not written: its problems, then ``refusal``, and exit 1."""
    from .analysis import analyze
    from .fileformat import dumps, save
    from .report import problem_lines

    analysis = analyze(design)
    if not analysis.ok:
        for line in problem_lines(design, analysis):
            error(line)
        error(refusal)
        raise Failed
    if output == "-":
        write_utf8(dumps(design))
        return 0
    save(design, output)
    t = analysis.totals
    print(f"wrote {output}: {t.layers} layers, {t.params:,} params, {t.macs:,} MACs")
    return 0


def read_design(path: str):
    """The design a command is given: a design file, a model file (Keras, TF.js, ONNX: imported,
    see core.importers), or ``-`` for stdin. The one reader every command uses, so a format it
    learns is accepted everywhere. A model that cannot be imported prints one line per problem."""
    from .importers import ModelImportError, read_any

    if path == "-":
        return read_stdin()
    try:
        return read_any(path)
    except ModelImportError as err:
        for line in err.lines:
            error(line)
        raise Failed from None


def read_stdin():
    """``-`` as the design: read stdin as ``load`` reads a file (bytes, bounded, UTF-8 checked)."""
    from .fileformat import MAX_BYTES, loads

    if sys.stdin is None:
        raise ArchCanvasError("stdin: there is no standard input to read the design from")
    stream = getattr(sys.stdin, "buffer", sys.stdin)  # bytes from a real stdin, text from a test's
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ArchCanvasError(f"stdin: too large for a design file (the limit is {MAX_BYTES // 2**20} MiB)")
    return loads(raw, "stdin")
