"""``vner.streams.delivery.retry_while``: the one retry loop of the stream stage (commits and committed offsets)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from confluent_kafka import KafkaError, KafkaException
from vner.streams.delivery import retry_while


def failing(codes: list[int], result: str = "ok") -> tuple[Callable[[], str], list[int]]:
    """An op that raises one KafkaException per code, then returns ``result``; ``calls`` counts the calls."""
    calls: list[int] = []

    def op() -> str:
        calls.append(1)
        if len(calls) <= len(codes):
            raise KafkaException(KafkaError(codes[len(calls) - 1]))
        return result

    return op, calls


def transient(err: KafkaError) -> bool:
    return err.code() in (KafkaError._TIMED_OUT, KafkaError._TRANSPORT)


def test_transient_errors_are_retried_with_a_doubling_wait_then_the_result_comes_back() -> None:
    op, calls = failing([KafkaError._TIMED_OUT, KafkaError._TRANSPORT, KafkaError._TIMED_OUT])
    seen: list[str] = []
    t0 = time.monotonic()
    got = retry_while(
        op,
        transient=transient,
        deadline=time.monotonic() + 30,
        what="test",
        delay=0.05,
        max_delay=0.1,
        on_retry=seen.append,
    )
    assert got == "ok" and len(calls) == 4
    assert seen == ["_TIMED_OUT", "_TRANSPORT", "_TIMED_OUT"]
    assert time.monotonic() - t0 >= 0.05 + 0.1 + 0.1  # 0.05, doubled, then held at max_delay


def test_other_errors_a_stop_request_or_the_deadline_raise_the_last_error() -> None:
    op, calls = failing([KafkaError._TIMED_OUT, KafkaError.UNKNOWN_TOPIC_OR_PART])
    with pytest.raises(KafkaException) as exc:
        retry_while(op, transient=transient, deadline=time.monotonic() + 30, what="test", delay=0.01)
    assert exc.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART and len(calls) == 2

    op, calls = failing([KafkaError._TIMED_OUT] * 5)
    with pytest.raises(KafkaException):
        retry_while(op, transient=transient, deadline=time.monotonic() + 30, what="t", stopping=lambda: True)
    assert len(calls) == 1  # asked to stop: not asked again

    op, calls = failing([KafkaError._TIMED_OUT] * 50)
    t0 = time.monotonic()
    with pytest.raises(KafkaException):
        retry_while(op, transient=transient, deadline=time.monotonic() + 0.3, what="t", delay=0.1)
    assert 2 <= len(calls) <= 4 and time.monotonic() - t0 < 0.6  # no wait past the deadline


def test_an_exception_without_a_kafka_error_is_not_retried() -> None:
    calls: list[int] = []

    def op() -> None:
        calls.append(1)
        raise KafkaException("no error object")

    with pytest.raises(KafkaException):
        retry_while(op, transient=lambda _e: True, deadline=time.monotonic() + 30, what="t")
    assert calls == [1]
