"""Test documents written as (words, label-or-None) pieces: one mention per labelled piece."""

from __future__ import annotations

from vner.engine.training.corpus import Doc, from_words


def doc_of(i: int, pieces: list[tuple[str, str | None]]) -> Doc:
    """Words and BIO tags from (words, label-or-None) pieces; the doc's id is ``d{i}``."""
    words: list[str] = []
    tags: list[str] = []
    for text, label in pieces:
        for k, w in enumerate(text.split()):
            words.append(w)
            tags.append("O" if label is None else ("I-" if k else "B-") + label)
    return from_words(words, tags, doc_id=f"d{i}")
