"""Named, versioned merge policies that combine rule entities and model entities into one span set.

A policy is a pure function ``(rule_entities, model_entities, rule_labels) -> non-overlapping entities``.
Configuration refers to it by name; to change behaviour register a new version (``.v2``), never edit ``.v1``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...rules.entity import Entity, Origin
from ...rules.registry import Registry, UnknownNameError

MergePolicy = Callable[[Sequence[Entity], Sequence[Entity], frozenset[str]], list[Entity]]

MERGE_STAGE = "merge"

MERGE_POLICIES: Registry[MergePolicy] = Registry("merge policy")
"""Every merge policy, by versioned name; filled by ``@MERGE_POLICIES.register`` below."""


def _length_key(e: Entity) -> tuple[int, float, int, str, str]:
    """Longest first; then higher score; then earlier start; then label and source (deterministic)."""
    return (-(e.end - e.start), -e.score, e.start, e.label, e.source)


def _greedy(cands: Iterable[tuple[tuple[object, ...], Entity]]) -> tuple[list[Entity], set[int]]:
    """Accept candidates in key order unless they overlap an accepted one; report winners of conflicts."""
    accepted: list[Entity] = []
    won: set[int] = set()
    for _, ent in sorted(cands, key=lambda kv: kv[0]):
        clash = [i for i, a in enumerate(accepted) if a.overlaps(ent)]
        if clash:
            won.update(clash)
            continue
        accepted.append(ent)
    return accepted, won


def _longest_per_label(ents: Sequence[Entity], priority: Callable[[Entity], int]) -> list[Entity]:
    """Among overlapping spans of one label keep the longest (ties: priority, score, start, source)."""
    out: list[Entity] = []
    by_label: dict[str, list[Entity]] = {}
    for e in ents:
        by_label.setdefault(e.label, []).append(e)
    for label in sorted(by_label):
        group = by_label[label]
        keyed = [((-(e.end - e.start), priority(e), -e.score, e.start, e.source), e) for e in group]
        kept, won = _greedy(keyed)
        out.extend(e.with_stage(MERGE_STAGE) if i in won else e for i, e in enumerate(kept))
    return out


def _is_rule(e: Entity) -> bool:
    return e.origin is Origin.RULE


@MERGE_POLICIES.register("hybrid_merge.v1")
def hybrid_merge_v1(
    rule_entities: Sequence[Entity], model_entities: Sequence[Entity], rule_labels: frozenset[str]
) -> list[Entity]:
    """The paper's merge: rules own validated labels, the model owns semantic ones.

    1. same label, overlapping: the longest span wins (ties: the label's owner, then score, start, source);
    2. different labels, overlapping: a rule entity of a rule-owned label beats everything, then a model
       entity of a model-owned label, then a rule entity of a model-owned label, then the model's guess at
       a rule-owned label; within a rank the longest span wins, ties broken by score, start, label, source.
    Entities that won a conflict get the ``merge`` stage.
    """

    def rank(e: Entity) -> int:
        rule = _is_rule(e)
        owned = e.label in rule_labels
        if rule and owned:
            return 0
        if not rule and not owned:
            return 1
        if rule:
            return 2
        return 3

    pooled = _longest_per_label([*rule_entities, *model_entities], rank)
    keyed = [((rank(e), *_length_key(e)), e) for e in pooled]
    kept, won = _greedy(keyed)
    out = [
        e.with_stage(MERGE_STAGE) if i in won and MERGE_STAGE not in e.stages else e
        for i, e in enumerate(kept)
    ]
    return sorted(out, key=lambda e: (e.start, e.end, e.label))


@MERGE_POLICIES.register("hint_overlap.v1")
def hint_overlap_v1(
    rule_entities: Sequence[Entity], model_entities: Sequence[Entity], rule_labels: frozenset[str]
) -> list[Entity]:
    """``hybrid_merge.v1``, but a rule *hint* (a label the model owns) only counts where it overlaps a model
    span of the same label (it may then widen it); on its own it adds nothing. Rule-owned labels as in v1."""
    hints = [
        r
        for r in rule_entities
        if r.label in rule_labels or any(m.label == r.label and m.overlaps(r) for m in model_entities)
    ]
    return hybrid_merge_v1(hints, model_entities, rule_labels)


@MERGE_POLICIES.register("rules_only.v1")
def rules_only_v1(
    rule_entities: Sequence[Entity], model_entities: Sequence[Entity], rule_labels: frozenset[str]
) -> list[Entity]:
    """Ignore the model; resolve overlaps among rule entities by the longest span."""
    return hybrid_merge_v1(rule_entities, (), rule_labels)


@MERGE_POLICIES.register("model_only.v1")
def model_only_v1(
    rule_entities: Sequence[Entity], model_entities: Sequence[Entity], rule_labels: frozenset[str]
) -> list[Entity]:
    """Ignore the rules; resolve overlaps among model entities by the longest span."""
    return hybrid_merge_v1((), model_entities, rule_labels)


@MERGE_POLICIES.register("rules_decide.v1")
def rules_decide_v1(
    rule_entities: Sequence[Entity], model_entities: Sequence[Entity], rule_labels: frozenset[str]
) -> list[Entity]:
    """Like ``hybrid_merge.v1``, but model spans of rule-owned labels are dropped: only rules decide them."""
    return hybrid_merge_v1(
        rule_entities, [e for e in model_entities if e.label not in rule_labels], rule_labels
    )


def get_merge_policy(name: str) -> MergePolicy:
    """The policy registered under ``name``; an unknown name is a ``ValueError`` that lists the known ones."""
    try:
        return MERGE_POLICIES.get(name)
    except UnknownNameError as exc:
        raise ValueError(str(exc)) from None
