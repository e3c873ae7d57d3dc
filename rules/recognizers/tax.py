"""TAX_CODE (mã số thuế, MST): 10 digits with the official mod-11 check digit, or the branch form.

The check digit is ``10 - (sum of the first nine digits weighted 31,29,23,19,17,13,7,5,3) mod 11``
(``vn_mst.v1``); a 10-digit number that fails it is not a tax code. Branch units append ``-001`` ... ``-999``
(``0101248141-001``, 14 characters; 13 digits when written without the dash — then a context word is needed).
A number that passes the check but is also a valid mobile number is only a tax code next to "mst"/"mã số thuế";
one introduced by an account cue ("stk", "số tk") is left to BANK_ACCOUNT unless a tax cue introduces it too.

Since 1 July 2025 an individual's tax code is their 12-digit personal identification number (the CCCD number;
Circular 86/2024/TT-BTC): a number a tax cue introduces ("MST: 036095001234", "mã số thuế cá nhân 0360 9500
1234") that passes the CCCD checks (``vn_cccd.v1``, a plausible birth year) is a tax code too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.cues import ACCOUNT_CUES
from ..recognizer import RuleContext
from ..validators import cccd_birth_year, vn_cccd_v1, vn_mst_v1, vn_phone_kind
from ._base import (
    CODE_CUES,
    LEFT_EDGE,
    RIGHT_EDGE,
    ContextWords,
    check_config,
    continues_group,
    digits_of,
)
from ._context import CONTEXT_SCORE_KEYS, cue_entity, scored_context

DEFAULT_CONTEXT = (
    "mst",
    "mã số thuế",
    "mã thuế",
    "tax code",
    "tax id",
    "mã số doanh nghiệp",
    "msdn",
    "mã doanh nghiệp",
    "thuế",
)
_OTHER_CUES = ContextWords(
    (
        *ACCOUNT_CUES,
        "mã đơn",
        "đơn hàng",
        "mã vận đơn",
        "hóa đơn",
        "otp",
        "cccd",
        "cmnd",
        "hotline",
        "sđt",
        "số điện thoại",
        "điện thoại",
        "đt",
        "gọi",
        "liên hệ",
        "zalo",
        "phone",
        # social/health insurance, student and employee numbers: 10 digits too
        "bhxh",
        "bảo hiểm xã hội",
        "bhyt",
        "bảo hiểm y tế",
        "mssv",
        "mã sinh viên",
        "msnv",
        "mã nhân viên",
        "mã nv",
    ),
    before=25,
    after=0,
)
_ACCOUNT_CUES = ContextWords(ACCOUNT_CUES, before=25, after=0)
_PATTERN = regex.compile(
    LEFT_EDGE + r"(?P<main>\d{10})(?:(?P<dash>\s?-\s?)(?P<branch>\d{3})|(?P<glued>\d{3}))?" + RIGHT_EDGE
)

# a personal identification number (12 digits, maybe grouped 3-3-6, 4-4-4 or 3-3-3-3), an individual's tax code
_PERSONAL_RX = regex.compile(
    LEFT_EDGE + r"(?:\d{3}[ .]?\d{3}[ .]?\d{6}|\d{4}[ .]\d{4}[ .]\d{4}|\d{3}(?:[ .]\d{3}){3})" + RIGHT_EDGE
)


class TaxCodeRecognizer:
    """Vietnamese tax codes validated by the MST check digit (``vn_mst.v1``)."""

    name = "tax_code"
    version = "v1"
    labels: tuple[str, ...] = ("TAX_CODE",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, CONTEXT_SCORE_KEYS, where="tax_code")
        self._ctx = scored_context(
            cfg, where="tax_code", words=DEFAULT_CONTEXT, before=40, after=15, score=0.9, context_score=1.0
        )

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _PATTERN.finditer(text):
            start, end = m.span()
            main = m.group("main")
            branch = m.group("branch") or m.group("glued")
            if branch is not None and not vn_mst_v1(main + branch):
                continue
            if branch is None and not vn_mst_v1(main):
                continue
            cue = self._ctx.words.find(text, start, end)
            if (
                cue is not None
                and _ACCOUNT_CUES.find_before(text, start, adjacent=True)
                and not self._ctx.words.find_before(text, start, adjacent=True)
            ):
                continue  # "số tk 0101248141 ... mst": the account cue introduces this number
            if cue is None:
                if _OTHER_CUES.find_before(text, start, adjacent=True) or CODE_CUES.find_before(
                    text, start, adjacent=True
                ):
                    continue  # "stk 0101248141", "mã đơn 0101248141": another kind of number
                if m.group("glued"):
                    continue  # 13 bare digits: too many look-alikes without "mst" nearby
                if vn_phone_kind(main) is not None:
                    continue  # a valid phone number that happens to pass the check digit
            value = main if branch is None else f"{main}-{branch}"
            why = "vn_mst.v1 passed (mod-11 check digit)" + (f", branch {branch}" if branch else "")
            out.append(
                cue_entity(
                    self, text, start, end, label="TAX_CODE", value=value, scored=self._ctx, cue=cue, why=why
                )
            )
        out.extend(self._personal(text, ctx))
        return out

    def _personal(self, text: str, ctx: RuleContext) -> list[Entity]:
        """12-digit personal identification numbers a tax cue introduces: individuals' tax codes since 2025."""
        out: list[Entity] = []
        for m in _PERSONAL_RX.finditer(text):
            start, end = m.span()
            cue = self._ctx.words.find_before(text, start, adjacent=True)
            if cue is None or continues_group(text, start, end):
                continue
            if _OTHER_CUES.find_before(text, start, adjacent=True):
                continue  # "mst (cccd) 0360...": the ID cue names it; a CITIZEN_ID
            ds = digits_of(m.group())
            year = None if vn_cccd_v1(ds) is False else cccd_birth_year(ds)
            if year is None or not 0 <= ctx.ref_time.year - year <= 120:
                continue
            why = (
                f"personal identification number after the tax cue '{cue}' (vn_cccd.v1 passed, province code "
                f"{ds[:3]}): an individual's tax code since 2025-07-01"
            )
            out.append(
                cue_entity(
                    self, text, start, end, label="TAX_CODE", value=ds, scored=self._ctx, cue=cue, why=why
                )
            )
        return out


RECOGNIZERS = {"tax_code": TaxCodeRecognizer}
