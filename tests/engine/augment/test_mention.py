"""Mention replacement keeps offsets, tokens and tags consistent; seeded; rate-controlled."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment import build_hook, get_augmenter, run_chain
from vner.engine.augment.base import Edit, rewrite
from vner.engine.augment.mention import MentionReplacer
from vner.engine.training.corpus import Doc, Span, doc_tags, read_docs, write_docs

from tests.engine.tiny_model import TRAIN
from vner.cli import app


def _check(doc: Doc) -> None:
    assert [doc.text[a:b] for a, b in doc.tokens] == doc.words
    assert all(" " not in w and w for w in doc.words)
    tags = doc_tags(doc)
    assert len(tags) == len(doc.tokens)
    assert tags.count("O") + sum(1 for t in tags if t != "O") == len(tags)
    for s in doc.spans:
        assert doc.text[s.start : s.end] == doc.text[s.start : s.end].strip() != ""


def test_every_entity_replaced_at_rate_one() -> None:
    docs = read_docs(TRAIN)
    aug = MentionReplacer(corpus=docs)
    res = aug.augment(docs, rate=1.0, seed=3)
    assert res.report["replaced"] == res.report["entities_seen"] == sum(len(d.spans) for d in docs)
    for before, after in zip(docs, res.docs, strict=True):
        _check(after)
        assert [s.label for s in after.spans] == [s.label for s in before.spans]
        for old, new in zip(before.entity_texts(), after.entity_texts(), strict=True):
            assert new != old
        for s in after.spans:
            assert after.text[s.start : s.end] in aug.pool[s.label]


def test_rate_zero_changes_nothing_and_seed_is_deterministic() -> None:
    docs = read_docs(TRAIN)
    aug = MentionReplacer(corpus=docs)
    assert aug.augment(docs, rate=0.0, seed=1).docs == docs
    a = aug.augment(docs, rate=0.4, seed=5)
    b = aug.augment(docs, rate=0.4, seed=5)
    c = aug.augment(docs, rate=0.4, seed=6)
    assert a.docs == b.docs and a.report == b.report
    assert [d.text for d in a.docs] != [d.text for d in c.docs]
    assert 0 < a.report["replaced"] < a.report["entities_seen"]
    with pytest.raises(ValueError, match="rate"):
        aug.augment(docs, rate=1.5, seed=1)


def test_gazetteer_mentions_and_round_trip(tmp_path: Path) -> None:
    doc = Doc("g", "Chuyển tiền cho anh Lê Văn Tám ở Huế .", (Span(20, 30, "PERSON"), Span(33, 36, "LOC")))
    aug = MentionReplacer(
        gazetteer={"PERSON": ["Nguyễn Thị Minh Khai", "Lê Văn Tám"], "LOC": ["Huế", "Cà Mau"]}
    )
    (out,) = aug.augment([doc], rate=1.0, seed=0).docs
    assert out.entity_texts() == ["Nguyễn Thị Minh Khai", "Cà Mau"]
    assert out.text == "Chuyển tiền cho anh Nguyễn Thị Minh Khai ở Cà Mau ."
    assert doc_tags(out)[4:9] == ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O"]
    write_docs([out], tmp_path / "o.conll", "conll")
    assert read_docs(tmp_path / "o.conll")[0].entity_texts() == out.entity_texts()


def test_errors_for_unusable_pools_and_bad_edits() -> None:
    with pytest.raises(ValueError, match="two distinct mentions"):
        MentionReplacer(gazetteer={"PERSON": ["Lan"]})
    with pytest.raises(ValueError, match="unknown augmenter"):
        get_augmenter("paraphrase", [])
    doc = Doc("e", "Anh Lê Văn Tám đến", (Span(4, 14, "PER"),))
    with pytest.raises(ValueError, match="cuts an entity"):
        rewrite(doc, [Edit(4, 6, "Bùi")], suffix="x")


def test_chain_hook_and_cli(tmp_path: Path) -> None:
    docs = read_docs(TRAIN)
    res = run_chain(["mention", "synonym"], docs, rate=0.5, seed=2)
    assert res.report["mention.docs"] == res.report["synonym.docs"] == len(docs)
    for d in res.docs:
        _check(d)
    hook = build_hook(["mention"], rate=0.5, seed=2, corpus=docs, keep_original=False)
    assert hook(docs) == run_chain(["mention"], docs, rate=0.5, seed=2, corpus=docs).docs
    reports: list[dict[str, int]] = []
    hook2 = build_hook(
        ["mention"], rate=0.5, seed=2, corpus=docs, copies=2, on_report=lambda r: reports.append(dict(r))
    )
    phase2 = hook2(docs)
    # originals first, then two differently seeded augmented copies
    assert phase2[: len(docs)] == docs and len(phase2) == 3 * len(docs)
    assert (
        phase2[len(docs) : 2 * len(docs)] == run_chain(["mention"], docs, rate=0.5, seed=2, corpus=docs).docs
    )
    assert phase2[len(docs) : 2 * len(docs)] != phase2[2 * len(docs) :]
    assert reports[0]["phase2_docs"] == 3 * len(docs) and reports[0]["mention.docs"] == 2 * len(docs)
    control = build_hook(["none"], rate=0.5, seed=2, copies=2)(docs)
    assert control == docs * 3  # the same-size control: no new text
    with pytest.raises(ValueError, match="copies"):
        build_hook(["mention"], rate=0.5, seed=2, copies=0)
    out = tmp_path / "aug.jsonl"
    r = CliRunner().invoke(
        app,
        [
            "augment",
            str(TRAIN),
            str(out),
            "--augmenters",
            "mention,synonym",
            "--rate",
            "0.3",
            "--seed",
            "1",
            "--keep-original",
        ],
    )
    assert r.exit_code == 0, r.output
    assert len(read_docs(out)) == 2 * len(docs) and '"mention.replaced"' in r.output


def _loc(text: str, *mentions: str) -> Doc:
    spans = []
    for m in mentions:
        i = text.index(m)
        spans.append(Span(i, i + len(m), "LOCATION"))
    return Doc(text[:8], text, tuple(spans))


HEAD_CORPUS = [
    _loc("Bệnh nhân được đưa vào Bệnh viện Bạch Mai điều trị .", "Bệnh viện Bạch Mai"),
    _loc("Ca bệnh ở quận 2 đã được đưa vào Bệnh viện Chợ Rẫy .", "quận 2", "Bệnh viện Chợ Rẫy"),
    _loc("Người này sống ở quận Tân Bình , về từ Đà Nẵng .", "quận Tân Bình", "Đà Nẵng"),
    _loc("Đoàn khách đi từ Hà Nội tới Huế bằng tàu .", "Hà Nội", "Huế"),
    _loc("Ông đến quận 12 rồi tới Bệnh viện E ngày hôm sau .", "quận 12", "Bệnh viện E"),
    _loc("Các quận nội thành đã phong toả ."),
]


def test_mention_head_keeps_the_kind_of_each_replaced_mention() -> None:
    aug = get_augmenter("mention-head", HEAD_CORPUS)
    kinds = aug.heads["LOCATION"]  # type: ignore[attr-defined]
    # "bệnh" and "quận" are ordinary words of the corpus and start several mentions; bare names share ""
    assert set(kinds) == {"bệnh", "quận", ""}
    assert sorted(kinds[""]) == ["Huế", "Hà Nội", "Đà Nẵng"]
    res = aug.augment(HEAD_CORPUS * 20, rate=1.0, seed=4)
    assert res.report["replaced"] == res.report["entities_seen"] == 20 * 9  # the last doc has no entity
    seen: set[str] = set()
    for before, after in zip(HEAD_CORPUS * 20, res.docs, strict=True):
        _check(after)
        for old, new in zip(before.entity_texts(), after.entity_texts(), strict=True):
            assert new != old
            assert aug.head_of("LOCATION", new) == aug.head_of("LOCATION", old)  # type: ignore[attr-defined]
            seen.add(new)
    assert {"quận Tân Bình", "Bệnh viện E", "Huế"} <= seen
    # the plain replacer mixes kinds: some hospital becomes a district or a city
    plain = get_augmenter("mention", HEAD_CORPUS).augment(HEAD_CORPUS * 20, rate=1.0, seed=4)
    assert any(
        old.startswith("Bệnh viện") and not new.startswith("Bệnh viện")
        for b, a in zip(HEAD_CORPUS * 20, plain.docs, strict=True)
        for old, new in zip(b.entity_texts(), a.entity_texts(), strict=True)
    )


def test_mention_head_ignores_numbers_and_names_as_heads() -> None:
    docs = [
        Doc("a", "Ngày 25 - 7 và 25 - 8 , ông Hà đến .", (Span(5, 11, "DATE"), Span(15, 21, "DATE"))),
        Doc("b", "Từ 3/4 tới 9/4 .", (Span(3, 6, "DATE"), Span(11, 14, "DATE"))),
    ]
    aug = MentionReplacer(corpus=docs, by_head=True)
    assert set(aug.heads["DATE"]) == {""}  # "25" is a number, not a kind: every date may replace another
    res = aug.augment(docs * 10, rate=1.0, seed=1)
    assert res.report["replaced"] == 40
    assert MentionReplacer(corpus=docs).name == "mention" and aug.name == "mention-head"
