"""context_from_schema: a domain schema's label groups reach post-processing unchanged (issue 19)."""

from __future__ import annotations

from pathlib import Path

from vner.engine.pipeline.postprocess.context import DomainContext, context_from_schema
from vner.rules.schema import DEFAULT_CUE_WINDOW, ROLES, LabelGroup, load_schema


def test_customer_service_groups_reach_the_context_with_their_cues_and_window() -> None:
    schema = load_schema("customer_service")
    ctx = context_from_schema(schema)
    group = ctx.group_of("PERSON_NAME")
    assert group is not None
    assert group is schema.groups["PERSON_NAME"]  # one LabelGroup type, passed through as is
    # literal values of rules/data/domains/customer_service.yaml, groups.PERSON_NAME
    assert group.window == 25
    assert group.resolver == "nearest_cue.v1"
    assert group.default == "CUSTOMER_NAME"
    assert tuple(group.members) == ("RECEIVER_NAME", "CUSTOMER_NAME")
    assert group.cues["RECEIVER_NAME"] == (
        "người nhận",
        "nhận hàng",
        "giao cho",
        "gửi cho",
        "ship cho",
        "chuyển cho",
        "tên người nhận",
    )
    assert group.cues["CUSTOMER_NAME"][:3] == ("tôi là", "tên tôi", "em là")
    assert {"PERSON_NAME", "RECEIVER_NAME", "CUSTOMER_NAME"} <= ctx.labels
    assert ctx.rule_labels == frozenset(schema.rule_labels)


def test_gam_groups_keep_each_window_and_declared_roles() -> None:
    ctx = context_from_schema(load_schema("gam"))
    # rules/data/domains/gam.yaml: BODY_MEASUREMENT and PRODUCT_DIMENSION window 30, PERSONAL_TYPE 20
    assert {name: g.window for name, g in ctx.groups.items()} == {
        "BODY_MEASUREMENT": 30,
        "PRODUCT_DIMENSION": 30,
        "PERSONAL_TYPE": 20,
    }
    assert ctx.groups["BODY_MEASUREMENT"].cues["WAIST_CIRCUMFERENCE"] == (
        "vòng eo",
        "vòng 2",
        "eo",
        "vong eo",
        "vong 2",
    )
    assert ctx.groups["PERSONAL_TYPE"].cues["HAIR_TYPE"] == ("tóc", "mái tóc")
    assert ctx.role("unit") == {"PRODUCT_UNIT"} and ctx.role("person") == {"CUSTOMER_NAME"}


def test_a_group_without_window_gets_the_same_default_from_yaml_and_from_code(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nlabels: [CHEST, WAIST]\ngroups:\n  BODY:\n    members: {CHEST: [ngực], WAIST: [eo]}\n",
        encoding="utf-8",
    )
    ctx = context_from_schema(load_schema(path))
    assert DEFAULT_CUE_WINDOW == 40
    assert ctx.groups["BODY"].window == 40
    assert LabelGroup(name="G", members={"A": ("a",)}).window == 40
    assert ctx.groups["BODY"] == LabelGroup(name="BODY", members={"CHEST": ("ngực",), "WAIST": ("eo",)})
    assert isinstance(ctx, DomainContext) and ctx.domain == "mini"


def test_roles_are_declared_never_guessed_from_label_names() -> None:
    # names that the old substring guess turned into roles: now only what is declared counts
    ctx = DomainContext.build(domain="x", labels=["IP_ADDRESS", "CUSTOMER_NAME", "PRODUCT_WIDTH", "BANK"])
    assert all(ctx.role(r) == frozenset() for r in ROLES)
    ctx = DomainContext.build(domain="x", labels=["CUSTOMER_NAME"], roles={"person": ["CUSTOMER_NAME"]})
    assert ctx.role("person") == {"CUSTOMER_NAME"} and ctx.role("address") == frozenset()
