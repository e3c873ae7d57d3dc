"""benchmarks/lowres_augment.py end to end on a tiny backbone: phase 1, control + augmented arms, scores."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from engine.data import read_docs
from tests.engine.tiny_model import DEV, TRAIN, make_tiny_backbone

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "lowres_augment.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lowres_augment", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["lowres_augment"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_experiment_runs_every_arm_from_one_phase1_and_reuses_finished_runs(tmp_path: Path) -> None:
    mod = _module()
    backbone = make_tiny_backbone(tmp_path / "bert")
    out = tmp_path / "exp"
    orgs = tmp_path / "orgs.txt"
    orgs.write_text("# comment\nViện Pasteur Nha Trang\nBộ Y tế\n", encoding="utf-8")
    args = [
        "--train", str(TRAIN), "--dev", str(DEV), "--out", str(out), "--model", str(backbone),
        "--fraction", "0.5", "--select-limit", "4", "--batch-size", "8",
        "--phase1-epochs", "2", "--phase1-lr", "5e-3", "--phase1-warmup", "2",
        "--phase2-epochs", "1", "--copies", "2", "--phase2-lr", "5e-3",
        "--arm", "control=none --seed 7", "--arm", f"mr=mention,recombine:0.3,shape --augment-gazetteer 'ORGANIZATION={orgs}' --augment-shape-labels DATE --augment-fresh",
    ]  # fmt: skip
    assert mod.main(args) == 0
    summary = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(summary["results"]) == ["control", "p1", "mr"]
    for name in ("p1", "control", "mr"):
        assert (out / f"{name}.done").exists() and (out / name / "model.safetensors").exists()
    mr_cfg = json.loads((out / "mr" / "train_config.json").read_text(encoding="utf-8"))
    assert mr_cfg["augment"] == ["mention", "recombine:0.3", "shape"] and mr_cfg["augment_copies"] == 2
    assert mr_cfg["augment_shape_labels"] == ["DATE"] and mr_cfg["augment_fresh"] is True
    assert mr_cfg["epochs"] == 0 and mr_cfg["model"] == str(out / "p1")
    assert mr_cfg["augment_gazetteer"] == [f"ORGANIZATION={orgs}"]  # the arm's own flags reach its run only
    control_cfg = json.loads((out / "control" / "train_config.json").read_text(encoding="utf-8"))
    assert control_cfg["augment"] == ["none"] and control_cfg["augment_gazetteer"] == []
    assert control_cfg["augment_fresh"] is False
    # an arm's own --seed changes its phase 2 only: every run trains on the subset --seed 42 drew
    assert control_cfg["seed"] == 7 and mr_cfg["seed"] == 42
    assert control_cfg["fraction_seed"] == mr_cfg["fraction_seed"] == 42 and mr_cfg["train_fraction"] == 0.5
    mr_log = (out / "mr.log").read_text(encoding="utf-8")
    assert "phase2_docs=" in mr_log and "shape.entities_seen=" in mr_log  # DATE mentions looked at by shape
    held = read_docs(out / "dev_heldout.jsonl")
    assert [d.text for d in held] == [d.text for d in read_docs(DEV)[4:]]
    for split in ("dev", "dev_heldout"):
        for r in summary["results"].values():
            assert 0.0 <= r[split]["f1"] <= 1.0 and r[split]["per_label"]
    md = (out / "results.md").read_text(encoding="utf-8")
    assert "| control |" in md and "| mr |" in md and "held-out dev" in md
    stamp = (out / "mr.done").read_text(encoding="utf-8")
    log_size = (out / "mr.log").stat().st_size
    assert mod.main(args) == 0  # a finished run is reused, not trained again
    assert (out / "mr.done").read_text(encoding="utf-8") == stamp
    assert (out / "mr.log").stat().st_size == log_size
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["results"] == summary["results"]


def test_bad_arms_are_refused(tmp_path: Path) -> None:
    mod = _module()
    base = ["--train", str(TRAIN), "--dev", str(DEV), "--out", str(tmp_path)]
    for arms in (
        ["--arm", "oops"],
        ["--arm", "a=none", "--arm", "a=mention"],
        ["--arm", "x/y=none"],
        ["--arm", "a=--lr 1e-3"],  # flags without a recipe
        ["--arm", "a=mention --augment-gazetteer 'LOC=x"],  # unbalanced quote
    ):
        with pytest.raises(SystemExit):
            mod.main(base + arms)
    with pytest.raises(SystemExit):
        mod.main([*base, "--arm", "a=none", "--control", "b"])
