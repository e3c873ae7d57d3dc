"""Vietnamese word segmentation by name (pyvi, underthesea, python-rdrsegmenter), offsets preserved.

Each backend returns words whose syllables are joined by ``_`` or a space; :func:`align_words` finds
those syllables again, in order, in the caller's original text, so every word is a ``(start, end)`` span
of the original string (a multi-syllable word spans the spaces between its syllables). The packages are
optional and imported on first use with an install hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

SEGMENTERS: tuple[str, ...] = ("pyvi", "underthesea", "rdrsegmenter")
_HINTS = {
    "pyvi": "pip install pyvi",
    "underthesea": "pip install underthesea",
    "rdrsegmenter": "pip install python-rdrsegmenter pyjnius (and a Java 17 runtime)",
}


class SegmenterError(RuntimeError):
    """A segmenter is unknown, not installed, or returned words that are not in the text."""


def align_words(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of ``words`` (syllables joined by ``_`` or space) found left to right in ``text``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for w in words:
        sylls = [s for s in w.replace("_", " ").split() if s]
        if not sylls:
            continue
        start = end = -1
        for s in sylls:
            at = text.find(s, pos)
            if at < 0 and "_" in s:
                at = text.find(s.replace("_", " "), pos)
            if at < 0:
                raise SegmenterError(f"segmenter output does not match the text near offset {pos}")
            if start < 0:
                start = at
            pos = end = at + len(s)
        spans.append((start, end))
    return spans


def _pyvi() -> Callable[[str], list[str]]:
    from pyvi import ViTokenizer

    return lambda text: ViTokenizer.tokenize(text).split()


def _underthesea() -> Callable[[str], list[str]]:
    from underthesea import word_tokenize

    return lambda text: list(word_tokenize(text))


def _rdrsegmenter() -> Callable[[str], list[str]]:
    from python_rdrsegmenter import load_segmenter

    from .alignment import split_words

    seg = load_segmenter()

    def run(text: str) -> list[str]:
        pre = " ".join(text[w.start : w.end] for w in split_words(text))  # it expects pre-split tokens
        return str(seg.tokenize(pre)).split() if pre else []

    return run


@cache
def get_segmenter(name: str) -> Callable[[str], list[str]]:
    """The raw segmenter function ``text -> words`` for ``name`` (loaded once)."""
    loaders = {"pyvi": _pyvi, "underthesea": _underthesea, "rdrsegmenter": _rdrsegmenter}
    if name not in loaders:
        raise SegmenterError(f"unknown segmenter {name!r}; expected one of {', '.join(SEGMENTERS)}")
    try:
        return loaders[name]()
    except ImportError as exc:
        raise SegmenterError(f"segmenter {name!r} is not installed: {_HINTS[name]}") from exc


def segment(text: str, name: str) -> list[tuple[int, int]]:
    """Word spans of ``text`` (original offsets) according to segmenter ``name``."""
    if not text.strip():
        return []
    return align_words(text, get_segmenter(name)(text))


def segmented_words(text: str, name: str) -> list[str]:
    """Words as a PhoBERT-style model wants them: syllables joined by ``_``."""
    return [text[a:b].replace(" ", "_") for a, b in segment(text, name)]
