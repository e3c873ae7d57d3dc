"""``vner train`` on a tiny random BERT with the real e5 tokenizer: learns, resumes, runs phase 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.evaluation.scoring import evaluate
from vner.engine.runtime.model_meta import read_meta
from vner.engine.runtime.torch_tagger import TorchTagger
from vner.engine.training.corpus import Doc, read_docs
from vner.engine.training.train import TrainConfig, train

from tests.engine.tiny_model import DEV, TRAIN, make_tiny_backbone


@pytest.fixture(scope="session")
def tiny_backbone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_backbone(tmp_path_factory.mktemp("tiny") / "bert")


def _cfg(backbone: Path, out: Path, **kw: object) -> TrainConfig:
    base: dict[str, object] = {
        "epochs": 12,
        "lr": 5e-3,
        "batch_size": 8,
        "warmup_steps": 4,
        "patience": 100,
        "threads": 1,
        "seed": 7,
    }
    base.update(kw)
    return TrainConfig(model=str(backbone), out=str(out), **base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def trained(tiny_backbone: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("run") / "model"
    docs = read_docs(TRAIN)
    summary = train(_cfg(tiny_backbone, out), docs, docs)  # dev = train: the tiny model must memorise it
    return out, summary


def test_training_learns_and_writes_a_model_folder(trained: tuple[Path, dict[str, object]]) -> None:
    out, summary = trained
    history = json.loads((out / "dev_scores.json").read_text())
    assert len(history) == 12
    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]
    assert float(summary["best_dev_f1"]) > 0.6  # type: ignore[arg-type]
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "labels.json",
        "train_config.json",
        "dev_curve.png",
        "best_dev_scores.json",
        "vner_meta.json",
    ):
        assert (out / name).is_file(), name
    meta = read_meta(out)
    assert meta.labels == tuple(json.loads((out / "labels.json").read_text()))
    assert set(meta.entity_labels) == {"DATE", "LOCATION", "ORGANIZATION", "PERSON"}
    assert len(meta.model_version) == 12 and meta.train_config["lr"] == 5e-3


def test_trained_model_predicts_valid_spans_and_scores_like_training(
    trained: tuple[Path, dict[str, object]],
) -> None:
    out, summary = trained
    tagger = TorchTagger.from_dir(out, threads=1)
    docs = read_docs(TRAIN)
    for doc, ents in zip(docs, tagger.predict([d.text for d in docs]), strict=True):
        for e in ents:
            assert doc.text[e.start : e.end] == e.text and e.label in tagger.labels
    result = evaluate(tagger, docs)
    assert result["f1"] == pytest.approx(float(summary["best_dev_f1"]), abs=1e-6)  # type: ignore[arg-type]


def test_training_is_seeded_and_resume_extends_a_run(tiny_backbone: Path, tmp_path: Path) -> None:
    docs, dev = read_docs(TRAIN), read_docs(DEV)
    train(_cfg(tiny_backbone, tmp_path / "a", epochs=2), docs, dev)
    train(_cfg(tiny_backbone, tmp_path / "b", epochs=2), docs, dev)
    ha = json.loads((tmp_path / "a" / "dev_scores.json").read_text())
    hb = json.loads((tmp_path / "b" / "dev_scores.json").read_text())
    assert [h["train_loss"] for h in ha] == pytest.approx([h["train_loss"] for h in hb], rel=1e-6)
    resumed = train(_cfg(tiny_backbone, tmp_path / "a", epochs=3), docs, dev, resume=True)
    hr = json.loads((tmp_path / "a" / "dev_scores.json").read_text())
    assert [h["epoch"] for h in hr] == [1, 2, 3] and hr[:2] == ha
    assert hr[2]["steps"] == 4 and resumed["steps"] == 12
    assert hr[2]["train_loss"] < ha[0]["train_loss"]  # continued from the saved weights, not from scratch
    with pytest.raises(FileNotFoundError, match="no saved state"):
        train(_cfg(tiny_backbone, tmp_path / "c"), docs, dev, resume=True)


def test_phase_two_runs_on_augmented_docs(tiny_backbone: Path, tmp_path: Path) -> None:
    seen: list[int] = []

    def double(docs: list[Doc]) -> list[Doc]:
        seen.append(len(docs))
        return docs + [Doc(d.id + "+copy", d.text, d.spans, d.tokens) for d in docs]

    train(
        _cfg(tiny_backbone, tmp_path / "p", epochs=2, phase2_epochs=2),
        read_docs(TRAIN),
        read_docs(DEV),
        augment=double,
    )
    history = json.loads((tmp_path / "p" / "dev_scores.json").read_text())
    assert seen == [32]
    assert [h["phase"] for h in history] == [1, 1, 2, 2]
    assert history[2]["steps"] == 8  # 64 augmented docs / batch 8


def test_fresh_augmentation_redraws_the_copies_every_phase_two_epoch(
    tiny_backbone: Path, tmp_path: Path
) -> None:
    from vner.engine.augment import build_hook

    docs = read_docs(TRAIN)
    reports: list[dict[str, int]] = []
    hook = build_hook(
        ["mention"], rate=0.5, seed=3, corpus=docs, copies=1, on_report=lambda r: reports.append(r)
    )
    calls: list[int] = []
    texts: list[list[str]] = []

    def spy(d: list[Doc], epoch: int = 0) -> list[Doc]:
        calls.append(epoch)
        out = hook(d, epoch=epoch)
        texts.append([x.text for x in out[len(d) :]])
        return out

    cfg = _cfg(tiny_backbone, tmp_path / "f", epochs=1, phase2_epochs=3, augment_fresh=True, patience=5)
    train(cfg, docs, read_docs(DEV), augment=spy)
    history = json.loads((tmp_path / "f" / "dev_scores.json").read_text())
    assert calls == [0, 1, 2]  # the default set for epoch 1, fresh draws for epochs 2 and 3
    assert texts[0] != texts[1] != texts[2] and len(texts[0]) == len(texts[1]) == len(docs)
    assert [h["steps"] for h in history if h["phase"] == 2] == [8, 8, 8]  # same size: same steps each epoch
    assert json.loads((tmp_path / "f" / "train_config.json").read_text())["augment_fresh"] is True
    assert hook(docs) == hook(docs, epoch=0) != hook(docs, epoch=1)  # seeded: epoch 0 is the fixed set


def test_phase_two_only_continues_a_trained_model_and_keeps_it_when_not_beaten(
    trained: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    src, summary = trained
    docs = read_docs(TRAIN)
    calls: list[int] = []

    def same(d: list[Doc]) -> list[Doc]:
        calls.append(len(d))
        return d

    # lr so high that phase 2 wrecks the model: the start checkpoint must stay the best
    out = train(
        _cfg(src, tmp_path / "c", epochs=0, phase2_epochs=1, lr=0.5, warmup_steps=1), docs, docs, augment=same
    )
    history = json.loads((tmp_path / "c" / "dev_scores.json").read_text())
    assert calls == [32] and [(h["phase"], h["epoch"]) for h in history] == [(1, 0), (2, 1)]
    assert history[0]["dev_f1"] == pytest.approx(float(summary["best_dev_f1"]), abs=1e-6)  # type: ignore[arg-type]
    assert out["best_dev_f1"] == max(h["dev_f1"] for h in history)
    tagger = TorchTagger.from_dir(tmp_path / "c", threads=1)
    assert evaluate(tagger, docs)["f1"] == pytest.approx(out["best_dev_f1"], abs=1e-6)
    with pytest.raises(ValueError, match="epochs 0"):
        train(_cfg(src, tmp_path / "d", epochs=0), docs, docs)


def test_groups_and_model_labels_are_applied_and_recorded(tiny_backbone: Path, tmp_path: Path) -> None:
    groups = {"AGENT": ["PERSON", "ORGANIZATION"]}
    cfg = _cfg(tiny_backbone, tmp_path / "g", epochs=1, groups=groups, keep_labels=["AGENT", "DATE"])
    train(cfg, read_docs(TRAIN), read_docs(DEV))
    meta = read_meta(tmp_path / "g")
    assert meta.groups == {"AGENT": ("PERSON", "ORGANIZATION")}
    assert set(meta.entity_labels) == {"AGENT", "DATE"}  # LOCATION is not a model label here


def test_cli_train_quick_run_and_bad_input(tiny_backbone: Path, tmp_path: Path) -> None:
    from vner.cli import app

    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "train",
            "--train",
            str(TRAIN),
            "--dev",
            str(DEV),
            "--out",
            str(tmp_path / "m"),
            "--model",
            str(tiny_backbone),
            "--max-steps",
            "2",
            "--batch-size",
            "4",
            "--train-limit",
            "8",
            "--threads",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "m" / "train_config.json").read_text())["train_limit"] == 8
    bad = tmp_path / "bad.json"
    bad.write_text('{"words": ["a"], "tags": ["O", "O"]}\n', encoding="utf-8")
    res = runner.invoke(
        app,
        [
            "train",
            "--train",
            str(bad),
            "--dev",
            str(DEV),
            "--out",
            str(tmp_path / "x"),
            "--model",
            str(tiny_backbone),
        ],
    )
    assert res.exit_code == 1 and "bad.json:1" in res.output
    args = ["train", "--train", str(TRAIN), "--dev", str(DEV), "--out", str(tmp_path / "d"), "--model"]
    res = runner.invoke(app, [*args, str(tiny_backbone), "--device", "tpu"])
    assert res.exit_code == 2 and "unknown device 'tpu'" in res.output
    assert not (tmp_path / "d").exists()  # refused before anything was read or written


def test_device_resolution_names_the_gpu_only_when_torch_has_one() -> None:
    import torch
    from vner.engine.training.loop import resolve_device

    assert resolve_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="expected auto, cpu, cuda or cuda:N"):
        resolve_device("gpu")
    if torch.cuda.is_available():  # a lent GPU machine
        assert resolve_device("auto") == "cuda" and resolve_device("cuda:0") == "cuda:0"
        with pytest.raises(ValueError, match="CUDA device"):
            resolve_device(f"cuda:{torch.cuda.device_count()}")
    else:  # this CPU box: auto is the CPU, an explicit GPU is refused with the reason
        assert resolve_device("auto") == "cpu"
        with pytest.raises(ValueError, match="torch sees no CUDA GPU"):
            resolve_device("cuda")


def test_a_slow_bpe_tokenizer_phobert_style_trains_tags_and_exports(tmp_path: Path) -> None:
    from transformers import AutoTokenizer
    from vner.engine.runtime.tagger import OnnxTagger
    from vner.engine.training.export import export_model
    from vner.engine.training.loop import encode_docs

    from tests.engine.tiny_model import make_tiny_phobert

    docs = read_docs(TRAIN)
    backbone = make_tiny_phobert(tmp_path / "phobert", [d.text for d in docs])
    tok = AutoTokenizer.from_pretrained(str(backbone))
    assert not tok.is_fast and not (backbone / "tokenizer.json").exists()
    # word-by-word assembly equals what the tokenizer gives for the whole sentence
    enc = encode_docs(tok, docs[:5], {"O": 0}, 256, segmented=False)
    for d, e in zip(docs[:5], enc, strict=True):
        words = [d.text[a:b] for a, b in d.tokens]
        assert e.input_ids == tok(" ".join(words))["input_ids"] and len(e.first_subword) == len(words)
        assert sum(x != -100 for x in e.labels) == len(words)
    short = encode_docs(tok, docs[:1], {"O": 0}, 12, segmented=False)[0]
    assert len(short.input_ids) <= 12 and len(short.first_subword) < len(docs[0].tokens)  # truncated
    summary = train(_cfg(backbone, tmp_path / "m", epochs=40), docs, docs)
    assert float(summary["best_dev_f1"]) > 0.5  # type: ignore[arg-type]
    torch_t = TorchTagger.from_dir(tmp_path / "m", threads=1)
    got = torch_t.predict([d.text for d in docs])
    assert evaluate(torch_t, docs)["f1"] == pytest.approx(float(summary["best_dev_f1"]), abs=1e-6)  # type: ignore[arg-type]
    for doc, ents in zip(docs, got, strict=True):
        assert all(doc.text[e.start : e.end] == e.text for e in ents)
    onnx_dir = export_model(tmp_path / "m", tmp_path / "onnx", int8=False).out_dir
    fp32 = OnnxTagger.from_dir(onnx_dir, precision="fp32", threads=1)
    assert [[(e.span, e.label) for e in r] for r in fp32.predict([d.text for d in docs])] == [
        [(e.span, e.label) for e in r] for r in got
    ]


def test_bf16_autocast_trains_in_bfloat16_and_saves_fp32_weights(
    tiny_backbone: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    import vner.engine.training.train as train_mod
    from vner.engine.training.loop import run_epoch

    seen: list[torch.dtype] = []

    def spying_run_epoch(trainer, batcher, *args, **kw):  # type: ignore[no-untyped-def]
        hook = trainer.model.classifier.register_forward_hook(lambda _m, _i, out: seen.append(out.dtype))
        try:
            return run_epoch(trainer, batcher, *args, **kw)
        finally:
            hook.remove()

    monkeypatch.setattr(train_mod, "run_epoch", spying_run_epoch)
    docs = read_docs(TRAIN)
    summary = train(_cfg(tiny_backbone, tmp_path / "m", bf16=True), docs, docs)
    assert seen and set(seen) == {torch.bfloat16}  # every training forward ran under autocast
    assert float(summary["best_dev_f1"]) > 0.6  # type: ignore[arg-type]  # and it still learns
    assert read_meta(tmp_path / "m").train_config["bf16"] is True
    tagger = TorchTagger.from_dir(tmp_path / "m", threads=1)
    assert {p.dtype for p in tagger.model.parameters()} == {torch.float32}
    assert evaluate(tagger, docs)["f1"] == pytest.approx(float(summary["best_dev_f1"]), abs=1e-6)  # type: ignore[arg-type]
