"""Knowledge distillation (``vner distill``): a shallower student trained on a frozen teacher's soft labels.

Design:

* **Student** — the first teacher's checkpoint cut to ``layers`` layers (:mod:`vner.engine.training.student`: its
  embeddings, evenly spaced layers ending with the top one, its classifier head), so it starts close to the teacher.
* **Teacher(s)** — one vner model directory, or several (an ensemble): they must have the same label set (another
  order is re-indexed), tokenise the data identically and use the same segmenter. The ensemble's soft label is the
  mean of the teachers' probabilities at temperature ``T``: ``mean_k softmax(z_k / T)``.
* **Loss** — per batch ``alpha * T² * KL(p_teacher || softmax(z_student / T)) + (1 - alpha) * CE(gold)``; the KL term
  is averaged over words, the CE term over words with a gold tag. Words are scored at their first sub-word, the
  alignment ``vner train`` uses (:func:`vner.engine.training.loop.encode_docs`); other pieces are ignored.
* **Unlabelled texts** (``--unlabelled``) join the training set with soft labels only (no gold term).
* **Soft-label cache** — the teacher is frozen, so its probabilities are computed once per document before training
  (one teacher in memory at a time) and kept as the full distribution over the labels, in fp16, at each word's first
  sub-word: label sets are small (PhoNER has 21 tags: 42 bytes a word; a million words ≈ 42 MB), so no top-k cut is
  needed. They are saved to ``OUT/state/teacher_soft.pt`` with a fingerprint (teachers, temperature, sub-word ids), so
  ``--resume`` reuses them.
* A fresh run first scores the student as cut (epoch 0 of ``dev_scores.json``); it is the best model until an epoch
  beats it on dev.
* Everything else is :class:`vner.engine.training.train.Trainer`: AdamW with warm-up, early stopping on dev entity F1,
  the resumable ``state/``, progress bars, and the output folder — a vner model directory with the teacher's labels,
  groups, domain, segmenter and max length, and the distillation settings in ``vner_meta.json``'s ``train_config``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..runtime.model_meta import ModelMeta, read_meta
from .corpus import Doc
from .loop import IGNORE, Batcher, Encoded, encode_docs
from .student import shrink
from .train import TrainConfig, Trainer


class DistillError(ValueError):
    """The teachers or the distillation settings cannot work together."""


@dataclass
class DistillConfig(TrainConfig):
    """A :class:`TrainConfig` (``model`` is the first teacher) plus the distillation settings."""

    teachers: list[str] = field(default_factory=list)
    teacher_versions: list[str] = field(default_factory=list)
    layers: int = 6
    layers_from_teacher: list[int] = field(default_factory=list)  # filled in when the student is built
    temperature: float = 2.0
    alpha: float = 0.5
    unlabelled_path: str | None = None
    unlabelled_docs: int = 0
    soft_labels: str = "fp16 full distribution at each word's first sub-word"


class SoftBatcher(Batcher):
    """Batches over encoded docs that also carry the teacher's soft labels (``soft[k]``: words × labels)."""

    def __init__(
        self,
        data: Sequence[Encoded],
        soft: Sequence[Any],
        batch_size: int,
        seed: int,
        pad_id: int,
        device: str = "cpu",
    ) -> None:
        super().__init__(data, batch_size, seed, pad_id=pad_id, device=device)
        self.soft = soft


def teacher_metas(paths: Sequence[str | Path]) -> list[ModelMeta]:
    """Read and cross-check the teachers' metadata: same label set and segmenter."""
    if not paths:
        raise DistillError("give at least one --teacher model directory")
    metas = []
    for p in paths:
        if not Path(p).is_dir():
            raise DistillError(f"teacher model directory not found: {p}")
        metas.append(read_meta(p))
    first = metas[0]
    for p, m in zip(paths[1:], metas[1:], strict=True):
        if set(m.labels) != set(first.labels):
            diff = sorted(set(m.labels) ^ set(first.labels))
            raise DistillError(
                f"ensemble teachers must share one label set: {p} and {paths[0]} differ in {', '.join(diff)}"
            )
        if m.segmenter != first.segmenter:
            raise DistillError(
                f"ensemble teachers must share a segmenter: {p} uses {m.segmenter}, {paths[0]} {first.segmenter}"
            )
    return metas


def soft_labels(
    teachers: Sequence[str | Path],
    data: Sequence[Encoded],
    labels: Sequence[str],
    *,
    temperature: float,
    batch_size: int = 64,
    pad_id: int = 0,
    device: str = "cpu",
) -> list[Any]:
    """Per doc a (words × labels) fp16 tensor: the teachers' mean ``softmax(logits / T)`` at each word's first
    sub-word, columns in ``labels`` order. Teachers are loaded one at a time."""
    import torch
    from tqdm import tqdm
    from transformers import AutoModelForTokenClassification

    order = sorted(range(len(data)), key=lambda k: len(data[k].input_ids))
    batcher = Batcher(data, batch_size, seed=0, pad_id=pad_id, device=device)
    sums: list[Any] = [torch.zeros((len(d.first_subword), len(labels))) for d in data]
    for n, path in enumerate(teachers, 1):
        meta = read_meta(path)
        perm = torch.tensor([meta.labels.index(t) for t in labels])
        model = AutoModelForTokenClassification.from_pretrained(str(path)).eval().to(device)
        with torch.inference_mode():
            starts = range(0, len(order), batch_size)
            for b in tqdm(
                starts, desc=f"teacher {n}/{len(teachers)} soft labels", unit="batch", mininterval=5.0
            ):
                ids = order[b : b + batch_size]
                logits = model(**batcher.collate(ids, with_labels=False)).logits.float()[..., perm]
                probs = torch.softmax(logits / temperature, dim=-1).cpu()
                for row, k in enumerate(ids):
                    sums[k] += probs[row, data[k].first_subword]
        del model
    return [(s / len(teachers)).to(torch.float16) for s in sums]


class Distiller(Trainer):
    """:class:`Trainer` with a student cut from the teacher and the distillation loss."""

    cfg: DistillConfig

    def __init__(
        self, cfg: DistillConfig, train_docs: list[Doc], dev_docs: list[Doc], unlabelled: Sequence[Doc] = ()
    ) -> None:
        self.metas = teacher_metas(cfg.teachers)
        self.unlabelled = list(unlabelled)
        super().__init__(cfg, train_docs, dev_docs)
        self._check_tokenizers()

    def _label_list(self, docs: list[Doc]) -> list[str]:
        return list(self.metas[0].labels)

    def _build_model(self) -> Any:
        from transformers import AutoConfig, AutoModelForTokenClassification

        hf_cfg = AutoConfig.from_pretrained(
            self.cfg.model,
            hidden_dropout_prob=self.cfg.dropout,
            attention_probs_dropout_prob=self.cfg.dropout,
        )
        model = AutoModelForTokenClassification.from_pretrained(self.cfg.model, config=hf_cfg)
        self.cfg.layers_from_teacher = shrink(model, self.cfg.layers)
        return model

    def _check_tokenizers(self) -> None:
        """Every teacher must turn the data into the same sub-words as the first (the student's tokenizer)."""
        from transformers import AutoTokenizer

        sample = (self.train_docs + self.unlabelled)[:200]
        ref = [e.input_ids for e in self._encode(self.tokenizer, sample)]
        for path in self.cfg.teachers[1:]:
            tok = AutoTokenizer.from_pretrained(path)
            if [e.input_ids for e in self._encode(tok, sample)] != ref:
                raise DistillError(
                    f"ensemble teachers must share one tokenizer: {path} splits the data unlike {self.cfg.teachers[0]}"
                )

    def _encode(self, tokenizer: Any, docs: Sequence[Doc]) -> list[Encoded]:
        return encode_docs(tokenizer, docs, self.label2id, self.cfg.max_length, self.segmented)

    def _batcher(self, docs: list[Doc], phase: int) -> Batcher:
        gold = self._encode(self.tokenizer, docs)
        extra = [
            replace(e, labels=[IGNORE] * len(e.labels)) for e in self._encode(self.tokenizer, self.unlabelled)
        ]
        data = gold + extra
        return SoftBatcher(
            data,
            self._cached_soft(data),
            self.cfg.batch_size,
            self.cfg.seed + phase,
            self._pad_id,
            self.device,
        )

    def _cached_soft(self, data: Sequence[Encoded]) -> list[Any]:
        import torch

        h = hashlib.sha256(repr((self.cfg.teacher_versions, self.cfg.temperature, self.labels)).encode())
        for e in data:
            h.update(repr((e.input_ids, e.first_subword)).encode())
        key = h.hexdigest()
        path = self.out / "state" / "teacher_soft.pt"
        if path.is_file():
            saved = torch.load(path, map_location="cpu", weights_only=True)
            if saved.get("key") == key:
                return list(saved["soft"])
        soft = soft_labels(
            self.cfg.teachers,
            data,
            self.labels,
            temperature=self.cfg.temperature,
            batch_size=self.cfg.eval_batch_size,
            pad_id=self._pad_id,
            device=self.device,
        )
        path.parent.mkdir(exist_ok=True)
        torch.save({"key": key, "soft": soft}, path)
        return soft

    def batch_loss(self, batcher: Batcher, ids: Sequence[int]) -> Any:
        import torch
        import torch.nn.functional as F  # noqa: N812

        if not isinstance(batcher, SoftBatcher):
            raise TypeError("distillation needs a SoftBatcher")
        batch = batcher.collate(ids)
        gold = batch.pop("labels")
        logits = self.model(**batch).logits.float()  # bf16 under --bf16: the losses in fp32
        rows = [r for r, k in enumerate(ids) for _ in batcher.data[k].first_subword]
        cols = [c for k in ids for c in batcher.data[k].first_subword]
        # the soft labels are kept in fp16; widened before the cat, which bf16 autocast refuses fp16 for
        target = torch.cat([batcher.soft[k].float() for k in ids]).to(logits.device)
        target = target / target.sum(-1, keepdim=True)  # undo fp16 rounding
        t = self.cfg.temperature
        student = F.log_softmax(logits[rows, cols] / t, dim=-1)
        kd = F.kl_div(student, target, reduction="batchmean") * (t * t)
        has_gold = gold != IGNORE
        ce = F.cross_entropy(logits[has_gold], gold[has_gold]) if bool(has_gold.any()) else kd * 0.0
        return self.cfg.alpha * kd + (1.0 - self.cfg.alpha) * ce

    def fit(self, *, augment: Any = None, resume: bool = False) -> dict[str, Any]:
        """Train; a fresh run first scores the student as cut from the teacher (epoch 0, the best so far)."""
        if augment is not None:
            raise DistillError("distillation has no augmented phase 2")
        if not resume:
            self._score_start()
        return super().fit(resume=resume)

    def _meta(self) -> ModelMeta:
        first = self.metas[0]
        return replace(super()._meta(), backbone=first.backbone, groups=first.groups)


def config_from_teachers(cfg: DistillConfig) -> DistillConfig:
    """Fill in what the first teacher decides: labels kept (its entity types), groups, domain, segmenter, max length."""
    metas = teacher_metas(cfg.teachers)
    first = metas[0]
    return replace(
        cfg,
        model=str(cfg.teachers[0]),
        teacher_versions=[m.model_version for m in metas],
        groups={g: list(v) for g, v in first.groups.items()},
        keep_labels=list(first.entity_labels),
        domain=first.domain,
        segmenter=first.segmenter,
        max_length=first.max_length,
    )


def distill(
    cfg: DistillConfig,
    train_docs: Sequence[Doc],
    dev_docs: Sequence[Doc],
    unlabelled: Sequence[Doc] = (),
    *,
    resume: bool = False,
) -> dict[str, Any]:
    """Distil ``cfg.teachers`` into a ``cfg.layers``-layer student; return the training summary."""
    if cfg.epochs < 1 or cfg.batch_size < 1 or not (0 < cfg.lr < 1):
        raise DistillError("epochs and batch size must be >= 1 and 0 < lr < 1")
    if not 0.0 <= cfg.alpha <= 1.0 or cfg.temperature <= 0:
        raise DistillError("--alpha must be in [0, 1] and --temperature above 0")
    cfg = config_from_teachers(replace(cfg, unlabelled_docs=len(unlabelled)))
    distiller = Distiller(cfg, list(train_docs), list(dev_docs), unlabelled)
    summary = distiller.fit(resume=resume)
    summary.update(
        layers=cfg.layers, layers_from_teacher=cfg.layers_from_teacher, unlabelled_docs=len(unlabelled)
    )
    return summary


__all__ = [
    "DistillConfig",
    "DistillError",
    "Distiller",
    "SoftBatcher",
    "config_from_teachers",
    "distill",
    "soft_labels",
]
