"""The LLM annotator: few-shot chain-of-thought prompting with optional self-consistency, self-refine and a
multi-agent debate, each a switch. Every failure (malformed JSON, spans not in the text, timeouts) is
handled and counted in :attr:`LLMAnnotator.errors`."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .client import ChatClient, LLMError
from .prompts import (
    Example,
    PromptVariant,
    build_messages,
    debate_messages,
    refine_messages,
)
from .spans import ParseErrors, Span, parse_spans


@dataclass(frozen=True, slots=True)
class Techniques:
    """Which of the paper's prompting techniques to use."""

    self_consistency: int = 1  # k samples, majority vote per span (1 = off)
    temperature: float = 0.7  # sampling temperature when k > 1 or in debate
    self_refine: bool = False
    debate_agents: int = 0  # n annotators (0 = off)
    debate_rounds: int = 1


@dataclass
class AnnotationResult:
    spans: list[Span]
    failed: bool = False
    votes: dict[Span, int] = field(default_factory=dict)


def majority(answers: Sequence[Sequence[Span]], k: int) -> tuple[list[Span], dict[Span, int]]:
    """Spans proposed by more than half of ``k`` answers (a failed answer counts as a vote for nothing)."""
    votes: Counter[Span] = Counter()
    for ans in answers:
        votes.update(set(ans))
    kept = sorted(s for s, v in votes.items() if v * 2 > k)
    return kept, dict(votes)


class LLMAnnotator:
    def __init__(
        self,
        client: ChatClient,
        labels: Mapping[str, str],
        *,
        examples: Sequence[Example] = (),
        variant: PromptVariant | None = None,
        techniques: Techniques | None = None,
    ) -> None:
        if not labels:
            raise ValueError("at least one label with a definition is needed")
        self.client = client
        self.labels = {k.upper(): v for k, v in labels.items()}
        self.examples = list(examples)
        self.variant = variant or PromptVariant()
        self.tech = techniques or Techniques()
        self.errors = ParseErrors()
        self.documents = 0
        self._lock = threading.Lock()

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.errors[key] += n

    def _ask(
        self, messages: list[dict[str, str]], text: str, *, temperature: float, sample: int
    ) -> list[Span] | None:
        try:
            answer = self.client.chat(messages, temperature=temperature, sample=sample)
        except LLMError:
            self._count("llm_error")
            return None
        local = ParseErrors()
        spans = parse_spans(answer, text, set(self.labels), local)
        with self._lock:
            self.errors.update(local)
        return spans

    def annotate(self, text: str) -> AnnotationResult:
        with self._lock:
            self.documents += 1
        base = build_messages(text, self.labels, self.examples, self.variant)
        if self.tech.debate_agents > 0:
            return self._debate(base, text)
        k = max(1, self.tech.self_consistency)
        temp = self.tech.temperature if k > 1 else 0.0
        answers = [self._ask(base, text, temperature=temp, sample=i) for i in range(k)]
        valid = [a for a in answers if a is not None]
        if not valid:
            self._count("document_failed")
            return AnnotationResult(spans=[], failed=True)
        spans, votes = majority(valid, k) if k > 1 else (valid[0], {s: 1 for s in valid[0]})
        if self.tech.self_refine:
            refined = self._ask(refine_messages(base, text, spans), text, temperature=0.0, sample=0)
            if refined is not None:
                spans = refined
            else:
                self._count("refine_failed")
        return AnnotationResult(spans=spans, votes=votes)

    def _debate(self, base: list[dict[str, str]], text: str) -> AnnotationResult:
        n = self.tech.debate_agents
        current: list[list[Span] | None] = [
            self._ask(base, text, temperature=self.tech.temperature, sample=100 + i) for i in range(n)
        ]
        for rnd in range(self.tech.debate_rounds):
            answers = [a if a is not None else [] for a in current]
            if all(set(a) == set(answers[0]) for a in answers):
                break  # consensus reached
            nxt: list[list[Span] | None] = []
            for i in range(n):
                others = [answers[j] for j in range(n) if j != i and set(answers[j]) != set(answers[i])]
                msgs = debate_messages(base, text, answers[i], others)
                revised = self._ask(
                    msgs, text, temperature=self.tech.temperature, sample=1000 * (rnd + 1) + i
                )
                nxt.append(revised if revised is not None else current[i])
            current = nxt
        valid = [a for a in current if a is not None]
        if not valid:
            self._count("document_failed")
            return AnnotationResult(spans=[], failed=True)
        spans, votes = majority(valid, n)
        return AnnotationResult(spans=spans, votes=votes)

    def report(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "failed_documents": self.errors["document_failed"],
            "errors": dict(self.errors),
            "client": self.client.stats.as_dict(),
            "variant": self.variant.name,
        }
