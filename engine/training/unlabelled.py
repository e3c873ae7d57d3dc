"""Unlabelled texts for ``vner distill --unlabelled``: JSONL with a ``"text"`` field, or TXT one text a line.

The teacher labels them (soft labels only), so they become :class:`~vner.engine.training.corpus.Doc` objects
without spans, split into words the way the runtime tagger splits raw text (or by the teacher's segmenter for a
word-level model).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .corpus import DataFormatError, Doc

JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".json")


def read_texts(path: str | Path, *, limit: int | None = None) -> list[str]:
    """Texts of ``path``: ``.jsonl``/``.json`` (or a file whose first line is a JSON object) read as JSON lines with
    a ``"text"`` string; anything else as plain text, one text a line. Blank lines and blank texts are skipped."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"unlabelled texts not found: {p}")
    lines = p.read_text(encoding="utf-8").splitlines()
    first = next((x for x in lines if x.strip()), "")
    jsonl = p.suffix in JSONL_SUFFIXES or (p.suffix != ".txt" and first.lstrip().startswith("{"))
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        text = _json_text(p, n, line) if jsonl else line
        if text.strip():
            out.append(text)
            if limit is not None and len(out) >= limit:
                break
    return out


def _json_text(path: Path, n: int, line: str) -> str:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{path}:{n}: not a JSON object ({exc.msg})") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise DataFormatError(f'{path}:{n}: expected an object with a "text" string field')
    return str(obj["text"])


def to_docs(texts: Sequence[str], *, segmenter: str | None = None, prefix: str = "unlabelled") -> list[Doc]:
    """Span-less docs over the normalised texts, words as the runtime splits them (or the segmenter's words)."""
    from ...rules.normalize import normalize
    from ..runtime.alignment import split_words

    docs: list[Doc] = []
    for i, raw in enumerate(texts):
        text = normalize(raw).text
        if segmenter is not None:
            from ..runtime.segment import segment

            tokens = tuple(segment(text, segmenter))
        else:
            tokens = tuple((w.start, w.end) for w in split_words(text))
        if tokens:
            docs.append(Doc(f"{prefix}-{i}", text, (), tokens))
    return docs


__all__ = ["read_texts", "to_docs"]
