"""The one Vietnamese folding: NFC and NFD spellings agree, lengths carry over, the old callers share it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vner.engine.pipeline.postprocess import base as post_base
from vner.rules.lang.vi import fold, fold_word, strip_diacritics
from vner.rules.normalize import normalize
from vner.rules.recognizers import _base, gazetteer_match
from vner.rules.recognizers.temporal import lexicon

VIETNAMESE = "aăâeêioôơuưyđAĂÂĐÊÔƠƯ \u0300\u0301\u0303\u0309\u0323-–"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Số Tài Khoản", "so tai khoan"),
        ("ĐẶNG Ỹ", "dang y"),
        ("Thừa Thiên – Huế", "thua thien - hue"),
        ("İstanbul", "istanbul"),
        ("가 😊 ﬁ", "가 😊 ﬁ"),  # no canonical base + marks: kept
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("word", ["Tối", "Đắk Lắk", "mười hai", "Thừa Thiên Huế", "Hoà"])
def test_fold_word_same_for_nfc_and_nfd(word: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)
    assert nfc != nfd
    assert fold_word(nfc) == fold_word(nfd) == fold(nfc)


@given(st.text(alphabet=VIETNAMESE, max_size=40))
def test_fold_of_normalised_nfd_equals_fold_of_nfc(text: str) -> None:
    nfc = normalize(unicodedata.normalize("NFC", text)).text
    nfd = normalize(unicodedata.normalize("NFD", text)).text
    assert fold(nfd) == fold(nfc)
    assert len(fold(nfc)) == len(nfc)


@given(st.text(max_size=60))
def test_fold_and_strip_keep_length_of_any_string(text: str) -> None:
    assert len(fold(text)) == len(text) == len(strip_diacritics(text))


def test_strip_keeps_case_and_dashes() -> None:
    assert strip_diacritics("Đà Nẵng – Quảng Nam") == "Da Nang – Quang Nam"
    assert strip_diacritics("Đà Nẵng").lower() == fold("Đà Nẵng")


def test_every_caller_uses_the_one_implementation() -> None:
    assert _base.fold is fold and gazetteer_match.fold is fold and post_base.fold is fold
    assert lexicon.fold_word is fold_word
