"""Wire format of vner's topics: decode input records (JSON or msgpack) and encode output records.

Input schema ``{"id", "text", "domain"?, "lang"?, "ref_time"?, "meta"?}``; the ``content-type`` header picks the
codec (``application/json`` — the default — or ``application/msgpack``). A record that cannot be used raises
:class:`PoisonRecord` with a typed :class:`PoisonReason`; its ``detail`` never quotes the record's content.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

import msgpack

JSON = "application/json"
MSGPACK = "application/msgpack"
MSGPACK_ALIASES = {MSGPACK, "application/x-msgpack", "application/vnd.msgpack"}
_KEYS = {"id", "text", "domain", "lang", "ref_time", "meta"}
_RAW_OVERHEAD = 64 * 1024  # bytes a record may carry besides its text (id, meta, JSON syntax)
DEFAULT_MAX_DEPTH = 64  # nesting of objects/arrays a record may have (the top-level object is depth 1)
MAX_INT_DIGITS = 1000  # a JSON integer longer than this is refused (Python's int/str limit is 4,300 digits)


class PoisonReason(str, Enum):
    """Why a record went to the dead-letter topic (the ``vner-dlq-reason`` header)."""

    INVALID_UTF8 = "invalid_utf8"
    NOT_JSON_OR_MSGPACK = "not_json_or_msgpack"
    WRONG_SCHEMA = "wrong_schema"
    UNKNOWN_DOMAIN = "unknown_domain"
    TOO_LARGE = "too_large"
    EMPTY_TEXT = "empty_text"
    TOO_DEEP = "too_deep"  # objects/arrays nested deeper than ``max_depth``
    NUMBER_TOO_LARGE = "number_too_large"  # an integer of more than MAX_INT_DIGITS digits
    NOT_FINITE = "not_finite"  # NaN, Infinity, or a float that overflows (1e999): not strict JSON
    DUPLICATE_KEY = "duplicate_key"  # an object names a key twice (parsers disagree on which wins)
    UNDECODABLE = "undecodable"  # any other error raised while decoding or validating the record
    PIPELINE_ERROR = "pipeline_error"  # the record made Pipeline.process raise, alone, twice
    UNENCODABLE = "unencodable"  # the enriched record could not be encoded as strict JSON
    CRASH_LOOP = "crash_loop"  # the process died crash_loop_attempts times while this record was in flight


class PoisonRecord(ValueError):
    """A record the stream cannot process; ``detail`` describes the problem without quoting content."""

    def __init__(self, reason: PoisonReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class InputRecord:
    """A decoded, validated input record; ``doc`` is the decoded mapping, passed through to the output."""

    id: str | int
    text: str
    domain: str
    lang: str
    ref_time: datetime | None
    meta: Mapping[str, Any] | None
    doc: Mapping[str, Any] = field(repr=False)


def content_type_of(headers: Any) -> str | None:
    """The ``content-type`` header value (case-insensitive name) of a record's headers, or ``None``."""
    items = headers.items() if isinstance(headers, Mapping) else (headers or ())
    for name, val in items:
        if str(name).lower() == "content-type" and val is not None:
            raw = val.decode("ascii", "replace") if isinstance(val, bytes) else str(val)
            return raw.split(";")[0].strip().lower()
    return None


def _pairs(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    """object_pairs_hook of both codecs: string keys only, each once."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if not isinstance(k, str):
            raise PoisonRecord(PoisonReason.WRONG_SCHEMA, f"object key of type {type(k).__name__}")
        if k in out:
            raise PoisonRecord(PoisonReason.DUPLICATE_KEY, "an object names a key twice")
        out[k] = v
    return out


def _int(s: str) -> int:
    if len(s) > MAX_INT_DIGITS + 1:  # +1: the sign
        raise PoisonRecord(PoisonReason.NUMBER_TOO_LARGE, f"integer of {len(s)} characters")
    return int(s)


def _float(s: str) -> float:
    f = float(s)
    if not math.isfinite(f):
        raise PoisonRecord(PoisonReason.NOT_FINITE, "a number overflows to infinity")
    return f


def _constant(name: str) -> Any:
    raise PoisonRecord(PoisonReason.NOT_FINITE, f"{name} is not strict JSON")


def _parse(value: bytes, content_type: str | None) -> Any:
    if content_type in MSGPACK_ALIASES:
        return _parse_msgpack(value)
    if content_type not in (None, JSON, "text/json"):
        raise PoisonRecord(PoisonReason.NOT_JSON_OR_MSGPACK, f"unsupported content-type {content_type!r}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as e:
        if content_type is None and value[:1] and (0x80 <= value[0] <= 0x8F or value[0] in (0xDE, 0xDF)):
            return _parse_msgpack(value)
        raise PoisonRecord(PoisonReason.INVALID_UTF8, f"invalid UTF-8 at byte {e.start}") from None
    if text.startswith("\ufeff"):  # a UTF-8 byte order mark: allowed by RFC 8259 parsers, ignored
        text = text[1:]
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant
        )
    except json.JSONDecodeError as e:
        raise PoisonRecord(PoisonReason.NOT_JSON_OR_MSGPACK, f"not JSON ({e.msg} at char {e.pos})") from None
    except RecursionError:
        raise PoisonRecord(PoisonReason.TOO_DEEP, "JSON nested past the parser's recursion limit") from None


def _parse_msgpack(value: bytes) -> Any:
    try:
        return msgpack.unpackb(value, raw=False, strict_map_key=False, object_pairs_hook=_pairs)
    except PoisonRecord:
        raise
    except UnicodeDecodeError as e:
        raise PoisonRecord(
            PoisonReason.INVALID_UTF8, f"invalid UTF-8 in a msgpack string at byte {e.start}"
        ) from None
    except msgpack.StackError:
        raise PoisonRecord(PoisonReason.TOO_DEEP, "msgpack nested past the unpacker's stack") from None
    except RecursionError:
        raise PoisonRecord(PoisonReason.TOO_DEEP, "msgpack nested past the recursion limit") from None
    except (msgpack.ExtraData, msgpack.FormatError, ValueError, TypeError) as e:
        raise PoisonRecord(PoisonReason.NOT_JSON_OR_MSGPACK, f"not msgpack ({type(e).__name__})") from None


def _check_tree(doc: Any, max_depth: int) -> None:
    """Iteratively (no recursion): nesting at most ``max_depth``; floats finite; integers short enough;
    strings (keys too) encodable as UTF-8. msgpack skips the JSON hooks, so both codecs are checked here."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list, tuple)):
            if depth > max_depth:
                raise PoisonRecord(PoisonReason.TOO_DEEP, f"nested deeper than {max_depth} levels")
            if isinstance(node, dict):
                stack.extend((k, depth) for k in node)
                stack.extend((child, depth + 1) for child in node.values())
            else:
                stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                raise PoisonRecord(PoisonReason.INVALID_UTF8, "a string holds lone surrogates") from None
        elif isinstance(node, float) and not math.isfinite(node):
            raise PoisonRecord(PoisonReason.NOT_FINITE, "NaN or infinity is not strict JSON")
        elif isinstance(node, int) and node.bit_length() > 4 * MAX_INT_DIGITS:  # 4 bits > log2(10)
            raise PoisonRecord(PoisonReason.NUMBER_TOO_LARGE, "integer too large")


def _parse_time(v: Any) -> datetime:
    if not isinstance(v, str):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'ref_time' must be an ISO 8601 string")
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'ref_time' is not ISO 8601") from None


def decode(
    value: bytes | None,
    *,
    content_type: str | None,
    known_domains: Collection[str],
    default_domain: str,
    max_text_bytes: int,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> InputRecord:
    """Decode and validate one record value; raises :class:`PoisonRecord` for anything unusable.

    Whatever the bytes are, nothing but :class:`PoisonRecord` leaves this function: an unexpected error is
    reported as ``undecodable`` (its type name only), so no record can stop the stream.
    """
    try:
        return _decode(value, content_type, known_domains, default_domain, max_text_bytes, max_depth)
    except PoisonRecord:
        raise
    except RecursionError:
        raise PoisonRecord(PoisonReason.TOO_DEEP, "nested past the recursion limit") from None
    except Exception as e:  # noqa: BLE001 - any record-borne failure becomes a dead letter
        raise PoisonRecord(PoisonReason.UNDECODABLE, f"{type(e).__name__} while decoding") from None


def _decode(
    value: bytes | None,
    content_type: str | None,
    known_domains: Collection[str],
    default_domain: str,
    max_text_bytes: int,
    max_depth: int,
) -> InputRecord:
    if value is None:
        raise PoisonRecord(PoisonReason.NOT_JSON_OR_MSGPACK, "record has no value (tombstone)")
    if len(value) > max_text_bytes + _RAW_OVERHEAD:
        raise PoisonRecord(PoisonReason.TOO_LARGE, f"record of {len(value)} bytes")
    doc = _parse(value, content_type)
    _check_tree(doc, max_depth)
    if not isinstance(doc, dict):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, f"top level is {type(doc).__name__}, not an object")
    unknown = sorted(str(k) for k in doc if k not in _KEYS)
    if unknown:
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, f"unknown keys {unknown}")
    rid = doc.get("id")
    if isinstance(rid, bool) or not isinstance(rid, (str, int)) or rid == "":
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'id' must be a non-empty string or an integer")
    text = doc.get("text")
    if not isinstance(text, str):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'text' must be a string")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_text_bytes:
        raise PoisonRecord(PoisonReason.TOO_LARGE, f"text of {size} bytes > limit {max_text_bytes}")
    if not text.strip():
        raise PoisonRecord(PoisonReason.EMPTY_TEXT, "text is empty or whitespace")
    if size != len(text.encode("utf-8", "replace")):  # a lone surrogate encodes to 3 bytes, '?' to 1
        raise PoisonRecord(PoisonReason.INVALID_UTF8, "text holds lone surrogates")
    domain = doc.get("domain", default_domain)
    if not isinstance(domain, str):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'domain' must be a string")
    if domain not in known_domains:
        raise PoisonRecord(PoisonReason.UNKNOWN_DOMAIN, f"domain not one of {sorted(known_domains)}")
    lang = doc.get("lang", "vi")
    if not isinstance(lang, str):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'lang' must be a string")
    ref_time = _parse_time(doc["ref_time"]) if doc.get("ref_time") is not None else None
    meta = doc.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise PoisonRecord(PoisonReason.WRONG_SCHEMA, "'meta' must be an object")
    return InputRecord(id=rid, text=text, domain=domain, lang=lang, ref_time=ref_time, meta=meta, doc=doc)


def encode(doc: Mapping[str, Any], content_type: str = JSON) -> bytes:
    """Serialise a record (input or output) as JSON (UTF-8, compact) or msgpack."""
    if content_type in MSGPACK_ALIASES:
        return bytes(msgpack.packb(doc, use_bin_type=True, default=str))
    if content_type != JSON:
        raise ValueError(f"cannot encode as {content_type!r}; use {JSON} or {MSGPACK}")
    # allow_nan=False: strict JSON only (a NaN or infinity raises ValueError instead of writing `Infinity`)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str, allow_nan=False).encode(
        "utf-8"
    )
