"""What produced an output: one value, formatted one way, for records, cache keys, reports and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Versions:
    """The rule sets, the model and the pipeline configuration behind a result.

    ``rules`` is ``domain:ruleset-version`` per domain (comma-separated) or ``none``; ``model`` the model's
    ``source`` (``model:NAME@VERSION``) or ``none``; ``pipeline`` the pipeline version, merge policy and
    post-processing steps. ``str()`` is the one text form (``rules+model+pipeline``).
    """

    rules: str = "none"
    model: str = "none"
    pipeline: str = "none"

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, str) or not value:
                raise ValueError(f"Versions.{name} must be a non-empty string, got {value!r}")

    def __str__(self) -> str:
        return f"{self.rules}+{self.model}+{self.pipeline}"

    @property
    def rules_key(self) -> str:
        """Everything but the model (rule sets and pipeline configuration): a record's ``rules_version``."""
        return f"{self.rules}/{self.pipeline}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def combine(cls, many: Iterable[Versions]) -> Versions:
        """One value for several pipelines (a worker serving several domains): each field the sorted,
        comma-joined distinct values of that field."""
        items = list(many)
        if not items:
            raise ValueError("Versions.combine needs at least one Versions")

        def join(field: str) -> str:
            parts = sorted({p for v in items for p in getattr(v, field).split(",")})
            return ",".join(parts)

        return cls(rules=join("rules"), model=join("model"), pipeline=join("pipeline"))
