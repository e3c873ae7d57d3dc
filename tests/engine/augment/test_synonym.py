"""Synonym replacement: lexicon-driven, never touches entities, keeps capitals, validates its data."""

from __future__ import annotations

from pathlib import Path

import pytest
from vner.engine.augment.synonym import LEXICON, SynonymReplacer, load_lexicon
from vner.engine.training.corpus import Doc, Span, doc_tags, read_docs

from tests.engine.tiny_model import TRAIN


def test_shipped_lexicon_is_valid_and_domain_aware() -> None:
    all_groups = load_lexicon()
    health = load_lexicon(domains=["health"])
    assert len(all_groups) >= 60
    assert ["bệnh nhân", "người bệnh"] in health and ["chuyển khoản", "chuyển tiền"] not in health
    with pytest.raises(ValueError, match="unknown synonym domain"):
        load_lexicon(domains=["astronomy"])


def test_replaces_outside_entities_only_and_keeps_capitals() -> None:
    text = "Bệnh nhân được chuyển tới Bệnh viện Chợ Rẫy , bệnh nhân đã xuất viện ."
    start = text.index("Bệnh viện")
    doc = Doc("s", text, (Span(start, start + len("Bệnh viện Chợ Rẫy"), "ORG"),))
    res = SynonymReplacer().augment([doc], rate=1.0, seed=0)
    (out,) = res.docs
    assert out.entity_texts() == ["Bệnh viện Chợ Rẫy"]
    # longest phrase first: "được chuyển" is one phrase, so "chuyển" is not read on its own
    assert out.text.startswith("Người bệnh được đưa đến ")
    assert ", người bệnh đã ra viện ." in out.text
    assert res.report["replaced"] == res.report["candidates"] == 5
    assert doc_tags(out).count("B-ORG") == 1 and [out.text[a:b] for a, b in out.tokens] == out.words


def test_entity_containing_a_lexicon_word_is_untouched() -> None:
    text = "Hội bệnh nhân ung thư họp"
    doc = Doc("e", text, (Span(0, len("Hội bệnh nhân ung thư"), "ORG"),))
    (out,) = SynonymReplacer(domains=["health"]).augment([doc], rate=1.0, seed=0).docs
    assert out.entity_texts() == ["Hội bệnh nhân ung thư"] and out.text == text


def test_rate_and_seed_control_on_the_fixture() -> None:
    docs = read_docs(TRAIN)
    aug = SynonymReplacer()
    assert aug.augment(docs, rate=0.0, seed=1).docs == docs
    a, b = aug.augment(docs, rate=0.5, seed=9), aug.augment(docs, rate=0.5, seed=9)
    assert a.docs == b.docs and a.report["replaced"] > 0
    for before, after in zip(docs, a.docs, strict=True):
        assert before.entity_texts() == after.entity_texts()
        assert [s.label for s in before.spans] == [s.label for s in after.spans]


def test_bad_lexicons_are_rejected(tmp_path: Path) -> None:
    dup = tmp_path / "dup.yaml"
    dup.write_text("domains:\n  general:\n    - [a, b]\n    - [b, c]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="appears in"):
        load_lexicon(dup)
    short = tmp_path / "short.yaml"
    short.write_text("domains:\n  general:\n    - [a]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="two or more"):
        load_lexicon(short)
    assert LEXICON.is_file()
