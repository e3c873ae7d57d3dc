"""Post-processing steps, each a named pure function ``(text, entities, ctx) -> entities`` that can be switched off.

Steps run in :data:`DEFAULT_STEPS` order over the normalised text after the merge.
"""

from __future__ import annotations

from collections.abc import Iterable

from ....rules.registry import Registry
from .base import Step
from .complete_numeric import complete_numeric
from .context import DomainContext, LabelGroup, context_from_schema
from .restore_fine import restore_fine
from .span_rebuild import span_rebuild
from .split_coordinated import split_coordinated

STEPS: Registry[Step] = Registry("post-processing step")
"""Every post-processing step, by name, in the order they run by default."""
STEPS.add("span_rebuild", span_rebuild)
STEPS.add("split_coordinated", split_coordinated)
STEPS.add("complete_numeric", complete_numeric)
STEPS.add("restore_fine", restore_fine)
DEFAULT_STEPS: tuple[str, ...] = STEPS.names()


def resolve_steps(names: Iterable[str] | None = None, *, disabled: Iterable[str] = ()) -> tuple[str, ...]:
    """The step names to run: ``names`` (default: all, in order) minus ``disabled``; unknown names fail."""
    chosen = tuple(DEFAULT_STEPS if names is None else names)
    off = tuple(disabled)
    unknown = [n for n in (*chosen, *off) if n not in STEPS]
    if unknown:
        raise ValueError(f"unknown post-processing step(s) {unknown}; known: {', '.join(STEPS.names())}")
    return tuple(n for n in chosen if n not in off)


__all__ = [
    "DEFAULT_STEPS",
    "STEPS",
    "DomainContext",
    "LabelGroup",
    "Step",
    "context_from_schema",
    "resolve_steps",
]
