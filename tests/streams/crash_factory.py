"""A pipeline that kills its process (``os._exit``) on a marked record: a poison pill nobody foresaw."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from vner.rules.entity import Entity

from tests.streams.pipeline_factory import DOMAIN
from tests.streams.pipeline_factory import build as build_rules

MARK = "<<kill-the-worker>>"
EXIT_CODE = 17


class _Killer:
    """The rules pipeline, except that a batch holding a text with :data:`MARK` ends the process at once."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.domains = inner.domains
        self.versions = inner.versions

    def process(self, texts: Any, *, domain: str, ref_time: datetime, lang: str = "vi") -> list[list[Entity]]:
        if any(MARK in t for t in texts):
            os._exit(EXIT_CODE)
        return self._inner.process(texts, domain=domain, ref_time=ref_time, lang=lang)  # type: ignore[no-any-return]


def build(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """The rules pipeline that dies on :data:`MARK`."""
    return _Killer(build_rules(domain, model_dir))
