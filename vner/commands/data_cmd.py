"""``vner data``: corpus utilities (``convert`` between PhoNER JSON, CoNLL and vner JSONL)."""

from __future__ import annotations

from pathlib import Path

import typer

from vner.commands.choices import CorpusFormat, value_of

data_app = typer.Typer(help="Corpus utilities.", no_args_is_help=True)


@data_app.command("convert")
def convert_cmd(
    src: Path = typer.Argument(..., help="input corpus"),
    dst: Path = typer.Argument(..., help="output file"),
    from_fmt: CorpusFormat | None = typer.Option(None, "--from", help="input format (default: detect)"),
    to_fmt: CorpusFormat = typer.Option(..., "--to", help="output format"),
) -> None:
    """Convert SRC to DST losslessly (token formats join a word's syllables with '_')."""
    from vner.engine.training.corpus import DataFormatError, convert

    try:
        n = convert(src, dst, src_fmt=value_of(from_fmt), dst_fmt=to_fmt.value)
    except (DataFormatError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"wrote {n} docs to {dst} ({to_fmt.value})")


@data_app.command("stats")
def stats_cmd(
    src: Path = typer.Argument(..., help="corpus"),
    fmt: CorpusFormat | None = typer.Option(None, "--format", help="corpus format (default: detect)"),
) -> None:
    """Docs, tokens and entities per label of a corpus (no text is printed)."""
    from collections import Counter

    from vner.engine.training.corpus import DataFormatError, read_docs

    try:
        docs = read_docs(src, value_of(fmt))
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
