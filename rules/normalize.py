"""Text normalisation with a map back to the caller's original offsets.

Recognizers see NFC text with runs of whitespace collapsed to one space, or to one line break when the run
holds one (a chat line ends an expression: "bảo hành 24 tháng\nbay ..."); entities are mapped back so
that ``original[start:end]`` is the surface the caller sent, whether it was NFD, had tabs, no-break
spaces or zero-width characters. Diacritic folding is :mod:`vner.rules.lang.vi.diacritics`
(``strip_diacritics`` is importable from here as well).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from vner.rules.lang.vi.diacritics import strip_diacritics

__all__ = ["NormalizedText", "normalize", "strip_diacritics"]

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}
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


def normalize(original: str) -> NormalizedText:
    """NFC-compose ``original`` and collapse whitespace, keeping an offset map."""
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
