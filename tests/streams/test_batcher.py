"""vner.streams.batcher: token budget with padding, record cap, max wait, length bucketing, groups; the cut is
the tagger's own (``plan_batches``), on the tagger's own token counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from vner.engine.runtime.batching import plan_batches
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


@given(
    st.lists(st.integers(min_value=1, max_value=300), max_size=80),
    st.integers(16, 1_000),
    st.integers(1, 16),
)
def test_the_cut_is_plan_batches(tokens: list[int], budget: int, cap: int) -> None:
    """The stream has no cutter of its own: a group is cut exactly as the tagger cuts its windows."""
    b, _ = make(budget=budget, cap=cap)
    for i, tok in enumerate(tokens):
        b.add(i, group="g", tokens=tok)
    got = [[i.payload for i in x] for x in b.ready(flush=True)]
    assert got == plan_batches(tokens, max_tokens=budget, max_batch=cap)


TEXTS = [
    "Chị Lan",
    "Bệnh nhân 91 là nam phi công người Anh, trú tại Quận 2, TP. Hồ Chí Minh.",
    "Gọi 0912345678",
    "Ngày 15/3/2020 chị Nguyễn Thị Lan đến Hà Nội (bằng xe khách).",
    "Sở Y tế Đà Nẵng cho biết BN416 có triệu chứng sốt, ho và khó thở từ ngày 2/4.",
    "Đơn DH123456 của anh Minh",
    "Hà Nội",
    "Anh Tuấn ở Đà Nẵng gọi lúc 9 giờ sáng hôm qua về đơn hàng giao chậm",
    "ok",
    "Số CCCD 001099012345 của bà Hoa, trú tại phường Bến Nghé, quận 1",
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.engine.tiny_model import make_tiny_model

    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "m")


def test_the_tagger_and_the_stream_cut_the_same_list_identically(tiny_model: Path) -> None:
    """Same texts, same budget and cap: the batches the tagger runs are the ones the stream cuts, on the
    token counts the stream gets from the tagger (no length / 3 guess)."""
    from vner.engine.runtime.model_meta import read_meta
    from vner.engine.runtime.tagger import TokenTagger

    from tests.engine.tiny_model import e5_tokenizer

    meta = read_meta(tiny_model)
    ran: list[list[int]] = []

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        ran.append([int(n) for n in mask.sum(axis=1)])  # the real (unpadded) length of each row
        return np.zeros((*ids.shape, len(meta.labels)), dtype=np.float32)

    tagger = TokenTagger(
        tokenizer=e5_tokenizer(), meta=meta, forward=forward, name="tiny", max_length=32, max_tokens=60,
        max_batch=3, max_padding=1.0,  # the stream caps no padding: compare the token budget and the record cap
    )  # fmt: skip
    counts = tagger.count_tokens(TEXTS)
    assert all(0 < n <= tagger.max_length for n in counts)  # one window each: a text is one tagger row
    assert counts != [estimate_tokens(t) for t in TEXTS]
    tagger.predict(TEXTS)
    b, _ = make(budget=60, cap=3)
    for i, n in enumerate(counts):
        b.add(i, group="g", tokens=n)
    cut = [[counts[i.payload] for i in x] for x in b.ready(flush=True)]
    assert len(cut) > 3 and cut == ran
    assert any(len(x) < 3 for x in cut[:-1])  # the padded budget, not only the cap, cut somewhere
