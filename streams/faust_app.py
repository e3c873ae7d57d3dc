"""The same stream pipeline as a faust-streaming agent (``vner run --engine faust``), at-least-once.

One agent reads the input topic in micro-batches (``stream.take_events(batch_max_records,
within=batch_max_wait_ms)``), decodes each record with :mod:`vner.streams.codec` (poison records go to the
dead-letter topic), cuts the rest with the runner's :class:`vner.streams.batcher.MicroBatcher` on the model's
token counts, runs the batches through :class:`vner.streams.stage.PipelineStage` (Redis cache +
``Pipeline.process``) in a thread pool so the event loop never runs CPU/ONNX work, and publishes output records
keyed like the input. Outputs and dead letters are built by :mod:`vner.streams.records` from a
:class:`vner.streams.records.Source`, as the confluent runner builds them. A batch's
events are acknowledged only after every output and dead letter of that batch is delivered, so a crash
replays them (at-least-once; faust's exactly-once mode has open duplicate bugs, use the confluent engine).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .batcher import MicroBatcher
from .codec import InputRecord, PoisonReason, PoisonRecord, content_type_of, decode
from .logs import get_logger
from .metrics import MetricsServer, StreamMetrics
from .records import Source, dead_letter, output_record
from .settings import StreamSettings
from .stage import Pipelines, PipelineStage, Work, pipelines_and_cache

log = get_logger("vner.faust")


def source_of(message: Any) -> Source:
    """The neutral :class:`vner.streams.records.Source` of a faust ``Message`` (``event.message``)."""
    return Source.of(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        headers=message.headers,
    )


def _credentials(s: StreamSettings) -> Any:
    """faust broker credentials for the SASL / SSL settings (``None`` for PLAINTEXT)."""
    import ssl

    import faust

    ctx: ssl.SSLContext | None = None
    if s.security_protocol in ("SSL", "SASL_SSL"):
        ctx = ssl.create_default_context(cafile=str(s.ssl_ca_location) if s.ssl_ca_location else None)
        if s.ssl_certificate_location:
            key_pw = s.ssl_key_password.get_secret_value() if s.ssl_key_password else None
            ctx.load_cert_chain(
                str(s.ssl_certificate_location),
                str(s.ssl_key_location) if s.ssl_key_location else None,
                password=key_pw,
            )
    if s.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=s.sasl_username,
            password=s.sasl_password.get_secret_value() if s.sasl_password else None,
            mechanism=s.sasl_mechanism,
            ssl_context=ctx,
        )
    return faust.SSLCredentials(ctx) if ctx is not None else None


class FaustProcessor:
    """Decode → stage → publish for one batch of faust events; owns the stage, cache and metrics."""

    def __init__(self, settings: StreamSettings, *, pipelines: Pipelines | None = None) -> None:
        if settings.delivery != "at_least_once":
            raise ValueError(
                "engine faust runs at-least-once only: set VNER_DELIVERY=at_least_once "
                "(or use the confluent engine for exactly-once)"
            )
        self.s = settings
        self.metrics = StreamMetrics()
        self.pipelines, self.cache = pipelines_and_cache(settings, self.metrics, pipelines)
        self.stage = PipelineStage(self.pipelines, cache=self.cache, metrics=self.metrics)
        self.pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="vner-faust-stage")
        self.tz = ZoneInfo(settings.timezone)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.cache.close()

    def _ref_time(self, record: InputRecord, timestamp_s: float | None) -> datetime:
        if record.ref_time is not None:
            rt = record.ref_time
            return rt if rt.tzinfo else rt.replace(tzinfo=self.tz)
        secs = timestamp_s if timestamp_s and timestamp_s > 0 else time.time()
        secs -= secs % self.s.ref_time_granularity_s
        return datetime.fromtimestamp(secs, tz=self.tz)

    def _chunks(self, works: list[Work]) -> list[list[Work]]:
        """Group by (domain, ref_time) and cut each group as the runner does: its micro-batcher, flushed, on
        the stage's token counts (the padded token budget and the record cap)."""
        batcher: MicroBatcher[Work] = MicroBatcher(
            token_budget=self.s.batch_token_budget, max_records=self.s.batch_max_records, max_wait_ms=0
        )
        for w, tokens in zip(works, self.stage.count_tokens(works), strict=True):
            batcher.add(w, group=(w.domain, w.ref_time), tokens=tokens)
        return [[item.payload for item in batch] for batch in batcher.ready(flush=True)]

    async def process(self, events: list[Any], output: Any, dlq: Any) -> None:
        """Handle one batch; returns once every output / dead letter of the batch is delivered."""
        enqueued = time.monotonic()
        slots: list[tuple[Source, InputRecord | None, Work | None, PoisonRecord | None]] = []
        works: list[Work] = []
        for ev in events:
            self.metrics.consumed.inc()
            src = source_of(ev.message)
            try:
                rec = decode(
                    src.value,
                    content_type=content_type_of(src.headers),
                    known_domains=self.pipelines.domains,
                    default_domain=self.s.default_domain,
                    max_text_bytes=self.s.max_text_bytes,
                    max_depth=self.s.max_depth,
                )
            except PoisonRecord as p:
                slots.append((src, None, None, p))
                continue
            work = Work(
                text=rec.text,
                domain=rec.domain,
                ref_time=self._ref_time(rec, ev.message.timestamp),
                enqueued=enqueued,
            )
            works.append(work)
            slots.append((src, rec, work, None))
        loop = asyncio.get_running_loop()
        chunks = await loop.run_in_executor(self.pool, self._chunks, works) if works else []
        await asyncio.gather(*(loop.run_in_executor(self.pool, self.stage.run, c) for c in chunks))
        pending = []
        for src, got, done, poison in slots:  # input order: per-key order is kept
            if poison is None and (done is None or done.entities is None):
                err = done.error if done else "?"
                poison = PoisonRecord(PoisonReason.PIPELINE_ERROR, f"pipeline raised {err}")
            if poison is not None:
                pending.append(await self._dead_letter(src, poison, dlq))
            else:
                assert got is not None and done is not None
                pending.append(await self._output(src, got, done, output))
        await asyncio.gather(*pending)  # delivered (acks=all) before the batch's events are acknowledged

    async def _output(self, src: Source, rec: InputRecord, work: Work, output: Any) -> Any:
        value, headers = output_record(
            src,
            rec,
            work,
            model_version=self.pipelines.model_version,
            rules_version=self.pipelines.rules_version,
        )
        fut = await output.send(key=src.key, value=value, headers=headers, force=True)
        self.metrics.produced.inc()
        return fut

    async def _dead_letter(self, src: Source, poison: PoisonRecord, dlq: Any) -> Any:
        value, key, headers = dead_letter(src, poison, max_bytes=self.s.dlq_max_bytes)
        fut = await dlq.send(key=key, value=value, headers=headers, force=True)
        self.metrics.dead_lettered.labels(reason=poison.reason.value).inc()
        log.info("dead-lettered", reason=poison.reason.value, partition=src.partition, offset=src.offset)
        return fut


def build_app(settings: StreamSettings, processor: FaustProcessor) -> Any:
    """The faust App with its one agent, a liveness timer and readiness on partition assignment."""
    import faust

    s = settings
    app = faust.App(
        s.group_id,  # faust's app id is the consumer group id
        broker=[f"kafka://{b.strip()}" for b in s.brokers.split(",") if b.strip()],
        broker_credentials=_credentials(s),
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset=s.auto_offset_reset,
        broker_commit_interval=s.commit_interval_ms / 1000.0,
        broker_session_timeout=s.session_timeout_ms / 1000.0,
        broker_heartbeat_interval=max(0.1, s.session_timeout_ms / 10_000.0),
        key_serializer="raw",
        value_serializer="raw",
        store="memory://",
        web_enabled=False,
        autodiscover=False,
        datadir=Path(tempfile.gettempdir()) / f"vner-faust-{s.group_id}",
        producer_acks=-1,
    )
    source = app.topic(s.input_topic, key_type=bytes, value_type=bytes)
    output = app.topic(s.output_topic, key_type=bytes, value_type=bytes)
    dlq = app.topic(s.dlq_topic, key_type=bytes, value_type=bytes)
    within = max(s.batch_max_wait_ms, 1) / 1000.0

    @app.agent(source, name="vner-ner")
    async def ner(stream: Any) -> None:
        async for events in stream.take_events(s.batch_max_records, within=within):
            await processor.process(list(events), output, dlq)

    @app.timer(interval=1.0)
    async def liveness() -> None:
        processor.metrics.tick()

    @app.timer(interval=5.0)
    async def consumer_lag() -> None:
        try:
            for tp in app.consumer.assignment():
                if tp.topic != s.input_topic:
                    continue
                high, pos = app.consumer.highwater(tp), await app.consumer.position(tp)
                if high is not None and pos is not None and pos >= 0:
                    processor.metrics.lag.labels(partition=str(tp.partition)).set(max(0, high - pos))
        except Exception:  # noqa: BLE001 - a metric must never stop the stream
            processor.metrics.errors.labels(kind="lag").inc()

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def on_assigned(_app: Any, assigned: Any, **_: Any) -> None:
        processor.metrics.set_ready(True)
        log.info("assigned", partitions=sorted(tp.partition for tp in assigned))

    @app.on_partitions_revoked.connect  # type: ignore[arg-type]
    async def on_revoked(_app: Any, revoked: Any, **_: Any) -> None:
        processor.metrics.set_ready(False)
        log.info("revoked", partitions=sorted(tp.partition for tp in revoked))

    return app


def run(settings: StreamSettings) -> int:
    """Entry point used by ``vner run --engine faust``: blocks until SIGTERM/SIGINT, returns the exit code."""
    import faust

    if settings.delivery != "at_least_once":  # the default; faust's exactly-once mode is not trusted
        log.warning("engine faust runs at-least-once", requested=settings.delivery)
        settings = settings.model_copy(update={"delivery": "at_least_once"})
    processor = FaustProcessor(settings)
    app = build_app(settings, processor)
    for name in ("faust", "aiokafka", "mode"):  # their DEBUG lines quote record keys and values
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).getEffectiveLevel()))
    server = (
        MetricsServer(processor.metrics, host=settings.metrics_host, port=settings.metrics_port).start()
        if settings.metrics_port
        else None
    )
    log.info("started", engine="faust", input=settings.input_topic, output=settings.output_topic)
    asyncio.set_event_loop(asyncio.new_event_loop())
    worker = faust.Worker(app, loglevel="INFO", quiet=True, override_logging=False)
    code = 0
    try:
        worker.execute_from_commandline()
    except SystemExit as e:
        code = int(e.code or 0) if not isinstance(e.code, str) else 1
    finally:
        processor.close()
        if server:
            server.stop()
        log.info("stopped", produced=processor.metrics.value("vner_records_produced_total"))
    return code


def main() -> None:
    """Run with settings from ``VNER_*`` env vars / ``VNER_CONFIG`` (tests and the container image)."""
    from .logs import configure_logging
    from .settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    raise SystemExit(run(settings))


if __name__ == "__main__":
    main()
