"""``vner train``: fine-tune a token-classification model (phase 1 original data, phase 2 augmented)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

from vner.commands import comma_list
from vner.commands.choices import CorpusFormat, Segmenter, value_of
from vner.commands.train_options import bf16_option, check_device, device_option


def _model_labels(domain: str | None) -> list[str]:
    """Labels a domain's model learns (empty: keep every label of the data)."""
    if not domain:
        return []
    from vner.rules.schema import load_schema

    return list(load_schema(domain).model_labels)


def _groups(domain: str | None, groups_json: Path | None) -> dict[str, list[str]]:
    if groups_json is not None:
        data = json.loads(groups_json.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise typer.BadParameter("--groups-json must hold {GROUP: [FINE, ...]}")
        return {str(k): [str(x) for x in v] for k, v in data.items()}
    if domain:
        from vner.rules.schema import load_schema

        return load_schema(domain).group_map()
    return {}


def register(app: typer.Typer) -> None:
    """Add the ``train`` command to the CLI."""
    from vner.engine.augment import describe_augmenters

    @app.command("train")
    def train_cmd(
        train: Path = typer.Option(..., "--train", help="training corpus (PhoNER JSON, CoNLL or vner JSONL)"),
        dev: Path = typer.Option(..., "--dev", help="dev corpus used for early stopping / model selection"),
        out: Path = typer.Option(..., "--out", help="output folder (becomes a vner model directory)"),
        model: str | None = typer.Option(
            None, "--model", help="HF checkpoint dir (default: e5-small backbone)"
        ),
        fmt: CorpusFormat | None = typer.Option(None, "--format", help="corpus format (default: detect)"),
        epochs: int = typer.Option(
            10, help="phase-1 epochs (paper Table 2: 10); 0 continues --model in phase 2 only"
        ),
        lr: float = typer.Option(2e-5, help="peak learning rate (Table 2: 2e-5)"),
        batch_size: int = typer.Option(32, "--batch-size", help="batch size (Table 2: 32)"),
        max_length: int = typer.Option(256, "--max-length", help="max sub-word length (Table 2: 256)"),
        warmup_steps: int = typer.Option(500, "--warmup-steps", help="linear warm-up steps (Table 2: 500)"),
        weight_decay: float = typer.Option(0.01, "--weight-decay"),
        dropout: float = typer.Option(0.1, "--dropout"),
        seed: int = typer.Option(42, "--seed"),
        patience: int = typer.Option(3, "--patience", help="early stopping: epochs without dev F1 gain"),
        freeze_embeddings: bool = typer.Option(False, "--freeze-embeddings", help="freeze word embeddings"),
        max_steps: int | None = typer.Option(
            None, "--max-steps", help="stop after this many optimizer steps"
        ),
        max_minutes: float | None = typer.Option(None, "--max-minutes", help="stop after this wall time"),
        train_limit: int | None = typer.Option(
            None, "--train-limit", help="use only the first N training docs"
        ),
        train_fraction: float | None = typer.Option(
            None, "--train-fraction", help="use a seeded random fraction of the training docs (e.g. 0.1)"
        ),
        fraction_seed: int | None = typer.Option(
            None,
            "--fraction-seed",
            help="seed of the --train-fraction draw (default: --seed), so other seeds can train on one subset",
        ),
        dev_limit: int | None = typer.Option(None, "--dev-limit", help="use only the first N dev docs"),
        threads: int | None = typer.Option(
            None, "--threads", help="torch intra-op threads (default: all cores)"
        ),
        device: str = device_option(),
        bf16: bool = bf16_option(),
        domain: str | None = typer.Option(None, "--domain", help="domain schema whose label groups to apply"),
        groups_json: Path | None = typer.Option(
            None, "--groups-json", help="label groups {GROUP: [FINE...]}"
        ),
        augment: str | None = typer.Option(
            None,
            "--augment",
            help="phase-2 augmenters in order, comma-separated; NAME:RATE gives one its own rate, e.g."
            " mention,recombine:0.2,synonym. Augmenters: " + describe_augmenters(),
        ),
        augment_rate: float = typer.Option(0.3, "--augment-rate", help="augmentation rate for phase 2"),
        augment_gazetteer: list[str] = typer.Option(
            [],
            "--augment-gazetteer",
            help="extra mentions for `mention`: LABEL=FILE (.txt or a rules gazetteer .yaml) or {LABEL: [...]}"
            " .json; repeat",
        ),
        augment_shape_labels: str | None = typer.Option(
            None,
            "--augment-shape-labels",
            help="labels `shape` may change, comma-separated (default: learnt from the training data)",
        ),
        augment_unlabelled_labels: str | None = typer.Option(
            None,
            "--augment-unlabelled-labels",
            help="labels whose names `unlabelled` looks for outside the gold spans, comma-separated (default:"
            " learnt, those of mostly capitalised multi-word mentions); a label of mostly lower-case mentions"
            " (JOB, SYMPTOM_AND_DISEASE) is matched as lower-case words: 'không sốt' -> 'không ho'",
        ),
        augment_copies: int = typer.Option(
            1, "--augment-copies", help="augmented copies of each training doc in phase 2"
        ),
        augmented_only: bool = typer.Option(
            False,
            "--augmented-only",
            help="phase 2 on the augmented copies alone (default: originals + copies)",
        ),
        augment_fresh: bool = typer.Option(
            False,
            "--augment-fresh",
            help="draw new augmented copies every phase-2 epoch (same steps; default: one set for all epochs)",
        ),
        phase2_epochs: int = typer.Option(
            0,
            "--phase2-epochs",
            help="epochs on augmented data (needs --augment; `--augment none` is the same-size control)",
        ),
        phase2_lr: float | None = typer.Option(
            None, "--phase2-lr", help="phase-2 learning rate (default: --lr)"
        ),
        segmenter: Segmenter | None = typer.Option(
            None, "--segmenter", help="word segmenter for a word-level model (PhoBERT)"
        ),
        resume: bool = typer.Option(False, "--resume", help="continue from OUT/state/state.pt"),
    ) -> None:
        """Fine-tune an encoder on TRAIN, selecting the best epoch on DEV (seqeval entity F1)."""
        import os

        # idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning halves throughput
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

        from vner.engine.training.corpus import DataFormatError, read_docs
        from vner.engine.training.train import TrainConfig
        from vner.engine.training.train import train as run_train

        check_device(device)  # fail before reading any data

        try:
            if model is None:
                from vner.engine.training.backbone import build_default

                model_dir, _ = build_default()
                model = str(model_dir)
            train_docs = read_docs(train, value_of(fmt), limit=train_limit)
            dev_docs = read_docs(dev, value_of(fmt), limit=dev_limit)
        except (DataFormatError, FileNotFoundError, RuntimeError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        if train_fraction is not None:
            if not 0 < train_fraction <= 1:
                raise typer.BadParameter("--train-fraction must be in (0, 1]")
            from vner.engine.training.corpus import sample_fraction

            train_docs = sample_fraction(
                train_docs, train_fraction, seed if fraction_seed is None else fraction_seed
            )
        names = comma_list(augment)
        shape_labels = comma_list(augment_shape_labels) or None
        unlabelled_labels = comma_list(augment_unlabelled_labels) or None
        hook = None
        if names:
            from vner.engine.augment import build_hook

            def show(report: Counter[str]) -> None:
                typer.echo("phase 2 data: " + ", ".join(f"{k}={v}" for k, v in sorted(report.items())))

            try:
                from vner.engine.augment.gazetteer_file import load_gazetteer

                options: dict[str, object] = {}
                if augment_gazetteer:
                    options["gazetteer"] = load_gazetteer(augment_gazetteer)
                if shape_labels:
                    options["shape_labels"] = shape_labels
                if unlabelled_labels:
                    options["unlabelled_labels"] = unlabelled_labels
                hook = build_hook(
                    names,
                    options=options,
                    rate=augment_rate,
                    seed=seed,
                    corpus=train_docs,
                    copies=augment_copies,
                    keep_original=not augmented_only,
                    on_report=show,
                )
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from exc
        if phase2_epochs and hook is None:
            raise typer.BadParameter("--phase2-epochs needs --augment")
        cfg = TrainConfig(
            model=model,
            out=str(out),
            epochs=epochs,
            lr=lr,
            batch_size=batch_size,
            max_length=max_length,
            warmup_steps=warmup_steps,
            weight_decay=weight_decay,
            dropout=dropout,
            seed=seed,
            patience=patience,
            freeze_embeddings=freeze_embeddings,
            max_steps=max_steps,
            max_minutes=max_minutes,
            threads=threads,
            bf16=bf16,
            device=device,
            phase2_epochs=phase2_epochs,
            phase2_lr=phase2_lr,
            augment=names,
            augment_rate=augment_rate if names else None,
            augment_copies=augment_copies,
            augmented_only=augmented_only,
            augment_fresh=augment_fresh and bool(names),
            augment_gazetteer=list(augment_gazetteer),
            augment_shape_labels=shape_labels if names else None,
            augment_unlabelled_labels=unlabelled_labels if names else None,
            groups=_groups(domain, groups_json),
            keep_labels=_model_labels(domain),
            domain=domain,
            segmenter=value_of(segmenter),
            train_path=str(train),
            dev_path=str(dev),
            train_limit=train_limit,
            train_fraction=train_fraction,
            fraction_seed=(seed if fraction_seed is None else fraction_seed) if train_fraction else None,
        )
        typer.echo(f"train {len(train_docs)} docs, dev {len(dev_docs)} docs -> {out}")
        if epochs == 0 and not phase2_epochs:
            raise typer.BadParameter(
                "--epochs 0 continues MODEL in phase 2 only: give --augment and --phase2-epochs"
            )
        summary = run_train(cfg, train_docs, dev_docs, augment=hook, resume=resume)
        typer.echo(json.dumps({k: v for k, v in summary.items() if k != "labels"}, indent=2))
