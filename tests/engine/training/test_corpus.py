"""Corpus readers/writers: lossless round trips, BIO repair, label groups, clear errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.engine.training.corpus import (
    DataFormatError,
    Doc,
    Span,
    apply_groups,
    convert,
    detect_format,
    doc_tags,
    from_words,
    group_map,
    label_set,
    read_docs,
    repair_bio,
    sample_fraction,
    tags_to_spans,
    tokenize,
    write_docs,
)

from tests.engine.tiny_model import DEV, TRAIN

WORD_LEVEL = [
    (
        ["Bệnh_nhân", "91", "điều_trị", "tại", "Bệnh_viện", "Chợ_Rẫy", "."],
        ["O", "B-PATIENT_ID", "O", "O", "B-ORGANIZATION", "I-ORGANIZATION", "O"],
    ),
    (["Ông", "Nguyễn_Văn_An", "ở", "Hà_Nội"], ["O", "B-NAME", "O", "B-LOCATION"]),
]


def _key(docs: list[Doc]) -> list[tuple[str, tuple[Span, ...], list[str]]]:
    return [(d.text, d.spans, d.words) for d in docs]


@pytest.mark.parametrize("fmt", ["phoner", "conll", "jsonl"])
def test_fixture_round_trips_through_every_format(tmp_path: Path, fmt: str) -> None:
    docs = read_docs(TRAIN)
    write_docs(docs, tmp_path / f"x.{fmt}", fmt)
    back = read_docs(tmp_path / f"x.{fmt}")
    assert detect_format(tmp_path / f"x.{fmt}") == fmt
    assert _key(back) == _key(docs)
    for d in back:
        assert all(d.text[s.start : s.end].strip() == d.text[s.start : s.end] for s in d.spans)


@pytest.mark.parametrize("fmt", ["phoner", "conll"])
def test_token_files_are_rewritten_byte_for_byte(tmp_path: Path, fmt: str) -> None:
    docs = [from_words(w, t, doc_id=str(i)) for i, (w, t) in enumerate(WORD_LEVEL)]
    first = tmp_path / f"a.{fmt}"
    write_docs(docs, first, fmt)
    mid = tmp_path / "b.jsonl"
    convert(first, mid, src_fmt=None, dst_fmt="jsonl")
    last = tmp_path / f"c.{fmt}"
    convert(mid, last, src_fmt="jsonl", dst_fmt=fmt)
    assert last.read_bytes() == first.read_bytes()
    body = first.read_text("utf-8")
    if fmt == "conll":
        assert "Bệnh_viện B-ORGANIZATION\nChợ_Rẫy I-ORGANIZATION" in body
    else:
        assert '"Bệnh_viện", "Chợ_Rẫy"' in body


def test_word_level_tokens_hold_spaces_and_spans_cover_words() -> None:
    d = from_words(*WORD_LEVEL[0])
    assert d.words[0] == "Bệnh nhân"
    assert [(d.text[s.start : s.end], s.label) for s in d.spans] == [
        ("91", "PATIENT_ID"),
        ("Bệnh viện Chợ Rẫy", "ORGANIZATION"),
    ]
    assert doc_tags(d) == WORD_LEVEL[0][1]


def test_jsonl_without_tokens_is_tokenised_at_entity_edges(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text(
        '{"id": "a", "text": "Gặp ông Lê ở HàNội.", "entities": [{"start": 13, "end": 18, "label": "LOC"}]}\n',
        encoding="utf-8",
    )
    (d,) = read_docs(p)
    assert d.words == ["Gặp", "ông", "Lê", "ở", "HàNội", "."]
    assert doc_tags(d) == ["O", "O", "O", "O", "B-LOC", "O"]


@pytest.mark.parametrize(
    ("tags", "fixed"),
    [
        (["I-A", "I-A", "O"], ["B-A", "I-A", "O"]),
        (["B-A", "I-B", "I-B"], ["B-A", "B-B", "I-B"]),
        (["O", "I-A", "B-A", "I-A"], ["O", "B-A", "B-A", "I-A"]),
        (["O", "O"], ["O", "O"]),
    ],
)
def test_repair_bio(tags: list[str], fixed: list[str]) -> None:
    assert repair_bio(tags) == fixed


def test_bad_tag_and_length_mismatch_are_errors() -> None:
    with pytest.raises(DataFormatError, match="not a BIO tag"):
        repair_bio(["PER"])
    with pytest.raises(DataFormatError, match="2 tokens but 1 tags"):
        tags_to_spans([(0, 1), (2, 3)], ["O"])


def test_malformed_files_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"words": ["a"], "tags": ["O"]}\n{"words": ["a", "b"], "tags": ["O"]}\n', encoding="utf-8"
    )
    with pytest.raises(DataFormatError, match=r"bad.json:2"):
        read_docs(bad)
    conll = tmp_path / "bad.conll"
    conll.write_text("a O\nlonely\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad.conll:2"):
        read_docs(conll, "conll")
    with pytest.raises(DataFormatError, match="unknown format"):
        read_docs(conll, "xml")
    with pytest.raises(DataFormatError, match="outside text"):
        Doc("x", "abc", (Span(1, 9, "A"),))


def test_groups_map_fine_labels_and_reject_conflicts() -> None:
    docs = read_docs(DEV)
    grouped = apply_groups(docs, {"AGENT": ["PERSON", "ORGANIZATION"]})
    labels = {s.label for d in grouped for s in d.spans}
    assert labels == {"AGENT", "LOCATION", "DATE"}
    assert [d.entity_texts() for d in grouped] == [d.entity_texts() for d in docs]
    dropped = apply_groups(docs, {"AGENT": ["PERSON"]}, drop_unmapped=True)
    assert {s.label for d in dropped for s in d.spans} == {"AGENT"}
    with pytest.raises(ValueError, match="two groups"):
        group_map({"A": ["X"], "B": ["X"]})
    assert label_set(grouped)[:3] == ["O", "B-AGENT", "I-AGENT"]


def test_nfd_text_keeps_offsets(tmp_path: Path) -> None:
    text = unicodedata.normalize("NFD", "Chị Lan ở Huế")
    start = text.index(unicodedata.normalize("NFD", "Huế"))
    d = Doc("n", text, (Span(start, len(text), "LOC"),))
    write_docs([d], tmp_path / "n.conll", "conll")
    (back,) = read_docs(tmp_path / "n.conll")
    assert back.text == text and back.entity_texts() == [text[start:]]


_word = st.text(alphabet="abcđêô", min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_word, st.sampled_from(["O", "B-X", "I-X", "B-Y"])), min_size=1, max_size=12))
def test_words_to_doc_to_words_property(pairs: list[tuple[str, str]]) -> None:
    words = [w for w, _ in pairs]
    tags = repair_bio([t for _, t in pairs])
    d = from_words(words, tags)
    assert d.words == words
    assert doc_tags(d) == tags
    assert tokenize(d.text, d.spans) == d.tokens


def test_sample_fraction_is_seeded_and_sized() -> None:
    docs = [Doc(f"d{i}", f"văn bản {i}", ()) for i in range(200)]
    a = sample_fraction(docs, 0.1, 42)
    assert len(a) == 20 and len({d.id for d in a}) == 20
    assert [d.id for d in sample_fraction(docs, 0.1, 42)] == [d.id for d in a]  # one seed, one subset
    assert {d.id for d in sample_fraction(docs, 0.1, 7)} != {d.id for d in a}
    assert len(sample_fraction(docs[:3], 0.01, 1)) == 1  # never empty
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match="fraction"):
            sample_fraction(docs, bad, 1)
