"""The YAML-declared regex recognizer: scores, groups, context words, validators, config errors."""

from __future__ import annotations

from datetime import datetime

import pytest
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.pattern import PatternRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25))


def test_group_value_and_score() -> None:
    rec = PatternRecognizer(
        config={
            "label": "AGE",
            "patterns": [
                {"name": "n_tuoi", "regex": r"(?<!\d)(?P<n>\d{1,3})\s?tuổi", "score": 0.9, "group": "n"}
            ],
            "value": "digits",
        }
    )
    [ent] = rec.analyze("BN 45 tuổi, nữ", CTX)
    assert (ent.start, ent.end, ent.text, ent.value, ent.label, ent.score) == (3, 5, "45", "45", "AGE", 0.9)
    assert ent.source == "rule:pattern.v1" and "n_tuoi" in ent.explanation


def test_vnd_value_mode() -> None:
    rec = PatternRecognizer(
        config={"label": "MONEY_AMOUNT", "patterns": [r"\d{1,3}(?:[.,]\d{3})+"], "value": "vnd"}
    )
    assert [e.value for e in rec.analyze("phụ cấp 618,000 và 1.050.000", CTX)] == [
        {"amount": 618000, "currency": "VND"},
        {"amount": 1050000, "currency": "VND"},
    ]


def test_context_raises_score_and_can_be_required() -> None:
    cfg = {
        "label": "GENDER",
        "patterns": [{"regex": r"\b(?:nam|nữ)\b", "score": 0.5}],
        "context": ["tuổi", "bệnh nhân"],
        "context_window": 15,
        "context_boost": 0.3,
        "ignore_case": False,
    }
    soft = PatternRecognizer(config=cfg)
    hard = PatternRecognizer(config={**cfg, "require_context": True})
    [near] = soft.analyze("bệnh nhân nữ, 45 tuổi", CTX)
    assert near.score == pytest.approx(0.8) and "bệnh nhân" in near.explanation
    [far] = soft.analyze("đi về phía nam rất xa khỏi thành phố", CTX)
    assert far.score == 0.5
    assert hard.analyze("đi về phía nam rất xa khỏi thành phố", CTX) == []
    assert len(hard.analyze("benh nhan nu, nam 45 tuoi", CTX)) == 1  # context matched without diacritics


def test_validator_three_way() -> None:
    from vner.rules.validators import VALIDATORS

    name = "luhn.v1"
    assert name in VALIDATORS
    rec = PatternRecognizer(
        config={"label": "BANK_CARD", "patterns": [{"regex": r"\b\d{16}\b", "score": 0.4}], "validator": name}
    )
    ents = rec.analyze("thẻ 4111111111111111 và 4111111111111112", CTX)
    assert [(e.text, e.score) for e in ents] == [("4111111111111111", 1.0)]  # Luhn fails -> dropped


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"patterns": [r"\d"]}, "label"),
        ({"label": "lower", "patterns": [r"\d"]}, "label"),
        ({"label": "X", "patterns": []}, "patterns"),
        ({"label": "X", "patterns": [r"(\d"]}, r"patterns\[0\].regex"),
        ({"label": "X", "patterns": [r"\d*"]}, "empty string"),
        ({"label": "X", "patterns": [{"regex": r"\d", "score": 1.5}]}, r"patterns\[0\].score"),
        ({"label": "X", "patterns": [{"regex": r"\d", "group": "g"}]}, r"patterns\[0\].group"),
        ({"label": "X", "patterns": [{"regex": r"\d", "colour": 1}]}, r"patterns\[0\].colour"),
        ({"label": "X", "patterns": [r"\d"], "validator": "no_such.v9"}, "validator"),
        ({"label": "X", "patterns": [r"\d"], "require_context": True}, "require_context"),
        ({"label": "X", "patterns": [r"\d"], "value": "shout"}, "value"),
        ({"label": "X", "patterns": [r"\d"], "speed": 3}, "speed"),
    ],
)
def test_bad_config_names_the_key(config: dict, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        PatternRecognizer(config=config)
