"""Fine-label resolvers: which cue word decides the fine label of a label group's entity.

A resolver is a pure function of the cue hits found around one entity (post-processing finds them, see
``vner.engine.pipeline.postprocess.restore_fine``); it returns the winning hit or ``None``. Resolvers are named
and versioned in :data:`RESOLVERS`; a domain schema names one per group (``groups.X.resolver``) and the schema
loader rejects a name that is not registered here. To change behaviour, register ``.v2``; never edit ``.v1``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .registry import Registry


@dataclass(frozen=True)
class CueHit:
    """One occurrence of a fine label's cue around an entity."""

    label: str
    cue: str
    start: int
    end: int
    distance: int  # characters between cue and entity; 0 when the cue lies inside the entity
    before: bool
    blocked: bool  # another entity of the same group lies between the cue and this entity
    clause_break: bool = (
        False  # a clause or sentence mark (",", ";", ".", "!", "?", a line break) lies between
    )


Resolver = Callable[[list[CueHit]], CueHit | None]

RESOLVERS: Registry[Resolver] = Registry("fine-label resolver")


@RESOLVERS.register("nearest_cue.v1")
def nearest_cue_v1(hits: list[CueHit]) -> CueHit | None:
    """Unblocked cues first, then the nearest; a cue before the entity beats one after; longer cues win ties."""
    if not hits:
        return None
    return min(
        hits, key=lambda h: (h.blocked, h.distance, not h.before, -(h.end - h.start), h.start, h.label)
    )


@RESOLVERS.register("preceding_cue.v1")
def preceding_cue_v1(hits: list[CueHit]) -> CueHit | None:
    """Only cues inside or before the entity count (for languages/schemas where the cue always leads)."""
    return nearest_cue_v1([h for h in hits if h.before or h.distance == 0])


@RESOLVERS.register("same_clause_cue.v1")
def same_clause_cue_v1(hits: list[CueHit]) -> CueHit | None:
    """Unblocked cues in the entity's own clause first; there a cue inside or before the entity beats any after
    it ("phụ cấp ca đêm 618,000 bị trừ ...": the allowance), then the nearest; longer cues win ties."""
    if not hits:
        return None
    return min(
        hits,
        key=lambda h: (
            h.blocked,
            h.clause_break,
            not (h.before or h.distance == 0),
            h.distance,
            -(h.end - h.start),
            h.start,
            h.label,
        ),
    )


__all__ = ["RESOLVERS", "CueHit", "Resolver", "nearest_cue_v1", "preceding_cue_v1", "same_clause_cue_v1"]
