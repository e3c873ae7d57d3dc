"""The LOCATION gazetteer and the span rebuild read the same place data (vner.rules.lang.vi.places)."""

from __future__ import annotations

from datetime import datetime

import pytest
from vner.engine.pipeline.postprocess.span_rebuild import span_rebuild
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.gazetteer import LocationRecognizer

from tests.engine.pipeline.postprocess.helpers import CS, span, spans

LOC = LocationRecognizer(config={})
CTX = RuleContext(ref_time=datetime(2026, 11, 25))
STREET = "12 Nguyễn Trãi"


@pytest.mark.parametrize(
    ("place", "value"),
    [
        ("TP HCM", "Hồ Chí Minh"),  # an alias the old span-rebuild list lacked
        ("Sài Gòn", "Hồ Chí Minh"),
        ("Danang", "Đà Nẵng"),
        ("Đắc Lắc", "Đắk Lắk"),  # a misspelling the old span-rebuild list lacked
        ("Tuyên Quang", "Tuyên Quang"),  # one of the 34 units since 2025 (from vietnam-provinces)
        ("Bình Dương", "Bình Dương"),  # a former province, merged into Hồ Chí Minh
        ("Cầu Giấy", "Cầu Giấy"),  # a former district
        ("HN", "Hà Nội"),
        ("phường Bến Thành", "Bến Thành"),  # a 2025 ward (vietnam-provinces), after its prefix
        ("đặc khu Phú Quý", "Phú Quý"),  # a 2025 special zone
    ],
)
def test_gazetteer_and_span_rebuild_agree(place: str, value: str) -> None:
    text = f"giao tới 12 Nguyễn Trãi, {place} giúp em"
    nt = normalize(text)
    # the street after "giao tới" is the gazetteer's too (house number + name after an address cue)
    assert [(e.text, e.value) for e in LOC.analyze(nt.text, CTX)] == [(STREET, "Nguyễn Trãi"), (place, value)]
    out = span_rebuild(text, [span(text, "12 Nguyễn Trãi", "ADDRESS")], CS)
    assert spans(out) == [(f"12 Nguyễn Trãi, {place}", "ADDRESS")]


@pytest.mark.parametrize(
    "word", ["hn", "Hoàng Mai", "Bến Thành"]
)  # chat "hôm nay"; a person; a bare ward name
def test_neither_takes_a_name_that_needs_a_prefix_or_capital(word: str) -> None:
    text = f"giao tới 12 Nguyễn Trãi, {word} giúp em"
    assert [e.text for e in LOC.analyze(text, CTX)] == [STREET]
    out = span_rebuild(text, [span(text, "12 Nguyễn Trãi", "ADDRESS")], CS)
    assert spans(out) == [("12 Nguyễn Trãi", "ADDRESS")]
