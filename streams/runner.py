"""``vner run``: Kafka input topic → decode → micro-batches on worker threads → enriched records → output topic.

The main thread owns the consumer and :class:`vner.streams.delivery.Delivery`; worker threads run
:class:`vner.streams.stage.PipelineStage`. Records are emitted strictly in consumption order (order per key and per
partition is kept), so an offset is committed only once every earlier record of its partition was produced.
At most ``queue_max_records`` are in flight: above that the input partitions are paused (backpressure).
A rebalance or SIGTERM finishes the in-flight records and commits them; if that fails, it aborts.

SIGTERM (or SIGINT) is over within ``shutdown_timeout_s`` (default 20 s), all of it: the in-flight batches get
what is left of it but a reserve (a quarter, 1–5 s) kept for the commit or abort, the revoke and leaving the
group. Exit codes: ``0`` stopped cleanly (what finished was committed, the rest aborted: the next owner reads it
again); ``3`` the bound passed first (a watchdog ends the process when ``run()`` runs on the main thread;
nothing since the last commit is committed, the open transaction is aborted or expires, nothing is lost);
``4`` a dead letter was refused (the record's offset is not committed); ``1`` any other error.

Crash loops: records in flight when a process died are counted in Redis (:mod:`vner.streams.attempts`); such a
record runs alone on the next start, and after ``crash_loop_attempts`` deaths it is dead-lettered as
``crash_loop`` instead of being run again.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from .attempts import AttemptLog
from .batcher import MicroBatcher
from .codec import InputRecord, PoisonReason, PoisonRecord, content_type_of, decode
from .delivery import (
    CommitFailed,
    DeadLetterRefused,
    Delivery,
    committed_offsets,
    consumer_config,
)
from .logs import get_logger
from .metrics import MetricsServer, StreamMetrics
from .records import Source, dead_letter, output_record
from .settings import StreamSettings
from .stage import Pipelines, PipelineStage, Work, pipelines_and_cache, start_pool

log = get_logger("vner.streams.runner")


def source_of(msg: Message) -> Source:
    """The neutral :class:`vner.streams.records.Source` of a confluent-kafka message."""
    return Source.of(
        topic=msg.topic(),
        partition=msg.partition(),
        offset=msg.offset(),
        key=msg.key(),
        value=msg.value(),
        headers=msg.headers(),
    )


def where_of(msg: Message) -> tuple[str, int, int]:
    """(topic, partition, offset) of a consumed message."""
    return str(msg.topic()), int(msg.partition() or 0), int(msg.offset() or 0)


@dataclass(slots=True)
class Slot:
    """One consumed record on its way out, in consumption order."""

    msg: Message
    record: InputRecord | None = None
    work: Work | None = None
    poison: PoisonRecord | None = None
    done: bool = False
    suspect: bool = False  # in flight when an earlier process died: runs alone
    consumed_at: float = field(default_factory=time.monotonic)


class DeadLetterFailed(DeadLetterRefused):
    """A dead letter the producer refused: the worker stops and that record's offset is never committed."""


EXIT_OK = 0
EXIT_ERROR = 1
EXIT_SHUTDOWN_TIMEOUT = 3
EXIT_DEAD_LETTER_REFUSED = 4


class Runner:
    """Wires consumer, batcher, stage and delivery; ``run()`` blocks until :meth:`stop` or SIGTERM."""

    def __init__(self, settings: StreamSettings, *, pipelines: Pipelines | None = None) -> None:
        self.s = settings
        self.metrics = StreamMetrics()
        self.pipelines, self.cache = pipelines_and_cache(settings, self.metrics, pipelines)
        self._procs = (
            start_pool(
                settings.stage_processes,
                factory=settings.pipeline_factory,
                domains=settings.domains,
                default_domain=settings.default_domain,
                model_dir=settings.model_dir,
            )
            if settings.stage_processes
            else None
        )
        self.stage = PipelineStage(self.pipelines, cache=self.cache, metrics=self.metrics, pool=self._procs)
        self._fatal: BaseException | None = None
        self.batcher: MicroBatcher[Slot] = MicroBatcher(
            token_budget=settings.batch_token_budget,
            max_records=settings.batch_max_records,
            max_wait_ms=settings.batch_max_wait_ms,
        )
        self.tz = ZoneInfo(settings.timezone)
        self._domains = self.pipelines.domains
        self._slots: deque[Slot] = deque()
        self._futures: set[Future[None]] = set()
        self._pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="vner-stage")
        self._assignment: list[TopicPartition] = []
        self._paused = False
        self._stopping = False
        self._last_lag = 0.0
        self.attempts = AttemptLog(
            settings.redis_url,
            group=settings.group_id,
            limit=settings.crash_loop_attempts,
            ttl_s=settings.crash_loop_ttl_s,
            metrics=self.metrics,
        )
        self._solo: deque[Slot] = deque()
        self._deadline: float | None = None  # set by stop(): when the shutdown must be over
        self._owns_process = False  # run() on the main thread: the shutdown watchdog may end the process
        self.consumer = Consumer(consumer_config(settings))
        self.delivery = Delivery(settings, self.consumer, self.metrics)

    # --- lifecycle -------------------------------------------------------------------------------------
    def stop(self, *_: Any) -> None:
        """Stop (SIGTERM/SIGINT): finish, commit or abort, and be gone within ``shutdown_timeout_s``."""
        self._stopping = True
        if self._deadline is not None:
            return
        bound = self.s.shutdown_timeout_s
        self._deadline = time.monotonic() + bound
        if not self._owns_process:  # embedded in a thread: the waits keep the bound, no hard exit
            return
        watchdog = threading.Timer(bound, self._overrun)
        watchdog.daemon = True
        watchdog.start()

    def _overrun(self) -> None:
        log.error(
            "shutdown took longer than shutdown_timeout_s; exiting without commit",
            bound_s=self.s.shutdown_timeout_s,
        )
        os._exit(EXIT_SHUTDOWN_TIMEOUT)

    def _left(self, cap: float) -> float:
        """Seconds to wait: ``cap``, or less when a shutdown deadline leaves less (keeping its reserve)."""
        if self._deadline is None:
            return cap
        reserve = min(5.0, max(1.0, self.s.shutdown_timeout_s / 4))
        return max(0.0, min(cap, self._deadline - reserve - time.monotonic()))

    def run(self) -> int:
        server = (
            MetricsServer(self.metrics, host=self.s.metrics_host, port=self.s.metrics_port).start()
            if self.s.metrics_port
            else None
        )
        self._owns_process = threading.current_thread() is threading.main_thread()
        if self._owns_process:  # embedded in a thread: call stop() instead
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.consumer.subscribe(
            [self.s.input_topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )
        log.info(
            "started",
            input=self.s.input_topic,
            output=self.s.output_topic,
            delivery=self.s.delivery,
            model_version=self.pipelines.model_version,
            rules_version=self.pipelines.rules_version,
        )
        try:
            while not self._stopping:
                self._step()
            self._finish_or_abort(self.s.shutdown_timeout_s)
        finally:
            running = [f for f in self._futures if not f.done()]
            if running:  # aborted batches still on a thread: the interpreter joins them at exit
                log.info("waiting for abandoned batches", batches=len(running))
            self.consumer.close()  # leaves the group (the revoke handler finds nothing left to do)
            self.delivery.close(self._left(10.0) if self._deadline is not None else 10.0)
            self._pool.shutdown(wait=False, cancel_futures=True)
            if self._procs is not None:
                self._procs.shutdown(wait=False, cancel_futures=True)
            if server:
                server.stop()
            wait(list(self._futures), timeout=self._left(60.0) if self._deadline is not None else 0.0)
            self.attempts.close()
            self.cache.close()
            log.info("stopped", produced=self.metrics.value("vner_records_produced_total"))
        return 0

    # --- one iteration -----------------------------------------------------------------------------------
    def _step(self) -> None:
        if self._fatal is not None:
            raise RuntimeError(f"pipeline stage failed: {type(self._fatal).__name__}") from self._fatal
        self.metrics.tick()
        self._backpressure()
        # consume() returns early only when `room` records arrived: wait briefly while work is in flight
        if self._slots and self._slots[0].done:
            wait_s = 0.0
        elif self._slots or self.delivery.pending:
            wait_s = min(0.005, self.batcher.next_deadline() or 0.005)
        else:
            wait_s = 0.1
        room = max(1, min(self.s.poll_max_records, self.s.queue_max_records - len(self._slots)))
        accepted = [self._accept(msg) for msg in self.consumer.consume(num_messages=room, timeout=wait_s)]
        self._enqueue([slot for slot in accepted if slot is not None])
        self._submit(self.batcher.ready())
        self._run_solo()
        self._emit()
        self.delivery.serve()
        if self.delivery.due(idle=not self._slots):
            self._commit()
        self._update_lag()

    def _backpressure(self) -> None:
        n = len(self._slots)
        self.metrics.inflight.set(n)
        if not self._paused and n >= self.s.queue_max_records and self._assignment:
            self.consumer.pause(self._assignment)
            self._paused = True
        elif self._paused and n <= self.s.queue_max_records // 2:
            self.consumer.resume(self._assignment)
            self._paused = False
        self.metrics.paused.set(1 if self._paused else 0)

    def _accept(self, msg: Message) -> Slot | None:
        """Track one consumed record; its slot if it decoded into work for the batcher."""
        err = msg.error()
        if err is not None:
            if err.fatal():
                raise KafkaException(err)
            if err.code() != KafkaError._PARTITION_EOF:
                self.metrics.errors.labels(kind="consume").inc()
                log.warning("consume error", error=err.name())
            return None
        self.metrics.consumed.inc()
        slot = Slot(msg)
        self._slots.append(slot)
        deaths = self.attempts.previous(where_of(msg))
        if deaths and deaths >= self.attempts.limit:
            slot.poison = PoisonRecord(
                PoisonReason.CRASH_LOOP, f"the worker died {deaths} times while this record was in flight"
            )
            slot.done = True
            return None
        slot.suspect = deaths > 0
        try:
            slot.record = decode(
                msg.value(),
                content_type=content_type_of(msg.headers()),
                known_domains=self._domains,
                default_domain=self.s.default_domain,
                max_text_bytes=self.s.max_text_bytes,
                max_depth=self.s.max_depth,
            )
        except PoisonRecord as p:
            slot.poison, slot.done = p, True
            return None
        slot.work = Work(
            text=slot.record.text,
            domain=slot.record.domain,
            ref_time=self._ref_time(slot),
            enqueued=slot.consumed_at,
        )
        return slot

    def _enqueue(self, slots: list[Slot]) -> None:
        """Queue decoded records in the batcher on the model's token counts (one count call per chunk)."""
        queued = [(slot, slot.work) for slot in slots if slot.work is not None]
        counts = self.stage.count_tokens([w for _slot, w in queued]) if queued else []
        for (slot, w), tokens in zip(queued, counts, strict=True):
            if slot.suspect:
                self._solo.append(slot)
            else:
                self.batcher.add(slot, group=(w.domain, w.ref_time), tokens=tokens)

    def _run_solo(self) -> None:
        """Run suspects (in flight when a process died) one at a time, with nothing else in flight, so a
        record that kills the process again is the only one counted again."""
        while self._solo:
            slot = self._solo.popleft()
            wait(list(self._futures))
            log.warning(
                "running a suspect record alone", partition=slot.msg.partition(), offset=slot.msg.offset()
            )
            self._run_batch([slot])

    def _ref_time(self, slot: Slot) -> datetime:
        """The record's ``ref_time``, else its Kafka timestamp floored to ``ref_time_granularity_s``."""
        assert slot.record is not None
        if slot.record.ref_time is not None:
            rt = slot.record.ref_time
            return rt if rt.tzinfo else rt.replace(tzinfo=self.tz)
        _kind, ts_ms = slot.msg.timestamp()
        secs = ts_ms / 1000.0 if ts_ms and ts_ms > 0 else time.time()
        secs -= secs % self.s.ref_time_granularity_s
        return datetime.fromtimestamp(secs, tz=self.tz)

    def _submit(self, batches: list[list[Any]]) -> None:
        for batch in batches:
            slots: list[Slot] = [item.payload for item in batch]
            fut = self._pool.submit(self._run_batch, slots)
            self._futures.add(fut)
            fut.add_done_callback(self._futures.discard)

    def _run_batch(self, slots: list[Slot]) -> None:
        where = [where_of(s.msg) for s in slots]
        self.attempts.started(where)  # left behind if the process dies in this batch
        try:
            self.stage.run([s.work for s in slots if s.work is not None])
        except BrokenProcessPool as e:  # never emitted, never committed: the runner stops (fatal)
            self._fatal = e
            return
        self.attempts.finished(where)
        for s in slots:
            s.done = True

    def _emit(self) -> None:
        while self._slots and self._slots[0].done:
            slot = self._slots.popleft()
            src = source_of(slot.msg)
            work = slot.work
            if slot.poison is None and (work is None or work.entities is None):
                slot.poison = PoisonRecord(
                    PoisonReason.PIPELINE_ERROR, f"pipeline raised {work.error if work else '?'}"
                )
            if slot.poison is None:
                assert slot.record is not None and work is not None and work.entities is not None
                slot.poison = self._produce_output(src, slot.record, work)
            if slot.poison is not None:
                self._dead_letter(src, slot.poison)
            self.delivery.stage_offset(*src.where)

    def _produce_output(self, src: Source, record: InputRecord, work: Work) -> PoisonRecord | None:
        """Produce the enriched record; one that cannot be encoded as strict JSON, or that the producer refuses
        as too large, is returned as poison (it becomes a dead letter, cut to fit)."""
        try:
            value, headers = output_record(
                src,
                record,
                work,
                model_version=self.pipelines.model_version,
                rules_version=self.pipelines.rules_version,
            )
        except (ValueError, TypeError, RecursionError, UnicodeError) as e:
            return PoisonRecord(PoisonReason.UNENCODABLE, f"{type(e).__name__} while encoding the output")
        try:
            self.delivery.produce(self.s.output_topic, value=value, key=src.key, headers=headers)
        except KafkaException as e:  # a huge key or huge headers carried over: the record, not the stream
            err = e.args[0] if e.args else None
            if not isinstance(err, KafkaError) or err.code() != KafkaError.MSG_SIZE_TOO_LARGE:
                raise
            return PoisonRecord(PoisonReason.TOO_LARGE, f"output of {len(value)} bytes + key/headers refused")
        self.metrics.produced.inc()
        return None

    def _dead_letter(self, src: Source, poison: PoisonRecord) -> None:
        """Produce the dead letter, cut to ``dlq_max_bytes``; if even that is refused, stop without committing."""
        value, key, headers = dead_letter(src, poison, max_bytes=self.s.dlq_max_bytes)
        _topic, part, off = src.where
        try:
            self.delivery.produce(self.s.dlq_topic, value=value, key=key, headers=headers)
        except KafkaException as e:
            err = e.args[0] if e.args else None
            name = err.name() if isinstance(err, KafkaError) else type(e).__name__
            log.error("dead letter refused; stopping without commit", error=name, partition=part, offset=off)
            self.delivery.abort()  # nothing since the last commit is committed: the record is read again
            raise DeadLetterFailed(f"dead letter for partition {part} offset {off} refused: {name}") from e
        self.metrics.dead_lettered.labels(reason=poison.reason.value).inc()
        log.info("dead-lettered", reason=poison.reason.value, partition=part, offset=off)

    def _commit(self) -> None:
        try:
            self.delivery.commit()
        except CommitFailed:
            self._rewind()

    # --- failure, rebalance and shutdown ------------------------------------------------------------------
    def _drop_in_flight(self) -> None:
        self._slots.clear()
        self._solo.clear()
        self.batcher.ready(flush=True)  # discard queued records; running batches finish into dropped slots

    def _rewind(self) -> None:
        """Drop in-flight work and re-read every assigned partition from its committed offset."""
        self._drop_in_flight()
        if not self._assignment:
            return
        committed = committed_offsets(
            self.consumer,
            self._assignment,
            stopping=lambda: self._stopping,
            on_retry=lambda _name: self.metrics.errors.labels(kind="rewind_retry").inc(),
        )
        for tp in committed:
            if tp.offset < 0:
                tp.offset = -2 if self.s.auto_offset_reset == "earliest" else -1
            self.consumer.seek(tp)
        log.info("rewound to committed offsets", partitions=len(committed))

    def _finish_or_abort(self, timeout_s: float = 20.0) -> None:
        """Run what is queued, wait for it (at most ``timeout_s``, less when the shutdown deadline is
        nearer), produce it and commit; abort whatever could not finish."""
        if self._slots:
            self._submit(self.batcher.ready(flush=True))
            if not self._stopping:
                self._run_solo()
            wait(list(self._futures), timeout=self._left(timeout_s))
        self._emit()
        try:
            self.delivery.commit(self._deadline)
        except CommitFailed:
            log.warning("final commit failed; aborted")
        if self._slots:
            self.delivery.abort()
        self._drop_in_flight()

    def _on_assign(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._assignment = list(partitions)
        self._paused = False
        self.attempts.load((str(p.topic), int(p.partition)) for p in partitions)
        self.metrics.set_ready(True)
        log.info("assigned", partitions=[p.partition for p in partitions])

    def _on_revoke(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.info("revoked", partitions=[p.partition for p in partitions])
        self._finish_or_abort(timeout_s=10.0)  # on shutdown: nothing left (run() finished or aborted it)
        self.delivery.forget(partitions)
        self._assignment = []
        self.metrics.set_ready(False)

    def _on_lost(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.warning("partitions lost", partitions=[p.partition for p in partitions])
        self.delivery.abort()
        self._drop_in_flight()
        self.delivery.forget(partitions)
        self._assignment = []
        self.metrics.set_ready(False)

    def _update_lag(self) -> None:
        now = time.monotonic()
        if now - self._last_lag < 5.0 or not self._assignment:
            return
        self._last_lag = now
        try:
            for tp in self.consumer.position(self._assignment):
                _lo, hi = self.consumer.get_watermark_offsets(tp, cached=True)
                if tp.offset >= 0 and hi >= 0:
                    self.metrics.lag.labels(partition=str(tp.partition)).set(max(0, hi - tp.offset))
        except KafkaException:
            self.metrics.errors.labels(kind="lag").inc()


def run(settings: StreamSettings) -> int:
    """Entry point used by ``vner run --engine confluent``: the exit code (see the module docstring)."""
    try:
        return Runner(settings).run()
    except DeadLetterRefused as e:
        log.error("stopped: a dead letter was refused", error=str(e))
        return EXIT_DEAD_LETTER_REFUSED


def main() -> None:
    """Run with settings from ``VNER_*`` env vars / ``VNER_CONFIG`` (used by tests and the container image)."""
    from .logs import configure_logging
    from .settings import load_settings

    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` dumps every thread's stack to stderr
    settings = load_settings()
    configure_logging(settings.log_level)
    raise SystemExit(run(settings))


if __name__ == "__main__":
    main()
