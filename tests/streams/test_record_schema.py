"""The output and dead-letter formats are published JSON Schemas (streams/data/schemas), and what a real worker
writes matches them (issue 23)."""

from __future__ import annotations

import json

import msgpack
import pytest
from confluent_kafka import Producer
from vner.rules.entity import Origin
from vner.streams.admin import Record
from vner.streams.codec import JSON, MSGPACK, PoisonReason

from tests.streams.conftest import KAFKA, dead_letters, wait_for
from tests.streams.record_schema import check_dead_letter, check_output, errors, validator


def test_schemas_are_valid_and_list_every_dead_letter_reason() -> None:
    out, dlq = validator("output.v1"), validator("dead_letter.v1")
    assert out.schema["$id"].endswith("output.v1.schema.json")
    assert set(dlq.schema["properties"]["vner-dlq-reason"]["enum"]) == {r.value for r in PoisonReason}
    origins = out.schema["$defs"]["entity"]["properties"]["origin"]["enum"]
    assert set(origins) == {o.value for o in Origin} == {"rule", "model", "post", "other"}


def test_schemas_reject_what_they_must() -> None:
    good = {
        "id": "m1",
        "text": "gọi 0912345678",
        "entities": [
            {"start": 4, "end": 14, "label": "PHONE", "text": "0912345678", "value": "+84912345678",
             "source": "rule:phone.v1", "origin": "rule", "score": 1.0, "explanation": "", "stages": ["rules"]}
        ],
        "vner": {"model_version": "none", "rules_version": "rules:x@1", "domain": "customer_service",
                 "ref_time": "2026-12-05T10:00:00+07:00", "cached": False, "timings_ms": {"total": 1.5}},
    }  # fmt: skip
    assert errors("output.v1", good) == []
    bad = json.loads(json.dumps(good))
    bad["entities"][0]["label"] = "phone"
    bad["entities"][0]["origin"] = "llm"
    bad["vner"]["cached"] = "no"
    del bad["vner"]["rules_version"]
    found = errors("output.v1", bad)
    assert any("entities/0/label" in e for e in found) and any("vner/cached" in e for e in found)
    assert any("rules_version" in e for e in found) and any("entities/0/origin" in e for e in found)
    headers = {"vner-dlq-reason": "too_large", "vner-dlq-detail": "x", "vner-source-topic": "in",
               "vner-source-partition": "0", "vner-source-offset": "12"}  # fmt: skip
    assert errors("dead_letter.v1", headers) == []
    assert errors("dead_letter.v1", {**headers, "vner-dlq-reason": "bad_mood"})
    assert errors("dead_letter.v1", {**headers, "vner-source-offset": "-1"})


@pytest.mark.integration
@pytest.mark.timeout(180)
def test_records_of_a_real_run_match_the_schemas(topics, worker) -> None:
    t = topics(partitions=2)
    p = Producer(KAFKA)
    docs = [
        {"id": f"m{i}", "text": f"Chị Lan số 09{i:08d} chuyển khoản {i + 100}k đơn SPX{i:09d}VN ngày 15/3"}
        for i in range(40)
    ]
    for i, d in enumerate(docs):
        value = msgpack.packb(d) if i % 2 else json.dumps(d, ensure_ascii=False).encode()
        p.produce(t.input, value, key=d["id"].encode(),
                  headers=[("content-type", (MSGPACK if i % 2 else JSON).encode()), ("traceparent", b"00-ab-cd-01")])  # fmt: skip
    poison = [
        b"\xff\xfe",
        b'{"id": "x", "text": ""}',
        b'{"id": 1e999, "text": "a"}',
        b"[" * 5000,
        b'{"text": 5}',
    ]
    for value in poison:
        p.produce(t.input, value, headers=[("content-type", JSON.encode())])
    assert p.flush(30) == 0
    w = worker(t, max_text_bytes=4000)
    out: list[Record] = wait_for(t.output, len(docs))
    dlq = dead_letters(t.dlq, n=len(poison), timeout_s=30)
    assert w.stop() == 0
    assert len(out) == len(docs) and len(dlq) == len(poison)
    for r in out:
        doc = check_output(r)
        assert doc["entities"], "every message here holds entities"
        assert r.headers["traceparent"] == b"00-ab-cd-01"
    reasons = sorted(check_dead_letter(r)["vner-dlq-reason"] or "" for r in dlq)
    assert reasons == sorted(["invalid_utf8", "empty_text", "not_finite", "too_deep", "wrong_schema"])
