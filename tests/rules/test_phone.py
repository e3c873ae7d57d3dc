"""PHONE: real carrier prefixes and area codes, +84 forms, separators, and look-alikes that must not match."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import Recognizer, RuleContext
from vner.rules.recognizers.phone import RECOGNIZERS, PhoneRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
REC = PhoneRecognizer()


def tag(text: str, rec: Any = REC) -> list[tuple[str, Any]]:
    """Normalise, analyze, and map each entity back to the caller's string."""
    norm = normalize(text)
    out = []
    for e in rec.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


VALID = [
    ("Gọi 0912345678 nhé", "0912345678", "+84912345678"),
    ("sđt 0386123456", "0386123456", "+84386123456"),  # Viettel 038
    ("số 0523456789", "0523456789", "+84523456789"),  # Vietnamobile 052
    ("số 0559876543", "0559876543", "+84559876543"),  # Reddi 055
    ("zalo 0598765432", "0598765432", "+84598765432"),  # Gmobile 059
    ("0708123456 là MobiFone", "0708123456", "+84708123456"),
    ("0877123456", "0877123456", "+84877123456"),  # Itelecom 087
    ("gọi 0899 123 456", "0899 123 456", "+84899123456"),
    ("hotline 024 3825 1234", "024 3825 1234", "+842438251234"),
    ("ĐT: 028.3822.1234", "028.3822.1234", "+842838221234"),
    ("Đà Nẵng 0236 3821 123", "0236 3821 123", "+842363821123"),
    ("(0236) 382 1123", "(0236) 382 1123", "+842363821123"),
    ("Tel.0912345678", "0912345678", "+84912345678"),  # glued to a cue word, not to a code
    ("SĐT-0912345678", "0912345678", "+84912345678"),
    ("Anh Nam (0913 634 051)", "0913 634 051", "+84913634051"),  # the "(" is not part of the number
    ("Số 953331232 là mã khách hàng, ok 0906 823 601", "0906 823 601", "+84906823601"),
    ("(024) 3825 1234", "(024) 3825 1234", "+842438251234"),
]
WITH_SEPARATORS = [
    ("sđt: 0912 345 678.", "0912 345 678", "+84912345678"),
    ("0912.345.678", "0912.345.678", "+84912345678"),
    ("0912-345-678", "0912-345-678", "+84912345678"),
    ("091 234 5678", "091 234 5678", "+84912345678"),
    ("+84 912 345 678", "+84 912 345 678", "+84912345678"),
    ("+84912345678", "+84912345678", "+84912345678"),
    ("(+84) 98 765 4321", "(+84) 98 765 4321", "+84987654321"),
    ("0084 912 345 678", "0084 912 345 678", "+84912345678"),
    ("84912345678", "84912345678", "+84912345678"),
    ("84 912 345 678", "84 912 345 678", "+84912345678"),
    ("+84 0912345678", "+84 0912345678", "+84912345678"),
    ("+84 24 3825 1234", "+84 24 3825 1234", "+842438251234"),
]
INVALID = [
    "0123 456 7890",  # retired 11-digit 012x Vinaphone
    "01692345678",  # retired 0169 Viettel
    "01881234567",  # retired 0188 Vietnamobile
    "0951234567",  # 095: S-Fone, retired
    "0801234567",  # 080: not a mobile prefix
    "0301234567",  # 030: not a mobile prefix
    "0201 234 5678",  # 0201: no such area code
    "0217 123 4567",  # 0217: no such area code
    "abc0912345678",  # glued to letters
    "0912345678abc",
    "0912345678đ",  # a price, not a phone
    "10912345678",  # part of a longer digit run
    "09123456789",
    "0912345678-9",
    "mã 1.0912345678",
    "0912.345.6789",  # 11 digits with a mobile prefix
    "091234567",  # too short
    "+1 912 345 6789",  # not Vietnam
    "email 0912345678@gmail.com",  # the local part of an e-mail
    "https://zalo.me/0912345678",  # part of a URL path
    "đơn VTP-DN-0363387500 hẹn giao lại",  # the random segment of an order code
    "GHTK.HN.0978469501",
    "mã thẻ 0912 345 678 901",  # one longer grouped number
    "mã giao dịch 0912345678",  # a code, not a phone
    "OTP 0912345678",
    "SKU 0912345678",
    "sđt 0567647996k, mã số thuế 0791626125",  # the phone cue belongs to the first number only
]


@pytest.mark.parametrize(("text", "surface", "value"), VALID + WITH_SEPARATORS)
def test_valid_numbers(text: str, surface: str, value: str) -> None:
    assert tag(text) == [(surface, value)]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes_are_rejected(text: str) -> None:
    assert tag(text) == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("sđt 0912 345 678 500k nhé", "0912 345 678"),  # an amount right after the number
        ("0912 345 678 2 cái", "0912 345 678"),
        ("thứ 2 0912 345 678 gọi em", "0912 345 678"),
        ("sdt 0912.345.678 15h goi", "0912.345.678"),
        ("sdt 09 12 34 56 78 nha", "09 12 34 56 78"),  # read out in pairs
        ("zalo 09.12.34.56.78", "09.12.34.56.78"),
    ],
)
def test_a_number_next_to_another_kind_of_number_is_still_a_phone(text: str, surface: str) -> None:
    assert tag(text) == [(surface, "+84912345678")]


def test_lists_of_numbers_give_one_entity_each() -> None:
    text = "0912345678, 0987654321 hoặc 0912345678 0387654321;0708123456/0523456789"
    assert [v for _, v in tag(text)] == [
        "+84912345678",
        "+84987654321",
        "+84912345678",
        "+84387654321",
        "+84708123456",
        "+84523456789",
    ]


def test_context_raises_score_and_is_explained() -> None:
    with_cue = REC.analyze("Số điện thoại 0912345678", CTX)[0]
    without = REC.analyze("anh ấy 0912345678", CTX)[0]
    assert with_cue.score > without.score
    assert "so dien thoai" in with_cue.explanation and "vn_phone.v1" in with_cue.explanation
    assert with_cue.source == "rule:phone.v1"
    assert with_cue.label == "PHONE"


def test_tax_and_account_cues_win_over_phone() -> None:
    assert tag("MST: 0312345678") == []  # 031 is no mobile prefix anyway
    # a number that is both a valid mobile and a valid MST is a tax code after "mst"
    # 3*29+5*23+6*19+7*17+8*13+9*7+1*5 = 607 = 55*11 + 2, check digit 10 - 2 = 8 (worked by hand)
    both = "0356789108"
    assert tag(f"MST {both}") == []
    assert tag(f"sđt {both}") == [(both, "+84" + both[1:])]
    wrong = "0356789109"  # fails the MST check but is a valid mobile number
    assert tag(f"MST: {wrong}") == []  # a wrong tax code is still no phone
    # the cue belongs to the number right after it only
    assert tag("MST: 0101248141, 0883 117 512 là số của anh Nam") == [("0883 117 512", "+84883117512")]
    assert tag("stk 0912345678") == []
    assert tag("stk 0912345678, sđt 0912345678") == [("0912345678", "+84912345678")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hotline 1900 545 413", [("1900 545 413", "1900545413")]),
        ("Tổng đài: 1800 1091", [("1800 1091", "18001091")]),
        ("gọi 1900.6017 nhé", [("1900.6017", "19006017")]),
        ("mã 1900545413", []),  # no phone cue
        ("năm 1900 có 365 ngày", []),
        ("hotline 1900 545 413 22", []),  # a longer grouped number
    ],
)
def test_service_numbers_need_a_phone_cue(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text) == expected


def test_mobile_only_config_drops_landlines() -> None:
    rec = PhoneRecognizer(config={"mobile_only": True})
    assert tag("024 3825 1234 hoặc 0912345678", rec) == [("0912345678", "+84912345678")]


@pytest.mark.parametrize("bad", [{"contxt": ["x"]}, {"score": 2}, {"context": []}, {"mobile_only": "yes"}])
def test_bad_config_is_an_error_naming_the_key(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as err:
        PhoneRecognizer(config=bad)
    assert next(iter(bad)) in str(err.value)


def test_nfd_text_maps_back_to_original_offsets() -> None:
    nfc = "Số điện thoại của tôi là 0912 345 678 ạ"
    nfd = unicodedata.normalize("NFD", nfc)
    assert tag(nfd) == [("0912 345 678", "+84912345678")]
    assert tag(nfc) == tag(nfd)
    norm = normalize(nfd)
    (e,) = REC.analyze(norm.text, CTX)
    # NFD "Số điện thoại của tôi là ": 25 characters, ố and ệ take 3 code points, ạ ủ ô à take 2: 25 + 8 = 33
    assert norm.to_original(e.start, e.end) == (33, 45)


def test_keycap_emoji_digits_are_a_phone_with_their_marks() -> None:
    text = "sdt e " + "".join(f"{d}\ufe0f\u20e3" for d in "0988") + "123456 nha"
    assert tag(text) == [(text[6:-4], "+84988123456")]  # the keycap marks of "8" included
    assert text[6:-4].endswith("8\ufe0f\u20e3123456")


def test_protocol_and_registry() -> None:
    assert RECOGNIZERS["phone"] is PhoneRecognizer
    assert isinstance(REC, Recognizer)


@settings(max_examples=200)
@given(st.text(alphabet="0123456789 .-+()abcđ\u0301", max_size=40))
def test_entity_values_are_e164(text: str) -> None:
    norm = normalize(text)
    for e in REC.analyze(norm.text, CTX):
        assert e.value.startswith("+84") and e.value[1:].isdigit()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gọi 0912345678 hoặc 024 3825 1234 nhé",
            [(4, 14, "0912345678", "PHONE"), (20, 33, "024 3825 1234", "PHONE")],
        ),
        ("sđt: +84 912 345 678", [(5, 20, "+84 912 345 678", "PHONE")]),
        ("hotline 1900 1234", [(8, 17, "1900 1234", "PHONE")]),
    ],
)
def test_offsets_are_the_expected_ones(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    found = [(e.start, e.end, e.text, e.label) for e in REC.analyze(text, CTX)]
    assert found and len(found) == len(expected)
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mobile typed one digit at a time, right after a phone cue
        ("SĐT: 0 9 1 2 3 4 5 6 7 8", [("0 9 1 2 3 4 5 6 7 8", "+84912345678")]),
        ("sdt e 0 9 8 7 6 5 4 3 2 1 nha", [("0 9 8 7 6 5 4 3 2 1", "+84987654321")]),
        ("zalo: 0 3 5 1 2 3 4 5 6 7", [("0 3 5 1 2 3 4 5 6 7", "+84351234567")]),
        # look-alikes: no cue, digits of a list, eleven digits, an unknown prefix
        ("day so 0 9 1 2 3 4 5 6 7 8 nhe", []),
        ("sđt 0 1 2 3 4 5 6 7 8 9", []),
        ("zalo 0 9 1 2 3 4 5 6 7 8 9", []),
        ("sđt 0 6 1 2 3 4 5 6 7 8", []),
    ],
)
def test_a_mobile_typed_digit_by_digit_after_a_cue(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.value) for e in REC.analyze(text, CTX)] == expected
