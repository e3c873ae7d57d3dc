"""The CLI shell: every command module exists and ``vner --help`` lists every command."""

from __future__ import annotations

import importlib

from typer.testing import CliRunner

from vner.cli import COMMAND_MODULES, app


def test_every_command_module_registers() -> None:
    for name in COMMAND_MODULES:
        mod = importlib.import_module(name)
        assert callable(mod.register), name


def test_help_lists_commands() -> None:
    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("tag", "rules", "train", "eval", "export", "run"):
        assert cmd in res.output


def test_augmenter_help_is_built_from_the_registry() -> None:
    """`vner augment --help` and `vner train --help` name every registered augmenter, with what it does."""
    import typer
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
