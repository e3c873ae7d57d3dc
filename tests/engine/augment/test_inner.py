"""``inner``: the known name inside a compound entity is renewed, the compound's other words stay in the span."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment import run_chain
from vner.engine.augment.base import Edit, rewrite
from vner.engine.augment.inner import InnerMentionReplacer
from vner.engine.training.corpus import Doc, Span, doc_tags, read_docs, write_docs

from tests.engine.augment.pieces import doc_of
from vner.cli import app

CORPUS = [
    doc_of(
        0,
        [
            ("Bệnh nhân ở", None),
            ("tỉnh Quảng Ninh", "LOCATION"),
            ("được", None),
            ("Sở Y tế Quảng Ninh", "ORGANIZATION"),
            ("theo dõi .", None),
        ],
    ),
    doc_of(
        1, [("Chuyển tới", None), ("khoa cấp cứu Bệnh viện Đà Nẵng", "LOCATION"), ("ngày hôm qua .", None)]
    ),
    doc_of(
        2,
        [
            ("Người này về", None),
            ("Quảng Nam", "LOCATION"),
            ("rồi đến", None),
            ("Bệnh viện Chợ Rẫy", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(
        3,
        [
            ("Ông từ", None),
            ("Việt Nam", "LOCATION"),
            ("đi", None),
            ("Nam", "LOCATION"),
            ("Hàn Quốc", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(
        4,
        [
            ("Nhà ở", None),
            ("xã Vinh Hiền", "LOCATION"),
            ("gần", None),
            ("Vinh", "LOCATION"),
            ("và", None),
            ("Đà Nẵng", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(
        5,
        [
            ("Chuyển", None),
            ("Bệnh viện Bệnh Nhiệt đới Trung ương", "LOCATION"),
            ("và", None),
            ("Bệnh viện Bạch Mai", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(
        6,
        [
            ("Cả", None),
            ("Trường THPT Nông Sơn", "LOCATION"),
            ("và", None),
            ("Cục Y tế dự phòng", "ORGANIZATION"),
            ("vào", None),
            ("TP. HCM", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(7, [("Về", None), ("Quảng Ninh", "LOCATION"), ("hôm nay .", None)]),
]


def _check(doc: Doc) -> None:
    assert [doc.text[a:b] for a, b in doc.tokens] == doc.words
    assert len(doc_tags(doc)) == len(doc.tokens)
    for s in doc.spans:
        assert doc.text[s.start : s.end] == doc.text[s.start : s.end].strip() != ""


def test_the_inside_is_renewed_and_the_outer_words_stay_in_the_span() -> None:
    aug = InnerMentionReplacer(corpus=CORPUS)
    res = aug.augment(CORPUS, rate=1.0, seed=0)
    assert res.report["replaced"] == res.report["compounds_seen"] > 0
    pairs = {}
    for before, after in zip(CORPUS, res.docs, strict=True):
        _check(after)
        assert [s.label for s in after.spans] == [s.label for s in before.spans]
        for old, new in zip(before.entity_texts(), after.entity_texts(), strict=True):
            pairs[old] = new
    # "tỉnh" kept, "Quảng Ninh" a different bare, capitalised place name
    prov = pairs["tỉnh Quảng Ninh"]
    assert prov.startswith("tỉnh ") and prov != "tỉnh Quảng Ninh"
    assert prov[len("tỉnh ") :] in {"Quảng Nam", "Đà Nẵng", "Việt Nam", "Hàn Quốc", "TP. HCM", "Vinh", "Nam"}
    # an ORGANIZATION's inner LOCATION is renewed from the LOCATION pool
    org = pairs["Sở Y tế Quảng Ninh"]
    assert org.startswith("Sở Y tế ") and org != "Sở Y tế Quảng Ninh"
    # a headed inside ("Bệnh viện ...") is replaced by another of its head; the outer words stay
    er = pairs["khoa cấp cứu Bệnh viện Đà Nẵng"]
    assert er.startswith("khoa cấp cứu Bệnh viện ") and er != "khoa cấp cứu Bệnh viện Đà Nẵng"
    assert not er.startswith("khoa cấp cứu Bệnh viện Bệnh viện")
    # the doc's tags follow: B on "khoa", I to the end of the new inside
    d1 = res.docs[1]
    tags = doc_tags(d1)
    span = d1.spans[0]
    inside = [i for i, (a, b) in enumerate(d1.tokens) if span.start <= a and b <= span.end]
    assert [tags[i] for i in inside] == ["B-LOCATION"] + ["I-LOCATION"] * (len(inside) - 1)


def test_parts_of_longer_names_and_repeats_are_never_taken() -> None:
    aug = InnerMentionReplacer(corpus=CORPUS)
    assert aug.inside_of("Việt Nam".split()) is None  # "Nam" is a known LOCATION, but part of the name
    assert aug.inside_of("xã Vinh Hiền".split()) is None  # "Vinh" is known, "Hiền" follows it
    i, j, label = aug.inside_of("tỉnh Quảng Ninh".split())
    assert (i, j, label) == (1, 3, "LOCATION")
    # "Bệnh viện Bệnh viện Chợ Rẫy" would repeat a word before the inside
    for cand in aug.replacements("LOCATION", "Bệnh viện Bạch Mai", ["khoa", "Bệnh", "viện"]):
        assert not cand.startswith("Bệnh")
    # a bare name is replaced only by all-capitalised names, never by "Trường THPT Nông Sơn"-like compounds
    bare = aug.replacements("LOCATION", "Quảng Ninh")
    assert bare and all(all(w[:1].isupper() for w in m.split() if w[:1].isalpha()) for m in bare)
    assert "Cục Y tế dự phòng" not in aug.replacements("ORGANIZATION", "Sở Y tế Quảng Ninh")


def test_rate_zero_seeded_and_errors() -> None:
    aug = InnerMentionReplacer(corpus=CORPUS)
    assert aug.augment(CORPUS, rate=0.0, seed=1).docs == CORPUS
    a, b = aug.augment(CORPUS, rate=0.5, seed=4), aug.augment(CORPUS, rate=0.5, seed=4)
    assert a.docs == b.docs and a.report == b.report
    with pytest.raises(ValueError, match="rate"):
        aug.augment(CORPUS, rate=2.0, seed=1)
    with pytest.raises(ValueError, match="capitalised"):
        InnerMentionReplacer(gazetteer={"AGE": ["45", "37"]})


def test_rewrite_within_stretches_a_span_only_when_asked() -> None:
    doc = Doc(
        "w", "Về tỉnh Quảng Ninh .", (Span(3, 18, "LOC"),), ((0, 2), (3, 7), (8, 13), (14, 18), (19, 20))
    )
    edit = [Edit(8, 18, "Cà Mau")]
    with pytest.raises(ValueError, match="cuts an entity"):
        rewrite(doc, edit, suffix="x")
    out = rewrite(doc, edit, suffix="x", within=True)
    assert out.text == "Về tỉnh Cà Mau ." and out.entity_texts() == ["tỉnh Cà Mau"]
    with pytest.raises(ValueError, match="cuts an entity"):  # crossing the span's end stays an error
        rewrite(doc, [Edit(14, 20, "Bình .")], suffix="x", within=True)


def test_registered_chain_and_cli(tmp_path: Path) -> None:
    res = run_chain(["mention", "inner"], CORPUS, rate=1.0, seed=2)
    assert res.report["inner.docs"] == len(CORPUS) and res.report["mention.replaced"] > 0
    for d in res.docs:
        _check(d)
    src, dst = tmp_path / "src.jsonl", tmp_path / "dst.jsonl"
    write_docs(CORPUS, src, "jsonl")
    r = CliRunner().invoke(app, ["augment", str(src), str(dst), "--augmenters", "inner", "--rate", "1"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output[r.output.index("{") : r.output.rindex("}") + 1])
    assert report["inner.replaced"] > 0
    out = read_docs(dst)
    assert len(out) == len(CORPUS) and any(a.text != b.text for a, b in zip(CORPUS, out, strict=True))
