"""Token-level augmenters of Dai & Adel (COLING 2020, "simple data augmentation for NER").

- ``lwtr`` (label-wise token replacement): each token, with probability ``rate``, becomes another
  token seen in the corpus with the same label at the same place in a mention (BIOES: a first token
  from first tokens, a one-token mention from one-token mentions, ``O`` from ``O``), so new mentions
  are recombined from pieces of old ones and contexts get new words.
- ``recombine``: ``lwtr`` on entity tokens only, so contexts stay as written and only the mentions
  change, into new mentions recombined from the pieces of old ones ("viêm phổi" + "suy hô hấp" ->
  "viêm hô hấp").
- ``shuffle`` (shuffle within segments): the tokens are cut into segments of one label (a mention, or a
  run of ``O`` tokens); each segment, with probability ``rate``, has its tokens shuffled while the tag
  sequence stays as it was.

All three keep the tag sequence, the token count and the whitespace between tokens, so every output span
still covers whole tokens and ``text[start:end]`` is the new mention. A document with nested or
overlapping gold spans has no single BIO reading: it is passed through unchanged and counted.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from ..training.corpus import Doc, doc_tags, tags_to_spans
from .base import AugmentResult, Change, each_doc, pick_other


def _overlapping(doc: Doc) -> bool:
    spans = sorted(doc.spans, key=lambda s: (s.start, s.end))
    return any(b.start < a.end for a, b in zip(spans, spans[1:], strict=False))


def _single_reading(change: Change) -> Change:
    """``change`` for docs with one BIO reading; a doc with nested/overlapping spans is kept and counted."""

    def guarded(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
        if _overlapping(doc):
            report["skipped_overlapping_spans"] += 1
            return None
        return change(doc, rng, report)

    return guarded


def position_keys(tags: Sequence[str]) -> list[str]:
    """BIOES keys of BIO tags: a one-token mention is ``S-X``, a last token ``E-X``; ``O`` stays ``O``.

    Pools keyed this way keep a word where it was seen: "tỉnh" (first of "tỉnh Quảng Nam") never
    becomes a whole LOCATION on its own.
    """
    keys: list[str] = []
    for i, t in enumerate(tags):
        if t == "O":
            keys.append(t)
            continue
        goes_on = i + 1 < len(tags) and tags[i + 1] == "I-" + t[2:]
        keys.append(
            ("B-" if goes_on else "S-") + t[2:] if t.startswith("B-") else ("I-" if goes_on else "E-") + t[2:]
        )
    return keys


def rebuild(doc: Doc, words: Sequence[str], tags: Sequence[str], *, suffix: str) -> Doc:
    """``doc`` with its tokens replaced by ``words`` (same count), keeping the gaps between tokens."""
    if len(words) != len(doc.tokens) or len(tags) != len(doc.tokens):
        raise ValueError("rebuild needs one word and one tag per token")
    pieces: list[str] = []
    tokens: list[tuple[int, int]] = []
    old = pos = 0
    for (a, b), w in zip(doc.tokens, words, strict=True):
        if not w or w != w.strip():
            raise ValueError(f"replacement token must be non-empty and unpadded: {w!r}")
        gap = doc.text[old:a]
        pieces += [gap, w]
        pos += len(gap)
        tokens.append((pos, pos + len(w)))
        pos += len(w)
        old = b
    pieces.append(doc.text[old:])
    return Doc(f"{doc.id}+{suffix}", "".join(pieces), tuple(tags_to_spans(tokens, tags)), tuple(tokens))


class LabelwiseTokenReplacer:
    """Replace each token, with probability ``rate``, by a corpus token of the same BIOES position and label.

    With ``entity_only`` the ``O`` tokens are never replaced (the ``recombine`` augmenter).
    """

    name = "lwtr"

    def __init__(self, *, corpus: Sequence[Doc], entity_only: bool = False) -> None:
        self.entity_only = entity_only
        if entity_only:
            self.name = "recombine"
        pool: dict[str, set[str]] = {}
        for d in corpus:
            if _overlapping(d):
                continue
            for w, t in zip(d.words, position_keys(doc_tags(d)), strict=True):
                if t != "O" or not entity_only:
                    pool.setdefault(t, set()).add(w)
        self.pool: dict[str, list[str]] = {t: sorted(ws) for t, ws in pool.items() if len(ws) > 1}
        if not self.pool:
            raise ValueError("label-wise token replacement needs a corpus with two distinct tokens of a tag")

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            words, tags = doc.words, doc_tags(doc)
            new = list(words)
            for i, (w, t) in enumerate(zip(words, position_keys(tags), strict=True)):
                report["tokens_seen"] += 1
                candidates = self.pool.get(t)
                if not candidates or rng.random() >= rate:
                    continue
                new[i] = pick_other(rng, candidates, w)
                report["replaced"] += 1
                report["replaced:entity" if t != "O" else "replaced:O"] += 1
            return rebuild(doc, new, tags, suffix=self.name) if new != words else None

        return each_doc(docs, rate=rate, seed=seed, change=_single_reading(change))


def segments(tags: Sequence[str]) -> list[tuple[int, int]]:
    """``[start, end)`` token ranges of one label: each mention, and each maximal run of ``O``."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tags) + 1):
        if i == len(tags) or tags[i].startswith("B-") or (tags[i] == "O") != (tags[start] == "O"):
            out.append((start, i))
            start = i
    return out


class SegmentShuffler:
    """Shuffle the tokens inside each same-label segment with probability ``rate``."""

    name = "shuffle"

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            words, tags = doc.words, doc_tags(doc)
            new = list(words)
            for a, b in segments(tags):
                if b - a < 2:
                    continue
                report["segments_seen"] += 1
                if rng.random() >= rate:
                    continue
                part = new[a:b]
                rng.shuffle(part)
                new[a:b] = part
                report["shuffled"] += 1
            return rebuild(doc, new, tags, suffix="shuffle") if new != words else None

        return each_doc(docs, rate=rate, seed=seed, change=_single_reading(change))
