"""``vner eval`` predictor backends live in the generic registry (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.rules.registry import Registry

from vner.cli import app
from vner.commands.eval_cmd import PREDICTOR_BUILDERS, _onnx, _torch

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "synth_cs_small.jsonl"


def test_backends_resolve_by_name() -> None:
    assert isinstance(PREDICTOR_BUILDERS, Registry)
    assert PREDICTOR_BUILDERS.names() == ("torch", "onnx")
    assert PREDICTOR_BUILDERS.get("torch") is _torch and PREDICTOR_BUILDERS["onnx"] is _onnx
    assert PREDICTOR_BUILDERS.help("onnx").startswith("A ``vner export`` folder")
    with pytest.raises(KeyError, match=r"unknown predictor backend 'tf'; known: onnx, torch"):
        PREDICTOR_BUILDERS.get("tf")


def test_unknown_backend_is_a_cli_error_listing_the_known_ones(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        ["eval", str(DATA), "--model", str(tmp_path), "--backend", "tf", "--limit", "2"],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code != 0
    assert "unknown backend 'tf'; known: torch, onnx" in res.output
