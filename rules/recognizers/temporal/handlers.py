"""What each Vietnamese temporal pattern resolves to, for :mod:`.recognizer` (patterns: :mod:`.patterns`).

A handler turns a match on folded text into a :class:`Hit` (or ``None`` to reject it) against the reference
date. Cue words such as "ngày", "lúc", "vào" stay outside
the span of numeric dates and times; they only raise the score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import resolve as tr
from .lexicon import (
    CYCLE_SHIFT,
    DURATION_UNITS,
    HOLIDAYS,
    LUNAR_HOLIDAYS,
    MONTH_WORDS,
    NUMBER_WORDS,
    PART_MODS,
    PARTS_OF_DAY,
    RELATIVE_DAYS,
    SEASONS,
    SET_UNITS,
    WEEKDAY_WORDS,
    fold_word,
)


@dataclass
class Hit:
    """A resolved candidate: span on the text, TIMEX3-like value and what it can merge with."""

    start: int
    end: int
    kind: str  # DATE / TIME / DURATION / SET
    value: dict[str, Any]
    score: float
    why: str
    day: date | None = None  # the calendar day, when the hit resolves to one
    clock: tuple[int, int, int | None] | None = None  # a time of day without a date
    pod: str | None = None  # part of day of a clock time
    weekday_only: bool = False
    year_inferred: bool = False  # a day/month whose year was chosen by nearness
    month_inferred: bool = False  # a day alone ("ngày 20"), put in the reference month
    rule: str = ""
    notes: list[str] = field(default_factory=list)
    # "3 ngày nữa", "15 phút nữa": the ISO duration counted from the reference time and its signed length
    offset: tuple[str, timedelta | None] | None = None  # (ISO duration, its timedelta where it has one)
    # "9 giờ sáng ngày mai": where the day part of a clock time lies (split off when date_time is separate)
    day_span: tuple[int, int] | None = None
    # "ngày 15 hàng tháng": where the day's number ends; a domain without SET still gets "ngày 15" as a DATE
    day_end: int | None = None


Handler = Callable[[re.Match[str], date, str], "Hit | None"]

_F: dict[str, dict[str, Any]] = {
    "num": {fold_word(k): v for k, v in NUMBER_WORDS.items()},
    "wd": {fold_word(k): v for k, v in WEEKDAY_WORDS.items()},
    "month": {fold_word(k): v for k, v in MONTH_WORDS.items()},
    "relday": {fold_word(k): v for k, v in RELATIVE_DAYS.items()},
    "shift": {fold_word(k): v for k, v in CYCLE_SHIFT.items()},
    "pod": {fold_word(k): v for k, v in PARTS_OF_DAY.items()},
    "dur": {fold_word(k): v for k, v in DURATION_UNITS.items()},
    "mod": {fold_word(k): v for k, v in PART_MODS.items()},
    "set": {fold_word(k): v for k, v in SET_UNITS.items()},
    "holiday": {fold_word(k): v for k, v in HOLIDAYS.items()},
    "lunar": {fold_word(k): v for k, v in LUNAR_HOLIDAYS.items()},
    "season": {fold_word(k): v for k, v in SEASONS.items()},
}
_ORDINAL_HEADS = {"xep", "dung", "lan", "con", "nguoi", "hang", "giai", "top", "tang", "so", "cau", "bai", "muc",
                  "phan", "lop", "ky", "dot", "chuong", "trang", "dong", "buoc", "vi", "tri", "hieu", "vong",
                  "ca", "nhan", "benh", "hop", "chuyen", "doi", "nhom", "vu", "mau", "tuan", "thang", "nam",
                  "tinh", "nuoc", "quoc", "gia", "khach", "diem", "hoc", "sinh", "chau", "em", "anh",
                  # places counted in order: "ngõ thứ 3", "hẻm thứ 2", "lầu thứ 4", "dãy thứ 5", "toa thứ 6"
                  "ngo", "hem", "ngach", "kiet", "lau", "phong", "day", "toa", "ghe", "ban", "cua", "cot", "tiet", "tap", "luot", "quyen", "cuon", "ly", "coc", "thung", "kien", "don", "bill"}  # fmt: skip
# "mở cửa thứ 2", "đóng cửa thứ 7": a shop's opening day, not "the second door"
_OPEN_CLOSE = (["mo", "cua"], ["dong", "cua"])
_ADDRESS_BEFORE = re.compile(r"(?:so|hem|ngo|ngach|kiet|nha|phong|lo|can|duong|toa|block)\s$")
# a counted thing right before "2/3" makes it "the 2nd of 3" ("kiện hàng 2/3", "tập 2/3", "câu 1/5")
_ITEM_BEFORE = re.compile(
    r"(?<![a-z])(?:kien(?:\shang)?|thung|goi|hop|phan|tap|cau|bai|trang|muc|chuong|buoc|dot)\s$"
)
# (and a parenthesis after a day named another way: "hôm nay (18-3)", "mùng 7 tết âm lịch (31-1)")
_IN_PARENS = r"|(?:nay|qua|mai|lich|tet)\s?\(\s?"
_DATE_CUE_RX = re.compile(
    rf"(?:ngay|mong|mung|hom|tu|den|toi|han|sang|chieu|trua|dem|khuya|va)\s{_IN_PARENS}$"
)
_STRONG_CUE_RX = re.compile(
    rf"(?:ngay|mong|mung|hom|sang|chieu|toi|trua|dem|nay|qua|mai|tu|den)\s{_IN_PARENS}$"
)
_LIST_START_RX = re.compile(
    r"(?:ngay|tu|sang|chieu|toi|trua|dem|hom)\s(?:\d{1,2}\s?(?:,|va|hoac|den|toi|-)\s?)*$"
)
# chat's words for days off, shifts and appointments right before a list of days: "nghỉ 14 và 15/12",
# "trực 6, 7/12", "off 24 va 25/12", "2 ngày phép 14 và 15/12" (a list, not a range: "đến" still needs
# "ngày"/"từ"; not after "giao": "giao 2 và 3/4 số hàng")
_LIST_VERB_RX = re.compile(
    r"(?<![^\W_])(?:nghi(?:\sphep)?|phep|off|truc|hen|vang|lich|dang\sky|dk|nghi\sle)\s"
    r"(?:\d{1,2}\s?(?:,|va|hoac)\s?)*$"
)
_LIST_TAIL_RX = re.compile(r"(?<![\d/.,])\d{1,2}\s?(?:,|va|hoac)\s?$")


def ends_day_list(folded: str, pos: int) -> bool:
    """Whether a list of days after a date word or a days-off verb runs up to ``pos`` ("ngày 6, 7 và ", "nghỉ 14
    và "): a day/month there is the list's last day ("ngày 6, 7 và 8/12"), not a fraction."""
    lo = max(0, pos - 40)
    return _LIST_TAIL_RX.search(folded, lo, pos) is not None and (
        _LIST_START_RX.search(folded, lo, pos) is not None
        or _LIST_VERB_RX.search(folded, lo, pos) is not None
    )


# after "8 - 10": a unit or a counted noun makes it a range of amounts, not a day and month
_DATE_WORD_RX = re.compile(r"(?:ngay|mong|mung|hom|sang|chieu|toi|trua|dem|nay|qua|mai)\s$")
_UNIT_AFTER = re.compile(
    r"\s?(?:h|g|gio|phut|tieng|ngay|tuan|thang|nam|nguoi|ca|truong hop|lan|tuoi|km|kg|cm|m|trieu|nghin|ty|k"
    r"|cai|chiec|hop|don|xe|nha|phong|tang|diem|benh|%)(?![a-z])"
)
# after "năm NN", words that make NN an age or a count, not a year: "năm 12 tuổi", "năm 20 người", "năm 50 %"
_NOT_A_YEAR_AFTER = re.compile(
    r"\s?(?:tuoi|t|nguoi|ngay|thang|tuan|gio|tieng|phut|h|p|km|kg|g|m|cm|cai|chiec|lan|con|ca|trieu|tr|nghin|ngan"
    r"|k|ty|dong|d|usd|%)(?![^\W_])|\s?%|[.,]\d"
)
_MALE_BEFORE = re.compile(r"(?<![^\W_])(?:benh\snhan|bn|nguoi|gioi\stinh|tre|chau|be|khach|ca|nu|va)\s$")
# "hạn thanh toán 10/4 nha": a due-date cue makes the d/m a date whatever word follows ("nha" is not "nhà")
_DUE_CUE_RX = re.compile(r"(?:han|hen|deadline|han\sthanh\stoan|han\schot|het\shan)\s$")
# a clock time right before is a cue too: "17h thứ sáu", "9:30 thứ hai"; so are "trước"/"hết"/"hẹn" (by, until)
# a relative week right before a weekday: "tuần sau thứ hai", "tuần này t6" (the weekday of that week)
_WEEK_BEFORE = r"(?<![^\W_])tuan\s(?:sau|toi|nay|truoc|tiep\stheo|ke\stiep|sau\snua),?\s$"
_WEEKDAY_CUE_RX = re.compile(
    r"(?:vao|ngay|sang|trua|chieu|toi|dem|tu|den|hom|moi|cac|hang|sang|la|thi|truoc|het|hen|,)\s$|[.!?;]\s+$|^\s*$"
    r"|\d(?:h|g|:[0-5]\d)(?:[0-5]\d)?\s$|\sgio\s$|" + _WEEK_BEFORE
)
_SECONDLY_RX = re.compile(r"\s(?:la|,)")


def _int(s: str | None, table: str = "num") -> int | None:
    if s is None:
        return None
    s = " ".join(s.split())
    return int(s) if s.isdigit() else _F[table].get(s)


def _hit(m: re.Match[str], kind: str, value: dict[str, Any], why: str, **kw: Any) -> Hit:
    return Hit(m.start(), m.end(), kind, value, 0.0, why, **kw)


def _day_hit(m: re.Match[str], d: date, why: str, **kw: Any) -> Hit:
    return _hit(m, "DATE", tr.timex("DATE", d.isoformat()), why, day=d, **kw)


def _pod_day(m: re.Match[str], ref: date) -> tuple[str | None, date | None]:
    pod = _F["pod"].get(m.group("pod") or "")
    rel = m.group("podday")
    if rel is None:
        return pod, None
    key = " ".join(rel.split())
    shift = _F["relday"].get(key, _F["relday"].get(key.split(" ")[-1]))
    return pod, (ref + timedelta(days=shift)) if shift is not None else None


def h_dmy_words(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    d, mo = int(m.group("d")), _int(m.group("m"), "month")
    if mo is None:
        return None
    if m.group("y"):
        day = tr.valid_date(int(m.group("y")), mo, d)
        return _day_hit(m, day, "day, month and year in words") if day else None
    day = tr.nearest_day_month(d, mo, ref)
    return (
        _day_hit(m, day, "day and month; year nearest to the reference", year_inferred=True) if day else None
    )


def h_dmy_num(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    ys, sep = m.group("y"), m.group("sep")
    if sep == "." and len(ys) != 4:
        return None  # "1.2.3" is a version, not a date
    if sep.strip() != sep and not _spaced_ok(folded, m.start()):
        return None  # "9 - 3 - 2020" (tokenised text) only right after "ngày", "sáng", ...
    y = tr.full_year(int(ys), len(ys), ref)
    day = tr.valid_date(y, int(m.group("m")), int(m.group("d")))
    return _day_hit(m, day, f"d{m.group('sep')}m{m.group('sep')}y") if day else None


def h_iso(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    day = tr.valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return _day_hit(m, day, "ISO y-m-d") if day else None


# a count of doses, meals or times after "N-M": a rate ("ngày 3-4 lần", "uống 2-3 viên"), not a day and month
_RATE_AFTER = re.compile(r"\s?(?:lan|vien|goi|bua|lieu|giot|muong|thia|coc|ly|cu|tr)(?![a-z])")


def h_dm_num(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    ms, sep = m.group("m"), m.group("sep")
    cue = _cue_before(folded, m.start())
    if (m.group(0) == "24/7" and not cue) or _ADDRESS_BEFORE.search(
        folded[max(0, m.start() - 10) : m.start()]
    ):
        return None  # "hỗ trợ 24/7", "hẻm 15/3": not dates
    padded = sep == "/" and "0" in (m.group("d")[0], ms[0])  # "03/04 nha": a zero-padded day/month
    if not padded and _ITEM_BEFORE.search(folded, max(0, m.start() - 10), m.start()):
        return None  # "kiện hàng 2/3 nha": the second parcel of three
    unit = _UNIT_AFTER.match(folded, m.end())
    if unit and sep == "/" and unit.group(0).lstrip() == "nha":
        unit = None  # "7/12 nha": the particle (nhé), not "nhà" (houses) counted by a range
    if (
        not padded
        and unit
        and int(m.group("d")) <= int(ms)  # "27/7 bệnh nhân": neither a range nor a share, so a date
        and not _DUE_CUE_RX.search(folded, max(0, m.start() - 20), m.start())
        and not _DATE_WORD_RX.search(folded, max(0, m.start() - 8), m.start())
    ):
        return None  # "từ 8 - 10 giờ", "5-7 người": a range of amounts (but "ngày 29 - 8 ca mắc" is a date)
    if sep != "/" and _RATE_AFTER.match(folded, m.end()):
        return None  # "ngày 3-4 lần", "ngày 2-3 viên": a count per day, even after "ngày"
    if sep == "-" and not (len(ms) == 2 and ms.startswith("0")) and not cue:
        return None  # "10-12" is as likely a range as a date; "15-03" (zero-padded month) is a date
    if sep != "/" and sep != "-" and not _spaced_ok(folded, m.start()):
        return None  # "14 - 4" (tokenised text) only right after "ngày", "sáng", ...
    day = tr.nearest_day_month(int(m.group("d")), int(ms), ref)
    return _day_hit(m, day, "day/month; year nearest to the reference", year_inferred=True) if day else None


# a day and month written with a dot, as the press and shops do ("ngày 5.3", "sale 12.12", "săn sale 11.11"): only
# right after a day word or a sale word; elsewhere "1.5", "12.5" are decimals ("giá 1.5 triệu", "12.5%")
_DOT_DATE_CUE = re.compile(r"(?<![a-z])(?:ngay|hom|dip|sale|khuyen\smai|km|uu\dai|deal|san|mung|mong)\s$")
_DECIMAL_UNIT_AFTER = re.compile(
    r"\s?(?:trieu|tr|nghin|ngan|k|ty|ti|cu|dong|d|vnd|usd|\$|%|lit|l|ml|kg|g|m|cm|mm|km|inch|do|diem|lan|gio|h|"
    r"phut|p|tieng|nam|tuoi|thang|tuan|ngay|sao|x)(?![a-z])"
)


def h_dm_dot(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "ngày 5.3", "sale 12.12": a day and month with a dot, after a day or sale word; no unit after it."""
    if not _DOT_DATE_CUE.search(folded, max(0, m.start() - 12), m.start()):
        return None
    if _DECIMAL_UNIT_AFTER.match(folded, m.end()):
        return None  # "sale 1.5 triệu", "ngày 1.5 lít": a decimal amount
    day = tr.nearest_day_month(int(m.group("d")), int(m.group("m")), ref)
    return (
        _day_hit(m, day, "day.month after a day or sale word; year nearest", year_inferred=True)
        if day
        else None
    )


# after "ngày N", besides the units of _UNIT_AFTER: a count makes it "N ... a day" ("ngày 3 viên", "ngày 2 bữa")
_PER_DAY_AFTER = re.compile(
    r"\s?(?:vien|goi|bua|lieu|chai|ong|giot|muong|thia|coc|ly|luot|cu|tr|buoi|tiet|sp|san\spham|kien|bao|"
    r"thung|cay|so|khach|bai|trang|dong|mon|suat|phan|chuyen)(?![a-z])"
)


def h_day_only(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "ngày 20", "mùng 5": a day of the reference month, when no count or unit follows ("ngày 2 lần" is a rate);
    "ngày 15 hàng tháng": a SET, every month on the 15th."""
    if _UNIT_AFTER.match(folded, m.end()) or _PER_DAY_AFTER.match(folded, m.end()):
        return None
    if m.group("every"):  # "ngày 15 hàng tháng": every month on that day
        d = int(m.group("d"))
        if not 1 <= d <= 31:
            return None
        value = tr.timex("SET", f"XXXX-XX-{d:02d}")
        return Hit(m.start("d"), m.end(), "SET", value, 0.0, "day of every month", day_end=m.end("d"))
    shift = _F["shift"].get(" ".join(m.group("rel").split())) if m.group("rel") else 0
    if shift is None:
        return None
    month = ref.year * 12 + ref.month - 1 + shift
    day = tr.valid_date(month // 12, month % 12 + 1, int(m.group("d")))
    if day is None:
        return None
    why = "day of the month, " + ("of the month it names" if shift else "alone: the reference month")
    value = tr.timex("DATE", day.isoformat())
    return Hit(m.start("d"), m.end(), "DATE", value, 0.0, why, day=day, month_inferred=not shift)


def _spaced_ok(folded: str, start: int) -> bool:
    """Tokenised "14 - 4" is a date only right after a date word or inside a list of days ("ngày 9 và 10 - 4")."""
    return bool(
        _STRONG_CUE_RX.search(folded, max(0, start - 8), start)
        or _LIST_START_RX.search(folded, max(0, start - 40), start)
    )


def _cue_before(folded: str, start: int) -> bool:
    return bool(_DATE_CUE_RX.search(folded, max(0, start - 8), start))


def h_day_range_head(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "1-5/3", "từ ngày 8 đến 10-8": the first day of a range takes the month (and year) of the second, which
    is found on its own as a date; the two stay separate entities."""
    d1, d2, mo = int(m.group("d1")), int(m.group("d")), int(m.group("m"))
    if d1 >= d2:
        return None
    link = m.group("link").strip()
    if (
        link not in ("-", "–")
        and not _LIST_START_RX.search(folded, max(0, m.start() - 40), m.start())
        and not (
            link in ("va", "hoac", ",") and _LIST_VERB_RX.search(folded, max(0, m.start() - 40), m.start())
        )
    ):
        return None  # "8 đến 10-8", "16, 17 và 18-8" need "ngày"/"từ" (or "nghỉ 14 và 15/12") before the first day
    if m.group("y"):
        first = tr.valid_date(int(m.group("y")), mo, d1)
    else:
        last = tr.nearest_day_month(d2, mo, ref)
        first = tr.valid_date(last.year, mo, d1) if last else None
    if first is None:
        return None
    return _day_hit(m, first, "first day of a range; month of the second", year_inferred=not m.group("y"))


def h_range_tail(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "1-5/3": the "5/3" after a range dash (the head "1" is found by :func:`h_day_range_head`)."""
    d, mo = int(m.group("d")), int(m.group("m"))
    day = tr.valid_date(int(m.group("y")), mo, d) if m.group("y") else tr.nearest_day_month(d, mo, ref)
    return _day_hit(m, day, "last day of a range", year_inferred=not m.group("y")) if day else None


def h_month(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    mo = _int(m.group("m"), "month")
    if mo is None or not 1 <= mo <= 12:
        return None
    if m.group("y"):
        y, why = int(m.group("y")), "month and year"
    elif m.group("rel") in ("toi", "sau"):
        y, why = (ref.year if mo > ref.month else ref.year + 1), "month, the next one"
    elif m.group("rel") == "truoc":
        y, why = (ref.year if mo < ref.month else ref.year - 1), "month, the last one"
    else:
        y, why = tr.nearest_month_year(mo, ref), "month; year nearest to the reference"
        return _hit(m, "DATE", tr.timex("DATE", f"{y}-{mo:02d}"), why, year_inferred=True)
    return _hit(m, "DATE", tr.timex("DATE", f"{y}-{mo:02d}"), why)


def h_month_rel(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    y, mo = tr.shift_month(ref.year, ref.month, _F["shift"][m.group("rel")])
    return _hit(m, "DATE", tr.timex("DATE", f"{y}-{mo:02d}"), "relative month")


def h_year(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    if m.group("yy") is not None:
        if folded[max(0, m.start() - 2) : m.start()].rstrip()[-1:].isdigit() or _NOT_A_YEAR_AFTER.match(
            folded, m.end()
        ):
            return None  # "5 năm 10 tháng" (a count of years), "năm 12 tuổi" (at twelve), "năm 20 người"
        if _MALE_BEFORE.search(folded, max(0, m.start() - 12), m.start()):
            return None  # "benh nhan nam 45": "nam" written without marks is also "male"
        yy = int(m.group("yy"))
        y = 2000 + yy if yy <= ref.year % 100 else 1900 + yy  # "năm 95" is 1995, "năm 05" 2005
        return _hit(m, "DATE", tr.timex("DATE", str(y)), "year written with two digits")
    y = int(m.group("y"))
    return _hit(m, "DATE", tr.timex("DATE", str(y)), "year") if 1900 <= y <= 2100 else None


def h_year_rel(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    return _hit(m, "DATE", tr.timex("DATE", str(ref.year + _F["shift"][m.group("rel")])), "relative year")


def h_quarter(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    qs = m.group("q")
    q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(qs) or _int(qs)
    if q is None or not 1 <= q <= 4:
        return None
    y = int(m.group("y") or m.group("y2") or ref.year)
    return _hit(m, "DATE", tr.timex("DATE", tr.quarter_of(y, q)), "quarter")


def h_quarter_rel(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    value = tr.quarter_of(ref.year, (ref.month - 1) // 3 + 1, _F["shift"][m.group("rel")])
    return _hit(m, "DATE", tr.timex("DATE", value), "relative quarter")


def h_week_rel(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    week = tr.iso_week(ref + timedelta(weeks=_F["shift"][m.group("rel")]))
    return _hit(m, "DATE", tr.timex("DATE", week), "relative week (Monday-based)")


def h_part(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    mod, unit, n, rel = _F["mod"][m.group("part")], m.group("u"), m.group("n"), m.group("rel")
    shift = _F["shift"][rel] if rel else 0
    if unit == "tuan":
        week = tr.iso_week(ref + timedelta(weeks=shift))
        if n:
            return None
        if m.group("part") == "cuoi":
            return _hit(m, "DATE", tr.timex("DATE", f"{week}-WE"), "weekend")
        return _hit(m, "DATE", tr.timex("DATE", week, mod=mod), "part of a week")
    if unit == "thang":
        if n and not 1 <= int(n) <= 12:
            return None
        y, mo = (
            (tr.nearest_month_year(int(n), ref), int(n)) if n else tr.shift_month(ref.year, ref.month, shift)
        )
        hit = _hit(m, "DATE", tr.timex("DATE", f"{y}-{mo:02d}", mod=mod), "part of a month")
    else:
        if n and len(n) != 4:
            return None
        year = int(n) if n else ref.year + shift
        hit = _hit(m, "DATE", tr.timex("DATE", str(year), mod=mod), "part of a year")
    if n:  # "đầu tháng 7": the span is "tháng 7"; "đầu" stays outside as the modifier (mod START)
        hit.start = m.start("u")
        hit.why += f"; '{m.group('part')}' before it is the modifier"
    return hit


def h_relday(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    day = ref + timedelta(days=_F["relday"][" ".join(m.group("rel").split())])
    return _day_hit(m, day, "relative day")


# words before a bare "mai" that make it a name or a flower: "chị Mai 9h", "hoa mai"
_BARE_DAY_NAME_HEADS = frozenset(
    {"chi", "anh", "em", "co", "ba", "ong", "ban", "be", "ten", "hoa", "cay", "canh", "chu", "bac", "di", "mo",
     "thim", "cau", "mu", "nang", "chau", "c", "a", "e", "gap", "voi", "cho", "goi", "hoi", "nhan"}
)  # fmt: skip
# and, when no clock time follows, family and middle names, place heads and "là": "nguyen thi mai", "hoang mai",
# "bach mai", "tên là mai"
_MAI_NAME_BEFORE = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh lam mai truong thi van bach "
    "tuyet xuan thanh ngoc kim hong phuong la".split()
)


def h_relday_bare(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """Bare "mai" / "mốt" before a clock time or a part of the day, or "mai" before a subject, verb or particle
    (group ``mnext``), unless the word before makes it a name."""
    prev = folded[max(0, m.start() - 8) : m.start()].split()
    if prev and prev[-1] in _BARE_DAY_NAME_HEADS:
        return None
    if prev and m.group("mnext") and prev[-1] in _MAI_NAME_BEFORE:
        return None  # "Nguyễn Thị Mai", "Hoàng Mai", "Bạch Mai": a name (before a time it stays "tomorrow")
    return h_relday(m, ref, folded)


def h_pod_day(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    pod, day = _pod_day(m, ref)
    if day is None or pod is None:
        return None
    return _hit(
        m, "TIME", tr.timex("TIME", f"{day.isoformat()}T{pod}"), "part of a relative day", day=day, pod=pod
    )


def h_weekday(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    prev = folded[max(0, m.start() - 12) : m.start()].split()
    if prev and prev[-1] in _ORDINAL_HEADS and not m.group("cn") and prev[-2:] not in _OPEN_CLOSE:
        return None  # "xếp thứ 2", "lần thứ ba": an ordinal, not a weekday ("ca chủ nhật" is a Sunday shift)
    if _SECONDLY_RX.match(folded, m.end()) and not m.group("wrel") and not m.group("rel"):
        return None  # "thứ hai là ...": "secondly"
    iso_wd = 7 if m.group("cn") else _F["wd"][m.group("wd")]
    wrel, rel = m.group("wrel"), m.group("rel")
    word_form = m.group("wd") is not None and not m.group("wd").isdigit()
    if (
        word_form
        and not wrel
        and rel in (None, "nay")
        and not _WEEKDAY_CUE_RX.search(folded, max(0, m.start() - 16), m.start())
    ):
        return None  # "ca nCoV thứ hai (này)": an ordinal; a weekday in words needs a cue ("vào thứ hai")
    if wrel:
        d = tr.weekday_date(iso_wd, ref, week_shift=_F["shift"][wrel], relation="")
        why = "weekday of a relative Monday-based week"
    elif rel in ("toi", "sau"):
        d, why = tr.weekday_date(iso_wd, ref, week_shift=None, relation="after"), "next such weekday"
    elif rel in ("vua roi", "vua qua", "truoc"):
        d, why = tr.weekday_date(iso_wd, ref, week_shift=None, relation="before"), "last such weekday"
    elif rel is None and _after_hom(folded, m.start()):
        d, why = (
            tr.weekday_date(iso_wd, ref, week_shift=None, relation="before"),
            "'hôm' + weekday: the last one",
        )
    else:  # alone or "thứ 7 này" (this Saturday)
        d = tr.weekday_date(iso_wd, ref, week_shift=None, relation="next_or_today")
        why = "weekday: the next one on or after the reference date"
    return _day_hit(m, d, why, weekday_only=not (wrel or rel))


def _after_hom(folded: str, start: int) -> bool:
    """ "hôm" (that day) right before a weekday: "đặt từ hôm thứ 5", "hôm cn e có gọi" name a day gone by."""
    return folded[max(0, start - 4) : start] == "hom " and (start < 5 or not folded[start - 5].isalnum())


# chat's "t2".."t7" and "cn" (thứ 2..7, chủ nhật) are weekdays only after a word that introduces a day
_ABBR_CUE_RX = re.compile(
    r"(?<![^\W_])(?:giao|hen|vao|tu|den|toi|truoc|sau|hoac|hay|va|voi|nhan|ship|lay|gap|lich|nghi|lam|di|ve|"
    r"tra|thu|dat|chuyen|doi|ngay|hom|sang|trua|chieu|dem|khuya)\s$|(?<![^\W_])(?:t[2-7]|cn),?\s$|,\s$|"
    + _WEEK_BEFORE
)


# ... or right before another one: "t7, cn e nghỉ", "t7 hoặc cn"
# a word naming a thing right before "t2 này": the "t2" is its name (a model, a size, a floor, a block)
_ABBR_THING_BEFORE = re.compile(
    r"(?<![^\W_])(?:size|sz|co|mau|loai|model|ma|dong|ban|phien\sban|version|ver|cai|con|chiec|so|hang|bang|lop|"
    r"tang|lau|phong|toa|block|khu|day|xe|may|kieu|form|ao|quan)\s$"
)
_ABBR_NEXT_RX = re.compile(r",?\s(?:hoac\s|hay\s|va\s|voi\s|den\s|toi\s)?(?:t[2-7]|cn)(?![^\W_])")


def h_weekday_abbr(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    if m.group("rel") and _ABBR_THING_BEFORE.search(folded, max(0, m.start() - 12), m.start()):
        return None  # "mẫu t2 này", "size t2 này": a model or a size named T2
    if not (
        m.group("wrel")
        or m.group("rel")
        or _ABBR_CUE_RX.search(folded, max(0, m.start() - 16), m.start())
        or _ABBR_NEXT_RX.match(folded, m.end())
    ):
        return None  # "size t2", "vcb cn": an abbreviation of something else without a cue
    iso_wd = 7 if m.group("tcn") else int(m.group("twd")) - 1
    if m.group("wrel"):
        d = tr.weekday_date(iso_wd, ref, week_shift=_F["shift"][m.group("wrel")], relation="")
        return _day_hit(m, d, "abbreviated weekday of a relative Monday-based week")
    if not m.group("rel") and _after_hom(folded, m.start()):
        d = tr.weekday_date(iso_wd, ref, week_shift=None, relation="before")
        return _day_hit(m, d, "'hôm' + abbreviated weekday: the last one", weekday_only=True)
    d = tr.weekday_date(iso_wd, ref, week_shift=None, relation="next_or_today")
    return _day_hit(
        m,
        d,
        "abbreviated weekday: the next one on or after the reference date",
        weekday_only=not m.group("rel"),
    )


# the words before "t11" that make it a month: pay, billing and reporting periods, parts of a month
_MONTH_ABBR_CUE_RX = re.compile(
    r"(?<![^\W_])(?:luong|ky|ky luong|bang luong|phieu luong|cong|cham cong|thuong|phu cap|bhxh|bao hiem|thue|"
    r"quyet toan|cuoc|hoa don|doanh thu|doanh so|bao cao|ke hoach|dau|giua|cuoi|trong|het|sang|den|tu)\s$"
)


def h_month_abbr(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    mo = int(m.group("m"))
    if m.group("y"):
        return _hit(m, "DATE", tr.timex("DATE", f"{m.group('y')}-{mo:02d}"), "abbreviated month and year")
    if not _MONTH_ABBR_CUE_RX.search(folded, max(0, m.start() - 14), m.start()):
        return None  # "t2" is also Monday, "t1" a floor or a part: a month only after a payroll word
    y = tr.nearest_month_year(mo, ref)
    why = "abbreviated month after a payroll or period word; year nearest to the reference"
    return _hit(m, "DATE", tr.timex("DATE", f"{y}-{mo:02d}"), why, year_inferred=True)


def h_holiday(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    month, day = _F["holiday"][" ".join(m.group("h").split())]
    if m.group("hd") and (int(m.group("hd")), int(m.group("hm"))) != (day, month):
        # "Quốc Khánh 3/9": the number is not the holiday's own date; the holiday alone is the DATE
        d = tr.nearest_day_month(day, month, ref)
        if not d:
            return None
        return Hit(m.start(), m.end("h"), "DATE", tr.timex("DATE", d.isoformat()), 0.0,
                   "holiday; year nearest to the reference", day=d, year_inferred=True)  # fmt: skip
    year = m.group("hy") or m.group("y")
    if year:
        d = tr.valid_date(int(year), month, day)
        return _day_hit(m, d, "holiday of a given year") if d else None
    d = tr.nearest_day_month(day, month, ref)
    why = "holiday with its own day/month" if m.group("hd") else "holiday"
    return _day_hit(m, d, f"{why}; year nearest to the reference", year_inferred=True) if d else None


def h_lunar(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """Tết and the other lunar-calendar days ("mùng 3 tết", "rằm tháng giêng", "trung thu"): the solar day
    nearest to the reference, or of the lunar year written after it."""
    year_before = 0
    if m.group("ld"):
        month, day = 1, int(m.group("ld"))
    elif m.group("lt"):  # "28 tết": the 28th of the last lunar month, before the Tết of the year written
        month, day, year_before = 12, int(m.group("lt")), 1
        if day == 30:
            month, day, year_before = 1, 0, 0  # "30 tết": the eve, whether the month has 29 days or 30
    else:
        month, day = _F["lunar"][" ".join(m.group("lh").split())]
    if m.group("y"):
        d = tr.lunar_date(month, day, int(m.group("y")) - year_before)
        why = "lunar-calendar day of a given lunar year"
        return _day_hit(m, d, why) if d else None
    d = tr.nearest_lunar(month, day, ref)
    why = "lunar-calendar day (Vietnamese lunar calendar); year nearest to the reference"
    return _day_hit(m, d, why, year_inferred=True) if d else None


def h_season(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    code = _F["season"][m.group("s")]
    year = (
        int(m.group("y"))
        if m.group("y")
        else ref.year + (_F["shift"][m.group("rel")] if m.group("rel") else 0)
    )
    return _hit(m, "DATE", tr.timex("DATE", f"{year}-{code}"), "season")
