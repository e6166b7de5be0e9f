"""What each recipe setting may hold: its type (from the Config's annotations) and its range or choices.

One place answers "is this a valid value for this setting?" for every recipe: a value from
``--set KEY=VALUE`` (text, parsed here by the field's type), from a run's config.json, or
from Python. A bad one is refused in one line that names the setting, the value and what
is allowed, before any graph is built or any run directory is made.

Types come from the annotations: ``int`` (a whole number), ``float``, ``bool``, ``str``,
a ``Literal[...]`` (its values are the choices), ``X | None`` and ``tuple[int, int]``.
Ranges come from the Config's ``ALLOWED``; a whole number with none declared is a count,
at least 1.
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


@functools.cache
def field_types(config_class: type) -> dict[str, Any]:
    """Each field's annotation, resolved (the recipes use ``from __future__ import annotations``)."""
    hints = typing.get_type_hints(config_class)
    return {f.name: hints[f.name] for f in dataclasses.fields(config_class)}


def _optional(kind: Any) -> tuple[Any, bool]:
    """(the type inside, whether None is allowed) for ``X | None``; (kind, False) otherwise."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(inner) == 1:
            return inner[0], True
    return kind, False


def type_name(kind: Any) -> str:
    inner, optional = _optional(kind)
    if typing.get_origin(inner) is typing.Literal:
        name = "one of " + ", ".join(str(a) for a in typing.get_args(inner))
    else:
        name = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
            inner, "two whole numbers, as [rows, cols]" if typing.get_origin(inner) is tuple else str(inner))
    return f"{name}, or none" if optional else name


def describe(config_class: Any, key: str) -> str:
    """What setting `key` may hold, in words: its type, and its range or choices when it has them."""
    kind = field_types(config_class)[key]
    inner, optional = _optional(kind)
    rule = config_class.allowed().get(key, COUNT if inner is int else None)
    if rule is None or typing.get_origin(inner) is typing.Literal:
        return type_name(kind)
    said = rule.describe() if rule.choices is not None else f"{type_name(inner)}, {rule.describe()}"
    return f"{said}, or none" if optional else said


def parse_text(config_class: type, key: str, text: str) -> Any:
    """`text` as the value of setting `key`, parsed by the field's type; one line naming what is allowed if not."""
    kind = field_types(config_class)[key]
    inner, optional = _optional(kind)
    word = text.strip().lower()
    if optional and word in NONE:
        return None
    try:
        return _parse(inner, text.strip(), word)
    except ValueError:
        raise TfGanError(f"--set {key}={text}: {key} takes {type_name(kind)}; got {text!r}") from None


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


def check(config: Any, allowed: dict[str, Allowed]) -> None:
    """Refuse, in one line, the first setting of `config` whose value its type or `allowed` does not admit."""
    for key, kind in field_types(type(config)).items():
        value = getattr(config, key)
        inner, optional = _optional(kind)
        if value is None and optional:
            continue
        if not _is(inner, value):
            verb = "must be" if typing.get_origin(inner) is typing.Literal else "takes"
            raise TfGanError(f"{key} {verb} {type_name(kind)}; got {value!r}")
        rule = allowed.get(key, COUNT if inner is int else None)
        if rule is not None and not rule.admits(value):
            raise TfGanError(f"{key} must be {rule.describe()}; got {value!r}")
