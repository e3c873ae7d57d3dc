"""Fine-tune any Hugging Face encoder for token classification (``vner train``).

Defaults follow the paper's Table 2 (BERT column): lr 2e-5, batch 32, max length 256, 500 warm-up steps,
weight decay 0.01, 10 epochs, AdamW with linear decay, dropout 0.1. Training runs in two phases as in the
paper: phase 1 on the original data, phase 2 continued on augmented data (an augmenter hook). The best
model on dev entity F1 (seqeval, strict) is kept; the output folder is itself a vner model directory
(see :mod:`vner.engine.runtime.model_meta`) plus ``dev_scores.json``, ``dev_curve.png`` and a resumable ``state/``.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..runtime.model_meta import ModelMeta, content_hash, write_meta
from .corpus import Doc, apply_groups, doc_tags, label_set
from .loop import (
    Batcher,
    encode_docs,
    evaluate_tags,
    plot_curve,
    predict_word_tags,
    resolve_device,
    run_epoch,
)

AugmentHook = Callable[..., list[Doc]]  # hook(docs) -> phase-2 docs; hook(docs, epoch=k) with augment_fresh


@dataclass
class TrainConfig:
    """Everything that defines a training run (written to ``train_config.json``)."""

    model: str
    out: str
    epochs: int = 10
    lr: float = 2e-5
    batch_size: int = 32
    max_length: int = 256
    warmup_steps: int = 500
    weight_decay: float = 0.01
    dropout: float = 0.1
    seed: int = 42
    patience: int = 3
    freeze_embeddings: bool = False
    max_steps: int | None = None
    max_minutes: float | None = None
    threads: int | None = None
    bf16: bool = False  # forward passes under bfloat16 autocast (weights and optimizer stay fp32)
    device: str = "auto"  # auto: the first CUDA GPU when torch sees one, else the CPU
    phase2_epochs: int = 0
    phase2_lr: float | None = None
    augment: list[str] = field(default_factory=list)
    augment_rate: float | None = None
    augment_copies: int = 1
    augmented_only: bool = False
    augment_gazetteer: list[str] = field(default_factory=list)
    augment_shape_labels: list[str] | None = None
    augment_unlabelled_labels: list[str] | None = None
    augment_fresh: bool = False  # phase 2 draws new augmented copies every epoch (the hook takes ``epoch=``)
    groups: dict[str, list[str]] = field(default_factory=dict)
    keep_labels: list[str] = field(default_factory=list)
    domain: str | None = None
    segmenter: str | None = None
    train_path: str = ""
    dev_path: str = ""
    train_limit: int | None = None
    train_fraction: float | None = None  # the seeded subset vner train drew (recorded, not re-drawn here)
    fraction_seed: int | None = None
    eval_batch_size: int = 64


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(threads: int | None) -> int:
    """Use all cores (or ``threads``) for intra-op work and one inter-op thread."""
    import torch

    n = threads or os.cpu_count() or 1
    torch.set_num_threads(n)
    return n


class Trainer:
    """Two-phase fine-tuning with early stopping on dev F1 and end-of-epoch resumable state."""

    def __init__(self, cfg: TrainConfig, train_docs: list[Doc], dev_docs: list[Doc]) -> None:
        from transformers import AutoTokenizer

        self.cfg = cfg
        self.out = Path(cfg.out)
        self.out.mkdir(parents=True, exist_ok=True)
        train_docs, dev_docs = self._labels_for_model(train_docs), self._labels_for_model(dev_docs)
        if not train_docs or not dev_docs:
            raise ValueError("training and dev data must not be empty")
        self.train_docs, self.dev_docs = train_docs, dev_docs
        self.labels = self._label_list(train_docs + dev_docs)
        self.label2id = {t: i for i, t in enumerate(self.labels)}
        set_seed(cfg.seed)
        self.threads = set_threads(cfg.threads)
        self.tokenizer = AutoTokenizer.from_pretrained(cfg.model)
        pad = self.tokenizer.pad_token_id
        self._pad_id = int(pad) if pad is not None else 0
        self.device = resolve_device(cfg.device)
        self.model = self._build_model().to(self.device)
        if cfg.freeze_embeddings:
            self.model.get_input_embeddings().weight.requires_grad_(False)
        self.segmented = cfg.segmenter is not None
        self.dev_enc = encode_docs(self.tokenizer, dev_docs, self.label2id, cfg.max_length, self.segmented)
        self.dev_gold = [doc_tags(d) for d in dev_docs]
        self.history: list[dict[str, Any]] = []
        self.best_f1 = -1.0
        self.global_step = 0
        self.started = time.monotonic()

    def _label_list(self, docs: list[Doc]) -> list[str]:
        """The model's tags in id order (a subclass may impose its own, e.g. a teacher's)."""
        return label_set(docs)

    def _build_model(self) -> Any:
        """A token-classification head over ``cfg.model`` for :attr:`labels` (a subclass may build another)."""
        from transformers import AutoConfig, AutoModelForTokenClassification

        hf_cfg = AutoConfig.from_pretrained(
            self.cfg.model,
            num_labels=len(self.labels),
            id2label=dict(enumerate(self.labels)),
            label2id=self.label2id,
            hidden_dropout_prob=self.cfg.dropout,
            attention_probs_dropout_prob=self.cfg.dropout,
        )
        return AutoModelForTokenClassification.from_pretrained(self.cfg.model, config=hf_cfg)

    def batch_loss(self, batcher: Batcher, ids: Sequence[int]) -> Any:
        """The training loss of one batch (``run_epoch`` calls it; cross-entropy on the gold tags here)."""
        return self.model(**batcher.collate(ids)).loss

    def _batcher(self, docs: list[Doc], phase: int) -> Batcher:
        """The phase's training batches (a subclass may attach more per-doc data, e.g. soft labels)."""
        enc = encode_docs(self.tokenizer, docs, self.label2id, self.cfg.max_length, self.segmented)
        return Batcher(
            enc, self.cfg.batch_size, self.cfg.seed + phase, pad_id=self._pad_id, device=self.device
        )

    def _labels_for_model(self, docs: list[Doc]) -> list[Doc]:
        """Fine labels -> groups, then only the labels the model learns (``keep_labels``; all if empty)."""
        if self.cfg.groups:
            docs = apply_groups(docs, self.cfg.groups)
        if self.cfg.keep_labels:
            keep = set(self.cfg.keep_labels)
            docs = [replace(d, spans=tuple(s for s in d.spans if s.label in keep)) for d in docs]
        return docs

    # ------------------------------------------------------------ state
    def _trainable_state(self) -> dict[str, Any]:
        return {k: v for k, v in self.model.state_dict().items() if not self._frozen(k)}

    def _frozen(self, key: str) -> bool:
        emb = self.model.get_input_embeddings().weight
        return not emb.requires_grad and key.endswith("word_embeddings.weight")

    def _save_state(self, phase: int, epoch: int, optim: Any, sched: Any, bad_epochs: int) -> None:
        import torch

        state_dir = self.out / "state"
        state_dir.mkdir(exist_ok=True)
        tmp = state_dir / "state.pt.tmp"
        torch.save(
            {
                "phase": phase,
                "epoch": epoch,
                "labels": self.labels,
                "global_step": self.global_step,
                "bad_epochs": bad_epochs,
                "best_f1": self.best_f1,
                "history": self.history,
                "model": self._trainable_state(),
                "optim": optim.state_dict(),
                "sched": sched.state_dict(),
                "rng": {"py": random.getstate(), "np": np.random.get_state(), "torch": torch.get_rng_state()},
            },
            tmp,
        )
        tmp.replace(state_dir / "state.pt")

    def _load_state(self, optim: Any, sched: Any) -> dict[str, Any]:
        import torch

        st = torch.load(self.out / "state" / "state.pt", map_location="cpu", weights_only=False)
        self.model.load_state_dict(st["model"], strict=False)
        optim.load_state_dict(st["optim"])
        sched.load_state_dict(st["sched"])
        random.setstate(st["rng"]["py"])
        np.random.set_state(st["rng"]["np"])
        torch.set_rng_state(st["rng"]["torch"])
        self.history, self.best_f1, self.global_step = st["history"], st["best_f1"], st["global_step"]
        return dict(st)

    def _save_best(self) -> None:
        self.model.save_pretrained(str(self.out))
        self.tokenizer.save_pretrained(str(self.out))
        write_meta(self.out, self._meta())

    def _meta(self) -> ModelMeta:
        """The ``vner_meta.json`` of the saved checkpoint."""
        return ModelMeta(
            labels=tuple(self.labels),
            backbone=Path(self.cfg.model).name,
            groups={g: tuple(v) for g, v in self.cfg.groups.items()},
            domain=self.cfg.domain,
            segmenter=self.cfg.segmenter,
            max_length=self.cfg.max_length,
            model_version=content_hash(self.out),
            train_config=asdict(self.cfg),
        )

    # ------------------------------------------------------------ loops
    def _optim(self, lr: float, total_steps: int) -> tuple[Any, Any]:
        import torch
        from transformers import get_linear_schedule_with_warmup

        decay: list[Any] = []
        no_decay: list[Any] = []
        for name, p in self.model.named_parameters():
            if p.requires_grad:
                (no_decay if p.ndim == 1 or "LayerNorm" in name else decay).append(p)
        groups = [
            {"params": decay, "weight_decay": self.cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ]
        optim = torch.optim.AdamW(groups, lr=lr)
        warm = self.cfg.warmup_steps
        if total_steps < 5 * warm:  # short runs (tests, tiny data): warm up over a tenth of the steps
            warm = max(1, total_steps // 10)
        sched = get_linear_schedule_with_warmup(optim, warm, max(total_steps, 1))
        return optim, sched

    def dev_f1(self) -> dict[str, Any]:
        pred = predict_word_tags(
            self.model, self.dev_enc, self.labels, self.cfg.eval_batch_size, pad_id=self._pad_id
        )
        return evaluate_tags(self.dev_gold, pred)

    def _out_of_budget(self) -> bool:
        if self.cfg.max_steps is not None and self.global_step >= self.cfg.max_steps:
            return True
        return (
            self.cfg.max_minutes is not None
            and (time.monotonic() - self.started) / 60 >= self.cfg.max_minutes
        )

    def _phase(
        self,
        phase: int,
        docs: list[Doc],
        epochs: int,
        lr: float,
        resume: dict[str, Any] | None,
        redraw: Callable[[int], list[Doc]] | None = None,
    ) -> None:
        """``epochs`` passes over ``docs``; with ``redraw``, epoch k > 0 trains on ``redraw(k)`` instead (fresh
        augmented copies of the same size: the same steps, the same schedule)."""
        batcher = self._batcher(docs, phase)
        steps = batcher.steps_per_epoch * epochs
        if self.cfg.max_steps is not None:
            steps = min(steps, self.cfg.max_steps)
        optim, sched = self._optim(lr, steps)
        start_epoch, bad = 0, 0
        if resume is not None and resume["phase"] == phase:
            self._load_state(optim, sched)
            start_epoch, bad = resume["epoch"] + 1, resume["bad_epochs"]
        for epoch in range(start_epoch, epochs):
            if self._out_of_budget() or bad >= self.cfg.patience:
                break
            if redraw is not None and epoch > 0:
                fresh = redraw(epoch)
                if len(fresh) != len(docs):
                    raise ValueError(
                        f"phase {phase} epoch {epoch + 1}: redrawn data has {len(fresh)} docs, not {len(docs)}"
                    )
                batcher.data = encode_docs(
                    self.tokenizer, fresh, self.label2id, self.cfg.max_length, self.segmented
                )
            loss, n = run_epoch(
                self, batcher, epoch, optim, sched, f"phase {phase} epoch {epoch + 1}/{epochs}"
            )
            scores = self.dev_f1()
            rec = {
                "phase": phase,
                "epoch": epoch + 1,
                "step": self.global_step,
                "train_loss": loss,
                "steps": n,
                "dev_f1": scores["f1"],
                "dev_precision": scores["precision"],
                "dev_recall": scores["recall"],
                "minutes": round((time.monotonic() - self.started) / 60, 2),
            }
            self.history.append(rec)
            if scores["f1"] > self.best_f1:
                self.best_f1, bad = scores["f1"], 0
                self._save_best()
                (self.out / "best_dev_scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
            else:
                bad += 1
            self._save_state(phase, epoch, optim, sched, bad)
            self._write_reports()

    def _score_start(self) -> None:
        """Score the starting checkpoint on dev and keep it as the best so far (epoch 0 of phase 1)."""
        scores = self.dev_f1()
        self.history.append(
            {
                "phase": 1,
                "epoch": 0,
                "step": 0,
                "train_loss": None,
                "steps": 0,
                "dev_f1": scores["f1"],
                "dev_precision": scores["precision"],
                "dev_recall": scores["recall"],
                "minutes": round((time.monotonic() - self.started) / 60, 2),
            }
        )
        self.best_f1 = scores["f1"]
        self._save_best()
        (self.out / "best_dev_scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")

    def _write_reports(self) -> None:
        (self.out / "dev_scores.json").write_text(json.dumps(self.history, indent=2), encoding="utf-8")
        if self.history:
            plot_curve(self.history, self.out / "dev_curve.png")

    def fit(self, *, augment: AugmentHook | None = None, resume: bool = False) -> dict[str, Any]:
        cfg = self.cfg
        (self.out / "labels.json").write_text(json.dumps(self.labels, ensure_ascii=False), encoding="utf-8")
        (self.out / "train_config.json").write_text(
            json.dumps(asdict(cfg), indent=2, ensure_ascii=False), encoding="utf-8"
        )
        state = None
        if resume:
            path = self.out / "state" / "state.pt"
            if not path.is_file():
                raise FileNotFoundError(f"--resume: no saved state at {path}")
            import torch

            state = torch.load(path, map_location="cpu", weights_only=False)
            if state.get("labels", self.labels) != self.labels:
                raise ValueError("--resume: the data's label set differs from the saved run's")
        if cfg.epochs == 0 and state is None:
            self._score_start()  # phase-2-only continuation: phase 2 must beat the model it starts from
        elif state is None or state["phase"] == 1:
            self._phase(1, self.train_docs, cfg.epochs, cfg.lr, state)
            state = None
        if (
            cfg.phase2_epochs > 0
            and augment is not None
            and not (self.cfg.max_steps and self.global_step >= self.cfg.max_steps)
        ):
            if state is None:
                self._reload_best()
            originals = list(self.train_docs)
            aug_docs = self._labels_for_model(augment(originals))
            redraw = None
            if cfg.augment_fresh:

                def redraw(epoch: int) -> list[Doc]:
                    return self._labels_for_model(augment(originals, epoch=epoch))

            self._phase(2, aug_docs, cfg.phase2_epochs, cfg.phase2_lr or cfg.lr, state, redraw=redraw)
        self._write_reports()
        return {
            "best_dev_f1": self.best_f1,
            "epochs": sum(1 for r in self.history if r["epoch"] > 0),  # not the scored start (epoch 0)
            "steps": self.global_step,
            "labels": self.labels,
            "threads": self.threads,
            "device": self.device,
            "out": str(self.out),
        }

    def _reload_best(self) -> None:
        from transformers import AutoModelForTokenClassification

        if not (self.out / "config.json").is_file():
            return
        best = AutoModelForTokenClassification.from_pretrained(str(self.out))
        self.model.load_state_dict(best.state_dict())


def train(
    cfg: TrainConfig,
    train_docs: Sequence[Doc],
    dev_docs: Sequence[Doc],
    *,
    augment: AugmentHook | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    """Train and return a summary (best dev F1, steps, labels, output folder)."""
    if cfg.epochs < 0 or cfg.batch_size < 1 or not (0 < cfg.lr < 1):
        raise ValueError("epochs must be >= 0, batch size >= 1 and 0 < lr < 1")
    if cfg.epochs == 0 and (cfg.phase2_epochs < 1 or augment is None):
        raise ValueError(
            "--epochs 0 only continues a trained model in phase 2 (needs --phase2-epochs and --augment)"
        )
    trainer = Trainer(cfg, list(train_docs), list(dev_docs))
    return trainer.fit(augment=augment, resume=resume)


__all__ = ["AugmentHook", "TrainConfig", "Trainer", "train"]
