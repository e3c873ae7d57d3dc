"""ORDER_CODE: shop code + routing segment(s) + random-number segment, with the structure given as data.

The paper's rule is the default: a random-number segment of 9 digits cannot start with 0, one of 10 digits
must start with 0 or 1. Shops differ, so the domain YAML may pass its own ``config``::

    config:
      separators: ".-"
      segments:
        - {name: shop, alphabet: "A-Z0-9", first: "A-Z", min_len: 2, max_len: 12}
        - {name: routing, alphabet: "A-Z0-9", min_len: 1, max_len: 12, repeat: [1, 3]}
        - {name: random, alphabet: "0-9", min_len: 9, max_len: 10, first_by_length: {9: "1-9", 10: "01"}}
      context: [mã đơn, đơn hàng, mã vận đơn]
      glued: {letters: "A-Z", min_len: 4, max_len: 12}  # or false: "SPXVN0123456789" in one token
      s10: true  # or false: UPU S10 postal tracking numbers ("EE…VN", VNPost/EMS), check digit validated
      cued: true  # or false, or {min_len, max_len}: any code right after an order cue (below)

Right after an order cue ("mã đơn", "mã vận đơn", "đơn hàng", "mvđ", maybe with "(của) em", a delivery company's
name from the carriers gazetteer ("mã vận đơn GHN: ..."), ":", "#", "là", "số" or "mã" between),
one token of letters and digits is an order code whatever its shop's format: "mã đơn 240512ABC3K9QD" (a
marketplace order number), "mã vận đơn SPXVN063287415983", "mvđ 851234567890". The token needs 6-24
characters (``cued.min_len``/``max_len``), at least 4 digits (3 from 8 characters on: "đơn GY6K8M2P"; 2 in an
upper-case token of 8 or more: "mã vđ GHN: GA2KX9LP"), 9 if it is all digits (6 when "mã" or "#" names it a
code: "mã đơn 12345678", "đơn e #12345678"), and no separator inside
(dotted codes follow the segment rule). Segments joined by "-" or "_" ("đơn hàng #DH-2026-001234") are read
after a cue when they hold a letter and 6 digits or more, unless they have the segment rule's shape and failed
its check. A token shaped like a form above that fails its check (an
S10 number with a wrong check digit, a glued code whose random segment breaks the rule) stays rejected, and
an all-digit token that is a valid Vietnamese phone number is left to the phone recognizer.

With the default segments the glued form is on; a config that sets its own ``segments`` turns it on with
``glued``.

``alphabet``/``first`` are regex character-class bodies; ``validator`` names one from :mod:`vner.rules.validators`
(applied to that segment). Every key is checked at construction; a bad one raises ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ahocorasick
import regex

from ..entity import Entity
from ..recognizer import RuleContext
from ..validators import get_validator, upu_s10_v1, vn_phone_kind, vn_phone_national
from ._base import check_config, fold
from ._context import CONTEXT_SCORE_KEYS, cue_entity, scored_context
from .gazetteer_match import load_yaml, parse_entries

DEFAULT_CONFIG: dict[str, Any] = {
    "separators": ".-",
    "segments": [
        {"name": "shop", "alphabet": "A-Z0-9", "first": "A-Z", "min_len": 2, "max_len": 12},
        {"name": "routing", "alphabet": "A-Z0-9", "min_len": 1, "max_len": 12, "repeat": [1, 3]},
        {"name": "random", "alphabet": "0-9", "min_len": 9, "max_len": 10, "validator": "order_code.v1"},
    ],
    # shop code and routing written together before the random segment: "SPXVN0123456789"
    "glued": {"letters": "A-Z", "min_len": 4, "max_len": 12},
}
DEFAULT_CONTEXT = (
    "mã đơn",
    "mã đơn hàng",
    "đơn hàng",
    "đơn",
    "mã vận đơn",
    "vận đơn",
    "mvđ",
    "order",
    "mã đh",
    "mã vđ",
    "mã bill",
    "mã tracking",
    "tracking",
    "mã theo dõi",
    "mã đặt hàng",
)

_TOP_KEYS: dict[str, type | tuple[type, ...]] = {
    "separators": str,
    "segments": (list, tuple),
    "ignore_case": bool,
    **CONTEXT_SCORE_KEYS,
    "require_context": bool,
    "glued": (dict, bool),
    "s10": bool,
    "cued": (dict, bool),
}
# a UPU S10 item identifier in one token, any case: 2 service letters, 8-digit serial + check digit, country
_S10 = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_@.\-])[A-Za-z]{2}\d{9}[A-Za-z]{2}(?![\p{L}\p{N}\p{M}_@])(?![.\-][\p{L}\p{N}])"
)
_GLUED_KEYS: dict[str, type | tuple[type, ...]] = {"letters": str, "min_len": int, "max_len": int}
_CUED_KEYS: dict[str, type | tuple[type, ...]] = {"min_len": int, "max_len": int}
# one token of letters and digits, no separator inside or glued to it ("mã đơn 240512ABC3K9QD")
_CUED_TOKEN = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_@.\-/])[A-Za-z0-9]+(?![\p{L}\p{N}\p{M}_@])(?![.\-/][\p{L}\p{N}])"
)
# segments of letters and digits joined by "-" or "_", with a letter in it ("đơn hàng #DH-2026-001234"): after a
# cue only, with 6 digits or more (a size "L-XL", "COVID-19", a date "12-12" never are)
_CUED_DASHED = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_@.\-/])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+){1,4}(?![\p{L}\p{N}\p{M}_@])(?![.\-/][\p{L}\p{N}])"
)
# digits with a run of "x" standing in for the hidden ones ("0985xxxxxx", "0912xxx678"): a masked number
_MASKED = regex.compile(r"\d+[xX]{3,}\d*|[xX]{3,}\d+")
# what may stand between an order cue and its code: "mã đơn: X", "mã đơn #X", "mã đơn là X", "đơn hàng số X"
# (and "của em" first: "đơn của em mã DH12345678", "đơn hàng của mình là 2405...")
# and a delivery company's name (the carriers gazetteer's names and aliases): "mã vận đơn GHN: X", "mvđ J&T X"


def _carrier_names() -> frozenset[str]:
    entries = parse_entries(load_yaml("gazetteers/carriers.yaml")["entries"], "carriers.yaml")
    return frozenset(fold(surface.lower()) for surface, _ in entries)


def _carrier_alternation() -> str:
    return "|".join(regex.escape(n) for n in sorted(_carrier_names(), key=len, reverse=True))


_MARKETPLACES = r"shopee|lazada|tiki|tiktok\sshop|tiktokshop|tiktok|sendo"
# "#" or "mã" between the cue and the code names it a code: "đơn #12345678", "đơn hàng mã 20261205"
_NAMED_GAP = regex.compile(r"#|(?<![\p{L}])ma(?![\p{L}])")
_CUE_GAP = regex.compile(
    r"(?:\s+(?:cua\s)?(?:em|e|minh|toi|anh|chi|a|c|t|shop|ban|b)(?![\p{L}\p{N}]))?"
    rf"(?:\s+(?:tren\s|ben\s)?(?:{_MARKETPLACES})(?![\p{{L}}\p{{N}}]))?"
    rf"(?:\s+(?:ben\s)?(?:{_carrier_alternation()})(?![\p{{L}}\p{{N}}]))?"
    r"\s*(?:[:#]\s*|(?:la|so|ma)\s+(?:la\s+)?)?"
)
# a delivery company's name right before a long code is a cue of its own: "vtp 1234567890123", "j&t: 8123..."
# (the code needs 8 digits in a row there: "ghtk 2 đơn" is a count, "GHN: GHNABC123456" needs "mã vận đơn")
_CARRIER_NAMES = _carrier_names()
_CARRIER_GAP = regex.compile(r"\s*(?:[:#]\s*)?")
_DIGITS8_AT = regex.compile(r"[A-Za-z0-9]*?\d{8}")  # a code with 8 digits in a row starts here


def _carrier_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for name in _CARRIER_NAMES:
        auto.add_word(name, name)
    auto.make_automaton()
    return auto


_CARRIER_AUTOMATON = _carrier_automaton()
_S10_SHAPE = regex.compile(r"[A-Za-z]{2}\d{9}[A-Za-z]{2}")
_SEG_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "alphabet": str,
    "first": str,
    "min_len": int,
    "max_len": int,
    "repeat": (list, tuple),
    "validator": str,
    "first_by_length": dict,
}


def _char_class(body: str, key: str) -> str:
    cls = f"[{body}]"
    try:
        regex.compile(cls)
    except regex.error as exc:
        raise ValueError(f"order_code: config key {key!r} is not a valid character class: {exc}") from None
    return cls


class _Segment:
    def __init__(self, raw: Any, index: int, seen: set[str]) -> None:
        where = f"order_code segments[{index}]"
        cfg = check_config(raw, _SEG_KEYS, where=where)
        for required in ("name", "alphabet", "min_len", "max_len"):
            if required not in cfg:
                raise ValueError(f"{where}: missing config key {required!r}")
        self.name: str = cfg["name"]
        if not self.name.isidentifier() or self.name in seen:
            raise ValueError(f"{where}: config key 'name' must be a unique identifier, got {self.name!r}")
        seen.add(self.name)
        self.min_len: int = cfg["min_len"]
        self.max_len: int = cfg["max_len"]
        if not 1 <= self.min_len <= self.max_len <= 40:
            raise ValueError(f"{where}: config keys 'min_len'/'max_len' need 1 <= min_len <= max_len <= 40")
        alphabet = _char_class(cfg["alphabet"], f"segments[{index}].alphabet")
        first = _char_class(cfg["first"], f"segments[{index}].first") if "first" in cfg else alphabet
        rep = cfg.get("repeat", [1, 1])
        if len(rep) != 2 or not all(isinstance(r, int) for r in rep) or not 1 <= rep[0] <= rep[1] <= 6:
            raise ValueError(f"{where}: config key 'repeat' must be [min, max] with 1 <= min <= max <= 6")
        self.repeat = (int(rep[0]), int(rep[1]))
        self.validator: Callable[[str], bool | None] | None = None
        self.validator_name = cfg.get("validator")
        if self.validator_name is not None:
            try:
                self.validator = get_validator(self.validator_name)
            except KeyError as exc:
                raise ValueError(f"{where}: config key 'validator': {exc.args[0]}") from None
        self.first_by_length: dict[int, regex.Pattern[str]] = {}
        for length, body in cfg.get("first_by_length", {}).items():
            if not isinstance(length, int) or not isinstance(body, str):
                raise ValueError(
                    f"{where}: config key 'first_by_length' maps int lengths to character classes"
                )
            self.first_by_length[length] = regex.compile(
                _char_class(body, f"segments[{index}].first_by_length")
            )
        checked = self.validator is not None or bool(self.first_by_length)
        if checked and self.repeat != (1, 1):
            raise ValueError(f"{where}: config key 'repeat' cannot be used with a validator/first_by_length")
        self.checked = checked
        self.digits_only = alphabet == "[0-9]" and first == "[0-9]"
        unit = f"{first}{alphabet}{{{self.min_len - 1},{self.max_len - 1}}}"
        self.unit = unit

    def pattern(self, sep: str) -> str:
        lo, hi = self.repeat
        body = self.unit if (lo, hi) == (1, 1) else f"{self.unit}(?:{sep}{self.unit}){{{lo - 1},{hi - 1}}}"
        return f"(?P<{self.name}>{body})"

    def accepts(self, value: str) -> bool:
        if self.first_by_length:
            rule = self.first_by_length.get(len(value))
            if rule is not None and not rule.fullmatch(value[0]):
                return False
        return not (self.validator is not None and self.validator(value) is False)


class OrderCodeRecognizer:
    """Order codes whose segment structure comes from the domain YAML (the paper's rule by default)."""

    name = "order_code"
    version = "v1"
    labels: tuple[str, ...] = ("ORDER_CODE",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, _TOP_KEYS, where="order_code")
        seps = cfg.get("separators", DEFAULT_CONFIG["separators"])
        if not seps or any(ch.isalnum() or ch.isspace() for ch in seps):
            raise ValueError("order_code: config key 'separators' must be non-empty punctuation, e.g. '.-'")
        raw_segments = cfg.get("segments", DEFAULT_CONFIG["segments"])
        if not raw_segments:
            raise ValueError("order_code: config key 'segments' must list at least one segment")
        seen: set[str] = set()
        self._segments = [_Segment(raw, i, seen) for i, raw in enumerate(raw_segments)]
        sep = "[" + regex.escape(seps) + "]"
        body = sep.join(seg.pattern(sep) for seg in self._segments)
        flags = regex.IGNORECASE if cfg.get("ignore_case", False) else 0
        edge_l = r"(?<![\p{L}\p{N}\p{M}_@" + regex.escape(seps) + "])"
        edge_r = r"(?![\p{L}\p{N}\p{M}_@])(?!" + sep + r"[\p{L}\p{N}])"
        self._rx = regex.compile(edge_l + body + edge_r, flags)
        # cheap pre-check: the longest all-digit segment must appear as a digit run somewhere
        digit_runs = [seg.min_len for seg in self._segments if seg.digits_only]
        self._hint = regex.compile(rf"\d{{{max(digit_runs)}}}") if digit_runs else None
        self._ctx = scored_context(
            cfg,
            where="order_code",
            words=DEFAULT_CONTEXT,
            before=40,
            after=15,
            score=0.85,
            context_score=0.99,
        )
        self._require_context = bool(cfg.get("require_context", False))
        self._glued = self._glued_pattern(
            cfg.get("glued", DEFAULT_CONFIG["glued"] if "segments" not in cfg else False)
        )
        self._rxs = [self._rx] if self._glued is None else [self._rx, self._glued]
        self._s10 = bool(cfg.get("s10", True))
        if self._s10:
            self._rxs.append(_S10)
        self._cued = self._cued_lengths(cfg.get("cued", True))
        # the fewest digits any form can match (the RuleSet skips texts with fewer): a cued code has 2 or more
        forms = [sum(seg.min_len for seg in self._segments if seg.digits_only)]
        if self._glued is not None:
            forms.append(self._segments[-1].min_len)
        if self._s10:
            forms.append(9)
        if self._cued is not None:
            forms.append(2)
        self.min_digits = min(forms)

    def _glued_pattern(self, raw: Any) -> regex.Pattern[str] | None:
        """One token: a run of ``letters`` (shop code + routing written together), then the last segment,
        which must be a checked all-digit segment taking the whole digit run ("SPXVN0123456789")."""
        if raw is False:
            return None
        if raw is True:
            raw = DEFAULT_CONFIG["glued"]
        cfg = check_config(raw, _GLUED_KEYS, where="order_code glued")
        last = self._segments[-1]
        if not (last.digits_only and last.checked) or len(self._segments) < 2:
            raise ValueError("order_code: config key 'glued' needs a last segment of digits with a check")
        lo, hi = cfg.get("min_len", 4), cfg.get("max_len", 12)
        if not (isinstance(lo, int) and isinstance(hi, int) and 2 <= lo <= hi <= 40):
            raise ValueError(
                "order_code: config keys 'glued.min_len'/'glued.max_len' need 2 <= min <= max <= 40"
            )
        letters = _char_class(cfg.get("letters", "A-Z"), "glued.letters")
        if regex.search(letters, "0123456789"):
            raise ValueError("order_code: config key 'glued.letters' must not contain digits")
        edge_l = r"(?<![\p{L}\p{N}\p{M}_@.\-])"
        edge_r = r"(?![\p{L}\p{N}\p{M}_@])(?![.\-][\p{L}\p{N}])"
        body = rf"{letters}{{{lo},{hi}}}(?P<{last.name}>\d{{{last.min_len},{last.max_len}}})"
        return regex.compile(edge_l + body + edge_r)

    @staticmethod
    def _cued_lengths(raw: Any) -> tuple[int, int] | None:
        if raw is False:
            return None
        cfg = {} if raw is True else check_config(raw, _CUED_KEYS, where="order_code cued")
        lo, hi = cfg.get("min_len", 6), cfg.get("max_len", 24)
        if not (isinstance(lo, int) and isinstance(hi, int) and 4 <= lo <= hi <= 40):
            raise ValueError(
                "order_code: config keys 'cued.min_len'/'cued.max_len' need 4 <= min <= max <= 40"
            )
        return lo, hi

    def _cued_codes(self, text: str, found: list[Entity]) -> list[Entity]:
        """Codes of any shop's format right after an order cue (see the module docstring)."""
        assert self._cued is not None
        lo, hi = self._cued
        words = self._ctx.words
        folded = fold(text)
        out: list[Entity] = []
        # (the cue, folded; where its code may start; a carrier?; a code named as such: "mã đơn", "#")
        cues: list[tuple[str, int, bool, bool]] = []
        if any(w in folded for w in words.words):  # a substring test per cue, before the word-edge pattern
            for cue in words.iter_in(folded):
                gap = _CUE_GAP.match(folded, cue.end())
                if gap is not None:
                    named = cue.group(0).startswith(("ma ", "mvd")) or _NAMED_GAP.search(gap.group(0))
                    cues.append((cue.group(0), gap.end(), False, bool(named)))
        for last, name in _CARRIER_AUTOMATON.iter(folded):  # one pass in C over every carrier's name
            start, end = last + 1 - len(name), last + 1
            if (start and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
                continue
            gap = _CARRIER_GAP.match(folded, end)
            if gap is not None and _DIGITS8_AT.match(text, gap.end()):
                cues.append((name, gap.end(), True, False))
        for cue_text, at, carrier, named in cues:
            m = _CUED_TOKEN.match(text, at)
            dashed = m is None
            if dashed:
                m = _CUED_DASHED.match(text, at)
            if m is None or not lo <= len(m.group(0)) <= hi:
                continue
            token = m.group(0)
            n_digits = sum(ch.isdigit() for ch in token)
            if carrier and (dashed or n_digits < 8):
                continue
            if dashed:
                if n_digits < 6 or not any(ch.isalpha() for ch in token):
                    continue
                if any(rx.fullmatch(token) for rx in self._rxs):
                    continue  # the segment form, and it failed its check
            elif n_digits < (
                (6 if named else 9)
                if n_digits == len(token)
                else 4
                if len(token) < 8
                else 2
                if token.isupper()
                else 3
            ):
                continue
            if any(e.start < m.end() and m.start() < e.end for e in (*found, *out)):
                continue  # already read in one of the forms above, or after another cue
            if _S10_SHAPE.fullmatch(token) or (self._glued is not None and self._glued.fullmatch(token)):
                continue  # the shape of a checked form that failed its check
            if _MASKED.fullmatch(token):
                continue  # "đơn 0985xxxxxx": a number masked by hand, no code
            if n_digits == len(token) and (national := vn_phone_national(token)) and vn_phone_kind(national):
                continue  # "đơn 0912345678": a phone number; the phone recognizer decides
            out.append(
                cue_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="ORDER_CODE",
                    value=token.upper(),
                    scored=self._ctx,
                    cue=cue_text,
                    why=(
                        "letters-and-digits segments joined by a dash right after the order cue"
                        if dashed
                        else "one letters-and-digits token right after the order cue"
                    ),
                )
            )
        return out

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        if self._cued is not None:
            out = self._analyze_forms(text)
            out.extend(self._cued_codes(text, out))
            return sorted(out, key=lambda e: e.start)
        return self._analyze_forms(text)

    def _analyze_forms(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        if self._hint is not None and self._hint.search(text) is None:
            return out
        for m in (m for rx in self._rxs for m in rx.finditer(text)):
            if m.re is _S10:
                if not upu_s10_v1(m.group(0)):
                    continue
                checks, why = ["upu_s10.v1"], "UPU S10 postal item identifier"
            else:
                glued = m.re is self._glued
                segments = self._segments[-1:] if glued else self._segments
                if not all(seg.accepts(m.group(seg.name)) for seg in segments if seg.checked):
                    continue
                checks = [seg.validator_name or "first_by_length" for seg in segments if seg.checked]
                why = (
                    "letters + random segment in one token"
                    if glued
                    else f"{len(self._segments)} segments matched"
                )
            cue = self._ctx.words.find(text, m.start(), m.end())
            if cue is None and self._require_context:
                continue
            if checks:
                why += "; " + ", ".join(f"{c} passed" for c in checks)
            out.append(
                cue_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="ORDER_CODE",
                    value=m.group(0).upper(),
                    scored=self._ctx,
                    cue=cue,
                    why=why,
                )
            )
        return sorted(out, key=lambda e: e.start) if len(self._rxs) > 1 else out


RECOGNIZERS = {"order_code": OrderCodeRecognizer}
