"""The shared regex-recognizer helpers: folding, context windows, grouped numbers, config checks."""

from __future__ import annotations

import importlib
import unicodedata
from datetime import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from vner.rules.normalize import normalize, strip_diacritics
from vner.rules.recognizer import Recognizer, RuleContext, source_of
from vner.rules.recognizers._base import (
    ContextWords,
    check_config,
    check_score,
    continues_group,
    fold,
    word_list,
)
from vner.rules.registry import FAMILY_MODULES


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Số Tài Khoản", "so tai khoan"),
        ("ĐẶNG Ỹ", "dang y"),
        ("Ngân hàng Ngoại thương", "ngan hang ngoai thuong"),
        ("İstanbul", "istanbul"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text(max_size=60))
def test_fold_keeps_length_of_normalised_text(text: str) -> None:
    norm = normalize(text).text
    assert len(fold(norm)) == len(norm)


@given(st.text(alphabet="aăâeêioôơuưyđAĂÂĐ \u0300\u0301\u0303\u0309\u0323", max_size=40))
def test_fold_agrees_with_strip_diacritics_on_vietnamese(text: str) -> None:
    norm = normalize(text).text
    assume(not any(unicodedata.combining(ch) for ch in norm))  # no stray marks left after NFC
    assert fold(norm) == strip_diacritics(norm.lower())


def test_context_words_window_sides_and_word_edges() -> None:
    cues = ContextWords(["số tài khoản", "tk"], before=20, after=5)
    text = "Số tài khoản: 0011004567890"
    assert cues.find(text, 14, 27) == "so tai khoan"
    assert cues.find("tkb 0011004567890", 4, 17) is None  # "tk" inside "tkb"
    far = "số tài khoản " + "x" * 30 + " 0011004567890"
    assert cues.find(far, len(far) - 13, len(far)) is None  # outside the window
    assert cues.find("0011004567890 tk", 0, 13) == "tk"  # right side, within 5


def test_context_words_nfd_input_after_normalisation() -> None:
    cues = ContextWords(["căn cước"])
    text = normalize(unicodedata.normalize("NFD", "Căn cước: 001099012345")).text
    assert cues.find_before(text, text.index("0")) == "can cuoc"


def test_adjacent_cue_belongs_to_the_next_number_only() -> None:
    cues = ContextWords(["mst"])
    text = "MST: 0101248141, 0912345678"
    assert cues.find_before(text, 5, adjacent=True) == "mst"
    assert cues.find_before(text, 17) == "mst"
    assert cues.find_before(text, 17, adjacent=True) is None


def test_empty_context_is_an_error() -> None:
    with pytest.raises(ValueError):
        ContextWords([" "])


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("0861 7829 8304 7963", (0, 14), True),
        ("0912345678 0987654321", (0, 10), False),  # ungrouped: two numbers
        ("a 0912 345 678, 1", (2, 14), False),
        ("12 0912 345 678", (3, 15), True),
        ("0912.345.678.9", (0, 12), True),
        ("0912-345-678-9", (0, 12), True),
        # a run glued to a letter, or one lone digit after a space, is not one more group
        ("0912 345 678 500k", (0, 12), False),
        ("t3 0912 345 678", (3, 15), False),
        ("thứ 2 0912 345 678", (6, 18), False),
        ("0912 345 678 2 cái", (0, 12), False),
        ("0912 345 678 9", (0, 12), False),
    ],
)
def test_continues_group(text: str, span: tuple[int, int], expected: bool) -> None:
    assert continues_group(text, *span) is expected


def test_check_config_names_the_key() -> None:
    allowed: dict[str, type | tuple[type, ...]] = {"score": (int, float), "context": (list, tuple)}
    assert check_config(None, allowed, where="x") == {}
    assert check_config({"score": 0.5}, allowed, where="x") == {"score": 0.5}
    with pytest.raises(ValueError, match="'scor'"):
        check_config({"scor": 1}, allowed, where="x")
    with pytest.raises(ValueError, match="'score'"):
        check_config({"score": True}, allowed, where="x")
    with pytest.raises(ValueError, match="mapping"):
        check_config(["score"], allowed, where="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'score'"):
        check_score(1.5, key="score", where="x")
    with pytest.raises(ValueError, match="'context'"):
        word_list([], key="context", where="x")


_FAMILIES = ["phone", "ids", "tax", "bank", "order_code", "web", "plate"]


@pytest.mark.parametrize("family", _FAMILIES)
def test_every_identifier_recognizer_follows_the_protocol(family: str) -> None:
    module = importlib.import_module(f"vner.rules.recognizers.{family}")
    assert f"vner.rules.recognizers.{family}" in FAMILY_MODULES
    for name, cls in module.RECOGNIZERS.items():
        configs: tuple[dict[str, object] | None, ...] = (None, {})
        for config in configs:
            rec = cls(config=config)
            assert isinstance(rec, Recognizer)
            assert rec.name == name and rec.version == "v1" and rec.labels
            assert source_of(rec) == f"rule:{name}.v1"
        with pytest.raises(ValueError, match="no_such_key"):
            cls(config={"no_such_key": 1})
        ctx = RuleContext(ref_time=datetime(2026, 11, 25))
        assert cls().analyze("", ctx) == []
