"""MONEY: amounts with a currency, a scale word or both ("618.000đ", "1,5 triệu", "1tr2", "$20", "hai triệu").

The value is ``{"amount": <int in the currency's minor units>, "currency": <ISO 4217 code>}``: VND and JPY have
no minor unit (amount = đồng), USD/EUR count cents. A number with only a scale
word ("500k", "2 tỷ") is money in VND with a lower score, raised by price cues nearby ("giá", "lương", "ck");
a bare number shaped like an amount right after a price cue is money in VND with a low score ("giá 299.000",
"cod 450.000 nhé"; config ``bare_after_cue``). A signed amount ("+5,000,000VND", "-250,000 VND" in a bank's
balance message) is read when a currency follows, without its sign; "+500k" alone is not.
Thousands vs decimal marks are read by digit-group shape (:func:`vner.rules.recognizers.numbers_vi.parse_number`)
and the explanation says which reading was used. Look-alikes rejected: phone numbers and IDs (leading zero,
4-digit groups, digit runs joined by spaces), "đồng ý"/"đồng hồ", "triệu chứng", "tỷ lệ", "60kg".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.diacritics import fold
from ..recognizer import RuleContext
from ._base import ContextWords, check_config, make_entity, mid_sentence
from .numbers_vi import (
    NUMBER_RE,
    NUMBER_SPACED_RE,
    accent_number_words,
    digit_starts,
    parse_number,
    parse_number_words,
)
from .span_select import keep_longest

# surface (lower-case) -> ISO 4217 code
CURRENCIES: dict[str, str] = {
    "đ": "VND", "₫": "VND", "đồng": "VND", "dong": "VND", "vnđ": "VND", "vnd": "VND", "vn₫": "VND",
    "usd": "USD", "$": "USD", "us$": "USD", "đô": "USD", "đô la": "USD", "đô-la": "USD", "dollar": "USD",
    "eur": "EUR", "€": "EUR", "euro": "EUR", "yên": "JPY", "jpy": "JPY", "¥": "JPY",
    "cny": "CNY", "nhân dân tệ": "CNY", "tệ": "CNY", "krw": "KRW", "won": "KRW",
    "gbp": "GBP", "£": "GBP", "bảng anh": "GBP", "thb": "THB", "baht": "THB", "bạt": "THB",
}  # fmt: skip
MINOR_DIGITS: dict[str, int] = {
    "VND": 0,
    "JPY": 0,
    "KRW": 0,
    "USD": 2,
    "EUR": 2,
    "CNY": 2,
    "GBP": 2,
    "THB": 2,
}
# surface (lower-case) -> multiplier
SCALES: dict[str, int] = {
    "k": 1000, "nghìn": 1000, "ngàn": 1000, "nghin": 1000, "ngan": 1000,
    "tr": 1_000_000, "triệu": 1_000_000, "trieu": 1_000_000, "củ": 1_000_000, "cu": 1_000_000,
    "tỷ": 10**9, "tỉ": 10**9, "ty": 10**9, "tỏi": 10**9,  # "3 tỏi": chat slang for a billion
    "lít": 100_000, "lit": 100_000, "chai": 1_000_000,  # chat slang: "5 lít" 500 nghìn, "2 chai" 2 triệu
    "xị": 100_000, "xi": 100_000,  # "2 xị" 200 nghìn (a "xị" is also a small bottle of liquor)
    "lốp": 100_000, "sọi": 100_000,  # "nợ tao 5 lốp": the northern and southern names of "lít" (with diacritics only)
    "cành": 1000, "cá": 1000,  # "tiền ship 30 cá", "giá 200 cành": chat's thousands (with diacritics only)
}  # fmt: skip
PRICE_CUES = (
    "giá", "tiền", "lương", "phí", "thanh toán", "chuyển khoản", "ck", "ship", "cọc", "nợ", "trả", "mua",
    "bán", "thu nhập", "thưởng", "phụ cấp", "tổng", "hoàn", "còn", "giảm", "khoảng", "tầm",
)  # fmt: skip

# "đồng" that begins another word ("đồng ý" = agree, "Đồng Nai"), not the currency
_DONG_NOT = r"(?!\s(?:ý|y|hồ|nghiệp|thời|bộ|chí|phục|hương|bào|loạt|đều|minh|âm|dạng|hành|cảm|tình|ruộng|bằng|đội|nhất|nai|tháp|hới|xu|giá|size|màu|lòng|tâm|ca|môn|dao|quê|cỏ|trinh)(?![^\W\d_]))"
_CUR_WORDS = sorted(CURRENCIES, key=len, reverse=True)
_CUR_ALT = "|".join(
    (re.escape(c) + _DONG_NOT) if c in ("đồng", "dong") else re.escape(c)
    for c in _CUR_WORDS
    if c not in ("$", "us$", "€", "£", "¥")
)
_SCALE_ALT = r"k|nghìn|ngàn|nghin|ngan|tr|triệu(?!\s?chứng)|trieu(?!\s?chung)|củ(?!\s(?:khoai|cải|hành|tỏi|gừng|sắn|đậu|quả|cà|từ(?!\s(?:tháng|ngày|tuần|năm|mai|hôm|đầu|cuối|kỳ|\d))|lạc))|cu(?!\s(?:khoai|cai|hanh|toi|gung|san|dau|qua|ca|tu(?!\s(?:thang|ngay|tuan|nam|mai|hom|dau|cuoi|ky|\d))|lac))|tỷ(?!\s?(?:lệ|số))|tỉ(?!\s?(?:lệ|số))|ty(?!\s?le)|tỏi(?!\s(?:ta|tây|đen|lý|cô|băm|phi|ớt|khô|tươi))|lít|lit|chai|xị|xi|lốp|sọi|cành|cá"
_PREFIX_ALT = r"us\$|\$|€|£|¥|(?:usd|vnd|vnđ|eur)(?=\s\d)"
_MONEY_RX = re.compile(
    rf"""
    (?<![\w@#/])(?<!\d[.,\-–])
    (?:(?P<pre>{_PREFIX_ALT})\s?)?
    (?:(?P<lo>{NUMBER_RE})\s?[-–]\s?)?  # a range "8-10 triệu"
    (?P<num>{NUMBER_SPACED_RE}|{NUMBER_RE})
    (?(pre)|(?=\s?(?:[^\W\d_]|[₫$€£¥])))  # fail fast: without a prefix a scale word or currency must follow
    (?:\s?(?P<scale>{_SCALE_ALT})
        (?:(?P<tail>\d{{1,3}})(?!\d)
          |\s?(?P<num2>\d{{1,3}})\s?(?P<scale2>k|nghìn|ngàn|nghin|ngan|tr|triệu|trieu)
          |\s(?P<half>rưỡi|ruoi)  # "2 triệu rưỡi" = 2.5 million
          # "1 triệu 2 trăm (nghìn)" = 1.2 million, "1 tỷ 5 trăm (triệu)" = 1.5 billion
          |\s?(?P<hd>[1-9])\s?(?:trăm|tram)(?:\s?(?P<hscale>nghìn|ngàn|nghin|ngan|k|triệu|trieu))?
        )?
    )?
    (?:\s?(?P<cur>{_CUR_ALT}|₫|\$|€|£|¥|d))?  # a bare "d" (đ typed without its stroke): see _BARE_D_NUM
    (?![^\W_])(?![.,]\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A cheap necessary condition at a digit: after the run of digits, marks, spaces and range dashes, a digit then
# maybe a space then a character a scale word or currency can start with (case-insensitive, as the pattern).
_UNIT_FIRST = "".join(sorted({w[0] for w in (*CURRENCIES, *SCALES)}))
_UNIT_AHEAD = re.compile(rf"[\d.,\s\-–]*\d\s?[{re.escape(_UNIT_FIRST)}]", re.IGNORECASE)
# "hai triệu đồng", "năm trăm nghìn", "một triệu rưỡi", "hai tram k", "nửa triệu": number words ending in a scale
# word, matched on the folded text (so with or without diacritics; the spelling is checked after the match)
_NUM_WORDS_F = r"mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|chuc|linh|le|tram"
_WORDS_RX = re.compile(
    rf"(?<![^\W_])(?P<words>(?:nua|(?:(?:{_NUM_WORDS_F})\s)*(?:{_NUM_WORDS_F}))\s(?P<scale>nghin|ngan|trieu|ty|ti|cu|k)"
    r"(?:\s(?P<half>ruoi))?)(?![^\W_])"
)
# an amount that ends in a scale word ("1 triệu", "2 củ", "một tỷ"): a smaller amount in words may follow it
_ENDS_IN_SCALE = re.compile(r"(?:trieu|tr|cu|ty|ti)$")


def _spaced(text: str, a: int, b: int) -> bool:
    """Only one or two spaces between ``a`` and ``b`` (no comma, no line break)."""
    return 0 < b - a <= 2 and not text[a:b].strip(" ")


_CUR_AFTER = regex.compile(rf"\s(?P<cur>{_CUR_ALT})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
# the scale words a number word may stand before (folded), and their spellings
_WORD_SCALE_HINT = re.compile(r" (?:ng(?:hin|an)|t(?:rieu|y|i)|cu|k)(?![^\W_])")  # a space first: a fast scan
_NUM_WORD_SET = frozenset(_NUM_WORDS_F.split("|")) | {"nua"}
_WORD_SCALES: dict[str, int] = {**{k: v for k, v in SCALES.items() if k != "tr"}, "ti": 10**9}
_NOT_SCALE_AFTER = re.compile(r"\s(?:khoai|cai|hanh|toi|gung|san|dau|qua|ca|tu|lac|le|so)(?![^\W_])")
_WORD_TOKEN = regex.compile(r"[\p{L}\p{M}]+")
_DIGIT_BEFORE = re.compile(r"(?<![\d.,])([1-9])\s$")
# chat's hundreds of thousands as a digit and "trăm" before an amount of tens of thousands: "2 trăm 50 nghìn",
# "2 trăm 5 chục nghìn", "1 triệu 2 trăm 50k"; spelled with its mark or none ("trạm" is a station)
_HUNDRED_BEFORE = re.compile(r"(?<![\d.,])(?P<d>[1-9])\s(?:trăm|tram)\s$", re.IGNORECASE)
_HALF_AFTER = re.compile(r"\s(?:rưỡi|ruoi)(?![^\W_])", re.IGNORECASE)
_HUNDRED_END = re.compile(r"(?<![^\W_])(?:trăm|tram)$", re.IGNORECASE)
_MILLION_END = re.compile(r"(?<![^\W_])(?:triệu|trieu|củ|cu)$", re.IGNORECASE)
_VAGUE_BEFORE = re.compile(r"(?<![^\W_])(?:vai|may|hang|cac|nhung|bao|moi)\s$")
# "450.000d", "25,000d", "150000d": the đ typed without its stroke, read as đồng only after an amount that looks
# like one (thousands grouped, or a run ending in 000); "3d" (3-D), "200d", "1tr d" stay unread
# a thousands-grouped number: its first group, then its mark
_GROUPED = re.compile(r"(\d{1,3})([.,])\d{3}(?:\2\d{3})*")
_BARE_D_NUM = re.compile(rf"{_GROUPED.pattern}|[1-9]\d*000")
_PREFIX_POS = regex.compile(r"[$€£¥]|us\$|(?<![\p{L}])(?:usd|vnd|vnđ|eur)(?=\s\d)", regex.IGNORECASE)
_PREFIX_HINTS = ("$", "€", "£", "¥", "usd", "vnd", "vnđ", "eur")
# ("2 triệu năm" is two million years; "2 củ năm trăm nghìn" is 2.5 million: a number word, see _scale_chains)
_NOT_MONEY_AFTER = regex.compile(
    r"\s?(?:người|dân|lượt|view|views|like|likes|follow|followers?|sub|ca|hộ|học sinh|sinh viên|km|m|mét|tấn|"
    r"lít|sản phẩm|sp|cái|chiếc|bước|ký tự|chữ|năm(?!\s(?:trăm|tram|mươi|muoi|chục|chuc)(?![\p{L}]))|tuổi|ngày(?!\s\d)|đêm|giờ|phút|lần(?!\s\d)|bản|cây|con|trang|"
    r"tin|hạt)"
    r"(?![\p{L}])",
    regex.IGNORECASE,
)

# "3 củ 5", "7 triệu 2", "2 tỷ 5": a lone digit after a million/billion scale word is its tenths, as spoken;
# only when the sentence ends or a particle, a preposition or a question follows ("7 triệu 2 nha", "5 triệu 2 vào
# tk", "3 củ 2 có bán ko"), never before a noun ("7 triệu 1 tháng")
_SPOKEN_TENTHS_SCALES = frozenset("tr triệu trieu củ cu tỷ tỉ ty tỏi lít lit chai xị xi lốp sọi".split())
_SPOKEN_TENTHS = regex.compile(
    # the one spoken to may come between: "tiền hàng 2 lít 5 anh nhé", "7 triệu 2 em ạ"
    r"\s(?P<d>[1-9])(?=(?:\s(?:anh|a|em|e|chị|chi|c|bạn|ban|b)(?![\p{L}\p{N}]))?\s*(?:$|[.,!?;:)\]\n]|\s(?:nha|nhé|nhe|nhá|nhen|ha|hả|nè|ne|ạ|a|á|thôi|thoi|luôn|luon|rồi|"
    r"roi|đó|do|đấy|day|nhỉ|nhi|hen|hì|hi|thì|thi|là|la|mà|ma|và|va|hoặc|hoac|hay|nhưng|nhung|còn|con|cho|với|voi|"
    r"được|duoc|ok|okay|oke|nhaa|nhé|chứ|chu|vậy|vay|vào|vao|qua|sang|về|nữa|nua|rùi|r|"
    # a question or a call after the price: "3 củ 2 có bán ko", "7tr2 ko shop", "5 triệu 2 shop ơi"
    r"có|co|không|khong|ko|k|hông|hong|hok|shop|ơi|oi|đi|di)(?![\p{L}\p{N}])))",
    regex.IGNORECASE,
)
# "cu" without diacritics is also "cũ" (old), "cụ" (elder): a million only next to a price cue; "tỏi" is garlic
# too ("2 tỏi" a billion only in "giá", "lương", "lỗ"... context)
_CUE_ONLY_SCALES = frozenset({"cu", "tỏi"})
# "lít" (100 nghìn) and "chai" (1 triệu) are litres and bottles far more often ("cá", "cành" fish and branches):
# money only right after a word that names a payment ("giá 5 lít", "lương 15 chai", "nợ tao 3 lít", "ck 2 chai 5
# nhé") and at the end of the clause ("mua 2 chai nước", "còn 3 lít xăng", "giá 5 lít xăng" stay quantities)
_STRICT_SLANG = frozenset({"lít", "lit", "chai", "xị", "xi", "lốp", "sọi", "cành", "cá"})
_SLANG_CUE = re.compile(
    r"(?<![^\W_])(?:gia|luong|tien(?:\s(?:nha|dien|nuoc|hang|ship|an|hoc|coc|no|lai|thue|phong|xe))?|phi|tra|no|muon|vay|coc|ck|chuyen\skhoan|chuyen|ton|mat|thu\snhap|thuong|lai|"
    r"lo)(?:\s(?:cho\s)?(?:em|e|anh|a|chi|c|minh|mk|tao|t|may|m|toi|ban|b|bn|cau|ong|ba|no))?"  # "nợ m 2 lít"
    r"(?:\s(?:la|co|chi|tam|khoang|hon|gan|them|roi|r|nua|tren|duoi|het))*\s$"
)

_RESOLUTIONS = frozenset({"1", "2", "4", "5", "6", "8", "10", "12", "16"})
_DISPLAY_BEFORE = regex.compile(
    r"(?<![\p{L}])(?:tivi|tv|màn\shình|màn|monitor|video|camera|cam|quay|chiếu|phân\sgiải|độ\snét|chuẩn|"
    r"laptop|máy\schiếu|ảnh|hình|clip|phim|stream|youtube|netflix)(?![\p{L}])[^.!?\n]*$",
    regex.IGNORECASE,
)
_DISPLAY_AFTER = regex.compile(
    r"\s?(?:uhd|hdr|hz|inch|oled|qled|led|tv|\d{2,3}\s?hz)(?![\p{L}])", regex.IGNORECASE
)


# "giá 299.000", "cod 450.000 nhé", "hoàn 1.250.000 cho em", "ck 150000 rồi": a number with no currency or scale
# word is VND only right after a price cue, shaped like an amount (thousands grouped, or a run ending in 000,
# no leading zero), and followed by the end of the clause or a particle, never by a noun ("tổng 1.200 đơn")
_BARE_AMOUNT = re.compile(
    r"(?<![\w.,/#+\-])(?:[1-9]\d{0,2}([.,])\d{3}(?:\1\d{3})*|[1-9]\d{0,5}000)(?![\w%]|[.,/\-]\d)"
)
# the price cues (folded) a bare amount may follow, maybe with a linking word between ("ck rồi 2.000.000")
_BARE_CUES = frozenset(
    {
        "gia", "gia ban", "gia goc", "tien", "tien ship", "tien hang", "phi", "phi ship", "phi giao hang",
        "phi van chuyen", "ship", "cod", "thu ho", "ck", "chuyen khoan", "hoan", "hoan tien", "tong",
        "tong cong", "tong tien", "tong don", "thanh toan", "coc", "dat coc", "luong", "thuong",
    }
)  # fmt: skip
# "ship 2 trăm rưỡi nhé", "tổng 5 trăm nha": in chat a bare hundred after a price cue is hundreds of thousands
# (folded text; the clause must end as for a bare amount: "tổng 5 trăm người" is people)
# and tens of thousands: "ship 5 chục nha", "tiền ship hết 3 chục"
_BARE_HUNDREDS = re.compile(
    r"([1-9]) ?(?:tram(?: (?P<half>ruoi)| (?P<d>[1-9])(?![\d.,]))?|(?P<tens>chuc))(?![^\W_])"
)
# words that may come between the cue and the amount: "ck rồi 2.000.000", "giá tầm 2 trăm rưỡi", "giá chỉ 199.000"
_BARE_LINKS = frozenset({"lai", "roi", "truoc", "la", "het", "tam", "khoang", "chi", "co", "gan", "hon"})
_BARE_LAST = frozenset({c.rpartition(" ")[2] for c in _BARE_CUES}) | _BARE_LINKS
_BARE_END = re.compile(
    r"\s*(?:$|[.,!?;:)\]\n(]|(?:nha|nhe|ha|ne|a|thoi|luon|roi|do|day|nhi|hen|thi|la|ma|va|hoac|hay|nhung|con|"
    r"cho|voi|duoc|dc|ok|oke|chu|vay|vao|qua|giup|shop|sh|em|e|anh|chi|c|minh|ban|b|khong|k|ko|chua|nua|luc|r|"
    r"ngay|hom|sau|truoc|moi|tren)(?![^\W_]))"
)

# the end of a slang amount's clause ("lương 15 chai 1 tháng" too)
_SLANG_END = re.compile(rf"\s(?:mot|1)\s(?:thang|ngay|tuan|nam)(?![^\W_])|{_BARE_END.pattern}")

# gold's purity: "vàng 18k", "nhẫn 14K", "dây chuyền vàng 24k" (after a jewellery word in the same clause, or
# before "vàng"/"gold")
_KARATS = frozenset({"8", "9", "10", "14", "16", "17", "18", "20", "22", "24"})
_GOLD_BEFORE = re.compile(
    r"(?<![^\W_])(?:vang|gold|nhan|day chuyen|lac|vong tay|bong tai|khuyen tai|kieng|mat day|trang suc|"
    r"hoa tai|bac|bach kim)(?:\s(?!(?:gia|het|con|chi|tam|khoang|tra|mat|ton|co|la)\s)[^\d\s,.;!?]+){0,3}\s$"
)
_GOLD_AFTER = regex.compile(r"\s?(?i:vàng|vang|gold)(?![\p{L}])")


class MoneyRecognizer:
    """Amounts of money in Vietnamese and chat writing, normalised to integer minor units and a currency."""

    name = "money"
    version = "v1"
    labels: tuple[str, ...] = ("MONEY",)
    _CONFIG: dict[str, type | tuple[type, ...]] = {
        "label": str,
        "scale_only_score": (int, float),
        "number_words": bool,
        "bare_after_cue": bool,
    }

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, self._CONFIG, where="money")
        self.label: str = cfg.get("label", "MONEY")
        self.labels = (self.label,)
        self.scale_only_score = float(cfg.get("scale_only_score", 0.8))
        if not 0.0 <= self.scale_only_score <= 1.0:
            raise ValueError("money: config key 'scale_only_score' must be in [0, 1]")
        self.number_words: bool = cfg.get("number_words", True)
        self.bare_after_cue: bool = cfg.get("bare_after_cue", True)
        self._cues = ContextWords(PRICE_CUES, before=30, after=15)

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every money amount in NFC ``text``."""
        found: list[Entity] = []
        low = text.lower()
        starts: Sequence[int] = digit_starts(text)
        if any(s in low for s in _PREFIX_HINTS):  # cheap substring tests before any scan
            starts = sorted({*starts, *(m.start() for m in _PREFIX_POS.finditer(text))})
        for pos in starts:
            signed = pos > 0 and text[pos - 1] in "+-" and (pos == 1 or not text[pos - 2].isalnum())
            if text[pos] in "0123456789" and _UNIT_AHEAD.match(text, pos) is None:
                continue  # no scale word or currency can follow this number: the full pattern would fail
            m = _MONEY_RX.match(text, pos)
            if m is None or (signed and not m.group("cur")):
                continue  # a sign before a number asks for a currency: "+5,000,000VND" (a bank SMS), not "+500k"
            ent = self._from_digits(text, m)
            if ent is not None:
                found.append(ent)
        folded = fold(text) if self.number_words or self.bare_after_cue else text
        if self.bare_after_cue:
            taken = {e.start for e in found}  # read already with a currency or scale word
            found.extend(self._bare_after_cue(text, folded, [p for p in starts if p not in taken]))
        if self.number_words:
            seen: set[int] = set()
            word_matches: list[re.Match[str]] = []
            for sc in _WORD_SCALE_HINT.finditer(folded):
                # number words are tried only when one stands right before the scale word
                if folded[max(0, sc.start() - 6) : sc.start()].rpartition(" ")[2] not in _NUM_WORD_SET:
                    continue
                for m in _WORDS_RX.finditer(folded, max(0, sc.start() - 60), sc.end() + 6):
                    if m.start() in seen or m.end("scale") != sc.end():
                        continue
                    seen.add(m.start())
                    ent = self._from_words(text, folded, m)
                    if ent is not None:
                        found.append(ent)
                    word_matches.append(m)
            if word_matches and found:
                found.extend(self._scale_chains(text, folded, found, word_matches))
        kept = keep_longest(found)
        if kept and (len(kept) > 1 or "tr" in low):  # each join needs two amounts or a "trăm"
            kept = self._join_spoken_parts(text, kept)
        return kept

    def _join_spoken_parts(self, text: str, found: list[Entity]) -> list[Entity]:
        """Hundreds of thousands said as a digit and "trăm" before tens of thousands ("2 trăm 50 nghìn", "2 trăm
        5 chục nghìn": 250,000), also after millions ("1 triệu 2 trăm 50k": 1,250,000), and "rưỡi" after millions
        and hundreds ("1 triệu 2 trăm rưỡi": 1,250,000). Each part alone is read first; here they join."""
        out: list[Entity] = []
        for e in found:
            amount = e.value.get("amount") if isinstance(e.value, dict) else None
            if not isinstance(amount, int) or e.value.get("currency") != "VND" or "max_amount" in e.value:
                out.append(e)
                continue
            prev = out[-1] if out else None
            hb = _HUNDRED_BEFORE.search(text, max(0, e.start - 10), e.start)
            if hb is not None and 1_000 <= amount < 100_000 and amount % 1_000 == 0:
                # "... 2 trăm" read already as the end of "1 triệu 2 trăm" (1,200,000): add to it
                start, total = hb.start("d"), int(hb.group("d")) * 100_000
                if prev is not None and prev.end == hb.end() - 1 and prev.value.get("currency") == "VND":
                    start, total = prev.start, prev.value["amount"]
                    out.pop()
                why = "hundreds of thousands in a digit and 'trăm' before tens of thousands"
                out.append(self._entity(text, start, e.end, Decimal(total + amount), "VND", e.score, why))
                continue
            if (
                prev is not None
                and prev.end + 1 == e.start
                and text[prev.end] == " "
                and amount < 1_000_000
                and prev.value.get("currency") == "VND"
                and "max_amount" not in prev.value
                and prev.value["amount"] % 1_000_000 == 0
                and _MILLION_END.search(text, prev.start, prev.end)
            ):  # "1 triệu 2 chục nghìn": the millions, then the rest read alone
                why = "millions, then the rest of the amount read on its own"
                total = prev.value["amount"] + amount
                out[-1] = self._entity(
                    text, prev.start, e.end, Decimal(total), "VND", max(prev.score, e.score), why
                )
                continue
            half = _HALF_AFTER.match(text, e.end)
            if (
                half is not None
                and amount % 100_000 == 0
                and amount % 1_000_000 != 0
                and _HUNDRED_END.search(text, e.start, e.end)
            ):
                why = "'rưỡi' (and a half) after hundreds of thousands"
                out.append(
                    self._entity(text, e.start, half.end(), Decimal(amount + 50_000), "VND", e.score, why)
                )
                continue
            out.append(e)
        return out

    def _scale_chains(
        self, text: str, folded: str, found: list[Entity], matches: list[re.Match[str]]
    ) -> list[Entity]:
        """ "1 triệu hai trăm nghìn", "một triệu hai trăm nghìn đồng": an amount that ends in a scale word, then
        one in number words below that scale, is one amount; the pair needs one cue or currency between them."""
        vnd = [e for e in found if e.value.get("currency") == "VND" and "max_amount" not in e.value]
        by_end = {e.end: e for e in vnd if _ENDS_IN_SCALE.search(folded, e.start, e.end)}
        by_start = {e.start: e for e in vnd}
        out: list[Entity] = []
        for m in matches:
            head = next((e for p, e in by_end.items() if _spaced(text, p, m.start())), None)
            if head is not None:  # a found amount, then these words
                tail = self._from_words(text, folded, m, cue_free=True)
            else:  # these words, then a found amount
                tail = next((e for p, e in by_start.items() if _spaced(text, m.end(), p)), None)
                if tail is None or not _ENDS_IN_SCALE.search(folded, m.start(), m.end()):
                    continue
                head = self._from_words(text, folded, m, cue_free=True)
            if head is None or tail is None or head.end > tail.start:
                continue
            big, small = head.value["amount"], tail.value["amount"]
            unit = 10**9 if big % 10**9 == 0 else 10**6 if big % 10**6 == 0 else 0
            if not 0 < small < unit:
                continue  # "2 triệu 3 triệu": a list, not one amount
            why = "an amount and the smaller one in words after it"
            out.append(
                self._entity(
                    text, head.start, tail.end, Decimal(big + small), "VND", max(head.score, tail.score), why
                )
            )
        return out

    def _bare_after_cue(self, text: str, folded: str, starts: Sequence[int]) -> list[Entity]:
        """Amounts without currency or scale word right after a price cue (see ``_BARE_AMOUNT``)."""
        out: list[Entity] = []
        for pos in starts:
            if pos == 0 or text[pos - 1] not in " :" or (cue := _bare_cue(folded, pos)) is None:
                continue  # a cheap test of the words before first: most numbers follow no price cue
            m = _BARE_AMOUNT.match(text, pos)
            if m is None:
                if (h := self._bare_hundreds(text, folded, pos, cue)) is not None:
                    out.append(h)
                continue
            if _BARE_END.match(folded, m.end()) is None:
                continue
            parsed = parse_number(m.group(0))
            if parsed is None or parsed.value < 1000:
                continue
            at = folded.rfind(cue, 0, pos)  # fold keeps offsets: the cue as written
            why = (
                f"number read with {parsed.reading}; no currency or scale word, right after the price cue "
                f"'{text[at : at + len(cue)]}': VND assumed"
            )
            out.append(self._entity(text, m.start(), m.end(), parsed.value, "VND", 0.75, why))
        return out

    def _bare_hundreds(self, text: str, folded: str, pos: int, cue: str) -> Entity | None:
        """ "ship 2 trăm rưỡi nhé" (250 nghìn), "tổng 5 trăm nha", "giá 1 trăm 2": see ``_BARE_HUNDREDS``."""
        m = _BARE_HUNDREDS.match(folded, pos)
        if m is None or _BARE_END.match(folded, m.end()) is None:
            return None
        word = text[m.end(1) : m.end(1) + 5].strip().lower()
        if m.group("tens"):
            if word[:4] not in ("chục", "chuc") or cue in ("luong", "thuong"):
                return None  # "chúc" (a wish) folds the same; "lương 3 chục" is thirty million
            amount = int(m.group(1)) * 10_000
            why = [f"'{m.group(1)} chục' right after the price cue '{cue}': tens of thousands, as chat says"]
            return self._entity(
                text, pos, m.end(), Decimal(amount), "VND", 0.7, "; ".join(why) + "; VND assumed"
            )
        if word[:4] not in ("trăm", "tram"):
            return None  # "trạm" (a station) folds the same
        amount = int(m.group(1)) * 100_000
        why = [f"'{m.group(1)} trăm' right after the price cue '{cue}': hundreds of thousands, as chat says"]
        if m.group("half"):
            amount += 50_000
            why.append("'rưỡi' adds a half")
        elif m.group("d"):
            amount += int(m.group("d")) * 10_000
            why.append(f"spoken tenths '{m.group('d')}' after the hundred")
        return self._entity(text, pos, m.end(), Decimal(amount), "VND", 0.7, "; ".join(why) + "; VND assumed")

    def _from_digits(self, text: str, m: re.Match[str]) -> Entity | None:
        pre, cur, scale = m.group("pre"), m.group("cur"), m.group("scale")
        if not (pre or cur or scale):
            return None
        num_s = m.group("num")
        if cur and cur in "dD" and not _bare_d_amount(m):
            # a bare "d" is đồng only right after a round or grouped amount ("450.000d"); "1tr d" is "1tr"
            shorter = _MONEY_RX.match(text, m.start(), m.start("cur"))
            return (
                self._from_digits(text, shorter) if shorter is not None and not shorter.group("cur") else None
            )
        if " " in num_s and (scale or not cur):
            return None  # space-grouped thousands need a currency; "lần 1 500k" is "1" then "500k"
        parsed = parse_number(num_s)
        if parsed is None:
            return None
        code = _currency(pre, cur)
        if code is None:
            return None
        why = [f"number read with {parsed.reading}"]
        amount = parsed.value
        low = None
        if m.group("lo"):
            lo = parse_number(m.group("lo"))
            if lo is None or lo.value >= parsed.value or m.group("tail") or m.group("num2"):
                return None  # not a range; the upper number alone is found at its own position
            low = lo.value
            why.append("a range")
            shared = _shared_thousands(m.group("lo"), num_s)
            if (
                shared > 1
                and parsed.value == int(num_s.replace(".", "").replace(",", ""))
                and low * shared < parsed.value
            ):
                # "100-200.000đ": 100.000 to 200.000 (the high end's marks read as thousands)
                low *= shared
                why.append(f"the low end shares the high end's thousands (x{shared:,})")
        mult = 1
        if scale:
            mult = SCALES[scale.lower()]
            amount *= mult
            why.append(f"x{mult:,} ('{scale}')")
            tail = m.group("tail")
            if scale.lower() == "k" and tail and (scale == "K" or len(tail) > 2):
                return None  # "6K201", "1K286": a model or machine code, not 6,201 đồng
            if (
                num_s == "2"
                and scale == "k"
                and tail
                and len(tail) == 1
                and not (cur or pre or m.group("lo"))
                and not _SLANG_CUE.search(fold(text[max(0, m.start() - 30) : m.start()]))
            ):
                return None  # chat's "e 2k3", "sinh năm 2k1": a birth year (2003) unless paid ("giá 2k5")
            if scale.lower() == "k" and not (cur or pre or tail) and self._resolution(text, m):
                return None  # "tivi 4K", "màn hình 2K", "video 8K": a display resolution
            if scale.lower() == "k" and not (cur or pre or tail or m.group("lo")) and _karat(text, m):
                return None  # "nhẫn vàng 18k", "vàng 24K": gold's purity in karats, not 18,000 đồng
            if (
                scale.lower() in _CUE_ONLY_SCALES
                and not (cur or pre)
                and not self._cues.find(text, m.start(), m.end())
            ):
                return None  # "3 cu" without a price cue: "cũ", "cụ" as likely as a million
            if scale.lower() in _STRICT_SLANG and (
                cur
                or pre
                or m.group("lo")
                or not _SLANG_CUE.search(fold(text[max(0, m.start() - 30) : m.start()]))
            ):
                return (
                    None  # "2 chai nước", "5 lít": litres and bottles unless a payment word is right before
                )
            if m.group("half"):
                amount += Decimal(mult) / 2
                why.append("'rưỡi' adds a half")
            if tail:  # "1tr2" = 1.2 million, "2k5" = 2,500
                amount += Decimal(tail) * mult / (10 ** len(tail))
                why.append(f"'{tail}' after the scale is its fraction")
            if m.group("hd"):
                # hundreds of the next scale down: "trăm" after "triệu" is hundreds of thousands
                hscale = m.group("hscale")
                if mult < 10**6 or (hscale and SCALES[hscale.lower()] * 1000 != mult):
                    # "5k 2 trăm", "1 triệu 2 trăm triệu": not one amount; the amount before it stands alone
                    shorter = _MONEY_RX.match(text, m.start(), m.start("hd"))
                    return None if shorter is None else self._from_digits(text, shorter)
                amount += Decimal(m.group("hd")) * mult / 10
                why.append(f"plus {m.group('hd')} hundred x{mult // 1000:,}")
            if m.group("num2"):
                mult2 = SCALES[m.group("scale2").lower()]
                if mult2 >= mult:  # "ship 30k 20k": two amounts, not one chain; the first stands alone
                    shorter = _MONEY_RX.match(text, m.start(), m.start("num2"))
                    return None if shorter is None else self._from_digits(text, shorter)
                amount += Decimal(m.group("num2")) * mult2
                why.append(f"plus {m.group('num2')} x{mult2:,}")
        end = m.end()
        if (
            scale
            and scale.lower() in _SPOKEN_TENTHS_SCALES
            and not (
                cur or m.group("tail") or m.group("num2") or m.group("half") or m.group("lo") or m.group("hd")
            )
            and (spoken := _SPOKEN_TENTHS.match(text, end))
        ):
            amount += Decimal(spoken.group("d")) * mult / 10
            end = spoken.end("d")
            why.append(f"spoken tenths '{spoken.group('d')}' after the scale")
        score = 0.95
        if scale and scale.lower() in _STRICT_SLANG and not _SLANG_END.match(fold(text[end : end + 16])):
            return None  # "giá 5 lít xăng": litres of something
        if not (pre or cur):
            if _NOT_MONEY_AFTER.match(text, end):
                return None
            score = self.scale_only_score
            cue = self._cues.find(text, m.start(), end)
            why.append("scale word without currency: VND assumed")
            if cue:
                score = min(0.95, score + 0.1)
                why.append(f"price cue '{cue}' nearby")
        why.append(f"currency {code}")
        if low is not None:
            return self._entity(text, m.start(), end, low * mult, code, score, "; ".join(why), high=amount)
        return self._entity(text, m.start(), end, amount, code, score, "; ".join(why))

    @staticmethod
    def _resolution(text: str, m: re.Match[str]) -> bool:
        """ "4K" after a display word (or before "Hz"/"inch"/"UHD"): a resolution."""
        if m.group("num") not in _RESOLUTIONS:
            return False
        return bool(
            _DISPLAY_BEFORE.search(text, max(0, m.start() - 25), m.start())
            or _DISPLAY_AFTER.match(text, m.end())
        )

    def _from_words(
        self, text: str, folded: str, m: re.Match[str], *, cue_free: bool = False
    ) -> Entity | None:
        """An amount in number words before a scale word; the words are checked as spelled in ``text``.

        ``cue_free``: part of a longer amount whose other part has the cue or currency."""
        scale_s = text[m.start("scale") : m.end("scale")].lower()
        mult = _WORD_SCALES.get(scale_s)
        if mult is None or _NOT_SCALE_AFTER.match(folded, m.end("scale")):
            return None  # "hai tý" (a little), "nửa củ khoai" (half a tuber)
        spans = [(w.start(), w.end()) for w in _WORD_TOKEN.finditer(text, m.start("words"), m.start("scale"))]
        if not spans:
            return None
        start = spans[0][0]
        digit = None
        if text[start : spans[0][1]].lower() in ("nửa", "nua"):
            if len(spans) != 1 or mult < 1_000_000 or m.group("half"):
                return None  # "nửa triệu", "nửa củ", "nửa tỷ"; not "nửa nghìn"
            amount = mult // 2
        else:
            words = accent_number_words([text[a:b] for a, b in spans])
            if words is None:
                return None  # "tâm", "từ": other words with the same letters
            value: int | None = None
            while words:  # "tu hai trieu" (từ: from): drop a leading word that does not belong to the number
                value = parse_number_words(" ".join(words))
                if value is not None and words[0] in ("trăm", "chục"):
                    # "3 trăm nghìn", "2 trăm k", "5 chục nghìn": a digit before a bare hundred or ten; alone or
                    # after "vài"/"mấy" it is vague
                    d = _DIGIT_BEFORE.search(text, max(0, spans[0][0] - 3), spans[0][0])
                    if d is None or _VAGUE_BEFORE.search(folded, max(0, spans[0][0] - 8), spans[0][0]):
                        return None
                    value, digit = value * int(d.group(1)), d.start(1)
                if value is not None:
                    break
                words, spans = words[1:], spans[1:]
            if not value or (value == 1 and scale_s in ("ti", "ty")):
                return None  # "mot ti" without marks is "một tí" (a little) as often as a billion
            start = spans[0][0] if digit is None else digit
            amount = value * mult + (mult // 2 if m.group("half") else 0)
            if len(spans) == 1 and digit is None and text[start].isupper() and mid_sentence(text, start):
                return None  # "gặp Ba triệu": a capitalised word inside a sentence is a name
        end = m.end()
        cur_m = _CUR_AFTER.match(text, end)
        cur = cur_m.group("cur") if cur_m else None
        if cur_m is not None:
            end = cur_m.end()
        code = CURRENCIES[cur.lower()] if cur else "VND"
        why = ["number written in words"]
        score = 0.9 if cur else self.scale_only_score - 0.1
        if not cur:
            if _NOT_MONEY_AFTER.match(text, end):
                return None
            # "5 trăm nghìn" starts with a digit as "500 nghìn" does, and "k" is money's own scale word ("hai trăm
            # k"): neither asks for a cue; "hai triệu" alone is as likely people as đồng, and "hai k" may be "hai
            # không?" (two, or not?) in chat
            cue_free = cue_free or digit is not None or (scale_s == "k" and amount >= 10_000)
            cue = None if cue_free else self._cues.find(text, start, end)
            if cue is None and not cue_free:
                return None
            if cue is not None:
                why.append(f"price cue '{cue}' nearby; VND assumed")
                score += 0.1
        return self._entity(text, start, end, Decimal(amount), code, score, "; ".join(why))

    def _entity(
        self,
        text: str,
        start: int,
        end: int,
        amount: Decimal,
        code: str,
        score: float,
        why: str,
        high: Decimal | None = None,
    ) -> Entity:
        scale = 10 ** MINOR_DIGITS[code]
        value: dict[str, Any] = {"amount": int((amount * scale).to_integral_value()), "currency": code}
        if high is not None:  # "8-10 triệu": amount is the low end, max_amount the high end
            value["max_amount"] = int((high * scale).to_integral_value())
        return make_entity(
            self, text, start, end, label=self.label, value=value, score=score, explanation=f"MONEY: {why}"
        )  # fmt: skip


def _karat(text: str, m: re.Match[str]) -> bool:
    """ "vàng 18k", "nhẫn 14K", "18k vàng": a karat figure next to a jewellery or gold word."""
    if m.group("num") not in _KARATS:
        return False
    return bool(
        _GOLD_BEFORE.search(fold(text[max(0, m.start() - 30) : m.start()]))
        or _GOLD_AFTER.match(text, m.end())
    )


def _bare_cue(folded: str, pos: int) -> str | None:
    """The price cue (folded) that ends right before ``pos``, maybe followed by a linking word and ":"."""
    lo = max(0, pos - 28)
    if folded[lo:pos].rstrip(" :").rpartition(" ")[2] not in _BARE_LAST:
        return None  # the word right before is neither a cue's last word nor a linking word (most numbers)
    words = folded[lo:pos].replace(":", " ").split()
    if lo:
        words = words[1:]  # the first word may be cut
    for _ in range(2):  # "ship hết tầm 30.000": at most two linking words
        if words and words[-1] in _BARE_LINKS:
            words.pop()
    for n in (3, 2, 1):
        if len(words) >= n and (phrase := " ".join(words[-n:])) in _BARE_CUES:
            return phrase
    return None


def _bare_d_amount(m: re.Match[str]) -> bool:
    """The amount before a bare "d" looks like đồng: no prefix or scale word, grouped thousands or a round run."""
    if m.group("pre") or m.group("scale") or _BARE_D_NUM.fullmatch(m.group("num")) is None:
        return False
    lo = m.group("lo")
    return lo is None or _BARE_D_NUM.fullmatch(lo) is not None or _shared_thousands(lo, m.group("num")) > 1


def _shared_thousands(lo: str, hi: str) -> int:
    """The factor a range's low end shares with its high end when only the high end is written whole:
    "100-200.000" (1,000), "1-2.000.000" (1,000,000); 1 when the low end is written whole, the high end is not
    grouped in thousands, or the low end is larger than its first group ("300-200.000" is left as it reads).
    A decimal low end is read so too: "1,5-2.000.000" is 1.5 to 2 million."""
    m = _GROUPED.fullmatch(hi)
    if m is None:
        return 1
    mark = m.group(2)
    whole, _, frac = lo.partition("," if mark == "." else ".")
    if (
        not whole.isdigit()
        or (frac and not (frac.isdigit() and len(frac) <= 2))
        or int(whole) > int(m.group(1))
    ):
        return 1
    return 1000 ** hi.count(mark)


def _currency(pre: str | None, cur: str | None) -> str | None:
    codes = {"VND" if s in "dD" else CURRENCIES[s.lower()] for s in (pre, cur) if s}
    if len(codes) > 1:
        return None  # "$20 đ": contradictory
    return codes.pop() if codes else "VND"


RECOGNIZERS: dict[str, type] = {"money": MoneyRecognizer}
