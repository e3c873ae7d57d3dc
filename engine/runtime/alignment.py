"""Words, windows and BIO spans: the text side of token classification.

* :func:`split_words` cuts the caller's text into words the way PhoNER-style corpora are tokenised
  (whitespace, with punctuation at a word's edges split off: ``"Nội,"`` → ``"Nội"`` ``","``; inner
  punctuation stays: ``"15/3/2020"``, ``"TP.HCM"``; an abbreviation keeps its period when more text
  follows: ``"TP. Huế"`` → ``"TP."`` ``"Huế"``, ``"P.L.V.Đ."``). Words are NFC text; their spans index the
  original.
* :func:`plan_windows` covers a sentence's words with windows of at most ``body`` sub-word tokens that
  overlap by up to ``stride`` tokens; :func:`best_window` picks, per word, the window that gives it the
  most context on both sides, so long texts are stitched back without duplicates.
* :func:`decode_bio` turns per-word tags into ``(first_word, last_word, label, score)`` spans.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ...rules.normalize import normalize


@dataclass(frozen=True, slots=True)
class Word:
    """One word: NFC ``text`` for the model, ``start``/``end`` into the original string."""

    text: str
    start: int
    end: int


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


# one or two capitals (TP, Q, TX, BS), a name initial (Th, Ng, Tr), a title (ThS, PGS) or initials
# (P.L.V.Đ); not "Nam." or "HCM."
_ABBREV = regex.compile(r"(?:\p{Lu}\.)*\p{Lu}{1,2}|\p{Lu}[hgr]|ThS|PGS|TSKH|CKI|CKII")


def _keeps_period(core: str, rest: str) -> bool:
    """An abbreviation (``TP``, ``ThS``, ``P.L.V.Đ``) whose period is not the end of the text."""
    return bool(rest.strip()) and _ABBREV.fullmatch(core) is not None


def split_words(text: str) -> list[Word]:
    """Split ``text`` into words with original-string offsets (NFD, odd spaces and zero-width chars ok)."""
    nt = normalize(text)
    norm = nt.text
    words: list[Word] = []

    def emit(a: int, b: int) -> None:
        start, end = nt.to_original(a, b)
        words.append(Word(norm[a:b], start, end))

    i, n = 0, len(norm)
    while i < n:
        if norm[i] in " \n":
            i += 1
            continue
        j = i
        while j < n and norm[j] not in " \n":
            j += 1
        a, b = i, j
        while a < b and _is_punct(norm[a]):
            emit(a, a + 1)
            a += 1
        tail: list[int] = []
        while b > a and _is_punct(norm[b - 1]):
            b -= 1
            tail.append(b)
        if tail and norm[b] == "." and a < b and _keeps_period(norm[a:b], norm[b + 1 :]):
            tail.pop()
            b += 1
        if a < b:
            emit(a, b)
        for k in reversed(tail):
            emit(k, k + 1)
        i = j
    return words


def join_words(words: Sequence[str]) -> tuple[str, list[Word]]:
    """Join pre-tokenised words with single spaces; return the text and each word's span in it."""
    out: list[Word] = []
    pos = 0
    for w in words:
        if not w or any(ch.isspace() for ch in w):
            raise ValueError(f"pre-tokenised word {w!r} is empty or contains whitespace")
        out.append(Word(unicodedata.normalize("NFC", w), pos, pos + len(w)))
        pos += len(w) + 1
    return " ".join(words), out


def plan_windows(word_lens: Sequence[int], *, body: int, stride: int) -> list[tuple[int, int]]:
    """Half-open word ranges covering all words, each ≤ ``body`` tokens, overlapping by ≤ ``stride`` tokens.

    ``word_lens`` are the (already capped) token counts per word; a word longer than ``body`` must be
    capped by the caller. Every window after the first starts at least one word later than the one before.
    """
    if body < 1:
        raise ValueError(f"window body must be >= 1 token, got {body}")
    n = len(word_lens)
    windows: list[tuple[int, int]] = []
    a = 0
    while a < n:
        b, total = a, 0
        while b < n and total + word_lens[b] <= body:
            total += word_lens[b]
            b += 1
        if b == a:
            raise ValueError(f"word {a} has {word_lens[a]} tokens, more than the window body {body}")
        windows.append((a, b))
        if b >= n:
            break
        na, overlap = b, 0
        room = min(stride, body - word_lens[b])  # the next window must still reach word b
        while na - 1 > a and overlap + word_lens[na - 1] <= room:
            na -= 1
            overlap += word_lens[na]
        a = na
    return windows


def best_window(windows: Sequence[tuple[int, int]], n_words: int) -> list[int]:
    """For every word, the index of the window where it sits farthest from either edge."""
    best = [-1] * n_words
    margin = [-1] * n_words
    for w_idx, (a, b) in enumerate(windows):
        for k in range(a, b):
            m = min(k - a, b - 1 - k)
            if m > margin[k]:
                margin[k], best[k] = m, w_idx
    if any(x < 0 for x in best):
        raise ValueError("windows do not cover every word")
    return best


def decode_bio(tags: Sequence[str], scores: Sequence[float]) -> list[tuple[int, int, str, float]]:
    """Spans ``(first, last_inclusive, label, mean score)`` from per-word BIO tags.

    Lenient like most serving code: an ``I-X`` that does not continue an ``X`` span starts a new one.
    """
    spans: list[tuple[int, int, str, float]] = []
    cur_label: str | None = None
    cur_start = 0
    cur_scores: list[float] = []

    def close(end: int) -> None:
        if cur_label is not None:
            spans.append((cur_start, end, cur_label, sum(cur_scores) / len(cur_scores)))

    for i, tag in enumerate(tags):
        if tag == "O" or len(tag) < 3:
            close(i - 1)
            cur_label = None
            continue
        prefix, label = tag[:2], tag[2:]
        if prefix == "I-" and cur_label == label:
            cur_scores.append(scores[i])
            continue
        close(i - 1)
        cur_label, cur_start, cur_scores = label, i, [scores[i]]
    close(len(tags) - 1)
    return spans
