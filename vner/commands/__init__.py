"""The ``vner`` CLI's command groups (each module registers its commands on the app)."""

from __future__ import annotations


def comma_list(text: str | None) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``; None or blanks -> ``[]`` (the CLI's comma-separated options)."""
    return [x.strip() for x in (text or "").split(",") if x.strip()]
