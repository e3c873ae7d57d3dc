"""Failures found by the independent held-out check (benchmarks/heldout_rules.py), as concrete cases.

Each case is a message and the entities the rule stage must report for the labels that check scores
(phones, IDs, tax codes, emails, URLs, plates, money, dates, times, durations, IPs, cards); other labels
(QUANTITY, MEASUREMENT, LOCATION, ...) are not compared. Span conventions follow the benchmark's docstring:
DATE without "ngày"/"vào", DURATION without "trong vòng"/"mất"/"khoảng", MONEY with its unit.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from vner.rules.ruleset import RuleSet

SCORED = {
    "PHONE", "CITIZEN_ID", "TAX_CODE", "EMAIL", "URL", "LICENSE_PLATE", "MONEY", "DATE", "TIME", "DURATION",
    "IP_ADDRESS", "BANK_CARD",
}  # fmt: skip
REF = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=7)))
Expected = list[tuple[str, str]]

CASES: list[tuple[str, str, Expected]] = [
    # d/m with day < month is a date, not a fraction, after a temporal cue or when zero-padded
    ("date-due-fraction-shape", "hạn thanh toán 1/7 nhé", [("DATE", "1/7")]),
    ("date-before-fraction-shape", "giao trước 1/7 giúp em", [("DATE", "1/7")]),
    ("date-zero-padded-appointment", "hẹn 04/07 em qua lấy", [("DATE", "04/07")]),
    ("date-zero-padded-sentence-start", "04/10 shop có mở cửa không", [("DATE", "04/10")]),
    ("date-zero-padded-deadline", "deadline 03/04 nha", [("DATE", "03/04")]),
    ("date-zero-padded-nfd", unicodedata.normalize("NFD", "hẹn 04/07 em qua lấy"), [("DATE", "04/07")]),
    # spelled weekday after a leading word
    ("weekday-spelled-after-con", "Còn thứ năm shop có mở cửa không", [("DATE", "thứ năm")]),
    ("weekday-spelled-after-da", "Dạ thứ năm shop có mở cửa không", [("DATE", "thứ năm")]),
    ("weekday-spelled-after-ngoai-ra", "ok. Ngoài ra thứ năm em qua", [("DATE", "thứ năm")]),
    # a relative date right after a number whose last digit group is read as "N tuần sau"
    (
        "reldate-after-plate",
        "xe 30A-123.45 tuần sau em qua",
        [("LICENSE_PLATE", "30A-123.45"), ("DATE", "tuần sau")],
    ),
    (
        "reldate-after-plate-newline",
        "xe 78C1-874.01\ntuần sau em qua",
        [("LICENSE_PLATE", "78C1-874.01"), ("DATE", "tuần sau")],
    ),
    (
        "reldate-after-grouped-phone",
        "SĐT 0912 345 678\ntuần sau em gọi",
        [("PHONE", "0912 345 678"), ("DATE", "tuần sau")],
    ),
    (
        "reldate-after-ip",
        "IP 10.0.0.12\ntuần sau bảo trì",
        [("IP_ADDRESS", "10.0.0.12"), ("DATE", "tuần sau")],
    ),
    (
        "reldate-after-card",
        "thẻ 4111 1111 1111 1111\ntuần sau hết hạn",
        [("BANK_CARD", "4111 1111 1111 1111"), ("DATE", "tuần sau")],
    ),
    # "N giờ" as an amount of time (within / waited / takes / delayed; N > 24 is never a clock time)
    ("hours-within", "đổi trả trong vòng 24 giờ", [("DURATION", "24 giờ")]),
    ("hours-within-small", "xử lý trong vòng 5 giờ", [("DURATION", "5 giờ")]),
    ("hours-within-nfd", unicodedata.normalize("NFD", "đổi trả trong vòng 24 giờ"), [("DURATION", "24 giờ")]),
    ("hours-waited-over-24", "chờ 38 giờ rồi chưa thấy", [("DURATION", "38 giờ")]),
    ("hours-waited", "chờ 2 giờ rồi chưa thấy", [("DURATION", "2 giờ")]),
    ("hours-takes-about", "bay mất khoảng 10 giờ", [("DURATION", "10 giờ")]),
    ("hours-takes-about-over-24", "bay mất khoảng 36 giờ", [("DURATION", "36 giờ")]),
    ("hours-delay", "máy bay delay 3 giờ", [("DURATION", "3 giờ")]),
    ("hours-range", "thời gian giao 24-48 giờ", [("DURATION", "24-48 giờ")]),
    # compound durations are one span
    ("duration-hours-minutes", "giao mất 1 tiếng 30 phút", [("DURATION", "1 tiếng 30 phút")]),
    ("duration-hours-minutes-waited", "chờ 2 tiếng 15 phút rồi", [("DURATION", "2 tiếng 15 phút")]),
    ("duration-gio-phut", "mất 1 giờ 30 phút", [("DURATION", "1 giờ 30 phút")]),
    # "rưỡi" (and a half) belongs to the amount
    ("money-ruoi", "tặng 2 triệu rưỡi", [("MONEY", "2 triệu rưỡi")]),
    ("money-ruoi-nfd", unicodedata.normalize("NFD", "giá 1 triệu rưỡi"), [("MONEY", "1 triệu rưỡi")]),
    # a day/month with day < month after a day word or a delivery verb, or before a chat particle
    ("date-after-today", "hôm nay 7/12 rồi mà chưa nhận đc", [("DATE", "hôm nay"), ("DATE", "7/12")]),
    ("date-after-deliver", "giao 7/12 được không", [("DATE", "7/12")]),
    ("date-before-particle", "7/12 nha shop", [("DATE", "7/12")]),
    ("fraction-before-noun", "uống 1/2 viên", []),
    ("date-before-ve", "hàng 7/12 về nha shop", [("DATE", "7/12")]),
    ("date-after-order-verb", "đơn em đặt 7/12 rồi mà chưa thấy", [("DATE", "7/12")]),
    ("date-before-r-nfd", unicodedata.normalize("NFD", "đơn 7/12 r mà chưa thấy"), [("DATE", "7/12")]),
    ("fraction-done", "đã làm được 1/3 rồi", []),  # a part of a whole: no DATE
    # a bank's balance message: the signed amounts are money, without their sign
    (
        "bank-sms-signed",
        "TK 0123456789 +5,000,000VND luc 07/12/2026 09:15. SD: 12,345,678VND",
        [("MONEY", "5,000,000VND"), ("TIME", "07/12/2026 09:15"), ("MONEY", "12,345,678VND")],
    ),
    # look-alikes: a K glued into a model code, display resolutions
    ("lookalike-model-code", "model 6K201", []),
    ("lookalike-machine-code", "mã máy 1K286 bị lỗi", []),
    ("lookalike-tv-4k", "tivi 4K 55 inch", []),
    ("lookalike-screen-2k", "màn hình 2K 144Hz", []),
    ("lookalike-video-8k", "quay video 8K", []),
]


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return RuleSet.for_domain("general")


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_heldout_regression(ruleset: RuleSet, text: str, expected: Expected) -> None:
    got = [
        (e.label, unicodedata.normalize("NFC", e.text))
        for e in ruleset.analyze(text, ref_time=REF)
        if e.label in SCORED
    ]
    want = [(label, unicodedata.normalize("NFC", surface)) for label, surface in expected]
    assert got == want
