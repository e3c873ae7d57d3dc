"""Span conventions applied to chosen temporal hits (see :mod:`vner.rules.conventions` for the settings).

``relative``: "3 ngày nữa" / "15 phút nữa" as the point they name or as an amount of time, each keeping the
other reading in its value (``anchor`` or ``offset``). ``include_lead_words``: "ngày", "lúc", "vào" before a
DATE or TIME moved inside the span. ``date_time`` is applied where pieces are joined
(:func:`vner.rules.recognizers.temporal.combine.combine`).
"""

from __future__ import annotations

from datetime import datetime

import regex

from . import resolve as tr
from .handlers import Hit

# lead words on folded text, longest first; the accented spellings a message with diacritics must use
_LEAD_RX = regex.compile(r"(?:vao\s+luc|vao\s+ngay|vao|luc|ngay)\s+$")
_LEAD_SPELLINGS = {"ngay": "ngày", "luc": "lúc", "vao": "vào"}
# "mùng"/"mồng" (chat: "mung", "mong") names a day of the month ("mùng 5" is the 5th): part of the date
_DAY_WORD_RX = regex.compile(r"(?<![^\W_])(?:mung|mong)\s+$")
_DAY_NUMBER = regex.compile(r"\d{1,2}(?!\d)")
_DAY_WORD_SPELLINGS = {"mung": "mùng", "mong": "mồng"}


def relative(hits: list[Hit], *, relative_days: str, relative_times: str, ref: datetime) -> None:
    """Rewrite counted-from-now hits in place when the domain reads them the other way; the value keeps the
    default reading (``anchor``: the day a DURATION counts to; ``offset``: the amount a TIME counts)."""
    for h in hits:
        if h.offset is None:
            continue
        iso, delta = h.offset
        if h.kind == "DATE":  # "3 ngày nữa", "3 tháng trước"
            if relative_days == "duration":
                h.kind, h.day = "DURATION", None
                h.value = tr.timex("DURATION", iso, anchor=h.value["value"])
                h.why += "; counted from the reference: the amount of time (domain convention)"
        elif h.kind == "DURATION":  # "15 phút nữa"
            if relative_times == "time" and delta is not None:
                point = (ref.replace(tzinfo=None) + delta).isoformat(timespec="minutes")
                h.kind = "TIME"
                h.value = tr.timex("TIME", point, offset=iso)
                h.why += "; counted from the reference time: the time it names (domain convention)"


def split_day_part(hits: list[Hit]) -> list[Hit]:
    """date_time separate: "9 giờ sáng ngày mai" (one pattern) becomes TIME "9 giờ sáng" + DATE "ngày mai",
    each keeping the joined date-time as ``value["combined"]``."""
    out: list[Hit] = []
    for h in hits:
        if h.day_span is None or h.kind != "TIME" or h.day is None:
            out.append(h)
            continue
        both = h.value["value"]
        ds, de = h.day_span
        clock = both.split("T", 1)[1]
        out.append(Hit(h.start, ds - 1, "TIME", tr.timex("TIME", f"T{clock}", combined=both), h.score,
                       h.why, pod=h.pod, rule=h.rule, notes=list(h.notes)))  # fmt: skip
        out.append(Hit(ds, de, "DATE", tr.timex("DATE", h.day.isoformat(), combined=both), h.score,
                       f"{h.why}; day part of a clock time", day=h.day, rule=h.rule))  # fmt: skip
    return out


def include_day_word(hits: list[Hit], text: str, folded: str, *, unaccented: object) -> None:
    """Start a DATE or TIME at the "mùng"/"mồng" right before its day ("mùng 5" -> "mùng 5", as the lunar
    "mùng 1 tết" and PhoNER's "mùng 9 - 3", "mùng 7 tết" are): unlike "ngày", it is not a lead word a guideline
    may leave out, so every domain keeps it."""
    for h in hits:
        if (
            h.kind not in ("DATE", "TIME")
            or h.start < 5
            or h.offset is not None
            or not _DAY_NUMBER.match(text, h.start)
        ):
            continue  # "mong 2 ngày nữa" (hope, two days from now) counts from today: no day of the month
        m = _DAY_WORD_RX.search(folded, max(0, h.start - 7), h.start)
        if m is None:
            continue
        word = text[m.start() : m.start() + 4].lower()
        if not unaccented and word != _DAY_WORD_SPELLINGS[folded[m.start() : m.start() + 4]]:
            continue  # "mong 5" in a message with diacritics is not "mồng"
        h.start = m.start()


def include_lead_words(hits: list[Hit], text: str, folded: str, *, unaccented: bool) -> None:
    """Start DATE and TIME spans at a "ngày" / "lúc" / "vào" (or "vào lúc", "vào ngày") right before them."""
    for h in hits:
        if h.kind not in ("DATE", "TIME"):
            continue
        m = _LEAD_RX.search(folded, max(0, h.start - 12), h.start)
        if m is None or (m.start() > 0 and folded[m.start() - 1].isalnum()):
            continue
        words = text[m.start() : m.end()].lower().split()
        if not unaccented and any(
            _LEAD_SPELLINGS.get(fold_w, "") != w
            for fold_w, w in zip(folded[m.start() : m.end()].split(), words, strict=True)
        ):
            continue  # "ngay 15/3" in a message with diacritics: "ngay" is "right away", not "ngày"
        h.start = m.start()
        h.why += f"; '{text[m.start() : m.end()].strip()}' inside the span (domain convention)"
