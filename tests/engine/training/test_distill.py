"""``vner distill`` on tiny teachers over a word-level vocabulary (fast): the student is cut from the teacher's layers,
learns from its soft labels, averages an ensemble, reads unlabelled texts, resumes, and refuses bad input."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from vner.engine.evaluation.scoring import evaluate
from vner.engine.runtime.model_meta import ModelMeta, content_hash, read_meta, write_meta
from vner.engine.runtime.torch_tagger import TorchTagger
from vner.engine.training.corpus import DataFormatError, Doc, from_words, read_docs, write_docs
from vner.engine.training.distill import DistillConfig, distill, soft_labels
from vner.engine.training.loop import encode_docs
from vner.engine.training.student import StudentError, pick_layers, shrink
from vner.engine.training.train import TrainConfig, train
from vner.engine.training.unlabelled import read_texts, to_docs

NAMES = ["Vinh", "Huế", "Hoa", "Nam", "Thanh Hóa", "Hải Vân"]  # persons and places alike: context decides
NUMBERS = ["12/3", "5/6", "20/11", "1/1", "30/4", "2/9"]  # a DATE after "ngày", O after "mã"
TEMPLATES = [
    "chị {P} sống ở {L} .",
    "ngày {D} anh {P} đến {L}",
    "anh {P} gặp chị {P} tại {L} vào ngày {D} .",
    "từ {L} về {L} mã {N}",
    "mã {N} của chị {P}",
]
RAW = ["anh Vinh ở Huế", "chị Hoa đến Thanh Hóa ngày 2/9 ."]
TAG = {"P": ("PERSON", NAMES), "L": ("LOCATION", NAMES), "D": ("DATE", NUMBERS), "N": ("", NUMBERS)}


def _synthetic(n: int, seed: int) -> list[Doc]:
    """Template sentences whose entities come from fixed lists: learnable by a tiny model in a few epochs."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        words: list[str] = []
        tags: list[str] = []
        for part in rng.choice(TEMPLATES).split():
            if part.startswith("{"):
                label, pool = TAG[part[1]]
                ent = rng.choice(pool).split()
                words += ent
                tags += [f"B-{label}"] + [f"I-{label}"] * (len(ent) - 1) if label else ["O"] * len(ent)
            else:
                words.append(part)
                tags.append("O")
        docs.append(from_words(words, tags, doc_id=f"s{seed}-{i}"))
    return docs


def _vocab() -> list[str]:
    words = {w for t in TEMPLATES for w in t.split() if not w.startswith("{")}
    words |= {w for pool in (NAMES, NUMBERS) for x in pool for w in x.split()}
    words |= {w for t in RAW for w in t.split()}
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words)]


def _tokenizer(out: Path, vocab: list[str]) -> Any:
    """A fast word-level tokenizer (one piece a word) saved to ``out``."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    ids = {w: i for i, w in enumerate(vocab)}
    core = Tokenizer(models.WordLevel(ids, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])]
    )
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    out.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(str(out))
    return tok


def _bert_config(vocab: int, layers: int, **extra: Any) -> Any:
    from transformers import BertConfig

    return BertConfig(  # type: ignore[call-arg]
        vocab_size=vocab,
        hidden_size=32,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        pad_token_id=0,
        **extra,
    )


def _random_teacher(out: Path, labels: tuple[str, ...], *, seed: int, vocab: list[str] | None = None) -> Path:
    """An untrained 2-layer vner model directory (random but confident logits)."""
    import torch
    from transformers import BertForTokenClassification

    vocab = vocab or _vocab()
    tok = _tokenizer(out, vocab)
    torch.manual_seed(seed)
    cfg = _bert_config(len(tok), 2, num_labels=len(labels), id2label=dict(enumerate(labels)))
    model = BertForTokenClassification(cfg).eval()
    with torch.no_grad():
        model.classifier.weight.mul_(20.0)
    model.save_pretrained(str(out))
    write_meta(out, ModelMeta(labels=labels, backbone="tiny", max_length=64, model_version=content_hash(out)))
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("distill-data")
    paths = {"train": root / "train.jsonl", "dev": root / "dev.jsonl", "txt": root / "raw.txt"}
    write_docs(_synthetic(128, 1), paths["train"], "jsonl")
    write_docs(_synthetic(16, 2), paths["dev"], "jsonl")
    paths["txt"].write_text("\n".join(RAW) + "\n\n", encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def teacher(data: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-layer BERT fine-tuned on the synthetic task with ``vner train``."""
    import torch
    from transformers import BertModel

    root = tmp_path_factory.mktemp("teacher")
    tok = _tokenizer(root / "backbone", _vocab())
    torch.manual_seed(0)
    BertModel(_bert_config(len(tok), 4), add_pooling_layer=False).save_pretrained(str(root / "backbone"))
    cfg = TrainConfig(
        model=str(root / "backbone"),
        out=str(root / "model"),
        epochs=12,
        lr=5e-3,
        batch_size=8,
        warmup_steps=2,
        dropout=0.0,
        max_length=64,
        threads=1,
        seed=3,
        patience=100,
    )
    summary = train(cfg, read_docs(data["train"]), read_docs(data["dev"]))
    assert float(summary["best_dev_f1"]) > 0.8  # the teacher itself must know the task
    return root / "model"


def _distill_args(teacher: Path, data: dict[str, Path], out: Path, *extra: str) -> list[str]:
    return [
        "distill", "--teacher", str(teacher), "--train", str(data["train"]), "--dev", str(data["dev"]),
        "--out", str(out), "--layers", "2", "--lr", "3e-3", "--batch-size", "8", "--warmup-steps", "2",
        "--threads", "1", "--seed", "5", *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def distilled(teacher: Path, data: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vner.cli import app

    out = tmp_path_factory.mktemp("student") / "m"
    args = _distill_args(teacher, data, out, "--epochs", "6", "--patience", "10", "--layers", "1")
    res = CliRunner().invoke(app, [*args, "--unlabelled", str(data["txt"])])
    assert res.exit_code == 0, res.output
    return out


# ---------------------------------------------------------------- the student's start
def test_layers_are_taken_evenly_ending_with_the_top_one() -> None:
    assert pick_layers(12, 6) == [1, 3, 5, 7, 9, 11]
    assert pick_layers(12, 4) == [2, 5, 8, 11]
    assert pick_layers(4, 2) == [1, 3]
    assert pick_layers(2, 1) == [1]
    assert pick_layers(3, 3) == [0, 1, 2]  # as deep as the teacher: every layer
    for bad in (0, 13, 24):
        with pytest.raises(StudentError, match="at most the teacher's 12 layers"):
            pick_layers(12, bad)


@pytest.mark.parametrize("family", ["bert", "roberta"])
def test_the_student_starts_as_the_chosen_teacher_layers(family: str, tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForTokenClassification, RobertaConfig, RobertaForTokenClassification

    torch.manual_seed(0)
    if family == "bert":
        from transformers import BertForTokenClassification

        teacher: Any = BertForTokenClassification(_bert_config(50, 4, num_labels=3))
    else:
        cfg = RobertaConfig(
            vocab_size=50, hidden_size=32, num_hidden_layers=4, num_attention_heads=2, intermediate_size=64,
            max_position_embeddings=70, num_labels=3,
        )  # fmt: skip
        teacher = RobertaForTokenClassification(cfg)
    t_state = {k: v.clone() for k, v in teacher.state_dict().items()}
    student = AutoModelForTokenClassification.from_config(teacher.config)
    student.load_state_dict(teacher.state_dict())
    assert shrink(student, 2) == [1, 3]
    student.save_pretrained(str(tmp_path))
    reloaded = AutoModelForTokenClassification.from_pretrained(str(tmp_path))
    assert reloaded.config.num_hidden_layers == 2 and len(reloaded.base_model.encoder.layer) == 2
    s_state = reloaded.state_dict()
    assert not any(".layer.2." in k or ".layer.3." in k for k in s_state)
    for key, value in s_state.items():
        if "encoder.layer.0." in key:
            src = key.replace("encoder.layer.0.", "encoder.layer.1.")
        elif "encoder.layer.1." in key:
            src = key.replace("encoder.layer.1.", "encoder.layer.3.")
        else:
            src = key  # embeddings and classifier head
        assert torch.equal(value, t_state[src]), key
    ids = torch.tensor([[5, 6, 7, 8]])
    assert reloaded(input_ids=ids).logits.shape == (1, 4, 3)


def test_a_student_as_deep_as_its_teacher_starts_as_the_teacher() -> None:
    """An ensemble distilled into one model of the teachers' size: every layer kept, the same function."""
    import torch
    from transformers import AutoModelForTokenClassification, BertForTokenClassification

    torch.manual_seed(0)
    teacher: Any = BertForTokenClassification(_bert_config(50, 3, num_labels=3)).eval()
    student = AutoModelForTokenClassification.from_config(teacher.config)
    student.load_state_dict(teacher.state_dict())
    assert shrink(student, 3) == [0, 1, 2]
    student.eval()
    assert student.config.num_hidden_layers == 3 and len(student.base_model.encoder.layer) == 3
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        assert torch.allclose(student(input_ids=ids).logits, teacher(input_ids=ids).logits)


# ---------------------------------------------------------------- learning
def test_the_distilled_student_learns_and_is_a_vner_model(
    distilled: Path, teacher: Path, data: dict[str, Path]
) -> None:
    history = json.loads((distilled / "dev_scores.json").read_text())
    assert [h["epoch"] for h in history] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]  # epoch 0: the student as cut from the teacher
    assert history[-1]["train_loss"] < 0.5 * history[1]["train_loss"]  # the distillation loss falls
    assert history[1]["steps"] == 17  # 128 labelled + 2 unlabelled docs, batch 8
    best = max(h["dev_f1"] for h in history)
    assert best > 0.8 and best > history[0]["dev_f1"] + 0.1  # chance is ~0: tags must match whole entities
    meta, t_meta = read_meta(distilled), read_meta(teacher)
    assert meta.labels == t_meta.labels and meta.max_length == t_meta.max_length
    tc = meta.train_config
    assert tc["teachers"] == [str(teacher)] and tc["layers"] == 1 and tc["layers_from_teacher"] == [3]
    assert tc["temperature"] == 2.0 and tc["alpha"] == 0.5 and tc["unlabelled_docs"] == 2
    assert tc["teacher_versions"] == [t_meta.model_version]
    assert json.loads((distilled / "config.json").read_text())["num_hidden_layers"] == 1
    tagger = TorchTagger.from_dir(distilled, threads=1)  # what `vner eval` / `vner export` load
    assert evaluate(tagger, read_docs(data["dev"]))["f1"] == pytest.approx(best, abs=1e-6)


def test_resume_continues_from_the_saved_epoch_and_reuses_the_soft_labels(
    teacher: Path, data: dict[str, Path], tmp_path: Path
) -> None:
    def cfg(epochs: int) -> DistillConfig:
        return DistillConfig(
            model=str(teacher), out=str(tmp_path / "r"), teachers=[str(teacher)], layers=2, epochs=epochs, lr=3e-3,
            batch_size=8, warmup_steps=2, threads=1, seed=5, patience=10,
        )  # fmt: skip

    train_docs, dev_docs = read_docs(data["train"]), read_docs(data["dev"])
    distill(cfg(1), train_docs, dev_docs)
    first = json.loads((tmp_path / "r" / "dev_scores.json").read_text())
    cache = tmp_path / "r" / "state" / "teacher_soft.pt"
    stamp = cache.stat().st_mtime_ns
    summary = distill(cfg(2), train_docs, dev_docs, resume=True)
    history = json.loads((tmp_path / "r" / "dev_scores.json").read_text())
    assert [h["epoch"] for h in history] == [0, 1, 2] and history[:2] == first
    assert summary["steps"] == 32 and history[2]["train_loss"] < first[1]["train_loss"]
    assert summary["epochs"] == 2  # epochs trained; the scored start (epoch 0) is not one
    assert cache.stat().st_mtime_ns == stamp  # the teacher did not run again


# ---------------------------------------------------------------- ensemble
def test_distillation_under_bf16_autocast_learns(
    teacher: Path, data: dict[str, Path], tmp_path: Path
) -> None:
    """``--bf16`` on CPU: the soft labels are kept in fp16, which bf16 autocast's ``cat`` refuses (it failed at
    the first step with "Unexpected floating ScalarType in at::autocast::prioritize")."""
    cfg = DistillConfig(
        model=str(teacher), out=str(tmp_path / "b"), teachers=[str(teacher)], layers=2, epochs=2, lr=3e-3,
        batch_size=8, warmup_steps=2, threads=1, seed=5, patience=10, bf16=True,
    )  # fmt: skip
    distill(cfg, read_docs(data["train"]), read_docs(data["dev"]))
    history = json.loads((tmp_path / "b" / "dev_scores.json").read_text())
    assert [h["epoch"] for h in history] == [0, 1, 2]
    assert history[2]["train_loss"] < history[1]["train_loss"]
    assert read_meta(tmp_path / "b").train_config["bf16"] is True


def test_an_ensemble_averages_the_teachers_probabilities(tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    labels = ("O", "B-PERSON", "I-PERSON", "B-LOCATION", "I-LOCATION")
    a = _random_teacher(tmp_path / "a", labels, seed=1)
    b = _random_teacher(tmp_path / "b", labels[:1] + labels[3:] + labels[1:3], seed=2)  # another label order
    tok = AutoTokenizer.from_pretrained(str(a))
    doc = from_words(["chị", "Lê", "Mai", "ở", "Huế"], ["O"] * 5)
    enc = encode_docs(tok, [doc], {t: i for i, t in enumerate(labels)}, 64, segmented=False)
    got = soft_labels([a, b], enc, labels, temperature=2.0)[0].float()

    ids = torch.tensor([tok.convert_tokens_to_ids(["[CLS]", "chị", "Lê", "Mai", "ở", "Huế", "[SEP]"])])
    by_hand = torch.zeros(5, len(labels))
    for path, order in ((a, labels), (b, labels[:1] + labels[3:] + labels[1:3])):
        logits = (
            AutoModelForTokenClassification.from_pretrained(str(path)).eval()(input_ids=ids).logits[0, 1:6]
        )
        probs = torch.exp(logits / 2.0) / torch.exp(logits / 2.0).sum(-1, keepdim=True)
        by_hand += probs[:, [order.index(t) for t in labels]] / 2
    assert got.shape == (5, 5)
    assert torch.allclose(got, by_hand, atol=2e-3)  # stored as fp16
    single = soft_labels([a], enc, labels, temperature=2.0)[0].float()
    assert not torch.allclose(single, by_hand, atol=2e-2)  # the second teacher does change the answer


# ---------------------------------------------------------------- unlabelled texts
def test_unlabelled_texts_are_read_from_txt_and_jsonl(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text('anh Võ Nam ở Huế\n\n  \n{"text": "x"}\nhẹn 8h30 thứ hai\n', encoding="utf-8")
    assert read_texts(txt) == ["anh Võ Nam ở Huế", '{"text": "x"}', "hẹn 8h30 thứ hai"]
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"id": 1, "text": "anh Võ Nam ở Huế,"}\n\n{"text": "  "}\n{"text": "hẹn 8h30"}\n', "utf-8")
    assert read_texts(jl) == ["anh Võ Nam ở Huế,", "hẹn 8h30"]
    assert read_texts(jl, limit=1) == ["anh Võ Nam ở Huế,"]
    sniffed = tmp_path / "a.data"
    sniffed.write_text('{"text": "ở Huế"}\n', encoding="utf-8")
    assert read_texts(sniffed) == ["ở Huế"]
    docs = to_docs(read_texts(jl))
    assert [d.words for d in docs] == [["anh", "Võ", "Nam", "ở", "Huế", ","], ["hẹn", "8h30"]]
    assert all(d.spans == () for d in docs)
    nfd = to_docs(["Hu\u0065\u0302\u0301"])[0]  # NFD input: the model sees NFC words
    assert nfd.words == ["Huế"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"body": "secret value"}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad.jsonl:2: expected an object") as err:
        read_texts(bad)
    assert "secret" not in str(err.value)
    with pytest.raises(FileNotFoundError, match="unlabelled texts not found"):
        read_texts(tmp_path / "missing.txt")


# ---------------------------------------------------------------- CLI errors
def test_cli_refuses_bad_teachers_depths_and_missing_files(
    teacher: Path, data: dict[str, Path], tmp_path: Path
) -> None:
    from vner.cli import app

    runner = CliRunner()
    labels = read_meta(teacher).labels
    other = tuple(t.replace("DATE", "TIME") for t in labels)
    odd = _random_teacher(tmp_path / "odd", other, seed=1)
    same = _random_teacher(tmp_path / "same", labels, seed=1)
    shuffled_vocab = _vocab()[:5] + sorted(_vocab()[5:], reverse=True)
    alien = _random_teacher(tmp_path / "alien", labels, seed=1, vocab=shuffled_vocab)
    cases = [
        (["--teacher", str(odd)], "must share one label set", "B-TIME"),
        (["--teacher", str(alien)], "must share one tokenizer", "alien"),
        (["--layers", "5"], "at most the teacher's 4 layers", "--layers 5"),
        (["--teacher", str(tmp_path / "nope")], "teacher model directory not found", "nope"),
        (["--unlabelled", str(tmp_path / "none.txt")], "unlabelled texts not found", "none.txt"),
    ]
    for extra, message, detail in cases:
        res = runner.invoke(app, _distill_args(teacher, data, tmp_path / "x", "--epochs", "1", *extra))
        assert res.exit_code == 1, (extra, res.output)
        assert message in res.output and detail in res.output, res.output
        assert "Traceback" not in res.output
    res = runner.invoke(app, _distill_args(same, data, tmp_path / "y", "--train", str(tmp_path / "no.jsonl")))
    assert res.exit_code != 0 and "no.jsonl" in res.output
    assert not os.path.exists(tmp_path / "y" / "config.json")
