"""Domain schemas: the five bundled domains load; every kind of mistake fails naming the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from vner.rules.schema import DOMAINS_DIR, ROLES, SchemaError, list_domains, load_schema

DOMAINS = ["ai_fluent", "covid19", "customer_service", "gam", "general", "rare_wildlife"]


def test_list_domains() -> None:
    assert list_domains() == DOMAINS


@pytest.mark.parametrize("name", DOMAINS)
def test_bundled_domain_loads(name: str) -> None:
    s = load_schema(name)
    assert s.name == name and s.labels and s.recognizers and (s.model_labels or name == "general")
    assert len(s.sha256) == 64
    grouped = {fine for g in s.groups.values() for fine in g.members}
    assert not grouped & set(s.model_labels)  # the model learns the group, not its members
    for lab in s.model_labels:
        assert lab in s.labels or lab in s.groups


def test_paper_label_sets() -> None:
    assert len(load_schema("customer_service").labels) == 18
    assert set(load_schema("covid19").labels) == {
        "PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION",
        "ORGANIZATION", "SYMPTOM_AND_DISEASE", "TRANSPORTATION", "DATE",
    }  # fmt: skip
    assert set(load_schema("rare_wildlife").labels) == {
        "SPECIES", "LOCATION", "HABITAT", "ID_FEATURE", "ORGANIZATION", "DATE",
    }  # fmt: skip
    assert len(load_schema("ai_fluent").labels) == 26
    general = load_schema("general")  # the canonical labels of the issue, no renames
    assert len(general.labels) == 22 and not general.groups
    assert all(k == v for spec in general.recognizers for k, v in spec.labels.items())


def test_groups_and_lookups() -> None:
    gam = load_schema("gam")
    assert gam.fine_to_group("WAIST_CIRCUMFERENCE") == "BODY_MEASUREMENT"
    assert gam.fine_to_group("PRICE") == "PRICE"
    assert set(gam.group_members("BODY_MEASUREMENT")) >= {
        "CHEST_CIRCUMFERENCE", "WAIST_CIRCUMFERENCE", "HIP_CIRCUMFERENCE",
    }  # fmt: skip
    body = gam.groups["BODY_MEASUREMENT"]
    assert "vòng ngực" in body.cues["CHEST_CIRCUMFERENCE"] and body.resolver == "nearest_cue.v1"
    assert "BODY_MEASUREMENT" in gam.model_labels and "CHEST_CIRCUMFERENCE" not in gam.model_labels
    with pytest.raises(KeyError, match="not a label group"):
        gam.group_members("PRICE")
    with pytest.raises(KeyError, match="unknown label"):
        gam.fine_to_group("NOPE")
    fluent = load_schema("ai_fluent")
    allowance = fluent.groups["ALLOWANCE"]
    assert "ca đêm" in allowance.members["NIGHT_SHIFT_ALLOWANCE"]
    assert "xe đi lại" in allowance.members["TRANSPORTATION_ALLOWANCE"]
    assert fluent.group_map()["ALLOWANCE"][0] == "NIGHT_SHIFT_ALLOWANCE"


def test_roles_for_post_processing() -> None:
    gam = load_schema("gam")
    assert gam.roles["unit"] == ("PRODUCT_UNIT",) and "BODY_MEASUREMENT" in gam.roles["measure"]
    # literal values of rules/data/domains/customer_service.yaml and general.yaml, roles:
    cs = load_schema("customer_service")
    assert cs.roles["person"] == ("CUSTOMER_NAME", "PERSON_NAME", "RECEIVER_NAME")
    assert cs.roles["unit"] == ("PRODUCT_NAME",)
    assert "address" not in load_schema("general").roles  # IP_ADDRESS is not a street address


def test_every_bundled_domain_declares_its_roles() -> None:
    for path in sorted(DOMAINS_DIR.glob("*.yaml")):
        schema = load_schema(path.stem)
        assert schema.roles, f"{path.name} declares no label roles"
        assert set(schema.roles) <= set(ROLES)


def test_renames_and_rule_labels() -> None:
    cs = load_schema("customer_service")
    phone = next(s for s in cs.recognizers if s.use == "phone")
    assert dict(phone.labels) == {"PHONE": "PHONE_NUMBER"}
    assert "PHONE_NUMBER" in cs.rule_labels and "ADDRESS" not in cs.rule_labels  # location is a hint
    assert "ORDER_CODE" not in cs.model_labels and "PERSON_NAME" in cs.model_labels


BASE: dict[str, Any] = {
    "name": "mini",
    "labels": ["PHONE_NUMBER", "AGE", "CHEST", "WAIST"],
    "recognizers": [
        {"use": "phone", "labels": {"PHONE": "PHONE_NUMBER"}},
        {"use": "pattern", "id": "age", "config": {"label": "AGE", "patterns": [{"regex": r"\d+ tuổi"}]}},
    ],
    "groups": {
        "BODY": {"resolver": "nearest_cue.v1", "window": 20, "members": {"CHEST": ["ngực"], "WAIST": ["eo"]}}
    },
}


def _write(tmp_path: Path, data: Any, name: str = "mini.yaml") -> Path:
    p = tmp_path / name
    p.write_text(
        yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data, encoding="utf-8"
    )
    return p


def _mutate(path: str, value: Any) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(BASE, allow_unicode=True))
    keys = path.split("/")
    node = data
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last: Any = int(keys[-1]) if isinstance(node, list) else keys[-1]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()


def test_minimal_schema_loads(tmp_path: Path) -> None:
    s = load_schema(_write(tmp_path, BASE))
    assert s.model_labels == ("BODY",) and s.rule_labels == ("PHONE_NUMBER", "AGE")


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        ("colour", "red", "colour"),
        ("labels", [], "labels"),
        ("labels/1", "age", r"labels\.age"),
        ("recognizers/0/use", "telepathy", r"recognizers\[0\]\.use"),
        ("recognizers/0/labels", {"PHONE": "MOBILE"}, r"recognizers\[0\]\.labels\.PHONE"),
        ("recognizers/0/labels", {"EMAIL": "PHONE_NUMBER"}, r"recognizers\[0\]\.labels\.EMAIL"),
        ("recognizers/0/speed", 3, r"recognizers\[0\]\.speed"),
        ("recognizers/0/config", {"colour": 1}, r"recognizers\[0\]\.config"),
        ("recognizers/1/config/patterns/0/regex", r"(\d+", r"recognizers\[1\]\.config: patterns\[0\]\.regex"),
        ("recognizers/1/id", "phone", r"recognizers\[1\]\.id"),
        ("recognizers/0/authoritative", "yes", r"recognizers\[0\]\.authoritative"),
        ("recognizers/0/with_model", "no", r"recognizers\[0\]\.with_model: must be true or false"),
        ("recognizers/0/with_model", False, r"recognizers\[0\]\.with_model: an authoritative recognizer"),
        ("groups/BODY/resolver", "magic.v1", r"groups\.BODY\.resolver"),
        ("groups/BODY/window", -3, r"groups\.BODY\.window"),
        ("groups/BODY/default", "AGE", r"groups\.BODY\.default"),
        ("groups/BODY/members/HIP", ["mông"], r"groups\.BODY\.members\.HIP"),
        ("groups/BODY/members/CHEST", "ngực", r"groups\.BODY\.members\.CHEST"),
        ("groups/BODY/shape", 1, r"groups\.BODY\.shape"),
        ("groups/AGE", {"members": {"CHEST": ["a"], "WAIST": ["b"]}}, r"groups\.AGE"),
        ("model_labels", ["CHEST"], r"model_labels\[0\]"),
        ("model_labels", ["NOPE"], r"model_labels\[0\]"),
        ("roles", {"person": ["NOPE"]}, r"roles\.person\[0\]"),
        ("roles", {"Person": ["AGE"]}, r"roles\.Person: unknown role; known: person, address"),
        ("roles", {"street": ["AGE"]}, r"roles\.street: unknown role"),
    ],
)
def test_bad_schema_names_file_and_key(tmp_path: Path, path: str, value: Any, key: str) -> None:
    f = _write(tmp_path, _mutate(path, value))
    with pytest.raises(SchemaError, match=rf"^mini\.yaml: {key}"):
        load_schema(f)


def test_member_in_two_groups(tmp_path: Path) -> None:
    data = _mutate("groups/BODY2", {"members": {"CHEST": ["x"], "AGE": ["y"]}})
    with pytest.raises(
        SchemaError, match=r"^mini\.yaml: groups\.BODY2\.members\.CHEST: already in group BODY"
    ):
        load_schema(_write(tmp_path, data))


def test_not_yaml_and_unknown_domain(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"^broken\.yaml: not valid YAML"):
        load_schema(_write(tmp_path, "labels: [A\nrecognizers: {", "broken.yaml"))
    with pytest.raises(SchemaError, match="unknown domain 'nope'; known: ai_fluent"):
        load_schema("nope")
    with pytest.raises(SchemaError, match="no such file"):
        load_schema(tmp_path / "missing.yaml")
