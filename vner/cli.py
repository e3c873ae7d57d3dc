"""``vner`` command line: each command lives in its own module under ``vner/commands``.

Every module in :data:`COMMAND_MODULES` exposes ``register(app: typer.Typer) -> None``. Heavy
dependencies (torch, onnxruntime, confluent-kafka) are imported inside the command bodies so that
``vner --help`` and the rules-only path stay fast and install light.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "vner.commands.tag",
    "vner.commands.rules_cmd",
    "vner.commands.model_cmd",
    "vner.commands.train_cmd",
    "vner.commands.distill_cmd",
    "vner.commands.eval_cmd",
    "vner.commands.export_cmd",
    "vner.commands.prune_cmd",
    "vner.commands.data_cmd",
    "vner.commands.synth_cmd",
    "vner.commands.run_cmd",
    "vner.commands.services_cmd",
    "vner.commands.demo_cmd",
    "vner.commands.augment_cmd",
    "vner.commands.annotate_cmd",
)

app = typer.Typer(
    name="vner",
    help=(
        "Hybrid (rules + transformer) named-entity recognition for Vietnamese domain text.\n\n"
        "Rules tag validated identifiers, money and time; a fine-tuned encoder (ONNX) tags semantic "
        "labels; post-processing merges, repairs and restores fine labels. Run it on text (tag), "
        "on files (eval), or as a Kafka stream processor (run)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _load_commands() -> None:
    """Register every command module; a listed module that is missing is an error, never skipped."""
    for mod_name in COMMAND_MODULES:
        mod = importlib.import_module(mod_name)  # ModuleNotFoundError names the missing module
        mod.register(app)


_load_commands()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
