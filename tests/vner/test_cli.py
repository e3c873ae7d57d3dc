"""The CLI shell: every command module exists, and the command tree is exactly the hand-written one below."""

from __future__ import annotations

import importlib

import pytest
import typer
from typer.testing import CliRunner

from vner.cli import COMMAND_MODULES, app

# Written by hand from the documented CLI (README), not read from the app: a command that disappears, is
# renamed or appears unannounced fails here.
EXPECTED: dict[str, tuple[str, ...]] = {
    "annotate": ("agreement", "expand", "export-ls", "import-ls", "optimize", "run"),
    "augment": (),
    "consume": (),
    "data": ("convert", "stats", "synth"),
    "demo": (),
    "distill": (),
    "eval": (),
    "export": (),
    "model": ("build-default", "prune"),
    "produce": (),
    "rules": ("check", "list"),
    "run": (),
    "services": ("start", "status", "stop"),
    "tag": (),
    "topics": ("create",),
    "train": (),
}
EVERY_COMMAND = [(cmd,) for cmd in EXPECTED] + [(cmd, sub) for cmd, subs in EXPECTED.items() for sub in subs]


def test_every_command_module_registers() -> None:
    for name in COMMAND_MODULES:
        mod = importlib.import_module(name)
        assert callable(mod.register), name


def test_command_tree_is_the_expected_one() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert sorted(commands) == sorted(EXPECTED)
    for cmd, subs in EXPECTED.items():
        assert sorted(getattr(commands[cmd], "commands", {})) == sorted(subs), cmd


def test_help_lists_commands() -> None:
    res = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    listed = {
        line.split()[1] for line in res.output.splitlines() if line.startswith("│ ") and len(line.split()) > 1
    }
    assert set(EXPECTED) <= listed


@pytest.mark.parametrize("path", EVERY_COMMAND, ids=" ".join)
def test_every_command_help_runs(path: tuple[str, ...]) -> None:
    res = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Usage: " in res.output and " ".join(path) in res.output


def test_augmenter_help_is_built_from_the_registry() -> None:
    """`vner augment --help` and `vner train --help` name every registered augmenter, with what it does."""
    from vner.engine.augment import AUGMENTERS, DESCRIPTIONS, describe_augmenters

    assert set(DESCRIPTIONS) == set(AUGMENTERS)
    group = typer.main.get_command(app)
    helps = {
        (cmd, opt): next(p.help for p in group.commands[cmd].params if opt in getattr(p, "opts", ()))  # type: ignore[attr-defined]
        for cmd, opt in (("augment", "--augmenters"), ("train", "--augment"))
    }
    for text in helps.values():
        assert describe_augmenters() in text
        for name, what in DESCRIPTIONS.items():
            assert f"{name}: {what}" in text
    res = CliRunner().invoke(app, ["augment", "--help"], env={"COLUMNS": "2000"})
    assert res.exit_code == 0 and "backtranslate: vi -> pivot" in res.output
