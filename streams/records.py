"""The records vner writes: an enriched output record, and a dead letter with its reason and source headers.

Output = the input document + ``entities`` + ``vner`` (model/rules versions, domain, reference time, whether
the cache answered, stage timings), JSON, keyed like the input. A dead letter is the input's bytes, key and
headers unchanged, plus ``vner-dlq-reason``, ``vner-dlq-detail`` and ``vner-source-topic/partition/offset``.
"""

from __future__ import annotations

import time
from typing import Any

from confluent_kafka import Message
from vner.streams.codec import JSON, InputRecord, PoisonRecord, encode
from vner.streams.delivery import Headers
from vner.streams.stage import Work


def where(msg: Message) -> tuple[str, int, int]:
    """(topic, partition, offset) of a consumed record."""
    return str(msg.topic()), int(msg.partition() or 0), int(msg.offset() or 0)


def output_record(
    msg: Message, record: InputRecord, work: Work, *, model_version: str, rules_version: str
) -> tuple[bytes, Headers]:
    """Value and headers of the enriched record for ``msg``."""
    timings = dict(work.timings_ms, total=round((time.monotonic() - work.enqueued) * 1000.0, 3))
    doc: dict[str, Any] = {
        **record.doc,
        "entities": work.entities,
        "vner": {
            "model_version": model_version,
            "rules_version": rules_version,
            "domain": record.domain,
            "ref_time": work.ref_time.isoformat(),
            "cached": work.cached,
            "timings_ms": timings,
        },
    }
    topic, part, off = where(msg)
    headers: Headers = [("content-type", JSON.encode()), ("vner-source", f"{topic}/{part}/{off}".encode())]
    return encode(doc), headers


def dead_letter_headers(msg: Message, poison: PoisonRecord) -> Headers:
    """The input's headers plus the reason and where the record came from."""
    topic, part, off = where(msg)
    original = msg.headers() or []
    headers: Headers = [
        (str(h[0]), h[1]) for h in (original.items() if isinstance(original, dict) else original)
    ]
    headers += [
        ("vner-dlq-reason", poison.reason.value.encode()),
        ("vner-dlq-detail", poison.detail.encode("utf-8", "replace")),
        ("vner-source-topic", topic.encode()),
        ("vner-source-partition", str(part).encode()),
        ("vner-source-offset", str(off).encode()),
    ]
    return headers
