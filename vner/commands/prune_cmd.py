"""``vner prune``: shrink a model's vocabulary to the pieces a corpus uses (see engine.prune).

:func:`add_prune` attaches the same command to any typer group, so ``vner model prune`` can reuse it.
"""

from __future__ import annotations

from pathlib import Path

import typer


def add_prune(group: typer.Typer, name: str = "prune") -> None:
    """Attach the prune command to ``group`` under ``name``."""

    @group.command(name)
    def prune(
        model_dir: Path = typer.Argument(..., help="vner model directory (HF checkpoint + vner_meta.json)"),
        corpus: list[Path] = typer.Option(
            ...,
            "--corpus",
            "-c",
            help="text the model will see: .txt lines, PhoNER JSON, CoNLL or JSONL (repeat)",
        ),
        out: Path = typer.Option(..., "--out", help="directory for the pruned checkpoint"),
    ) -> None:
        """Keep only the vocabulary pieces used by the corpus (plus specials); report size and speed."""
        from engine.model_meta import ModelMetaError
        from engine.prune import PruneError, prune_model, read_corpus

        try:
            report = prune_model(model_dir, out, read_corpus(corpus))
        except (PruneError, ModelMetaError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        for line in report.lines():
            typer.echo(line)
        typer.echo(f"pruned model written to {out}")


def register(app: typer.Typer) -> None:
    """Add ``vner prune`` to the CLI."""
    add_prune(app)
