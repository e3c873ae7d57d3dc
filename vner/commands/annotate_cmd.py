"""``vner annotate``: LLM-assisted annotation, label-set expansion, Label Studio review, prompt optimisation."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import typer

annotate_app = typer.Typer(
    help="LLM-assisted annotation against any OpenAI-compatible chat endpoint (env VNER_LLM_BASE_URL, "
    "VNER_LLM_API_KEY, VNER_LLM_MODEL; responses cached on disk with --cache-dir so re-runs cost nothing).",
    no_args_is_help=True,
)

LabelsOpt = typer.Option(..., "--labels", help="YAML mapping LABEL: definition (the labels to annotate).")
BaseUrlOpt = typer.Option(None, help="Chat endpoint base URL, e.g. http://127.0.0.1:8080/v1.")
ModelOpt = typer.Option(None, help="Model name sent to the endpoint.")
CacheOpt = typer.Option(None, help="Directory of cached responses.")
ExamplesOpt = typer.Option(None, help="Annotated JSONL to pick few-shot examples from.")
TimeoutOpt = typer.Option(None, help="Seconds per request (default: env VNER_LLM_TIMEOUT_S, else 60).")
MaxFailedOpt = typer.Option(
    0.5,
    "--max-failed-fraction",
    envvar="VNER_LLM_MAX_FAILED_FRACTION",
    min=0.0,
    max=1.0,
    help="Exit 1 when more than this fraction of documents failed (counts on stderr); all failing always exits 1.",
)
CheckOpt = typer.Option(
    True, "--check/--no-check", help="GET {base_url}/models first; exit 1 at once if nothing answers."
)


def _fail(cmd: str, message: str) -> NoReturn:
    typer.echo(f"vner annotate {cmd}: {message}", err=True)
    raise typer.Exit(1)


def _preflight(cmd: str, client: Any, check: bool) -> None:
    """Fail with one line before any work when the endpoint is unreachable."""
    from vner.engine.annotate.client import LLMUnreachable

    if not check:
        return
    try:
        client.check()
    except LLMUnreachable as exc:
        _fail(
            cmd,
            f"{exc} (start it: bash deploy/local/llm_server.sh start, or set --base-url/VNER_LLM_BASE_URL)",
        )


def _verdict(
    cmd: str, failed: int, total: int, max_fraction: float, client: Any, errors: Mapping[str, int]
) -> None:
    """Exit 1 when every document failed or more than ``max_fraction`` did; otherwise report partial failure."""
    counts = {**client.stats.errors(), **{k: v for k, v in errors.items() if v}}
    detail = ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no error counted"
    if total and failed >= total:
        _fail(cmd, f"all {total} documents failed ({detail})")
    if failed:
        frac = failed / total
        if frac > max_fraction:
            _fail(
                cmd,
                f"{failed} of {total} documents failed, over --max-failed-fraction {max_fraction:g} ({detail})",
            )
        typer.echo(
            f"vner annotate {cmd}: warning: {failed} of {total} documents failed, within --max-failed-fraction "
            f"{max_fraction:g} ({detail})",
            err=True,
        )


def _labels(path: Path) -> dict[str, str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data:
        raise typer.BadParameter(f"{path}: expected a mapping LABEL: definition")
    return {str(k).upper(): str(v) for k, v in data.items()}


def _client(base_url: str | None, model: str | None, cache_dir: Path | None, timeout: float | None) -> Any:
    from vner.engine.annotate.client import ChatClient, LLMSettings

    return ChatClient(
        LLMSettings.from_env(
            base_url=base_url, model=model, cache_dir=str(cache_dir) if cache_dir else None, timeout_s=timeout
        )
    )


def _examples(path: Path | None) -> list[Any]:
    from vner.engine.annotate.corpus import read_docs
    from vner.engine.annotate.prompts import Example

    if path is None:
        return []
    return [Example(d.text, tuple(d.spans)) for d in read_docs(path)]


@annotate_app.command("run")
def run(
    inp: Path = typer.Argument(..., help="JSONL with {id, text} (existing entities are ignored)."),
    out: Path = typer.Argument(..., help="Output JSONL with the LLM's entities."),
    labels: Path = LabelsOpt,
    examples: Path | None = ExamplesOpt,
    shots: int = typer.Option(3, help="Few-shot examples per prompt."),
    cot: bool = typer.Option(True, help="Chain-of-thought before the JSON answer."),
    self_consistency: int = typer.Option(1, "--sc", help="k samples with majority vote (1 = off)."),
    refine: bool = typer.Option(False, help="Self-refine: the model critiques and corrects its answer."),
    debate: int = typer.Option(0, help="Number of debating annotators (0 = off)."),
    rounds: int = typer.Option(1, help="Debate rounds."),
    base_url: str | None = BaseUrlOpt,
    model: str | None = ModelOpt,
    cache_dir: Path | None = CacheOpt,
    timeout: float | None = TimeoutOpt,
    max_failed_fraction: float = MaxFailedOpt,
    check: bool = CheckOpt,
) -> None:
    """Annotate every document of INP with the LLM; prints a report of what failed and why."""
    from tqdm import tqdm

    from vner.engine.annotate.annotator import LLMAnnotator, Techniques
    from vner.engine.annotate.corpus import AnnotatedDoc, read_docs, write_docs
    from vner.engine.annotate.prompts import PromptVariant

    client = _client(base_url, model, cache_dir, timeout)
    _preflight("run", client, check)
    ann = LLMAnnotator(
        client,
        _labels(labels),
        examples=_examples(examples),
        variant=PromptVariant(name="cli", n_shots=shots, chain_of_thought=cot),
        techniques=Techniques(
            self_consistency=self_consistency, self_refine=refine, debate_agents=debate, debate_rounds=rounds
        ),
    )
    docs = list(read_docs(inp))
    results = []
    with tqdm(total=len(docs), desc="annotating", unit="doc") as bar:

        def one(doc: AnnotatedDoc) -> AnnotatedDoc:
            res = ann.annotate(doc.text)
            bar.update(1)
            return AnnotatedDoc(id=doc.id, text=doc.text, spans=res.spans, meta={"llm_failed": res.failed})

        results = client.map(one, docs)
    write_docs(out, results)
    typer.echo(json.dumps(ann.report(), ensure_ascii=False, indent=1))
    failed = sum(1 for d in results if d.meta.get("llm_failed"))
    _verdict("run", failed, len(results), max_failed_fraction, client, ann.errors)


@annotate_app.command("expand")
def expand(
    inp: Path = typer.Argument(..., help="Annotated JSONL (gold spans are kept unchanged)."),
    out: Path = typer.Argument(..., help="Output JSONL: gold + new-label spans."),
    new_labels: Path = typer.Option(..., help="YAML LABEL: definition for the NEW labels only."),
    examples: Path | None = ExamplesOpt,
    report: Path | None = typer.Option(None, help="Write the expansion report (conflicts) as JSON here."),
    base_url: str | None = BaseUrlOpt,
    model: str | None = ModelOpt,
    cache_dir: Path | None = CacheOpt,
    timeout: float | None = TimeoutOpt,
    max_failed_fraction: float = MaxFailedOpt,
    check: bool = CheckOpt,
) -> None:
    """Add NEW labels to an annotated corpus without re-annotating it; overlaps are reported as conflicts."""
    from vner.engine.annotate.annotator import LLMAnnotator
    from vner.engine.annotate.corpus import read_docs, write_docs
    from vner.engine.annotate.expand import expand_labels

    labels = _labels(new_labels)
    client = _client(base_url, model, cache_dir, timeout)
    _preflight("expand", client, check)
    ann = LLMAnnotator(client, labels, examples=_examples(examples))
    docs, rep = expand_labels(read_docs(inp), ann, labels)
    write_docs(out, docs)
    payload = {**rep.to_dict(), "annotator": ann.report()}
    if report:
        report.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(
        json.dumps({k: v for k, v in payload.items() if k != "conflicts"}, ensure_ascii=False, indent=1)
    )
    _verdict("expand", rep.failed_documents, rep.documents, max_failed_fraction, client, ann.errors)


@annotate_app.command("export-ls")
def export_ls(
    inp: Path = typer.Argument(..., help="Annotated JSONL (LLM output)."),
    out: Path = typer.Argument(..., help="Label Studio tasks JSON (a .config.xml is written beside it)."),
) -> None:
    """Export documents as Label Studio tasks with pre-annotations for human review."""
    from vner.engine.annotate.corpus import read_docs
    from vner.engine.annotate.labelstudio import write_tasks

    docs = list(read_docs(inp))
    labels = sorted({s.label for d in docs for s in d.spans})
    write_tasks(out, docs, labels)
    typer.echo(f"{len(docs)} tasks -> {out}")


@annotate_app.command("import-ls")
def import_ls(
    export: Path = typer.Argument(..., help="Label Studio JSON export of the reviewed tasks."),
    out: Path = typer.Argument(..., help="Output JSONL of reviewed documents."),
) -> None:
    """Import a reviewed Label Studio export back into vner JSONL."""
    from vner.engine.annotate.corpus import write_docs
    from vner.engine.annotate.labelstudio import from_label_studio

    docs = from_label_studio(json.loads(export.read_text(encoding="utf-8")))
    typer.echo(f"{write_docs(out, docs)} documents -> {out}")


@annotate_app.command("agreement")
def agreement_cmd(
    llm: Path = typer.Argument(..., help="LLM-annotated JSONL."),
    reviewed: Path = typer.Argument(..., help="Reviewed JSONL (from import-ls)."),
) -> None:
    """Per-label agreement of the LLM annotation with the human-reviewed one."""
    from vner.engine.annotate.corpus import read_docs
    from vner.engine.annotate.labelstudio import agreement

    typer.echo(json.dumps(agreement(list(read_docs(llm)), list(read_docs(reviewed))), indent=1))


@annotate_app.command("optimize")
def optimize_cmd(
    dev: Path = typer.Argument(..., help="Small annotated dev JSONL."),
    labels: Path = LabelsOpt,
    examples: Path | None = ExamplesOpt,
    log: Path = typer.Option(Path("prompt_trials.jsonl"), help="Every trial is appended here."),
    base_url: str | None = BaseUrlOpt,
    model: str | None = ModelOpt,
    cache_dir: Path | None = CacheOpt,
    timeout: float | None = TimeoutOpt,
    max_failed_fraction: float = MaxFailedOpt,
    check: bool = CheckOpt,
) -> None:
    """Try prompt variants on DEV, keep the best by span F1, log every trial."""
    from vner.engine.annotate.corpus import read_docs
    from vner.engine.annotate.optimize import optimize

    client = _client(base_url, model, cache_dir, timeout)
    _preflight("optimize", client, check)
    dev_docs = list(read_docs(dev))
    best, records = optimize(
        client,
        _labels(labels),
        dev_docs,
        _examples(examples),
        log_path=log,
    )
    for r in records:
        typer.echo(f"{r['variant']['name']:<20} F1={r['micro']['f1']:.3f} errors={sum(r['errors'].values())}")
    typer.echo(f"best: {best.variant.name}")
    typer.echo("client: " + ", ".join(f"{k}={v}" for k, v in client.stats.as_dict().items()))
    errors: Counter[str] = Counter()
    for r in records:
        errors.update(r["errors"])
    total = len(dev_docs) * len(records)
    _verdict("optimize", errors["document_failed"], total, max_failed_fraction, client, errors)


def register(app: typer.Typer) -> None:
    app.add_typer(annotate_app, name="annotate")
