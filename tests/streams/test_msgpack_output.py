"""An input whose ``accept`` header asks for msgpack gets a msgpack output (``content-type: application/msgpack``);
every other input gets JSON. Round trip through the real broker; every output is checked against output.v1."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest
from confluent_kafka import Producer
from vner.streams.codec import JSON, MSGPACK, encode

from tests.streams.conftest import KAFKA, wait_for
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

# (input content-type, accept header or None, expected output content-type)
CASES = [
    (MSGPACK, MSGPACK, MSGPACK),
    (MSGPACK, "application/json;q=0.5, application/x-msgpack", MSGPACK),
    (JSON, MSGPACK, MSGPACK),
    (MSGPACK, None, JSON),
    (JSON, JSON, JSON),
    (JSON, None, JSON),
]


def test_accept_msgpack_gets_msgpack_output(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(60, salt=t.group)
    p = Producer(KAFKA)
    want: dict[str, tuple[str, str | None]] = {}
    for i, doc in enumerate(docs):
        ctype, accept, expect = CASES[i % len(CASES)]
        headers: list[tuple[str, bytes]] = [("content-type", ctype.encode()), ("traceparent", b"00-ab-cd-01")]
        if accept is not None:
            headers.append(("accept", accept.encode()))
        p.produce(t.input, value=encode(doc, ctype), key=doc["id"].encode(), headers=headers)
        want[doc["id"]] = (expect, accept)
    assert p.flush(30) == 0
    w = worker(t)
    got = wait_for(t.output, len(docs))
    assert len(got) == len(docs)
    by_id = {d["id"]: d for d in docs}
    decoded: list[dict[str, Any]] = []
    for r in got:
        ctype = r.headers["content-type"].decode()
        doc = msgpack.unpackb(r.value, raw=False) if ctype == MSGPACK else __import__("json").loads(r.value)
        expect, accept = want[doc["id"]]
        assert ctype == expect, (doc["id"], accept, ctype)
        assert r.headers["traceparent"] == b"00-ab-cd-01"
        if accept is not None:
            assert r.headers["accept"] == accept.encode()  # the input's headers are carried
        src = by_id[doc["id"]]
        assert (doc["text"], doc["meta"]) == (src["text"], src["meta"])
        decoded.append(doc)
    check_against_pipeline(decoded)
    assert w.stop() == 0
