"""Vietnamese DATE / TIME / DURATION / SET: exact TIMEX3 values against a fixed reference time.

Reference: Wednesday 2026-11-25 10:00 (ISO week 48).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import Recognizer, RuleContext
from vner.rules.recognizers.temporal import resolve as tr
from vner.rules.recognizers.temporal.recognizer import RECOGNIZERS, TemporalRecognizer

REF = datetime(2026, 11, 25, 10, 0)
CTX = RuleContext(ref_time=REF)
REC = TemporalRecognizer()


def found(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.label, e.text, e.value) for e in REC.analyze(text, CTX)]


def one(text: str) -> tuple[str, str, dict[str, Any]]:
    res = found(text)
    assert len(res) == 1, res
    return res[0]


def tx(kind: str, value: str, **extra: str) -> dict[str, Any]:
    return {"type": kind, "value": value, **extra}


def rule_dates_times(text: str, form: str = "NFC") -> list[tuple[str, str, str]]:
    """(label, NFC surface, value) of the DATE and TIME entities the customer_service rule set finds in ``text``
    written in Unicode ``form`` (the whole rule stage: other families compete for the same spans)."""
    from vner.rules.ruleset import RuleSet

    ents = RuleSet.for_domain("customer_service").analyze(unicodedata.normalize(form, text), ref_time=REF)
    return [
        (e.label, unicodedata.normalize("NFC", e.text), e.value["value"])
        for e in ents
        if e.label in ("DATE", "TIME")
    ]


def values_in(text: str, form: str) -> list[tuple[str, str, str]]:
    """(label, surface, value) of each expression in ``text`` written in Unicode ``form``, normalised first."""
    norm = normalize(unicodedata.normalize(form, text)).text
    return [(e.label, e.text, e.value["value"]) for e in REC.analyze(norm, CTX)]


DATES = [
    ("ngày 15 tháng 3 năm 2024", "15 tháng 3 năm 2024", "2024-03-15"),
    ("15/3/2024", "15/3/2024", "2024-03-15"),
    ("ngày 29/2", "29/2", "2028-02-29"),  # only leap years have it: the nearest one
    # chat's "hnay", "hum nay", "hqua", "hum qua" (hôm nay, hôm qua)
    ("hnay e ko nhận đc hàng", "hnay", "2026-11-25"),
    ("hum nay e ko o nha", "hum nay", "2026-11-25"),
    ("hqua e dat roi", "hqua", "2026-11-24"),
    ("hum qua shop hẹn mà", "hum qua", "2026-11-24"),
    ("29 tháng 2 năm 2024", "29 tháng 2 năm 2024", "2024-02-29"),
    ("03/09/1991", "03/09/1991", "1991-09-03"),
    ("3/9/91", "3/9/91", "1991-09-03"),
    ("3/3/17", "3/3/17", "2017-03-03"),
    ("15.03.2024", "15.03.2024", "2024-03-15"),
    ("2024-03-15", "2024-03-15", "2024-03-15"),
    ("hạn 15-03", "15-03", "2027-03-15"),  # year nearest to the reference
    ("ngày 15/10", "15/10", "2026-10-15"),
    ("15/3 Hà Nội mưa", "15/3", "2027-03-15"),
    ("mùng 2 tháng 9", "mùng 2 tháng 9", "2026-09-02"),  # "mùng" is part of the date, unlike "ngày"
    ("ngày mùng 2 tháng 9", "mùng 2 tháng 9", "2026-09-02"),
    ("hôm nay", "hôm nay", "2026-11-25"),
    ("ngày hôm nay", "ngày hôm nay", "2026-11-25"),
    ("hôm qua", "hôm qua", "2026-11-24"),
    ("ngày mai", "ngày mai", "2026-11-26"),
    ("ngày kia", "ngày kia", "2026-11-27"),
    ("hôm kia", "hôm kia", "2026-11-23"),
    ("thứ 6", "thứ 6", "2026-11-27"),
    ("thứ tư", "thứ tư", "2026-11-25"),  # today is a Wednesday
    ("thứ tư tới", "thứ tư tới", "2026-12-02"),
    ("chủ nhật", "chủ nhật", "2026-11-29"),
    ("thứ hai tuần sau", "thứ hai tuần sau", "2026-11-30"),
    ("thứ năm tuần tới", "thứ năm tuần tới", "2026-12-03"),
    ("thứ 6 tuần này", "thứ 6 tuần này", "2026-11-27"),
    ("thứ 2 tuần trước", "thứ 2 tuần trước", "2026-11-16"),
    ("thứ ba vừa rồi", "thứ ba vừa rồi", "2026-11-24"),
    ("thứ 2 ngày 30/11", "thứ 2 ngày 30/11", "2026-11-30"),
    ("thứ 2 ngày 6 tháng 2", "thứ 2 ngày 6 tháng 2", "2023-02-06"),  # the weekday picks the year
    ("3 ngày sau", "3 ngày sau", "2026-11-28"),
    ("2 tuần trước", "2 tuần trước", "2026-11-11"),
    (
        "chủ nhật ngày mồng 9 tháng 4",
        "chủ nhật ngày mồng 9 tháng 4",
        "2028-04-09",
    ),  # the weekday picks the year
    ("bữa nay", "bữa nay", "2026-11-25"),
    ("giáng sinh", "giáng sinh", "2026-12-25"),
    ("Quốc khánh", "Quốc khánh", "2026-09-02"),
    ("lễ tình nhân năm 2027", "lễ tình nhân năm 2027", "2027-02-14"),
    ("tet duong lich", "tet duong lich", "2027-01-01"),
]
COARSE_DATES = [
    ("tháng 3 năm 2024", "tháng 3 năm 2024", tx("DATE", "2024-03")),
    ("tháng 12/2026", "tháng 12/2026", tx("DATE", "2026-12")),
    ("3/2024", "3/2024", tx("DATE", "2024-03")),
    ("tháng 3", "tháng 3", tx("DATE", "2027-03")),
    ("tháng 10", "tháng 10", tx("DATE", "2026-10")),
    ("tháng 3 tới", "tháng 3 tới", tx("DATE", "2027-03")),
    ("tháng sau", "tháng sau", tx("DATE", "2026-12")),
    ("tháng sáu", "tháng sáu", tx("DATE", "2026-06")),
    ("thang sau", "thang sau", tx("DATE", "2026-12")),
    ("tháng trước", "tháng trước", tx("DATE", "2026-10")),
    ("năm 2024", "năm 2024", tx("DATE", "2024")),
    ("năm ngoái", "năm ngoái", tx("DATE", "2025")),
    ("năm sau", "năm sau", tx("DATE", "2027")),
    ("quý 3", "quý 3", tx("DATE", "2026-Q3")),
    ("quý ba", "quý ba", tx("DATE", "2026-Q3")),
    ("quý 4 năm 2018", "quý 4 năm 2018", tx("DATE", "2018-Q4")),
    ("quý sau", "quý sau", tx("DATE", "2027-Q1")),
    ("tuần sau", "tuần sau", tx("DATE", "2026-W49")),
    ("tuần này", "tuần này", tx("DATE", "2026-W48")),
    ("cuối tuần", "cuối tuần", tx("DATE", "2026-W48-WE")),
    ("cuối tháng", "cuối tháng", tx("DATE", "2026-11", mod="END")),
    ("cuối tháng sau", "cuối tháng sau", tx("DATE", "2026-12", mod="END")),
    ("đầu tháng 3", "tháng 3", tx("DATE", "2027-03", mod="START")),  # the modifier stays outside the span
    ("giữa năm 2025", "năm 2025", tx("DATE", "2025", mod="MID")),
    ("mùa hè này", "mùa hè này", tx("DATE", "2026-SU")),
    ("mùa đông năm 2025", "mùa đông năm 2025", tx("DATE", "2025-WI")),
    ("quý hiện tại", "quý hiện tại", tx("DATE", "2026-Q4")),
    ("năm kế tiếp", "năm kế tiếp", tx("DATE", "2027")),
]
TIMES = [
    ("8 giờ 30", "8 giờ 30", "T08:30"),
    ("8h30", "8h30", "T08:30"),
    ("e cần gấp trc 5h chìu nay nha", "5h chìu nay", "2026-11-25T17:00"),  # chat's "chìu" (chiều)
    ("10g45", "10g45", "T10:45"),
    ("14:00", "14:00", "T14:00"),
    ("15:23:24", "15:23:24", "T15:23:24"),
    ("9 giờ sáng", "9 giờ sáng", "T09:00"),
    ("3h chiều", "3h chiều", "T15:00"),
    ("1:18 sáng", "1:18 sáng", "T01:18"),
    ("11 giờ kém 15", "11 giờ kém 15", "T10:45"),
    ("hai giờ rưỡi", "hai giờ rưỡi", "T02:30"),
    ("lúc 8 giờ 30 phút", "8 giờ 30 phút", "T08:30"),
    ("12 giờ trưa", "12 giờ trưa", "T12:00"),
    ("11 giờ đêm", "11 giờ đêm", "T23:00"),
    # "nửa đêm" is midnight, a clock time (not the night "đêm qua"); with a day, as "12h đêm qua" is read
    ("giao lúc nửa đêm à", "nửa đêm", "T00:00"),
    ("nửa đêm qua em gọi mãi ko đc", "nửa đêm qua", "2026-11-24T00:00"),
    ("nua dem qua em goi mai", "nua dem qua", "2026-11-24T00:00"),
    ("3h chiều nay", "3h chiều nay", "2026-11-25T15:00"),
    ("8 giờ tối nay", "8 giờ tối nay", "2026-11-25T20:00"),
    ("10h sáng mai", "10h sáng mai", "2026-11-26T10:00"),
    ("3 giờ chiều ngày mai", "3 giờ chiều ngày mai", "2026-11-26T15:00"),
    ("hôm nay lúc 2 giờ chiều", "hôm nay lúc 2 giờ chiều", "2026-11-25T14:00"),
    ("lúc 7:30 chiều ngày 20/4/2017", "7:30 chiều ngày 20/4/2017", "2017-04-20T19:30"),
    ("ngày 20/11 lúc 14h", "20/11 lúc 14h", "2026-11-20T14:00"),
    ("9 giờ sáng thứ 2 tuần sau", "9 giờ sáng thứ 2 tuần sau", "2026-11-30T09:00"),
    ("tối nay", "tối nay", "2026-11-25TEV"),
    ("sáng mai", "sáng mai", "2026-11-26TMO"),
    ("chiều hôm qua", "chiều hôm qua", "2026-11-24TAF"),
    ("sáng chủ nhật", "sáng chủ nhật", "2026-11-29TMO"),
    ("chiều thứ 6", "chiều thứ 6", "2026-11-27TAF"),
    ("3 giờ rưỡi chiều", "3 giờ rưỡi chiều", "T15:30"),
    ("ngay lúc này", "ngay lúc này", "PRESENT_REF"),
]
DURATIONS = [
    ("3 ngày", "3 ngày", tx("DURATION", "P3D")),
    ("2 tuần", "2 tuần", tx("DURATION", "P2W")),
    ("45 phút", "45 phút", tx("DURATION", "PT45M")),
    ("3 tiếng", "3 tiếng", tx("DURATION", "PT3H")),
    ("trong 3 giờ", "3 giờ", tx("DURATION", "PT3H")),
    ("1 tiếng rưỡi", "1 tiếng rưỡi", tx("DURATION", "PT1H30M")),
    ("nửa tiếng", "nửa tiếng", tx("DURATION", "PT30M")),
    ("6 tháng", "6 tháng", tx("DURATION", "P6M")),
    ("hai năm", "hai năm", tx("DURATION", "P2Y")),
    ("giao trong 2-3 ngày", "2-3 ngày", tx("DURATION", "P2D", max="P3D")),
    ("3 tháng tới", "3 tháng tới", tx("DURATION", "P3M")),
    ("mất 2 giờ 30 phút", "2 giờ 30 phút", tx("DURATION", "PT2H30M")),
    ("2 tiếng 30 phút", "2 tiếng 30 phút", tx("DURATION", "PT2H30M")),
    ("1 năm 6 tháng", "1 năm 6 tháng", tx("DURATION", "P1Y6M")),
    ("3 ngày 5 tiếng", "3 ngày 5 tiếng", tx("DURATION", "P3DT5H")),
]
SETS = [
    ("mỗi thứ hai", "mỗi thứ hai", "XXXX-WXX-1"),
    ("các ngày thứ 7", "các ngày thứ 7", "XXXX-WXX-6"),
    ("thứ 2 hàng tuần", "thứ 2 hàng tuần", "XXXX-WXX-1"),
    ("hàng ngày", "hàng ngày", "P1D"),
    ("hằng tháng", "hằng tháng", "P1M"),
    ("mỗi sáng", "mỗi sáng", "XXXX-XX-XXTMO"),
    ("mỗi 2 ngày", "mỗi 2 ngày", "P2D"),
]


@pytest.mark.parametrize(("text", "surface", "value"), DATES)
def test_dates(text: str, surface: str, value: str) -> None:
    assert one(text) == ("DATE", surface, tx("DATE", value))


@pytest.mark.parametrize(("text", "surface", "value"), COARSE_DATES)
def test_months_quarters_weeks_years(text: str, surface: str, value: dict[str, Any]) -> None:
    assert one(text) == ("DATE", surface, value)


@pytest.mark.parametrize(("text", "surface", "value"), TIMES)
def test_times(text: str, surface: str, value: str) -> None:
    assert one(text) == ("TIME", surface, tx("TIME", value))


@pytest.mark.parametrize(("text", "surface", "value"), DURATIONS)
def test_durations(text: str, surface: str, value: dict[str, Any]) -> None:
    assert one(text) == ("DURATION", surface, value)


@pytest.mark.parametrize(("text", "surface", "value"), SETS)
def test_sets(text: str, surface: str, value: str) -> None:
    assert one(text) == ("SET", surface, tx("SET", value))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hom nay", [("DATE", "hom nay", tx("DATE", "2026-11-25"))]),
        ("thu 2 gap nhe", [("DATE", "thu 2", tx("DATE", "2026-11-30"))]),
        ("hen vao thu 6 tuan sau luc 9h sang", [("TIME", "thu 6 tuan sau luc 9h sang", tx("TIME", "2026-12-04T09:00"))]),
        ("ngay mai giao 3h chieu", [("DATE", "ngay mai", tx("DATE", "2026-11-26")), ("TIME", "3h chieu", tx("TIME", "T15:00"))]),
    ],
)  # fmt: skip
def test_without_diacritics(text: str, expected: list[Any]) -> None:
    assert found(text) == expected
    if text.startswith(("hom", "thu")):
        assert "written without diacritics" in REC.analyze(text, CTX)[0].explanation


@pytest.mark.parametrize(
    "text",
    [
        "0912 345 678",
        "CCCD 001203012345",
        "1.2.3",
        "hỗ trợ 24/7",
        "giao hàng 24h",
        "số 15/3 Nguyễn Trãi",  # a house number
        "hẻm 15/3",
        "1/2 Lê Lợi",  # a house number before a street name
        "nhà e ở 12/3 nguyễn trãi p.bến thành",  # after an address cue, before a word: a house number
        "đc: 25/7 le loi q1",
        normalize(unicodedata.normalize("NFD", "địa chỉ 20/11 lê văn sỹ")).text,
        "so nha 5/6 hem 12",
        "10-12 người",  # a range, not 10 December
        "size 38-40",
        "xếp thứ 2 chung cuộc",  # an ordinal, not Monday
        "nhà ở ngõ thứ 3 bên trái",  # the third alley (issue 24: informal chat)
        "hẻm thứ 2 rẽ phải",
        "lầu thứ 4 phòng 402",
        "ngo thu 3 ben trai",  # the same without diacritics
        "đơn thứ 2 của em chưa tới",  # the second order
        "thứ hai là giá cao",  # "secondly"
        "Việt Nam 2024 rất đẹp",  # no year without "năm" spelled with its diacritics
        "tôi nay đi làm",  # "tôi" (I) is not "tối" (evening)
        "Quý khách vui lòng chờ",
        "thu 2 triệu",  # collect 2 million
        "ca nCoV thứ hai ở Quảng Nam",  # an ordinal ("the second case")
        "có 2, 3 và 4 - 5 người",
        "từ 8 - 10 người",
        "0912 - 345 - 678",
        "32/13/2024",
        "31/2/2024",
    ],
)
def test_look_alikes(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("em đã đặt hàng ngày 26 tháng 2", [("DATE", "26 tháng 2", tx("DATE", "2026-02-26"))]),  # past cue
        ("ngày 26 tháng 2", [("DATE", "26 tháng 2", tx("DATE", "2027-02-26"))]),  # nearest
        ("đã nhận lương tháng 12", [("DATE", "tháng 12", tx("DATE", "2025-12"))]),
        ("hẹn giao 15/10", [("DATE", "15/10", tx("DATE", "2027-10-15"))]),  # future cue
        ("đơn hàng tháng 3", [("DATE", "tháng 3", tx("DATE", "2027-03"))]),  # "hàng" = goods, not "every"
        ("giao hàng ngày mai", [("DATE", "ngày mai", tx("DATE", "2026-11-26"))]),
        ("thứ 7, chủ nhật", [("DATE", "thứ 7", tx("DATE", "2026-11-28")), ("DATE", "chủ nhật", tx("DATE", "2026-11-29"))]),
        ("sáng thứ 3 ngày 24/11", [("TIME", "sáng thứ 3 ngày 24/11", tx("TIME", "2026-11-24TMO"))]),
        ("8:30-9:30", [("TIME", "8:30", tx("TIME", "T08:30")), ("TIME", "9:30", tx("TIME", "T09:30"))]),
        ("con số 2 năm nay", [("DATE", "năm nay", tx("DATE", "2026"))]),
        ("1 năm, 6 tháng", [("DURATION", "1 năm", tx("DURATION", "P1Y")), ("DURATION", "6 tháng", tx("DURATION", "P6M"))]),
        ("30 phút 2 tiếng", [("DURATION", "30 phút", tx("DURATION", "PT30M")), ("DURATION", "2 tiếng", tx("DURATION", "PT2H"))]),
        ("làm 8-17h", [("TIME", "8", tx("TIME", "T08:00")), ("TIME", "17h", tx("TIME", "T17:00"))]),
        ("1-3h chiều", [("TIME", "1", tx("TIME", "T13:00")), ("TIME", "3h chiều", tx("TIME", "T15:00"))]),
        ("thứ 2-6", [("SET", "thứ 2-6", tx("SET", "XXXX-WXX-1", max="XXXX-WXX-5"))]),
        ("T2-CN", [("SET", "T2-CN", tx("SET", "XXXX-WXX-1", max="XXXX-WXX-7"))]),
        ("nghỉ ngày 1-5/3", [("DATE", "1", tx("DATE", "2027-03-01")), ("DATE", "5/3", tx("DATE", "2027-03-05"))]),
        ("từ ngày 8 đến 10-8", [("DATE", "8", tx("DATE", "2026-08-08")), ("DATE", "10-8", tx("DATE", "2026-08-10"))]),
        ("Ngày 16 , 17 và 18 - 8", [("DATE", "16", tx("DATE", "2026-08-16")), ("DATE", "17", tx("DATE", "2026-08-17")),
                                    ("DATE", "18 - 8", tx("DATE", "2026-08-18"))]),
        ("ngày 20 đến 23 - 7 - 2020", [("DATE", "20", tx("DATE", "2020-07-20")), ("DATE", "23 - 7 - 2020", tx("DATE", "2020-07-23"))]),
        ("tháng 8 - 2020", [("DATE", "tháng 8 - 2020", tx("DATE", "2020-08"))]),
        ("vào thứ hai", [("DATE", "thứ hai", tx("DATE", "2026-11-30"))]),
    ],
)  # fmt: skip
def test_context_decides(text: str, expected: list[Any]) -> None:
    assert found(text) == expected


def test_ratio_look_alike_scores_below_a_cued_date() -> None:
    (bare,) = REC.analyze("3/4", CTX)
    (cued,) = REC.analyze("ngày 3/4", CTX)
    assert bare.value == cued.value == tx("DATE", "2027-04-03")
    assert bare.score < 0.7 < cued.score  # the measure recognizer's ratio scores 0.7
    assert one("3/4/2024") == ("DATE", "3/4/2024", tx("DATE", "2024-04-03"))


def test_sentence_with_several_expressions_nfc_and_nfd() -> None:
    text = "Đơn đặt ngày 15/3/2024, giao trong 3 ngày, gọi lại lúc 8h30 thứ hai tuần sau; họp mỗi thứ hai."
    expected = [
        ("DATE", tx("DATE", "2024-03-15")),
        ("DURATION", tx("DURATION", "P3D")),
        ("TIME", tx("TIME", "2026-11-30T08:30")),
        ("SET", tx("SET", "XXXX-WXX-1")),
    ]
    for original in (text, unicodedata.normalize("NFD", text)):
        norm = normalize(original)
        ents = REC.analyze(norm.text, CTX)
        assert [(e.label, e.value) for e in ents] == expected
        for e in ents:
            s, t = norm.to_original(e.start, e.end)
            assert unicodedata.normalize("NFC", original[s:t]) == e.text
            assert e.source == "rule:temporal.v1" and "reference date 2026-11-25" in e.explanation


def test_reference_time_moves_relative_values() -> None:
    ctx = RuleContext(ref_time=datetime(2024, 2, 29, 9, 0))
    assert [e.value for e in REC.analyze("ngày mai", ctx)] == [tx("DATE", "2024-03-01")]
    assert [e.value for e in REC.analyze("quý trước", ctx)] == [tx("DATE", "2023-Q4")]


def test_english_is_left_to_sutime_and_config_is_checked() -> None:
    assert REC.analyze("hôm nay", RuleContext(ref_time=REF, lang="en")) == []
    assert isinstance(REC, Recognizer) and RECOGNIZERS == {"temporal": TemporalRecognizer}
    strict = TemporalRecognizer(config={"without_diacritics": False})
    assert strict.analyze("hom nay", CTX) == [] and strict.analyze("hôm nay", CTX) != []
    with pytest.raises(ValueError, match="unknown config key"):
        TemporalRecognizer(config={"ref": "x"})


def test_dates_stay_apart_from_times_when_asked() -> None:
    rec = TemporalRecognizer(config={"date_time": "separate"})  # PhoNER labels dates, not times
    got = [(e.label, e.text) for e in rec.analyze("sáng 2/3 và lúc 8h ngày 15/3, thứ 2 ngày 30/11", CTX)]
    assert got == [("DATE", "2/3"), ("TIME", "8h"), ("DATE", "15/3"), ("DATE", "thứ 2 ngày 30/11")]
    assert [e.label for e in REC.analyze("sáng 2/3", CTX)] == ["TIME"]


@pytest.mark.parametrize(
    ("h", "pod", "expected"),
    [(9, "MO", 9), (12, "MO", 0), (3, "AF", 15), (12, "MI", 12), (1, "MI", 13), (11, "NI", 23), (2, "NI", 2),
     (15, "MO", None), (15, "AF", 15), (25, None, None)],
)  # fmt: skip
def test_hour_for_part_of_day(h: int, pod: str | None, expected: int | None) -> None:
    assert tr.hour_for_part(h, pod) == expected


def test_calendar_helpers() -> None:
    ref = date(2026, 11, 25)
    assert tr.nearest_day_month(29, 2, ref) == date(2028, 2, 29)  # the nearest leap year
    assert tr.full_year(36, 2, ref) == 2036 and tr.full_year(37, 2, ref) == 1937
    assert tr.duration_value(1.5, "D", False) == "PT36H" and tr.duration_value(0.5, "Y", False) == "P6M"
    assert tr.quarter_of(2026, 4, 1) == "2027-Q1"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789/:-. hgiờsángchiềuthứ2ngàymaitháng năm", max_size=40))
def test_offsets_always_index_the_input(text: str) -> None:
    for e in REC.analyze(text, CTX):
        assert text[e.start : e.end] == e.text
        assert e.value["type"] == e.label


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("Giao hàng tới 12 Cách Mạng Tháng Tám, quận 3", []),  # a street, not 19 August, not "tháng Tám"
        ("đường Cách Mạng Tháng Tám bị kẹt xe", []),
        ("số 5 Cach Mang Thang Tam p.10", []),
        ("hẹn 15/8 ở 3/2 Cách Mạng Tháng Tám", ["15/8"]),  # "3/2" is the house number
        ("nghỉ lễ Cách Mạng Tháng Tám nhé", ["lễ Cách Mạng Tháng Tám"]),
        ("ngày Quốc Khánh, quận 1 đông lắm", ["ngày Quốc Khánh"]),
        ("tháng tám giao hàng", ["tháng tám"]),
    ],
)
def test_holiday_names_used_as_street_names(text: str, surfaces: list[str]) -> None:
    assert [s for _label, s, _value in found(text)] == surfaces


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Nghỉ lễ Quốc Khánh 2/9 từ thứ bảy", "lễ Quốc Khánh 2/9", "2026-09-02"),  # its own date joins it
        ("dịp Quốc khánh 2-9-2025 đông khách", "Quốc khánh 2-9-2025", "2025-09-02"),
        ("Giáng sinh 25/12 năm 2027 giao quà", "Giáng sinh 25/12 năm 2027", "2027-12-25"),
        ("ngày Quốc Khánh ngày 2/9 nghỉ", "ngày Quốc Khánh ngày 2/9", "2026-09-02"),
        ("Quốc Khánh 3/9 shop nghỉ", "Quốc Khánh", "2026-09-02"),  # another date: the holiday alone
    ],
)
def test_holiday_with_its_own_day_month(text: str, surface: str, value: str) -> None:
    hits = [(s, v["value"]) for label, s, v in found(text) if label == "DATE"]
    assert hits[0] == (surface, value)


def test_holiday_date_is_not_also_a_ratio() -> None:
    from vner.rules.ruleset import RuleSet

    ents = RuleSet.for_domain("customer_service").analyze("Nghỉ lễ Quốc Khánh 2/9 nhé", ref_time=REF)
    assert [(e.label, e.text) for e in ents] == [("DATE", "lễ Quốc Khánh 2/9")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "vào"/"lúc" after a comma open another expression; "Thứ 7, ngày 27/09/2025" stays one date
        ("hạn thanh toán thứ 7, vào ngày 27/09/2025 nhé", [("DATE", "thứ 7"), ("DATE", "27/09/2025")]),
        ("Thứ 7, ngày 27/09/2025 giao", [("DATE", "Thứ 7, ngày 27/09/2025")]),
        # a line break ends an expression: "bay" on the next line is "fly", not "bảy" (July)
        ("bao hanh 24 tháng\nbay mat khoang 2 ngày", [("DURATION", "24 tháng"), ("DURATION", "2 ngày")]),
        ("giao 9h\n15/3 em nhận", [("TIME", "9h"), ("DATE", "15/3")]),
        # "sang" after a verb of moving is "to", not "sáng" typed without diacritics
        ("em muon doi lich sang 12/02/2027 a", [("DATE", "12/02/2027")]),
        ("chuyen sang thu 6 nhe", [("DATE", "thu 6")]),
        ("sang 12/2 em qua", [("TIME", "sang 12/2")]),
    ],
)
def test_expression_boundaries_in_chat(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.label, e.text) for e in REC.analyze(text, CTX)] == expected


BARE_DAY = [
    ("mai 9h sáng giao nhé", [("TIME", "mai 9h sáng", "2026-11-26T09:00")]),
    ("Mai 9h sáng giao nhé", [("TIME", "Mai 9h sáng", "2026-11-26T09:00")]),  # a sentence's first word
    ("Em ơi, mai 3h chiều ship nhé", [("TIME", "mai 3h chiều", "2026-11-26T15:00")]),
    ("mốt 14h30 e ghé", [("TIME", "mốt 14h30", "2026-11-27T14:30")]),
    # before a subject, a verb of coming and going or a particle, bare "mai" is tomorrow too
    ("mai giao nhé", [("DATE", "mai", "2026-11-26")]),
    ("mai e qua lấy", [("DATE", "mai", "2026-11-26")]),
    ("shop mai có mở cửa ko", [("DATE", "mai", "2026-11-26")]),
    ("Mai e qua lấy", [("DATE", "Mai", "2026-11-26")]),  # a sentence's first word
    # a name: after a title, a family or middle name, "hoa"/"bạch", or capitalised inside a sentence
    ("chi mai oi", []),
    ("e mai qua lấy", []),  # "em Mai" as likely as "I ... tomorrow": left unread
    ("ở hoàng mai nhé", []),
    ("bv bach mai nhe", []),
    ("nguyen thi mai gui hang", []),
    ("hoa mai nở rồi", []),
    ("gửi cho Mai nhé", []),
    ("mãi e mới nhận", []),  # "mãi" (at last) is not "mai"
    ("tên e là mai anh", []),  # "là" before it: a name
    ("mai mốt e ghé", []),  # "some day": vague
    ("chị Mai 9h qua lấy hàng", [("TIME", "9h", "T09:00")]),  # a name after a title
    ("chi mai 9h qua lay hang", [("TIME", "9h", "T09:00")]),
    ("gặp Mai 9h nhé", [("TIME", "9h", "T09:00")]),  # capitalised inside a sentence: a name
    ("hoa mai 9 giờ", [("TIME", "9 giờ", "T09:00")]),
    # "lúc", "tầm", "khoảng" (about) between the day and its clock time
    ("mai tầm 9h e qua", [("TIME", "mai tầm 9h", "2026-11-26T09:00")]),
    ("mai lúc 9h nhé", [("TIME", "mai lúc 9h", "2026-11-26T09:00")]),
    ("mai khoang 9h", [("TIME", "mai khoang 9h", "2026-11-26T09:00")]),
    ("hoa mai tầm 9h nở", [("TIME", "9h", "T09:00")]),
    ("sáng mai tầm 9h", [("TIME", "sáng mai tầm 9h", "2026-11-26T09:00")]),
    ("sáng mai khoảng 9h", [("TIME", "sáng mai khoảng 9h", "2026-11-26T09:00")]),
    # the part of the day before "tầm" reads the clock time: 3 in the afternoon
    ("chiều nay tầm 3h", [("TIME", "chiều nay tầm 3h", "2026-11-25T15:00")]),
    ("thứ 6 tầm 10h", [("TIME", "thứ 6 tầm 10h", "2026-11-27T10:00")]),
    ("chiều nay tầm 3 tiếng", [("TIME", "chiều nay", "2026-11-25TAF")]),  # then a duration, not a clock time
]


@pytest.mark.parametrize(("text", "want"), BARE_DAY)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_bare_mai_before_a_clock_time_is_tomorrow(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert rule_dates_times(text, form) == want


DAY_THEN_PART = [
    ("mai chiều giao nhé", [("TIME", "mai chiều", "2026-11-26TAF")]),
    # "qua" after a part of a coming day is the verb (come over), not "yesterday"
    ("mai chiều qua lấy nha", [("TIME", "mai chiều", "2026-11-26TAF")]),
    ("mai chieu qua lay nha", [("TIME", "mai chieu", "2026-11-26TAF")]),
    ("chiều qua em gọi không ai nghe", [("TIME", "chiều qua", "2026-11-24TAF")]),
    ("ngày mai buổi sáng giao", [("TIME", "ngày mai buổi sáng", "2026-11-26TMO")]),
    ("thứ 7 buổi tối em rảnh", [("TIME", "thứ 7 buổi tối", "2026-11-28TEV")]),
    ("20/12 buổi chiều giao", [("TIME", "20/12 buổi chiều", "2026-12-20TAF")]),
    # "tối" (evening) is not "tới" (next): the weekday ends before it and takes the clock time after
    ("thứ 2 tối 8h giao", [("TIME", "thứ 2 tối 8h", "2026-11-30T20:00")]),
    ("thứ 2 tới giao", [("DATE", "thứ 2 tới", "2026-11-30")]),
    # typed without marks, "sang"/"toi" alone are "go over"/"I" as often as "sáng"/"tối": the day stays a DATE
    ("mai sang lay nha", [("DATE", "mai", "2026-11-26")]),
    ("mai toi qua lay", [("DATE", "mai", "2026-11-26")]),
    ("mai buoi toi giao", [("TIME", "mai buoi toi", "2026-11-26TEV")]),
    ("mai sang nhà em lấy", [("DATE", "mai", "2026-11-26")]),  # accented text: "sang" is "to"
    # a part-of-day word that begins another word: "chiều dài" (length), "tối đa" (at most), "sáng tác" (compose)
    ("thứ 7 chiều dài 2m nhé", [("DATE", "thứ 7", "2026-11-28")]),
    ("đơn ngày 20/12 tối đa 3 cái", [("DATE", "20/12", "2026-12-20")]),
    ("Mai sáng tác bài hát", []),
    ("mai chiều cao 1m6", []),
    # "tới" (to, until) before a day is no evening ("tối"); between two days a plain "toi" is "tới"
    (
        "nghỉ từ thứ 2 tới thứ 4 tuần sau ạ",
        [("DATE", "thứ 2", "2026-11-30"), ("DATE", "thứ 4 tuần sau", "2026-12-02")],
    ),
    ("tới thứ 6 em giao", [("DATE", "thứ 6", "2026-11-27")]),
    ("thu 2 toi thu 6 em nghi", [("DATE", "thu 2", "2026-11-30"), ("DATE", "thu 6", "2026-12-04")]),
    ("tối thứ 6 em rảnh", [("TIME", "tối thứ 6", "2026-11-27TEV")]),
    # without diacritics "toi" before a day is "tới" as often as "tối": the day alone
    ("ship toi 7/12 nhan hang nhe", [("DATE", "7/12", "2026-12-07")]),
    ("toi thu 7 giao nhe", [("DATE", "thu 7", "2026-11-28")]),
    ("toi nay giao nhe", [("TIME", "toi nay", "2026-11-25TEV")]),  # "tonight" either way
]


@pytest.mark.parametrize(("text", "want"), DAY_THEN_PART)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_part_of_day_after_a_day_makes_one_time(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert rule_dates_times(text, form) == want


def test_with_date_and_time_separate_the_day_stays_a_date() -> None:
    rec = TemporalRecognizer(config={"date_time": "separate"})
    ents = rec.analyze("mai chiều qua lấy nha, thứ 7 buổi tối", CTX)
    assert [(e.label, e.text) for e in ents if e.label == "DATE"] == [("DATE", "mai"), ("DATE", "thứ 7")]


WEEKDAY_ABBR = [
    ("shop ơi hẹn t2 mà chưa thấy", [("DATE", "t2", "2026-11-30")]),
    ("giao t7 hoặc cn nha", [("DATE", "t7", "2026-11-28"), ("DATE", "cn", "2026-11-29")]),
    ("T7, CN e nghỉ", [("DATE", "T7", "2026-11-28"), ("DATE", "CN", "2026-11-29")]),
    ("hẹn t3 tuần sau 9h", [("TIME", "t3 tuần sau 9h", "2026-12-01T09:00")]),
    # without a cue these are other abbreviations: a size, a bank branch
    ("size t2 nhé", []),
    ("t2 giao nha", []),
    ("chuyển khoản vcb cn hcm", []),
    ("giao cn quận 1", []),
    ("giao t8", []),
]


@pytest.mark.parametrize(("text", "want"), WEEKDAY_ABBR)
def test_chat_weekday_abbreviations_after_a_cue(text: str, want: list[tuple[str, str, str]]) -> None:
    from vner.rules.ruleset import RuleSet

    ents = RuleSet.for_domain("customer_service").analyze(text, ref_time=REF)
    assert [(e.label, e.text, e.value["value"]) for e in ents if e.label in ("DATE", "TIME")] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a day/month right before "-" and another day/month: both dates, not only the tail
        ("kỳ lương 01/11-30/11 chuyển", [("DATE", "01/11", "2026-11-01"), ("DATE", "30/11", "2026-11-30")]),
        ("nghỉ từ 20/11-25/11/2026", [("DATE", "20/11", "2026-11-20"), ("DATE", "25/11/2026", "2026-11-25")]),
        (
            "20/11/2026-25/11/2026",
            [("DATE", "20/11/2026", "2026-11-20"), ("DATE", "25/11/2026", "2026-11-25")],
        ),
        ("12/11-2026", []),  # not a date range: left alone
        # "chủ nhật" is never an ordinal: "ca chủ nhật" is a Sunday shift ("ca thứ 2" stays the second shift)
        ("tăng ca chủ nhật hệ số 2", [("DATE", "chủ nhật", "2026-11-29")]),
        ("ca thứ 2", []),
    ],
)
def test_date_ranges_and_sunday_shifts(text: str, want: list[tuple[str, str, str]]) -> None:
    assert [(e.label, e.text, e.value["value"]) for e in REC.analyze(text, CTX)] == want


# on Wednesday 2026-11-25 a bare weekday that ends a range counts from the day that starts it
DAY_RANGES = [
    ("từ thứ 2 đến thứ 6", [("thứ 2", "2026-11-30"), ("thứ 6", "2026-12-04")]),
    ("thu 2 den thu 6 e nghi", [("thu 2", "2026-11-30"), ("thu 6", "2026-12-04")]),
    ("nghỉ t2 đến t6", [("t2", "2026-11-30"), ("t6", "2026-12-04")]),
    ("thứ 6 đến thứ 2", [("thứ 6", "2026-11-27"), ("thứ 2", "2026-11-30")]),  # already in order
    ("từ 15/12 đến thứ 2", [("15/12", "2026-12-15"), ("thứ 2", "2026-12-21")]),
    ("hẹn thứ 2, thứ 6 thì không", [("thứ 2", "2026-11-30"), ("thứ 6", "2026-11-27")]),  # a list, no range
    ("thứ 2 đến thứ 4 tuần này", [("thứ 2", "2026-11-30"), ("thứ 4 tuần này", "2026-11-25")]),  # said so
]


@pytest.mark.parametrize(("text", "want"), DAY_RANGES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_weekday_that_ends_a_range_follows_its_start(
    text: str, want: list[tuple[str, str]], form: str
) -> None:
    from vner.rules.ruleset import RuleSet

    ents = RuleSet.for_domain("customer_service").analyze(unicodedata.normalize(form, text), ref_time=REF)
    assert [(unicodedata.normalize("NFC", e.text), e.value["value"]) for e in ents] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a day of the month alone: the reference month (2026-11); "ngày" stays outside the span
        ("em nghỉ ngày 20", [("DATE", "20", "2026-11-20")]),
        ("giao ngày 28 nhé", [("DATE", "28", "2026-11-28")]),
        ("mùng 5 em về", [("DATE", "mùng 5", "2026-11-05")]),
        ("mung 5 em ve", [("DATE", "mung 5", "2026-11-05")]),  # without diacritics
        ("trưa mồng 9 - 3 ngồi", [("DATE", "mồng 9 - 3", "2027-03-09")]),  # PhoNER's span
        ("ngay 20 giao hang nhe", [("DATE", "20", "2026-11-20")]),  # a message without diacritics
        ("thứ 7 tới ngày 20 em nghỉ", [("DATE", "thứ 7", "2026-11-28"), ("DATE", "20", "2026-11-20")]),
        ("ngày 20 tháng sau", [("DATE", "20 tháng sau", "2026-12-20")]),  # not 20 months
        ("ngày 5 tháng trước", [("DATE", "5 tháng trước", "2026-10-05")]),
        ("ngày 20 tháng 12", [("DATE", "20 tháng 12", "2026-12-20")]),
        ("Ngày 20 , bệnh nhân được chuyển viện", [("DATE", "20", "2026-11-20")]),  # tokenised text
        # the head of a range takes its month from the range's end
        ("ngày 20 đến 25/12", [("DATE", "20", "2026-12-20"), ("DATE", "25/12", "2026-12-25")]),
        # and so when a part of the day comes before the range's end (PhoNER: "từ tối 22 đến sáng 24 - 4")
        ("ngày 20 đến sáng 25/12", [("DATE", "20", "2026-12-20"), ("TIME", "sáng 25/12", "2026-12-25TMO")]),
        ("ngay 20 toi chieu 22/12", [("DATE", "20", "2026-12-20"), ("TIME", "chieu 22/12", "2026-12-22TAF")]),
        # look-alikes: a rate per day, a count, "ngay" (right away), a day the month lacks
        ("ngày 2 lần sau ăn", []),
        ("ngày 3 viên", []),
        ("lấy ngay 2 cái", []),
        # "mong" without diacritics is "hope" unless a date word comes before it
        ("mong 5 sao nhe shop", []),
        ("rat mong 2 ban ho tro", []),
        ("hen mong 6 giao", [("DATE", "mong 6", "2026-11-06")]),
        ("mong 2 ngay nua co hang", [("DATE", "2 ngay nua", "2026-11-27")]),  # two days from now
        ("ngày 31 tháng này", [("DATE", "tháng này", "2026-11")]),  # November has no 31st
        # a tense cue picks the month: the next such day after "hẹn"/"hạn"/"sẽ", the last one after "đã"
        ("hạn nộp ngày 3", [("DATE", "3", "2026-12-03")]),
        ("hẹn ngày 20 nhé", [("DATE", "20", "2026-12-20")]),
        ("đã nhận ngày 28", [("DATE", "28", "2026-10-28")]),
        ("sẽ giao ngày 28", [("DATE", "28", "2026-11-28")]),  # still ahead this month
        # a list or range of days after it: days of the same month
        ("hẹn ngày 20-25 giao", [("DATE", "20", "2026-11-20"), ("DATE", "25", "2026-11-25")]),
        ("giao ngày 20 và 21 nhé", [("DATE", "20", "2026-11-20"), ("DATE", "21", "2026-11-21")]),
        (
            "mùng 5, 6, 7 nghỉ",
            [("DATE", "mùng 5", "2026-11-05"), ("DATE", "6", "2026-11-06"), ("DATE", "7", "2026-11-07")],
        ),
        ("ngay 20 den 25", [("DATE", "20", "2026-11-20"), ("DATE", "25", "2026-11-25")]),
        ("ngày 20-12 giao", [("DATE", "20-12", "2026-12-20")]),  # a day and a month, not a range
        ("ngày 20 và 2 lần", [("DATE", "20", "2026-11-20")]),  # a count after it
        ("ngày 28-31", [("DATE", "28", "2026-11-28")]),  # November has no 31st
        ("ngày 3-4 lần", []),  # a rate: three or four times a day
        ("ngày 29-8 ca mắc", [("DATE", "29-8", "2026-08-29")]),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_day_of_the_month_alone(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "hôm" counts days like "ngày" (reference: Wednesday 2026-11-25)
        ("2 hôm nữa giao", [("DATE", "2 hôm nữa", "2026-11-27")]),
        ("ba hôm nữa", [("DATE", "ba hôm nữa", "2026-11-28")]),
        ("chờ 3 hôm rồi", [("DURATION", "3 hôm", "P3D")]),
        ("em dat tu hom qua", [("DATE", "hom qua", "2026-11-24")]),  # "tu" is "từ" (since), not "tư" (four)
        ("một hôm em ghé", []),  # one day (once), not an amount
        # "t7 này" / "cn này": this week's day without a cue before it
        ("t7 này nha", [("DATE", "t7 này", "2026-11-28")]),
        # "hôm" (that day) before a weekday: the one gone by, unless a shift says otherwise
        ("e đặt từ hôm t5", [("DATE", "t5", "2026-11-19")]),
        ("hôm cn e có gọi", [("DATE", "cn", "2026-11-22")]),
        ("e đặt từ hôm thứ 5 mà chưa thấy", [("DATE", "thứ 5", "2026-11-19")]),
        ("hôm thứ 6 tới em qua", [("DATE", "thứ 6 tới", "2026-11-27")]),
        ("thôm t5", []),
        ("cn này e rảnh", [("DATE", "cn này", "2026-11-29")]),
        ("size t2 này còn không", []),  # a size, a model, a floor named T2
        ("mẫu t3 này đẹp", []),
        # a day/month read as a date after a day word or a delivery verb, and before a chat particle
        (
            "hôm nay 25/11 rồi mà chưa nhận",
            [("DATE", "hôm nay", "2026-11-25"), ("DATE", "25/11", "2026-11-25")],
        ),
        ("giao 7/12 nha", [("DATE", "7/12", "2026-12-07")]),
        ("2/12 nhé shop", [("DATE", "2/12", "2026-12-02")]),
        # and written out: "thứ 7 này", "chủ nhật này"
        ("thứ 7 này e ko ở nhà", [("DATE", "thứ 7 này", "2026-11-28")]),
        ("thu 7 nay giao nha", [("DATE", "thu 7 nay", "2026-11-28")]),
        ("chủ nhật này giao được không", [("DATE", "chủ nhật này", "2026-11-29")]),
        ("vào thứ sáu này họp", [("DATE", "thứ sáu này", "2026-11-27")]),
        ("điều thứ hai này quan trọng", []),  # an ordinal in words: "the second point"
        ("lần thứ 2 này", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_day_counts_and_this_weeks_abbreviated_days(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # half past an hour without giờ/h, after a part of the day or a cue (reference: Wednesday 2026-11-25)
        ("8 rưỡi tối nay em qua", [("TIME", "8 rưỡi tối nay", "2026-11-25T20:30")]),
        ("lúc 9 rưỡi nhé", [("TIME", "9 rưỡi", "T09:30")]),
        ("tam 2 ruoi chieu", [("TIME", "2 ruoi chieu", "T14:30")]),
        ("giá tầm 2 rưỡi", []),  # 2.5 million in chat, not half past two
        ("size 38 rưỡi", []),
        ("mua 2 rưỡi kg", []),
        ("nặng 2 rưỡi", []),
        # a range's first clock borrows the part of the day (and the day) of its second one
        ("tầm 7h30-8h tối", [("TIME", "7h30", "T19:30"), ("TIME", "8h tối", "T20:00")]),
        (
            "9h đến 11h sáng mai",
            [("TIME", "9h", "2026-11-26T09:00"), ("TIME", "11h sáng mai", "2026-11-26T11:00")],
        ),
        ("10h-2h chiều", [("TIME", "10h", "T10:00"), ("TIME", "2h chiều", "T14:00")]),  # 10 am to 2 pm
        # a part of the day introduces chat's "t2".."t7" / "cn"
        ("sáng t2 em qua", [("TIME", "sáng t2", "2026-11-30TMO")]),
        ("chieu t6 giao nhe", [("TIME", "chieu t6", "2026-11-27TAF")]),
        ("tối cn rảnh ko", [("TIME", "tối cn", "2026-11-29TEV")]),
        ("size t2 còn không", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_half_hours_range_parts_of_day_and_part_before_abbreviated_days(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat's "Np" (minutes) after a word of waiting or before nữa/tới/sau
        ("đợi 30p nữa shipper tới", [("DURATION", "30p nữa", "PT30M")]),
        ("15p nữa e tới", [("DURATION", "15p nữa", "PT15M")]),
        ("doi 15p nua nhe", [("DURATION", "15p nua", "PT15M")]),
        ("mất 45p mới xong", [("DURATION", "45p", "PT45M")]),
        ("còn 5p", [("DURATION", "5p", "PT5M")]),
        ("tầm 10p", [("DURATION", "10p", "PT10M")]),
        ("hẹn 5h30p chiều", [("TIME", "5h30p chiều", "T17:30")]),  # a clock's minutes, as before
        # look-alikes: a bare "Np" is a page, a price code, a ward
        ("trang 30p", []),
        ("gói 30p", []),
        ("p12 q3", []),
        ("đợi 900p", []),  # more minutes than a wait in chat
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_minutes_written_p(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


POD_BEFORE_CLOCK = [
    # a part of the day right before a clock time sets its hour and is part of its span
    ("tối 8h e về", [("TIME", "tối 8h", "T20:00")]),
    ("chiều 3h30 em ở nhà", [("TIME", "chiều 3h30", "T15:30")]),
    ("chieu 3h30 e o nha", [("TIME", "chieu 3h30", "T15:30")]),  # typed without marks
    ("buổi sáng 9:00 giao", [("TIME", "buổi sáng 9:00", "T09:00")]),
    ("trưa 12h30 nghỉ", [("TIME", "trưa 12h30", "T12:30")]),
    ("đêm 11h", [("TIME", "đêm 11h", "T23:00")]),
    # after "lúc"/"tầm"/"khoảng" it sets the hour; the span stays the clock
    ("chiều tầm 3h em ở nhà", [("TIME", "3h", "T15:00")]),
    ("buổi tối lúc 8 giờ", [("TIME", "8 giờ", "T20:00")]),
    # a recurring part of the day before it sets the hour too; the SET and the TIME stay two spans
    ("mỗi tối 8h", [("SET", "mỗi tối", "XXXX-XX-XXTEV"), ("TIME", "8h", "T20:00")]),
    ("mỗi tối lúc 8h", [("SET", "mỗi tối", "XXXX-XX-XXTEV"), ("TIME", "8h", "T20:00")]),
    ("moi toi 8h", [("SET", "moi toi", "XXXX-XX-XXTEV"), ("TIME", "8h", "T20:00")]),  # the SET read "toi"
    ("mỗi ngày 9h", [("SET", "mỗi ngày", "P1D"), ("TIME", "9h", "T09:00")]),
    # look-alikes: "tới" (until), "toi" (I) and "sang" (to) typed without marks, a contradiction
    ("từ 6h tới 8h", [("TIME", "6h", "T06:00"), ("TIME", "8h", "T08:00")]),
    ("toi 8h moi ve", [("TIME", "8h", "T08:00")]),
    ("dời sang 9h nha", [("TIME", "9h", "T09:00")]),
    ("sáng 15h", [("TIME", "15h", "T15:00")]),
]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a choice of two clock times: the first borrows the second's part of the day and day
        (
            "hen giao lai 9h hoac 10h sang mai",
            [("TIME", "9h", "2026-11-26T09:00"), ("TIME", "10h sang mai", "2026-11-26T10:00")],
        ),
        (
            "8h hay 9h tối nay cũng được",
            [("TIME", "8h", "2026-11-25T20:00"), ("TIME", "9h tối nay", "2026-11-25T21:00")],
        ),
        (
            "9h hoặc 3h chiều",
            [("TIME", "9h", "T09:00"), ("TIME", "3h chiều", "T15:00")],
        ),  # 9 comes later on the clock face
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_choice_of_clock_times_shares_its_part_of_the_day(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(("text", "want"), POD_BEFORE_CLOCK)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("date_time", ["merged", "separate"])
def test_a_part_of_the_day_before_a_clock_time(
    text: str, want: list[tuple[str, str, str]], form: str, date_time: str
) -> None:
    rec = TemporalRecognizer(config={"date_time": date_time})
    norm = normalize(unicodedata.normalize(form, text)).text
    assert [(e.label, e.text, e.value["value"]) for e in rec.analyze(norm, CTX)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("kiện hàng 2/3 đã giao", []),  # the second parcel of three
        ("tập 2/3 nha", []),
        ("giao hàng 7/12 nha", [("DATE", "7/12", "2026-12-07")]),
        # a spelled weekday at the start of a sentence (but "Thứ hai là ..." is "secondly")
        (
            "shop mở cửa từ 13:00. Thứ tư shop có mở không",
            [("TIME", "13:00", "T13:00"), ("DATE", "Thứ tư", "2026-11-25")],
        ),
        ("Ok. Thứ hai là giá cao quá", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_items_counted_and_weekdays_at_a_sentence_start(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat's "t11" for a month: with its year, or after a payroll or period word (reference 2026-11-25)
        ("lương t11 bị thiếu", [("DATE", "t11", "2026-11")]),
        ("bảng lương T12/2025", [("DATE", "T12/2025", "2025-12")]),
        ("chấm công t10 sai", [("DATE", "t10", "2026-10")]),
        ("luong t9 chua nhan", [("DATE", "t9", "2026-09")]),
        # look-alikes: a weekday, a size, a floor, no cue
        ("t2 em nghỉ", []),
        ("size t2 còn không", []),
        ("tầng t1", []),
        ("mua t11 đi", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_an_abbreviated_month(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "cut"),
    [("thưởng tết năm sau 2 tháng lương", " lương"), ("thuong tet 13 thang luong", " luong"),
     ("đặt cọc 3 tháng tiền nhà", " tiền nhà")],
)  # fmt: skip
def test_pay_counted_in_months_is_no_duration(text: str, cut: str, form: str) -> None:
    norm = normalize(unicodedata.normalize(form, text))  # as the rule set hands text to a recognizer
    labels = [label for label, _, _ in found(norm.text)]
    assert "DURATION" not in labels
    # the same months with no pay after them are a duration
    assert "DURATION" in [
        label for label, _, _ in found(norm.text.replace(unicodedata.normalize("NFC", cut), ""))
    ]


def test_months_then_the_pay_amount_stay_a_duration() -> None:
    # "làm 2 tháng lương 8 triệu": two months worked, then the pay
    assert [(label, surface) for label, surface, _ in found("làm 2 tháng lương 8 triệu")] == [
        ("DURATION", "2 tháng")
    ]
    assert [(label, surface) for label, surface, _ in found("thử việc 2 tháng, lương 8tr")] == [
        ("DURATION", "2 tháng")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "xử lý trong 3 tiếng 45 phút\nlương em nhận được 526 nghìn",  # pay on the next line
        "mất 45 phút lương thì trừ sau",  # minutes are no unit pay is counted in
        "trong 2 tháng\ntiền nhà em đóng rồi",
    ],
)
def test_a_duration_before_a_pay_word_it_does_not_count(text: str) -> None:
    assert "DURATION" in [label for label, _, _ in found(text)]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the Vietnamese lunar calendar; the reference is 2026-11-25, so Tết is Tết Đinh Mùi, 2027-02-06
        ("sau tết em trả", [("DATE", "tết", "2027-02-06")]),
        ("sau tet e tra nhe", [("DATE", "tet", "2027-02-06")]),
        ("mùng 3 tết shop mở lại", [("DATE", "mùng 3 tết", "2027-02-08")]),
        ("mồng 1 tết năm 2026", [("DATE", "mồng 1 tết năm 2026", "2026-02-17")]),
        ("mung 5 thang gieng", [("DATE", "mung 5 thang gieng", "2027-02-10")]),
        ("nhập viện từ mùng 7 tết âm lịch", [("DATE", "mùng 7 tết âm lịch", "2027-02-12")]),
        ("tối giao thừa", [("TIME", "tối giao thừa", "2027-02-05TEV")]),
        ("rằm tháng giêng", [("DATE", "rằm tháng giêng", "2027-02-20")]),
        ("trung thu năm nay", [("DATE", "trung thu năm nay", "2026-09-25")]),
        ("tết dương lịch", [("DATE", "tết dương lịch", "2027-01-01")]),  # the solar new year
        ("shop nghỉ tết dương nhé", [("DATE", "tết dương", "2027-01-01")]),  # chat drops "lịch"
        ("tet tay nay di dau", [("DATE", "tet tay", "2027-01-01")]),  # "tết tây": the Western new year
        # the last days of the lunar year counted up to Tết: month 12 of Bính Ngọ has 29 days
        ("hàng đến 28 tết được không", [("DATE", "28 tết", "2027-02-04")]),
        ("23 tết em nghỉ", [("DATE", "23 tết", "2027-01-30")]),
        ("ship truoc 30 tet nhe", [("DATE", "30 tet", "2027-02-05")]),  # "30 tết" is the eve
        ("nghỉ từ 29 tết 2026", [("DATE", "29 tết 2026", "2026-02-16")]),  # before Tết 2026 (02-17)
    ],
)
def test_lunar_calendar_days(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize("text", ["tết tóc cho con", "bánh tét", "banh tet nhan dau", "chẻ tét ra"])
def test_lunar_look_alikes(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["đã trải qua 25 tết xa nhà", "tròn 20 tết rồi", "được 21 tết"])
def test_a_count_of_tets_is_no_day_before_tet(text: str) -> None:
    assert [span for _, span, _ in found(text) if span[0].isdigit()] == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "sau khi"/"trước khi" (after/before ...ing) and "sau đó"/"trước đó" (after/before that) are conjunctions:
        # the count before them is an amount of time, not the day it would name from now
        ("đổi trả 7 ngày sau khi nhận hàng", [("DURATION", "7 ngày", "P7D")]),
        ("báo trước 3 ngày trước khi giao", [("DURATION", "3 ngày", "P3D")]),
        ("bảo hành 12 tháng sau khi mua", [("DURATION", "12 tháng", "P12M")]),
        ("trả góp 6 tháng sau đó tăng lãi", [("DURATION", "6 tháng", "P6M")]),
        ("bao hanh 12 thang sau khi mua", [("DURATION", "12 thang", "P12M")]),
        # without the conjunction they stay the day counted from now, as before
        ("7 ngày sau em quay lại", [("DATE", "7 ngày sau", "2026-12-02")]),
        # months and years counted from now are the month / the year they name, as "tháng trước" is
        ("3 tháng trước em có mua", [("DATE", "3 tháng trước", "2026-08")]),
        ("1 năm sau mới bảo hành", [("DATE", "1 năm sau", "2027")]),
        ("2 thang truoc", [("DATE", "2 thang truoc", "2026-09")]),
        ("10 tháng nữa", [("DATE", "10 tháng nữa", "2027-09")]),
        ("2 tháng rưỡi nữa", [("DURATION", "2 tháng rưỡi nữa", "P2.5M")]),  # no month holds that point
        ("trong 3 tháng tới", [("DURATION", "3 tháng tới", "P3M")]),  # a span ahead, not a point
        # "cách đây" (ago) with a count
        ("cách đây 2 ngày em có gọi", [("DATE", "cách đây 2 ngày", "2026-11-23")]),
        ("Cách đây 3 hôm", [("DATE", "Cách đây 3 hôm", "2026-11-22")]),
        ("cach day 3 thang", [("DATE", "cach day 3 thang", "2026-08")]),
        ("cách đây 2 năm", [("DATE", "cách đây 2 năm", "2024")]),
        # look-alikes: "cách" alone is a distance; a shift after a phone's last digits is still next week
        ("nhà cách 3 phút đi bộ", [("DURATION", "3 phút", "PT3M")]),
        ("cách 2 tuần mới về", [("DURATION", "2 tuần", "P2W")]),
        ("sđt 0912345678 tuần sau gọi", [("DATE", "tuần sau", "2026-W49")]),
        ("con số 2 năm nay", [("DATE", "năm nay", "2026")]),
        # chat's "Np" after "trước" (call 30 minutes ahead)
        ("gọi trước 30p nha", [("DURATION", "30p", "PT30M")]),
        ("goi truoc 30p", [("DURATION", "30p", "PT30M")]),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_counts_before_conjunctions_months_ago_and_cach_day(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat writes a year with two digits after "năm": up to the reference's own two digits it is this century
        ("e sinh năm 95", [("DATE", "năm 95", "1995")]),
        ("sinh nam 98 nha", [("DATE", "nam 98", "1998")]),
        ("năm 98 e học lớp 1", [("DATE", "năm 98", "1998")]),
        ("năm 05 em vào lớp 1", [("DATE", "năm 05", "2005")]),
        ("năm 2024", [("DATE", "năm 2024", "2024")]),
        # look-alikes: a count of years before, an age or a count after, "nam" (male) without marks, one digit
        ("5 năm 10 tháng", [("DURATION", "5 năm 10 tháng", "P5Y10M")]),
        ("năm 12 tuổi em chuyển nhà", []),
        ("năm 50 người", []),
        ("benh nhan nam 45, o quan 1", []),
        ("nu 30 va nam 32", []),
        ("sinh viên năm 2", []),
        ("năm 95,5", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_year_written_with_two_digits(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a clock time before a weekday in words is its cue, as "vào" is ("thứ sáu" alone may be an ordinal)
        ("trước 17h00 thứ sáu nhé", [("TIME", "17h00 thứ sáu", "2026-11-27T17:00")]),
        ("17h thu sau nha", [("TIME", "17h thu sau", "2026-11-27T17:00")]),
        ("9:30 thứ hai", [("TIME", "9:30 thứ hai", "2026-11-30T09:30")]),
        ("10 giờ thứ bảy", [("TIME", "10 giờ thứ bảy", "2026-11-28T10:00")]),
        ("hạn chót trước thứ sáu", [("DATE", "thứ sáu", "2026-11-27")]),
        ("lần thứ hai", []),
        # a weekday with its date after a clock: the date's day, not the weekday's next one
        ("10h30 sáng thứ Ba 08/12", [("TIME", "10h30 sáng thứ Ba 08/12", "2026-12-08T10:30")]),
        ("9h sáng thứ 3 ngày 8/12", [("TIME", "9h sáng thứ 3 ngày 8/12", "2026-12-08T09:00")]),
        ("14h thứ 6 ngày 27/11", [("TIME", "14h thứ 6 ngày 27/11", "2026-11-27T14:00")]),
        # "vào" opens another expression after a comma, as before
        ("thứ 7, vào ngày 27/12", [("DATE", "thứ 7", "2026-11-28"), ("DATE", "27/12", "2026-12-27")]),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_clock_then_a_weekday_and_its_date(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert values_in(text, form) == want


def test_with_date_and_time_separate_a_weekday_keeps_its_date() -> None:
    rec = TemporalRecognizer(config={"date_time": "separate"})
    got = [(e.label, e.text, e.value) for e in rec.analyze("10h30 sáng thứ Ba 08/12", CTX)]
    assert got == [
        ("TIME", "10h30 sáng", tx("TIME", "T10:30", combined="2026-12-08T10:30")),
        ("DATE", "thứ Ba 08/12", tx("DATE", "2026-12-08", combined="2026-12-08T10:30")),
    ]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("ngay 15 hang thang cty tra luong", "15 hang thang"),
        ("lương trả vào ngày 10 hàng tháng nhé", "10 hàng tháng"),
        ("đóng tiền mùng 5 mỗi tháng", "5 mỗi tháng"),
    ],
)
def test_a_day_of_every_month_is_one_set_or_a_day_where_the_domain_has_no_set(
    text: str, surface: str
) -> None:
    from vner.rules.ruleset import RuleSet

    day = surface.split()[0]
    general = [
        (e.label, e.text, e.value["value"]) for e in RuleSet.for_domain("general").analyze(text, ref_time=REF)
    ]
    assert general == [("SET", surface, f"XXXX-XX-{int(day):02d}")]
    cs = RuleSet.for_domain("customer_service").analyze(text, ref_time=REF)
    assert [(e.label, e.text, e.value["value"]) for e in cs] == [("DATE", day, f"XXXX-XX-{int(day):02d}")]


@pytest.mark.parametrize(
    ("text", "separate", "joined"),
    [
        (
            "sáng mai 8-9h giao nha",
            [("sáng mai 8", "2026-11-26T08:00"), ("9h", "2026-11-26T09:00")],
            ("sáng mai 8-9h", "2026-11-26T08:00", "2026-11-26T09:00"),
        ),
        (
            "chiều thứ 6 2h đến 4h nhé",  # the afternoon's 4h, that Friday
            [("chiều thứ 6 2h", "2026-11-27T14:00"), ("4h", "2026-11-27T16:00")],
            ("chiều thứ 6 2h đến 4h", "2026-11-27T14:00", "2026-11-27T16:00"),
        ),
    ],
)
def test_a_range_end_takes_the_day_and_part_of_day_of_its_start(
    text: str, separate: list[tuple[str, str]], joined: tuple[str, str, str]
) -> None:
    from vner.rules.ruleset import RuleSet

    general = RuleSet.for_domain("general").analyze(text, ref_time=REF)  # time ranges: separate
    assert [(e.text, e.value["value"]) for e in general] == separate
    (cs,) = RuleSet.for_domain("customer_service").analyze(text, ref_time=REF)  # time ranges: joined
    assert (cs.text, cs.value["value"], cs.value["end"]) == joined


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat's "thg" for "tháng" before a month number or "sau/tới/trước"
        ("thg 12 e về quê", [("DATE", "thg 12", "2026-12")]),
        ("thg sau nhé", [("DATE", "thg sau", "2026-12")]),
        ("thg trước", [("DATE", "thg trước", "2026-10")]),
        ("ngày 15 thg 3 năm 2025", [("DATE", "15 thg 3 năm 2025", "2025-03-15")]),
        ("thg 3/2025", [("DATE", "thg 3/2025", "2025-03")]),
        # "thg" is also "thằng" (guy): not before another word
        ("thg này láo", []),
        ("thg kia", []),
        ("2 thg sau", []),
        # a clock range before a range of days is the hours of every day: not joined to the first day
        ("giờ hành chính 8h-17h t2-t6", [("TIME", "8h-17h", "T08:00"), ("DATE", "t2", "2026-11-30"),
                                          ("DATE", "t6", "2026-12-04")]),
        ("8h-17h thứ 2 - thứ 6", [("TIME", "8h-17h", "T08:00"), ("DATE", "thứ 2", "2026-11-30"),
                                   ("DATE", "thứ 6", "2026-12-04")]),
        ("14:00 thứ 6", [("TIME", "14:00 thứ 6", "2026-11-27T14:00")]),  # one day: joined
        # the same with a part of day between: "sáng" stays with the clock, not with the first day
        ("shop làm 9h sáng thứ 2 đến thứ 6 nhé", [("TIME", "9h sáng", "T09:00"), ("DATE", "thứ 2", "2026-11-30"),
                                                  ("DATE", "thứ 6", "2026-12-04")]),
        ("8h sáng t2 - t6", [("TIME", "8h sáng", "T08:00"), ("DATE", "t2", "2026-11-30"),
                             ("DATE", "t6", "2026-12-04")]),
        ("sáng thứ 2 đến thứ 6", [("DATE", "thứ 2", "2026-11-30"), ("DATE", "thứ 6", "2026-12-04")]),
        ("9h sáng thứ 2 nhé", [("TIME", "9h sáng thứ 2", "2026-11-30T09:00")]),  # one day: joined
        ("sáng thứ 2 em qua", [("TIME", "sáng thứ 2", "2026-11-30TMO")]),
    ],
)  # fmt: skip
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_month_abbreviation_and_day_ranges(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert rule_dates_times(text, form) == want


BARE_HOURS = [
    # chat's hour without "h"/"giờ": after "lúc"/"tầm"/"khoảng" next to a day or a part of day, or with "rưỡi"
    ("sáng mai khoảng 8 em qua lấy", [("TIME", "sáng mai khoảng 8", "2026-11-26T08:00")]),
    ("tối nay tầm 8 nha", [("TIME", "tối nay tầm 8", "2026-11-25T20:00")]),
    ("mai tầm 9 em ghé", [("TIME", "mai tầm 9", "2026-11-26T09:00")]),
    ("mai lúc 8 em qua nhé", [("TIME", "mai lúc 8", "2026-11-26T08:00")]),
    ("tối nay 8 rưỡi", [("TIME", "tối nay 8 rưỡi", "2026-11-25T20:30")]),
    ("tầm 8 sáng mai em qua", [("TIME", "8 sáng mai", "2026-11-26T08:00")]),
    ("hẹn 8 sáng mai", [("TIME", "8 sáng mai", "2026-11-26T08:00")]),
    ("lúc 7 tối gọi e", [("TIME", "7 tối", "T19:00")]),
    ("lúc 7 buổi tối", [("TIME", "7 buổi tối", "T19:00")]),
    ("tối tầm 8 e qua", [("TIME", "8", "T20:00")]),  # the part of day sets the hour, as in "tối tầm 8h"
    ("Hôm nay lúc 10, 5 người", [("TIME", "Hôm nay lúc 10", "2026-11-25T10:00")]),
    ("lúc 8 nhé", [("TIME", "8", "T08:00")]),
    ("Lúc 9, chị gọi lại", [("TIME", "9", "T09:00")]),
    ("sang mai khoang 8 e qua lay", [("TIME", "sang mai khoang 8", "2026-11-26T08:00")]),
    ("toi nay tam 8 ruoi nha", [("TIME", "toi nay tam 8 ruoi", "2026-11-25T20:30")]),
    # look-alikes: a counted number, an amount, an age, "tạm"/"tám" (no "tầm"), "lúc" then a pronoun
    ("sáng mai khoảng 8 người đến", [("TIME", "sáng mai", "2026-11-26TMO")]),
    ("tối nay tầm 8 trăm", [("TIME", "tối nay", "2026-11-25TEV")]),
    ("khoảng 8 người", []),
    ("lúc 8 tuổi", []),
    ("lúc 2 đứa nhỏ ngủ", []),
    ("lúc 2 em bé ngủ", []),
    ("lúc 1 mình buồn lắm", []),
    ("tạm 8 cái", []),
    ("ship 3 rưỡi", []),
    ("mai khoảng 3, 4 người", []),
]


@pytest.mark.parametrize(("text", "want"), BARE_HOURS)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_hours_without_their_unit(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert rule_dates_times(text, form) == want


DOT_DATES = [
    # a day and month with a dot, as the press and shops write them, after a day or sale word
    ("săn sale 12.12 giảm 50%", [("DATE", "12.12", "2026-12-12")]),
    ("sale 11.11 có freeship ko shop", [("DATE", "11.11", "2026-11-11")]),
    ("mega sale 6.6", [("DATE", "6.6", "2026-06-06")]),
    ("deal 9.9 nè", [("DATE", "9.9", "2026-09-09")]),
    ("ngày 12.12 shop có sale không", [("DATE", "12.12", "2026-12-12")]),
    ("Ngày 5.3, Bộ Y tế thông báo", [("DATE", "5.3", "2027-03-05")]),
    ("từ ngày 5.3 đến ngày 10.3", [("DATE", "5.3", "2027-03-05"), ("DATE", "10.3", "2027-03-10")]),
    ("ngày 12.12.2026", [("DATE", "12.12.2026", "2026-12-12")]),
    # look-alikes: no cue, a decimal with its unit, a percentage, a size
    ("12.12 em đặt", []),
    ("size 11.11", []),
    ("sale 12.5%", []),
    ("ngày 1.5 lít nước", []),
    ("mỗi ngày 2.5 km", []),
    ("sale 1.5 triệu", []),
]


@pytest.mark.parametrize(("text", "want"), DOT_DATES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_day_and_month_with_a_dot_after_a_cue(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert rule_dates_times(text, form) == want


WEEK_THEN_WEEKDAY = [
    # chat names the week first: "tuần sau thứ 4" is one DATE, the Wednesday of next week (REF is a Wednesday)
    ("tuần sau thứ 4 giao nhé", [("DATE", "tuần sau thứ 4", "2026-12-02")]),
    ("tuan sau thu 4 giao hang duoc ko shop", [("DATE", "tuan sau thu 4", "2026-12-02")]),
    ("tuần này t6 e nghỉ", [("DATE", "tuần này t6", "2026-11-27")]),
    ("tuần tới, chủ nhật hẹn nhé", [("DATE", "tuần tới, chủ nhật", "2026-12-06")]),
    ("tuần trước thứ 3 e có gửi", [("DATE", "tuần trước thứ 3", "2026-11-17")]),
    (
        "tuần sau thứ hai",
        [("DATE", "tuần sau thứ hai", "2026-11-30")],
    ),  # the week is the cue a word form needs
    ("tuần sau thứ 4 lúc 9h", [("TIME", "tuần sau thứ 4 lúc 9h", "2026-12-02T09:00")]),
    ("tuần sau sáng thứ 2", [("TIME", "tuần sau sáng thứ 2", "2026-11-30TMO")]),
    ("thứ 4 tuần sau", [("DATE", "thứ 4 tuần sau", "2026-12-02")]),  # the other order, as before
    # look-alikes: no weekday after the week, or a word form that is an ordinal
    ("tuần sau thứ hai là ngày gì", [("DATE", "tuần sau", "2026-W49")]),  # "thứ hai là": secondly
    ("tuần này có thứ hai không", [("DATE", "tuần này", "2026-W48")]),
    ("tuần sau mình họp", [("DATE", "tuần sau", "2026-W49")]),
]


@pytest.mark.parametrize(("text", "want"), WEEK_THEN_WEEKDAY)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_week_then_its_weekday_is_one_date(text: str, want: list[tuple[str, str, str]], form: str) -> None:
    assert rule_dates_times(text, form) == want


DAYS_OFF_LISTS = [
    # a list of days after a verb of days off, shifts or appointments: each day a DATE in the last one's month
    ("e nghi 14 va 15/12 nha", [("DATE", "14", "2026-12-14"), ("DATE", "15/12", "2026-12-15")]),
    ("em nghỉ phép 14 và 15/12", [("DATE", "14", "2026-12-14"), ("DATE", "15/12", "2026-12-15")]),
    ("thang nay e nghi 2 ngay phep 14 va 15/12 nha",
     [("DATE", "thang nay", "2026-11"), ("DATE", "14", "2026-12-14"), ("DATE", "15/12", "2026-12-15")]),
    ("off 24 va 25/12 nhe", [("DATE", "24", "2026-12-24"), ("DATE", "25/12", "2026-12-25")]),
    ("hẹn 14 hoặc 15/12 nhé", [("DATE", "14", "2026-12-14"), ("DATE", "15/12", "2026-12-15")]),  # either day
    ("ngày 14 hoặc 15/12", [("DATE", "14", "2026-12-14"), ("DATE", "15/12", "2026-12-15")]),
    # the last day with its month is a date, not a fraction, after such a list ("8/12" alone could be 2/3)
    ("trực 6, 7 và 8/12", [("DATE", "6", "2026-12-06"), ("DATE", "7", "2026-12-07"), ("DATE", "8/12", "2026-12-08")]),
    ("ngày 6, 7 và 8/12", [("DATE", "6", "2026-12-06"), ("DATE", "7", "2026-12-07"), ("DATE", "8/12", "2026-12-08")]),
    # look-alikes: a descending pair, a range word without "ngày"/"từ", a share of the goods
    ("e nghi 15 va 14/12", [("DATE", "14/12", "2026-12-14")]),
    ("giao 10 đến 12/12", [("DATE", "12/12", "2026-12-12")]),
    ("giao 2 và 3/4 số hàng", []),
    ("có 2 và 3/4 người", []),
    ("lấy 2 hoặc 3/4 kg", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), DAYS_OFF_LISTS)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_days_off_lists_share_the_last_days_month(
    text: str, want: list[tuple[str, str, str]], form: str
) -> None:
    assert rule_dates_times(text, form) == want
