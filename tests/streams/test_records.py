"""vner.streams.records: dead letters cut to the size limit with headers saying so; output headers; the
confluent and faust engines build the same records from the neutral ``Source`` of their own message types."""

from __future__ import annotations

import hashlib
from typing import Any

from vner.streams.codec import PoisonReason, PoisonRecord
from vner.streams.records import Source, dead_letter
from vner.streams.runner import source_of


class FakeMsg:
    def __init__(self, value: bytes | None, key: bytes | None = b"k", headers: Any = None) -> None:
        self._v, self._k, self._h = value, key, headers

    def topic(self) -> str:
        return "in"

    def partition(self) -> int:
        return 2

    def offset(self) -> int:
        return 41

    def value(self) -> bytes | None:
        return self._v

    def key(self) -> bytes | None:
        return self._k

    def headers(self) -> Any:
        return self._h


class FakeFaustMessage:
    """The attributes of a faust ``Message`` (``event.message``) the faust engine reads."""

    def __init__(self, value: bytes | None, key: bytes | None = b"k", headers: Any = None) -> None:
        self.topic, self.partition, self.offset = "in", 2, 41
        self.value, self.key, self.headers = value, key, headers
        self.timestamp = 1_767_225_600.0


def src(value: bytes | None, key: bytes | None = b"k", headers: Any = None) -> Source:
    """The source the confluent runner builds from a consumed message."""
    return source_of(FakeMsg(value, key, headers))  # type: ignore[arg-type]


POISON = PoisonRecord(PoisonReason.TOO_LARGE, "record of many bytes")
LIMIT = 512 * 1024


def total(value: bytes | None, key: bytes | None, headers: list[tuple[str, Any]]) -> int:
    return len(value or b"") + len(key or b"") + sum(len(n) + len(v or b"") for n, v in headers)


def test_small_dead_letter_is_unchanged() -> None:
    value, key, headers = dead_letter(
        src(b"abc", headers=[("traceparent", b"00-1")]), POISON, max_bytes=LIMIT
    )
    h = dict(headers)
    assert (value, key) == (b"abc", b"k")
    assert h["traceparent"] == b"00-1" and h["vner-dlq-reason"] == b"too_large"
    assert "vner-dlq-truncated" not in h


def test_ten_megabytes_are_cut_with_length_and_sha256() -> None:
    big = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    value, key, headers = dead_letter(src(big, headers=[("traceparent", b"00-1")]), POISON, max_bytes=LIMIT)
    h = dict(headers)
    assert h["vner-dlq-truncated"] == b"true"
    assert h["vner-dlq-original-length"] == b"10485760"
    assert h["vner-dlq-sha256"] == hashlib.sha256(big).hexdigest().encode()
    assert h["traceparent"] == b"00-1" and h["vner-source-offset"] == b"41"
    assert value is not None and 0 < len(value) and big.startswith(value)
    assert total(value, key, headers) <= LIMIT


def test_huge_key_and_headers_are_replaced() -> None:
    key = b"K" * 100_000
    many = [(f"h{i}", b"x" * 1000) for i in range(300)]
    value, out_key, headers = dead_letter(src(b"v" * 600_000, key, many), POISON, max_bytes=LIMIT)
    h = dict(headers)
    assert out_key == hashlib.sha256(key).hexdigest().encode()
    assert h["vner-dlq-key-sha256"] == out_key
    assert h["vner-dlq-headers-dropped"] == b"300" and "h0" not in h
    assert h["vner-dlq-reason"] == b"too_large"
    assert total(value, out_key, headers) <= LIMIT


def test_refused_dead_letter_stops_the_worker_without_staging_its_offset() -> None:
    import pytest
    from confluent_kafka import KafkaError, KafkaException
    from vner.streams.metrics import StreamMetrics
    from vner.streams.runner import DeadLetterFailed, Runner
    from vner.streams.settings import StreamSettings

    class RefusingDelivery:
        aborted = 0
        staged: list[tuple[str, int, int]] = []

        def produce(self, *_a: Any, **_k: Any) -> None:
            raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))

        def abort(self) -> None:
            self.aborted += 1

        def stage_offset(self, *where: Any) -> None:
            self.staged.append(where)

    r = object.__new__(Runner)
    r.s = StreamSettings()
    r.metrics = StreamMetrics()
    r.delivery = RefusingDelivery()  # type: ignore[assignment]
    with pytest.raises(DeadLetterFailed):
        r._dead_letter(src(b"x"), POISON)
    assert r.delivery.aborted == 1 and r.delivery.staged == []  # type: ignore[attr-defined]


def test_output_keeps_input_headers_and_adds_sorted_labels() -> None:
    import json
    import time
    from datetime import datetime, timezone

    from vner.streams.codec import InputRecord
    from vner.streams.records import output_record
    from vner.streams.stage import Work

    carried = [
        ("traceparent", b"00-abc-01"),
        ("tenant-id", b"t7"),
        ("content-type", b"application/msgpack"),
        ("vner-labels", b"FORGED"),
    ]
    ents = [
        {"start": 0, "end": 3, "label": "PHONE", "value": "x"},
        {"start": 4, "end": 9, "label": "ORDER_CODE", "value": "y"},
        {"start": 10, "end": 13, "label": "PHONE", "value": "z"},
    ]
    work = Work(
        text="t", domain="d", ref_time=datetime(2026, 1, 1, tzinfo=timezone.utc), enqueued=time.monotonic()
    )
    work.entities = ents
    rec = InputRecord(
        id=1, text="t", domain="d", lang="vi", ref_time=None, meta=None, doc={"id": 1, "text": "t"}
    )
    value, headers = output_record(src(b"", headers=carried), rec, work, model_version="m", rules_version="r")
    assert json.loads(value)["id"] == 1
    assert headers == [
        ("traceparent", b"00-abc-01"),
        ("tenant-id", b"t7"),
        ("content-type", b"application/json"),
        ("vner-source", b"in/2/41"),
        ("vner-labels", b"ORDER_CODE,PHONE"),
    ]
    work.entities = []
    _v, headers = output_record(src(b"", headers=None), rec, work, model_version="m", rules_version="r")
    assert dict(headers)["vner-labels"] == b""


def test_output_refused_as_too_large_becomes_a_cut_dead_letter() -> None:
    from collections import deque
    from datetime import datetime, timezone

    from confluent_kafka import KafkaError, KafkaException
    from vner.streams.codec import InputRecord
    from vner.streams.metrics import StreamMetrics
    from vner.streams.runner import Runner, Slot
    from vner.streams.settings import StreamSettings
    from vner.streams.stage import Work

    class SmallDelivery:
        def __init__(self) -> None:
            self.produced: list[tuple[str, bytes | None, bytes | None, Any]] = []
            self.staged: list[Any] = []

        def produce(self, topic: str, *, value: bytes | None, key: bytes | None, headers: Any) -> None:
            if total(value, key, headers) > 1_000_000:
                raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))
            self.produced.append((topic, value, key, headers))

        def stage_offset(self, *where: Any) -> None:
            self.staged.append(where)

    class Versions:
        model_version, rules_version = "m", "r"

    r = object.__new__(Runner)
    r.s = StreamSettings()
    r.metrics = StreamMetrics()
    r.pipelines = Versions()  # type: ignore[assignment]
    r.delivery = SmallDelivery()  # type: ignore[assignment]
    huge = [("trace-blob", b"x" * 1_200_000)]
    msg = FakeMsg(b'{"id": 1, "text": "t"}', headers=huge)
    work = Work(text="t", domain="d", ref_time=datetime(2026, 1, 1, tzinfo=timezone.utc), enqueued=0.0)
    work.entities = []
    rec = InputRecord(
        id=1, text="t", domain="d", lang="vi", ref_time=None, meta=None, doc={"id": 1, "text": "t"}
    )
    r._slots = deque([Slot(msg, record=rec, work=work, done=True)])  # type: ignore[arg-type]
    r._emit()
    [(topic, _value, _key, headers)] = r.delivery.produced  # type: ignore[attr-defined]
    h = dict(headers)
    assert topic == r.s.dlq_topic and h["vner-dlq-reason"] == b"too_large"
    assert h["vner-dlq-headers-dropped"] == b"1" and "trace-blob" not in h
    assert r.delivery.staged == [("in", 2, 41)]  # type: ignore[attr-defined]


def test_dead_letter_refused_by_the_broker_stops_without_committing() -> None:
    import pytest
    from confluent_kafka import KafkaError
    from vner.streams.delivery import CommitFailed, DeadLetterRefused, Delivery
    from vner.streams.metrics import StreamMetrics
    from vner.streams.settings import StreamSettings

    class Consumer:
        commits: list[Any] = []

        def commit(self, **kw: Any) -> None:
            self.commits.append(kw)

    class Producer:
        def flush(self, _t: float) -> int:
            return 0

    class Delivered:
        def __init__(self, topic: str) -> None:
            self._t = topic

        def topic(self) -> str:
            return self._t

    s = StreamSettings(delivery="at_least_once")
    consumer = Consumer()
    d = Delivery(s, consumer, StreamMetrics())  # type: ignore[arg-type]
    d._producer = Producer()  # type: ignore[assignment]
    # an output that failed: an ordinary failed commit, the records are read again
    d._on_delivery(KafkaError(KafkaError._MSG_TIMED_OUT), Delivered(s.output_topic))
    d.stage_offset("in", 0, 5)
    with pytest.raises(CommitFailed):
        d.commit()
    # a dead letter the broker refused: stop, nothing committed
    d._on_delivery(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE), Delivered(s.dlq_topic))
    d.stage_offset("in", 0, 5)
    with pytest.raises(DeadLetterRefused):
        d.commit()
    assert consumer.commits == []


# -- one Source, two engines ---------------------------------------------------------------------------
CARRIED = [("traceparent", b"00-abc-01"), ("tenant-id", None), ("content-type", b"application/json")]


def test_both_engines_build_the_same_source() -> None:
    from vner.streams.faust_app import source_of as faust_source_of

    confluent = source_of(FakeMsg(b"v", b"k", CARRIED))  # type: ignore[arg-type]
    faust = faust_source_of(FakeFaustMessage(b"v", b"k", list(CARRIED)))
    assert confluent == faust == Source("in", 2, 41, b"k", b"v", tuple(CARRIED))
    assert confluent.where == ("in", 2, 41)
    # faust may hand headers as a mapping, values as str: normalised to the confluent shape (a null stays null)
    mapped = faust_source_of(FakeFaustMessage(b"v", b"k", {"traceparent": "00-abc-01", "tenant-id": None}))
    assert mapped.headers == (("traceparent", b"00-abc-01"), ("tenant-id", None))
    assert faust_source_of(FakeFaustMessage(None, None, None)).headers == ()


def test_faust_and_confluent_engines_write_the_same_records() -> None:
    """The same consumed records (good, poison, a huge key) through each engine's whole record path."""
    import asyncio
    import json
    from collections import deque
    from zoneinfo import ZoneInfo

    from vner.streams.attempts import AttemptLog
    from vner.streams.faust_app import FaustProcessor
    from vner.streams.metrics import StreamMetrics
    from vner.streams.runner import Runner
    from vner.streams.settings import load_settings

    s = load_settings(
        delivery="at_least_once",
        redis_url="",
        dlq_max_bytes=64 * 1024,
        pipeline_factory="tests.streams.pipeline_factory:build",
    )
    good = json.dumps(
        {"id": 1, "text": "Chị Lan số 0912345678 hỏi đơn DH123456", "ref_time": "2026-01-01T08:00:00"}
    )
    inputs: list[tuple[bytes, bytes | None]] = [
        (good.encode(), b"k1"),
        (b"\xc1 not json", b"k2"),
        (json.dumps({"id": 3, "text": "gọi 0987654321"}).encode(), b"K" * 20_000),
    ]

    class ConfluentMsg(FakeMsg):
        def __init__(self, value: bytes, key: bytes | None, offset: int) -> None:
            super().__init__(value, key, list(CARRIED))
            self._off = offset

        def offset(self) -> int:
            return self._off

        def error(self) -> None:
            return None

        def timestamp(self) -> tuple[int, int]:
            return 1, 1_767_225_600_000

    class Ev:
        def __init__(self, value: bytes, key: bytes | None, offset: int) -> None:
            self.message = FakeFaustMessage(value, key, list(CARRIED))
            self.message.offset = offset

    class Topic:
        def __init__(self) -> None:
            self.sent: list[tuple[bytes | None, bytes | None, Any]] = []

        async def send(self, *, key: bytes | None, value: bytes | None, headers: Any, force: bool) -> Any:
            assert force
            self.sent.append((key, value, headers))
            fut = asyncio.get_running_loop().create_future()
            fut.set_result(None)
            return fut

    proc = FaustProcessor(s)
    try:
        out, dlq = Topic(), Topic()
        asyncio.run(proc.process([Ev(v, k, 41 + i) for i, (v, k) in enumerate(inputs)], out, dlq))

        class Recording:
            def __init__(self) -> None:
                self.produced: dict[str, list[tuple[bytes | None, bytes | None, Any]]] = {}

            def produce(self, topic: str, *, value: bytes | None, key: bytes | None, headers: Any) -> None:
                self.produced.setdefault(topic, []).append((key, value, headers))

            def stage_offset(self, *_where: Any) -> None:
                pass

        r = object.__new__(Runner)
        r.s, r.metrics, r.pipelines, r.stage = s, StreamMetrics(), proc.pipelines, proc.stage
        r.tz, r._domains, r._slots = ZoneInfo(s.timezone), proc.pipelines.domains, deque()
        r.delivery = Recording()  # type: ignore[assignment]
        r.attempts = AttemptLog(None, group="g", limit=0, ttl_s=60, metrics=r.metrics)  # not tracked here
        for i, (v, k) in enumerate(inputs):
            slot = r._accept(ConfluentMsg(v, k, 41 + i))  # type: ignore[arg-type]
            if slot is not None and slot.work is not None:
                proc.stage.run([slot.work])
                slot.done = True
        r._emit()
        produced = r.delivery.produced  # type: ignore[attr-defined]
    finally:
        proc.close()

    def outputs(records: list[tuple[bytes | None, bytes | None, Any]]) -> list[Any]:
        rows = []
        for key, value, headers in records:
            doc = json.loads(value or b"")
            doc["vner"].pop("timings_ms")  # wall-clock: the only field allowed to differ
            rows.append((key, doc, headers))
        return rows

    assert len(out.sent) == 2 and len(dlq.sent) == 1
    assert outputs(out.sent) == outputs(produced[s.output_topic])
    assert dlq.sent == produced[s.dlq_topic]
    [(key, value, headers)] = dlq.sent
    assert (key, value) == (b"k2", b"\xc1 not json")
    assert (
        dict(headers)["vner-dlq-reason"] == b"invalid_utf8" and dict(headers)["vner-source-offset"] == b"42"
    )
    assert dict(headers)["tenant-id"] is None  # a null header stays null in both engines
    (k1, first, h1), (k3, third, _h3) = outputs(out.sent)
    assert (k1, first["id"], first["entities"] != []) == (b"k1", 1, True)
    assert dict(h1)["vner-source"] == b"in/2/41" and dict(h1)["traceparent"] == b"00-abc-01"
    assert k3 == b"K" * 20_000 and third["id"] == 3
