"""span_rebuild on the paper's partial-span failures (section 3.7, Table 10)."""

from __future__ import annotations

import pytest
from vner.engine.pipeline.postprocess.span_rebuild import span_rebuild

from tests.engine.pipeline.postprocess.helpers import CS, GAM, span, spans


@pytest.mark.parametrize(
    ("text", "partial", "label", "whole"),
    [
        # a label on part of a name or word (section 3.7)
        ("Khách hàng Pham Minh Chinh cần hỗ trợ", "Pham", "CUSTOMER_NAME", "Pham Minh Chinh"),
        ("Khách hàng Pham Minh Chinh cần hỗ trợ", "Minh", "CUSTOMER_NAME", "Pham Minh Chinh"),
        ("chị Nguyễn Thị Lan gọi lại giúp em", "Lan", "CUSTOMER_NAME", "Nguyễn Thị Lan"),
        ("chuyển khoản qua Vietcombank nhé", "Vietcom", "BANK", "Vietcombank"),
        # truncated addresses (Table 10)
        (
            "5 căn hộ tại tòa nhà Avalon, quận 1 đã được chia",
            "tòa nhà Avalon",
            "ADDRESS",
            "tòa nhà Avalon, quận 1",
        ),
        (
            "5 căn hộ tại tòa nhà Avalon (quận 1) đã được chia",
            "tòa nhà Avalon",
            "ADDRESS",
            "tòa nhà Avalon (quận 1)",
        ),
        (
            "Địa chỉ: số 226 đường Lê Nin, khối 10, phường Quán Bàu, thành phố Vinh, Nghệ An.",
            "số 226 đường Lê Nin",
            "ADDRESS",
            "số 226 đường Lê Nin, khối 10, phường Quán Bàu, thành phố Vinh, Nghệ An",
        ),
        (
            "giao tới tòa nhà Avalon, quận 1 trước 5 giờ",
            "tòa nhà Avalon",
            "ADDRESS",
            "tòa nhà Avalon, quận 1",
        ),
        (
            "giao tới 12 Nguyễn Trãi, Q.5, TP.HCM giúp em",
            "12 Nguyễn Trãi",
            "ADDRESS",
            "12 Nguyễn Trãi, Q.5, TP.HCM",
        ),
        (
            "giao tới 12 Nguyễn Trãi, Q.5, TP.HCM giúp em",
            "Q.5, TP.HCM",
            "ADDRESS",
            "12 Nguyễn Trãi, Q.5, TP.HCM",
        ),
        (
            "Em tên An. Ship tới số 249 đường Liễu Giai, quận Ba Đình, Hà Nội nhé",
            "quận Ba Đình, Hà Nội",
            "ADDRESS",
            "số 249 đường Liễu Giai, quận Ba Đình, Hà Nội",
        ),
        (
            "ship toi so 37 duong Lieu Giai, quan Ba Dinh, Ha Noi",
            "quan Ba Dinh",
            "ADDRESS",
            "so 37 duong Lieu Giai, quan Ba Dinh, Ha Noi",
        ),
        ("ship tới chung cư Times City, quận 1 nhé", "quận 1", "ADDRESS", "chung cư Times City, quận 1"),
        # a lane and its street, unit words inside the segment; house numbers with a slash; no comma before
        (
            "giao về 12 ngõ 34 đường Láng, Đống Đa, HN nhé",
            "Đống Đa, HN",
            "ADDRESS",
            "12 ngõ 34 đường Láng, Đống Đa, HN",
        ),
        ("hẻm 123/4 Lê Văn Sỹ p.13 q.3 nha", "p.13 q.3", "ADDRESS", "hẻm 123/4 Lê Văn Sỹ p.13 q.3"),
        ("giao 12 Nguyễn Trãi quận 1 nha", "quận 1", "ADDRESS", "12 Nguyễn Trãi quận 1"),
        # chat's lower-case street after a street word, with a house number
        (
            "e ở so 12 ngo 34 duong lang, dong da, ha noi nhé",
            "dong da, ha noi",
            "ADDRESS",
            "so 12 ngo 34 duong lang, dong da, ha noi",
        ),
        (
            "dia chi so 145 duong le loi, quan hoan kiem",
            "quan hoan kiem",
            "ADDRESS",
            "so 145 duong le loi, quan hoan kiem",
        ),
        # a unit word before a place written in lower case
        ("hem 5 duong le van sy, q3, tp hcm", "q3", "ADDRESS", "hem 5 duong le van sy, q3, tp hcm"),
        # a bare district or ward right before its own province
        ("ship về Hải Châu, Đà Nẵng", "Đà Nẵng", "ADDRESS", "Hải Châu, Đà Nẵng"),
        ("ship ve hai chau, da nang", "da nang", "ADDRESS", "hai chau, da nang"),
        (
            "giao tới kiệt 12 Lê Duẩn, Hải Châu, Đà Nẵng",
            "Đà Nẵng",
            "ADDRESS",
            "kiệt 12 Lê Duẩn, Hải Châu, Đà Nẵng",
        ),
    ],
)
def test_partial_spans_grow_to_the_whole_unit(text: str, partial: str, label: str, whole: str) -> None:
    out = span_rebuild(text, [span(text, partial, label)], CS)
    assert spans(out) == [(whole, label)]
    assert out[0].text == text[out[0].start : out[0].end]
    assert out[0].stages == ("model", "post:span_rebuild")
    assert "extended" in out[0].explanation


def test_multiword_unit_vang_mieng() -> None:
    text = "Tính năng bán vàng miếng được ngân hàng chuyển sang ứng dụng"
    out = span_rebuild(text, [span(text, "miếng", "PRODUCT_UNIT")], GAM)
    assert spans(out) == [("vàng miếng", "PRODUCT_UNIT")]


@pytest.mark.parametrize(
    ("text", "sub", "label"),
    [
        ("Anh Tuấn gọi lại", "Tuấn", "CUSTOMER_NAME"),  # honorific "Anh" is not part of the name
        ("giao tới tòa nhà Avalon, quận 1 trước 5 giờ chiều", "tòa nhà Avalon, quận 1", "ADDRESS"),
        (
            "tòa nhà Avalon, còn hàng không",
            "tòa nhà Avalon",
            "ADDRESS",
        ),  # next segment is not an address unit
    ],
)
def test_complete_spans_are_left_alone(text: str, sub: str, label: str) -> None:
    ent = span(text, sub, label)
    assert span_rebuild(text, [ent], CS) == [ent]


def test_rule_owned_labels_are_never_extended() -> None:
    text = "sdt 0912345678abc"
    ent = span(text, "0912345678", "PHONE", source="rule:phone.v1")
    assert span_rebuild(text, [ent], CS) == [ent]


def test_a_grown_span_swallows_its_duplicate() -> None:
    text = "Pham Minh Chinh đã nhận hàng"
    out = span_rebuild(text, [span(text, "Pham", "CUSTOMER_NAME"), span(text, "Chinh", "CUSTOMER_NAME")], CS)
    assert spans(out) == [("Pham Minh Chinh", "CUSTOMER_NAME")]


def test_nfc_diacritic_free_address_units() -> None:
    text = "ship toi toa nha Avalon, quan 1 nha shop"
    out = span_rebuild(text, [span(text, "toa nha Avalon", "ADDRESS")], CS)
    assert spans(out) == [("toa nha Avalon, quan 1", "ADDRESS")]


def test_a_grown_address_absorbs_a_date_inside_a_street_name() -> None:
    text = "giao tới 57 30 Tháng 4, phường Xuân Khánh, quận Ninh Kiều, Cần Thơ nhé"
    date = span(text, "30 Tháng 4", "DATE", source="rule:temporal.v1")
    out = span_rebuild(text, [date, span(text, "phường Xuân Khánh, quận Ninh Kiều, Cần Thơ", "ADDRESS")], CS)
    assert spans(out) == [("57 30 Tháng 4, phường Xuân Khánh, quận Ninh Kiều, Cần Thơ", "ADDRESS")]


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("tên người nhận Lan quận 3", "quận 3"),  # a name, not a street
        ("mua 3 cái áo quận 1", "quận 1"),  # a count and a lower-case noun
        ("giao 5 ngõ quận 1", "quận 1"),  # a segment must not end on a unit word
        ("anh Hải Châu, Hà Nội gọi", "Hà Nội"),  # a district of Đà Nẵng before Hà Nội: a person's name
        ("em ở đường này, Hà Nội", "Hà Nội"),  # no house number, and "này" is no street name
        ("giao duong lang, dong da", "dong da"),  # lower case without a house number stays out
    ],
)
def test_words_before_an_address_that_are_no_street_stay_out(text: str, sub: str) -> None:
    ent = span(text, sub, "ADDRESS")
    assert span_rebuild(text, [ent], CS) == [ent]


def test_a_clause_before_an_address_is_not_swallowed() -> None:
    text = "Hàng lỗi rồi, quận 1 giao lại giúp em"
    ent = span(text, "quận 1", "ADDRESS")
    assert span_rebuild(text, [ent], CS) == [ent]


@pytest.mark.parametrize(
    ("text", "partial", "whole"),
    [
        # chat's numbered ward and district without a dot, and a ward's name after "p"/"phường" in any case
        ("dc: 88 le van sy p13 q3", "88 le van sy", "88 le van sy p13 q3"),
        ("em ở tp hcm, q7, phường tân phong", "tp hcm", "tp hcm, q7, phường tân phong"),
        ("dia chi: 12 nguyen trai, p ben thanh, q1", "12 nguyen trai", "12 nguyen trai, p ben thanh, q1"),
        ("giao 12 Lê Lợi, phuong ben thanh, quan 1 nhé", "12 Lê Lợi", "12 Lê Lợi, phuong ben thanh, quan 1"),
        ("giao 12 Lê Lợi, phường bến thành", "12 Lê Lợi", "12 Lê Lợi, phường bến thành"),
        # a lower-case street after an alley and its number, before the place found
        ("12 ngõ 5 láng hạ, đống đa", "đống đa", "12 ngõ 5 láng hạ, đống đa"),
        # a ward without its unit word between two segments (often a name the 2025 reorganisation retired)
        ("địa chỉ 58 Tố Hữu, Trung Văn, Nam Từ Liêm", "58 Tố Hữu", "58 Tố Hữu, Trung Văn, Nam Từ Liêm"),
        (
            "giao 15 Chùa Láng - Láng Thượng - Đống Đa nhé",
            "15 Chùa Láng",
            "15 Chùa Láng - Láng Thượng - Đống Đa",
        ),
    ],
)
def test_chat_wards_and_districts_join_the_address(text: str, partial: str, whole: str) -> None:
    out = span_rebuild(text, [span(text, partial, "ADDRESS")], CS)
    assert spans(out) == [(whole, "ADDRESS")]


@pytest.mark.parametrize(
    ("text", "partial"),
    [
        ("giao Hà Nội q 3 ngày", "Hà Nội"),  # "q" apart from its number is no district
        ("giao Hà Nội, p40 nhé", "Hà Nội"),  # no ward 40
        ("giao Hà Nội q15", "Hà Nội"),  # no district 15
        ("giao Hà Nội p ơi", "Hà Nội"),  # a bare "p" only before a known ward's name
        ("giao Hà Nội p1x", "Hà Nội"),
        # a capitalised name after an address joins it only when another segment follows
        ("giao 58 Tố Hữu, Anh Nam nhận nhé", "58 Tố Hữu"),
        ("giao 58 Tố Hữu, Lan, nhé", "58 Tố Hữu"),
        ("giao 58 Tố Hữu, Anh Nam gọi, Hà Nội", "58 Tố Hữu"),  # a clause, not a name, before the next one
    ],
)
def test_chat_numbered_look_alikes_stay_out(text: str, partial: str) -> None:
    out = span_rebuild(text, [span(text, partial, "ADDRESS")], CS)
    assert spans(out) == [(partial, "ADDRESS")]
