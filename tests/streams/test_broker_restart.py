"""The broker stopped and restarted mid-stream: nothing lost, no duplicates in the read_committed output.

Runs its own single-node broker (the ``broker`` fixture: deploy/local/kafka.sh on free ports, data under tmp)
so that restarting it does not disturb anything else using the shared broker; its data survive the restart.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
from vner.streams.admin import consume, ensure_topics, produce_docs

from tests.streams.conftest import Broker, Topics, outputs
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def test_broker_restart_mid_stream(broker: Broker, worker: Callable[..., object]) -> None:
    t = Topics("restart.in", "restart.out", "restart.dlq", "restart-group")
    ensure_topics(broker.conf, [t.input, t.output, t.dlq], partitions=2)
    docs = make_docs(1000, salt=f"restart-{uuid.uuid4().hex[:8]}")
    produce_docs(broker.conf, t.input, docs)
    w = worker(
        t,
        brokers=broker.conf["bootstrap.servers"],
        pipeline_factory="tests.streams.pipeline_factory:build_slow",
        batch_max_records=8,
        env={"STREAM_TEST_DELAY_MS": "60"},
    )
    w.wait_ready()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 90
    while w.metric("vner_records_produced_total") < 100:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, w.logs()[-2000:]  # type: ignore[attr-defined]
        time.sleep(0.1)

    broker("stop")
    assert w.metric("vner_records_produced_total") < 1000, "finished before the broker stopped"  # type: ignore[attr-defined]
    time.sleep(3)
    broker("start")

    got = consume(broker.conf, t.output, n=1000, timeout_s=180)
    time.sleep(4)
    got = consume(broker.conf, t.output, timeout_s=60, idle_s=4)
    assert w.proc.poll() is None, w.logs()[-3000:]  # type: ignore[attr-defined]
    assert w.stop() == 0  # type: ignore[attr-defined]
    out = outputs(got)
    ids = [o["id"] for o in out]
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} duplicates"
    assert sorted(ids) == sorted(d["id"] for d in docs), f"{1000 - len(set(ids))} lost"
    check_against_pipeline(out)
