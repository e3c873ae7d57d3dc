"""Entity-level evaluation: projection, strict matching, reports and comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.evaluation.scoring import (
    compare,
    evaluate,
    load_result,
    markdown_table,
    project,
    write_reports,
)
from vner.engine.training.corpus import Doc, Span, read_docs
from vner.rules.entity import Entity

from tests.engine.tiny_model import DEV
from vner.cli import app


class LookupPredictor:
    """Answers with the gold spans of known texts, optionally trimmed or relabelled."""

    def __init__(self, docs: list[Doc], *, trim: int = 0, relabel: dict[str, str] | None = None) -> None:
        self.gold = {d.text: d.spans for d in docs}
        self.trim, self.relabel = trim, relabel or {}

    def predict(self, texts: list[str]) -> list[list[Entity]]:
        out = []
        for t in texts:
            ents = []
            for s in self.gold.get(t, ()):
                end = s.end - self.trim if s.end - self.trim > s.start else s.end
                ents.append(Entity(s.start, end, self.relabel.get(s.label, s.label), t[s.start : end]))
            out.append(ents)
        return out


def test_perfect_empty_and_relabelled_predictions() -> None:
    docs = read_docs(DEV)
    perfect = evaluate(LookupPredictor(docs), docs)
    assert perfect["f1"] == 1.0 and perfect["gold_entities"] == perfect["predicted_entities"] == 17
    assert set(perfect["per_label"]) == {"DATE", "LOCATION", "ORGANIZATION", "PERSON"}
    empty = evaluate(LookupPredictor([]), docs)
    assert empty["f1"] == 0.0 and empty["recall"] == 0.0
    swapped = evaluate(LookupPredictor(docs, relabel={"PERSON": "LOCATION"}), docs)
    assert swapped["per_label"]["PERSON"]["recall"] == 0.0
    assert swapped["per_label"]["DATE"]["f1"] == 1.0
    assert 0 < swapped["f1"] < 1


def test_a_span_cutting_a_word_is_wrong_not_rounded() -> None:
    docs = read_docs(DEV)
    trimmed = evaluate(LookupPredictor(docs, trim=1), docs)
    assert trimmed["f1"] == 0.0
    doc = Doc("x", "Anh Lê Văn Tám ở Huế", (Span(4, 14, "PER"),))
    gold, pred = project(doc, [Span(4, 13, "PER")])
    assert len(gold) == len(pred) == len(doc.tokens) + 1
    assert pred.count("B-PER") == 1 and gold != pred


def test_groups_apply_to_gold_and_predictions() -> None:
    docs = read_docs(DEV)
    res = evaluate(LookupPredictor(docs), docs, groups={"AGENT": ["PERSON", "ORGANIZATION"]})
    assert set(res["per_label"]) == {"AGENT", "DATE", "LOCATION"} and res["f1"] == 1.0


def test_bad_offsets_and_empty_input_are_errors() -> None:
    class Broken:
        def predict(self, texts: list[str]) -> list[list[Entity]]:
            return [[Entity(0, 3, "PERSON", "zzz")] for _ in texts]

    with pytest.raises(ValueError, match="offsets do not match"):
        evaluate(Broken(), read_docs(DEV))
    with pytest.raises(ValueError, match="no documents"):
        evaluate(LookupPredictor([]), [])


def test_reports_and_compare(tmp_path: Path) -> None:
    docs = read_docs(DEV)
    a = evaluate(LookupPredictor(docs, relabel={"DATE": "PERSON"}), docs, name="a")
    b = evaluate(LookupPredictor(docs), docs, name="b")
    paths = write_reports(a, tmp_path, "a")
    write_reports(b, tmp_path, "b")
    assert paths["png"].stat().st_size > 1000
    md = paths["md"].read_text()
    assert "| DATE | 0.0000 | 0.0000 | 0.0000 | 3 |" in md and "**micro**" in md
    assert load_result(paths["json"])["f1"] == a["f1"]
    table = compare(a, b, name_a="a", name_b="b")
    assert "| DATE | 0.0000 | 1.0000 | +1.0000 |" in table
    res = CliRunner().invoke(
        app,
        ["eval", "--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")],
    )
    assert res.exit_code == 0 and "micro f1" in res.output
    (tmp_path / "junk.json").write_text(json.dumps({"f1": 1}))
    with pytest.raises(ValueError, match="not a vner eval result"):
        load_result(tmp_path / "junk.json")
    assert markdown_table(b).count("1.0000") >= 4
