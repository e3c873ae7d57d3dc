"""A generic regex recognizer declared entirely in a domain YAML (label, patterns, context, validator).

Example (``rules/data/domains/covid19.yaml``)::

    - use: pattern
      id: patient_id
      labels: [PATIENT_ID]
      config:
        label: PATIENT_ID
        patterns:
          - {name: bn_number, regex: '\\bBN\\s?-?\\d{1,5}\\b', score: 0.95}
        context: [bệnh nhân, ca bệnh]
        context_window: 30
        context_boost: 0.1
        value: upper_nospace

Every key is checked when the recognizer is built: an unknown key, a bad regex, a score outside [0, 1] or an
unknown validator name raises ``ValueError`` naming the key. Validators come from :mod:`vner.rules.validators` and are
three-way (True: confirmed, score 1.0; False: drop; None: keep the pattern's score).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from ..entity import Entity
from ..recognizer import RuleContext, source_of
from .gazetteer_match import fold as _fold

_KEYS = {
    "label",
    "patterns",
    "context",
    "context_window",
    "context_boost",
    "require_context",
    "validator",
    "value",
    "min_score",
    "ignore_case",
}
_PATTERN_KEYS = {"name", "regex", "score", "group"}
_VALUE_MODES = {"text", "digits", "upper", "lower", "upper_nospace", "vnd", "none"}


@dataclass(frozen=True, slots=True)
class _Pattern:
    name: str
    rx: regex.Pattern[str]
    score: float
    group: str | int


def _value(surface: str, mode: str) -> Any:
    if mode == "vnd":  # a whole number of đồng written with group separators: {"amount", "currency"}
        return {"amount": int("".join(c for c in surface if c.isdigit()) or 0), "currency": "VND"}
    if mode == "digits":
        return "".join(c for c in surface if c.isdigit())
    if mode == "upper":
        return surface.upper()
    if mode == "lower":
        return surface.lower()
    if mode == "upper_nospace":
        return "".join(c for c in surface.upper() if c.isalnum())
    if mode == "none":
        return None
    return surface


def _score(raw: Any, key: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0.0 <= float(raw) <= 1.0:
        raise ValueError(f"{key}: score must be a number in [0, 1], got {raw!r}")
    return float(raw)


class PatternRecognizer:
    """Regexes with scores for one label; context words raise the score; an optional named validator."""

    name = "pattern"
    version = "v1"

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = dict(config or {})
        unknown = sorted(set(cfg) - _KEYS)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(_KEYS))})")
        label = cfg.get("label")
        if not isinstance(label, str) or not label.isupper():
            raise ValueError(f"label: must be an UPPER_CASE label name, got {label!r}")
        self.label = label
        self.labels: tuple[str, ...] = (label,)
        flags = regex.IGNORECASE if cfg.get("ignore_case", True) else 0
        raw_patterns = cfg.get("patterns")
        if not isinstance(raw_patterns, list) or not raw_patterns:
            raise ValueError("patterns: must be a non-empty list")
        self._patterns = tuple(self._compile(i, p, flags) for i, p in enumerate(raw_patterns))
        ctx_words = cfg.get("context", [])
        if not isinstance(ctx_words, list) or not all(isinstance(w, str) and w.strip() for w in ctx_words):
            raise ValueError("context: must be a list of non-empty strings")
        self._context = tuple(_fold(w.strip()) for w in ctx_words)
        self._ctx_rx = (
            regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(w) for w in self._context) + r")(?!\w)")
            if self._context
            else None
        )
        window = cfg.get("context_window", 40)
        if isinstance(window, bool) or not isinstance(window, int) or window < 0:
            raise ValueError(f"context_window: must be a non-negative integer, got {window!r}")
        self._window = window
        self._boost = _score(cfg.get("context_boost", 0.15), "context_boost")
        self._min_score = _score(cfg.get("min_score", 0.0), "min_score")
        self._require_context = bool(cfg.get("require_context", False))
        if self._require_context and not self._context:
            raise ValueError("require_context: needs a non-empty 'context' list")
        mode = cfg.get("value", "text")
        if mode not in _VALUE_MODES:
            raise ValueError(f"value: must be one of {', '.join(sorted(_VALUE_MODES))}, got {mode!r}")
        self._value_mode = str(mode)
        self._validator_name = cfg.get("validator")
        self._validator: Callable[[str], bool | None] | None = None
        if self._validator_name is not None:
            from ..validators import get_validator  # helper-owned registry; imported only when named

            try:
                self._validator = get_validator(str(self._validator_name))
            except KeyError as exc:
                raise ValueError(f"validator: {exc.args[0] if exc.args else exc}") from None

    @staticmethod
    def _compile(i: int, raw: Any, flags: int) -> _Pattern:
        key = f"patterns[{i}]"
        if isinstance(raw, str):
            raw = {"regex": raw}
        if not isinstance(raw, Mapping):
            raise ValueError(f"{key}: must be a mapping with 'regex' (and optional name, score, group)")
        unknown = sorted(set(raw) - _PATTERN_KEYS)
        if unknown:
            raise ValueError(f"{key}.{unknown[0]}: unknown key (known: {', '.join(sorted(_PATTERN_KEYS))})")
        src = raw.get("regex")
        if not isinstance(src, str) or not src:
            raise ValueError(f"{key}.regex: must be a non-empty string")
        try:
            rx = regex.compile(src, flags)
        except regex.error as exc:
            raise ValueError(f"{key}.regex: bad regex {src!r}: {exc}") from None
        if rx.search("") is not None:
            raise ValueError(f"{key}.regex: matches the empty string")
        group = raw.get("group", 0)
        if isinstance(group, str) and group not in rx.groupindex:
            raise ValueError(f"{key}.group: no group named {group!r} in the regex")
        if isinstance(group, int) and not 0 <= group <= rx.groups:
            raise ValueError(f"{key}.group: the regex has {rx.groups} groups, got {group}")
        return _Pattern(
            name=str(raw.get("name", f"p{i}")),
            rx=rx,
            score=_score(raw.get("score", 0.6), f"{key}.score"),
            group=group,
        )

    def _context_word(self, folded: str, start: int, end: int) -> tuple[int, int] | None:
        if self._ctx_rx is None:
            return None
        lo = max(0, start - self._window)
        hi = min(len(folded), end + self._window)
        m = self._ctx_rx.search(folded, lo, hi)
        return m.span() if m else None

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every pattern match that survives the validator and the context requirement."""
        del ctx
        out: list[Entity] = []
        seen: set[tuple[int, int]] = set()
        folded: str | None = None
        for pat in self._patterns:
            for m in pat.rx.finditer(text):
                start, end = m.span(pat.group)
                if start < 0 or start == end or (start, end) in seen:
                    continue
                surface = text[start:end]
                score = pat.score
                why = [f"pattern {pat.name}"]
                if self._validator is not None:
                    verdict = self._validator(surface)
                    if verdict is False:
                        continue
                    if verdict is True:
                        score = 1.0
                        why.append(f"validator {self._validator_name} passed")
                if self._ctx_rx is not None:
                    if folded is None:
                        folded = _fold(text)
                    word = self._context_word(folded, start, end)
                    if word is None and self._require_context:
                        continue
                    if word is not None:
                        score = round(min(1.0, score + self._boost), 4)
                        why.append(f"context word {text[word[0] : word[1]]!r}")
                if score < self._min_score:
                    continue
                seen.add((start, end))
                out.append(
                    Entity(
                        start=start,
                        end=end,
                        label=self.label,
                        text=surface,
                        value=_value(surface, self._value_mode),
                        source=source_of(self),
                        score=score,
                        explanation="; ".join(why),
                    )
                )
        out.sort(key=lambda e: (e.start, -e.end))
        return out


RECOGNIZERS: dict[str, type] = {"pattern": PatternRecognizer}
