"""Fuzz through the real broker (hypothesis): hostile payloads of both codecs mixed with valid records — huge
numbers in every field, deep nesting, keys of every type, duplicate keys, BOMs, overlong UTF-8, NaN/Infinity,
random bytes, random documents. Record by record (each has a unique key): exactly one of an output record or a
dead letter, valid records always an output; the worker alive at the end and SIGTERM exits 0.

Each example starts its own topics and worker (~10-20 s); ``VNER_FUZZ_EXAMPLES`` (default 3) sets how many.
No shrinking (each run goes through Kafka): a failure prints the payloads it concerns instead.
"""

from __future__ import annotations

import json
import os
import struct
import time
from typing import Any

import msgpack
import pytest
from confluent_kafka import Producer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from vner.streams.admin import consume

from tests.streams.conftest import KAFKA, dead_letters, wait_for
from tests.streams.test_roundtrip import make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

EXAMPLES = int(os.environ.get("VNER_FUZZ_EXAMPLES", "3"))
JSON_CT, MSGPACK_CT = "application/json", "application/msgpack"
FIELDS = ("id", "text", "domain", "lang", "ref_time", "meta", "other")
Payload = tuple[bytes | None, str | None]  # value, content-type header (None: no header)


def _record(field: str, raw: bytes) -> bytes:
    """A JSON record whose ``field`` holds the raw JSON token ``raw`` (the rest valid)."""
    doc: dict[str, bytes] = {"id": b'"x"', "text": b'"g\xe1\xbb\x8di 0912345678 nh\xc3\xa9"'}
    if field == "meta":
        doc["meta"] = b'{"v": ' + raw + b"}"
    else:
        doc[field] = raw
    return b"{" + b", ".join(b'"' + k.encode() + b'": ' + v for k, v in doc.items()) + b"}"


huge_numbers = st.builds(
    lambda field, digits, sign, kind: (
        _record(field, (b"-" if sign else b"") + b"9" * digits + (b".5e3" if kind == "float" else b"")),
        JSON_CT,
    ),
    st.sampled_from(FIELDS),
    st.integers(900, 6000),  # up to 1,000 digits is allowed, more is number_too_large
    st.booleans(),
    st.sampled_from(["int", "float"]),
)
non_finite_json = st.builds(
    lambda field, tok: (_record(field, tok), JSON_CT),
    st.sampled_from(FIELDS),
    st.sampled_from([b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b"1e-99999"]),
)
deep_json = st.builds(
    lambda field, depth, brace: (
        _record(field, (b'{"a":' * depth + b"1" + b"}" * depth) if brace else (b"[" * depth + b"]" * depth)),
        JSON_CT,
    ),
    st.sampled_from(FIELDS),
    st.sampled_from([60, 65, 200, 1000, 5000, 20000]),
    st.booleans(),
)
deep_msgpack = st.builds(
    lambda depth, map_: (
        b"\x83\xa2id\xa1x\xa4text\xa3a b\xa4meta"
        + (b"\x81\xa1a" * depth if map_ else b"\x91" * depth)
        + b"\xc0",
        MSGPACK_CT,
    ),
    st.sampled_from([60, 65, 300, 1000, 3000, 100_000]),
    st.booleans(),
)
odd_key = st.one_of(
    st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=True),
    st.binary(max_size=8),
    st.booleans(),
    st.none(),
    st.tuples(st.integers(0, 9), st.text(max_size=3)),
)
keys_of_every_type = st.builds(
    lambda key, top: (
        msgpack.packb(
            {key: "v", "id": "x", "text": "a b"} if top else {"id": "x", "text": "a b", "meta": {key: 1}}
        ),
        MSGPACK_CT,
    ),
    odd_key,
    st.booleans(),
)


def _dup_msgpack(key: str) -> bytes:
    return b"\x83" + b"".join(msgpack.packb(x) for x in (key, "x", "text", "a b", key, "y"))


duplicate_keys = st.one_of(
    st.sampled_from(
        [
            (b'{"id": "a", "id": "b", "text": "a b"}', JSON_CT),
            (b'{"id": "a", "text": "a b", "text": "c d"}', JSON_CT),
            (b'{"id": "a", "text": "a b", "meta": {"k": 1, "k": 2}}', JSON_CT),
        ]
    ),
    st.builds(lambda k: (_dup_msgpack(k), MSGPACK_CT), st.sampled_from(["id", "meta", "zz"])),
)
_VALID = b'{"id": "b", "text": "g\xe1\xbb\x8di em nh\xc3\xa9"}'
boms = st.sampled_from(
    [
        (b"\xef\xbb\xbf" + _VALID, JSON_CT),
        (b"\xef\xbb\xbf" + _VALID, None),
        (b"\xef\xbb\xbf\xef\xbb\xbf" + _VALID, JSON_CT),
        (b"\xff\xfe" + _VALID.decode().encode("utf-16-le"), None),
        (b"\xfe\xff" + _VALID.decode().encode("utf-16-be"), JSON_CT),
        (b"\xef\xbb\xbf" + msgpack.packb({"id": "b", "text": "a b"}), MSGPACK_CT),
    ]
)
overlong_utf8 = st.builds(
    lambda seq, field: (_record(field, b'"a' + seq + b'b"'), JSON_CT),
    st.sampled_from(
        [
            b"\xc0\xaf",
            b"\xc1\xbf",
            b"\xe0\x80\xaf",
            b"\xf0\x80\x80\xaf",
            b"\xed\xa0\x80",
            b"\xf8\x88\x80\x80\x80",
        ]
    ),
    st.sampled_from(["id", "text", "meta", "domain"]),
)
non_finite_msgpack = st.builds(
    lambda f, field: (
        b"\x83\xa2id\xa1x\xa4text\xa3a b" + msgpack.packb(field) + b"\xcb" + struct.pack(">d", f),
        MSGPACK_CT,
    ),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    st.sampled_from(["meta", "lang", "ref_time"]),
)
random_bytes = st.tuples(
    st.one_of(st.binary(max_size=3000), st.none()), st.sampled_from([JSON_CT, MSGPACK_CT, None, "text/plain"])
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)
random_docs = st.builds(
    lambda doc, as_msgpack: (
        (msgpack.packb(doc), MSGPACK_CT) if as_msgpack else (json.dumps(doc).encode(), JSON_CT)
    ),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
    st.booleans(),
)
too_large = st.builds(
    lambda n: (b'{"id": "big", "text": "' + b"a" * n + b'"}', JSON_CT), st.integers(82_000, 300_000)
)

HOSTILE = st.one_of(
    huge_numbers,
    non_finite_json,
    deep_json,
    deep_msgpack,
    keys_of_every_type,
    duplicate_keys,
    boms,
    overlong_utf8,
    non_finite_msgpack,
    random_bytes,
    random_docs,
    too_large,
)
# None: a valid record taken from make_docs (its index), so about a third of the records are good
ITEMS = st.lists(st.one_of(HOSTILE, st.none(), st.none()), min_size=60, max_size=120)


def _wait_accounted(t: Any, n: int, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = len(consume(KAFKA, t.output, timeout_s=5, idle_s=0.5)) + len(
            consume(KAFKA, t.dlq, timeout_s=5, idle_s=0.5)
        )
        if got >= n:
            return
        time.sleep(0.5)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(items=ITEMS)
def test_fuzz_every_record_is_an_output_or_a_dead_letter(topics, worker, items: list[Payload | None]) -> None:
    t = topics(partitions=2)
    good = iter(make_docs(len(items), salt=t.group))
    sent: dict[bytes, tuple[str, Payload]] = {}
    p = Producer({**KAFKA, "linger.ms": 5})
    for i, item in enumerate(items):
        key = f"{t.group}-{i}".encode()
        if item is None:
            value, ctype, kind = json.dumps(next(good), ensure_ascii=False).encode(), JSON_CT, "good"
        else:
            (value, ctype), kind = item, "hostile"
        headers = [("content-type", ctype.encode())] if ctype is not None else []
        p.produce(t.input, value=value, key=key, headers=headers)
        sent[key] = (kind, (value, ctype))
    assert p.flush(60) == 0
    w = worker(t, batch_max_records=16)
    w.wait_ready()
    _wait_accounted(t, len(sent))
    out = wait_for(t.output, 0, timeout_s=10, idle_s=1.0)  # read_committed, each checked against output.v1
    dlq = dead_letters(t.dlq, timeout_s=10, idle_s=1.0)  # each checked against dead_letter.v1
    seen: dict[bytes, list[str]] = {}
    for where, records in (("out", out), ("dlq", dlq)):
        for r in records:
            assert r.key is not None
            seen.setdefault(r.key, []).append(where)

    def show(key: bytes) -> str:
        value, ctype = sent[key][1]
        return f"{key!r} ({ctype}): {repr(value)[:300]}"

    unknown = set(seen) - set(sent)
    assert not unknown, f"records nobody sent: {sorted(unknown)[:5]}"
    missing = [show(k) for k in sent if k not in seen]
    twice = [f"{show(k)} -> {seen[k]}" for k in sent if len(seen.get(k, [])) > 1]
    lost_good = [show(k) for k, (kind, _) in sent.items() if kind == "good" and seen.get(k) != ["out"]]
    assert not missing, f"{len(missing)} records neither output nor dead letter:\n" + "\n".join(missing[:10])
    assert not twice, f"{len(twice)} records more than once:\n" + "\n".join(twice[:10])
    assert not lost_good, "valid records not in the output:\n" + "\n".join(lost_good[:10])
    assert w.proc.poll() is None, w.logs()[-3000:]
    assert w.stop() == 0, w.logs()[-3000:]
