"""The faust engine against the real broker and Redis: 100 good records with 12 poison ones mixed in.

Every good record comes out once, keyed like the input, in order per key, equal to ``Pipeline.process`` and in
the confluent runner's output shape; every poison record lands in the DLQ with its reason and source headers;
SIGTERM stops the worker cleanly with its offsets committed (a restarted worker re-emits nothing); the logs
hold no message text.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import msgpack
import pytest
from confluent_kafka import Producer
from vner.streams.admin import consume
from vner.streams.codec import JSON, MSGPACK, PoisonReason

from tests.streams.conftest import (
    BROKERS,
    KAFKA,
    REDIS_URL,
    Topics,
    WorkerProcess,
    free_port,
    outputs,
    wait_for,
)
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

RUNNER_VNER_KEYS = {"model_version", "rules_version", "domain", "ref_time", "cached", "timings_ms"}
KINDS = [
    PoisonReason.INVALID_UTF8,
    PoisonReason.NOT_JSON_OR_MSGPACK,
    PoisonReason.WRONG_SCHEMA,
    PoisonReason.UNKNOWN_DOMAIN,
    PoisonReason.TOO_LARGE,
    PoisonReason.EMPTY_TEXT,
]  # the kinds poison() builds


def poison(kind: PoisonReason, i: int) -> tuple[bytes, str]:
    """One unusable record of ``kind`` (value, content-type)."""
    text = f"Chị Lan số 09{i:08d} hỏi đơn"
    if kind is PoisonReason.INVALID_UTF8:
        return b'{"id": "p%d", "text": "' % i + text.encode()[:6] + b'\xff\xfe"}', JSON
    if kind is PoisonReason.NOT_JSON_OR_MSGPACK:
        return (text.encode(), JSON) if i % 2 else (b"\xc1" + text.encode(), MSGPACK)
    if kind is PoisonReason.WRONG_SCHEMA:
        return json.dumps({"id": f"p{i}", "message": text}).encode(), JSON
    if kind is PoisonReason.UNKNOWN_DOMAIN:
        return msgpack.packb({"id": f"p{i}", "text": text, "domain": "no_such_domain"}), MSGPACK
    if kind is PoisonReason.TOO_LARGE:
        return json.dumps({"id": f"p{i}", "text": text * 200}).encode(), JSON
    return json.dumps({"id": f"p{i}", "text": " \t "}).encode(), JSON


class FaustWorker(WorkerProcess):
    """``python -m vner.streams.faust_app`` as a subprocess, configured like the runner's test worker."""

    what = "faust worker"
    ready_timeout = 120.0
    stop_timeout = 60.0

    def __init__(self, t: Topics, log_path: Path, *, cli: bool = False, **extra_env: str) -> None:
        self.metrics_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("VNER_")}
        env.update(
            {
                "VNER_BROKERS": BROKERS,
                "VNER_INPUT_TOPIC": t.input,
                "VNER_OUTPUT_TOPIC": t.output,
                "VNER_DLQ_TOPIC": t.dlq,
                "VNER_GROUP_ID": t.group,
                "VNER_DELIVERY": "at_least_once",
                "VNER_PIPELINE_FACTORY": "tests.streams.pipeline_factory:build",
                "VNER_REDIS_URL": REDIS_URL,
                "VNER_METRICS_PORT": str(self.metrics_port),
                "VNER_METRICS_HOST": "127.0.0.1",
                "VNER_SESSION_TIMEOUT_MS": "6000",
                "VNER_BATCH_MAX_RECORDS": "16",
                "VNER_BATCH_MAX_WAIT_MS": "50",
                "VNER_MAX_TEXT_BYTES": "2000",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(extra_env)
        command = [sys.executable, "-m", "vner.streams.faust_app"]
        if cli:  # the real command line; delivery left at its default (faust downgrades it to at-least-once)
            command = [sys.executable, "-m", "vner.cli", "run", "--engine", "faust"]
            del env["VNER_DELIVERY"]
        self._spawn(command, env, log_path)


def _produce(t: Topics) -> tuple[list[dict[str, Any]], Counter[str]]:
    good = make_docs(100, salt=t.group)
    items: list[tuple[bytes, str, bytes]] = []
    for j, d in enumerate(good):
        ctype = MSGPACK if j % 4 == 0 else JSON
        value = msgpack.packb(d) if ctype == MSGPACK else json.dumps(d, ensure_ascii=False).encode()
        items.append((value, ctype, d["meta"]["customer"].encode()))
    expected: Counter[str] = Counter()
    for i in range(12):
        kind = KINDS[i % len(KINDS)]
        value, ctype = poison(kind, i)
        expected[kind.value] += 1
        items.insert(i * 8 + 3, (value, ctype, f"p{i}".encode()))
    p = Producer(KAFKA)
    for value, ctype, key in items:
        p.produce(t.input, value, key=key, headers=[("content-type", ctype.encode())])
    assert p.flush(30) == 0
    return good, expected


def test_faust_round_trip_with_poison(topics: Any, tmp_path: Path) -> None:
    t = topics(partitions=2)
    good, expected_dlq = _produce(t)
    w = FaustWorker(t, tmp_path / "faust0.log")
    try:
        w.wait_ready()
        got = wait_for(t.output, 100, timeout_s=120)
        dead = wait_for(t.dlq, 12, timeout_s=60, idle_s=1.0)
        assert w.http("/healthz")[0] == 200
        assert w.metric("vner_records_produced_total") == 100
        assert w.metric("vner_records_dead_lettered_total") == 12
        deadline = time.monotonic() + 20  # the lag gauge is refreshed every 5 s: wait for a fresh reading
        while time.monotonic() < deadline and not (
            "vner_consumer_lag{" in w.http("/metrics")[1] and w.metric("vner_consumer_lag") == 0
        ):
            time.sleep(0.5)
        assert "vner_consumer_lag{" in w.http("/metrics")[1], "no consumer-lag gauge"
        assert w.metric("vner_consumer_lag") == 0, "everything is consumed: lag 0"
    finally:
        rc = w.stop()
    assert rc == 0, w.logs()[-3000:]

    outs = outputs(got)
    ids = Counter(o["id"] for o in outs)
    missing = {d["id"] for d in good} - set(ids)
    dups = {i: n for i, n in ids.items() if n > 1}
    assert not missing and not dups, f"{len(missing)} missing, {len(dups)} duplicated:\n{w.logs()[-2000:]}"
    by_id = {d["id"]: d for d in good}
    for r, o in zip(got, outs, strict=True):
        assert r.key == by_id[o["id"]]["meta"]["customer"].encode()
        assert r.headers["content-type"] == b"application/json"
        assert r.headers["vner-source"].decode().startswith(f"{t.input}/")
        assert set(o["vner"]) == RUNNER_VNER_KEYS and o["meta"] == by_id[o["id"]]["meta"]
    assert sum(len(o["entities"]) for o in outs) > 100  # the pipeline really ran
    check_against_pipeline(outs)

    seqs: dict[bytes | None, list[int]] = defaultdict(list)
    for r, o in zip(got, outs, strict=True):
        seqs[r.key].append(o["meta"]["seq"])
    assert all(s == sorted(s) for s in seqs.values()), "order per key"

    reasons = Counter(r.headers["vner-dlq-reason"].decode() for r in dead)
    assert reasons == expected_dlq
    for r in dead:
        assert r.headers["vner-source-topic"] == t.input.encode()
        assert int(r.headers["vner-source-offset"]) >= 0 and r.headers["vner-dlq-detail"]
        assert r.headers["content-type"] in (JSON.encode(), MSGPACK.encode())
    assert {k.value for k in PoisonReason} >= set(reasons)

    logs = w.logs()
    for d in good[:20]:
        assert d["text"] not in logs and d["text"][:15] not in logs

    # offsets were committed before the stop: the same group re-emits nothing. A marker sent after the restart
    # must come out (the worker is consuming), and it must be the only record the new worker read.
    marker = {
        "id": f"{t.group}-marker",
        "text": "Chị Lan gọi 0912345678 hỏi đơn",
        "meta": {"customer": "m", "seq": 0},
    }
    w2 = FaustWorker(t, tmp_path / "faust1.log")
    try:
        w2.wait_ready()
        p = Producer(KAFKA)
        p.produce(t.input, json.dumps(marker, ensure_ascii=False).encode(), key=b"m")
        assert p.flush(30) == 0
        again = consume(KAFKA, t.output, n=101, timeout_s=90)
        assert marker["id"] in {o["id"] for o in outputs(again)}, (
            "the marker sent after the restart never came out"
        )
        deadline = time.monotonic() + 20  # the output is visible a moment before the counter moves
        while time.monotonic() < deadline and w2.metric("vner_records_produced_total") < 1:
            time.sleep(0.2)
        assert w2.metric("vner_records_produced_total") == 1
        assert w2.metric("vner_records_consumed_total") == 1, "the restarted worker re-read committed records"
    finally:
        assert w2.stop() == 0
    final = Counter(o["id"] for o in outputs(consume(KAFKA, t.output, timeout_s=20, idle_s=2.0)))
    assert set(final) == {d["id"] for d in good} | {marker["id"]}
    assert set(final.values()) == {1}, "a record came out twice: the restart re-emitted it"


def test_faust_kill9_mid_stream_loses_nothing(topics: Any, tmp_path: Path) -> None:
    """kill -9 while batches are in flight, restart: every record is in the output (at-least-once)."""
    t = topics(partitions=2)
    docs = make_docs(400, salt=t.group)
    p = Producer(KAFKA)
    for d in docs:
        p.produce(t.input, json.dumps(d, ensure_ascii=False).encode(), key=d["id"].encode())
    assert p.flush(30) == 0
    w = FaustWorker(
        t,
        tmp_path / "faust-killed.log",
        VNER_PIPELINE_FACTORY="tests.streams.pipeline_factory:build_slow",
        VNER_BATCH_MAX_RECORDS="8",
    )
    w.wait_ready()
    deadline = time.monotonic() + 60
    while w.metric("vner_records_produced_total") < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    produced_before = w.metric("vner_records_produced_total")
    w.proc.kill()
    w.stop()
    assert 40 <= produced_before < 400, f"kill landed outside the stream ({produced_before} produced)"

    w2 = FaustWorker(t, tmp_path / "faust-restarted.log", cli=True, VNER_BATCH_MAX_RECORDS="32")
    try:
        w2.wait_ready()
        got = consume(KAFKA, t.output, n=400, timeout_s=120)
        ids = [o["id"] for o in outputs(got)]
        deadline = time.monotonic() + 90
        while set(ids) != {d["id"] for d in docs} and time.monotonic() < deadline:
            time.sleep(1.0)
            ids = [o["id"] for o in outputs(consume(KAFKA, t.output, timeout_s=30, idle_s=2.0))]
    finally:
        assert w2.stop() == 0
    assert set(ids) == {d["id"] for d in docs}, f"missing {len({d['id'] for d in docs} - set(ids))} records"
    assert '"requested": "exactly_once"' in w2.logs(), "vner run --engine faust said it runs at-least-once"
    assert len(ids) - 400 <= 400 - 40, "replays are bounded by what was not yet committed"


def _settings(**kw: Any) -> Any:
    from vner.streams.settings import load_settings

    return load_settings(**{"delivery": "at_least_once", "redis_url": "", **kw})


def test_credentials_follow_the_security_settings() -> None:
    import certifi
    import faust
    from vner.streams.faust_app import _credentials

    assert _credentials(_settings()) is None
    sasl = _credentials(
        _settings(
            security_protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username="svc-vner",
            sasl_password="pw",
            ssl_ca_location=certifi.where(),
        )
    )
    assert isinstance(sasl, faust.SASLCredentials)
    assert sasl.mechanism.value == "SCRAM-SHA-512" and sasl.username == "svc-vner" and sasl.password == "pw"
    assert sasl.ssl_context is not None
    tls = _credentials(_settings(security_protocol="SSL", ssl_ca_location=certifi.where()))
    assert isinstance(tls, faust.SSLCredentials)


def test_faust_refuses_exactly_once() -> None:
    from vner.streams.faust_app import FaustProcessor

    with pytest.raises(ValueError, match="at-least-once only"):
        FaustProcessor(_settings(delivery="exactly_once"))


def test_chunks_respect_token_budget_and_record_cap() -> None:
    from datetime import UTC, datetime, timedelta

    from vner.engine.runtime.batching import plan_batches
    from vner.streams.batcher import estimate_tokens
    from vner.streams.faust_app import FaustProcessor
    from vner.streams.stage import Work

    s = _settings(
        batch_token_budget=400, batch_max_records=8, pipeline_factory="tests.streams.pipeline_factory:build"
    )
    proc = FaustProcessor(s)
    try:
        now = datetime.now(UTC)
        works = [
            Work(text="x" * (3 * (i % 40 + 1)), domain="customer_service", ref_time=now, enqueued=0.0)
            for i in range(100)
        ]
        chunks = proc._chunks(works)
        assert sorted(id(w) for c in chunks for w in c) == sorted(id(w) for w in works)
        for c in chunks:
            assert len(c) <= 8
            assert len(c) == 1 or max(estimate_tokens(w.text) for w in c) * len(c) <= 400
        # the runner's cut (the tagger's plan_batches) on the stage's counts (rules-only here: the estimate)
        counts = proc.stage.count_tokens(works)
        index = {id(w): k for k, w in enumerate(works)}
        assert [[index[id(w)] for w in c] for c in chunks] == plan_batches(
            counts, max_tokens=400, max_batch=8
        )
        # records of another reference time never share a batch
        later = [
            Work(text=w.text, domain=w.domain, ref_time=now + timedelta(minutes=1), enqueued=0.0)
            for w in works[:5]
        ]
        mixed = proc._chunks([*works[:5], *later])
        assert len(mixed) == 2 and all(len({w.ref_time for w in c}) == 1 for c in mixed)
    finally:
        proc.close()
