"""Shared types and text helpers of the post-processing steps.

A step is a pure function ``(text, entities, ctx) -> entities`` over the *normalised* text (NFC, single
spaces). Steps append ``post:<name>`` to the ``stages`` of every entity they create or change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex
from vner.engine.pipeline.postprocess.context import DomainContext
from vner.rules.entity import Entity
from vner.rules.normalize import strip_diacritics

Step = Callable[[str, Sequence[Entity], DomainContext], list[Entity]]


def stage_name(step: str) -> str:
    return f"post:{step}"


_FOLD_TABLE: dict[int, str] = {}  # char -> folded char, filled on first sight (same result every time)


def fold(text: str) -> str:
    """Lower-case and strip diacritics; the result has the same length as NFC ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower-case form has another length (rare)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for ch in set(low):
        if ord(ch) not in _FOLD_TABLE:
            folded = strip_diacritics(ch)
            _FOLD_TABLE[ord(ch)] = folded if len(folded) == 1 else ch
    return low.translate(_FOLD_TABLE)


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
    )


def resize(text: str, ent: Entity, start: int, end: int, step: str, why: str) -> Entity:
    """``ent`` moved to ``[start, end)`` with the step recorded and the reason appended to its explanation."""
    expl = f"{ent.explanation}; {why}" if ent.explanation else why
    return ent.with_stage(stage_name(step), start=start, end=end, text=text[start:end], explanation=expl)


def covered(ents: Sequence[Entity], start: int, end: int) -> bool:
    """Whether any entity overlaps ``[start, end)``."""
    return any(e.start < end and start < e.end for e in ents)


WORD_RE = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*")
