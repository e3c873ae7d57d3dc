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
