"""Informal chat forms read by the whole customer_service rule set (NFC and NFD), and the look-alikes left alone."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest
from vner.rules.ruleset import RuleSet

RS = RuleSet.for_domain("customer_service")
REF = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def _found(text: str) -> list[tuple[str, str]]:
    return [(e.label, text[e.start : e.end]) for e in RS.analyze(text, ref_time=REF)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "ly" is a cup, and the family name of the kings streets are named after
        (
            "giao giúp em tới 12 ly thuong kiet, cua nam, ha noi nhé",
            [("ADDRESS", "12 ly thuong kiet"), ("ADDRESS", "cua nam"), ("ADDRESS", "ha noi")],
        ),
        ("dia chi 5 ly tu trong q1", [("ADDRESS", "5 ly tu trong"), ("ADDRESS", "q1")]),
        ("giao về 12 lý tự trọng q1", [("ADDRESS", "12 lý tự trọng"), ("ADDRESS", "q1")]),
        # a building typed without diacritics, and the district glued after it
        ("e o chung cu Sunrise City, q7", [("ADDRESS", "chung cu Sunrise City"), ("ADDRESS", "q7")]),
        ("e ở chung cư Sunrise City, q7", [("ADDRESS", "chung cư Sunrise City"), ("ADDRESS", "q7")]),
        ("ship toi toa nha Bitexco nhe", [("ADDRESS", "toa nha Bitexco")]),
        # an acronym is the whole city: the capitalised name after it is a person
        ("gửi về TP. HCM Lê Thanh Liêm nhận", [("ADDRESS", "TP. HCM")]),
        # the streets named after a day: the August Revolution, 3 February, 30 April
        (
            "giao tới 285 Cách Mạng Tháng 8, quận 3",
            [("ADDRESS", "285 Cách Mạng Tháng 8"), ("ADDRESS", "quận 3")],
        ),
        ("giao 285 CMT8 q3 nha", [("ADDRESS", "285 CMT8"), ("ADDRESS", "q3")]),
        ("giao tới 285 cách mạng tháng tám, q3", [("ADDRESS", "285 cách mạng tháng tám"), ("ADDRESS", "q3")]),
        ("e ở 120 đường 3 tháng 2, quận 10", [("ADDRESS", "120 đường 3 tháng 2"), ("ADDRESS", "quận 10")]),
        ("nhà e ở đường 30/4 nha", []),
        # "g" for giờ before a part of the day
        ("e nhận hàng lúc 7g tối qua", [("TIME", "7g tối qua")]),
        ("hen 19g toi nay nha", [("TIME", "19g toi nay")]),
        # express delivery within hours
        ("ship hỏa tốc 2h giúp em", [("DURATION", "2h")]),
        ("ship hoa toc 2h nha", [("DURATION", "2h")]),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_informal_forms(text: str, want: list[tuple[str, str]], form: str) -> None:
    text = unicodedata.normalize(form, text)
    assert _found(text) == [(label, unicodedata.normalize(form, s)) for label, s in want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("cho em 2 ly tra sua", [("QUANTITY", "2 ly")]),
        ("2 ly thai do nha shop", [("QUANTITY", "2 ly")]),  # Thai tea, no street
        # only after "ly" is "tu trong" a king's name: "Lê Tự" stops before "trong hẻm" (in the alley)
        ("giao về 45 lê tự trong hẻm nha", [("ADDRESS", "45 lê tự")]),
        ("toa nha Bitexco, p 2 nguoi", [("ADDRESS", "toa nha Bitexco")]),  # two people, no ward
        ("ship hỏa tốc 2h chiều nay", [("TIME", "2h chiều nay")]),  # a time of day
        ("gửi về TP. HCM cho chị Lan", [("ADDRESS", "TP. HCM")]),
        ("càng Tốt nha", []),  # no port
        ("ngày 3 tháng 2 em giao", [("DATE", "3 tháng 2")]),  # a day, no street word before it
        ("kỷ niệm Cách mạng tháng 8 thành công", [("DATE", "tháng 8")]),  # no street: the month stays
        ("cho 5g muối", []),  # grams
        ("lúc 7g nhé", []),  # grams or an hour: unread
    ],
)
def test_look_alikes(text: str, want: list[tuple[str, str]]) -> None:
    assert _found(text) == want
