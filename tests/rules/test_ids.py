"""CITIZEN_ID (CCCD), OLD_ID (CMND) and PASSPORT: province codes, birth-year/age check, context rules."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.ids import RECOGNIZERS, CitizenIdRecognizer, OldIdRecognizer, PassportRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
CCCD = CitizenIdRecognizer()
CMND = OldIdRecognizer()
PASSPORT = PassportRecognizer()


def tag(text: str, rec: Any, ctx: RuleContext = CTX) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in rec.analyze(norm.text, ctx):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


CCCD_VALID = [
    ("Số CCCD: 001099012345", "001099012345"),
    ("căn cước công dân 079203001234", "079203001234"),  # HCM, male, 2003
    ("số định danh 048185000123", "048185000123"),  # Đà Nẵng, female, 1985
    ("mã định danh cá nhân: 048185000123", "048185000123"),
    ("CCCD 096310001122 của bé", "096310001122"),  # Cà Mau, female, 2010
    ("gửi em 001099012345 nhé", "001099012345"),  # structure alone: kept, lower score
]
CCCD_WITH_SEPARATORS = [
    ("cccd 001 099 012345", "001 099 012345"),
    ("cccd 0010 9901 2345", "0010 9901 2345"),
    ("cccd 001.099.012345", "001.099.012345"),
    ("cccd 001-099-012-345", "001-099-012-345"),
]
CCCD_INVALID = [
    "CCCD 003099012345",  # 003 is not a province code
    "CCCD 099099012345",  # 099 is not a province code
    "CCCD 001499012345",  # 4th digit 4: 22nd century
    "CCCD 001950012345",  # 4th digit 9
    "CCCD 001250012345",  # born 2050: after the reference time
    "CCCD 001227012345",  # born 2027: after the reference time
    "CCCD 001000012345",  # born 1900: age 126
    "CCCD 00109901234",  # 11 digits
    "CCCD 0010990123456",  # 13 digits
    "CCCD 1001099012345",  # glued to a longer run
    "CCCD A001099012345",  # glued to a letter
    "stk 001099012345",  # an account number, no ID cue
    "mã đơn hàng 001099012345",
    "CCCD GHN-HN-001099012345",  # the last segment of a code
    "mã giao dịch 079123456789",  # structurally a CCCD, but introduced as a transaction code
    "mã thẻ cào 0010 9901 2345 7963",  # the first 12 digits of a longer grouped number
]


@pytest.mark.parametrize(("text", "surface"), CCCD_VALID + CCCD_WITH_SEPARATORS)
def test_cccd_valid(text: str, surface: str) -> None:
    found = tag(text, CCCD)
    assert found == [(surface, surface.replace(" ", "").replace(".", "").replace("-", ""))]


@pytest.mark.parametrize("text", CCCD_INVALID)
def test_cccd_look_alikes(text: str) -> None:
    assert tag(text, CCCD) == []


def test_cccd_age_depends_on_reference_time() -> None:
    text = "CCCD 001226012345"  # born 2026
    assert tag(text, CCCD) == [("001226012345", "001226012345")]
    assert tag(text, CCCD, RuleContext(ref_time=datetime(2025, 1, 1))) == []


def test_cccd_context_score_and_explanation() -> None:
    strong = CCCD.analyze("số căn cước 001099012345", CTX)[0]
    weak = CCCD.analyze("gửi em 001099012345", CTX)[0]
    assert strong.score > weak.score
    assert "vn_cccd.v1" in strong.explanation and "can cuoc" in strong.explanation
    assert "age 27" in strong.explanation
    assert strong.source == "rule:citizen_id.v1" and strong.label == "CITIZEN_ID"


def test_cccd_require_context_config() -> None:
    rec = CitizenIdRecognizer(config={"require_context": True})
    assert tag("gửi em 001099012345", rec) == []
    assert tag("CCCD 001099012345", rec) == [("001099012345", "001099012345")]


@pytest.mark.parametrize("bad", [{"max_age": 3}, {"unknown": 1}, {"score": -0.1}, {"require_context": 1}])
def test_cccd_bad_config(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as err:
        CitizenIdRecognizer(config=bad)
    assert next(iter(bad)) in str(err.value)


def test_cccd_in_nfd_text() -> None:
    nfc = "Căn cước công dân: 079203001234, cấp ở Hồ Chí Minh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert tag(nfd, CCCD) == tag(nfc, CCCD) == [("079203001234", "079203001234")]
    assert CCCD.analyze(normalize(nfd).text, CTX)[0].score == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số CMND: 012345678", [("012345678", "012345678")]),
        ("chứng minh nhân dân 025 123 456", [("025 123 456", "025123456")]),
        ("chứng minh thư số 186123456 cấp 2010", [("186123456", "186123456")]),
        ("số 012345678", []),  # no context: 9 digits alone are not an ID
        ("CMND 111111111", []),
        ("CMND 0123456789", []),  # 10 digits
        ("CMND 12345678", []),
    ],
)
def test_old_id_needs_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, CMND) == expected


def test_old_id_in_nfd() -> None:
    text = unicodedata.normalize("NFD", "Số chứng minh nhân dân của tôi: 186123456")
    assert tag(text, CMND) == [("186123456", "186123456")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hộ chiếu số C1234567", [("C1234567", "C1234567")]),
        ("passport: B7654321", [("B7654321", "B7654321")]),
        ("số hộ chiếu n1234567", [("n1234567", "N1234567")]),
        ("mã C1234567", []),
        ("hộ chiếu C12345678", []),
        ("hộ chiếu XC1234567", []),
    ],
)
def test_passport(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, PASSPORT) == expected
    assert tag(unicodedata.normalize("NFD", text), PASSPORT) == expected


def test_registry() -> None:
    assert RECOGNIZERS == {
        "citizen_id": CitizenIdRecognizer,
        "old_id": OldIdRecognizer,
        "passport": PassportRecognizer,
    }


@settings(max_examples=200)
@given(st.text(alphabet="0123456789 .-cdCCCDăn ướ\u0300", max_size=50))
def test_offsets_property(text: str) -> None:
    norm = normalize(text)
    for rec in (CCCD, CMND, PASSPORT):
        for e in rec.analyze(norm.text, CTX):
            assert norm.text[e.start : e.end] == e.text
            s, t = norm.to_original(e.start, e.end)
            assert s < t <= len(text)
