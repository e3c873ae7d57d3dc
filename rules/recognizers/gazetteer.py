"""Gazetteer recognizers: Vietnamese administrative units (LOCATION) and a generic list recognizer from YAML.

Both match with :class:`vner.rules.recognizers.gazetteer_match.Matcher` (one Aho-Corasick automaton over a folded copy
of the text, word boundaries, leftmost-longest, diacritics checked against the surface). The value is the
canonical name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import regex

from ..entity import Entity
from ..lang.vi.cues import AFTER_LY, ALLEY_WORDS, STREET_WORDS
from ..lang.vi.places import Place, load_countries, load_places
from ..recognizer import RuleContext, source_of
from .gazetteer_match import (
    DATA_DIR,
    GazEntry,
    Hit,
    Matcher,
    as_score,
    capitalised,
    check_keys,
    fold,
    load_yaml,
    parse_entries,
    tone_key,
)
from .measure import CLASSIFIERS, UNITS


class GazetteerRecognizer:
    """A list of names for one label (SPECIES, SYMPTOM_AND_DISEASE, PRODUCT...), given inline or as a YAML file."""

    name = "gazetteer"
    version = "v1"
    _KEYS = {"label", "entries", "entries_file", "diacritic_insensitive", "score"}

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = dict(config or {})
        check_keys(cfg, self._KEYS)
        label = cfg.get("label")
        if not isinstance(label, str) or not label.isupper():
            raise ValueError(f"label: must be an UPPER_CASE label name, got {label!r}")
        self.label = label
        self.labels: tuple[str, ...] = (label,)
        pairs: list[tuple[str, GazEntry]] = []
        if "entries" in cfg:
            pairs.extend(parse_entries(cfg["entries"], "entries"))
        if "entries_file" in cfg:
            data = load_yaml(str(cfg["entries_file"]))
            raw = data.get("entries") if isinstance(data, Mapping) else data
            pairs.extend(parse_entries(raw, f"entries_file({cfg['entries_file']}).entries"))
        if not pairs:
            raise ValueError("entries: give a non-empty 'entries' list or an 'entries_file'")
        self._score = as_score(cfg.get("score", 0.85), "score")
        self._matcher = Matcher(pairs, diacritic_insensitive=bool(cfg.get("diacritic_insensitive", True)))

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every listed name found on word boundaries."""
        del ctx
        out = []
        for h in self._matcher.find(text, fold(text)):
            surface = text[h.start : h.end]
            if h.entry.needs and not capitalised(surface):
                continue
            why = "gazetteer " + ("exact" if h.exact else "without diacritics")
            out.append(
                Entity(
                    start=h.start,
                    end=h.end,
                    label=self.label,
                    text=surface,
                    value=h.entry.canonical,
                    source=source_of(self),
                    score=self._score if h.exact else round(self._score * 0.95, 4),
                    explanation=why + (f"; {h.entry.note}" if h.entry.note else ""),
                )
            )
        return out


_PREFIX_RX = regex.compile(
    r"(?<![\w.])(tinh|thanh pho|tp\.?|t\.p\.?|quan|q\.|huyen|h\.|thi xa|tx\.?|phuong|p\.|xa|thi tran|tt\.?|dac khu)\s?$"
)
_PREFIX_WORDS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "quan": "quận",
    "huyen": "huyện",
    "thi xa": "thị xã",
    "phuong": "phường",
    "xa": "xã",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
}
_DIGIT_RX = regex.compile(r"\d")
# (chat's bare "p": "p ben thanh", only before a ward name of two words or more)
_WARD_PREFIX_RX = regex.compile(r"(?<![\w.])(phuong|p\.|p(?= )|xa|dac khu|thi tran|tt\.)\s?(?=\w)")
_NUMBERED_RX = regex.compile(r"(?<![\w.])(quan|q\.|phuong|p\.)\s?(\d{1,2})(?!\w)")
# chat's "p2 q5" / "q1 tphcm": a bare "p"/"q" only next to another part of an address ("q1" alone is also a
# quarter, "p2" a part)
_GLUED_NUMBERED_RX = regex.compile(
    r"(?<![\w.])(?:(p)\s?(\d{1,2})[\s,]+(q)\s?(\d{1,2})"
    r"|(q)\s?(\d{1,2})(?=[\s,]+(?:tp\.?\s?hcm|tphcm|hcm|sg|sai\sgon|ho\schi\sminh)(?!\w)))(?!\w)"
)
_NUMBERED_AFTER_STREET = re.compile(r",? ?([pq]) ?(\d{1,2})(?![\w.,/-])")
_GLUED_AFTER_PLACE = re.compile(r",? ?([pq])(\d{1,2})(?![\w.,/-])")  # written together: "p 2 người" is people
_LIST_GOES_ON = re.compile(r" ?(?:[,.;!?)\n-]|$)")
_PQ_DIGIT = re.compile(r"[pq] ?\d")  # a cheap test before the pattern above
# "45 Lê Lợi, Q1", "Trần Phú, P5": an upper-case "P"/"Q" and its number after a capitalised name and a comma
_AFTER_NAME_NUMBERED_RX = regex.compile(r"(?<=\p{Lu}[\p{Ll}\p{M}]*,\s?)([PQ])(\d{1,2})(?![\p{L}\p{N}])")
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]*"
# more capitalised words right after a known name ("Láng" + " Thượng"), not the prefix of the next unit
_NAME_GOES_ON = regex.compile(
    r"(?:\s(?!(?:Quận|Huyện|Tỉnh|Thành|Thị|Phường|Xã|TP|Tp|Q|P|Và|Hoặc|Của|Tại|Ở|Giáp)(?![\p{L}\p{M}]))"
    rf"{_NAME_WORD}){{1,2}}(?![\p{{L}}\p{{M}}])"
)
# a cheap test on folded text before the two patterns below: one of their prefix words occurs somewhere
_PREFIX_WORD_IN = re.compile(
    r"tinh|thanh pho|quan|huyen|thi xa|phuong|xa|thi tran|thon|ap|tp|cang|san bay|ben xe|toa nha|chung cu|"
    r"khu cong nghiep|khu do thi|kcn|kdt|cua khau|ban dao|vinh"
)
_PREFIXED_RX = regex.compile(
    r"(?<!\w)((?i:tỉnh|thành phố|quận|huyện|thị xã|phường|xã|thị trấn|thôn|ấp|tp\.?))\s"
    rf"({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})(?!\w)"
)
# a street address with its house number: "25 đường Nguyễn Trãi", "số 5 ngõ 3 phố Huế", "123/4 hẻm Lê Văn Sỹ",
# "12B ngách 34/5 Hoàng Hoa Thám"; the street's name is capitalised (chat's lower-case streets need a place
# after them and are grown by post-processing's span rebuild)
_HOUSE = r"\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*"
_ALLEY = f"(?i:{'|'.join(sorted({*ALLEY_WORDS, *(fold(w) for w in ALLEY_WORDS)}))})"
_STREET_TYPE = f"(?i:{'|'.join(sorted({*STREET_WORDS, *(fold(w) for w in STREET_WORDS)}))})"
# a numbered street after its street word: "đường số 3" (Hồ Chí Minh City's new quarters), "đường 3/2", "đường 30/4",
# "đường 3 tháng 2", "phố 8 tháng 3"
_NUMBERED_NAME = (
    r"(?<=(?<![\w/])(?i:đường|duong|phố|pho)\s)(?:(?i:số|so)\s\d{1,3}[A-Z]?|[1-3]?\d(?:/|\s(?i:tháng|thang)\s)1?\d)"
    r"(?![\w/.,]\w)"
)
_STREET_RX = regex.compile(
    rf"(?<![\w/.,])(?:(?:(?i:số|so)|{_ALLEY})\s)?{_HOUSE}\s(?:(?:{_ALLEY}\s{_HOUSE}\s)+(?:{_STREET_TYPE}\s)?|{_STREET_TYPE}\s)"
    rf"({_NUMBERED_NAME}|{_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})(?!\w)"
)
# the Cách Mạng Tháng Tám street of many cities, with its month in digits or chat's "CMT8", after a house number
# (folded text): "285 Cách Mạng Tháng 8", "12 đường cmt8"
_CMT8_RX = re.compile(
    r"(?<![\w/.,])(?:(?:so|ngo|ngach|hem|kiet)\s)?\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)*\s(?:(?:duong|pho)\s)?"
    r"(?P<name>cach\smang\sthang\s(?:8|tam)|cmt\s?8)(?![\w/])"
)
# "số 12 Lê Lợi": no street word, so only after an address cue or before another part of the address
_NUMBERED_STREET_RX = regex.compile(
    rf"(?<![\w/.,])(?i:số|so)\s{_HOUSE}\s({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})(?!\w)"
)
# where a street address may be: a street word in the folded text (stdlib re, one cheap scan), then a house
# number up to 30 characters before it ("12B ngách 34/5 ..." is matched from its first digit)
_STREET_WORD_AT = re.compile(f"(?:{'|'.join(fold(w) for w in STREET_WORDS)}|so) ")
_HOUSE_START = re.compile(r"(?<![\w/.,])(?:so |(?:ngo|ngach|hem|kiet) )?\d")
# what makes "25 đường X" an address and not "2 đường Ray" (two roads): "số", a house number only addresses
# have ("12B", "45/2"), an alley before the street or before the number ("hẻm 12 đường số 5"), a cue before it, or another part of the address after it
_STRONG_HOUSE = regex.compile(rf"(?i:số|so)\s|\d[A-Za-z/]|\d\s{_ALLEY}\s\d|{_ALLEY}\s\d")
_STREET_CUE = regex.compile(
    r"(?<![\w/])(?:ve|o|toi|den|tai|giao|ship|gui|dia chi|d/?c|nha(?: (?:em|minh|toi|anh|chi|tui|tao))?)"
    r"\s?[:.]?\s$"
)
# chat's street without a street word, right after an address cue: "dia chi: 12 nguyen trai", "giao ve 45 tran
# hung dao q1", "địa chỉ e là 120 hoàng văn thụ", "ship về 12 ngõ 5 láng hạ" (folded text; the name is checked
# word by word below)
_HOUSE_AND_NAME = (
    r"(?P<house>(?:so |(?:ngo|ngach|hem|kiet) )?\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)*"
    r"(?: (?:ngo|ngach|hem|kiet) \d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)*)*)"
    r" (?P<name>[a-z]+(?: [a-z]+){0,5})(?![\w/.])"
)
# (the standard library engine: about 1.5 times faster than ``regex`` on this cue alternation, same matches)
_CUED_STREET_RX = re.compile(
    r"(?<![\w/])(?:(?P<named>dia chi(?: (?:nhan|giao) hang)?|d/?c)"
    r"|(?:giao|ship|gui|chuyen|mang)(?: hang)? (?:ve|toi|den|ra|vao|o|tai)"
    # "em ở 25 Nguyễn Trãi", "nhà mình ở 12 ngõ 5 láng hạ": where someone lives
    r"|(?:nha (?:cua )?(?:em|e|minh|toi|tui|anh|chi)|em|e|minh|toi|tui|nha)(?: dang| hien)? o)"
    r"(?: (?:cua )?(?:em|e|minh|toi|anh|chi|a|c|tui))?(?: la)?\s?:?\s" + _HOUSE_AND_NAME
)
# "hẹn 14h ở 123 lê lợi", "gặp tại 45 trần phú": after a bare "ở"/"tại" the street must be named after a person
# (a common family name first: "tại 12 cửa hàng", "ở 15 chi nhánh" are counts) or be capitalised
_AT_STREET_RX = re.compile(r"(?<![\w/])(?:o|tai) (?P<named>)" + _HOUSE_AND_NAME)
_AT_HOUSE = re.compile(
    r"(?:o|tai) (?:so |ngo |ngach |hem |kiet )?\d"
)  # a cheap test first: "o " is in most texts
_FAMILY_NAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh doan trinh truong lam mai cao "
    "ha ton quang luong thai kim chu hong dao la".split()
)
# a house number that names its alley is its own cue: "số 5 ngõ 68 cầu giấy", "nhà số 12 ngõ 5 láng hạ" (its
# "named" group is always empty: _cued_streets reads that group of every cued match)
_ALLEY_HOUSE_RX = re.compile(
    r"(?<![\w/.,:+-])(?P<named>)(?=(?:so )?(?:\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)* )?(?:ngo|ngach|hem|kiet) \d)"
    + _HOUSE_AND_NAME
)
# the same without a cue, kept only when a ward or district follows the name: "12 nguyen trai p ben thanh q1",
# "45 le loi, phuong 3"
_HOUSE_STREET_RX = regex.compile(r"(?<![\w/.,:+-])" + _HOUSE_AND_NAME)
# a nationality, a language or a make, not the place: "người Mỹ", "quốc tịch Anh", "tiếng Nhật", "hàng Nhật"
_NATIONALITY_BEFORE = frozenset(
    "nguoi;quoc tich;cong dan;du khach;chuyen gia;dai su;kieu bao;phi cong;tieng;hang;xe;do;kieu;mon;doi tuyen;"
    "viet kieu;dan;giong;chinh phu".split(";")
)
# the words a one-word country name must follow: "từ Nga về", "ở Đức", "sang Mỹ", "nước Anh", "cạnh Lào",
# "xuất cảnh/nhập cảnh Nhật" (folded "canh")
_COUNTRY_PREPS = frozenset("tu o tai sang den toi ve nuoc ben qua khoi vao canh".split())
_ORG_BEFORE = regex.compile(
    r"(?i:ngân hàng|công ty|tập đoàn|bệnh viện|trường|đại học|học viện|hãng|hàng không|viện|bộ|sở|ủy ban|"
    r"uỷ ban|quỹ|hội|liên đoàn|đài|báo|đại sứ quán|lãnh sự quán|thông tấn xã)"
    r"(?:\s+\p{Lu}\S*(?:\s+(?!(?i:ở|tại|từ|đến|tới|về|sang|và|của|cho|với)\s)\S+){0,4})?\s+$"
)
_NEXT_WORD_RX = regex.compile(r"[\s-]+(\w+)")
_COUNT_VERBS = frozenset(
    "mua lay dat con them ban tang co can order oder gom het khoang tam hon gan duoi tren".split()
)
# a comma and a space between two parts of an address
_COMMA_GAP = re.compile(r" ?, ?")
_UNIT_NEXT = re.compile(r",? ?(?:phuong|quan|huyen|thi xa|xa|thanh pho|tp|tx|p|q)(?![a-z])")
# a word a street's name does not hold: a particle, pronoun or link word ends it ("45 tran hung dao nha shop"), as
# does a unit of an address ("p ben thanh"; "quận 1" and the like are found first and end it too); a count, time
# or money word first (_NOT_HOUSE_BEFORE) means the number was no house number
_STOP_SPELLED = frozenset(
    "nha nhà nhé nhe nhen nè ne à ạ á a ah shop sh giúp em e ê tôi tới tối tui với vội luôn nhanh gấp gặp đi hẹn"
    " hen vậy rồi chưa được đc dc ko k không và hoặc sđt số đt lh tên cho của là trong ngoài gần cạnh đối đợi sau"
    " trước tầng p q xã tp thôn ấp khu giao ship gửi mang chuyển".split()
)
_NOT_STREET_WORDS = frozenset(fold(w) for w in _STOP_SPELLED)


def _written_as(word: str, folded: str, spelled: frozenset[str], folded_set: frozenset[str]) -> bool:
    """``word`` (as written; ``folded`` its folded form) is one of ``spelled`` (``folded_set``: their folded
    forms), spelled so or written without diacritics: "trong" and "ly" are the stop word and the cup, "trọng"
    ("45 lý tự trọng") and "lý" ("12 lý thường kiệt") are a street's syllables."""
    return folded in folded_set and ((low := word.lower()) == folded or low in spelled)


_WORD_RX = re.compile(r"[a-z]+")
# a house number shaped like a day and a month, then a word that goes on with a clause rather than a street
_DAY_MONTH = re.compile(r"(?:[1-9]|[12]\d|3[01])/(?:[1-9]|1[0-2])")
_AFTER_A_DATE = frozenset(
    "moi nhan lay giao ship xong het kip thi ma la co bi da dang se cung lai ra ve den toi dc duoc nhe nha".split()
)
_STREET_FOLDED = frozenset(fold(w) for w in STREET_WORDS)
_COUNT_WORDS = frozenset(
    {*CLASSIFIERS, *UNITS}
    | set(
        "ngày tháng năm giờ phút giây tiếng tuần buổi lần triệu tr nghìn ngàn trăm tỷ tỉ đồng củ k đ đt số đơn"
        " người sp món bàn".split()
    )
)
_NOT_HOUSE_BEFORE = frozenset(fold(w) for w in _COUNT_WORDS)
_STREET_NEXT = regex.compile(r"\s?[,-]\s?\p{Lu}|,?\s(?i:p\.|q\.|phường|quận|huyện|xã|tp\.?|tỉnh)")
# a named port, airport, coach station, building, industrial park, border gate, peninsula or bay: "Cảng Sao Mai",
# "tòa nhà Avalon", "cửa khẩu Mộc Bài", chat's "chung cu Sunrise City" (the one-word types only with diacritics:
# "cang"/"vinh" are also "càng"/"Vinh") (national parks and reserves are organisations in rare_wildlife) (a second
# pattern, run only when a folded place-type word occurs: one long alternation would slow every message)
_PLACE_TYPES = (
    "cang",
    "san bay",
    "ben xe",
    "toa nha",
    "chung cu",
    "khu cong nghiep",
    "khu do thi",
    "kcn",
    "kdt",
    "cua khau",
    "ban dao",
    "vinh",
)
_PLACE_TYPE_RX = regex.compile(
    r"(?<!\w)((?i:cảng|sân bay|bến xe|tòa nhà|toà nhà|chung cư|khu công nghiệp|khu đô thị|kcn|kđt|cửa khẩu|"
    r"bán đảo|vịnh|san bay|ben xe|toa nha|chung cu|khu cong nghiep|khu do thi|kdt|cua khau|ban dao))\s"
    rf"({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})(?!\w)"
)


# a numbered highway: "quốc lộ 1A", "QL1A", "tỉnh lộ 10", "đường tỉnh 741" ("ql" in lower case is chat's "quản lý")
_ROAD_RX = regex.compile(
    r"(?<![\p{L}\p{N}])(?:(?i:quốc lộ|quoc lo|tỉnh lộ|tinh lo|đường tỉnh|duong tinh)\s?|QL\.?\s?)(\d{1,3}[A-Z]?)(?![\p{L}\p{N}])"
)


def _street_matches(text: str, folded: str) -> list[tuple[regex.Match[str], bool]]:
    """Street addresses (``_STREET_RX``, typed) and "số 12 Lê Lợi" (``_NUMBERED_STREET_RX``), leftmost first
    and not overlapping, each tried only at a house number shortly before a street word."""
    out: list[tuple[regex.Match[str], bool]] = []
    end = 0
    for w in _STREET_WORD_AT.finditer(folded):
        p = w.start()
        if p < end or (p and folded[p - 1].isalnum()):
            continue
        for h in _HOUSE_START.finditer(folded, max(end, p - 30), p + 4):
            m = _STREET_RX.match(text, h.start())
            typed = m is not None
            if m is None and folded.startswith("so ", h.start()):
                m = _NUMBERED_STREET_RX.match(text, h.start())
            if m is not None and m.end() > p:
                out.append((m, typed))
                end = m.end()
                break
    return out


def _longer_name(
    text: str, end: int, known: str, known_surface: str, starts: Iterable[int]
) -> tuple[int, str] | None:
    """Where a prefixed name goes on past the known one it starts with ("phường Láng Thượng", "xã Tân Phú Đông":
    units the 2025 data no longer lists), and why; ``None`` when it stops there. It stops before a place already
    found ("phường Láng Thượng Hà Nội") and before the prefix of the next unit ("phường Bến Nghé Quận 1")."""
    if not any(c.islower() for c in known_surface):  # "TP. HCM Lê Thanh Liêm": an acronym is the whole name
        return None
    limit = min((s for s in starts if s >= end), default=len(text))
    more = _NAME_GOES_ON.match(text, end, limit)
    if more is None:
        return None
    return more.end(), f"prefix + capitalised name, longer than the known unit {known!r}"


def _prefix_ok(surface: str, folded: str) -> bool:
    canon = _PREFIX_WORDS.get(folded.rstrip(". "))
    if canon is None:  # an abbreviation: tp., q., h., p., tx., tt.
        return True
    if tone_key(surface) == tone_key(canon):
        return True
    return canon != "xã" and fold(surface) == surface.lower()  # "xa" without diacritics is "far"


def _ward_pairs(wards: Iterable[Place], taken: set[str]) -> list[tuple[str, GazEntry]]:
    """Wards, communes and special zones (after a prefix only), one entry per name; a name that is also a
    province or district is left to that entry."""
    provinces: dict[str, dict[str, None]] = {}
    kinds: dict[str, str] = {}
    for w in sorted(wards, key=lambda w: w.status != "current"):  # a name in use today says so
        if fold(w.name) not in taken:
            provinces.setdefault(w.name, {})[w.province] = None
            kinds.setdefault(w.name, w.kind if w.status == "current" else f"former {w.kind}")
    return [
        (
            name,
            GazEntry(
                canonical=name,
                needs="prefix",
                note=f"{kinds[name]} {'before' if kinds[name].startswith('former') else 'since'} 2025-07-01"
                f" in {', '.join(provs)}",
            ),
        )
        for name, provs in provinces.items()
    ]


def _after_comma(text: str, pos: int) -> bool:
    """Whether a comma, maybe then spaces, ends ``text[:pos]``."""
    while pos and text[pos - 1] == " ":
        pos -= 1
    return text[pos - 1 : pos] == ","


# a house number and a street's name, then the comma that ends them: "123 nguyen trai, " (folded text)
_HOUSE_ITEM_BEFORE = re.compile(r"(?<![\w/.,])\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)* [a-z]+(?: [a-z]+){1,4} ?, ?$")


def _house_item_before(folded: str, pos: int) -> bool:
    """Whether the address list's item before ``pos`` is a house number and a street ("123 nguyen trai, ")."""
    return _HOUSE_ITEM_BEFORE.search(folded, max(0, pos - 48), pos) is not None


# the words after which chat's lower-case "hn", "sg" is a city ("ở hn", "tại hn"), not "hôm nay" (today)
_SHORT_FORM_AFTER = frozenset("o tai".split())
# or after a verb of sending or going and its direction: "giao về hn", "ship ra hn", "bay vào sg" ("hàng mới ra
# hn", "tính đến hn": "hn" is "hôm nay" after the direction alone)
_SHORT_FORM_DIRECTIONS = frozenset("ve ra vao den toi".split())
_SHORT_FORM_GOING = frozenset("giao ship gui chuyen mang bay di".split())


def _short_form_placed(text: str, folded: str, start: int, end: int, found: list[Entity]) -> bool:
    """Whether a city's short form written in lower case ("hn", "sg", "đn") is placed as a city: right after a
    place found ("đống đa hn", "cầu giấy, hn") or after "ở"/"tại" ("e ở hn")."""
    if end - start > 3 or " " in text[start:end]:
        return False  # a common word that needs its capital ("hòa bình" = peace)
    gap = start
    while gap and folded[gap - 1] in " ,-":
        gap -= 1
    if gap < start and any(e.end == gap for e in found):
        return True
    if start == 0 or folded[start - 1] != " ":
        return False
    before = folded[max(0, start - 16) : start].split()
    if before and before[-1] in _SHORT_FORM_AFTER:
        return True
    return len(before) > 1 and before[-1] in _SHORT_FORM_DIRECTIONS and before[-2] in _SHORT_FORM_GOING


# a numbered unit below the ward: "thôn 3", "ấp 4", "xóm 2", "khóm 5", "khu phố 2" / "kp2", "tổ 5", "tổ dân phố 3"
_HAMLET_NAMES = {
    "to dan pho": "Tổ dân phố", "tdp": "Tổ dân phố", "khu pho": "Khu phố", "kp": "Khu phố", "thon": "Thôn",
    "ap": "Ấp", "xom": "Xóm", "khom": "Khóm", "to": "Tổ",
}  # fmt: skip
_HAMLET_WORDS = "|".join(sorted(_HAMLET_NAMES, key=len, reverse=True))  # "to dan pho" before "to"
_HAMLET_RX = re.compile(rf"(?<![\w./])({_HAMLET_WORDS})\.? ?(\d{{1,3}}[a-z]?)(?![\w/]|[.,]\d)")
# a cheap test first (every hamlet word ends in one of these), about a third of the pattern's scan
_HAMLET_AT = re.compile(r"(?:to|kp|thon|ap|xom|khom|tdp|pho)\.? ?\d")
# spelled so, a unit on its own ("ấp" also hatches eggs: "ấp 3 trứng" needs what a hamlet needs below)
_HAMLET_ALONE = frozenset({"thôn", "xóm", "khóm", "khu phố", "tổ dân phố"})
# what else makes "tổ 5" (also a work team), "kp 2", "thon 3" a hamlet: another unit of the address after it...
_UNIT_AFTER_HAMLET = re.compile(
    rf" ?[,-]? ?(?:{_HAMLET_WORDS}|phuong|p\.?|xa|thi tran|quan|huyen|q\.?|tp|thanh pho|tinh)(?![a-z])"
)
# ... or the end of the text or of its clause after it, after an address cue before it ("ở tổ 5.", "đc: kp 2")
_HAMLET_END = re.compile(r" ?(?:[.;)]|$)")


def _starts_entity(out: list[Entity], folded: str, pos: int) -> bool:
    """Whether a found place starts at ``pos``, maybe after a comma and a space."""
    while pos < len(folded) and folded[pos] in ", ":
        pos += 1
    return any(e.start == pos for e in out)


class LocationRecognizer:
    """Vietnamese provinces, cities, districts and wards, pre- and post-2025, with administrative prefixes.

    Names come from :func:`vner.rules.lang.vi.places.load_places` (PyPI ``vietnam-provinces`` plus
    ``vn_admin.yaml``), the data the post-processing span rebuild reads too.
    """

    name = "location"
    version = "v1"
    labels: tuple[str, ...] = ("LOCATION",)
    _KEYS = {
        "entries_file",
        "diacritic_insensitive",
        "include_former",
        "include_districts",
        "include_wards",
        "numbered",
        "prefixed_names",
        "streets",
        "countries",
    }

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = dict(config or {})
        check_keys(cfg, self._KEYS)
        path = cfg.get("entries_file")
        if path is not None and not Path(str(path)).is_absolute():
            path = DATA_DIR / str(path)
        places = load_places(None if path is None else str(path))
        pairs: list[tuple[str, GazEntry]] = []
        for p in places.provinces:
            if p.status == "former":
                if not cfg.get("include_former", True):
                    continue
                note = f"former {p.kind}, merged into {p.province} on 2025-07-01"
            else:
                note = f"{p.kind}, one of the 34 units since 2025-07-01"
            pairs.extend((s, GazEntry(canonical=p.name, needs=p.needs, note=note)) for s in p.surfaces)
        if cfg.get("include_districts", True):
            for p in places.districts:
                note = f"district or town in today's {p.province}"
                pairs.extend((s, GazEntry(canonical=p.name, needs=p.needs, note=note)) for s in p.surfaces)
        insensitive = bool(cfg.get("diacritic_insensitive", True))
        self._matcher = Matcher(pairs, diacritic_insensitive=insensitive)
        self._provinces = frozenset(p.name for p in places.provinces)
        # wards only ever follow their prefix: a second matcher, run on the few words after one (fast on chat)
        wards = (
            # (a district read only after its prefix is a ward's name too: "Thiệu Duy, Thiệu Hoá, Thanh Hoá")
            _ward_pairs(
                (w for w in places.wards if w.status == "current" or cfg.get("include_former", True)),
                {fold(s) for s, e in pairs if e.needs != "prefix"},
            )
            if cfg.get("include_wards", True)
            else []
        )
        self._wards = Matcher(wards, diacritic_insensitive=insensitive) if wards else None
        self._numbered = bool(cfg.get("numbered", True))
        self._prefixed = bool(cfg.get("prefixed_names", True))
        self._streets = bool(cfg.get("streets", True))
        self._countries = (
            Matcher(
                [
                    (s, GazEntry(canonical=c.name, note=f"country or territory {c.province} (CLDR)"))
                    for c in load_countries()
                    for s in c.surfaces
                ],
                diacritic_insensitive=insensitive,
            )
            if cfg.get("countries", True)
            else None
        )

    def _country_entities(self, text: str, folded: str, out: list[Entity]) -> list[Entity]:
        """Countries and territories: not a nationality ("người Mỹ", "quốc tịch Anh", "tiếng Nhật"), not part of
        a longer capitalised name ("Mỹ Đình", "Lào Cai"); a one-word name ("Nga", "Đức", "Anh": also people's
        names) only capitalised and right after a word of place or movement ("từ Nga về", "ở Đức")."""
        assert self._countries is not None
        found = []
        for h in self._countries.find(text, folded):
            if any(e.start < h.end and h.start < e.end for e in out):
                continue
            before = folded[max(0, h.start - 16) : h.start].split()
            if before and (before[-1] in _NATIONALITY_BEFORE or " ".join(before[-2:]) in _NATIONALITY_BEFORE):
                continue
            if _ORG_BEFORE.search(text, max(0, h.start - 60), h.start):
                continue  # "Ngân hàng Nông nghiệp Việt Nam", "Đại sứ quán Việt Nam": an organisation's name
            nxt = _NEXT_WORD_RX.match(text, h.end)
            if nxt is not None and nxt.group(1)[:1].isupper():
                continue  # "Mỹ Đình", "Lào Cai", "Nhật Tân": a longer name
            surface = text[h.start : h.end]
            if not h.exact and not (capitalised(surface) or (before and before[-1] in _COUNTRY_PREPS)):
                continue  # "5,8 trieu tien hang" is "triệu tiền", not "Triều Tiên"
            if " " not in surface.replace("-", " ") and not (
                h.exact
                and surface[:1].isupper()
                and before
                and before[-1] in _COUNTRY_PREPS
                and text[h.start - 1 - len(before[-1]) : h.start - 1].islower()
            ):
                continue
            why = ("gazetteer exact" if h.exact else "gazetteer without diacritics") + f"; {h.entry.note}"
            found.append(self._entity(h.start, h.end, text, h.entry.canonical, 0.8, why))
        return found

    def _prefix_start(self, text: str, folded: str, start: int) -> int | None:
        m = _PREFIX_RX.search(folded, max(0, start - 12), start)
        if m is None or not _prefix_ok(text[m.start(1) : m.end(1)], m.group(1)):
            return None
        return m.start(1)

    def _entity(self, start: int, end: int, text: str, value: str, score: float, why: str) -> Entity:
        return Entity(
            start=start,
            end=end,
            label="LOCATION",
            text=text[start:end],
            value=value,
            source=source_of(self),
            score=round(min(1.0, score), 4),
            explanation=why,
        )

    def _before_province(self, text: str, folded: str, hit: Hit, hits: Iterable[Hit]) -> bool:
        """A name that needs its prefix ("Hải Châu", also a person's name) written without one inside an address
        list: capitalised, after a comma, and right before ", " and a province or city ("45 Hoàng Diệu, Hải Châu,
        Đà Nẵng"); in chat written all in lower case, both lower case after a house number and a street ("123
        nguyen trai, thanh xuan, ha noi")."""
        written = text[hit.start : hit.end]
        lower = written.islower()
        if not (lower or (hit.exact and capitalised(written))) or not _after_comma(text, hit.start):
            return False
        if lower and not _house_item_before(folded, hit.start):
            return False  # "cảm ơn, hải châu, đà nẵng": lower case needs a street address before it
        after = _COMMA_GAP.match(folded, hit.end)
        return after is not None and any(
            h.start == after.end()
            and h.entry.canonical in self._provinces
            and (
                text[h.start : h.end].islower()
                if lower
                else h.entry.needs != "capital" or capitalised(text[h.start : h.end])
            )
            for h in hits
        )

    def _chained_wards(self, text: str, folded: str, out: list[Entity]) -> None:
        """A ward or commune named without "phường"/"xã" inside an address list: between a comma and ", " +
        a province or city found ("12 Lý Thường Kiệt, Cửa Nam, Hà Nội"; in lower-case chat, all lower case)."""
        assert self._wards is not None
        if not any(e.value in self._provinces for e in out):
            return  # the ward needs a province or city found after it (and wards are added only here)
        for m in _COMMA_GAP.finditer(folded):
            pos = m.end()
            if pos >= len(folded) or not text[pos].isalpha() or any(e.start <= pos < e.end for e in out):
                continue
            if text[pos].islower() and not (
                _house_item_before(folded, pos) or any(e.end == m.start() for e in out)
            ):
                continue  # "ok, cửa nam, hà nội": lower case needs a street address or a place before it
            hit = self._wards.match_at(text, folded, pos)
            if hit is None:
                continue
            lower = text[hit.start : hit.end].islower()  # chat written all in lower case, the province too
            if not (lower or (hit.exact and capitalised(text[hit.start : hit.end]))):
                continue
            after = _COMMA_GAP.match(folded, hit.end)
            if after is None or not any(
                e.start == after.end()
                and e.value in self._provinces
                and (not lower or text[e.start : e.end].islower())
                for e in out
            ):
                continue
            why = f"gazetteer exact; {hit.entry.note}; between commas before a province"
            out.append(self._entity(hit.start, hit.end, text, hit.entry.canonical, 0.8, why))

    def _ward_entities(self, text: str, folded: str, found: list[Entity]) -> list[Entity]:
        """Ward, commune and special-zone names right after "phường"/"xã"/"đặc khu"/"p." (with the prefix)."""
        assert self._wards is not None
        out = []
        for m in _WARD_PREFIX_RX.finditer(folded):
            if not _prefix_ok(text[m.start(1) : m.end(1)], m.group(1)):
                continue
            hit = self._wards.match_at(text, folded, m.end())
            if hit is None or any(e.start < hit.end and m.start() < e.end for e in found):
                continue
            if m.group(1) == "p" and " " not in folded[m.end() : hit.end]:
                continue
            why = ("gazetteer exact" if hit.exact else "gazetteer without diacritics") + f"; {hit.entry.note}"
            score = (0.9 if hit.exact else 0.85) + 0.05
            longer = (
                _longer_name(
                    text, hit.end, hit.entry.canonical, text[hit.start : hit.end], (e.start for e in found)
                )
                if hit.exact
                else None
            )
            if longer is not None:
                out.append(
                    self._entity(m.start(), longer[0], text, text[m.end() : longer[0]], 0.85, longer[1])
                )
                continue
            out.append(self._entity(m.start(), hit.end, text, hit.entry.canonical, score, why))
        return out

    def _hamlets(self, text: str, folded: str, out: list[Entity]) -> None:
        """Numbered units below the ward: "thôn 3", "xóm 2", "khu phố 2" stand alone; "tổ 5" (also a work team),
        "ấp 4" (also hatching), "kp 2" and the unaccented "thon 3" need another unit of the address right after
        them, or an address cue before them and the end of the clause after them."""
        for m in _HAMLET_RX.finditer(folded):
            start, end = m.start(), m.end()
            word = text[m.start(1) : m.end(1)].lower()
            if word not in _HAMLET_ALONE:
                if fold(word) != word and word not in ("tổ", "ấp"):
                    continue  # "tô 5" (bowls), "tờ 5" (sheets), "áp 3" (apply)
                if _UNIT_AFTER_HAMLET.match(folded, end) is None and not (
                    _STREET_CUE.search(folded, max(0, start - 12), start) and _HAMLET_END.match(folded, end)
                ):
                    continue
            if any(e.start < end and start < e.end for e in out):
                continue
            value = f"{_HAMLET_NAMES[m.group(1)]} {m.group(2).upper()}"
            out.append(self._entity(start, end, text, value, 0.85, "numbered unit below the ward"))

    def _glued_numbered(self, text: str, folded: str, out: list[Entity]) -> None:
        """ "p2 q5", "q1 tphcm", "Lê Lợi, Q1", "p. tân phú q7": numbered wards and districts written without "."
        next to another part."""
        found = [
            (m, [(g, m.start(g), m.end(g + 1)) for g in (1, 3, 5) if m.group(g)])
            for m in _GLUED_NUMBERED_RX.finditer(folded)
        ]
        if "Q" in text or "P" in text:
            found.extend((m, [(1, m.start(1), m.end(2))]) for m in _AFTER_NAME_NUMBERED_RX.finditer(text))
        for e in list(out):  # "p. tân phú q7", "phường bến nghé, q1": right after a unit found
            if (after := _GLUED_AFTER_PLACE.match(folded, e.end)) is not None:
                found.append((after, [(1, after.start(1), after.end(2))]))
        for m, parts in found:
            for g, start, end in parts:
                ward = m.group(g).lower() == "p"
                num = int(m.group(g + 1))
                if not 1 <= num <= (30 if ward else 12):
                    continue
                if any(e.start < end and start < e.end for e in out):
                    continue
                value = f"{'Phường' if ward else 'Quận'} {num}"
                why = "numbered district/ward written 'p2'/'q5' next to another part of the address"
                out.append(self._entity(start, end, text, value, 0.85, why))

    def _numbered_after(
        self,
        text: str,
        folded: str,
        end: int,
        out: list[Entity],
        rx: re.Pattern[str] = _NUMBERED_AFTER_STREET,
        after_what: str = "a street",
    ) -> None:
        """A bare "q1" / "p 2" (as ``rx`` allows) right after ``after_what`` found (ending at ``end``): a numbered
        district or ward."""
        after = rx.match(folded, end)
        if after is not None and not any(e.start < after.end() and after.start(1) < e.end for e in out):
            ward, num = after.group(1) == "p", int(after.group(2))
            if 1 <= num <= (30 if ward else 12):
                value = f"{'Phường' if ward else 'Quận'} {num}"
                why = f"numbered district/ward written 'p2'/'q5' right after {after_what}"
                out.append(self._entity(after.start(1), after.end(), text, value, 0.85, why))

    def _cmt8_streets(self, text: str, folded: str, out: list[Entity]) -> None:
        """ "285 Cách Mạng Tháng 8", "12 cmt8": the street named after the August Revolution (its month written in
        digits is no date, "CMT8" no code), replacing the places found inside it."""
        for m in _CMT8_RX.finditer(folded):
            start, end = m.span()
            if any(e.start < start < e.end or e.start < end < e.end for e in out):
                continue
            out[:] = [e for e in out if not (start <= e.start and e.end <= end)]
            why = "house number + the Cách Mạng Tháng Tám street"
            name = m.group("name")  # the street's name as written, chat's "cmt8" spelt out
            value = "Cách Mạng Tháng Tám" if name.startswith("cmt") else text[m.start("name") : end]
            out.append(self._entity(start, end, text, value, 0.85, why))
            self._numbered_after(text, folded, end, out)

    def _street_addresses(self, text: str, folded: str, out: list[Entity]) -> None:
        """House number + street ("số 5 ngõ 3 phố Huế"): a place name inside it is the street's ("Huế" there is
        a street in Hà Nội, not the city), so the street address replaces the hits it covers."""
        for m, typed in _street_matches(text, folded):  # leftmost first, none overlapping
            start, end = m.start(), m.end()
            if not (
                (typed and _STRONG_HOUSE.search(text, start, m.start(1)))
                or _STREET_CUE.search(folded, max(0, start - 12), start)
                or _STREET_NEXT.match(text, end)
            ):
                continue  # "mua 2 đường Ray": a count of roads, not an address
            if any(e.start < start < e.end or e.start < end < e.end for e in out):
                continue  # crosses a found place's edge: leave both to the span rebuild
            out[:] = [e for e in out if not (start <= e.start and e.end <= end)]
            why = f"house number + {'street type + ' if typed else ''}capitalised street name"
            out.append(self._entity(start, end, text, text[m.start(1) : end], 0.8, why))

    def _cued_streets(self, text: str, folded: str, out: list[Entity]) -> None:
        """A house number and a street name without a street word, right after an address cue ("dia chi: 12
        nguyen trai", "giao về 45 trần hưng đạo q1", "em ở 25 Nguyễn Trãi") or right before a ward or district
        found ("12 nguyen trai p ben thanh q1"): the name is two to four words, each lower-case or capitalised
        ("iPhone" is no street), and stops at a particle, a unit of the address or a place found. A place found
        right after the house number is the street's name ("giao tại 88 hai bà trưng q1")."""
        cued = list(_CUED_STREET_RX.finditer(folded))
        if _AT_HOUSE.search(folded) is not None:
            cued.extend(
                m
                for m in _AT_STREET_RX.finditer(folded)
                if m.group("name").partition(" ")[0] in _FAMILY_NAMES or text[m.start("name")].isupper()
            )
        if "ngo " in folded or "ngach " in folded or "hem " in folded or "kiet " in folded:
            cued.extend(_ALLEY_HOUSE_RX.finditer(folded))
        if any(  # a ward or district was found, or a place after a comma
            _UNIT_NEXT.match(folded, e.start) or _after_comma(folded, e.start) for e in out
        ):
            cued.extend(
                m
                for m in _HOUSE_STREET_RX.finditer(folded, overlapped=True)
                # a count after "mua 2 ...", "còn 12 ...": no house number
                if folded[: m.start()].rstrip().rpartition(" ")[2] not in _COUNT_VERBS
            )
        for m in cued:
            start = m.start("house")
            if any(e.start <= start < e.end for e in out):
                continue
            has_cue = m.re is _CUED_STREET_RX or m.re is _ALLEY_HOUSE_RX or m.re is _AT_STREET_RX
            house = m.group("house")
            # a count ("giao về 2 ly trà sữa", "2 lạng") unless "địa chỉ", "số 12", "12 ngõ 5" make it a house number
            plain = " " not in house and not (has_cue and m.group("named"))
            # "12 nguyen trai", not "2 ao thun"; "9h", "837k" are a time and an amount
            strong = (not plain or len(house) > 1) and (has_cue or house[-1] not in "hgkdpm")
            # the name may begin with a street word, then a place found ("ngõ 45 phố huế": phố Huế)
            name0 = m.start("name")
            lead = folded[name0 : name0 + 8].partition(" ")[0]
            after_lead = name0 + len(lead) + 1 if lead in _STREET_FOLDED else name0
            place = next((e for e in out if e.start in (name0, after_lead)), None)
            if place is not None and strong and not _UNIT_NEXT.match(folded, place.start):
                end, name_at = place.end, place.start  # a place's name used as the street's
                why = "house number + a place's name used as the street's"
            else:
                stop = min((e.start for e in out if e.start > start), default=len(text))
                words: list[tuple[int, int]] = []
                for w in _WORD_RX.finditer(folded, m.start("name"), m.end("name")):
                    if (
                        w.start() >= stop
                        or (
                            _written_as(
                                text[w.start() : w.end()], w.group(), _STOP_SPELLED, _NOT_STREET_WORDS
                            )
                            # "ly tu trong" is Lý Tự Trọng, not "Lý Tự" and "trong" (in)
                            and not (
                                len(words) == 2
                                and folded[slice(*words[0])] == "ly"
                                and folded[words[1][0] : w.end()] in AFTER_LY
                            )
                        )
                    ):
                        break
                    words.append(w.span())
                named = sum(
                    folded[a:b] not in _STREET_FOLDED for a, b in words
                )  # "duong le loi": 2 name words
                # one word after a street word ("ngo 12 pho hue", "số 5 đường láng"), else two to four
                least = 1 if words and folded[slice(*words[0])] in _STREET_FOLDED else 2
                if (
                    not least <= named <= 4
                    or (
                        (plain or m.re is _ALLEY_HOUSE_RX)
                        and _written_as(
                            text[slice(*words[0])], folded[slice(*words[0])], _COUNT_WORDS, _NOT_HOUSE_BEFORE
                        )
                        # "12 Lý Thường Kiệt", "12 lý thường kiệt" are streets, "12 ly trà sữa" twelve cups
                        and not all(text[a].isupper() for a, _ in words)
                        # "12 ly thuong kiet": the Lý kings and scholars streets are named after
                        and not (
                            len(words) == 3
                            and folded[slice(*words[0])] == "ly"
                            and folded[words[1][0] : words[2][1]] in AFTER_LY
                        )
                    )
                ):
                    continue
                if _DAY_MONTH.fullmatch(house) and folded[slice(*words[0])] in _AFTER_A_DATE:
                    continue  # "giao tới 7/12 mới nhận": a day and a month, then the clause goes on
                spelled = [text[a:b] for a, b in words]
                if not all(w.islower() or (w[:1].isupper() and w[1:].islower()) for w in spelled):
                    continue
                end = words[-1][1]
                # the value is the name after any street word, as for "25 đường X"
                name_at = next(a for a, b in words if folded[a:b] not in _STREET_FOLDED)
                why = "house number + street name"
            if not has_cue and not (
                strong
                and (_UNIT_NEXT.match(folded, end) or folded[end : end + 1] == ",")
                and _starts_entity(out, folded, end)
            ):
                continue  # no cue: the name must run into the ward or district found after it
            why += " after an address cue" if has_cue else " before a ward or district"
            # "địa chỉ: 78 lý thường kiệt" is no "78 ly" (cups)
            score = 0.85 if has_cue and m.group("named") else 0.75 if has_cue else 0.7
            if place is not None and place.start == name_at:
                out.remove(place)
            out.append(self._entity(start, end, text, text[name_at:end], score, why))
            self._numbered_after(text, folded, end, out)  # "giao về 45 lê lợi q1"

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Gazetteer names (with their prefix), ward names after theirs, numbered districts/wards, and prefixed capitalised names."""
        del ctx
        folded = fold(text)
        out: list[Entity] = []
        hits = list(self._matcher.find(text, folded))
        later: list[Hit] = []  # chat's short forms not placed yet: maybe after a street found below
        for h in hits:
            pre = self._prefix_start(text, folded, h.start)
            if h.entry.needs == "prefix" and pre is None and not self._before_province(text, folded, h, hits):
                continue
            if (
                h.entry.needs == "capital"
                and pre is None
                and not capitalised(text[h.start : h.end])
                and not _short_form_placed(text, folded, h.start, h.end, out)
            ):
                later.append(h)
                continue
            score = (0.9 if h.exact else 0.85) + (0.05 if pre is not None else 0.0)
            why = ("gazetteer exact" if h.exact else "gazetteer without diacritics") + f"; {h.entry.note}"
            if pre is not None and h.exact and text[h.end : h.end + 1] == " ":
                longer = _longer_name(
                    text, h.end, h.entry.canonical, text[h.start : h.end], (o.start for o in hits)
                )
                if longer is not None:
                    out.append(self._entity(pre, longer[0], text, text[h.start : longer[0]], 0.85, longer[1]))
                    continue
            out.append(
                self._entity(h.start if pre is None else pre, h.end, text, h.entry.canonical, score, why)
            )
        if self._countries is not None:
            out.extend(self._country_entities(text, folded, out))
        if self._wards is not None and (
            "phuong" in folded
            or "xa" in folded
            or "p." in folded
            or "p " in folded
            or "dac" in folded
            or "tt." in folded
            or "thi tran" in folded
        ):
            out.extend(self._ward_entities(text, folded, out))
        if self._wards is not None and ", " in folded:
            self._chained_wards(text, folded, out)
        has_digit = _DIGIT_RX.search(folded) is not None
        if self._numbered and has_digit:
            for m in _NUMBERED_RX.finditer(folded):
                word, num = m.group(1), int(m.group(2))
                ward = word.startswith("p")
                if not (1 <= num <= (30 if ward else 12)) or not _prefix_ok(
                    text[m.start(1) : m.end(1)], word
                ):
                    continue
                if any(e.start < m.end() and m.start() < e.end for e in out):
                    continue
                value = f"{'Phường' if ward else 'Quận'} {num}"
                out.append(self._entity(m.start(), m.end(), text, value, 0.9, "numbered district/ward"))
        if self._numbered and _PQ_DIGIT.search(folded) is not None:
            self._glued_numbered(text, folded, out)
        if self._numbered and has_digit and _HAMLET_AT.search(folded) is not None:
            self._hamlets(text, folded, out)
        if self._streets and has_digit:
            if "cmt" in folded or "cach mang" in folded:
                self._cmt8_streets(text, folded, out)
            self._street_addresses(text, folded, out)
            self._cued_streets(text, folded, out)
            while later:  # "ngõ 12 phố huế, hbt, hn": each short form placed after the one before it
                placed = [
                    h
                    for h in later
                    if not any(e.start < h.end and h.start < e.end for e in out)
                    and _short_form_placed(text, folded, h.start, h.end, out)
                    # the list goes on or ends: "12 Nguyễn Trãi, hn giúp em" is "hôm nay" (today)
                    and _LIST_GOES_ON.match(folded, h.end) is not None
                ]
                if not placed:
                    break
                for h in placed:
                    why = f"gazetteer; {h.entry.note}; short form after an address"
                    out.append(self._entity(h.start, h.end, text, h.entry.canonical, 0.8, why))
                later = [h for h in later if h not in placed]
        if self._prefixed and ("lo " in folded or "ql" in folded or "tinh " in folded):
            for m in _ROAD_RX.finditer(text):
                if not any(e.start < m.end() and m.start() < e.end for e in out):
                    out.append(self._entity(m.start(), m.end(), text, m.group(0), 0.85, "numbered highway"))
        # a prefixed name is capitalised: all-lower-case chat, or a text without any prefix word, has none
        if self._prefixed and not text.islower() and _PREFIX_WORD_IN.search(folded) is not None:
            matches = list(_PREFIXED_RX.finditer(text))
            if any(w in folded for w in _PLACE_TYPES):
                matches.extend(_PLACE_TYPE_RX.finditer(text))
                matches.sort(key=lambda m: m.start())
            for m in matches:
                start, end = m.start(), m.end()
                blocking = [e.start for e in out if e.start < end and start < e.end]
                if blocking:
                    end = min(blocking)
                    if end <= m.start(2):
                        continue
                    end = len(text[:end].rstrip(" ,-"))
                    if end <= m.start(2):
                        continue
                value = text[m.start(2) : end]
                out.append(
                    self._entity(start, end, text, value, 0.65, "administrative prefix + capitalised name")
                )
                # "chung cư Sunrise City, q7" (written together only: "tòa nhà X, p 2 người" is people)
                self._numbered_after(text, folded, end, out, _GLUED_AFTER_PLACE, "a named place")
        out.sort(key=lambda e: (e.start, -e.end))
        return out


RECOGNIZERS: dict[str, type] = {"location": LocationRecognizer, "gazetteer": GazetteerRecognizer}
