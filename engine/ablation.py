"""Ablation in the shape of the paper's Tables 3-7: model only; + rules; + post-processing; (+ augmentation).

Each row runs the same documents through a :class:`engine.pipeline.Pipeline` configured for that stage and
scores strict entity matches (same start, end and label: seqeval's strict mode on the character spans),
micro and per label. Results are written as JSON, a Markdown table and a PNG chart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.pipeline import DomainSpec, Pipeline, Predictor
from rules.entity import Entity

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Scores:
    """Counts and precision / recall / F1 (percent) of strict span matches."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return 100.0 * self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return 100.0 * self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 2),
            "recall": round(self.recall, 2),
            "f1": round(self.f1, 2),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.tp + self.fn,
        }


def score(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]]) -> tuple[Scores, dict[str, Scores]]:
    """Micro and per-label strict scores of predicted spans against gold spans, document by document."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predictions")
    counts: dict[str, list[int]] = {}
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g, p = set(g_doc), set(p_doc)
        for s in g | p:
            c = counts.setdefault(s[2], [0, 0, 0])
            c[0 if s in g and s in p else (1 if s in p else 2)] += 1
    per = {lab: Scores(*c) for lab, c in sorted(counts.items())}
    micro = Scores(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return micro, per


@dataclass
class AblationResult:
    """One row per configuration, in the paper's order."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"meta": self.meta, "rows": self.rows}


def variants(
    spec: DomainSpec, domain: str, model: Predictor | None, augmented: Predictor | None = None
) -> list[tuple[str, Pipeline]]:
    """The configurations to compare; without a model only the rules rows can run."""
    doms = {domain: spec}
    out: list[tuple[str, Pipeline]] = []
    if model is None:
        out.append(("rules only", Pipeline(domains=doms, merge_policy="rules_only.v1", postprocessors=())))
        out.append(("rules + post-processing", Pipeline(domains=doms, merge_policy="rules_only.v1")))
        return out
    out.append(
        ("model only", Pipeline(domains=doms, model=model, merge_policy="model_only.v1", postprocessors=()))
    )
    out.append(("+ rules", Pipeline(domains=doms, model=model, postprocessors=())))
    out.append(("+ post-processing", Pipeline(domains=doms, model=model)))
    if augmented is not None:
        out.append(("+ augmentation", Pipeline(domains=doms, model=augmented)))
    return out


def run_ablation(
    texts: Sequence[str],
    gold: Sequence[Iterable[Span]],
    configs: Sequence[tuple[str, Pipeline]],
    *,
    domain: str,
    ref_time: datetime,
    batch_size: int = 64,
    meta: Mapping[str, Any] | None = None,
) -> AblationResult:
    """Score every configuration on the same texts; each row also carries the F1 change from the row before."""
    result = AblationResult(meta=dict(meta or {}))
    result.meta.setdefault("documents", len(texts))
    result.meta.setdefault("ref_time", ref_time.isoformat())
    prev_f1: float | None = None
    gold_list = [list(g) for g in gold]
    for name, pipe in configs:
        preds: list[list[Entity]] = []
        for i in range(0, len(texts), batch_size):
            preds.extend(pipe.process(list(texts[i : i + batch_size]), domain=domain, ref_time=ref_time))
        micro, per = score(gold_list, [[(e.start, e.end, e.label) for e in ents] for ents in preds])
        row = {
            "name": name,
            "versions": pipe.versions,
            "micro": micro.to_dict(),
            "per_label": {k: v.to_dict() for k, v in per.items()},
            "delta_f1": None if prev_f1 is None else round(micro.f1 - prev_f1, 2),
        }
        prev_f1 = micro.f1
        result.rows.append(row)
    return result


def to_markdown(result: AblationResult) -> str:
    """The paper's table (P / R / F1 per configuration) and a per-label F1 table."""
    lines = ["| Configuration | Precision | Recall | F1 | ΔF1 |", "|---|---:|---:|---:|---:|"]
    for row in result.rows:
        m = row["micro"]
        delta = "" if row["delta_f1"] is None else f"{row['delta_f1']:+.2f}"
        lines.append(
            f"| {row['name']} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | {delta} |"
        )
    labels = sorted({lab for row in result.rows for lab in row["per_label"]})
    if labels:
        lines += ["", "| Label | " + " | ".join(r["name"] for r in result.rows) + " |"]
        lines.append("|---|" + "---:|" * len(result.rows))
        for lab in labels:
            cells = [
                f"{r['per_label'][lab]['f1']:.2f}" if lab in r["per_label"] else "-" for r in result.rows
            ]
            lines.append(f"| {lab} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(result: AblationResult, path: Path) -> Path:
    """A grouped bar chart of per-label F1, one bar per configuration."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted({lab for row in result.rows for lab in row["per_label"]}) + ["micro"]
    n = max(1, len(result.rows))
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(labels) + 2), 4.5))
    for k, row in enumerate(result.rows):
        vals = [row["per_label"].get(lab, {}).get("f1", 0.0) for lab in labels[:-1]] + [row["micro"]["f1"]]
        ax.bar([i + k * width for i in range(len(labels))], vals, width, label=row["name"])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))], labels, rotation=45, ha="right")
    ax.set_ylabel("F1 (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    ax.set_title("Ablation: F1 per label")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_ablation(result: AblationResult, out_dir: str | Path, *, stem: str = "ablation") -> dict[str, Path]:
    """Write ``<stem>.json``, ``<stem>.md`` and ``<stem>.png`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / f"{stem}.json", "md": out / f"{stem}.md", "png": out / f"{stem}.png"}
    paths["json"].write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    paths["md"].write_text(to_markdown(result), encoding="utf-8")
    plot(result, paths["png"])
    return paths


def ablate_corpus(
    data: str | Path,
    *,
    domain: str,
    model_dir: str | Path | None,
    augmented_model_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    precision: str = "auto",
    ref_time: datetime | None = None,
    limit: int | None = None,
    disabled_steps: Sequence[str] = (),
) -> AblationResult:
    """Read a corpus (PhoNER JSON, CoNLL or our JSONL), run every configuration, optionally write the outputs."""
    from engine.data import read_docs
    from rules.ruleset import RuleSet
    from rules.schema import load_schema

    docs = read_docs(data, limit=limit)
    spec = DomainSpec.from_schema(load_schema(domain), RuleSet.for_domain(domain))
    model = augmented = None
    if model_dir is not None:
        from engine.inference import OnnxTagger

        model = OnnxTagger.from_dir(model_dir, precision=precision)
        if augmented_model_dir is not None:
            augmented = OnnxTagger.from_dir(augmented_model_dir, precision=precision)
    configs = variants(spec, domain, model, augmented)
    if disabled_steps:
        configs = [
            (name, Pipeline(domains={domain: spec}, model=p.model, merge_policy=p.merge_policy,
                            postprocessors=p.steps, disabled_steps=disabled_steps))
            for name, p in configs
        ]  # fmt: skip
    result = run_ablation(
        [d.text for d in docs],
        [[(s.start, s.end, s.label) for s in d.spans] for d in docs],
        configs,
        domain=domain,
        ref_time=ref_time or datetime(2020, 6, 1),
        meta={"data": str(data), "domain": domain, "model_dir": str(model_dir) if model_dir else None},
    )
    if out_dir is not None:
        write_ablation(result, out_dir)
    return result
