"""The pipelines the stream tests run: the real rules-only ``vner.engine.pipeline.hybrid.build_pipeline``, and the same one
made slower per batch (to kill or disturb a worker mid-stream). streams/ only adapts them; the tests compare
every output with the same factory's ``process``.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any

from vner.engine.pipeline.hybrid import build_pipeline
from vner.rules.entity import Entity

DOMAIN = "customer_service"


def build(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """Rules-only pipeline for ``domain`` (``model_dir`` is ignored: the stream tests never load a model)."""
    return build_pipeline(domain=domain, model_dir=None)


class _Slow:
    """The same pipeline, slower per batch by ``STREAM_TEST_DELAY_MS`` (default 30); outputs identical."""

    def __init__(self, inner: Any) -> None:
        self._delay = float(os.environ.get("STREAM_TEST_DELAY_MS", "30")) / 1000.0
        self._inner = inner
        self.domains = inner.domains
        self.versions = inner.versions

    def process(self, texts: Any, *, domain: str, ref_time: datetime, lang: str = "vi") -> list[list[Entity]]:
        time.sleep(self._delay)
        return self._inner.process(texts, domain=domain, ref_time=ref_time, lang=lang)  # type: ignore[no-any-return]


def build_slow(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """:func:`build`, slower per batch."""
    return _Slow(build(domain, model_dir))


class _Unversioned:
    """A pipeline that names its versions the old way (a dict): the stream must refuse it, not guess."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.domains = inner.domains
        self.versions = inner.versions.as_dict()

    def process(self, texts: Any, *, domain: str, ref_time: datetime, lang: str = "vi") -> list[list[Entity]]:
        return self._inner.process(texts, domain=domain, ref_time=ref_time, lang=lang)  # type: ignore[no-any-return]


def build_unversioned(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """:func:`build`, but with ``versions`` a plain dict."""
    return _Unversioned(build(domain, model_dir))
