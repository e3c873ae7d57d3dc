"""The table of Vietnamese temporal patterns (on folded text) for :mod:`.recognizer`.

Each rule is ``(name, compiled pattern, handler, base score, trigger words)``; the handlers in
:mod:`vner.rules.recognizers.temporal.handlers` resolve a match against the reference date. Rules are tried in order
and the longest match wins; among equal spans the earlier rule wins ("tháng sau" = next month before
"tháng sáu" = June, whose spelling is then checked by :func:`expected_spellings`).
"""

from __future__ import annotations

import re
from typing import Any

from .clock import (
    h_clock_colon,
    h_clock_h,
    h_clock_half,
    h_clock_range_head,
    h_duration,
    h_midnight,
    h_now,
    h_set,
    h_weekday_range,
)
from .handlers import (
    Handler,
    h_day_only,
    h_day_range_head,
    h_dm_dot,
    h_dm_num,
    h_dmy_num,
    h_dmy_words,
    h_holiday,
    h_iso,
    h_lunar,
    h_month,
    h_month_abbr,
    h_month_rel,
    h_part,
    h_pod_day,
    h_quarter,
    h_quarter_rel,
    h_range_tail,
    h_relday,
    h_relday_bare,
    h_season,
    h_week_rel,
    h_weekday,
    h_weekday_abbr,
    h_year,
    h_year_rel,
)
from .lexicon import (
    CYCLE_SHIFT,
    DURATION_UNITS,
    HOLIDAYS,
    LUNAR_HOLIDAYS,
    MONTH_WORDS,
    NUMBER_WORDS,
    PART_MODS,
    PARTS_OF_DAY,
    POD_COMPOUND_NEXT,
    RELATIVE_DAYS,
    RELDAY_AFTER_POD,
    SEASONS,
    SET_UNITS,
    WEEKDAY_WORDS,
    alt,
    fold_word,
)

L = r"(?<![\p{L}\p{N}])"
R = r"(?![\p{L}\p{N}])"
LN = r"(?<![\p{L}\p{N}\p{M}])(?<![\d][/.,:-])(?<![+#])"
RN = r"(?![\p{L}\p{N}])(?![/.,:-]\d)"
# a day/month may end before "-" when a day/month follows: "20/11-25/11" (the range's tail is its own match)
RN_DM = r"(?![\p{L}\p{N}])(?![/.,:]\d)(?![-–](?!\s?\d{1,2}/\d)\d)"
LC = r"(?<![\p{L}\p{N}\p{M}])(?<![\d][/.,:])(?<![+#])"  # a clock may follow "8:30-"
RC = r"(?![\p{L}\p{N}])(?![/.,:]\d)"  # a clock may be followed by "-17h"
NUMW = alt(NUMBER_WORDS)
MONW = alt(MONTH_WORDS)
WDW = r"[2-7]|" + alt(k for k in WEEKDAY_WORDS if not k.isdigit())
SHIFT = alt(CYCLE_SHIFT)
PODW = alt(PARTS_OF_DAY)
_CHAT_RELDAYS = frozenset({"hnay", "hqua"})  # one word, read whole as "hôm nay" / "hôm qua" are
RELDAY_FULL = alt(k for k in RELATIVE_DAYS if " " in k or k in _CHAT_RELDAYS)
WEEKDAY = rf"(?:thu\s(?P<wd>{WDW})|(?P<cn>chu\s?nhat))"
POD_SUFFIX = rf"(?:\s(?:buoi\s)?(?P<pod>{PODW})(?:\s(?P<podday>{RELDAY_AFTER_POD}))?)?"
SETW = r"moi|hang"
DURU = alt(DURATION_UNITS)
# "12 thang sau khi mua" without marks is "12 tháng sau khi" (12 months after), not "12 tháng sáu" (June)
NOT_AFTER = r"(?!(?<=sau)\s(?:khi|do)(?![\p{L}\p{N}]))"
# words after a bare "mai" that make it tomorrow (a subject, a verb, a particle); see the relday_bare rule
MAI_NEXT = (
    "e|em|a|anh|c|chi|minh|mk|t|toi|tui|shop|ben|bn|ban|giao|ship|gui|qua|ghe|lay|nhan|di|den|ve|lam|nghi|co|se"
    "|chuyen|ck|tra|goi|hen|mo|dong|nhe|nha|nhen|duoc|dc|roi|moi|thi"
)
# chat's "thg" for "tháng", only before a month number or "sau/tới/trước" ("thg này" is mostly "thằng này", this guy)
THG_NUM = r"thg(?=\s\d)"
THG_REL = r"thg(?=\s(?:sau|toi|truoc)(?![\p{L}\p{N}]))"
# no count of one to three digits right before ("2 tháng sau"), unless the digits end a longer number (a phone)
NO_COUNT = (
    r"(?:(?<!(?<![\d.,:/-])\d )(?<!(?<![\d.,:/-])\d\d )(?<!(?<![\d.,:/-])\d\d\d )"
    r"|(?=[a-z]+\s(?:nay|hien\stai)(?![\p{L}\p{N}])))"
)
_RULES_SRC: list[tuple[str, str, Handler, float]] = [
    ("dmy_words", rf"{L}(?P<d>\d{{1,2}})\s(?:thang|{THG_NUM})[^\S\n](?P<m>\d{{1,2}}|{MONW}){NOT_AFTER}(?:,?\s(?:cua\s)?nam\s(?P<y>\d{{4}}))?{RN}",
     h_dmy_words, 0.95),
    ("dmy_num", rf"{LN}(?P<d>\d{{1,2}})(?P<sep>[/.-]|\s-\s)(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){RN_DM}", h_dmy_num, 0.95),
    ("iso", rf"{LN}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){RN}", h_iso, 0.95),
    ("day_range", rf"{LN}(?P<d1>\d{{1,2}})(?=(?:\s?(?:,|\sva|\sden|\shoac)\s\d{{1,2}})*\s?(?P<link>[-–]|\sden|\stoi|\sva|\shoac|,)\s?"
     # a part of the day before the second date: "từ tối 22 đến sáng 24/4"
     rf"(?:(?:rang\s)?(?:sang|trua|chieu|toi|dem)\s)?(?P<d>\d{{1,2}})(?:/|\s?-\s?)(?P<m>\d{{1,2}})(?:(?:/|\s?-\s?)(?P<y>\d{{4}}))?{RN})", h_day_range_head, 0.85),
    ("range_tail", rf"(?:(?<=\d[-–])|(?<=\d\s[-–]\s))(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}))?{RN}",
     h_range_tail, 0.8),
    ("dm_num", rf"{LN}(?P<d>\d{{1,2}})(?P<sep>[/-]|\s-\s)(?P<m>\d{{1,2}}){RN_DM}", h_dm_num, 0.75),
    ("dm_dot", rf"{LN}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}}){RN_DM}", h_dm_dot, 0.75),
    # "ngày 20", "mùng 5" alone: a day of the month (the span is the number; "ngày" is a lead word); "ngày 20
    # tháng sau": of the next month; "ngày 15 hàng tháng": every month on the 15th (one SET)
    ("day_only", rf"{L}(?P<lead>ngay|mung|mong)\s(?P<d>\d{{1,2}})(?![\p{{L}}\p{{N}}])(?![/.,:]\d)(?!\s?[-–]\s?(?:0?[1-9]|1[0-2])(?!\d)|\s?[-–]\s?\d+[/.-])"
     rf"(?:\s(?:cua\s)?thang\s(?P<rel>{SHIFT}){R}|\s(?P<every>hang|moi)\sthang{R}|(?!\s(?:thang|thg)(?![^\W_])))",
     h_day_only, 0.8),
    # "12 tháng sau khi mua" is an amount of months ("sau khi": after), not "next month": no count before a shift
    # (but "con số 2 năm nay": this year)
    ("month_rel", rf"{L}{NO_COUNT}(?:thang|{THG_REL})\s(?P<rel>{SHIFT}){R}", h_month_rel, 0.9),
    ("month", rf"{L}(?:thang|{THG_NUM})\s(?P<m>\d{{1,2}}|{MONW}){NOT_AFTER}(?:(?:\s(?:cua\s)?nam\s|/|-|\s-\s)(?P<y>\d{{4}})|\s(?P<rel>toi|sau|truoc))?{R}",
     h_month, 0.9),
    ("month_num", rf"{LN}(?P<m>0?[1-9]|1[0-2])/(?P<y>\d{{4}}){RN}", h_month, 0.85),
    # "năm 1995", and chat's "sinh năm 95" / "năm 98 em học lớp 1" (two digits: the handler checks around them)
    ("year", rf"{L}nam\s(?:(?P<y>\d{{4}})|(?P<yy>\d\d)){RN}", h_year, 0.9),
    ("year_rel", rf"{L}{NO_COUNT}nam\s(?P<rel>{SHIFT}){R}", h_year_rel, 0.9),
    ("quarter", rf"{L}quy\s(?P<q>[1-4]|iv|i{{1,3}}|{NUMW})(?:\s(?:cua\s)?nam\s(?P<y>\d{{4}})|/(?P<y2>\d{{4}}))?{R}",
     h_quarter, 0.9),
    ("quarter_rel", rf"{L}{NO_COUNT}quy\s(?P<rel>{SHIFT}){R}", h_quarter_rel, 0.9),
    ("week_rel", rf"{L}{NO_COUNT}tuan\s(?P<rel>{SHIFT}){R}", h_week_rel, 0.9),
    ("part", rf"{L}(?P<part>cuoi|dau|giua)\s(?P<u>thang|nam|tuan)(?:\s(?P<rel>{SHIFT})|\s(?P<n>\d{{1,2}}|\d{{4}}))?{R}",
     h_part, 0.92),
    ("relday", rf"{L}(?P<rel>{RELDAY_FULL}){R}", h_relday, 0.95),
    ("pod_day", rf"{L}(?:buoi\s)?(?P<pod>{PODW})\s(?P<podday>{RELDAY_AFTER_POD}){R}", h_pod_day, 0.9),
    # "nửa đêm" (midnight), "nửa đêm qua": a clock time, read as "12h đêm (qua)" is (not the night "đêm qua");
    # its words are the "pod" group only so the shared _pod_day reads its day (they name no part of the day)
    ("midnight", rf"{L}(?P<pod>nua\sdem)(?:\s(?P<podday>{RELDAY_AFTER_POD}))?{R}", h_midnight, 0.9),
    ("weekday", rf"{L}{WEEKDAY}(?:\s(?:cua\s)?tuan\s(?P<wrel>{SHIFT})|\s(?P<rel>toi(?!\s(?:thu\s|chu\s?nhat|cn{R}|t[2-7]{R}|\d|ngay\s))|vua\sroi|vua\squa|truoc|nay))?{R}"
     r"(?!\s?(?:trieu|ty|nghin|ngan|k|%)(?![\p{L}]))", h_weekday, 0.85),
    ("clock_colon", rf"{LC}(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))?{POD_SUFFIX}{RC}", h_clock_colon, 0.9),
    # ("g" for giờ before minutes or a part of the day only: "7g30", "7g tối"; "7g" alone is grams)
    ("clock_h", rf"{LC}(?:(?P<h>\d{{1,2}})(?:\s?(?P<u>h)|g(?=\d|\s(?:sang|trua|chieu|toi|dem|khuya)(?![^\W\d_]))|\s?gio)|(?P<hw>{NUMW})\sgio)"
     rf"(?:\s?(?P<mi>[0-5]?\d)(?!\d)(?:\s?(?:phut|p))?|\s(?P<half>ruoi)|\s(?P<mi_w>{NUMW})\sphut)?"
     rf"(?:\skem\s(?P<kem>\d{{1,2}})(?:\s(?:phut|p))?)?(?:\sdung)?{POD_SUFFIX}{RC}", h_clock_h, 0.9),
    # "8 rưỡi tối", "lúc 9 rưỡi": half past an hour written without giờ/h (the handler wants a part of the day
    # or a cue before it; "1 củ rưỡi", "size 38 rưỡi" are not times)
    ("clock_half", rf"{LC}(?P<h>\d{{1,2}})\s(?P<half>ruoi){POD_SUFFIX}{RC}", h_clock_half, 0.85),
    # "sau khi" / "trước khi" (after / before ...ing) and "sau đó" / "trước đó" (after / before that) are
    # conjunctions: "đổi trả 7 ngày sau khi nhận" is an amount of days, not the day 7 days from now
    ("duration", rf"{L}(?<!thu\s)(?<!\d[.,:/-])(?!(?<=\d\s)\d{{3}})(?:(?P<n1>\d{{1,3}})\s?-\s?)?(?P<n>\d{{1,4}}(?:[.,]\d)?|{NUMW}|nua)"
     rf"[^\S\n]?(?P<u>{DURU}|h(?!\d)|p)"
     rf"(?:\s(?P<half>ruoi))?(?:\s(?P<rel>toi(?!\s(?:nay|qua|mai){R})|qua|vua\squa|vua\sroi|tiep\stheo|nua|(?:sau|truoc)(?!\s(?:khi|do){R})))?{R}", h_duration, 0.85),
    ("set", rf"{L}(?:(?:{SETW}|cac)\s(?:ngay\s)?{WEEKDAY}|(?:{SETW})\s(?:(?P<every_n>\d{{1,3}})\s(?P<nu>{DURU})|(?P<u>{alt(SET_UNITS)}))){R}",
     h_set, 0.9),
    ("clock_range", rf"{LC}(?P<h>\d{{1,2}})(?=\s?[-–]\s?\d{{1,2}}\s?(?:h|gio)(?:[0-5]\d)?{POD_SUFFIX}{RC})",
     h_clock_range_head, 0.85),
    ("weekday_range", rf"{L}(?:thu\s?|t)(?P<a>[2-7])\s?[-–]\s?(?:(?:thu\s?|t)?(?P<b>[2-7])|(?P<b2>cn|chu\s?nhat)){R}",
     h_weekday_range, 0.85),
    ("set_weekday", rf"{L}{WEEKDAY}\s(?:{SETW})\stuan{R}", h_set, 0.9),
    ("now", rf"{L}(?:ngay\s)?(?:bay\sgio|luc\snay){R}", h_now, 0.8),
    ("holiday", rf"{L}(?:(?:ngay|le|dip)\s)?(?P<h>{alt(HOLIDAYS)})"
     r"(?:\s(?:ngay\s)?(?P<hd>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<hm>\d{1,2})(?:(?P=sep)(?P<hy>\d{4}))?(?![/.-]?\d))?"
     rf"(?:\s(?:nam\s)?(?P<y>\d{{4}}))?{R}", h_holiday, 0.9),
    # "tết", "mùng 3 tết", "rằm tháng giêng", "trung thu (năm nay)": lunar-calendar days ("tết tóc" is a braid,
    # "bánh tét" a cake; "tét" is checked against the spelling "tết" in accented text)
    # "28 tết", "30 tết": the last days of the lunar year, counted up to Tết
    ("lunar", rf"{L}(?<!banh\s)(?:(?:ngay|le|dip)\s)?(?:(?:mung|mong)\s(?P<ld>[1-9]|10)\s(?:tet(?:\s(?:nguyen\sdan|am\slich))?|thang\sgieng)"
     r"|(?<!qua\s)(?<!duoc\s)(?<!tron\s)(?P<lt>2[0-9]|30)\s(?P<tw>tet)"  # "trải qua 25 tết": a count
     rf"|(?P<lh>{alt(LUNAR_HOLIDAYS)}))(?!\s(?:toc|day|bim|rom|thung|lat|soi|duong|tay)(?![^\W_]))"
     rf"(?:\s(?:nam\s)?(?P<y>\d{{4}})|\snam\snay)?{R}", h_lunar, 0.9),
    ("season", rf"{L}mua\s(?P<s>{alt(SEASONS)})(?:\s(?:nam\s)?(?P<y>\d{{4}})|\s(?P<rel>{SHIFT}))?{R}", h_season, 0.85),
    # chat's bare "mai" / "mốt" (tomorrow / the day after) only right before a clock time or a part of the day:
    # "mai 9h sáng giao nhé", "mai tầm 9h", "mốt chiều qua lấy"; alone "mai" is as often a name or "hoa mai"
    # "mai" also right before a subject, a verb of coming and going, or a particle: "mai e qua lấy", "mai giao
    # nhé", "shop mai có mở ko" (the handler drops it after a title, a family name or "hoa": "ở hoàng mai nhé")
    ("relday_bare", rf"{L}(?P<rel>mai|mot)(?=\s(?:luc|tam|khoang)\s\d{{1,2}}(?![\d/.,:])|\s(?:(?:luc|tam|khoang)\s)?(?:\d{{1,2}}(?:\s?(?:h|g|gio)|:[0-5]\d)(?![^\W\d_]{{2}})|(?:buoi\s)?(?:{PODW}){R}{POD_COMPOUND_NEXT})|(?<=mai)\s(?P<mnext>{MAI_NEXT}){R})",
     h_relday_bare, 0.85),
    # chat's "t2".."t7" / "cn" after a cue ("giao t7 hoặc cn", "hẹn t2 tuần sau") or before "này" ("t7 này"); "cn"
    # before a place is a branch
    ("weekday_abbr", rf"{L}(?:t(?P<twd>[2-7])|(?P<tcn>cn)(?!\s(?:hcm|hn|sg|tphcm|ha\snoi|sai\sgon|da\snang|can\stho|"
     rf"hai\sphong|tp|q\.?\s?\d|quan|chi\snhanh|ngan\shang)(?![^\W_])))(?:\s(?:cua\s)?tuan\s(?P<wrel>{SHIFT})|\s(?P<rel>nay))?{R}",
     h_weekday_abbr, 0.8),
    # chat's "t11" / "T12/2025" for a month: with its year, or after a payroll or billing word ("lương t11")
    ("month_abbr", rf"{L}t(?P<m>1[0-2]|0?[1-9])(?:/(?P<y>\d{{4}}))?{RN}", h_month_abbr, 0.8),
]  # fmt: skip
# the words after a duration that make it relative ("3 ngày tới/qua/nữa"): "3 tiếng tối qua" is 3 hours, then
# "last night" ("tối" is not "tới")
DAY_LEADS = ("ngày", "mùng", "mồng")
DURATION_SHIFTS = ("tới", "qua", "vừa qua", "vừa rồi", "tiếp theo", "nữa", "sau", "trước")
# which table of accented spellings a named group's word must come from (by rule; "*" = every rule)
_GROUP_TABLES: dict[str, dict[str, Any]] = {
    "*": {"m": MONTH_WORDS, "wd": WEEKDAY_WORDS, "wrel": CYCLE_SHIFT, "rel": CYCLE_SHIFT, "pod": PARTS_OF_DAY,
          "podday": RELATIVE_DAYS, "hw": NUMBER_WORDS, "mi_w": NUMBER_WORDS, "nu": DURATION_UNITS},
    "relday": {"rel": RELATIVE_DAYS},
    "relday_bare": {"rel": RELATIVE_DAYS},
    "duration": {"rel": DURATION_SHIFTS, "u": DURATION_UNITS, "n": NUMBER_WORDS},
    "set": {"u": SET_UNITS},
    "quarter": {"q": NUMBER_WORDS},
    "part": {"part": PART_MODS},
    "holiday": {"h": HOLIDAYS},
    "lunar": {"lh": LUNAR_HOLIDAYS, "tw": {"tết": 0}},
    "season": {"s": SEASONS},
    "day_only": {"lead": DAY_LEADS, "rel": CYCLE_SHIFT},
}  # fmt: skip


_SPELLINGS: dict[int, dict[str, frozenset[str]]] = {}
# (rule, pattern) -> the rule's named groups whose spelling is checked, with their spelling index
_RULE_GROUPS: dict[tuple[str, re.Pattern[str]], tuple[tuple[str, dict[str, frozenset[str]]], ...]] = {}


def _spellings(key: int, table: Any) -> dict[str, frozenset[str]]:
    """Folded word -> accented spellings of ``table``'s keys (built once per table)."""
    found = _SPELLINGS.get(key)
    if found is None:
        index: dict[str, set[str]] = {}
        for k in table:
            index.setdefault(fold_word(k), set()).add(k)
        found = _SPELLINGS[key] = {f: frozenset(v) for f, v in index.items()}
    return found


def spelling_index(table: Any) -> dict[str, frozenset[str]]:
    """Folded word -> the accented spellings of ``table``'s keys (the index the rules' spelling checks use)."""
    return _spellings(id(table), table)


def expected_spellings(rule: str, m: re.Match[str]) -> list[tuple[int, int, frozenset[str]]]:
    """Spans of the words in ``m`` whose accented spelling is fixed by the rule ("tháng sáu" is June,
    "tháng sau" is next month), with the spellings allowed there."""
    groups = _RULE_GROUPS.get((rule, m.re))
    if groups is None:
        tables = {**_GROUP_TABLES["*"], **_GROUP_TABLES.get(rule, {})}
        groups = _RULE_GROUPS[(rule, m.re)] = tuple(
            (group, _spellings(id(table), table))
            for group, table in tables.items()
            if table is not None and group in m.re.groupindex
        )
    out = []
    for group, index in groups:
        word = m.group(group)
        if word is None:
            continue
        allowed = index.get(" ".join(word.split()))
        if allowed:
            out.append((m.start(group), m.end(group), allowed))
    return out


# the first word a rule's match can start with: analyze tries a rule only at such words. A digit run is keyed by
# the character after it: "#/" (15/3), "#-" (15-03, 8-17h), "#." (15.03.2024, 1,5 giờ), "#:" (8:30), "#w" (a
# letter, maybe after a space: 8h, 3 ngày, 15 tháng 3); a space then a dash counts as "#-", a space then a digit
# ("0912 345 678") as nothing
_NUM_FIRST = frozenset(w.split()[0] for w in (fold_word(k) for k in NUMBER_WORDS))
DIGIT_KEYS = {"/": "#/", "-": "#-", "–": "#-", ".": "#.", ",": "#.", ":": "#:"}
_ANY_DIGIT = frozenset({"#/", "#-", "#.", "#:", "#w"})


def digit_key(folded: str, end: int) -> str:
    """The trigger key of a digit run ending at ``end``, from what follows it."""
    nxt = folded[end : end + 1]
    if nxt == " ":
        nxt = folded[end + 1 : end + 2]
        return "#w" if nxt.isalpha() else DIGIT_KEYS.get(nxt, "")
    return "#w" if nxt.isalpha() else DIGIT_KEYS.get(nxt, "")


_TRIGGERS: dict[str, frozenset[str]] = {
    "month_rel": frozenset({"thang", "thg"}), "month": frozenset({"thang", "thg"}), "year": frozenset({"nam"}),
    "year_rel": frozenset({"nam"}), "quarter": frozenset({"quy"}), "quarter_rel": frozenset({"quy"}),
    "week_rel": frozenset({"tuan"}), "part": frozenset({"cuoi", "dau", "giua"}),
    "relday": frozenset(w.split()[0] for w in (fold_word(k) for k in RELATIVE_DAYS) if " " in w or w in _CHAT_RELDAYS),
    "pod_day": frozenset({"buoi", *(fold_word(k) for k in PARTS_OF_DAY)}), "midnight": frozenset({"nua"}),
    "weekday": frozenset({"thu", "chu"}), "weekday_range": frozenset({"thu", "t"}), "set_weekday": frozenset({"thu", "chu"}),
    "clock_h": frozenset({"#w", *_NUM_FIRST}), "duration": frozenset({"#w", "#-", "#.", "nua", *_NUM_FIRST}),
    "dmy_words": frozenset({"#w"}), "dmy_num": frozenset({"#/", "#-", "#."}), "iso": frozenset({"#-"}),
    "day_range": frozenset({"#-", "#w", "#."}), "range_tail": frozenset({"#/"}), "dm_num": frozenset({"#/", "#-"}), "dm_dot": frozenset({"#."}), "month_num": frozenset({"#/"}),
    "clock_colon": frozenset({"#:"}), "clock_half": frozenset({"#w"}), "clock_range": frozenset({"#-"}),
    "set": frozenset({"moi", "hang", "cac"}), "now": frozenset({"ngay", "bay", "luc"}),
    "holiday": frozenset({"ngay", "le", "dip", *(fold_word(k).split()[0] for k in HOLIDAYS)}),
    "lunar": frozenset({"#w", "ngay", "le", "dip", "mung", "mong", *(fold_word(k).split()[0] for k in LUNAR_HOLIDAYS)}),
    "season": frozenset({"mua"}), "day_only": frozenset({"ngay", "mung", "mong"}), "relday_bare": frozenset({"mai", "mot"}), "weekday_abbr": frozenset({"t", "cn"}),
    "month_abbr": frozenset({"t"}),
}  # fmt: skip


def _compile(src: str) -> re.Pattern[str]:
    """Compile with the standard ``re`` engine (2-3x faster than ``regex`` on these anchored matches): folded
    text has no combining marks, so the Unicode property classes become ``re``'s word classes."""
    src = src.replace(r"[\p{L}\p{N}\p{M}]", r"[^\W_]").replace(r"[\p{L}\p{N}]", r"[^\W_]")
    src = src.replace(r"(?![\p{L}])", r"(?![^\W\d_])")
    if r"\p{" in src:
        raise ValueError(f"temporal pattern still uses a Unicode property class: {src[:80]}")
    return re.compile(src)


# a holiday name after a house number or street word, or before ", quận ...", names a street:
# "12 Cách Mạng Tháng Tám", "đường Cách Mạng Tháng Tám, quận 3" (nothing inside it is a date)
_HOLIDAY_NAME = _compile(rf"{L}(?:{alt(HOLIDAYS)}){R}")
_ANY_HOLIDAY_NAME = re.compile(alt(HOLIDAYS))
_STREET_BEFORE = re.compile(
    r"(?:\b(?:duong|pho|so|nha|nga\s(?:ba|tu)|khu\spho)|\d+[a-z]?(?:/\d+[a-z]?)*)\s*$"
)
_HOLIDAY_CUE = re.compile(r"\b(?:ngay|le|dip|nghi|mung|chuc\smung)\s*$")
_DISTRICT_AFTER = re.compile(r"\s*,?\s*(?:quan|phuong|p\.|q\.|tp\b|thanh\spho)")


_CMT8_NAME = re.compile(r"(?<![^\W_])cach\smang\sthang\s8(?![^\W_])")
# a day and month after a street word names a street: "120 đường 3 tháng 2", "đường 30/4", "phố 8-3"
_DATE_STREET = re.compile(r"(?<![a-z])(?:duong|pho)\s([1-3]?\d(?:\s?[/-]\s?|\sthang\s)1?\d)(?![\d/-])")


def street_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of ``folded`` text where a holiday name, or a day and month, is used as a street name."""
    out: list[tuple[int, int]] = []
    if "duong " in folded or "pho " in folded:
        out.extend(m.span(1) for m in _DATE_STREET.finditer(folded))
    names: list[tuple[int, int]] = []
    # the month in digits has no holiday entry of its own (alone, its "tháng 8" is a month)
    if "cach mang thang 8" in folded:
        names.extend(m.span() for m in _CMT8_NAME.finditer(folded))
    if _ANY_HOLIDAY_NAME.search(folded) is not None:  # a cheap scan first: no lookbehind to test
        names.extend(m.span() for m in _HOLIDAY_NAME.finditer(folded))
    for start, end in names:
        before = folded[max(0, start - 24) : start]
        if _HOLIDAY_CUE.search(before):
            continue
        if _STREET_BEFORE.search(before) or _DISTRICT_AFTER.match(folded, end):
            out.append((start, end))
    return out


RULES: list[tuple[str, re.Pattern[str], Handler, float, frozenset[str]]] = [
    (name, _compile(src), handler, score, _TRIGGERS.get(name, _ANY_DIGIT))
    for name, src, handler, score in _RULES_SRC
]
RULES_BY_FIRST_WORD: dict[str, tuple[int, ...]] = {}
for _order, _rule in enumerate(RULES):
    for _word in _rule[4]:
        RULES_BY_FIRST_WORD[_word] = (*RULES_BY_FIRST_WORD.get(_word, ()), _order)
# only the tokens some rule can start with: digit runs and the trigger words
_WORDS = sorted((w for w in RULES_BY_FIRST_WORD if not w.startswith("#")), key=len, reverse=True)


def _by_first_letter(words: list[str]) -> str:
    """``words`` (longest first) as one alternative per first letter ("t(?:hang|uan|...|)"): the same matches
    as the flat alternation, tried several times faster."""
    rest: dict[str, list[str]] = {}
    for w in words:
        rest.setdefault(w[0], []).append(w[1:])
    return "|".join(f"{c}(?:{'|'.join(tails)})" if tails != [""] else c for c, tails in rest.items())


# a digit run only when some rule can start there: a letter or one of "/-–.,:" after it (maybe after a space)
TOKEN_RX = re.compile(
    rf"(?<![a-z0-9])(?:\d+(?= ?[^\W\d_]| ?[/\-–.,:])|(?:{_by_first_letter(_WORDS)})(?![a-z]))"
)


# Cheap candidate filter (same output, fewer ``match`` calls): a rule keyed by a digit run is tried only when
# the run is no longer than its first number can be ("\d{1,2}" cannot start at "937" in "54.937.000"), and a
# rule keyed by "#w" only when the word after the run may follow its number ("8h", "3 ngày", "15 tháng 3").
_FIRST_DIGITS: dict[str, tuple[int, int]] = {"iso": (4, 4), "duration": (1, 4)}  # default (1, 2)
_UNIT_WORDS = frozenset(fold_word(k) for k in DURATION_UNITS)
_NEXT_WORDS: dict[str, frozenset[str]] = {
    "dmy_words": frozenset({"thang", "thg"}), "clock_h": frozenset({"h", "g", "gio"}), "duration": _UNIT_WORDS | {"h", "p"},
    "day_range": frozenset({"den", "toi", "va", "hoac"}), "clock_half": frozenset({"ruoi"}), "lunar": frozenset({"tet"}),
}  # fmt: skip
_KNOWN_NEXT = frozenset().union(*_NEXT_WORDS.values())
# a trigger word and the words that may follow it, for rules whose second word is fixed by the rule
_WORD_NEXT: dict[tuple[str, str], frozenset[str]] = {
    ("hang", "set"): frozenset({"ngay", "thu", "chu", "chunhat", *(fold_word(k) for k in SET_UNITS), "#"}),
    ("mua", "season"): frozenset(fold_word(k) for k in SEASONS),
    # "lễ quốc khánh", and "lễ tình nhân" whose own first word is "lễ"
    ("le", "holiday"): frozenset(
        w for k in HOLIDAYS for w in fold_word(k).split()[: 2 if fold_word(k).startswith("le ") else 1]
    ),
}
_WORD_TOKENS = frozenset(w for w, _ in _WORD_NEXT)
_NEXT_WORD_RX = re.compile(r"\s?([a-z]+|\d)")
_CANDIDATES: dict[tuple[str, int, str], tuple[int, ...]] = {}


def candidates(folded: str, start: int, end: int) -> tuple[int, ...]:
    """The rules (indices into :data:`RULES`) worth trying at the token ``folded[start:end]``."""
    first = folded[start]
    if first.isdigit():
        key = digit_key(folded, end)
        if not key:
            return ()
        nxt = ""
        if key == "#w":
            m = _NEXT_WORD_RX.match(folded, end)
            nxt = m.group(1) if m and m.group(1) in _KNOWN_NEXT else ""
        elif key == "#.":  # "1,5 giờ": one decimal digit, then the unit
            nxt = (
                "dec"
                if folded[end + 1 : end + 2].isdigit() and not folded[end + 2 : end + 3].isdigit()
                else ""
            )
        ck = (key, min(end - start, 5), nxt)
        found = _CANDIDATES.get(ck)
        if found is None:
            found = _CANDIDATES[ck] = tuple(o for o in RULES_BY_FIRST_WORD.get(key, ()) if _fits(o, *ck))
        return found
    word = folded[start:end]
    rules = RULES_BY_FIRST_WORD.get(word, ())
    if word not in _WORD_TOKENS:
        return rules
    m = _NEXT_WORD_RX.match(folded, end)
    nxt = "" if m is None else ("#" if m.group(1).isdigit() else m.group(1))
    return tuple(o for o in rules if nxt in _WORD_NEXT.get((word, RULES[o][0]), (nxt,)))


def _fits(order: int, key: str, run: int, nxt: str) -> bool:
    name = RULES[order][0]
    lo, hi = _FIRST_DIGITS.get(name, (1, 2))
    if not lo <= run <= hi:
        return False
    if key == "#w" and name in _NEXT_WORDS:
        return nxt in _NEXT_WORDS[name]
    if key == "#." and name == "duration":
        return nxt == "dec"
    return True
