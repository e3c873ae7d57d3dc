"""Domain schemas: fine labels, which recognizers own which labels, and label groups for the model.

A domain lives in ``rules/data/domains/<name>.yaml``::

    name: gam
    description: ...
    labels: {CHEST: "vòng ngực", WAIST: "vòng eo", PRICE: "giá", ...}   # or a plain list
    recognizers:
      - use: money                      # a name from vner.rules.registry
        id: price                       # optional, unique in the file (default: use)
        labels: {MONEY: PRICE}          # canonical -> domain label or group; a list keeps names; omitted: all
        config: {}                      # passed to the recognizer; it rejects unknown keys
        authoritative: true             # false: a hint the model may override (default true)
        with_model: true                # false: a hint for rules-only runs, left out when a model runs
                                        # (the model reads that label better without it; default true)
    groups:
      BODY_MEASUREMENT:
        resolver: nearest_cue.v1        # how post-processing restores the fine label
        window: 30                      # characters either side searched for cues (default 40)
        default: WAIST                  # optional: the fine label when no cue is found
        members: {CHEST: [vòng ngực, ngực, vòng 1], WAIST: [vòng eo, eo], HIP: [vòng mông, mông]}
        units: {HEIGHT: [m, cm], WEIGHT: [kg, cân]}   # optional: an entity's unit limits its fine labels
        also: [PRODUCT_DIMENSION]       # optional: other groups whose members a cue may also name
                                        # ("balo dài 40cm" is a product's length, not the body's)
    model_labels: [...]                 # optional; default: grouped labels not owned by an authoritative rule
    roles: {person: [CUSTOMER_NAME], unit: [PRODUCT_UNIT]}   # what post-processing may do with a label
                                        # (ROLES below); a label with no role gets no role-specific repair
    conventions: {date_time: merged, lead_words: outside}   # span conventions (vner.rules.conventions);
                                        # recognizers that follow them (temporal) get them as config

Post-processing reads this schema directly: ``vner.engine.pipeline.postprocess.context_from_schema`` turns it
into a ``DomainContext`` whose groups are these :class:`LabelGroup` objects.

Everything is checked when the file is loaded (recognizers are built, so a bad regex fails here too); an error
is a :class:`SchemaError` naming the file and the key path, e.g. ``gam.yaml: recognizers[2].config.patterns[0].regex``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import regex
import yaml

from .conventions import SpanConventions, config_for
from .lang.vi.diacritics import fold
from .resolvers import RESOLVERS

DOMAINS_DIR = Path(__file__).resolve().parent / "data" / "domains"
# Characters either side of an entity that a group's resolver searches for cue words when the group gives no
# ``window``. 40 is the value post-processing has always used: tests/engine/pipeline/postprocess relies on it
# (a payroll cue, "tăng ca", starts 36 characters before its entity, which a 30 window misses). The schema
# loader used to default to 30, but every bundled domain sets ``window`` on each group, so no bundled domain
# changes.
DEFAULT_CUE_WINDOW = 40
# Label roles: which labels a post-processing step treats as what. Declared by each domain (``roles:``), never
# guessed from label names (a guess made IP_ADDRESS a street address and PRODUCT_WIDTH a product unit).
ROLES: Mapping[str, str] = MappingProxyType(
    {
        "person": "person names: span rebuild grows a partial name over the whole name",
        "address": "addresses: span rebuild grows over neighbouring administrative units",
        "enumerable": "enumerable names (banks, organisations, brands): lists and nested names are split",
        "measure": "dimensions: a missing sibling dimension of a size (60x40) is added",
        "ratio": "the label a fraction (1/2, 3/4) gets beside a ratio_host, instead of a date",
        "ratio_host": "amounts a ratio refers to (salary, allowances)",
        "unit": "product units: grown to the longest known multi-word unit ('miếng' -> 'vàng miếng')",
    }
)
_LABEL_RX = regex.compile(r"^[A-Z][A-Z0-9_]*$")
_TOP_KEYS = {"name", "description", "labels", "recognizers", "groups", "model_labels", "roles", "conventions"}
_SPEC_KEYS = {"use", "id", "labels", "config", "authoritative", "with_model"}
_GROUP_KEYS = {"resolver", "window", "default", "members", "units", "also", "dimensions"}


class SchemaError(ValueError):
    """A domain YAML is invalid; the message starts with the file and the key path."""


@dataclass(frozen=True, slots=True)
class RecognizerSpec:
    """One recognizer as a domain uses it: registry name, instance id, config and label renames."""

    id: str
    use: str
    config: Mapping[str, Any]
    labels: Mapping[str, str]  # canonical label -> domain label (only these are kept)
    authoritative: bool = True
    # False: run only when no model does (``RuleSet.for_domain(..., with_model=True)`` leaves it out)
    with_model: bool = True


@dataclass(frozen=True, slots=True)
class LabelGroup:
    """Fine labels the model learns as one label; cue words restore the fine label afterwards.

    The one label-group type: the schema builds it from YAML and post-processing
    (``vner.engine.pipeline.postprocess``) reads it as is. ``members`` maps each fine label to its cue
    words (a member may have none, e.g. a ``default`` found by elimination).
    """

    name: str
    members: Mapping[str, tuple[str, ...]]  # fine label -> cue words
    resolver: str = "nearest_cue.v1"
    window: int = DEFAULT_CUE_WINDOW  # characters either side of the entity searched for cues
    default: str | None = None
    # fine label -> the units its values are written in (lower-case); an entity whose unit some members
    # declare can only take one of those members ("47kg" is a weight whatever cue stands nearest)
    units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # other groups whose members this group's entities may also take when one of their cues stands nearer
    # (a number + unit the rules call a body measurement may be a product's size: "balo dài 40cm"); on a tie
    # this group's own cue wins, and a value with no cue is resolved by this group's units alone
    also: tuple[str, ...] = ()
    # the members a size product's parts take in order ("2,16 m * 1,2 m", "30x20x10cm": length, width,
    # height); an entity whose value says which part it is ("dimension": 1-based) takes that member
    dimensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.members, Mapping):
            raise ValueError(f"group {self.name}: members must map fine labels to cue words")
        for fine, cues in self.members.items():
            if isinstance(cues, str):
                raise ValueError(f"group {self.name}: cues of {fine} must be a sequence of words, not a str")
        # frozen: store a read-only copy so a caller's dict cannot change the group afterwards
        object.__setattr__(
            self, "members", MappingProxyType({str(k): tuple(v) for k, v in self.members.items()})
        )
        if self.default is not None and self.default not in self.members:
            raise ValueError(f"group {self.name}: default {self.default!r} is not a member")
        if not set(self.units) <= set(self.members):
            raise ValueError(
                f"group {self.name}: units for labels that are not members: {sorted(set(self.units) - set(self.members))}"
            )
        object.__setattr__(
            self,
            "units",
            MappingProxyType({str(k): tuple(u.strip().lower() for u in v) for k, v in self.units.items()}),
        )
        if isinstance(self.window, bool) or not isinstance(self.window, int) or self.window <= 0:
            raise ValueError(f"group {self.name}: window must be positive, got {self.window}")
        if isinstance(self.also, str):
            raise ValueError(f"group {self.name}: also must be a sequence of group names, not a str")
        object.__setattr__(self, "also", tuple(str(g) for g in self.also))
        if self.name in self.also:
            raise ValueError(f"group {self.name}: also names the group itself")
        if isinstance(self.dimensions, str):
            raise ValueError(f"group {self.name}: dimensions must be a sequence of members, not a str")
        object.__setattr__(self, "dimensions", tuple(str(m) for m in self.dimensions))
        if not set(self.dimensions) <= set(self.members):
            raise ValueError(
                f"group {self.name}: dimensions that are not members: {sorted(set(self.dimensions) - set(self.members))}"
            )

    @classmethod
    def from_cues(
        cls,
        name: str,
        members: Iterable[str],
        cues: Mapping[str, Iterable[str]],
        *,
        resolver: str = "nearest_cue.v1",
        window: int = DEFAULT_CUE_WINDOW,
        default: str | None = None,
    ) -> LabelGroup:
        """A group from its fine labels and cue words for some of them (the others get none)."""
        names = tuple(members)
        unknown = set(cues) - set(names)
        if unknown:
            raise ValueError(f"group {name}: cues for labels that are not members: {sorted(unknown)}")
        return cls(
            name=name,
            members={m: tuple(cues.get(m, ())) for m in names},
            resolver=resolver,
            window=window,
            default=default,
        )

    def members_for_unit(self, unit: str) -> tuple[str, ...]:
        """The members that declare ``unit`` (folded or not); empty when none does (then any member may fit)."""
        u = fold(unit).lower()
        return tuple(m for m, units in self.units.items() if any(fold(w) == u for w in units))

    @property
    def cues(self) -> Mapping[str, tuple[str, ...]]:
        """Fine label -> cue words (the same mapping as ``members``)."""
        return self.members


@dataclass(frozen=True)
class DomainSchema:
    """A validated domain: use :func:`load_schema` to build one."""

    name: str
    description: str
    path: Path
    sha256: str
    labels: tuple[str, ...]
    label_descriptions: Mapping[str, str]
    recognizers: tuple[RecognizerSpec, ...]
    groups: Mapping[str, LabelGroup]
    model_labels: tuple[str, ...]
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    conventions: SpanConventions = field(default_factory=SpanConventions)
    instances: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def rule_labels(self) -> tuple[str, ...]:
        """Domain labels produced by authoritative recognizers (rules win on these)."""
        seen: dict[str, None] = {}
        for spec in self.recognizers:
            if spec.authoritative:
                seen.update(dict.fromkeys(spec.labels.values()))
        return tuple(seen)

    def fine_to_group(self, label: str) -> str:
        """The label the model learns for fine ``label`` (its group, or itself)."""
        if label not in self.labels and label not in self.groups:
            raise KeyError(f"{self.name}: unknown label {label!r}")
        for group in self.groups.values():
            if label in group.members:
                return group.name
        return label

    def group_members(self, group: str) -> tuple[str, ...]:
        """The fine labels of ``group`` (KeyError for a name that is not a group)."""
        if group not in self.groups:
            raise KeyError(
                f"{self.name}: {group!r} is not a label group; groups: {', '.join(self.groups) or '-'}"
            )
        return tuple(self.groups[group].members)

    def group_map(self) -> dict[str, list[str]]:
        """``{GROUP: [FINE, ...]}`` as the model metadata stores it."""
        return {g.name: list(g.members) for g in self.groups.values()}


def list_domains() -> list[str]:
    """Names of the bundled domains."""
    return sorted(p.stem for p in DOMAINS_DIR.glob("*.yaml"))


def _resolve(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if isinstance(name_or_path, Path) or p.suffix in (".yaml", ".yml") or len(p.parts) > 1:
        if not p.is_file():
            raise SchemaError(f"{p}: no such file")
        return p
    candidate = DOMAINS_DIR / f"{name_or_path}.yaml"
    if not candidate.is_file():
        raise SchemaError(f"unknown domain {str(name_or_path)!r}; known: {', '.join(list_domains())}")
    return candidate


def load_schema(name_or_path: str | Path) -> DomainSchema:
    """Load and fully validate a domain by bundled name or by file path."""
    path = _resolve(name_or_path)
    raw_bytes = path.read_bytes()
    try:
        data = yaml.safe_load(raw_bytes.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path.name}: not valid YAML: {exc}") from None
    return _Builder(path, hashlib.sha256(raw_bytes).hexdigest()).build(data)


class _Builder:
    def __init__(self, path: Path, sha: str) -> None:
        self.path = path
        self.sha = sha

    def fail(self, key: str, msg: str) -> SchemaError:
        return SchemaError(f"{self.path.name}: {key}: {msg}" if key else f"{self.path.name}: {msg}")

    def check_keys(self, obj: Any, known: set[str], key: str) -> Mapping[str, Any]:
        if not isinstance(obj, Mapping):
            raise self.fail(key or "(top level)", "must be a mapping")
        for k in obj:
            if k not in known:
                where = f"{key}.{k}" if key else str(k)
                raise self.fail(where, f"unknown key (known: {', '.join(sorted(known))})")
        return obj

    def label(self, value: Any, key: str, known: Mapping[str, Any] | None = None) -> str:
        if not isinstance(value, str) or not _LABEL_RX.match(value):
            raise self.fail(key, f"{value!r} is not an UPPER_SNAKE label name")
        if known is not None and value not in known:
            raise self.fail(key, f"unknown label {value!r}")
        return value

    def build(self, data: Any) -> DomainSchema:
        top = self.check_keys(data, _TOP_KEYS, "")
        name = top.get("name", self.path.stem)
        if not isinstance(name, str) or not name:
            raise self.fail("name", "must be a non-empty string")
        raw_labels = top.get("labels")
        if isinstance(raw_labels, list):
            raw_labels = (
                {lab: "" for lab in raw_labels} if len(set(map(str, raw_labels))) == len(raw_labels) else None
            )
            if raw_labels is None:
                raise self.fail("labels", "duplicate label")
        if not isinstance(raw_labels, Mapping) or not raw_labels:
            raise self.fail("labels", "must be a non-empty list or mapping of label -> description")
        descriptions = {self.label(k, f"labels.{k}"): str(v or "") for k, v in raw_labels.items()}
        groups = self.groups(top.get("groups") or {}, descriptions)
        targets = {**descriptions, **{g: "" for g in groups}}
        try:
            conventions = SpanConventions.from_mapping(top.get("conventions"))
        except ValueError as exc:
            raise self.fail("conventions", str(exc)) from None
        specs, instances = self.recognizers(top.get("recognizers", []), targets, conventions)
        model_labels = self.model_labels(top.get("model_labels"), descriptions, groups, specs)
        roles = self.roles(top.get("roles") or {}, targets)
        return DomainSchema(
            name=name,
            description=str(top.get("description", "")),
            path=self.path,
            sha256=self.sha,
            labels=tuple(descriptions),
            label_descriptions=MappingProxyType(descriptions),
            recognizers=specs,
            groups=MappingProxyType(groups),
            model_labels=model_labels,
            roles=MappingProxyType(roles),
            conventions=conventions,
            instances=instances,
        )

    def recognizers(
        self, raw: Any, labels: Mapping[str, str], conventions: SpanConventions
    ) -> tuple[tuple[RecognizerSpec, ...], tuple[Any, ...]]:
        from .registry import recognizer_classes

        if not isinstance(raw, list):
            raise self.fail("recognizers", "must be a list")
        classes = recognizer_classes()
        specs: list[RecognizerSpec] = []
        instances: list[Any] = []
        for i, item in enumerate(raw):
            key = f"recognizers[{i}]"
            item = self.check_keys(item, _SPEC_KEYS, key)
            use = item.get("use")
            if use not in classes:
                raise self.fail(
                    f"{key}.use", f"unknown recognizer {use!r}; known: {', '.join(sorted(classes))}"
                )
            rid = str(item.get("id", use))
            if any(s.id == rid for s in specs):
                raise self.fail(f"{key}.id", f"duplicate recognizer id {rid!r} (give each use its own 'id')")
            config = item.get("config") or {}
            if not isinstance(config, Mapping):
                raise self.fail(f"{key}.config", "must be a mapping")
            try:
                inst = classes[use](config=config_for(classes[use], conventions, config))
            except Exception as exc:  # any construction failure is a schema error naming the key
                raise self.fail(f"{key}.config", str(exc.args[0] if exc.args else exc)) from None
            canonical = tuple(inst.labels)
            renames = self.renames(item.get("labels"), canonical, labels, f"{key}.labels")
            authoritative = item.get("authoritative", True)
            if not isinstance(authoritative, bool):
                raise self.fail(f"{key}.authoritative", "must be true or false")
            with_model = item.get("with_model", True)
            if not isinstance(with_model, bool):
                raise self.fail(f"{key}.with_model", "must be true or false")
            if authoritative and not with_model:
                raise self.fail(
                    f"{key}.with_model",
                    "an authoritative recognizer runs with the model too (set authoritative: false)",
                )
            specs.append(
                RecognizerSpec(
                    id=rid,
                    use=str(use),
                    config=MappingProxyType(dict(config)),
                    labels=MappingProxyType(renames),
                    authoritative=authoritative,
                    with_model=with_model,
                )
            )
            instances.append(inst)
        return tuple(specs), tuple(instances)

    def renames(
        self, raw: Any, canonical: tuple[str, ...], labels: Mapping[str, str], key: str
    ) -> dict[str, str]:
        if raw is None:
            raw = list(canonical)
        if isinstance(raw, list):
            raw = {lab: lab for lab in raw}
        if not isinstance(raw, Mapping) or not raw:
            raise self.fail(key, "must be a non-empty list of labels or a mapping canonical -> domain label")
        out: dict[str, str] = {}
        for src, dst in raw.items():
            if src not in canonical:
                raise self.fail(
                    f"{key}.{src}", f"the recognizer does not produce {src!r}; it produces {list(canonical)}"
                )
            out[str(src)] = self.label(dst, f"{key}.{src}", labels)
        return out

    def groups(self, raw: Any, labels: Mapping[str, str]) -> dict[str, LabelGroup]:
        if not isinstance(raw, Mapping):
            raise self.fail("groups", "must be a mapping of GROUP -> {resolver, window, members}")
        out: dict[str, LabelGroup] = {}
        owner: dict[str, str] = {}
        for gname, body in raw.items():
            key = f"groups.{gname}"
            self.label(gname, key)
            if gname in labels:
                raise self.fail(key, "a group name must differ from every fine label")
            body = self.check_keys(body, _GROUP_KEYS, key)
            resolver = body.get("resolver", "nearest_cue.v1")
            if resolver not in RESOLVERS:
                raise self.fail(
                    f"{key}.resolver", f"unknown resolver {resolver!r}; known: {', '.join(RESOLVERS.names())}"
                )
            window = body.get("window", DEFAULT_CUE_WINDOW)
            if isinstance(window, bool) or not isinstance(window, int) or window <= 0:
                raise self.fail(f"{key}.window", f"must be a positive integer, got {window!r}")
            members_raw = body.get("members")
            if not isinstance(members_raw, Mapping) or len(members_raw) < 2:
                raise self.fail(f"{key}.members", "must map at least two fine labels to their cue words")
            members: dict[str, tuple[str, ...]] = {}
            for fine, cues in members_raw.items():
                self.label(fine, f"{key}.members.{fine}", labels)
                if fine in owner:
                    raise self.fail(f"{key}.members.{fine}", f"already in group {owner[fine]}")
                owner[fine] = str(gname)
                if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
                    raise self.fail(f"{key}.members.{fine}", "cues must be a list of non-empty strings")
                members[fine] = tuple(" ".join(c.split()) for c in cues)
            default = body.get("default")
            if default is not None and default not in members:
                raise self.fail(f"{key}.default", f"{default!r} is not a member of the group")
            units_raw = body.get("units", {})
            if not isinstance(units_raw, Mapping):
                raise self.fail(
                    f"{key}.units", "must map fine labels to the units their values are written in"
                )
            units: dict[str, tuple[str, ...]] = {}
            for fine, words in units_raw.items():
                if fine not in members:
                    raise self.fail(f"{key}.units.{fine}", f"{fine!r} is not a member of the group")
                if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                    raise self.fail(f"{key}.units.{fine}", "units must be a list of non-empty strings")
                units[str(fine)] = tuple(w.strip() for w in words)
            also = body.get("also", [])
            if not isinstance(also, list) or not all(isinstance(g, str) and g in raw for g in also):
                raise self.fail(f"{key}.also", f"must be a list of other groups of this schema, got {also!r}")
            if gname in also:
                raise self.fail(f"{key}.also", "names the group itself")
            dims = body.get("dimensions", [])
            if not isinstance(dims, list) or not all(isinstance(m, str) and m in members for m in dims):
                raise self.fail(
                    f"{key}.dimensions", f"must be a list of members of the group in part order, got {dims!r}"
                )
            out[str(gname)] = LabelGroup(
                name=str(gname),
                members=MappingProxyType(members),
                resolver=resolver,
                window=window,
                default=default,
                units=units,
                also=tuple(also),
                dimensions=tuple(dims),
            )
        return out

    def roles(self, raw: Any, labels: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
        if not isinstance(raw, Mapping):
            raise self.fail("roles", "must be a mapping of role -> list of labels")
        out: dict[str, tuple[str, ...]] = {}
        for role, labs in raw.items():
            if role not in ROLES:
                raise self.fail(f"roles.{role}", f"unknown role; known: {', '.join(ROLES)}")
            if not isinstance(labs, list):
                raise self.fail(f"roles.{role}", "must be a list of labels")
            out[role] = tuple(self.label(lab, f"roles.{role}[{i}]", labels) for i, lab in enumerate(labs))
        return out

    def model_labels(
        self,
        raw: Any,
        labels: Mapping[str, str],
        groups: Mapping[str, LabelGroup],
        specs: tuple[RecognizerSpec, ...],
    ) -> tuple[str, ...]:
        grouped = {fine: g.name for g in groups.values() for fine in g.members}
        if raw is None:
            ruled = {lab for s in specs if s.authoritative for lab in s.labels.values()}
            return tuple(
                dict.fromkeys(grouped.get(lab, lab) for lab in labels if lab not in ruled or lab in grouped)
            )
        if not isinstance(raw, list) or not raw:
            raise self.fail("model_labels", "must be a non-empty list")
        for i, lab in enumerate(raw):
            self.label(lab, f"model_labels[{i}]")
            if lab in grouped:
                raise self.fail(
                    f"model_labels[{i}]", f"{lab} is in group {grouped[lab]}; list the group instead"
                )
            if lab not in labels and lab not in groups:
                raise self.fail(f"model_labels[{i}]", f"unknown label {lab!r}")
        if len(set(raw)) != len(raw):
            raise self.fail("model_labels", "duplicate label")
        return tuple(raw)
