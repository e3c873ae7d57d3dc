"""The named merge policies: rules win validated IDs, the model wins semantic labels, longest same-type span."""

from __future__ import annotations

import pytest
from vner.engine.pipeline.merge import MERGE_POLICIES, get_merge_policy, hybrid_merge_v1
from vner.rules.entity import Entity, Origin

TEXT = "Khách Nguyễn Văn An, sđt 0912345678, ở tòa nhà Avalon, quận 1, chuyển khoản Vietcombank"
RULE_LABELS = frozenset({"PHONE", "ORDER_CODE", "DATE"})


def ent(sub: str, label: str, source: str, score: float = 0.9, nth: int = 0) -> Entity:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    rule = source.startswith("rule")
    return Entity(
        start,
        start + len(sub),
        label,
        sub,
        source=source,
        score=score,
        stages=("rules",) if rule else ("model",),
        origin=Origin.RULE if rule else Origin.MODEL,
    )


def as_tuples(ents: list[Entity]) -> list[tuple[str, str, str]]:
    return [(e.text, e.label, e.source) for e in ents]


def test_rule_wins_for_a_rule_owned_label() -> None:
    rule = ent("0912345678", "PHONE", "rule:phone.v1", 1.0)
    model = ent("sđt 0912345678", "PERSON", "model:m@1", 0.99)
    out = hybrid_merge_v1([rule], [model], RULE_LABELS)
    assert as_tuples(out) == [("0912345678", "PHONE", "rule:phone.v1")]
    assert out[0].stages == ("rules", "merge")


def test_model_wins_for_a_semantic_label() -> None:
    rule = ent("Avalon", "LOCATION", "rule:gazetteer.v1", 1.0)
    model = ent("tòa nhà Avalon", "ORGANIZATION", "model:m@1", 0.6)
    out = hybrid_merge_v1([rule], [model], RULE_LABELS)
    assert as_tuples(out) == [("tòa nhà Avalon", "ORGANIZATION", "model:m@1")]


def test_same_label_overlap_keeps_the_longest_whatever_the_source() -> None:
    rule = ent("tòa nhà Avalon, quận 1", "ADDRESS", "rule:gazetteer.v1", 0.5)
    model = ent("tòa nhà Avalon", "ADDRESS", "model:m@1", 0.99)
    assert as_tuples(hybrid_merge_v1([rule], [model], RULE_LABELS)) == [
        ("tòa nhà Avalon, quận 1", "ADDRESS", "rule:gazetteer.v1")
    ]


def test_non_overlapping_entities_from_both_sides_are_all_kept_in_order() -> None:
    rules = [ent("0912345678", "PHONE", "rule:phone.v1", 1.0)]
    model = [ent("Vietcombank", "BANK", "model:m@1"), ent("Nguyễn Văn An", "PERSON", "model:m@1")]
    out = hybrid_merge_v1(rules, model, RULE_LABELS)
    assert [e.text for e in out] == ["Nguyễn Văn An", "0912345678", "Vietcombank"]
    assert all("merge" not in e.stages for e in out)


def test_ties_are_deterministic_and_order_independent() -> None:
    a = ent("Nguyễn Văn", "PERSON", "model:m@1", 0.8)
    b = ent("Văn An", "PERSON", "model:m@1", 0.8)
    first = hybrid_merge_v1([], [a, b], RULE_LABELS)
    assert first == hybrid_merge_v1([], [b, a], RULE_LABELS)
    assert [e.text for e in first] == ["Nguyễn Văn"]  # same length and score: the earlier start wins


def test_model_guess_at_a_rule_owned_label_loses_to_a_rule_semantic_label() -> None:
    rule = ent("Vietcombank", "BANK", "rule:bank.v1", 1.0)
    model = ent("Vietcombank", "ORDER_CODE", "model:m@1", 0.99)
    assert as_tuples(hybrid_merge_v1([rule], [model], RULE_LABELS)) == [
        ("Vietcombank", "BANK", "rule:bank.v1")
    ]


def test_output_never_overlaps() -> None:
    rules = [ent("0912345678", "PHONE", "rule:phone.v1"), ent("quận 1", "LOCATION", "rule:gazetteer.v1")]
    model = [
        ent("tòa nhà Avalon, quận 1", "ADDRESS", "model:m@1"),
        ent("sđt 0912345678,", "ADDRESS", "model:m@1"),
    ]
    out = hybrid_merge_v1(rules, model, RULE_LABELS)
    assert all(not x.overlaps(y) for i, x in enumerate(out) for y in out[i + 1 :])
    assert {e.label for e in out} == {"PHONE", "ADDRESS"}


@pytest.mark.parametrize("name", sorted(MERGE_POLICIES))
def test_registry_names_are_versioned(name: str) -> None:
    assert name.rsplit(".", 1)[-1].startswith("v")
    assert get_merge_policy(name) is MERGE_POLICIES[name]


def test_merge_policies_live_in_the_generic_registry() -> None:
    from vner.rules.registry import Registry

    assert isinstance(MERGE_POLICIES, Registry)
    assert get_merge_policy("hybrid_merge.v1") is hybrid_merge_v1
    assert set(MERGE_POLICIES.names()) == {
        "hybrid_merge.v1",
        "hint_overlap.v1",
        "rules_only.v1",
        "model_only.v1",
        "rules_decide.v1",
    }
    assert MERGE_POLICIES.help("rules_only.v1").startswith("Ignore the model;")
    with pytest.raises(
        ValueError,
        match=r"unknown merge policy 'x\.v1'; known: hint_overlap\.v1, hybrid_merge\.v1, model_only\.v1, "
        r"rules_decide\.v1, rules_only\.v1$",
    ):
        get_merge_policy("x.v1")


def test_rules_only_and_model_only_ignore_the_other_side() -> None:
    r = [ent("0912345678", "PHONE", "rule:phone.v1")]
    m = [ent("Vietcombank", "BANK", "model:m@1")]
    assert as_tuples(get_merge_policy("rules_only.v1")(r, m, RULE_LABELS)) == as_tuples(r)
    assert as_tuples(get_merge_policy("model_only.v1")(r, m, RULE_LABELS)) == as_tuples(m)


def test_unknown_policy_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown merge policy 'longest.v9'.*hybrid_merge.v1"):
        get_merge_policy("longest.v9")


def test_rules_decide_drops_model_guesses_at_rule_owned_labels() -> None:
    model = [ent("0912345678", "PHONE", "model:m@1"), ent("Vietcombank", "BANK", "model:m@1")]
    assert as_tuples(get_merge_policy("rules_decide.v1")([], model, RULE_LABELS)) == [
        ("Vietcombank", "BANK", "model:m@1")
    ]
    assert len(hybrid_merge_v1([], model, RULE_LABELS)) == 2


def test_hint_overlap_keeps_a_hint_only_where_the_model_agrees() -> None:
    lone_hint = ent("Vietcombank", "BANK", "rule:bank.v1", 1.0)
    wider_hint = ent("tòa nhà Avalon, quận 1", "ADDRESS", "rule:gazetteer.v1", 0.5)
    owned = ent("0912345678", "PHONE", "rule:phone.v1", 1.0)
    model = [ent("tòa nhà Avalon", "ADDRESS", "model:m@1")]
    out = get_merge_policy("hint_overlap.v1")([lone_hint, wider_hint, owned], model, RULE_LABELS)
    assert [(e.text, e.label) for e in out] == [
        ("0912345678", "PHONE"),
        ("tòa nhà Avalon, quận 1", "ADDRESS"),
    ]


def test_the_origin_decides_not_the_source_text() -> None:
    # a model entity whose source *reads* like a rule's, against a longer rule hint of a model-owned label:
    # by origin the model span (model-owned label) outranks the rule hint; read from the strings, both
    # would look like rules and the longer hint would win.
    model = ent("Avalon", "ORGANIZATION", "model:m@1", 0.6).replace(source="rule:looks-like.v1")
    rule = ent("tòa nhà Avalon", "LOCATION", "rule:gazetteer.v1", 1.0).replace(source="model:looks-like@1")
    assert (model.origin, rule.origin) == (Origin.MODEL, Origin.RULE)
    out = hybrid_merge_v1([rule], [model], RULE_LABELS)
    assert [(e.text, e.label, e.origin) for e in out] == [("Avalon", "ORGANIZATION", Origin.MODEL)]
