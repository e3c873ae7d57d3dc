"""What post-processing steps know about a domain: its labels, label groups with cue words, and label roles.

Built from a domain schema (:func:`context_from_schema`) or directly in tests. Roles say which labels are
person names, addresses, enumerable names (banks, organisations), measurements, ratios and so on; by default
they are inferred from the label names and a schema may override them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLE_NAMES: tuple[str, ...] = ("person", "address", "enumerable", "measure", "ratio", "ratio_host", "unit")


@dataclass(frozen=True)
class LabelGroup:
    """A group label the model predicts and the fine labels it stands for, with the cues that restore them."""

    name: str
    members: tuple[str, ...]
    cues: Mapping[str, tuple[str, ...]]
    resolver: str = "nearest_cue.v1"
    window: int = 40
    default: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.cues) - set(self.members)
        if unknown:
            raise ValueError(f"group {self.name}: cues for labels that are not members: {sorted(unknown)}")
        if self.default is not None and self.default not in self.members:
            raise ValueError(f"group {self.name}: default {self.default!r} is not a member")
        if self.window <= 0:
            raise ValueError(f"group {self.name}: window must be positive, got {self.window}")


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


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def context_from_schema(schema: Any) -> DomainContext:
    """Adapt a ``vner.rules.schema.DomainSchema`` (or a mapping of the same shape) into a :class:`DomainContext`.

    Groups may give ``members`` as ``{FINE: [cue, ...]}`` (the schema's form) or as names plus ``cues``.
    """
    name = str(_get(schema, "name", "") or _get(schema, "domain", ""))
    labels = [str(x) for x in (_get(schema, "labels") or ())]
    rule_labels = _get(schema, "rule_labels", None)
    if rule_labels is None:
        owners = _get(schema, "owners", None) or _get(schema, "label_owners", None) or {}
        rule_labels = [lab for lab, owner in dict(owners).items() if str(owner).startswith("rule")]
    groups: list[LabelGroup] = []
    for gname, g in dict(_get(schema, "groups") or {}).items():
        raw_members = _get(g, "members") or _get(g, "labels") or ()
        members = tuple(str(m) for m in raw_members)
        raw_cues = _get(g, "cues") or (raw_members if isinstance(raw_members, Mapping) else {})
        cues = {str(k): tuple(str(c) for c in v) for k, v in dict(raw_cues).items()}
        groups.append(
            LabelGroup(
                name=str(_get(g, "name", gname)),
                members=members,
                cues=cues,
                resolver=str(_get(g, "resolver", None) or "nearest_cue.v1"),
                window=int(_get(g, "window", None) or 40),
                default=_get(g, "default", None),
            )
        )
    roles = _get(schema, "roles", None)
    return DomainContext.build(
        domain=name,
        labels=labels,
        rule_labels=[str(x) for x in rule_labels],
        groups=groups,
        roles=dict(roles) if roles else None,
    )
