"""The declarative form of a layer type: attributes, shape rule, cost rules.

A layer type is one ``LayerType`` value. The palette, the inspector, the file loader and the
report read everything they need from it, so adding a layer type touches one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from math import prod
from operator import itemgetter
from typing import Any, Callable

from ..errors import AttrError
from .cost_class import CostClass
from ..kinds import (
    INT_MAX, check_choice, check_float, check_int, or_none, quick_bool, quick_choice, quick_float, quick_int,
    quick_padding2d, quick_pair,
)
from ..kinds import is_int as _is_int
from ..kinds import is_number as _is_number
from ..quote import show as _show

Shape = tuple[int, ...]
REQUIRED = object()  # Keras has no default; ArchCanvas still offers ``initial`` for new nodes


def _int_words(lo, hi) -> str:
    if hi in (None, INT_MAX):
        if lo == 1:
            return "a positive integer"
        if lo == 0:
            return "a non-negative integer"
        if lo is None:
            return "an integer"
        return f"an integer ≥ {lo}"
    return f"an integer from {lo} to {hi}"


@dataclass(frozen=True)
class Attr:
    """One attribute: its JSON kind, default, allowed range or choices, and a line of help.

    Kinds: ``int``, ``pair`` (int or [a, b]), ``choice``, ``bool``, ``float``, ``shape`` (list of
    positive ints; ``allow_unknown`` admits one -1 as Keras's Reshape does), ``padding2d``
    (int, [a, b] or [[top, bottom], [left, right]]), ``pair_or_none``, ``float_or_none`` (a
    number or null, e.g. ReLU's ``max_value``; the inspector's "none" box offers ``initial``
    when it is unticked), ``axes`` (a Keras axis or a list of them, batch counted: LayerNormalization),
    ``axes_or_none`` (PReLU's shared_axes), ``floats`` (a number or a list of numbers: Rescaling's
    scale per channel), ``floats_or_none`` (the same or null: Normalization's mean and variance).
    """

    name: str
    kind: str
    default: Any = REQUIRED
    doc: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    initial: Any = None  # value for a freshly placed node when there is no Keras default
    allow_unknown: bool = False
    none_means: str | None = None  # null stands for another attribute's value (pooling strides)
    max_exclusive: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def start_value(self):
        """The value a new node gets: Keras's default, else ``initial``."""
        return self.initial if self.required else self.default

    def validate(self, value):
        """Return the normalized value, or raise ``AttrError`` saying what is wrong."""
        return _VALIDATORS[self.kind](self, value)

    @cached_property
    def _int_bounds(self) -> tuple[int | None, int]:
        return _int_bounds(self)


def _int_bounds(a: Attr) -> tuple[int | None, int]:
    lo = 1 if a.min is None and a.kind in ("pair", "pair_or_none") else a.min
    return (None if lo is None else int(lo)), (INT_MAX if a.max is None else int(a.max))


def _int_in_range(a: Attr, v, what=None):
    lo, hi = a._int_bounds
    return check_int(v, lo, hi, what or (lambda: _int_words(lo, hi)))


def _v_int(a, v):
    if type(v) is int:  # the common case, checked inline: this runs for most nodes of a design
        lo, hi = a._int_bounds
        if (lo is None or v >= lo) and v <= hi:
            return v
    return _int_in_range(a, v)


def _v_pair(a, v):
    if type(v) is int:  # the common case, checked first: this runs for every node on load
        lo, hi = a._int_bounds
        if (lo is None or v >= lo) and v <= hi:
            return (v, v)

    def words():  # the message is built only on failure
        return f"{_int_words(1 if a.min is None else int(a.min), None)} or a list of two"
    if isinstance(v, (list, tuple)):
        if len(v) != 2:
            raise AttrError(f"must be {words()}, got {_show(v)}")
        return (_int_in_range(a, v[0], words), _int_in_range(a, v[1], words))
    x = _int_in_range(a, v, words)
    return (x, x)


def _v_pair_or_none(a, v):
    return None if v is None else _v_pair(a, v)


def _v_choice(a, v):
    return check_choice(v, a.choices, lambda: "one of " + ", ".join(map(_show, a.choices)))


def _v_bool(a, v):
    if not isinstance(v, bool):
        raise AttrError(f"must be true or false, got {_show(v)}")
    return v


def _v_float(a, v):
    def words():
        hi = "" if a.max is None else (f" and below {a.max}" if a.max_exclusive else f" and at most {a.max}")
        lo = "" if a.min is None else f" of at least {a.min}"
        return f"a number{lo}{hi}"
    return check_float(v, a.min, a.max, words, a.max_exclusive)


def _v_float_or_none(a, v):
    return None if v is None else _v_float(a, v)


def _v_axes(a, v):
    words = "an axis (an integer, batch counted) or a list of distinct axes"
    if _is_int(v) and -8 <= v <= 8:
        return v
    if isinstance(v, (list, tuple)) and 1 <= len(v) <= 8 and all(_is_int(x) and -8 <= x <= 8 for x in v) \
            and len(set(v)) == len(v):
        return tuple(v)
    raise AttrError(f"must be {words}, got {_show(v)}")


def _v_axes_or_none(a, v):
    return None if v is None else _v_axes(a, v)


def _v_floats(a, v):
    if v is None:
        raise AttrError("must be a number or a list of numbers, got null")
    return _v_floats_or_none(a, v)


def _v_floats_or_none(a, v):
    if v is None:
        return None
    if isinstance(v, (list, tuple)) and 1 <= len(v) <= 4096:
        try:
            return tuple(_v_float(a, x) for x in v)
        except AttrError:
            pass
    elif _is_number(v):
        try:
            return _v_float(a, v)
        except AttrError:
            pass
    raise AttrError(f"must be a number, a list of numbers or null, got {_show(v)}")


def _v_shape(a, v):
    words = "a list of positive integers" + (" (one may be -1)" if a.allow_unknown else "")
    if not isinstance(v, (list, tuple)) or not v or len(v) > 8:
        raise AttrError(f"must be {words}, got {_show(v)}")
    if not all(_is_int(d) and (1 <= d <= INT_MAX or (a.allow_unknown and d == -1)) for d in v):
        raise AttrError(f"must be {words}, got {_show(v)}")
    if list(v).count(-1) > 1:
        raise AttrError(f"may have at most one -1, got {_show(v)}")
    return tuple(v)


def _v_padding2d(a, v):
    words = "a non-negative integer, a list of two, or [[top, bottom], [left, right]]"
    def nn(x):
        if not _is_int(x) or not 0 <= x <= INT_MAX:
            raise AttrError(f"must be {words}, got {_show(v)}")
        return x
    if isinstance(v, (list, tuple)):
        if len(v) != 2:
            raise AttrError(f"must be {words}, got {_show(v)}")
        if all(isinstance(p, (list, tuple)) for p in v):
            if any(len(p) != 2 for p in v):
                raise AttrError(f"must be {words}, got {_show(v)}")
            return ((nn(v[0][0]), nn(v[0][1])), (nn(v[1][0]), nn(v[1][1])))
        h, w = nn(v[0]), nn(v[1])
        return ((h, h), (w, w))
    x = nn(v)
    return ((x, x), (x, x))


_VALIDATORS: dict[str, Callable] = {
    "int": _v_int,
    "pair": _v_pair,
    "pair_or_none": _v_pair_or_none,
    "choice": _v_choice,
    "bool": _v_bool,
    "float": _v_float,
    "float_or_none": _v_float_or_none,
    "axes": _v_axes,
    "axes_or_none": _v_axes_or_none,
    "floats": _v_floats,
    "floats_or_none": _v_floats_or_none,
    "shape": _v_shape,
    "padding2d": _v_padding2d,
}


def _quick(a: Attr) -> Callable:
    """``a``'s value check for ``LayerType.resolve``: the same result as ``a.validate``, the
    common values accepted inline (``core.kinds`` quick checks), the rest by the validator."""
    slow = partial(_VALIDATORS[a.kind], a)
    lo, hi = a._int_bounds
    quick = {
        "int": lambda: quick_int(lo, hi, slow),
        "pair": lambda: quick_pair(lo, hi, slow),
        "pair_or_none": lambda: or_none(quick_pair(lo, hi, slow)),
        "choice": lambda: quick_choice(a.choices, slow),
        "bool": lambda: quick_bool(slow),
        "float": lambda: quick_float(a.min, a.max, a.max_exclusive, slow),
        "float_or_none": lambda: or_none(quick_float(a.min, a.max, a.max_exclusive, slow)),
        "padding2d": lambda: quick_padding2d(slow),
    }.get(a.kind)
    return slow if quick is None else quick()


class Record(tuple):
    """An immutable value with named fields, kept in a tuple (``Cost``, the analysis's ``NodeResult``).

    Why not a frozen dataclass: its ``__init__`` sets each field through ``object.__setattr__``,
    about 0.9 µs per object on our machines, and a full analysis builds two per node, a quarter
    of its time. A tuple is built in a tenth of that and is just as immutable and hashable.
    What a dataclass gave is kept: keyword construction, a ``Name(field=value, …)`` repr, and
    equality only with the same class (never with a plain tuple). Being a tuple, it can also be
    unpacked, which the analysis does in its inner loops.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __eq__(self, other):
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in zip(self._fields, self))})"

    def __getnewargs__(self):  # copy and pickle rebuild through __new__
        return tuple(self)


def record_fields(*names: str) -> tuple:
    """Read-only properties for a ``Record``'s fields, in tuple order."""
    return tuple(property(itemgetter(i), doc=f"field {name!r}") for i, name in enumerate(names))


class Cost(Record):
    """What one layer costs; MACs and FLOPs as defined in the README's cost rules.

    ``Cost(trainable=0, non_trainable=0, macs=0, extra_flops=0)``; ``extra_flops`` is the
    elementwise work beyond 2 × MACs: bias, activation, norm, pooling…
    """

    __slots__ = ()
    _fields = ("trainable", "non_trainable", "macs", "extra_flops")
    trainable, non_trainable, macs, extra_flops = record_fields(*_fields)

    def __new__(cls, trainable: int = 0, non_trainable: int = 0, macs: int = 0, extra_flops: int = 0):
        return tuple.__new__(cls, (trainable, non_trainable, macs, extra_flops))

    @property
    def params(self) -> int:
        return self[0] + self[1]


NO_COST = Cost()  # shared: a Cost cannot change


def _no_cost(ins, out, a) -> Cost:
    return NO_COST


def _no_summary(a) -> str:
    return ""


@dataclass(frozen=True)
class LayerType:
    """One layer type. ``shape(ins, a)`` and ``cost(ins, out, a)`` get the input shapes and the
    normalized attributes (a dict with every attribute) and raise ``ShapeError`` or ``AttrError``."""

    name: str
    category: str
    doc: str
    attrs: tuple[Attr, ...]
    shape: Callable[[list[Shape], dict], Shape]
    cost: Callable[[list[Shape], Shape, dict], Cost] = _no_cost
    summary: Callable[[dict], str] = _no_summary
    min_inputs: int = 1
    max_inputs: int | None = 1  # None: any number (Concatenate, Add, Multiply)
    check: Callable[[dict], None] | None = None  # cross-attribute rules (groups divides filters…)
    # The kind of arithmetic, as the papers tabulate it (core/breakdown.py): a fixed CostClass
    # (label and rank) or a function of (resolved attrs, input shape or None) returning one;
    # None: the layer's category decides. A plain str is ranked after the declared classes.
    cost_class: CostClass | Callable[[dict, Shape | None], CostClass] | None = None
    # How inference holds its output (core/memory.py): "new" writes a fresh tensor; "in_place"
    # overwrites its single input (elementwise layers, and views such as Reshape); "pad" can be
    # folded into a following "window" layer (convolution, pooling), which then reads past the
    # edge instead; "depthwise" is a window layer that may also write over its input.
    memory: str = "new"
    # The attribute that sets how many channels (or units) the layer outputs, when one does:
    # width scaling (core/sweep.py, core/refactors.py) multiplies it. None: the width follows the input.
    width_attr: str | None = None
    attr_index: dict = field(init=False, repr=False, compare=False)
    _defaults: dict = field(init=False, repr=False, compare=False)
    _template: dict = field(init=False, repr=False, compare=False)
    _required: tuple = field(init=False, repr=False, compare=False)
    _validators: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.cost_class, str) and not isinstance(self.cost_class, CostClass):
            object.__setattr__(self, "cost_class", CostClass(self.cost_class))
        object.__setattr__(self, "attr_index", {a.name: a for a in self.attrs})
        # Defaults normalized once: resolve() runs for every node of every loaded design.
        object.__setattr__(self, "_defaults", {
            a.name: (a.validate(a.default) if a.default is not None else None)
            for a in self.attrs if not a.required})
        # resolve()'s fast path: every attribute in declaration order, defaults filled in (the
        # required ones hold REQUIRED until the raw value replaces it), and each attribute's
        # one-argument check chosen once (see _quick) instead of through Attr.validate per value.
        object.__setattr__(self, "_template", {a.name: self._defaults.get(a.name, REQUIRED) for a in self.attrs})
        object.__setattr__(self, "_required", tuple(a.name for a in self.attrs if a.required))
        object.__setattr__(self, "_validators", {a.name: _quick(a) for a in self.attrs})

    def default(self, name: str):
        """The attribute's normalized Keras default (``REQUIRED`` when Keras has none)."""
        return self._defaults.get(name, REQUIRED)

    @property
    def required_names(self) -> tuple[str, ...]:
        """The attributes with no Keras default, in declaration order."""
        return self._required

    @property
    def variadic(self) -> bool:
        return self.max_inputs is None

    def initial_attrs(self) -> dict:
        """Attributes a new node is given: the required ones, with their initial values."""
        return {a.name: _plain(a.start_value) for a in self.attrs if a.required}

    def resolve(self, raw: dict) -> dict:
        """Validate ``raw`` and return every attribute, normalized, defaults filled in.

        Raises ``AttrError`` whose message starts with the attribute's name.
        """
        # Fast path for valid attributes: validate only what ``raw`` sets, on a copy of the
        # defaults. Anything wrong goes to the careful pass below, which checks in declaration
        # order and so reports the same fault, with the same message, as it always has.
        checks = self._validators
        out = self._template.copy()
        try:
            for name, value in raw.items():
                out[name] = checks[name](value)
        except (KeyError, AttrError):
            return self._resolve_strict(raw)
        for name in self._required:
            if name not in raw:
                return self._resolve_strict(raw)
        if self.check:
            self.check(out)
        return out

    def _resolve_strict(self, raw: dict) -> dict:
        out = {}
        index, defaults = self.attr_index, self._defaults
        for name in raw:
            if name not in index:
                raise AttrError(f"{name}: unknown attribute for {self.name} (known: {', '.join(index)})")
        for a in self.attrs:
            name = a.name
            if name in raw:
                try:
                    out[name] = a.validate(raw[name])
                except AttrError as err:
                    raise AttrError(f"{name}: {err}") from None
            elif name in defaults:
                out[name] = defaults[name]
            else:
                raise AttrError(f"{name}: required for {self.name}")
        if self.check:
            self.check(out)
        return out


def _plain(v):
    return list(v) if isinstance(v, tuple) else v


# Elementwise FLOPs per output element of each activation function (see README, "Cost rules").
ACTIVATION_FLOPS = {
    None: 0, "linear": 0, "relu": 1, "relu6": 1, "leaky_relu": 1, "elu": 1, "selu": 1,
    "hard_sigmoid": 1, "hard_swish": 1, "hard_silu": 1, "sigmoid": 1, "tanh": 1, "swish": 1,
    "silu": 1, "gelu": 1, "softplus": 1, "softsign": 1, "exponential": 1, "softmax": 3,
    "mish": 1, "celu": 1, "hard_tanh": 1, "log_sigmoid": 1, "log_softmax": 3, "sparse_plus": 1,
    "squareplus": 1, "tanh_shrink": 1, "soft_shrink": 1, "hard_shrink": 1, "sparse_sigmoid": 1,
}
ACTIVATIONS = tuple(ACTIVATION_FLOPS)


def activation_attr(default=None) -> Attr:
    return Attr("activation", "choice", default, "activation applied to the output", choices=ACTIVATIONS)


def use_bias_attr() -> Attr:
    return Attr("use_bias", "bool", True, "add a learned bias per output channel")


def elementwise_flops(out: Shape, a: dict) -> int:
    """Bias add (1 per element) plus the activation's FLOPs per element."""
    n = prod(out)
    return n * (int(bool(a.get("use_bias"))) + ACTIVATION_FLOPS[a.get("activation")])


def act_suffix(a: dict) -> str:
    act = a.get("activation")
    return "" if act in (None, "linear") else f" {act}"


def kernel_text(k) -> str:
    return f"{k[0]}×{k[1]}"
