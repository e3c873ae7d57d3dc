"""``vner distill``: a shallower student trained on a teacher's (or an ensemble's) soft labels plus the gold tags."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from vner.commands.choices import CorpusFormat, value_of
from vner.commands.train_options import bf16_option, check_device, device_option


def register(app: typer.Typer) -> None:
    """Add the ``distill`` command to the CLI."""

    @app.command("distill")
    def distill_cmd(
        teacher: list[Path] = typer.Option(
            ...,
            "--teacher",
            help="teacher vner model directory; repeat for an ensemble (probabilities averaged)",
        ),
        train: Path = typer.Option(..., "--train", help="training corpus (PhoNER JSON, CoNLL or vner JSONL)"),
        dev: Path = typer.Option(..., "--dev", help="dev corpus for early stopping / model selection"),
        out: Path = typer.Option(..., "--out", help="output folder (becomes a vner model directory)"),
        layers: int = typer.Option(6, "--layers", help="student layers, taken evenly from the teacher's"),
        unlabelled: list[Path] = typer.Option(
            [],
            "--unlabelled",
            help='unlabelled texts the teacher labels: JSONL with "text" or TXT one a line; repeat',
        ),
        unlabelled_limit: int | None = typer.Option(
            None, "--unlabelled-limit", help="use only the first N unlabelled texts of each file"
        ),
        temperature: float = typer.Option(2.0, "--temperature", help="softmax temperature of the KD term"),
        alpha: float = typer.Option(
            0.5, "--alpha", help="weight of the KD term (1 - alpha: gold cross-entropy)"
        ),
        fmt: CorpusFormat | None = typer.Option(None, "--format", help="corpus format (default: detect)"),
        epochs: int = typer.Option(10, "--epochs"),
        lr: float = typer.Option(5e-5, "--lr", help="peak learning rate"),
        batch_size: int = typer.Option(32, "--batch-size"),
        warmup_steps: int = typer.Option(500, "--warmup-steps", help="linear warm-up steps"),
        weight_decay: float = typer.Option(0.01, "--weight-decay"),
        dropout: float = typer.Option(0.1, "--dropout"),
        seed: int = typer.Option(42, "--seed"),
        patience: int = typer.Option(3, "--patience", help="early stopping: epochs without dev F1 gain"),
        max_steps: int | None = typer.Option(
            None, "--max-steps", help="stop after this many optimizer steps"
        ),
        max_minutes: float | None = typer.Option(None, "--max-minutes", help="stop after this wall time"),
        train_limit: int | None = typer.Option(
            None, "--train-limit", help="use only the first N training docs"
        ),
        dev_limit: int | None = typer.Option(None, "--dev-limit", help="use only the first N dev docs"),
        threads: int | None = typer.Option(
            None, "--threads", help="torch intra-op threads (default: all cores)"
        ),
        device: str = device_option(),
        bf16: bool = bf16_option(),
        resume: bool = typer.Option(False, "--resume", help="continue from OUT/state/state.pt"),
    ) -> None:
        """Distil TEACHER(s) into a student of --layers layers on TRAIN (+ unlabelled texts), best epoch on DEV."""
        import os

        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as `vner train`: no spinning on a shared box

        from vner.engine.runtime.model_meta import ModelMetaError
        from vner.engine.training.corpus import DataFormatError, read_docs
        from vner.engine.training.distill import DistillConfig, DistillError, distill, teacher_metas
        from vner.engine.training.student import StudentError
        from vner.engine.training.unlabelled import read_texts, to_docs

        check_device(device)  # fail before reading any data

        cfg = DistillConfig(
            model=str(teacher[0]),
            out=str(out),
            teachers=[str(t) for t in teacher],
            layers=layers,
            temperature=temperature,
            alpha=alpha,
            unlabelled_path=",".join(str(u) for u in unlabelled) or None,
            epochs=epochs,
            lr=lr,
            batch_size=batch_size,
            warmup_steps=warmup_steps,
            weight_decay=weight_decay,
            dropout=dropout,
            seed=seed,
            patience=patience,
            max_steps=max_steps,
            max_minutes=max_minutes,
            threads=threads,
            bf16=bf16,
            device=device,
            train_path=str(train),
            dev_path=str(dev),
            train_limit=train_limit,
        )
        try:
            metas = teacher_metas(cfg.teachers)
            train_docs = read_docs(train, value_of(fmt), limit=train_limit)
            dev_docs = read_docs(dev, value_of(fmt), limit=dev_limit)
            texts = [t for u in unlabelled for t in read_texts(u, limit=unlabelled_limit)]
            extra = to_docs(texts, segmenter=metas[0].segmenter)
            typer.echo(
                f"distil {len(teacher)} teacher(s) -> {layers} layers: train {len(train_docs)} docs,"
                f" unlabelled {len(extra)}, dev {len(dev_docs)} -> {out}"
            )
            summary = distill(cfg, train_docs, dev_docs, extra, resume=resume)
        except (DistillError, StudentError, ModelMetaError, DataFormatError, FileNotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        typer.echo(json.dumps({k: v for k, v in summary.items() if k != "labels"}, indent=2))
