"""Pipeline.process: normalise → rules → model → merge → post-process, pure, deterministic, original offsets.

The rule and model stages here are small deterministic implementations of our own interfaces (a regex
phone rule; a predictor that tags given substrings), so the merge and post-processing logic is tested
exactly; end-to-end runs with the real rule set and a real ONNX model are in test_pipeline_e2e.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.engine.pipeline.hybrid import DomainSpec, Pipeline, PipelinePredictor
from vner.engine.pipeline.postprocess.context import DomainContext
from vner.rules.entity import Entity, Origin
from vner.rules.schema import LabelGroup

REF = datetime(2026, 11, 25, 9, 0)
CTX = DomainContext.build(
    domain="cs",
    labels=["PHONE", "CUSTOMER_NAME", "ADDRESS", "BANK"],
    rule_labels=["PHONE"],
    groups=[LabelGroup(name="BODY", members={"CHEST": ("vòng ngực",), "WAIST": ("vòng eo",)})],
    roles={"person": ["CUSTOMER_NAME"], "address": ["ADDRESS"], "enumerable": ["BANK"]},
)


class PhoneRule:
    """A rule set with one regex recognizer: Vietnamese mobile numbers."""

    version = "test-rules.v1"
    _rx = regex.compile(r"(?<!\d)0[35789]\d{8}(?!\d)")

    def analyze(self, text: str, *, ref_time: datetime, lang: str = "vi") -> list[Entity]:
        return [
            Entity(m.start(), m.end(), "PHONE", m.group(), value=m.group(), source="rule:phone.v1")
            for m in self._rx.finditer(text)
        ]


class SubstringTagger:
    """A predictor that tags every occurrence of the given substrings (in the normalised text it is given)."""

    source = "model:substrings@test"

    def __init__(self, tags: Sequence[tuple[str, str]]) -> None:
        self.tags = list(tags)
        self.calls: list[list[str]] = []

    def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
        self.calls.append(list(texts))
        out = []
        for t in texts:
            ents = []
            for sub, label in self.tags:
                for m in regex.finditer(regex.escape(sub), t):
                    ents.append(Entity(m.start(), m.end(), label, sub, source=self.source, score=0.8))
            out.append(ents)
        return out


def pipe(model: SubstringTagger | None = None, **kw: object) -> Pipeline:
    return Pipeline(domains={"cs": DomainSpec(context=CTX, ruleset=PhoneRule())}, model=model, **kw)  # type: ignore[arg-type]


TEXT = "Chị Pham Minh Chinh, sđt 0912345678, giao tòa nhà Avalon, quận 1, trả qua Vietcom\u200bbank"


def test_full_pipeline_on_a_customer_message() -> None:
    model = SubstringTagger(
        [("Pham", "CUSTOMER_NAME"), ("tòa nhà Avalon", "ADDRESS"), ("0912", "CUSTOMER_NAME")]
    )
    (ents,) = pipe(model).process([TEXT], domain="cs", ref_time=REF)
    got = [(e.text, e.label) for e in ents]
    assert got == [
        ("Pham Minh Chinh", "CUSTOMER_NAME"),
        ("0912345678", "PHONE"),
        ("tòa nhà Avalon, quận 1", "ADDRESS"),
    ]
    name, phone, addr = ents
    assert name.stages == ("model", "post:span_rebuild")
    assert phone.stages == ("rules", "merge")  # beat the model's partial guess
    assert addr.stages == ("model", "post:span_rebuild")
    assert all(TEXT[e.start : e.end] == e.text for e in ents)


def test_offsets_index_the_original_nfd_text_with_odd_whitespace() -> None:
    text = unicodedata.normalize("NFD", "Giao  tòa nhà\tAvalon, quận 1 nhé, gọi 0912345678")
    model = SubstringTagger([("tòa nhà Avalon", "ADDRESS")])
    (ents,) = pipe(model).process([text], domain="cs", ref_time=REF)
    assert [e.label for e in ents] == ["ADDRESS", "PHONE"]
    for e in ents:
        assert text[e.start : e.end] == e.text
    assert unicodedata.normalize("NFC", ents[0].text).replace("\t", " ") == "tòa nhà Avalon, quận 1"
    assert model.calls[0][0].startswith("Giao tòa nhà Avalon")  # the model sees NFC with single spaces


def test_rules_only_without_a_model() -> None:
    p = pipe(None)
    (ents,) = p.process([TEXT], domain="cs", ref_time=REF)
    assert [(e.text, e.label, e.stages, e.origin) for e in ents] == [
        ("0912345678", "PHONE", ("rules",), Origin.RULE)
    ]
    assert (p.versions.rules, p.versions.model) == ("cs:test-rules.v1", "none")
    assert str(p.versions) == f"cs:test-rules.v1+none+{p.versions.pipeline}"


def test_each_stage_stamps_its_origin_on_what_it_returns() -> None:
    # PhoneRule and SubstringTagger build plain entities (origin OTHER): the pipeline marks them by stage
    model = SubstringTagger([("Avalon", "ADDRESS")])
    (ents,) = pipe(model).process([TEXT], domain="cs", ref_time=REF)
    # span_rebuild widened the model's span and kept its origin
    assert [(e.text, e.origin, e.stages) for e in ents] == [
        ("0912345678", Origin.RULE, ("rules",)),
        ("Avalon, quận 1", Origin.MODEL, ("model", "post:span_rebuild")),
    ]


def test_model_is_called_once_per_batch() -> None:
    model = SubstringTagger([("Avalon", "ADDRESS")])
    out = pipe(model).process(["a Avalon", "b", "c Avalon"], domain="cs", ref_time=REF)
    assert len(model.calls) == 1 and len(model.calls[0]) == 3
    assert [len(x) for x in out] == [1, 0, 1]


def test_steps_can_be_switched_off() -> None:
    model = SubstringTagger([("Pham", "CUSTOMER_NAME")])
    p = pipe(model, disabled_steps=["span_rebuild"])
    (ents,) = p.process([TEXT], domain="cs", ref_time=REF)
    assert ("Pham", "CUSTOMER_NAME") in [(e.text, e.label) for e in ents]
    assert "span_rebuild" not in p.versions.pipeline
    with pytest.raises(ValueError, match="unknown post-processing step"):
        pipe(model, disabled_steps=["spellcheck"])


def test_group_labels_are_restored_with_the_cue_named() -> None:
    text = "vòng ngực 88 vòng eo 68"
    model = SubstringTagger([("88", "BODY"), ("68", "BODY")])
    (ents,) = pipe(model).process([text], domain="cs", ref_time=REF)
    assert [(e.text, e.label) for e in ents] == [("88", "CHEST"), ("68", "WAIST")]
    assert "vòng eo" in ents[1].explanation and ents[1].stages[-1] == "post:restore_fine"


def test_deterministic_and_pure() -> None:
    texts = [TEXT, "vòng ngực 88", ""]
    model = SubstringTagger([("Pham", "CUSTOMER_NAME"), ("88", "BODY")])
    p = pipe(model)
    assert p.process(texts, domain="cs", ref_time=REF) == p.process(list(texts), domain="cs", ref_time=REF)
    assert texts == [TEXT, "vòng ngực 88", ""]


def test_versions_name_every_part() -> None:
    v = pipe(SubstringTagger([])).versions
    assert v.model == "model:substrings@test"
    assert v.pipeline.startswith("pipeline.v1/hybrid_merge.v1/span_rebuild+")
    assert v.as_dict() == {
        "rules": "cs:test-rules.v1",
        "model": "model:substrings@test",
        "pipeline": v.pipeline,
    }


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda p: p.process(["x"], domain="gam", ref_time=REF), "unknown domain 'gam'"),
        (lambda p: p.process("x", domain="cs", ref_time=REF), "list of texts"),
        (lambda p: p.process([None], domain="cs", ref_time=REF), "text #0 is NoneType"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((ValueError, TypeError), match=error):
        call(pipe(None))


def test_a_model_returning_bad_offsets_is_rejected() -> None:
    class Broken(SubstringTagger):
        def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
            return [[Entity(0, 3, "X", "zzz")] for _ in texts]

    with pytest.raises(ValueError, match="model stage returned an entity"):
        pipe(Broken([])).process(["abcdef"], domain="cs", ref_time=REF)


def test_unknown_merge_policy_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="unknown merge policy"):
        pipe(None, merge_policy="nope.v1")


def test_pipeline_as_a_predictor() -> None:
    model = SubstringTagger([("Pham", "CUSTOMER_NAME")])
    pred = PipelinePredictor(pipe(model), domain="cs", ref_time=REF)
    assert pred.predict([TEXT]) == pipe(model).process([TEXT], domain="cs", ref_time=REF)
    assert "hybrid_merge.v1" in pred.source and "model:substrings@test" in pred.source
    with pytest.raises(ValueError, match="unknown domain"):
        PipelinePredictor(pipe(model), domain="gam", ref_time=REF)


_PIECES = [
    "Chị",
    "Pham",
    "Minh",
    "Chinh",
    "0912345678",
    "tòa",
    "nhà",
    "Avalon,",
    "quận",
    "1",
    "Vietcombank",
    "vòng",
    "eo",
    "68",
]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(_PIECES), min_size=0, max_size=12),
    seps=st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", " \u200b"]), min_size=12, max_size=12),
    nfd=st.booleans(),
)
def test_offsets_always_index_the_input(words: list[str], seps: list[str], nfd: bool) -> None:
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    if nfd:
        text = unicodedata.normalize("NFD", text)
    model = SubstringTagger(
        [("Pham", "CUSTOMER_NAME"), ("Avalon", "ADDRESS"), ("68", "BODY"), ("Vietcom", "BANK")]
    )
    (ents,) = pipe(model).process([text], domain="cs", ref_time=REF)
    for e in ents:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert e.text == e.text.strip()
