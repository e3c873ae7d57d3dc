"""Round trip through the real broker: 1,000 records in, 1,000 enriched records out, in order per key, each
equal to ``Pipeline.process`` on the same text; then a replay served from the Redis cache, identical."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest
from vner.streams.admin import produce_docs

from tests.streams.conftest import KAFKA, outputs, wait_for
from tests.streams.pipeline_factory import DOMAIN, build

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

TEMPLATES = (
    "Em gọi {phone} mãi không được, đơn {order} giao chưa ạ?",
    "Shop ơi hoàn giúp em {money} cho đơn {order} nhé",
    "Số mới của em là {phone}, phí ship {money} đúng không",
    "cho hỏi đơn hàng {order} khi nào tới",
    "Hôm qua chuyển khoản {money} rồi mà chưa thấy xác nhận, sđt {phone}",
)


def make_docs(n: int, *, salt: str) -> list[dict[str, Any]]:
    docs = []
    for i in range(n):
        t = TEMPLATES[i % len(TEMPLATES)]
        text = t.format(phone=f"09{(i * 7919) % 10**8:08d}", order=f"SPX{i:09d}VN", money=f"{(i % 90) + 10}k")
        text += f" (KH {salt})"  # unique per test: no result cached by an earlier run applies
        docs.append({"id": f"{salt}-{i}", "text": text, "meta": {"customer": f"c{i % 37}", "seq": i}})
    return docs


def normalised(ents: list[Any]) -> str:
    return json.dumps(ents, ensure_ascii=False, sort_keys=True, default=str)


def check_against_pipeline(docs_out: list[dict[str, Any]]) -> None:
    pipe = build(DOMAIN)
    by_ref: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs_out:
        by_ref[d["vner"]["ref_time"]].append(d)
    for ref, group in by_ref.items():
        expected = pipe.process(
            [d["text"] for d in group], domain=DOMAIN, ref_time=datetime.fromisoformat(ref)
        )
        for d, ents in zip(group, expected, strict=True):
            assert normalised(d["entities"]) == normalised([e.to_dict() for e in ents]), d["id"]


def test_roundtrip_1000_records_order_and_equality(topics, worker) -> None:
    t = topics(partitions=3)
    docs = make_docs(1000, salt=t.group)
    produce_docs(KAFKA, t.input, docs, key_field="id")
    w = worker(t, batch_max_records=32, batch_max_wait_ms=10)
    w.wait_ready()
    assert w.http("/healthz")[0] == 200
    got = wait_for(t.output, 1000)
    assert w.metric("vner_records_produced_total") == 1000
    assert w.metric("vner_records_consumed_total") == 1000
    assert w.metric("vner_batch_records_count") >= 1000 / 32
    assert w.stop() == 0
    outs = outputs(got)
    assert len(outs) == 1000
    assert sorted(o["id"] for o in outs) == sorted(d["id"] for d in docs)
    assert sum(len(o["entities"]) for o in outs) > 1000  # the pipeline really ran
    for r, o in zip(got, outs, strict=True):
        assert r.key == o["id"].encode()
        assert r.headers["content-type"] == b"application/json"
        assert o["vner"]["rules_version"] and o["vner"]["timings_ms"]["compute"] >= 0
    check_against_pipeline(outs)


def test_order_per_shared_key(topics, worker) -> None:
    """600 records over 7 keys and 3 partitions: each key's records come out in the order they went in."""
    t = topics(partitions=3)
    docs = make_docs(600, salt=t.group)
    keyed = [
        {"id": d["id"], "text": d["text"], "meta": {"customer": f"c{i % 7}", "seq": i}}
        for i, d in enumerate(docs)
    ]
    from confluent_kafka import Producer

    p = Producer({**KAFKA, "partitioner": "murmur2_random"})
    for d in keyed:
        p.produce(t.input, json.dumps(d).encode(), key=d["meta"]["customer"].encode())
    p.flush(30)
    w = worker(t, batch_max_records=16)
    got = wait_for(t.output, 600)
    w.stop()
    outs = outputs(got)
    assert len(outs) == 600
    seqs: dict[str, list[int]] = defaultdict(list)
    for r, o in zip(got, outs, strict=True):
        assert r.key == o["meta"]["customer"].encode()
        seqs[o["meta"]["customer"]].append(o["meta"]["seq"])
    assert len(seqs) == 7
    for s in seqs.values():
        assert s == sorted(s)


def test_replay_is_served_from_cache_and_identical(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(200, salt=t.group)
    for i, d in enumerate(docs):
        d["ref_time"] = f"2026-03-{1 + i % 28:02d}T09:00:00+07:00"
    produce_docs(KAFKA, t.input, docs)
    w = worker(t)
    first = outputs(wait_for(t.output, 200))
    w.stop()
    assert not any(o["vner"]["cached"] for o in first)
    # a second group replays the same input: every result now comes from Redis, unchanged
    from dataclasses import replace

    t2 = replace(t, output=t.output + "2", group=t.group + "r")
    from vner.streams.admin import ensure_topics

    ensure_topics(KAFKA, [t2.output], partitions=2)
    w2 = worker(t2)
    second = outputs(wait_for(t2.output, 200))
    assert w2.metric('vner_cache_requests_total{result="hit"}') == 200
    w2.stop()
    assert all(o["vner"]["cached"] for o in second)
    a = {o["id"]: normalised(o["entities"]) for o in first}
    b = {o["id"]: normalised(o["entities"]) for o in second}
    assert a == b
    check_against_pipeline(second)


def test_at_least_once_mode_round_trip(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(300, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    w = worker(t, delivery="at_least_once")
    got = outputs(wait_for(t.output, 300))
    assert w.metric('vner_transactions_total{result="committed"}') >= 1
    assert w.stop() == 0
    assert sorted(o["id"] for o in got) == sorted(d["id"] for d in docs)
    check_against_pipeline(got)


def test_backpressure_pauses_partitions_and_bounds_memory(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(400, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    w = worker(
        t,
        queue_max_records=24,
        batch_max_records=4,
        pipeline_factory="tests.streams.pipeline_factory:build_slow",
        env={"STREAM_TEST_DELAY_MS": "20"},
    )
    w.wait_ready()
    paused_seen, max_inflight = False, 0.0
    while w.metric("vner_records_produced_total") < 400:
        max_inflight = max(max_inflight, w.metric("vner_inflight_records"))
        paused_seen = paused_seen or w.metric("vner_partitions_paused") == 1
        assert w.proc.poll() is None
    got = outputs(wait_for(t.output, 400))
    assert w.stop() == 0
    assert paused_seen, "the model stage was behind but the partitions were never paused"
    assert 0 < max_inflight <= 24
    assert sorted(o["id"] for o in got) == sorted(d["id"] for d in docs)


def test_pipeline_in_a_child_process_gives_the_same_outputs(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(300, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    w = worker(t, stage_processes=1)
    got = outputs(wait_for(t.output, 300))
    assert w.stop() == 0
    assert sorted(o["id"] for o in got) == sorted(d["id"] for d in docs)
    assert all(o["vner"]["timings_ms"]["compute"] > 0 for o in got)
    check_against_pipeline(got)
