"""The hybrid pipeline: normalise → rules → model → merge → post-process, as one pure function.

``Pipeline.process(texts, *, domain, ref_time)`` has no I/O and is deterministic: the same texts, domain and
reference time give the same entities. Offsets index the caller's original strings; every entity's
``stages`` says which stages produced and changed it (``rules``/``model``, ``merge``, ``post:<step>``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from ...rules.entity import Entity, Origin
from ...rules.normalize import NormalizedText, normalize
from ...rules.schema import DomainSchema
from .merge import get_merge_policy
from .postprocess import STEPS, DomainContext, context_from_schema, resolve_steps
from .versions import Versions

PIPELINE_VERSION = "pipeline.v1"
STAGE_NAMES: tuple[str, ...] = ("normalize", "rules", "model", "merge", "post")


class RuleAnalyzer(Protocol):
    """What the rule stage needs: ``vner.rules.ruleset.RuleSet`` satisfies it."""

    version: (
        str  # names the rule data and code (``rules:NAME@HASH``): it goes into every output and cache key
    )

    def analyze(self, text: str, *, ref_time: datetime, lang: str = "vi") -> list[Entity]: ...


class Predictor(Protocol):
    """What the model stage needs: ``vner.engine.runtime.tagger.OnnxTagger`` satisfies it."""

    @property
    def source(self) -> str:
        """``model:NAME@VERSION``: goes into every entity it makes, every output and cache key."""
        ...

    def predict(self, texts: Sequence[str]) -> list[list[Entity]]: ...


@runtime_checkable
class TokenCounter(Protocol):
    """A model that can say what each text costs it without running: ``TokenTagger.count_tokens``."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...


@dataclass(frozen=True)
class DomainSpec:
    """One domain the pipeline serves: its post-processing context and its rule set."""

    context: DomainContext
    ruleset: RuleAnalyzer | None = None

    @classmethod
    def from_schema(cls, schema: DomainSchema, ruleset: RuleAnalyzer | None) -> DomainSpec:
        return cls(context=context_from_schema(schema), ruleset=ruleset)


@dataclass
class StageTimes:
    """Seconds spent per stage over one ``process_timed`` call."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGE_NAMES, 0.0))

    def add(self, stage: str, t0: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - t0
        return now


def _from_stage(ents: Iterable[Entity], stage: str, origin: Origin) -> list[Entity]:
    """``ents`` as the output of ``stage``: that stage first in ``stages`` and ``origin`` set (a custom
    predictor or rule analyzer need not know either)."""
    return [
        e
        if e.stages[:1] == (stage,) and e.origin is origin
        else e.replace(stages=e.stages if e.stages[:1] == (stage,) else (stage, *e.stages), origin=origin)
        for e in ents
    ]


def _check_offsets(ents: Sequence[Entity], text: str, stage: str) -> None:
    for e in ents:
        if e.end > len(text) or text[e.start : e.end] != e.text:
            raise ValueError(
                f"{stage} stage returned an entity whose offsets do not match its text ({e.label})"
            )


def _to_original(nt: NormalizedText, ent: Entity) -> Entity:
    s, e = nt.to_original(ent.start, ent.end)
    return ent.replace(start=s, end=e, text=nt.original[s:e])


class Pipeline:
    """Rules + model + merge policy + post-processing steps, per domain."""

    def __init__(
        self,
        *,
        domains: Mapping[str, DomainSpec],
        model: Predictor | None = None,
        merge_policy: str = "hybrid_merge.v1",
        postprocessors: Sequence[str] | None = None,
        disabled_steps: Iterable[str] = (),
        use_rules: bool = True,
    ) -> None:
        if not domains:
            raise ValueError("a pipeline needs at least one domain")
        self.domains = dict(domains)
        self.model = model
        self.merge_policy = merge_policy
        self._merge = get_merge_policy(merge_policy)
        self.steps = resolve_steps(postprocessors, disabled=disabled_steps)
        self.use_rules = use_rules

    @property
    def versions(self) -> Versions:
        """What produced the output: the rule sets, the model and the pipeline configuration."""
        rules = [
            f"{name}:{spec.ruleset.version}"
            for name, spec in sorted(self.domains.items())
            if self.use_rules and spec.ruleset is not None
        ]
        pipe = f"{PIPELINE_VERSION}/{self.merge_policy}/{'+'.join(self.steps) or 'no-post'}"
        model = self.model.source if self.model is not None else "none"
        return Versions(rules=",".join(rules) or "none", model=model, pipeline=pipe)

    def count_tokens(self, texts: Sequence[str]) -> list[int] | None:
        """Model tokens each text costs (the tagger's own count of the normalised text: tokenizer only, no
        model run), for callers that batch by a token budget; ``None`` without a model that can count."""
        if isinstance(texts, str):
            raise TypeError("count_tokens() takes a list of texts, not a single string")
        if not isinstance(self.model, TokenCounter):
            return None
        return list(self.model.count_tokens([normalize(t).text for t in texts]))

    def process(
        self, texts: Sequence[str], *, domain: str, ref_time: datetime, lang: str = "vi"
    ) -> list[list[Entity]]:
        """Entities per text, offsets into the given strings, sorted by position."""
        return self.process_timed(texts, domain=domain, ref_time=ref_time, lang=lang)[0]

    def process_timed(
        self, texts: Sequence[str], *, domain: str, ref_time: datetime, lang: str = "vi"
    ) -> tuple[list[list[Entity]], StageTimes]:
        """:meth:`process` plus the seconds spent in each stage (for benchmarks)."""
        if isinstance(texts, str):
            raise TypeError("process() takes a list of texts, not a single string")
        if domain not in self.domains:
            raise ValueError(
                f"unknown domain {domain!r}; this pipeline serves: {', '.join(sorted(self.domains))}"
            )
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"text #{i} is {type(t).__name__}, not str")
        spec = self.domains[domain]
        times = StageTimes()
        t0 = time.perf_counter()
        norm = [normalize(t) for t in texts]
        t0 = times.add("normalize", t0)

        rule_out: list[list[Entity]] = [[] for _ in norm]
        if self.use_rules and spec.ruleset is not None:
            for i, nt in enumerate(norm):
                ents = spec.ruleset.analyze(nt.text, ref_time=ref_time, lang=lang)
                _check_offsets(ents, nt.text, "rule")
                rule_out[i] = _from_stage(ents, "rules", Origin.RULE)
        t0 = times.add("rules", t0)

        model_out: list[list[Entity]] = [[] for _ in norm]
        if self.model is not None and norm:
            predicted = self.model.predict([nt.text for nt in norm])
            if len(predicted) != len(norm):
                raise ValueError(f"model returned {len(predicted)} results for {len(norm)} texts")
            for i, (nt, ents) in enumerate(zip(norm, predicted, strict=True)):
                _check_offsets(ents, nt.text, "model")
                model_out[i] = _from_stage(ents, "model", Origin.MODEL)
        t0 = times.add("model", t0)

        merged = [
            self._merge(r, m, spec.context.rule_labels) for r, m in zip(rule_out, model_out, strict=True)
        ]
        t0 = times.add("merge", t0)

        results: list[list[Entity]] = []
        for nt, ents in zip(norm, merged, strict=True):
            for step in self.steps:
                ents = STEPS[step](nt.text, ents, spec.context)
            mapped = [_to_original(nt, e) for e in ents]
            results.append(sorted(mapped, key=lambda e: (e.start, e.end, e.label, e.source)))
        times.add("post", t0)
        return results, times


class PipelinePredictor:
    """A pipeline bound to one domain and reference time, with the ``predict(texts)`` interface of a model.

    Lets ``vner eval`` (vner.engine.evaluation.scoring) score the hybrid pipeline like any predictor.
    """

    def __init__(self, pipeline: Pipeline, *, domain: str, ref_time: datetime, lang: str = "vi") -> None:
        if domain not in pipeline.domains:
            raise ValueError(
                f"unknown domain {domain!r}; this pipeline serves: {', '.join(sorted(pipeline.domains))}"
            )
        self.pipeline, self.domain, self.ref_time, self.lang = pipeline, domain, ref_time, lang

    @property
    def source(self) -> str:
        return f"pipeline:{self.pipeline.versions}"

    def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
        return self.pipeline.process(list(texts), domain=self.domain, ref_time=self.ref_time, lang=self.lang)


def build_pipeline(
    domain: str = "customer_service",
    model_dir: str | None = None,
    *,
    precision: str = "auto",
    disabled_steps: Iterable[str] = (),
    merge_policy: str | None = None,
    decoding: str | None = None,
) -> Pipeline:
    """The pipeline for one domain from its schema and rule set; with ``model_dir``, an ONNX model too.

    ``decoding`` (``argmax`` | ``viterbi``) overrides the model's ``vner_meta.json`` choice.

    Without a model the pipeline is rules-only and needs neither onnxruntime nor transformers. The merge
    policy defaults to ``hint_overlap.v1`` with a model (chosen on PhoNER_COVID19 dev) and to
    ``hybrid_merge.v1`` without one (every rule hint is then the only evidence there is).
    """
    from ...rules.ruleset import RuleSet
    from ...rules.schema import load_schema

    # beside a model, the rules-only hints (``with_model: false`` in the schema) are left out
    spec = DomainSpec.from_schema(
        load_schema(domain), RuleSet.for_domain(domain, with_model=model_dir is not None)
    )
    model: Predictor | None = None
    if model_dir is not None:
        try:
            from ..runtime.tagger import OnnxTagger
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("a model needs the [model] extra: pip install 'vner[model]'") from exc
        model = OnnxTagger.from_dir(model_dir, precision=precision, decoding=decoding)
    policy = merge_policy or ("hint_overlap.v1" if model is not None else "hybrid_merge.v1")
    return Pipeline(domains={domain: spec}, model=model, merge_policy=policy, disabled_steps=disabled_steps)
