"""The records vner writes: an enriched output record, and a dead letter with its reason and source headers.

Output = the input document + ``entities`` + ``vner`` (model/rules versions, domain, reference time, whether
the cache answered, stage timings), JSON, keyed like the input; its headers are the input's (traceparent,
tenant ids...) but ``content-type``, plus ``vner-source`` and ``vner-labels`` (the distinct entity labels,
sorted, comma separated). An input whose ``accept`` header names msgpack (``application/msgpack``, or its
``x-msgpack`` / ``vnd.msgpack`` aliases, alone or in a list) gets a msgpack output with ``content-type:
application/msgpack``; any other output is JSON with ``content-type: application/json``. A dead letter is the input's bytes, key and
headers unchanged, plus ``vner-dlq-reason``, ``vner-dlq-detail`` and ``vner-source-topic/partition/offset``.
A dead letter larger than ``dlq_max_bytes`` (a 10 MB record judged ``too_large``) is cut to fit, with
``vner-dlq-truncated: true``, ``vner-dlq-original-length`` and ``vner-dlq-sha256`` (of the whole value); a key
over 16 KiB is replaced by its sha256 (``vner-dlq-key-sha256``); source headers over a quarter of the limit
are dropped (``vner-dlq-headers-dropped``).

Both engines build these records from a :class:`Source`, a neutral value of the consumed record (topic,
partition, offset, key, value, headers) that each engine constructs from its own message type
(:func:`vner.streams.runner.source_of` for confluent-kafka, :func:`vner.streams.faust_app.source_of` for
faust), so an output or a dead letter looks the same whichever engine wrote it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .codec import JSON, MSGPACK, MSGPACK_ALIASES, InputRecord, PoisonRecord, encode
from .delivery import Headers
from .stage import Work


def header_list(raw: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None) -> Headers:
    """Headers as ``[(name, bytes | None)]`` from a list of pairs or a mapping (names as ``str``, values that
    are neither bytes nor ``None`` as their UTF-8 text)."""
    items = raw.items() if isinstance(raw, Mapping) else (raw or ())
    return [(str(n), v if v is None or isinstance(v, bytes) else str(v).encode()) for n, v in items]


@dataclass(frozen=True, slots=True)
class Source:
    """A consumed record as the output and dead-letter builders need it, whatever client consumed it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, str | bytes | None], ...] = ()

    @classmethod
    def of(
        cls,
        *,
        topic: Any,
        partition: Any,
        offset: Any,
        key: bytes | None,
        value: bytes | None,
        headers: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None,
    ) -> Source:
        """A source from any client's fields (``None`` partition/offset read as 0; headers normalised)."""
        return cls(
            topic=str(topic),
            partition=int(partition or 0),
            offset=int(offset or 0),
            key=key,
            value=value,
            headers=tuple(header_list(headers)),
        )

    @property
    def where(self) -> tuple[str, int, int]:
        """(topic, partition, offset)."""
        return self.topic, self.partition, self.offset


def output_record(
    src: Source, record: InputRecord, work: Work, *, model_version: str, rules_version: str
) -> tuple[bytes, Headers]:
    """Value and headers of the enriched record for ``src``."""
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
    topic, part, off = src.where
    ctype = output_content_type(src.headers)
    headers = [(n, v) for n, v in src.headers if n.lower() not in REPLACED_HEADERS]
    headers += [
        ("content-type", ctype.encode()),
        ("vner-source", f"{topic}/{part}/{off}".encode()),
        ("vner-labels", labels_header(work.entities or [])),
    ]
    return encode(doc, ctype), headers


def output_content_type(headers: Iterable[tuple[str, str | bytes | None]]) -> str:
    """``application/msgpack`` if the input's ``accept`` header asks for msgpack, else ``application/json``."""
    for name, val in headers:
        if name.lower() != "accept" or val is None:
            continue
        raw = val.decode("ascii", "replace") if isinstance(val, bytes) else val
        for part in raw.split(","):
            if part.split(";")[0].strip().lower() in MSGPACK_ALIASES:
                return MSGPACK
    return JSON


REPLACED_HEADERS = frozenset({"content-type", "vner-source", "vner-labels"})  # set by vner, never copied


def labels_header(entities: list[dict[str, Any]]) -> bytes:
    """The distinct entity labels, sorted, comma separated (``ORDER_CODE,PHONE``); empty without entities."""
    labels = {str(e.get("label")) for e in entities if isinstance(e, dict) and e.get("label")}
    return ",".join(sorted(labels)).encode()


def dead_letter_headers(src: Source, poison: PoisonRecord) -> Headers:
    """The input's headers plus the reason and where the record came from."""
    topic, part, off = src.where
    headers: Headers = list(src.headers)
    headers += [
        ("vner-dlq-reason", poison.reason.value.encode()),
        ("vner-dlq-detail", poison.detail.encode("utf-8", "replace")),
        ("vner-source-topic", topic.encode()),
        ("vner-source-partition", str(part).encode()),
        ("vner-source-offset", str(off).encode()),
    ]
    return headers


_MAX_DLQ_KEY = 16 * 1024
_RESERVE = 1024  # bytes kept for the headers the cut adds and librdkafka's per-record overhead


def _size(headers: Headers) -> int:
    return sum(len(n) + (len(v) if v is not None else 0) for n, v in headers)


def dead_letter(
    src: Source, poison: PoisonRecord, *, max_bytes: int
) -> tuple[bytes | None, bytes | None, Headers]:
    """Value, key and headers of the dead letter for ``src``, together at most ``max_bytes``."""
    return fit_dead_letter(src.value, src.key, dead_letter_headers(src, poison), max_bytes=max_bytes)


def fit_dead_letter(
    value: bytes | None, key: bytes | None, headers: Headers, *, max_bytes: int
) -> tuple[bytes | None, bytes | None, Headers]:
    """Cut a dead letter (value, key, headers with the ``vner-dlq-*`` ones) to at most ``max_bytes``."""
    headers = list(headers)
    if key is not None and len(key) > _MAX_DLQ_KEY:
        digest = hashlib.sha256(key).hexdigest()
        key = digest.encode()
        headers.append(("vner-dlq-key-sha256", digest.encode()))
    if _size(headers) > max_bytes // 4:
        ours = [(n, v) for n, v in headers if n.startswith("vner-")]
        headers = [*ours, ("vner-dlq-headers-dropped", str(len(headers) - len(ours)).encode())]
    room = max_bytes - _RESERVE - len(key or b"") - _size(headers)
    if value is not None and len(value) > room:
        headers += [
            ("vner-dlq-truncated", b"true"),
            ("vner-dlq-original-length", str(len(value)).encode()),
            ("vner-dlq-sha256", hashlib.sha256(value).hexdigest().encode()),
        ]
        value = value[: max(room, 0)]
    return value, key, headers
