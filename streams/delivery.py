"""The one owner of the commit order: produce results → (flush) → commit offsets, or one Kafka transaction.

``exactly_once``: a transactional producer; outputs, dead letters and the consumed offsets commit atomically
(``send_offsets_to_transaction``), downstream reads with ``isolation.level=read_committed``.
``at_least_once``: produce, flush, check every delivery report, then commit offsets synchronously.
Offsets only move forward; an offset is staged only after its record's output was handed to the producer.
A failed commit raises :class:`CommitFailed`: the caller rewinds the consumer to the committed offsets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from .logs import get_logger
from .metrics import StreamMetrics
from .settings import StreamSettings

log = get_logger("vner.streams.delivery")
Headers = list[tuple[str, str | bytes | None]]


_CALL_S = 10.0  # timeout given to each transactional call


def _guarded(op: Callable[[], Any], timeout_s: float = _CALL_S + 5.0) -> Any:
    """Run a blocking transactional call on a daemon thread and give up on it after ``timeout_s``.

    librdkafka's ``send_offsets_to_transaction`` can block past its own timeout when the group coordinator
    went away (librdkafka issues #5456, #5511). A call that hangs raises a *fatal* error here: the caller
    abandons that producer (the blocked thread keeps the only reference) and fences it with a new one.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = op()
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            box["error"] = e

    t = threading.Thread(target=target, name="vner-txn-call", daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        raise KafkaException(KafkaError(KafkaError._TIMED_OUT, "transactional call hung", fatal=True))
    if "error" in box:
        raise box["error"]
    return box.get("result")


class CommitFailed(RuntimeError):
    """Nothing since the last commit is committed; re-read from the committed offsets."""


class DeadLetterRefused(RuntimeError):
    """Kafka refused a dead letter: the worker must stop, leaving that record's offset uncommitted (re-reading
    it would only be refused again; going on would lose it)."""


# broker-side states that pass once the broker (or the group coordinator) is back
_TRANSIENT = frozenset(
    {
        KafkaError._TIMED_OUT,
        KafkaError._TRANSPORT,
        KafkaError._ALL_BROKERS_DOWN,
        KafkaError._WAIT_COORD,
        KafkaError.COORDINATOR_NOT_AVAILABLE,
        KafkaError.NOT_COORDINATOR,
        KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    }
)


T = TypeVar("T")


def retry_while(
    op: Callable[[], T],
    *,
    transient: Callable[[KafkaError], bool],
    deadline: float,
    what: str,
    delay: float = 0.5,
    max_delay: float = 0.5,
    stopping: Callable[[], bool] = lambda: False,
    on_retry: Callable[[str], None] | None = None,
) -> T:
    """``op()``, called again while it raises a ``KafkaException`` whose error is ``transient``.

    The one retry loop for Kafka calls of the stream stage (commits, committed offsets): a wait of ``delay`` seconds doubling
    up to ``max_delay``; an error that is not transient, a stop request, or a retry that would pass
    ``deadline`` (``time.monotonic()``) raises the last ``KafkaException``. Each retry is logged (error
    name only) and reported to ``on_retry``.
    """
    while True:
        try:
            return op()
        except KafkaException as e:
            err = e.args[0] if e.args else None
            if (
                not isinstance(err, KafkaError)
                or not transient(err)
                or stopping()
                or time.monotonic() + delay > deadline
            ):
                raise
            if on_retry is not None:
                on_retry(err.name())
            log.warning("kafka call retrying", call=what, error=err.name(), retry_in_s=delay)
            time.sleep(delay)
            delay = min(2 * delay, max_delay)


def committed_offsets(
    consumer: Consumer,
    partitions: list[TopicPartition],
    *,
    give_up_s: float = 150.0,
    attempt_s: float = 10.0,
    stopping: Callable[[], bool] = lambda: False,
    on_retry: Callable[[str], None] | None = None,
) -> list[TopicPartition]:
    """The group's committed offsets of ``partitions``, asked again while the broker is away.

    A rewind must know them before it reads on (else the records between the committed offset and the
    position would be skipped), so a timeout or a missing coordinator is retried with back-off for up to
    ``give_up_s`` (half the default ``max.poll.interval.ms``); any other error, a stop request or the end of
    that time raises the ``KafkaException``.
    """
    return retry_while(
        lambda: list(consumer.committed(partitions, timeout=attempt_s)),
        transient=lambda err: err.retriable() or err.code() in _TRANSIENT,
        deadline=time.monotonic() + give_up_s,
        what="committed_offsets",
        max_delay=5.0,
        stopping=stopping,
        on_retry=on_retry,
    )


def producer_config(s: StreamSettings) -> dict[str, Any]:
    """librdkafka producer settings: idempotent, murmur2 keys, transactional in exactly-once mode."""
    conf: dict[str, Any] = {
        **s.kafka_common(),
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "partitioner": "murmur2_random",
        "compression.type": "lz4",
        "message.timeout.ms": max(s.transaction_timeout_ms - 1000, 1000),
    }
    if s.delivery == "exactly_once":
        conf["transactional.id"] = s.txn_id
        conf["transaction.timeout.ms"] = s.transaction_timeout_ms
    return conf


def consumer_config(s: StreamSettings) -> dict[str, Any]:
    """librdkafka consumer settings: manual commits, read_committed, eager rebalancing."""
    return {
        **s.kafka_common(),
        "group.id": s.group_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": s.auto_offset_reset,
        "isolation.level": "read_committed",
        "partition.assignment.strategy": "range,roundrobin",
        "session.timeout.ms": s.session_timeout_ms,
        "heartbeat.interval.ms": max(100, s.session_timeout_ms // 10),
        "max.poll.interval.ms": 300_000,
        "fetch.wait.max.ms": s.fetch_wait_max_ms,
    }


class Delivery:
    """Produces records and commits offsets in the right order for the configured delivery mode."""

    def __init__(self, settings: StreamSettings, consumer: Consumer, metrics: StreamMetrics) -> None:
        self._s = settings
        self._consumer = consumer
        self._metrics = metrics
        self.exactly_once = settings.delivery == "exactly_once"
        self._producer = self._new_producer()
        self._in_txn = False
        self._txn_started = 0.0
        self._staged: dict[tuple[str, int], int] = {}
        self._committed: dict[tuple[str, int], int] = {}
        self._failed: list[KafkaError] = []
        self._dlq_refused: KafkaError | None = None

    def _replace_producer(self, give_up_s: float = 300.0) -> None:
        """A fresh producer (fencing the old one), retried while the cluster is unreachable."""
        deadline = time.monotonic() + give_up_s
        while True:
            try:
                self._producer = self._new_producer()
                return
            except KafkaException as e:
                if time.monotonic() > deadline:
                    raise
                log.warning("producer init failed; retrying", error=type(e).__name__)
                time.sleep(1.0)

    def _new_producer(self) -> Producer:
        p = Producer(producer_config(self._s))
        if (
            self.exactly_once
        ):  # fences an older instance (or an abandoned producer) with the same transactional.id
            _guarded(lambda: p.init_transactions(30.0), 60.0)
        return p

    def _on_delivery(self, err: KafkaError | None, msg: Any) -> None:
        if err is not None:
            self._failed.append(err)
            if msg is not None and msg.topic() == self._s.dlq_topic and not err.retriable():
                self._dlq_refused = err

    @property
    def pending(self) -> int:
        """Partitions with staged (uncommitted) offsets."""
        return len(self._staged)

    def due(self, *, idle: bool) -> bool:
        """Time to commit: something is staged and the interval passed or nothing else is in flight."""
        if not self._staged:
            return False
        return idle or (time.monotonic() - self._txn_started) * 1000.0 >= self._s.commit_interval_ms

    def produce(self, topic: str, *, value: bytes | None, key: bytes | None, headers: Headers) -> None:
        """Hand one record to the producer (inside the open transaction in exactly-once mode)."""
        if self.exactly_once and not self._in_txn:
            self._producer.begin_transaction()
            self._in_txn = True
        if self._txn_started == 0.0:
            self._txn_started = time.monotonic()
        while True:
            try:
                self._producer.produce(
                    topic, value=value, key=key, headers=headers, on_delivery=self._on_delivery
                )
                break
            except BufferError:
                self._producer.poll(0.05)

    def serve(self) -> None:
        """Serve delivery reports (once per loop iteration, not per record: each call costs the GIL)."""
        self._producer.poll(0)

    def stage_offset(self, topic: str, partition: int, offset: int) -> None:
        """Record that ``offset`` of ``topic/partition`` has its output produced (next read = offset + 1)."""
        tp = (topic, partition)
        nxt = offset + 1
        if nxt <= self._committed.get(tp, -1) or nxt <= self._staged.get(tp, -1):
            raise RuntimeError(f"offset for {topic}[{partition}] would go backwards to {nxt}")
        if self._txn_started == 0.0:
            self._txn_started = time.monotonic()
        self._staged[tp] = nxt

    def commit(self, deadline: float | None = None) -> None:
        """Commit everything produced since the last commit, with its offsets; raises :class:`CommitFailed`.

        ``deadline`` (``time.monotonic()``): no retry of a transactional call starts after it (shutdown)."""
        if not self._staged and not self._in_txn:
            return
        offsets = [TopicPartition(t, p, o) for (t, p), o in sorted(self._staged.items())]
        try:
            if self.exactly_once:
                self._commit_txn(offsets, deadline)
            else:
                self._commit_alo(offsets)
        except KafkaException as e:
            self._metrics.transactions.labels(result="aborted").inc()
            self._recover(e.args[0] if e.args else None)
            refused, self._dlq_refused = self._dlq_refused, None
            if refused is not None:
                log.error("dead letter refused by Kafka; stopping without commit", error=refused.name())
                raise DeadLetterRefused(f"dead letter refused: {refused.name()}") from e
            raise CommitFailed(str(e)) from e
        self._metrics.transactions.labels(result="committed").inc()
        self._committed.update(self._staged)
        self._staged.clear()
        self._txn_started = 0.0

    def _commit_txn(self, offsets: list[TopicPartition], until: float | None = None) -> None:
        deadline = time.monotonic() + self._s.transaction_timeout_ms / 1000.0 * 0.8
        if until is not None:
            deadline = min(deadline, until)
        if offsets:
            group = self._consumer.consumer_group_metadata()
            producer = self._producer
            self._retry(
                lambda: _guarded(lambda: producer.send_offsets_to_transaction(offsets, group, _CALL_S)),
                deadline,
            )
        producer = self._producer
        self._retry(lambda: _guarded(lambda: producer.commit_transaction(_CALL_S)), deadline)
        self._in_txn = False

    def _retry(self, op: Callable[[], Any], deadline: float) -> None:
        # only errors librdkafka calls retriable: a fatal one (a hung call, a fenced producer) is not
        retry_while(
            op,
            transient=lambda err: err.retriable(),
            deadline=deadline,
            what="commit",
            on_retry=lambda _name: self._metrics.errors.labels(kind="commit_retry").inc(),
        )

    def _commit_alo(self, offsets: list[TopicPartition]) -> None:
        remaining = self._producer.flush(self._s.transaction_timeout_ms / 1000.0)
        if remaining or self._failed:
            err = self._failed[0] if self._failed else KafkaError(KafkaError._MSG_TIMED_OUT)
            self._failed.clear()
            raise KafkaException(err)
        if offsets:
            self._consumer.commit(offsets=offsets, asynchronous=False)

    def _recover(self, err: Any) -> None:
        """After a failed commit: abort the transaction, or replace a producer that hit a fatal error."""
        self._staged.clear()
        self._txn_started = 0.0
        self._failed.clear()
        name = err.name() if isinstance(err, KafkaError) else "unknown"
        log.warning(
            "commit failed; rewinding to committed offsets", error=name, exactly_once=self.exactly_once
        )
        if not self.exactly_once:
            return
        fatal = isinstance(err, KafkaError) and err.fatal()
        if fatal:
            self._metrics.errors.labels(kind="producer_replaced").inc()
        else:
            try:
                producer = self._producer
                _guarded(lambda: producer.abort_transaction(_CALL_S))
                self._in_txn = False
                return
            except KafkaException as e2:
                log.warning("abort failed; replacing the producer", error=str(type(e2).__name__))
        self._replace_producer()
        self._in_txn = False

    def abort(self) -> None:
        """Drop everything produced since the last commit (revoked partitions, shutdown without finishing)."""
        self._staged.clear()
        self._txn_started = 0.0
        if self.exactly_once and self._in_txn:
            try:
                producer = self._producer
                _guarded(lambda: producer.abort_transaction(_CALL_S))
            except KafkaException:
                self._replace_producer()
            self._in_txn = False
            self._metrics.transactions.labels(result="aborted").inc()

    def forget(self, partitions: list[TopicPartition]) -> None:
        """Forget the commit watermarks of partitions this instance no longer owns."""
        for tp in partitions:
            self._committed.pop((tp.topic, tp.partition), None)

    def close(self, timeout_s: float = 10.0) -> None:
        self._producer.flush(timeout_s)
