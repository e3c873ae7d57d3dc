"""Mention replacement (entity-span recombination): swap an entity for another of the same label.

Replacement mentions come from the corpus itself (every distinct gold mention, by label) and/or a
gazetteer ``{LABEL: [mention, ...]}``. Offsets, tokens and BIO tags are rebuilt by
:func:`vner.engine.augment.base.rewrite`, so ``text[start:end]`` is always the new mention.

``by_head=True`` (the ``mention-head`` augmenter) keeps a replacement coherent with its context: a label
often mixes kinds ("Bệnh viện Bạch Mai", "quận 2", "Đà Nẵng" are all LOCATION, but "được đưa vào quận 2"
is not a sentence a corpus holds), so a mention is replaced only by one of the same *head*. The head is
learnt from the data, not listed: the first word of a multi-word mention, lower-cased, when that word is
also an ordinary word of the corpus (outside every entity: "bệnh", "quận", "sở", "trung") and at least
two distinct mentions of the label start with it; every other mention has the empty head (bare names).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from ..training.corpus import Doc
from .base import AugmentResult, Edit, each_doc, pick_other, rewrite


class MentionReplacer:
    """Replace each entity, with probability ``rate``, by a random other mention of its label."""

    name = "mention"

    def __init__(
        self,
        *,
        corpus: Sequence[Doc] = (),
        gazetteer: Mapping[str, Sequence[str]] | None = None,
        labels: Sequence[str] | None = None,
        by_head: bool = False,
    ) -> None:
        pool: dict[str, set[str]] = {}
        for d in corpus:
            for s in d.spans:
                mention = " ".join(d.text[s.start : s.end].split())
                if mention:
                    pool.setdefault(s.label, set()).add(mention)
        for label, mentions in (gazetteer or {}).items():
            pool.setdefault(label, set()).update(" ".join(m.split()) for m in mentions if m.strip())
        if labels is not None:
            pool = {k: v for k, v in pool.items() if k in set(labels)}
        self.pool: dict[str, list[str]] = {k: sorted(v) for k, v in pool.items() if len(v) > 1}
        if not self.pool:
            raise ValueError("mention replacement needs at least two distinct mentions of some label")
        self.by_head = by_head
        self.name = "mention-head" if by_head else "mention"
        self.heads: dict[str, dict[str, list[str]]] = {}
        if by_head:
            plain = plain_words(corpus)
            for label, mentions in self.pool.items():
                groups: dict[str, list[str]] = {}
                for m in mentions:
                    groups.setdefault(candidate_head(m, plain), []).append(m)
                # a head two mentions share is a kind; a lone one falls back to the bare names
                kinds = {h: ms for h, ms in groups.items() if h and len(ms) > 1}
                kinds[""] = [m for h, ms in groups.items() if h not in kinds for m in ms]
                self.heads[label] = {h: ms for h, ms in kinds.items() if ms}

    def head_of(self, label: str, mention: str) -> str:
        """The head group ``mention`` of ``label`` falls in (``""``: bare names)."""
        kinds = self.heads.get(label, {})
        words = mention.split()
        first = _key(words[0]) if len(words) > 1 else ""
        return first if first in kinds else ""

    def candidates(self, label: str, mention: str) -> list[str] | None:
        """Replacements for ``mention``: its label's pool, or (``by_head``) its head group when that has two."""
        if not self.by_head:
            return self.pool.get(label)
        kinds = self.heads.get(label)
        if not kinds:
            return None
        group = kinds.get(self.head_of(label, mention), [])
        return group if len(group) > 1 else None

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits: list[Edit] = []
            for s in doc.spans:
                current = " ".join(doc.text[s.start : s.end].split())
                candidates = self.candidates(s.label, current)
                report["entities_seen"] += 1
                if not candidates or rng.random() >= rate:
                    continue
                if any(e.start < s.end and s.start < e.end for e in edits):
                    continue  # nested/overlapping gold spans: replace only the first
                edits.append(Edit(s.start, s.end, pick_other(rng, candidates, current)))
                report[f"replaced:{s.label}"] += 1
                report["replaced"] += 1
            return rewrite(doc, edits, suffix="mention") if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower()  # corpora mix composed and decomposed diacritics


def plain_words(corpus: Sequence[Doc]) -> set[str]:
    """Lower-cased (NFC) words of ``corpus`` outside every entity span."""
    out: set[str] = set()
    for d in corpus:
        pos = 0
        for sp in sorted(d.spans, key=lambda x: x.start):
            out.update(_key(w) for w in d.text[pos : sp.start].split())
            pos = max(pos, sp.end)
        out.update(_key(w) for w in d.text[pos:].split())
    return out


def candidate_head(mention: str, plain: set[str]) -> str:
    """``mention``'s first word (lower-cased NFC) if more words follow and it is an ordinary alphabetic word
    of the corpus; else ``""`` ("25 - 7" has no head: a number is not a kind)."""
    words = mention.split()
    if len(words) < 2 or not words[0].isalpha():
        return ""
    head = _key(words[0])
    return head if head in plain else ""
