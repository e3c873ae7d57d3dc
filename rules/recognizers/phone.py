"""PHONE: Vietnamese mobile and landline numbers, national or +84 forms, with spaces, dots or dashes.

Only the real numbering plan is accepted (``rules/data/vn_phone_numbering.yaml``): 10-digit mobiles on a
current carrier prefix (03x, 05x, 07x, 08x, 09x — not ``0\\d{9}``) and 11-digit landlines on an area code
(024, 028, 0203-0299). Retired 11-digit 01x mobiles, unknown prefixes, and runs glued to letters or to longer
digit runs are rejected. The value is E.164 (``+84912345678``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.cues import ACCOUNT_CUES
from ..recognizer import RuleContext
from ..validators import digits, vn_phone_kind, vn_phone_national
from ._base import (
    CODE_CUES,
    SEP,
    ContextWords,
    check_config,
    continues_group,
    make_entity,
)
from ._context import CONTEXT_SCORE_KEYS, cue_entity, scored_context

_D = rf"{SEP}?\d"  # one digit, optionally after a separator
_INTL = r"(?:\(\+84\)|\+\s?84|0084)"
# like LEFT_EDGE/RIGHT_EDGE, but "/" may separate two numbers ("0912345678/0987654321")
_LEFT = r"(?<![\p{L}\p{N}\p{M}_@])(?<!\d[.\-])(?<![^\d\s]/)"  # not in a URL path ("zalo.me/09...")
_GLUED_TOKEN = regex.compile(r"([\p{L}\p{M}\p{N}]+)[.\-]$")  # "GHN-HCM-" or "Tel." right before a number
_RIGHT = r"(?![\p{L}\p{N}\p{M}_@])(?![.\-]\d)"
_PATTERN = regex.compile(
    _LEFT
    + r"(?:"
    + rf"{_INTL}{SEP}?(?:\(0\)\s?|0{SEP}?)?(?:[35789]\d(?:{_D}){{7}}|2\d(?:{_D}){{8}})"  # +84 912 345 678
    + r"|(?<!\+)84(?:[35789]\d{8}|2\d{9})"  # 84912345678
    + rf"|(?<!\+)84{SEP}(?:[35789]\d(?:{_D}){{7}}|2\d(?:{_D}){{8}})"  # 84 912 345 678
    + rf"|(?:\(0[35789]\d\)|0[35789]{SEP}?\d)(?:{_D}){{7}}"  # 0912 345 678, (091) 234 5678, 09 12 34 56 78
    + rf"|(?:\(02\d\)|02\d)(?:{_D}){{8}}"  # 024 3825 1234, 0236 382 1234, (024) 3825 1234
    + rf"|\(02\d\d\){SEP}?\d(?:{_D}){{6}}"  # (0236) 382 1123
    + r")"
    + _RIGHT
)

# a mobile typed one digit at a time ("SĐT: 0 9 1 2 3 4 5 6 7 8", to slip past filters): only right after a cue
_SPACED_HINTS = ("0 3 ", "0 5 ", "0 7 ", "0 8 ", "0 9 ")
_SPACED = regex.compile(r"(?<![\p{L}\p{N}\p{M}])0(?: \d){9}(?![\p{L}\p{N}\p{M}])(?! \d)")

# 1800 (free) / 1900 (premium) service numbers: 8 or 10 digits, only right after a phone cue
_SERVICE = regex.compile(_LEFT + rf"(?:1800|1900)(?:(?:{_D}){{6}}|(?:{_D}){{4}})" + _RIGHT)
_SERVICE_CUES = ContextWords(
    (
        "hotline",
        "tổng đài",
        "đường dây nóng",
        "cskh",
        "chăm sóc khách hàng",
        "gọi",
        "liên hệ",
        "sđt",
        "số điện thoại",
    ),
    before=30,
    after=0,
)

DEFAULT_CONTEXT = (
    "sđt",
    "sdt",
    "số điện thoại",
    "điện thoại",
    "đt",
    "dt",
    "phone",
    "tel",
    "hotline",
    "liên hệ",
    "gọi",
    "zalo",
    "di động",
    "mobile",
    "số máy",
)
_TAX_CONTEXT = ContextWords(("mst", "mã số thuế", "ma so thue", "tax code", "mã thuế"), before=25, after=0)
_ACCOUNT_CONTEXT = ContextWords(ACCOUNT_CUES, before=25, after=0)

# the RuleSet's digit-count prefilter (rules/ruleset.py reads these): "1900 1234" (a service number) has 8
# digits, every other number 9 or more
MIN_DIGITS = 8
MIN_DIGITS_WITHOUT_SERVICE = 9

_CONFIG: dict[str, type | tuple[type, ...]] = {
    **CONTEXT_SCORE_KEYS,
    "mobile_only": bool,
    "service_numbers": bool,
}


class PhoneRecognizer:
    """Vietnamese phone numbers, validated against the carrier and area-code lists (``vn_phone.v1``)."""

    name = "phone"
    version = "v1"
    labels: tuple[str, ...] = ("PHONE",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, _CONFIG, where="phone")
        self._ctx = scored_context(
            cfg, where="phone", words=DEFAULT_CONTEXT, before=30, after=10, score=0.95, context_score=1.0
        )
        self._mobile_only = bool(cfg.get("mobile_only", False))
        self._service = bool(cfg.get("service_numbers", True)) and not self._mobile_only
        self.min_digits = MIN_DIGITS if self._service else MIN_DIGITS_WITHOUT_SERVICE

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _PATTERN.finditer(text):
            surface = m.group(0)
            if surface.count("(") != surface.count(")") or continues_group(text, m.start(), m.end()):
                continue
            national = vn_phone_national(surface)
            kind = vn_phone_kind(national) if national else None
            if national is None or kind is None:
                continue
            if self._mobile_only and not kind.startswith("mobile"):
                continue
            start, end = m.span()
            glued = _GLUED_TOKEN.search(text, max(0, start - 24), start)
            if glued and self._ctx.words.find_before(glued.group(1), len(glued.group(1)), 24) is None:
                continue  # the last segment of a code ("VTP-DN-0363387500"), not after a cue ("Tel.")
            if self._ctx.words.find_before(text, start, adjacent=True) is None and (
                _TAX_CONTEXT.find_before(text, start, adjacent=True)
                or _ACCOUNT_CONTEXT.find_before(text, start, adjacent=True)
                or CODE_CUES.find_before(text, start, adjacent=True)
            ):
                continue  # "MST: 0312345678", "stk 0912345678", "mã giao dịch 0912345678": not a phone here
            cue = self._ctx.words.find(text, start, end)
            why = f"vn_phone.v1 passed ({kind.split(':')[0]} prefix)"
            out.append(
                cue_entity(
                    self,
                    text,
                    start,
                    end,
                    label="PHONE",
                    value="+84" + national[1:],
                    scored=self._ctx,
                    cue=cue,
                    why=why,
                )
            )
        if self._service:
            out.extend(self._service_numbers(text))
        # "500 nghìn" has "0 " too: the digit after it is tested before any scan
        if "0 " in text and any(h in text for h in _SPACED_HINTS):
            out.extend(self._spaced(text))
        return out

    def _spaced(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        for m in _SPACED.finditer(text):
            national = digits(m.group(0))
            kind = vn_phone_kind(national)
            if kind is None or not kind.startswith("mobile"):
                continue
            cue = self._ctx.words.find_before(text, m.start(), adjacent=True)
            if cue is None:
                continue  # "0 1 2 3 4 5 6 7 8 9" in a list or a lesson: only a phone cue makes it one
            why = f"vn_phone.v1 passed ({kind.split(':')[0]} prefix), typed digit by digit after '{cue}'"
            out.append(
                make_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="PHONE",
                    value="+84" + national[1:],
                    score=self._ctx.score,
                    explanation=why,
                )
            )
        return out

    def _service_numbers(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        for m in _SERVICE.finditer(text):
            if continues_group(text, m.start(), m.end()):
                continue
            cue = _SERVICE_CUES.find_before(text, m.start(), adjacent=True)
            if cue is None:
                continue
            out.append(
                make_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="PHONE",
                    value=digits(m.group(0)),
                    score=self._ctx.score,
                    explanation=f"1800/1900 service number; context word '{cue}'",
                )
            )
        return out


RECOGNIZERS = {"phone": PhoneRecognizer}
