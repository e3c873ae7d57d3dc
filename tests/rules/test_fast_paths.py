"""Fast paths of the rule stage (issue 24) give exactly what the plain definitions give.

* ``normalize``: the run-based fast path against the character-by-character reference, on NFC, NFD, ASCII,
  emoji, line-break, zero-width and teencode texts;
* ``digit_starts``: every digit run's first position;
* ``UrlRecognizer._matches``: the URL pattern over the whole text;
* ``_keep``: the overlap resolution against a plain pairwise check.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.entity import Entity
from vner.rules.normalize import _fast, _reference, normalize
from vner.rules.recognizers.numbers_vi import digit_starts
from vner.rules.recognizers.web import _URL_HINT, _URL_RX, UrlRecognizer
from vner.rules.ruleset import _keep

TEXTS = [
    "",
    " ",
    "\u200b",
    "abc",
    "  a \t b\n\n  c\r\nd \u2028 e  ",
    "Chị Lan ơi, giao về quận Hoàn Kiếm, Hà Nội, sđt 0912 345 678",
    "chi lan oi giao ve quan hoan kiem ha noi sdt 0912345678",
    "ko bik j lun, ib e nha, dc hok 😀😂 ck 500k",
    "a\u200bb  c\n\n d\t",
    "\u00a0\u2028x\u2029 y 12/3/2024\u3000",
    "Hôm nay\u200b \u200b15/3\r\ngọi 0912 345 678 nhé 👍🏽",
    "dòng 1\x1c dòng 2\x85dòng 3\u000bdòng 4\x0cx",
    "\u200b\u200b  leading zero-width then spaces",
    "trailing\u200b",
    "trailing space \u200b ",
    "gọi 0\ufe0f\u20e39\ufe0f\u20e3 12 nhé 8\ufe0f \u20e3\u200b\ufe0f x\ufe0e",  # keycap digits, stray marks
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("form", ["NFC", "NFD", "asis"])
def test_normalize_matches_the_reference(text: str, form: str) -> None:
    original = text if form == "asis" else unicodedata.normalize(form, text)
    assert normalize(original) == _reference(original)
    assert _fast(original) == _reference(original)


def test_fast_path_on_whitespace_runs_and_combining_marks() -> None:
    got = _fast("  Hà  Nội\t\n 15/3 \u200b")
    assert got is not None
    assert got.text == "Hà Nội\n15/3"
    assert got.to_original(3, 6) == (6, 9)  # "Nội"
    assert got.to_original(6, 7) == (9, 12)  # the line break stands for "\t\n "
    nfd = unicodedata.normalize("NFD", "Hà  Nội")  # "a\u0300", "o\u0323\u0302": one cluster each
    got = _fast(nfd)
    assert got.text == "Hà Nội" and len(nfd) == 10
    assert got.to_original(0, 2) == (0, 3)  # "Hà" is "H", "a", "\u0300"
    assert got.to_original(3, 6) == (5, 10)  # "Nội" after the collapsed double space
    assert got.to_original(4, 5) == (6, 9)  # "ộ" is "o", "\u0323", "\u0302"
    assert _fast("\u212b").text == "\u00c5"  # NFC changes it on its own (Angstrom sign -> Å)
    assert _fast("a\u200b\u0301 \u0301").text == "a\u0301 \u0301"  # marks after ZW or a space stay alone
    # a keycap digit ("8️⃣": "8", U+FE0F, U+20E3) is its digit, and its span ends after the marks
    keycap = normalize("số 0\ufe0f\u20e39\ufe0f\u20e3 nhé")
    assert keycap.text == "số 09 nhé"
    assert keycap.to_original(3, 5) == (3, 9)


_ALPHABET = st.sampled_from(
    list("aAđĐ09 .,/-:") + ["\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\u00a0", "\u2028", "\u3000"]
    + ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "  ", "Á", "ầ", "ự", "😀", "가", "²", "ﬁ"]
    + ["\u0300", "\u0301", "\u0323", "\u031b", "\u212b", "\u0344", "\u1161", "\ufe0e", "\ufe0f", "\u20e3"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(chars=st.lists(_ALPHABET, max_size=30))
def test_normalize_equals_reference_on_generated_text(chars: list[str]) -> None:
    text = "".join(chars)
    assert normalize(text) == _reference(text)


@settings(max_examples=300, deadline=None)
@given(chars=st.lists(_ALPHABET.filter(lambda c: not unicodedata.combining(c[0])), max_size=30))
def test_fast_path_equals_reference_on_generated_text(chars: list[str]) -> None:
    text = "".join(chars).replace("\u212b", "").replace("\u0344", "")
    fast = _fast(text)
    assert fast is not None
    assert fast == _reference(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("abc", ()),
        ("12 ab 345", (0, 6)),
        ("a1b22c333", (1, 3, 6)),
        ("0912.345.678", (0, 5, 9)),
        ("٣٤ 5", (0, 3)),  # Arabic-Indic digits are digits to \d as well
    ],
)
def test_digit_starts(text: str, expected: tuple[int, ...]) -> None:
    assert digit_starts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "xem thêm https://shop.vn/sp/12 nhé, hoặc www.abc.com.vn và shopee.vn/abc",
        "mail lan@gmail.com\tvà\u2028link tiki.vn/x?y=1#z.",
        "https://a.vn https://b.vn\x1chttps://c.vn\u00a0d.com",
        "khong co link nao ca",
        "http://x.vn",
        "  www.a.vn  ",
    ],
)
def test_url_runs_give_the_full_scan(text: str) -> None:
    hints = [h.start() for h in _URL_HINT.finditer(text)]
    got = [m.span() for m in UrlRecognizer._matches(text, hints)] if hints else []
    assert got == [m.span() for m in _URL_RX.finditer(text)]


def _naive_keep(items: list[tuple[Entity, int, str]]) -> list[tuple[Entity, int, str]]:
    ranked = sorted(items, key=lambda c: (-c[0].score, c[0].start - c[0].end, c[0].start, c[1], c[0].label))
    kept: list[tuple[Entity, int, str]] = []
    for item in ranked:
        e = item[0]
        if e.start < e.end and all(e.end <= k[0].start or k[0].end <= e.start for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda c: (c[0].start, c[0].end))


@settings(max_examples=300, deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 8), st.sampled_from([0.5, 0.8, 0.9]), st.integers(0, 3)),
        max_size=12,
    )
)
def test_keep_equals_the_pairwise_overlap_check(spans: list[tuple[int, int, float, int]]) -> None:
    items = [
        (Entity(start=s, end=s + n, label="X", text="x" * n, score=sc), order, "")
        for s, n, sc, order in spans
    ]
    assert _keep(items) == _naive_keep(items)


_BANK_ALPHABET = st.sampled_from(list("ab.-/@_ 12,\t") + ["ư", "\u0301", "٣", "MB", "vcb.com", " 500 "])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(_BANK_ALPHABET, max_size=16), cut=st.integers(0, 200))
def test_bank_edge_checks_equal_the_full_searches(parts: list[str], cut: int) -> None:
    import regex
    from vner.rules.recognizers import bank

    text = "".join(parts)
    start = min(cut, len(text))
    full_left = regex.compile(r"[./@][\w\-]*$").search(text, 0, start) is not None
    assert (bank._IN_ADDRESS_LEFT.match(text, 0, start) is not None) == full_left
    full_number = bank._NUMBER_BEFORE.search(text, 0, start) is not None
    near = bank._NUMBER_BEFORE.search(text, max(0, start - bank._NUMBER_BEFORE_REACH), start)
    assert (near is not None) == full_number


_FOLDED_ALPHABET = st.sampled_from(
    ["thang", "tuan", "t", "thu", "3", "12", "/", "-", ".", ":", " ", "\n", "h", "gio", "ngay", "nam", "x",
     "cach mang thang tam", "quoc khanh", "duong", "so 12", "noel", ", quan 3", "le", "tinh nhan", "a"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(_FOLDED_ALPHABET, max_size=14))
def test_temporal_tokens_and_streets_equal_the_plain_scans(parts: list[str]) -> None:
    import re

    from vner.rules.recognizers.temporal import patterns

    folded = "".join(parts)
    flat = re.compile(
        rf"(?<![a-z0-9])(?:\d+(?= ?[^\W\d_]| ?[/\-–.,:])|(?:{'|'.join(patterns._WORDS)})(?![a-z]))"
    )
    assert [m.span() for m in patterns.TOKEN_RX.finditer(folded)] == [m.span() for m in flat.finditer(folded)]
    unguarded = []
    for m in patterns._HOLIDAY_NAME.finditer(folded):
        before = folded[max(0, m.start() - 24) : m.start()]
        if patterns._HOLIDAY_CUE.search(before):
            continue
        if patterns._STREET_BEFORE.search(before) or patterns._DISTRICT_AFTER.match(folded, m.end()):
            unguarded.append((m.start(), m.end()))
    assert patterns.street_spans(folded) == unguarded
