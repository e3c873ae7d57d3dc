"""The pipeline the stream tests run: the real rules-only ``engine.pipeline.build_pipeline`` when it can be built.

Until ``rules.ruleset`` lands, the fallback is the real ``engine.pipeline.Pipeline`` over the real phone, money
and order-code recognizers (no model). Either way, streams/ only adapts it and the tests compare outputs with
the same factory's ``process``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rules.entity import Entity
from rules.recognizer import RuleContext

DOMAIN = "customer_service"


class _MiniRuleSet:
    version = "mini-test.1"

    def __init__(self) -> None:
        from rules.recognizers.money import MoneyRecognizer
        from rules.recognizers.order_code import OrderCodeRecognizer
        from rules.recognizers.phone import PhoneRecognizer

        self._recs = [PhoneRecognizer(config={}), MoneyRecognizer(config={}), OrderCodeRecognizer(config={})]

    def analyze(self, text: str, *, ref_time: datetime, lang: str = "vi") -> list[Entity]:
        ctx = RuleContext(ref_time=ref_time, lang=lang, domain=DOMAIN)
        out: list[Entity] = []
        for rec in self._recs:
            out.extend(rec.analyze(text, ctx))
        out.sort(key=lambda e: (e.start, -(e.end - e.start)))
        kept: list[Entity] = []
        for e in out:
            if not kept or e.start >= kept[-1].end:
                kept.append(e)
        return kept


def build(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """Rules-only pipeline for ``domain`` (``model_dir`` is ignored: the stream tests never load a model)."""
    try:
        from engine.pipeline import build_pipeline

        return build_pipeline(domain=domain, model_dir=None)
    except ImportError:
        from engine.pipeline import DomainSpec, Pipeline
        from engine.postprocess import DomainContext

        labels = frozenset({"PHONE", "PHONE_NUMBER", "MONEY", "ORDER_CODE"})
        ctx = DomainContext(domain=domain, labels=labels, rule_labels=labels)
        return Pipeline(domains={domain: DomainSpec(context=ctx, ruleset=_MiniRuleSet())})


class _Slow:
    """The same pipeline, slower per batch (``STREAM_TEST_DELAY_MS``, default 30): lets tests kill or disturb
    the worker mid-stream."""

    def __init__(self, inner: Any) -> None:
        import os

        self._delay = float(os.environ.get("STREAM_TEST_DELAY_MS", "30")) / 1000.0
        self._inner = inner
        self.domains = inner.domains
        self.versions = inner.versions

    def process(self, texts: Any, *, domain: str, ref_time: datetime, lang: str = "vi") -> list[list[Entity]]:
        import time

        time.sleep(self._delay)
        return self._inner.process(texts, domain=domain, ref_time=ref_time, lang=lang)  # type: ignore[no-any-return]


def build_slow(domain: str = DOMAIN, model_dir: str | None = None) -> Any:
    """:func:`build`, slower per batch (outputs identical)."""
    return _Slow(build(domain, model_dir))
