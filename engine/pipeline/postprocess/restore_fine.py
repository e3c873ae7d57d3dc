"""Fine-label restoration: a group label the model predicted becomes the fine label its cue words name.

The paper's example: BODY_MEASUREMENT → CHEST / WAIST / HIP from "vòng ngực", "vòng eo", "vòng mông" nearby;
and payroll: ALLOWANCE → NIGHT_SHIFT_ALLOWANCE ("ca đêm") or TRANSPORT_ALLOWANCE ("đi lại"). Resolvers are
named and versioned; the chosen cue is named in the entity's explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vner.engine.pipeline.postprocess.base import find_phrase, fold, stage_name
from vner.engine.pipeline.postprocess.context import DomainContext
from vner.rules.entity import Entity
from vner.rules.registry import Registry, UnknownNameError
from vner.rules.schema import LabelGroup

NAME = "restore_fine"


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


Resolver = Callable[[list[CueHit]], CueHit | None]


def _hits(folded: str, ent: Entity, group: LabelGroup, others: Sequence[Entity]) -> list[CueHit]:
    lo, hi = max(0, ent.start - group.window), min(len(folded), ent.end + group.window)
    hits: list[CueHit] = []
    for label in group.members:
        for cue in group.cues.get(label, ()):
            for s, e in find_phrase(folded, cue, lo, hi):
                inside = s >= ent.start and e <= ent.end
                before = e <= ent.start
                if inside:
                    dist = 0
                elif before:
                    dist = ent.start - e
                elif s >= ent.end:
                    dist = s - ent.end
                else:
                    dist = 0  # straddles the entity edge
                gap = (e, ent.start) if before else (ent.end, s)
                blocked = not inside and any(gap[0] <= o.start and o.end <= gap[1] for o in others)
                hits.append(CueHit(label, cue, s, e, dist, before, blocked))
    return hits


def nearest_cue_v1(hits: list[CueHit]) -> CueHit | None:
    """Unblocked cues first, then the nearest; a cue before the entity beats one after; longer cues win ties."""
    if not hits:
        return None
    return min(
        hits, key=lambda h: (h.blocked, h.distance, not h.before, -(h.end - h.start), h.start, h.label)
    )


def preceding_cue_v1(hits: list[CueHit]) -> CueHit | None:
    """Only cues inside or before the entity count (for languages/schemas where the cue always leads)."""
    return nearest_cue_v1([h for h in hits if h.before or h.distance == 0])


RESOLVERS: Registry[Resolver] = Registry("fine-label resolver")
RESOLVERS.add("nearest_cue.v1", nearest_cue_v1)
RESOLVERS.add("preceding_cue.v1", preceding_cue_v1)


def get_resolver(name: str) -> Resolver:
    """The resolver registered as ``name``; an unknown name is a ``ValueError`` listing the known ones."""
    try:
        return RESOLVERS.get(name)
    except UnknownNameError as exc:
        raise ValueError(str(exc)) from None


def restore_fine(text: str, entities: Sequence[Entity], ctx: DomainContext) -> list[Entity]:
    """Relabel every entity whose label is a group to the fine label of the best cue in the group's window."""
    if not ctx.groups:
        return list(entities)
    folded = fold(text)
    out: list[Entity] = []
    for ent in entities:
        group = ctx.group_of(ent.label)
        if group is None:
            out.append(ent)
            continue
        resolver = get_resolver(group.resolver)
        same_group = [o for o in entities if o is not ent and o.label == group.name]
        hit = resolver(_hits(folded, ent, group, same_group))
        if hit is not None:
            where = (
                "inside the span"
                if hit.distance == 0
                else f"{hit.distance} chars {'before' if hit.before else 'after'}"
            )
            why = f"fine label {hit.label} from cue {text[hit.start : hit.end]!r} ({where}, {group.resolver})"
            new_label = hit.label
        elif group.default is not None:
            why = f"fine label {group.default}: group default, no cue within {group.window} chars"
            new_label = group.default
        else:
            out.append(ent.replace(explanation=_join(ent.explanation, f"no cue for group {group.name}")))
            continue
        out.append(ent.with_stage(stage_name(NAME), label=new_label, explanation=_join(ent.explanation, why)))
    return out


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


__all__ = ["RESOLVERS", "CueHit", "fold", "get_resolver", "restore_fine"]
