"""Fine-label restoration: a group label the model predicted becomes the fine label its cue words name.

A part of a size product ("30x20x10cm") takes the member its place names in the group's ``dimensions``; a
value in a unit no member is written in ("3.700 m2" among body and product sizes) fits no label and is dropped.

The paper's example: BODY_MEASUREMENT → CHEST / WAIST / HIP from "vòng ngực", "vòng eo", "vòng mông" nearby;
and payroll: ALLOWANCE → NIGHT_SHIFT_ALLOWANCE ("ca đêm") or TRANSPORT_ALLOWANCE ("đi lại"). Resolvers are
named and versioned in :data:`vner.rules.resolvers.RESOLVERS` (the schema validates against it); the
chosen cue is named in the entity's explanation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ....rules.entity import Entity
from ....rules.registry import UnknownNameError
from ....rules.resolvers import RESOLVERS, CueHit, Resolver
from ....rules.schema import LabelGroup
from .base import find_phrase, fold, stage_name
from .context import DomainContext

NAME = "restore_fine"
# a mark that ends a clause between a cue and the entity ("lương 8tr, phụ cấp 500k"); a decimal or thousands
# mark between digits is not one
_CLAUSE_MARK = re.compile(r"[;!?\n]|[.,](?!\d)|(?<!\d)[.,]")


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
                broken = not inside and _CLAUSE_MARK.search(folded, *gap) is not None
                hits.append(CueHit(label, cue, s, e, dist, before, blocked, broken))
    return hits


_LETTERS = re.compile(r"[^\W\d_]+")


def _unit_members(folded: str, ent: Entity, group: LabelGroup) -> tuple[str, tuple[str, ...]]:
    """The entity's unit and the members that declare it (``group.units``): the unit in the entity's value
    when a recognizer read one, else the first word or letters of its surface that some member declares
    ("1m6", "47 cân", model spans carry no value); ``("", ())`` when it has none a member declares."""
    if not group.units:
        return "", ()
    value = ent.value
    if isinstance(value, dict) and isinstance(value.get("unit"), str):
        allowed = group.members_for_unit(value["unit"])
        if allowed:
            return value["unit"], allowed
    for m in _LETTERS.finditer(folded, ent.start, ent.end):
        allowed = group.members_for_unit(m.group(0))
        if allowed:
            return m.group(0), allowed
    return "", ()


def _also_hits(
    folded: str,
    ent: Entity,
    group: LabelGroup,
    same_group: Sequence[Entity],
    ctx: DomainContext,
    own_spans: set[tuple[int, int]],
) -> list[CueHit]:
    """Cues of the groups ``group.also`` names ("dài" of PRODUCT_DIMENSION around a body measurement), each
    limited by its own group's units; a cue word this group also has at the same place stays this group's."""
    out: list[CueHit] = []
    for name in group.also:
        other = ctx.group_of(name)
        if other is None:
            continue
        hits = _hits(folded, ent, other, same_group)
        _, allowed = _unit_members(folded, ent, other)
        out += [h for h in hits if (not allowed or h.label in allowed) and (h.start, h.end) not in own_spans]
    return out


def _also_unit_members(
    folded: str, ent: Entity, group: LabelGroup, ctx: DomainContext
) -> tuple[str, tuple[str, ...]]:
    """The entity's unit and the members of the groups ``group.also`` names that declare it, for a unit no
    member of ``group`` declares ("850g" when only products are weighed in grams)."""
    unit = ""
    members: tuple[str, ...] = ()
    for name in group.also:
        other = ctx.group_of(name)
        if other is not None:
            u, allowed = _unit_members(folded, ent, other)
            if allowed:
                unit, members = u, (*members, *allowed)
    return unit, members


def _with_also(group: LabelGroup, ctx: DomainContext) -> list[LabelGroup]:
    """``group`` and the groups its ``also`` names (those the domain has)."""
    return [group, *(g for n in group.also if (g := ctx.group_of(n)) is not None)]


def _dimension_member(ent: Entity, group: LabelGroup, ctx: DomainContext) -> tuple[str, str] | None:
    """The member a part of a size product takes by its place ("30x20x10cm": the value says part 2 of 3) and
    the group that orders the parts (``dimensions``: this group's, else one ``also`` names); None for a value
    that is no part of one or a part past the declared order."""
    value = ent.value
    if not isinstance(value, dict) or not isinstance(part := value.get("dimension"), int) or part < 1:
        return None
    for g in _with_also(group, ctx):
        if part <= len(g.dimensions):
            return g.dimensions[part - 1], g.name
    return None


def _foreign_unit(ent: Entity, group: LabelGroup, ctx: DomainContext) -> str | None:
    """The unit a recognizer read in ``ent``'s value when no member of ``group`` or of the groups it names in
    ``also`` is written in it ("3.700 m2 đất" for body and product sizes); None when one is, or none was read."""
    value = ent.value
    if not group.units or not isinstance(value, dict) or not isinstance(unit := value.get("unit"), str):
        return None
    for g in _with_also(group, ctx):
        if not g.units or g.members_for_unit(unit):
            return None
    return unit


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
        if (dim := _dimension_member(ent, group, ctx)) is not None:
            why = (
                f"fine label {dim[0]}: part {ent.value['dimension']} of a size product ({dim[1]}.dimensions)"
            )
            out.append(
                ent.with_stage(stage_name(NAME), label=dim[0], explanation=_join(ent.explanation, why))
            )
            continue
        if _foreign_unit(ent, group, ctx) is not None:
            continue  # an area or a volume is none of the group's labels: no label fits, the entity goes
        resolver = get_resolver(group.resolver)
        same_group = [o for o in entities if o is not ent and o.label == group.name]
        hits = _hits(folded, ent, group, same_group)
        unit, allowed = _unit_members(folded, ent, group)
        if allowed:  # "47kg" is a weight even when "cao" is the nearest cue: only members with its unit count
            hits = [h for h in hits if h.label in allowed]
        elif group.units and group.also:
            unit, allowed = _also_unit_members(folded, ent, group, ctx)
            if allowed:
                hits = []  # "hộp sữa nặng 850g": no member of this group is written in its unit, another's is
        hits += _also_hits(folded, ent, group, same_group, ctx, {(h.start, h.end) for h in hits})
        hit = resolver(hits)
        if hit is None and len(allowed) == 1:
            why = f"fine label {allowed[0]} from its unit {unit!r} (the only member written in it)"
            out.append(
                ent.with_stage(stage_name(NAME), label=allowed[0], explanation=_join(ent.explanation, why))
            )
            continue
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
