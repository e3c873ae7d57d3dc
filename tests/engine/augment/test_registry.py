"""Augmenters live in the generic registry (issue 19); their help line is the factory's docstring."""

from __future__ import annotations

import pytest
from vner.engine.augment import (
    AUGMENTERS,
    DESCRIPTIONS,
    Identity,
    get_augmenter,
    get_augmenter_factory,
    parse_step,
)
from vner.rules.registry import Registry


def test_registered_augmenter_resolves_and_builds() -> None:
    assert isinstance(AUGMENTERS, Registry)
    assert get_augmenter_factory("none") is AUGMENTERS["none"]
    assert isinstance(get_augmenter("none", []), Identity)
    assert parse_step("recombine:0.2", 0.5) == ("recombine", 0.2)


def test_help_lines_come_from_the_factories_in_cli_order() -> None:
    assert list(DESCRIPTIONS) == list(AUGMENTERS.names())
    assert DESCRIPTIONS["lwtr"] == AUGMENTERS.help("lwtr") == "label-wise token replacement, Dai & Adel 2020"
    assert all(DESCRIPTIONS.values())


@pytest.mark.parametrize(
    "call", [lambda: get_augmenter("paraphrase", []), lambda: parse_step("paraphrase:0.1", 0.5)]
)
def test_unknown_augmenter_lists_the_known_ones(call: object) -> None:
    with pytest.raises(
        ValueError, match=r"unknown augmenter 'paraphrase'; known: backtranslate, inner, lwtr, .*unlabelled$"
    ):
        call()  # type: ignore[operator]
