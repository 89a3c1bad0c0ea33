"""The project's own error types. Everything a user can cause raises one of these."""


class ArchCanvasError(Exception):
    """Base of every error ArchCanvas reports to a person (never a traceback)."""


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
