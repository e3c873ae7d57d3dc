"""The rule stage of a domain: every recognizer of its schema, run on normalised text, mapped back to the caller.

``RuleSet.for_domain("customer_service").analyze(text, ref_time=...)`` returns non-overlapping entities whose
offsets index ``text`` itself (``text[e.start:e.end] == e.text``, also for NFD input or odd whitespace), with
the schema's domain labels and ``"rules"`` in their stages. Overlaps between rule hits are resolved by
:func:`resolve_overlaps` (higher score, then longer, then earlier, then recognizer order).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from .entity import Entity, Origin
from .normalize import ZERO_WIDTH, NormalizedText, normalize
from .recognizer import Recognizer, RuleContext
from .recognizers.phone import MIN_DIGITS as PHONE_MIN_DIGITS
from .schema import DomainSchema, RecognizerSpec, load_schema

RULESET_CODE_VERSION = "ruleset.v1"
# anything normalize() would change besides NFC: whitespace other than single inner spaces, zero-width chars.
# One character class (every str.isspace() character but the plain space, and the zero-width ones) is several
# times faster than the alternation "[^\S ]|  |^ | $|[zero-width]"; double and edge spaces are tested apart.
_ODD_CHARS = "".join(chr(cp) for cp in range(0x3001) if chr(cp).isspace() and cp != 0x20)  # none above U+3000
_NEEDS_NORMALIZE = re.compile(f"[{re.escape(_ODD_CHARS)}{ZERO_WIDTH}]")
_ASCII_DIGITS = "0123456789"


# Cheap prefilters (a recognizer is skipped when the text cannot contain a match): the fewest digits any match
# of the family has, and characters a match must contain. A recognizer may declare its own ``min_digits`` /
# ``required_chars`` attributes, which take precedence. Conservative by construction: tests/rules/test_ruleset.py
# checks that prefiltering never changes the output.
MIN_DIGITS: dict[str, int] = {
    "phone": PHONE_MIN_DIGITS,  # the phone recognizer's own figure (service numbers: 8), not a second copy
    "citizen_id": 12,
    "old_id": 9,
    "passport": 7,
    "tax_code": 10,
    "bank_card": 12,
    "bank_account": 6,
    "license_plate": 4,
}
REQUIRED_CHARS: dict[str, str] = {"email": "@"}

_Cand = tuple[Entity, int, str]  # (entity in normalised offsets, recognizer order, domain label)


def _by_position(c: _Cand) -> tuple[int, int]:
    return (c[0].start, c[0].end)


def _rank(c: _Cand) -> tuple[float, int, int, int, str]:
    ent = c[0]
    return (-ent.score, ent.start - ent.end, ent.start, c[1], ent.label)


def _keep(items: Sequence[_Cand]) -> list[_Cand]:
    if len(items) <= 1:
        return [c for c in items if c[0].start < c[0].end]
    in_order = sorted(items, key=_by_position)
    last_end = 0
    for item in in_order:
        if item[0].start < last_end or item[0].start >= item[0].end:
            break
        last_end = item[0].end
    else:  # no two overlap and none is empty (the common case): every candidate is kept
        return in_order
    ranked = sorted(items, key=_rank)
    kept: list[_Cand] = []
    taken = bytearray(max(c[0].end for c in items))  # 1 where a kept entity covers the character
    for item in ranked:
        start, end = item[0].start, item[0].end
        if start < end and taken.find(1, start, end) < 0:  # overlaps no kept entity
            kept.append(item)
            taken[start:end] = b"\x01" * (end - start)
    kept.sort(key=_by_position)
    return kept


def resolve_overlaps(candidates: Iterable[tuple[Entity, int]]) -> list[Entity]:
    """Keep a non-overlapping subset: higher score, then longer, then earlier, then lower recognizer order.

    Pure and deterministic; the result is sorted by start offset.
    """
    return [c[0] for c in _keep([(ent, order, "") for ent, order in candidates])]


def _count_digits(text: str, enough: int) -> int:
    """How many digits ``text`` has, exactly, or any count >= ``enough`` (the ASCII count, ten C-level scans,
    is enough for most messages; other digits, such as full-width ones, are counted only when it is not)."""
    ascii_count = sum(map(text.count, _ASCII_DIGITS))
    if ascii_count >= enough or text.isascii():
        return ascii_count
    return sum(map(str.isdigit, text))


def _identity(text: str) -> NormalizedText | None:
    """A cheap path for text normalize() would leave unchanged (already NFC, plain single spaces)."""
    if (
        text[0] == " "
        or text[-1] == " "
        or "  " in text
        or _NEEDS_NORMALIZE.search(text) is not None
        or not unicodedata.is_normalized("NFC", text)
    ):
        return None
    return NormalizedText(original=text, text=text, starts=(), ends=())


class RuleSet:
    """The recognizers of one domain schema, with label renames and overlap resolution."""

    def __init__(
        self, *, schema: DomainSchema, recognizers: Sequence[tuple[RecognizerSpec, Recognizer]]
    ) -> None:
        unknown = [spec.id for spec, _ in recognizers if spec not in schema.recognizers]
        if unknown:
            raise ValueError(f"{schema.name}: recognizers {unknown} are not in the schema")
        self.schema = schema
        self._recs = tuple(recognizers)
        h = hashlib.sha256()
        h.update(f"{RULESET_CODE_VERSION}\n{schema.sha256}\n".encode())
        for spec, rec in self._recs:
            h.update(f"{spec.id}={spec.use}.{rec.version}\n".encode())
        self.version = f"rules:{schema.name}@{h.hexdigest()[:12]}"
        self._min_digits = tuple(
            int(getattr(rec, "min_digits", MIN_DIGITS.get(spec.use, 0))) for spec, rec in self._recs
        )
        self._required = tuple(
            str(getattr(rec, "required_chars", REQUIRED_CHARS.get(spec.use, ""))) for spec, rec in self._recs
        )
        self.prefilter = True
        # a text with this many digits skips no recognizer
        self._most_digits = max(self._min_digits, default=0)
        self._sources = tuple(
            f"rule:{spec.id}.{rec.version}" if spec.id != spec.use else "" for spec, rec in self._recs
        )

    @classmethod
    def from_schema(cls, schema: DomainSchema, *, with_model: bool = False) -> RuleSet:
        """Build from a loaded schema, reusing the recognizers it built while validating.

        ``with_model=True`` leaves out the recognizers marked ``with_model: false`` (hints for rules-only runs).
        """
        instances: Sequence[Any] = schema.instances
        if len(instances) != len(schema.recognizers):
            from .conventions import config_for
            from .registry import get_recognizer_class

            instances = [
                (rc := get_recognizer_class(s.use))(config=config_for(rc, schema.conventions, s.config))
                for s in schema.recognizers
            ]
        pairs = zip(schema.recognizers, instances, strict=True)
        return cls(schema=schema, recognizers=[(s, r) for s, r in pairs if s.with_model or not with_model])

    @classmethod
    def for_domain(cls, name: str, *, with_model: bool = False) -> RuleSet:
        """The rule set of a bundled domain (or a schema file path); built once per process.

        ``with_model=True``: the rule set that runs beside a model (without the rules-only hints).
        """
        return _cached_for_domain(name, with_model)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every domain label (or group) this rule set can produce."""
        return tuple(dict.fromkeys(lab for spec, _ in self._recs for lab in spec.labels.values()))

    def describe(self) -> list[dict[str, Any]]:
        """One row per recognizer: id, registry name, version, labels produced, authoritative or hint, and
        whether it runs beside a model."""
        return [
            {
                "id": spec.id,
                "use": spec.use,
                "version": rec.version,
                "labels": dict(spec.labels),
                "authoritative": spec.authoritative,
                "with_model": spec.with_model,
            }
            for spec, rec in self._recs
        ]

    def analyze(self, text: str, *, ref_time: datetime | None = None, lang: str = "vi") -> list[Entity]:
        """Entities over ``text`` (original offsets), non-overlapping, sorted by start.

        ``ref_time`` anchors relative dates ("ngày mai"); ``None`` means now (UTC).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        if not text:
            return []
        ctx = RuleContext(ref_time=ref_time or datetime.now(timezone.utc), lang=lang, domain=self.schema.name)
        norm = _identity(text) or normalize(text)
        identity = not norm.starts and norm.text == text
        ntext = norm.text
        n = len(ntext)
        cands: list[_Cand] = []
        ndigits = _count_digits(ntext, self._most_digits) if self.prefilter else n
        for order, (spec, rec) in enumerate(self._recs):
            if ndigits < self._min_digits[order]:
                continue
            req = self._required[order]
            if req and self.prefilter and not any(c in ntext for c in req):
                continue
            labels = spec.labels
            for ent in rec.analyze(ntext, ctx):
                label = labels.get(ent.label)
                if label is None:
                    continue
                if not 0 <= ent.start < ent.end <= n:
                    raise RuntimeError(
                        f"recognizer {spec.id} returned span [{ent.start}, {ent.end}) outside the text"
                    )
                cands.append((ent, order, label))
        out: list[Entity] = []
        for ent, order, label in _keep(cands):  # resolved on normalised offsets: NFC and NFD input agree
            start, end = (ent.start, ent.end) if identity else norm.to_original(ent.start, ent.end)
            out.append(
                Entity(
                    start=start,
                    end=end,
                    label=label,
                    text=text[start:end],
                    value=ent.value,
                    source=self._sources[order] or ent.source,
                    score=ent.score,
                    explanation=ent.explanation,
                    stages=("rules",),  # the stage; which recognizer made it is in ``source``
                    origin=Origin.RULE,
                )
            )
        return out

    def analyze_batch(
        self, texts: Sequence[str], *, ref_time: datetime | None = None, lang: str = "vi"
    ) -> list[list[Entity]]:
        """``analyze`` for each text, with one reference time for the whole batch."""
        ref = ref_time or datetime.now(timezone.utc)
        return [self.analyze(t, ref_time=ref, lang=lang) for t in texts]


@lru_cache(maxsize=32)
def _cached_for_domain(name: str, with_model: bool = False) -> RuleSet:
    return RuleSet.from_schema(load_schema(name), with_model=with_model)
