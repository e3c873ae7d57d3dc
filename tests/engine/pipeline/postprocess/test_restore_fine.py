"""restore_fine: group labels back to fine labels from cue words (section 3.3; Table 11 payroll labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from vner.engine.pipeline.postprocess.context import DomainContext
from vner.engine.pipeline.postprocess.restore_fine import get_resolver, restore_fine
from vner.rules.schema import DomainSchema, LabelGroup

from tests.engine.pipeline.postprocess.helpers import FLUENT, GAM, span, spans


def test_chest_waist_hip_each_from_its_own_cue() -> None:
    text = "em lấy size M, vòng ngực 88 cm, vòng eo 68 cm, vòng mông 92 cm nhé"
    ents = [span(text, s, "BODY_MEASUREMENT") for s in ("88 cm", "68 cm", "92 cm")]
    out = restore_fine(text, ents, GAM)
    assert spans(out) == [("88 cm", "CHEST"), ("68 cm", "WAIST"), ("92 cm", "HIP")]
    assert "'vòng eo'" in out[1].explanation
    assert out[1].stages[-1] == "post:restore_fine"


def test_cues_without_separators_and_without_diacritics() -> None:
    text = "vong nguc 88 vong eo 68 vong mong 92"
    ents = [span(text, s, "BODY_MEASUREMENT") for s in ("88", "68", "92")]
    assert [e.label for e in restore_fine(text, ents, GAM)] == ["CHEST", "WAIST", "HIP"]


@pytest.mark.parametrize(
    ("text", "sub", "fine"),
    [
        ("Thiếu phụ cấp ca đêm 618.000", "phụ cấp ca đêm", "NIGHT_SHIFT_ALLOWANCE"),
        (
            "Kiểm tra giúp em lương, bị thiếu phụ cấp hỗ trợ xe đi lại",
            "phụ cấp hỗ trợ xe đi lại",
            "TRANSPORT_ALLOWANCE",
        ),
        ("1/4 số giờ tăng ca đã duyệt nhưng em thấy tiền phụ cấp cộng vào", "phụ cấp", "OVERTIME_ALLOWANCE"),
    ],
)
def test_allowance_subtypes(text: str, sub: str, fine: str) -> None:
    (out,) = restore_fine(text, [span(text, sub, "ALLOWANCE")], FLUENT)
    assert out.label == fine
    assert "cue" in out.explanation


def test_no_cue_keeps_the_group_and_says_so() -> None:
    text = "em bị thiếu phụ cấp tháng này"
    (out,) = restore_fine(text, [span(text, "phụ cấp", "ALLOWANCE")], FLUENT)
    assert out.label == "ALLOWANCE"
    assert "no cue" in out.explanation
    assert "post:restore_fine" not in out.stages


def test_group_default_when_no_cue() -> None:
    ctx = DomainContext.build(
        domain="x",
        labels=[],
        groups=[LabelGroup.from_cues(name="G", members=("A", "B"), cues={"A": ("aa",)}, default="B")],
    )
    text = "nothing here 12"
    (out,) = restore_fine(text, [span(text, "12", "G")], ctx)
    assert out.label == "B"


def test_cue_outside_the_window_is_ignored() -> None:
    ctx = DomainContext.build(
        domain="x",
        labels=[],
        groups=[LabelGroup(name="G", members={"A": ("vòng eo",)}, window=5)],
    )
    text = "vòng eo của em là khoảng chừng 68"
    (out,) = restore_fine(text, [span(text, "68", "G")], ctx)
    assert out.label == "G"


def test_unknown_resolver_and_bad_group_fail_loudly() -> None:
    with pytest.raises(ValueError, match="unknown fine-label resolver"):
        get_resolver("magic.v9")
    with pytest.raises(ValueError, match="not members"):
        LabelGroup.from_cues(name="G", members=("A",), cues={"B": ("b",)})


def test_with_the_real_customer_service_schema() -> None:
    from vner.engine.pipeline.postprocess.context import context_from_schema
    from vner.rules.schema import load_schema

    ctx = context_from_schema(load_schema("customer_service"))
    assert "PERSON_NAME" in ctx.groups and "PHONE_NUMBER" in ctx.rule_labels
    text = "Em là Trần Văn Hùng, giao cho người nhận Lê Thị Mai ở quận 1"
    ents = [span(text, "Trần Văn Hùng", "PERSON_NAME"), span(text, "Lê Thị Mai", "PERSON_NAME")]
    out = restore_fine(text, ents, ctx)
    assert [e.label for e in out] == ["CUSTOMER_NAME", "RECEIVER_NAME"]
    assert "'em là'" in out[0].explanation.lower() and "người nhận" in out[1].explanation
    (alone,) = restore_fine("Nguyễn An", [span("Nguyễn An", "Nguyễn An", "PERSON_NAME")], ctx)
    assert alone.label == "CUSTOMER_NAME" and "group default" in alone.explanation


def test_a_cue_in_another_clause_is_marked_so_and_same_clause_cue_reads_past_it() -> None:
    group = LabelGroup(
        name="MONEY_AMOUNT",
        members={"MONEY_SALARY": ("lương",), "MONEY_ALLOWANCE": ("phụ cấp",), "MONEY_DEDUCTION": ("bị trừ",)},
        resolver="same_clause_cue.v1",
        window=40,
    )
    ctx = DomainContext.build(domain="payroll", labels=list(group.members), groups=[group])
    text = "lương cơ bản 8.500.000, phụ cấp ca đêm 618,000 bị trừ 200.000"
    ents = [span(text, s, "MONEY_AMOUNT") for s in ("8.500.000", "618,000", "200.000")]
    out = restore_fine(text, ents, ctx)
    # nearest_cue.v1 would give the deduction cue to 618,000 (4 chars after it against 8 before)
    assert spans(out) == [
        ("8.500.000", "MONEY_SALARY"),
        ("618,000", "MONEY_ALLOWANCE"),
        ("200.000", "MONEY_DEDUCTION"),
    ]
    assert "'lương'" in out[0].explanation and "'phụ cấp'" in out[1].explanation


def _real_gam() -> DomainContext:
    from vner.engine.pipeline.postprocess.context import context_from_schema
    from vner.rules.schema import load_schema

    return context_from_schema(load_schema("gam"))


@pytest.mark.parametrize(
    ("text", "subs", "want"),
    [
        # the nearest cue names a member the unit rules out: the unit's member wins (issue 24, chat)
        ("em cao 158cm, 47kg", ["158cm", "47kg"], ["CUSTOMER_HEIGHT", "CUSTOMER_WEIGHT"]),
        ("chị 1 mét 58 nặng 47 cân", ["1 mét 58", "47 cân"], ["CUSTOMER_HEIGHT", "CUSTOMER_WEIGHT"]),
        # no cue at all: a unit one member declares names it
        ("mình 1m6 50kg mặc size gì", ["1m6", "50kg"], ["CUSTOMER_HEIGHT", "CUSTOMER_WEIGHT"]),
        ("minh 1m6 50 ky", ["1m6", "50 ky"], ["CUSTOMER_HEIGHT", "CUSTOMER_WEIGHT"]),  # without diacritics
        # a unit several members share: the cue decides among them, as before
        ("vòng eo 64cm, cao 158cm", ["64cm", "158cm"], ["WAIST_CIRCUMFERENCE", "CUSTOMER_HEIGHT"]),
        # no unit: cues only
        ("vòng 1 86 vòng 2 64", ["86", "64"], ["CHEST_CIRCUMFERENCE", "WAIST_CIRCUMFERENCE"]),
    ],
)
def test_a_values_unit_limits_its_fine_labels(text: str, subs: list[str], want: list[str]) -> None:
    out = restore_fine(text, [span(text, s, "BODY_MEASUREMENT") for s in subs], _real_gam())
    assert [e.label for e in out] == want


def test_the_unit_in_a_rule_value_and_the_explanation() -> None:
    text = "mình 1m6 50kg"
    ent = span(text, "50kg", "BODY_MEASUREMENT").replace(value={"value": 50.0, "unit": "kg"})
    (out,) = restore_fine(text, [ent], _real_gam())
    assert out.label == "CUSTOMER_WEIGHT" and "unit 'kg'" in out.explanation
    # a cm value with no cue: several members write cm, so the group label stays
    (cm,) = restore_fine("size 64cm", [span("size 64cm", "64cm", "BODY_MEASUREMENT")], _real_gam())
    assert cm.label == "BODY_MEASUREMENT"


def _load_yaml(tmp_path: Path, text: str) -> DomainSchema:
    """A domain schema loaded from ``text`` written to a file (load errors name the key at fault)."""
    from vner.rules.schema import load_schema

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return load_schema(path)


def test_units_are_checked_when_the_schema_loads(tmp_path: Path) -> None:
    from vner.rules.schema import SchemaError

    base = "name: x\nlabels: {A: a, B: b}\nrecognizers: []\ngroups:\n  G:\n    members: {A: [aa], B: [bb]}\n"

    def load(extra: str) -> DomainSchema:
        return _load_yaml(tmp_path, base + extra)

    assert load("    units: {A: [kg, Ký]}\n").groups["G"].members_for_unit("ky") == ("A",)
    with pytest.raises(SchemaError, match="units.C"):
        load("    units: {C: [kg]}\n")
    with pytest.raises(SchemaError, match="units.A"):
        load("    units: {A: kg}\n")
    with pytest.raises(ValueError, match="not members"):
        LabelGroup(name="G", members={"A": ()}, units={"B": ("kg",)})


@pytest.mark.parametrize(
    ("text", "subs", "want"),
    [
        # gam's BODY_MEASUREMENT names PRODUCT_DIMENSION in `also`: a product's cue nearer than any body cue
        ("balo dài 40cm rộng 30cm", ["40cm", "30cm"], ["PRODUCT_LENGTH", "PRODUCT_WIDTH"]),
        ("BALO DAI 40CM RONG 30CM", ["40CM", "30CM"], ["PRODUCT_LENGTH", "PRODUCT_WIDTH"]),
        ("khối lượng sản phẩm 500g", ["500g"], ["PRODUCT_WEIGHT"]),
        ("chiều cao sản phẩm 30cm", ["30cm"], ["PRODUCT_HEIGHT"]),  # the longer product cue beats "cao"
        # the same word in both groups at the same place stays the body's ("cao" is the customer's height)
        ("em cao 1m6 nặng 50kg", ["1m6", "50kg"], ["CUSTOMER_HEIGHT", "CUSTOMER_WEIGHT"]),
        ("cao 158cm, vòng eo 64cm", ["158cm", "64cm"], ["CUSTOMER_HEIGHT", "WAIST_CIRCUMFERENCE"]),
        # the other group's units still limit its members: "dài" cannot make a weight a length
        ("váy dài 50kg", ["50kg"], ["CUSTOMER_WEIGHT"]),
        # a unit only the other group's members are written in: grams weigh products, not customers, even
        # after the body's cue "nặng"; kilograms with it stay the customer's
        ("cho e 2 hộp sữa 850g nhé", ["850g"], ["PRODUCT_WEIGHT"]),
        ("hộp sữa nặng 850g", ["850g"], ["PRODUCT_WEIGHT"]),
        ("hop sua nang 850 gram", ["850 gram"], ["PRODUCT_WEIGHT"]),
        ("em nặng 50kg", ["50kg"], ["CUSTOMER_WEIGHT"]),
        # a unit neither group declares stays the bare group
        ("nước giặt 3.8 lít", ["3.8 lít"], ["BODY_MEASUREMENT"]),
    ],
)
def test_a_product_cue_from_an_also_group(text: str, subs: list[str], want: list[str]) -> None:
    out = restore_fine(text, [span(text, s, "BODY_MEASUREMENT") for s in subs], _real_gam())
    assert [e.label for e in out] == want


def test_also_is_checked_when_the_schema_loads(tmp_path: Path) -> None:
    from vner.rules.schema import SchemaError

    base = (
        "name: x\nlabels: {A: a, B: b, C: c, D: d}\nrecognizers: []\ngroups:\n"
        "  G:\n    members: {A: [aa], B: [bb]}\n  H:\n    members: {C: [cc], D: [dd]}\n"
    )

    def load(extra: str) -> DomainSchema:
        return _load_yaml(tmp_path, base + extra)

    assert load("    also: [G]\n").groups["H"].also == ("G",)
    with pytest.raises(SchemaError, match="also"):
        load("    also: [NOPE]\n")
    with pytest.raises(SchemaError, match="also"):
        load("    also: [H]\n")
    with pytest.raises(SchemaError, match="also"):
        load("    also: G\n")
    with pytest.raises(ValueError, match="itself"):
        LabelGroup(name="G", members={"A": (), "B": ()}, also=("G",))


def _rules_only_gam(text: str) -> list[tuple[str, str]]:
    from datetime import datetime, timezone

    from vner.engine.pipeline.hybrid import build_pipeline

    ref = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    (ents,) = build_pipeline(domain="gam", model_dir=None).process(
        [text], domain="gam", ref_time=ref, lang="vi"
    )
    return [(e.label, e.text) for e in ents]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the paper's Table 10 case: both parts of a size product, each its own span (issue 24)
        ("e lấy size 2,16 m * 1,2 m", [("PRODUCT_LENGTH", "2,16 m"), ("PRODUCT_WIDTH", "1,2 m")]),
        # three parts written as one word stay three spans (span_rebuild leaves a rule's span alone)
        (
            "hộp kích thước 30x20x10cm",
            [("PRODUCT_LENGTH", "30"), ("PRODUCT_WIDTH", "20"), ("PRODUCT_HEIGHT", "10cm")],
        ),
        (
            "nệm 1m8x2m dày 20cm",
            [("PRODUCT_LENGTH", "1m8"), ("PRODUCT_WIDTH", "2m"), ("PRODUCT_HEIGHT", "20cm")],
        ),
        # an area is no body or product size: dropped, not left as a bare group label
        ("hơn 3.700 m2 đất tại tỉnh Bà Rịa - Vũng Tàu", [("ADDRESS", "tỉnh Bà Rịa - Vũng Tàu")]),
        # a body measurement beside them is resolved as before
        ("e cao 1m6 nặng 50kg", [("CUSTOMER_HEIGHT", "1m6"), ("CUSTOMER_WEIGHT", "50kg")]),
    ],
)
def test_size_products_and_foreign_units_in_the_rules_only_pipeline(
    text: str, want: list[tuple[str, str]]
) -> None:
    assert _rules_only_gam(text) == want


def test_a_part_past_the_declared_order_falls_back_to_cues() -> None:
    group = LabelGroup(
        name="G",
        members={"L": ("dài",), "W": ("rộng",)},
        dimensions=("L",),
        units={"L": ("cm",), "W": ("cm",)},
    )
    ctx = DomainContext.build(domain="x", labels=["L", "W"], groups=[group])
    text = "rộng 30x20cm"
    first = span(text, "30", "G").replace(
        value={"value": 30.0, "unit": "cm", "dimension": 1, "dimensions": 2}
    )
    second = span(text, "20cm", "G").replace(
        value={"value": 20.0, "unit": "cm", "dimension": 2, "dimensions": 2}
    )
    out = restore_fine(text, [first, second], ctx)
    assert [(e.label, e.text) for e in out] == [("L", "30"), ("W", "20cm")]
    assert "part 1 of a size product" in out[0].explanation and "cue 'rộng'" in out[1].explanation


def test_dimensions_are_checked_when_the_schema_loads(tmp_path: Path) -> None:
    from vner.rules.schema import SchemaError

    base = "name: x\nlabels: {A: a, B: b}\nrecognizers: []\ngroups:\n  G:\n    members: {A: [aa], B: [bb]}\n"

    def load(extra: str) -> DomainSchema:
        return _load_yaml(tmp_path, base + extra)

    assert load("    dimensions: [B, A]\n").groups["G"].dimensions == ("B", "A")
    with pytest.raises(SchemaError, match="dimensions"):
        load("    dimensions: [C]\n")
    with pytest.raises(SchemaError, match="dimensions"):
        load("    dimensions: A\n")
    with pytest.raises(ValueError, match="dimensions"):
        LabelGroup(name="G", members={"A": (), "B": ()}, dimensions=("C",))
