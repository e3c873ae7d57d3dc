"""``vner eval --pipeline`` / ``--ablation``: score the hybrid pipeline, or each of its stages, on a corpus.

Not a command module: ``vner.commands.eval_cmd`` calls :func:`pipeline_eval` when either flag is given.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer


def pipeline_eval(
    *,
    data: Path | None,
    model: Path | None,
    domain: str | None,
    ablation: bool,
    augmented: Path | None,
    precision: str,
    fmt: str | None,
    out: Path | None,
    name: str,
    limit: int | None,
    batch_size: int,
    ref_time: str | None,
    decoding: str | None = None,
) -> None:
    """Print (and with ``out`` write) the pipeline's scores or the ablation table; fine labels, no grouping."""
    if data is None or not domain:
        raise typer.BadParameter("--pipeline/--ablation need DATA and --domain (the schema to run)")
    try:
        ref = datetime.fromisoformat(ref_time) if ref_time else datetime(2020, 6, 1)
    except ValueError as exc:
        raise typer.BadParameter(f"--ref-time {ref_time!r} is not ISO 8601") from exc
    from vner.engine.training.corpus import DataFormatError, read_docs

    try:
        docs = read_docs(data, fmt, limit=limit)
    except (DataFormatError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if ablation:
        from vner.engine.evaluation.ablation import ablate_docs, to_markdown, write_ablation

        table = ablate_docs(
            docs, domain=domain, model_dir=model, augmented_model_dir=augmented, precision=precision,
            ref_time=ref, batch_size=batch_size, meta={"data": str(data)}, decoding=decoding,
        )  # fmt: skip
        typer.echo(to_markdown(table))
        if out is not None:
            paths = write_ablation(table, out, stem=name)
            typer.echo("wrote " + ", ".join(str(p) for p in paths.values()))
        return
    from vner.engine.evaluation.scoring import evaluate, markdown_table, write_reports
    from vner.engine.pipeline.hybrid import PipelinePredictor, build_pipeline

    pipe = build_pipeline(domain, str(model) if model else None, precision=precision, decoding=decoding)
    predictor = PipelinePredictor(pipe, domain=domain, ref_time=ref)
    result = evaluate(predictor, docs, batch_size=batch_size, use_tokens=False, name=name)
    result.update(
        model=str(model) if model else None,
        backend="pipeline",
        versions=pipe.versions.as_dict(),
        data=str(data),
    )
    typer.echo(markdown_table(result))
    typer.echo(f"{len(docs)} docs, {result['seconds']} s ({result['sentences_per_s']} sentences/s)")
    if out is not None:
        paths = write_reports(result, out, stem=name)
        typer.echo("wrote " + ", ".join(str(p) for p in paths.values()))
