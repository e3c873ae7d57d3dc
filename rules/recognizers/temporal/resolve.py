"""Calendar arithmetic and TIMEX3 formatting for :mod:`vner.rules.recognizers.temporal.recognizer`.

Conventions (stated in each entity's explanation where they apply):

* weeks start on Monday ("thứ 2"); "chủ nhật" closes the week;
* a bare weekday ("thứ 6") is the next such day on or after the reference date; "thứ 6 tới" is strictly after;
  "thứ 6 tuần sau" is that day in the next Monday-based week;
* a day/month or month without a year takes the year that puts it nearest to the reference date
  (ties go to the future): with reference 2026-11-25, "15/3" is 2027-03-15 and "15/10" is 2026-10-15;
* two-digit years: up to ten years past the reference year are 20xx, the rest 19xx.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any


def valid_date(y: int, m: int, d: int) -> date | None:
    """The date or ``None`` when it does not exist (31/2, 30/13)."""
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1 <= y <= 9999):
        return None
    if d > calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d)


def full_year(y: int, digits: int, ref: date) -> int:
    """Expand a 2-digit year relative to ``ref``."""
    if digits >= 3:
        return y
    century = ref.year // 100 * 100
    return century + y if century + y <= ref.year + 10 else century - 100 + y


def nearest_day_month(d: int, m: int, ref: date) -> date | None:
    """The date with day ``d`` and month ``m`` nearest to ``ref`` (ties go to the future); 29/2 is in the
    nearest leap year (a date written once, "ngày 29/2", exists; it is not a typo for the 1st of March)."""
    best: date | None = None
    years: tuple[int, ...] = (ref.year - 1, ref.year, ref.year + 1)
    if (d, m) == (29, 2):
        years = tuple(y for y in range(ref.year - 4, ref.year + 5) if calendar.isleap(y))
    for y in years:
        cand = valid_date(y, m, d)
        if cand is None:
            continue
        if best is None or _closer(cand, best, ref):
            best = cand
    return best


def lunar_date(month: int, day: int, year: int) -> date | None:
    """The solar date of lunar ``day``/``month`` of lunar ``year`` (day 0: the eve of that lunar new year), by
    the Vietnamese lunar calendar (UTC+7, PyPI lunar-vn); ``None`` when there is no such day."""
    from lunar_vn import LunarDate, lunar_to_solar

    try:
        solar = lunar_to_solar(LunarDate(max(day, 1), month, year))
    except ValueError:
        return None  # no such lunar day that year (a 30th in a 29-day month), or outside 1900-2100
    return solar - timedelta(days=1) if day == 0 else solar


def nearest_lunar(month: int, day: int, ref: date) -> date | None:
    """The solar date of lunar ``day``/``month`` nearest to ``ref`` (ties go to the future)."""
    from lunar_vn import solar_to_lunar

    best: date | None = None
    here = solar_to_lunar(ref).year
    for y in (here - 1, here, here + 1):
        cand = lunar_date(month, day, y)
        if cand is not None and (best is None or _closer(cand, best, ref)):
            best = cand
    return best


def _closer(a: date, b: date, ref: date) -> bool:
    da, db = abs((a - ref).days), abs((b - ref).days)
    return da < db or (da == db and a > b)


def nearest_month_year(m: int, ref: date) -> int:
    """The year that puts month ``m`` nearest to the reference month (ties go to the future)."""
    here = ref.year * 12 + ref.month - 1
    best = min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: (abs(y * 12 + m - 1 - here), -y))
    return best


def shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    """``(y, m)`` moved by ``n`` months."""
    idx = y * 12 + (m - 1) + n
    return idx // 12, idx % 12 + 1


def weekday_date(iso_wd: int, ref: date, *, week_shift: int | None, relation: str) -> date:
    """Resolve a weekday against ``ref``.

    ``week_shift`` set: that weekday in the Monday-based week ``ref`` + ``week_shift`` weeks.
    ``relation``: ``"next_or_today"`` (bare), ``"after"`` ("tới"), ``"before"`` ("vừa rồi").
    """
    if week_shift is not None:
        monday = ref - timedelta(days=ref.isoweekday() - 1)
        return monday + timedelta(weeks=week_shift, days=iso_wd - 1)
    delta = (iso_wd - ref.isoweekday()) % 7
    if relation == "after" and delta == 0:
        delta = 7
    if relation == "before":
        back = (ref.isoweekday() - iso_wd) % 7 or 7
        return ref - timedelta(days=back)
    return ref + timedelta(days=delta)


def iso_week(d: date) -> str:
    """``YYYY-Www`` for the ISO week holding ``d``."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter_of(y: int, q: int, shift: int = 0) -> str:
    """``YYYY-Qn`` for quarter ``q`` of ``y`` moved by ``shift`` quarters."""
    idx = y * 4 + (q - 1) + shift
    return f"{idx // 4}-Q{idx % 4 + 1}"


def hour_for_part(h: int, pod: str | None) -> int | None:
    """24-hour clock hour of "<h> giờ <part of day>"; ``None`` when they contradict ("9 giờ chiều" is fine,
    "15 giờ sáng" is not)."""
    if pod is None:
        return h if 0 <= h <= 24 else None
    if h > 12:
        return h if pod in ("AF", "EV", "NI") and h < 24 else None
    if pod == "MO":
        return 0 if h == 12 else h
    if pod == "MI":
        return h if h >= 10 else h + 12
    if pod in ("AF", "EV"):
        return h if h == 12 else h + 12
    # night: 9-11 pm, 12 = midnight, 1-5 am
    if h == 12:
        return 0
    return h + 12 if h >= 7 else h


def time_str(h: int, mi: int, s: int | None) -> str:
    """``HH:MM`` or ``HH:MM:SS``."""
    return f"{h:02d}:{mi:02d}" + (f":{s:02d}" if s is not None else "")


def duration_value(n: float, unit: str, is_time: bool) -> str:
    """ISO 8601 duration for ``n`` units ("P3D", "PT45M", "PT1H30M", "P0.5M")."""
    if unit == "Q":
        n, unit = n * 3, "M"
    if is_time:
        seconds = round(n * {"H": 3600, "M": 60, "S": 1}[unit])
        h, rest = divmod(seconds, 3600)
        mi, s = divmod(rest, 60)
        parts = (f"{h}H" if h else "") + (f"{mi}M" if mi else "") + (f"{s}S" if s else "")
        return "PT" + (parts or "0S")
    if unit == "D" and n != int(n):
        return duration_value(n * 24, "H", True)
    if unit == "W" and n != int(n):
        return f"P{round(n * 7)}D"
    if unit == "Y" and n != int(n):
        return f"P{round(n * 12)}M"
    num = str(int(n)) if n == int(n) else f"{n:g}"
    return f"P{num}{unit}"


def timex(kind: str, value: str, **extra: Any) -> dict[str, Any]:
    """The entity value: ``{"type": kind, "value": value, ...extra}`` without ``None`` entries."""
    out: dict[str, Any] = {"type": kind, "value": value}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out
