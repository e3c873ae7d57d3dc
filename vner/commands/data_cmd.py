"""``vner data``: corpus utilities (``convert`` between PhoNER JSON, CoNLL and vner JSONL)."""

from __future__ import annotations

from pathlib import Path

import typer

data_app = typer.Typer(help="Corpus utilities.", no_args_is_help=True)


@data_app.command("convert")
def convert_cmd(
    src: Path = typer.Argument(..., help="input corpus"),
    dst: Path = typer.Argument(..., help="output file"),
    from_fmt: str | None = typer.Option(None, "--from", help="phoner | conll | jsonl (default: detect)"),
    to_fmt: str = typer.Option(..., "--to", help="phoner | conll | jsonl"),
) -> None:
    """Convert SRC to DST losslessly (token formats join a word's syllables with '_')."""
    from vner.engine.training.corpus import DataFormatError, convert

    try:
        n = convert(src, dst, src_fmt=from_fmt, dst_fmt=to_fmt)
    except (DataFormatError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"wrote {n} docs to {dst} ({to_fmt})")


@data_app.command("stats")
def stats_cmd(
    src: Path = typer.Argument(..., help="corpus"),
    fmt: str | None = typer.Option(None, "--format", help="phoner | conll | jsonl (default: detect)"),
) -> None:
    """Docs, tokens and entities per label of a corpus (no text is printed)."""
    from collections import Counter

    from vner.engine.training.corpus import DataFormatError, read_docs

    try:
        docs = read_docs(src, fmt)
    except (DataFormatError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    counts = Counter(s.label for d in docs for s in d.spans)
    typer.echo(
        f"docs {len(docs)}, tokens {sum(len(d.tokens) for d in docs)}, entities {sum(counts.values())}"
    )
    for label, n in counts.most_common():
        typer.echo(f"  {label}: {n}")


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group to the CLI."""
    app.add_typer(data_app, name="data")
