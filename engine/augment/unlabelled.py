"""Unlabelled-mention replacement: renew the names the annotators left *outside* every entity, keep them O.

Mention replacement teaches "a name in this slot is an entity" and, with gazetteers, shows many more names
as entities than the corpus ever did; a model trained on it starts tagging every country or city it sees.
But annotation guidelines are contextual: PhoNER_COVID19 labels the places a patient went ("về từ Trung
Quốc"), not "Việt Nam" in "số ca mắc tại Việt Nam tăng" or a hospital named as a speaker's employer. This
augmenter is the counterweight: a known mention (of the corpus or the gazetteer, capitalised: a name, not
"nam" or "sốt") that occurs in a document *outside* every gold span is replaced by another mention of its
label and head group, and stays unlabelled, so the same O context is seen around many names.

Only labels of multi-word names are looked for (by default those whose distinct corpus mentions are mostly
capitalised and mostly longer than one word: places and organisations, not codes, initials, "Nam"/"Nữ" genders
or single given names, whose O occurrences are mostly other words: "người Việt"). Matching is on whole words
(NFC), longest first, never on part of a longer name ("Nam" of "Việt Nam", "Vinh" of "Vinh Hiền"), and a
one-word name that is also an ordinary word of the corpus is taken only inside a sentence ("người Anh", not the
pronoun opening "Anh lập tức báo..."). The replacement follows :class:`vner.engine.augment.inner.InnerMentionReplacer`'s choice
(a "Bệnh viện X" by a "Bệnh viện Y", a bare name by an all-capitalised bare name).

A label asked for by name (``labels``) whose mentions are mostly lower-case words is a *word label*: JOB ("bác
sĩ Nguyễn Văn A cho biết", where the doctor is the speaker, not a patient's occupation) or
SYMPTOM_AND_DISEASE ("bệnh nhân không sốt": a negated symptom). Its known mentions are matched as lower-case whole
words (a capitalised one only opening a sentence), longest first, and replaced by another lower-case mention of
the label ("bác sĩ" -> "kỹ sư", "không sốt" -> "không ho"), capitalised where the original opened a sentence.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from ..training.corpus import Doc
from .base import AugmentResult, Edit, each_doc, pick_other, rewrite
from .inner import InnerMentionReplacer, capitalised, name_word, words_key
from .mention import plain_words


def name_labels(corpus: Sequence[Doc]) -> list[str]:
    """Labels whose distinct mentions in ``corpus`` are mostly capitalised and mostly multi-word."""
    pool: dict[str, set[str]] = {}
    for d in corpus:
        for s in d.spans:
            pool.setdefault(s.label, set()).add(" ".join(d.text[s.start : s.end].split()))
    out = []
    for label, mentions in sorted(pool.items()):
        ms = [m for m in mentions if m]
        capital = sum(capitalised(m) for m in ms)
        multi = sum(len(m.split()) > 1 for m in ms)
        if ms and 2 * capital > len(ms) and 2 * multi > len(ms):
            out.append(label)
    return out


def word_label(mentions: Sequence[str]) -> bool:
    """Mostly lower-case mentions ("bác sĩ", "sốt"): a label of ordinary words, not of names."""
    ms = [m for m in mentions if m[:1].isalpha()]
    return bool(ms) and 2 * sum(m[:1].islower() for m in ms) > len(ms)


def lower_key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", w).lower() for w in words)


class UnlabelledMentionReplacer:
    """Replace, with probability ``rate``, each known name found outside the gold spans; it stays O."""

    name = "unlabelled"

    def __init__(
        self,
        *,
        corpus: Sequence[Doc] = (),
        gazetteer: Mapping[str, Sequence[str]] | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        self.names = InnerMentionReplacer(corpus=corpus, gazetteer=gazetteer)
        self.labels = sorted(labels) if labels is not None else name_labels(corpus)
        wanted = set(self.labels)
        pool = self.names.mentions.pool
        self.word_labels = sorted(label for label in wanted if word_label(pool.get(label, ())))
        self.names.known = {
            k: v for k, v in self.names.known.items() if v in wanted and v not in self.word_labels
        }
        # word labels: lower-case mentions, keyed by their lower-case NFC words (a mention of two labels: the first)
        self.word_pool = {label: [m for m in pool[label] if m[:1].islower()] for label in self.word_labels}
        self.words_known: dict[tuple[str, ...], str] = {}
        for label, mentions in self.word_pool.items():
            for m in mentions:
                self.words_known.setdefault(lower_key(m.split()), label)
        if not self.names.known and not self.words_known:
            raise ValueError(f"no mentions of {self.labels or 'any label of multi-word names'} to look for")
        self.longest_words = max((len(k) for k in self.words_known), default=0)
        self.plain = {w for w in plain_words(corpus) if w.isalpha()}

    def opening_word(self, words: Sequence[str], k: int) -> bool:
        """``words[k]`` opens a sentence or a quote and is an ordinary word of the corpus in lower case."""
        opening = k == 0 or not words[k - 1][:1].isalnum()
        return opening and unicodedata.normalize("NFC", words[k]).lower() in self.plain  # as plain_words keys

    def in_name(self, words: Sequence[str], k: int) -> bool:
        """``words[k]`` is a word of a name ("Việt" before "Nam"), not a capitalised sentence opener ("Tại")."""
        return name_word(words[k]) and not self.opening_word(words, k)

    def found(self, doc: Doc) -> list[tuple[int, int, str]]:
        """``(first, last + 1, label)`` token ranges of known names outside every span, left to right."""
        words = [doc.text[a:b] for a, b in doc.tokens]
        free = [not any(s.start < b and a < s.end for s in doc.spans) for a, b in doc.tokens]
        known, longest = self.names.known, self.names.longest
        out: list[tuple[int, int, str]] = []
        i, n = 0, len(words)
        while i < n:
            hit = None
            if free[i] and capitalised(words[i]) and not (i > 0 and self.in_name(words, i - 1)):
                for size in range(min(longest, n - i), 0, -1):
                    j = i + size
                    if not all(free[i:j]) or (j < n and self.in_name(words, j)):
                        continue
                    label = known.get(words_key(words[i:j]))
                    if label is not None and size == 1 and self.opening_word(words, i):
                        continue  # an ordinary word opening a sentence or a quote: "Anh lập tức..."
                    if label is not None:
                        hit = (i, j, label)
                        break
            if hit is None and free[i] and self.words_known:
                hit = self.word_at(words, free, i)
            if hit is None:
                i += 1
            else:
                out.append(hit)
                i = hit[1]
        return out

    def word_at(self, words: Sequence[str], free: Sequence[bool], i: int) -> tuple[int, int, str] | None:
        """The longest known word-label mention starting at ``words[i]``, all of it outside the spans: lower
        case, or capitalised only where it opens a sentence; never glued to a name ("Bác sĩ" of "Bác Sĩ Hùng")."""
        if not (words[i][:1].islower() or (capitalised(words[i]) and self.opening_word(words, i))):
            return None
        n = len(words)
        for size in range(min(self.longest_words, n - i), 0, -1):
            j = i + size
            if not all(free[i:j]) or any(name_word(w) for w in words[i + 1 : j]):
                continue
            label = self.words_known.get(lower_key(words[i:j]))
            if label is not None:
                return i, j, label
        return None

    def word_replacement(self, rng: random.Random, label: str, current: str) -> str | None:
        """Another lower-case mention of word label ``label`` for ``current`` (compared in NFC, lower case),
        capitalised where ``current`` opened a sentence; None when the label knows no other."""
        key = " ".join(lower_key(current.split()))
        new = pick_other(rng, self.word_pool[label], key)
        if " ".join(lower_key(new.split())) == key:
            return None
        return new[:1].upper() + new[1:] if capitalised(current) else new

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits: list[Edit] = []
            for i, j, label in self.found(doc):
                report["unlabelled_seen"] += 1
                if rng.random() >= rate:
                    continue
                start, end = doc.tokens[i][0], doc.tokens[j - 1][1]
                current = " ".join(doc.text[start:end].split())
                if label in self.word_pool:
                    new = self.word_replacement(rng, label, current)
                else:
                    before = [doc.text[a:b] for a, b in doc.tokens[max(0, i - 3) : i]]
                    choices = self.names.replacements(label, current, before)
                    new = pick_other(rng, choices, current) if choices else None
                if new is None:
                    continue
                edits.append(Edit(start, end, new))
                report[f"replaced:{label}"] += 1
                report["replaced"] += 1
            return rewrite(doc, edits, suffix="unlabelled") if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)
