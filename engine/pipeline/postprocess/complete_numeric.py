"""Completing partial numeric extraction: the second dimension of "2,16 m * 1,2 m" and a missing ratio "1/4".

The paper's failures (Tables 10-11): only "2,16 m" found in "2,16 m * 1,2 m"; "1/4" missed beside an
overtime allowance. Dimensions get the label of their found sibling (restore_fine may refine it later);
a fraction near a ``ratio_host`` entity becomes the domain's ``ratio`` label, replacing a DATE reading of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ....rules.entity import Entity, Origin
from .base import covered, make_entity, stage_name
from .context import DomainContext

NAME = "complete_numeric"
RATIO_WINDOW = 60
_NUM_UNIT = r"\d+(?:[.,]\d+)?\s?(?:mm|cm|m2|m²|m|km|kg|g|l|ml|inch|in)(?![\p{L}\p{N}])"
_AFTER_RE = regex.compile(rf"\s*[*x×X]\s*(?P<dim>{_NUM_UNIT})")
_BEFORE_RE = regex.compile(rf"(?P<dim>{_NUM_UNIT})\s*[*x×X]\s*$")
_FRACTION_RE = regex.compile(r"(?<![\p{N}/.,])(?P<n>\d{1,2})/(?P<d>\d{1,2})(?![\p{N}/])")
_DATE_LABELS = frozenset({"DATE", "TIME"})


def _dimensions(text: str, ents: list[Entity], measures: frozenset[str]) -> list[Entity]:
    added: list[Entity] = []
    for ent in ents:
        if ent.label not in measures:
            continue
        cur = ent
        while (m := _AFTER_RE.match(text, cur.end)) and not covered(
            ents + added, m.start("dim"), m.end("dim")
        ):
            cur = make_entity(
                text, m.start("dim"), m.end("dim"), ent, NAME, "next dimension of a size product"
            )
            added.append(cur)
        m = _BEFORE_RE.search(text[max(0, ent.start - 24) : ent.start])
        if m:
            off = max(0, ent.start - 24)
            s, e = off + m.start("dim"), off + m.end("dim")
            if not covered(ents + added, s, e):
                added.append(make_entity(text, s, e, ent, NAME, "previous dimension of a size product"))
    return added


def _ratios(text: str, ents: list[Entity], ctx: DomainContext) -> tuple[list[Entity], set[int]]:
    ratio_labels = sorted(ctx.role("ratio"))
    hosts = [e for e in ents if e.label in ctx.role("ratio_host")]
    if not ratio_labels or not hosts:
        return [], set()
    label = ratio_labels[0]
    added: list[Entity] = []
    replaced: set[int] = set()
    for m in _FRACTION_RE.finditer(text):
        n, d = int(m.group("n")), int(m.group("d"))
        if not (0 < n < d <= 12 or d == 100):
            continue
        s, e = m.span()
        near = [h for h in hosts if (s - h.end if s >= h.end else h.start - e) <= RATIO_WINDOW]
        if not near:
            continue
        clashing = [i for i, x in enumerate(ents) if x.start < e and s < x.end]
        if any(ents[i].label not in _DATE_LABELS or ents[i].span != (s, e) for i in clashing):
            continue
        replaced.update(clashing)
        added.append(
            Entity(
                start=s,
                end=e,
                label=label,
                text=text[s:e],
                value={"numerator": n, "denominator": d},
                source=f"post:{NAME}",
                score=0.9,
                explanation=f"fraction beside {near[0].label} read as {label}"
                + (" instead of a date" if clashing else ""),
                stages=(stage_name(NAME),),
                origin=Origin.POST,
            )
        )
    return added, replaced


def complete_numeric(text: str, entities: Sequence[Entity], ctx: DomainContext) -> list[Entity]:
    """Add missing sibling dimensions and ratios beside allowance/overtime entities."""
    ents = list(entities)
    added = _dimensions(text, ents, ctx.role("measure"))
    ratios, replaced = _ratios(text, ents + added, ctx)
    kept = [e for i, e in enumerate(ents + added) if i not in replaced]
    return sorted(kept + ratios, key=lambda e: (e.start, e.end, e.label))
