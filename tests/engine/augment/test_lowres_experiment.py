"""benchmarks/lowres_augment.py end to end on a tiny backbone: phase 1, control + augmented arms, scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vner.engine.training.corpus import read_docs

from tests.engine.tiny_model import DEV, TRAIN, make_tiny_backbone
from tests.scripts import load_script

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "lowres_augment.py"


def _module():  # type: ignore[no-untyped-def]
    return load_script(SCRIPT, "lowres_augment")


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
    assert list(summary["results"]) == ["p1", "control", "mr"]
    # mr (phase-2 seed 42) has no control of its seed: it falls back to the first `none` arm
    assert summary["pairs"] == {"control": "p1", "mr": "control"}
    [row] = summary["over_seeds"]
    assert row["arms"] == ["mr"] and row["seeds"] == [42] and row["controls"] == ["control"]
    got = 100 * (summary["results"]["mr"]["dev"]["f1"] - summary["results"]["control"]["dev"]["f1"])
    assert row["dev"]["mean"] == pytest.approx(got, abs=0.006)
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
    assert "| control | p1 |" in md and "| mr | control |" in md and "held-out dev" in md
    assert "over its phase-2 seeds" in md
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


def _res(f1: float, **per_label: float) -> dict[str, dict[str, object]]:
    split = {"f1": f1, "per_label": {k: {"f1": v} for k, v in per_label.items()}}
    return {"dev": split, "dev_heldout": {"f1": f1 - 0.01, "per_label": split["per_label"]}}


def test_arms_are_paired_with_the_control_of_their_seed_and_lr_and_summarised_over_seeds() -> None:
    mod = _module()
    arms = [
        ("c", "none --lr 3e-4"),
        ("c7", "none --lr 3e-4 --seed 7"),
        ("c2", "none --lr 2e-4"),
        ("m", "mention,synonym --augment-gazetteer 'JOB=a b.txt' --lr 3e-4 --augment-fresh"),
        ("m7", "mention,synonym --augment-gazetteer 'JOB=a b.txt' --seed 7 --lr 3e-4 --augment-fresh"),
        ("m2", "mention,synonym --lr 2e-4"),
        ("m9", "mention,synonym --lr 2e-4 --seed=9"),  # no control of seed 9: the default one
    ]
    pairs = mod.pair_controls(arms, "c", 42, 5e-5)
    assert pairs == {"c": "p1", "c7": "p1", "c2": "p1", "m": "c", "m7": "c7", "m2": "c2", "m9": "c"}
    # no control of its lr: the one of its seed (c7 at 3e-4), not the default of seed 42
    assert mod.pair_controls([*arms, ("m5_7", "mention --lr 5e-4 --seed 7")], "c", 42, 5e-5)["m5_7"] == "c7"
    # two controls of its seed at other lrs: ambiguous, the default
    assert mod.pair_controls([*arms, ("m5", "mention --lr 5e-4")], "c", 42, 5e-5)["m5"] == "c"
    assert mod.arm_flag("mention --seed 7 --lr 1e-4", "--seed", "42") == "7"
    assert mod.arm_flag("mention --lr 1e-4", "--seed", "42") == "42"
    assert mod.without_seed(arms[4][1]) == mod.without_seed(arms[3][1])
    assert mod.without_seed(arms[6][1]) == mod.without_seed(arms[5][1]) == "mention,synonym --lr 2e-4"
    results = {
        "p1": _res(0.80, LOC=0.80),
        "c": _res(0.80, LOC=0.80),
        "c7": _res(0.82, LOC=0.80),
        "c2": _res(0.81, LOC=0.81),
        "m": _res(0.83, LOC=0.84),
        "m7": _res(0.83, LOC=0.82),
        "m2": _res(0.82, LOC=0.81),
        "m9": _res(0.81, LOC=0.80),
    }
    rows = {r["recipe"]: r for r in mod.over_seeds(results, arms, pairs, 42)}
    fresh = rows[mod.without_seed(arms[3][1])]
    assert fresh["arms"] == ["m", "m7"] and fresh["seeds"] == [42, 7] and fresh["controls"] == ["c", "c7"]
    assert fresh["dev"]["deltas"] == [3.0, 1.0] and fresh["dev"]["mean"] == 2.0
    assert fresh["dev"]["per_label_mean"] == {"LOC": 3.0}
    low = rows["mention,synonym --lr 2e-4"]
    assert low["seeds"] == [42, 9] and low["dev"]["deltas"] == [1.0, 1.0]
    md = mod.seeds_table(list(rows.values()))
    assert "| m, m7 | 42 / 7 | +3.00 / +1.00 | **+2.00** |" in md
    table = mod.table({"p1": results["p1"], "m7": results["m7"]}, {"m7": "p1"}, "dev")
    assert "| p1 |  | 0.8000 |  | 0.800 |" in table and "| m7 | p1 | 0.8300 | +3.00 | +2.0 |" in table


def test_tuned_compares_each_recipe_at_its_selected_lr_with_the_control_at_its_selected_lr() -> None:
    mod = _module()
    gaz = "--augment-gazetteer 'JOB=a b.txt'"
    arms = [
        ("c", "none --lr 3e-4"),
        ("c5", "none --lr 5e-4"),
        ("c7", "none --lr 3e-4 --seed 7"),
        ("m", f"mention {gaz} --lr 3e-4"),
        ("m5", f"mention {gaz} --lr=5e-4"),
        ("m7", f"mention {gaz} --lr 3e-4 --seed 7"),
        ("m5_7", f"mention {gaz} --seed 7 --lr 5e-4"),
        ("s", "synonym --lr 3e-4 --seed 9"),  # no control of seed 9: no row
    ]
    # selection F1 picks c (not c5) at seed 42, m5 at 42 and m7 at 7 (its evaluated F1 is lower than m5_7's:
    # the choice never looks at the evaluated docs)
    chosen_by = {"c": 0.82, "c5": 0.81, "c7": 0.80, "m": 0.83, "m5": 0.85, "m7": 0.84, "m5_7": 0.83, "s": 0.9}
    results = {
        "c": _res(0.86), "c5": _res(0.90), "c7": _res(0.85), "m": _res(0.87), "m5": _res(0.88),
        "m7": _res(0.86), "m5_7": _res(0.95), "s": _res(0.99),
    }  # fmt: skip
    [row] = mod.tuned(results, arms, chosen_by, 42, 5e-5)
    assert row["recipe"] == f"mention {gaz}"
    assert row["seeds"] == [42, 7] and row["arms"] == ["m5", "m7"] and row["controls"] == ["c", "c7"]
    assert row["lrs"] == [5e-4, 3e-4] and row["control_lrs"] == [3e-4, 3e-4]
    assert row["dev"]["deltas"] == [2.0, 1.0] and row["dev"]["mean"] == 1.5
    assert row["dev_heldout"]["deltas"] == [2.0, 1.0]
    md = mod.tuned_table([row])
    assert (
        "| 42 / 7 | m5 (0.0005) vs c (0.0003), m7 (0.0003) vs c7 (0.0003) | +2.00 / +1.00 | **+1.50** |" in md
    )
    # one lr everywhere: nothing was tuned, no row
    same_lr = [a for a in arms if a[0] in ("c", "c7", "m", "m7")]
    assert mod.tuned(results, same_lr, chosen_by, 42, 5e-5) == []
    assert mod.without_flags("mention --seed 7 --lr=1e-4 --augment-fresh", ("--seed", "--lr")) == (
        "mention --augment-fresh"
    )
