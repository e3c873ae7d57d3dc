"""ai_fluent: payroll terms named by a fixed phrase (allowance kinds, insurances, bonuses, deductions, salary
kinds, ways of paying), in NFC and NFD, with and without diacritics, and their look-alikes."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from typing import Literal

import pytest
from vner.rules.ruleset import RuleSet

REF = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def _labels(text: str, form: Literal["NFC", "NFD"]) -> list[tuple[str, str]]:
    got = RuleSet.for_domain("ai_fluent").analyze(unicodedata.normalize(form, text), ref_time=REF)
    return [(e.label, unicodedata.normalize("NFC", e.text)) for e in got]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the paper's error cases (Table 11): the allowance next to a ratio, two allowances in one clause
        (
            "giờ tăng ca 1/4 đã được duyệt nhưng em thấy phụ cấp tăng ca cộng vào",
            [("RATIO", "1/4"), ("ALLOWANCE", "phụ cấp tăng ca")],
        ),
        (
            "Phụ cấp ca đêm và phụ cấp hỗ trợ xe đi lại chưa có",
            [("ALLOWANCE", "Phụ cấp ca đêm"), ("ALLOWANCE", "phụ cấp hỗ trợ xe đi lại")],
        ),
        ("phu cap dien thoai 200k", [("ALLOWANCE", "phu cap dien thoai"), ("MONEY_AMOUNT", "200k")]),
        ("hỗ trợ nhà ở 1 triệu", [("ALLOWANCE", "hỗ trợ nhà ở"), ("MONEY_AMOUNT", "1 triệu")]),
        (
            "trừ BHXH 8%, bhyt 1,5%",
            [("INSURANCE", "BHXH"), ("PERCENT", "8%"), ("INSURANCE", "bhyt"), ("PERCENT", "1,5%")],
        ),
        ("đóng bảo hiểm xã hội đủ chưa", [("INSURANCE", "bảo hiểm xã hội")]),
        ("thưởng KPI quý này", [("BONUS", "thưởng KPI"), ("PERIOD", "quý này")]),
        ("khi nào có lương tháng 13", [("BONUS", "lương tháng 13")]),
        ("thue tncn bi tru 1.250.000d", [("DEDUCTION", "thue tncn"), ("MONEY_AMOUNT", "1.250.000d")]),
        ("công đoàn phí 50k", [("DEDUCTION", "công đoàn phí"), ("MONEY_AMOUNT", "50k")]),
        ("lương cơ bản 8tr", [("SALARY", "lương cơ bản"), ("MONEY_AMOUNT", "8tr")]),
        ("lương trả bằng tiền mặt", [("PAYMENT_METHOD", "tiền mặt")]),
        ("nhận qua chuyen khoan", [("PAYMENT_METHOD", "chuyen khoan")]),
        (
            "trả bằng chuyển khoản hoặc tiền mặt",
            [("PAYMENT_METHOD", "chuyển khoản"), ("PAYMENT_METHOD", "tiền mặt")],
        ),
        ("em đã chuyển khoản 425k rồi", [("MONEY_AMOUNT", "425k")]),  # the act, not the way of paying
        # look-alikes: no kind named, or another sense of the words
        ("phụ cấp 500k", [("MONEY_AMOUNT", "500k")]),
        ("hỗ trợ kỹ thuật giúp em", []),
        ("đề nghị quân khu hỗ trợ di chuyển", []),
        ("quán ở mặt tiền đường", []),
        ("mua bảo hiểm xe máy", []),
        ("đi thưởng thức cà phê", []),
        ("lương thấp quá", []),
    ],
)
def test_payroll_terms(text: str, want: list[tuple[str, str]], form: Literal["NFC", "NFD"]) -> None:
    assert _labels(text, form) == want


def test_an_allowance_takes_its_fine_label_from_the_kind_inside_it() -> None:
    # the rules-only pipeline (`vner tag --rules-only --domain ai_fluent`) restores the group's fine labels
    from vner.engine.pipeline.hybrid import build_pipeline

    text = "Phụ cấp ca đêm và phụ cấp hỗ trợ xe đi lại, hỗ trợ nhà ở 1 triệu"
    pipe = build_pipeline(domain="ai_fluent", model_dir=None)
    (ents,) = pipe.process([text], domain="ai_fluent", ref_time=REF, lang="vi")
    assert [(e.label, e.text) for e in ents] == [
        ("NIGHT_SHIFT_ALLOWANCE", "Phụ cấp ca đêm"),
        ("TRANSPORTATION_ALLOWANCE", "phụ cấp hỗ trợ xe đi lại"),
        ("HOUSING_ALLOWANCE", "hỗ trợ nhà ở"),
        ("MONEY_ALLOWANCE", "1 triệu"),
    ]


def test_every_allowance_kind_the_rules_read_has_a_fine_label() -> None:
    # the kinds in the allowance patterns and the ALLOWANCE group's cue words live in one YAML but two lists: a kind
    # the patterns read that no cue names would leave a bare group label ("phụ cấp nhà trọ" did)
    from vner.engine.pipeline.hybrid import build_pipeline
    from vner.rules.schema import load_schema

    spec = next(s for s in load_schema("ai_fluent").recognizers if s.id == "allowance_kind")
    kinds = {
        (rx.split(r"(?<![\w])(?:", 1)[1].split(r"\s", 1)[0].split("|")[0], kind)
        for rx in (p["regex"] for p in spec.config["patterns"])
        for kind in rx.rsplit(r"\s(?:", 1)[1].rsplit(r")(?![\w])", 1)[0].split("|")
    }
    assert len(kinds) > 30  # both patterns were read
    pipe = build_pipeline(domain="ai_fluent", model_dir=None)
    texts = [f"{head} {kind} 500k" for head, kind in sorted(kinds)]
    labels = [
        [e.label for e in ents] for ents in pipe.process(texts, domain="ai_fluent", ref_time=REF, lang="vi")
    ]
    unresolved = [
        t for t, got in zip(texts, labels, strict=True) if not got or not got[0].endswith("_ALLOWANCE")
    ]
    assert unresolved == []
