"""CITIZEN_ID (12-digit CCCD), OLD_ID (9-digit CMND) and PASSPORT (Vietnamese passport numbers).

CCCD, per the paper: the first three digits are a province code from the government list
(``rules/data/vn_province_codes.yaml``); the 4th digit (0-3) gives century and sex; the 5th-6th digits the
birth year, and a birth year that gives an impossible age at the reference time is rejected. Context words
("cccd", "căn cước", "số định danh") raise the score; a bank-account cue with no ID cue drops the match.
CMND (9 digits) and passports (one letter + 7 digits) are only reported next to a context word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.cues import ACCOUNT_CUES
from ..recognizer import RuleContext
from ..validators import cccd_birth_year, vn_cccd_v1, vn_cmnd_v1
from ._base import (
    CODE_CUES,
    LEFT_EDGE,
    RIGHT_EDGE,
    ContextWords,
    check_config,
    continues_group,
    digits_of,
)
from ._context import (
    CONTEXT_KEYS,
    CONTEXT_SCORE_KEYS,
    cue_entity,
    cued_matches,
    scored_context,
)

CCCD_CONTEXT = (
    "cccd",
    "căn cước",
    "căn cước công dân",
    "thẻ căn cước",
    "số định danh",
    "định danh",
    "mã định danh",
    "định danh cá nhân",
    "citizen id",
    "id card",
    "cmnd",
    "cmt",
    "chứng minh",
)
CMND_CONTEXT = ("cmnd", "cmt", "chứng minh nhân dân", "chứng minh thư", "chứng minh", "số cmnd", "id card")
PASSPORT_CONTEXT = ("hộ chiếu", "passport", "số hộ chiếu", "hc")
# an account, tax or order cue introduces another kind of number
_ACCOUNT_CUES = ContextWords(
    (*ACCOUNT_CUES, "mst", "mã số thuế", "mã đơn", "đơn hàng"),
    before=25,
    after=0,
)

_CCCD_RX = regex.compile(
    LEFT_EDGE
    + r"(?:\d{3}[ .\-]?\d{3}[ .\-]?\d{6}|\d{4}[ .\-]\d{4}[ .\-]\d{4}|\d{3}(?:[ .\-]\d{3}){3})"
    + RIGHT_EDGE
)
_CMND_RX = regex.compile(LEFT_EDGE + r"\d{3}[ .\-]?\d{3}[ .\-]?\d{3}" + RIGHT_EDGE)
_PASSPORT_RX = regex.compile(r"(?<![\p{L}\p{N}_@])[A-Za-z]\d{7}(?![\p{L}\p{N}_@])")

_CCCD_KEYS: dict[str, type | tuple[type, ...]] = {
    **CONTEXT_SCORE_KEYS,
    "require_context": bool,
    "max_age": int,
}


class CitizenIdRecognizer:
    """12-digit CCCD numbers (``vn_cccd.v1`` plus the birth-year/age check against ``ctx.ref_time``)."""

    name = "citizen_id"
    version = "v1"
    labels: tuple[str, ...] = ("CITIZEN_ID",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, _CCCD_KEYS, where="citizen_id")
        self._ctx = scored_context(
            cfg, where="citizen_id", words=CCCD_CONTEXT, before=40, after=15, score=0.7, context_score=1.0
        )
        self._require_context = bool(cfg.get("require_context", False))
        self._max_age = int(cfg.get("max_age", 120))
        if not 14 <= self._max_age <= 150:
            raise ValueError("citizen_id: config key 'max_age' must be in [14, 150]")

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _CCCD_RX.finditer(text):
            if continues_group(text, m.start(), m.end()):
                continue
            ent = self._check(text, m.start(), m.end(), ctx)
            if ent is not None:
                out.append(ent)
        return out

    def _check(self, text: str, start: int, end: int, ctx: RuleContext) -> Entity | None:
        ds = digits_of(text[start:end])
        if vn_cccd_v1(ds) is False:
            return None
        year = cccd_birth_year(ds)
        if year is None:
            return None
        age = ctx.ref_time.year - year
        if age < 0 or age > self._max_age:
            return None
        cue = self._ctx.words.find(text, start, end)
        if cue is None:
            if (
                self._require_context
                or _ACCOUNT_CUES.find_before(text, start, adjacent=True)
                or CODE_CUES.find_before(text, start, adjacent=True)
            ):
                return None
        why = f"vn_cccd.v1 passed (province code {ds[:3]}); birth year plausible (age {age})"
        return cue_entity(
            self, text, start, end, label="CITIZEN_ID", value=ds, scored=self._ctx, cue=cue, why=why
        )


class OldIdRecognizer:
    """9-digit CMND numbers, reported only when a context word ("cmnd", "chứng minh") is near."""

    name = "old_id"
    version = "v1"
    labels: tuple[str, ...] = ("OLD_ID",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, CONTEXT_KEYS, where="old_id")
        self._ctx = scored_context(cfg, where="old_id", words=CMND_CONTEXT, before=40, after=15, score=0.9)

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        # context is required: no cue anywhere, nothing to find
        return [
            cue_entity(
                self,
                text,
                m.start(),
                m.end(),
                label="OLD_ID",
                value=digits_of(m.group(0)),
                scored=self._ctx,
                cue=cue,
                why="vn_cmnd.v1 shape (9 digits)",
            )
            for m, cue in cued_matches(_CMND_RX, text, self._ctx.words)
            if vn_cmnd_v1(digits_of(m.group(0))) is not False
        ]


class PassportRecognizer:
    """Vietnamese passport numbers (one letter + 7 digits), reported only next to "hộ chiếu"/"passport"."""

    name = "passport"
    version = "v1"
    labels: tuple[str, ...] = ("PASSPORT",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, CONTEXT_KEYS, where="passport")
        self._ctx = scored_context(
            cfg, where="passport", words=PASSPORT_CONTEXT, before=30, after=10, score=0.9
        )

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        return [
            cue_entity(
                self,
                text,
                m.start(),
                m.end(),
                label="PASSPORT",
                value=m.group(0).upper(),
                scored=self._ctx,
                cue=cue,
                why="letter + 7 digits",
            )
            for m, cue in cued_matches(_PASSPORT_RX, text, self._ctx.words)
        ]


RECOGNIZERS = {"citizen_id": CitizenIdRecognizer, "old_id": OldIdRecognizer, "passport": PassportRecognizer}
