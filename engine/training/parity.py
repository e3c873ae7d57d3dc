"""Check an ONNX export against its torch checkpoint: logits, entities, F1.

The same :class:`vner.engine.runtime.tagger.TokenTagger` decoding runs on top of each network (torch fp32, ORT fp32,
ORT int8), so any difference comes from the export alone. Agreement is the share of sentences whose entity
lists are identical to torch's; F1 is strict (span + label) against torch's entities, and against gold
spans when the sample is an annotated corpus. A broken fp32 export raises :class:`ExportError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...rules.entity import Entity
from ..runtime.model_meta import read_meta
from ..runtime.tagger import OnnxTagger, TokenTagger
from .export import ExportError, load_torch_model

SAMPLE_SENTENCES: tuple[str, ...] = (
    "Bệnh nhân 91 là nam phi công người Anh, 43 tuổi, trú tại Quận 2, TP. Hồ Chí Minh.",
    "Ngày 15/3/2020, bệnh nhân được chuyển đến Bệnh viện Bệnh Nhiệt đới Trung ương.",
    "Chị Nguyễn Thị Lan, 28 tuổi, nhân viên văn phòng, đi chuyến bay VN0054 từ Hà Nội.",
    "Sở Y tế Đà Nẵng cho biết BN416 có triệu chứng sốt, ho và khó thở từ ngày 2/4.",
    "Ông Trần Văn Hùng làm việc tại Công ty TNHH Minh Phát ở huyện Mê Linh.",
    "Các ca F1 đã được cách ly tập trung tại Trường Quân sự Bộ Chỉ huy Quân sự tỉnh.",
    "Hôm qua, 12 người trở về từ Hàn Quốc trên chuyến bay VJ981 đã có kết quả âm tính.",
    "Bệnh nhân 1347 là nữ, 35 tuổi, có địa chỉ tại phường Hoà Khánh Bắc, quận Liên Chiểu.",
)


@dataclass
class ParityReport:
    """What the check measured; ``ok`` is False when the fp32 export does not reproduce torch."""

    n_sentences: int
    max_abs_logit_diff: dict[str, float] = field(default_factory=dict)
    agreement: dict[str, float] = field(default_factory=dict)
    f1_vs_torch: dict[str, float] = field(default_factory=dict)
    f1_vs_gold: dict[str, float] = field(default_factory=dict)
    tolerance: float = 1e-3

    @property
    def ok(self) -> bool:
        diff = self.max_abs_logit_diff.get("fp32", 0.0)
        return diff <= self.tolerance and self.agreement.get("fp32", 1.0) == 1.0

    def lines(self) -> list[str]:
        out = [f"parity on {self.n_sentences} sentences"]
        for p in self.agreement:
            gold = f", F1 vs gold {self.f1_vs_gold[p]:.4f}" if p in self.f1_vs_gold else ""
            out.append(
                f"  {p:<6} max|Δlogit| {self.max_abs_logit_diff.get(p, float('nan')):.2e}, "
                f"agreement {self.agreement[p]:.3f}, F1 vs torch {self.f1_vs_torch[p]:.4f}{gold}"
            )
        if "torch" in self.f1_vs_gold:
            out.append(f"  torch  F1 vs gold {self.f1_vs_gold['torch']:.4f}")
            for p in self.agreement:
                if p in self.f1_vs_gold:
                    out.append(
                        f"  F1 delta {p} - torch: {self.f1_vs_gold[p] - self.f1_vs_gold['torch']:+.4f}"
                    )
        return out


def strict_f1(gold: Iterable[tuple[Any, ...]], pred: Iterable[tuple[Any, ...]]) -> float:
    """Micro F1 over exact ``(sentence, start, end, label)`` tuples (1.0 when both are empty)."""
    g, p = set(gold), set(pred)
    if not g and not p:
        return 1.0
    tp = len(g & p)
    return 2 * tp / (len(g) + len(p)) if (g or p) else 1.0


def _keys(batch: Sequence[Sequence[Entity]]) -> list[tuple[int, int, int, str]]:
    return [(i, e.start, e.end, e.label) for i, ents in enumerate(batch) for e in ents]


def load_sample(
    path: str | Path | None, *, limit: int = 200
) -> tuple[list[str], list[list[tuple[int, int]]], Any]:
    """Texts, word spans and gold spans (``None`` for plain text) from a file, or the built-in sample."""
    if path is None:
        return list(SAMPLE_SENTENCES), [], None
    p = Path(path)
    if p.suffix == ".txt":
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return lines[:limit], [], None
    from .corpus import read_docs

    docs = read_docs(p, limit=limit)
    return [d.text for d in docs], [list(d.tokens) for d in docs], [list(d.spans) for d in docs]


def check_parity(
    model_dir: str | Path,
    export_dir: str | Path,
    *,
    sample: str | Path | None = None,
    limit: int = 200,
    precisions: Sequence[str] = ("fp32", "int8"),
    tolerance: float = 1e-3,
) -> ParityReport:
    """Compare torch with each ONNX precision on the sample; raise :class:`ExportError` if fp32 is broken."""
    import torch

    root, out = Path(model_dir), Path(export_dir)
    meta = read_meta(root)
    texts, tokens, gold = load_sample(sample, limit=limit)
    model = load_torch_model(root)

    def torch_forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(
                input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
            ).logits.numpy()

    report = ParityReport(n_sentences=len(texts), tolerance=tolerance)
    taggers: dict[str, TokenTagger] = {}
    for prec in precisions:
        try:
            taggers[prec] = OnnxTagger.from_dir(out, precision=prec, threads=None)
        except Exception as exc:
            raise ExportError(f"the {prec} export in {out} does not load: {exc}") from exc
    first = next(iter(taggers.values()))
    torch_tagger = TokenTagger(tokenizer=first._tok, meta=meta, forward=torch_forward, name=first.name)

    def run(t: TokenTagger) -> list[list[Entity]]:
        return t.predict_tokens(texts, tokens) if tokens else t.predict(texts)

    ref = run(torch_tagger)
    ids, mask = _sample_batch(first, texts)
    ref_logits = torch_forward(ids, mask)
    if gold is not None:
        from .corpus import group_map

        to_group = group_map(meta.groups)
        gold_keys = [
            (i, s.start, s.end, to_group.get(s.label, s.label)) for i, sp in enumerate(gold) for s in sp
        ]
        report.f1_vs_gold["torch"] = strict_f1(gold_keys, _keys(ref))
    for prec, tagger in taggers.items():
        got = run(tagger)
        diff = np.abs(tagger._forward(ids, mask) - ref_logits) * mask[..., None]
        report.max_abs_logit_diff[prec] = float(diff.max())
        report.agreement[prec] = sum(
            [(e.span, e.label) for e in a] == [(e.span, e.label) for e in b]
            for a, b in zip(ref, got, strict=True)
        ) / max(1, len(texts))
        report.f1_vs_torch[prec] = strict_f1(_keys(ref), _keys(got))
        if gold is not None:
            report.f1_vs_gold[prec] = strict_f1(gold_keys, _keys(got))
    if "fp32" in taggers and not report.ok:
        raise ExportError(
            "the fp32 ONNX export does not reproduce the torch model:\n" + "\n".join(report.lines())
        )
    return report


def _sample_batch(tagger: TokenTagger, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A padded batch of the sample's token ids (truncated to max_length) for raw logit comparison."""
    enc = tagger._tok(
        list(texts), truncation=True, max_length=tagger.max_length, padding=True, return_tensors="np"
    )
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)
