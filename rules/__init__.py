"""Deterministic Vietnamese entity recognizers, domain schemas and label groups (pure Python + regex)."""

from .entity import Entity

__all__ = ["Entity"]
