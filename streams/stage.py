"""The processing stage: cache lookup, ``Pipeline.process`` on the misses, cache store. It only adapts.

:func:`load_pipelines` builds the pipeline(s) named by the settings (``pipeline_factory``, default
``vner.engine.pipeline.hybrid:build_pipeline``); :class:`PipelineStage` runs one micro-batch of records that share a domain
and reference time on a worker thread and fills in each record's entities and timings.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..engine.pipeline.versions import Versions
from ..rules.entity import Entity
from .batcher import estimate_tokens
from .cache import ResultCache, cache_key
from .metrics import StreamMetrics

if TYPE_CHECKING:
    from .settings import StreamSettings


class Processor(Protocol):
    """What the stream needs from ``vner.engine.pipeline.hybrid.Pipeline``."""

    @property
    def versions(self) -> Versions:
        """What produces its output: goes into every output record and cache key."""
        ...

    def process(self, texts: Sequence[str], *, domain: str, ref_time: datetime) -> list[list[Entity]]: ...


@runtime_checkable
class TokenCounting(Protocol):
    """A pipeline that counts its model's tokens (``vner.engine.pipeline.hybrid.Pipeline.count_tokens``)."""

    def count_tokens(self, texts: Sequence[str]) -> list[int] | None: ...


@dataclass(frozen=True)
class Pipelines:
    """Pipeline per domain, with the versions that go into outputs and cache keys."""

    by_domain: Mapping[str, Processor]
    versions: Versions
    code_fingerprint: str = (
        ""  # hash of the runtime sources (RUNTIME_PACKAGES): a code change invalidates the cache
    )

    @property
    def model_version(self) -> str:
        """A record's ``vner.model_version``."""
        return self.versions.model

    @property
    def rules_version(self) -> str:
        """A record's ``vner.rules_version``: the rule sets and the pipeline configuration."""
        return self.versions.rules_key

    @property
    def domains(self) -> frozenset[str]:
        return frozenset(self.by_domain)


def _factory(path: str) -> Callable[..., Any]:
    mod_name, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(mod_name), attr)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as e:
        raise RuntimeError(f"pipeline_factory {path!r} cannot be loaded: {e}") from e


def _versions(pipe: Any, factory: str) -> Versions:
    v = getattr(pipe, "versions", None)
    if not isinstance(v, Versions):
        raise RuntimeError(
            f"pipeline_factory {factory!r} built a {type(pipe).__name__} whose `versions` is "
            f"{type(v).__name__}, not vner.engine.pipeline.versions.Versions: the stream writes it into "
            "every output record and cache key"
        )
    return v


def load_pipelines(
    *, factory: str, domains: Sequence[str], default_domain: str, model_dir: Path | None
) -> Pipelines:
    """Build one pipeline per domain (reusing one that already serves several) through ``factory``."""
    make = _factory(factory)
    wanted = list(dict.fromkeys([default_domain, *domains]))
    by_domain: dict[str, Processor] = {}
    versions: list[Versions] = []
    for d in wanted:
        if d in by_domain:
            continue
        pipe = make(domain=d, model_dir=str(model_dir) if model_dir else None)
        served = getattr(pipe, "domains", None) or (d,)
        for name in served:
            if name in wanted:
                by_domain.setdefault(str(name), pipe)
        by_domain.setdefault(d, pipe)
        versions.append(_versions(pipe, factory))
    return Pipelines(
        by_domain=by_domain, versions=Versions.combine(versions), code_fingerprint=code_fingerprint()
    )


def pipelines_and_cache(
    settings: StreamSettings, metrics: StreamMetrics, pipelines: Pipelines | None = None
) -> tuple[Pipelines, ResultCache]:
    """What both engines (confluent runner, faust agent) build from the settings: pipelines and the Redis cache."""
    pipes = pipelines or load_pipelines(
        factory=settings.pipeline_factory,
        domains=settings.domains,
        default_domain=settings.default_domain,
        model_dir=settings.model_dir,
    )
    cache = ResultCache(
        settings.redis_url, ttl_s=settings.cache_ttl_s, metrics=metrics, retry_s=settings.cache_retry_s
    )
    return pipes, cache


# What production runs: the rule stage, the hybrid pipeline (merge + post-processing) and the model runtime.
# Training, evaluation, augmentation, annotation and synthetic data are tooling: editing them never
# invalidates the production cache.
RUNTIME_PACKAGES: tuple[str, ...] = ("vner.rules", "vner.engine.pipeline", "vner.engine.runtime")


def code_fingerprint(packages: Sequence[str] = RUNTIME_PACKAGES) -> str:
    """SHA-256 (12 hex) over the source and data files of the packages that compute entities in production.

    Rule-set versions name the data; this also catches a changed recognizer or post-processing step, so
    cached results never outlive the code that produced them.
    """
    h = hashlib.sha256()
    for pkg in packages:
        spec = importlib.util.find_spec(pkg)
        for root in (spec.submodule_search_locations or []) if spec else []:
            for f in sorted(Path(root).rglob("*")):
                if (
                    f.suffix in {".py", ".yaml", ".yml", ".json", ".txt", ".tsv"}
                    and "__pycache__" not in f.parts
                ):
                    h.update(str(f.relative_to(root)).encode())
                    h.update(f.read_bytes())
    return h.hexdigest()[:12]


def run_pipeline(
    pipelines: Pipelines, texts: list[str], domain: str, ref_time: datetime
) -> tuple[list[list[dict[str, Any]]], dict[str, float]]:
    """Entities (as dicts) per text and per-stage milliseconds of one batch."""
    pipe = pipelines.by_domain[domain]
    timed = getattr(pipe, "process_timed", None)
    stage_ms: dict[str, float] = {}
    if timed is not None:
        ents, times = timed(texts, domain=domain, ref_time=ref_time)
        stage_ms = {k: round(v * 1000.0, 3) for k, v in getattr(times, "seconds", {}).items()}
    else:
        ents = pipe.process(texts, domain=domain, ref_time=ref_time)
    return [[e.to_dict() for e in row] for row in ents], stage_ms


_CHILD: dict[str, Pipelines] = {}


def _child_init(factory: str, domains: Sequence[str], default_domain: str, model_dir: Path | None) -> None:
    _CHILD["pipelines"] = load_pipelines(
        factory=factory, domains=domains, default_domain=default_domain, model_dir=model_dir
    )


def _child_process(
    texts: list[str], domain: str, ref_time: datetime
) -> tuple[list[list[dict[str, Any]]], dict[str, float]]:
    return run_pipeline(_CHILD["pipelines"], texts, domain, ref_time)


def start_pool(
    processes: int, *, factory: str, domains: Sequence[str], default_domain: str, model_dir: Path | None
) -> ProcessPoolExecutor:
    """Child processes that each build the pipelines once (spawned: no fork of librdkafka's threads) and run
    batches there, in parallel with the Kafka I/O of the main process (no shared GIL). Warmed up before use."""
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_child_init,
        initargs=(factory, tuple(domains), default_domain, model_dir),
    )
    for f in [pool.submit(time.sleep, 0.2) for _ in range(processes)]:
        f.result()
    return pool


@dataclass(slots=True)
class Work:
    """One record's trip through the stage: inputs, then entities (as dicts) and timings filled in."""

    text: str
    domain: str
    ref_time: datetime
    enqueued: float
    entities: list[dict[str, Any]] | None = None
    cached: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str | None = None


class PipelineStage:
    """Runs micro-batches (same domain and reference time) through cache + pipeline; thread-safe."""

    def __init__(
        self,
        pipelines: Pipelines,
        *,
        cache: ResultCache,
        metrics: StreamMetrics,
        pool: ProcessPoolExecutor | None = None,
    ) -> None:
        self.pipelines = pipelines
        self._cache = cache
        self._metrics = metrics
        self._pool = pool

    def count_tokens(self, work: Sequence[Work]) -> list[int]:
        """Model tokens each record costs (>= 1), for the micro-batcher: one call of the domain's
        ``Pipeline.count_tokens`` (the tagger's tokenizer, no model run) per domain; the length / 3 estimate
        for a pipeline without a model, or if counting fails (the pipeline call isolates such a record)."""
        out = [0] * len(work)
        by_domain: dict[str, list[int]] = {}
        for i, w in enumerate(work):
            by_domain.setdefault(w.domain, []).append(i)
        for domain, idx in by_domain.items():
            texts = [work[i].text for i in idx]
            pipe = self.pipelines.by_domain.get(domain)
            counts: list[int] | None = None
            if isinstance(pipe, TokenCounting):
                try:
                    counts = pipe.count_tokens(texts)
                except Exception:  # noqa: BLE001 - a count is a batching hint, never a reason to stop
                    self._metrics.errors.labels(kind="count_tokens").inc()
            if counts is None or len(counts) != len(texts):
                counts = [estimate_tokens(t) for t in texts]
            for i, n in zip(idx, counts, strict=True):
                out[i] = max(1, int(n))
        return out

    def _key(self, w: Work) -> str:
        return cache_key(
            text=w.text,
            domain=w.domain,
            ref_time=w.ref_time.isoformat(),
            model_version=self.pipelines.model_version,
            rules_version=f"{self.pipelines.rules_version}#{self.pipelines.code_fingerprint}",
        )

    def _process(
        self, texts: list[str], domain: str, ref_time: datetime
    ) -> tuple[list[list[dict[str, Any]]], dict[str, float]]:
        if self._pool is not None:  # a child process; BrokenProcessPool propagates (fatal, not poison)
            return self._pool.submit(_child_process, texts, domain, ref_time).result()  # type: ignore[no-any-return]
        return run_pipeline(self.pipelines, texts, domain, ref_time)

    def run(self, batch: Sequence[Work]) -> None:
        """Fill ``entities`` of every record; a batch that raises is retried record by record."""
        if not batch:
            return
        start = time.monotonic()
        self._metrics.batch_size.observe(len(batch))
        for w in batch:
            self._metrics.queue_seconds.observe(start - w.enqueued)
            w.timings_ms["queue"] = round((start - w.enqueued) * 1000.0, 3)
        keys = [self._key(w) for w in batch] if self._cache.enabled else []
        hits = self._cache.get_many(keys) if keys else [None] * len(batch)
        misses = [i for i, h in enumerate(hits) if h is None]
        for i, h in enumerate(hits):
            if h is not None:
                batch[i].entities, batch[i].cached = h, True
        t0 = time.perf_counter()
        if misses:
            self._run_misses([batch[i] for i in misses])
        compute = time.perf_counter() - t0
        self._metrics.compute_seconds.observe(compute)
        if keys:
            fresh = {keys[i]: batch[i].entities for i in misses if batch[i].entities is not None}
            self._cache.set_many({k: v for k, v in fresh.items() if v is not None})
        for w in batch:
            w.timings_ms["compute"] = round(compute * 1000.0, 3)

    def _run_misses(self, work: list[Work]) -> None:
        domain, ref_time = work[0].domain, work[0].ref_time
        try:
            ents, stage_ms = self._process([w.text for w in work], domain, ref_time)
        except BrokenProcessPool:
            raise
        except Exception:  # noqa: BLE001 - isolate the record that breaks the pipeline
            self._metrics.errors.labels(kind="pipeline_batch").inc()
            for w in work:
                self._run_one(w)
            return
        for w, e in zip(work, ents, strict=True):
            w.entities = e
            w.timings_ms.update({f"stage_{k}": v for k, v in stage_ms.items()})

    def _run_one(self, w: Work) -> None:
        try:
            ents, stage_ms = self._process([w.text], w.domain, w.ref_time)
        except BrokenProcessPool:
            raise
        except Exception as e:  # noqa: BLE001
            self._metrics.errors.labels(kind="pipeline_record").inc()
            w.error = type(e).__name__
            return
        w.entities = ents[0]
        w.timings_ms.update({f"stage_{k}": v for k, v in stage_ms.items()})
