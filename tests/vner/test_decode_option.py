"""``--decode argmax|viterbi`` on ``vner eval`` and ``vner tag`` (issue 21, item 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from vner.engine.pipeline import hybrid

from tests.engine.tiny_model import DEV, make_tiny_model
from vner.cli import app

RUN = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


@pytest.mark.parametrize("cmd", [["eval", str(DEV), "--model", "m"], ["tag", "x", "--model", "m"]])
def test_an_unknown_decoding_is_refused_by_the_parser(cmd: list[str]) -> None:
    res = RUN.invoke(app, [*cmd, "--decode", "beam"], env=ENV)
    assert res.exit_code == 2
    assert "'beam' is not one of 'argmax', 'viterbi'" in res.output


def test_tag_decode_needs_a_model() -> None:
    res = RUN.invoke(app, ["tag", "Chị Lan ở Hà Nội", "--decode", "viterbi"], env=ENV)
    assert res.exit_code == 2 and "give --model (without --rules-only)" in res.output
    res = RUN.invoke(app, ["tag", "x", "--model", "m", "--rules-only", "--decode", "argmax"], env=ENV)
    assert res.exit_code == 2 and "give --model (without --rules-only)" in res.output


def test_tag_passes_the_decoding_to_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    real_build = hybrid.build_pipeline

    def fake_build(**kwargs: Any) -> Any:
        seen.update(kwargs)
        return real_build(domain=kwargs["domain"])  # rules only: no model to load here

    monkeypatch.setattr(hybrid, "build_pipeline", fake_build)
    res = RUN.invoke(app, ["tag", "gọi 0912345678", "--model", "m", "--decode", "viterbi"], env=ENV)
    assert res.exit_code == 0, res.output
    assert seen == {"domain": "general", "model_dir": "m", "decoding": "viterbi"}
    seen.clear()
    assert RUN.invoke(app, ["tag", "gọi 0912345678", "--model", "m"], env=ENV).exit_code == 0
    assert seen["decoding"] is None  # the model's own choice


def test_eval_runs_with_each_decoding(tmp_path: Path) -> None:
    model = make_tiny_model(tmp_path / "m", seed=5)
    for choice in ("argmax", None):
        args = ["eval", str(DEV), "--model", str(model), "--limit", "4", "--out", str(tmp_path / "r")]
        args += ["--name", str(choice)] + (["--decode", choice] if choice else [])
        res = RUN.invoke(app, args, env=ENV)
        assert res.exit_code == 0, res.output
        report = json.loads((tmp_path / "r" / f"{choice}.json").read_text("utf-8"))
        assert (
            report["decoding"] == (choice or "viterbi") and report["backend"] == "torch"
        )  # None: the default
