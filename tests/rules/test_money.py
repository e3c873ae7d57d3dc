"""MONEY recognizer: values in integer minor units, separator reading, look-alikes that must not match."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import Recognizer, RuleContext
from vner.rules.recognizers.money import RECOGNIZERS, MoneyRecognizer
from vner.rules.recognizers.numbers_vi import parse_number, parse_number_words

CTX = RuleContext(ref_time=datetime(2026, 11, 25, 10, 0))
REC = MoneyRecognizer()


def found(text: str) -> list[tuple[str, Any]]:
    return [(e.text, e.value) for e in REC.analyze(text, CTX)]


def vnd(n: int) -> dict[str, Any]:
    return {"amount": n, "currency": "VND"}


VALID = [
    ("giá 618.000đ nhé", "618.000đ", vnd(618_000)),
    ("chuyển 618,000 đồng", "618,000 đồng", vnd(618_000)),
    ("3.500.000 VNĐ", "3.500.000 VNĐ", vnd(3_500_000)),
    ("3.500.000 vnd", "3.500.000 vnd", vnd(3_500_000)),
    ("2 tỷ đồng", "2 tỷ đồng", vnd(2_000_000_000)),
    ("50 USD", "50 USD", {"amount": 5000, "currency": "USD"}),
    ("chỉ $20 thôi", "$20", {"amount": 2000, "currency": "USD"}),
    ("$1,234.56", "$1,234.56", {"amount": 123_456, "currency": "USD"}),
    ("50 đô", "50 đô", {"amount": 5000, "currency": "USD"}),
    ("€12,5", "€12,5", {"amount": 1250, "currency": "EUR"}),
    ("1.250.000,50 đ", "1.250.000,50 đ", vnd(1_250_000)),
    ("3 500 000 đ", "3 500 000 đ", vnd(3_500_000)),
    ("phí ship 0đ", "0đ", vnd(0)),
    ("VND 500,000", "VND 500,000", vnd(500_000)),
    ("USD 50", "USD 50", {"amount": 5000, "currency": "USD"}),
    ("VNĐ 3.000.000", "VNĐ 3.000.000", vnd(3_000_000)),
    ("giá 15.5$", "15.5$", {"amount": 1550, "currency": "USD"}),
]
SCALE_ONLY = [
    ("lương 1,5 triệu", "1,5 triệu", vnd(1_500_000)),
    ("1.5tr", "1.5tr", vnd(1_500_000)),
    ("500k", "500k", vnd(500_000)),
    ("1tr2", "1tr2", vnd(1_200_000)),
    ("1tr250", "1tr250", vnd(1_250_000)),
    ("1k5", "1k5", vnd(1_500)),  # "2k5" alone is teen code's birth year 2005: see the chat look-alikes
    ("1 triệu 200 nghìn", "1 triệu 200 nghìn", vnd(1_200_000)),
    ("2 tỷ 500 triệu", "2 tỷ 500 triệu", vnd(2_500_000_000)),
    ("mua 3 cái 200k/cái", "200k", vnd(200_000)),
    ("lương 8-10 triệu", "8-10 triệu", {"amount": 8_000_000, "currency": "VND", "max_amount": 10_000_000}),
    ("giá 100-200k", "100-200k", {"amount": 100_000, "currency": "VND", "max_amount": 200_000}),
]
WORDS = [
    ("hai triệu đồng", "hai triệu đồng", vnd(2_000_000)),
    ("năm trăm nghìn đồng", "năm trăm nghìn đồng", vnd(500_000)),
    ("lương hai triệu rưỡi", "hai triệu rưỡi", vnd(2_500_000)),
]
INVALID = [
    "gọi 0912 345 678 đồng ý",  # phone digits then "đồng ý" (agree)
    "0912345678đ",  # leading zero: a phone number glued to đ
    "0912.345.678đ",  # 4-digit first group is no thousands grouping
    "CCCD 001203012345",
    "nặng 60kg",
    "có 2 triệu chứng",  # symptoms, not millions
    "tỷ lệ 2 tỷ lệ",
    "5k người theo dõi",
    "10 000",  # a bare number is not money
    "100 đồng hồ",
    "hai triệu người",
    "mã 12.34.56đ",
    "+500k",
    "0912-345-678đ",  # phone groups joined by dashes
    "10-8 triệu",  # a reversed range is no amount
]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("TK 0123456789 +5,000,000VND luc 09:15", "5,000,000VND", vnd(5_000_000)),  # a bank's balance message
        ("GD: -1.500.000d tai SHOPEE", "1.500.000d", vnd(1_500_000)),
        ("-250,000 VND ND: thanh toan", "250,000 VND", vnd(250_000)),
        (unicodedata.normalize("NFD", "số dư tăng +300.000đ"), "300.000đ", vnd(300_000)),
    ],
)
def test_signed_amount_with_a_currency_is_read_without_its_sign(text: str, surface: str, value: Any) -> None:
    assert found(text) == [(surface, value)]


def test_signed_amount_without_a_currency_is_not_money() -> None:
    assert found("phí +30k nha") == []
    assert found("-2 triệu") == []


def test_two_amounts_joined_by_a_dash() -> None:
    assert found("500k-1tr") == [("500k", vnd(500_000)), ("1tr", vnd(1_000_000))]


@pytest.mark.parametrize(("text", "surface", "value"), VALID + SCALE_ONLY + WORDS)
def test_valid(text: str, surface: str, value: dict[str, Any]) -> None:
    assert found(text) == [(surface, value)]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes_are_not_money(text: str) -> None:
    assert found(text) == []


def test_scores_and_explanations() -> None:
    (with_cur,) = REC.analyze("618.000đ", CTX)
    (scale_only,) = REC.analyze("500k", CTX)
    (cued,) = REC.analyze("giá 500k", CTX)
    assert with_cur.score > cued.score > scale_only.score
    assert "'.' thousands" in with_cur.explanation
    assert "'price cue" not in scale_only.explanation and "price cue" in cued.explanation
    (dec,) = REC.analyze("2,5 triệu", CTX)
    assert "',' decimal" in dec.explanation
    assert with_cur.source == "rule:money.v1" and with_cur.label == "MONEY"


@pytest.mark.parametrize(
    ("surface", "value", "reading"),
    [
        ("618.000", "618000", "thousands"),
        ("618,000", "618000", "thousands"),
        ("2,16", "2.16", "decimal"),
        ("1.5", "1.5", "decimal"),
        ("1.234,5", "1234.5", "decimal"),
        ("1,234,567.89", "1234567.89", "decimal"),
        ("12.3456", "12.3456", "decimal"),
    ],
)
def test_parse_number_by_group_shape(surface: str, value: str, reading: str) -> None:
    parsed = parse_number(surface)
    assert parsed is not None and str(parsed.value) == value and reading in parsed.reading


@pytest.mark.parametrize("surface", ["0912", "1.23.456", "1,2,3", "1234.567.890", "09.123", "1.234.56,7.8"])
def test_parse_number_rejects_bad_grouping(surface: str) -> None:
    assert parse_number(surface) is None


@pytest.mark.parametrize(
    ("words", "value"),
    [("hai", 2), ("mười lăm", 15), ("một trăm hai mươi lăm", 125), ("hai triệu năm trăm nghìn", 2_500_000),
     ("một trăm linh năm", 105), ("hai ba", None), ("xin chào", None), ("hai chục", 20), ("chục", 10),
     ("chục chục", None), ("mười chục", None)],
)  # fmt: skip
def test_number_words(words: str, value: int | None) -> None:
    assert parse_number_words(words) == value


def test_several_amounts_and_nfd_input_map_back() -> None:
    original = unicodedata.normalize("NFD", "Giá gốc 1.250.000 đồng, giảm còn 990k, ship 30 nghìn đồng")
    norm = normalize(original)
    ents = REC.analyze(norm.text, CTX)
    assert [e.value["amount"] for e in ents] == [1_250_000, 990_000, 30_000]
    # NFD offsets, counted by hand: á, ả, ò, ì take 2 code points, ố and ồ take 3
    spans = [norm.to_original(e.start, e.end) for e in ents]
    assert spans == [(11, 27), (40, 44), (51, 67)]
    assert [unicodedata.normalize("NFC", original[s:t]) for s, t in spans] == [
        "1.250.000 đồng",
        "990k",
        "30 nghìn đồng",
    ]


def test_config_is_checked_and_registered() -> None:
    assert RECOGNIZERS == {"money": MoneyRecognizer}
    assert isinstance(REC, Recognizer)
    with pytest.raises(ValueError, match="unknown config key 'curency'"):
        MoneyRecognizer(config={"curency": "VND"})
    with pytest.raises(ValueError, match="scale_only_score"):
        MoneyRecognizer(config={"scale_only_score": 2})
    assert MoneyRecognizer(config={"label": "PRICE"}).analyze("50 USD", CTX)[0].label == "PRICE"
    assert MoneyRecognizer(config={"number_words": False}).analyze("hai triệu đồng", CTX) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,kđ $tr triệu đồng VND", max_size=40))
def test_amounts_are_non_negative_ints(text: str) -> None:
    for e in REC.analyze(text, CTX):
        assert isinstance(e.value["amount"], int) and e.value["amount"] >= 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Giá gốc 1.250.000 đồng, giảm còn 990k, ship 30 nghìn đồng",
            [
                (8, 22, "1.250.000 đồng", "MONEY"),
                (33, 37, "990k", "MONEY"),
                (44, 57, "30 nghìn đồng", "MONEY"),
            ],
        ),
        ("chuyển 500k", [(7, 11, "500k", "MONEY")]),
        ("giá 50 USD", [(4, 10, "50 USD", "MONEY")]),
    ],
)
def test_offsets_are_the_expected_ones(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    found = [(e.start, e.end, e.text, e.label) for e in REC.analyze(text, CTX)]
    assert found and len(found) == len(expected)
    assert found == expected


# Informal chat (issue 24): "củ"/"cu" = a million, spoken tenths after a million/billion scale word
CHAT_SLANG = [
    ("giá 3 củ 5 nha", "3 củ 5", vnd(3_500_000)),
    ("gia 3 cu 5 nha", "3 cu 5", vnd(3_500_000)),
    ("chuyen khoan 3 cu nhe", "3 cu", vnd(3_000_000)),
    ("lương 7 triệu 2 nhé", "7 triệu 2", vnd(7_200_000)),
    ("ck 2 tỷ 5.", "2 tỷ 5", vnd(2_500_000_000)),
    ("luong 7 trieu 5", "7 trieu 5", vnd(7_500_000)),
    ("em gửi 15 củ", "15 củ", vnd(15_000_000)),
    ("hoàn tiền 5 triệu 2 vào tk e", "5 triệu 2", vnd(5_200_000)),  # a preposition after the tenths
    ("ck 3 củ 5 qua stk nha", "3 củ 5", vnd(3_500_000)),
    ("đã chuyển 1 triệu 2 r", "1 triệu 2", vnd(1_200_000)),
    # hundreds of the next scale down after the scale word: "trăm" after "triệu" is hundreds of thousands
    ("giá 1 triệu 2 trăm", "1 triệu 2 trăm", vnd(1_200_000)),
    ("tiền hàng 1 củ 2 trăm nha", "1 củ 2 trăm", vnd(1_200_000)),
    ("1 trieu 2 tram nghin", "1 trieu 2 tram nghin", vnd(1_200_000)),
    ("ck 2tr 3 tram k nha", "2tr 3 tram k", vnd(2_300_000)),
    ("nhà 1 tỷ 5 trăm triệu", "1 tỷ 5 trăm triệu", vnd(1_500_000_000)),
    # "tỏi" = a billion, next to a price cue
    ("nhà giá 3 tỏi", "3 tỏi", vnd(3_000_000_000)),
    ("căn hộ tầm 2 tỏi 5 nha", "2 tỏi 5", vnd(2_500_000_000)),
    # "lít" = 100 nghìn, "chai" = 1 triệu, right after a payment word at the end of a clause
    ("áo này giá 5 lít thôi b", "5 lít", vnd(500_000)),
    ("nợ tao 3 lit nhé", "3 lit", vnd(300_000)),
    ("lương 15 chai 1 tháng", "15 chai", vnd(15_000_000)),
    ("ck 2 chai 5 nhé", "2 chai 5", vnd(2_500_000)),
    ("tiền nhà 4 chai rưỡi", "4 chai rưỡi", vnd(4_500_000)),
    ("Giá 2 CHAI nha", "2 CHAI", vnd(2_000_000)),
    # spoken tenths before a question or a call: "3 củ 2 có bán ko"
    ("3 củ 2 có bán ko shop", "3 củ 2", vnd(3_200_000)),
    ("gia 7tr2 ko shop", "7tr2", vnd(7_200_000)),
    ("5 triệu 2 shop ơi", "5 triệu 2", vnd(5_200_000)),
    # a chat pronoun between the payment word and the slang amount: "nợ m 2 lít" (mày), "trả t 3 lít" (tao)
    ("tao nợ m 2 lít nhé, mai trả", "2 lít", vnd(200_000)),
    ("tra t 3 lit roi do", "3 lit", vnd(300_000)),
    # "xị" = 100 nghìn, as "lít"
    ("nợ tao 2 xị nha", "2 xị", vnd(200_000)),
    ("giá 3 xi thôi", "3 xi", vnd(300_000)),
    # a bare hundred right after a price cue, the clause ending: hundreds of thousands
    ("ship 2 trăm rưỡi nhé", "2 trăm rưỡi", vnd(250_000)),
    ("tổng 5 trăm nha c", "5 trăm", vnd(500_000)),
    ("tong 5 tram nha c", "5 tram", vnd(500_000)),
    ("giá 1 trăm 2 thôi", "1 trăm 2", vnd(120_000)),
    ("cọc 3 trăm", "3 trăm", vnd(300_000)),
    # a digit and "trăm", then tens of thousands: one amount ("2 trăm 50 nghìn" is 250,000, not 50,000)
    ("giá 2 trăm 50 nghìn", "2 trăm 50 nghìn", vnd(250_000)),
    ("don nay 2 tram 5 chuc nghin", "2 tram 5 chuc nghin", vnd(250_000)),
    ("ship 2 trăm 50k nha", "2 trăm 50k", vnd(250_000)),
    ("tổng 1 triệu 2 trăm 50 nghìn", "1 triệu 2 trăm 50 nghìn", vnd(1_250_000)),
    ("giá 1 triệu 2 trăm rưỡi", "1 triệu 2 trăm rưỡi", vnd(1_250_000)),
    # a bare "chục" after a price cue: tens of thousands ("ship 5 chục" is 50,000)
    ("ship 5 chục nha", "5 chục", vnd(50_000)),
    ("tiền ship hết 3 chục", "3 chục", vnd(30_000)),
    ("giá 6 chuc thoi", "6 chuc", vnd(60_000)),
    # an approximating word between the cue and the amount, one or two linking words
    ("giá tầm 2 trăm rưỡi", "2 trăm rưỡi", vnd(250_000)),
    ("gia khoang 3 tram nha", "3 tram", vnd(300_000)),
    ("giá chỉ 199.000 thôi", "199.000", vnd(199_000)),
    ("ship hết tầm 30.000 nha", "30.000", vnd(30_000)),
    # "lốp" and "sọi" = 100 nghìn, as "lít" (written with their diacritics)
    ("nợ tao 5 lốp nhé", "5 lốp", vnd(500_000)),
    ("giá 2 sọi thôi", "2 sọi", vnd(200_000)),
    # "cá" and "cành" = nghìn after a payment word
    ("tiền ship 30 cá hả", "30 cá", vnd(30_000)),
    ("giá 200 cành nha", "200 cành", vnd(200_000)),
    ("nợ tao 50 cành", "50 cành", vnd(50_000)),
    # "củ từ" is a yam, but not before a time: "từ tháng 1" is "from January"
    ("e được tăng lương lên 15 củ từ tháng 1/2027", "15 củ", vnd(15_000_000)),
    ("lương 20 cu tu thang sau", "20 cu", vnd(20_000_000)),
    # the one spoken to between the spoken tenths and the particle
    ("tiền hàng 2 lít 5 anh nhé", "2 lít 5", vnd(250_000)),
    ("lương 7 triệu 2 em ạ", "7 triệu 2", vnd(7_200_000)),
    # millions, then the rest read on its own
    ("giá 1 triệu 2 chục nghìn", "1 triệu 2 chục nghìn", vnd(1_020_000)),
    ("ck 3 củ 2 chục nghìn nha", "3 củ 2 chục nghìn", vnd(3_020_000)),
]


@pytest.mark.parametrize(("text", "surface", "value"), CHAT_SLANG)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_chat_slang_amounts(text: str, surface: str, value: dict[str, Any], form: str) -> None:
    norm = normalize(unicodedata.normalize(form, text))
    (ent,) = REC.analyze(norm.text, CTX)
    assert (ent.text, ent.value) == (surface, value)
    s, e = norm.to_original(ent.start, ent.end)
    assert unicodedata.normalize("NFC", norm.original[s:e]) == surface


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lương 7 triệu 1 tháng", [("7 triệu", vnd(7_000_000))]),  # per month: the 1 is not a tenth
        ("giá 3 triệu 5 người", [("3 triệu", vnd(3_000_000))]),  # 3 million for 5 people
        ("giá 3 triệu 2 cái", [("3 triệu", vnd(3_000_000))]),
        ("mua 3 cu khoai", []),  # tubers
        ("xe 3 cu", []),  # "cũ"/"cụ" without diacritics and no price cue
        ("3 củ hành", []),
        ("còn 3 cụ già", []),
        ("3 tỏi", []),  # garlic, or a billion: no price cue
        ("mua 3 tỏi ta", []),
        ("giá 5 tỏi đen", []),
        ("mua 2 chai nước", []),  # bottles and litres unless a payment word is right before
        ("còn 3 lít xăng", []),
        ("giá 5 lít xăng", []),  # a payment word, but litres of something follow
        ("xe này 1 lít đi được 50km", []),
        ("tiền mua 3 chai nước", []),
        ("giá 2-3 chai", []),  # a range of bottles
        ("nhẫn vàng 18k 2 chỉ", []),  # gold's purity in karats, not 18,000 đồng
        ("dây chuyền vàng trắng 14k", []),
        ("18K vàng nha", []),
        ("nhan vang 24k", []),
        ("nhẫn này giá 18k thôi", [("18k", vnd(18_000))]),  # a price cue right before: an amount
        ("mua vàng hết 18k", [("18k", vnd(18_000))]),
        ("5k 2 trăm", [("5k", vnd(5_000))]),  # hundreds after thousands: two numbers
        ("giá 1 triệu, 500 nghìn ship", [("1 triệu", vnd(1_000_000)), ("500 nghìn", vnd(500_000))]),  # two
        ("qua 2 trạm 50 nghìn", [("50 nghìn", vnd(50_000))]),  # two stations ("trạm"), then 50,000
        ("ship 30k 20k", [("30k", vnd(30_000)), ("20k", vnd(20_000))]),  # two amounts, no "30k + 20k" chain
        # hundreds of the same scale: not one amount, two ("2 trăm triệu" is 200 triệu, as a digit-led amount)
        ("1 triệu 2 trăm triệu", [("1 triệu", vnd(1_000_000)), ("2 trăm triệu", vnd(200_000_000))]),
        ("1 triệu 2 trăm người", []),  # 1.2 million people
        ("mua 1 xị rượu", []),  # a small bottle of liquor
        ("mua m 2 lít nước", []),  # litres of water: no payment word before the pronoun
        ("giá 2 xị rượu", []),
        ("tổng 5 trăm người tham gia", []),  # a bare hundred before a noun: a count
        ("đi qua 2 trạm nhé", []),  # "trạm" (a station) folds as "trăm"
        ("còn 3 trăm", []),  # no price cue before it
        ("ship 2 trăm cái áo", []),
        ("ship 5 chục cái", []),  # fifty pieces
        ("lương gần 3 chục", []),  # a salary's "3 chục" is thirty million: left to the model
        ("gửi lời chúc 5 chúc mừng", []),
        ("thay 2 lốp xe", []),  # tyres
        ("mua 30 cá rô", []),  # fish
        ("mua 2 củ từ về luộc", []),  # yams
        ("cho 200 cành hoa hồng", []),  # branches
        ("giá 5 cá con", []),  # the clause goes on: fry
        ("ship 20 ca nhe", []),  # "ca" (a shift) without diacritics is no slang
        ("lop 12 co 3 lop", []),  # "lớp" (a class) without diacritics is no slang
        ("tiền hàng 2 lít 5 anh em", []),  # "5 anh em" (five brothers): no tenths, and the clause goes on
        ("tổng có 5 trăm người", []),
        # teen code's birth year: "2k3" is 2003 unless a price cue makes it 2,300 đồng
        ("e sinh năm 2k3 nha", []),
        ("mình 2k1, ở hn", []),
        ("tuyển bạn nữ 2k5 trở xuống", []),
        ("giá 2k5 một cái", [("2k5", vnd(2_500))]),
        ("ck 2k3 nhé", [("2k3", vnd(2_300))]),
        ("phí ship 2k", [("2k", vnd(2_000))]),
        ("nợ e 2k5 nhé", [("2k5", vnd(2_500))]),
    ],
)
def test_chat_slang_look_alikes(text: str, expected: list[tuple[str, Any]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a number right before an amount is its own word ("lần 1", "mua 3"), not a thousands group of it
        ("e chuyển 2 lần, lần 1 500k lần 2 1,2tr", [("500k", vnd(500_000)), ("1,2tr", vnd(1_200_000))]),
        ("mua 3 500k nha", [("500k", vnd(500_000))]),
        # "lần 2" / "ngày 2" after an amount start a new phrase; "100k lần xem" stays a count
        ("ck 500k lần 2 rồi", [("500k", vnd(500_000))]),
        ("cọc 200k ngày 2/12", [("200k", vnd(200_000))]),
        ("100k lần xem", []),
        # space-grouped thousands still read as one amount with a currency
        ("1 500 000 đồng", [("1 500 000 đồng", vnd(1_500_000))]),
        ("tổng 1 500 000", []),
    ],
)
def test_adjacent_numbers_in_chat(text: str, want: list[tuple[str, Any]]) -> None:
    assert found(text) == want


# "đ" typed without its stroke: a bare "d" is đồng after a grouped or round amount, never after a small number
BARE_D = [
    ("tong 450.000d nha", [("450.000d", vnd(450_000))]),
    ("phi ship 25,000d", [("25,000d", vnd(25_000))]),
    ("chuyen khoan 150000d roi", [("150000d", vnd(150_000))]),
    ("tổng 1.250.000D", [("1.250.000D", vnd(1_250_000))]),
    ("tam 15.000-20.000d", [("15.000-20.000d", {**vnd(15_000), "max_amount": 20_000})]),
    ("tong 450.000 d", [("450.000 d", vnd(450_000))]),
    ("gia 1tr d", [("1tr", vnd(1_000_000))]),  # a scale word: the "d" is left out, the amount stays
    ("ship 2k d nhe", [("2k", vnd(2_000))]),
    ("co 200d thoi", []),  # not round: 200 days as likely
    ("phim 3d", []),
    ("in 5.5d", []),
    ("tong 450.000da", []),  # a longer word
    ("nang 1500d", []),  # not a round thousand
    ("ship 100-200.000d", [("100-200.000d", {**vnd(100_000), "max_amount": 200_000})]),
]

# a range whose low end borrows the high end's thousands: "100-200.000đ" is 100.000 to 200.000
SHARED_THOUSANDS = [
    ("giá 100-200.000đ", [("100-200.000đ", {**vnd(100_000), "max_amount": 200_000})]),
    ("tầm 50-150.000đ/sp", [("50-150.000đ", {**vnd(50_000), "max_amount": 150_000})]),
    ("lương 1-1.500.000 VND", [("1-1.500.000 VND", {**vnd(1_000_000), "max_amount": 1_500_000})]),
    ("giá 1,5-2.000.000đ", [("1,5-2.000.000đ", {**vnd(1_500_000), "max_amount": 2_000_000})]),
    (
        "giá 100.000-200.000đ",
        [("100.000-200.000đ", {**vnd(100_000), "max_amount": 200_000})],
    ),  # written whole
    ("giá 300-200.000đ", [("300-200.000đ", {**vnd(300), "max_amount": 200_000})]),  # read as written
]


@pytest.mark.parametrize(("text", "expected"), SHARED_THOUSANDS)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_range_low_end_shares_the_high_ends_thousands(
    text: str, expected: list[tuple[str, Any]], form: str
) -> None:
    assert found(unicodedata.normalize(form, text)) == [
        (unicodedata.normalize(form, s), v) for s, v in expected
    ]


@pytest.mark.parametrize(("text", "expected"), BARE_D)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_bare_d_after_an_amount(text: str, expected: list[tuple[str, Any]], form: str) -> None:
    assert found(unicodedata.normalize(form, text)) == [
        (unicodedata.normalize(form, s), v) for s, v in expected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # number words with or without diacritics, a digit before a bare hundred, "nửa" (half) a million
        ("giá hai trăm nghìn", [("hai trăm nghìn", vnd(200_000))]),
        ("gia hai tram nghin", [("hai tram nghin", vnd(200_000))]),
        ("giá 3 trăm nghìn", [("3 trăm nghìn", vnd(300_000))]),  # not "trăm nghìn" = 100,000
        ("giá 2 trăm k", [("2 trăm k", vnd(200_000))]),
        ("hai trăm k thôi ạ, giá vậy ok", [("hai trăm k", vnd(200_000))]),
        ("giá hai trieu", [("hai trieu", vnd(2_000_000))]),
        ("gia hai muoi mot nghin", [("hai muoi mot nghin", vnd(21_000))]),  # "muoi" after a digit is "mươi"
        ("giá nửa triệu", [("nửa triệu", vnd(500_000))]),
        ("lương có nửa củ", [("nửa củ", vnd(500_000))]),
        ("tu hai trieu tro len gia", [("hai trieu", vnd(2_000_000))]),  # "tu" is "từ" (from) here
        ("chuyển hai trăm nghìn đồng", [("hai trăm nghìn đồng", vnd(200_000))]),
        # look-alikes: vague counts, a little, a tuber, people, other words with the same letters
        ("vài trăm nghìn thôi giá rẻ", []),
        ("giá trăm nghìn", []),
        ("gia giam mot ti thoi", []),  # "một tí": a little
        ("giảm giá một tí", []),
        ("nửa củ khoai giá bao nhiêu", []),
        ("có năm trăm nghìn người mua giá", []),
        ("giá tâm triệu", []),  # "tâm" is not "tám"
        ("nửa nghìn giá", []),
        # without a cue: a digit before the hundred reads as "500 nghìn" does, and "k" is money's own word
        ("con 5 trăm nghìn thôi", [("5 trăm nghìn", vnd(500_000))]),
        ("5 tram ngan nha", [("5 tram ngan", vnd(500_000))]),
        ("còn hai trăm k", [("hai trăm k", vnd(200_000))]),
        ("nam muoi k thoi", [("nam muoi k", vnd(50_000))]),
        # "chục" (ten): "5 chục nghìn" = 50,000, as "5 trăm nghìn" = 500,000
        ("5 chục nghìn thôi", [("5 chục nghìn", vnd(50_000))]),
        ("ship 3 chuc k", [("3 chuc k", vnd(30_000))]),
        ("hai chục nghìn đồng", [("hai chục nghìn đồng", vnd(20_000))]),
        ("mấy chục nghìn thôi", []),  # vague
        ("vài chục k", []),
        ("chục nghìn", []),
        # look-alikes without a cue: people, vague hundreds, "hai k" (two, or not?), bare number words
        ("5 trăm nghìn người", []),
        ("vài trăm nghìn", []),
        ("lấy hai k shop", []),
        ("hai triệu", []),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_number_words_in_chat(text: str, expected: list[tuple[str, Any]], form: str) -> None:
    norm = normalize(unicodedata.normalize(form, text)).text
    assert found(norm) == expected


# issue 24 (informal chat): an amount with no currency or scale word, right after a price cue
BARE_AFTER_CUE = [
    ("e muốn huỷ đơn, hoàn 299.000 cho e", [("299.000", vnd(299_000))]),
    ("giá 299.000", [("299.000", vnd(299_000))]),
    ("cod 450.000 nhé", [("450.000", vnd(450_000))]),
    ("phí ship: 30.000, giá 299.000", [("30.000", vnd(30_000)), ("299.000", vnd(299_000))]),
    ("tong tien 450,000 nha shop", [("450,000", vnd(450_000))]),  # without diacritics, comma-grouped
    ("tổng cộng 1.250.000", [("1.250.000", vnd(1_250_000))]),
    ("ck rồi 2.000.000 nha", [("2.000.000", vnd(2_000_000))]),
    ("giá 150000 ạ", [("150000", vnd(150_000))]),  # a run ending in 000
    ("ck 1500000 r nhé", [("1500000", vnd(1_500_000))]),  # "r": chat's "rồi"
    ("giá 299.000 vnđ", [("299.000 vnđ", vnd(299_000))]),  # a currency: the ordinary reading, once
    # look-alikes
    ("tổng 1.200 đơn", []),  # a count of orders: a noun follows
    ("giá 1.5", []),  # not grouped in thousands
    ("giá 299", []),  # not round, not grouped
    ("mã đơn 123.000", []),  # not a price cue
    ("có 450.000 người xem", []),
    ("giá 0.500", []),  # a leading zero
    ("giá 12.000/kg", []),  # a unit price: left whole to the model
    ("giá 2.000-3.000", []),  # a range without a unit
    ("giá trị 450.000", []),  # "giá trị" (value) is not "giá"
]


@pytest.mark.parametrize(("text", "expected"), BARE_AFTER_CUE)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_bare_amount_right_after_a_price_cue(text: str, expected: list[tuple[str, Any]], form: str) -> None:
    assert found(normalize(unicodedata.normalize(form, text)).text) == expected


def test_bare_amounts_can_be_switched_off() -> None:
    off = MoneyRecognizer(config={"bare_after_cue": False})
    assert [e.text for e in off.analyze("giá 299.000", CTX)] == []
    (ent,) = REC.analyze("giá 299.000", CTX)
    assert ent.score < 0.8 and "price cue 'giá'" in ent.explanation


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "surface", "amount"),
    [
        ("tổng 1 triệu hai trăm nghìn nha", "1 triệu hai trăm nghìn", 1_200_000),
        ("một triệu hai trăm nghìn đồng", "một triệu hai trăm nghìn đồng", 1_200_000),
        ("1 trieu hai tram nghin", "1 trieu hai tram nghin", 1_200_000),
        ("mot trieu hai tram nghin dong", "mot trieu hai tram nghin dong", 1_200_000),
        ("hai tỷ ba trăm triệu đồng", "hai tỷ ba trăm triệu đồng", 2_300_000_000),
        # "năm" (five) after a scale word begins the smaller amount here, not "years"
        ("giá 2 củ năm trăm nghìn", "2 củ năm trăm nghìn", 2_500_000),
        ("gia 2 cu nam tram nghin", "2 cu nam tram nghin", 2_500_000),
        ("giá hai triệu năm trăm nghìn", "hai triệu năm trăm nghìn", 2_500_000),
        ("lương 12 triệu năm mươi nghìn", "12 triệu năm mươi nghìn", 12_050_000),
    ],
)
def test_an_amount_then_a_smaller_one_in_words_is_one_amount(
    text: str, surface: str, amount: int, form: str
) -> None:
    norm = normalize(unicodedata.normalize(form, text))  # as the rule set hands text to a recognizer
    got = [
        (norm.original[slice(*norm.to_original(e.start, e.end))], e.value)
        for e in REC.analyze(norm.text, CTX)
    ]
    assert [(unicodedata.normalize("NFC", s), v) for s, v in got] == [(surface, vnd(amount))]


def test_amounts_in_a_list_are_not_joined() -> None:
    # the second is not below the first's scale, or a comma parts them, or it counts people
    assert found("giá 2 triệu, ba trăm nghìn tiền ship") == [
        ("2 triệu", vnd(2_000_000)),
        ("ba trăm nghìn", vnd(300_000)),
    ]
    assert found("hai trăm nghìn người") == []
    assert found("một triệu hai trăm nghìn người") == []
    assert found("cách đây 2 triệu năm") == []  # years, not đồng
