"""100 poison records of every kind mixed into 1,000 good ones: all 100 in the DLQ with reasons and source
headers, all 1,000 good ones out, the stream never stops."""

from __future__ import annotations

import json
import random
from collections import Counter

import msgpack
import pytest
from confluent_kafka import Producer
from vner.streams.admin import consume
from vner.streams.codec import JSON, MSGPACK, PoisonReason

from tests.streams.conftest import KAFKA, dead_letters, outputs, wait_for
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


def poison(kind: PoisonReason, i: int) -> tuple[bytes, str]:
    text = f"Anh Tuấn số 09{i:08d} nhắn"
    if kind is PoisonReason.INVALID_UTF8:
        return b'{"id": "p%d", "text": "' % i + text.encode()[:5] + b'\xff\xfe"}', JSON
    if kind is PoisonReason.NOT_JSON_OR_MSGPACK:
        return (text.encode(), JSON) if i % 2 else (b"\xc1" + text.encode(), MSGPACK)
    if kind is PoisonReason.WRONG_SCHEMA:
        return json.dumps({"id": f"p{i}", "body": text}).encode(), JSON
    if kind is PoisonReason.UNKNOWN_DOMAIN:
        return msgpack.packb({"id": f"p{i}", "text": text, "domain": "no_such_domain"}), MSGPACK
    if kind is PoisonReason.TOO_LARGE:
        return json.dumps({"id": f"p{i}", "text": text * 200}).encode(), JSON
    return json.dumps({"id": f"p{i}", "text": "   "}).encode(), JSON


KINDS = [
    PoisonReason.INVALID_UTF8,
    PoisonReason.NOT_JSON_OR_MSGPACK,
    PoisonReason.WRONG_SCHEMA,
    PoisonReason.UNKNOWN_DOMAIN,
    PoisonReason.TOO_LARGE,
    PoisonReason.EMPTY_TEXT,
]  # the kinds poison() builds; hostile records (too deep, huge numbers...) are in test_hostile.py


def test_poison_goes_to_dlq_and_stream_goes_on(topics, worker) -> None:
    t = topics(partitions=2)
    rng = random.Random(7)
    good = make_docs(1000, salt=t.group)
    bad = [(KINDS[i % len(KINDS)], i) for i in range(100)]
    items: list[tuple[bytes, str, str | None]] = []
    for j, d in enumerate(good):
        ctype = MSGPACK if j % 3 == 0 else JSON
        value = msgpack.packb(d) if ctype == MSGPACK else json.dumps(d, ensure_ascii=False).encode()
        items.append((value, ctype, None))
    for kind, i in bad:
        value, ctype = poison(kind, i)
        items.append((value, ctype, kind.value))
    rng.shuffle(items)
    p = Producer(KAFKA)
    for n, (value, ctype, _kind) in enumerate(items):
        p.produce(t.input, value, key=str(n).encode(), headers=[("content-type", ctype.encode())])
    assert p.flush(30) == 0

    w = worker(t, max_text_bytes=2000)
    out = outputs(wait_for(t.output, 1000))
    dlq = dead_letters(t.dlq, n=100, timeout_s=30)
    assert w.metric("vner_records_dead_lettered_total") == 100
    assert w.stop() == 0

    assert sorted(o["id"] for o in out) == sorted(d["id"] for d in good)
    check_against_pipeline(out)
    assert len(dlq) == 100
    assert Counter(r.headers["vner-dlq-reason"].decode() for r in dlq) == Counter(k.value for k, _ in bad)
    source = {(r.partition, r.offset): r for r in consume(KAFKA, t.input, n=1100, timeout_s=30)}
    for r in dlq:
        assert r.headers["vner-source-topic"].decode() == t.input
        src = source[(int(r.headers["vner-source-partition"]), int(r.headers["vner-source-offset"]))]
        assert src.value == r.value and src.key == r.key  # the original bytes, untouched
        assert r.headers["content-type"] == src.headers["content-type"]
        assert b"Tu\xe1\xba\xa5n" not in r.headers["vner-dlq-detail"]  # the detail never quotes the text
