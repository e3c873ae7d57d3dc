"""The synthetic message generator: seeded determinism, exact gold spans, noise at the set rates, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from vner.engine.synth.generator import LABELS, SynthConfig, generate
from vner.rules.normalize import strip_diacritics

from vner.cli import app

ROOT = Path(__file__).resolve().parents[3]


def test_same_seed_same_messages_other_seed_other_messages() -> None:
    a = list(generate(SynthConfig(n=50, seed=7)))
    assert a == list(generate(SynthConfig(n=50, seed=7)))
    assert a != list(generate(SynthConfig(n=50, seed=8)))
    assert len({r["id"] for r in a}) == 50


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    informal=st.floats(0, 1),
    plain=st.floats(0, 1),
    typo=st.floats(0, 1),
)
def test_every_gold_span_is_well_formed(seed: int, informal: float, plain: float, typo: float) -> None:
    cfg = SynthConfig(n=20, seed=seed, informal_rate=informal, no_diacritics_rate=plain, typo_rate=typo)
    for rec in generate(cfg):
        text, ents = rec["text"], rec["entities"]
        assert ents, rec["id"]
        prev_end = 0
        for e in ents:
            assert e["label"] in LABELS
            assert prev_end <= e["start"] < e["end"] <= len(text)
            surface = text[e["start"] : e["end"]]
            assert surface == surface.strip() and surface
            prev_end = e["end"]


def test_no_noise_gives_standard_spelling_full_noise_drops_diacritics() -> None:
    clean = list(generate(SynthConfig(n=100, seed=1, informal_rate=0, no_diacritics_rate=0, typo_rate=0)))
    assert not any(" ko " in r["text"] or " đc " in r["text"] for r in clean)
    assert sum(strip_diacritics(r["text"]) != r["text"] for r in clean) > 90
    plain = list(generate(SynthConfig(n=100, seed=1, no_diacritics_rate=1.0)))
    assert all(strip_diacritics(r["text"]) == r["text"] for r in plain)


def test_rates_are_roughly_honoured() -> None:
    recs = list(generate(SynthConfig(n=1000, seed=3, no_diacritics_rate=0.2, informal_rate=0, typo_rate=0)))
    share = sum(strip_diacritics(r["text"]) == r["text"] for r in recs) / len(recs)
    assert 0.15 < share < 0.25


def test_label_coverage_and_the_papers_bank_patterns() -> None:
    recs = list(generate(SynthConfig(n=400, seed=7)))
    labels = {e["label"] for r in recs for e in r["entities"]}
    assert labels == set(LABELS)
    nested = [
        r for r in recs if "(" in r["text"] and sum(e["label"] == "BANK_NAME" for e in r["entities"]) == 2
    ]
    listed = [r for r in recs if sum(e["label"] == "BANK_NAME" for e in r["entities"]) == 3]
    assert nested and listed


def test_bad_rates_are_rejected() -> None:
    with pytest.raises(ValueError, match="typo_rate"):
        SynthConfig(typo_rate=1.5)
    with pytest.raises(ValueError, match="n must be"):
        SynthConfig(n=-1)


def test_committed_samples_match_the_generator() -> None:
    for rel, n in (("streams/data/sample_messages.jsonl", 60), ("tests/fixtures/synth_cs_small.jsonl", 200)):
        lines = (ROOT / rel).read_text(encoding="utf-8").splitlines()
        assert [json.loads(x) for x in lines] == list(generate(SynthConfig(n=n, seed=7))), rel


def test_cli_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    res = CliRunner().invoke(app, ["data", "synth", "--n", "5", "--seed", "7", "--out", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert recs == list(generate(SynthConfig(n=5, seed=7)))
    res = CliRunner().invoke(app, ["data", "synth", "--n", "2", "--typo-rate", "2"])
    assert res.exit_code != 0
