"""LICENSE_PLATE: car and motorbike layouts, issued province prefixes, canonical values, look-alikes."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.plate import RECOGNIZERS, LicensePlateRecognizer
from vner.rules.validators import plate_province_codes

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
REC = LicensePlateRecognizer()


def tag(text: str) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in REC.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


VALID = [
    ("xe 30A-123.45 đỗ trước cửa", "30A-123.45", "30A-123.45"),
    ("29H1-234.56", "29H1-234.56", "29H1-234.56"),
    ("51G 678.90", "51G 678.90", "51G-678.90"),
    ("29-H1 234.56", "29-H1 234.56", "29H1-234.56"),
    ("59X2-123.45", "59X2-123.45", "59X2-123.45"),
    ("30LD-12345", "30LD-12345", "30LD-123.45"),
    ("30A-1234", "30A-1234", "30A-1234"),  # old 4-digit series
    ("43C 12345.", "43C 12345", "43C-123.45"),
    ("biển số 30a-123.45", "30a-123.45", "30A-123.45"),  # lower case only with a cue
    ("biển số 30A1234", "30A1234", "30A-1234"),
]
INVALID = [
    "10A-123.45",  # 10 is not issued
    "13B-123.45",  # 13 retired
    "42A-123.45",
    "96C-123.45",
    "30I-123.45",  # I is not a series letter
    "30O-123.45",
    "30A-123.456",  # six digits
    "30A-12.345",
    "x30A-123.45",  # glued
    "30A-123.45x",
    "130A-123.45",
    "30a-123.45",  # lower case without a cue
    "30A1234",  # four digits glued, no cue
    "30A.123.45",
]


@pytest.mark.parametrize(("text", "surface", "value"), VALID)
def test_valid(text: str, surface: str, value: str) -> None:
    assert tag(text) == [(surface, value)]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes(text: str) -> None:
    assert tag(text) == []


def test_several_plates_and_nfd() -> None:
    text = unicodedata.normalize("NFD", "Xe máy 29H1-234.56 va chạm ô tô 51G-678.90 ở Hà Nội")
    assert [v for _, v in tag(text)] == ["29H1-234.56", "51G-678.90"]


def test_entity_fields() -> None:
    e = REC.analyze("biển số 30A-123.45", CTX)[0]
    assert (e.label, e.source, e.score) == ("LICENSE_PLATE", "rule:license_plate.v1", 1.0)
    assert "province prefix 30" in e.explanation and "bien so" in e.explanation


def test_bad_config() -> None:
    with pytest.raises(ValueError, match="contex"):
        LicensePlateRecognizer(config={"contex": ["xe"]})


def test_registry() -> None:
    assert RECOGNIZERS == {"license_plate": LicensePlateRecognizer}


@settings(max_examples=200)
@given(st.integers(min_value=10, max_value=99), st.sampled_from("ABCDEFGHKLMNPSTUVXYZ"))
def test_prefix_property(prefix: int, letter: str) -> None:
    found = tag(f"{prefix}{letter}-123.45")
    assert bool(found) is (str(prefix) in plate_province_codes())
