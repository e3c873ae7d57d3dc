"""What post-processing steps know about a domain: its labels, label groups with cue words, and label roles.

Built from a domain schema (:func:`context_from_schema`) or directly in tests. Label groups are the schema's
own :class:`vner.rules.schema.LabelGroup` (re-exported here). Roles (:data:`vner.rules.schema.ROLES`) say
which labels are person names, addresses, enumerable names (banks, organisations), measurements, ratios and so
on; they are declared, never inferred from label names: a label without a role gets no role-specific repair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ....rules.schema import ROLES, DomainSchema, LabelGroup

ROLE_NAMES: tuple[str, ...] = tuple(ROLES)


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
        """Make a context; ``roles`` maps a role name to its labels (a role not given has none)."""
        group_list = list(groups)
        all_labels = set(labels) | {g.name for g in group_list}
        for g in group_list:
            all_labels.update(g.members)
        declared: dict[str, frozenset[str]] = {r: frozenset() for r in ROLE_NAMES}
        for role, members in (roles or {}).items():
            if role not in ROLE_NAMES:
                raise ValueError(f"unknown label role {role!r}; known: {', '.join(ROLE_NAMES)}")
            declared[role] = frozenset(members)
        return cls(
            domain=domain,
            labels=frozenset(all_labels),
            rule_labels=frozenset(rule_labels),
            groups={g.name: g for g in group_list},
            roles=declared,
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
    default); its declared roles are the context's roles.
    """
    return DomainContext.build(
        domain=schema.name,
        labels=schema.labels,
        rule_labels=schema.rule_labels,
        groups=schema.groups.values(),
        roles=schema.roles or None,
    )


__all__ = ["ROLE_NAMES", "DomainContext", "LabelGroup", "context_from_schema"]
