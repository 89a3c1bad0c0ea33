"""Pure output-size functions for convolution and pooling.

Errors quote the values they received, so a node's message says what went wrong::

    >>> conv_output_length(28, 3, 2, "same")
    14
    >>> conv_output_length(6, 3, 1, "valid")
    4
    >>> conv_output_length(6, 3, 1, "valid", dilation=3)
    Traceback (most recent call last):
    ...
    archcanvas.core.errors.ShapeError: input size 6 is smaller than the dilated kernel 7 (kernel 3, dilation 3) with 'valid' padding
"""

from __future__ import annotations

from math import prod

from .errors import ShapeError


def conv_output_length(size: int, kernel: int, stride: int, padding: str, dilation: int = 1) -> int:
    """Keras's rule: ``same`` gives ceil(in / stride); ``valid`` floor((in - dk) / stride) + 1."""
    if padding == "same":
        return -(-size // stride)
    effective = (kernel - 1) * dilation + 1
    if size < effective:
        if dilation > 1:
            raise ShapeError(
                f"input size {size} is smaller than the dilated kernel {effective} "
                f"(kernel {kernel}, dilation {dilation}) with 'valid' padding"
            )
        raise ShapeError(f"input size {size} is smaller than the kernel {kernel} with 'valid' padding")
    return (size - effective) // stride + 1


def conv2d_output_hw(hw, kernel, strides, padding, dilation=(1, 1)) -> tuple[int, int]:
    """Output height and width of a 2-D convolution or pooling window."""
    try:
        return (
            conv_output_length(hw[0], kernel[0], strides[0], padding, dilation[0]),
            conv_output_length(hw[1], kernel[1], strides[1], padding, dilation[1]),
        )
    except ShapeError as err:
        raise ShapeError(f"input {fmt_shape(hw)}: {err}") from None


def require_rank(shape: tuple[int, ...], rank: int, what: str = "a feature map") -> None:
    if len(shape) != rank:
        raise ShapeError(f"needs {what} of rank {rank} ([H, W, C]), got {fmt_shape(shape)}")


def fmt_shape(shape) -> str:
    """``(28, 28, 256)`` -> ``28×28×256``; the form the canvas and messages use."""
    return "×".join(str(d) for d in shape)


def elements(shape) -> int:
    return prod(shape)
