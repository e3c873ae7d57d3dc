"""rules/normalize.py: whitespace runs collapse to one space, or to one line break when they hold one."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from vner.rules.normalize import normalize
from vner.rules.ruleset import RuleSet


def test_whitespace_and_line_breaks() -> None:
    norm = normalize("  a \t b\n\n  c\r\nd \u2028 e  ")
    assert norm.text == "a b\nc\nd\ne"
    s, e = norm.to_original(3, 4)  # the "\n" stands for "\n\n  "
    assert norm.original[s:e] == "\n\n  "


def test_nfd_and_zero_width_map_back() -> None:
    original = unicodedata.normalize("NFD", "Hà\u200b Nội\nmai")
    norm = normalize(original)
    assert norm.text == "Hà Nội\nmai"
    s, e = norm.to_original(0, 6)
    assert unicodedata.normalize("NFC", original[s:e]).replace("\u200b", "") == "Hà Nội"


def test_emoji_variation_selectors_are_dropped() -> None:
    # "☎️" is U+260E U+FE0F: the selector, a combining mark, hid a phone number glued to it
    original = "\u260e\ufe0f0912345678 \u2714\ufe0f"
    norm = normalize(original)
    assert norm.text == "\u260e0912345678 \u2714"
    s, e = norm.to_original(1, 11)
    assert original[s:e] == "0912345678"
    ents = RuleSet.for_domain("customer_service").analyze(original, ref_time=datetime(2026, 11, 25))
    assert [(e.label, original[e.start : e.end]) for e in ents] == [("PHONE_NUMBER", "0912345678")]


def test_a_line_break_ends_a_temporal_expression_in_the_rule_set() -> None:
    rs = RuleSet.for_domain("general")
    ref = datetime(2026, 11, 25, 9, 0)
    got = [(e.label, e.text) for e in rs.analyze("bao hanh 24 tháng\nbay mat khoang 2 ngày", ref_time=ref)]
    assert got == [("DURATION", "24 tháng"), ("DURATION", "2 ngày")]
    got = [(e.label, e.text) for e in rs.analyze("giao 9h\n15/3 em nhận", ref_time=ref)]
    assert got == [("TIME", "9h"), ("DATE", "15/3")]
    # on one line they still join
    assert [(e.label, e.text) for e in rs.analyze("giao 9h 15/3 em nhận", ref_time=ref)] == [
        ("TIME", "9h 15/3")
    ]
