"""Redis stopped mid-stream: no crash, outputs unchanged, the metrics say so; the cache comes back with Redis.

Uses its own Redis server (deploy/local/redis.sh on a free port, data under tmp) so that stopping it does not
disturb anything else using the shared one.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from vner.streams.admin import produce_docs

from tests.streams.conftest import KAFKA, REDIS_SH, free_port, outputs, wait_for
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def redis(cmd: str, port: int, var: Path) -> None:
    env = dict(os.environ, VNER_REDIS_PORT=str(port), VNER_VAR_DIR=str(var))
    r = subprocess.run(
        ["bash", str(REDIS_SH), cmd], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    if r.returncode != 0:
        pytest.fail(f"redis.sh {cmd} failed: {r.stderr[-1500:]}")


def test_redis_stopped_mid_stream(topics, worker, tmp_path: Path) -> None:
    port, var = free_port(), tmp_path / "var"
    redis("start", port, var)
    try:
        t = topics(partitions=2)
        docs = make_docs(600, salt=t.group)
        produce_docs(KAFKA, t.input, docs)
        w = worker(
            t,
            redis_url=f"redis://127.0.0.1:{port}/0",
            pipeline_factory="tests.streams.pipeline_factory:build_slow",
            batch_max_records=4,
            env={"STREAM_TEST_DELAY_MS": "150"},
        )
        w.wait_ready()
        deadline = time.monotonic() + 60
        while w.metric("vner_records_produced_total") < 60:
            assert time.monotonic() < deadline, w.logs()[-2000:]
            time.sleep(0.1)
        assert w.metric("vner_cache_up") == 1
        redis("stop", port, var)
        at_stop = w.metric("vner_records_produced_total")
        assert at_stop < 600, "the stream finished before Redis stopped: nothing was tested"
        got = outputs(wait_for(t.output, 600, timeout_s=120))
        assert w.proc.poll() is None, "worker died with Redis down"
        assert sorted(o["id"] for o in got) == sorted(d["id"] for d in docs)
        check_against_pipeline(got)
        assert w.metric("vner_cache_errors_total") >= 1
        failed_or_skipped = w.metric('vner_cache_requests_total{result="error"}') + w.metric(
            'vner_cache_requests_total{result="bypassed"}'
        )
        assert failed_or_skipped >= 1  # lookups that failed or skipped the cache, and...
        assert w.metric("vner_cache_up") == 0  # ...the gauge says the cache is down
        assert w.http("/readyz")[0] == 200

        # Redis back: the cache reconnects by itself (retry after 1 s) and serves the replayed texts again
        redis("start", port, var)
        time.sleep(1.5)
        produce_docs(KAFKA, t.input, [dict(d, id=d["id"] + "-again") for d in docs[:50]])
        more = outputs(wait_for(t.output, 650, timeout_s=60))
        assert len(more) == 650
        assert w.metric("vner_cache_up") == 1
        assert w.stop() == 0
    finally:
        redis("stop", port, var)
