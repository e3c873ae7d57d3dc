"""``vner run``: the Kafka stream processor (confluent-kafka runner, or the faust agent with ``--engine faust``).

Settings come from ``--config`` YAML, ``VNER_*`` environment variables and these flags (flags win); see
``streams/settings.py`` for every setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from vner.commands.choices import Delivery, LogLevel, StreamEngine, value_of


def run(
    config: Optional[Path] = typer.Option(
        None, "--config", "-c", help="YAML settings file", exists=True, dir_okay=False
    ),
    engine: StreamEngine = typer.Option(
        StreamEngine.confluent, help="confluent (exactly-once capable) or faust (at-least-once)"
    ),
    model: Optional[Path] = typer.Option(None, "--model", help="model directory (default: rules only)"),
    delivery: Optional[Delivery] = typer.Option(None, help="default: exactly_once"),
    brokers: Optional[str] = typer.Option(None, help="bootstrap servers, e.g. 127.0.0.1:9092"),
    input_topic: Optional[str] = typer.Option(None, "--input-topic"),
    output_topic: Optional[str] = typer.Option(None, "--output-topic"),
    dlq_topic: Optional[str] = typer.Option(None, "--dlq-topic"),
    group_id: Optional[str] = typer.Option(None, "--group-id"),
    domain: Optional[str] = typer.Option(None, "--domain", help="default domain of records without one"),
    redis_url: Optional[str] = typer.Option(None, "--redis-url"),
    metrics_port: Optional[int] = typer.Option(None, "--metrics-port", help="0 disables the HTTP endpoints"),
    log_level: Optional[LogLevel] = typer.Option(None, "--log-level"),
) -> None:
    """Consume the input topic, tag every record, publish enriched records (and poison to the DLQ)."""
    try:
        from pydantic import ValidationError

        from vner.streams.logs import configure_logging
        from vner.streams.settings import load_settings
    except ImportError as exc:
        raise typer.Exit(_missing(exc)) from exc
    try:
        settings = load_settings(
            config,
            model_dir=model,
            delivery=value_of(delivery),
            brokers=brokers,
            input_topic=input_topic,
            output_topic=output_topic,
            dlq_topic=dlq_topic,
            group_id=group_id,
            default_domain=domain,
            redis_url=redis_url,
            metrics_port=metrics_port,
            log_level=value_of(log_level),
        )
    except (ValidationError, ValueError) as exc:
        typer.echo(f"invalid settings: {exc}", err=True)
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level)
    if engine is StreamEngine.faust:
        if settings.delivery == "exactly_once" and delivery is not None:
            typer.echo(
                "--engine faust runs at-least-once; use the confluent engine for exactly-once", err=True
            )
            raise typer.Exit(2)
        from vner.streams.faust_app import run as faust_run

        raise typer.Exit(faust_run(settings) or 0)
    from vner.streams.runner import run as confluent_run

    raise typer.Exit(confluent_run(settings))


def _missing(exc: ImportError) -> int:
    typer.echo(f"`vner run` needs the [stream] extra (pip install 'vner[stream]'): {exc}", err=True)
    return 2


def register(app: typer.Typer) -> None:
    """Add ``vner run`` to the application."""
    app.command("run")(run)
