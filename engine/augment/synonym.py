"""Synonym replacement of non-entity words from a shipped Vietnamese lexicon (``data/synonyms_vi.yaml``).

Phrases are matched on whole tokens, case-insensitively (NFC), longest first, and only where no token
belongs to an entity span; a replacement keeps an initial capital. Entity spans are shifted, never
edited, so ``text[start:end]`` is unchanged for every entity.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..training.corpus import Doc
from .base import AugmentResult, Edit, each_doc, rewrite

LEXICON = Path(__file__).with_name("data") / "synonyms_vi.yaml"


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def load_lexicon(path: Path = LEXICON, domains: Sequence[str] | None = None) -> list[list[str]]:
    """Synonym groups of the chosen domains (all when None) plus ``general``; validated."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("domains"), dict):
        raise ValueError(f"{path}: expected a mapping with 'domains'")
    known = data["domains"]
    wanted = list(known) if domains is None else ["general", *domains]
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise ValueError(f"{path}: unknown synonym domain(s) {unknown}; known: {sorted(known)}")
    groups: list[list[str]] = []
    seen: dict[str, str] = {}
    for dom in dict.fromkeys(wanted):
        for i, group in enumerate(known[dom]):
            phrases = [_norm(str(p)) for p in group]
            if len(phrases) < 2 or any(not p for p in phrases):
                raise ValueError(f"{path}: {dom}[{i}] needs two or more non-empty phrases")
            for p in phrases:
                if p in seen:
                    raise ValueError(f"{path}: phrase {p!r} appears in {seen[p]} and {dom}[{i}]")
                seen[p] = f"{dom}[{i}]"
            groups.append(phrases)
    return groups


class SynonymReplacer:
    """Replace lexicon phrases outside entities, each occurrence with probability ``rate``."""

    name = "synonym"

    def __init__(self, *, domains: Sequence[str] | None = None, lexicon: Path = LEXICON) -> None:
        self.groups = load_lexicon(lexicon, domains)
        self.index = {p: g for g in self.groups for p in g}
        self.max_len = max(len(p.split()) for p in self.index)

    def _edits(self, doc: Doc, rate: float, rng: random.Random, report: Counter[str]) -> list[Edit]:
        toks = doc.tokens
        in_entity = [any(s.start < b and a < s.end for s in doc.spans) for a, b in toks]
        edits: list[Edit] = []
        i = 0
        while i < len(toks):
            match = 0
            for n in range(min(self.max_len, len(toks) - i), 0, -1):
                if any(in_entity[i : i + n]):
                    continue
                phrase = _norm(doc.text[toks[i][0] : toks[i + n - 1][1]])
                if phrase in self.index and len(phrase.split()) == n:
                    match = n
                    break
            if not match:
                i += 1
                continue
            start, end = toks[i][0], toks[i + match - 1][1]
            original = doc.text[start:end]
            report["candidates"] += 1
            if rng.random() < rate:
                others = [p for p in self.index[_norm(original)] if p != _norm(original)]
                new = rng.choice(others)
                if original[:1].isupper():
                    new = new[:1].upper() + new[1:]
                edits.append(Edit(start, end, new))
                report["replaced"] += 1
            i += match
        return edits

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits = self._edits(doc, rate, rng, report)
            return rewrite(doc, edits, suffix="synonym") if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)
