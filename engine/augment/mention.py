"""Mention replacement (entity-span recombination): swap an entity for another of the same label.

Replacement mentions come from the corpus itself (every distinct gold mention, by label) and/or a
gazetteer ``{LABEL: [mention, ...]}``. Offsets, tokens and BIO tags are rebuilt by
:func:`engine.augment.base.rewrite`, so ``text[start:end]`` is always the new mention.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence

from engine.augment.base import AugmentResult, Edit, each_doc, pick_other, rewrite
from engine.data import Doc


class MentionReplacer:
    """Replace each entity, with probability ``rate``, by a random other mention of its label."""

    name = "mention"

    def __init__(
        self,
        *,
        corpus: Sequence[Doc] = (),
        gazetteer: Mapping[str, Sequence[str]] | None = None,
        labels: Sequence[str] | None = None,
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

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits: list[Edit] = []
            for s in doc.spans:
                candidates = self.pool.get(s.label)
                report["entities_seen"] += 1
                if not candidates or rng.random() >= rate:
                    continue
                if any(e.start < s.end and s.start < e.end for e in edits):
                    continue  # nested/overlapping gold spans: replace only the first
                current = " ".join(doc.text[s.start : s.end].split())
                edits.append(Edit(s.start, s.end, pick_other(rng, candidates, current)))
                report[f"replaced:{s.label}"] += 1
                report["replaced"] += 1
            return rewrite(doc, edits, suffix="mention") if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)
