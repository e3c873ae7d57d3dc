"""Vietnamese time words as data for :mod:`vner.rules.recognizers.temporal.recognizer`.

The temporal patterns run on *folded* text (lower case, no diacritics, same length), so every word here is
listed with its accented spelling; :data:`ACCENTED` maps a folded word back to the spellings that may carry
diacritics. A match whose words carry other diacritics ("tôi nay" for "tối nay") is rejected, and a match
written wholly without diacritics is accepted only in a message that is itself written without them.
Coverage follows the phenomena of Duckling's Vietnamese time rules (facebook/duckling, Duckling/Time/VI);
the lists are our own.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...lang.vi.diacritics import fold_word

# number words 0..12 that name hours, days, months, counts (accented -> value)
NUMBER_WORDS: dict[str, int] = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
}  # fmt: skip
# "thứ <x>" -> ISO weekday (Monday = 1); "chủ nhật" = 7
WEEKDAY_WORDS: dict[str, int] = {
    "2": 1, "hai": 1, "3": 2, "ba": 2, "4": 3, "tư": 3, "bốn": 3, "5": 4, "năm": 4, "6": 5, "sáu": 5,
    "7": 6, "bảy": 6, "bẩy": 6,
}  # fmt: skip
# "tháng <x>" -> month number (besides digits)
MONTH_WORDS: dict[str, int] = {
    "một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}  # fmt: skip
# relative day words -> offset in days from the reference date
RELATIVE_DAYS: dict[str, int] = {
    "hôm nay": 0, "ngày hôm nay": 0, "bữa nay": 0, "nay": 0,
    "hôm qua": -1, "ngày hôm qua": -1, "bữa qua": -1, "qua": -1,
    "ngày mai": 1, "mai": 1, "ngày kia": 2, "ngày mốt": 2, "mốt": 2, "hôm kia": -2, "ngày hôm kia": -2,
    # chat: "hum nay", "hnay", "hqua" (hôm nay, hôm qua)
    "hum nay": 0, "hnay": 0, "hum qua": -1, "hqua": -1, "hum kia": -2,
}  # fmt: skip
# relative cycle words: "tuần sau", "tháng trước", "năm ngoái" -> offset in cycles
CYCLE_SHIFT: dict[str, int] = {
    "này": 0, "nay": 0, "hiện tại": 0, "sau": 1, "tới": 1, "tiếp theo": 1, "kế tiếp": 1, "tiếp": 1,
    "sau nữa": 2, "trước": -1, "ngoái": -1, "vừa rồi": -1, "vừa qua": -1, "qua": -1, "trước nữa": -2,
}  # fmt: skip
# parts of the day -> TIMEX3 part-of-day code
PARTS_OF_DAY: dict[str, str] = {
    "sáng": "MO",
    "trưa": "MI",
    "chiều": "AF",
    "chìu": "AF",  # chat
    "tối": "EV",
    "đêm": "NI",
    "khuya": "NI",
}
# words that make a part-of-day word another word ("chiều cao" = height, "tối đa" = at most, "sáng tạo" =
# creative), as folded text: a part of day is never read right before one of them
POD_COMPOUND_NEXT = (
    r"(?!\s(?:tac|tao|kien|suot|che|lap|lang|sua|ruc|cao|dai|rong|sau|ngang|doc|long|chuong|huong|da|thieu|uu|"
    r"mat|thuong|hau|gian)(?![^\W_]))"
)
# duration units -> (ISO 8601 designator, is a time unit)
DURATION_UNITS: dict[str, tuple[str, bool]] = {
    "giây": ("S", True), "phút": ("M", True), "tiếng": ("H", True), "giờ": ("H", True), "ngày": ("D", False), "hôm": ("D", False),
    "tuần": ("W", False), "tháng": ("M", False), "năm": ("Y", False), "quý": ("Q", False),
}  # fmt: skip
# words before "N giờ" that make it a duration ("trong 3 giờ"), not a time of day
DURATION_CUES: tuple[str, ...] = ("trong", "mất", "suốt", "tốn", "cần", "khoảng thời gian", "kéo dài", "được")
# part of a month/year/week -> TIMEX3 mod
PART_MODS: dict[str, str] = {"đầu": "START", "giữa": "MID", "cuối": "END"}
# "mỗi/hàng/hằng <unit>" -> TIMEX3 set value
SET_UNITS: dict[str, str] = {
    "giờ": "PT1H", "tiếng": "PT1H", "ngày": "P1D", "tuần": "P1W", "tháng": "P1M", "năm": "P1Y", "quý": "P3M",
    "sáng": "XXXX-XX-XXTMO", "trưa": "XXXX-XX-XXTMI", "chiều": "XXXX-XX-XXTAF", "tối": "XXXX-XX-XXTEV",
    "đêm": "XXXX-XX-XXTNI",
}  # fmt: skip
SET_WORDS: tuple[str, ...] = ("mỗi", "hàng", "hằng", "các")
# fixed-date (solar calendar) holidays -> (month, day); lunar ones (Tết Nguyên Đán) need a lunar calendar
HOLIDAYS: dict[str, tuple[int, int]] = {
    "tết dương lịch": (1, 1), "tết dương": (1, 1), "tết tây": (1, 1), "lễ tình nhân": (2, 14),
    "valentine": (2, 14), "quốc tế phụ nữ": (3, 8),
    "giải phóng miền nam": (4, 30), "quốc tế lao động": (5, 1), "quốc tế thiếu nhi": (6, 1),
    "cách mạng tháng tám": (8, 19), "quốc khánh": (9, 2), "phụ nữ việt nam": (10, 20),
    "nhà giáo việt nam": (11, 20), "giáng sinh": (12, 25), "noel": (12, 25),
}  # fmt: skip
# lunar-calendar holidays -> (lunar month, lunar day), resolved with the Vietnamese lunar calendar (PyPI
# lunar-vn); day 0 is the eve of the lunar new year, the last day of the year before
LUNAR_HOLIDAYS: dict[str, tuple[int, int]] = {
    "tết": (1, 1), "tết nguyên đán": (1, 1), "tết âm lịch": (1, 1), "tết ta": (1, 1), "giao thừa": (1, 0),
    "rằm tháng giêng": (1, 15), "tết nguyên tiêu": (1, 15), "giỗ tổ hùng vương": (3, 10), "giỗ tổ": (3, 10),
    "phật đản": (4, 15), "tết đoan ngọ": (5, 5), "rằm tháng bảy": (7, 15), "rằm tháng 7": (7, 15),
    "vu lan": (7, 15), "trung thu": (8, 15), "tết trung thu": (8, 15), "ông công ông táo": (12, 23),
    "ông táo": (12, 23),
}  # fmt: skip
# seasons -> TIMEX3 season code
SEASONS: dict[str, str] = {"xuân": "SP", "hè": "SU", "hạ": "SU", "thu": "FA", "đông": "WI"}
# words that may appear in a temporal span besides the tables above
OTHER_WORDS: tuple[str, ...] = (
    "thứ", "chủ nhật", "tuần", "tháng", "năm", "ngày", "mồng", "mùng", "quý", "giờ", "phút", "giây", "rưỡi",
    "kém", "của", "buổi", "bây giờ", "hiện tại", "ngay", "lúc", "vào", "h", "g", "p", "nửa", "đồng hồ", "mùa", "lễ",
    "tết", "giêng", "âm", "lịch", "nguyên", "đán",  # "mùng 3 tết (âm lịch)", "mùng 5 tháng giêng"
    "cách đây",  # "cách đây 2 tuần": ago
)  # fmt: skip


def _accented_index() -> dict[str, frozenset[str]]:
    words: set[str] = set()
    for table in (NUMBER_WORDS, WEEKDAY_WORDS, MONTH_WORDS, RELATIVE_DAYS, CYCLE_SHIFT, PARTS_OF_DAY,
                  DURATION_UNITS, PART_MODS, SET_UNITS):  # fmt: skip
        for key in table:
            words.update(key.split())
    for seq in (DURATION_CUES, SET_WORDS, OTHER_WORDS):  # holiday/season names are checked whole, per rule
        for phrase in seq:
            words.update(phrase.split())
    index: dict[str, set[str]] = {}
    for w in words:
        index.setdefault(fold_word(w), set()).add(w)
    return {k: frozenset(v) for k, v in index.items()}


# folded word -> its accented spellings ("toi" -> {"tối", "tới"})
ACCENTED: dict[str, frozenset[str]] = _accented_index()


def alt(words: Iterable[str]) -> str:
    """A regex alternation of the folded forms of ``words`` (longest first, spaces as ``\\s``)."""
    folded = sorted({fold_word(w) for w in words}, key=len, reverse=True)
    return "|".join(f.replace(" ", r"\s") for f in folded)


# the day words after a part of the day ("tối nay", "sáng hôm qua", "chiều ngày mai"), folded
RELDAY_AFTER_POD = r"(?:(?:hom|ngay)\s)?(?:nay|qua|mai|kia|mot)"
