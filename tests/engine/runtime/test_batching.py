"""vner.engine.runtime.batching: the one batch cutter (the tagger's windows, the stream's record groups)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vner.engine.runtime.batching import padded_size, plan_batches


@given(st.lists(st.integers(0, 50), max_size=60), st.integers(50, 300), st.integers(1, 16))
def test_plan_batches_respects_budget(lengths: list[int], max_tokens: int, max_batch: int) -> None:
    batches = plan_batches(lengths, max_tokens=max_tokens, max_batch=max_batch)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= max_batch
        assert len(b) == 1 or padded_size(lengths, b) <= max_tokens


@given(st.lists(st.integers(1, 200), max_size=60), st.floats(0.0, 1.0))
def test_plan_batches_caps_padding(lengths: list[int], max_padding: float) -> None:
    batches = plan_batches(lengths, max_tokens=100_000, max_batch=64, max_padding=max_padding)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        waste = padded_size(lengths, b) - sum(lengths[i] for i in b)
        assert len(b) == 1 or waste <= max_padding * padded_size(lengths, b) + 1e-9


def test_plan_batches_padding_cap_example() -> None:
    lengths = [30, 150, 32, 148, 31]
    assert plan_batches(lengths, max_tokens=10_000, max_batch=8) == [
        [0, 4, 2, 3, 1]
    ]  # one batch, 57 % padding
    assert plan_batches(lengths, max_tokens=10_000, max_batch=8, max_padding=0.25) == [[0, 4, 2], [3, 1]]
    with pytest.raises(ValueError, match="max_padding"):
        plan_batches(lengths, max_tokens=10, max_batch=1, max_padding=1.5)


def test_plan_batches_buckets_by_length() -> None:
    lengths = [30, 2, 29, 3, 31, 1]
    assert plan_batches(lengths, max_tokens=60, max_batch=8) == [[5, 1, 3], [2, 0], [4]]  # 2 × 30 = 60 fits
    assert plan_batches(lengths, max_tokens=59, max_batch=2) == [[5, 1], [3, 2], [0], [4]]  # 29 × 2 = 58
    with pytest.raises(ValueError):
        plan_batches([1], max_tokens=0, max_batch=1)


def test_padding_is_counted_not_just_the_sum() -> None:
    # 10 + 10 + 10 + 40 = 70 tokens fit a budget of 100, but padded to the longest they are 4 x 40 = 160
    assert plan_batches([10, 40, 10, 10], max_tokens=100, max_batch=100) == [[0, 2, 3], [1]]
    assert plan_batches([10, 40, 10, 10], max_tokens=160, max_batch=100) == [[0, 2, 3, 1]]


def test_an_item_longer_than_the_budget_forms_a_batch_alone() -> None:
    assert plan_batches([500, 5, 6], max_tokens=50, max_batch=8) == [[1, 2], [0]]
    assert plan_batches([500, 501], max_tokens=50, max_batch=8) == [[0], [1]]


def test_ties_keep_input_order_and_the_record_cap_holds() -> None:
    assert plan_batches([7, 7, 7, 7, 7], max_tokens=1_000, max_batch=2) == [[0, 1], [2, 3], [4]]
