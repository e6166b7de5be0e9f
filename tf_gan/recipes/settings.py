"""What each recipe setting may hold: its type (from the Config's annotations) and its range or choices.

One place answers "is this a valid value for this setting?" for every recipe: a value from
``--set KEY=VALUE`` (text, parsed here by the field's type), from a run's config.json, or
from Python. A bad one is refused in one line that names the setting, the value and what
is allowed, before any graph is built or any run directory is made.

Types come from the annotations: ``int`` (a whole number), ``float``, ``bool``, ``str``,
a ``Literal[...]`` (its values are the choices), ``X | None`` and ``tuple[int, int]``.
Ranges come from the Config's ``ALLOWED``; a whole number with none declared is a count,
at least 1. A run's own settings (tf_gan/run/record.py) are declared and checked the same way,
and a setting declared with `setting(...)` carries the help of the flag made from it.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

from tf_gan.errors import TfGanError

TRUE, FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")
NONE = ("none", "null")


@dataclass(frozen=True)
class Allowed:
    """The values a setting may take beyond its type: a range (either end open or closed) or a list of choices."""

    minimum: float | None = None
    maximum: float | None = None
    above: bool = False  # True: the minimum itself is not allowed
    below: bool = False  # True: the maximum itself is not allowed
    choices: tuple[Any, ...] | None = None

    def admits(self, value: Any) -> bool:
        if self.choices is not None:
            return value in self.choices
        low = self.minimum is None or (value > self.minimum if self.above else value >= self.minimum)
        high = self.maximum is None or (value < self.maximum if self.below else value <= self.maximum)
        return low and high

    def describe(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(str(c) for c in self.choices)
        parts = []
        if self.minimum is not None:
            parts.append(f"{'above' if self.above else 'at least'} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"{'below' if self.below else 'at most'} {self.maximum:g}")
        return " and ".join(parts) or "any value"


COUNT = Allowed(minimum=1)  # what a whole number means when its Config declares nothing else
PROBABILITY = Allowed(minimum=0, maximum=1)
POSITIVE = Allowed(minimum=0, above=True)


def choices(*values: Any) -> Allowed:
    return Allowed(choices=tuple(values))


def setting(default: Any, help: str, *, flag: str | None = None, metavar: str | None = None) -> Any:
    """A dataclass field that is also a `train` flag: tf_gan/cli.py makes the flag from the field's name, type,
    range and this help. `flag`: the flag's own name where it is not ``--the-field-name``."""
    return dataclasses.field(default=default, metadata={"help": help, "flag": flag, "metavar": metavar})


def flagged(config_class: type) -> list[dataclasses.Field]:
    """The fields of `config_class` declared with `setting`, in order: those the command line has a flag for."""
    return [f for f in dataclasses.fields(config_class) if "help" in f.metadata]


def rules(config_class: type) -> dict[str, Allowed]:
    """ALLOWED of `config_class` and of every class it extends, the nearest class's rule winning."""
    merged: dict[str, Allowed] = {}
    for klass in reversed(config_class.__mro__):
        merged.update(vars(klass).get("ALLOWED", {}))
    return merged


def rule_of(config_class: type, key: str) -> Allowed | None:
    """The range or choices of setting `key`: its declared rule; a whole number with none is a count."""
    inner, _ = unwrap_optional(field_types(config_class)[key])
    return rules(config_class).get(key, COUNT if inner is int else None)


@functools.cache
def field_types(config_class: type) -> dict[str, Any]:
    """Each field's annotation, resolved (the recipes use ``from __future__ import annotations``)."""
    hints = typing.get_type_hints(config_class)
    return {f.name: hints[f.name] for f in dataclasses.fields(config_class)}


def unwrap_optional(kind: Any) -> tuple[Any, bool]:
    """(the type inside, whether None is allowed) for ``X | None``; (kind, False) otherwise."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(inner) == 1:
            return inner[0], True
    return kind, False


def type_name(kind: Any) -> str:
    inner, optional = unwrap_optional(kind)
    if typing.get_origin(inner) is typing.Literal:
        name = "one of " + ", ".join(str(a) for a in typing.get_args(inner))
    else:
        name = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
            inner, "two whole numbers, as [rows, cols]" if typing.get_origin(inner) is tuple else str(inner))
    return f"{name}, or none" if optional else name


def describe(config_class: Any, key: str) -> str:
    """What setting `key` may hold, in words: its type, and its range or choices when it has them."""
    kind = field_types(config_class)[key]
    inner, optional = unwrap_optional(kind)
    rule = rule_of(config_class, key)
    if rule is None or typing.get_origin(inner) is typing.Literal:
        return type_name(kind)
    said = rule.describe() if rule.choices is not None else f"{type_name(inner)}, {rule.describe()}"
    return f"{said}, or none" if optional else said


def read_value(config_class: type, key: str, text: str, none: bool = True) -> Any:
    """`text` as a value of setting `key`: parsed by the field's type, checked against its range or choices.

    `none`: a setting that may be empty takes the word ``none`` (``--set``); a flag does not, since
    leaving the flag out already means its default. A ValueError says what the setting takes,
    for the caller to put after the setting's name.
    """
    kind = field_types(config_class)[key]
    inner, optional = unwrap_optional(kind)
    word = text.strip().lower()
    if optional and none and word in NONE:
        return None
    try:
        value = _parse(inner, text.strip(), word)
    except ValueError:
        raise ValueError(f"takes {type_name(kind if none else inner)}; got {text!r}") from None
    rule = rule_of(config_class, key)
    if typing.get_origin(inner) is typing.Literal and value not in typing.get_args(inner):
        raise ValueError(f"must be {type_name(inner)}; got {value!r}")
    if rule is not None and not rule.admits(value):
        raise ValueError(f"must be {rule.describe()}; got {value!r}")
    return value


def parse_text(config_class: type, key: str, text: str) -> Any:
    """``--set key=text``'s value, or one line naming the setting, the value and what is allowed."""
    try:
        return read_value(config_class, key, text)
    except ValueError as e:
        raise TfGanError(f"--set {key}={text}: {key} {e}") from None


def _parse(kind: Any, text: str, word: str) -> Any:
    if kind is bool:
        if word in TRUE + FALSE:
            return word in TRUE
        raise ValueError
    if kind is int:
        return int(text)
    if kind is float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError
        return value
    if typing.get_origin(kind) is typing.Literal or kind is str:
        return text
    if typing.get_origin(kind) is tuple:
        parts = json.loads(text) if text.startswith("[") else text.replace("x", ",").split(",")
        return tuple(int(p) for p in parts)
    raise ValueError


def _is(kind: Any, value: Any) -> bool:
    """Is `value` of the (inner) type `kind`? A whole number is a number too; a bool is never a number."""
    if kind is bool:
        return isinstance(value, bool)
    if kind in (int, float):
        return isinstance(value, (int, float) if kind is float else int) and not isinstance(value, bool) \
            and (kind is int or math.isfinite(value))
    if kind is str:
        return isinstance(value, str)
    if typing.get_origin(kind) is typing.Literal:
        return value in typing.get_args(kind)
    if typing.get_origin(kind) is tuple:
        return isinstance(value, (tuple, list)) and len(value) == len(typing.get_args(kind)) and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)
    return True


def check(config: Any) -> None:
    """Refuse, in one line, the first setting of `config` whose value its type or its rule does not admit."""
    for key, kind in field_types(type(config)).items():
        value = getattr(config, key)
        inner, optional = unwrap_optional(kind)
        if value is None and optional:
            continue
        if not _is(inner, value):
            verb = "must be" if typing.get_origin(inner) is typing.Literal else "takes"
            raise TfGanError(f"{key} {verb} {type_name(kind)}; got {value!r}")
        rule = rule_of(type(config), key)
        if rule is not None and not rule.admits(value):
            raise TfGanError(f"{key} must be {rule.describe()}; got {value!r}")
