"""vner.streams.codec: JSON and msgpack input, every poison reason, and details that never quote the content."""

from __future__ import annotations

import json
import unicodedata

import msgpack
import pytest
from vner.streams.codec import (
    JSON,
    MSGPACK,
    PoisonReason,
    PoisonRecord,
    content_type_of,
    decode,
    encode,
)
from vner.streams.settings import StreamSettings

DOMAINS = {"customer_service", "medical"}
SECRET = "Nguyễn Văn Bình 0912345678"


def dec(value: bytes | None, content_type: str | None = None, max_text_bytes: int = 1000):
    return decode(
        value,
        content_type=content_type,
        known_domains=DOMAINS,
        default_domain="customer_service",
        max_text_bytes=max_text_bytes,
    )


# --- valid ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ctype", [JSON, None, "application/json; charset=utf-8"])
def test_json_record(ctype: str | None) -> None:
    doc = {"id": "a1", "text": SECRET, "domain": "medical", "lang": "vi", "meta": {"ch": "zalo"}}
    rec = dec(
        json.dumps(doc, ensure_ascii=False).encode(),
        content_type_of([("Content-Type", (ctype or "").encode())]) if ctype else None,
    )
    assert (rec.id, rec.text, rec.domain, rec.lang, rec.meta) == (
        "a1",
        SECRET,
        "medical",
        "vi",
        {"ch": "zalo"},
    )
    assert rec.doc == doc


@pytest.mark.parametrize("ctype", [MSGPACK, "application/x-msgpack", None])
def test_msgpack_record(ctype: str | None) -> None:
    rec = dec(msgpack.packb({"id": 7, "text": SECRET, "ref_time": "2026-03-01T08:00:00+07:00"}), ctype)
    assert rec.id == 7 and rec.text == SECRET and rec.domain == "customer_service"
    assert rec.ref_time is not None and rec.ref_time.utcoffset() is not None and rec.ref_time.hour == 8


def test_nfd_text_is_kept_as_sent() -> None:
    nfd = unicodedata.normalize("NFD", SECRET)
    assert dec(encode({"id": 1, "text": nfd})).text == nfd


def test_encode_roundtrip_both_codecs() -> None:
    doc = {"id": "x", "text": SECRET, "entities": [{"start": 0, "end": 3}]}
    assert json.loads(encode(doc)) == doc
    assert msgpack.unpackb(encode(doc, MSGPACK)) == doc
    with pytest.raises(ValueError, match="cannot encode"):
        encode(doc, "text/csv")


def test_content_type_of_variants() -> None:
    assert content_type_of(None) is None
    assert content_type_of([("x", b"1")]) is None
    assert content_type_of([("CONTENT-TYPE", b"Application/MsgPack")]) == "application/msgpack"
    assert content_type_of({"content-type": "application/json"}) == JSON


# --- poison -----------------------------------------------------------------------------------------------------
POISON = [
    (b"\xff\xfe" + SECRET.encode(), None, PoisonReason.INVALID_UTF8),
    (b'{"id": 1, "text": "' + SECRET.encode() + b'\xc3\x28"}', JSON, PoisonReason.INVALID_UTF8),
    (
        msgpack.packb({"id": 1, "text": b"\xff" + SECRET.encode()}, use_bin_type=False),
        MSGPACK,
        PoisonReason.INVALID_UTF8,
    ),
    (json.dumps({"id": 1, "text": "ab\ud800"}).encode(), JSON, PoisonReason.INVALID_UTF8),
    (SECRET.encode(), JSON, PoisonReason.NOT_JSON_OR_MSGPACK),
    (b"\xc1\xc1\xc1", MSGPACK, PoisonReason.NOT_JSON_OR_MSGPACK),
    (None, None, PoisonReason.NOT_JSON_OR_MSGPACK),
    (json.dumps({"id": 1, "text": SECRET}).encode(), "text/csv", PoisonReason.NOT_JSON_OR_MSGPACK),
    (json.dumps([SECRET]).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"text": SECRET}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": True, "text": SECRET}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": 1, "text": 42}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": 1, "text": SECRET, "extra": SECRET}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": 1, "text": SECRET, "ref_time": "hôm qua"}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": 1, "text": SECRET, "meta": [SECRET]}).encode(), JSON, PoisonReason.WRONG_SCHEMA),
    (json.dumps({"id": 1, "text": SECRET, "domain": "weather"}).encode(), JSON, PoisonReason.UNKNOWN_DOMAIN),
    (json.dumps({"id": 1, "text": SECRET * 100}).encode(), JSON, PoisonReason.TOO_LARGE),
    (b"x" * 200_000, JSON, PoisonReason.TOO_LARGE),
    (json.dumps({"id": 1, "text": "  \n\t "}).encode(), JSON, PoisonReason.EMPTY_TEXT),
    (json.dumps({"id": 1, "text": ""}).encode(), JSON, PoisonReason.EMPTY_TEXT),
]


@pytest.mark.parametrize(("value", "ctype", "reason"), POISON)
def test_poison_reason_and_detail_without_content(
    value: bytes | None, ctype: str | None, reason: PoisonReason
) -> None:
    with pytest.raises(PoisonRecord) as exc:
        dec(value, ctype)
    assert exc.value.reason is reason
    for fragment in ("Nguyễn", "Bình", "0912345678", "hôm qua", "weather"):
        assert fragment not in exc.value.detail
        assert fragment not in str(exc.value)


def test_size_limit_counts_utf8_bytes() -> None:
    text = "ễ" * 10  # 30 UTF-8 bytes, 10 characters
    assert dec(encode({"id": 1, "text": text}), max_text_bytes=30).text == text
    with pytest.raises(PoisonRecord) as exc:
        dec(encode({"id": 1, "text": text}), max_text_bytes=29)
    assert exc.value.reason is PoisonReason.TOO_LARGE


# --- hostile records (issue 23): every one is a PoisonRecord with an exact reason, never another exception ------
BIG = "9" * 5000  # past Python's 4,300-digit int/str conversion limit


def deep_json(levels: int) -> bytes:
    return b'{"id": 1, "text": "a b", "meta": {"x": ' + b"[" * levels + b"]" * levels + b"}}"


def deep_msgpack(levels: int) -> bytes:
    inner: object = []
    for _ in range(levels):
        inner = [inner]
    return msgpack.packb({"id": 1, "text": "a b", "meta": {"x": inner}})


HOSTILE = [
    ("deep json 30k", deep_json(30_000), JSON, PoisonReason.TOO_DEEP),
    ("deep json 1000", deep_json(1000), JSON, PoisonReason.TOO_DEEP),
    ("deep json 65", deep_json(63), JSON, PoisonReason.TOO_DEEP),  # 2 (doc, meta) + 63 lists = 65 > 64
    ("deep msgpack 1000", deep_msgpack(1000), MSGPACK, PoisonReason.TOO_DEEP),
    ("deep msgpack 100", deep_msgpack(100), MSGPACK, PoisonReason.TOO_DEEP),
    ("deep msgpack 5000", b"\x91" * 5000 + b"\xc0", MSGPACK, PoisonReason.TOO_DEEP),
    ("big int id", b'{"id": ' + BIG.encode() + b', "text": "a b"}', JSON, PoisonReason.NUMBER_TOO_LARGE),
    ("big int text", b'{"id": 1, "text": ' + BIG.encode() + b"}", JSON, PoisonReason.NUMBER_TOO_LARGE),
    (
        "big int meta",
        b'{"id": 1, "text": "a b", "meta": {"n": -' + BIG.encode() + b"}}",
        JSON,
        PoisonReason.NUMBER_TOO_LARGE,
    ),
    ("1e999", b'{"id": 1, "text": "a b", "meta": {"f": 1e999}}', JSON, PoisonReason.NOT_FINITE),
    ("-1e999", b'{"id": 1, "text": "a b", "meta": {"f": -1e999}}', JSON, PoisonReason.NOT_FINITE),
    ("NaN", b'{"id": 1, "text": "a b", "meta": {"f": NaN}}', JSON, PoisonReason.NOT_FINITE),
    ("Infinity", b'{"id": 1, "text": "a b", "meta": {"f": Infinity}}', JSON, PoisonReason.NOT_FINITE),
    (
        "msgpack nan",
        msgpack.packb({"id": 1, "text": "a b", "meta": {"f": float("nan")}}),
        MSGPACK,
        PoisonReason.NOT_FINITE,
    ),
    (
        "msgpack inf",
        msgpack.packb({"id": 1, "text": "a b", "meta": {"f": float("inf")}}),
        MSGPACK,
        PoisonReason.NOT_FINITE,
    ),
    ("dup id", b'{"id": 1, "id": 2, "text": "a b"}', JSON, PoisonReason.DUPLICATE_KEY),
    ("dup meta", b'{"id": 1, "text": "a b", "meta": {"k": 1, "k": 1}}', JSON, PoisonReason.DUPLICATE_KEY),
    (
        "msgpack dup",
        b"\x83\xa2id\x01\xa2id\x02\xa4text\xa3a b",
        MSGPACK,
        PoisonReason.DUPLICATE_KEY,
    ),
    (
        "msgpack int key",
        msgpack.packb({"id": 1, "text": "a b", "meta": {1: "x"}}, strict_types=False),
        MSGPACK,
        PoisonReason.WRONG_SCHEMA,
    ),
    (
        "msgpack bytes key",
        msgpack.packb({"id": 1, "text": "a b", "meta": {b"k": "x"}}, use_bin_type=True),
        MSGPACK,
        PoisonReason.WRONG_SCHEMA,
    ),
    ("msgpack list key", b"\x82\xa2id\x01\x91\x01\xa1x", MSGPACK, PoisonReason.WRONG_SCHEMA),
    (
        "surrogate in meta",
        b'{"id": 1, "text": "a b", "meta": {"k": "\\ud800"}}',
        JSON,
        PoisonReason.INVALID_UTF8,
    ),
    ("surrogate key", b'{"id": 1, "text": "a b", "meta": {"\\udfff": 1}}', JSON, PoisonReason.INVALID_UTF8),
    ("bom then garbage", b"\xef\xbb\xbf\xef\xbb\xbf{}", JSON, PoisonReason.NOT_JSON_OR_MSGPACK),
]


@pytest.mark.parametrize(("value", "ctype", "reason"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_record_has_exact_reason(value: bytes, ctype: str, reason: PoisonReason) -> None:
    with pytest.raises(PoisonRecord) as exc:
        dec(value, ctype)
    assert exc.value.reason is reason
    assert BIG[:50] not in exc.value.detail


def test_depth_limit_is_a_setting() -> None:
    assert StreamSettings().max_depth == 64
    ok = deep_json(62)  # 64 levels in all: allowed by default
    assert dec(ok).meta is not None
    with pytest.raises(PoisonRecord) as exc:
        decode(
            ok,
            content_type=JSON,
            known_domains=DOMAINS,
            default_domain="customer_service",
            max_text_bytes=1000,
            max_depth=10,
        )
    assert exc.value.reason is PoisonReason.TOO_DEEP


def test_bom_is_ignored_and_long_int_below_limit_kept() -> None:
    rec = dec(b'\xef\xbb\xbf{"id": 1, "text": "a b"}')
    assert (rec.id, rec.text) == (1, "a b")
    n = int("7" * 1000)
    assert dec(b'{"id": ' + b"7" * 1000 + b', "text": "a b"}').id == n
    assert dec(b'{"id": 1, "text": "a b", "meta": {"f": 1e308}}').meta == {"f": 1e308}


def test_unexpected_error_becomes_undecodable(monkeypatch: pytest.MonkeyPatch) -> None:
    import vner.streams.codec as codec

    def boom(_doc: object, _depth: int) -> None:
        raise MemoryError("x")

    monkeypatch.setattr(codec, "_check_tree", boom)
    with pytest.raises(PoisonRecord) as exc:
        dec(b'{"id": 1, "text": "a b"}')
    assert exc.value.reason is PoisonReason.UNDECODABLE


def test_output_is_strict_json() -> None:
    with pytest.raises(ValueError):
        encode({"id": 1, "meta": {"f": float("inf")}})
    with pytest.raises(ValueError):
        encode({"id": 1, "meta": {"f": float("nan")}})
