"""``vner services`` (start/stop/status the local Kafka and Redis) and the demo helpers ``vner topics create``,
``vner produce FILE`` and ``vner consume``.

The services are the project's own scripts, ``deploy/local/kafka.sh`` and ``deploy/local/redis.sh``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

SCRIPTS = Path(__file__).resolve().parents[2] / "deploy" / "local"
SERVICES = {"kafka": "kafka.sh", "redis": "redis.sh"}

services_app = typer.Typer(
    help="Start, stop or check the local Kafka broker and Redis server.", no_args_is_help=True
)
topics_app = typer.Typer(help="Kafka topics for vner.", no_args_is_help=True)


def _script(name: str, action: str) -> int:
    path = SCRIPTS / SERVICES[name]
    if not path.is_file():
        typer.echo(f"{path} not found: `vner services` runs from a source checkout", err=True)
        return 2
    return subprocess.run(["bash", str(path), action], check=False).returncode


def _which(which: str) -> list[str]:
    if which == "all":
        return list(SERVICES)
    if which not in SERVICES:
        raise typer.BadParameter(f"service must be one of: all, {', '.join(SERVICES)}")
    return [which]


@services_app.command("start")
def start(which: str = typer.Argument("all", help="all, kafka or redis")) -> None:
    """Install (first time) and start the services, waiting until they answer."""
    rc = max(_script(n, "start") for n in _which(which))
    raise typer.Exit(rc)


@services_app.command("stop")
def stop(which: str = typer.Argument("all", help="all, kafka or redis")) -> None:
    """Stop the services (Kafka's data stay on disk)."""
    raise typer.Exit(max(_script(n, "stop") for n in _which(which)))


@services_app.command("status")
def status(which: str = typer.Argument("all", help="all, kafka or redis")) -> None:
    """Exit 0 when every named service is up."""
    raise typer.Exit(1 if any(_script(n, "status") != 0 for n in _which(which)) else 0)


def _settings(config: Optional[Path]):  # type: ignore[no-untyped-def]
    from vner.streams.settings import load_settings

    return load_settings(config)


@topics_app.command("create")
def topics_create(
    names: Optional[list[str]] = typer.Argument(None, help="topics (default: input, output and DLQ topics)"),
    partitions: int = typer.Option(3, min=1),
    config: Optional[Path] = typer.Option(None, "--config", "-c", exists=True, dir_okay=False),
) -> None:
    """Create topics that do not exist yet."""
    from vner.streams.admin import ensure_topics

    s = _settings(config)
    created = ensure_topics(
        s.kafka_common(), names or [s.input_topic, s.output_topic, s.dlq_topic], partitions=partitions
    )
    typer.echo(f"created: {', '.join(created) or 'nothing (all exist)'}")


def produce(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSON lines: {id, text, ...} per line"
    ),
    topic: Optional[str] = typer.Option(None, help="default: the input topic"),
    msgpack: bool = typer.Option(False, "--msgpack", help="encode as msgpack instead of JSON"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", exists=True, dir_okay=False),
) -> None:
    """Publish a JSON-lines file to the input topic, keyed by each record's id."""
    from vner.streams.admin import produce_docs
    from vner.streams.codec import JSON, MSGPACK

    s = _settings(config)
    docs = []
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            docs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            typer.echo(f"{file}:{n}: not JSON ({exc.msg})", err=True)
            raise typer.Exit(2) from exc
    count = produce_docs(
        s.kafka_common(), topic or s.input_topic, docs, content_type=MSGPACK if msgpack else JSON
    )
    typer.echo(f"published {count} records to {topic or s.input_topic}", err=True)


def consume(
    n: int = typer.Option(10, "--n", min=1, help="stop after N records"),
    topic: Optional[str] = typer.Option(None, help="default: the output topic"),
    timeout: float = typer.Option(30.0, help="seconds to wait in all"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", exists=True, dir_okay=False),
) -> None:
    """Print records of a topic (read_committed, from the beginning) as JSON lines."""
    from vner.streams.admin import consume as read

    s = _settings(config)
    records = read(s.kafka_common(), topic or s.output_topic, n=n, timeout_s=timeout)
    for r in records:
        try:
            value = json.loads(r.value or b"null")
        except ValueError:
            value = {"undecodable_bytes": len(r.value or b"")}
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    if len(records) < n:
        typer.echo(f"only {len(records)} of {n} records within {timeout:g}s", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``vner services``, ``vner topics``, ``vner produce`` and ``vner consume``."""
    app.add_typer(services_app, name="services")
    app.add_typer(topics_app, name="topics")
    app.command("produce")(produce)
    app.command("consume")(consume)
