"""Numbers as Vietnamese text writes them, shared by the money, measurement and temporal recognizers.

Vietnamese writes "." for thousands and "," for decimals ("3.500.000", "2,16"); chat and foreign shops often
write the reverse ("618,000", "1.5"). :func:`parse_number` decides by the shape of the digit groups and says
which reading it chose, so every entity can explain itself:

* both marks present: the last one is the decimal mark, the other groups thousands ("1.234,5" / "1,234.5");
* one mark repeated: thousands, and every group after the first must have exactly 3 digits ("3.500.000");
* one mark once followed by exactly 3 digits: thousands ("618.000", "618,000");
* one mark once followed by 1–2 or 4+ digits: decimal ("2,16", "1.5").

A space may also group thousands ("3 500 000") when the caller allows it. Leading zeros ("0912") are rejected:
such runs are phone numbers or codes, not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

# digits with optional . , or (thin/normal) space grouping; callers add their own edges
NUMBER_RE = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
NUMBER_SPACED_RE = r"\d{1,3}(?:\x20\d{3})+"

_DIGITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000, "tỷ": 10**9, "tỉ": 10**9}
NUMBER_WORDS: tuple[str, ...] = (*_DIGITS, "mười", "mươi", "chục", "linh", "lẻ", "rưỡi", *_SCALES)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A parsed number and how its separators were read (for the entity explanation)."""

    value: Decimal
    reading: str


@lru_cache(maxsize=4096)
def parse_number(surface: str) -> ParsedNumber | None:
    """Parse a digit run with ``.``/``,``/space separators; ``None`` when the grouping is not a number.

    Cached (the result is immutable): chat repeats its numbers, and money and measure read the same ones.
    """
    s = surface.replace("\u202f", " ").replace("\u00a0", " ")
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return None
    if " " in s:
        groups = s.split(" ")
        if not _thousands_ok(groups):
            return None
        return _checked("".join(groups), "space-grouped thousands")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        int_part, frac = s.rsplit(dec, 1)
        if thou in frac or not _thousands_ok(int_part.split(thou)):
            return None
        return _checked(f"{int_part.replace(thou, '')}.{frac}", f"'{thou}' thousands, '{dec}' decimal")
    if not dots and not commas:
        return _checked(s, "plain digits")
    mark = "." if dots else ","
    parts = s.split(mark)
    if len(parts) > 2:
        if not _thousands_ok(parts):
            return None
        return _checked("".join(parts), f"'{mark}' thousands (repeated 3-digit groups)")
    head, tail = parts
    if len(tail) == 3 and _thousands_ok(parts):
        return _checked(head + tail, f"'{mark}' thousands (3-digit group)")
    return _checked(f"{head}.{tail}", f"'{mark}' decimal ({len(tail)}-digit fraction)")


def _thousands_ok(groups: list[str]) -> bool:
    return (
        1 <= len(groups[0]) <= 3
        and groups[0].isdigit()
        and not (groups[0].startswith("0") and len(groups) > 1)
        and all(len(g) == 3 and g.isdigit() for g in groups[1:])
    )


def _checked(plain: str, reading: str) -> ParsedNumber | None:
    int_part = plain.split(".", 1)[0]
    if len(int_part) > 1 and int_part.startswith("0"):
        return None  # "0912", "05": a code or phone fragment, not a quantity
    if len(int_part) > 15:
        return None
    return ParsedNumber(Decimal(plain), reading)


_WORD_RX = regex.compile(r"\p{L}+")
_DIGIT_RUN = re.compile(r"\d+")  # the standard engine: same Unicode \d, a faster plain scan


@lru_cache(maxsize=64)
def digit_starts(text: str) -> tuple[int, ...]:
    """Where each run of digits begins: numeric patterns are tried only there (much faster than a scan).

    Cached: the money and measure recognizers of one rule set ask for the same message one after another.
    """
    return tuple(m.start() for m in _DIGIT_RUN.finditer(text))


def parse_number_words(words: str) -> int | None:
    """Value of a Vietnamese number written in words ("hai triệu rưỡi" -> 2500000); ``None`` if not one."""
    tokens = _WORD_RX.findall(words.lower())
    if not tokens or any(t not in NUMBER_WORDS for t in tokens):
        return None
    total = 0  # finished millions/billions
    current = 0  # below the current big scale
    small = 0  # below hundreds
    last_scale = 1
    seen = False
    for i, tok in enumerate(tokens):
        if tok in _DIGITS:
            digit = _DIGITS[tok]
            prev = tokens[i - 1] if i else ""
            if prev in ("mươi", "mười") or prev in ("linh", "lẻ"):
                small += digit
            elif small and prev in _DIGITS:
                return None  # "hai ba" is not a number
            else:
                small = digit
            seen = True
        elif tok == "mười":
            small += 10
            seen = True
        elif tok == "mươi":
            if not small or small > 9:
                return None
            small *= 10
        elif tok == "chục":  # "hai chục" = 20, "chục" alone = 10
            if small > 9 or (i and tokens[i - 1] == "chục"):
                return None
            small = (small or 1) * 10
            seen = True
        elif tok in ("linh", "lẻ"):
            continue
        elif tok == "rưỡi":
            if not seen:
                return None
            # "hai triệu rưỡi" = 2.5 million: half of the last scale
            total += last_scale // 2
        elif tok == "trăm":
            current += (small or 1) * 100
            small = 0
            last_scale = 100
            seen = True
        else:
            scale = _SCALES[tok]
            chunk = (current + small) or 1
            total += chunk * scale
            current = small = 0
            last_scale = scale
            seen = True
    return total + current + small if seen else None


# a number word typed without its diacritics -> its spelling; "muoi" and "mot" depend on the word before them
_UNACCENTED: dict[str, str] = {
    "khong": "không", "hai": "hai", "ba": "ba", "bon": "bốn", "tu": "tư", "nam": "năm", "lam": "lăm",
    "sau": "sáu", "bay": "bảy", "tam": "tám", "chin": "chín", "linh": "linh", "le": "lẻ", "ruoi": "rưỡi",
    "tram": "trăm", "chuc": "chục", "nghin": "nghìn", "ngan": "ngàn", "trieu": "triệu", "ty": "tỷ", "ti": "tỉ",
}  # fmt: skip


def accent_number_words(words: list[str]) -> list[str] | None:
    """Number words as typed (any case, with or without diacritics) -> their spellings in :data:`NUMBER_WORDS`;
    ``None`` when a word is not one, or carries marks that make it another word ("tâm" is not "tám").

    Without marks, "muoi" is "mươi" after a digit word ("hai muoi") and "mười" otherwise; "mot" is "mốt" after
    "mươi" ("hai muoi mot") and "một" otherwise.
    """
    out: list[str] = []
    for raw in words:
        w = raw.lower()
        if w not in NUMBER_WORDS:
            prev = out[-1] if out else ""
            if w == "muoi":
                w = "mươi" if prev in _DIGITS else "mười"
            elif w == "mot":
                w = "mốt" if prev == "mươi" else "một"
            else:
                w = _UNACCENTED.get(w, "")
            if not w:
                return None
        out.append(w)
    return out
