"""Parse an LLM's JSON answer into character spans, counting every way it can be wrong."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

_FENCE = regex.compile(r"```(?:json)?\s*(.*?)```", regex.S)
_ANSWER_TAG = regex.compile(r"<answer>(.*?)</answer>", regex.S | regex.I)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int
    label: str

    def to_dict(self, text: str) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": text[self.start : self.end],
        }


class ParseErrors(Counter[str]):
    """Counts of problems seen while parsing answers: malformed_json, span_not_found, unknown_label, bad_item."""


def _candidates(answer: str) -> list[str]:
    out = [m.group(1) for m in _ANSWER_TAG.finditer(answer)]
    out += [m.group(1) for m in _FENCE.finditer(answer)]
    # the last balanced JSON object or array in the text
    for opener, closer in (("{", "}"), ("[", "]")):
        end = answer.rfind(closer)
        while end != -1:
            depth = 0
            for i in range(end, -1, -1):
                ch = answer[i]
                if ch == closer:
                    depth += 1
                elif ch == opener:
                    depth -= 1
                    if depth == 0:
                        out.append(answer[i : end + 1])
                        break
            end = answer.rfind(closer, 0, end)
            if out:
                break
    return out


def extract_json(answer: str) -> Any:
    """The JSON payload of an answer (in ``<answer>`` tags, a code fence, or the last object). Raises ValueError."""
    for cand in _candidates(answer):
        try:
            return json.loads(cand.strip())
        except json.JSONDecodeError:
            continue
    raise ValueError("no parseable JSON in the answer")


def find_occurrence(text: str, surface: str, occurrence: int) -> int:
    """Start of the ``occurrence``-th (1-based) occurrence of ``surface`` in ``text``, or -1."""
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(surface, pos + 1)
        if pos == -1:
            return -1
    return pos


def parse_spans(answer: str, text: str, labels: set[str], errors: ParseErrors) -> list[Span] | None:
    """Spans of a strict JSON answer ``{"entities": [{"label", "text", "occurrence"}]}`` (a bare list is accepted).

    Returns ``None`` when the answer holds no parseable JSON; drops (and counts) items whose text does not
    occur in ``text`` or whose label is not one of ``labels``.
    """
    try:
        payload = extract_json(answer)
    except ValueError:
        errors["malformed_json"] += 1
        return None
    items = payload.get("entities") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        errors["malformed_json"] += 1
        return None
    spans: set[Span] = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item.get("label"):
            errors["bad_item"] += 1
            continue
        label = str(item["label"]).strip().upper()
        if label not in labels:
            errors["unknown_label"] += 1
            continue
        surface = item["text"]
        try:
            occ = int(item.get("occurrence", 1) or 1)
        except (TypeError, ValueError):
            occ = 1
        start = find_occurrence(text, surface, occ) if surface else -1
        if start < 0:
            errors["span_not_found"] += 1
            continue
        spans.add(Span(start, start + len(surface), label))
    return sorted(spans)


def occurrence_of(text: str, start: int, surface: str) -> int:
    """1-based occurrence index of ``surface`` that starts at ``start`` (inverse of :func:`find_occurrence`)."""
    n, pos = 0, -1
    while True:
        pos = text.find(surface, pos + 1)
        if pos == -1 or pos > start:
            return max(1, n)
        n += 1
        if pos == start:
            return n


def spans_to_answer(text: str, spans: list[Span]) -> str:
    """Render spans as the strict JSON answer format (used for few-shot examples and debate rounds)."""
    items = [
        {
            "label": s.label,
            "text": text[s.start : s.end],
            "occurrence": occurrence_of(text, s.start, text[s.start : s.end]),
        }
        for s in spans
    ]
    return json.dumps({"entities": items}, ensure_ascii=False)


def span_f1(gold: list[list[Span]], pred: list[list[Span]]) -> dict[str, Any]:
    """Exact-match span P/R/F1, micro and per label."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        for s in gs & ps:
            tp[s.label] += 1
        for s in ps - gs:
            fp[s.label] += 1
        for s in gs - ps:
            fn[s.label] += 1

    def prf(t: int, f_p: int, f_n: int) -> dict[str, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": t + f_n}

    labels = sorted(set(tp) | set(fp) | set(fn))
    return {
        "micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "per_label": {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels},
    }
