"""Time-of-day, duration, recurrence and "now" handlers for :mod:`.patterns` (dates: :mod:`.handlers`)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from . import resolve as tr
from .handlers import _F, Hit, _day_hit, _hit, _int, _pod_day
from .lexicon import DURATION_CUES, PARTS_OF_DAY, RELDAY_AFTER_POD, alt

_CLOCK_HOURS_RX = re.compile(r"\sdong\sho")  # "3 giờ đồng hồ" = three hours
_GOODS_BEFORE = re.compile(
    r"(?:dat|don|mua|giao|nhan|gui|tra|kiem|cua|mat|ban|lay|ship|cho|chuyen|nhap|xuat|chinh)\s$"
)
_DIGIT_AFTER = re.compile(r"\s?\d")
# "cách đây 3 ngày": three days ago ("nhà cách 3 phút đi bộ" is a distance in minutes, not a point)
_AGO_BEFORE = re.compile(r"(?<![^\W_])cach\sday\s$")
_DUR_CUE_RX = re.compile(rf"(?:{alt(DURATION_CUES)})\s$")
# before chat's "Np" (minutes): the duration cues, and words of waiting or about ("đợi 15p", "còn 5p", "tầm 10p",
# "gọi trước 30p")
_WAIT_CUE_RX = re.compile(
    rf"(?<![^\W_])(?:{alt(DURATION_CUES)}|doi|cho|con|tam|khoang|hon|gan|sau|truoc|het)\s$"
)
# the second clock of a range, with its part of the day: "7h30-8h tối", "9h đến 11h sáng"
_RANGE_END_POD = re.compile(
    r"\s?(?:[-–]|den\s|toi\s|hoac\s|hay\s)\s?(?P<h2>\d{1,2})(?::[0-5]\d|\s?(?:h|g|gio)(?:\s?[0-5]?\d)?(?:\s?(?:phut|p))?)"
    rf"\s(?:buoi\s)?(?P<pod>{alt(PARTS_OF_DAY)})(?:\s(?P<podday>{RELDAY_AFTER_POD}))?(?![^\W_])"
)


def _clock_hit(
    m: re.Match[str], ref: date, folded: str, h: int, mi: int, s: int | None, why: str
) -> Hit | None:
    pod, day = _pod_day(m, ref)
    if pod is None and day is None and 0 < h <= 12:
        # "7h30-8h tối", "9h hoặc 10h sáng mai": a range's (or a choice's) first clock borrows the part of the
        # day of its second one (not "10h-2h chiều", whose first hour comes later on the clock face)
        end = _RANGE_END_POD.match(folded, m.end())
        if end is not None and h < int(end.group("h2")) <= 12:
            pod, day = _pod_day(end, ref)
            why += "; part of the day from the range's end"
    hour = tr.hour_for_part(h, pod)
    if hour is None or not 0 <= mi <= 59 or (hour == 24 and mi):
        return None
    clock = tr.time_str(hour % 24, mi, s)
    if day is not None:
        value = tr.timex("TIME", f"{day.isoformat()}T{clock}")
        # a day borrowed from a range's end has no words in this span
        day_span = (m.start("podday"), m.end("podday")) if m.start("podday") >= 0 else None
        return _hit(m, "TIME", value, why, day=day, pod=pod, day_span=day_span)
    return _hit(m, "TIME", tr.timex("TIME", f"T{clock}"), why, clock=(hour % 24, mi, s), pod=pod)


def h_clock_colon(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    h, mi = int(m.group("h")), int(m.group("mi"))
    s = int(m.group("s")) if m.group("s") else None
    if h > 23 or (s is not None and s > 59):
        return None
    return _clock_hit(m, ref, folded, h, mi, s, "hh:mm")


def h_midnight(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "nửa đêm" (midnight), "lúc nửa đêm qua": 00:00, of the day named as "12h đêm qua" is."""
    _, day = _pod_day(m, ref)
    if day is not None:
        value = tr.timex("TIME", f"{day.isoformat()}T00:00")
        return _hit(
            m, "TIME", value, "midnight", day=day, pod="NI", day_span=(m.start("podday"), m.end("podday"))
        )
    if m.group("podday"):
        return None
    return _hit(m, "TIME", tr.timex("TIME", "T00:00"), "midnight", clock=(0, 0, None), pod="NI")


def h_clock_range_head(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "8-17h", "1-3h chiều": the first hour of a range borrows the unit and part of day of the second."""
    h = int(m.group("h"))
    if h > 23:
        return None
    return _clock_hit(m, ref, folded, h, 0, None, "first hour of a range")


def h_weekday_range(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "thứ 2-6", "T2-T6": the weekly range of working days."""
    a = int(m.group("a")) - 1
    b = 7 if m.group("b2") else int(m.group("b")) - 1
    if a >= b:
        return None
    return _hit(m, "SET", tr.timex("SET", f"XXXX-WXX-{a}", max=f"XXXX-WXX-{b}"), "weekly range of weekdays")


def h_clock_h(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    h = _int(m.group("h") or m.group("hw"))
    if h is None or h > 24:
        return None
    if _duration_cue(folded, m.start()) or _CLOCK_HOURS_RX.match(folded, m.end()):
        return None  # "trong 3 giờ", "3 giờ đồng hồ": a duration
    if h == 24 and m.group("u") == "h":
        return None  # "24h" is round-the-clock service
    mi = _int(m.group("mi")) or _int(m.group("mi_w")) or (30 if m.group("half") else 0)
    if m.group("kem"):  # "11 giờ kém 15" = 10:45
        k = int(m.group("kem"))
        if not 0 < k < 60 or mi:
            return None
        h, mi = (h - 1) % 24, 60 - k
    return _clock_hit(m, ref, folded, h, mi, None, "hour with giờ/h" + (" and minutes" if mi else ""))


# a word that introduces a time of day right before a bare "8 rưỡi" ("lúc 8 rưỡi", "tầm 9 rưỡi", "hẹn 2 rưỡi")
_HALF_CUE = re.compile(
    r"(?<![^\W_])(?:luc|tam|khoang|hen|vao|tu|den|toi|truoc|sau|gan|qua|ve|giao|gap|tan|nghi)\s$"
)
# ... but not after a price or amount word ("giá tầm 2 rưỡi" is 2.5 million in chat)
_HALF_AMOUNT = re.compile(
    r"(?<![^\W_])(?:gia|tien|luong|thuong|phi|ship|tra|het|mat|con|nang|cao|size|co|so)\s"
)


def h_clock_half(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    """ "8 rưỡi tối", "lúc 9 rưỡi": half past the hour, with no giờ/h; needs a part of the day or a cue."""
    h = int(m.group("h"))
    if h > 23:
        return None
    if not m.group("pod"):
        lo = max(0, m.start() - 16)
        if not _HALF_CUE.search(folded, lo, m.start()) or _HALF_AMOUNT.search(folded, lo, m.start()):
            return None
    return _clock_hit(m, ref, folded, h, 30, None, "hour and 'rưỡi' (half past)")


# pay counted in time: "2 tháng lương", "13 tháng lương", "1 tháng tiền nhà", "3 tháng cọc"
# ("làm 2 tháng lương 8 triệu" is two months, then the pay: the pay word names an amount right after it)
# (days, weeks, months, years, on the same line: "xử lý trong 3 tiếng 45 phút\nlương em ..." is a duration)
_PAY_AFTER_RX = re.compile(r"[ \t](?:luong|tien|coc|thuong|phi)(?![^\W_])(?!\s?:?\s?\d)")
_PAY_UNITS = frozenset({"ngay", "tuan", "thang", "nam"})


def h_duration(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    ns = m.group("n")
    n = 0.5 if ns == "nua" else (float(ns.replace(",", ".")) if ns[0].isdigit() else _int(ns))
    if not n or (m.group("u") == "hom" and ns in ("tu", "mot")):
        return None  # "từ hôm qua" (folded "tư" = four), "một hôm" (one day, once): not an amount of days
    if not m.group("rel") and m.group("u") in _PAY_UNITS and _PAY_AFTER_RX.match(folded, m.end()):
        return None  # "thưởng 2 tháng lương", "1 tháng tiền nhà": an amount of money counted in months
    if m.group("u") == "h":
        # "48h", "72h": more hours than a clock has; any "Nh" after a cue ("giao trong 24h", "mất 2h", which
        # the clock rule leaves to this one); a bare "8h" is a time of day
        if not (n > 24 or _duration_cue(folded, m.start())) or m.group("half"):
            return None
        unit, is_time = "H", True
    elif m.group("u") == "p":
        # chat's minutes: "30p nữa", "đợi 15p", "mất 45p"; a bare "30p" is left alone (a page, a price code)
        if not (m.group("rel") or _WAIT_CUE_RX.search(folded, max(0, m.start() - 20), m.start())) or n > 600:
            return None
        unit, is_time = "M", True
    else:
        unit, is_time = _F["dur"][m.group("u")]
    if m.group("u") == "gio" and not (
        _duration_cue(folded, m.start()) or m.group("half") or ns == "nua" or n > 24
    ):
        if not _CLOCK_HOURS_RX.match(folded, m.end()):
            return None  # bare "3 giờ" is a time of day ("38 giờ" cannot be one)
    n += 0.5 if m.group("half") else 0
    rel = m.group("rel")
    start = m.start()
    ago = None if rel or m.group("n1") else _AGO_BEFORE.search(folded, max(0, start - 9), start)
    if ago is not None:  # "cách đây 2 tuần": two weeks ago, the span with its "cách đây"
        rel, start = "truoc", ago.start()
    value = tr.duration_value(n, unit, is_time)
    sign = -1 if rel == "truoc" else 1
    if rel in ("sau", "nua", "truoc") and not m.group("n1") and unit in ("D", "W"):
        days = int(n * (7 if unit == "W" else 1)) * sign
        hit = _day_hit(m, ref + timedelta(days=days), "a day counted from the reference")
        hit.offset = (value, timedelta(days=days))
        hit.start = start
        return hit
    if (
        rel in ("sau", "nua", "truoc")
        and not m.group("n1")
        and unit in ("M", "Y")
        and not is_time
        and n % 1 == 0
    ):
        # "3 tháng trước" (three months ago), "1 năm sau": the month or year counted from the reference, as
        # "tháng trước" / "năm sau" are ("2 tháng rưỡi nữa" stays an amount: no month holds that point)
        months = sign * int(n) * (12 if unit == "Y" else 1)
        year, month0 = divmod(ref.year * 12 + ref.month - 1 + months, 12)
        point = f"{year:04d}-{month0 + 1:02d}" if unit == "M" else f"{year:04d}"
        hit = _hit(m, "DATE", tr.timex("DATE", point), "a month or year counted from the reference")
        hit.offset = (value, None)
        hit.start = start
        return hit
    extra = None
    if m.group("n1"):
        low = float(m.group("n1"))
        if low >= n:
            return None
        value, extra = tr.duration_value(low, unit, is_time), value
    hit = _hit(m, "DURATION", tr.timex("DURATION", value, max=extra), "amount of time")
    if (
        is_time
        and rel in ("sau", "nua", "truoc", "toi")
        and extra is None
        and not _duration_cue(folded, m.start())
    ):
        # "15 phút nữa", "2 tiếng tới": also a point counted from the reference time ("trong 2 tiếng tới" is not)
        hit.offset = (value, sign * timedelta(seconds=round(n * {"H": 3600, "M": 60, "S": 1}[unit])))
    hit.start = start  # "cách đây 5 phút": the span opens at "cách"
    return hit


def h_set(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    if m.group(0).startswith("hang") and (
        _GOODS_BEFORE.search(folded, max(0, m.start() - 12), m.start()) or _DIGIT_AFTER.match(folded, m.end())
    ):
        return None  # "đặt hàng ngày 26", "chính hãng 12 tháng": goods / brand here, not "every"
    if m.group("wd") or m.group("cn"):
        iso_wd = 7 if m.group("cn") else _F["wd"][m.group("wd")]
        return _hit(m, "SET", tr.timex("SET", f"XXXX-WXX-{iso_wd}"), "every such weekday")
    if m.group("every_n"):
        unit, is_time = _F["dur"][m.group("nu")]
        return _hit(
            m, "SET", tr.timex("SET", tr.duration_value(int(m.group("every_n")), unit, is_time)), "every n"
        )
    return _hit(m, "SET", tr.timex("SET", _F["set"][m.group("u")]), "recurring")


def h_now(m: re.Match[str], ref: date, folded: str) -> Hit | None:
    return _hit(m, "TIME", tr.timex("TIME", "PRESENT_REF"), "now")


def _duration_cue(folded: str, start: int) -> bool:
    return bool(_DUR_CUE_RX.search(folded, max(0, start - 20), start))
