"""What the chart renders really starts a worker: the container's command with the ConfigMap's environment,
against the real local broker and Redis; the readiness and liveness probes' paths and port answer 200, and
SIGTERM ends the worker well inside ``terminationGracePeriodSeconds``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from vner.streams.admin import produce_docs

from tests.deploy.chart import one, render, settings, worker
from tests.streams.conftest import BROKERS, KAFKA, REDIS_URL, free_port, wait_for
from tests.streams.conftest import services as services  # noqa: F401 - fixtures used by name below
from tests.streams.conftest import topics as topics  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except OSError:
        return 0


def test_rendered_deployment_runs_a_real_worker(topics: Any, tmp_path: Path) -> None:  # noqa: F811
    t = topics(partitions=2)
    port = free_port()
    docs = render(
        sets=(
            f"kafka.bootstrapServers={BROKERS}",
            f"kafka.inputTopic={t.input}",
            f"kafka.outputTopic={t.output}",
            f"kafka.dlqTopic={t.dlq}",
            f"kafka.consumerGroup={t.group}",
            f"redis.url={REDIS_URL}",
            f"metrics.port={port}",
            "model.source=none",
        )
    )
    container = worker(docs)
    pod = one(docs, "Deployment")["spec"]["template"]["spec"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNER_")}
    env.update(settings(docs))
    env["VNER_METRICS_HOST"] = "127.0.0.1"  # the pod listens on 0.0.0.0; the test stays on loopback
    entrypoint = ["vner", "run"]  # deploy/Dockerfile.*: ENTRYPOINT ["vner", "run"], args from the chart
    argv = [str(Path(sys.executable).parent / entrypoint[0]), *entrypoint[1:], *container["args"]]
    log = (tmp_path / "worker.log").open("wb")
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        ready, live = container["readinessProbe"]["httpGet"], container["livenessProbe"]["httpGet"]
        assert ready["port"] == live["port"] == container["ports"][0]["name"]
        deadline = time.monotonic() + 90
        while _get(port, ready["path"]) != 200:
            assert proc.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "readiness probe never answered 200"
            time.sleep(0.3)
        assert _get(port, live["path"]) == 200
        produce_docs(KAFKA, t.input, [{"id": f"r{i}", "text": f"Gọi em số 09{i:08d} nhé"} for i in range(20)])
        out = wait_for(t.output, 20, timeout_s=90, idle_s=1.0)
        assert sorted(json.loads(r.value or b"{}")["id"] for r in out) == sorted(f"r{i}" for i in range(20))
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=pod["terminationGracePeriodSeconds"])
        assert rc == 0 and time.monotonic() - started < pod["terminationGracePeriodSeconds"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        log.close()
