"""``vner model prune``: shrink a model's vocabulary to the pieces a corpus uses (see vner.engine.training.prune).

The command joins the ``vner model`` group of :mod:`vner.commands.model_cmd`; :func:`add_prune` can
attach it to any other typer group.
"""

from __future__ import annotations

from pathlib import Path

import typer


def add_prune(group: typer.Typer, name: str = "prune") -> None:
    """Attach the prune command to ``group`` under ``name``."""

    @group.command(name)
    def prune(
        model_dir: Path = typer.Argument(
            ..., help="vner model directory, or a backbone checkpoint to prune before training"
        ),
        corpus: list[Path] = typer.Option(
            ...,
            "--corpus",
            "-c",
            help="text the model will see: .txt lines, PhoNER JSON, CoNLL or JSONL (repeat)",
        ),
        out: Path = typer.Option(..., "--out", help="directory for the pruned checkpoint"),
        keep_vietnamese: bool = typer.Option(
            False,
            "--keep-vietnamese",
            help="also keep every Vietnamese-letter and digit piece (≈ 11 k), for text beyond the corpus",
        ),
        keep_alphabet: bool = typer.Option(
            False,
            "--keep-alphabet",
            help="also keep every one-character Latin/Vietnamese/digit/punctuation piece (≈ 770): no <unk> on "
            "text in those characters",
        ),
    ) -> None:
        """Keep only the vocabulary pieces used by the corpus (plus specials); report size and speed."""
        from vner.engine.runtime.model_meta import ModelMetaError
        from vner.engine.training.prune import PruneError, prune_model, read_corpus

        try:
            report = prune_model(
                model_dir,
                out,
                read_corpus(corpus),
                keep_vietnamese=keep_vietnamese,
                keep_alphabet=keep_alphabet,
            )
        except (PruneError, ModelMetaError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        for line in report.lines():
            typer.echo(line)
        typer.echo(f"pruned model written to {out}")


def register(app: typer.Typer) -> None:
    """Add ``prune`` to the ``vner model`` group (registered by model_cmd, which ``app`` already holds)."""
    from vner.commands.model_cmd import model_app

    add_prune(model_app)
