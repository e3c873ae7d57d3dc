"""Shared types and text helpers of the post-processing steps.

A step is a pure function ``(text, entities, ctx) -> entities`` over the *normalised* text (NFC, single
spaces). Steps append ``post:<name>`` to the ``stages`` of every entity they create or change. ``fold`` (lower
case, no diacritics, same length) is :func:`vner.rules.lang.vi.diacritics.fold`, the rules' own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from ....rules.entity import Entity
from ....rules.lang.vi.diacritics import fold
from .context import DomainContext

Step = Callable[[str, Sequence[Entity], DomainContext], list[Entity]]


def stage_name(step: str) -> str:
    return f"post:{step}"


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_phrase(folded_text: str, phrase: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Word-bounded occurrences of ``phrase`` (folded the same way) in ``folded_text[lo:hi]``."""
    hi = len(folded_text) if hi is None else hi
    pat = fold(phrase)
    out: list[tuple[int, int]] = []
    i = folded_text.find(pat, lo)
    while i != -1 and i + len(pat) <= hi:
        j = i + len(pat)
        left_ok = i == 0 or not is_word_char(folded_text[i - 1]) or not is_word_char(pat[0])
        right_ok = j == len(folded_text) or not is_word_char(folded_text[j]) or not is_word_char(pat[-1])
        if left_ok and right_ok:
            out.append((i, j))
        i = folded_text.find(pat, i + 1)
    return out


def make_entity(text: str, start: int, end: int, like: Entity, step: str, explanation: str) -> Entity:
    """A new entity over ``text[start:end]`` carrying ``like``'s label, source and score."""
    return Entity(
        start=start,
        end=end,
        label=like.label,
        text=text[start:end],
        source=like.source,
        score=like.score,
        explanation=explanation,
        stages=(*like.stages, stage_name(step)),
        origin=like.origin,
    )


def resize(text: str, ent: Entity, start: int, end: int, step: str, why: str) -> Entity:
    """``ent`` moved to ``[start, end)`` with the step recorded and the reason appended to its explanation."""
    expl = f"{ent.explanation}; {why}" if ent.explanation else why
    return ent.with_stage(stage_name(step), start=start, end=end, text=text[start:end], explanation=expl)


def covered(ents: Sequence[Entity], start: int, end: int) -> bool:
    """Whether any entity overlaps ``[start, end)``."""
    return any(e.start < end and start < e.end for e in ents)


WORD_RE = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*")
