"""DATE / TIME / DURATION / SET in Vietnamese, normalised to TIMEX3-like values against ``ctx.ref_time``.

Values are dicts: ``{"type": "DATE", "value": "2024-03-15"}``, ``{"type": "TIME", "value": "T08:30"}`` (a time
of day with no date), ``{"type": "TIME", "value": "2026-11-25T15:00"}``, ``{"type": "DURATION", "value":
"P3D"}`` (with ``"max"`` for ranges such as "5-7 ngày"), ``{"type": "SET", "value": "XXXX-WXX-1"}``, and
``"mod": "START"|"MID"|"END"`` for "đầu/giữa/cuối tháng". The patterns live in
:mod:`vner.rules.recognizers.temporal.patterns` and run on folded text (no diacritics), so "hom nay" and "thu 2" are
found in messages typed without diacritics; in a message typed with diacritics a match must carry the right
ones ("tôi nay" is not "tối nay", "Việt Nam 2024" is not a year). Adjacent pieces are joined: a time and a day
("3h chiều ngày mai", "7:30 chiều ngày 20/4/2017"), a weekday and its date ("thứ 2 ngày 6 tháng 2"), a part of
day and a day ("sáng chủ nhật"). English text (``ctx.lang == "en"``) is left to the SUTime adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar

import regex

from ...conventions import SpanConventions
from ...entity import Entity
from ...recognizer import RuleContext
from .._base import check_config, fold, make_entity, mid_sentence, word_list
from . import resolve as tr
from .combine import apply_tense, choose, combine, opens_range
from .conventions import (
    include_day_word,
    include_lead_words,
    relative,
    split_day_part,
)
from .handlers import Hit
from .lexicon import (
    ACCENTED,
    PARTS_OF_DAY,
    POD_COMPOUND_NEXT,
    alt,
    fold_word,
)
from .patterns import (
    RULES,
    TOKEN_RX,
    candidates,
    expected_spellings,
    spelling_index,
    street_spans,
)

# folded part-of-day word -> its spellings ("toi" -> {"tối"}): "tới thứ 4" is "until Wednesday", not its evening
_POD_SPELLINGS = spelling_index(PARTS_OF_DAY)
_POD_BEFORE = regex.compile(rf"(?:buoi\s)?(?P<pod>{alt(PARTS_OF_DAY)})\s$")
# "tối 8h", "buổi chiều lúc 3h": a part of day before a clock time (maybe with a lead word between)
_CLOCK_LEAD = r"(?:vao\s)?luc\s|tam\s(?:khoang\s)?|khoang\s"  # "lúc", "vào lúc", "tầm (khoảng)", "khoảng"
_POD_BEFORE_CLOCK = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?P<buoi>buoi\s)?(?P<pod>{alt(PARTS_OF_DAY)})\s(?P<gap>{_CLOCK_LEAD})?$"
)
# between a SET ending in a part of day and its clock time: "mỗi tối 8h", "mỗi tối lúc 8h"
_SET_GAP = regex.compile(rf"\s(?:{_CLOCK_LEAD})?")
# "mai chiều", "ngày mai buổi sáng", "thứ 7 buổi tối": a part of day right after a day
_POD_AFTER = regex.compile(
    rf"\s(?P<buoi>buoi\s)?(?P<pod>{alt(PARTS_OF_DAY)})(?![\p{{L}}\p{{N}}]){POD_COMPOUND_NEXT}"
)
# typed without marks and without "buổi", these are other words as often: "sang" (go over), "toi" (I), "dem" (bring)
_POD_AMBIGUOUS_PLAIN = frozenset({"sang", "toi", "dem"})
# verbs of moving a date: "sang" after them is "to" ("đổi lịch sang 12/2"), never "sáng" typed without marks
_MOVE_TO = regex.compile(r"(?<!\p{L})(?:doi|doi\slich|chuyen|lui|hoan|day|don|gia\shan|keo\sdai|qua)\s$")
_CLOCK_CUE = regex.compile(r"(?:luc|vao|khoang|dung|tu|den)\s$")
_DATE_CUE = regex.compile(
    r"(?:ngay|mong|mung|hom|tu|den|han|vao|hen|truoc|sau|deadline|han\sthanh\stoan|han\schot|het\shan|"
    r"hom\snay|mai|hom\squa|giao|nhan|ship)\s$"
)
# "trong vòng 24 giờ", "chờ 2 giờ", "mất khoảng 10 giờ": a bare "N giờ" after these is an amount of time
# (checked on the accented text: folded "cho" is also "cho" = for, "muon" also "muốn" = want)
_DUR_CUE = regex.compile(
    r"(?<!\p{L})(?:trong\svòng|trong|mất|suốt|tốn|cần|kéo\sdài|chờ|đợi|delay|trễ|muộn|chậm)"
    r"(?:\s(?:khoảng|tầm|gần|hơn|chừng|cỡ|ít\snhất|tới|đến|cả))?\s$",
    regex.IGNORECASE,
)
_DUR_CUE_PLAIN = regex.compile(
    r"(?<!\p{L})(?:trong\svong|trong|mat|suot|ton|can|keo\sdai|cho|doi|delay|tre|cham)"
    r"(?:\s(?:khoang|tam|gan|hon|chung|co|it\snhat|toi|den|ca))?\s$"
)
# the cues the clock rule already reads without diacritics ("trong 3 giờ"), also before "khoảng"/"tầm"...; express
# delivery within hours: "ship hỏa tốc 2h"
_DUR_CUE_FOLDED = regex.compile(
    r"(?<!\p{L})(?:trong\svong|trong|mat|suot|ton|can|keo\sdai|delay|hoa\stoc)"
    r"(?:\s(?:khoang|tam|gan|hon|chung|co|it\snhat|toi|den|ca))?\s$"
)
# overtime: "OT 2h", "tăng ca 3 tiếng", "làm thêm khoảng 2h" is an amount of hours (never with "tới"/"đến": "tăng
# ca tới 9h" is until 9 o'clock)
_OT_CUE_FOLDED = regex.compile(
    r"(?<!\p{L})(?:ot|tang\sca|lam\sthem(?:\sgio)?)(?:\s(?:khoang|tam|gan|hon|chung|co|ca|them|duoc))?\s$"
)
# before an unaccented "mong 5": words that make it "mồng 5" (a day), not "mong" (hope)
_MONG_DAY_CUE = regex.compile(r"(?<![^\W_])(?:ngay|hen|den|tu|truoc|sau|vao|toi\sngay|het)\s$")
# "Còn thứ năm ...", "Dạ thứ năm ...": a leading word at the start of a sentence before a spelled weekday
_LEAD_WORD = regex.compile(
    r"(?:^|[.!?\n]\s*)(?:còn|dạ|vậy|thế|ngoài\sra|vâng|ok|oke|ừ|à|nhưng|thì|hay|hoặc)\s$", regex.IGNORECASE
)
_LEAD_WORD_PLAIN = regex.compile(
    r"(?:^|[.!?\n]\s*)(?:con|da|vay|the|ngoai\sra|vang|ok|oke|u|a|nhung|thi|hay|hoac)\s$"
)
_STREET_AFTER = regex.compile(r"\s\p{Lu}\p{Ll}")
# an address cue right before a d/m with a word after it: "ở 12/3 nguyễn trãi", "đc: 25/7 lê lợi", "số nhà 5/2 ..."
_HOUSE_CUE = regex.compile(
    r"(?:^|[^\p{L}\p{N}])(?:o|nha|dc|d/c|dchi|dia\schi|so|so\snha|sn|hem|ngo|ngach|kiet)\s*:?\s*$"
)
_WORD_AFTER = regex.compile(  # a word that can start a street name (folded text): not "ở 12/3 thì sao"
    r"\s+(?!(?:thi|nhe|nha|nhi|duoc|a|la|va|hay|hoac|roi|da|co|khong|chua|moi|cung|luc|vao|ok|oke)\b)\p{L}"
)
_WORD = regex.compile(r"\p{L}+")
# chat's hour without "h"/"giờ" ("sáng mai khoảng 8", "tối nay tầm 8 rưỡi", "mai lúc 9 em qua", "lúc 7 tối",
# "tầm 8 sáng mai"): a number after a clock lead, or one followed by "rưỡi" (half past), on folded text
_BARE_HOUR = regex.compile(
    r"(?<![\p{L}\p{N}/.,:+-])(?:(?P<lead>(?:vao\s)?luc|tam\skhoang|khoang\stam|tam|khoang|chung|hen)\s)?"
    r"(?P<h>2[0-4]|1\d|0?\d)(?:\s(?P<half>ruoi))?"
    rf"(?:\s(?:buoi\s)?(?P<pod>{alt(PARTS_OF_DAY)}))?(?![\p{{L}}\p{{N}}]|[.,:/]\d)"
)
_BARE_HOUR_HINTS = ("luc", "tam", "khoang", "chung", "hen", "ruoi")
# the lead words as spelled with their marks ("tám 8"/"tạm 8" are no "tầm 8")
_BARE_LEAD_SPELLINGS = {
    "luc": frozenset({"lúc"}), "vao luc": frozenset({"vào lúc"}), "tam": frozenset({"tầm"}),
    "khoang": frozenset({"khoảng"}), "tam khoang": frozenset({"tầm khoảng"}),
    "khoang tam": frozenset({"khoảng tầm"}), "chung": frozenset({"chừng"}), "hen": frozenset({"hẹn"}),
}  # fmt: skip
# what may follow a bare hour: the end of the clause, or a word that cannot be counted ("mai lúc 8 em qua", not
# "khoảng 8 người", "tầm 8 trăm")
_BARE_HOUR_END = regex.compile(r"[^\S\n]*(?:$|[,.!?;)\n])|[^\S\n]+(?P<w>\p{L}+)(?![\p{L}\p{N}])")
_BARE_HOUR_NEXT = frozenset(
    "em e anh a chi c minh m toi tui t ban b shop sh qua ghe den lay nhe nha nhen ha nhi nhaa nhak duoc dc "
    "ok oke okie nhan giao ship goi gap di ve la thi co se moi roi hen mo dong xong nay mai kia hom ngay thu "
    "dang bat lam hoc can ra vao cho cung van".split()
)
# after "lúc" with no day or part of day near, a pronoun is no such word: "lúc 2 em bé ngủ", "lúc 1 mình"
_PRONOUNS = frozenset("em e anh a chi c minh m toi tui t ban b shop sh".split())
_DAY_GAP = regex.compile(r"[^\S\n]*,?[^\S\n]*")
_LETTER = regex.compile(r"\p{L}")
_MARKED_LETTER = regex.compile(r"(?=\p{L})[^\x00-\x7f]")
_LAST_WORD = regex.compile(r"(\p{L}+)\s+$")
Spans = Sequence[tuple[int, int, frozenset[str]]]
_POD_CODE = {fold_word(k): v for k, v in PARTS_OF_DAY.items()}


# what joins the two ends of a range of days: "thứ 2 đến thứ 6", "t2 - t6", "thu 2 toi thu 6"
_RANGE_JOIN = regex.compile(r"\s*(?:[-–]|(?:cho\s)?(?:den|toi))\s*")


def _weekday_ranges(hits: list[Hit], folded: str) -> list[Hit]:
    """A bare weekday that ends a range counts from the day that starts it: on a Wednesday, "thứ 2 đến thứ 6" is
    next Monday to the Friday after it, not to this Friday."""
    for a, b in zip(hits, hits[1:], strict=False):
        if (
            b.weekday_only
            and a.day is not None
            and b.day is not None
            and b.day < a.day
            and _RANGE_JOIN.fullmatch(folded, a.end, b.start)
        ):
            b.day += timedelta(days=7 * ((a.day - b.day).days // 7 + 1))
            b.value = tr.timex("DATE", b.day.isoformat())
            b.why += "; counted from the day that starts the range"
    return hits


# one end of a weekly range "thứ 2 - thứ 6", "T2-CN": the weekday word or letter and its number, or Sunday
_RANGE_END = re.compile(r"(?:thu\s?|t)?(?P<d>[2-7])|cn|chu\s?nhat")


def _weekly_range_dates(hits: list[Hit], folded: str, ref: date) -> list[Hit]:
    """``weekday_ranges: dates``: a weekly range of weekdays becomes the DATEs of its ends, the coming first day
    and the last one after it; a bare number as the second end ("thứ 2-6") makes one DATE to ``value["end"]``."""
    out: list[Hit] = []
    for h in hits:
        if h.kind != "SET" or h.rule != "weekday_range":
            out.append(h)
            continue
        ends = list(_RANGE_END.finditer(folded, h.start, h.end))
        first, last = ends[0], ends[-1]
        a = int(first.group("d")) - 1
        b = int(last.group("d")) - 1 if last.group("d") else 7
        day_a = tr.weekday_date(a, ref, week_shift=None, relation="next_or_today")
        day_b = day_a + timedelta(days=b - a)
        why = "first day of a weekly range, read as the coming one"
        notes = [*h.notes, "weekday range as dates"]
        if last.group(0).isdigit():
            value = {**tr.timex("DATE", day_a.isoformat()), "end": day_b.isoformat()}
            out.append(Hit(h.start, h.end, "DATE", value, h.score, why, day=day_a, rule=h.rule, notes=notes))
            continue
        out.append(Hit(first.start(), first.end(), "DATE", tr.timex("DATE", day_a.isoformat()), h.score, why,
                       day=day_a, weekday_only=True, rule=h.rule, notes=notes))  # fmt: skip
        out.append(Hit(last.start(), last.end(), "DATE", tr.timex("DATE", day_b.isoformat()), h.score,
                       "last day of a weekly range, after its first", day=day_b, rule=h.rule, notes=notes))  # fmt: skip
    return out


# the tail of a list or range of days after "ngày 20": "ngày 20-25", "ngày 20 và 21", "mùng 5, 6"; not a month
# ("ngày 20-12" is a date), a count or a unit ("ngày 20 và 2 lần")
_DAY_TAIL = re.compile(
    r"\s?(?:[-–]|,|\sden|\stoi|\sva|\svoi|\shoac)\s?(?P<d>\d{1,2})(?![\d/:%]|[.,]\d|\s?[-–]?\s?\d)"
    r"(?!\s?(?:thang|thg|h|g|gio|tieng|phut|p|k|tr|trieu|nghin|ngan|lan|ngay|dem|tuan|nam|cai|chiec|don|sp|kg|lit)(?![^\W_]))"
)


def _day_list_tails(hits: list[Hit], folded: str) -> list[Hit]:
    """ "ngày 20-25", "ngày 20 và 21": the days after a lone day of the month are days of the same month."""
    out: list[Hit] = []
    for i, h in enumerate(hits):
        out.append(h)
        while h.rule == "day_only" and h.day is not None and (m := _DAY_TAIL.match(folded, h.end)):
            nxt = hits[i + 1].start if i + 1 < len(hits) else len(folded)
            d = int(m.group("d"))
            if m.end() > nxt or d <= h.day.day or (day := tr.valid_date(h.day.year, h.day.month, d)) is None:
                break
            why = f"{h.why}; a later day in the same list or range"
            h = Hit(m.start("d"), m.end("d"), "DATE", tr.timex("DATE", day.isoformat()), h.score, why, day=day,
                    rule=h.rule, notes=list(h.notes))  # fmt: skip
            out.append(h)
    return out


class TemporalRecognizer:
    """Vietnamese dates, times, durations and recurring times, resolved against the reference time."""

    name = "temporal"
    version = "v1"
    labels: tuple[str, ...] = ("DATE", "TIME", "DURATION", "SET")
    # the span conventions (vner.rules.conventions) this recognizer follows; a domain's reach it as config
    CONVENTIONS: ClassVar[tuple[str, ...]] = (
        "date_time",
        "lead_words",
        "relative_days",
        "relative_times",
        "time_ranges",
        "date_ranges",
        "weekday_ranges",
        "date_scope",
    )
    _CONFIG: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "without_diacritics": bool,
        "languages": (list, tuple),
        **dict.fromkeys(CONVENTIONS, str),
    }

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, self._CONFIG, where="temporal")
        self.without_diacritics: bool = cfg.get("without_diacritics", True)
        self.conventions = SpanConventions(**{k: cfg[k] for k in self.CONVENTIONS if k in cfg})
        # separate: "sáng 2/3", "8h ngày 15/3" keep the DATE "2/3" / "15/3" apart (PhoNER labels dates, not times)
        self.join_time_and_date: bool = self.conventions.date_time == "merged"
        langs = cfg.get("languages", ["vi"])
        self.languages = frozenset(word_list(langs, key="languages", where="temporal"))

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every temporal expression in NFC ``text``; empty for languages this recognizer does not serve."""
        if ctx.lang and ctx.lang not in self.languages:
            return []
        ref = ctx.ref_time.date()
        folded = fold(text)
        unaccented = _Lazy(text)
        hits: list[Hit] = []
        streets = street_spans(folded)
        for tok in TOKEN_RX.finditer(folded):
            for order in candidates(folded, tok.start(), tok.end()):
                rule, rx, handler, score, _ = RULES[order]
                m = rx.match(folded, tok.start())
                if m is None:
                    continue
                spans = expected_spellings(rule, m)
                spelled = self._spelled_as_expected(text, spans, unaccented)
                if spelled is None:
                    # "thứ 2 tối 8h": "tối" (evening) is not "tới" (next); the weekday ends before it
                    m = self._match_before_misspelled(rx, m, text, folded, spans, unaccented)
                    if m is None:
                        continue
                    spans = expected_spellings(rule, m)
                    spelled = self._spelled_as_expected(text, spans, unaccented)
                    if spelled is None:
                        continue
                hit = handler(m, ref, folded)
                if hit is not None and "\n" in folded[hit.start : hit.end]:
                    continue  # "bảo hành 24 tháng\nbay ...": a line break ends an expression
                if rule == "relday_bare" and text[m.start()].isupper() and mid_sentence(text, m.start()):
                    continue  # "gặp Mai 9h": a capitalised "Mai" inside a sentence is a name
                if (
                    rule == "day_only"
                    and text[m.start("lead") : m.end("lead")].lower() == "mong"
                    and not _MONG_DAY_CUE.search(folded, max(0, m.start() - 8), m.start())
                ):
                    continue  # "mong 5 sao nhé", "rất mong 2 bạn": "mong" without diacritics is "hope"
                if hit is None:
                    if (
                        rule == "weekday"
                        and m.group("wd")
                        and self._after_lead_word(text, folded, m, unaccented)
                    ):
                        # read the leading word as a cue: the handler sees ", " in its place
                        lead = max(0, m.start() - 2)
                        hit = handler(m, ref, " " * lead + ", " + folded[m.start() :])
                        if hit is not None:
                            hit.notes.append("weekday after a leading word")
                    if hit is None:
                        continue
                elif rule == "clock_h":
                    self._clock_as_duration(hit, m, text, folded, unaccented)
                if (
                    rule == "dm_num"
                    and _fraction_like(hit)
                    and _STREET_AFTER.match(text, hit.end)
                    and not _DATE_CUE.search(folded, max(0, hit.start - 12), hit.start)
                ):
                    continue  # "1/2 Lê Lợi": a house number before a street name
                if (
                    rule == "dm_num"
                    and _HOUSE_CUE.search(folded, max(0, hit.start - 16), hit.start)
                    and _WORD_AFTER.match(folded, hit.end)
                ):
                    continue  # "nhà em ở 12/3 nguyễn trãi", "đc: 25/7 lê lợi": a house number, not a date
                if any(a < hit.end and hit.start < b for a, b in streets) or (
                    rule == "dm_num" and any(folded[hit.end : a].isspace() for a, _ in streets)
                ):
                    continue  # "3/2 Cách Mạng Tháng Tám": a holiday name used as a street, its house number
                mode = self._diacritics(text, hit.start, hit.end, unaccented, checked=spans)
                if mode is None:
                    continue
                mode = "unaccented" if spelled == "plain" else mode
                hit.rule, hit.score = rule, score - order * 1e-4
                if mode == "unaccented":
                    hit.score -= 0.1
                    hit.notes.append("written without diacritics")
                self._cue_bonus(hit, folded)
                if hit.year_inferred or hit.month_inferred:
                    apply_tense(hit, text, ref)
                hits.append(hit)
        conv = self.conventions
        chosen = choose(hits)
        if conv.weekday_ranges == "dates":
            chosen = _weekly_range_dates(chosen, folded, ref)
        chosen = _day_list_tails(_weekday_ranges(chosen, folded), folded)
        relative(
            chosen, relative_days=conv.relative_days, relative_times=conv.relative_times, ref=ctx.ref_time
        )
        if self.join_time_and_date:
            chosen = self._pod_prefix(chosen, text, folded, unaccented)
            chosen = self._pod_suffix(chosen, text, folded, unaccented)
        else:
            chosen = split_day_part(chosen)
        if any(w in folded for w in _BARE_HOUR_HINTS):
            chosen = self._bare_hours(chosen, text, folded, unaccented)
        self._pod_before_clock(chosen, text, folded, unaccented)
        if conv.date_scope == "calendar":
            chosen = [h for h in chosen if h.kind != "DATE" or _calendar_date(h, folded)]
        joined = _range_end_day(combine(chosen, folded, times=self.join_time_and_date), folded)
        if conv.time_ranges == "joined":
            joined = _join_ranges(joined, folded, "TIME")
        if conv.date_ranges == "joined":
            joined = _join_ranges(joined, folded, "DATE")
        include_day_word(joined, text, folded, unaccented=unaccented)  # a lazy test: costly on every message
        if conv.lead_words == "inside":
            include_lead_words(joined, text, folded, unaccented=bool(unaccented))
        out = [self._entity(text, h, ref) for h in joined]
        for h in joined:
            if h.kind == "SET" and h.day_end is not None:
                # the day alone as an underspecified DATE, scored below the SET: it wins only in a domain that
                # has no SET label ("lương trả ngày 10 hàng tháng" in customer_service)
                value = tr.timex("DATE", "XXXX-XX-" + h.value["value"][-2:])
                day = Hit(
                    h.start, h.day_end, "DATE", value, h.score - 0.05, "the day of a monthly SET", rule=h.rule
                )
                out.append(self._entity(text, day, ref))
        return out

    def _diacritics(
        self, text: str, start: int, end: int, unaccented_msg: _Lazy, checked: Spans = ()
    ) -> str | None:
        """``"ok"``, ``"unaccented"`` (allowed without diacritics) or ``None`` (wrong or missing diacritics).

        Words inside ``checked`` spans were already matched against their rule's own spellings.
        """
        missing = False
        for w in _WORD.finditer(text, start, end):
            if any(s <= w.start() < e for s, e, _ in checked):
                continue
            low = w.group(0).lower()
            folded = fold_word(low)
            forms = ACCENTED.get(folded)
            if low != folded:
                if forms is None or low not in forms:
                    return None  # "tôi" is not "tối"
            elif forms is not None and folded not in forms:
                missing = True
                if w.group(0)[0].isupper() and _capitalised_word_before(text, w.start()):
                    return None  # "Việt Nam 2024", "Quảng Nam năm": a proper name
        if not missing:
            return "ok"
        return "unaccented" if (unaccented_msg and self.without_diacritics) else None

    def _match_before_misspelled(
        self, rx: re.Pattern[str], m: re.Match[str], text: str, folded: str, spans: Spans, unaccented: _Lazy
    ) -> re.Match[str] | None:
        """The rule's match ending before its first misspelled word, when the rule also matches there."""
        for start, end, allowed in spans:
            if self._spelled_as_expected(text, ((start, end, allowed),), unaccented) is None:
                endpos = len(folded[m.start() : start].rstrip()) + m.start()
                return rx.match(folded, m.start(), endpos) if endpos > m.start() else None
        return None

    def _spelled_as_expected(self, text: str, spans: Spans, unaccented_msg: _Lazy) -> str | None:
        """``"ok"``, ``"plain"`` (a word written without its diacritics, allowed) or ``None``."""
        result = "ok"
        for start, end, allowed in spans:
            surface = " ".join(text[start:end].lower().split())
            if surface in allowed:
                continue
            if surface != fold_word(surface) or not (unaccented_msg and self.without_diacritics):
                return None  # "tháng sáu" matched as "next month", or a word missing its diacritics
            result = "plain"
        return result

    def _after_lead_word(self, text: str, folded: str, m: re.Match[str], unaccented: _Lazy) -> bool:
        """ "Còn thứ năm", "Dạ thứ năm": a spelled weekday after a sentence's leading word."""
        lo = max(0, m.start() - 14)
        if _LEAD_WORD.search(text, lo, m.start()):
            return True
        return bool(unaccented and self.without_diacritics and _LEAD_WORD_PLAIN.search(folded, lo, m.start()))

    def _clock_as_duration(
        self, hit: Hit, m: re.Match[str], text: str, folded: str, unaccented: _Lazy
    ) -> None:
        """A bare "N giờ" / "Nh" after "trong vòng", "chờ", "mất khoảng", "delay" is an amount of time."""
        if hit.clock is None or hit.pod is not None or any(m.group(g) for g in ("mi", "mi_w", "half", "kem")):
            return
        lo = max(0, hit.start - 24)
        if not (
            _DUR_CUE.search(text, lo, hit.start)
            or _DUR_CUE_FOLDED.search(folded, lo, hit.start)
            or _OT_CUE_FOLDED.search(folded, lo, hit.start)
        ):
            if not (unaccented and self.without_diacritics and _DUR_CUE_PLAIN.search(folded, lo, hit.start)):
                return
        hours = hit.clock[0] or 24
        hit.kind, hit.clock = "DURATION", None
        hit.value = tr.timex("DURATION", f"PT{hours}H")
        hit.why = "amount of hours (a duration cue before it)"

    @staticmethod
    def _cue_bonus(hit: Hit, folded: str) -> None:
        before = folded[max(0, hit.start - 20) : hit.start]
        if hit.kind == "DATE" and hit.rule == "dm_num":
            if _DATE_CUE.search(before):
                hit.score += 0.15
                hit.notes.append("date cue before it")
            elif _zero_padded(folded[hit.start : hit.end]):
                hit.score += 0.15
                hit.notes.append("zero-padded day or month: a date, not a fraction")
            elif _fraction_like(hit):
                hit.score -= 0.15
                hit.notes.append("no date cue and it reads as a fraction too")
        elif hit.rule == "day_only" and " " in folded[hit.start : hit.end]:
            hit.score += 0.15  # "ngày 20 tháng sau": the 20th of next month, not 20 months
            hit.notes.append("day of the month it names")
        elif hit.kind == "TIME" and hit.clock is not None and _CLOCK_CUE.search(before):
            hit.score += 0.05
            hit.notes.append("time cue before it")

    def _pod_prefix(self, hits: list[Hit], text: str, folded: str, unaccented: _Lazy) -> list[Hit]:
        """ "sáng chủ nhật", "chiều 15/3": a part of day right before a day makes a TIME; not before the first day
        of a range ("9h sáng thứ 2 đến thứ 6": the hours of every day in it, as "8h-17h thứ 2 - thứ 6")."""
        for i, h in enumerate(hits):
            if h.day is None or h.kind != "DATE" or opens_range(h, hits[i + 1 : i + 2], folded):
                continue
            m = _POD_BEFORE.search(folded[max(0, h.start - 12) : h.start])
            if m is None:
                continue
            start = h.start - (len(m.group(0)))
            pod_at = start + m.start("pod") - m.start()
            if m.group(0) == "toi " and text[pod_at : pod_at + 3].lower() == "toi":
                # "thu 2 toi thu 6", "ship toi 7/12 nhan hang": before a day, a plain "toi" is "tới" (to, by)
                # as often as "tối" (evening); the day alone is right either way
                continue
            if self._diacritics(text, start, h.start, unaccented) is None or not self._pod_spelled(
                text, pod_at, pod_at + len(m.group("pod")), unaccented
            ):
                continue
            if m.group("pod") == "sang" and _MOVE_TO.search(folded, max(0, start - 14), start):
                continue  # "đổi lịch sang 12/2", "dời sang thứ 6": "sang" = "to", not "sáng" (morning)
            pod = _POD_CODE[m.group("pod")]
            h.start, h.kind, h.pod = start, "TIME", pod
            h.value = tr.timex("TIME", f"{h.day.isoformat()}T{pod}")
            h.why += "; part of day before it"
        return hits

    def _bare_hours(self, hits: list[Hit], text: str, folded: str, unaccented: _Lazy) -> list[Hit]:
        """Chat's hour without "h"/"giờ": after "lúc"/"tầm"/"khoảng"/"chừng"/"hẹn" right after a day or a part
        of day ("sáng mai khoảng 8", "tối tầm 8 rưỡi"), right before one ("tầm 8 sáng mai"), with a part of day
        after it ("lúc 7 tối"), or after "lúc" alone ("lúc 8 em qua"); "8 rưỡi" (half past) needs no lead right
        after a day ("tối nay 8 rưỡi"). The number must end the clause or be followed by a word that is not
        counted ("khoảng 8 người", "tầm 8 trăm" stay unread). Combining then joins it to the day."""
        added: list[Hit] = []
        for m in _BARE_HOUR.finditer(folded):
            lead, pod_word = m.group("lead"), m.group("pod")
            if not (lead or m.group("half")):
                continue
            start = m.start("h")
            end = m.end("half") if m.group("half") else m.end("h")  # the hour without a part of day after it
            # "tầm 8 sáng mai": a day found right after it (it may begin with that part of day)
            day_after = any(h.pod is not None and h.clock is None and h.start == end + 1 for h in hits)
            if pod_word and not day_after:
                if not lead or not self._pod_spelled(text, m.start("pod"), m.end("pod"), unaccented):
                    continue
                end = m.end()  # "lúc 7 tối": the part of day after the hour joins it
            else:
                pod_word = None
            if any(h.start < end and start < h.end for h in hits):
                continue
            at = m.start("lead") if lead else start
            if lead:
                spelled = text[at : m.end("lead")].lower()
                if spelled not in _BARE_LEAD_SPELLINGS[" ".join(lead.split())] and not (
                    spelled == lead and unaccented and self.without_diacritics
                ):
                    continue  # "tạm 8", "tám 8": no "tầm 8"
            day_before = any(
                h.day is not None
                and h.clock is None
                and h.kind in ("DATE", "TIME")
                and _DAY_GAP.fullmatch(folded, h.end, at) is not None
                for h in hits
            )
            if not lead and not day_before:
                continue  # "8 rưỡi" alone may be an amount ("ship 3 rưỡi")
            pod_before = (
                lead is not None and _POD_BEFORE_CLOCK.search(folded, max(0, at - 14), start) is not None
            )
            if not (pod_word or day_before or day_after or pod_before or lead in ("luc", "vao luc")):
                continue
            if not (pod_word or day_after):
                stop = _BARE_HOUR_END.match(folded, end)
                word = None if stop is None else stop.group("w")
                if stop is None or (
                    word is not None
                    and (
                        word not in _BARE_HOUR_NEXT or (word in _PRONOUNS and not (day_before or pod_before))
                    )
                ):
                    continue
            pod = _POD_CODE[pod_word] if pod_word else None
            hour = tr.hour_for_part(int(m.group("h")), pod)
            if hour is None:
                continue
            mi = 30 if m.group("half") else 0
            why = "an hour without 'giờ' after " + (f"'{lead}'" if lead else "a day, with 'rưỡi'")
            added.append(
                Hit(
                    start,
                    end,
                    "TIME",
                    tr.timex("TIME", f"T{tr.time_str(hour % 24, mi, None)}"),
                    0.75,
                    why,
                    clock=(hour % 24, mi, None),
                    pod=pod,
                    rule="clock_bare",
                )  # fmt: skip
            )
        if not added:
            return hits
        return sorted([*hits, *added], key=lambda h: h.start)

    def _pod_before_clock(self, hits: list[Hit], text: str, folded: str, unaccented: _Lazy) -> None:
        """ "tối 8h", "chiều 3h30", "buổi sáng 9:00": a part of day right before a clock time sets its hour and
        joins its span; after "lúc", "tầm", "khoảng" ("chiều tầm 3h") it sets the hour only."""
        prev_end, prev_set = 0, False
        for h in hits:
            before, prev_end = prev_end, h.end
            # "mỗi tối 8h": the part of day ends a SET before the clock; it sets the hour, the spans stay apart
            in_set = prev_set and _SET_GAP.fullmatch(folded, before, h.start) is not None
            prev_set = h.kind == "SET"
            if h.kind != "TIME" or h.clock is None or h.pod is not None or h.day is not None:
                continue
            lo = max(0, h.start - 24) if in_set else max(before, h.start - 24)
            m = _POD_BEFORE_CLOCK.search(folded, lo, h.start)
            if m is None or (in_set and m.end("pod") != before):
                continue
            pod_at, pod_end = m.span("pod")
            word = text[pod_at:pod_end].lower()
            if not self._pod_spelled(text, pod_at, pod_end, unaccented) or (
                word in _POD_AMBIGUOUS_PLAIN and not m.group("buoi") and not in_set
            ):
                continue  # "tới 8h" (until 8), "toi 8h" (I ... at 8) typed without marks
            if m.group("pod") == "sang" and _MOVE_TO.search(folded, max(0, m.start() - 14), m.start()):
                continue  # "dời sang 9h": "sang" = "to"
            pod = _POD_CODE[m.group("pod")]
            written, mi, sec = h.clock
            hour = tr.hour_for_part(written, pod)
            if hour is None:
                continue  # "sáng 15h": they contradict; the clock stays as written
            h.clock, h.pod = (hour % 24, mi, sec), pod
            h.value = tr.timex("TIME", f"T{tr.time_str(hour % 24, mi, sec)}")
            if m.group("gap") or in_set:
                h.why += "; part of day before it"
            else:
                h.start = m.start()
                h.why += "; part of day right before it"

    def _pod_suffix(self, hits: list[Hit], text: str, folded: str, unaccented: _Lazy) -> list[Hit]:
        """ "mai chiều", "thứ 7 buổi sáng", "20/12 buổi tối": a part of day right after a day makes a TIME.

        In "mai chiều qua lấy" (tomorrow afternoon, come and pick it up) "chiều qua" alone reads as yesterday
        afternoon; right after a day that is not yesterday, "qua" is the verb, and the day takes "chiều".
        """
        drop: set[int] = set()
        for i, h in enumerate(hits):
            if h.day is None or h.kind != "DATE" or i in drop:
                continue
            m = _POD_AFTER.match(folded, h.end)
            if m is None:
                continue
            nxt = hits[i + 1] if i + 1 < len(hits) else None
            overlaps = nxt is not None and nxt.start < m.end()
            if overlaps:
                assert nxt is not None
                verb = (
                    nxt.rule == "pod_day"
                    and nxt.start == m.start("buoi" if m.group("buoi") else "pod")
                    and folded[m.end() : nxt.end] == " qua"
                    and nxt.day is not None
                    and nxt.day != h.day
                )
                if not verb:
                    continue  # the part of day belongs to the next expression
            pod_word = text[m.start("pod") : m.end("pod")]
            if (
                not m.group("buoi")
                and m.group("pod") in _POD_AMBIGUOUS_PLAIN
                and pod_word.lower() == m.group("pod")
            ):
                if overlaps:
                    drop.add(i + 1)  # "mai toi qua lay": "tomorrow I come", not "last night" after "tomorrow"
                continue  # "mai sang lấy", "mai toi qua": "go over", "I", not "sáng", "tối"
            if self._diacritics(text, m.start(), m.end(), unaccented) is None or not self._pod_spelled(
                text, m.start("pod"), m.end("pod"), unaccented
            ):
                continue  # "mai sang nhà em" in an accented message: "sang" is "to", not "sáng"
            if overlaps:
                drop.add(i + 1)
            pod = _POD_CODE[m.group("pod")]
            h.end, h.kind, h.pod = m.end(), "TIME", pod
            h.value = tr.timex("TIME", f"{h.day.isoformat()}T{pod}")
            h.why += "; part of day after it"
        return [h for i, h in enumerate(hits) if i not in drop] if drop else hits

    def _pod_spelled(self, text: str, start: int, end: int, unaccented: _Lazy) -> bool:
        """The word at ``text[start:end]`` is a part of day as spelled ("tối", or "toi" in an unaccented message)."""
        allowed = _POD_SPELLINGS[fold_word(text[start:end].lower())]
        return self._spelled_as_expected(text, ((start, end, allowed),), unaccented) is not None

    def _entity(self, text: str, h: Hit, ref: date) -> Entity:
        notes = "".join(f"; {n}" for n in h.notes)
        why = f"{h.kind} ({h.rule}): {h.why}{notes}; reference date {ref.isoformat()}"
        return make_entity(
            self, text, h.start, h.end, label=h.kind, value=h.value, score=min(h.score, 0.99), explanation=why
        )


class _Lazy:
    """``bool(_Lazy(text))``: whether the message is typed without diacritics, computed once when first asked."""

    __slots__ = ("text", "value")

    def __init__(self, text: str) -> None:
        self.text = text
        self.value: bool | None = None

    def __bool__(self) -> bool:
        if self.value is None:
            self.value = _is_unaccented(self.text)
        return self.value


def _is_unaccented(text: str) -> bool:
    """Whether the message as a whole is typed without diacritics (< 3 % of its letters carry marks)."""
    if text.isascii():
        return True
    letters = len(_LETTER.findall(text))
    marked = len(_MARKED_LETTER.findall(text))  # Vietnamese marked letters are all non-ASCII
    return marked < 0.03 * letters


def _zero_padded(surface: str) -> bool:
    """ "04/07", "1/07": fractions are not written with a leading zero."""
    parts = re.split(r"\s?[/-]\s?", surface)
    return len(parts) == 2 and any(len(p) == 2 and p[0] == "0" for p in parts)


# between the two clocks of a range: "9-10h", "14h - 16h", "8h đến 17h", "8h tới 10h"
_CLOCK_RANGE_LINK = regex.compile(r"\s?[-–]\s?|\s(?:den|toi)\s")


_DATED_CLOCK = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})")
_BARE_CLOCK = re.compile(r"T(\d{2}):(\d{2})(:\d{2})?")


def _range_end_day(hits: list[Hit], folded: str) -> list[Hit]:
    """ "sáng mai 8-9h", "chiều thứ 6 2h đến 4h": a range's second clock has the day and the part of the day of its
    first one (the first got them from the words before it): 9h is 09:00 tomorrow, 4h is 16:00 that Friday."""
    for prev, h in zip(hits, hits[1:], strict=False):
        if (
            h.kind != "TIME"
            or prev.kind != "TIME"
            or h.clock is None
            or h.pod is not None
            or h.day is not None
        ):
            continue
        a, b = (
            _DATED_CLOCK.fullmatch(str(prev.value.get("value"))),
            _BARE_CLOCK.fullmatch(str(h.value.get("value"))),
        )
        if (
            a is None
            or b is None
            or "end" in prev.value
            or not _CLOCK_RANGE_LINK.fullmatch(folded, prev.end, h.start)
        ):
            continue
        start_hour, hour = int(a.group(2)), int(b.group(1))
        if start_hour >= 12 and hour < 12:
            hour += 12  # "chiều mai 2-4h": the afternoon's 4h
        if not start_hour < hour <= 23:
            continue  # "10h-2h chiều": not a range forward on the same day's clock
        h.day = date.fromisoformat(a.group(1))
        h.clock = (hour, int(b.group(2)), h.clock[2])
        h.value = tr.timex("TIME", f"{a.group(1)}T{hour:02d}:{b.group(2)}{b.group(3) or ''}")
        h.why += "; day and part of the day from the range's start"
    return hits


def _join_ranges(hits: list[Hit], folded: str, kind: str) -> list[Hit]:
    """Two TIMEs (``time_ranges: joined``) or two DATEs (``date_ranges: joined``) joined by a range link become
    one: the value is the start and ``value["end"]`` the end ("9-10h sáng" -> T09:00 .. T10:00, "01/11 - 30/11"
    -> 2026-11-01 .. 2026-11-30)."""
    out: list[Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == h.kind == kind
            and "end" not in prev.value
            and "end" not in h.value
            and isinstance(prev.value.get("value"), str)
            and isinstance(h.value.get("value"), str)
            and _CLOCK_RANGE_LINK.fullmatch(folded, prev.end, h.start)
        ):
            start, end = prev.value["value"], h.value["value"]
            if kind == "DATE" and not start < end:
                out.append(h)
                continue  # "30/11 - 01/11": not a range forward in time
            if start.startswith("T") and not end.startswith("T"):
                start = end.partition("T")[0] + start  # "14h-16h chiều nay": the day of its end
            value = {**prev.value, "value": start, "end": end}
            note = "one clock range" if kind == "TIME" else "one range of days"
            out[-1] = Hit(prev.start, h.end, kind, value, max(prev.score, h.score), f"{prev.why} .. {h.why}",
                          day=prev.day, rule=f"{prev.rule}+{h.rule}", notes=[*prev.notes, *h.notes, note])  # fmt: skip
            continue
        out.append(h)
    return out


# date_scope calendar: what names no day or month of the calendar, digits or not ("thứ 2", "năm 2019", "quý 3",
# "tuần 48", "3 ngày nữa" read as the DATE it names)
_NOT_CALENDAR_RULES = frozenset(
    {
        "weekday",
        "weekday_abbr",
        "year",
        "year_rel",
        "quarter",
        "quarter_rel",
        "season",
        "duration",
        "week_rel",
    }
)


def _calendar_date(hit: Hit, folded: str) -> bool:
    """A DATE written with its day or month ("15/3", "ngày 20", "tháng 3", "tháng hai", "mùng 7 tết", "Quốc
    khánh"), not a deictic one ("hôm nay", "tuần trước", "cuối tuần", "thứ 2", "năm 2019")."""
    if hit.rule in _NOT_CALENDAR_RULES:
        return False
    return hit.rule in ("holiday", "lunar", "month", "dmy_words") or any(
        c.isdigit() for c in folded[hit.start : hit.end]
    )


def _fraction_like(hit: Hit) -> bool:
    return hit.day is not None and hit.day.day < hit.day.month


def _capitalised_word_before(text: str, pos: int) -> bool:
    m = _LAST_WORD.search(text, max(0, pos - 20), pos)
    return bool(m and m.group(1)[0].isupper())


RECOGNIZERS: dict[str, type] = {"temporal": TemporalRecognizer}
