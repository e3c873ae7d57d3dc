"""The post-processing steps live in the generic registry (issue 19); ``resolve_steps`` keeps its contract."""

from __future__ import annotations

import pytest
from vner.engine.pipeline.postprocess import DEFAULT_STEPS, STEPS, resolve_steps
from vner.engine.pipeline.postprocess.span_rebuild import span_rebuild
from vner.rules.registry import Registry


def test_steps_are_a_registry_in_run_order() -> None:
    assert isinstance(STEPS, Registry)
    assert DEFAULT_STEPS == ("span_rebuild", "split_coordinated", "complete_numeric", "restore_fine")
    assert STEPS.get("span_rebuild") is span_rebuild is STEPS["span_rebuild"]


def test_resolve_steps_default_subset_and_disabled() -> None:
    assert resolve_steps() == DEFAULT_STEPS
    assert resolve_steps(["restore_fine", "span_rebuild"]) == ("restore_fine", "span_rebuild")
    assert resolve_steps(disabled=["split_coordinated"]) == (
        "span_rebuild",
        "complete_numeric",
        "restore_fine",
    )


def test_unknown_step_fails_listing_the_known_ones() -> None:
    with pytest.raises(
        ValueError, match=r"unknown post-processing step\(s\) \['nope'\]; known: span_rebuild, "
    ):
        resolve_steps(["span_rebuild", "nope"])
    with pytest.raises(ValueError, match="restore_fine"):
        resolve_steps(disabled=["nope"])
    with pytest.raises(KeyError, match=r"unknown post-processing step 'nope'; known: complete_numeric, "):
        STEPS.get("nope")
