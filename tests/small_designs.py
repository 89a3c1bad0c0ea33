"""Small designs that several test files build: one definition each, so they cannot drift apart."""

from archcanvas.core.design import Design


def seed_003(kernel=3, filters=5, shape=(6, 6, 3), padding="valid") -> Design:
    """Seed design 003 of DESIGN.md: Input 6×6×3 → Conv2D 5 filters 3×3 valid → Flatten (2,160 MACs).

    The arguments turn it into its relatives (e.g. the 28×28×192 input of the bottleneck example).
    """
    d = Design("seed 003")
    d.add_node("Input", "in", {"shape": list(shape)}, pos=(0, 0))
    d.add_node("Conv2D", "conv", {"filters": filters, "kernel_size": kernel, "padding": padding}, pos=(0, 90))
    d.add_node("Flatten", "flat", {}, pos=(0, 180))
    d.connect("in", "conv"), d.connect("conv", "flat")
    return d
