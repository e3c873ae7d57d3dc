"""Cue words with scores: the ``context``, ``score`` and ``context_score`` config keys every identifier
recognizer reads the same way, and the entity built from a match and the cue found near it.

* :data:`CONTEXT_KEYS` / :data:`CONTEXT_SCORE_KEYS` — the config keys (with and without ``context_score``).
* :class:`ScoredContext` / :func:`scored_context` — cue words and the scores without and next to a cue;
  config errors name the key.
* :func:`cued_matches` — only the matches with a cue near them.
* :func:`cue_entity` — an entity scored for its cue, the cue named in the explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from ..entity import Entity
from ..recognizer import Recognizer
from ._base import ContextWords, check_score, make_entity, word_list

# config keys of a recognizer with cue words and one score; CONTEXT_SCORE_KEYS adds the score next to a cue
CONTEXT_KEYS: dict[str, type | tuple[type, ...]] = {"context": (list, tuple), "score": (int, float)}
CONTEXT_SCORE_KEYS: dict[str, type | tuple[type, ...]] = {**CONTEXT_KEYS, "context_score": (int, float)}


@dataclass(frozen=True, slots=True)
class ScoredContext:
    """A recognizer's cue words with its score without a cue and its score next to one."""

    words: ContextWords
    score: float
    context_score: float

    def score_for(self, cue: str | None) -> float:
        return self.context_score if cue else self.score


def scored_context(
    cfg: Mapping[str, Any],
    *,
    where: str,
    words: Iterable[str],
    before: int,
    after: int,
    score: float,
    context_score: float | None = None,
) -> ScoredContext:
    """The ``context``, ``score`` and (when ``context_score`` has a default) ``context_score`` config keys.

    Without a ``context_score`` default that key is not read and the score next to a cue is ``score``.
    """
    context = ContextWords(
        word_list(cfg.get("context", words), key="context", where=where), before=before, after=after
    )
    base = check_score(cfg.get("score", score), key="score", where=where)
    if context_score is None:
        return ScoredContext(context, base, base)
    cued = check_score(cfg.get("context_score", context_score), key="context_score", where=where)
    return ScoredContext(context, base, cued)


def cued_matches(
    rx: regex.Pattern[str], text: str, context: ContextWords
) -> Iterator[tuple[regex.Match[str], str]]:
    """Each match of ``rx`` with a cue word near it (nothing when no cue occurs anywhere in ``text``)."""
    if not context.any_in(text):
        return
    for m in rx.finditer(text):
        cue = context.find(text, m.start(), m.end())
        if cue is not None:
            yield m, cue


def cue_entity(
    rec: Recognizer,
    text: str,
    start: int,
    end: int,
    *,
    label: str,
    value: Any,
    scored: ScoredContext,
    cue: str | None,
    why: str,
    score: float | None = None,
) -> Entity:
    """:func:`make_entity` with the score for ``cue`` (unless ``score`` is given) and the cue in the explanation."""
    if cue:
        why += f"; context word '{cue}'"
    return make_entity(
        rec,
        text,
        start,
        end,
        label=label,
        value=value,
        score=scored.score_for(cue) if score is None else score,
        explanation=why,
    )
