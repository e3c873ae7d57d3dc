"""vner.rules.entity: an entity's explicit origin, and its dict form (what the cache and the records carry)."""

from __future__ import annotations

from datetime import datetime

import pytest
from vner.rules.entity import Entity, Origin
from vner.rules.ruleset import RuleSet


def test_dict_round_trip_keeps_the_origin() -> None:
    e = Entity(4, 14, "PHONE", "0912345678", value="+84912345678", source="rule:phone.v1", origin=Origin.RULE)
    d = e.to_dict()
    assert d["origin"] == "rule" and isinstance(d["origin"], str)
    assert Entity.from_dict(d) == e
    assert Entity.from_dict(d).origin is Origin.RULE


def test_a_dict_without_an_origin_is_other_and_a_wrong_one_is_an_error() -> None:
    d = Entity(0, 2, "X", "ab", source="rule:phone.v1").to_dict()
    del d["origin"]
    assert Entity.from_dict(d).origin is Origin.OTHER  # never guessed from the source text
    d["origin"] = "llm"
    with pytest.raises(ValueError, match="'llm' is not a valid Origin"):
        Entity.from_dict(d)


def test_masked_dict_keeps_the_origin() -> None:
    d = Entity(0, 2, "X", "ab", value="v", origin=Origin.MODEL).to_dict(mask=True)
    assert (d["text"], d["value"], d["origin"]) == ("***", "***", "model")


def test_the_rule_stage_marks_its_entities() -> None:
    ents = RuleSet.for_domain("customer_service").analyze(
        "Đơn SPX-HN-123456789 giao ngày 2/4, gọi 0912345678, chuyển 350.000đ",
        ref_time=datetime(2026, 12, 1, 9, 0),
    )
    assert [e.label for e in ents] == ["ORDER_CODE", "DATE", "PHONE_NUMBER", "MONEY"]
    assert {e.origin for e in ents} == {Origin.RULE}
