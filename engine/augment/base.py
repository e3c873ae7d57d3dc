"""Shared pieces of the augmenters: the result type, the protocol and one span-safe text rewriter."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..training.corpus import Doc, Span


@dataclass
class AugmentResult:
    """Augmented docs (one per input, changed or not) and counts of what the augmenter did."""

    docs: list[Doc]
    report: Counter[str] = field(default_factory=Counter)


class Augmenter(Protocol):
    """An augmenter: seeded, rate-controlled, offset-safe."""

    name: str

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult: ...


@dataclass(frozen=True)
class Edit:
    """Replace ``doc.text[start:end]`` (whole tokens) by ``text``; a span equal to the range is kept."""

    start: int
    end: int
    text: str


def check_rate(rate: float) -> float:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    return rate


Change = Callable[[Doc, random.Random, Counter[str]], "Doc | None"]


def each_doc(docs: Sequence[Doc], *, rate: float, seed: int, change: Change) -> AugmentResult:
    """The loop every augmenter shares: one seeded RNG, ``change(doc, rng, report)`` per doc.

    ``change`` returns the new doc, or None to keep the original; ``docs_changed`` and ``docs`` are
    counted here, anything else by ``change`` in ``report``.
    """
    check_rate(rate)
    rng = random.Random(seed)
    report: Counter[str] = Counter()
    out: list[Doc] = []
    for doc in docs:
        new = change(doc, rng, report)
        if new is None:
            out.append(doc)
        else:
            report["docs_changed"] += 1
            out.append(new)
    report["docs"] = len(out)
    return AugmentResult(out, report)


def pick_other(rng: random.Random, candidates: Sequence[str], current: str) -> str:
    """A random candidate of distinct ``candidates``, never ``current`` (its neighbour when drawn)."""
    i = rng.randrange(len(candidates))  # the same draw as rng.choice, without a search for its index
    return candidates[(i + 1) % len(candidates)] if candidates[i] == current else candidates[i]


def shift_of(pos: int, edits: Sequence[Edit]) -> int:
    """Total length change of the edits that end at or before ``pos``."""
    return sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= pos)


def rewrite(doc: Doc, edits: Sequence[Edit], *, suffix: str, within: bool = False) -> Doc:
    """Apply non-overlapping edits; tokens of an edited range become the new text's whitespace tokens.

    Spans outside every edit shift; a span whose bounds equal an edit's range covers the new text;
    with ``within`` a span that contains edits (the inner mention of "khoa cấp cứu Bệnh viện Đà Nẵng")
    stretches over their new text; any other overlap is an error (augmenters must not cut entities or tokens).
    """
    if not edits:
        return doc
    edits = sorted(edits, key=lambda e: e.start)
    for prev, nxt in zip(edits, edits[1:], strict=False):
        if nxt.start < prev.end:
            raise ValueError("overlapping edits")
    pieces: list[str] = []
    old = 0
    for e in edits:
        if not e.text or e.text != e.text.strip():
            raise ValueError("replacement text must be non-empty and unpadded")
        pieces += [doc.text[old : e.start], e.text]
        old = e.end
    pieces.append(doc.text[old:])
    text = "".join(pieces)
    tokens: list[tuple[int, int]] = []
    for a, b in doc.tokens:
        inside = [e for e in edits if e.start < b and a < e.end]
        if not inside:
            d = shift_of(a, edits)
            tokens.append((a + d, b + d))
        elif not (inside[0].start <= a and b <= inside[0].end):
            raise ValueError("an edit does not cover whole tokens")
    for e in edits:
        base = e.start + shift_of(e.start, edits)
        off = 0
        for w in e.text.split(" "):
            if w:
                tokens.append((base + off, base + off + len(w)))
            off += len(w) + 1
    spans: list[Span] = []
    for s in doc.spans:
        hit = [e for e in edits if e.start < s.end and s.start < e.end]
        d = shift_of(s.start, edits)
        if not hit:
            spans.append(Span(s.start + d, s.end + d, s.label))
        elif len(hit) == 1 and (hit[0].start, hit[0].end) == (s.start, s.end):
            spans.append(Span(s.start + d, s.start + d + len(hit[0].text), s.label))
        elif within and all(s.start <= e.start and e.end <= s.end for e in hit):
            spans.append(Span(s.start + d, s.end + shift_of(s.end, edits), s.label))
        else:
            raise ValueError("an edit cuts an entity span")
    return Doc(f"{doc.id}+{suffix}", text, tuple(spans), tuple(sorted(tokens)))
