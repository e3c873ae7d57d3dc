"""Coordinated and nested names: one entity per listed name, and both halves of "descriptor (brand)".

The paper's failures: "Agribank, VietinBank, BIDV" labelled as one BANK (or only "Agribank"), and
"Ngân hàng Ngoại thương (Vietcombank)" where the brand in parentheses is missed. Applies to labels with the
``enumerable`` role (banks, organisations, brands).
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ....rules.entity import Entity
from .base import covered, fold, make_entity
from .context import DomainContext
from .lexicon import DESCRIPTOR_HEADS, KNOWN_BRANDS, LIST_SEPARATORS

NAME = "split_coordinated"
MAX_PART_WORDS = 3
_SEP_RE = regex.compile("|".join(regex.escape(s) for s in LIST_SEPARATORS))
_BRAND_RE = regex.compile(r"(?:\p{Lu}[\p{L}\p{N}]*\p{Lu}[\p{L}\p{N}]*|\p{Lu}\p{Ll}+bank|\p{Lu}{2,}\p{N}*)")
_HEADS_FOLDED = tuple(sorted({fold(h) for h in DESCRIPTOR_HEADS}, key=len, reverse=True))


def looks_like_brand(token: str) -> bool:
    """ "VietinBank", "BIDV", "Agribank" and known brands; not ordinary capitalised words ("Công")."""
    return bool(_BRAND_RE.fullmatch(token)) or token.lower() in KNOWN_BRANDS


def _part_ok(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= MAX_PART_WORDS and words[0][:1].isupper()


def _split_list(text: str, ent: Entity) -> list[Entity] | None:
    """Split "A, B và C" inside one entity when every part is a short capitalised name."""
    seps = list(_SEP_RE.finditer(ent.text))
    if not seps:
        return None
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in seps:
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(ent.text)))
    parts = [ent.text[a:b] for a, b in bounds]
    if not all(_part_ok(p) for p in parts):
        return None
    if not any(", " in m.group() or ";" in m.group() for m in seps) and not all(
        looks_like_brand(p) for p in parts
    ):
        return None  # "Nông nghiệp và Phát triển" is one name; split on "và" only between brands
    return [
        make_entity(
            text, ent.start + a, ent.start + b, ent, NAME, f"split from a coordinated list of {len(parts)}"
        )
        for a, b in bounds
    ]


_NESTED_RE = regex.compile(r"^(?P<outer>.+?) \((?P<inner>[^()]+)\)$")


def _split_nested(text: str, ent: Entity) -> list[Entity] | None:
    """ "Ngân hàng Ngoại thương (Vietcombank)" as one entity → the descriptor and the brand."""
    m = _NESTED_RE.match(ent.text)
    if not m:
        return None
    o0, o1 = ent.start + m.start("outer"), ent.start + m.end("outer")
    i0, i1 = ent.start + m.start("inner"), ent.start + m.end("inner")
    return [
        make_entity(text, o0, o1, ent, NAME, "descriptor of a nested name"),
        make_entity(text, i0, i1, ent, NAME, "name in parentheses of a nested name"),
    ]


_FOLLOW_RE = regex.compile(r"(?:, | và | hoặc | hay | / |; )(?P<tok>[\p{L}\p{N}]+)(?![\p{L}\p{N}])")
_PAREN_RE = regex.compile(r" \((?P<tok>[\p{L}\p{N}][\p{L}\p{N} ]{0,30})\)")


def _siblings(text: str, ent: Entity, taken: list[Entity]) -> list[Entity]:
    """Names listed right after ``ent`` ("Agribank, VietinBank, BIDV") or in parentheses after it."""
    found: list[Entity] = []
    cur = ent
    while True:
        m = _FOLLOW_RE.match(text, cur.end)
        if (
            not m
            or not looks_like_brand(m.group("tok"))
            or covered(taken + found, m.start("tok"), m.end("tok"))
        ):
            break
        cur = make_entity(
            text, m.start("tok"), m.end("tok"), ent, NAME, "listed after a name of the same label"
        )
        found.append(cur)
    m = _PAREN_RE.match(text, ent.end)
    if (
        m
        and looks_like_brand(m.group("tok").strip())
        and not covered(taken + found, m.start("tok"), m.end("tok"))
    ):
        found.append(
            make_entity(
                text, m.start("tok"), m.end("tok"), ent, NAME, "name in parentheses after a descriptor"
            )
        )
    return found


def _descriptor_before(text: str, folded: str, ent: Entity, taken: list[Entity]) -> Entity | None:
    """ "Ngân hàng Ngoại thương (Vietcombank)" with only the brand found → add the descriptor too."""
    if ent.start < 2 or text[ent.start - 2 : ent.start] != " (" or not text.startswith(")", ent.end):
        return None
    left = ent.start - 2
    for head in _HEADS_FOLDED:
        lo = max(0, left - 60)
        idx = folded.rfind(head, lo, left)
        if idx == -1 or (idx > 0 and folded[idx - 1].isalnum()):
            continue
        tail = text[idx + len(head) : left].split()
        if 0 < len(tail) <= 8 and tail[0][:1].isupper() and not covered(taken, idx, left):
            return make_entity(
                text, idx, left, ent, NAME, f"descriptor before the name in parentheses ({head!r})"
            )
    return None


def split_coordinated(text: str, entities: Sequence[Entity], ctx: DomainContext) -> list[Entity]:
    """Split lists and nested names of ``enumerable`` labels; add listed or parenthesised siblings."""
    enumerable = ctx.role("enumerable")
    folded = fold(text)
    out: list[Entity] = []
    for ent in entities:
        if ent.label not in enumerable:
            out.append(ent)
            continue
        parts = _split_nested(text, ent) or _split_list(text, ent)
        out.extend(parts if parts else [ent])
    for ent in list(out):
        if ent.label not in enumerable:
            continue
        out.extend(_siblings(text, ent, out))
        desc = _descriptor_before(text, folded, ent, out)
        if desc is not None:
            out.append(desc)
    return sorted(out, key=lambda e: (e.start, e.end, e.label))
