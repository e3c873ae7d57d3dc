"""Span conventions: where a temporal entity starts and ends, and what it is, as a per-domain setting.

Annotation guidelines differ on a few points that are choices, not errors; a domain states its choice in YAML
(``conventions:``), the temporal recognizer follows it, and ``vner rules list --domain D`` shows it:

``date_time``
    ``merged``: a time and the day next to it are one TIME ("9 giờ sáng ngày mai", "14:00 thứ 6"), as TIMEX3,
    Duckling and SUTime do. ``separate``: a TIME and a DATE, as many NER guidelines (and PhoNER, which has no
    TIME) do; each keeps the combined date-time in its value (``value["combined"]``).
``lead_words``
    ``outside``: "ngày", "lúc", "vào" before a date or time stay outside the span ("ngày 15 tháng 3 năm 2024" ->
    "15 tháng 3 năm 2024"), as PhoNER (1,648 of 1,648 train DATEs). ``inside``: the span starts at them.
``relative_days``
    ``date``: "3 ngày nữa", "2 tuần sau" are the DATE they name (resolved from the reference time).
    ``duration``: a DURATION ("P3D") whose value keeps the resolved day (``value["anchor"]``).
``relative_times``
    ``duration``: "15 phút nữa", "2 tiếng tới" are a DURATION ("PT15M"); ``time``: the TIME they name, the
    reference time plus the offset, whose value keeps the amount (``value["offset"]`` = "PT15M").
``time_ranges``
    ``separate``: the two ends of a clock range ("9-10h", "14h-16h chiều nay", "từ 8h đến 17h") are two TIMEs,
    as PhoNER-style guidelines tag each time. ``joined``: one TIME from the first clock to the second, as
    Duckling and SUTime read an interval; its value is the start and ``value["end"]`` the end.
``date_ranges``
    ``separate``: the two days of a range ("01/11 - 30/11", "từ 15/12 đến 17/12") are two DATEs, as PhoNER tags
    each date. ``joined``: one DATE from the first day to the second (a pay period, a leave), its value the
    start and ``value["end"]`` the end; a second day before the first stays apart.
``weekday_ranges``
    ``set``: "thứ 2 - thứ 6", "T2-T7" are one SET, the weekly range ("XXXX-WXX-1" .. "XXXX-WXX-5"), as TIMEX3
    reads opening hours. ``dates``: the DATEs of its ends, the coming Monday and the Friday after it, as "từ thứ
    2 đến thứ 6" is read; for a domain with no SET label, where a SET would be dropped ("thứ 2-6", whose second
    end is a bare number, is one DATE with ``value["end"]``).
``date_scope``
    ``all``: every date is a DATE, deictic ones too ("hôm nay", "tuần trước", "năm nay", "cuối tuần", a weekday
    "thứ 2", a year "năm 2019"), as TIMEX3 and most guidelines tag them. ``calendar``: only a date written with
    its day or month ("15/3", "ngày 20", "tháng 3", "mùng 7 tết"), as PhoNER_COVID19 tags them: 0 of 58 "hôm
    nay", 0 of 33 "hôm qua", 0 of ~340 weekdays and 0 of 12 "năm N" in its train split are DATEs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from types import MappingProxyType
from typing import Any

# setting -> (allowed values, first = default; one line of help)
OPTIONS: Mapping[str, tuple[tuple[str, ...], str]] = MappingProxyType(
    {
        "date_time": (("merged", "separate"), "a time next to its day: one TIME, or a TIME and a DATE"),
        "lead_words": (
            ("outside", "inside"),
            "'ngày', 'lúc', 'vào' before a date or time: in the span or not",
        ),
        "relative_days": (("date", "duration"), "'3 ngày nữa': the DATE it names, or a DURATION"),
        "relative_times": (("duration", "time"), "'15 phút nữa': a DURATION, or the TIME it names"),
        "time_ranges": (
            ("separate", "joined"),
            "'9-10h', 'từ 8h đến 17h': two TIMEs, or one from start to end",
        ),
        "date_ranges": (
            ("separate", "joined"),
            "'01/11 - 30/11', 'từ 15/12 đến 17/12': two DATEs, or one from start to end",
        ),
        "weekday_ranges": (("set", "dates"), "'thứ 2 - thứ 6': one weekly SET, or the DATEs of its ends"),
        "date_scope": (
            ("all", "calendar"),
            "DATEs: deictic ones too ('hôm nay', 'thứ 2', 'năm 2019'), or only those with a day or month written",
        ),
    }
)


@dataclass(frozen=True, slots=True)
class SpanConventions:
    """One domain's span conventions; every field defaults to the first value in :data:`OPTIONS`."""

    date_time: str = "merged"
    lead_words: str = "outside"
    relative_days: str = "date"
    relative_times: str = "duration"
    time_ranges: str = "separate"
    date_ranges: str = "separate"
    weekday_ranges: str = "set"
    date_scope: str = "all"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            allowed = OPTIONS[f.name][0]
            if value not in allowed:
                raise ValueError(f"{f.name}: {value!r} is not one of {', '.join(allowed)}")

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> SpanConventions:
        """Conventions from a YAML mapping; an unknown key or value is a ``ValueError`` naming it."""
        raw = raw or {}
        if not isinstance(raw, Mapping):
            raise ValueError("must be a mapping of setting -> value")
        for key in raw:
            if key not in OPTIONS:
                raise ValueError(f"{key}: unknown setting (known: {', '.join(OPTIONS)})")
        return cls(**{str(k): str(v) for k, v in raw.items()})

    def as_dict(self) -> dict[str, str]:
        """Setting -> value, in :data:`OPTIONS` order."""
        return asdict(self)


DEFAULT = SpanConventions()


def config_for(cls: type, conventions: SpanConventions, config: Mapping[str, Any]) -> dict[str, Any]:
    """A recognizer's config with the domain's conventions it follows (``cls.CONVENTIONS`` names them);
    the recognizer's own config wins, so one recognizer of a domain may differ."""
    follows = {k: v for k, v in conventions.as_dict().items() if k in getattr(cls, "CONVENTIONS", ())}
    return {**follows, **config}


__all__ = ["DEFAULT", "OPTIONS", "SpanConventions", "config_for"]
