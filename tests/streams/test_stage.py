"""vner.streams.stage: the token counts the micro-batcher cuts on are the model's (``Pipeline.count_tokens``),
the length / 3 estimate only without a model; the runner queues records on them."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from vner.engine.pipeline.hybrid import Pipeline, build_pipeline
from vner.engine.pipeline.versions import Versions
from vner.engine.runtime.tagger import TokenTagger
from vner.rules.entity import Entity
from vner.streams.batcher import MicroBatcher, estimate_tokens
from vner.streams.cache import ResultCache
from vner.streams.metrics import StreamMetrics
from vner.streams.stage import Pipelines, PipelineStage, Work

CS = "customer_service"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
TEXTS = ["Chị Lan số 0912345678", "Đơn DH123456 giao chậm ở Hà Nội ngày 2/4", "ok", "Anh Tuấn"]


@pytest.fixture(scope="module")
def tagger(tmp_path_factory: pytest.TempPathFactory) -> TokenTagger:
    from vner.engine.runtime.model_meta import read_meta

    from tests.engine.tiny_model import e5_tokenizer, make_tiny_model

    meta = read_meta(make_tiny_model(tmp_path_factory.mktemp("tiny") / "m"))

    def forward(ids: np.ndarray, _mask: np.ndarray) -> np.ndarray:
        return np.zeros((*ids.shape, len(meta.labels)), dtype=np.float32)

    return TokenTagger(tokenizer=e5_tokenizer(), meta=meta, forward=forward, name="tiny")


def stage_for(by_domain: dict[str, Any]) -> tuple[PipelineStage, StreamMetrics]:
    metrics = StreamMetrics()
    pipes = Pipelines(by_domain=by_domain, versions=Versions(rules="r", model="m", pipeline="p"))
    return PipelineStage(pipes, cache=ResultCache(None, ttl_s=60, metrics=metrics), metrics=metrics), metrics


def works(texts: Sequence[str], domain: str = CS) -> list[Work]:
    return [Work(text=t, domain=domain, ref_time=NOW, enqueued=time.monotonic()) for t in texts]


def test_counts_are_the_taggers_with_a_model(tagger: TokenTagger) -> None:
    with_model = Pipeline(domains=build_pipeline(CS).domains, model=tagger)
    stage, _ = stage_for({CS: with_model})
    nfd = [unicodedata.normalize("NFD", t) for t in TEXTS]  # the pipeline counts the text it tags (NFC)
    want = tagger.count_tokens(TEXTS)
    assert stage.count_tokens(works(TEXTS)) == want == with_model.count_tokens(nfd)
    assert want != [estimate_tokens(t) for t in TEXTS]


def test_counts_follow_each_records_domain(tagger: TokenTagger) -> None:
    stage, _ = stage_for(
        {CS: Pipeline(domains=build_pipeline(CS).domains, model=tagger), "rules": build_pipeline(CS)}
    )
    mixed = [works([t], CS if i % 2 else "rules")[0] for i, t in enumerate(TEXTS)]
    real = tagger.count_tokens(TEXTS)
    assert stage.count_tokens(mixed) == [
        real[i] if i % 2 else estimate_tokens(t) for i, t in enumerate(TEXTS)
    ]


def test_rules_only_pipelines_keep_the_estimate() -> None:
    rules_only = build_pipeline(CS)
    assert rules_only.count_tokens(TEXTS) is None
    stage, _ = stage_for({CS: rules_only})
    assert stage.count_tokens(works(TEXTS)) == [estimate_tokens(t) for t in TEXTS]
    assert stage.count_tokens([]) == []


def test_a_count_that_fails_falls_back_to_the_estimate() -> None:
    class Broken:
        def process(self, texts: Sequence[str], *, domain: str, ref_time: datetime) -> list[list[Entity]]:
            return [[] for _ in texts]

        def count_tokens(self, texts: Sequence[str]) -> list[int] | None:
            raise RuntimeError("tokenizer exploded")

    stage, metrics = stage_for({CS: Broken()})
    assert stage.count_tokens(works(TEXTS)) == [estimate_tokens(t) for t in TEXTS]
    assert metrics.value("vner_errors_total", {"kind": "count_tokens"}) == 1


def test_runner_queues_records_on_the_stages_counts(tagger: TokenTagger) -> None:
    from vner.streams.runner import Runner, Slot

    stage, _ = stage_for({CS: Pipeline(domains=build_pipeline(CS).domains, model=tagger)})
    r = object.__new__(Runner)
    r.stage = stage
    r.batcher = MicroBatcher(token_budget=8192, max_records=64, max_wait_ms=0)
    slots = [Slot(msg=None, work=w) for w in works(TEXTS)]  # type: ignore[arg-type]
    r._enqueue([*slots, Slot(msg=None)])  # type: ignore[arg-type] # a poison record: nothing to queue
    [batch] = r.batcher.ready(flush=True)
    assert sorted((i.payload.work.text, i.tokens) for i in batch) == sorted(  # type: ignore[union-attr]
        zip(TEXTS, tagger.count_tokens(TEXTS), strict=True)
    )


def test_load_pipelines_names_the_versions_of_every_domain() -> None:
    from vner.streams.stage import load_pipelines

    pipes = load_pipelines(
        factory="tests.streams.pipeline_factory:build", domains=[CS, "gam"], default_domain=CS, model_dir=None
    )
    assert sorted(pipes.domains) == ["customer_service", "gam"]
    cs, gam = build_pipeline(CS).versions, build_pipeline("gam").versions
    assert cs.rules.startswith("customer_service:rules:customer_service@")
    assert pipes.versions.rules == f"{cs.rules},{gam.rules}"  # sorted: customer_service < gam
    assert pipes.model_version == "none" and pipes.versions.pipeline == cs.pipeline
    assert pipes.rules_version == f"{cs.rules},{gam.rules}/{cs.pipeline}"


def test_load_pipelines_refuses_a_pipeline_without_a_versions_value() -> None:
    from vner.streams.stage import load_pipelines

    with pytest.raises(RuntimeError, match=r"build_unversioned.*whose `versions` is dict, not .*Versions"):
        load_pipelines(
            factory="tests.streams.pipeline_factory:build_unversioned",
            domains=[CS],
            default_domain=CS,
            model_dir=None,
        )
