"""``vner eval``: seqeval entity-level scores of a model on any corpus, or two result files compared.

Predictors are built by name from :data:`PREDICTOR_BUILDERS` (``torch``: a training output folder;
``onnx``: a ``vner export`` folder). Another backend (e.g. the hybrid pipeline) plugs in by registering a
builder ``(path, options) -> predictor`` (``@PREDICTOR_BUILDERS.register(name)``) and, if it needs them,
options to ``eval_cmd``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from vner.commands.choices import CorpusFormat, Decoding, Precision, value_of
from vner.rules.registry import Registry

PredictorBuilder = Callable[[Path, dict[str, Any]], Any]

PREDICTOR_BUILDERS: Registry[PredictorBuilder] = Registry("predictor backend")


@PREDICTOR_BUILDERS.register("torch")
def _torch(path: Path, opts: dict[str, Any]) -> Any:
    """A training output folder, run with PyTorch."""
    from vner.engine.runtime.torch_tagger import TorchTagger

    return TorchTagger.from_dir(path, threads=opts.get("threads"), decoding=opts.get("decoding"))


@PREDICTOR_BUILDERS.register("onnx")
def _onnx(path: Path, opts: dict[str, Any]) -> Any:
    """A ``vner export`` folder, run with ONNX Runtime."""
    from vner.engine.runtime.tagger import OnnxTagger

    return OnnxTagger.from_dir(
        path,
        precision=opts.get("precision", "auto"),
        threads=opts.get("threads"),
        decoding=opts.get("decoding"),
    )


def detect_backend(path: Path) -> str:
    """``onnx`` for a folder holding ``*.onnx`` files, else ``torch``."""
    return "onnx" if any(path.glob("*.onnx")) else "torch"


def _groups(domain: str | None, groups_json: Path | None) -> dict[str, list[str]]:
    if groups_json is not None:
        return {str(k): [str(x) for x in v] for k, v in json.loads(groups_json.read_text("utf-8")).items()}
    if domain:
        from vner.rules.schema import load_schema

        return load_schema(domain).group_map()
    return {}


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command to the CLI."""

    @app.command("eval")
    def eval_cmd(
        data: Path | None = typer.Argument(None, help="gold corpus (PhoNER JSON, CoNLL or vner JSONL)"),
        model: Path | None = typer.Option(None, "--model", help="model folder (training output or export)"),
        backend: str = typer.Option(
            "auto",
            "--backend",
            help="auto (onnx for a folder with *.onnx, else torch) | "
            + " | ".join(PREDICTOR_BUILDERS.names()),
        ),
        precision: Precision = typer.Option(Precision.auto, "--precision", help="ONNX precision"),
        decode: Decoding | None = typer.Option(
            None,
            "--decode",
            help="tags from word probabilities: argmax, or viterbi (best valid BIO path); "
            "default: the model's vner_meta.json, else viterbi",
        ),
        fmt: CorpusFormat | None = typer.Option(None, "--format", help="corpus format (default: detect)"),
        out: Path | None = typer.Option(None, "--out", help="folder for NAME.json / .md / .png"),
        name: str = typer.Option("eval", "--name", help="report name (file stem)"),
        limit: int | None = typer.Option(None, "--limit", help="evaluate only the first N docs"),
        batch_size: int = typer.Option(64, "--batch-size"),
        threads: int | None = typer.Option(None, "--threads"),
        domain: str | None = typer.Option(
            None, "--domain", help="map gold fine labels to the schema's groups"
        ),
        groups_json: Path | None = typer.Option(
            None, "--groups-json", help="label groups {GROUP: [FINE...]}"
        ),
        compare: tuple[Path, Path] | None = typer.Option(
            None, "--compare", help="RUN_A.json RUN_B.json: print two results side by side"
        ),
        pipeline: bool = typer.Option(
            False,
            "--pipeline",
            help="score the hybrid pipeline of --domain (rules, optional --model, post-processing)",
        ),
        ablation: bool = typer.Option(
            False,
            "--ablation",
            help="paper Tables 3-7: model only / + rules / + post-processing for --domain",
        ),
        augmented: Path | None = typer.Option(
            None,
            "--augmented-model",
            help="with --ablation: the augmented model's export (+ augmentation row)",
        ),
        ref_time: str | None = typer.Option(
            None, "--ref-time", help="with --pipeline/--ablation: ISO reference time for relative dates"
        ),
    ) -> None:
        """Score on DATA (strict entity-level P/R/F1), or compare two result JSONs. One mode per call.

        \b
        model     vner eval DATA --model DIR [--backend B]              a model alone (torch or ONNX)
        pipeline  vner eval DATA --pipeline --domain D [--model DIR]    rules + model + post-processing
        ablation  vner eval DATA --ablation --domain D [--model DIR]    model / + rules / + post-processing
        compare   vner eval --compare A.json B.json                     two earlier results side by side
        """
        modes = [m for m, on in (("--compare", compare is not None), ("--pipeline", pipeline),
                                 ("--ablation", ablation)) if on]  # fmt: skip
        if len(modes) > 1:
            raise typer.BadParameter(f"{' and '.join(modes)} are separate modes: give one")
        from vner.engine.evaluation.scoring import compare as compare_results
        from vner.engine.evaluation.scoring import evaluate, load_result, markdown_table, write_reports

        if compare is not None:
            a, b = (load_result(p) for p in compare)
            table = compare_results(a, b, name_a=compare[0].stem, name_b=compare[1].stem)
            typer.echo(table)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{name}.compare.md").write_text(table, encoding="utf-8")
            return
        if pipeline or ablation:
            from vner.commands.pipeline_eval import pipeline_eval

            return pipeline_eval(
                data=data, model=model, domain=domain, ablation=ablation, augmented=augmented,
                precision=precision.value, fmt=value_of(fmt), out=out, name=name, limit=limit, batch_size=batch_size,
                ref_time=ref_time, decoding=value_of(decode),
            )  # fmt: skip
        if data is None or model is None:
            raise typer.BadParameter("give DATA and --model (or --compare A.json B.json)")
        from vner.engine.training.corpus import DataFormatError, read_docs

        try:
            docs = read_docs(data, value_of(fmt), limit=limit)
        except (DataFormatError, FileNotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        kind = detect_backend(model) if backend == "auto" else backend
        if kind not in PREDICTOR_BUILDERS:
            raise typer.BadParameter(
                f"unknown backend {kind!r}; known: {', '.join(PREDICTOR_BUILDERS.names())}"
            )
        predictor = PREDICTOR_BUILDERS[kind](
            model, {"precision": precision.value, "threads": threads, "decoding": value_of(decode)}
        )
        result = evaluate(
            predictor, docs, groups=_groups(domain, groups_json), batch_size=batch_size, name=name
        )
        result.update(model=str(model), backend=kind, onnx_precision=precision.value, data=str(data))
        if getattr(predictor, "decoding", None) is not None:
            result["decoding"] = predictor.decoding
        typer.echo(markdown_table(result))
        typer.echo(f"{len(docs)} docs, {result['seconds']} s ({result['sentences_per_s']} sentences/s)")
        if out is not None:
            paths = write_reports(result, out, stem=name)
            typer.echo("wrote " + ", ".join(str(p) for p in paths.values()))
