"""Classic data augmentation for phase 2 of ``vner train`` (and ``vner augment``).

:data:`AUGMENTERS` is the explicit registry: name -> factory ``(corpus, options) -> Augmenter``.
Every augmenter is seeded and rate-controlled, reports what it did, and keeps
``text[start:end] == entity`` for every span of every output doc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from vner.engine.augment.backtranslate import BackTranslator, translator_from_env
from vner.engine.augment.base import Augmenter, AugmentResult
from vner.engine.augment.inner import InnerMentionReplacer
from vner.engine.augment.mention import MentionReplacer
from vner.engine.augment.shape import ShapeReplacer
from vner.engine.augment.synonym import SynonymReplacer
from vner.engine.augment.token_level import LabelwiseTokenReplacer, SegmentShuffler
from vner.engine.augment.unlabelled import UnlabelledMentionReplacer
from vner.engine.training.corpus import Doc

Factory = Callable[[Sequence[Doc], Mapping[str, Any]], Augmenter]


class Identity:
    """The control augmenter: returns the documents unchanged (same phase-2 data size, no new text)."""

    name = "none"

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        return AugmentResult(list(docs), Counter({"docs": len(docs)}))


AUGMENTERS: dict[str, Factory] = {
    "none": lambda corpus, opts: Identity(),
    "mention": lambda corpus, opts: MentionReplacer(corpus=corpus, gazetteer=opts.get("gazetteer")),
    # the same, a mention replaced only by one of its head ("Bệnh viện X" by "Bệnh viện Y", "quận 2" by "quận 5")
    "mention-head": lambda corpus, opts: MentionReplacer(
        corpus=corpus, gazetteer=opts.get("gazetteer"), by_head=True
    ),
    # the known name inside a compound renewed, the rest kept ("tỉnh Quảng Ninh" -> "tỉnh Lạng Sơn")
    "inner": lambda corpus, opts: InnerMentionReplacer(corpus=corpus, gazetteer=opts.get("gazetteer")),
    # names left outside every entity renewed and kept O ("tại Việt Nam" -> "tại Lào" where the annotators left
    # it unlabelled): the counterweight to mention replacement's "every name is an entity"
    "unlabelled": lambda corpus, opts: UnlabelledMentionReplacer(
        corpus=corpus, gazetteer=opts.get("gazetteer"), labels=opts.get("unlabelled_labels")
    ),
    # codes, numbers and initials replaced by fresh ones of the same shape ("VN0054" -> "QH7311", "N.H.N." -> "T.V.L.")
    "shape": lambda corpus, opts: ShapeReplacer(corpus=corpus, labels=opts.get("shape_labels")),
    "synonym": lambda corpus, opts: SynonymReplacer(domains=opts.get("synonym_domains")),
    # Dai & Adel (2020): label-wise token replacement and shuffle within segments
    "lwtr": lambda corpus, opts: LabelwiseTokenReplacer(corpus=corpus),
    "recombine": lambda corpus, opts: LabelwiseTokenReplacer(corpus=corpus, entity_only=True),
    "shuffle": lambda corpus, opts: SegmentShuffler(),
    # needs a translation endpoint: options["translator"], or VNER_MT_URL / VNER_LLM_BASE_URL (see backtranslate)
    "backtranslate": lambda corpus, opts: BackTranslator(
        translator=opts.get("translator") or translator_from_env(), pivot=opts.get("pivot", "en")
    ),
}


# one line per augmenter, in the order `vner augment --help` / `vner train --help` list them
DESCRIPTIONS: dict[str, str] = {
    "none": "the control, unchanged copies: same data size and steps, no new text",
    "mention": "a mention swapped for another of its label, from the corpus and gazetteers",
    "mention-head": "the same, only for one of the same head, 'quận X' by 'quận Y'",
    "inner": "the name inside a compound renewed, 'tỉnh X' -> 'tỉnh Y'",
    "unlabelled": "names outside every entity renewed and kept O, 'tại Việt Nam' -> 'tại Lào'",
    "shape": "codes/numbers/initials by fresh ones of the same shape",
    "synonym": "non-entity words from the shipped lexicon",
    "recombine": "entity tokens from same-label, same-position tokens",
    "lwtr": "label-wise token replacement, Dai & Adel 2020",
    "shuffle": "tokens shuffled within same-label segments, Dai & Adel 2020",
    "backtranslate": "vi -> pivot -> vi through an MT or chat endpoint, entities protected",
}


def describe_augmenters() -> str:
    """``name: what it does; ...`` for every registered augmenter: the CLI's help is built from this."""
    missing = sorted(set(AUGMENTERS) ^ set(DESCRIPTIONS))
    if missing:  # a new augmenter must say what it does (tests/engine/augment checks this too)
        raise RuntimeError(f"augmenters without a description, or descriptions without one: {missing}")
    return "; ".join(f"{name}: {text}" for name, text in DESCRIPTIONS.items())


def get_augmenter(name: str, corpus: Sequence[Doc], options: Mapping[str, Any] | None = None) -> Augmenter:
    """Build the augmenter registered as ``name`` (a clear error names the known ones)."""
    if name not in AUGMENTERS:
        raise ValueError(f"unknown augmenter {name!r}; known: {', '.join(sorted(AUGMENTERS))}")
    return AUGMENTERS[name](corpus, options or {})


def parse_step(step: str, default_rate: float) -> tuple[str, float]:
    """``"name"`` or ``"name:rate"`` (a rate of its own for this augmenter) -> ``(name, rate)``."""
    name, sep, rate_text = step.strip().partition(":")
    name = name.strip()
    if name not in AUGMENTERS:
        raise ValueError(f"unknown augmenter {name!r}; known: {', '.join(sorted(AUGMENTERS))}")
    if not sep:
        return name, default_rate
    try:
        rate = float(rate_text)
    except ValueError:
        raise ValueError(f"augmenter {step!r}: the rate after ':' must be a number in [0, 1]") from None
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"augmenter {step!r}: rate must be in [0, 1]")
    return name, rate


def run_chain(
    names: Sequence[str],
    docs: Sequence[Doc],
    *,
    rate: float,
    seed: int,
    corpus: Sequence[Doc] | None = None,
    options: Mapping[str, Any] | None = None,
) -> AugmentResult:
    """Apply augmenters in order (each seeded with ``seed + position``); reports are prefixed by name.

    A name may carry its own rate, ``"recombine:0.2"``; the others use ``rate``.
    """
    current = list(docs)
    report: Counter[str] = Counter()
    for k, step in enumerate(names):
        name, step_rate = parse_step(step, rate)
        aug = get_augmenter(name, corpus if corpus is not None else docs, options)
        res = aug.augment(current, rate=step_rate, seed=seed + k)
        current = res.docs
        report.update({f"{name}.{key}": v for key, v in res.report.items()})
    return AugmentResult(current, report)


def build_hook(
    names: Sequence[str],
    *,
    rate: float,
    seed: int,
    corpus: Sequence[Doc] | None = None,
    options: Mapping[str, Any] | None = None,
    copies: int = 1,
    keep_original: bool = True,
    on_report: Callable[[Counter[str]], None] | None = None,
) -> Callable[..., list[Doc]]:
    """A phase-2 hook for :func:`vner.engine.training.train.train`: original docs in, phase-2 docs out.

    The phase-2 data is the originals (unless ``keep_original`` is false) followed by ``copies``
    augmented copies of every document, copy ``c`` seeded with ``seed + 1000 * c``; ``hook(docs, epoch=k)``
    draws another set of copies for epoch ``k`` (``epoch=0`` is the default set). ``none`` as the
    only augmenter gives the control run: the same number of documents and steps, no new text.
    """
    for step in names:
        parse_step(step, rate)  # fail before training starts, not after phase 1
    if copies < 1:
        raise ValueError("copies must be >= 1")
    # build each once now: a bad option (a --shape-labels typo, no MT endpoint) fails here, before phase 1
    if corpus is not None:
        for step in names:
            name, _ = parse_step(step, rate)
            try:
                get_augmenter(name, corpus, options)
            except ValueError as exc:
                raise ValueError(f"augmenter {name!r}: {exc}") from exc

    def hook(docs: list[Doc], epoch: int = 0) -> list[Doc]:
        out = list(docs) if keep_original else []
        report: Counter[str] = Counter()
        for c in range(copies):
            copy_seed = (
                seed + 1000 * c + 1_000_003 * epoch
            )  # epoch > 0: fresh copies (vner train --augment-fresh)
            res = run_chain(names, docs, rate=rate, seed=copy_seed, corpus=corpus, options=options)
            out.extend(res.docs)
            report.update(res.report)
        report["phase2_docs"] = len(out)
        if on_report is not None:
            on_report(report)
        return out

    return hook


__all__ = [
    "AUGMENTERS",
    "DESCRIPTIONS",
    "Identity",
    "AugmentResult",
    "Augmenter",
    "build_hook",
    "describe_augmenters",
    "get_augmenter",
    "parse_step",
    "run_chain",
]
