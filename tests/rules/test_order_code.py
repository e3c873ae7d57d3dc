"""ORDER_CODE: the paper's random-segment rule by default, shop-specific structures from config, bad config."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.order_code import RECOGNIZERS, OrderCodeRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
REC = OrderCodeRecognizer()


def tag(text: str, rec: OrderCodeRecognizer = REC) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in rec.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


VALID = [
    "S22878095.SGP27-K20.1059829856",  # 10-digit random segment starting with 1
    "S22878095.SG01.0123456789",  # 10 digits starting with 0
    "S22878095.SG01.123456789",  # 9 digits not starting with 0
    "GHN-HN12-987654321",
    "SHOP1.HN.B12.C3.123456789",  # routing of three parts
]
INVALID = [
    "S22878095.SG01.023456789",  # 9-digit segment starting with 0
    "S22878095.SG01.2234567890",  # 10-digit segment starting with 2
    "S22878095.SG01.12345678",  # 8 digits
    "S22878095.SG01.12345678901",  # 11 digits
    "S22878095.123456789",  # no routing segment
    "22878095.SG01.123456789",  # shop code must start with a letter
    "s22878095.sg01.123456789",  # lower case (case-sensitive by default)
    "S22878095.SG01.123456789x",  # glued to a letter
    "xyz.S22878095.SG01.123456789.5",  # part of a longer dotted run
]


@pytest.mark.parametrize("code", VALID)
def test_default_rule_accepts(code: str) -> None:
    assert tag(f"Mã đơn {code} nhé") == [(code, code)]


@pytest.mark.parametrize("code", INVALID)
def test_default_rule_rejects(code: str) -> None:
    assert tag(f"Mã đơn {code} nhé") == []


def test_context_score_and_explanation() -> None:
    with_cue = REC.analyze("mã vận đơn S22878095.SG01.123456789", CTX)[0]
    bare = REC.analyze("S22878095.SG01.123456789", CTX)[0]
    assert with_cue.score > bare.score
    assert "order_code.v1 passed" in with_cue.explanation and "ma van don" in with_cue.explanation
    assert with_cue.source == "rule:order_code.v1" and with_cue.label == "ORDER_CODE"


def test_nfd_context() -> None:
    text = unicodedata.normalize("NFD", "Đơn hàng S22878095.SG01.123456789 đã giao")
    assert tag(text) == [("S22878095.SG01.123456789", "S22878095.SG01.123456789")]


SHOP_YAML = """
separators: "-"
ignore_case: true
require_context: true
context: [mã đơn]
segments:
  - {name: shop, alphabet: "A-Z", min_len: 3, max_len: 3}
  - {name: route, alphabet: "0-9", min_len: 2, max_len: 2}
  - {name: rnd, alphabet: "0-9", min_len: 9, max_len: 10, first_by_length: {9: "1-9", 10: "01"}}
"""


def test_structure_from_domain_yaml() -> None:
    rec = OrderCodeRecognizer(config=yaml.safe_load(SHOP_YAML))
    assert tag("mã đơn abc-12-123456789", rec) == [("abc-12-123456789", "ABC-12-123456789")]
    assert tag("mã đơn ABC-12-0123456789", rec) == [("ABC-12-0123456789", "ABC-12-0123456789")]
    assert tag("mã đơn ABC-12-023456789", rec) == []  # the paper's rule, declared as data
    assert tag("mã đơn ABC.12.123456789", rec) == []  # wrong separator
    assert tag("ABC-12-123456789", rec) == []  # context required


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"segmentz": []}, "segmentz"),
        ({"segments": []}, "segments"),
        ({"separators": "a"}, "separators"),
        ({"segments": [{"name": "a", "alphabet": "z-a", "min_len": 1, "max_len": 2}]}, "alphabet"),
        ({"segments": [{"name": "a", "alphabet": "0-9", "min_len": 3, "max_len": 2}]}, "min_len"),
        ({"segments": [{"name": "a", "alphabet": "0-9", "max_len": 2}]}, "min_len"),
        ({"segments": [{"name": "a", "alphabet": "0-9", "min_len": 1, "max_len": 2, "colour": 1}]}, "colour"),
        (
            {"segments": [{"name": "a", "alphabet": "0-9", "min_len": 1, "max_len": 2, "validator": "x.v1"}]},
            "validator",
        ),
        (
            {"segments": [{"name": "a", "alphabet": "0-9", "min_len": 1, "max_len": 2, "repeat": [2, 1]}]},
            "repeat",
        ),
        (
            {
                "segments": [
                    {"name": "a", "alphabet": "0-9", "min_len": 1, "max_len": 2},
                    {"name": "a", "alphabet": "0-9", "min_len": 1, "max_len": 2},
                ]
            },
            "name",
        ),
        ({"score": 7}, "score"),
    ],
)
def test_invalid_config_names_the_key(config: dict[str, Any], key: str) -> None:
    with pytest.raises(ValueError) as err:
        OrderCodeRecognizer(config=config)
    assert key in str(err.value)


def test_registry() -> None:
    assert RECOGNIZERS == {"order_code": OrderCodeRecognizer}


@settings(max_examples=300)
@given(st.text(alphabet="0123456789", min_size=9, max_size=10))
def test_paper_rule_property(random_segment: str) -> None:
    found = tag(f"S1234.HN01.{random_segment}")
    ok = random_segment[0] != "0" if len(random_segment) == 9 else random_segment[0] in "01"
    assert bool(found) is ok


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bưu điện báo mã vận đơn AA473124829GB nhé", [("AA473124829GB", "AA473124829GB")]),
        ("ma van don ee000000080vn cua e toi chua", [("ee000000080vn", "EE000000080VN")]),
        ("đơn SPXVN0123456789 và EE000000005VN", [("SPXVN0123456789", "SPXVN0123456789"), ("EE000000005VN", "EE000000005VN")]),
        ("mã AA473124828GB", []),  # check digit wrong
        ("mã XAA473124829GB", []),  # inside a longer token
        ("mã AA473124829GB-2", []),
    ],
)  # fmt: skip
def test_upu_s10_postal_tracking_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert tag(text) == found


def test_s10_can_be_switched_off() -> None:
    assert tag("mã vận đơn AA473124829GB", OrderCodeRecognizer(config={"s10": False})) == []
    with pytest.raises(ValueError, match="s10"):
        OrderCodeRecognizer(config={"s10": "yes"})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mã đơn LEX84178106871 chưa giao", [("LEX84178106871", "LEX84178106871")]),
        ("mã vận đơn SPXVN063287415983 nhé", [("SPXVN063287415983", "SPXVN063287415983")]),  # 12 digits
        ("mã đơn: 240512ABC3K9QD", [("240512ABC3K9QD", "240512ABC3K9QD")]),  # a marketplace order number
        ("mã đơn hàng là 240512ABC3K9QD nhé", [("240512ABC3K9QD", "240512ABC3K9QD")]),
        ("đơn hàng số 2405127XYZ98 ạ", [("2405127XYZ98", "2405127XYZ98")]),
        ("đơn GY6K8M2P giao chưa", [("GY6K8M2P", "GY6K8M2P")]),  # 8 characters, 3 digits
        ("mvđ 851234567890", [("851234567890", "851234567890")]),  # all digits: 9 or more
        ("ma don abc35833960779 cua em", [("abc35833960779", "ABC35833960779")]),  # typed in lower case
        ("MÃ ĐƠN #A1234567", [("A1234567", "A1234567")]),
        ("don cua e ma DH12345678 sao chua giao", [("DH12345678", "DH12345678")]),  # "của em", then "mã"
        ("đơn hàng của mình là 240512ABC3K9QD", [("240512ABC3K9QD", "240512ABC3K9QD")]),
        # a delivery company's name (the carriers gazetteer) between the cue and the code
        ("mã vận đơn GHN: GHNABC123456", [("GHNABC123456", "GHNABC123456")]),
        ("mvd J&T 812345678901 chua toi", [("812345678901", "812345678901")]),
        ("mã vđ GHN: GA2KX9LP bị trễ", [("GA2KX9LP", "GA2KX9LP")]),  # upper case, 8 characters, 2 digits
        ("tracking: LEX12345678VN", [("LEX12345678VN", "LEX12345678VN")]),
        ("mã theo dõi SPXVN04123456789 ạ", [("SPXVN04123456789", "SPXVN04123456789")]),
        ("mã bill 1Z999AA10123456784", [("1Z999AA10123456784", "1Z999AA10123456784")]),
        ("mã vận đơn viettel post là 1234567890123", [("1234567890123", "1234567890123")]),
        ("ma van don ben ghtk S22878095SG1 nhe", [("S22878095SG1", "S22878095SG1")]),
        (unicodedata.normalize("NFD", "mã đơn LEX84178106871"), [("LEX84178106871", "LEX84178106871")]),
        # a marketplace's name between the cue and the code
        ("đơn shopee 22120798MHY7QR", [("22120798MHY7QR", "22120798MHY7QR")]),
        ("mã đơn trên lazada: 123456789012345", [("123456789012345", "123456789012345")]),
        # a delivery company's name alone before a code with 8 digits or more (issue 24, chat)
        ("vtp 1234567890123", [("1234567890123", "1234567890123")]),
        ("j&t 812345678901 chưa tới", [("812345678901", "812345678901")]),
        ("ship ghn 12345678901 nha", [("12345678901", "12345678901")]),
        (unicodedata.normalize("NFD", "viettel post: 1234567890123"), [("1234567890123", "1234567890123")]),
        # segments joined by "-" or "_" after a cue: a letter and 6 digits or more
        ("đơn hàng #DH-2026-001234 giao ngày 12/12", [("DH-2026-001234", "DH-2026-001234")]),
        ("ma don dh-2026-001234 nhe", [("dh-2026-001234", "DH-2026-001234")]),
        ("mã đơn hàng: ORD_20261205_8812", [("ORD_20261205_8812", "ORD_20261205_8812")]),
        # all digits: 6 or more when "mã" or "#" names it a code; a pronoun may follow the cue
        ("mã đơn 12345678", [("12345678", "12345678")]),
        ("đơn #12345678 sao chưa giao", [("12345678", "12345678")]),
        ("đơn e #12345678 sao chưa thấy ạ", [("12345678", "12345678")]),
        ("don minh ma 123456 nhe", [("123456", "123456")]),
        ("đơn em mã DH12345678", [("DH12345678", "DH12345678")]),
        (unicodedata.normalize("NFD", "đơn của em #A12345"), [("A12345", "A12345")]),
    ],
)  # fmt: skip
def test_any_code_right_after_an_order_cue(text: str, found: list[tuple[str, str]]) -> None:
    assert tag(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "mã giảm giá SALE50OFF2024",  # not an order cue
        "đơn SIZE2XL nha",  # one digit
        "đơn IP15PM",  # two digits in 6 characters
        "mã đơn: Covid19abc",  # two digits, not all upper case
        "mã vđ GHN: GAXKXYLP",  # no digit
        "vđ GA2KX9LP",  # "vđ" alone is "vấn đề" as often as "vận đơn"
        "đơn giá 150000",  # a word between the cue and the number
        "đơn 2 cái size XL",
        "mã đơn 12345",  # all digits, 5 (6 after "mã"/"#", 9 after a bare "đơn")
        "đơn 12345678",
        "đơn EXP 12345678",  # a word between
        "đơn 0912345678 gọi giúp",  # a valid phone number: left to the phone recognizer
        "ad check giup e don 0985xxxxxx voi",  # a number masked by hand
        "đơn 0912xxx678 của em",
        "ma van don ee000000081vn",  # an S10 number with a wrong check digit
        "mã đơn SPXVN023456789",  # glued form whose 9-digit random segment starts with 0
        "mã đơn S22878095.SG01.023456789",  # dotted: the segment rule decides
        "đơn giá SKU12345678 là 200k",  # not right after the cue: "đơn giá" is the unit price
        "mã đơn ABC1234567890123456789012",  # longer than 24
        "mã vận đơn GHN giao chậm 3 ngày",  # a carrier name, then no code
        "mã vận đơn ABC: X12345678",  # not a carrier: the gap takes only the gazetteer's names
        "đơn hàng size L-XL nha",  # dashed, no digit
        "đơn COVID-19 test",  # dashed, two digits
        "đơn hàng iphone-15-pro-max",
        "mã đơn 123-456-789",  # dashed digits without a letter
        "mã đơn SP-2024",  # four digits
        "mã đơn SPX-VN-012345678",  # the segment form, and its 9-digit random segment starts with 0
        "ghtk 2 đơn",  # after a carrier's name: a count
        "ghtk 0912345678 gọi em",  # the shipper's phone
        "ghn 12345678",  # all digits, 8
        "GHN: GHNABC123456",  # fewer than 8 digits after a carrier's name alone
        "ghtk ABC-12345678",  # dashed after a carrier's name alone
    ],
)
def test_cued_look_alikes_are_not_order_codes(text: str) -> None:
    assert tag(text) == []


def test_cued_codes_can_be_switched_off_or_sized() -> None:
    assert tag("mã đơn LEX84178106871", OrderCodeRecognizer(config={"cued": False})) == []
    short = OrderCodeRecognizer(config={"cued": {"min_len": 4, "max_len": 8}})
    assert tag("mã đơn X1234", short) == [("X1234", "X1234")]
    assert tag("mã đơn LEX84178106871", short) == []
    for bad in ({"min_len": 2}, {"max_len": 99}, {"colour": 1}, "yes"):
        with pytest.raises(ValueError, match="cued"):
            OrderCodeRecognizer(config={"cued": bad})
