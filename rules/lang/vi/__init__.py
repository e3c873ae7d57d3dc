"""Vietnamese language data: diacritic folding, cue words and administrative place names.

* :mod:`.diacritics` — :func:`fold` (the one folding every recognizer and post-processing step uses),
  :func:`fold_word`, :func:`strip_diacritics`.
* :mod:`.cues` — words that introduce a number: :data:`ACCOUNT_CUES`, :data:`TRANSFER_CUES`.
* :mod:`.places` — provinces and wards from PyPI ``vietnam-provinces`` plus the hand-kept former provinces,
  districts and aliases of ``rules/data/gazetteers/vn_admin.yaml`` (loaded on first use).
"""

from .cues import ACCOUNT_CUES, TRANSFER_CUES
from .diacritics import fold, fold_word, strip_diacritics

__all__ = ["ACCOUNT_CUES", "TRANSFER_CUES", "fold", "fold_word", "strip_diacritics"]
