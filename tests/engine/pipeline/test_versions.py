"""vner.engine.pipeline.versions.Versions: one value for what produced an output, one text form."""

from __future__ import annotations

import json

import pytest
from vner.engine.pipeline.versions import Versions


def test_text_forms() -> None:
    v = Versions(rules="cs:rules:cs@abc", model="model:e5@123", pipeline="pipeline.v1/hybrid_merge.v1/x")
    assert str(v) == "cs:rules:cs@abc+model:e5@123+pipeline.v1/hybrid_merge.v1/x"
    assert v.rules_key == "cs:rules:cs@abc/pipeline.v1/hybrid_merge.v1/x"
    assert json.loads(json.dumps(v.as_dict())) == {
        "rules": "cs:rules:cs@abc",
        "model": "model:e5@123",
        "pipeline": "pipeline.v1/hybrid_merge.v1/x",
    }


def test_defaults_say_none() -> None:
    assert str(Versions()) == "none+none+none"


@pytest.mark.parametrize("field", ["rules", "model", "pipeline"])
@pytest.mark.parametrize("bad", ["", None, 3])
def test_each_field_is_a_non_empty_string(field: str, bad: object) -> None:
    with pytest.raises(ValueError, match=f"Versions.{field} must be a non-empty string"):
        Versions(**{field: bad})  # type: ignore[arg-type]


def test_combine_joins_distinct_sorted_values_per_field() -> None:
    a = Versions(rules="cs:r1", model="model:m@1", pipeline="p1")
    b = Versions(rules="gam:r2", model="model:m@1", pipeline="p1")
    c = Versions(rules="covid19:r3,gam:r2", model="none", pipeline="p2")
    assert Versions.combine([b, a]) == Versions(rules="cs:r1,gam:r2", model="model:m@1", pipeline="p1")
    assert Versions.combine([a, b, c]) == Versions(
        rules="covid19:r3,cs:r1,gam:r2", model="model:m@1,none", pipeline="p1,p2"
    )
    assert Versions.combine([a]) == a


def test_combine_needs_one() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Versions.combine([])
