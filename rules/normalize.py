"""Text normalisation with a map back to the caller's original offsets.

Recognizers see NFC text with runs of whitespace collapsed to one space, or to one line break when the run
holds one (a chat line ends an expression: "bảo hành 24 tháng\nbay ..."); entities are mapped back so
that ``original[start:end]`` is the surface the caller sent, whether it was NFD, had tabs, no-break
spaces or zero-width characters. Diacritic folding is :mod:`vner.rules.lang.vi.diacritics`
(``strip_diacritics`` is importable from here as well).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .lang.vi.diacritics import strip_diacritics

__all__ = ["ZERO_WIDTH", "NormalizedText", "normalize", "strip_diacritics"]

# zero-width characters, the soft hyphen and the emoji variation selectors ("☎️0912345678": U+FE0F is a
# combining mark to a pattern's look-behind) and the keycap mark ("0️⃣9️⃣1️⃣2️⃣...": each digit + U+FE0F + U+20E3)
# are dropped
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u00ad\ufe0e\ufe0f\u20e3"
_ZERO_WIDTH = frozenset(ZERO_WIDTH)
# dropped, but part of the character before them in the original span: "8️⃣" ends after its keycap mark
_TRAILING_MARKS = frozenset("\ufe0e\ufe0f\u20e3")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` is normalised; ``starts[i]``/``ends[i]`` are the original span of normalised char ``i``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised half-open span to the original string."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_ZW_CHARS = ZERO_WIDTH
# the whitespace/zero-width runs normalize() changes: all but one plain space between two other characters
# (re's \s is str.isspace())
_ODD_RUN = re.compile(rf"\A[\s{_ZW_CHARS}]+|[\s{_ZW_CHARS}]{{2,}}|[^\S ]|[{_ZW_CHARS}]")
# a non-ASCII character -> 0: kept as it is, 1: a combining mark or changed by NFC on its own ("\u212b");
# filled on sight, bounded
_KIND: dict[str, int] = {}


def _kind(ch: str) -> int:
    kind = _KIND.get(ch)
    if kind is None:
        kind = int(unicodedata.combining(ch) != 0 or unicodedata.normalize("NFC", ch) != ch)
        if len(_KIND) < 65536:
            _KIND[ch] = kind
    return kind


def normalize(original: str) -> NormalizedText:
    """NFC-compose ``original`` and collapse whitespace, keeping an offset map.

    Each base character and the combining marks after it are composed on their own, zero-width characters
    are dropped, whitespace runs become one space or line break. :func:`_fast` gives exactly what the
    character-by-character :func:`_reference` gives, run by run (the reference stays the definition; the
    tests compare the two).
    """
    return _fast(original)


@lru_cache(maxsize=1024)
def _cluster_rx(changed: frozenset[str]) -> re.Pattern[str]:
    """The clusters NFC may change, for a text whose non-ASCII characters of :func:`_kind` 1 are ``changed``:
    a base character (not a space) with the combining marks after it, marks alone, or a character NFC
    changes on its own."""
    marks = "".join(sorted(c for c in changed if unicodedata.combining(c)))
    alone = "".join(sorted(c for c in changed if not unicodedata.combining(c)))
    alts = [f"[^ {marks}]?[{marks}]+"] if marks else []
    if alone:
        alts.append(f"[{alone}]")
    return re.compile("|".join(alts))


def _copy(original: str, a: int, b: int, rx: re.Pattern[str] | None, parts: list[str], starts: list[int],
          ends: list[int]) -> None:  # fmt: skip
    """Append ``original[a:b]`` (no whitespace but single spaces, no zero-width character) as normalised:
    copied as it is, but each cluster ``rx`` finds NFC-composed on its own, its characters mapped to it."""
    pos = a
    if rx is not None:
        for m in rx.finditer(original, a, b):
            s, e = m.span()
            if s > pos:
                parts.append(original[pos:s])
                starts.extend(range(pos, s))
                ends.extend(range(pos + 1, s + 1))
            composed = unicodedata.normalize("NFC", m.group())
            parts.append(composed)
            starts.extend([s] * len(composed))
            ends.extend([e] * len(composed))
            pos = e
    if b > pos:
        parts.append(original[pos:b])
        starts.extend(range(pos, b))
        ends.extend(range(pos + 1, b + 1))


def _fast(original: str) -> NormalizedText:
    """:func:`_reference` run by run: the odd whitespace runs are rewritten, the text between them is copied
    whole but for the clusters NFC changes (combining marks with the character before them, marks after a
    space or a zero-width character on their own, characters NFC changes alone), each composed on its own
    as the reference composes it."""
    rx = None
    if not original.isascii():
        changed = frozenset(ch for ch in set(original) if ch >= "\x80" and _kind(ch))
        if changed:
            rx = _cluster_rx(changed)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _ODD_RUN.finditer(original):
        a, b = m.span()
        if a > pos:  # copied (a single space between two characters included)
            _copy(original, pos, a, rx, parts, starts, ends)
        if ends and ends[-1] == a and original[a] in _TRAILING_MARKS:
            k = a
            while k < b and original[k] in _TRAILING_MARKS:
                k += 1
            t = len(ends) - 1
            while t >= 0 and ends[t] == a:  # the cluster before the marks ends after them
                ends[t] = k
                t -= 1
        pos = b
        ws = m.group().lstrip(
            _ZW_CHARS
        )  # leading zero-width characters are dropped, the rest is one separator
        if ws and starts:
            parts.append(" " if _LINE_BREAKS.isdisjoint(ws) else "\n")
            starts.append(b - len(ws))
            ends.append(b)
    n = len(original)
    if pos < n:
        _copy(original, pos, n, rx, parts, starts, ends)
    text = "".join(parts)
    if text and text[-1] in " \n":  # a trailing separator
        text = text[:-1]
        starts.pop()
        ends.pop()
    return NormalizedText(original=original, text=text, starts=tuple(starts), ends=tuple(ends))


def _reference(original: str) -> NormalizedText:
    """The definition, one character at a time (the fast path's reference and fallback)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(original)
    while i < n:
        ch = original[i]
        if ch in _ZERO_WIDTH:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (original[j].isspace() or original[j] in _ZERO_WIDTH):
                j += 1
            if out and out[-1] not in " \n":
                out.append("\n" if _LINE_BREAKS.intersection(original[i:j]) else " ")
                starts.append(i)
                ends.append(j)
            i = j
            continue
        # a base character with its following combining marks forms one cluster
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", original[i:j])
        while j < n and original[j] in _TRAILING_MARKS:  # "8️⃣": dropped, but inside the digit's span
            j += 1
        for c in cluster:
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    # drop a trailing collapsed space
    if out and out[-1] in " \n":
        out.pop()
        starts.pop()
        ends.pop()
    return NormalizedText(original=original, text="".join(out), starts=tuple(starts), ends=tuple(ends))
