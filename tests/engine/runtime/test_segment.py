"""Word segmentation by name: spans index the original text, even when the segmenter re-spaces it."""

from __future__ import annotations

import pytest
from vner.engine.runtime.segment import SegmenterError, align_words, get_segmenter, segment, segmented_words


def test_pyvi_words_map_back_to_original_offsets() -> None:
    text = "Bệnh nhân 91 điều trị tại Bệnh viện  Chợ Rẫy, TP.HCM."
    spans = segment(text, "pyvi")
    words = [text[a:b] for a, b in spans]
    assert "Bệnh nhân" in words and "điều trị" in words
    assert all(text[a:b] == text[a:b].strip() and a < b for a, b in spans)
    assert spans == sorted(spans) and all(
        b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False)
    )
    assert segmented_words(text, "pyvi")[:3] == ["Bệnh_nhân", "91", "điều_trị"]
    assert segment("   ", "pyvi") == []


def test_align_words_handles_resplit_punctuation_and_double_spaces() -> None:
    text = "Ở  Hà Nội,hôm qua."
    spans = align_words(text, ["Ở", "Hà_Nội", ",", "hôm qua", "."])
    assert [text[a:b] for a, b in spans] == ["Ở", "Hà Nội", ",", "hôm qua", "."]
    with pytest.raises(SegmenterError, match="does not match"):
        align_words(text, ["Huế"])


def test_unknown_segmenter_is_a_clear_error() -> None:
    with pytest.raises(SegmenterError, match="unknown segmenter 'vncorenlp'"):
        get_segmenter("vncorenlp")
