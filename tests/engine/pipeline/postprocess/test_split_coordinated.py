"""split_coordinated on the paper's Table 9: coordinated banks and nested descriptor (brand) names."""

from __future__ import annotations

from vner.engine.pipeline.postprocess.split_coordinated import looks_like_brand, split_coordinated

from tests.engine.pipeline.postprocess.helpers import CS, span, spans

LIST = "3 nhà băng quốc doanh khác là Agribank, VietinBank, BIDV và Công ty Vàng bạc đá quý Sài Gòn (SJC)"
NESTED = "Ngân hàng Ngoại thương (Vietcombank) thông báo dừng cung cấp dịch vụ đặt mua vàng miếng trên website từ hôm nay."


def test_one_entity_over_a_list_becomes_one_per_bank() -> None:
    out = split_coordinated(LIST, [span(LIST, "Agribank, VietinBank, BIDV", "BANK")], CS)
    assert spans(out) == [("Agribank", "BANK"), ("VietinBank", "BANK"), ("BIDV", "BANK")]
    assert all(e.stages[-1] == "post:split_coordinated" for e in out)
    assert all(e.text == LIST[e.start : e.end] for e in out)


def test_only_the_first_bank_found_picks_up_its_listed_siblings() -> None:
    out = split_coordinated(LIST, [span(LIST, "Agribank", "BANK")], CS)
    assert spans(out) == [("Agribank", "BANK"), ("VietinBank", "BANK"), ("BIDV", "BANK")]


def test_or_list_of_brands() -> None:
    text = "Khách hàng có thể đặt mua vàng qua BIDV hoặc Vietcombank từ hôm nay."
    out = split_coordinated(text, [span(text, "BIDV hoặc Vietcombank", "BANK")], CS)
    assert spans(out) == [("BIDV", "BANK"), ("Vietcombank", "BANK")]


def test_already_correct_list_is_unchanged() -> None:
    text = "Khách hàng có thể đặt mua vàng qua BIDV hoặc Vietcombank từ hôm nay."
    ents = [span(text, "BIDV", "BANK"), span(text, "Vietcombank", "BANK")]
    assert split_coordinated(text, ents, CS) == ents


def test_nested_descriptor_and_brand_as_one_entity_become_both() -> None:
    out = split_coordinated(NESTED, [span(NESTED, "Ngân hàng Ngoại thương (Vietcombank)", "BANK")], CS)
    assert spans(out) == [("Ngân hàng Ngoại thương", "BANK"), ("Vietcombank", "BANK")]


def test_descriptor_found_adds_the_missed_brand_in_parentheses() -> None:
    out = split_coordinated(NESTED, [span(NESTED, "Ngân hàng Ngoại thương", "BANK")], CS)
    assert spans(out) == [("Ngân hàng Ngoại thương", "BANK"), ("Vietcombank", "BANK")]
    assert "parentheses" in out[1].explanation


def test_brand_found_adds_the_descriptor_before_it() -> None:
    out = split_coordinated(NESTED, [span(NESTED, "Vietcombank", "BANK")], CS)
    assert spans(out) == [("Ngân hàng Ngoại thương", "BANK"), ("Vietcombank", "BANK")]


def test_a_full_name_with_va_is_not_split() -> None:
    text = "Ngân hàng Nông nghiệp và Phát triển Nông thôn chi nhánh Hà Nội"
    ent = span(text, "Ngân hàng Nông nghiệp và Phát triển Nông thôn", "BANK")
    assert split_coordinated(text, [ent], CS) == [ent]


def test_non_enumerable_labels_are_left_alone() -> None:
    text = "giao tới 12 Nguyễn Trãi, Q.5, TP.HCM"
    ent = span(text, "12 Nguyễn Trãi, Q.5, TP.HCM", "ADDRESS")
    assert split_coordinated(text, [ent], CS) == [ent]


def test_brand_shapes() -> None:
    assert all(looks_like_brand(t) for t in ("VietinBank", "BIDV", "Agribank", "SJC", "MB"))
    assert not any(looks_like_brand(t) for t in ("Công", "Khách", "ty", "và"))
