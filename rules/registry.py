"""The one explicit registry of recognizer families (no ``__subclasses__`` discovery).

Each family module exposes ``RECOGNIZERS: dict[str, type]`` mapping a recognizer name to its class.
Domain YAML refers to recognizers by these names; an unknown name is a start-up error.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

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
def recognizer_classes() -> dict[str, Any]:
    """Name -> recognizer class for every family in :data:`FAMILY_MODULES`."""
    out: dict[str, Any] = {}
    for mod_name in FAMILY_MODULES:
        mod = importlib.import_module(mod_name)
        for name, cls in mod.RECOGNIZERS.items():
            if name in out:
                raise RuntimeError(f"recognizer name {name!r} registered twice ({mod_name})")
            out[name] = cls
    return out


def get_recognizer_class(name: str) -> Any:
    classes = recognizer_classes()
    if name not in classes:
        raise KeyError(f"unknown recognizer {name!r}; known: {', '.join(sorted(classes))}")
    return classes[name]
