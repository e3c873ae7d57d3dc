"""Token-level augmenters (lwtr, recombine, shuffle): tags, token count and gaps kept; seeded; rated."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment import build_hook, get_augmenter, parse_step, run_chain
from vner.engine.augment.token_level import (
    LabelwiseTokenReplacer,
    SegmentShuffler,
    position_keys,
    rebuild,
    segments,
)
from vner.engine.training.corpus import Doc, Span, doc_tags, read_docs

from tests.engine.tiny_model import TRAIN
from vner.cli import app

DOC = Doc(
    "d",
    "Bệnh nhân  Nguyễn Văn An ở tỉnh Quảng Nam bị sốt , ho .",
    (Span(11, 24, "NAME"), Span(28, 41, "LOCATION"), Span(45, 48, "SYM"), Span(51, 53, "SYM")),
)


def _gaps(doc: Doc) -> list[str]:
    ends = [0, *(b for _, b in doc.tokens)]
    starts = [*(a for a, _ in doc.tokens), len(doc.text)]
    return [doc.text[e:s] for e, s in zip(ends, starts, strict=True)]


def _same_shape(before: Doc, after: Doc) -> None:
    assert len(after.tokens) == len(before.tokens)
    assert doc_tags(after) == doc_tags(before)
    assert _gaps(after) == _gaps(before)  # the double space after "nhân" survives
    assert [after.text[a:b] for a, b in after.tokens] == after.words
    for s in after.spans:
        assert after.text[s.start : s.end].strip() == after.text[s.start : s.end] != ""


def test_position_keys_and_segments() -> None:
    tags = ["O", "B-A", "I-A", "I-A", "B-A", "O", "O", "B-B", "B-A", "I-A"]
    assert position_keys(tags) == ["O", "B-A", "I-A", "E-A", "S-A", "O", "O", "S-B", "B-A", "E-A"]
    assert segments(tags) == [(0, 1), (1, 4), (4, 5), (5, 7), (7, 8), (8, 10)]
    assert segments([]) == []


def test_lwtr_replaces_from_the_same_position_pool_at_rate_one() -> None:
    docs = read_docs(TRAIN)
    aug = LabelwiseTokenReplacer(corpus=docs)
    res = aug.augment(docs, rate=1.0, seed=4)
    changed = 0
    for before, after in zip(docs, res.docs, strict=True):
        _same_shape(before, after)
        for old, new, key in zip(before.words, after.words, position_keys(doc_tags(before)), strict=True):
            if key in aug.pool:
                assert new in aug.pool[key] and new != old
            else:
                assert new == old  # a key with a single word has nothing to swap in
        changed += after.text != before.text
    assert changed == res.report["docs_changed"] > 0
    assert res.report["replaced:O"] > 0 and res.report["replaced:entity"] > 0


def test_recombine_keeps_every_context_word() -> None:
    docs = read_docs(TRAIN)
    aug = get_augmenter("recombine", docs)
    assert all(k != "O" for k in aug.pool)  # type: ignore[attr-defined]
    res = aug.augment(docs, rate=1.0, seed=0)
    assert res.report["replaced:O"] == 0 and res.report["replaced:entity"] > 0
    for before, after in zip(docs, res.docs, strict=True):
        _same_shape(before, after)
        tags = doc_tags(before)
        for old, new, t in zip(before.words, after.words, tags, strict=True):
            if t == "O":
                assert new == old
    one_token = {d.text[s.start : s.end] for d in docs for s in d.spans if " " not in d.text[s.start : s.end]}
    for d in res.docs:  # one-token mentions come from one-token mentions only
        for s in d.spans:
            if " " not in d.text[s.start : s.end]:
                assert d.text[s.start : s.end] in one_token


def test_shuffle_permutes_inside_segments_only() -> None:
    res = SegmentShuffler().augment([DOC], rate=1.0, seed=3)
    (out,) = res.docs
    _same_shape(DOC, out)
    tags = doc_tags(DOC)
    for a, b in segments(tags):
        assert Counter(out.words[a:b]) == Counter(DOC.words[a:b])
    assert out.words != DOC.words and res.report["shuffled"] == res.report["segments_seen"]
    assert sorted(out.entity_texts()[0].split()) == sorted("Nguyễn Văn An".split())


def test_seeded_rate_controlled_and_overlaps_passed_through() -> None:
    docs = read_docs(TRAIN)
    for name in ("lwtr", "recombine", "shuffle"):
        aug = get_augmenter(name, docs)
        assert aug.augment(docs, rate=0.0, seed=1).docs == docs
        a, b = aug.augment(docs, rate=0.3, seed=7), aug.augment(docs, rate=0.3, seed=7)
        assert a.docs == b.docs and a.report == b.report
        assert a.docs != aug.augment(docs, rate=0.3, seed=8).docs
        with pytest.raises(ValueError, match="rate"):
            aug.augment(docs, rate=-0.1, seed=1)
    nested = Doc("n", "Bệnh viện Bạch Mai Hà Nội", (Span(0, 25, "ORG"), Span(19, 25, "LOC")))
    for aug in (LabelwiseTokenReplacer(corpus=[DOC, *docs]), SegmentShuffler()):
        res = aug.augment([nested], rate=1.0, seed=0)
        assert res.docs == [nested] and res.report["skipped_overlapping_spans"] == 1


def test_errors() -> None:
    with pytest.raises(ValueError, match="two distinct tokens"):
        LabelwiseTokenReplacer(corpus=[Doc("x", "a", (Span(0, 1, "A"),))], entity_only=True)
    with pytest.raises(ValueError, match="one word and one tag"):
        rebuild(DOC, ["a"], ["O"], suffix="x")
    with pytest.raises(ValueError, match="unpadded"):
        rebuild(DOC, [" a", *DOC.words[1:]], doc_tags(DOC), suffix="x")


def test_chain_with_mention_and_cli(tmp_path: Path) -> None:
    docs = read_docs(TRAIN)
    res = run_chain(["mention", "recombine", "synonym"], docs, rate=0.5, seed=2)
    assert res.report["recombine.docs"] == len(docs)
    for d in res.docs:
        assert all(d.text[s.start : s.end].strip() for s in d.spans)
    out = tmp_path / "aug.jsonl"
    r = CliRunner().invoke(
        app, ["augment", str(TRAIN), str(out), "--augmenters", "lwtr,shuffle", "--rate", "0.2", "--seed", "1"]
    )
    assert r.exit_code == 0, r.output
    back = read_docs(out)
    assert len(back) == len(docs) and '"lwtr.replaced"' in r.output
    assert [doc_tags(d) for d in back] == [doc_tags(d) for d in docs]


def test_per_augmenter_rate() -> None:
    docs = read_docs(TRAIN)
    assert parse_step("recombine:0.25", 0.9) == ("recombine", 0.25)
    assert parse_step(" mention ", 0.9) == ("mention", 0.9)
    for bad, msg in (
        ("recombine:x", "must be a number"),
        ("recombine:1.5", "rate must be"),
        ("nope:0.1", "unknown"),
    ):
        with pytest.raises(ValueError, match=msg):
            parse_step(bad, 0.5)
    own = run_chain(["shuffle:0"], docs, rate=1.0, seed=1)
    assert own.docs == docs and own.report["shuffle.shuffled"] == 0
    assert (
        run_chain(["lwtr:0.4"], docs, rate=0.0, seed=1).docs
        == run_chain(["lwtr"], docs, rate=0.4, seed=1).docs
    )
    with pytest.raises(ValueError, match="must be a number"):
        build_hook(["mention:abc"], rate=0.5, seed=1)
