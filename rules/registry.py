"""Named registries: the one mechanism mapping configuration names to code.

:class:`Registry` is a small generic name -> object table (as spaCy's registry): ``reg = Registry[T]("merge policy")``,
``@reg.register("hybrid_merge.v1")`` (or ``reg.add(name, obj)``), ``reg.get(name)`` (an unknown name fails listing the
known ones), ``reg.names()``, ``reg.help(name)``. Registering a name twice is an error. It lives here, in the bottom
layer, so every layer may use it.

This module also holds the one explicit registry of recognizer families (no ``__subclasses__`` discovery).
Each family module exposes ``RECOGNIZERS: dict[str, type]`` mapping a recognizer name to its class.
Domain YAML refers to recognizers by these names; an unknown name is a start-up error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class UnknownNameError(KeyError):
    """A name no one registered; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class Registry(Mapping[str, T], Generic[T]):
    """A named table of ``name -> object``, filled by :meth:`register` / :meth:`add`, read-only as a ``Mapping``.

    Names keep their registration order. A second registration of a name raises ``ValueError``;
    looking up an unknown name raises :class:`UnknownNameError` (a ``KeyError``) listing the known names.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, name: str, obj: T) -> T:
        """Register ``obj`` as ``name``; returns ``obj``."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"{self.kind} name must be a non-empty string, got {name!r}")
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} registered twice")
        self._items[name] = obj
        return obj

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator form of :meth:`add`: ``@reg.register("name.v1")``."""

        def deco(obj: T) -> T:
            return self.add(name, obj)

        return deco

    def get(self, name: str) -> T:  # type: ignore[override]  # no default: unknown names fail
        """The object registered as ``name``; :class:`UnknownNameError` listing the known names otherwise."""
        return self._lookup(name)

    def _lookup(self, name: object) -> T:
        if isinstance(name, str) and name in self._items:
            return self._items[name]
        known = ", ".join(sorted(self._items)) or "(none)"
        raise UnknownNameError(f"unknown {self.kind} {name!r}; known: {known}")

    def names(self) -> tuple[str, ...]:
        """The registered names, in registration order."""
        return tuple(self._items)

    def help(self, name: str) -> str:
        """The first line of the docstring of the object registered as ``name`` ("" when it has none)."""
        doc = getattr(self.get(name), "__doc__", None) or ""
        lines = doc.strip().splitlines()
        return lines[0].strip() if lines else ""

    def __getitem__(self, name: object) -> T:
        return self._lookup(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {list(self._items)})"


FAMILY_MODULES: tuple[str, ...] = (
    "vner.rules.recognizers.phone",
    "vner.rules.recognizers.ids",
    "vner.rules.recognizers.tax",
    "vner.rules.recognizers.bank",
    "vner.rules.recognizers.order_code",
    "vner.rules.recognizers.web",
    "vner.rules.recognizers.plate",
    "vner.rules.recognizers.money",
    "vner.rules.recognizers.measure",
    "vner.rules.recognizers.temporal.recognizer",
    "vner.rules.recognizers.sutime_adapter",
    "vner.rules.recognizers.gazetteer",
    "vner.rules.recognizers.pattern",
)


@cache
def recognizer_classes() -> Registry[Any]:
    """Name -> recognizer class for every family in :data:`FAMILY_MODULES` (a :class:`Registry`, read as a mapping)."""
    reg: Registry[Any] = Registry("recognizer")
    for mod_name in FAMILY_MODULES:
        mod = importlib.import_module(mod_name)
        for name, cls in mod.RECOGNIZERS.items():
            if name in reg:
                raise RuntimeError(f"recognizer name {name!r} registered twice ({mod_name})")
            reg.add(name, cls)
    return reg


def get_recognizer_class(name: str) -> Any:
    """The recognizer class registered as ``name``; ``KeyError`` naming the known ones otherwise."""
    return recognizer_classes().get(name)
