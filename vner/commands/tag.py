"""``vner tag``: tag one text, or stream JSON lines from stdin to stdout.

With TEXT it prints ``{"text": ..., "entities": [...]}``. Without TEXT it reads ``{"id": ..., "text": ...}``
lines (optionally ``"ref_time"`` and ``"lang"`` per record) and writes ``{"id": ..., "entities": [...]}`` per
record, flushing each line. A bad line is reported on stderr by line number and reason (never its text) and
the stream goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import IO, Any, Optional

import typer

from vner.commands.choices import Decoding, value_of

TagFn = Callable[[Sequence[str], datetime, str], list[list[Any]]]
LANGS = ("vi", "en")


@dataclass(frozen=True)
class Tagger:
    """What ``vner tag`` runs: a batch function and the version string that identifies its output."""

    tag: TagFn
    version: str
    kind: str


def _build_tagger(
    domain: str, model_dir: str | None, rules_only: bool, decoding: str | None = None
) -> Tagger:
    """The hybrid pipeline of ``domain``: the rule stage, the model when ``model_dir`` is given and
    ``rules_only`` is not, then post-processing. Without a model the pipeline is rules-only, as
    ``vner.engine.pipeline.hybrid`` defines it: the rule stage and the rule-based post-processing (address
    fragments rebuilt into one address, label groups restored to fine labels by cue words), no model.
    ``decoding`` overrides the model's tag decoding (``argmax`` | ``viterbi``)."""
    try:
        from vner.engine.pipeline.hybrid import build_pipeline
    except ImportError as exc:
        raise RuntimeError(
            f"the hybrid pipeline could not be imported (vner.engine.pipeline.hybrid): {exc}"
        ) from exc
    model = None if rules_only else model_dir
    pipe = build_pipeline(domain=domain, model_dir=model, decoding=decoding if model else None)

    def run_pipeline(texts: Sequence[str], ref: datetime, lang: str) -> list[list[Any]]:
        return pipe.process(list(texts), domain=domain, ref_time=ref, lang=lang)

    return Tagger(run_pipeline, str(pipe.versions), "hybrid" if model else "rules")


def _parse_time(value: str, what: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{what} must be ISO 8601 (e.g. 2026-11-25T09:30:00+07:00), got an invalid value"
        ) from None


def _json_default(obj: Any) -> Any:
    """Values recognizers may use that JSON lacks: dates, decimals, sets, tuples of them."""
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=str)
    raise TypeError(f"value of type {type(obj).__name__} is not JSON serialisable")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _record(raw: bytes) -> tuple[Any, str, datetime | None, str | None]:
    """Decode one stdin line into (id, text, ref_time, lang); ``ValueError`` says why it is bad (never the text)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not valid UTF-8") from None
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(rec, dict):
        raise ValueError(f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        raise ValueError("field 'text' is missing or not a string")
    ref = _parse_time(rec["ref_time"], "field 'ref_time'") if isinstance(rec.get("ref_time"), str) else None
    lang = rec.get("lang")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"field 'lang' must be one of {', '.join(LANGS)}")
    return rec.get("id"), text, ref, lang


def stream(
    tagger: Tagger, src: IO[bytes], out: IO[str], err: IO[str], *, ref_time: datetime, lang: str
) -> tuple[int, int]:
    """Tag every JSON line of ``src``; returns (records written, bad lines)."""
    done = bad = 0
    seen_errors: set[str] = set()
    for line_no, raw in enumerate(src, start=1):
        if not raw.strip():
            continue
        try:
            rid, text, ref, rec_lang = _record(raw.rstrip(b"\r\n"))
            ents = tagger.tag([text], ref or ref_time, rec_lang or lang)[0]
            line = _dumps({"id": rid, "entities": [e.to_dict() for e in ents]})
        except ValueError as exc:
            bad += 1
            err.write(f"line {line_no}: skipped: {exc}\n")
            err.flush()
            continue
        except Exception as exc:  # a failing recognizer must not stop the stream
            bad += 1
            kind = type(exc).__name__
            err.write(f"line {line_no}: skipped: tagging failed ({kind})\n")
            if kind not in seen_errors:  # our exceptions never carry message text; say why once per kind
                seen_errors.add(kind)
                err.write(f"  first {kind}: {exc}\n")
            err.flush()
            continue
        out.write(line + "\n")
        out.flush()
        done += 1
    return done, bad


def tag(
    text: Optional[str] = typer.Argument(None, help="Text to tag; omit to read JSON lines from stdin."),
    domain: str = typer.Option(
        "general", "--domain", "-d", help="Domain schema (see `vner rules list`); general = canonical labels."
    ),
    rules_only: bool = typer.Option(
        False,
        "--rules-only",
        help="No model, even with --model: the rule stage and the rule-based post-processing (address "
        "fragments rebuilt into one address, label groups restored to fine labels by cue words).",
    ),
    model: Optional[str] = typer.Option(None, "--model", help="Model directory for the hybrid pipeline."),
    ref_time: Optional[str] = typer.Option(
        None, "--ref-time", help="Reference time (ISO 8601); default now."
    ),
    lang: str = typer.Option("vi", "--lang", help="Language of the text: vi or en."),
    decode: Optional[Decoding] = typer.Option(
        None,
        "--decode",
        help="Model tags from word probabilities: argmax, or viterbi (best valid BIO path); "
        "default: the model's vner_meta.json, else viterbi.",
    ),
) -> None:
    """Tag entities in TEXT, or in JSON lines {"id","text"} read from stdin (one output line per record)."""
    if lang not in LANGS:
        raise typer.BadParameter(f"must be one of {', '.join(LANGS)}", param_hint="--lang")
    if decode is not None and (model is None or rules_only):
        raise typer.BadParameter(
            "decodes the model's tags: give --model (without --rules-only)", param_hint="--decode"
        )
    try:
        ref = _parse_time(ref_time, "--ref-time") if ref_time else datetime.now(timezone.utc)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--ref-time") from None
    from vner.rules.schema import SchemaError

    try:
        tagger = _build_tagger(domain, model, rules_only, value_of(decode))
    except (SchemaError, RuntimeError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if text is not None:
        try:
            ents = tagger.tag([text], ref, lang)[0]
        except Exception as exc:
            typer.echo(f"error: tagging failed ({type(exc).__name__}: {exc})", err=True)
            raise typer.Exit(1) from None
        typer.echo(_dumps({"text": text, "entities": [e.to_dict() for e in ents]}))
        return
    done, bad = stream(tagger, sys.stdin.buffer, sys.stdout, sys.stderr, ref_time=ref, lang=lang)
    sys.stderr.write(f"tagged {done} records, skipped {bad} bad lines ({tagger.kind}, {tagger.version})\n")


def register(app: typer.Typer) -> None:
    """Add ``vner tag`` to the application."""
    app.command("tag")(tag)
