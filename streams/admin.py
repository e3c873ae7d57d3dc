"""Small Kafka helpers for the demo, the CLI (``vner topics create / produce / consume``), tests and benchmarks."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from .codec import JSON, encode


@dataclass(frozen=True, slots=True)
class Record:
    """A consumed record, detached from librdkafka."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]
    timestamp_ms: int


def _as_bytes(v: Any) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


def ensure_topics(
    conf: Mapping[str, Any],
    topics: Iterable[str],
    *,
    partitions: int = 1,
    replication: int = 1,
    timeout: float = 30,
) -> list[str]:
    """Create the topics that do not exist yet; returns the names created."""
    admin = AdminClient(dict(conf))
    existing = set(admin.list_topics(timeout=timeout).topics)
    new = [
        NewTopic(t, num_partitions=partitions, replication_factor=replication)
        for t in topics
        if t not in existing
    ]
    if not new:
        return []
    for _name, fut in admin.create_topics(new, operation_timeout=timeout).items():
        try:
            fut.result(timeout)
        except KafkaException as e:
            if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    deadline = time.monotonic() + timeout
    names = {t.topic for t in new}
    while time.monotonic() < deadline:  # wait until metadata shows every partition with a leader
        md = admin.list_topics(timeout=timeout).topics
        if all(
            n in md and md[n].partitions and all(p.leader >= 0 for p in md[n].partitions.values())
            for n in names
        ):
            break
        time.sleep(0.1)
    return sorted(names)


def produce_docs(
    conf: Mapping[str, Any],
    topic: str,
    docs: Iterable[Mapping[str, Any] | bytes],
    *,
    content_type: str = JSON,
    key_field: str = "id",
) -> int:
    """Publish records (mappings are encoded; bytes go as they are), keyed by ``key_field``; returns the count."""
    p = Producer({**conf, "partitioner": "murmur2_random", "linger.ms": 5, "enable.idempotence": True})
    failed: list[KafkaError] = []
    n = 0
    for doc in docs:
        if isinstance(doc, (bytes, bytearray)):
            value, key = bytes(doc), None
        else:
            value = encode(doc, content_type)
            k = doc.get(key_field)
            key = str(k).encode() if k is not None else None
        while True:
            try:
                p.produce(
                    topic,
                    value=value,
                    key=key,
                    headers=[("content-type", content_type.encode())],
                    on_delivery=lambda err, _m: failed.append(err) if err else None,
                )
                break
            except BufferError:
                p.poll(0.05)
        n += 1
        p.poll(0)
    if p.flush(60) or failed:
        raise RuntimeError(
            f"{len(failed)} records failed to publish ({failed[0].name() if failed else 'timeout'})"
        )
    return n


def consume(
    conf: Mapping[str, Any],
    topic: str,
    *,
    n: int | None = None,
    timeout_s: float = 30.0,
    idle_s: float | None = None,
    read_committed: bool = True,
) -> list[Record]:
    """Read ``topic`` from the beginning with a throwaway group until ``n`` records, ``idle_s`` without new
    records, or ``timeout_s``."""
    c = Consumer(
        {
            **conf,
            "group.id": f"vner-reader-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed" if read_committed else "read_uncommitted",
        }
    )
    c.subscribe([topic])
    out: list[Record] = []
    deadline = time.monotonic() + timeout_s
    last = time.monotonic()
    try:
        while time.monotonic() < deadline and (n is None or len(out) < n):
            if idle_s is not None and out and time.monotonic() - last > idle_s:
                break
            for m in c.consume(num_messages=500, timeout=0.2):
                if m.error():
                    continue
                last = time.monotonic()
                hdrs = m.headers() or []
                out.append(
                    Record(
                        topic=str(m.topic()),
                        partition=int(m.partition() or 0),
                        offset=int(m.offset() or 0),
                        key=m.key(),
                        value=m.value(),
                        headers={str(h[0]): _as_bytes(h[1]) for h in hdrs if h[1] is not None},
                        timestamp_ms=m.timestamp()[1],
                    )
                )
    finally:
        c.close()
    return out
