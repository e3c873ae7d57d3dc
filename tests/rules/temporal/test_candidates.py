"""The temporal prefilter (``candidates`` and the token scan) only skips rules that cannot match there: at every
token where the plain trigger table would try a rule that matches, that rule is among the candidates (so the
output equals trying every triggered rule)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.recognizers._base import fold
from vner.rules.recognizers.temporal.patterns import (
    RULES,
    RULES_BY_FIRST_WORD,
    TOKEN_RX,
    candidates,
    digit_key,
)

_VOCAB = [
    "8", "15", "2024", "937", "0912", "1", "24", "48", "3", "10", "/", "-", "–", ".", ",", ":", " ", " ", " ",
    "h", "g", "giờ", "phút", "tiếng", "ngày", "tuần", "tháng", "năm", "quý", "rưỡi", "sau", "tới", "trước",
    "hàng", "mùa", "xuân", "lễ", "quốc khánh", "tình nhân", "thứ", "hai", "năm", "chủ nhật", "chunhat", "mỗi",
    "đến", "và", "từ", "sáng", "chiều", "mai", "hôm", "nay", "bây", "lúc", "cuối", "đầu", "k", "triệu", "đ", "x",
]  # fmt: skip
_WORDS = sorted((w for w in RULES_BY_FIRST_WORD if not w.startswith("#")), key=len, reverse=True)
# every token the trigger table knows: each digit run and each trigger word
_ALL_TOKENS = re.compile(rf"(?<![a-z0-9])(?:\d+|(?:{'|'.join(_WORDS)})(?![a-z]))")


def _missed(text: str) -> list[tuple[str, int]]:
    folded = fold(text)
    tokens = {t.start(): t for t in TOKEN_RX.finditer(folded)}
    missed = []
    for full in _ALL_TOKENS.finditer(folded):
        word = full.group(0)
        triggered = RULES_BY_FIRST_WORD.get(digit_key(folded, full.end()) if word[0].isdigit() else word, ())
        tok = tokens.get(full.start())
        allowed = set(candidates(folded, tok.start(), tok.end())) if tok else set()
        for order in triggered:
            if order not in allowed and RULES[order][1].match(folded, full.start()):
                missed.append((RULES[order][0], full.start()))
    return missed


def test_examples() -> None:
    for text in [
        "hẹn 8h30 sáng mai", "giao 15/3/2024 nhé", "1-5/3", "trong vòng 24-48 giờ", "1,5 giờ", "3 ngày sau",
        "lễ tình nhân", "lễ quốc khánh 2025", "mùa xuân năm sau", "hàng tuần", "hàng 2 tuần", "hàng chủ nhật",
        "ngày 9 và 10 - 4", "từ 8 đến 10-8", "14:00", "8-17h", "thứ 2-6", "2024-03-15", "15 tháng 3",
        "15.03.2024", "tháng 3/2024", "54.937.000đ", "0912 345 678 tuần sau", "8g30", "11 giờ kém 15",
    ]:  # fmt: skip
        assert _missed(text) == [], text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=10))
def test_random_token_soup(parts: list[str]) -> None:
    assert _missed("".join(parts)) == []
