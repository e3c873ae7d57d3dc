"""The covid19 domain follows PhoNER_COVID19's conventions (issue 21 item 4: rule hints kept only where they
help on dev): a spaced "BN 315" gives the number alone, "BN906" stays whole; NAME has no person role."""

from __future__ import annotations

from datetime import datetime

import pytest
from vner.rules.ruleset import RuleSet
from vner.rules.schema import load_schema

REF = datetime(2020, 6, 1)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Ca bệnh 315 ( BN 315 ) : Bệnh nhân nam", ["315", "315"]),
        ("bệnh nhân tiếp xúc với BN619 , BN-731 .", ["BN619", "BN-731"]),
        ("5 ca mắc mới ( BN 1070 - 1074 )", ["1070"]),
        ("Còn BN 449 hiện vẫn tỉnh táo", ["449"]),
        ("BNX 12 và ABN 7", []),
    ],
)
def test_patient_ids_follow_phoner(text: str, ids: list[str]) -> None:
    got = [
        e.text for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF) if e.label == "PATIENT_ID"
    ]
    assert got == ids


def test_name_is_not_grown_as_a_person_name() -> None:
    schema = load_schema("covid19")
    assert "NAME" not in schema.roles.get("person", ())
    assert list(schema.roles["enumerable"]) == ["ORGANIZATION"]
