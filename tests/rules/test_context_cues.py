"""Context decides between look-alike readings: day/month vs ratio, hours of the clock vs an amount of hours,
money vs a resolution or a model code, a spelled weekday after a leading word (rule stage, general domain)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from vner.rules.ruleset import RuleSet

REF = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=7)))


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return RuleSet.for_domain("general")


def _tag(ruleset: RuleSet, text: str) -> list[tuple[str, str, Any]]:
    return [(e.label, e.text, e.value) for e in ruleset.analyze(text, ref_time=REF)]


@pytest.mark.parametrize(
    ("text", "label", "surface", "value"),
    [
        ("1/4 số giờ tăng ca", "QUANTITY", "1/4", 0.25),
        ("tỷ lệ 3/4 khách", "QUANTITY", "3/4", 0.75),
        ("sau 1/7 em qua", "DATE", "1/7", "2026-07-01"),
        ("hạn thanh toán 1/7 nhé", "DATE", "1/7", "2027-07-01"),
        ("04/10 shop có mở cửa không", "DATE", "04/10", "2026-10-04"),
        ("deadline 03/04 nha", "DATE", "03/04", "2027-04-03"),
    ],
)
def test_day_month_or_ratio(ruleset: RuleSet, text: str, label: str, surface: str, value: Any) -> None:
    got = _tag(ruleset, text)
    assert len(got) == 1
    assert got[0][:2] == (label, surface)
    assert got[0][2]["value"] == value


@pytest.mark.parametrize(
    ("text", "label", "surface", "value"),
    [
        ("đổi trả trong vòng 24 giờ", "DURATION", "24 giờ", "PT24H"),
        ("doi tra trong vong 24 gio", "DURATION", "24 gio", "PT24H"),
        ("chờ 38 giờ rồi", "DURATION", "38 giờ", "PT38H"),
        ("bay mất khoảng 10 giờ", "DURATION", "10 giờ", "PT10H"),
        ("máy bay delay 3 giờ", "DURATION", "3 giờ", "PT3H"),
        ("bay mat khoang 15 giờ", "DURATION", "15 giờ", "PT15H"),  # context typed without diacritics
        ("hẹn khoảng 10 giờ nhé", "TIME", "10 giờ", "T10:00"),  # "around 10 o'clock"
        ("em muốn 3 giờ chiều", "TIME", "3 giờ chiều", "T15:00"),  # "muốn" (want) is not "muộn" (late)
        ("cho em 3 giờ nhé", "TIME", "3 giờ", "T03:00"),  # "cho" (for) is not "chờ" (wait)
        # "Nh" written short: more hours than a clock has, or after a duration cue
        ("hàng về trong vòng 48h", "DURATION", "48h", "PT48H"),
        ("mat 72h moi nhan duoc", "DURATION", "72h", "PT72H"),
        ("giao trong 24h nhé", "DURATION", "24h", "PT24H"),
        ("giao trong 2h nhé", "DURATION", "2h", "PT2H"),
        ("cần 1,5h để sạc đầy", "DURATION", "1,5h", "PT1H30M"),
        ("pin dùng được 100h", "DURATION", "100h", "PT100H"),
        ("hẹn khoảng 2h nhé", "TIME", "2h", "T02:00"),  # "around 2 o'clock"
        # overtime is an amount of hours; "tăng ca tới 21h" (until 9 pm) is a clock time
        ("em OT 2h chưa được tính", "DURATION", "2h", "PT2H"),
        ("tăng ca 3 tiếng mà không có phụ cấp", "DURATION", "3 tiếng", "PT3H"),
        ("lam them khoang 2h", "DURATION", "2h", "PT2H"),
        ("tăng ca tới 21h", "TIME", "21h", "T21:00"),
    ],
)
def test_hours_amount_or_clock(ruleset: RuleSet, text: str, label: str, surface: str, value: str) -> None:
    assert [(lb, s, v["value"]) for lb, s, v in _tag(ruleset, text)] == [(label, surface, value)]


def test_hours_range_is_a_duration_with_max(ruleset: RuleSet) -> None:
    [(label, surface, value)] = _tag(ruleset, "thời gian giao 24-48 giờ")
    assert (label, surface) == ("DURATION", "24-48 giờ")
    assert value == {"type": "DURATION", "value": "PT24H", "max": "PT48H"}


@pytest.mark.parametrize(
    ("text", "surface", "amount"),
    [
        ("tặng 2 triệu rưỡi", "2 triệu rưỡi", 2_500_000),
        ("2 triệu rưỡi đồng", "2 triệu rưỡi đồng", 2_500_000),
        (
            unicodedata.normalize("NFD", "giá 1 triệu rưỡi"),
            unicodedata.normalize("NFD", "1 triệu rưỡi"),
            1_500_000,
        ),
        ("giá 2k5 thôi", "2k5", 2500),
        ("ship 8K nha", "8K", 8000),
        ("giá 1tr200", "1tr200", 1_200_000),
    ],
)
def test_money_kept(ruleset: RuleSet, text: str, surface: str, amount: int) -> None:
    money = [(s, v["amount"]) for lb, s, v in _tag(ruleset, text) if lb == "MONEY"]
    assert money == [(surface, amount)]


@pytest.mark.parametrize(
    "text", ["model 6K201", "mã máy 1K286 bị lỗi", "tivi 4K 55 inch", "màn hình 2K 144Hz", "quay video 8K"]
)
def test_k_lookalikes_are_not_money(ruleset: RuleSet, text: str) -> None:
    assert [s for lb, s, _ in _tag(ruleset, text) if lb == "MONEY"] == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Còn thứ năm shop có mở cửa không", True),
        ("Dạ thứ năm shop có mở cửa không", True),
        ("ok. Ngoài ra thứ năm em qua", True),
        ("con thứ hai của chị", False),  # the second child
        ("Còn thứ hai là phí ship", False),  # "secondly"
    ],
)
def test_spelled_weekday_after_leading_word(ruleset: RuleSet, text: str, found: bool) -> None:
    dates = [s for lb, s, _ in _tag(ruleset, text) if lb == "DATE"]
    assert dates == (["thứ năm"] if found else [])


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("xe 30A-123.45 tuần sau em qua", ("LICENSE_PLATE", "30A-123.45")),
        ("SĐT 0912 345 678\ntuần sau em gọi", ("PHONE", "0912 345 678")),
        ("sđt 0912345678 tuần sau", ("PHONE", "0912345678")),
    ],
)
def test_relative_week_after_a_grouped_number(ruleset: RuleSet, text: str, first: tuple[str, str]) -> None:
    got = _tag(ruleset, text)
    assert [(lb, s) for lb, s, _ in got] == [first, ("DATE", "tuần sau")]
    assert got[1][2]["value"] == "2026-W49"


def test_counted_days_after_a_phone_number(ruleset: RuleSet) -> None:
    got = _tag(ruleset, "sđt 0912345678 3 ngày sau")
    assert [(lb, s) for lb, s, _ in got] == [("PHONE", "0912345678"), ("DATE", "3 ngày sau")]


@pytest.mark.parametrize("text", ["hỗ trợ 24h", "bán 24h/7", "tầm 2,5h"])
def test_short_hours_without_a_cue_are_no_duration(ruleset: RuleSet, text: str) -> None:
    assert [lb for lb, _, _ in _tag(ruleset, text)] == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # "tối" (evening) after a duration is no "tới" (next): the duration ends, then "last night"
        ("tăng ca 3 tiếng tối qua", [("DURATION", "3 tiếng"), ("TIME", "tối qua")]),
        ("lam them 2 tieng toi nay", [("DURATION", "2 tieng"), ("TIME", "toi nay")]),
        ("doi 3 ngay toi mai giao", [("DURATION", "3 ngay"), ("TIME", "toi mai")]),
        ("trong 3 tiếng tới", [("DURATION", "3 tiếng tới")]),
        ("3 ngay toi e ban", [("DURATION", "3 ngay toi")]),
    ],
)
def test_duration_then_part_of_day(ruleset: RuleSet, text: str, found: list[tuple[str, str]]) -> None:
    for form in ("NFC", "NFD"):
        got = [(lb, s) for lb, s, _ in _tag(ruleset, unicodedata.normalize(form, text))]
        assert got == [(lb, unicodedata.normalize(form, s)) for lb, s in found]
