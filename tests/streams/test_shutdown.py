"""SIGTERM under load, with more in flight than can finish in time: exit 0 within ``shutdown_timeout_s``, what
finished committed, the rest aborted and read again by the next worker; nothing lost, nothing twice."""

from __future__ import annotations

import time

import pytest
from vner.streams.admin import consume, produce_docs

from tests.streams.conftest import KAFKA, outputs, wait_for
from tests.streams.test_roundtrip import make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

BOUND_S = 6


def test_sigterm_mid_stream_exits_0_within_the_bound(topics, worker) -> None:
    t = topics(partitions=3)
    docs = make_docs(600, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    w = worker(
        t,
        pipeline_factory="tests.streams.pipeline_factory:build_slow",
        batch_max_records=8,
        queue_max_records=200,  # 25 batches of 1 s on 2 threads: ~12 s of work in flight, the bound is 6 s
        shutdown_timeout_s=BOUND_S,
        env={"STREAM_TEST_DELAY_MS": "1000"},
    )
    w.wait_ready()
    deadline = time.monotonic() + 90
    while w.metric("vner_records_produced_total") < 40:
        assert time.monotonic() < deadline, w.logs()[-2000:]
        time.sleep(0.05)
    assert w.metric("vner_inflight_records") > 100, "not under load"
    t0 = time.monotonic()
    rc = w.stop(timeout=BOUND_S + 30)
    took = time.monotonic() - t0
    assert rc == 0, w.logs()[-3000:]
    assert took <= BOUND_S + 1.0, f"SIGTERM took {took:.1f} s (bound {BOUND_S} s)"
    assert '"event": "stopped"' in w.logs()
    committed = outputs(consume(KAFKA, t.output, timeout_s=5, idle_s=2.0))
    assert len(committed) < 600 and len({o["id"] for o in committed}) == len(committed)

    worker(t, batch_max_records=32)
    got = outputs(wait_for(t.output, 600, timeout_s=120))
    ids = [o["id"] for o in got]
    assert len(ids) == 600, f"{len(ids)} outputs, {len(ids) - len(set(ids))} duplicates"
    assert sorted(ids) == sorted(d["id"] for d in docs)
