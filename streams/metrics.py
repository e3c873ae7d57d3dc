"""Prometheus metrics of the stream processor and its HTTP endpoints: ``/metrics``, ``/healthz``, ``/readyz``.

Each :class:`StreamMetrics` owns its own registry (several runners can live in one test process).
``/healthz`` answers 200 while the main loop has ticked recently; ``/readyz`` answers 200 once the consumer
has an assignment and the producer is initialised, and the loop is alive.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

_TIME_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class StreamMetrics:
    """All metrics of one runner, plus the liveness/readiness state the HTTP endpoints report."""

    def __init__(self, *, stale_after_s: float = 30.0) -> None:
        r = self.registry = CollectorRegistry()
        self.consumed = Counter("vner_records_consumed", "Records read from the input topic", registry=r)
        self.produced = Counter(
            "vner_records_produced", "Enriched records written to the output topic", registry=r
        )
        self.dead_lettered = Counter(
            "vner_records_dead_lettered", "Records sent to the dead-letter topic", ["reason"], registry=r
        )
        self.batch_size = Histogram(
            "vner_batch_records",
            "Records per pipeline batch",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
            registry=r,
        )
        self.queue_seconds = Histogram(
            "vner_queue_seconds",
            "Time a record waited before its batch ran",
            buckets=_TIME_BUCKETS,
            registry=r,
        )
        self.compute_seconds = Histogram(
            "vner_compute_seconds", "Pipeline time per batch", buckets=_TIME_BUCKETS, registry=r
        )
        self.cache = Counter("vner_cache_requests", "Result cache lookups", ["result"], registry=r)
        self.cache_errors = Counter("vner_cache_errors", "Redis errors (cache bypassed)", registry=r)
        self.cache_up = Gauge("vner_cache_up", "1 when the Redis cache is reachable", registry=r)
        self.cache_transitions = Counter(
            "vner_cache_transitions", "Redis cache went down / came back", ["to"], registry=r
        )
        self.lag = Gauge("vner_consumer_lag", "High watermark minus position", ["partition"], registry=r)
        self.inflight = Gauge("vner_inflight_records", "Records consumed but not yet produced", registry=r)
        self.paused = Gauge("vner_partitions_paused", "1 while input partitions are paused", registry=r)
        self.transactions = Counter(
            "vner_transactions", "Kafka transactions / commits", ["result"], registry=r
        )
        self.errors = Counter("vner_errors", "Errors by kind", ["kind"], registry=r)
        self.ready_gauge = Gauge(
            "vner_ready", "1 while the worker is ready (what /readyz answers)", registry=r
        )
        self._stale_after_s = stale_after_s
        self._last_tick = time.monotonic()
        self._ready = False

    def tick(self) -> None:
        """Called by the main loop on every iteration (liveness)."""
        self._last_tick = time.monotonic()

    def set_ready(self, ready: bool) -> None:
        self._ready = ready
        self.ready_gauge.set(1 if ready else 0)

    def alive(self) -> bool:
        return time.monotonic() - self._last_tick < self._stale_after_s

    def ready(self) -> bool:
        return self._ready and self.alive()

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """Current value of a sample (``vner_records_produced_total``…), 0.0 if absent."""
        v = self.registry.get_sample_value(name, labels or {})
        return float(v) if v is not None else 0.0

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class MetricsServer:
    """A small threaded HTTP server for the three endpoints; ``port=0`` picks a free port."""

    def __init__(self, metrics: StreamMetrics, *, host: str = "0.0.0.0", port: int = 9108) -> None:
        handler = _handler_for(metrics)
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="vner-metrics", daemon=True)

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(metrics: StreamMetrics) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?")[0]
            if path == "/metrics":
                self._send(200, metrics.exposition(), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                ok = metrics.alive()
                self._send(200 if ok else 503, b"ok\n" if ok else b"stalled\n", "text/plain")
            elif path == "/readyz":
                ok = metrics.ready()
                self._send(200 if ok else 503, b"ready\n" if ok else b"not ready\n", "text/plain")
            else:
                self._send(404, b"not found\n", "text/plain")

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep access logs out of stderr
            return

    return Handler
