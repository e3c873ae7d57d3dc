"""Prompt optimisation: try prompt variants and technique settings on a small annotated dev set, keep the
best by span F1, and log every trial (JSON lines) so the choice can be audited."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .annotator import LLMAnnotator, Techniques
from .client import ChatClient
from .corpus import AnnotatedDoc
from .prompts import Example, PromptVariant
from .spans import Span, span_f1


@dataclass(frozen=True, slots=True)
class Trial:
    variant: PromptVariant
    techniques: Techniques


def default_trials() -> list[Trial]:
    """A small grid over the paper's knobs: shots, chain-of-thought, self-consistency, self-refine."""
    return [
        Trial(PromptVariant("direct-0shot", n_shots=0, chain_of_thought=False), Techniques()),
        Trial(PromptVariant("cot-3shot", n_shots=3, chain_of_thought=True), Techniques()),
        Trial(PromptVariant("direct-3shot", n_shots=3, chain_of_thought=False), Techniques()),
        Trial(PromptVariant("cot-3shot-sc3", n_shots=3), Techniques(self_consistency=3)),
        Trial(PromptVariant("cot-3shot-refine", n_shots=3), Techniques(self_refine=True)),
    ]


def optimize(
    client: ChatClient,
    labels: Mapping[str, str],
    dev: Sequence[AnnotatedDoc],
    pool: Sequence[Example],
    *,
    trials: Sequence[Trial] | None = None,
    log_path: str | Path | None = None,
) -> tuple[Trial, list[dict[str, Any]]]:
    """Run every trial on ``dev``; return the best (by micro F1, then fewer errors, then order) and all records."""
    if not dev:
        raise ValueError("the dev set is empty")
    records: list[dict[str, Any]] = []
    best: tuple[float, int, int] | None = None
    best_trial: Trial | None = None
    for i, trial in enumerate(trials or default_trials()):
        ann = LLMAnnotator(client, labels, examples=pool, variant=trial.variant, techniques=trial.techniques)
        t0 = time.perf_counter()

        def run_one(doc: AnnotatedDoc, annotator: LLMAnnotator = ann) -> list[Span]:
            return annotator.annotate(doc.text).spans

        preds = client.map(run_one, list(dev))
        scores = span_f1([d.spans for d in dev], preds)
        rec = {
            "trial": i,
            "variant": asdict(trial.variant),
            "techniques": asdict(trial.techniques),
            "micro": scores["micro"],
            "per_label": scores["per_label"],
            "errors": dict(ann.errors),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        records.append(rec)
        if log_path:
            with open(log_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        key = (scores["micro"]["f1"], -sum(ann.errors.values()), -i)
        if best is None or key > best:
            best, best_trial = key, trial
    assert best_trial is not None
    return best_trial, records
