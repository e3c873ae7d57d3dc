"""Building entities over substrings of a test sentence, and the test domains' contexts."""

from __future__ import annotations

from vner.engine.pipeline.postprocess.context import DomainContext
from vner.rules.entity import Entity
from vner.rules.schema import LabelGroup


def span(text: str, sub: str, label: str, *, nth: int = 0, source: str = "model:test") -> Entity:
    """The entity over the ``nth`` occurrence of ``sub`` in ``text`` as the model stage would make it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Entity(start=start, end=start + len(sub), label=label, text=sub, source=source, stages=("model",))


def spans(ents: list[Entity]) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in sorted(ents, key=lambda e: (e.start, e.end))]


CS = DomainContext.build(
    domain="customer_service",
    labels=["CUSTOMER_NAME", "ADDRESS", "BANK", "ORGANIZATION", "PRODUCT", "PHONE", "ORDER_CODE", "DATE"],
    rule_labels=["PHONE", "ORDER_CODE", "DATE"],
    roles={
        "person": ["CUSTOMER_NAME"],
        "address": ["ADDRESS"],
        "enumerable": ["BANK", "ORGANIZATION"],
        "unit": ["PRODUCT"],
    },
)
GAM = DomainContext.build(
    domain="gam",
    labels=["ADDRESS", "PRODUCT_UNIT", "CUSTOMER_HEIGHT", "PRODUCT_WIDTH"],
    groups=[
        LabelGroup(
            name="BODY_MEASUREMENT",
            members={
                "CHEST": ("vòng ngực", "vòng 1", "ngực"),
                "WAIST": ("vòng eo", "vòng 2", "eo"),
                "HIP": ("vòng mông", "vòng 3", "mông"),
            },
        ),
        LabelGroup(
            name="SIZE",
            members={
                "CUSTOMER_HEIGHT": ("cao", "chiều cao"),
                "PRODUCT_WIDTH": ("rộng", "chiều rộng", "ngang"),
            },
        ),
    ],
    roles={
        "address": ["ADDRESS"],
        "measure": ["SIZE", "CUSTOMER_HEIGHT", "PRODUCT_WIDTH"],
        "unit": ["PRODUCT_UNIT"],
    },
)
FLUENT = DomainContext.build(
    domain="ai_fluent",
    labels=["SALARY", "RATIO", "MONEY_ALLOWANCE", "DATE"],
    rule_labels=["DATE", "MONEY_ALLOWANCE"],
    groups=[
        LabelGroup(
            name="ALLOWANCE",
            members={
                "OVERTIME_ALLOWANCE": ("tăng ca", "làm thêm giờ"),
                "NIGHT_SHIFT_ALLOWANCE": ("ca đêm", "trực đêm"),
                "TRANSPORT_ALLOWANCE": ("xe đi lại", "đi lại", "xăng xe"),
            },
        )
    ],
    roles={
        "ratio": ["RATIO"],
        "ratio_host": [
            "SALARY",
            "MONEY_ALLOWANCE",
            "ALLOWANCE",
            "OVERTIME_ALLOWANCE",
            "NIGHT_SHIFT_ALLOWANCE",
            "TRANSPORT_ALLOWANCE",
        ],
    },
)
