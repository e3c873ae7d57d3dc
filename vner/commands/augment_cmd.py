"""``vner augment``: classic augmentation of an annotated corpus (mention, synonym, token-level, MT)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from vner.commands import comma_list
from vner.commands.choices import CorpusFormat, value_of


def register(app: typer.Typer) -> None:
    """Add the ``augment`` command to the CLI."""
    from vner.engine.augment import describe_augmenters

    @app.command("augment")
    def augment_cmd(
        src: Path = typer.Argument(..., help="annotated corpus (PhoNER JSON, CoNLL or vner JSONL)"),
        dst: Path = typer.Argument(..., help="output corpus"),
        augmenters: str = typer.Option(
            "mention,synonym",
            "--augmenters",
            help="comma-separated, applied in order; NAME:RATE gives one its own rate. Augmenters: "
            + describe_augmenters(),
        ),
        rate: float = typer.Option(0.3, "--rate", help="probability of changing each candidate (0..1)"),
        seed: int = typer.Option(1, "--seed"),
        fmt: CorpusFormat | None = typer.Option(None, "--format", help="input format (default: detect)"),
        to_fmt: CorpusFormat | None = typer.Option(None, "--to", help="output format (default: the input's)"),
        synonym_domains: str | None = typer.Option(
            None, "--synonym-domains", help="lexicon domains besides 'general' (default: all)"
        ),
        gazetteer: list[str] = typer.Option(
            [],
            "--gazetteer",
            help="extra replacement mentions: {LABEL: [...]} .json, or LABEL=FILE (.txt or a rules gazetteer"
            " .yaml); repeat",
        ),
        shape_labels: str | None = typer.Option(
            None,
            "--shape-labels",
            help="labels `shape` may change, comma-separated (default: learnt, those mostly codes/numbers/initials)",
        ),
        unlabelled_labels: str | None = typer.Option(
            None,
            "--unlabelled-labels",
            help="labels whose names `unlabelled` looks for outside the gold spans, comma-separated (default:"
            " learnt, those of mostly capitalised multi-word mentions); a label of mostly lower-case mentions"
            " (JOB, SYMPTOM_AND_DISEASE) is matched as lower-case words: 'không sốt' -> 'không ho'",
        ),
        keep_original: bool = typer.Option(False, "--keep-original", help="write the originals too"),
    ) -> None:
        """Write augmented copies of SRC to DST and print what each augmenter did (counts only)."""
        from vner.engine.augment import run_chain
        from vner.engine.training.corpus import DataFormatError, detect_format, read_docs, write_docs

        names = comma_list(augmenters)
        if not names:
            raise typer.BadParameter("--augmenters must name at least one augmenter")
        options: dict[str, object] = {}
        if synonym_domains:
            options["synonym_domains"] = comma_list(synonym_domains)
        if shape_labels:
            options["shape_labels"] = comma_list(shape_labels)
        if unlabelled_labels:
            options["unlabelled_labels"] = comma_list(unlabelled_labels)
        try:
            if gazetteer:
                from vner.engine.augment.gazetteer_file import load_gazetteer

                options["gazetteer"] = load_gazetteer(gazetteer)
            in_fmt = value_of(fmt) or detect_format(src)
            docs = read_docs(src, in_fmt)
            result = run_chain(names, docs, rate=rate, seed=seed, options=options)
        except (DataFormatError, FileNotFoundError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        out_docs = (docs + result.docs) if keep_original else result.docs
        n = write_docs(out_docs, dst, value_of(to_fmt) or in_fmt)
        typer.echo(json.dumps(dict(sorted(result.report.items())), indent=2))
        typer.echo(f"wrote {n} docs to {dst}")
