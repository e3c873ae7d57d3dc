"""From per-word label probabilities to one tag per word: the tagger's decoding head.

Two decodings (:data:`DECODINGS`, named in ``vner_meta.json`` ``decoding``, overridable per tagger):

* ``argmax``: each word takes its most probable label on its own. The path may hold an
  ``I-X`` that continues nothing (``O I-PER``); :func:`vner.engine.runtime.alignment.decode_bio` then
  leniently starts a new span there.
* ``viterbi`` (the default, :data:`DEFAULT_DECODING`): the path of largest summed log-probability among the valid BIO paths: no ``I-X`` at the start,
  after ``O`` or after a tag of another type (``B-Y``/``I-Y``, ``Y != X``). A constrained CRF decode with hard
  transitions and no learnt transition scores, so it runs on the exported network's emissions (torch or ONNX
  alike) without touching the graph. When the argmax path is already valid, both give the same tags.

Label sets are BIO (:func:`vner.engine.runtime.model_meta._check_labels` admits ``O``, ``B-X`` and ``I-X`` only).
Probabilities of exactly 0 are floored at :data:`PROB_FLOOR` before the log, so nothing becomes NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model_meta import DECODINGS, DEFAULT_DECODING

__all__ = [
    "DECODINGS",
    "DEFAULT_DECODING",
    "PROB_FLOOR",
    "BioConstraints",
    "best_label_ids",
    "bio_constraints",
    "check_decoding",
    "viterbi",
]

PROB_FLOOR = 1e-12  # log(0) would be -inf; a floored 0 stays far below any real probability


def check_decoding(decoding: str) -> str:
    """``decoding`` itself when it names a known decoding, else ``ValueError`` listing the known ones."""
    if decoding not in DECODINGS:
        raise ValueError(f"unknown decoding {decoding!r}; expected one of {', '.join(DECODINGS)}")
    return decoding


@dataclass(frozen=True)
class BioConstraints:
    """Which label ids may start a sentence (``start[j]``) and follow one another (``allowed[i, j]``: i → j)."""

    start: np.ndarray  # (L,) bool
    allowed: np.ndarray  # (L, L) bool


def bio_constraints(labels: Sequence[str]) -> BioConstraints:
    """BIO constraints for ``labels``: ``I-X`` only after ``B-X`` or ``I-X``; everything else anywhere."""
    n = len(labels)
    start = np.ones(n, dtype=bool)
    allowed = np.ones((n, n), dtype=bool)
    for j, tag in enumerate(labels):
        if not tag.startswith("I-"):
            continue
        kind = tag[2:]
        start[j] = False
        allowed[:, j] = [prev in (f"B-{kind}", f"I-{kind}") for prev in labels]
    return BioConstraints(start=start, allowed=allowed)


def viterbi(probs: np.ndarray, constraints: BioConstraints) -> np.ndarray:
    """Label ids (``n_words``) of the valid path with the largest sum of ``log(max(p, PROB_FLOOR))``.

    ``probs`` is ``n_words × n_labels``; an empty sentence gives an empty path. Ties go to the lower label id.
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != constraints.start.shape[0]:
        raise ValueError(f"probabilities of shape {p.shape} do not match {constraints.start.shape[0]} labels")
    n = p.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    emit = np.log(np.maximum(p, PROB_FLOOR))
    trans = np.where(constraints.allowed, 0.0, -np.inf)  # (prev, next)
    score = np.where(constraints.start, emit[0], -np.inf)
    back = np.zeros((n, p.shape[1]), dtype=np.int64)
    for t in range(1, n):
        # (prev, next): -inf where forbidden; never NaN, since scores are finite or -inf (no +inf)
        cand = score[:, None] + trans
        back[t] = cand.argmax(axis=0)
        score = cand[back[t], np.arange(p.shape[1])] + emit[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def best_label_ids(probs: np.ndarray, decoding: str, constraints: BioConstraints) -> np.ndarray:
    """One label id per word of ``probs`` (``n_words × n_labels``) under ``decoding`` (:data:`DECODINGS`)."""
    check_decoding(decoding)
    best = np.asarray(probs).argmax(axis=-1).astype(np.int64)
    if decoding == "argmax" or best.size == 0:
        return best
    # viterbi: a valid argmax path is already the best valid path (most sentences), so skip the search
    if constraints.start[best[0]] and bool(constraints.allowed[best[:-1], best[1:]].all()):
        return best
    return viterbi(probs, constraints)
