"""Fine-label resolvers (rules/resolvers.py): which cue hit decides a group entity's fine label."""

from __future__ import annotations

from vner.rules.resolvers import RESOLVERS, CueHit, nearest_cue_v1, preceding_cue_v1, same_clause_cue_v1


def hit(
    label: str, *, distance: int, before: bool, blocked: bool = False, length: int = 4, broken: bool = False
) -> CueHit:
    start = 100 - distance - length if before else 110 + distance
    return CueHit(label, "x" * length, start, start + length, distance, before, blocked, broken)


def test_nearest_unblocked_cue_wins() -> None:
    far = hit("WAIST", distance=12, before=True)
    near_blocked = hit("CHEST", distance=2, before=True, blocked=True)
    near = hit("HIP", distance=5, before=False)
    assert nearest_cue_v1([far, near_blocked, near]) is near
    assert nearest_cue_v1([]) is None


def test_before_beats_after_at_equal_distance_and_longer_cue_breaks_ties() -> None:
    after = hit("A", distance=3, before=False)
    before = hit("B", distance=3, before=True)
    assert nearest_cue_v1([after, before]) is before
    short, long_ = hit("A", distance=3, before=True, length=3), hit("B", distance=3, before=True, length=8)
    assert nearest_cue_v1([short, long_]) is long_


def test_preceding_cue_ignores_cues_after_the_entity() -> None:
    after = hit("A", distance=1, before=False)
    before = hit("B", distance=20, before=True)
    assert preceding_cue_v1([after, before]) is before
    assert preceding_cue_v1([after]) is None
    inside = CueHit("C", "eo", 102, 104, 0, False, False)
    assert preceding_cue_v1([after, inside]) is inside


def test_same_clause_cue_prefers_a_cue_before_the_entity_in_its_clause() -> None:
    # "phụ cấp ca đêm 618,000 bị trừ ...": the allowance cue 8 chars before beats the deduction cue 4 after
    before = hit("ALLOWANCE", distance=8, before=True)
    after = hit("DEDUCTION", distance=4, before=False)
    assert same_clause_cue_v1([after, before]) is before
    assert nearest_cue_v1([after, before]) is after  # what nearest_cue.v1 picks, for contrast
    # "lương 8tr, phụ cấp 500k" for "8tr": a cue behind a comma loses to one in the same clause, even after it
    across = hit("SALARY", distance=1, before=True, broken=True)
    later = hit("BONUS", distance=6, before=False)
    assert same_clause_cue_v1([across, later]) is later
    inside = CueHit("C", "eo", 102, 104, 0, False, False)
    assert same_clause_cue_v1([before, inside]) is inside
    assert same_clause_cue_v1([hit("A", distance=1, before=True, blocked=True), later]) is later
    assert same_clause_cue_v1([]) is None


def test_registry_names_are_versioned() -> None:
    assert RESOLVERS.names() == ("nearest_cue.v1", "preceding_cue.v1", "same_clause_cue.v1")
    assert RESOLVERS["preceding_cue.v1"] is preceding_cue_v1
