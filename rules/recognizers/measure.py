"""MEASUREMENT, PERCENT and QUANTITY: "2,16 m", "1m65", "60 kg", "15%", "15 phần trăm", "1/4", "3 cái".

Values are ``{"value": float, "unit": str}`` with a canonical unit ("mét" -> "m", "ký" -> "kg", "%" for
percents, "ratio" for fractions, the classifier noun for counts). Decimal vs thousands marks are read by
digit-group shape like money. A dimension "2,16 m * 1,2 m" or "60x90 cm" gives one entity per number (the
bare "60" takes the unit written after "90"). The span is the number and its unit only, so in "vòng eo 68 cm"
the cue words stay outside and a domain resolver can use them. "3/4/2024" and "ngày 3/4" are dates, not
ratios; "15/3" (numerator >= denominator, a valid day/month) is left to the temporal recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.cues import AFTER_LY
from ..recognizer import RuleContext
from ._base import check_config, fold, make_entity, word_list
from .numbers_vi import NUMBER_RE, digit_starts, parse_number
from .span_select import keep_longest
from .temporal.handlers import ends_day_list

# surface (lower-case) -> canonical unit
UNITS: dict[str, str] = {
    "mm": "mm", "cm": "cm", "m": "m", "mét": "m", "met": "m", "km": "km", "inch": "in", "ft": "ft",
    "mg": "mg", "g": "g", "gr": "g", "gam": "g", "gram": "g", "kg": "kg", "ký": "kg", "kí": "kg", "ki": "kg", "cân": "kg",
    "lạng": "hg", "tạ": "q", "tấn": "t", "ml": "ml", "l": "l", "lít": "l", "lit": "l", "cc": "ml",
    "m2": "m2", "m²": "m2", "mét vuông": "m2", "km2": "km2", "ha": "ha", "m3": "m3", "m³": "m3",
    "°c": "°C", "độ c": "°C", "độ": "°",
}  # fmt: skip
_TWO_WORDS = re.compile(r" ([^\W\d_]+ [^\W\d_]+)")
CLASSIFIERS: tuple[str, ...] = (
    "cái", "chiếc", "hộp", "gói", "chai", "lon", "thùng", "bộ", "đôi", "cặp", "quyển", "cuốn", "túi", "bao",
    "ly", "cốc", "phần", "suất", "sp", "sản phẩm", "món", "kiện", "lọ", "tuýp", "tờ", "viên", "vỉ", "hũ",
    "lốc", "set", "đơn", "bịch", "cây", "con", "trái", "quả", "bó", "chậu",
    # typed without diacritics (only the spellings that are no other common word)
    "cai", "chiec", "hop", "goi", "thung", "quyen", "cuon", "tui", "coc", "suat", "kien", "tuyp", "vien",
    "bich", "trai", "chau",
)  # fmt: skip
_DATE_CUES = {
    "ngay",
    "hom",
    "tu",
    "den",
    "toi",
    "sang",
    "chieu",
    "trua",
    "hạn",
    "han",
    "luc",
    "mung",
    "mong",
    "thu",
    "nay",  # "hôm nay 7/12"
    "mai",
    "qua",
    "giao",  # "giao 7/12": a delivery day
    "nhan",
    "ship",
    "dat",  # "đặt 7/12": the day of the order
    "mua",
    "hen",  # "hẹn 7/12"
    "truoc",  # "trước 7/12"
}

# a chat particle right after "7/12" closes a day/month ("giao 7/12 nha"); a fraction has its noun after it
_PARTICLE_AFTER = regex.compile(
    r"\s(?:nha|nhé|nhe|nhá|ạ|nghen|nhen|nhó)(?![\p{L}\p{N}\p{M}])", regex.IGNORECASE
)
# so do "về"/"rồi"/"mới"/"mà" ("hàng 7/12 về", "đơn 7/12 rồi mà chưa thấy"), unless a word of amount stands
# before it ("làm được 1/3 rồi", "còn 2/5 về sau": parts of a whole)
_WEAK_PARTICLE_AFTER = regex.compile(
    r"\s(?:về|ve|rồi|roi|r|mới|moi|mà)(?![\p{L}\p{N}\p{M}])", regex.IGNORECASE
)
_AMOUNT_BEFORE = frozenset(
    {
        "duoc",
        "con",
        "khoang",
        "tam",
        "mat",
        "het",
        "chi",
        "co",
        "gan",
        "hon",
        "tren",
        "duoi",
        "xong",
        "lam",
        "ca",
    }
)

# "con" typed without its tone is also "còn" (still, any left): "size 39 con ko", "mau do con hong"
_STILL_AFTER = regex.compile(
    r"\s(?:ko|k|không|khong|hông|hong|hok|hk|hem|hàng|hang)(?![\p{L}\p{N}\p{M}])", regex.IGNORECASE
)
# a size number before its classifier: "size 39 còn hàng", "sz 40 con"
_SIZE_BEFORE = regex.compile(r"(?<![\p{L}])(?:size|sz)\s?$", regex.IGNORECASE)  # not "cỡ": also "about"

_ADDRESS_CUES = {
    "so",
    "hem",
    "ngo",
    "ngach",
    "kiet",
    "nha",
    "phong",
    "lo",
    "can",
    "duong",
    "toa",
    "block",
    "ap",
    "o",  # "ở 12/34 ..."
    "tai",
}
_STREET_AFTER = regex.compile(r"\s\p{Lu}\p{Ll}")  # "1/2 Lê Lợi"
# the patterns run on the standard ``re`` engine (several times faster here); NFC text has no combining marks
_LEFT = r"(?<![\w@#/.,])(?<!\d[.,])"
_RIGHT = r"(?![^\W_])(?![.,]\d)"
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_AFTER_X = r"(?:(?<=\d[x×*])|(?<=\d\s[x×*])|(?<=\d[x×*]\s)|(?<=\d\s[x×*]\s))"
# the second number of "60x90cm" may follow the "x"
_MEASURE_RX = re.compile(
    rf"(?:{_AFTER_X}|{_LEFT})(?P<num>{NUMBER_RE})\s?(?P<unit>{_UNIT_ALT}){_RIGHT}", re.IGNORECASE
)
# Vietnamese height shorthand: "1m65" = 1.65 m, also spoken "1 mét 58", "1m 6"
_HEIGHT_RX = re.compile(rf"{_LEFT}(?P<m>[12])\s?(?:m|mét|met)\s?(?P<cm>\d{{1,2}}){_RIGHT}", re.IGNORECASE)
# ... and chat's "cao m52" (1.52 m: the leading one left out), only after "cao" (tall)
_CAO_M_RX = re.compile(
    r"(?<![^\W_])cao\s(?:khoảng\s|tầm\s|khoang\s|tam\s)?(?P<h>m(?P<cm>\d{2}))(?![^\W_])", re.I
)
# a size product of two or three lengths: "60x90 cm", "2,16 m * 1,2 m", "30x20x10cm", "1m8 x 2m", "1m6 x 2m3"
# (a height-shorthand part, not cubic metres); a part without a unit takes the next part's, the last has one
_LENGTH_UNITS = sorted(
    (u for u, c in UNITS.items() if c in ("mm", "cm", "m", "in", "ft")), key=len, reverse=True
)
_DIM_PART = rf"(?:\d{{1,2}}m\d{{1,2}}(?!\d)|(?:{NUMBER_RE})(?:\s?(?:{'|'.join(map(re.escape, _LENGTH_UNITS))})(?![^\W_]))?)"
_DIM_RX = re.compile(
    rf"{_LEFT}(?P<p1>{_DIM_PART})\s?[x×*]\s?(?P<p2>{_DIM_PART})(?:\s?[x×*]\s?(?P<p3>{_DIM_PART}))?{_RIGHT}",
    re.IGNORECASE,
)
_DIM_PART_RX = re.compile(
    rf"(?:(?P<m>\d{{1,2}})m(?P<cm>\d{{1,2}})|(?P<num>{NUMBER_RE})\s?(?P<unit>[^\W\d_]+)?)$", re.IGNORECASE
)


def _shorthand_metres(metres: str, rest: str) -> float:
    """ "1m65" -> 1.65, "1m6" -> 1.6: the digits after the "m" are the fraction of a metre as written."""
    return int(metres) + int(rest) / (10 ** len(rest))


_PERCENT_RX = re.compile(rf"{_LEFT}(?P<num>{NUMBER_RE})\s?(?:%|phần trăm|phan tram){_RIGHT}", re.IGNORECASE)
_FOLLOW = re.compile(r"[\d.,]*\d\s?(.)")


def _first_chars(words: Iterable[str]) -> frozenset[str]:
    """Lower-cased characters a case-insensitive match of one of ``words`` can start with (compared with the
    lower-cased character after a number, so a pattern is tried only when its unit can begin there)."""
    first = re.compile("|".join(re.escape(w[0]) for w in words), re.IGNORECASE)
    return frozenset(chr(cp).lower() for cp in range(0x3000) if first.match(chr(cp)))


_MEASURE_FIRST = _first_chars(UNITS)
_PERCENT_FIRST = _first_chars(("%", "phần trăm", "phan tram"))
_RATIO_RX = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}/.,-])(?P<a>\d{1,3})/(?P<b>\d{1,3})(?![\p{L}\p{N}\p{M}])(?![/.,-]\d)"
)


class MeasureRecognizer:
    """Measurements with units, percents, ratios and counted quantities."""

    name = "measure"
    version = "v1"
    labels: tuple[str, ...] = ("MEASUREMENT", "PERCENT", "QUANTITY")
    min_digits = 1  # every match starts with a number (RuleSet skips texts without digits)
    _CONFIG: dict[str, type | tuple[type, ...]] = {"extra_classifiers": (list, tuple), "ratios": bool}

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, self._CONFIG, where="measure")
        extra = word_list(cfg["extra_classifiers"], key="extra_classifiers", where="measure") if cfg else []
        words = sorted({*CLASSIFIERS, *extra}, key=len, reverse=True)
        self.ratios: bool = cfg.get("ratios", True)
        alt = "|".join(re.escape(w) for w in words)
        self._count_rx = re.compile(rf"{_LEFT}(?P<num>\d{{1,4}})\s(?P<unit>{alt})(?![^\W_])", re.IGNORECASE)
        self._count_first = _first_chars(words)

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every measurement, percent and quantity in NFC ``text``."""
        out: list[Entity] = []
        if "cao" in text.lower():
            for short in _CAO_M_RX.finditer(text):
                value = 1 + int(short.group("cm")) / 100
                out.append(
                    self._entity(
                        text, *short.span("h"), "MEASUREMENT", value, "m", 0.8, "height shorthand 'mNN'"
                    )
                )
        dims_end = -1
        for pos in digit_starts(text):  # every pattern starts with a number (but "cao m52")
            if pos < dims_end:
                continue  # a later part of a size product already read
            follow = _FOLLOW.match(text, pos)
            nxt = (
                follow.group(1).lower() if follow else ""
            )  # what follows the number picks the patterns to try
            if nxt == "/":
                if self.ratios and (m := _RATIO_RX.match(text, pos)):
                    ent = self._ratio(text, m)
                    if ent is not None:
                        out.append(ent)
                continue
            if nxt and nxt in "x×*m" and (m := _DIM_RX.match(text, pos)):
                parts = self._dimensions(text, m)
                if parts:
                    out += parts
                    dims_end = m.end()
                    continue
            if not nxt or not (nxt.isalpha() or nxt in "%°"):
                continue
            if nxt in _MEASURE_FIRST and (m := _MEASURE_RX.match(text, pos)):
                self._add(out, text, m, "MEASUREMENT", UNITS[m.group("unit").lower()], 0.9)
            if nxt == "m" and (m := _HEIGHT_RX.match(text, pos)):
                value = _shorthand_metres(m.group("m"), m.group("cm"))
                out.append(
                    self._entity(text, pos, m.end(), "MEASUREMENT", value, "m", 0.85, "height shorthand")
                )
            if nxt in _PERCENT_FIRST and (m := _PERCENT_RX.match(text, pos)):
                self._add(out, text, m, "PERCENT", "%", 0.95)
            if nxt in self._count_first and (m := self._count_rx.match(text, pos)):
                if m.group("unit").lower() == "con" and _STILL_AFTER.match(text, m.end()):
                    continue  # "size 39 con ko": "còn không" typed plain, no 39 animals
                if _SIZE_BEFORE.search(text, max(0, pos - 6), pos):
                    continue  # "size 39 còn hàng": a size, not a count
                if m.group("unit").lower() == "ly" and (street := _TWO_WORDS.match(text, m.end())):
                    if fold(street.group(1)) in AFTER_LY:
                        continue  # "12 ly thuong kiet": a house number and a street
                self._add(out, text, m, "QUANTITY", m.group("unit").lower(), 0.8)
        return keep_longest(out)

    def _add(
        self,
        out: list[Entity],
        text: str,
        m: re.Match[str],
        label: str,
        unit: str,
        score: float,
        span: tuple[int, int] | None = None,
    ) -> None:
        if m.re is not _PERCENT_RX and m.group("unit") in ("G", "M"):
            return  # "51G 678.90" is a plate, "2M" a size: grams and metres are written lower-case
        parsed = parse_number(m.group("num"))
        if parsed is None:
            return
        start, end = span or m.span()
        why = f"number read with {parsed.reading}"
        out.append(self._entity(text, start, end, label, float(parsed.value), unit, score, why))

    def _dimensions(self, text: str, m: re.Match[str]) -> list[Entity]:
        """The parts of a size product, each its own MEASUREMENT whose value says which part it is
        (``"dimension"``, 1-based, of ``"dimensions"``); none when the last part has no length unit."""
        names = [g for g in ("p1", "p2", "p3") if m.group(g)]
        read: list[tuple[int, int, float, str | None]] = []
        for g in names:
            part = _DIM_PART_RX.match(m.group(g))
            if part is None:
                return []
            if part.group("m"):
                value = _shorthand_metres(part.group("m"), part.group("cm"))
                unit: str | None = "m"
            else:
                parsed = parse_number(part.group("num"))
                if parsed is None:
                    return []
                value = float(parsed.value)
                unit = UNITS[part.group("unit").lower()] if part.group("unit") else None
            read.append((*m.span(g), value, unit))
        if read[-1][3] is None:
            return []
        out: list[Entity] = []
        follow = read[-1][3]
        for i in range(len(read) - 1, -1, -1):  # a part without a unit takes the next part's
            start, end, value, unit = read[i]
            follow = unit or follow
            ent = self._entity(text, start, end, "MEASUREMENT", value, follow, 0.85, "part of a size product")
            out.append(ent.replace(value={**ent.value, "dimension": i + 1, "dimensions": len(read)}))
        return out[::-1]

    def _ratio(self, text: str, m: re.Match[str]) -> Entity | None:
        a, b = int(m.group("a")), int(m.group("b"))
        if b == 0:
            return None
        prev = fold(text[max(0, m.start() - 12) : m.start()]).split()
        if prev and prev[-1] in _DATE_CUES:
            return None  # "ngày 1/4": a date
        if (prev and prev[-1] in _ADDRESS_CUES) or _STREET_AFTER.match(text, m.end()):
            return None  # "ngõ 12/3", "1/2 Lê Lợi": a house number
        could_be_date = 1 <= a <= 31 and 1 <= b <= 12
        if could_be_date and (
            a >= b
            or ends_day_list(before := fold(text[max(0, m.start() - 40) : m.start()]), len(before))
            or _PARTICLE_AFTER.match(text, m.end())
            or (_WEAK_PARTICLE_AFTER.match(text, m.end()) and not (prev and prev[-1] in _AMOUNT_BEFORE))
        ):
            return None  # "15/3", "7/12 nha", "ngày 6, 7 và 8/12": read as a day/month by the temporal recognizer
        if a > b:
            return None  # "123/45 Nguyễn Trãi": a house number in an alley, not an improper fraction
        score = 0.7 if could_be_date else 0.9
        why = "fraction a/b" + (" (could also be a day/month)" if could_be_date else "")
        return self._entity(text, m.start(), m.end(), "QUANTITY", a / b, "ratio", score, why)

    def _entity(
        self, text: str, start: int, end: int, label: str, value: float, unit: str, score: float, why: str
    ) -> Entity:
        return make_entity(
            self,
            text,
            start,
            end,
            label=label,
            value={"value": value, "unit": unit},
            score=score,
            explanation=f"{label}: {why}; unit {unit}",
        )


RECOGNIZERS: dict[str, type] = {"measure": MeasureRecognizer}
