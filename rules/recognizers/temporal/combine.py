"""Choosing and joining temporal candidates for :mod:`.recognizer`: overlaps, tense cues, time + day merges."""

from __future__ import annotations

from datetime import date
from typing import Any

import regex

from . import resolve as tr
from .handlers import Hit

_PAST = regex.compile(r"(?<!\p{L})(?:đã|vừa|hồi|trước đây)(?!\p{L})", regex.IGNORECASE)
_FUTURE = regex.compile(r"(?<!\p{L})(?:sẽ|hẹn|dự kiến|hạn|định|sắp|kế hoạch)(?!\p{L})", regex.IGNORECASE)
# what may stand between two pieces that join; never a line break (a chat line is its own message); "tầm",
# "khoảng", "chừng" (about) before the time: "sáng mai tầm 9h"
_CONNECT = regex.compile(
    r"[^\S\n]*,?[^\S\n]*(?:(?:vao\sluc|vao\sngay|vao|luc|ngay\smong|ngay\smung|ngay|mong|mung|hom"
    r"|tam\skhoang|khoang\stam|tam|khoang|chung)[^\S\n]+)?"
)
# between the first and the last day of a range: "t2-t6", "thứ 2 đến thứ 6", "20-25"
_RANGE_LINK = regex.compile(r"[^\S\n]*(?:-|–|->|đến|tới|den|toi)[^\S\n]*", regex.IGNORECASE)
# "thứ 7, vào ngày 27/09": "vào"/"lúc" open another expression; "thứ 7, ngày 27/09" is one date
_OWN_EXPRESSION = regex.compile(r"(?<!\p{L})(?:vao|luc)(?!\p{L})")


def apply_tense(hit: Hit, text: str, ref: date) -> None:
    """A day/month or month without a year: a past cue in its clause ("đã", "vừa") picks the latest such date
    not after the reference, a future cue ("sẽ", "hẹn", "hạn") the earliest not before it. A day alone ("hạn
    nộp ngày 3") picks its month the same way."""
    window = text[max(0, hit.start - 30) : hit.start]
    window = window[max(window.rfind(c) for c in ".;!?") + 1 :]
    past, future = _PAST.search(window), _FUTURE.search(window)
    if bool(past) == bool(future):
        return
    link = _RANGE_LINK.match(text, hit.end) if hit.month_inferred else None
    if link is not None and text[link.end() : link.end() + 1].isdigit():
        return  # "hẹn ngày 20-25": the range's days keep one month, the reference one
    if hit.day is not None:
        d = hit.day
        if hit.month_inferred:  # the day in the month before, the same month or the month after
            months = (d.year * 12 + d.month - 1 + k for k in (-1, 0, 1))
            cands = [c for mo in months if (c := tr.valid_date(mo // 12, mo % 12 + 1, d.day))]
        else:
            cands = [c for y in (d.year - 1, d.year, d.year + 1) if (c := tr.valid_date(y, d.month, d.day))]
        pick = (
            max((c for c in cands if c <= ref), default=None)
            if past
            else min((c for c in cands if c >= ref), default=None)
        )
        if pick is None or pick == d:
            return
        hit.day, hit.value = pick, tr.timex("DATE", pick.isoformat())
    else:
        y, mo = (int(x) for x in hit.value["value"].split("-"))
        here = ref.year * 12 + ref.month
        idx = [yy * 12 + mo for yy in (y - 1, y, y + 1)]
        ok = [i for i in idx if (i <= here if past else i >= here)]
        if not ok:
            return
        pick_idx = max(ok) if past else min(ok)
        if pick_idx == y * 12 + mo:
            return
        hit.value = tr.timex("DATE", f"{(pick_idx - mo) // 12}-{mo:02d}")
    what = "month" if hit.month_inferred else "year"
    hit.notes.append(f"{'past' if past else 'future'} cue '{(past or future).group(0)}' picked the {what}")  # type: ignore[union-attr]


def choose(hits: list[Hit]) -> list[Hit]:
    """Longest first, then highest score; no two kept hits overlap. Returned in text order."""
    kept: list[Hit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), -h.score, h.start)):
        if all(h.end <= k.start or k.end <= h.start for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def combine(hits: list[Hit], folded: str, *, times: bool = True) -> list[Hit]:
    """Join adjacent pieces; with ``times=False`` (date_time: separate) only a weekday and its date are joined:
    a day stays a DATE next to a clock time, and both keep the joined date-time as ``value["combined"]``."""
    out: list[Hit] = []
    pieces = _weekday_dates(hits, folded, times=times)
    for i, h in enumerate(pieces):
        if out and _connects(out[-1], h, folded) and not opens_range(h, pieces[i + 1 : i + 2], folded):
            merged = _merge(out[-1], h)
            if merged is not None and merged.kind == "TIME" and not times:
                both = merged.value["value"]
                out[-1].value = {**out[-1].value, "combined": both}
                h.value = {**h.value, "combined": both}
                merged = None
            if merged is not None:
                out[-1] = merged
                continue
        out.append(h)
    return out


def opens_range(h: Hit, after: list[Hit], folded: str) -> bool:
    """``h`` is the first day of a range of days ("8h-17h thứ 2 - thứ 6", "8h-17h t2-t6"): the clock before it
    is the hours of every day in the range, not of the first day alone, so the two are not joined."""
    return (
        h.kind == "DATE"
        and bool(after)
        and after[0].kind == "DATE"
        and _RANGE_LINK.fullmatch(folded, h.end, after[0].start) is not None
    )


def _connects(a: Hit, b: Hit, folded: str) -> bool:
    """Only joining words stand between ``a`` and ``b``; "2 tiếng, 30 phút" are two amounts, and "thứ 7, vào ngày
    27/09" two expressions."""
    if not _CONNECT.fullmatch(folded, a.end, b.start):
        return False
    gap = folded[a.end : b.start].strip()
    if a.kind == b.kind == "DURATION" and gap not in ("", "va"):
        return False
    return not (a.weekday_only and "," in gap and _OWN_EXPRESSION.search(gap))


def _weekday_dates(hits: list[Hit], folded: str, *, times: bool) -> list[Hit]:
    """A weekday and the date after it first ("10h30 sáng thứ Ba 08/12": the clock joins "thứ Ba 08/12", whose
    day is 8 December, not the weekday's own next Tuesday)."""
    if len(hits) < 2:
        return hits
    out: list[Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.rule == "week_rel"
            and h.weekday_only
            and h.day is not None
            and _WEEK_GAP.fullmatch(folded, prev.end, h.start) is not None
        ):
            out[-1] = _week_weekday(prev, h)
            continue
        if (
            prev is not None
            and prev.weekday_only
            and h.kind == "DATE"
            and h.day is not None
            and not h.weekday_only
            and _connects(prev, h, folded)
        ):
            merged = _merge(prev, h)
            if merged is not None and (times or merged.kind != "TIME"):
                out[-1] = merged
                continue
        out.append(h)
    return out


# between a relative week and the weekday after it: "tuần sau thứ 4", "tuần này, t6"
_WEEK_GAP = regex.compile(r"[^\S\n]?,?[^\S\n]")


def _week_weekday(week: Hit, wd: Hit) -> Hit:
    """ "tuần sau thứ 4", "tuần này t6", "tuần tới sáng thứ 2": the weekday of the week named before it, one
    span (as "thứ 4 tuần sau" is)."""
    assert wd.day is not None
    year, _, num = week.value["value"].partition("-W")
    day = date.fromisocalendar(int(year), int(num), wd.day.isoweekday())
    value = tr.timex("TIME", f"{day.isoformat()}T{wd.pod}") if wd.pod else tr.timex("DATE", day.isoformat())
    joined = _joined(week, wd, "TIME" if wd.pod else "DATE", value, day)
    joined.why = f"{wd.why.partition(':')[0]} of the {week.why} named before it"
    joined.pod = wd.pod
    return joined


_DATE_UNITS = "YMWD"
_TIME_UNITS = "HMS"


def _add_durations(a: str, b: str) -> str | None:
    """ "PT2H" + "PT30M" -> "PT2H30M", "P1Y" + "P6M" -> "P1Y6M", "P3D" + "PT5H" -> "P3DT5H"; ``None`` when the
    second does not continue the first with a smaller unit (or either has a fraction)."""
    if "." in a or "." in b:
        return None
    a_time, b_time = "T" in a, "T" in b
    first_b = next((c for c in b[1:] if c.isalpha() and c != "T"), "")
    if a_time and b_time:
        ok = first_b in _TIME_UNITS and _TIME_UNITS.index(a[-1]) < _TIME_UNITS.index(first_b)
        return f"{a}{b[2:]}" if ok else None
    if not a_time and not b_time:
        ok = first_b in _DATE_UNITS and _DATE_UNITS.index(a[-1]) < _DATE_UNITS.index(first_b)
        return f"{a}{b[1:]}" if ok and "W" not in (a[-1], first_b) else None
    if not a_time and b_time:
        return f"{a}{b[1:]}"
    return None


def _merge(a: Hit, b: Hit) -> Hit | None:
    """Join a time and a day, a weekday and its date, or "2 tiếng 30 phút"; ``None`` when they do not combine."""
    if a.kind == b.kind == "DURATION" and "max" not in a.value and "max" not in b.value:
        total = _add_durations(a.value["value"], b.value["value"])
        return _joined(a, b, "DURATION", {"type": "DURATION", "value": total}, None) if total else None
    if a.weekday_only and b.kind == "DATE" and b.day is not None and not b.weekday_only:
        wd = a.day.isoweekday() if a.day is not None else 0
        day = first = b.day
        if b.year_inferred and day.isoweekday() != wd:
            # "thứ 2 ngày 6 tháng 2": the weekday picks the year (nearest one that matches)
            fits = [
                c for y in range(day.year - 7, day.year + 7) if (c := tr.valid_date(y, day.month, day.day))
            ]
            fits = [c for c in fits if c.isoweekday() == wd]
            if fits:
                day = min(fits, key=lambda c: abs((c - first).days))
        if a.pod:  # "sáng thứ 3 ngày 24/11"
            joined = _joined(a, b, "TIME", tr.timex("TIME", f"{day.isoformat()}T{a.pod}"), day)
        else:
            joined = _joined(a, b, "DATE", tr.timex("DATE", day.isoformat()), day)
        if day.isoweekday() != wd:
            joined.score -= 0.2
            joined.notes.append("the weekday does not match the date")
        return joined
    clock, dated = (a, b) if a.clock is not None else (b, a)
    if (
        clock.clock is None
        or dated.day is None
        or dated.clock is not None
        or dated.kind not in ("DATE", "TIME")
    ):
        return None
    h, mi, s = clock.clock
    if dated.pod is not None and clock.pod is None:
        hour = tr.hour_for_part(h, dated.pod)
        if hour is None:
            return None
        h = hour % 24
    value = tr.timex("TIME", f"{dated.day.isoformat()}T{tr.time_str(h, mi, s)}")
    return _joined(a, b, "TIME", value, dated.day)


def _joined(a: Hit, b: Hit, kind: str, value: dict[str, Any], day: date | None) -> Hit:
    return Hit(
        a.start, b.end, kind, value, max(a.score, b.score) + 0.02, f"{a.why} + {b.why}", day=day,
        rule=f"{a.rule}+{b.rule}", notes=[*a.notes, *b.notes],
    )  # fmt: skip
