"""``unlabelled``: names the annotators left outside every entity are renewed and stay O."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment import get_augmenter, run_chain
from vner.engine.augment.unlabelled import UnlabelledMentionReplacer, name_labels
from vner.engine.training.corpus import Doc, doc_tags, read_docs, write_docs

from tests.engine.augment.pieces import doc_of
from vner.cli import app

CORPUS = [
    doc_of(0, [("Bệnh nhân về từ", None), ("Hàn Quốc", "LOCATION"), ("và", None), ("Nhật Bản", "LOCATION")]),
    doc_of(1, [("Số ca mắc tại Việt Nam tăng , bệnh nhân đến", None), ("Bệnh viện Chợ Rẫy", "LOCATION")]),
    doc_of(2, [("Bệnh nhân người Anh đang ở", None), ("Việt Nam", "LOCATION"), (".", None)]),
    doc_of(3, [("Anh lập tức báo cho", None), ("Sở Y tế Đà Nẵng", "ORGANIZATION"), (".", None)]),
    doc_of(4, [("anh ấy là", None), ("nam", "GENDER"), (",", None), ("Anh", "LOCATION"), (".", None)]),
    doc_of(
        5, [("Ông", None), ("Nam", "NAME"), ("và bà", None), ("Hoa", "NAME"), ("ở Bệnh viện Bạch Mai", None)]
    ),
    doc_of(6, [("Tại Bệnh viện Bạch Mai , người nhà của", None), ("nữ", "GENDER"), ("bệnh nhân", None)]),
    doc_of(7, [("Người Việt Nam ở", None), ("Bệnh viện Bạch Mai", "LOCATION")]),
]


def names_in_o(doc: Doc, aug: UnlabelledMentionReplacer) -> list[str]:
    return [doc.text[doc.tokens[i][0] : doc.tokens[j - 1][1]] for i, j, _ in aug.found(doc)]


def test_default_labels_are_those_of_multi_word_names() -> None:
    # GENDER is lower case, NAME single words: their O look-alikes are mostly ordinary words ("anh", "Nam")
    assert name_labels(CORPUS) == ["LOCATION", "ORGANIZATION"]


def test_only_names_outside_every_span_are_found_and_whole_words_longest_first() -> None:
    aug = UnlabelledMentionReplacer(corpus=CORPUS)
    assert names_in_o(CORPUS[1], aug) == ["Việt Nam"]  # the gold LOCATION span is not touched
    assert names_in_o(CORPUS[0], aug) == []  # every name there is labelled
    # "Anh" in a sentence is the country; opening a sentence it is the pronoun "anh" the corpus also has
    assert names_in_o(CORPUS[2], aug) == ["Anh"]
    assert names_in_o(CORPUS[3], aug) == []
    # NAME is not looked for: "Nam" the person stays; the hospital nobody labelled in doc 5 is found
    assert names_in_o(CORPUS[5], aug) == ["Bệnh viện Bạch Mai"]
    assert names_in_o(CORPUS[6], aug) == ["Bệnh viện Bạch Mai"]
    # a capitalised sentence opener that is an ordinary word ("Tại", "Người") is not part of the name after it
    assert names_in_o(CORPUS[7], aug) == ["Việt Nam"]


def test_part_of_a_longer_name_is_never_taken() -> None:
    doc = doc_of(9, [("Ông về Nam Định hôm qua , ở", None), ("Bệnh viện Chợ Rẫy", "LOCATION")])
    corpus = [*CORPUS, doc_of(10, [("đến", None), ("Nam", "LOCATION"), ("và", None), ("Huế", "LOCATION")])]
    aug = UnlabelledMentionReplacer(corpus=corpus)
    assert ("Nam",) in aug.names.known  # "Nam" alone is a known place...
    assert names_in_o(doc, aug) == []  # ...but here it opens the longer name "Nam Định"


def test_replacements_stay_unlabelled_and_keep_every_gold_span() -> None:
    aug = UnlabelledMentionReplacer(corpus=CORPUS)
    res = aug.augment(CORPUS, rate=1.0, seed=3)
    assert res.report["replaced"] == res.report["unlabelled_seen"] == 5
    assert res.report["replaced:LOCATION"] == 5
    for old, new in zip(CORPUS, res.docs, strict=True):
        # the same gold mentions in the same order, each still text[start:end]
        assert [(old.text[s.start : s.end], s.label) for s in old.spans] == [
            (new.text[s.start : s.end], s.label) for s in new.spans
        ]
        assert sum(t != "O" for t in doc_tags(new)) >= 1
        if names_in_o(old, aug):
            assert new.text != old.text and new.id.endswith("+unlabelled")
        else:
            assert new is old
    # a bare name is replaced by a bare name; a "Bệnh viện X" by another "Bệnh viện ..." (its head group)
    country = res.docs[2].text.removeprefix("Bệnh nhân người ").split(" đang ở ")[0]
    assert country in {"Hàn Quốc", "Nhật Bản", "Việt Nam"}
    hospital = res.docs[6].text.split(" , ")[0]
    assert hospital.startswith("Tại Bệnh viện ") and hospital != "Tại Bệnh viện Bạch Mai"


def test_rate_zero_changes_nothing_and_the_seed_decides() -> None:
    aug = UnlabelledMentionReplacer(corpus=CORPUS)
    assert all(a is b for a, b in zip(CORPUS, aug.augment(CORPUS, rate=0.0, seed=1).docs, strict=True))
    a = [d.text for d in aug.augment(CORPUS, rate=1.0, seed=1).docs]
    b = [d.text for d in aug.augment(CORPUS, rate=1.0, seed=1).docs]
    assert a == b
    texts = {tuple(d.text for d in aug.augment(CORPUS, rate=1.0, seed=s).docs) for s in range(6)}
    assert len(texts) > 1


def test_gazetteer_names_are_found_and_used_and_labels_can_be_chosen() -> None:
    gaz = {"LOCATION": ["Lào", "Campuchia", "Trung Quốc"], "ORGANIZATION": ["Bộ Y tế", "Sở Y tế Hà Nội"]}
    doc = doc_of(11, [("Hàng hoá từ Trung Quốc về", None), ("Hà Nội", "LOCATION")])
    aug = UnlabelledMentionReplacer(corpus=CORPUS, gazetteer=gaz)
    assert names_in_o(doc, aug) == ["Trung Quốc"]
    only_org = UnlabelledMentionReplacer(corpus=CORPUS, gazetteer=gaz, labels=["ORGANIZATION"])
    assert names_in_o(doc, only_org) == []
    with pytest.raises(ValueError, match="no mentions of"):
        UnlabelledMentionReplacer(corpus=CORPUS, labels=["AGE"])


def test_registered_and_chained_after_mention_replacement() -> None:
    assert isinstance(get_augmenter("unlabelled", CORPUS), UnlabelledMentionReplacer)
    opts = {"unlabelled_labels": ["LOCATION"]}
    only_loc = get_augmenter("unlabelled", CORPUS, opts)
    assert isinstance(only_loc, UnlabelledMentionReplacer) and only_loc.labels == ["LOCATION"]
    res = run_chain(["mention", "unlabelled:1.0"], CORPUS, rate=0.5, seed=5)
    assert res.report["unlabelled.unlabelled_seen"] >= 4
    assert Counter(s.label for d in res.docs for s in d.spans) == Counter(
        s.label for d in CORPUS for s in d.spans
    )
    for d in res.docs:
        for s in d.spans:
            assert d.text[s.start : s.end].strip() == d.text[s.start : s.end]


def test_vner_augment_runs_it_and_takes_the_labels(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_docs(CORPUS, src, "jsonl")
    args = ["augment", str(src), str(dst), "--augmenters", "unlabelled", "--rate", "1"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    report = json.loads(r.output[r.output.index("{") : r.output.rindex("}") + 1])
    assert report["unlabelled.replaced"] == 5
    out = read_docs(dst)
    assert [len(d.spans) for d in out] == [len(d.spans) for d in CORPUS]
    # a gazetteer file that is not there: a clear error, exit code 1
    r = CliRunner().invoke(
        app, [*args, "--unlabelled-labels", "ORGANIZATION", "--gazetteer", str(tmp_path / "g.json")]
    )
    assert r.exit_code == 1 and "g.json" in r.output
    # only ORGANIZATION names (two from the gazetteer): none of them occurs outside a span here
    (tmp_path / "g.json").write_text(json.dumps({"ORGANIZATION": ["Bộ Y tế", "Sở Y tế Hà Nội"]}))
    r = CliRunner().invoke(
        app, [*args, "--unlabelled-labels", "ORGANIZATION", "--gazetteer", str(tmp_path / "g.json")]
    )
    assert r.exit_code == 0, r.output
    assert "unlabelled.replaced" not in r.output and read_docs(dst)[1].text == CORPUS[1].text


WORDS = [
    doc_of(20, [("Bệnh nhân là", None), ("bác sĩ", "JOB"), (", có biểu hiện", None), ("sốt", "SYMPTOM_AND_DISEASE")]),
    doc_of(21, [("Bệnh nhân là", None), ("kỹ sư", "JOB"), (", bị", None), ("ho", "SYMPTOM_AND_DISEASE")]),
    doc_of(22, [("Bệnh nhân là", None), ("lái xe", "JOB"), (", bị", None), ("khó thở", "SYMPTOM_AND_DISEASE")]),
    doc_of(23, [("Theo bác sĩ Nguyễn Văn An , bệnh nhân không sốt , không khó thở , ở", None), ("Huế", "LOCATION")]),
    doc_of(24, [("Bác sĩ cho biết", None), ("Hà Nội", "LOCATION"), ("có ca mới , Bác Sĩ Hùng trực", None)]),
]  # fmt: skip


def test_word_labels_asked_for_are_matched_as_lower_case_words_and_renewed_in_kind() -> None:
    aug = UnlabelledMentionReplacer(corpus=WORDS, labels=["JOB", "SYMPTOM_AND_DISEASE"])
    assert aug.word_labels == ["JOB", "SYMPTOM_AND_DISEASE"] and not aug.names.known
    # the speaker's title and the negated symptoms, longest first ("khó thở", not a shorter piece)
    assert names_in_o(WORDS[3], aug) == ["bác sĩ", "sốt", "khó thở"]
    assert names_in_o(WORDS[0], aug) == []  # every mention there is labelled
    # a capitalised one only where it opens a sentence; "Bác Sĩ Hùng" is a name
    assert names_in_o(WORDS[4], aug) == ["Bác sĩ"]
    res = aug.augment(WORDS[3:], rate=1.0, seed=3)
    assert res.report["replaced:JOB"] == 2 and res.report["replaced:SYMPTOM_AND_DISEASE"] == 2
    new3, new4 = res.docs
    assert [(new3.text[s.start : s.end], s.label) for s in new3.spans] == [("Huế", "LOCATION")]  # still O
    jobs = {"kỹ sư", "lái xe"}
    assert any(new3.text.startswith(f"Theo {j} Nguyễn Văn An") for j in jobs)
    symptoms = {"sốt", "ho", "khó thở"}
    first, second = new3.text.split("bệnh nhân không ")[1].split(" , ở")[0].split(" , không ")
    assert first in symptoms - {"sốt"} and second in symptoms - {"khó thở"}
    assert any(new4.text.startswith(j[:1].upper() + j[1:] + " cho biết") for j in jobs)  # capitalised again
    assert new4.text.endswith("Bác Sĩ Hùng trực")
    # text in NFD: found as the same words and always renewed by another job, never by itself in NFC
    nfd = doc_of(25, [(unicodedata.normalize("NFD", "Theo bác sĩ An , ở"), None), ("Huế", "LOCATION")])
    assert names_in_o(nfd, aug) == [unicodedata.normalize("NFD", "bác sĩ")]
    renewed = {aug.augment([nfd], rate=1.0, seed=k).docs[0].text.split(" An ,")[0][5:] for k in range(12)}
    assert renewed == jobs
    # not asked for: the default (names only) never touches them
    assert names_in_o(WORDS[3], UnlabelledMentionReplacer(corpus=[*WORDS, *CORPUS])) == []
