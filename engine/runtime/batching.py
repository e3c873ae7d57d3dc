"""Token-budget batching with length bucketing (the HF text-embeddings-inference / Triton idea).

Items are sorted by length so that similar lengths share a batch (less padding); a batch takes items
until the next one would push ``longest × count`` (the padded size the model really computes) over the
token budget, or the count over ``max_batch``, or the padding over ``max_padding`` of the batch. Callers
get index lists and put results back in the original order.

This is the one batch cutter of vner: the tagger cuts its windows with it, and the stream's micro-batcher
(:class:`vner.streams.batcher.MicroBatcher`, used by both the confluent runner and the faust agent) cuts its
record groups with it, on the same token counts (:meth:`vner.engine.runtime.tagger.TokenTagger.count_tokens`
through ``Pipeline.count_tokens``) whenever a model is loaded.

The padding cap matters on CPUs: a 2-core CPU is already saturated by one 40-token sentence, so batching
gains little there while padding a 30-token message to its 150-token neighbour costs five times the work
(PhoNER test, 32-sentence calls: int8 padded together 51 sentences/s, unpadded 89).
"""

from __future__ import annotations

from collections.abc import Sequence


def plan_batches(
    lengths: Sequence[int], *, max_tokens: int, max_batch: int, max_padding: float = 1.0
) -> list[list[int]]:
    """Group item indices into batches whose padded size ``max(len) * n`` stays within ``max_tokens``
    and whose padding tokens stay within ``max_padding`` × the padded size (1.0: no padding limit).

    An item longer than ``max_tokens`` on its own gets a batch of one. Batches come shortest first;
    each holds indices in ascending length order (ties keep input order).
    """
    if not 0.0 <= max_padding <= 1.0:
        raise ValueError(f"max_padding must be in [0, 1], got {max_padding}")
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be >= 1, got {max_tokens}")
    if max_batch < 1:
        raise ValueError(f"max_batch must be >= 1, got {max_batch}")
    if any(n < 0 for n in lengths):
        raise ValueError("lengths must be >= 0")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    real = 0  # tokens of the current batch without padding
    for idx in order:
        longest = max(lengths[idx], 1)  # sorted: the newcomer is the longest so far
        size = longest * (len(current) + 1)
        if current and (
            len(current) + 1 > max_batch or size > max_tokens or size - (real + longest) > max_padding * size
        ):
            batches.append(current)
            current, real = [], 0
        current.append(idx)
        real += max(lengths[idx], 1)
    if current:
        batches.append(current)
    return batches


def padded_size(lengths: Sequence[int], batch: Sequence[int]) -> int:
    """Tokens the model computes for ``batch`` once padded to its longest member."""
    return max((lengths[i] for i in batch), default=0) * len(batch)
