"""The project's own error types. Everything a user can cause raises one of these."""

from .quote import escape


class ArchCanvasError(Exception):
    """Base of every error ArchCanvas reports to a person (never a traceback).

    The message is one line: control characters in it (from a name in a damaged file) are
    escaped here, so no message can break in two wherever it is shown."""

    def __init__(self, message="", *args):
        super().__init__(escape(message) if isinstance(message, str) else message, *args)


class DesignError(ArchCanvasError):
    """An edit that the design refuses: unknown node, duplicate id, cycle, port taken."""


class CycleError(DesignError):
    """Connecting would close a cycle."""


class AttrError(ArchCanvasError):
    """An attribute value that is not allowed; the message names the fault, not the place."""


class FormatError(ArchCanvasError):
    """A design file that cannot be read; the message names the place (``nodes[3].attrs.filters``)."""


class ShapeError(ArchCanvasError):
    """A layer whose inputs cannot produce an output (kernel larger than input, mismatched concat)."""
