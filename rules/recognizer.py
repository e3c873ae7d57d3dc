"""The Recognizer protocol every rule family implements, and the context it runs with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from .entity import Entity


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a recognizer may know besides the text: the reference time for relative dates and the language."""

    ref_time: datetime
    lang: str = "vi"
    domain: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Recognizer(Protocol):
    """A deterministic recognizer over NFC-normalised text.

    ``analyze`` returns entities whose offsets index the *normalised* text it was given; the
    :class:`vner.rules.ruleset.RuleSet` maps them back to the caller's original string.
    Constructed as ``cls(config=<mapping from the domain YAML>)``; unknown config keys raise ``ValueError``.
    """

    name: str
    version: str
    labels: tuple[str, ...]

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]: ...


def source_of(rec: Recognizer) -> str:
    """The ``source`` string entities of ``rec`` carry: ``rule:<name>.<version>``."""
    return f"rule:{rec.name}.{rec.version}"
