"""Account cue words come from one list in the language data; each recognizer keeps its own window."""

from __future__ import annotations

import pytest
from vner.rules.lang.vi import ACCOUNT_CUES, TRANSFER_CUES, fold
from vner.rules.recognizers import bank, ids, phone, tax


@pytest.mark.parametrize(
    "cues",
    [
        bank.ContextWords(bank.ACCOUNT_CONTEXT),
        ids._ACCOUNT_CUES,
        tax._ACCOUNT_CUES,
        tax._OTHER_CUES,
        phone._ACCOUNT_CONTEXT,
    ],
)
def test_every_account_cue_list_holds_the_shared_words(cues) -> None:
    assert {fold(w) for w in ACCOUNT_CUES} <= set(cues.words)


def test_bank_account_cues_are_account_and_transfer_words() -> None:
    assert set(bank.ACCOUNT_CONTEXT) == {*ACCOUNT_CUES, *TRANSFER_CUES}
