"""BANK (gazetteer), BANK_CARD (Luhn / NAPAS 9704) and BANK_ACCOUNT (only next to an account cue or a bank).

BANK matches the names in ``rules/data/gazetteers/banks.yaml`` with an Aho-Corasick automaton (pyahocorasick)
over case-folded, optionally diacritic-stripped text, on word boundaries, longest match first; the value is
the canonical bank name, so "Ngân hàng Ngoại thương", "VCB" and "vietcombank" all give ``Vietcombank``.
Acronyms ("MB", "VCB") match only in their exact case and not right after a number ("500 MB").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import ahocorasick
import regex

from ..entity import Entity
from ..lang.vi.cues import ACCOUNT_CUES, TRANSFER_CUES
from ..recognizer import RuleContext
from ..validators import card_scheme, vn_bank_card_v1
from ._base import (
    LEFT_EDGE,
    RIGHT_EDGE,
    ContextWords,
    check_config,
    check_score,
    continues_group,
    digits_of,
    fold,
    load_data,
    make_entity,
)
from ._context import CONTEXT_KEYS, cue_entity, scored_context
from .ids import CCCD_CONTEXT, CMND_CONTEXT
from .tax import DEFAULT_CONTEXT as TAX_CONTEXT

_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]")
_BANK_TO_NUMBER = regex.compile(r"\s*[:\-–]?\s*")  # between a bank's name and its account number
_BANK_CUES = ContextWords(
    ("ngân hàng", "nh", "bank", "chuyển tiền", "thẻ", "atm", *ACCOUNT_CUES, *TRANSFER_CUES),
    before=25,
    after=15,
)
_NUMBER_BEFORE = regex.compile(r"(?<![\d.,])\d{1,4}(?:[.,]\d{1,3})?\s?$")  # a size: "500 MB", "1,5 MB"
_NUMBER_BEFORE_REACH = 9  # the longest match of _NUMBER_BEFORE: search only that far back
# matched backwards from the name's start (REVERSE: match() ends at endpos), not searched from the text's start
_IN_ADDRESS_LEFT = regex.compile(r"[./@][\w\-]*", regex.REVERSE)
_IN_ADDRESS_RIGHT = regex.compile(r"[\w\-]*(?:@|\.[A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class _Alias:
    canonical: str
    surface: str  # as written in the gazetteer
    exact_case: bool
    cued: bool = False  # a chat short form: only next to a banking word


@cache
def _automaton(diacritic_insensitive: bool) -> ahocorasick.Automaton:
    data = load_data("gazetteers/banks.yaml")
    banks = data.get("banks") if isinstance(data, dict) else None
    if not isinstance(banks, list) or not banks:
        raise ValueError("rules/data/gazetteers/banks.yaml: key 'banks' must be a non-empty list")
    auto = ahocorasick.Automaton()
    for i, bank in enumerate(banks):
        if not isinstance(bank, dict) or not isinstance(bank.get("name"), str):
            raise ValueError(f"rules/data/gazetteers/banks.yaml: banks[{i}] needs a string 'name'")
        forms = (
            [(n, False, False) for n in bank.get("names") or []]
            + [(a, True, False) for a in bank.get("acronyms") or []]
            + [(c, False, True) for c in bank.get("chat") or []]
        )
        for surface, exact, cued in forms:
            key = fold(surface) if diacritic_insensitive else surface.lower()
            aliases: list[_Alias] = auto.get(key, [])
            auto.add_word(key, [*aliases, _Alias(bank["name"], surface, exact, cued)])
    auto.make_automaton()
    return auto


@lru_cache(maxsize=64)
def bank_mentions(text: str, diacritic_insensitive: bool = True) -> tuple[tuple[int, int, _Alias], ...]:
    """Every bank-name hit in ``text`` on word boundaries (overlapping; cached: BANK and BANK_ACCOUNT share)."""
    auto = _automaton(diacritic_insensitive)
    haystack = fold(text) if diacritic_insensitive else text.lower()
    hits: list[tuple[int, int, _Alias]] = []
    for last, aliases in auto.iter(haystack):
        for alias in aliases:
            start = last + 1 - len(alias.surface)
            end = last + 1
            if start > 0 and _WORD.match(text[start - 1]) or end < len(text) and _WORD.match(text[end]):
                continue
            if _IN_ADDRESS_LEFT.match(text, 0, start) or _IN_ADDRESS_RIGHT.match(text, end):
                continue  # part of a URL or e-mail address ("www.vietcombank.com.vn")
            if alias.cued and not _BANK_CUES.find(text, start, end):
                continue  # "techcom", "agri" alone: only next to a banking word
            if alias.exact_case and text[start:end] != alias.surface:
                lower_ok = len(alias.surface) >= 3 and text[start:end].upper() == alias.surface
                if not (lower_ok and _BANK_CUES.find(text, start, end)):
                    continue  # "vcb" in lower case only next to a banking word ("ck qua vcb")
            if (
                alias.exact_case
                and len(alias.surface) <= 2
                and _NUMBER_BEFORE.search(text, max(0, start - _NUMBER_BEFORE_REACH), start)
            ):
                continue  # "500 MB" is a size
            hits.append((start, end, alias))
    return tuple(hits)


class BankRecognizer:
    """Vietnamese bank names, aliases, full names and acronyms -> canonical bank name."""

    name = "bank"
    version = "v1"
    labels: tuple[str, ...] = ("BANK",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, {"diacritic_insensitive": bool, "score": (int, float)}, where="bank")
        self._fold = bool(cfg.get("diacritic_insensitive", True))
        self._score = check_score(cfg.get("score", 0.95), key="score", where="bank")
        _automaton(self._fold)  # build (and check) the gazetteer at start-up, not on the first message

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        hits = list(bank_mentions(text, self._fold))
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        out: list[Entity] = []
        for start, end, alias in hits:
            if any(start < e.end and e.start < end for e in out):
                continue
            how = "acronym" if alias.exact_case else "name"
            out.append(
                make_entity(
                    self,
                    text,
                    start,
                    end,
                    label="BANK",
                    value=alias.canonical,
                    score=self._score,
                    explanation=f"bank gazetteer {how} match (banks.yaml)",
                )
            )
        return sorted(out, key=lambda e: e.start)


_CARD_RX = regex.compile(
    LEFT_EDGE + r"(?:\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{3})?|3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5})" + RIGHT_EDGE
)
_NOT_CARD_CUES = ContextWords(
    (
        "thẻ cào",
        "mã thẻ cào",
        "mã nạp",
        "seri",
        "serial",
        "số seri",
        "mã dự thưởng",
        "mã quà tặng",
        "voucher",
    ),
    before=30,
    after=0,
)
CARD_CONTEXT = ("thẻ", "số thẻ", "card", "atm", "visa", "mastercard", "napas", "thẻ tín dụng", "credit")


class BankCardRecognizer:
    """Payment-card numbers: a known scheme's shape and the Luhn check (``vn_bank_card.v1``)."""

    name = "bank_card"
    version = "v1"
    labels: tuple[str, ...] = ("BANK_CARD",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, CONTEXT_KEYS, where="bank_card")
        self._ctx = scored_context(
            cfg, where="bank_card", words=CARD_CONTEXT, before=40, after=10, score=0.75
        )

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _CARD_RX.finditer(text):
            verdict = vn_bank_card_v1(m.group(0))
            if verdict is False or continues_group(text, m.start(), m.end()):
                continue
            if _NOT_CARD_CUES.find_before(text, m.start(), adjacent=True):
                continue  # "mã thẻ cào ...": a top-up code, not a payment card
            cue = self._ctx.words.find(text, m.start(), m.end())
            if verdict is None and cue is None:
                continue  # NAPAS shape without Luhn: only next to "thẻ"/"card"
            scheme = card_scheme(m.group(0))
            why = f"vn_bank_card.v1: {scheme}, " + ("Luhn passed" if verdict else "Luhn not satisfied")
            out.append(
                cue_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="BANK_CARD",
                    value=digits_of(m.group(0)),
                    scored=self._ctx,
                    cue=cue,
                    why=why,
                    score=1.0 if verdict else self._ctx.score,
                )
            )
        return out


_ACCOUNT_RX = regex.compile(LEFT_EDGE + r"\d(?:[ \-.]?\d){5,18}" + RIGHT_EDGE)
_THOUSANDS = regex.compile(r"\d{1,3}(?:[.,]\d{3})+")
_MONEY_AFTER = regex.compile(
    r"\s?(?:đ|₫|vnđ|vnd|đồng|dong|k|tr|triệu|trieu|nghìn|ngàn|tỷ|usd|\$)(?![\p{L}])", regex.I
)
# a round amount of at most 9 digits ("150000", "1500000"): after a transfer verb with no bank nearby it is what was
# transferred; an account number after "stk" may end in zeros
_ROUND_AMOUNT = regex.compile(r"[1-9]\d{0,5}000")
_TRANSFER_FOLDED = frozenset(fold(c) for c in TRANSFER_CUES)  # the cue as ContextWords finds it
_SERVICE_CUES = ContextWords(
    ("hotline", "tổng đài", "sđt", "số điện thoại", "điện thoại", "gọi", "liên hệ", "zalo", "fax", "tel"),
    before=25,
    after=0,
)
# a number introduced as another identifier is not an account, even with a bank named near it: "mst cá nhân của
# em 8012345678, stk vcb ..." (a tax code whose checksum fails is still a tax code)
# (the tax-code and ID recognizers' own cues, less a bare "thuế": "đóng thuế qua vcb ..." names the account)
_OTHER_ID_CUES = ContextWords(
    (*(c for c in TAX_CONTEXT if c != "thuế"), *CCCD_CONTEXT, *CMND_CONTEXT, "số bhxh", "mã bhxh", "mã đơn",
     "mã vận đơn", "mvđ", "mã nhân viên", "mã nv", "biển số",
     # one-time and transaction codes in a bank's SMS: "[TPBank] OTP giao dich: 654321"
     "otp", "mã xác thực", "mã xác nhận", "mã giao dịch", "mã gd", "mã pin", "mật khẩu", "mã tham chiếu",
     "số tham chiếu", "số bút toán"),
    before=30,
    after=0,
)  # fmt: skip
ACCOUNT_CONTEXT = (*ACCOUNT_CUES, *TRANSFER_CUES)


class BankAccountRecognizer:
    """Account numbers (6-19 digits), only after an account cue ("stk", "số tài khoản") or near a bank name."""

    name = "bank_account"
    version = "v1"
    labels: tuple[str, ...] = ("BANK_ACCOUNT",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, {**CONTEXT_KEYS, "bank_window": int}, where="bank_account")
        self._ctx = scored_context(
            cfg, where="bank_account", words=ACCOUNT_CONTEXT, before=35, after=0, score=0.9
        )
        self._bank_window = int(cfg.get("bank_window", 40))
        if not 0 <= self._bank_window <= 200:
            raise ValueError("bank_account: config key 'bank_window' must be in [0, 200]")
        self._banks = BankRecognizer()

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        candidates = list(_ACCOUNT_RX.finditer(text))
        if not candidates:
            return []
        banks: list[Entity] | None = None
        out: list[Entity] = []
        for m in candidates:
            start, end = m.span()
            surface = m.group(0)
            cue = self._ctx.words.find_before(text, start, adjacent=True)
            near: list[Entity] = []
            if cue is None:
                banks = self._banks.analyze(text, ctx) if banks is None else banks
                lo = start - self._bank_window
                near = [b for b in banks if lo <= b.end <= start or end <= b.start <= end + 20]
                if (
                    not near
                    or _SERVICE_CUES.find_before(text, start, adjacent=True)
                    or _OTHER_ID_CUES.find_before(text, start, adjacent=True)
                ):
                    continue  # no cue and no bank; or "Hotline: 1900545413 Vietcombank", a phone line
            if continues_group(text, start, end):
                continue
            if _THOUSANDS.fullmatch(surface) or _MONEY_AFTER.match(text, end):
                continue  # "500.000", "2 500 000 đồng": money, not an account
            if vn_bank_card_v1(surface) is True:
                continue  # a card number belongs to BANK_CARD
            if cue in _TRANSFER_FOLDED and _ROUND_AMOUNT.fullmatch(surface) and not near:
                continue  # "em ck 150000 rồi": the amount transferred, not the account
            why = f"account cue '{cue}'" if cue else f"bank name nearby ({near[0].value})"
            score = self._ctx.score
            banks = self._banks.analyze(text, ctx) if banks is None else banks
            right_before = [
                b for b in banks if b.end <= start and _BANK_TO_NUMBER.fullmatch(text, b.end, start)
            ]
            if right_before:
                # "MB 0987654321", "ck qua VCB: 0071001234567": a bank's name right before the number names its
                # account, even when the digits also read as a mobile number (MB takes phone numbers)
                score, why = max(score, 0.97), f"{why}; bank name right before it ({right_before[0].value})"
            out.append(
                make_entity(
                    self,
                    text,
                    start,
                    end,
                    label="BANK_ACCOUNT",
                    value=digits_of(surface),
                    score=score,
                    explanation=f"6-19 digits; {why}",
                )
            )
        return out


RECOGNIZERS = {"bank": BankRecognizer, "bank_card": BankCardRecognizer, "bank_account": BankAccountRecognizer}
