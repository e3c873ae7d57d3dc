"""The one value every stage of vner produces: an entity span over the caller's original text."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Origin(StrEnum):
    """Which kind of stage produced an entity: the merge policy decides on this, never on ``source`` text."""

    RULE = "rule"  # a recognizer of the rule stage (``RuleSet.analyze`` stamps it)
    MODEL = "model"  # the transformer tagger
    POST = "post"  # a post-processing step that made a new entity (not one it only resized)
    OTHER = "other"  # anything else: gold annotations, LLM suggestions, entities built by hand


@dataclass(frozen=True, slots=True)
class Entity:
    """A labelled span of the caller's original string.

    ``start``/``end`` index the string the caller passed in (not a normalised copy), so
    ``original[start:end] == text`` always holds. ``value`` is the normalised value
    (digits for IDs, E.164 for phones, ``{"amount": int, "currency": str}`` for money,
    ISO 8601 / TIMEX3 strings for time, canonical names for gazetteer hits) or ``None``.
    ``source`` names the producer with its version (``"rule:phone.v1"``, ``"model:e5-small@abc123"``).
    ``origin`` says which kind of stage produced it (:class:`Origin`); ``source`` is the human-readable name.
    ``stages`` records every stage that produced or changed the entity, in order.
    """

    start: int
    end: int
    label: str
    text: str
    value: Any = None
    source: str = ""
    score: float = 1.0
    explanation: str = ""
    stages: tuple[str, ...] = field(default=())
    origin: Origin = Origin.OTHER

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"entity text length {len(self.text)} != span length {self.end - self.start}")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def overlaps(self, other: Entity) -> bool:
        return self.start < other.end and other.start < self.end

    def replace(self, **changes: Any) -> Entity:
        return dataclasses.replace(self, **changes)

    def with_stage(self, stage: str, **changes: Any) -> Entity:
        return dataclasses.replace(self, stages=(*self.stages, stage), **changes)

    def to_dict(self, *, mask: bool = False) -> dict[str, Any]:
        d = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "value": self.value,
            "source": self.source,
            "origin": self.origin.value,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "stages": list(self.stages),
        }
        if mask:
            d["text"] = "***"
            d["value"] = "***" if self.value is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            label=str(d["label"]),
            text=str(d["text"]),
            value=d.get("value"),
            source=str(d.get("source", "")),
            score=float(d.get("score", 1.0)),
            explanation=str(d.get("explanation", "")),
            stages=tuple(d.get("stages", ())),
            origin=Origin(d.get("origin", Origin.OTHER.value)),
        )
