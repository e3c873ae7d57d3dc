"""Token-budget batching with length bucketing (the HF text-embeddings-inference / Triton idea).

Items are sorted by length so that similar lengths share a batch (less padding); a batch takes items
until the next one would push ``longest × count`` (the padded size the model really computes) over the
token budget, or the count over ``max_batch``. Callers get index lists and put results back in the
original order.
"""

from __future__ import annotations

from collections.abc import Sequence


def plan_batches(lengths: Sequence[int], *, max_tokens: int, max_batch: int) -> list[list[int]]:
    """Group item indices into batches whose padded size ``max(len) * n`` stays within ``max_tokens``.

    An item longer than ``max_tokens`` on its own gets a batch of one. Batches come shortest first;
    each holds indices in ascending length order (ties keep input order).
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be >= 1, got {max_tokens}")
    if max_batch < 1:
        raise ValueError(f"max_batch must be >= 1, got {max_batch}")
    if any(n < 0 for n in lengths):
        raise ValueError("lengths must be >= 0")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for idx in order:
        longest = max(lengths[idx], 1)  # sorted: the newcomer is the longest so far
        if current and (len(current) + 1 > max_batch or longest * (len(current) + 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(idx)
    if current:
        batches.append(current)
    return batches


def padded_size(lengths: Sequence[int], batch: Sequence[int]) -> int:
    """Tokens the model computes for ``batch`` once padded to its longest member."""
    return max((lengths[i] for i in batch), default=0) * len(batch)
