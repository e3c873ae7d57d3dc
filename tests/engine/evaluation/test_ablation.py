"""Ablation rows (model only; + rules; + post-processing; + augmentation), strict scoring, and the outputs."""

from __future__ import annotations

import json
from pathlib import Path

from vner.engine.evaluation.ablation import run_ablation, to_markdown, variants, write_ablation
from vner.engine.pipeline.hybrid import DomainSpec
from vner.engine.training.corpus import Doc, Span

from tests.engine.pipeline.test_hybrid import CTX, REF, PhoneRule, SubstringTagger

TEXTS = ["Chị Pham Minh Chinh gọi 0912345678", "giao tòa nhà Avalon, quận 1 nhé", "sđt 0987654321"]
GOLD = [
    [(4, 19, "CUSTOMER_NAME"), (24, 34, "PHONE")],
    [(5, 27, "ADDRESS")],
    [(4, 14, "PHONE")],
]
DOCS = [
    Doc(str(i), t, tuple(Span(*g) for g in gs)) for i, (t, gs) in enumerate(zip(TEXTS, GOLD, strict=True))
]


def test_each_stage_adds_on_a_case_built_for_it(tmp_path: Path) -> None:
    spec = DomainSpec(context=CTX, ruleset=PhoneRule())
    model = SubstringTagger([("Pham", "CUSTOMER_NAME"), ("tòa nhà Avalon", "ADDRESS")])
    better = SubstringTagger([("Pham Minh Chinh", "CUSTOMER_NAME"), ("tòa nhà Avalon, quận 1", "ADDRESS")])
    configs = variants(spec, "cs", model, augmented=better)
    assert [n for n, _ in configs] == ["model only", "+ rules", "+ post-processing", "+ augmentation"]
    res = run_ablation(DOCS, configs, domain="cs", ref_time=REF, batch_size=2)
    f1 = [r["micro"]["f1"] for r in res.rows]
    assert f1[0] == 0.0  # partial spans only
    assert f1[1] == 50.0  # + rules: both phones right, the two partial model spans still wrong
    assert f1[2] == 100.0 and f1[3] == 100.0
    assert res.rows[1]["delta_f1"] > 0 and res.rows[2]["delta_f1"] > 0
    assert res.rows[2]["per_label"]["ADDRESS"]["f1"] == 100.0
    paths = write_ablation(res, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [r["name"] for r in data["rows"]] == [n for n, _ in configs]
    md = paths["md"].read_text(encoding="utf-8")
    assert "| + post-processing | 100.00 | 100.00 | 100.00 |" in md
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_a_model_only_rule_rows() -> None:
    spec = DomainSpec(context=CTX, ruleset=PhoneRule())
    configs = variants(spec, "cs", None)
    res = run_ablation(DOCS, configs, domain="cs", ref_time=REF)
    assert [r["name"] for r in res.rows] == ["rules only", "rules + post-processing"]
    assert res.rows[0]["per_label"]["PHONE"]["f1"] == 100.0
    assert "| PHONE |" in to_markdown(res)


def test_ablate_corpus_on_the_synthetic_fixture_rules_only(tmp_path: Path) -> None:
    from vner.engine.evaluation.ablation import ablate_corpus

    data = Path(__file__).resolve().parents[2] / "fixtures" / "synth_cs_small.jsonl"
    res = ablate_corpus(data, domain="customer_service", model_dir=None, out_dir=tmp_path, limit=60)
    assert [r["name"] for r in res.rows] == ["rules only", "rules + post-processing"]
    assert res.meta["documents"] == 60
    phone = res.rows[-1]["per_label"]["PHONE_NUMBER"]
    assert phone["support"] > 0 and phone["f1"] > 90  # validated phones: the rules' job
    assert (tmp_path / "ablation.md").is_file() and (tmp_path / "ablation.png").is_file()


def test_memo_predictor_calls_the_model_once_per_text() -> None:
    from vner.engine.evaluation.ablation import MemoPredictor

    inner = SubstringTagger([("Avalon", "ADDRESS")])
    memo = MemoPredictor(inner)
    a = memo.predict(["x Avalon", "y", "x Avalon"])
    b = memo.predict(["y", "x Avalon", "z"])
    assert a[0] == a[2] == b[1] and [len(x) for x in a] == [1, 0, 1]
    assert inner.calls == [["x Avalon", "y"], ["z"]]
    assert memo.source == inner.source
