"""Overlap resolution inside one recognizer (money, measure): keep the longest, then best-scoring, span."""

from __future__ import annotations

from ..entity import Entity


def keep_longest(entities: list[Entity]) -> list[Entity]:
    """Non-overlapping subset: longest first, then highest score, then leftmost; returned in text order."""
    ranked = sorted(entities, key=lambda e: (e.start - e.end, -e.score, e.start))
    kept: list[Entity] = []
    for ent in ranked:
        if all(ent.end <= k.start or k.end <= ent.start for k in kept):
            kept.append(ent)
    return sorted(kept, key=lambda e: (e.start, e.end))
