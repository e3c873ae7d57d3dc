"""Synth slot fillers live in the generic registry (issue 19)."""

from __future__ import annotations

import random

import pytest
from vner.engine.synth.generator import FILLERS
from vner.rules.registry import Registry


def test_registered_filler_resolves_and_draws() -> None:
    assert isinstance(FILLERS, Registry)
    assert FILLERS.get("CUSTOMER_NAME") is FILLERS["RECEIVER_NAME"]
    phone = FILLERS.get("PHONE_NUMBER")(random.Random(0))
    assert isinstance(phone, str) and phone


def test_unknown_slot_lists_the_known_ones() -> None:
    with pytest.raises(
        KeyError, match=r"unknown synth slot filler 'NOPE'; known: ADDRESS, BANK_ACCOUNT, .*TIME$"
    ):
        FILLERS["NOPE"]
