"""What post-processing steps know about a domain: its labels, label groups with cue words, and label roles.

Built from a domain schema (:func:`context_from_schema`) or directly in tests. Label groups are the schema's
own :class:`vner.rules.schema.LabelGroup` (re-exported here). Roles say which labels are
person names, addresses, enumerable names (banks, organisations), measurements, ratios and so on; by default
they are inferred from the label names and a schema may override them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vner.rules.schema import DomainSchema, LabelGroup

ROLE_NAMES: tuple[str, ...] = ("person", "address", "enumerable", "measure", "ratio", "ratio_host", "unit")


def _infer_roles(labels: Iterable[str]) -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {r: set() for r in ROLE_NAMES}
    for label in labels:
        u = label.upper()
        if u in ("PERSON", "PER", "NAME") or (u.endswith("NAME") and "BANK" not in u and "PRODUCT" not in u):
            roles["person"].add(label)
        if "ADDRESS" in u:  # a LOCATION label is one administrative unit (PhoNER): never grown over others
            roles["address"].add(label)
        if u in ("BANK", "BANK_NAME", "ORGANIZATION", "ORG", "BRAND", "SHOP") or "CARRIER" in u:
            roles["enumerable"].add(label)
        if any(k in u for k in ("MEASURE", "SIZE", "HEIGHT", "WIDTH", "LENGTH", "WEIGHT", "DIMENSION")):
            roles["measure"].add(label)
        if u == "RATIO":
            roles["ratio"].add(label)
        if any(k in u for k in ("ALLOWANCE", "OVERTIME", "SALARY", "BONUS")):
            roles["ratio_host"].add(label)
        if "UNIT" in u or u.startswith("PRODUCT"):
            roles["unit"].add(label)
    return {r: frozenset(v) for r, v in roles.items()}


@dataclass(frozen=True)
class DomainContext:
    """Everything a post-processing step may use besides the text and the entities."""

    domain: str
    labels: frozenset[str]
    rule_labels: frozenset[str] = frozenset()
    groups: Mapping[str, LabelGroup] = field(default_factory=dict)
    roles: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        domain: str,
        labels: Iterable[str],
        rule_labels: Iterable[str] = (),
        groups: Iterable[LabelGroup] = (),
        roles: Mapping[str, Iterable[str]] | None = None,
    ) -> DomainContext:
        """Make a context, inferring label roles from label names unless ``roles`` overrides them."""
        group_list = list(groups)
        all_labels = set(labels) | {g.name for g in group_list}
        for g in group_list:
            all_labels.update(g.members)
        inferred = _infer_roles(all_labels)
        for role, members in (roles or {}).items():
            if role not in ROLE_NAMES:
                raise ValueError(f"unknown label role {role!r}; known: {', '.join(ROLE_NAMES)}")
            inferred[role] = frozenset(members)
        return cls(
            domain=domain,
            labels=frozenset(all_labels),
            rule_labels=frozenset(rule_labels),
            groups={g.name: g for g in group_list},
            roles=inferred,
        )

    def role(self, name: str) -> frozenset[str]:
        if name not in ROLE_NAMES:
            raise ValueError(f"unknown label role {name!r}")
        return self.roles.get(name, frozenset())

    def group_of(self, label: str) -> LabelGroup | None:
        return self.groups.get(label)


def context_from_schema(schema: DomainSchema) -> DomainContext:
    """The post-processing context of a loaded domain schema: its labels, rule labels, groups and roles.

    The schema's :class:`LabelGroup` objects are used as they are (same cue words, resolver, window and
    default); roles the schema declares replace the inferred ones role by role.
    """
    return DomainContext.build(
        domain=schema.name,
        labels=schema.labels,
        rule_labels=schema.rule_labels,
        groups=schema.groups.values(),
        roles=schema.roles or None,
    )


__all__ = ["ROLE_NAMES", "DomainContext", "LabelGroup", "context_from_schema"]
