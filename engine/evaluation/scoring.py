"""Entity-level evaluation (``vner eval``): seqeval strict P/R/F1, micro and per label.

A predictor is anything with ``predict(texts: list[str]) -> list[list[vner.rules.entity.Entity]]`` (char spans):
:class:`vner.engine.runtime.torch_tagger.TorchTagger`, :class:`vner.engine.runtime.tagger.OnnxTagger`, a hybrid pipeline. Gold
and predicted spans are projected onto the same tokens (the corpus's tokens, split further at every
predicted boundary) before seqeval, so a prediction that cuts a word in two is scored as wrong, not
rounded. Results go to JSON, a Markdown table and a PNG bar chart of per-label F1.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from ...rules.entity import Entity
from ..training.corpus import Doc, Span, apply_groups, group_map
from ..training.loop import evaluate_tags


class Predictor(Protocol):
    """What ``vner eval`` can score."""

    def predict(self, texts: list[str]) -> list[list[Entity]]: ...


def project(doc: Doc, predicted: Sequence[Span]) -> tuple[list[str], list[str]]:
    """Gold and predicted BIO tags over the doc's tokens refined at predicted span boundaries."""
    cuts = {p for s in predicted for p in (s.start, s.end)}
    tokens: list[tuple[int, int]] = []
    for a, b in doc.tokens:
        for c in sorted(c for c in cuts if a < c < b):
            tokens.append((a, c))
            a = c
        tokens.append((a, b))
    return _tags(tokens, doc.spans), _tags(tokens, predicted)


def _tags(tokens: Sequence[tuple[int, int]], spans: Sequence[Span]) -> list[str]:
    tags = ["O"] * len(tokens)
    for s in sorted(spans, key=lambda x: (x.start, -x.end)):
        inside = [i for i, (a, b) in enumerate(tokens) if a < s.end and s.start < b]
        if not inside or any(tags[i] != "O" for i in inside):
            continue  # overlapping predictions: the first (leftmost, longest) one wins
        tags[inside[0]] = "B-" + s.label
        for i in inside[1:]:
            tags[i] = "I-" + s.label
    return tags


def _predict(predictor: Any, docs: Sequence[Doc], batch_size: int, use_tokens: bool) -> list[list[Entity]]:
    out: list[list[Entity]] = []
    for i in range(0, len(docs), batch_size):
        part = docs[i : i + batch_size]
        texts = [d.text for d in part]
        if use_tokens and hasattr(predictor, "predict_tokens"):
            out.extend(predictor.predict_tokens(texts, [list(d.tokens) for d in part]))
        else:
            out.extend(predictor.predict(texts))
    return out


def evaluate(
    predictor: Any,
    docs: Sequence[Doc],
    *,
    groups: Mapping[str, Sequence[str]] | None = None,
    batch_size: int = 64,
    use_tokens: bool = True,
    name: str = "",
) -> dict[str, Any]:
    """Score ``predictor`` on ``docs``; ``groups`` maps gold (and predicted) fine labels to groups."""
    docs = list(docs)
    if not docs:
        raise ValueError("no documents to evaluate")
    if groups:
        docs = apply_groups(docs, groups)
    fine_to_group = group_map(groups or {})
    t0 = time.perf_counter()
    preds = _predict(predictor, docs, batch_size, use_tokens)
    seconds = time.perf_counter() - t0
    if len(preds) != len(docs):
        raise ValueError(f"predictor returned {len(preds)} results for {len(docs)} texts")
    gold_tags, pred_tags = [], []
    for doc, ents in zip(docs, preds, strict=True):
        spans = []
        for e in ents:
            if doc.text[e.start : e.end] != e.text:
                raise ValueError(f"doc {doc.id}: predicted entity offsets do not match the text")
            spans.append(Span(e.start, e.end, fine_to_group.get(e.label, e.label)))
        g, p = project(doc, spans)
        gold_tags.append(g)
        pred_tags.append(p)
    result = evaluate_tags(gold_tags, pred_tags)
    result.update(
        name=name,
        seconds=round(seconds, 3),
        sentences_per_s=round(len(docs) / seconds, 2) if seconds > 0 else None,
        gold_entities=sum(len(d.spans) for d in docs),
        predicted_entities=sum(len(p) for p in preds),
    )
    return result


def markdown_table(result: Mapping[str, Any]) -> str:
    """Per-label and micro P/R/F1 as a Markdown table."""
    lines = ["| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for lab, v in sorted(result["per_label"].items()):
        lines.append(f"| {lab} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} | {v['support']} |")
    total = sum(v["support"] for v in result["per_label"].values())
    lines.append(
        f"| **micro** | {result['precision']:.4f} | {result['recall']:.4f} | **{result['f1']:.4f}** | {total} |"
    )
    return "\n".join(lines) + "\n"


def plot_per_label(result: Mapping[str, Any], path: Path, title: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted(result["per_label"])
    f1 = [result["per_label"][k]["f1"] for k in labels]
    fig, ax = plt.subplots(figsize=(max(5.0, 0.7 * len(labels) + 2), 3.8))
    ax.bar(labels, f1, color="#4c72b0")
    ax.axhline(result["f1"], color="#c44e52", linestyle="--", label=f"micro F1 {result['f1']:.3f}")
    ax.set_ylim(0, 1)
    ax.set_ylabel("F1")
    ax.set_title(title or result.get("name") or "per-label F1")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_reports(result: Mapping[str, Any], out_dir: Path, stem: str = "eval") -> dict[str, Path]:
    """Write ``<stem>.json``, ``<stem>.md`` and ``<stem>.png`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / f"{stem}.json", "md": out_dir / f"{stem}.md", "png": out_dir / f"{stem}.png"}
    paths["json"].write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["md"].write_text(markdown_table(result), encoding="utf-8")
    plot_per_label(result, paths["png"], title=stem)
    return paths


def compare(a: Mapping[str, Any], b: Mapping[str, Any], *, name_a: str = "A", name_b: str = "B") -> str:
    """Two results side by side (F1 per label and micro P/R/F1) with the delta B − A."""
    labels = sorted(set(a["per_label"]) | set(b["per_label"]))
    lines = [f"| label | {name_a} F1 | {name_b} F1 | Δ |", "|---|---:|---:|---:|"]

    def f1(r: Mapping[str, Any], lab: str) -> float:
        return float(r["per_label"].get(lab, {}).get("f1", 0.0))

    for lab in labels:
        lines.append(f"| {lab} | {f1(a, lab):.4f} | {f1(b, lab):.4f} | {f1(b, lab) - f1(a, lab):+.4f} |")
    for key in ("precision", "recall", "f1"):
        lines.append(f"| **micro {key}** | {a[key]:.4f} | {b[key]:.4f} | {b[key] - a[key]:+.4f} |")
    return "\n".join(lines) + "\n"


def load_result(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "per_label" not in data:
        raise ValueError(f"{path} is not a vner eval result JSON")
    return data
