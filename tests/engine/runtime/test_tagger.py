"""vner.engine.runtime.tagger / alignment / batching / providers: offsets, windows, budgets, provider choice."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.engine.runtime.alignment import best_window, decode_bio, plan_windows, split_words
from vner.engine.runtime.model_meta import read_meta
from vner.engine.runtime.providers import CPU, CUDA, ProviderError, choose_plan
from vner.engine.runtime.tagger import OnnxTagger, TokenTagger
from vner.engine.training.export import export_model, load_torch_model

from tests.engine.tiny_model import e5_tokenizer, make_tiny_model

SENTS = [
    "Bệnh nhân 91 là nam phi công người Anh, trú tại Quận 2, TP. Hồ Chí Minh.",
    "Ngày 15/3/2020 chị Nguyễn Thị Lan đến Hà Nội (bằng xe khách).",
    "Sở Y tế Đà Nẵng cho biết BN416 có triệu chứng sốt, ho và khó thở từ ngày 2/4.",
]


def torch_tagger(model_dir: Path, **kw: int) -> TokenTagger:
    model = load_torch_model(model_dir)

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(
                input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
            ).logits.numpy()

    return TokenTagger(
        tokenizer=e5_tokenizer(), meta=read_meta(model_dir), forward=forward, name="tiny", **kw
    )


@pytest.fixture(scope="module")
def contextless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("ctxless") / "m", contextless=True, max_length=512)


@pytest.fixture(scope="module")
def tagger(tmp_path_factory: pytest.TempPathFactory) -> TokenTagger:
    return torch_tagger(make_tiny_model(tmp_path_factory.mktemp("ctx") / "m"))


# -- words and offsets -----------------------------------------------------------------------------------
def test_split_words_punctuation_and_offsets() -> None:
    text = "Hà Nội, ngày 15/3/2020 (TP.HCM)."
    words = split_words(text)
    assert [w.text for w in words] == ["Hà", "Nội", ",", "ngày", "15/3/2020", "(", "TP.HCM", ")", "."]
    assert all(text[w.start : w.end] == w.text for w in words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("BN ở TP. HCM và Q. 1", ["BN", "ở", "TP.", "HCM", "và", "Q.", "1"]),
        ("ông P.L.V.Đ. và bà Nguyễn Th. Lan", ["ông", "P.L.V.Đ.", "và", "bà", "Nguyễn", "Th.", "Lan"]),
        ("ThS. BS. Lan", ["ThS.", "BS.", "Lan"]),
        ("Ông ở TP.", ["Ông", "ở", "TP", "."]),  # the text's last period ends the sentence
        ("gặp anh Nam. Sau đó", ["gặp", "anh", "Nam", ".", "Sau", "đó"]),  # a word, not an abbreviation
        ("ở TP HCM. Sau", ["ở", "TP", "HCM", ".", "Sau"]),
        ("ở TP.HCM. Sau", ["ở", "TP.HCM", ".", "Sau"]),
    ],
)
def test_split_words_keeps_the_period_of_abbreviations(text: str, words: list[str]) -> None:
    got = split_words(text)
    assert [w.text for w in got] == words
    assert all(text[w.start : w.end] == w.text for w in got)


def test_split_words_nfd_and_odd_whitespace() -> None:
    text = "  Bệnh\u00a0nhân\t\u200bở\n\nHà   Nội "
    nfd = unicodedata.normalize("NFD", text)
    words = split_words(nfd)
    assert [w.text for w in words] == ["Bệnh", "nhân", "ở", "Hà", "Nội"]
    assert [unicodedata.normalize("NFC", nfd[w.start : w.end]) for w in words] == [w.text for w in words]


def test_entity_text_is_the_input_slice_nfc_and_nfd(tagger: TokenTagger) -> None:
    nfc = [s.replace(" ", "  \u00a0", 3) for s in SENTS]
    nfd = [unicodedata.normalize("NFD", s) for s in nfc]
    got_nfc, got_nfd = tagger.predict(nfc), tagger.predict(nfd)
    assert any(got_nfc)
    for texts, got in ((nfc, got_nfc), (nfd, got_nfd)):
        for text, ents in zip(texts, got, strict=True):
            for e in ents:
                assert text[e.start : e.end] == e.text and e.text.strip() == e.text
                assert 0 < e.score <= 1 and e.source == "model:tiny@" + tagger.version
                assert e.label in tagger.labels
    # the model sees NFC words either way, so the tags are the same
    for a, b in zip(got_nfc, got_nfd, strict=True):
        assert [(e.label, unicodedata.normalize("NFC", e.text)) for e in a] == [
            (e.label, unicodedata.normalize("NFC", e.text)) for e in b
        ]


@settings(max_examples=25, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aăâbđeêoơưyAĐ0123456789 ,.()\t\u00a0\u0301\u0323")), max_size=60)
)
def test_offsets_property(text: str) -> None:
    tagger = _shared_tagger()
    for e in tagger.predict([text])[0]:
        assert text[e.start : e.end] == e.text


_CACHE: dict[str, TokenTagger] = {}


def _shared_tagger() -> TokenTagger:
    if "t" not in _CACHE:
        import tempfile

        _CACHE["t"] = torch_tagger(make_tiny_model(Path(tempfile.mkdtemp()) / "m", seed=3))
    return _CACHE["t"]


def test_predict_rejects_a_bare_string(tagger: TokenTagger) -> None:
    with pytest.raises(TypeError):
        tagger.predict("Hà Nội")  # type: ignore[arg-type]
    assert tagger.predict(["", "   "]) == [[], []]


def test_decode_bio() -> None:
    tags = ["B-LOC", "I-LOC", "O", "I-DATE", "I-DATE", "B-LOC", "B-LOC", "I-PER"]
    spans = decode_bio(tags, [0.5, 1.0, 0.9, 0.2, 0.4, 1.0, 1.0, 1.0])
    assert spans == [(0, 1, "LOC", 0.75), (3, 4, "DATE", pytest.approx(0.3)), (5, 5, "LOC", 1.0),
                     (6, 6, "LOC", 1.0), (7, 7, "PER", 1.0)]  # fmt: skip


# -- windows ---------------------------------------------------------------------------------------------
@given(st.lists(st.integers(1, 6), max_size=80), st.integers(6, 20), st.integers(0, 5))
def test_plan_windows_property(lens: list[int], body: int, stride: int) -> None:
    wins = plan_windows(lens, body=body, stride=stride)
    if not lens:
        assert wins == []
        return
    assert wins[0][0] == 0 and wins[-1][1] == len(lens)
    for (a, b), (c, d) in zip(wins, wins[1:], strict=False):
        assert a < c <= b < d  # progress, contiguous cover
        assert sum(lens[c:b]) <= stride
    assert all(sum(lens[a:b]) <= body for a, b in wins)
    owner = best_window(wins, len(lens))
    assert all(wins[owner[k]][0] <= k < wins[owner[k]][1] for k in range(len(lens)))


def test_long_text_split_with_stride_matches_one_window(contextless: Path) -> None:
    long_text = " ".join(SENTS * 4)
    small = torch_tagger(contextless, max_length=24, stride=6)
    whole = torch_tagger(contextless, max_length=512)
    assert small.count_tokens([long_text])[0] > 3 * 24  # really split into several windows
    assert whole.count_tokens([long_text])[0] <= 512
    got, want = small.predict([long_text])[0], whole.predict([long_text])[0]
    assert want and got == want
    # each copy of a sentence inside the long text is tagged like the sentence alone
    alone = whole.predict(SENTS)
    offset, expected = 0, list[tuple[int, int, str]]()
    for _ in range(4):
        for s, ents in zip(SENTS, alone, strict=True):
            expected.extend((e.start + offset, e.end + offset, e.label) for e in ents)
            offset += len(s) + 1
    assert [(e.start, e.end, e.label) for e in got] == expected


def test_windows_with_a_contextual_model_stay_consistent(tagger: TokenTagger, contextless: Path) -> None:
    long_text = " ".join(SENTS * 3)
    small = torch_tagger(contextless, max_length=20)
    ents = small.predict([long_text])[0]
    ends = [(e.start, e.end) for e in ents]
    assert ends == sorted(ends) and all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))
    short = SENTS[1]
    assert tagger.predict([short]) == torch_tagger_like(tagger, stride=0).predict([short])


def torch_tagger_like(t: TokenTagger, **kw: int) -> TokenTagger:
    return TokenTagger(tokenizer=t._tok, meta=t.meta, forward=t._forward, name=t.name, **kw)  # type: ignore[arg-type]


def test_count_tokens(tagger: TokenTagger) -> None:
    enc = e5_tokenizer()([w.text for w in split_words(SENTS[0])], is_split_into_words=True)
    assert tagger.count_tokens([SENTS[0], ""]) == [len(enc["input_ids"]), 0]


# -- batching (the cutter itself: tests/engine/runtime/test_batching.py) ----------------------------------
def test_tagger_batches_under_budget_and_keeps_order(tagger: TokenTagger) -> None:
    texts = [SENTS[i % 3][: 10 + 7 * i] for i in range(12)]
    seen: list[tuple[int, int]] = []

    def recording(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        seen.append(ids.shape)
        return tagger._forward(ids, mask)

    budgeted = TokenTagger(tokenizer=tagger._tok, meta=tagger.meta, forward=recording, name=tagger.name,
                           max_tokens=80, max_batch=3)  # fmt: skip
    got, want = budgeted.predict(texts), tagger.predict(texts)
    assert [[(e.start, e.end, e.label) for e in row] for row in got] == [
        [(e.start, e.end, e.label) for e in row] for row in want
    ]
    assert [e.score for row in got for e in row] == pytest.approx(
        [e.score for row in want for e in row], abs=1e-5
    )
    assert len(seen) > 4 and all(b * t <= 80 or b == 1 for b, t in seen) and all(b <= 3 for b, _ in seen)


# -- providers -------------------------------------------------------------------------------------------
ALL = {"model.onnx", "model.int8.onnx", "model.fp16.onnx"}


def test_provider_selection() -> None:
    gpu = choose_plan(available_providers=["CUDAExecutionProvider", CPU], present_files=ALL)
    assert gpu.providers == (CUDA, CPU) and gpu.precision == "fp16" and gpu.on_gpu
    gpu32 = choose_plan(available_providers=[CUDA, CPU], present_files={"model.onnx", "model.int8.onnx"})
    assert gpu32.precision == "fp32" and gpu32.model_file == "model.onnx"
    cpu = choose_plan(available_providers=["AzureExecutionProvider", CPU], present_files=ALL, cpu_count=6)
    assert cpu.providers == (CPU,) and cpu.precision == "int8" and cpu.intra_op_threads == 6
    assert choose_plan(available_providers=[CPU], present_files={"model.onnx"}).precision == "fp32"
    forced = choose_plan(
        available_providers=[CUDA, CPU], present_files=ALL, providers=[CPU], precision="int8"
    )
    assert forced.providers == (CPU,) and forced.precision == "int8"
    assert choose_plan(available_providers=[CPU], present_files=ALL, threads=1).intra_op_threads == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"available_providers": [CUDA, CPU], "precision": "int8"}, "integer ops"),
        ({"available_providers": [CPU], "precision": "fp16"}, "CUDA provider"),
        ({"available_providers": [CPU], "providers": [CUDA]}, "not available"),
        ({"available_providers": [CPU], "precision": "bf16"}, "unknown precision"),
        ({"available_providers": [CPU], "present_files": set()}, "run `vner export`"),
        (
            {"available_providers": [CPU], "present_files": {"model.onnx"}, "precision": "int8"},
            "model.int8.onnx",
        ),
    ],
)
def test_provider_selection_errors(kwargs: dict[str, object], message: str) -> None:
    kwargs.setdefault("present_files", ALL)
    with pytest.raises(ProviderError, match=message):
        choose_plan(**kwargs)  # type: ignore[arg-type]


def test_real_ort_session_on_this_cpu(tmp_path: Path, tagger: TokenTagger) -> None:
    model = make_tiny_model(tmp_path / "m")
    out = export_model(model, tmp_path / "onnx").out_dir
    onnx_tagger = OnnxTagger.from_dir(out)
    assert onnx_tagger.plan is not None and onnx_tagger.plan.providers[0] == CPU
    assert onnx_tagger.plan.precision == "int8" and onnx_tagger.plan.intra_op_threads >= 1
    fp32 = OnnxTagger.from_dir(out, precision="fp32", threads=1)
    got, want = fp32.predict(SENTS), torch_tagger(model).predict(SENTS)
    assert [[(e.span, e.label) for e in row] for row in got] == [
        [(e.span, e.label) for e in row] for row in want
    ]
    assert [e.score for row in got for e in row] == pytest.approx(
        [e.score for row in want for e in row], abs=1e-4
    )
    assert got[0][0].source == f"model:tiny-bert@{fp32.version}"


def test_int8_answers_do_not_depend_on_batch_neighbours(tmp_path: Path) -> None:
    from vner.engine.runtime.alignment import split_words

    out = export_model(make_tiny_model(tmp_path / "m"), tmp_path / "onnx").out_dir
    int8 = OnnxTagger.from_dir(out, precision="int8", threads=1)
    assert int8.batch_invariant is True
    assert OnnxTagger.from_dir(out, precision="fp32", threads=1).batch_invariant is False
    short = [split_words(SENTS[0])]
    neighbour = [split_words(" ".join(SENTS) + " 9999999 " * 40)]
    alone = int8.word_probs(short)[0]
    batched = int8.word_probs(short + neighbour)[0]  # one call, padded to the long neighbour
    np.testing.assert_array_equal(alone, batched)
    mixed = OnnxTagger.from_dir(out, precision="int8", threads=1, batch_invariant=False)
    assert mixed.batch_invariant is False
    np.testing.assert_allclose(mixed.word_probs(short)[0], alone, atol=1e-6)  # alone: the same path
