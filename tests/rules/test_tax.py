"""TAX_CODE: the MST mod-11 check digit, the branch form, and look-alikes (failed checksums, phones)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.tax import RECOGNIZERS, TaxCodeRecognizer
from vner.rules.validators import vn_phone_v1

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
REC = TaxCodeRecognizer()


def tag(text: str) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in REC.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


VALID: list[tuple[str, str, str]] = [
    ("MST: 0101248141", "0101248141", "0101248141"),
    ("mã số thuế 0100112437 của Vietcombank", "0100112437", "0100112437"),
    ("Công ty có mã số thuế là 0300588569.", "0300588569", "0300588569"),  # Vinamilk
    ("Tập đoàn Viettel, MST 0100109106", "0100109106", "0100109106"),
    ("Petrolimex (mã số thuế: 0100107370)", "0100107370", "0100107370"),
    ("0101248141", "0101248141", "0101248141"),  # the check digit alone confirms
]
BRANCH: list[tuple[str, str, str]] = [
    ("MST chi nhánh 0101248141-001", "0101248141-001", "0101248141-001"),
    ("MST 0101248141 - 002", "0101248141 - 002", "0101248141-002"),
    ("mst 0101248141012", "0101248141012", "0101248141-012"),  # 13 bare digits: with a cue
]
# since 2025-07-01 an individual's tax code is the 12-digit personal identification number (CCCD)
PERSONAL: list[tuple[str, str, str]] = [
    ("MST: 036095001234", "036095001234", "036095001234"),
    ("mã số thuế cá nhân 0360 9500 1234", "0360 9500 1234", "036095001234"),
    ("mst ca nhan la 001.099.012.345", "001.099.012.345", "001099012345"),
]
INVALID = [
    "MST: 0101248142",  # fails the check digit
    "MST: 0100112438",
    "mã số thuế 010124814",  # 9 digits
    "MST 01012481410",  # 11 digits
    "MST 0101248141-000",  # branch 000 does not exist
    "0101248141012",  # 13 bare digits without a cue
    "MST x0101248141",  # glued to a letter
    "MST 0101248141a",
    "số 10101248141",  # inside a longer run
    "stk 0101248141",  # passes the check digit, but an account cue says what it is
    "Mã đơn hàng 0101248141",
    "hủy đơn SPX-BD-0101248141",  # the random segment of an order code
    "gọi 0101248141 giúp mình",
    "mã giao dịch 0101248141",  # a (wrong) phone number that happens to pass the check digit
    "số sổ bảo hiểm xã hội 0101248141",  # other 10-digit numbers: social insurance, student, employee
    "so bhxh 0101248141",
    "mssv 0101248141",
    "mã nhân viên: 0101248141",
    "036095001234",  # a personal ID without a tax cue is a CITIZEN_ID (citizen_id's)
    "mst (cccd) 036095001234",  # an ID cue right before it names it
    "MST: 999095001234",  # no such province code
    "MST: 036495001234",  # born in 2195
    "thuế 123456789012",
]


@pytest.mark.parametrize(("text", "surface", "value"), VALID + BRANCH + PERSONAL)
def test_valid(text: str, surface: str, value: str) -> None:
    assert tag(text) == [(surface, value)]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes(text: str) -> None:
    assert tag(text) == []


def test_phone_that_passes_the_check_is_a_tax_code_only_with_a_cue() -> None:
    # 0*31+9*29+1*23+2*19+3*17+4*13+5*7+6*5+0*3 = 490 = 44*11 + 6, check digit 10 - 6 = 4 (worked by hand)
    code = "0912345604"
    assert vn_phone_v1(code)
    assert tag(f"gọi {code}") == []
    assert tag(f"MST {code}") == [(code, code)]


def test_score_and_explanation() -> None:
    with_cue = REC.analyze("Mã số thuế: 0101248141", CTX)[0]
    bare = REC.analyze("0101248141", CTX)[0]
    assert with_cue.score == 1.0 and bare.score < with_cue.score
    assert "vn_mst.v1" in with_cue.explanation and "ma so thue" in with_cue.explanation
    assert with_cue.source == "rule:tax_code.v1" and with_cue.label == "TAX_CODE"


def test_nfd() -> None:
    text = unicodedata.normalize("NFD", "Mã số thuế của công ty: 0101248141-001, địa chỉ Hà Nội")
    assert tag(text) == [("0101248141-001", "0101248141-001")]


@pytest.mark.parametrize("bad", [{"contex": ["mst"]}, {"score": 1.5}, {"context": "mst"}])
def test_bad_config(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as err:
        TaxCodeRecognizer(config=bad)
    assert next(iter(bad)) in str(err.value)


def test_registry() -> None:
    assert RECOGNIZERS == {"tax_code": TaxCodeRecognizer}


# every wrong last digit of two published codes (Vinamilk 0300588569, FPT 0101248141), written out
@pytest.mark.parametrize(
    "code",
    [f"030058856{d}" for d in "012345678"] + [f"010124814{d}" for d in "023456789"],
)
def test_any_wrong_check_digit_is_rejected(code: str) -> None:
    assert tag(f"MST {code}") == []


@settings(max_examples=300, deadline=None)  # a shared 2-core box stalls single examples
@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_at_most_one_last_digit_makes_a_tax_code(first9: str) -> None:
    found = [tag(f"MST {first9}{last}") for last in range(10)]
    hits = [f for f in found if f]
    assert len(hits) <= 1
    for f in hits:
        assert len(f) == 1 and f[0][0] == f[0][1] and f[0][0].startswith(first9)
