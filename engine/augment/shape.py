"""Shape-preserving synthetic mentions: a code, a number or initials becomes a new one of the same shape.

Mention replacement can only reuse mentions that exist somewhere (the corpus, a list). For code-like
entities (flight numbers "VN0054", patient numbers "416", initials "N.H.N."; in vner's own domains order
codes, tracking and phone numbers) the model has to learn a shape in a context, not a short list of
values, and ten per cent of a corpus holds few values. ``shape`` replaces such a mention, with
probability ``rate``, by a fresh one of the same shape:

- every digit by a random digit; the first digit of a run stays zero or non-zero as it was
  ("0054" -> "0817", "416" -> "902");
- every letter of a token that mixes letters and digits by a random ASCII letter of the same case
  ("VN0054" -> "QH7311");
- every letter of initials ("N.H.N.", "T.", "BN": upper-case letters, each with or without a dot) by a
  random letter that starts Vietnamese names;
- everything else (dots, dashes) as it was, tokens one space apart: the mention keeps its tokens.

*Shapeable* mention: every token is a number, a letters-and-digits code, initials or punctuation, and
at least one is not punctuation. The labels come from ``labels=`` or are learnt from the corpus: a label
qualifies when at least ``min_share`` of its mentions are shapeable and fewer than a tenth look like a
date or a time (digits joined by ``/ - . :``: "25/3", "25 - 7"), whose digits are not free to change.
On PhoNER_COVID19 that picks PATIENT_ID, AGE, TRANSPORTATION and NAME (mostly initials there); words
("Nguyễn Hồng Nhung", "tàu Viking Cruise") are never touched.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from collections.abc import Sequence

from ..training.corpus import Doc
from .base import AugmentResult, Edit, each_doc, rewrite

# letters Vietnamese given and family names start with (initials are drawn from these)
NAME_INITIALS = "ABCDĐGHKLMNPQSTVXY"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CODE = re.compile(r"(?=.*\d)(?=.*[^\W\d_])[^\W_]+")  # letters and digits, both present
_INITIALS = re.compile(r"(?:[A-ZĐ]\.?){1,4}")
_PUNCT = re.compile(r"[^\w\s]+")
_DATE_LIKE = re.compile(r"\d\s*[/\-.:]\s*\d{1,2}(?!\d)")  # "25/3", "25 - 7", "10:30"; not "1.021"
_MAX_TRIES = 8


def token_kind(token: str) -> str | None:
    """``number``, ``code``, ``initials`` or ``punct`` for a token of a shapeable mention; else None."""
    if _NUMBER.fullmatch(token):
        return "number"
    if _INITIALS.fullmatch(token):
        return "initials"
    if _CODE.fullmatch(token):
        return "code"
    if _PUNCT.fullmatch(token):
        return "punct"
    return None


def shapeable(mention: str) -> bool:
    """Every token is a number, a code, initials or punctuation, and not all are punctuation."""
    kinds = [token_kind(t) for t in mention.split()]
    return bool(kinds) and None not in kinds and any(k != "punct" for k in kinds)


def date_like(mention: str) -> bool:
    return bool(_DATE_LIKE.search(mention))


def learn_labels(corpus: Sequence[Doc], *, min_share: float = 0.5) -> list[str]:
    """Labels whose mentions are mostly shapeable and seldom date-like (see the module docstring)."""
    seen: Counter[str] = Counter()
    shaped: Counter[str] = Counter()
    dated: Counter[str] = Counter()
    for d in corpus:
        for s in d.spans:
            m = d.text[s.start : s.end]
            seen[s.label] += 1
            shaped[s.label] += shapeable(m)
            dated[s.label] += date_like(m)
    return sorted(lab for lab, n in seen.items() if shaped[lab] >= min_share * n and dated[lab] < 0.1 * n)


def _fresh_token(token: str, kind: str, rng: random.Random) -> str:
    if kind == "punct":
        return token
    out: list[str] = []
    prev_digit = False
    for ch in token:
        if ch.isdigit():
            if prev_digit:
                out.append(rng.choice(string.digits))
            else:  # the first digit of a run keeps its zero-ness ("0912", "VN0054")
                out.append("0" if ch == "0" else rng.choice("123456789"))
            prev_digit = True
            continue
        prev_digit = False
        if ch.isalpha() and kind == "initials":
            out.append(rng.choice(NAME_INITIALS))
        elif ch.isalpha() and kind == "code":
            pool = string.ascii_uppercase if ch.isupper() else string.ascii_lowercase
            out.append(rng.choice(pool))
        else:
            out.append(ch)
    return "".join(out)


def fresh_mention(mention: str, rng: random.Random) -> str | None:
    """A new mention of ``mention``'s shape (its tokens, one space apart), or None if none differs."""
    tokens = mention.split()
    for _ in range(_MAX_TRIES):
        new = " ".join(_fresh_token(t, token_kind(t) or "punct", rng) for t in tokens)
        if new != mention:
            return new
    return None  # "-" alone, or a one-digit number drawn the same each time


class ShapeReplacer:
    """Replace each shapeable mention of the chosen labels, with probability ``rate``, by a fresh one."""

    name = "shape"

    def __init__(
        self,
        *,
        corpus: Sequence[Doc] = (),
        labels: Sequence[str] | None = None,
        min_share: float = 0.5,
    ) -> None:
        self.labels = sorted(set(labels)) if labels is not None else learn_labels(corpus, min_share=min_share)
        present = {s.label for d in corpus for s in d.spans}
        if labels is not None and present and not present & set(self.labels):
            raise ValueError(
                f"shape: none of the labels {', '.join(self.labels)} occurs in the data (labels: {', '.join(sorted(present))})"
            )
        if not self.labels:
            raise ValueError(
                "shape: no label to shape (none of the corpus' labels is mostly codes, numbers or initials); "
                "name them with labels="
            )

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        chosen = set(self.labels)

        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            edits: list[Edit] = []
            for s in sorted(doc.spans, key=lambda x: (x.start, x.end)):
                if s.label not in chosen:
                    continue
                report["entities_seen"] += 1
                mention = doc.text[s.start : s.end]
                if not shapeable(mention) or rng.random() >= rate:
                    continue
                if any(e.start < s.end and s.start < e.end for e in edits):
                    continue  # nested/overlapping gold spans: the first one only
                new = fresh_mention(mention, rng)
                if new is None:
                    report["unchanged_no_other_shape"] += 1
                    continue
                edits.append(Edit(s.start, s.end, new))
                report[f"replaced:{s.label}"] += 1
                report["replaced"] += 1
            return rewrite(doc, edits, suffix="shape") if edits else None

        return each_doc(docs, rate=rate, seed=seed, change=change)
