"""Classic data augmentation for phase 2 of ``vner train`` (and ``vner augment``).

:data:`AUGMENTERS` is the explicit registry (a :class:`~vner.rules.registry.Registry`): name -> factory
``(corpus, options) -> Augmenter``, whose docstring is the help line.
Every augmenter is seeded and rate-controlled, reports what it did, and keeps
``text[start:end] == entity`` for every span of every output doc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...rules.registry import Registry, UnknownNameError
from ..training.corpus import Doc
from .backtranslate import BackTranslator, translator_from_env
from .base import Augmenter, AugmentResult
from .inner import InnerMentionReplacer
from .mention import MentionReplacer
from .shape import ShapeReplacer
from .synonym import SynonymReplacer
from .token_level import LabelwiseTokenReplacer, SegmentShuffler
from .unlabelled import UnlabelledMentionReplacer

Factory = Callable[[Sequence[Doc], Mapping[str, Any]], Augmenter]


class Identity:
    """The control augmenter: returns the documents unchanged (same phase-2 data size, no new text)."""

    name = "none"

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        return AugmentResult(list(docs), Counter({"docs": len(docs)}))


AUGMENTERS: Registry[Factory] = Registry("augmenter")
"""Every augmenter factory by name, in the order the CLI help lists them; a factory's docstring is its help line."""


@AUGMENTERS.register("none")
def _none(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """the control, unchanged copies: same data size and steps, no new text"""
    return Identity()


@AUGMENTERS.register("mention")
def _mention(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """a mention swapped for another of its label, from the corpus and gazetteers"""
    return MentionReplacer(corpus=corpus, gazetteer=opts.get("gazetteer"))


@AUGMENTERS.register("mention-head")
def _mention_head(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """the same, only for one of the same head, 'quận X' by 'quận Y'"""
    # a mention replaced only by one of its head ("Bệnh viện X" by "Bệnh viện Y", "quận 2" by "quận 5")
    return MentionReplacer(corpus=corpus, gazetteer=opts.get("gazetteer"), by_head=True)


@AUGMENTERS.register("inner")
def _inner(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """the name inside a compound renewed, 'tỉnh X' -> 'tỉnh Y'"""
    # the known name inside a compound renewed, the rest kept ("tỉnh Quảng Ninh" -> "tỉnh Lạng Sơn")
    return InnerMentionReplacer(corpus=corpus, gazetteer=opts.get("gazetteer"))


@AUGMENTERS.register("unlabelled")
def _unlabelled(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """names outside every entity renewed and kept O, 'tại Việt Nam' -> 'tại Lào'"""
    # names left outside every entity renewed and kept O ("tại Việt Nam" -> "tại Lào" where the annotators left
    # it unlabelled): the counterweight to mention replacement's "every name is an entity"
    return UnlabelledMentionReplacer(
        corpus=corpus, gazetteer=opts.get("gazetteer"), labels=opts.get("unlabelled_labels")
    )


@AUGMENTERS.register("shape")
def _shape(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """codes/numbers/initials by fresh ones of the same shape"""
    # codes, numbers and initials replaced by fresh ones of the same shape ("VN0054" -> "QH7311", "N.H.N." -> "T.V.L.")
    return ShapeReplacer(corpus=corpus, labels=opts.get("shape_labels"))


@AUGMENTERS.register("synonym")
def _synonym(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """non-entity words from the shipped lexicon"""
    return SynonymReplacer(domains=opts.get("synonym_domains"))


# Dai & Adel (2020): label-wise token replacement and shuffle within segments
@AUGMENTERS.register("recombine")
def _recombine(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """entity tokens from same-label, same-position tokens"""
    return LabelwiseTokenReplacer(corpus=corpus, entity_only=True)


@AUGMENTERS.register("lwtr")
def _lwtr(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """label-wise token replacement, Dai & Adel 2020"""
    return LabelwiseTokenReplacer(corpus=corpus)


@AUGMENTERS.register("shuffle")
def _shuffle(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """tokens shuffled within same-label segments, Dai & Adel 2020"""
    return SegmentShuffler()


@AUGMENTERS.register("backtranslate")
def _backtranslate(corpus: Sequence[Doc], opts: Mapping[str, Any]) -> Augmenter:
    """vi -> pivot -> vi through an MT or chat endpoint, entities protected"""
    # needs a translation endpoint: options["translator"], or VNER_MT_URL / VNER_LLM_BASE_URL (see backtranslate)
    return BackTranslator(
        translator=opts.get("translator") or translator_from_env(), pivot=opts.get("pivot", "en")
    )


# one line per augmenter (its factory's docstring), in the order `vner augment --help` / `vner train --help` list them
DESCRIPTIONS: dict[str, str] = {name: AUGMENTERS.help(name) for name in AUGMENTERS.names()}


def describe_augmenters() -> str:
    """``name: what it does; ...`` for every registered augmenter: the CLI's help is built from this."""
    missing = sorted({*AUGMENTERS.names(), *DESCRIPTIONS} - {n for n, text in DESCRIPTIONS.items() if text})
    if missing:  # a new augmenter must say what it does (tests/engine/augment checks this too)
        raise RuntimeError(f"augmenters without a description, or descriptions without one: {missing}")
    return "; ".join(f"{name}: {text}" for name, text in DESCRIPTIONS.items())


def get_augmenter_factory(name: str) -> Factory:
    """The factory registered as ``name``; an unknown name is a ``ValueError`` listing the known ones."""
    try:
        return AUGMENTERS.get(name)
    except UnknownNameError as exc:
        raise ValueError(str(exc)) from None


def get_augmenter(name: str, corpus: Sequence[Doc], options: Mapping[str, Any] | None = None) -> Augmenter:
    """Build the augmenter registered as ``name`` (a clear error names the known ones)."""
    return get_augmenter_factory(name)(corpus, options or {})


def parse_step(step: str, default_rate: float) -> tuple[str, float]:
    """``"name"`` or ``"name:rate"`` (a rate of its own for this augmenter) -> ``(name, rate)``."""
    name, sep, rate_text = step.strip().partition(":")
    name = name.strip()
    get_augmenter_factory(name)  # an unknown name fails here, listing the known ones
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
    "get_augmenter_factory",
    "parse_step",
    "run_chain",
]
