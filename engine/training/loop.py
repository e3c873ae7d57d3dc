"""The inner pieces of :mod:`vner.engine.training.train`: word-aligned encoding, length-bucketed batches, the epoch loop,
word-level prediction and seqeval scoring."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runtime.decoding import DEFAULT_DECODING, best_label_ids, bio_constraints, check_decoding
from .corpus import Doc, doc_tags, repair_bio, to_words

IGNORE = -100


@dataclass(frozen=True)
class Encoded:
    """One doc as model input: sub-word ids, per-sub-word labels and each word's first sub-word index."""

    input_ids: list[int]
    labels: list[int]
    first_subword: list[int]
    n_words: int


def encode_docs(
    tokenizer: Any, docs: Sequence[Doc], label2id: dict[str, int], max_length: int, segmented: bool
) -> list[Encoded]:
    """Tokenise docs as pre-split words; only a word's first sub-word carries its label.

    A fast tokenizer maps sub-words to words itself (``word_ids``); a slow one (PhoBERT's BPE) is run word
    by word and the sequence is assembled here, with the same special tokens it would add.
    """
    if not getattr(tokenizer, "is_fast", False):
        return _encode_docs_slow(tokenizer, docs, label2id, max_length, segmented)
    out: list[Encoded] = []
    chunk = 256
    for i in range(0, len(docs), chunk):
        part = docs[i : i + chunk]
        words = [to_words(d, segmented=segmented) for d in part]
        enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length)
        for j, d in enumerate(part):
            tags = doc_tags(d)
            wids = enc.word_ids(j)
            labels, first = [], []
            prev = None
            for pos, w in enumerate(wids):
                if w is not None and w != prev:
                    labels.append(label2id.get(tags[w], 0))
                    first.append(pos)
                else:
                    labels.append(IGNORE)
                prev = w
            out.append(Encoded(list(enc["input_ids"][j]), labels, first, len(tags)))
    return out


def _encode_docs_slow(
    tokenizer: Any, docs: Sequence[Doc], label2id: dict[str, int], max_length: int, segmented: bool
) -> list[Encoded]:
    from ..runtime.tagger import special_affixes, word_pieces

    prefix, suffix = special_affixes(tokenizer)
    unk = tokenizer.unk_token_id if tokenizer.unk_token_id is not None else 0
    cache: dict[str, list[int]] = {}
    out: list[Encoded] = []
    for d in docs:
        tags = doc_tags(d)
        ids, labels, first = list(prefix), [IGNORE] * len(prefix), []
        for w, tag in zip(to_words(d, segmented=segmented), tags, strict=True):
            pieces = word_pieces(tokenizer, w, cache, unk)
            if len(ids) + len(pieces) + len(suffix) > max_length:
                break  # truncated like the fast path: later words are not trained on
            first.append(len(ids))
            ids.extend(pieces)
            labels.extend([label2id.get(tag, 0)] + [IGNORE] * (len(pieces) - 1))
        out.append(Encoded(ids + suffix, labels + [IGNORE] * len(suffix), first, len(tags)))
    return out


class Batcher:
    """Length-bucketed, seeded batches: shuffle, sort within pools of 50 batches, shuffle the batches."""

    def __init__(
        self, data: Sequence[Encoded], batch_size: int, seed: int, pad_id: int = 1, device: str = "cpu"
    ) -> None:
        self.data, self.batch_size, self.seed, self.pad_id = data, batch_size, seed, pad_id
        self.device = device  # where collate() puts the batch's tensors (the model's device)

    @property
    def steps_per_epoch(self) -> int:
        return (len(self.data) + self.batch_size - 1) // self.batch_size

    def batches(self, epoch: int) -> list[list[int]]:
        rng = random.Random(self.seed * 1000 + epoch)
        idx = list(range(len(self.data)))
        rng.shuffle(idx)
        pool = self.batch_size * 50
        out: list[list[int]] = []
        for p in range(0, len(idx), pool):
            chunk = sorted(idx[p : p + pool], key=lambda k: len(self.data[k].input_ids))
            out.extend(chunk[b : b + self.batch_size] for b in range(0, len(chunk), self.batch_size))
        rng.shuffle(out)
        return out

    def collate(self, ids: Sequence[int], with_labels: bool = True) -> dict[str, Any]:
        import torch

        rows = [self.data[k] for k in ids]
        width = max(len(r.input_ids) for r in rows)
        inp = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        att = torch.zeros((len(rows), width), dtype=torch.long)
        lab = torch.full((len(rows), width), IGNORE, dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r.input_ids)
            inp[i, :n] = torch.tensor(r.input_ids)
            att[i, :n] = 1
            lab[i, :n] = torch.tensor(r.labels)
        batch = {"input_ids": inp, "attention_mask": att}
        if with_labels:
            batch["labels"] = lab
        if self.device != "cpu":
            batch = {k: v.to(self.device, non_blocking=True) for k, v in batch.items()}
        return batch


def resolve_device(name: str) -> str:
    """The torch device training runs on: ``auto`` is the first CUDA GPU when torch sees one, else the CPU;
    ``cuda``/``cuda:N`` without a usable GPU is a ``ValueError`` saying so (not a silent fall-back)."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return name
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise ValueError(
                f"--device {name}: torch sees no CUDA GPU here (torch {torch.__version__}, CUDA build "
                f"{torch.version.cuda or 'none'}); use --device cpu or auto"
            )
        index = int(name.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise ValueError(f"--device {name}: only {torch.cuda.device_count()} CUDA device(s) here")
        return name
    raise ValueError(f"unknown device {name!r}; expected auto, cpu, cuda or cuda:N")


def model_device(model: Any) -> str:
    """The device of ``model``'s weights, as a string for :class:`Batcher` (``cpu``, ``cuda:0``)."""
    return str(next(model.parameters()).device)


def autocast(bf16: bool, device: str = "cpu") -> Any:
    """The training forward pass's precision context: bfloat16 autocast when ``bf16`` (matrix products in
    bfloat16: on the CPU oneDNN runs them on AVX512-BF16 or AMX where the CPU has them, on a GPU its tensor
    cores; the master weights, the gradients' accumulation and the optimizer stay fp32), else a no-op."""
    import torch

    return torch.autocast(device.partition(":")[0], dtype=torch.bfloat16, enabled=bf16)


def run_epoch(
    trainer: Any, batcher: Batcher, epoch: int, optim: Any, sched: Any, desc: str
) -> tuple[float, int]:
    """One pass over the batches with a tqdm bar showing loss and the last dev F1."""
    import torch
    from tqdm import tqdm

    model = trainer.model
    model.train()
    total, n = 0.0, 0
    last_f1 = trainer.history[-1]["dev_f1"] if trainer.history else float("nan")
    params = [p for p in model.parameters() if p.requires_grad]
    interval = 2.0 if sys.stderr.isatty() else 30.0  # keep log files small under nohup
    bar = tqdm(batcher.batches(epoch), desc=desc, unit="step", dynamic_ncols=True, mininterval=interval)
    for ids in bar:
        if trainer._out_of_budget():
            break
        with autocast(trainer.cfg.bf16, trainer.device):
            loss = trainer.batch_loss(batcher, ids)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        trainer.global_step += 1
        total += float(loss.item())
        n += 1
        bar.set_postfix(loss=f"{total / n:.4f}", dev_f1=f"{last_f1:.4f}")
    bar.close()
    return (total / n if n else float("nan")), n


def predict_word_tags(
    model: Any,
    data: Sequence[Encoded],
    labels: Sequence[str],
    batch_size: int,
    *,
    pad_id: int = 1,
    decoding: str = DEFAULT_DECODING,
) -> list[list[str]]:
    """Tags from each word's first sub-word, decoded as the tagger decodes them (``decoding``: argmax or
    viterbi, :mod:`vner.engine.runtime.decoding`), so dev F1 here is what the exported model scores; words
    cut off by truncation get ``O``."""
    import numpy as np
    import torch

    check_decoding(decoding)
    constraints = bio_constraints(labels)
    model.eval()
    batcher = Batcher(data, batch_size, seed=0, pad_id=pad_id, device=model_device(model))
    order = sorted(range(len(data)), key=lambda k: len(data[k].input_ids))
    out: list[list[str]] = [[] for _ in data]
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            ids = order[b : b + batch_size]
            logits = model(**batcher.collate(ids, with_labels=False)).logits
            probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
            for row, k in enumerate(ids):
                word_probs = probs[row, np.asarray(data[k].first_subword, dtype=np.int64)]
                tags = [labels[int(j)] for j in best_label_ids(word_probs, decoding, constraints)]
                tags += ["O"] * (data[k].n_words - len(tags))
                out[k] = repair_bio(tags)
    model.train()
    return out


def evaluate_tags(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """seqeval strict (IOB2) entity-level micro P/R/F1 and per-label scores."""
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    g = [list(x) for x in gold]
    p = [list(x) for x in pred]
    if len(g) != len(p) or any(len(a) != len(b) for a, b in zip(g, p, strict=True)):
        raise ValueError("gold and predicted tag sequences differ in shape")
    kw: dict[str, Any] = {"mode": "strict", "scheme": IOB2}
    report = classification_report(g, p, output_dict=True, zero_division=0, **kw)
    per_label = {
        lab: {
            "precision": float(v["precision"]),
            "recall": float(v["recall"]),
            "f1": float(v["f1-score"]),
            "support": int(v["support"]),
        }
        for lab, v in report.items()
        if not lab.endswith(" avg")
    }
    return {
        "precision": float(precision_score(g, p, zero_division=0, **kw)),
        "recall": float(recall_score(g, p, zero_division=0, **kw)),
        "f1": float(f1_score(g, p, zero_division=0, **kw)),
        "per_label": per_label,
        "sentences": len(g),
    }


def plot_curve(history: list[dict[str, Any]], path: Path) -> None:
    """Dev F1 and train loss per epoch (a dotted line where phase 2 starts)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    xs = list(range(1, len(history) + 1))
    ax.plot(xs, [h["dev_f1"] for h in history], marker="o", label="dev entity F1")
    losses = [float("nan") if h["train_loss"] is None else h["train_loss"] for h in history]
    ax.plot(xs, losses, marker="x", label="train loss")
    for i, h in enumerate(history):
        if i and h["phase"] != history[i - 1]["phase"]:
            ax.axvline(i + 0.5, color="grey", linestyle=":")
    ax.set_xlabel("epoch")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
