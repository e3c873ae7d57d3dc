"""Settings for the whole suite: tests check correctness, never timing.

Hypothesis' default 200 ms deadline per example turns a busy CI box into a failing property test
(``test_at_most_one_check_digit_completes_any_nine_digits`` failed that way once while the same examples pass in
milliseconds), so the deadline is off everywhere; the examples and their count are unchanged.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("vner", deadline=None)
settings.load_profile("vner")
