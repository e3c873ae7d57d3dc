"""Diacritic folding for Vietnamese: one character table, three entry points.

* :func:`fold` — lower case, no diacritics, "đ" as "d", en/em dashes as "-". ``len(fold(t)) == len(t)`` for
  every string, so an offset into the folded copy is an offset into ``t``. Meant for NFC text (what
  :func:`vner.rules.normalize.normalize` gives); a combining mark NFC could not attach is kept as it is.
* :func:`fold_word` — the folded key of a listed word or phrase; NFC and NFD spellings give the same key.
* :func:`strip_diacritics` — :func:`fold` that keeps the case ("Đà Nẵng" -> "Da Nang") and the dashes.

A character loses its marks only when its canonical decomposition is one character followed by combining
marks (Latin, Greek, Cyrillic letters with accents); anything else (Hangul, emoji, "ﬁ") stays as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

_DASHES = "\u2013\u2014"  # en and em dash: names are listed with "-" ("Bà Rịa - Vũng Tàu")


def _strip_char(ch: str) -> str:
    """``ch`` without its diacritics, case kept; one character."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    parts = unicodedata.normalize("NFD", ch)
    if all(unicodedata.combining(c) for c in parts[1:]):  # also a one-character equivalent ("\u037e" -> ";")
        return parts[0]
    return ch


def _fold_char(ch: str) -> str:
    """``ch`` lower-cased ("İ" to "i", not to two characters) without diacritics; one character."""
    if ch in _DASHES:
        return "-"
    return _strip_char(ch.lower()[0])


class _Table(dict[int, str]):
    """Code point -> one character; Latin, combining marks and punctuation filled at import, others on sight."""

    def __init__(self, char_map: Callable[[str], str]) -> None:
        super().__init__()
        self._map = char_map
        for cp in range(0x2100):
            self[cp]  # noqa: B018 (fills the table)

    def __missing__(self, cp: int) -> str:
        out = self._map(chr(cp))
        if len(self) < 65536:  # bounded: odd input cannot grow the table without limit
            self[cp] = out
        return out


_FOLD = _Table(_fold_char)
_STRIP = _Table(_strip_char)


@lru_cache(maxsize=256)
def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics; same length as ``text`` (offsets carry over).

    Cached: the recognizers of one rule set fold the same message one after another.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


@lru_cache(maxsize=4096)
def fold_word(word: str) -> str:
    """The folded key of a listed word or phrase ("Tối" and its NFD spelling both give "toi")."""
    return fold(unicodedata.normalize("NFC", word))


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics (and map đ/Đ to d/D), keeping the case and the length of NFC input."""
    if text.isascii():
        return text
    return text.translate(_STRIP)
