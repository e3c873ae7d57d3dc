"""Which reading a number gets when cues compete, through the whole rule stage: an account cue next to a
number beats a tax cue further away, 1800/1900 service numbers after a phone cue, single-token order codes,
and PhoNER's temporal config (dates stay DATE next to a part of day)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.order_code import OrderCodeRecognizer
from vner.rules.ruleset import RuleSet

REF = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=7)))


def _tag(domain: str, text: str) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in RuleSet.for_domain(domain).analyze(text, ref_time=REF)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("số tk 0101248141", [("BANK_ACCOUNT", "0101248141")]),
        ("số tk 0101248141 mst công ty", [("BANK_ACCOUNT", "0101248141")]),
        ("mst 0101248141, số tk 0101248141", [("TAX_CODE", "0101248141"), ("BANK_ACCOUNT", "0101248141")]),
        ("mst 0101248141", [("TAX_CODE", "0101248141")]),
        ("tk mst 0101248141", [("TAX_CODE", "0101248141")]),  # the tax cue introduces it
    ],
)
def test_adjacent_account_cue_beats_a_tax_cue(text: str, want: list[tuple[str, str]]) -> None:
    assert _tag("general", text) == want


@pytest.mark.parametrize("domain", ["general", "customer_service"])
@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("hotline 1900 1234", "1900 1234"),
        ("gọi 1800 6868 nhé", "1800 6868"),
        ("tổng đài 19001234", "19001234"),
    ],
)
def test_service_numbers_after_a_phone_cue(domain: str, text: str, surface: str) -> None:
    label = "PHONE_NUMBER" if domain == "customer_service" else "PHONE"
    assert _tag(domain, text) == [(label, surface)]


@pytest.mark.parametrize("text", ["1900 1234", "mã 1900 1234", "năm 1900 1234 người"])
def test_service_number_without_a_cue_is_not_a_phone(text: str) -> None:
    assert [lb for lb, _ in _tag("general", text) if lb == "PHONE"] == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("mã đơn SPXVN0123456789 chưa giao", "SPXVN0123456789"),
        ("vận đơn GHNHCM123456789", "GHNHCM123456789"),
    ],
)
def test_single_token_order_code(text: str, surface: str) -> None:
    assert _tag("customer_service", text) == [("ORDER_CODE", surface)]


@pytest.mark.parametrize(
    "text",
    [
        "CCCD001099012345",  # 12 digits after the letters: not the random segment
        "DH556786231",  # two letters are not shop code + routing
        "SPXVN2923456789",  # a 10-digit random segment must start with 0 or 1
        "SPXVN012345678",  # a 9-digit one cannot start with 0
        "abcSPXVN0123456789",  # lower-case letters glued in front
        "MST0101248141",
    ],
)
def test_single_token_look_alikes(text: str) -> None:
    assert [lb for lb, _ in _tag("customer_service", text) if lb == "ORDER_CODE"] == []


def test_glued_form_can_be_turned_off_and_is_validated() -> None:
    ctx = RuleContext(ref_time=REF)
    assert OrderCodeRecognizer(config={"glued": False}).analyze("SPXVN0123456789", ctx) == []
    with pytest.raises(ValueError, match="glued.letters"):
        OrderCodeRecognizer(config={"glued": {"letters": "A-Z0-9"}})
    with pytest.raises(ValueError, match="glued"):
        OrderCodeRecognizer(config={"glued": {"min_len": 1}})
    custom = {"segments": [{"name": "shop", "alphabet": "A-Z", "min_len": 2, "max_len": 4},
                           {"name": "n", "alphabet": "0-9", "min_len": 6, "max_len": 6}]}  # fmt: skip
    with pytest.raises(ValueError, match="glued"):
        OrderCodeRecognizer(config={**custom, "glued": True})  # the last segment has no check
    assert OrderCodeRecognizer(config=custom).analyze("ABCD123456", ctx) == []  # own segments: glued off


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("BN91 nhập viện sáng 2/3", [("PATIENT_ID", "BN91"), ("DATE", "2/3")]),
        ("lúc 8h ngày 15/3 bệnh nhân", [("DATE", "15/3")]),
    ],
)
def test_phoner_dates_stay_dates_next_to_a_time(text: str, want: list[tuple[str, str]]) -> None:
    assert _tag("covid19", text) == want
