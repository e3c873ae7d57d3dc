"""Fixtures for the stream tests: the real Kafka broker and Redis server (started by deploy/local scripts if they
are not running), unique topics per test, and a worker subprocess running ``vner.streams.runner``.

With ``CI=true`` a broker or Redis that cannot start fails the tests; they are never skipped there.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from vner.streams.admin import Record, consume, ensure_topics

ROOT = Path(__file__).resolve().parents[2]
KAFKA_SH = ROOT / "deploy" / "local" / "kafka.sh"
REDIS_SH = ROOT / "deploy" / "local" / "redis.sh"
BROKERS = os.environ.get("VNER_TEST_BROKERS", "127.0.0.1:9092")
KAFKA = {"bootstrap.servers": BROKERS}
REDIS_URL = os.environ.get("VNER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def script(path: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(path), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _ensure(path: Path, name: str) -> None:
    if script(path, "status", timeout=30).returncode == 0:
        return
    started = script(path, "start")
    if started.returncode != 0:
        msg = f"{name} could not be started by {path.name}:\n{started.stderr[-2000:]}"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def services() -> None:
    """Kafka on 127.0.0.1:9092 and Redis on 127.0.0.1:6379, running."""
    _ensure(KAFKA_SH, "Kafka")
    _ensure(REDIS_SH, "Redis")


@dataclass(frozen=True)
class Topics:
    input: str
    output: str
    dlq: str
    group: str


@pytest.fixture
def topics(services: None) -> Callable[..., Topics]:
    """Factory: fresh, uniquely named input/output/DLQ topics and a group id."""

    def make(partitions: int = 3) -> Topics:
        tag = uuid.uuid4().hex[:10]
        t = Topics(f"t{tag}.in", f"t{tag}.out", f"t{tag}.dlq", f"g{tag}")
        ensure_topics(KAFKA, [t.input, t.output, t.dlq], partitions=partitions)
        return t

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WorkerProcess:
    """A stream worker subprocess (runner or faust agent) with its metrics/health port and a log file."""

    what = "worker"
    ready_timeout = 60.0
    stop_timeout = 40.0
    metrics_port: int

    def _spawn(self, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()/kill9()
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def http(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}{path}", timeout=2) as r:
                return int(r.status), r.read().decode()
        except urllib.error.HTTPError as e:
            return int(e.code), e.read().decode()

    def metric(self, name: str) -> float:
        """Sum of every sample of ``name`` from /metrics."""
        _code, body = self.http("/metrics")
        total = 0.0
        for line in body.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def wait_ready(self, timeout: float | None = None) -> None:
        limit = timeout if timeout is not None else self.ready_timeout
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"{self.what} exited early:\n{self.logs()[-3000:]}"
            try:
                if self.http("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.what} not ready after {limit}s:\n{self.logs()[-3000:]}")

    def logs(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float | None = None) -> int:
        """SIGTERM and wait: the worker finishes or aborts its batch, commits and leaves the group."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            rc = self.proc.wait(timeout if timeout is not None else self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait(10)
        self._log.close()
        return rc

    def kill9(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        self._log.close()


class Worker(WorkerProcess):
    """``python -m vner.streams.runner`` as a subprocess, configured by env vars; logs to a file."""

    def __init__(
        self, topics: Topics, log_path: Path, *, env: dict[str, str] | None = None, **settings: Any
    ) -> None:
        self.metrics_port = free_port()
        extra_env = env or {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("VNER_")}
        env.update(extra_env)
        env.update(
            {
                "VNER_BROKERS": BROKERS,
                "VNER_INPUT_TOPIC": topics.input,
                "VNER_OUTPUT_TOPIC": topics.output,
                "VNER_DLQ_TOPIC": topics.dlq,
                "VNER_GROUP_ID": topics.group,
                "VNER_TRANSACTIONAL_ID": f"{topics.group}-worker",
                "VNER_PIPELINE_FACTORY": "tests.streams.pipeline_factory:build",
                "VNER_REDIS_URL": REDIS_URL,
                "VNER_METRICS_PORT": str(self.metrics_port),
                "VNER_METRICS_HOST": "127.0.0.1",
                "VNER_SESSION_TIMEOUT_MS": "6000",
                "VNER_CACHE_RETRY_S": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({f"VNER_{k.upper()}": str(v) for k, v in settings.items()})
        self._spawn([sys.executable, "-m", "vner.streams.runner"], env, log_path)


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Factory for worker subprocesses; every worker still running at teardown is stopped."""
    started: list[Worker] = []

    def start(topics: Topics, *, env: dict[str, str] | None = None, **settings: Any) -> Worker:
        w = Worker(topics, tmp_path / f"worker{len(started)}.log", env=env, **settings)
        started.append(w)
        return w

    yield start
    for w in started:
        if w.proc.poll() is None:
            w.stop()


def outputs(records: list[Record]) -> list[dict[str, Any]]:
    return [json.loads(r.value or b"null") for r in records]


def wait_for(topic: str, n: int, *, timeout_s: float = 90, idle_s: float = 4.0) -> list[Record]:
    """Read a topic (read_committed) until ``n`` records arrived, then a little longer to catch extras.

    Every record read from an output (``.out``) or dead-letter (``.dlq``) topic is checked against the published
    schemas (streams/data/schemas), so every test that reads the stream's records checks their format too."""
    got = consume(KAFKA, topic, n=n, timeout_s=timeout_s)
    if len(got) >= n:
        time.sleep(idle_s)
        got = consume(KAFKA, topic, timeout_s=timeout_s, idle_s=idle_s)
    return checked(topic, got)


def dead_letters(topic: str, **kw: Any) -> list[Record]:
    """``consume`` of a dead-letter topic, each record checked against dead_letter.v1."""
    return checked(topic, consume(KAFKA, topic, **kw))


def checked(topic: str, records: list[Record]) -> list[Record]:
    from tests.streams.record_schema import check_dead_letter, check_output

    check = check_output if topic.endswith(".out") else check_dead_letter if topic.endswith(".dlq") else None
    for r in records if check else ():
        check(r)
    return records


class Broker:
    """A broker of the test's own (deploy/local/kafka.sh on free ports, data under tmp) that it may stop and
    start again without disturbing the shared one; ``broker("stop")``, ``broker("start")``."""

    def __init__(self, var: Path) -> None:
        self.port, self.cport = free_port(), free_port()
        self.env = dict(
            os.environ,
            VNER_KAFKA_PORT=str(self.port),
            VNER_KAFKA_CONTROLLER_PORT=str(self.cport),
            VNER_VAR_DIR=str(var),
        )
        self.conf = {"bootstrap.servers": f"127.0.0.1:{self.port}"}

    def __call__(self, cmd: str) -> None:
        r = subprocess.run(
            ["bash", str(KAFKA_SH), cmd],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if r.returncode != 0:
            # the first attempt's reason is at the top, the last log lines at the bottom: keep both
            err = r.stderr if len(r.stderr) <= 4000 else f"{r.stderr[:2000]}\n...\n{r.stderr[-2000:]}"
            pytest.fail(f"kafka.sh {cmd} failed:\n{err}")


@pytest.fixture
def broker(services: None, tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "var")
    b("start")
    yield b
    b("stop")
