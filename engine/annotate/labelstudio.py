"""Human review in Label Studio: export tasks with LLM pre-annotations, import the reviewed export back,
and report agreement (LLM vs reviewed) per label."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .corpus import AnnotatedDoc
from .spans import Span, span_f1

FROM_NAME = "label"
TO_NAME = "text"


def _result(doc: AnnotatedDoc, span: Span, idx: int) -> dict[str, Any]:
    return {
        "id": f"{doc.id}-{idx}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {
            "start": span.start,
            "end": span.end,
            "text": doc.text[span.start : span.end],
            "labels": [span.label],
        },
    }


def to_label_studio(docs: Sequence[AnnotatedDoc], *, model_version: str = "llm") -> list[dict[str, Any]]:
    """Label Studio tasks (``data.text``) with the docs' spans as predictions (pre-annotations)."""
    return [
        {
            "data": {"text": d.text, "vner_id": d.id},
            "predictions": [
                {"model_version": model_version, "result": [_result(d, s, i) for i, s in enumerate(d.spans)]}
            ],
        }
        for d in docs
    ]


def labeling_config(labels: Sequence[str]) -> str:
    """The Label Studio labeling interface XML for these labels."""
    inner = "".join(f'<Label value="{lab}"/>' for lab in labels)
    return f'<View><Labels name="{FROM_NAME}" toName="{TO_NAME}">{inner}</Labels><Text name="{TO_NAME}" value="$text"/></View>'


def from_label_studio(export: list[dict[str, Any]]) -> list[AnnotatedDoc]:
    """Docs from a Label Studio JSON export: the latest non-cancelled annotation of each task wins.

    A result whose offsets don't match its text, or a task without text, raises ValueError naming the task.
    """
    docs: list[AnnotatedDoc] = []
    for n, task in enumerate(export):
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError(f"task #{n} has no data.text")
        anns = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        results = anns[-1].get("result", []) if anns else []
        spans: set[Span] = set()
        for r in results:
            if r.get("type") != "labels":
                continue
            v = r["value"]
            start, end = int(v["start"]), int(v["end"])
            if "text" in v and text[start:end] != v["text"]:
                raise ValueError(f"task #{n}: result text does not match offsets [{start}, {end})")
            for lab in v.get("labels", []):
                spans.add(Span(start, end, str(lab)))
        docs.append(
            AnnotatedDoc(
                id=str(data.get("vner_id", task.get("id", n))),
                text=text,
                spans=sorted(spans),
                meta={"reviewed": bool(anns)},
            )
        )
    return docs


def write_tasks(path: str | Path, docs: Sequence[AnnotatedDoc], labels: Sequence[str]) -> None:
    Path(path).write_text(json.dumps(to_label_studio(docs), ensure_ascii=False, indent=1), encoding="utf-8")
    Path(str(path) + ".config.xml").write_text(labeling_config(labels), encoding="utf-8")


def agreement(llm: Sequence[AnnotatedDoc], reviewed: Sequence[AnnotatedDoc]) -> dict[str, Any]:
    """Span P/R/F1 of the LLM annotation against the reviewed one, micro and per label, matched by doc id."""
    by_id = {d.id: d for d in reviewed}
    missing = [d.id for d in llm if d.id not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} LLM docs have no reviewed counterpart (first: {missing[0]})")
    pairs = [(by_id[d.id].spans, d.spans) for d in llm]
    report = span_f1([g for g, _ in pairs], [p for _, p in pairs])
    report["documents"] = len(pairs)
    return report
