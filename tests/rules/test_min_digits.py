"""The RuleSet's digit-count prefilter table agrees with the recognizers it describes (one source of truth)."""

from __future__ import annotations

from vner.rules.recognizers.phone import PhoneRecognizer
from vner.rules.ruleset import MIN_DIGITS


def test_phone_min_digits_is_the_recognizers_own() -> None:
    # "1900 1234", a service number, has 8 digits: a table saying 9 would prefilter it away
    assert MIN_DIGITS["phone"] == 8
    assert MIN_DIGITS["phone"] == PhoneRecognizer().min_digits
    assert PhoneRecognizer(config={"service_numbers": False}).min_digits == 9


def test_service_number_has_exactly_the_phone_minimum_of_digits() -> None:
    from datetime import datetime

    from vner.rules.recognizer import RuleContext

    ents = PhoneRecognizer().analyze("tổng đài 1900 1234", RuleContext(ref_time=datetime(2026, 11, 25)))
    assert [e.text for e in ents] == ["1900 1234"]
    assert sum(ch.isdigit() for ch in ents[0].text) == MIN_DIGITS["phone"]
