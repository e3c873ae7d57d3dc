"""vner.streams.batcher: token budget with padding, record cap, max wait, length bucketing, groups."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from vner.streams.batcher import MicroBatcher, estimate_tokens


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def make(budget: int = 100, cap: int = 8, wait_ms: float = 50) -> tuple[MicroBatcher[int], Clock]:
    clock = Clock()
    return MicroBatcher(token_budget=budget, max_records=cap, max_wait_ms=wait_ms, clock=clock), clock


def test_waits_until_max_wait_then_releases() -> None:
    b, clock = make()
    b.add(1, group="g", tokens=5)
    assert b.ready() == []
    assert abs((b.next_deadline() or 0) - 0.05) < 1e-9
    clock.t += 0.049
    assert b.ready() == []
    clock.t += 0.002
    batches = b.ready()
    assert [[i.payload for i in batch] for batch in batches] == [[1]]
    assert len(b) == 0 and b.next_deadline() is None


def test_record_cap_releases_without_waiting() -> None:
    b, _ = make(budget=10_000, cap=4)
    for i in range(4):
        b.add(i, group="g", tokens=3)
    assert [len(x) for x in b.ready()] == [4]


def test_budget_counts_padding() -> None:
    # 3 short + 1 long: 4 x 40 = 160 > 100 even though the sum is 70
    b, _ = make(budget=100, cap=100)
    for i, tok in enumerate([10, 10, 10, 40]):
        b.add(i, group="g", tokens=tok)
    batches = b.ready(flush=True)
    for batch in batches:
        assert max(i.tokens for i in batch) * len(batch) <= 100
    assert sorted(i.payload for batch in batches for i in batch) == [0, 1, 2, 3]
    assert len(batches) == 2


def test_padded_size_reaching_budget_makes_group_due() -> None:
    b, _ = make(budget=100, cap=100, wait_ms=10_000)
    b.add(0, group="g", tokens=60)
    assert b.ready() == []
    b.add(1, group="g", tokens=10)  # padded 2 x 60 = 120 >= 100
    assert len(b.ready()) == 2


def test_oversized_record_gets_its_own_batch() -> None:
    b, _ = make(budget=50)
    b.add("big", group="g", tokens=500)
    b.add("small", group="g", tokens=5)
    batches = b.ready(flush=True)
    assert [[i.payload for i in x] for x in batches] == [["small"], ["big"]]


def test_length_bucketing_reduces_padding() -> None:
    tokens = [5, 60, 6, 58, 7, 61, 5, 59]
    b, _ = make(budget=130, cap=4)
    for i, tok in enumerate(tokens):
        b.add(i, group="g", tokens=tok)
    batches = b.ready(flush=True)
    padded = sum(max(i.tokens for i in x) * len(x) for x in batches)
    fifo_padded = sum(max(tokens[j : j + 2]) * 2 for j in range(0, 8, 2))  # FIFO pairs under the same budget
    assert padded < fifo_padded
    assert {i.payload for i in batches[0]} == {0, 2, 4, 6}  # the four short ones together


def test_groups_never_mix_and_flush_empties() -> None:
    b, _ = make()
    b.add(1, group=("cs", "t1"), tokens=5)
    b.add(2, group=("med", "t1"), tokens=5)
    b.add(3, group=("cs", "t1"), tokens=5)
    batches = b.ready(flush=True)
    assert sorted(sorted(i.payload for i in x) for x in batches) == [[1, 3], [2]]
    assert len(b) == 0


def test_estimate_tokens_grows_with_length() -> None:
    assert estimate_tokens("") >= 1
    assert estimate_tokens("a" * 300) > estimate_tokens("a" * 30)


@given(st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=80), st.integers(1, 16))
def test_every_record_once_and_every_batch_within_limits(tokens: list[int], cap: int) -> None:
    b, _ = make(budget=256, cap=cap)
    for i, tok in enumerate(tokens):
        b.add(i, group="g", tokens=tok)
    batches = b.ready(flush=True)
    assert sorted(i.payload for x in batches for i in x) == list(range(len(tokens)))
    for x in batches:
        assert 1 <= len(x) <= cap
        assert len(x) == 1 or max(i.tokens for i in x) * len(x) <= 256
