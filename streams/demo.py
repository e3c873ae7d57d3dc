"""The one-command demo's streaming half: fresh topics, the real runner as a subprocess, the bundled sample
messages published, enriched records yielded as they arrive (read_committed), then a clean SIGTERM stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer

from .admin import ensure_topics, produce_docs


@dataclass
class DemoRun:
    """Topics, the runner process and what came out of it."""

    run_id: str
    input_topic: str
    output_topic: str
    dlq_topic: str
    log_path: Path
    received: int = 0
    dead_lettered: int = 0
    seconds: float = 0.0
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)


def _runner_env(run: DemoRun, brokers: str, model_dir: str | None, redis_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "VNER_BROKERS": brokers,
            "VNER_INPUT_TOPIC": run.input_topic,
            "VNER_OUTPUT_TOPIC": run.output_topic,
            "VNER_DLQ_TOPIC": run.dlq_topic,
            "VNER_GROUP_ID": f"vner-demo-{run.run_id}",
            "VNER_TRANSACTIONAL_ID": f"vner-demo-{run.run_id}-0",
            "VNER_METRICS_PORT": "0",
            "VNER_LOG_LEVEL": "info",
        }
    )
    if model_dir:
        env["VNER_MODEL_DIR"] = model_dir
    if redis_url:
        env["VNER_REDIS_URL"] = redis_url
    return env


def start(
    records: Sequence[Mapping[str, Any]],
    *,
    brokers: str = "127.0.0.1:9092",
    model_dir: str | None = None,
    redis_url: str | None = "redis://127.0.0.1:6379/0",
    log_dir: Path = Path("var/demo"),
) -> DemoRun:
    """Create fresh topics, start ``python -m vner.streams.runner`` on them and publish ``records``."""
    rid = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    log_dir.mkdir(parents=True, exist_ok=True)
    run = DemoRun(
        run_id=rid,
        input_topic=f"vner.demo.{rid}.in",
        output_topic=f"vner.demo.{rid}.out",
        dlq_topic=f"vner.demo.{rid}.dlq",
        log_path=log_dir / f"runner-{rid}.log",
    )
    conf = {"bootstrap.servers": brokers}
    ensure_topics(conf, [run.input_topic, run.output_topic, run.dlq_topic], partitions=2)
    with open(run.log_path, "wb") as log:
        run.proc = subprocess.Popen(
            [sys.executable, "-m", "vner.streams.runner"],
            env=_runner_env(run, brokers, model_dir, redis_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    produce_docs(conf, run.input_topic, records)
    return run


def results(
    run: DemoRun, expected: int, *, brokers: str = "127.0.0.1:9092", timeout_s: float = 300
) -> Iterator[dict[str, Any]]:
    """Yield enriched output records as they are committed, until ``expected`` (outputs + dead letters) or timeout.

    Raises RuntimeError if the runner process dies first (its log path is in the message).
    """
    c = Consumer(
        {
            "bootstrap.servers": brokers,
            "group.id": f"vner-demo-reader-{run.run_id}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    c.subscribe([run.output_topic, run.dlq_topic])
    t0 = time.monotonic()
    try:
        while run.received + run.dead_lettered < expected:
            if time.monotonic() - t0 > timeout_s:
                raise TimeoutError(
                    f"only {run.received + run.dead_lettered}/{expected} records after {timeout_s:.0f}s; see {run.log_path}"
                )
            if run.proc is not None and run.proc.poll() is not None:
                raise RuntimeError(f"the runner exited with code {run.proc.returncode}; see {run.log_path}")
            for m in c.consume(num_messages=100, timeout=0.5):
                if m.error():
                    continue
                if m.topic() == run.dlq_topic:
                    run.dead_lettered += 1
                    continue
                run.received += 1
                yield json.loads(m.value() or b"{}")
    finally:
        run.seconds = time.monotonic() - t0
        c.close()


def stop(run: DemoRun, *, timeout_s: float = 30) -> int:
    """SIGTERM the runner (it finishes its in-flight batch, commits and leaves the group); kill if it hangs."""
    if run.proc is None or run.proc.poll() is not None:
        return run.proc.returncode if run.proc else 0
    run.proc.send_signal(signal.SIGTERM)
    try:
        return run.proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        run.proc.kill()
        return run.proc.wait()
