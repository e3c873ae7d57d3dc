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
from vner.rules.validators import mst_check_digit, vn_phone_v1

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
REC = TaxCodeRecognizer()


def tag(text: str) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in REC.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


def complete(first9: str) -> str:
    check = mst_check_digit(first9)
    assert check is not None
    return first9 + str(check)


VALID: list[tuple[str, str | None, str | None]] = [
    ("MST: 0101248141", "0101248141", "0101248141"),
    ("mã số thuế 0100112437 của Vietcombank", "0100112437", "0100112437"),
    ("Công ty có mã số thuế là 0302000181.", None, None),  # filled below from the check digit
    ("0101248141", "0101248141", "0101248141"),  # the check digit alone confirms
]
BRANCH: list[tuple[str, str | None, str | None]] = [
    ("MST chi nhánh 0101248141-001", "0101248141-001", "0101248141-001"),
    ("MST 0101248141 - 002", "0101248141 - 002", "0101248141-002"),
    ("mst 0101248141012", "0101248141012", "0101248141-012"),  # 13 bare digits: with a cue
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
]


@pytest.mark.parametrize(("text", "surface", "value"), VALID + BRANCH)
def test_valid(text: str, surface: str | None, value: str | None) -> None:
    if surface is None:
        code = complete("031234567")
        text = text.replace("0302000181", code)
        surface = value = code
    assert tag(text) == [(surface, value)]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes(text: str) -> None:
    assert tag(text) == []


def test_phone_that_passes_the_check_is_a_tax_code_only_with_a_cue() -> None:
    code = next(complete(f"09123456{d}") for d in "0123456789" if mst_check_digit(f"09123456{d}") is not None)
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


@settings(max_examples=300, deadline=None)  # a shared 2-core box stalls single examples
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=0, max_value=9))
def test_any_wrong_check_digit_is_rejected(first9: str, last: int) -> None:
    check = mst_check_digit(first9)
    found = tag(f"MST {first9}{last}")
    if check == last:
        assert found == [(f"{first9}{last}", f"{first9}{last}")]
    else:
        assert found == []
