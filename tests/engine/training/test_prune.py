"""vner.engine.training.prune / ``vner model prune``: a pruned tiny model gives identical logits on its corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer
from typer.testing import CliRunner
from vner.engine.runtime.model_meta import read_meta
from vner.engine.runtime.tagger import TokenTagger
from vner.engine.training.corpus import read_docs
from vner.engine.training.prune import PruneError, prune_model, prune_tokenizer_json, read_corpus

from tests.engine.tiny_model import make_tiny_model
from vner.cli import app

CORPUS = [
    "Bệnh nhân 91 là nam phi công người Anh, 43 tuổi, trú tại Quận 2, TP. Hồ Chí Minh.",
    "Ngày 15/3/2020, chị Nguyễn Thị Lan được chuyển đến Bệnh viện Bệnh Nhiệt đới Trung ương.",
    "Sở Y tế Đà Nẵng cho biết BN416 có triệu chứng sốt, ho và khó thở từ ngày 2/4.",
]


@pytest.fixture(scope="module")
def pruned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("prune")
    src = make_tiny_model(root / "model")
    report = prune_model(src, root / "pruned", CORPUS)
    assert report.vocab_before == 250_002 and 50 < report.vocab_after < 400
    assert report.params_after < report.params_before / 20
    assert report.bytes_after < report.bytes_before / 10
    return src, root / "pruned"


def _logits(model_dir: Path, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForTokenClassification.from_pretrained(str(model_dir)).eval()
    enc = tok(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**enc).logits.numpy(), enc["input_ids"].numpy()


def test_pruned_model_gives_identical_logits(pruned: tuple[Path, Path]) -> None:
    src, out = pruned
    before, ids_before = _logits(src, CORPUS)
    after, ids_after = _logits(out, CORPUS)
    assert ids_after.max() < 400 < ids_before.max()  # really renumbered
    np.testing.assert_array_equal(before, after)


def test_pruned_model_tags_the_same_entities(pruned: tuple[Path, Path]) -> None:
    def tagger(d: Path) -> TokenTagger:
        tok = AutoTokenizer.from_pretrained(str(d))
        model = AutoModelForTokenClassification.from_pretrained(str(d)).eval()

        def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                return model(
                    input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
                ).logits.numpy()

        return TokenTagger(tokenizer=tok, meta=read_meta(d), forward=forward, name="t")

    src, out = pruned
    want = [[(e.span, e.label) for e in row] for row in tagger(src).predict(CORPUS)]
    assert any(want)
    assert [[(e.span, e.label) for e in row] for row in tagger(out).predict(CORPUS)] == want


def test_pruned_metadata_and_specials(pruned: tuple[Path, Path]) -> None:
    src, out = pruned
    meta = read_meta(out)
    assert meta.labels == read_meta(src).labels
    assert meta.model_version != read_meta(src).model_version
    assert meta.train_config["pruned_from"] == read_meta(src).model_version
    tok = AutoTokenizer.from_pretrained(str(out))
    assert tok.convert_ids_to_tokens([tok.cls_token_id, tok.sep_token_id, tok.pad_token_id, tok.unk_token_id]) == [
        "<s>", "</s>", "<pad>", "<unk>"
    ]  # fmt: skip
    assert (
        tok("xyzzy qwv")["input_ids"][0] == tok.cls_token_id
    )  # unseen text still tokenises (to <unk>/pieces)


def test_prune_refuses_bpe_and_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(PruneError, match="BPE"):
        prune_tokenizer_json({"model": {"type": "BPE", "vocab": {}, "merges": []}}, [0])
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(PruneError, match="no text"):
        read_corpus([empty])


def test_cli_prune(pruned: tuple[Path, Path], tmp_path: Path) -> None:
    src, _ = pruned
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(CORPUS), encoding="utf-8")
    res = CliRunner().invoke(
        app, ["model", "prune", str(src), "--corpus", str(corpus), "--out", str(tmp_path / "p")]
    )
    assert res.exit_code == 0, res.output
    assert "vocabulary 250,002 →" in res.output
    assert json.loads((tmp_path / "p" / "vner_meta.json").read_text())["format"] == "vner-model/1"


def test_prune_a_backbone_before_training_keeps_vietnamese_pieces(tmp_path: Path) -> None:
    from vner.engine.training.prune import is_vietnamese_piece
    from vner.engine.training.train import TrainConfig, train

    from tests.engine.tiny_model import DEV, TRAIN, make_tiny_backbone

    src = make_tiny_backbone(tmp_path / "bb")
    narrow = prune_model(src, tmp_path / "narrow", CORPUS)
    wide = prune_model(src, tmp_path / "wide", CORPUS, keep_vietnamese=True)
    assert narrow.vocab_after < 400 and 10_000 < wide.vocab_after < 20_000
    assert json.loads((tmp_path / "wide" / "vner_backbone.json").read_text())["keep_vietnamese"] is True
    unseen = "Người nuôi trồng ở huyện"  # words the corpus never showed, all pieces with Vietnamese marks
    for d, expect_unk in (("narrow", True), ("wide", False)):
        tok = AutoTokenizer.from_pretrained(str(tmp_path / d))
        assert (tok.unk_token_id in tok(unseen)["input_ids"]) is expect_unk, d
    assert is_vietnamese_piece("▁trồng") and is_vietnamese_piece("ươ")
    assert (
        not is_vietnamese_piece("▁house")
        and not is_vietnamese_piece("▁Straße")
        and not is_vietnamese_piece("▁")
    )
    # the pruned backbone trains like any checkpoint, embeddings included
    cfg = TrainConfig(
        model=str(tmp_path / "wide"), out=str(tmp_path / "m"), epochs=1, batch_size=8, threads=1
    )
    summary = train(cfg, read_docs(TRAIN), read_docs(DEV))
    assert summary["steps"] == 4 and read_meta(tmp_path / "m").labels
    with pytest.raises(PruneError, match="neither"):
        prune_model(tmp_path, tmp_path / "x", CORPUS)


def test_keep_alphabet_leaves_no_unk_on_latin_text(tmp_path: Path) -> None:
    from vner.engine.training.prune import is_alphabet_piece

    from tests.engine.tiny_model import make_tiny_backbone

    src = make_tiny_backbone(tmp_path / "bb")
    res = CliRunner().invoke(
        app,
        ["model", "prune", str(src), "--corpus", str(_corpus_file(tmp_path)), "--out", str(tmp_path / "a"),
         "--keep-alphabet"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    narrow = prune_model(src, tmp_path / "n", CORPUS)
    note = json.loads((tmp_path / "a" / "vner_backbone.json").read_text())
    assert note["keep_alphabet"] is True and narrow.vocab_after + 300 < note["pruned_vocab"] < 2_000
    unseen = "Zylquax @ QWERTY™ ỹ €12 «Ǆ»"  # letters, symbols and marks no corpus sentence holds
    for d, expect_unk in (("n", True), ("a", False)):
        tok = AutoTokenizer.from_pretrained(str(tmp_path / d))
        assert (tok.unk_token_id in tok(unseen)["input_ids"]) is expect_unk, d
    assert is_alphabet_piece("▁") and is_alphabet_piece("▁Z") and is_alphabet_piece("ỹ")
    assert not is_alphabet_piece("▁ab") and not is_alphabet_piece("中") and not is_alphabet_piece("▁😀")


def _corpus_file(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(CORPUS), encoding="utf-8")
    return corpus
