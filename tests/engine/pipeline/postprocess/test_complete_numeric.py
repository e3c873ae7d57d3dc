"""complete_numeric on Table 10 ("2,16 m * 1,2 m") and Table 11 (missing ratio "1/4")."""

from __future__ import annotations

from vner.engine.pipeline.postprocess import STEPS
from vner.engine.pipeline.postprocess.complete_numeric import complete_numeric
from vner.rules.entity import Origin

from tests.engine.pipeline.postprocess.helpers import FLUENT, GAM, span, spans


def test_second_dimension_of_a_size_product_is_added() -> None:
    text = "Em lấy kích thước 2,16 m * 1,2 m nhé"
    found = span(text, "2,16 m", "SIZE").replace(origin=Origin.MODEL)
    out = complete_numeric(text, [found], GAM)
    assert spans(out) == [("2,16 m", "SIZE"), ("1,2 m", "SIZE")]
    assert out[1].stages[-1] == "post:complete_numeric"
    assert out[1].origin is Origin.MODEL  # the added dimension is the model's finding, completed


def test_first_dimension_when_only_the_second_was_found() -> None:
    text = "Em lấy kích thước 2,16m x 1,2m nhé"
    out = complete_numeric(text, [span(text, "1,2m", "SIZE")], GAM)
    assert spans(out) == [("2,16m", "SIZE"), ("1,2m", "SIZE")]


def test_a_dimension_not_in_a_bare_product_is_not_invented() -> None:
    text = "cao 2,16 m * rộng 1,2 m"
    ents = STEPS["complete_numeric"](text, [span(text, "2,16 m", "SIZE")], GAM)
    assert spans(ents) == [("2,16 m", "SIZE")]


def test_missing_ratio_beside_an_overtime_allowance() -> None:
    text = "1/4 số giờ tăng ca đã được duyệt nhưng em thấy tiền phụ cấp tăng ca cộng vào chưa đúng"
    host = span(text, "phụ cấp tăng ca", "OVERTIME_ALLOWANCE")
    out = complete_numeric(text, [host], FLUENT)
    assert spans(out) == [("1/4", "RATIO"), ("phụ cấp tăng ca", "OVERTIME_ALLOWANCE")]
    assert out[0].value == {"numerator": 1, "denominator": 4}
    assert out[0].origin is Origin.POST and out[0].source == "post:complete_numeric"


def test_a_date_reading_of_the_fraction_is_replaced_near_an_allowance() -> None:
    text = "1/4 số giờ tăng ca đã được duyệt nhưng phụ cấp tăng ca chưa cộng"
    date = span(text, "1/4", "DATE", source="rule:temporal.v1")
    out = complete_numeric(text, [date, span(text, "phụ cấp tăng ca", "OVERTIME_ALLOWANCE")], FLUENT)
    assert spans(out)[0] == ("1/4", "RATIO")
    assert "instead of a date" in out[0].explanation


def test_fraction_without_an_allowance_nearby_is_not_a_ratio() -> None:
    text = "giao hàng ngày 1/4 giúp em"
    date = span(text, "1/4", "DATE", source="rule:temporal.v1")
    assert complete_numeric(text, [date], FLUENT) == [date]
