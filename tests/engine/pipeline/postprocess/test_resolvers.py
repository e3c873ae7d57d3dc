"""Fine-label resolvers live in the generic registry (issue 19); ``get_resolver`` keeps its contract."""

from __future__ import annotations

import pytest
from vner.engine.pipeline.postprocess.restore_fine import RESOLVERS, get_resolver
from vner.rules import resolvers as rules_resolvers
from vner.rules.registry import Registry
from vner.rules.resolvers import nearest_cue_v1


def test_registered_resolver_resolves() -> None:
    assert isinstance(RESOLVERS, Registry)
    assert get_resolver("nearest_cue.v1") is nearest_cue_v1 is RESOLVERS["nearest_cue.v1"]
    assert RESOLVERS.help("nearest_cue.v1").startswith("Unblocked cues first")


def test_unknown_resolver_lists_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"unknown fine-label resolver 'magic\.v9'; known: nearest_cue\.v1, preceding_cue\.v1, same_clause_cue\.v1$",
    ):
        get_resolver("magic.v9")


def test_one_resolver_registry_shared_by_schema_and_post_processing() -> None:
    # the schema validates against the registry post-processing resolves from: no second list to drift
    assert RESOLVERS is rules_resolvers.RESOLVERS
    assert RESOLVERS.names() == ("nearest_cue.v1", "preceding_cue.v1", "same_clause_cue.v1")
