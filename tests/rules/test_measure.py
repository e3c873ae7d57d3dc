"""MEASUREMENT / PERCENT / QUANTITY recognizer: units, dimensions, ratios vs dates, counts."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import Recognizer, RuleContext
from vner.rules.recognizers.measure import RECOGNIZERS, MeasureRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25, 10, 0))
REC = MeasureRecognizer()


def found(text: str) -> list[tuple[str, str, Any]]:
    return [(e.label, e.text, e.value) for e in REC.analyze(text, CTX)]


def v(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


def d(value: float, unit: str, part: int, parts: int) -> dict[str, Any]:
    """The value of one part of a size product: which part it is, of how many."""
    return {"value": value, "unit": unit, "dimension": part, "dimensions": parts}


MEASUREMENTS = [
    ("cao 1.2 m", [("1.2 m", v(1.2, "m"))]),
    ("dài 2,16 m", [("2,16 m", v(2.16, "m"))]),
    # a dimension "a x b unit" with thousands grouped: both sides take the unit (it crashed: no unit read)
    ("tấm ván 1.200 x 2.400 mm", [("1.200", d(1200.0, "mm", 1, 2)), ("2.400 mm", d(2400.0, "mm", 2, 2))]),
    ("nặng 60 kg", [("60 kg", v(60.0, "kg"))]),
    ("nặng 50kg", [("50kg", v(50.0, "kg"))]),
    ("vòng eo 68 cm", [("68 cm", v(68.0, "cm"))]),
    ("cao 1m65", [("1m65", v(1.65, "m"))]),
    # spoken and chat heights, "cân" for a kilogram
    ("chị 1 mét 58 nặng 47 cân", [("1 mét 58", v(1.58, "m")), ("47 cân", v(47.0, "kg"))]),
    ("cao 1m 6 nha", [("1m 6", v(1.6, "m"))]),
    ("em cao m52 nặng 45kg", [("m52", v(1.52, "m")), ("45kg", v(45.0, "kg"))]),
    ("cao tầm m65", [("m65", v(1.65, "m"))]),
    ("sốt 39 độ", [("39 độ", v(39.0, "°"))]),
    ("chai 500 ml", [("500 ml", v(500.0, "ml"))]),
    ("nhà 100 m2", [("100 m2", v(100.0, "m2"))]),
    ("kích thước 2,16 m * 1,2 m", [("2,16 m", d(2.16, "m", 1, 2)), ("1,2 m", d(1.2, "m", 2, 2))]),
    ("khung 60x90cm", [("60", d(60.0, "cm", 1, 2)), ("90cm", d(90.0, "cm", 2, 2))]),
    # three parts, each its own span; a height-shorthand part ("2m3" is 2.3 m here, not cubic metres)
    (
        "hộp 30x20x10cm",
        [("30", d(30.0, "cm", 1, 3)), ("20", d(20.0, "cm", 2, 3)), ("10cm", d(10.0, "cm", 3, 3))],
    ),
    ("thảm 1m6 x 2m3", [("1m6", d(1.6, "m", 1, 2)), ("2m3", d(2.3, "m", 2, 2))]),
    ("nệm 1m8x2m dày 20cm", [("1m8", d(1.8, "m", 1, 2)), ("2m", d(2.0, "m", 2, 2)), ("20cm", v(20.0, "cm"))]),
    # not a size: "2 x 500ml" is two bottles, "2m x 3" has no unit on its last part
    ("mua 2 x 500ml", [("500ml", v(500.0, "ml"))]),
    ("bồn 2m3 nước", [("2m3", v(2.0, "m3"))]),
    ("1.500 kg", [("1.500 kg", v(1500.0, "kg"))]),
]


@pytest.mark.parametrize(("text", "expected"), MEASUREMENTS)
def test_measurements(text: str, expected: list[tuple[str, Any]]) -> None:
    assert found(text) == [("MEASUREMENT", s, val) for s, val in expected]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("giảm 15%", "15%", 15.0), ("lãi 2,5 %", "2,5 %", 2.5), ("15 phần trăm", "15 phần trăm", 15.0)],
)
def test_percent(text: str, surface: str, value: float) -> None:
    assert found(text) == [("PERCENT", surface, v(value, "%"))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lấy 1/4 số tiền", [("1/4", v(0.25, "ratio"))]),
        ("tỷ lệ 3/4", [("3/4", v(0.75, "ratio"))]),
        ("1/20 mẫu", [("1/20", v(0.05, "ratio"))]),
        ("mua 3 cái và 2 hộp", [("3 cái", v(3.0, "cái")), ("2 hộp", v(2.0, "hộp"))]),
        ("con 5 con nua thoi", [("5 con", v(5.0, "con"))]),  # "còn 5 con nữa": five more
        ("co 3 cai ao", [("3 cai", v(3.0, "cai"))]),  # "có 3 cái" typed plain: no size word before it
        ("cỡ 3 cái thôi", [("3 cái", v(3.0, "cái"))]),  # "cỡ" = about
        ("lấy 10 chai", [("10 chai", v(10.0, "chai"))]),
        ("mua 4 cai ao", [("4 cai", v(4.0, "cai"))]),
    ],
)
def test_quantities(text: str, expected: list[tuple[str, Any]]) -> None:
    assert found(text) == [("QUANTITY", s, val) for s, val in expected]


@pytest.mark.parametrize(
    "text",
    [
        "3/4/2024",  # a date
        "ngày 1/4",  # a date by its cue
        "hạn 15/3",
        "15/3",  # numerator >= denominator, valid day/month: left to the temporal recognizer
        "5 màu",  # "m" glued to a letter is no unit
        "3 mẫu",
        "0912345678",
        "mã 12/0",
        "phiên bản 1.2.3m",
        "2",  # a bare number
        "51G 678.90",  # a plate; grams are written "g"
        "size 2M",
        "ngõ 12/3 Kim Mã",  # house numbers
        "kiệt 5/12",
        "1/2 Lê Lợi",
        "e o 123/45 nguyen trai",  # an alley number: an improper fraction is no ratio
        "ở 12/34 lê lợi",  # after "ở" (at)
        "cao m5",  # "mNN" needs two digits
        "size m52",  # a size, not after "cao"
        "hôm nay 7/12 rồi",  # a day/month after a day word, a delivery verb or before a chat particle
        "giao 7/12 được không",
        "7/12 nha shop",
        "1/12 nhé",
        "hàng 7/12 về nha shop",  # "về"/"rồi"/"mới"/"mà" after it, or an order verb before it (issue 24, chat)
        "đơn 7/12 r mà chưa thấy",
        "em đặt 3/12 mà chưa nhận",
        "hẹn 5/12 giao",
        "size 39 con ko shop",  # "còn không" typed plain: is size 39 still there
        "ao do 38 con hong shop",
        "size 40 còn hàng không",  # a size before its classifier-like word
    ],
)
def test_look_alikes(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["đã làm được 1/3 rồi", "còn 2/5 về sau", "xong 1/4 rồi", "1/2 số tiền"])
def test_a_part_of_a_whole_before_a_particle_stays_a_ratio(text: str) -> None:
    (ent,) = found(text)
    assert ent[0] == "QUANTITY"


def test_ratio_that_could_be_a_date_scores_lower() -> None:
    (proper,) = REC.analyze("1/4", CTX)
    (plain,) = REC.analyze("1/20", CTX)
    assert proper.score < plain.score and "day/month" in proper.explanation


def test_nfd_input_maps_back() -> None:
    original = unicodedata.normalize("NFD", "Vòng eo 68 cm, nặng 60 ký, giảm 15 phần trăm")
    norm = normalize(original)
    ents = REC.analyze(norm.text, CTX)
    assert [(e.label, e.value) for e in ents] == [
        ("MEASUREMENT", v(68.0, "cm")),
        ("MEASUREMENT", v(60.0, "kg")),
        ("PERCENT", v(15.0, "%")),
    ]
    # NFD offsets, counted by hand: ò, ý, ả, ă take 2 code points, ặ and ầ take 3
    spans = [norm.to_original(e.start, e.end) for e in ents]
    assert spans == [(9, 14), (23, 29), (37, 52)]
    assert [unicodedata.normalize("NFC", original[s:t]) for s, t in spans] == [
        "68 cm",
        "60 ký",
        "15 phần trăm",
    ]


def test_config() -> None:
    assert RECOGNIZERS == {"measure": MeasureRecognizer}
    assert isinstance(REC, Recognizer)
    rec = MeasureRecognizer(config={"extra_classifiers": ["thỏi"], "ratios": False})
    assert [e.text for e in rec.analyze("2 thỏi son, 1/4", CTX)] == ["2 thỏi"]
    with pytest.raises(ValueError, match="unknown config key"):
        MeasureRecognizer(config={"units": []})
    with pytest.raises(ValueError, match="extra_classifiers"):
        MeasureRecognizer(config={"extra_classifiers": []})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,/x% mkgcáiđộ phần trăm", max_size=40))
def test_values_are_floats(text: str) -> None:
    for e in REC.analyze(text, CTX):
        assert isinstance(e.value["value"], float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vòng eo 68 cm, nặng 60 ký, giảm 15 phần trăm",
            [
                (8, 13, "68 cm", "MEASUREMENT"),
                (20, 25, "60 ký", "MEASUREMENT"),
                (32, 44, "15 phần trăm", "PERCENT"),
            ],
        ),
        ("mua 2 cái áo", [(4, 9, "2 cái", "QUANTITY")]),
        ("tỉ lệ 1/4", [(6, 9, "1/4", "QUANTITY")]),
    ],
)
def test_offsets_are_the_expected_ones(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    found = [(e.start, e.end, e.text, e.label) for e in REC.analyze(text, CTX)]
    assert found and len(found) == len(expected)
    assert found == expected
