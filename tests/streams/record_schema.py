"""Check consumed records against the published schemas (streams/data/schemas/*.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import msgpack
from jsonschema import Draft202012Validator, FormatChecker
from vner.streams.admin import Record

SCHEMAS = Path(__file__).resolve().parents[2] / "streams" / "data" / "schemas"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors(name: str, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator(name).iter_errors(instance)
    ]


def check_output(record: Record) -> dict[str, Any]:
    """An output record: strict JSON (or msgpack, when its content-type says so) matching output.v1, its entities
    inside its text, headers as documented."""
    assert record.value is not None
    ctype = record.headers.get("content-type")
    assert ctype in (b"application/json", b"application/msgpack"), ctype
    if ctype == b"application/msgpack":
        doc = msgpack.unpackb(record.value, raw=False)
        json.dumps(doc, allow_nan=False)  # what msgpack carries must be JSON's data model, finite numbers
    else:
        doc = json.loads(record.value, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    problems = errors("output.v1", doc)
    assert not problems, f"output record {record.partition}/{record.offset}: {problems}"
    for ent in doc["entities"]:
        assert doc["text"][ent["start"] : ent["end"]] == ent["text"], ent
    labels = sorted({e["label"] for e in doc["entities"]})
    assert record.headers["vner-labels"] == ",".join(labels).encode()
    assert record.headers["vner-source"].decode().count("/") >= 2
    return doc


def check_dead_letter(record: Record) -> dict[str, str | None]:
    """A dead letter's headers match dead_letter.v1."""
    headers = {k: (v.decode("utf-8") if v is not None else None) for k, v in record.headers.items()}
    problems = errors("dead_letter.v1", headers)
    assert not problems, f"dead letter {record.partition}/{record.offset}: {problems}"
    return headers
