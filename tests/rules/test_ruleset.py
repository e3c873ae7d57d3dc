"""RuleSet: original offsets (NFC, NFD, odd whitespace), renames, overlap resolution, versions, batches."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.entity import Entity
from vner.rules.recognizer import RuleContext
from vner.rules.ruleset import RuleSet, resolve_overlaps
from vner.rules.schema import DOMAINS_DIR, list_domains, load_schema

REF = datetime(2026, 11, 25, 9, 30)
CS = RuleSet.for_domain("customer_service")
CS_UNFILTERED = RuleSet.from_schema(load_schema("customer_service"))
CS_UNFILTERED.prefilter = False
MSG = (
    "Chị Lan ơi, đơn giao về quận Hoàn Kiếm, Hà Nội, sđt 0912 345 678, thu COD 618.000đ, "
    "hoàn tiền vào stk 0123456789 Vietcombank, email lan.nguyen@gmail.com, giao ngày mai"
)


def _summary(ents: list[Entity]) -> list[tuple[str, object]]:
    return [(e.label, e.value) for e in ents]


def test_customer_service_message() -> None:
    ents = CS.analyze(MSG, ref_time=REF)
    got = {(e.label, e.text) for e in ents}
    assert {
        ("ADDRESS", "quận Hoàn Kiếm"),
        ("ADDRESS", "Hà Nội"),
        ("PHONE_NUMBER", "0912 345 678"),
        ("MONEY", "618.000đ"),
        ("BANK_NAME", "Vietcombank"),
        ("EMAIL", "lan.nguyen@gmail.com"),
    } <= got
    phone = next(e for e in ents if e.label == "PHONE_NUMBER")
    assert phone.value == "+84912345678" and phone.source == "rule:phone.v1"
    for e in ents:
        assert MSG[e.start : e.end] == e.text and e.stages[-1] == "rules"
    assert [e.start for e in ents] == sorted(e.start for e in ents)


def test_nfd_and_odd_whitespace_map_back_to_the_original() -> None:
    odd = unicodedata.normalize("NFD", MSG).replace(" ", " \u00a0\t", 7).replace("Hà", "H\u200bà")
    ents = CS.analyze(odd, ref_time=REF)
    for e in ents:
        assert odd[e.start : e.end] == e.text
    assert _summary(ents) == _summary(CS.analyze(MSG, ref_time=REF))


class _Spy:
    """Wraps a recognizer and records that it ran."""

    def __init__(self, rec: Any, calls: list[str], rid: str) -> None:
        self.rec, self.calls, self.rid = rec, calls, rid
        self.name, self.version, self.labels = rec.name, rec.version, rec.labels

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        self.calls.append(self.rid)
        return list(self.rec.analyze(text, ctx))


def test_prefilter_skips_recognizers_that_cannot_match() -> None:
    calls: list[str] = []
    schema = load_schema("customer_service")
    rs = RuleSet(schema=schema, recognizers=[(s, _Spy(r, calls, s.id)) for s, r in CS._recs])
    rs.analyze("dạ em cảm ơn shop nhiều ạ", ref_time=REF)
    assert "phone" not in calls and "email" not in calls and "citizen_id" not in calls
    assert "temporal" in calls and "location" in calls
    calls.clear()
    rs.analyze("gọi 0912 345 678 hoặc mail a@b.vn", ref_time=REF)
    assert {"phone", "email", "temporal"} <= set(calls) and "citizen_id" not in calls


def test_the_digit_count_and_the_identity_check_agree_with_their_definitions() -> None:
    from vner.rules import ruleset

    # every whitespace character but the plain space is odd; none exists above U+3000
    assert set(ruleset._ODD_CHARS) == {chr(c) for c in range(0x110000) if chr(c).isspace() and c != 0x20}
    texts = ("0912 345 678", "gọi ０９１２３４５６７８ nhé", "mã ٠١٢٣ và 12", "không có số", "1234567890123")
    for text in texts:
        exact = sum(map(str.isdigit, text))
        assert ruleset._count_digits(text, 99) == exact, text
        assert min(ruleset._count_digits(text, 4), 4) == min(exact, 4), text  # >= enough means enough
    for text in (" đầu", "cuối ", "hai  dấu", "tab\there", "nbsp\u00a0x", "zw\u200bx", "dòng\nmới"):
        assert ruleset._identity(text) is None, repr(text)
    assert ruleset._identity("gọi em lúc 9h nhé") is not None
    # full-width digits still reach the phone recognizer's prefilter (9+ digits)
    calls: list[str] = []
    spy = RuleSet(
        schema=load_schema("customer_service"), recognizers=[(s, _Spy(r, calls, s.id)) for s, r in CS._recs]
    )
    spy.analyze("sđt ０９１２３４５６７８", ref_time=REF)
    assert "phone" in calls


def test_labels_not_kept_by_the_schema_are_dropped() -> None:
    # customer_service keeps only QUANTITY from the measure family: "60 kg" (MEASUREMENT) is not emitted
    assert [e for e in CS.analyze("nặng 60 kg", ref_time=REF) if e.label in ("MEASUREMENT", "QUANTITY")] == []


def test_instance_ids_name_the_source() -> None:
    covid = RuleSet.for_domain("covid19")
    ents = covid.analyze("Bệnh nhân BN91, 43 tuổi, ở Hà Nội", ref_time=REF)
    by_label = {e.label: e for e in ents}
    assert by_label["PATIENT_ID"].value == "BN91" and by_label["PATIENT_ID"].source == "rule:patient_id.v1"
    assert by_label["AGE"].text == "43" and by_label["AGE"].source == "rule:age.v1"
    assert by_label["LOCATION"].value == "Hà Nội"


def test_payroll_domain_rules() -> None:
    fluent = RuleSet.for_domain("ai_fluent")
    got = {
        (e.label, e.text)
        for e in fluent.analyze("1/4 giờ tăng ca đã duyệt, thiếu phụ cấp ca đêm 618,000", ref_time=REF)
    }
    assert got >= {("RATIO", "1/4"), ("MONEY_AMOUNT", "618,000")}
    dates = fluent.analyze("hệ số 1,5 cho giờ làm thêm ngày 1/5", ref_time=REF)
    assert ("PERIOD", "1/5") in {(e.label, e.text) for e in dates}  # a date, not a ratio
    assert ("RATIO", "1,5") in {(e.label, e.text) for e in dates}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("làm ca đêm 22h-6h", [("TIME_RANGE", "22h-6h")]),  # one shift, not two clock times
        ("ca sáng 8:00 - 12:00 nhé", [("TIME_RANGE", "8:00 - 12:00")]),
        ("tăng ca từ 18h đến 21h", [("TIME_RANGE", "18h đến 21h")]),
        ("làm 8-17h30", [("TIME_RANGE", "8-17h30")]),
        ("em làm ca 22h-6h sáng", [("TIME_RANGE", "22h-6h sáng")]),  # the part of the day after it
        ("ca 22h-6h dem", [("TIME_RANGE", "22h-6h dem")]),
        ("ca 8h-17h chiều nay", [("TIME_RANGE", "8h-17h")]),  # "chiều nay" (this afternoon) is a day
        ("hệ số lương 2,34", [("RATIO", "2,34")]),
        ("lúc 18h", [("TIME", "18h")]),
        ("size 36-38", []),  # no clock unit
        ("lương 8-10tr", [("MONEY_AMOUNT", "8-10tr")]),
    ],
)
def test_payroll_shifts_and_coefficients(text: str, want: list[tuple[str, str]]) -> None:
    got = RuleSet.for_domain("ai_fluent").analyze(text, ref_time=REF)
    assert [(e.label, e.text) for e in got] == want


def test_resolve_overlaps_order() -> None:
    def e(s: int, t: int, label: str, score: float) -> Entity:
        return Entity(start=s, end=t, label=label, text="x" * (t - s), score=score)

    high, low = e(0, 5, "A", 0.9), e(2, 9, "B", 0.8)
    assert resolve_overlaps([(low, 0), (high, 1)]) == [high]  # higher score first
    short, long_ = e(0, 3, "A", 0.8), e(0, 6, "B", 0.8)
    assert resolve_overlaps([(short, 0), (long_, 1)]) == [long_]  # then longer
    first, second = e(0, 4, "A", 0.8), e(2, 6, "B", 0.8)
    assert resolve_overlaps([(second, 0), (first, 1)]) == [first]  # then earlier
    x, y = e(0, 4, "A", 0.8), e(0, 4, "B", 0.8)
    assert resolve_overlaps([(y, 1), (x, 0)]) == [x]  # then recognizer order
    apart = [e(0, 2, "A", 0.5), e(3, 5, "B", 0.5)]
    assert resolve_overlaps([(apart[1], 0), (apart[0], 0)]) == apart  # disjoint: all kept, sorted


def test_version_tracks_the_schema_file(tmp_path: Path) -> None:
    assert CS.version.startswith("rules:customer_service@") and len(CS.version.split("@")[1]) == 12
    assert RuleSet.for_domain("customer_service") is CS
    copy = tmp_path / "customer_service.yaml"
    shutil.copy(DOMAINS_DIR / "customer_service.yaml", copy)
    assert RuleSet.from_schema(load_schema(copy)).version == CS.version
    copy.write_text(copy.read_text(encoding="utf-8").replace("Logistics", "Logistic"), encoding="utf-8")
    assert RuleSet.from_schema(load_schema(copy)).version != CS.version


def test_batch_empty_and_bad_input() -> None:
    texts = [MSG, "", "không có gì"]
    assert CS.analyze_batch(texts, ref_time=REF) == [CS.analyze(t, ref_time=REF) for t in texts]
    assert CS.analyze("", ref_time=REF) == []
    with pytest.raises(TypeError, match="str"):
        CS.analyze(b"bytes", ref_time=REF)  # type: ignore[arg-type]


FRAGMENTS = [
    "0912 345 678", "+84 987.654.321", "024 3825 1234", "15/3/2024", "ngày 15 tháng 3 năm 2024", "8h30",
    "618.000đ", "1,5 triệu", "500k", "Hà Nội", "quận Hoàn Kiếm", "Đắk Lắk", "Vietcombank", "lan@gmail.com",
    "giao hàng", "em ơi", "chị", "tiền", "mã", "hôm qua", "anh Tuấn", "ship", "(", ")", ",", ".", "1234",
]  # fmt: skip
SEPARATORS = [" ", "  ", "\t", "\n", "\u00a0", " \u200b", "\u3000", ", ", ""]


@settings(max_examples=80, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=12
    ),
    form=st.sampled_from(["NFC", "NFD"]),
    lead=st.sampled_from(["", " ", "\t\u200b"]),
)
def test_offsets_property(parts: list[tuple[str, str]], form: Literal["NFC", "NFD"], lead: str) -> None:
    text = unicodedata.normalize(form, lead + "".join(frag + sep for frag, sep in parts))
    ents = CS.analyze(text, ref_time=REF)
    for a, b in zip(ents, ents[1:], strict=False):
        assert a.end <= b.start
    for e in ents:
        assert text[e.start : e.end] == e.text and e.text.strip() == e.text
    other = unicodedata.normalize("NFD", text) if form == "NFC" else unicodedata.normalize("NFC", text)
    assert _summary(CS.analyze(other, ref_time=REF)) == _summary(ents)
    assert CS_UNFILTERED.analyze(text, ref_time=REF) == ents  # the cheap prefilters never change the output


DOMAIN_FRAGMENTS = [
    *FRAGMENTS, "bệnh nhân 91", "BN1234", "43 tuổi", "nữ", "phụ cấp ca đêm 618,000", "1/4 giờ tăng ca",
    "vòng eo 68 cm", "voọc chà vá chân xám", "rừng nguyên sinh", "sốt cao", "hệ số 1,5", "30A-123.45",
]  # fmt: skip


@pytest.mark.parametrize("domain", list_domains())
@settings(max_examples=30, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(DOMAIN_FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=10
    ),
    form=st.sampled_from(["NFC", "NFD"]),
)
def test_offsets_property_every_domain(
    domain: str, parts: list[tuple[str, str]], form: Literal["NFC", "NFD"]
) -> None:
    rs = RuleSet.for_domain(domain)
    text = unicodedata.normalize(form, "".join(frag + sep for frag, sep in parts))
    ents = rs.analyze(text, ref_time=REF)
    for e in ents:
        assert text[e.start : e.end] == e.text and e.text.strip() == e.text
    other = unicodedata.normalize("NFD", text) if form == "NFC" else unicodedata.normalize("NFC", text)
    assert _summary(rs.analyze(other, ref_time=REF)) == _summary(ents)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("mua 2 đôi giày size 39", [("QUANTITY", "2 đôi"), ("SIZE", "39")]),
        ("sz: XL nhé", [("SIZE", "XL")]),
        ("cỡ 2XL, size 38.5", [("SIZE", "2XL"), ("SIZE", "38.5")]),
        ("size gì vừa ạ", []),  # a question, no size
        ("size lớn hơn", []),
        ("vong 1 88, vòng eo: 64", [("BODY_MEASUREMENT", "88"), ("BODY_MEASUREMENT", "64")]),
        ("vòng 1 86,5cm", [("BODY_MEASUREMENT", "86,5cm")]),
        # chat drops "vòng": the body part alone is the cue
        ("eo 68 mông 92 mặc size gì", [("BODY_MEASUREMENT", "68"), ("BODY_MEASUREMENT", "92")]),
        ("ngực: 86, eo 70 thì sao", [("BODY_MEASUREMENT", "86"), ("BODY_MEASUREMENT", "70")]),
        ("mong 90 shop tu van", []),  # "mong" without diacritics is "hope": only "vòng mong" counts
        ("hông 100 đâu shop", []),  # chat's "không"
        ("eo 70% cotton", [("DISCOUNT", "70%")]),
        ("mông 25 tuổi", [("AGE", "25")]),
        ("eo 12 cái", [("QUANTITY", "12 cái")]),  # no circumference is 12
        # the three sizes in their fixed order, each its own label
        (
            "số đo 3 vòng 86-64-90",
            [("CHEST_CIRCUMFERENCE", "86"), ("WAIST_CIRCUMFERENCE", "64"), ("HIP_CIRCUMFERENCE", "90")],
        ),
        (
            "so do 3 vong 84 62 88 nha",
            [("CHEST_CIRCUMFERENCE", "84"), ("WAIST_CIRCUMFERENCE", "62"), ("HIP_CIRCUMFERENCE", "88")],
        ),
        (
            "3 vòng: 88/66/92",
            [("CHEST_CIRCUMFERENCE", "88"), ("WAIST_CIRCUMFERENCE", "66"), ("HIP_CIRCUMFERENCE", "92")],
        ),
        (
            "cao 1m6, số đo 86-64-90, eo 68",
            [
                ("BODY_MEASUREMENT", "1m6"),
                ("CHEST_CIRCUMFERENCE", "86"),
                ("WAIST_CIRCUMFERENCE", "64"),
                ("HIP_CIRCUMFERENCE", "90"),
                ("BODY_MEASUREMENT", "68"),
            ],
        ),
        ("số đo 86-64-90.5", []),  # not three whole circumferences
        ("số đo 86-64", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_gam_sizes_and_body_numbers(
    text: str, want: list[tuple[str, str]], form: Literal["NFC", "NFD"]
) -> None:
    got = RuleSet.for_domain("gam").analyze(unicodedata.normalize(form, text), ref_time=REF)
    assert [(e.label, unicodedata.normalize("NFC", e.text)) for e in got] == want


def test_from_schema_builds_recognizers_when_the_schema_has_none() -> None:
    # A schema made by hand (no instances built while validating) still gives a RuleSet, not a recognizer.
    import dataclasses

    from vner.rules.schema import load_schema

    schema = dataclasses.replace(load_schema("customer_service"), instances=())
    rs = RuleSet.from_schema(schema)
    assert isinstance(rs, RuleSet)
    ents = rs.analyze("gọi 0912345678 nhé")
    assert [(e.label, e.text) for e in ents] == [("PHONE_NUMBER", "0912345678")]


def test_rules_only_hints_are_left_out_beside_a_model() -> None:
    """covid19 marks its LOCATION, hospital and organisation hints ``with_model: false``: a rules-only run reads
    them, the rule set that runs beside a model does not (and has a version of its own)."""
    text = "Bệnh nhân 91 điều trị tại Bệnh viện Bệnh nhiệt đới Trung ương ở Hà Nội từ ngày 15/3"
    alone = RuleSet.for_domain("covid19")
    beside = RuleSet.for_domain("covid19", with_model=True)
    got_alone = {(e.label, e.text) for e in alone.analyze(text, ref_time=REF)}
    got_beside = {(e.label, e.text) for e in beside.analyze(text, ref_time=REF)}
    assert ("LOCATION", "Hà Nội") in got_alone
    assert {lab for lab, _ in got_beside} == {"PATIENT_ID", "DATE"}
    assert ("DATE", "15/3") in got_beside and ("PATIENT_ID", "91") in got_beside
    ids_beside = [row["id"] for row in beside.describe()]
    assert "location" not in ids_beside and "hospital" not in ids_beside and "organization" not in ids_beside
    assert [row["id"] for row in alone.describe() if not row["with_model"]] == [
        "location",
        "hospital",
        "organization",
    ]
    assert beside.version != alone.version
    # a domain without such hints runs the same recognizers either way
    assert RuleSet.for_domain("customer_service", with_model=True).version == CS.version
