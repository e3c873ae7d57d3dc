"""BANK gazetteer (aliases, full names, acronyms, lists), BANK_CARD (Luhn/NAPAS) and BANK_ACCOUNT (cues)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.bank import (
    RECOGNIZERS,
    BankAccountRecognizer,
    BankCardRecognizer,
    BankRecognizer,
)
from vner.rules.ruleset import RuleSet
from vner.rules.validators import luhn_ok

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
BANK = BankRecognizer()
CARD = BankCardRecognizer()
ACCOUNT = BankAccountRecognizer()


def tag(text: str, rec: Any) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in rec.analyze(norm.text, CTX):
        assert norm.text[e.start : e.end] == e.text
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


def luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


BANK_CASES = [
    ("chuyển khoản qua Vietcombank nhé", [("Vietcombank", "Vietcombank")]),
    ("Ngân hàng Ngoại thương chi nhánh Hà Nội", [("Ngân hàng Ngoại thương", "Vietcombank")]),
    ("ngan hang ngoai thuong", [("ngan hang ngoai thuong", "Vietcombank")]),
    ("VCB hoặc vietcombank", [("VCB", "Vietcombank"), ("vietcombank", "Vietcombank")]),
    ("Ngân hàng TMCP Sài Gòn Thương Tín", [("Ngân hàng TMCP Sài Gòn Thương Tín", "Sacombank")]),
    ("Ngân hàng TMCP Sài Gòn", [("Ngân hàng TMCP Sài Gòn", "SCB")]),
    ("MB Bank và MB", [("MB Bank", "MB"), ("MB", "MB")]),
    ("LienVietPostBank nay là LPBank", [("LienVietPostBank", "LPBank"), ("LPBank", "LPBank")]),
    (
        "Agribank, VietinBank, BIDV",
        [("Agribank", "Agribank"), ("VietinBank", "VietinBank"), ("BIDV", "BIDV")],
    ),
    ("qua BIDV hoặc Techcombank.", [("BIDV", "BIDV"), ("Techcombank", "Techcombank")]),
    ("Ngân hàng:Vietcombank", [("Vietcombank", "Vietcombank")]),
    ("stk 079701687731 MB", [("MB", "MB")]),  # after an account number, not a size
    ("ck qua vcb nha", [("vcb", "Vietcombank")]),  # a lower-case acronym next to a banking word
    # chat short forms, next to a banking word
    ("ck qua techcom nhe", [("techcom", "Techcombank")]),
    ("chuyen khoan vietin giup e", [("vietin", "VietinBank")]),
    ("em ck sacom roi", [("sacom", "Sacombank")]),
    ("stk 1234567890 agri", [("agri", "Agribank")]),
    ("tk Vietcom của em", [("Vietcom", "Vietcombank")]),
]
BANK_NEGATIVES = [
    "file 500 MB",  # a size, not the bank
    "mb ơi",  # lower-case acronym
    "vcb ơi",  # lower-case acronym without a banking word
    "Vietcombankk",  # glued letters
    "xVCB",
    "ngân hàng nào cũng được",
    "ACBD",
    "https://www.vietcombank.com.vn/vi",  # part of a URL
    "hotro@techcombank.com.vn",  # part of an e-mail
    "vietcombank.com",
    "anh ấy làm ở techcom",  # a chat short form without a banking word
    "sản phẩm agri xuất khẩu",
    "exim ơi",
]


@pytest.mark.parametrize(("text", "expected"), BANK_CASES)
def test_bank_gazetteer(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, BANK) == expected


@pytest.mark.parametrize("text", BANK_NEGATIVES)
def test_bank_negatives(text: str) -> None:
    assert tag(text, BANK) == []


def test_bank_nfd_and_diacritic_option() -> None:
    nfd = unicodedata.normalize("NFD", "Tôi dùng Ngân hàng Nông nghiệp và Phát triển Nông thôn")
    assert [v for _, v in tag(nfd, BANK)] == ["Agribank"]
    strict = BankRecognizer(config={"diacritic_insensitive": False})
    assert tag("ngan hang ngoai thuong", strict) == []
    assert tag("Ngân hàng Ngoại thương", strict) == [("Ngân hàng Ngoại thương", "Vietcombank")]


def test_bank_entity_fields() -> None:
    e = BANK.analyze("qua VCB", CTX)[0]
    assert (e.label, e.source, e.value) == ("BANK", "rule:bank.v1", "Vietcombank")
    assert "acronym" in e.explanation


NAPAS = luhn_complete("970436123456789")
CARD_CASES = [
    ("thẻ 4111 1111 1111 1111", [("4111 1111 1111 1111", "4111111111111111")]),
    ("visa 4111-1111-1111-1111", [("4111-1111-1111-1111", "4111111111111111")]),
    ("5555555555554444", [("5555555555554444", "5555555555554444")]),
    ("amex 3782 822463 10005", [("3782 822463 10005", "378282246310005")]),
    (f"số thẻ ATM {NAPAS}", [(NAPAS, NAPAS)]),
    (
        f"{NAPAS[:4]} {NAPAS[4:8]} {NAPAS[8:12]} {NAPAS[12:]}",
        [(f"{NAPAS[:4]} {NAPAS[4:8]} {NAPAS[8:12]} {NAPAS[12:]}", NAPAS)],
    ),
]
CARD_NEGATIVES = [
    "4111 1111 1111 1112",  # Luhn failure
    "1234 5678 9012 3456",  # no scheme
    "x4111111111111111",
    "41111111111111111",  # 17 digits
    NAPAS[:-1] + str((int(NAPAS[-1]) + 1) % 10),  # NAPAS without Luhn and without a card cue
    "mã thẻ cào 4111 1111 1111 1111",  # a top-up code that happens to pass Luhn
    "4111 1111 1111 1111 2222",  # a longer grouped number
]


@pytest.mark.parametrize(("text", "expected"), CARD_CASES)
def test_card(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, CARD) == expected


@pytest.mark.parametrize("text", CARD_NEGATIVES)
def test_card_negatives(text: str) -> None:
    assert tag(text, CARD) == []


def test_napas_without_luhn_needs_a_card_cue() -> None:
    bad = NAPAS[:-1] + str((int(NAPAS[-1]) + 1) % 10)
    found = CARD.analyze(f"số thẻ {bad}", CTX)
    assert [e.value for e in found] == [bad] and found[0].score < 1.0


ACCOUNT_CASES = [
    ("stk 0011004567890 VCB", [("0011004567890", "0011004567890")]),
    ("Số tài khoản: 1903 6789 0123 45", [("1903 6789 0123 45", "19036789012345")]),
    ("STK: 12345678 ACB", [("12345678", "12345678")]),
    ("chuyển vào Vietcombank 0011004567890 giúp em", [("0011004567890", "0011004567890")]),
    ("tk 123456789 chủ tk Nguyễn Văn A", [("123456789", "123456789")]),
    ("stk 0011004567890, sđt 0912345678", [("0011004567890", "0011004567890")]),  # the cue is the first's
]
ACCOUNT_NEGATIVES = [
    "mã 0011004567890",  # no cue, no bank
    "tài khoản có 500.000 đồng",  # money
    "tài khoản còn 2500000đ",
    "tài khoản 12345",  # too short
    "stk 4111 1111 1111 1111",  # a card
    "stk x0011004567890",
    "Hotline: 1900545413 Vietcombank",  # a service line next to a bank name
    "gọi 0912345678 bên VCB",
    "chuyển khoản qua BIDV cho đơn JNT.HCM.568535606",  # an order code's last segment
    "[TPBank] OTP giao dich: 654321. Het han sau 3 phut.",  # a one-time code in a bank's SMS
    "VCB: ma xac thuc 123456789",
    "Vietcombank: mã giao dịch 987654321",
]


@pytest.mark.parametrize(("text", "expected"), ACCOUNT_CASES)
def test_account(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, ACCOUNT) == expected


@pytest.mark.parametrize("text", ACCOUNT_NEGATIVES)
def test_account_negatives(text: str) -> None:
    assert tag(text, ACCOUNT) == []


def test_account_nfd() -> None:
    text = unicodedata.normalize("NFD", "Số tài khoản của tôi là 0011004567890 tại ngân hàng Á Châu")
    assert tag(text, ACCOUNT) == [("0011004567890", "0011004567890")]


@pytest.mark.parametrize(
    ("cls", "bad"),
    [
        (BankRecognizer, {"diacritics": True}),
        (BankCardRecognizer, {"score": "high"}),
        (BankAccountRecognizer, {"bank_window": 1000}),
    ],
)
def test_bad_config(cls: Any, bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as err:
        cls(config=bad)
    assert next(iter(bad)) in str(err.value)


def test_registry() -> None:
    assert set(RECOGNIZERS) == {"bank", "bank_card", "bank_account"}


@settings(max_examples=150)
@given(st.text(alphabet="0123456789 -VCBMBvcb stkngânhàng\u0300", max_size=60))
def test_offsets_property(text: str) -> None:
    norm = normalize(text)
    for rec in (BANK, CARD, ACCOUNT):
        for e in rec.analyze(norm.text, CTX):
            assert norm.text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    "text",
    [
        "bank: MB 0987654321 chủ tk Nguyễn Văn A",
        "ck qua MB 0987654321 nha",
        "Vietcombank 0912345678 Nguyen Van A",
        "VCB - 0912345678",
        unicodedata.normalize("NFD", "chuyển khoản Techcombank: 0912345678 nhé"),
    ],
)
def test_a_bank_name_right_before_a_phone_shaped_number_makes_it_an_account(text: str) -> None:
    (ent,) = [e for e in RuleSet.for_domain("customer_service").analyze(text) if e.label != "BANK_NAME"]
    assert ent.label == "BANK_ACCOUNT" and "bank name right before it" in ent.explanation


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("MB 0987654321 gọi e nhé", "PHONE_NUMBER"),  # a call cue after it: the phone's own context wins
        ("sdt 0987654321 bank MB", "PHONE_NUMBER"),  # the bank after it, a phone cue before
        ("ck qua MB rồi, sđt e 0987654321", "PHONE_NUMBER"),  # words between the bank and the number
    ],
)
def test_a_bank_name_not_right_before_the_number_leaves_the_phone(text: str, label: str) -> None:
    (ent,) = [e for e in RuleSet.for_domain("customer_service").analyze(text) if e.label != "BANK_NAME"]
    assert ent.label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a round amount after a transfer verb, no bank nearby: what was transferred (issue 24, chat)
        ("em ck 150000 rồi nha", "MONEY"),
        ("CK 150000 ROI NHA", "MONEY"),
        (unicodedata.normalize("NFD", "em chuyển khoản 200000 rồi"), "MONEY"),
        ("chuyen khoan 300000 r", "MONEY"),
        # an account cue, digits that are not a round amount, or a bank right before: the account
        ("stk 150000000", "BANK_ACCOUNT"),
        ("ck 12345678 r", "BANK_ACCOUNT"),
        ("ck vào 0123456789 nhé", "BANK_ACCOUNT"),
        ("ck qua 1903667788000 nhé", "BANK_ACCOUNT"),  # 13 digits: longer than any amount it could be
    ],
)
def test_a_round_amount_after_a_transfer_verb_is_money(text: str, label: str) -> None:
    (ent,) = RuleSet.for_domain("customer_service").analyze(text)
    assert ent.label == label


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    "text",
    [
        "mst cá nhân của em 8012345678, stk vcb 0011001234567",
        "ma so thue 8012345678, stk vcb 0011001234567",
        "CCCD 001203012399 vietcombank, stk vcb 0011001234567",
        "mã vận đơn 8123456789 của VCB, stk vcb 0011001234567",
    ],
)
def test_a_number_introduced_as_another_id_is_not_an_account(text: str, form: str) -> None:
    # a bank named right after it does not make it an account; the one after "stk" still is
    assert tag(unicodedata.normalize(form, text), ACCOUNT) == [("0011001234567", "0011001234567")]
