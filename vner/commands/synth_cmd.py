"""``vner data synth``: seeded synthetic customer-service chat messages with gold spans (JSONL).

For demos, tests and benchmarks: scores measured on these messages are not accuracy claims.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _data_group(app: typer.Typer) -> typer.Typer:
    """The ``data`` command group (another module may have created it already)."""
    for info in app.registered_groups:
        if info.name == "data" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(
        help="Corpus utilities: convert formats, generate synthetic messages.", no_args_is_help=True
    )
    app.add_typer(group, name="data")
    return group


def register(app: typer.Typer) -> None:
    """Add ``data synth`` to the CLI."""
    group = _data_group(app)

    @group.command("synth")
    def synth(
        n: int = typer.Option(200, "--n", "-n", min=0, help="number of messages"),
        seed: int = typer.Option(7, "--seed", help="random seed (same seed, same messages)"),
        out: Path | None = typer.Option(None, "--out", "-o", help="output JSONL file (default: stdout)"),
        informal_rate: float = typer.Option(
            0.3, "--informal-rate", min=0.0, max=1.0, help="share of chat spellings"
        ),
        no_diacritics_rate: float = typer.Option(
            0.2, "--no-diacritics-rate", min=0.0, max=1.0, help="share of messages typed without diacritics"
        ),
        typo_rate: float = typer.Option(0.02, "--typo-rate", min=0.0, max=1.0, help="typo chance per word"),
    ) -> None:
        """Write synthetic customer-service messages as JSONL {"id","text","entities":[{start,end,label}]}."""
        from vner.engine.synth.generator import SynthConfig, generate

        cfg = SynthConfig(
            n=n,
            seed=seed,
            informal_rate=informal_rate,
            no_diacritics_rate=no_diacritics_rate,
            typo_rate=typo_rate,
        )
        lines = (json.dumps(rec, ensure_ascii=False) + "\n" for rec in generate(cfg))
        if out is None:
            sys.stdout.writelines(lines)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            fh.writelines(lines)
        typer.echo(
            f"wrote {n} messages to {out} (seed {seed}); synthetic data: not for accuracy claims", err=True
        )
