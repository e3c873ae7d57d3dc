"""Micro-batcher: groups records by key, releases a group when it is due, cuts it with vner's one batch cutter.

Records are grouped by a key (domain and reference time: one ``Pipeline.process`` call each). A group is
due when it holds enough to fill a batch (``max_records`` records, or a padded size of ``token_budget``) or
when its oldest record has waited ``max_wait_ms``. A due group is cut by
:func:`vner.engine.runtime.batching.plan_batches`, the cutter the tagger runs on its windows: sorted by
length (similar lengths share a batch, less padding), then cut greedily so that
``max_tokens_in_batch * records <= token_budget`` and ``records <= max_records``; a single record longer
than the budget forms a batch of its own. The confluent runner and the faust agent both batch through this
class, so the stream has one cutter, and it is the tagger's.

Token counts are the model's, not a guess: the engines ask :meth:`vner.streams.stage.PipelineStage.count_tokens`
(``Pipeline.count_tokens`` → ``TokenTagger.count_tokens``: the model's tokenizer in one batched call per
polled chunk and domain, no model run), so ``batch_token_budget`` counts what the tagger counts (TEI's queue,
whose token counts are the model's own). Only a pipeline without a model (rules-only: nothing is tokenised)
falls back to :func:`estimate_tokens` (length / 3). Why the stream keeps a token budget at all instead of
leaving it to the tagger alone: a stream batch is the unit of work of one worker thread and one cache round
trip, and a group of long records must become due (and leave) before it waits ``max_wait_ms``; that needs a
cost per record on arrival. The stream cuts no padding cap: the tagger applies its own (``max_padding``) on
the windows it runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..engine.runtime.batching import plan_batches

T = TypeVar("T")


def estimate_tokens(text: str) -> int:
    """A sub-word estimate for Vietnamese text (about 3 characters per piece, plus BOS/EOS), for pipelines
    without a model: with one, the stream counts the model's real tokens (``PipelineStage.count_tokens``)."""
    return max(1, len(text) // 3) + 2


@dataclass(slots=True)
class Item(Generic[T]):
    """One queued record: its payload, batch-compatibility key, token count and arrival time."""

    payload: T
    group: Hashable
    tokens: int
    arrived: float = field(default_factory=time.monotonic)


class MicroBatcher(Generic[T]):
    """FIFO groups in, padded-cost-bounded batches out. Not thread-safe: one owner thread."""

    def __init__(
        self,
        *,
        token_budget: int,
        max_records: int,
        max_wait_ms: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if token_budget < 1 or max_records < 1 or max_wait_ms < 0:
            raise ValueError("token_budget and max_records must be >= 1 and max_wait_ms >= 0")
        self.token_budget = token_budget
        self.max_records = max_records
        self.max_wait_s = max_wait_ms / 1000.0
        self._clock = clock
        self._groups: dict[Hashable, list[Item[T]]] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, payload: T, *, group: Hashable, tokens: int) -> None:
        """Queue one record."""
        self._groups.setdefault(group, []).append(Item(payload, group, max(1, tokens), self._clock()))
        self._size += 1

    def _full(self, items: list[Item[T]]) -> bool:
        if len(items) >= self.max_records:
            return True
        return max(i.tokens for i in items) * len(items) >= self.token_budget

    def next_deadline(self) -> float | None:
        """Seconds until the oldest group becomes due by waiting (0 if one is already), or ``None`` if empty."""
        if not self._groups:
            return None
        oldest = min(items[0].arrived for items in self._groups.values())
        return max(0.0, oldest + self.max_wait_s - self._clock())

    def ready(self, *, flush: bool = False) -> list[list[Item[T]]]:
        """Batches of every due group (all groups when ``flush``), removed from the queue."""
        now = self._clock()
        out: list[list[Item[T]]] = []
        for key in list(self._groups):
            items = self._groups[key]
            if flush or self._full(items) or now - items[0].arrived >= self.max_wait_s:
                del self._groups[key]
                self._size -= len(items)
                out.extend(self.cut(items))
        return out

    def cut(self, items: list[Item[T]]) -> list[list[Item[T]]]:
        """Cut with :func:`plan_batches`: sorted by length, within the padded token budget and the record cap."""
        plan = plan_batches(
            [i.tokens for i in items], max_tokens=self.token_budget, max_batch=self.max_records
        )
        return [[items[k] for k in batch] for batch in plan]
