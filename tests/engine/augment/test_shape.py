"""``shape``: codes, numbers and initials become fresh ones of the same shape; words and dates never."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment import get_augmenter, run_chain
from vner.engine.augment.shape import (
    ShapeReplacer,
    date_like,
    fresh_mention,
    learn_labels,
    shapeable,
    token_kind,
)
from vner.engine.training.corpus import doc_tags, read_docs, write_docs

from tests.engine.augment.pieces import doc_of
from vner.cli import app

CORPUS = [
    doc_of(
        0,
        [
            ("Bệnh nhân", None),
            ("416", "PATIENT_ID"),
            ("(", None),
            ("N.H.N.", "NAME"),
            (",", None),
            ("45", "AGE"),
            ("tuổi ) bay chuyến", None),
            ("VN0054", "TRANSPORTATION"),
            ("ngày", None),
            ("25/3", "DATE"),
            ("tới", None),
            ("Đà Nẵng", "LOCATION"),
            (".", None),
        ],
    ),
    doc_of(
        1,
        [
            ("Bệnh nhân", None),
            ("91", "PATIENT_ID"),
            ("là bà", None),
            ("Nguyễn Hồng Nhung", "NAME"),
            (",", None),
            ("37", "AGE"),
            ("tuổi , đi xe", None),
            ("43 B - 03126", "TRANSPORTATION"),
            ("ngày", None),
            ("25 - 7", "DATE"),
            (".", None),
        ],
    ),
    doc_of(
        2,
        [
            ("Ca", None),
            ("1.021", "PATIENT_ID"),
            ("là ông", None),
            ("T.", "NAME"),
            ("ở", None),
            ("quận 2", "LOCATION"),
            ("bay chuyến", None),
            ("SU 290", "TRANSPORTATION"),
            ("ngày", None),
            ("3/4", "DATE"),
            (".", None),
        ],
    ),
]


def test_token_kinds_and_shapeable_mentions() -> None:
    assert [token_kind(t) for t in ["416", "1.021", "VN0054", "N.H.N.", "BN", "-", "tuổi", "Nhung"]] == [
        "number",
        "number",
        "code",
        "initials",
        "initials",
        "punct",
        None,
        None,
    ]
    assert date_like("25/3") and date_like("25 - 7") and date_like("10:30") and not date_like("1.021")
    assert shapeable("43 B - 03126") and shapeable("SU 290") and shapeable("T.")
    assert not shapeable("Nguyễn Hồng Nhung") and not shapeable("quận 2") and not shapeable("-")


def test_labels_are_learnt_codes_numbers_initials_but_never_dates_or_words() -> None:
    assert learn_labels(CORPUS) == ["AGE", "NAME", "PATIENT_ID", "TRANSPORTATION"]
    assert ShapeReplacer(corpus=CORPUS).labels == ["AGE", "NAME", "PATIENT_ID", "TRANSPORTATION"]
    with pytest.raises(ValueError, match="no label to shape"):
        ShapeReplacer(corpus=[doc_of(9, [("ở", None), ("Huế", "LOCATION")])])
    with pytest.raises(ValueError, match="none of the labels PATIENTID occurs"):
        ShapeReplacer(corpus=CORPUS, labels=["PATIENTID"])  # a typo is an error, not a silent no-op


def test_fresh_mentions_keep_the_shape() -> None:
    import random

    rng = random.Random(0)
    for old in ["VN0054", "N.H.N.", "43 B - 03126", "1.021", "0912 345 678", "SU 290"]:
        for _ in range(30):
            new = fresh_mention(old, rng)
            assert new is not None and new != old and len(new) == len(old)
            for a, b in zip(old, new, strict=True):
                # digits stay digits (a leading zero stays zero), letters letters of the same case, the rest as is
                assert (
                    a.isdigit() == b.isdigit() and a.isalpha() == b.isalpha() and a.isupper() == b.isupper()
                )
                if not (a.isdigit() or a.isalpha()):
                    assert a == b
            for run_old, run_new in zip(re.findall(r"\d+", old), re.findall(r"\d+", new), strict=True):
                assert (run_old[0] == "0") == (run_new[0] == "0")
    assert fresh_mention("-", rng) is None


def test_rate_one_replaces_every_shapeable_mention_and_nothing_else() -> None:
    res = get_augmenter("shape", CORPUS).augment(CORPUS * 5, rate=1.0, seed=3)
    # ids, ages, the plate and flights, initials in docs 0 and 2: 10; the full name, places and dates are not
    assert res.report["replaced"] == 5 * 10
    assert res.report["replaced:NAME"] == 5 * 2
    for before, after in zip(CORPUS * 5, res.docs, strict=True):
        assert [after.text[a:b] for a, b in after.tokens] == after.words
        assert len(doc_tags(after)) == len(after.tokens) == len(before.tokens)
        assert [s.label for s in after.spans] == [s.label for s in before.spans]
        for s0, s1 in zip(before.spans, after.spans, strict=True):
            old, new = before.text[s0.start : s0.end], after.text[s1.start : s1.end]
            if s0.label in {"DATE", "LOCATION"} or old == "Nguyễn Hồng Nhung":
                assert new == old
            else:
                assert new != old and len(new) == len(old)


def test_seeded_rate_controlled_and_labels_option() -> None:
    aug = ShapeReplacer(corpus=CORPUS)
    assert aug.augment(CORPUS, rate=0.0, seed=1).docs == CORPUS
    a, b = aug.augment(CORPUS * 20, rate=0.3, seed=5), aug.augment(CORPUS * 20, rate=0.3, seed=5)
    assert a.docs == b.docs and 0 < a.report["replaced"] < 20 * 10
    only = run_chain(["shape"], CORPUS, rate=1.0, seed=2, options={"shape_labels": ["PATIENT_ID"]})
    assert set(only.report) >= {"shape.replaced:PATIENT_ID"}
    assert not any(k.startswith("shape.replaced:") and k != "shape.replaced:PATIENT_ID" for k in only.report)


def test_cli_shape_labels(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_docs(CORPUS, src, "jsonl")
    res = CliRunner().invoke(
        app, ["augment", str(src), str(dst), "--augmenters", "shape", "--rate", "1", "--shape-labels", "AGE"]
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.output[: res.output.rindex("}") + 1])
    assert report["shape.replaced:AGE"] == 2 and report["shape.replaced"] == 2
    out = read_docs(dst)
    assert [d.entity_texts()[0] for d in out] == [
        d.entity_texts()[0] for d in CORPUS
    ]  # patient ids untouched


def test_train_rejects_a_bad_shape_label_before_phase_one(tmp_path: Path) -> None:
    """An augmenter that cannot be built fails `vner train` at once, not after phase 1 has trained for minutes."""
    src = tmp_path / "in.jsonl"
    write_docs(CORPUS, src, "jsonl")
    args = ["train", "--train", str(src), "--dev", str(src), "--model", str(tmp_path / "never-loaded")]
    args += ["--out", str(tmp_path / "run"), "--phase2-epochs", "1", "--augment", "mention,shape"]
    res = CliRunner().invoke(app, [*args, "--augment-shape-labels", "AEG"])
    assert res.exit_code == 2
    assert "augmenter 'shape'" in res.output and "AEG" in res.output
    assert not (tmp_path / "run").exists()
