"""End to end: the real customer_service rule set and a real (tiny, randomly initialised) ONNX model.

The model's tags are arbitrary (random weights), so these tests check the contract, not accuracy: offsets
into the caller's NFD text, stage provenance, rule-owned labels decided by rules, determinism, versions.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from vner.engine.pipeline.hybrid import DomainSpec, Pipeline, build_pipeline
from vner.engine.runtime.tagger import OnnxTagger
from vner.engine.training.export import export_model
from vner.rules.ruleset import RuleSet
from vner.rules.schema import load_schema

from tests.engine.tiny_model import make_tiny_model

REF = datetime(2026, 11, 25, 9, 0)
TEXTS = [
    "Em tên Nguyễn Văn An, sđt 0912345678, đơn SPX-HN-123456789 giao tới 12 Nguyễn Trãi, quận 1, TP.HCM",
    unicodedata.normalize("NFD", "Chuyển khoản 350.000đ qua Vietcombank  ngày 15/3 giúp mình\tnhé"),
    "",
    "ok",
]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model_dir = make_tiny_model(tmp_path_factory.mktemp("e2e") / "model")
    return Path(export_model(model_dir, int8=False, fp16=False).out_dir)


@pytest.fixture(scope="module")
def tagger(onnx_dir: Path) -> OnnxTagger:
    return OnnxTagger.from_dir(onnx_dir, precision="fp32")


@pytest.fixture(scope="module")
def pipeline(tagger: OnnxTagger) -> Pipeline:
    spec = DomainSpec.from_schema(load_schema("customer_service"), RuleSet.for_domain("customer_service"))
    return Pipeline(domains={"customer_service": spec}, model=tagger)


def test_contract_with_a_real_model_and_real_rules(pipeline: Pipeline, tagger: OnnxTagger) -> None:
    out = pipeline.process(TEXTS, domain="customer_service", ref_time=REF)
    assert len(out) == len(TEXTS) and out[2] == []
    rule_labels = set(load_schema("customer_service").rule_labels)
    for text, ents in zip(TEXTS, out, strict=True):
        for e in ents:
            assert text[e.start : e.end] == e.text
            assert e.stages[0] in ("rules", "model")
            assert e.source.startswith("rule:" if e.stages[0] == "rules" else "model:")
    labels = {(e.text, e.label) for e in out[0]}
    assert ("0912345678", "PHONE_NUMBER") in labels
    assert ("SPX-HN-123456789", "ORDER_CODE") in labels
    assert any(e.label == "MONEY" and e.text == "350.000đ" for e in out[1])
    # where a rule found a rule-owned label, no model span overlaps it
    for ents in out:
        owned = [e for e in ents if e.stages[0] == "rules" and e.label in rule_labels]
        assert not any(m.overlaps(r) for r in owned for m in ents if m.stages[0] == "model")
    assert pipeline.versions.model == tagger.source


def test_deterministic_with_a_real_model(pipeline: Pipeline) -> None:
    a = pipeline.process(TEXTS, domain="customer_service", ref_time=REF)
    assert a == pipeline.process(TEXTS, domain="customer_service", ref_time=REF)


def test_build_pipeline_rules_only_and_with_a_model_dir(tagger: OnnxTagger, tmp_path: Path) -> None:
    rules_only = build_pipeline("customer_service")
    assert rules_only.model is None and rules_only.versions.model == "none"
    (ents,) = rules_only.process(TEXTS[:1], domain="customer_service", ref_time=REF)
    assert all(e.stages[0] == "rules" for e in ents)
    with pytest.raises(ValueError, match="unknown post-processing step"):
        build_pipeline("customer_service", disabled_steps=["nope"])


def test_build_pipeline_leaves_rules_only_hints_out_beside_a_model(onnx_dir: Path) -> None:
    text = "Bệnh nhân 91 điều trị ở Hà Nội"
    rules_only = build_pipeline("covid19")
    (ents,) = rules_only.process([text], domain="covid19", ref_time=REF)
    assert ("LOCATION", "Hà Nội") in {(e.label, e.text) for e in ents}
    hybrid = build_pipeline("covid19", str(onnx_dir), precision="fp32")
    assert hybrid.model is not None
    assert hybrid.domains["covid19"].ruleset is RuleSet.for_domain("covid19", with_model=True)


def test_gam_body_numbers_and_sizes_get_their_fine_labels() -> None:
    """Rules give "vòng 1 86" a BODY_MEASUREMENT and "size M" a SIZE; post-processing restores the fine label."""
    text = "chị cao 1m58, vòng 1 86 vòng 2 64 vòng 3 90, mặc size M, L được không"
    [ents] = build_pipeline("gam").process([text], domain="gam", ref_time=REF)
    assert [(e.label, e.text) for e in ents] == [
        ("CUSTOMER_HEIGHT", "1m58"),
        ("CHEST_CIRCUMFERENCE", "86"),
        ("WAIST_CIRCUMFERENCE", "64"),
        ("HIP_CIRCUMFERENCE", "90"),
        ("SIZE", "M"),
    ]
