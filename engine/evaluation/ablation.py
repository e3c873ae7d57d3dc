"""Ablation in the shape of the paper's Tables 3-7: model only; + rules; + post-processing; (+ augmentation).

Each row runs the same documents through a :class:`vner.engine.pipeline.hybrid.Pipeline` configured for that stage and
scores it with :func:`vner.engine.evaluation.scoring.evaluate` (seqeval strict, micro and per label), as ``vner eval`` does. Results are written as JSON, a Markdown table and a PNG chart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ...rules.entity import Entity
from ..pipeline.hybrid import DomainSpec, Pipeline, PipelinePredictor, Predictor
from ..training.corpus import Doc


@dataclass
class AblationResult:
    """One row per configuration, in the paper's order."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"meta": self.meta, "rows": self.rows}


class MemoPredictor:
    """A predictor that remembers its answers, so every ablation row reuses one model pass per text."""

    def __init__(self, inner: Predictor) -> None:
        self.inner = inner
        self._memo: dict[str, list[Entity]] = {}

    @property
    def source(self) -> str:
        return self.inner.source

    def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            self._memo.update(zip(todo, self.inner.predict(todo), strict=True))
        return [self._memo[t] for t in texts]


def variants(
    spec: DomainSpec,
    domain: str,
    model: Predictor | None,
    augmented: Predictor | None = None,
    *,
    merge_policy: str = "hint_overlap.v1",
) -> list[tuple[str, Pipeline]]:
    """The configurations to compare; without a model only the rules rows can run.

    ``hint_overlap.v1`` is the default policy with a model: chosen on PhoNER_COVID19 dev, where rule hints that
    add spans on their own (symptoms, ages) cost 2.4 F1 under ``hybrid_merge.v1`` and gained 1.1 this way.
    """
    doms = {domain: spec}
    out: list[tuple[str, Pipeline]] = []
    if model is None:
        out.append(("rules only", Pipeline(domains=doms, merge_policy="rules_only.v1", postprocessors=())))
        out.append(("rules + post-processing", Pipeline(domains=doms, merge_policy="rules_only.v1")))
        return out
    out.append(
        (
            "model only",
            Pipeline(
                domains=doms, model=model, merge_policy="model_only.v1", postprocessors=(), use_rules=False
            ),
        )
    )
    out.append(("+ rules", Pipeline(domains=doms, model=model, merge_policy=merge_policy, postprocessors=())))
    out.append(("+ post-processing", Pipeline(domains=doms, model=model, merge_policy=merge_policy)))
    if augmented is not None:
        out.append(("+ augmentation", Pipeline(domains=doms, model=augmented, merge_policy=merge_policy)))
    return out


def _pct(x: float) -> float:
    return round(100.0 * x, 2)


def run_ablation(
    docs: Sequence[Doc],
    configs: Sequence[tuple[str, Pipeline]],
    *,
    domain: str,
    ref_time: datetime,
    batch_size: int = 64,
    meta: Mapping[str, Any] | None = None,
) -> AblationResult:
    """Score every configuration on the same documents with ``vner.engine.evaluation.scoring`` (seqeval strict, the same
    scorer as ``vner eval``); each row also carries the F1 change from the row before (percent points)."""
    from .scoring import evaluate

    result = AblationResult(meta=dict(meta or {}))
    result.meta.setdefault("documents", len(docs))
    result.meta.setdefault("ref_time", ref_time.isoformat())
    prev_f1: float | None = None
    for name, pipe in configs:
        predictor = PipelinePredictor(pipe, domain=domain, ref_time=ref_time)
        res = evaluate(predictor, docs, batch_size=batch_size, use_tokens=False, name=name)
        f1 = _pct(res["f1"])
        row = {
            "name": name,
            "versions": pipe.versions.as_dict(),
            "micro": {"precision": _pct(res["precision"]), "recall": _pct(res["recall"]), "f1": f1},
            "per_label": {
                lab: {
                    "precision": _pct(v["precision"]),
                    "recall": _pct(v["recall"]),
                    "f1": _pct(v["f1"]),
                    "support": v["support"],
                }
                for lab, v in sorted(res["per_label"].items())
            },  # fmt: skip
            "delta_f1": None if prev_f1 is None else round(f1 - prev_f1, 2),
            "seconds": res["seconds"],
        }
        prev_f1 = f1
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


def ablate_docs(
    docs: Sequence[Doc],
    *,
    domain: str,
    model_dir: str | Path | None,
    augmented_model_dir: str | Path | None = None,
    precision: str = "auto",
    ref_time: datetime | None = None,
    batch_size: int = 64,
    disabled_steps: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    decoding: str | None = None,
) -> AblationResult:
    """Build the domain's rule set (and models), run every configuration on ``docs``.

    ``ref_time`` defaults to 2020-06-01 (PhoNER_COVID19's period); it only changes normalised time values.
    ``decoding`` (``argmax`` | ``viterbi``) overrides the models' ``vner_meta.json`` choice.
    """
    from ...rules.ruleset import RuleSet
    from ...rules.schema import load_schema

    spec = DomainSpec.from_schema(
        load_schema(domain), RuleSet.for_domain(domain, with_model=model_dir is not None)
    )
    model = augmented = None
    if model_dir is not None:
        from ..runtime.tagger import OnnxTagger

        model = MemoPredictor(OnnxTagger.from_dir(model_dir, precision=precision, decoding=decoding))
        if augmented_model_dir is not None:
            augmented = MemoPredictor(
                OnnxTagger.from_dir(augmented_model_dir, precision=precision, decoding=decoding)
            )
    configs = variants(spec, domain, model, augmented)
    if disabled_steps:
        configs = [
            (name, Pipeline(domains={domain: spec}, model=p.model, merge_policy=p.merge_policy,
                            postprocessors=p.steps, disabled_steps=disabled_steps))
            for name, p in configs
        ]  # fmt: skip
    info = {"domain": domain, "model_dir": str(model_dir) if model_dir else None, **(meta or {})}
    return run_ablation(
        docs,
        configs,
        domain=domain,
        ref_time=ref_time or datetime(2020, 6, 1),
        batch_size=batch_size,
        meta=info,
    )


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
    """Read a corpus (PhoNER JSON, CoNLL or our JSONL), run :func:`ablate_docs`, optionally write the outputs."""
    from ..training.corpus import read_docs

    result = ablate_docs(
        read_docs(data, limit=limit), domain=domain, model_dir=model_dir, augmented_model_dir=augmented_model_dir,
        precision=precision, ref_time=ref_time, disabled_steps=disabled_steps, meta={"data": str(data)},
    )  # fmt: skip
    if out_dir is not None:
        write_ablation(result, out_dir)
    return result
