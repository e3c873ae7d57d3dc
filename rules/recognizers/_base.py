"""Shared helpers for regex recognizers: boundaries, context words, config checks and entity building.

The identifier families (phone, ids, tax, bank, order code, web, plate) share these pieces, and any other
family may import them, so a boundary or context rule is written once:

* :data:`LEFT_EDGE` / :data:`RIGHT_EDGE` — lookarounds that reject a run glued to letters, digits, or that is
  a segment of a longer digit run or code ("1.0912345678", "0912345678-5", "GHN-HCM-0912345678").
* :func:`continues_group` — a grouped number that goes on ("0861 7829 8304 7963") is one longer number.
* :func:`fold` — lower-case, diacritic-free copy of NFC text with the same length (offsets carry over);
  re-exported from :mod:`vner.rules.lang.vi.diacritics`, the one implementation.
* :class:`ContextWords` — diacritic- and case-insensitive cue words in a window around a match; ``adjacent``
  cues must introduce the number (no digit or clause break in between).
* :data:`CODE_CUES` — words that introduce non-personal numbers ("mã giao dịch", "OTP", "seri").
* :func:`check_config`, :func:`check_score`, :func:`word_list` — config errors name the key.
* :func:`make_entity` — builds a :class:`vner.rules.entity.Entity` with the recognizer's ``source`` and score.

The ``context``/``score``/``context_score`` config keys and entities with a cue are in
:mod:`vner.rules.recognizers._context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

from ..entity import Entity
from ..lang.vi.diacritics import fold
from ..recognizer import Recognizer, source_of
from ..validators import digits

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# no letter/digit/underscore/@ directly before, and not the last segment of a longer code or digit run
# ("12.0912345678", "GHN-HCM-0912345678")
LEFT_EDGE = r"(?<![\p{L}\p{N}\p{M}_@])(?<![\p{L}\p{N}][.\-/])"
# no letter/digit/underscore/@ directly after, and not followed by more digits after a separator
RIGHT_EDGE = r"(?![\p{L}\p{N}\p{M}_@])(?![.\-/]\d)"
SEP = r"[ .\-]"  # separators allowed inside numbers
_GAP_STOP = regex.compile(r"[\d,;!?]")  # a digit or clause break between a cue and a number


def digits_of(text: str) -> str:
    """Only the ASCII digits of ``text``."""
    return digits(text)


@cache
def load_data(name: str) -> Any:
    """Parse a YAML file under ``rules/data`` (cached)."""
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if data is None:
        raise ValueError(f"{path}: empty data file")
    return data


class ContextWords:
    """Cue words found within ``before`` chars left of a match or ``after`` chars right of it.

    Matching is case- and diacritic-insensitive ("so tai khoan" matches "Số tài khoản") and on word edges
    ("tk" does not match inside "tkb").
    """

    def __init__(self, words: Iterable[str], *, before: int = 40, after: int = 20) -> None:
        folded = sorted({fold(w.strip()) for w in words if w.strip()}, key=len, reverse=True)
        if not folded:
            raise ValueError("context: at least one word is needed")
        if before < 0 or after < 0:
            raise ValueError("context window: before/after must be >= 0")
        self.words = tuple(folded)
        self.before = before
        self.after = after
        alts = "|".join(regex.escape(w) for w in folded)
        self._rx = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alts})(?![\p{{L}}\p{{N}}])")

    def find(self, text: str, start: int, end: int) -> str | None:
        """The cue nearest to ``[start, end)``, left side first; ``None`` when none is in the window."""
        folded = fold(text)
        lo = max(0, start - self.before)
        left = list(self._rx.finditer(folded, lo, start))
        if left:
            return left[-1].group(0)
        m = self._rx.search(folded, end, min(len(folded), end + self.after))
        return m.group(0) if m else None

    def iter_in(self, folded: str) -> Iterator[regex.Match[str]]:
        """Every cue in already ``fold``-ed text, left to right."""
        return self._rx.finditer(folded)

    def any_in(self, text: str) -> bool:
        """Whether any cue occurs anywhere in ``text`` (a cheap pre-check for context-only recognizers)."""
        return self._rx.search(fold(text)) is not None

    def find_before(
        self, text: str, start: int, window: int | None = None, *, adjacent: bool = False
    ) -> str | None:
        """The cue nearest to ``start`` on its left only.

        With ``adjacent`` the cue must introduce this number: no digit or clause break (",;!?") may stand
        between them ("MST: 0101248141, 0912345678" — the cue belongs to the first number only).
        """
        folded = fold(text)
        lo = max(0, start - (self.before if window is None else window))
        left = list(self._rx.finditer(folded, lo, start))
        if not left:
            return None
        last = left[-1]
        if adjacent and _GAP_STOP.search(text, last.end(), start):
            return None
        return last.group(0)


def continues_group(text: str, start: int, end: int) -> bool:
    """True when the grouped number ``text[start:end]`` goes on with another group in the same separator.

    "0861 7829 8304 7963" is one 16-digit number, not a 12-digit ID followed by "7963"; an ungrouped
    "0912345678 0987654321" is two numbers.
    """
    seps = {ch for ch in text[start:end] if ch in " .-"}
    if not seps:
        return False
    if end + 1 < len(text) and text[end] in seps and text[end + 1].isdigit():
        stop = end + 1
        while stop < len(text) and text[stop].isdigit():
            stop += 1
        if _is_group(text, end + 1, stop, text[end]):
            return True
    if start >= 2 and text[start - 1] in seps and text[start - 2].isdigit():
        first = start - 2
        while first > 0 and text[first - 1].isdigit():
            first -= 1
        if _is_group(text, first, start - 1, text[start - 1]):
            return True
    return False


def _is_group(text: str, start: int, end: int, sep: str) -> bool:
    """``text[start:end]``, a digit run next to a grouped number after separator ``sep``, may be one more group
    of it: no letter glued to it ("0912 345 678 500k": "500k" is an amount, "t3") and, after a space, two
    digits or more ("0912 345 678 2 cái", "thứ 2 0912 345 678"; "0912.345.678.9" goes on)."""
    if sep == " " and end - start < 2:
        return False
    return not ((end < len(text) and text[end].isalpha()) or (start > 0 and text[start - 1].isalpha()))


# words that introduce a number which is not personal data ("mã giao dịch 0912345678" is no phone)
CODE_CUES = ContextWords(
    (
        "mã",
        "mã đơn",
        "mã đơn hàng",
        "đơn hàng",
        "mã vận đơn",
        "vận đơn",
        "mã giao dịch",
        "mã gd",
        "giao dịch",
        "mã khách hàng",
        "mã kh",
        "hóa đơn",
        "số hóa đơn",
        "otp",
        "serial",
        "seri",
        "số seri",
        "mã thẻ",
        "thẻ cào",
        "mã sản phẩm",
        "mã sp",
        "mssv",
        "mã số sinh viên",
        "hợp đồng",
        "số hợp đồng",
        "mã bưu chính",
        "mã tra cứu",
        "sku",
        "mã vạch",
        "barcode",
        "imei",
    ),
    before=30,
    after=0,
)


def check_config(
    config: Mapping[str, Any] | None, allowed: Mapping[str, type | tuple[type, ...]], *, where: str
) -> dict[str, Any]:
    """Return ``config`` as a dict after checking its keys and value types; errors name the key."""
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise ValueError(f"{where}: config must be a mapping, got {type(config).__name__}")
    out: dict[str, Any] = {}
    for key, value in config.items():
        if key not in allowed:
            raise ValueError(f"{where}: unknown config key {key!r}; known: {', '.join(sorted(allowed))}")
        expected = allowed[key]
        if isinstance(value, bool) and expected in (int, float, (int, float)):
            raise ValueError(f"{where}: config key {key!r} must be a number, got bool")
        if not isinstance(value, expected):
            raise ValueError(f"{where}: config key {key!r} has type {type(value).__name__}")
        out[str(key)] = value
    return out


def check_score(value: Any, *, key: str, where: str) -> float:
    """A score in [0, 1] or ``ValueError`` naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{where}: config key {key!r} must be a number in [0, 1], got {value!r}")
    return float(value)


def word_list(value: Any, *, key: str, where: str) -> list[str]:
    """A non-empty list of non-empty strings or ``ValueError`` naming ``key``."""
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: config key {key!r} must be a non-empty list of strings")
    return list(value)


def mid_sentence(text: str, pos: int) -> bool:
    """Some word stands before ``pos`` in its sentence (not at the text's start or after . ! ? or a line): a
    capitalised word there is a name ("gặp Mai 9h", "gặp Ba triệu lần")."""
    before = text[:pos].rstrip(" \t")
    return bool(before) and before[-1] not in ".!?\n:;\"'(-–…"


def make_entity(
    rec: Recognizer,
    text: str,
    start: int,
    end: int,
    *,
    label: str,
    value: Any,
    score: float,
    explanation: str,
) -> Entity:
    """An entity over ``text[start:end]`` from ``rec``, with its source and the stage it was made in."""
    source = source_of(rec)
    return Entity(
        start=start,
        end=end,
        label=label,
        text=text[start:end],
        value=value,
        source=source,
        score=round(min(1.0, max(0.0, score)), 4),
        explanation=explanation,
        stages=(source,),
    )
