"""Annotated documents in vner's JSONL format ``{"id", "text", "entities": [{start, end, label}]}``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spans import Span


@dataclass
class AnnotatedDoc:
    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "entities": [s.to_dict(self.text) for s in self.spans],
        }
        if self.meta:
            out["meta"] = self.meta
        return out


def read_docs(path: str | Path) -> Iterator[AnnotatedDoc]:
    """Read JSONL; a line that is not a document raises ValueError naming the file and line."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                text = d["text"]
                spans = [Span(int(e["start"]), int(e["end"]), str(e["label"])) for e in d.get("entities", [])]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"{path}:{lineno}: not a vner JSONL document ({type(exc).__name__})"
                ) from exc
            for s in spans:
                if not 0 <= s.start < s.end <= len(text):
                    raise ValueError(f"{path}:{lineno}: span [{s.start}, {s.end}) outside the text")
            yield AnnotatedDoc(
                id=str(d.get("id", lineno)), text=text, spans=sorted(spans), meta=d.get("meta", {})
            )


def write_docs(path: str | Path, docs: Iterable[AnnotatedDoc]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n
