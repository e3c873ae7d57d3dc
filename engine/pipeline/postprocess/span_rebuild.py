"""Span reconstruction: a label on part of a word, name, unit or address is extended to the whole unit.

The paper's failures: "Pham" for "Pham Minh Chinh", "Vietcom" for "Vietcombank", "miếng" for "vàng miếng",
"tòa nhà Avalon" for "tòa nhà Avalon, quận 1". Rule-owned labels are validated spans and are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import regex

from ....rules.entity import Entity, Origin
from ....rules.lang.vi.cues import STREET_WORDS
from ....rules.lang.vi.places import load_places
from ....rules.recognizers.gazetteer_match import capitalised
from .base import WORD_RE, fold, is_word_char, resize
from .context import DomainContext
from .lexicon import (
    ADDRESS_UNIT_WORDS,
    MULTIWORD_UNITS,
    NAME_STOP_WORDS,
)

NAME = "span_rebuild"
MAX_NAME_SYLLABLES = 5
_UNIT_FOLDED = tuple(sorted({fold(w) for w in ADDRESS_UNIT_WORDS}, key=len, reverse=True))


@cache
def _place_index() -> dict[str, tuple[tuple[str, str], ...]]:
    """First two folded characters -> (folded name, needs), longest first: every spelling of a province, city
    or district that the LOCATION gazetteer finds without a prefix (the same data: :mod:`vner.rules.lang.vi.places`)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for surface, needs in load_places().surfaces().items():
        if needs != "prefix":
            key = fold(surface)
            index.setdefault(key[:2], []).append((key, needs))
    return {k: tuple(sorted(set(v), key=lambda kv: -len(kv[0]))) for k, v in index.items()}


def _whole_words(text: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and is_word_char(text[s - 1]) and is_word_char(text[s]):
        s -= 1
    while e < len(text) and is_word_char(text[e]) and is_word_char(text[e - 1]):
        e += 1
    return s, e


def _is_name_syllable(word: str) -> bool:
    return (
        len(word) > 0
        and word[0].isupper()
        and word.isalpha()
        and (len(word) == 1 or not word[1:].isupper())
        and word.lower() not in NAME_STOP_WORDS
    )


def _extend_name(text: str, s: int, e: int) -> tuple[int, int]:
    """Grow over neighbouring capitalised syllables (not honorifics), up to five syllables in all."""
    count = len(text[s:e].split())
    while count < MAX_NAME_SYLLABLES and s >= 2 and text[s - 1] == " ":
        j = s - 1
        i = j
        while i > 0 and text[i - 1].isalpha():
            i -= 1
        if not _is_name_syllable(text[i:j]):
            break
        s, count = i, count + 1
    while count < MAX_NAME_SYLLABLES and e + 1 < len(text) and text[e] == " ":
        i = e + 1
        j = i
        while j < len(text) and text[j].isalpha():
            j += 1
        if j == i or (j < len(text) and is_word_char(text[j])) or not _is_name_syllable(text[i:j]):
            break
        e, count = j, count + 1
    return s, e


def _segment_name_end(text: str, i: int) -> int | None:
    """End of the name after a unit word: one token with a digit ("1", "12A") or up to 4 capitalised words."""
    words = list(WORD_RE.finditer(text, i))
    if not words or words[0].start() != i:
        return None
    first = words[0].group()
    if any(c.isdigit() for c in first):
        return words[0].end()
    end = None
    pos = i
    for m in words[:4]:
        if m.start() != pos or not m.group()[0].isupper():
            break
        end = m.end()
        pos = end + 1
        if end >= len(text) or text[end] != " ":
            break
    return end


# chat's numbered ward or district without its dot: "p13", "q7" (wards 1-30, districts 1-12)
_GLUED_NUMBERED = regex.compile(r"(?:p(?:[1-9]|[12]\d|30)|q(?:[1-9]|1[0-2]))(?![\p{L}\p{N}_])")


def _address_segment_end(folded: str, text: str, i: int) -> int | None:
    """If an address segment (unit word + name, a numbered "p13"/"q7", or a province or district) starts at
    ``i``, where it ends."""
    if (glued := _GLUED_NUMBERED.match(folded, i)) is not None:
        return glued.end()
    for unit in _UNIT_FOLDED:
        j = i + len(unit)
        if folded.startswith(unit, i) and (
            unit.endswith(".") or j == len(folded) or not is_word_char(folded[j])
        ):
            k = j + 1 if j < len(text) and text[j] == " " else j
            end = _segment_name_end(text, k)
            if end is None and k != i and unit in _WARD_UNITS:
                end = _ward_end(folded, k)  # "phuong ben thanh"
            return (
                end if end is not None or k == i else _place_end(folded, text, k)
            )  # "tp hcm", "q. tan binh"
    if folded.startswith("p ", i):  # chat's "p ben thanh": a bare "p" only before a known ward's name
        return _ward_end(folded, i + 2)
    return _place_end(folded, text, i)


_WARD_UNITS = frozenset({"phuong", "p.", "xa"})


@cache
def _ward_index() -> dict[str, tuple[str, ...]]:
    """First two folded characters -> folded ward and commune names of two words or more, longest first."""
    index: dict[str, set[str]] = {}
    for ward in load_places().wards:
        for surface in ward.surfaces:
            key = fold(surface)
            if " " in key:
                index.setdefault(key[:2], set()).add(key)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _ward_end(folded: str, i: int) -> int | None:
    """End of a ward or commune name (any case, with or without diacritics) starting at ``i``."""
    for name in _ward_index().get(folded[i : i + 2], ()):
        j = i + len(name)
        if folded.startswith(name, i) and (j == len(folded) or not is_word_char(folded[j])):
            return j
    return None


def _place_end(folded: str, text: str, i: int) -> int | None:
    """End of a province or district name the gazetteer finds without a prefix, starting at ``i``."""
    for place, needs in _place_index().get(folded[i : i + 2], ()):
        j = i + len(place)
        if (
            folded.startswith(place, i)
            and (j == len(folded) or not is_word_char(folded[j]))
            and (needs != "capital" or capitalised(text[i:j]))
        ):
            return j
    return None


def _extend_address(text: str, folded: str, s: int, e: int) -> tuple[int, int]:
    """Grow right over ", quận 1", " (quận 1)", ", phường X", ", Nghệ An" … segments."""
    while True:
        m = e
        if text.startswith(", ", m) or text.startswith(" - ", m):
            m += 2 if text[m] == "," else 3
        elif text.startswith(" (", m):
            seg = _address_segment_end(folded, text, m + 2)
            if seg is not None and seg < len(text) and text[seg] == ")":
                e = seg + 1
                continue
            break
        elif text.startswith(" ", m):
            m += 1
        else:
            break
        seg = _address_segment_end(folded, text, m)
        if seg is None and m > e:
            seg = _bare_segment_end(folded, text, m)
        if seg is None:
            break
        e = seg
    return s, e


def _bare_segment_end(folded: str, text: str, i: int) -> int | None:
    """A capitalised name without a unit word between two address segments ("58 Tố Hữu, Trung Văn, Nam Từ
    Liêm": a ward, often one the 2025 reorganisation renamed): where the segment after it ends."""
    name_end = _segment_name_end(text, i)
    if name_end is None or any(c.isdigit() for c in text[i:name_end]):
        return None
    j = name_end
    if text.startswith(", ", j):
        j += 2
    elif text.startswith(" - ", j):
        j += 3
    else:
        return None
    return _address_segment_end(folded, text, j)


_UNIT_ALT = "|".join(regex.escape(u) for u in _UNIT_FOLDED)
# Checked on folded (lower-case, no diacritics) text; capitalisation of the name is checked on the original.
_LEFT_SEG = regex.compile(
    rf"(?:(?:so )?\d+[a-z]?(?:/\d+)*(?: (?:{_UNIT_ALT}))? (?P<street>.+)|(?:{_UNIT_ALT}) ?(?P<name>.+))"
)
_SEG_STOP = ",;:()\n!?"


def _left_segment(text: str, folded: str, end: int) -> int | None:
    """Start of the longest address segment ("12 Nguyễn Trãi", "số 249 đường Liễu Giai", "tòa nhà Avalon")
    that ends at ``end`` and starts at a word inside the same clause."""
    lo = end
    while (
        lo > 0
        and text[lo - 1] not in _SEG_STOP
        and not (text[lo - 1] == "." and text[lo - 2 : lo - 1].islower())
    ):
        lo -= 1
    for m in regex.finditer(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]", text[lo:end]):
        start = lo + m.start()
        seg = _LEFT_SEG.fullmatch(folded, start, end)
        if not seg:
            continue
        grp = "street" if seg.group("street") is not None else "name"
        words = text[seg.start(grp) : seg.end(grp)].split()
        if 0 < len(words) <= 5 and not _unit_word(words[-1]):
            if all(_street_word(w) for w in words) or _lower_case_street(text[start:end].split()):
                return start
    return None


_STREET_TYPES = frozenset(fold(w) for w in STREET_WORDS)
_NOT_STREET_NAME = frozenset(fold(w) for w in NAME_STOP_WORDS) | {
    "nay",
    "kia",
    "do",
    "ay",
    "nao",
    "nhe",
    "nha",
}


def _lower_case_street(words: list[str]) -> bool:
    """Chat's lower-case street: "so 12 ngo 34 duong lang", "số 5 đường lê lợi", "12 ngõ 5 láng hạ": after a
    street word (đường, phố, ngõ, ngách, hẻm, kiệt) and maybe its number, one to three lower-case words, in a
    segment with a house number."""
    if not any(c.isdigit() for w in words for c in w):
        return False
    last = max((i for i, w in enumerate(words) if fold(w) in _STREET_TYPES), default=-1)
    if 0 <= last < len(words) - 1 and _HOUSE_NUMBER.fullmatch(words[last + 1]):
        last += 1  # "12 ngõ 5 láng hạ": the alley's number, then the street's name
    name = words[last + 1 :]
    return (
        last >= 0
        and 0 < len(name) <= 3
        and all(w.isalpha() and w.islower() and fold(w) not in _NOT_STREET_NAME for w in name)
        and all(_street_word(w) for w in words[:last])
    )


_HOUSE_NUMBER = regex.compile(r"\d+[a-zA-Z]?(?:/\d+[a-zA-Z]?)*")


def _unit_word(word: str) -> bool:
    return fold(word) in _UNIT_FOLDED


def _street_word(word: str) -> bool:
    """A word of a street segment: capitalised, a house number ("12", "123/4", "45B") or a unit word inside it
    ("12 ngõ 34 đường Láng")."""
    return word[:1].isupper() or _HOUSE_NUMBER.fullmatch(word) is not None or _unit_word(word)


def _extend_address_left(text: str, folded: str, s: int, e: int) -> int:
    """Grow left over "số 249 đường Liễu Giai, " and "tòa nhà Avalon, " segments before a found address, also
    without the comma ("hẻm 123/4 Lê Văn Sỹ p.13")."""
    while s >= 2:
        gap = 2 if text[s - 2 : s] == ", " else 1 if text[s - 1] == " " else 0
        if not gap:
            break
        start = _left_segment(text, folded, s - gap)
        if (start is None or start >= s - gap) and gap == 2:
            start = _district_before(text, folded, s - gap, s, e)
        if start is None or start >= s - gap:
            break
        s = start
    return s


@cache
def _home_provinces() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Folded district or ward spelling -> the current provinces it lies in; folded province spelling -> its
    current province (the LOCATION gazetteer's data)."""
    places = load_places()
    provinces = {fold(sp): p.province for p in places.provinces for sp in p.surfaces}
    inside: dict[str, set[str]] = {}
    for p in (*places.districts, *places.wards):
        for sp in p.surfaces:
            inside.setdefault(fold(sp), set()).add(p.province)
    return {k: frozenset(v) for k, v in inside.items()}, provinces


def _district_before(text: str, folded: str, end: int, s: int, e: int) -> int | None:
    """Start of a bare district or ward name right before ", <its province>": "Hải Châu, Đà Nẵng",
    "hai chau, da nang" (alone, "Hải Châu" is as often a person's name)."""
    inside, provinces = _home_provinces()
    named = {provinces[seg.strip()] for seg in folded[s:e].split(",") if seg.strip() in provinces}
    if not named:
        return None
    words = list(WORD_RE.finditer(text, max(0, end - 40), end))
    for n in range(min(4, len(words)), 0, -1):
        first = words[-n]
        span = text[first.start() : end]
        if words[-1].end() != end or not (span.islower() or all(_is_name_syllable(w) for w in span.split())):
            continue
        if " ".join(span.split()) != span or first.start() > 0 and is_word_char(text[first.start() - 1]):
            continue
        if inside.get(folded[first.start() : end], frozenset()) & named:
            return first.start()
    return None


_UNIT_RE = regex.compile(
    r"(?<![\p{L}\p{N}_])(?:"
    + "|".join(regex.escape(u) for u in sorted({fold(x) for x in MULTIWORD_UNITS}, key=len, reverse=True))
    + r")(?![\p{L}\p{N}_])"
)


def _extend_unit(units: list[tuple[int, int]], s: int, e: int) -> tuple[int, int]:
    """Grow to the longest known multi-word unit that covers the span ("miếng" → "vàng miếng")."""
    covering = [(a, b) for a, b in units if a <= s and e <= b and (a, b) != (s, e)]
    return max(covering, key=lambda ab: (ab[1] - ab[0], -ab[0])) if covering else (s, e)


def span_rebuild(text: str, entities: Sequence[Entity], ctx: DomainContext) -> list[Entity]:
    """Extend partial spans of non-rule labels to whole words, names, units and addresses."""
    folded = fold(text)
    persons, addresses, unit_labels = ctx.role("person"), ctx.role("address"), ctx.role("unit")
    units: list[tuple[int, int]] | None = None
    out: list[Entity] = []
    for ent in entities:
        if ent.label in ctx.rule_labels:
            out.append(ent)
            continue
        # a rule's span is exact by construction ("30x20x10cm" is three parts of a size); a model's may stop
        # inside a word
        s, e = (ent.start, ent.end) if ent.origin is Origin.RULE else _whole_words(text, ent.start, ent.end)
        why = []
        if (s, e) != (ent.start, ent.end):
            why.append("extended to whole words")
        if ent.label in persons:
            s2, e2 = _extend_name(text, s, e)
            if (s2, e2) != (s, e):
                why.append("extended over the full name")
            s, e = s2, e2
        if ent.label in addresses:
            s2, e2 = _extend_address(text, folded, s, e)
            s2 = _extend_address_left(text, folded, s2, e2)
            if (s2, e2) != (s, e):
                why.append("extended over neighbouring address units")
            s, e = s2, e2
        if ent.label in unit_labels:
            if units is None:
                units = [m.span() for m in _UNIT_RE.finditer(folded, overlapped=True)]
            s2, e2 = _extend_unit(units, s, e)
            if (s2, e2) != (s, e):
                why.append(f"extended to the multi-word unit {text[s2:e2]!r}")
                s, e = s2, e2
        out.append(resize(text, ent, s, e, NAME, "; ".join(why)) if why else ent)
    return _drop_swallowed(out, ctx)


def _drop_swallowed(ents: list[Entity], ctx: DomainContext) -> list[Entity]:
    """After growth, drop spans inside a grown span: the same label; any label a non-rule span swallowed
    when the grown span is an address ("30 Tháng 4" inside a street name); never a rule-owned one otherwise."""
    addresses = ctx.role("address")
    keep: list[Entity] = []
    for ent in sorted(ents, key=lambda x: (x.start, -(x.end - x.start), x.label)):
        inside = [k for k in keep if k.start <= ent.start and ent.end <= k.end and k is not ent]
        if any(
            k.label == ent.label
            or (k.label in addresses and k.stages[-1:] == ("post:" + NAME,))
            or (ent.label not in ctx.rule_labels and k.stages[-1:] == ("post:" + NAME,))
            for k in inside
        ):
            continue
        keep.append(ent)
    return keep
