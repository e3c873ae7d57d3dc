"""LICENSE_PLATE: Vietnamese road-vehicle plates ("30A-123.45", "29H1-234.56", "51G 678.90", "30LD-12345").

Structure: a two-digit province prefix that is actually issued (``rules/data/vn_province_codes.yaml``; 10, 13,
42, 44-46, 87, 91, 96 are not), a series of one or two letters with an optional digit (motorbikes "H1"),
then 4 digits or 5 digits written ``123.45``/``12345``. The value is canonical: ``30A-123.45``, ``29H1-234.56``.
Lower-case series letters are only accepted next to a cue word ("biển số", "xe").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from ..entity import Entity
from ..recognizer import RuleContext
from ..validators import plate_province_codes
from ._base import check_config
from ._context import CONTEXT_SCORE_KEYS, cue_entity, scored_context

_SERIES = r"[A-HK-NP-Z]{1,2}\d?"  # no I, J, O, Q, W in series letters
_PATTERN = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_@.\-/])"
    rf"(?P<prov>\d{{2}})(?P<s1>[ \-]?)(?P<series>{_SERIES})(?P<s2>[ \-.]?)"
    r"(?P<num>\d{3}\.\d{2}|\d{5}|\d{4})"
    r"(?![\p{L}\p{N}\p{M}_@])(?![.\-/,]\d)",
    regex.IGNORECASE,
)
DEFAULT_CONTEXT = ("biển số", "biển kiểm soát", "bks", "bsx", "biển", "xe", "ô tô", "xe máy", "plate")


class LicensePlateRecognizer:
    """Vietnamese vehicle plates with an issued province prefix (``vn_plate.v1`` data)."""

    name = "license_plate"
    version = "v1"
    labels: tuple[str, ...] = ("LICENSE_PLATE",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, CONTEXT_SCORE_KEYS, where="license_plate")
        self._ctx = scored_context(
            cfg,
            where="license_plate",
            words=DEFAULT_CONTEXT,
            before=30,
            after=10,
            score=0.9,
            context_score=1.0,
        )

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _PATTERN.finditer(text):
            prov, series, num = m.group("prov"), m.group("series"), m.group("num")
            if prov not in plate_province_codes():
                continue
            cue = self._ctx.words.find(text, m.start(), m.end())
            if series != series.upper() and cue is None:
                continue
            if "." in num and m.group("s2") == ".":
                continue  # "30A.123.45" is not a plate layout
            if len(num) == 4 and not m.group("s2") and not m.group("s1") and cue is None:
                continue  # "30A1234" with no separator and no cue: too weak
            digits = num.replace(".", "")
            canon_num = f"{digits[:3]}.{digits[3:]}" if len(digits) == 5 else digits
            value = f"{prov}{series.upper()}-{canon_num}"
            why = f"province prefix {prov} issued; series {series.upper()}"
            out.append(
                cue_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="LICENSE_PLATE",
                    value=value,
                    scored=self._ctx,
                    cue=cue,
                    why=why,
                )
            )
        return out


RECOGNIZERS = {"license_plate": LicensePlateRecognizer}
