"""Fine-label resolvers live in the generic registry (issue 19); ``get_resolver`` keeps its contract."""

from __future__ import annotations

import pytest
from vner.engine.pipeline.postprocess.restore_fine import RESOLVERS, get_resolver, nearest_cue_v1
from vner.rules.registry import Registry
from vner.rules.schema import KNOWN_RESOLVERS


def test_registered_resolver_resolves() -> None:
    assert isinstance(RESOLVERS, Registry)
    assert get_resolver("nearest_cue.v1") is nearest_cue_v1 is RESOLVERS["nearest_cue.v1"]
    assert RESOLVERS.help("nearest_cue.v1").startswith("Unblocked cues first")


def test_unknown_resolver_lists_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"unknown fine-label resolver 'magic\.v9'; known: nearest_cue\.v1, preceding_cue\.v1$",
    ):
        get_resolver("magic.v9")


def test_schema_accepts_exactly_the_registered_resolvers() -> None:
    # rules/ may not import the engine, so the schema keeps its own list; the two must agree
    assert set(KNOWN_RESOLVERS) == set(RESOLVERS.names())
