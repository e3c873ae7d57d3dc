"""``vner eval --pipeline`` and ``vner eval --ablation`` on the synthetic fixture (rules only: no model)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vner.cli import app

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "synth_cs_small.jsonl"


def test_eval_ablation_writes_the_table(tmp_path: Path) -> None:
    args = [
        "eval",
        str(DATA),
        "--domain",
        "customer_service",
        "--ablation",
        "--limit",
        "40",
        "--out",
        str(tmp_path),
    ]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "| rules only |" in res.output and "| rules + post-processing |" in res.output
    data = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in data["rows"]] == ["rules only", "rules + post-processing"]
    assert data["meta"]["documents"] == 40


def test_eval_pipeline_scores_fine_labels(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "eval",
            str(DATA),
            "--domain",
            "customer_service",
            "--pipeline",
            "--limit",
            "40",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    result = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert result["backend"] == "pipeline" and "PHONE_NUMBER" in result["per_label"]
    assert result["versions"]["model"] == "none"


def test_pipeline_flags_need_a_domain_and_a_valid_ref_time() -> None:
    res = CliRunner().invoke(app, ["eval", str(DATA), "--pipeline"])
    assert res.exit_code != 0 and "--domain" in res.output
    res = CliRunner().invoke(
        app, ["eval", str(DATA), "--pipeline", "--domain", "customer_service", "--ref-time", "x"]
    )
    assert res.exit_code != 0 and "ISO" in res.output
