"""Issue 23 through the real broker: hostile records (too deep, huge integers, NaN / 1e999, duplicate and
non-string keys, a 10 MB record) among valid ones. Record by record: exactly one of output or dead letter with
the expected reason; the worker stays alive; the 10 MB record is in the dead-letter topic, cut, with headers
saying so; the input's headers reach the output with ``vner-labels``."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import msgpack
import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource
from vner.streams.admin import consume

from tests.streams.conftest import KAFKA, dead_letters, wait_for
from tests.streams.pipeline_factory import DOMAIN, build
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

BIG_INT = b"9" * 5000
TEN_MB = b'{"id": "big", "text": "' + b"a" * (10 * 1024 * 1024) + b'"}'


def _nested(levels: int) -> Any:
    inner: Any = []
    for _ in range(levels):
        inner = [inner]
    return inner


HOSTILE: list[tuple[bytes, str, str]] = [
    (b'{"id": "d1", "text": "a b", "meta": {"x": ' + b"[" * 1000 + b"]" * 1000 + b"}}", "json", "too_deep"),
    (msgpack.packb({"id": "d2", "text": "a b", "meta": {"x": _nested(1000)}}), "msgpack", "too_deep"),
    (b'{"id": ' + BIG_INT + b', "text": "a b"}', "json", "number_too_large"),
    (b'{"id": "n2", "text": "a b", "meta": {"n": ' + BIG_INT + b"}}", "json", "number_too_large"),
    (b'{"id": "f1", "text": "a b", "meta": {"f": 1e999}}', "json", "not_finite"),
    (b'{"id": "f2", "text": "a b", "meta": {"f": NaN}}', "json", "not_finite"),
    (b'{"id": "k1", "id": "k2", "text": "a b"}', "json", "duplicate_key"),
    (msgpack.packb({"id": "k3", "text": "a b", "meta": {7: "x"}}), "msgpack", "wrong_schema"),
    (TEN_MB, "json", "too_large"),
]


def test_hostile_records_never_stop_the_worker(topics, worker) -> None:
    t = topics(partitions=2)
    admin = AdminClient(KAFKA)  # the input topic takes 10 MB records; the DLQ keeps the broker's 1 MB default
    entry = ConfigEntry("max.message.bytes", "12000000", incremental_operation=AlterConfigOpType.SET)
    for fut in admin.incremental_alter_configs(
        [ConfigResource("topic", t.input, incremental_configs=[entry])]
    ).values():
        fut.result(30)
    good = make_docs(40, salt=t.group)
    p = Producer({**KAFKA, "message.max.bytes": 12_000_000})
    sent: dict[tuple[int, int], tuple[str, Any]] = {}  # (partition, offset) -> ("out", doc) | ("dlq", reason)

    def report(what: tuple[str, Any]):
        def cb(err: Any, msg: Any) -> None:
            assert err is None, err
            sent[(msg.partition(), msg.offset())] = what

        return cb

    for i, d in enumerate(good):
        headers = [("traceparent", f"00-{i:032x}-01".encode()), ("tenant-id", b"t7")]
        if i % 5 == 0:  # a BOM before the JSON is accepted
            value = b"\xef\xbb\xbf" + json.dumps(d, ensure_ascii=False).encode()
        else:
            value = json.dumps(d, ensure_ascii=False).encode()
        p.produce(t.input, value, key=d["id"].encode(), headers=headers, on_delivery=report(("out", d)))
        if i % 4 == 0:
            value, kind, reason = HOSTILE[(i // 4) % len(HOSTILE)]
            ctype = b"application/msgpack" if kind == "msgpack" else b"application/json"
            h = [("content-type", ctype), ("traceparent", b"00-hostile-01")]
            p.produce(t.input, value, key=f"h{i}".encode(), headers=h, on_delivery=report(("dlq", reason)))
    assert p.flush(60) == 0
    n_out = sum(1 for k, _ in sent.values() if k == "out")
    n_dlq = len(sent) - n_out
    assert (n_out, n_dlq) == (40, 10)

    w = worker(t)
    out = wait_for(t.output, n_out)
    dlq = dead_letters(t.dlq, n=n_dlq, timeout_s=60, idle_s=4.0)
    assert w.proc.poll() is None, w.logs()[-3000:]  # still alive after every hostile record
    assert w.stop() == 0

    seen: dict[tuple[int, int], tuple[str, Any]] = {}
    for r in out:
        _topic, part, off = r.headers["vner-source"].decode().rsplit("/", 2)
        key = (int(part), int(off))
        assert key not in seen, f"{key} produced twice"
        seen[key] = ("out", r)
    for r in dlq:
        assert r.headers["vner-source-topic"].decode() == t.input
        key = (int(r.headers["vner-source-partition"]), int(r.headers["vner-source-offset"]))
        assert key not in seen, f"{key} both output and dead letter, or twice"
        seen[key] = ("dlq", r)
    assert set(seen) == set(sent)  # every input record: exactly one of output or dead letter

    pipe = build(DOMAIN)
    for key, (kind, expected) in sent.items():
        got_kind, r = seen[key]
        assert got_kind == kind, (key, kind, got_kind)
        if kind == "dlq":
            assert r.headers["vner-dlq-reason"].decode() == expected, key
            assert r.headers["traceparent"] == b"00-hostile-01"
            continue
        doc = json.loads(r.value)
        assert doc["id"] == expected["id"]
        assert r.headers["traceparent"] == f"00-{int(doc['meta']['seq']):032x}-01".encode()
        assert r.headers["tenant-id"] == b"t7" and r.headers["content-type"] == b"application/json"
        ents = pipe.process(
            [expected["text"]], domain=DOMAIN, ref_time=datetime.fromisoformat(doc["vner"]["ref_time"])
        )[0]
        assert r.headers["vner-labels"].decode() == ",".join(sorted({e.to_dict()["label"] for e in ents}))
    assert any(b"," in r.headers["vner-labels"] for r in out)  # several labels in some records
    check_against_pipeline([json.loads(r.value) for r in out])

    big = [r for r in dlq if r.headers["vner-dlq-reason"] == b"too_large"]
    assert len(big) == 1
    b = big[0]
    assert b.headers["vner-dlq-truncated"] == b"true"
    assert b.headers["vner-dlq-original-length"] == str(len(TEN_MB)).encode()
    assert b.headers["vner-dlq-sha256"] == hashlib.sha256(TEN_MB).hexdigest().encode()
    assert b.value is not None and 0 < len(b.value) <= 512 * 1024 and TEN_MB.startswith(b.value)
    for r in dlq:  # the detail never quotes the record
        assert b"9999999999" not in r.headers["vner-dlq-detail"]


@pytest.mark.parametrize("delivery", ["exactly_once", "at_least_once"])
def test_dead_letter_refused_by_the_broker_stops_the_worker_uncommitted(
    topics, worker, delivery: str
) -> None:
    import base64
    import os

    from confluent_kafka import Consumer, TopicPartition

    t = topics(partitions=1)
    admin = AdminClient(
        KAFKA
    )  # a DLQ that takes nothing over 2,000 bytes: the (4 KiB) dead letter is refused
    entry = ConfigEntry("max.message.bytes", "2000", incremental_operation=AlterConfigOpType.SET)
    for fut in admin.incremental_alter_configs(
        [ConfigResource("topic", t.dlq, incremental_configs=[entry])]
    ).values():
        fut.result(30)
    good = make_docs(6, salt=t.group)
    noise = base64.b64encode(os.urandom(2400)).decode()  # 3,200 bytes that lz4 cannot shrink under 2,000
    p = Producer(KAFKA)
    for d in good[:3]:
        p.produce(t.input, json.dumps(d).encode())
    p.produce(t.input, json.dumps({"id": "bad", "body": noise}).encode())  # offset 3: wrong_schema
    for d in good[3:]:
        p.produce(t.input, json.dumps(d).encode())
    assert p.flush(30) == 0

    w = worker(t, delivery=delivery, dlq_max_bytes=4096, commit_interval_ms=1)
    rc = w.proc.wait(90)
    assert rc != 0, w.logs()[-3000:]
    assert "dead letter refused" in w.logs()
    c = Consumer({**KAFKA, "group.id": t.group, "enable.auto.commit": False})
    try:
        [tp] = c.committed([TopicPartition(t.input, 0)], timeout=30)
    finally:
        c.close()
    assert tp.offset <= 3  # the refused record (offset 3) is read again by the next worker, never skipped
    assert consume(KAFKA, t.dlq, timeout_s=5, idle_s=2) == []
