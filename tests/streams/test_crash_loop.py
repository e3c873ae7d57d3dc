"""A record that kills the worker process every time: after ``crash_loop_attempts`` deaths the next start
dead-letters it (``crash_loop``) and the rest of the stream flows, each record exactly once."""

from __future__ import annotations

import time

import pytest
from vner.streams.admin import produce_docs
from vner.streams.codec import PoisonReason

from tests.streams.conftest import KAFKA, dead_letters, outputs, wait_for
from tests.streams.crash_factory import EXIT_CODE, MARK
from tests.streams.test_roundtrip import make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_a_record_that_kills_the_worker_is_dead_lettered_after_n_deaths(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(200, salt=t.group)
    docs[77]["text"] += f" {MARK}"
    poison_id = docs[77]["id"]
    produce_docs(KAFKA, t.input, docs)
    settings = {
        "pipeline_factory": "tests.streams.crash_factory:build",
        "crash_loop_attempts": 3,
        "batch_max_records": 8,
    }
    for death in range(1, 4):
        w = worker(t, **settings)
        try:
            rc = w.proc.wait(90)
        except Exception:
            pytest.fail(f"start {death}: the worker did not die on the poison record:\n{w.logs()[-3000:]}")
        assert rc == EXIT_CODE, f"start {death}: rc {rc}\n{w.logs()[-3000:]}"
        if death > 1:  # a suspect runs alone: only the killer is counted again
            assert "running a suspect record alone" in w.logs()
    w = worker(t, **settings)
    got = outputs(wait_for(t.output, 199, timeout_s=120))
    ids = sorted(o["id"] for o in got)
    assert ids == sorted(d["id"] for d in docs if d["id"] != poison_id), (
        f"{len(ids)} outputs, {len(ids) - len(set(ids))} duplicates"
    )
    dlq = dead_letters(t.dlq, n=1, timeout_s=30, idle_s=2.0)
    assert len(dlq) == 1, [r.headers for r in dlq]
    assert dlq[0].headers["vner-dlq-reason"] == PoisonReason.CRASH_LOOP.value.encode()
    assert poison_id.encode() in (dlq[0].value or b"")
    time.sleep(1.0)
    assert w.proc.poll() is None, w.logs()[-3000:]
    assert w.stop() == 0


def test_without_attempt_tracking_the_worker_keeps_dying(topics, worker) -> None:
    """``crash_loop_attempts=0`` (or no Redis): nothing is counted, the documented behaviour is a crash loop."""
    t = topics(partitions=1)
    docs = make_docs(20, salt=t.group)
    docs[5]["text"] += f" {MARK}"
    produce_docs(KAFKA, t.input, docs)
    for _ in range(4):
        w = worker(t, pipeline_factory="tests.streams.crash_factory:build", crash_loop_attempts=0)
        assert w.proc.wait(90) == EXIT_CODE, w.logs()[-3000:]
    assert dead_letters(t.dlq, timeout_s=3, idle_s=1.0) == []
