"""Constrained BIO Viterbi decoding (issue 21, item 2): hand-checked paths, validity, argmax agreement, parity."""

from __future__ import annotations

import itertools
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from vner.engine.runtime.decoding import PROB_FLOOR, best_label_ids, bio_constraints, check_decoding, viterbi
from vner.engine.runtime.model_meta import (
    DECODINGS,
    META_FILE,
    ModelMeta,
    ModelMetaError,
    read_meta,
    write_meta,
)
from vner.engine.runtime.tagger import OnnxTagger, TokenTagger
from vner.engine.runtime.torch_tagger import TorchTagger
from vner.engine.training.export import export_model
from vner.engine.training.parity import SAMPLE_SENTENCES

from tests.engine.tiny_model import e5_tokenizer, make_tiny_model

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
C = bio_constraints(LABELS)


def tags_of(probs: list[list[float]], labels: tuple[str, ...] = LABELS) -> list[str]:
    ids = viterbi(np.array(probs, dtype=np.float64).reshape(len(probs), len(labels)), bio_constraints(labels))
    return [labels[int(i)] for i in ids]


def valid_bio(tags: list[str]) -> bool:
    """Written here, independently of the code under test: an I-X follows B-X or I-X."""
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def log_score(probs: np.ndarray, path: tuple[int, ...] | np.ndarray) -> float:
    return sum(math.log(max(float(probs[t, k]), PROB_FLOOR)) for t, k in enumerate(path))


def brute_force(probs: np.ndarray, labels: tuple[str, ...] = LABELS) -> float:
    """Best summed log-probability over every valid path, by enumeration."""
    best = -math.inf
    for path in itertools.product(range(len(labels)), repeat=probs.shape[0]):
        if valid_bio([labels[k] for k in path]):
            best = max(best, log_score(probs, path))
    return best


# -- (a) hand-checked best paths -------------------------------------------------------------------------
#             O     B-PER  I-PER  B-LOC  I-LOC
def test_o_i_i_becomes_b_i_i() -> None:
    probs = [
        [0.5, 0.4, 0.1, 0.0, 0.0],
        [0.2, 0.1, 0.7, 0.0, 0.0],
        [0.2, 0.1, 0.7, 0.0, 0.0],
    ]
    greedy = [LABELS[int(np.argmax(r))] for r in probs]
    assert greedy == ["O", "I-PER", "I-PER"]
    # B I I = .4*.7*.7 = .196; O B I = .5*.1*.7 = .035; B B I = .4*.1*.7 = .028; O O O = .5*.2*.2 = .02;
    # any path without I-PER at word 1 has at most .5*.2*.7 = .07 (word 2 is I-PER only after B/I at word 1)
    assert tags_of(probs) == ["B-PER", "I-PER", "I-PER"]


def test_o_i_i_becomes_o_o_o() -> None:
    probs = [
        [0.6, 0.05, 0.35, 0.0, 0.0],
        [0.45, 0.05, 0.5, 0.0, 0.0],
        [0.45, 0.05, 0.5, 0.0, 0.0],
    ]
    assert [LABELS[int(np.argmax(r))] for r in probs] == ["O", "I-PER", "I-PER"]
    # O O O = .6*.45*.45 = .1215; B I I = .05*.5*.5 = .0125; O B I = .6*.05*.5 = .015; O O B = .0135
    assert tags_of(probs) == ["O", "O", "O"]


def test_a_type_switch_inside_a_span_is_not_allowed() -> None:
    probs = [
        [0.1, 0.9, 0.0, 0.0, 0.0],
        [0.1, 0.0, 0.0, 0.3, 0.6],
    ]
    # B-PER I-LOC is invalid; B-PER B-LOC = .27 beats B-PER O = .09 and O B-LOC = .03
    assert tags_of(probs) == ["B-PER", "B-LOC"]


def test_a_sentence_may_not_start_inside_a_span() -> None:
    assert tags_of([[0.1, 0.3, 0.6, 0.0, 0.0]]) == ["B-PER"]
    assert tags_of([[0.0, 0.0, 1.0, 0.0, 0.0]]) == [
        "O"
    ]  # every valid start is a floored 0: the tie goes to O


def test_length_zero_and_exact_zeros_give_no_nan() -> None:
    assert viterbi(np.zeros((0, len(LABELS))), C).shape == (0,)
    assert best_label_ids(np.zeros((0, len(LABELS))), "argmax", C).shape == (0,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a log(0) or inf - inf would warn
        got = tags_of([[0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]])
    # the best valid path pays one floored 0 (B-PER at word 0) then takes I-PER (1.0) and O (1.0)
    assert got == ["B-PER", "I-PER", "O"]


def test_a_label_set_without_i_tags_is_plain_argmax() -> None:
    labels = ("O", "B-PHONE", "B-EMAIL")
    probs = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.1, 0.2, 0.7]]
    assert tags_of(probs, labels) == ["B-PHONE", "O", "B-EMAIL"]


def test_shape_and_name_errors() -> None:
    with pytest.raises(ValueError, match="do not match 5 labels"):
        viterbi(np.zeros((2, 3)), C)
    with pytest.raises(ValueError, match="unknown decoding 'beam'; expected one of argmax, viterbi"):
        check_decoding("beam")
    with pytest.raises(ValueError, match="unknown decoding"):
        best_label_ids(np.zeros((1, 5)), "beam", C)


# -- (b) property: never an invalid transition; the best valid path -----------------------------------------
def test_viterbi_paths_are_valid_on_random_emissions() -> None:
    rng = np.random.default_rng(21)
    invalid_argmax = 0
    for _ in range(2000):
        n = int(rng.integers(0, 16))
        probs = rng.dirichlet(np.full(len(LABELS), 0.5), size=n)
        probs[rng.random(probs.shape) < 0.1] = 0.0  # exact zeros too
        path = viterbi(probs, C)
        assert path.shape == (n,)
        assert best_label_ids(probs, "viterbi", C).tolist() == path.tolist()  # with its argmax shortcut
        assert valid_bio([LABELS[int(k)] for k in path])
        invalid_argmax += not valid_bio([LABELS[int(k)] for k in probs.argmax(axis=-1)])
    assert invalid_argmax > 500  # the emissions do exercise the constraints


def test_viterbi_score_equals_brute_force_on_short_sentences() -> None:
    rng = np.random.default_rng(7)
    for _ in range(150):
        probs = rng.dirichlet(np.full(len(LABELS), 0.5), size=int(rng.integers(1, 5)))
        assert log_score(probs, viterbi(probs, C)) == pytest.approx(brute_force(probs), abs=1e-9)


# -- (c) a valid argmax path is the Viterbi path -----------------------------------------------------------------
def test_viterbi_equals_argmax_when_argmax_is_valid() -> None:
    rng = np.random.default_rng(3)
    follow = {"O": ["O", "B-PER", "B-LOC"], "B-PER": ["O", "B-PER", "I-PER", "B-LOC"]}
    follow["I-PER"] = follow["B-PER"]
    follow["B-LOC"] = follow["I-LOC"] = ["O", "B-PER", "B-LOC", "I-LOC"]
    for _ in range(300):
        n = int(rng.integers(1, 14))
        tags = [str(rng.choice(["O", "B-PER", "B-LOC"]))]
        while len(tags) < n:
            tags.append(str(rng.choice(follow[tags[-1]])))
        assert valid_bio(tags)
        probs = rng.dirichlet(np.ones(len(LABELS)), size=n) * 0.5
        want = [LABELS.index(t) for t in tags]
        probs[np.arange(n), want] += 0.5  # the planted valid path is each word's argmax
        assert probs.argmax(axis=-1).tolist() == want
        assert viterbi(probs, C).tolist() == want
        assert best_label_ids(probs, "argmax", C).tolist() == want
        assert best_label_ids(probs, "viterbi", C).tolist() == want


# -- (e) the meta field --------------------------------------------------------------------------------------
def test_meta_decoding_round_trips_and_defaults_to_viterbi(tmp_path: Path) -> None:
    assert DECODINGS == ("argmax", "viterbi")
    meta = ModelMeta(labels=LABELS, backbone="tiny", decoding="viterbi")
    write_meta(tmp_path, meta)
    assert json.loads((tmp_path / META_FILE).read_text("utf-8"))["decoding"] == "viterbi"
    assert read_meta(tmp_path).decoding == "viterbi"
    old = {"format": "vner-model/1", "labels": list(LABELS), "backbone": "tiny", "max_length": 64}
    (tmp_path / META_FILE).write_text(json.dumps(old), encoding="utf-8")
    assert read_meta(tmp_path).decoding == "viterbi"
    assert ModelMeta.from_dict({**old, "decoding": None}).decoding == "viterbi"
    assert ModelMeta.from_dict({**old, "decoding": "argmax"}).decoding == "argmax"
    with pytest.raises(ModelMetaError, match="unknown decoding 'crf'"):
        ModelMeta.from_dict({**old, "decoding": "crf"})


# -- (d) torch and ONNX agree with the head; the choice survives export -----------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("decode")
    model = make_tiny_model(root / "m", seed=5)
    return model, export_model(model, root / "onnx", int8=False).out_dir


def _spans(batch: list[list]) -> list[list[tuple[int, int, str]]]:  # type: ignore[type-arg]
    return [[(e.start, e.end, e.label) for e in ents] for ents in batch]


def test_export_parity_with_the_viterbi_head(exported: tuple[Path, Path]) -> None:
    model, onnx_dir = exported
    texts = list(SAMPLE_SENTENCES)
    torch_v = TorchTagger.from_dir(model, decoding="viterbi")
    onnx_v = OnnxTagger.from_dir(onnx_dir, precision="fp32", decoding="viterbi")
    onnx_a = OnnxTagger.from_dir(onnx_dir, precision="fp32", decoding="argmax")
    assert (torch_v.decoding, onnx_v.decoding, onnx_a.decoding) == ("viterbi", "viterbi", "argmax")
    assert OnnxTagger.from_dir(onnx_dir, precision="fp32").decoding == "viterbi"  # the default
    got_torch, got_onnx = torch_v.predict(texts), onnx_v.predict(texts)
    assert _spans(got_onnx) == _spans(got_torch)
    assert any(got_onnx)
    assert onnx_a.source.endswith("+argmax") and "+" not in onnx_v.source.rsplit("@", 1)[1]
    # the sample does exercise the head: the random tiny model's argmax paths break BIO somewhere
    probs = onnx_a.word_probs([onnx_a.words_of(t) for t in texts])
    argmax_tags = [[onnx_a.meta.labels[int(k)] for k in p.argmax(axis=-1)] for p in probs]
    assert not all(valid_bio(t) for t in argmax_tags)
    assert _spans(onnx_a.predict(texts)) != _spans(got_onnx)


def test_the_meta_choice_survives_export(exported: tuple[Path, Path], tmp_path: Path) -> None:
    model, onnx_dir = exported
    with_choice = make_tiny_model(tmp_path / "m", seed=5)
    meta = json.loads((with_choice / META_FILE).read_text("utf-8"))
    (with_choice / META_FILE).write_text(json.dumps({**meta, "decoding": "argmax"}), encoding="utf-8")
    out = export_model(with_choice, tmp_path / "onnx", int8=False).out_dir
    assert read_meta(out).decoding == "argmax"
    from_meta = OnnxTagger.from_dir(out, precision="fp32")
    overridden = OnnxTagger.from_dir(out, precision="fp32", decoding="viterbi")
    assert from_meta.decoding == "argmax" and overridden.decoding == "viterbi"
    texts = list(SAMPLE_SENTENCES)
    explicit = OnnxTagger.from_dir(onnx_dir, precision="fp32", decoding="argmax")  # same seed, same weights
    plain = OnnxTagger.from_dir(onnx_dir, precision="fp32")
    assert _spans(from_meta.predict(texts)) == _spans(explicit.predict(texts))
    assert _spans(overridden.predict(texts)) == _spans(plain.predict(texts))


def test_tagger_refuses_an_unknown_decoding(exported: tuple[Path, Path]) -> None:
    model, _ = exported
    with pytest.raises(ValueError, match="unknown decoding 'beam'"):
        TokenTagger(
            tokenizer=e5_tokenizer(),
            meta=read_meta(model),
            forward=lambda ids, mask: np.zeros((*ids.shape, len(LABELS))),
            name="x",
            decoding="beam",
        )
