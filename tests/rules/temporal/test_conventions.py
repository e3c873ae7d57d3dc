"""Span conventions per domain (issue 24): each setting changes spans exactly as documented in rules/conventions.py."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from vner.rules.conventions import OPTIONS, SpanConventions
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.temporal.recognizer import TemporalRecognizer
from vner.rules.ruleset import RuleSet
from vner.rules.schema import SchemaError, list_domains, load_schema

REF = datetime(2026, 11, 25, 10, 0)  # a Wednesday
CTX = RuleContext(ref_time=REF)


def tag(text: str, **conv: str) -> list[tuple[str, str, dict]]:
    rec = TemporalRecognizer(config=conv)
    norm = normalize(text)
    return [
        (e.label, norm.original[slice(*norm.to_original(e.start, e.end))], e.value)
        for e in rec.analyze(norm.text, CTX)
    ]


def spans(text: str, **conv: str) -> list[tuple[str, str]]:
    return [(label, unicodedata.normalize("NFC", s)) for label, s, _ in tag(text, **conv)]


# --- date_time -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_date_time_merged_is_one_time(form: str) -> None:
    text = unicodedata.normalize(form, "hẹn 9 giờ sáng ngày mai nhé")
    ((label, _, value),) = tag(text, date_time="merged")
    assert (label, value["value"]) == ("TIME", "2026-11-26T09:00")
    assert spans(text) == [("TIME", "9 giờ sáng ngày mai")]  # merged is the default


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_date_time_separate_keeps_two_entities_and_the_combined_value(form: str) -> None:
    text = unicodedata.normalize(form, "hẹn 9 giờ sáng ngày mai nhé")
    got = tag(text, date_time="separate")
    assert [(lab, unicodedata.normalize("NFC", s)) for lab, s, _ in got] == [
        ("TIME", "9 giờ sáng"),
        ("DATE", "ngày mai"),
    ]
    assert got[1][2]["value"] == "2026-11-26"
    assert got[0][2]["combined"] == got[1][2]["combined"] == "2026-11-26T09:00"


def test_date_time_separate_on_clock_and_numeric_date() -> None:
    got = tag("giao 14:00 20/12/2026 nha", date_time="separate")
    assert [(lab, s) for lab, s, _ in got] == [("TIME", "14:00"), ("DATE", "20/12/2026")]
    assert got[1][2]["combined"] == "2026-12-20T14:00"
    assert spans("giao 14:00 20/12/2026 nha") == [("TIME", "14:00 20/12/2026")]


# --- lead_words -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_lead_words_outside_and_inside(form: str) -> None:
    text = unicodedata.normalize(form, "giao vào ngày 15 tháng 3 năm 2027, gọi lúc 8h30")
    assert spans(text) == [("DATE", "15 tháng 3 năm 2027"), ("TIME", "8h30")]
    assert spans(text, lead_words="inside") == [
        ("DATE", "vào ngày 15 tháng 3 năm 2027"),
        ("TIME", "lúc 8h30"),
    ]


def test_lead_words_inside_without_diacritics_and_not_for_look_alikes() -> None:
    assert spans("giao vao ngay 15/3 nhe", lead_words="inside") == [("DATE", "vao ngay 15/3")]
    # "ngay" in a message typed with diacritics is "right away", not "ngày"
    assert spans("giao ngay 15/3 được không ạ", lead_words="inside") == [("DATE", "15/3")]
    # a DURATION never takes a lead word
    assert spans("mất 3 ngày", lead_words="inside") == [("DURATION", "3 ngày")]


# --- relative_days / relative_times -----------------------------------------------------------------------------
def test_relative_days_date_or_duration() -> None:
    ((label, _, value),) = tag("3 ngày nữa em qua lấy")
    assert (label, value) == ("DATE", {"type": "DATE", "value": "2026-11-28"})
    ((label, _, value),) = tag("3 ngày nữa em qua lấy", relative_days="duration")
    assert (label, value) == ("DURATION", {"type": "DURATION", "value": "P3D", "anchor": "2026-11-28"})


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_relative_times_duration_or_time(form: str) -> None:
    text = unicodedata.normalize(form, "đợi em 15 phút nữa nhé")
    ((label, _, value),) = tag(text)
    assert (label, value) == ("DURATION", {"type": "DURATION", "value": "PT15M"})
    ((label, surface, value),) = tag(text, relative_times="time")
    assert unicodedata.normalize("NFC", surface) == "15 phút nữa"
    assert (label, value) == ("TIME", {"type": "TIME", "value": "2026-11-25T10:15", "offset": "PT15M"})
    ((_, _, value),) = tag("2 tiếng trước anh gọi", relative_times="time")
    assert value["value"] == "2026-11-25T08:00"


def test_an_amount_of_time_is_never_a_point() -> None:
    # "trong 2 tiếng tới" is a span of time, "mất 45 phút" has no reference: both stay DURATION
    for text in ("trong 2 tiếng tới sẽ có hàng", "mất 45 phút"):
        assert [lab for lab, _, _ in tag(text, relative_times="time")] == ["DURATION"]


# --- time_ranges ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "separate", "joined"),
    [
        ("giao tầm 9-10h sáng nha", [("TIME", "9"), ("TIME", "10h sáng")], [("TIME", "9-10h sáng")]),
        ("từ 8h đến 17h", [("TIME", "8h"), ("TIME", "17h")], [("TIME", "8h đến 17h")]),
        ("8h30 - 9h", [("TIME", "8h30"), ("TIME", "9h")], [("TIME", "8h30 - 9h")]),
    ],
)
def test_time_ranges_separate_or_joined(
    text: str, separate: list[tuple[str, str]], joined: list[tuple[str, str]], form: str
) -> None:
    text = unicodedata.normalize(form, text)
    assert spans(text) == separate  # separate is the default
    assert spans(text, time_ranges="joined") == joined


def test_a_joined_time_range_keeps_both_ends() -> None:
    ((label, _, value),) = tag("giao tầm 9-10h sáng nha", time_ranges="joined")
    assert (label, value) == ("TIME", {"type": "TIME", "value": "T09:00", "end": "T10:00"})
    ((_, _, value),) = tag("e rảnh 14h-16h chiều nay", time_ranges="joined")
    assert (value["value"], value["end"]) == (
        "2026-11-25T14:00",
        "2026-11-25T16:00",
    )  # the start takes its day
    # two times that are no range stay two
    assert spans("9h hoặc 10h", time_ranges="joined") == [("TIME", "9h"), ("TIME", "10h")]


def test_customer_service_joins_delivery_windows() -> None:
    got = RuleSet.for_domain("customer_service").analyze("giao giúp em 9-10h sáng mai nhé", ref_time=REF)
    assert [(e.label, e.text) for e in got] == [("TIME", "9-10h sáng mai")]
    assert got[0].value == {"type": "TIME", "value": "2026-11-26T09:00", "end": "2026-11-26T10:00"}


# --- date_ranges ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "separate", "joined"),
    [
        ("kỳ lương 01/11 - 30/11 em chưa nhận", [("DATE", "01/11"), ("DATE", "30/11")], [("DATE", "01/11 - 30/11")]),
        ("nghỉ phép từ 15/12 đến 17/12", [("DATE", "15/12"), ("DATE", "17/12")], [("DATE", "15/12 đến 17/12")]),
        ("ky luong 1/11-30/11", [("DATE", "1/11"), ("DATE", "30/11")], [("DATE", "1/11-30/11")]),
        # a second day before the first, or days in a list, stay apart
        ("chốt công 30/11 - 01/11", [("DATE", "30/11"), ("DATE", "01/11")], [("DATE", "30/11"), ("DATE", "01/11")]),
        ("giao 15/12 hoặc 17/12", [("DATE", "15/12"), ("DATE", "17/12")], [("DATE", "15/12"), ("DATE", "17/12")]),
    ],
)  # fmt: skip
def test_date_ranges_separate_or_joined(
    text: str, separate: list[tuple[str, str]], joined: list[tuple[str, str]], form: str
) -> None:
    text = unicodedata.normalize(form, text)
    assert spans(text) == separate  # separate is the default
    assert spans(text, date_ranges="joined") == joined


def test_a_joined_date_range_keeps_both_ends_and_ai_fluent_joins_pay_periods() -> None:
    ((label, _, value),) = tag("kỳ lương 01/11 - 30/11", date_ranges="joined")
    assert (label, value) == ("DATE", {"type": "DATE", "value": "2026-11-01", "end": "2026-11-30"})
    got = RuleSet.for_domain("ai_fluent").analyze("kỳ lương 01/11 - 30/11 em chưa nhận", ref_time=REF)
    assert [(e.label, e.text) for e in got] == [("PERIOD", "01/11 - 30/11")]


# --- weekday_ranges ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "as_set", "as_dates"),
    [
        ("shop làm từ thứ 2 - thứ 6 nhé", [("SET", "thứ 2 - thứ 6")], [("DATE", "thứ 2"), ("DATE", "thứ 6")]),
        ("giao hàng T2-T7, CN nghỉ", [("SET", "T2-T7"), ("DATE", "CN")],
         [("DATE", "T2"), ("DATE", "T7"), ("DATE", "CN")]),
        ("shop lam tu thu 2 - thu 6 nhe", [("SET", "thu 2 - thu 6")], [("DATE", "thu 2"), ("DATE", "thu 6")]),
        ("mở cửa thứ 2 - chủ nhật", [("SET", "thứ 2 - chủ nhật")], [("DATE", "thứ 2"), ("DATE", "chủ nhật")]),
    ],
)  # fmt: skip
def test_weekday_ranges_set_or_dates(
    text: str, as_set: list[tuple[str, str]], as_dates: list[tuple[str, str]], form: str
) -> None:
    text = unicodedata.normalize(form, text)
    assert spans(text) == as_set  # set is the default
    assert spans(text, weekday_ranges="dates") == as_dates


def test_weekday_range_dates_are_the_coming_days() -> None:
    # REF is Wednesday 2026-11-25: the coming Monday, and the Friday / Sunday after it (not this Friday)
    got = tag("shop làm từ thứ 2 - thứ 6 nhé", weekday_ranges="dates")
    assert [v["value"] for _, _, v in got] == ["2026-11-30", "2026-12-04"]
    got = tag("mở cửa thứ 2 - chủ nhật", weekday_ranges="dates")
    assert [v["value"] for _, _, v in got] == ["2026-11-30", "2026-12-06"]
    # a bare number as the second end: one DATE to its end
    ((label, surface, value),) = tag("lam viec thu 2-6", weekday_ranges="dates")
    assert (label, surface) == ("DATE", "thu 2-6")
    assert value == {"type": "DATE", "value": "2026-11-30", "end": "2026-12-04"}
    # the SET reading keeps the weekly value
    ((_, _, value),) = tag("lam viec thu 2-6")
    assert value == {"type": "SET", "value": "XXXX-WXX-1", "max": "XXXX-WXX-5"}


def test_customer_service_keeps_opening_days() -> None:
    got = RuleSet.for_domain("customer_service").analyze("shop mở cửa từ thứ 2 - thứ 7 ạ", ref_time=REF)
    assert [(e.label, e.text) for e in got] == [("DATE", "thứ 2"), ("DATE", "thứ 7")]
    # the general domain has SET: one weekly range
    got = RuleSet.for_domain("general").analyze("shop mở cửa từ thứ 2 - thứ 7 ạ", ref_time=REF)
    assert [(e.label, e.text) for e in got] == [("SET", "thứ 2 - thứ 7")]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_open_and_closed_days_are_weekdays_not_ordinals(form: str) -> None:
    text = unicodedata.normalize(form, "shop mở cửa thứ 2 đến thứ 7, đóng cửa thứ 3 tuần sau")
    assert spans(text) == [("DATE", "thứ 2"), ("DATE", "thứ 7"), ("DATE", "thứ 3 tuần sau")]
    # a door counted in order stays an ordinal
    assert spans(unicodedata.normalize(form, "đi cửa thứ 2 bên trái, lên tầng thứ 3")) == []


# --- date_scope -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "everything", "calendar"),
    [
        ("hôm qua bệnh nhân sốt, hôm nay đã đỡ", [("DATE", "hôm qua"), ("DATE", "hôm nay")], []),
        ("tuần trước và năm nay", [("DATE", "tuần trước"), ("DATE", "năm nay")], []),
        ("thứ 6 ngày 20/3 tái khám", [("DATE", "thứ 6 ngày 20/3")], [("DATE", "20/3")]),
        ("sinh năm 1997, nhập viện tháng 7", [("DATE", "năm 1997"), ("DATE", "tháng 7")], [("DATE", "tháng 7")]),
        ("cuối tuần này hoặc cuối tháng 3", [("DATE", "cuối tuần này"), ("DATE", "tháng 3")], [("DATE", "tháng 3")]),
        ("hom qua va ngay 15 thang 3", [("DATE", "hom qua"), ("DATE", "15 thang 3")], [("DATE", "15 thang 3")]),
        ("lúc 8h sáng hôm qua và 9h ngày 2/3", [("TIME", "8h sáng"), ("DATE", "hôm qua"), ("TIME", "9h"), ("DATE", "2/3")],
         [("TIME", "8h sáng"), ("TIME", "9h"), ("DATE", "2/3")]),
        ("mùng 7 tết", [("DATE", "mùng 7 tết")], [("DATE", "mùng 7 tết")]),
    ],
)  # fmt: skip
def test_date_scope_all_or_calendar(
    text: str, everything: list[tuple[str, str]], calendar: list[tuple[str, str]], form: str
) -> None:
    text = unicodedata.normalize(form, text)
    assert spans(text, date_time="separate") == everything  # all is the default
    assert spans(text, date_time="separate", date_scope="calendar") == calendar


def test_covid19_tags_calendar_dates_only_and_customer_service_all() -> None:
    text = "Hôm qua (20/3) bệnh nhân sốt, thứ 2 tuần sau tái khám"
    covid = [(e.label, e.text) for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF)]
    assert [x for x in covid if x[0] == "DATE"] == [("DATE", "20/3")]
    cs = [(e.label, e.text) for e in RuleSet.for_domain("customer_service").analyze(text, ref_time=REF)]
    assert cs == [("DATE", "Hôm qua"), ("DATE", "20/3"), ("DATE", "thứ 2 tuần sau")]


# --- settings, schema, domains ----------------------------------------------------------------------------------
def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="date_time: 'joined' is not one of merged, separate"):
        SpanConventions(date_time="joined")
    with pytest.raises(ValueError, match="temporal: config key 'lead_words'|lead_words"):
        TemporalRecognizer(config={"lead_words": "around"})


def test_a_schema_names_a_bad_convention(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nlabels: [DATE]\nrecognizers:\n  - use: temporal\n    labels: [DATE]\n"
        "conventions: {date_time: glued}\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match=r"^mini\.yaml: conventions: date_time: 'glued'"):
        load_schema(path)
    path.write_text(path.read_text("utf-8").replace("date_time: glued", "span_mode: x"), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"conventions: span_mode: unknown setting"):
        load_schema(path)


def test_every_bundled_domain_states_every_convention() -> None:
    for name in list_domains():
        text = (load_schema(name).path).read_text("utf-8")
        block = text[text.index("\nconventions:") :]
        for key in OPTIONS:
            assert f"\n  {key}: " in block, f"{name}.yaml does not state {key}"


def test_covid19_follows_phoner_and_customer_service_merges() -> None:
    assert load_schema("covid19").conventions.date_time == "separate"
    assert load_schema("customer_service").conventions == SpanConventions(
        time_ranges="joined", weekday_ranges="dates"
    )
    text = "Bệnh nhân nhập viện sáng 2/3, xuất viện lúc 8h ngày 15/3"
    covid = [(e.label, e.text) for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF)]
    assert ("DATE", "2/3") in covid and ("DATE", "15/3") in covid
    general = [(e.label, e.text) for e in RuleSet.for_domain("general").analyze(text, ref_time=REF)]
    assert ("TIME", "sáng 2/3") in general and ("TIME", "8h ngày 15/3") in general


def test_a_domain_setting_reaches_the_recognizer(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nlabels: [DATE, TIME, DURATION]\nrecognizers:\n  - use: temporal\n"
        "    labels: [DATE, TIME, DURATION]\nconventions: {lead_words: inside, relative_times: time}\n",
        encoding="utf-8",
    )
    rs = RuleSet.from_schema(load_schema(path))
    got = [(e.label, e.text) for e in rs.analyze("gọi lúc 8h30, 15 phút nữa tới", ref_time=REF)]
    assert got == [("TIME", "lúc 8h30"), ("TIME", "15 phút nữa")]
