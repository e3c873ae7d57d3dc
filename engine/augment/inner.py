"""Inner-mention replacement: renew the known name nested inside a longer entity, keep the rest of it.

Many gold spans are compounds: "khoa cấp cứu Bệnh viện Đà Nẵng", "tỉnh Quảng Ninh", "Sở Y tế Quảng Nam" —
and a model trained on few of them learns the inside, not the boundary: it tags "Bệnh viện Đà Nẵng" and
drops "khoa cấp cứu", or "Quảng Ninh" without "tỉnh". Whole-mention replacement (``mention``) swaps the
compound as a unit; this augmenter swaps only its inside ("khoa cấp cứu Bệnh viện Chợ Rẫy", "tỉnh Lạng
Sơn", "Sở Y tế Cà Mau"), so the same outer words are seen around many insides and stay in the span.

The inside is the longest proper, whole-word part of an entity that is itself a known mention (of the
corpus or the gazetteer, of any label: the "Quảng Nam" of an ORGANIZATION is a LOCATION) and starts with a
capital letter (a name, not "2" or "cơ sở"), and no word of a name touches it ("tỉnh Huế", "TP. HCM", but
never the "Nam" of "Việt Nam" or the "Vinh" of "xã Vinh Hiền"). It is replaced by another mention of its own label and
head group (as ``mention-head``: a "Bệnh viện X" by a "Bệnh viện Y", a bare name by a bare, all-capitalised
name), never by one that repeats a word before it.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from ..training.corpus import Doc
from .base import AugmentResult, Edit, each_doc, pick_other, rewrite
from .mention import MentionReplacer


def words_key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", w) for w in words)


def capitalised(word: str) -> bool:
    return word[:1].isalpha() and word[:1].isupper()


def _bare(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower().strip(".,")


def name_word(word: str) -> bool:
    """A capitalised word of a name ("Việt", "Hiền"); abbreviations ("TP.", "UBND") and lower case are not."""
    letters = [c for c in word if c.isalpha()]
    return capitalised(word) and not all(c.isupper() for c in letters)


class InnerMentionReplacer:
    """Replace, with probability ``rate``, the known mention inside each compound entity by another."""

    name = "inner"

    def __init__(
        self, *, corpus: Sequence[Doc] = (), gazetteer: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.mentions = MentionReplacer(corpus=corpus, gazetteer=gazetteer, by_head=True)
        self.known: dict[tuple[str, ...], str] = {}
        for label, mentions in sorted(self.mentions.pool.items(), key=lambda kv: -len(kv[1])):
            for m in mentions:  # a mention of two labels belongs to the larger pool
                words = m.split()
                if capitalised(words[0]):
                    self.known.setdefault(words_key(words), label)
        if not self.known:
            raise ValueError("inner-mention replacement needs capitalised mentions of some label")
        self.longest = max(len(k) for k in self.known)

    def inside_of(self, words: Sequence[str]) -> tuple[int, int, str] | None:
        """``(i, j, label)``: ``words[i:j]`` is the longest known inner mention of an entity's words, or None."""
        n = len(words)
        for size in range(min(n - 1, self.longest), 0, -1):
            for i in range(n - size + 1):
                j = i + size
                if not capitalised(words[i]):
                    continue
                if (i > 0 and name_word(words[i - 1])) or (j < n and name_word(words[j])):
                    continue  # part of a longer name: "Nam" of "Việt Nam", "Vinh" of "Vinh Hiền"
                label = self.known.get(words_key(words[i:j]))
                if label is not None and self.replacements(label, " ".join(words[i:j]), words[:i]):
                    return i, j, label
        return None

    def replacements(self, label: str, mention: str, before: Sequence[str] = ()) -> list[str]:
        """Mentions of ``label`` that may stand for ``mention`` after the entity's words ``before``.

        Its head group (a bare name: only all-capitalised names, "Đà Nẵng" not "Trường THPT Nông Sơn" or
        "Cục Y tế dự phòng"), never one that starts with a word already before it ("Bệnh viện Bệnh viện").
        """
        group = self.mentions.candidates(label, mention) or []
        bare = self.mentions.head_of(label, mention) == ""
        seen = {_bare(w) for w in before}
        out = []
        for m in group:
            words = m.split()
            if m == mention or not capitalised(m) or _bare(words[0]) in seen:
                continue
            if bare and not all(capitalised(w) for w in words if w[:1].isalpha()):
                continue
            out.append(m)
        return out

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits: list[Edit] = []
            for s in doc.spans:
                toks = [t for t in doc.tokens if s.start <= t[0] and t[1] <= s.end]
                if len(toks) < 2 or any(
                    o is not s and o.start < s.end and s.start < o.end for o in doc.spans
                ):
                    continue  # one word, or nested gold spans: nothing (safe) to renew inside
                found = self.inside_of([doc.text[a:b] for a, b in toks])
                if found is None:
                    continue
                report["compounds_seen"] += 1
                if rng.random() >= rate:
                    continue
                i, j, label = found
                start, end = toks[i][0], toks[j - 1][1]
                if any(e.start < end and start < e.end for e in edits):
                    continue
                current = " ".join(doc.text[start:end].split())
                before = [doc.text[a:b] for a, b in toks[:i]]
                new = pick_other(rng, self.replacements(label, current, before), current)
                edits.append(Edit(start, end, new))
                report[f"replaced:{s.label}<{label}"] += 1
                report["replaced"] += 1
            return rewrite(doc, edits, suffix="inner", within=True) if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)
