"""int8 recipes of ``vner export`` on the tiny model: every recipe exports and keeps the labels, ``static_qdq``
(calibrated on domain text) answers the same alone and in a padded batch, the calibration reader and CLI errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from typer.testing import CliRunner
from vner.engine.runtime.alignment import split_words
from vner.engine.runtime.model_meta import STATIC_INT8_RECIPES, int8_recipe_of, read_meta
from vner.engine.runtime.tagger import OnnxTagger
from vner.engine.training.calibration import (
    CalibrationError,
    TaggerCalibrationReader,
    graph_inputs,
    read_calibration_texts,
)
from vner.engine.training.export import INT8_RECIPES, ExportError, export_model
from vner.engine.training.parity import SAMPLE_SENTENCES, check_parity

from tests.engine.tiny_model import TRAIN, e5_tokenizer, make_tiny_model
from vner.cli import app

NEIGHBOUR = "9999999 " * 6 + SAMPLE_SENTENCES[1]  # a longer, odd neighbour: other activation ranges


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def exports(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One fused export per recipe (static_qdq calibrated on the annotated training fixture)."""
    root = tmp_path_factory.mktemp("recipes")
    return {
        r: export_model(tiny, root / r, int8_recipe=r, calibration=TRAIN, calibration_limit=20).out_dir
        for r in INT8_RECIPES
    }


@pytest.fixture(scope="module")
def static_unfused(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    txt = tmp_path_factory.mktemp("calib") / "texts.txt"
    txt.write_text("\n".join(SAMPLE_SENTENCES) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("plain") / "onnx"
    return export_model(tiny, out, int8_recipe="static_qdq", fuse_graph=False, calibration=txt).out_dir


def _ops(path: Path) -> list[str]:
    return [n.op_type for n in onnx.load(str(path), load_external_data=False).graph.node]


def test_every_recipe_exports_and_keeps_the_labels(tiny: Path, exports: dict[str, Path]) -> None:
    assert set(exports) == {"dynamic_ffn_fp32", "dynamic_all", "static_qdq"}
    for recipe, out in exports.items():
        assert int8_recipe_of(out) == recipe
        assert json.loads((out / "export.json").read_text("utf-8"))["int8_recipe"] == recipe
        assert (out / "model.int8.onnx").stat().st_size < (out / "model.onnx").stat().st_size
        rep = check_parity(tiny, out, precisions=("int8",))  # the built-in sample, vs torch
        assert rep.f1_vs_torch["int8"] >= 0.9, (recipe, rep.lines())


def test_static_qdq_graph_has_fixed_scales_and_says_so(
    exports: dict[str, Path], static_unfused: Path
) -> None:
    for out in (exports["static_qdq"], static_unfused):
        ops = _ops(out / "model.int8.onnx")
        assert ops.count("QuantizeLinear") >= 4 and "DequantizeLinear" in ops  # activations quantized
        assert not {"DynamicQuantizeLinear", "DynamicQuantizeMatMul", "MatMulInteger"} & set(ops)
        report = json.loads((out / "export.json").read_text("utf-8"))
        assert report["int8_static"] is True and report["calibration"]["method"] == "minmax"
        meta = json.loads((out / "vner_meta.json").read_text("utf-8"))
        assert meta["int8_recipe"] == "static_qdq" and read_meta(out).labels  # still a valid vner_meta.json
    assert graph_inputs(exports["static_qdq"] / "model.onnx") == {
        "input_ids": np.int64,
        "attention_mask": np.int64,
    }
    for out in (exports["static_qdq"], static_unfused):
        graph = onnx.load(str(out / "model.int8.onnx"), load_external_data=False).graph
        ops = {n.name: n.op_type for n in graph.node}
        readers: dict[str, list[str]] = {}
        for n in graph.node:
            for x in n.input:
                readers.setdefault(x, []).append(n.op_type)
        gathered = {o for n in graph.node if n.op_type == "Gather" for o in n.output}  # int8 rows: lossless
        for q in (n for n in graph.node if n.op_type == "QuantizeLinear" and n.input[0] not in gathered):
            for dq in (
                n for n in graph.node if n.op_type == "DequantizeLinear" and n.input[0] == q.output[0]
            ):
                # a rounded activation reaches MatMuls only, never a residual connection or a layer norm
                assert set(readers[dq.output[0]]) == {"MatMul"}, (q.name, readers[dq.output[0]])
        assert ops["/bert/encoder/layer.0/output/dense/MatMul"] == "MatMul"  # FFN output kept fp32
        assert json.loads((out / "export.json").read_text("utf-8"))["int8_fp32_nodes"] == 2
    plain = onnx.load(str(static_unfused / "model.int8.onnx"), load_external_data=False).graph
    emb = next(n for n in plain.node if n.name == "/bert/embeddings/word_embeddings/Gather")
    assert emb.input[0].endswith("_DequantizeLinear_Output")  # the 250k-row table is stored int8
    assert (static_unfused / "model.int8.onnx").stat().st_size < (
        static_unfused / "model.onnx"
    ).stat().st_size / 3
    fused = json.loads((exports["static_qdq"] / "export.json").read_text("utf-8"))
    assert fused["fused"] is True and "Attention" in _ops(exports["static_qdq"] / "model.int8.onnx")
    assert fused["calibration"]["texts"] == 20 and fused["calibration"]["file"] == TRAIN.name
    assert json.loads((exports["dynamic_all"] / "export.json").read_text("utf-8"))["int8_static"] is False
    assert "MatMulInteger" in _ops(
        exports["dynamic_all"] / "model.int8.onnx"
    ) or "DynamicQuantizeMatMul" in _ops(exports["dynamic_all"] / "model.int8.onnx")


def _alone_vs_batched(out: Path) -> float:
    """Max |logit difference| of the sample sentences run alone (unpadded) and padded in one batch."""
    sess = ort.InferenceSession(str(out / "model.int8.onnx"), providers=["CPUExecutionProvider"])
    enc = e5_tokenizer()(
        [*SAMPLE_SENTENCES, NEIGHBOUR], padding=True, truncation=True, max_length=64, return_tensors="np"
    )
    ids, mask = enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)
    batched = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    diff = 0.0
    for r in range(len(SAMPLE_SENTENCES)):
        n = int(mask[r].sum())
        alone = sess.run(None, {"input_ids": ids[r : r + 1, :n], "attention_mask": mask[r : r + 1, :n]})[0]
        diff = max(diff, float(np.abs(alone[0] - batched[r, :n]).max()))
    return diff


def test_static_int8_answers_do_not_depend_on_batch_neighbours(
    exports: dict[str, Path], static_unfused: Path
) -> None:
    assert _alone_vs_batched(exports["static_qdq"]) <= 1e-4
    assert _alone_vs_batched(static_unfused) <= 1e-4
    # the contrast that makes the check mean something: dynamic int8 scales each batch by its own range
    assert _alone_vs_batched(exports["dynamic_all"]) > 1e-3


def test_the_tagger_batches_static_int8_and_isolates_dynamic_int8(exports: dict[str, Path]) -> None:
    assert STATIC_INT8_RECIPES == ("static_qdq",)
    static = OnnxTagger.from_dir(exports["static_qdq"], precision="int8", threads=1)
    assert static.batch_invariant is False  # real padded batches
    assert (
        OnnxTagger.from_dir(exports["dynamic_ffn_fp32"], precision="int8", threads=1).batch_invariant is True
    )
    short = [split_words(SAMPLE_SENTENCES[0])]
    alone = static.word_probs(short)[0]
    batched = static.word_probs(short + [split_words(NEIGHBOUR)])[0]  # one call, padded to the neighbour
    np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_an_export_without_a_recorded_recipe_stays_batch_invariant(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    import shutil

    old = tmp_path / "old"
    shutil.copytree(exports["static_qdq"], old)
    meta = json.loads((old / "vner_meta.json").read_text("utf-8"))
    del meta["int8_recipe"]
    (old / "vner_meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert int8_recipe_of(old) == "static_qdq"  # export.json still says it
    (old / "export.json").unlink()
    assert int8_recipe_of(old) is None
    assert OnnxTagger.from_dir(old, precision="int8", threads=1).batch_invariant is True  # the safe default


# -- calibration reader ---------------------------------------------------------------------------------
def _reader(
    model_dir: Path, texts: list[str], tokens: list[list[tuple[int, int]]], inputs: dict | None = None
) -> TaggerCalibrationReader:
    return TaggerCalibrationReader(
        tokenizer=e5_tokenizer(),
        meta=read_meta(model_dir),
        inputs=inputs or {"input_ids": np.int64, "attention_mask": np.int64},
        texts=texts,
        tokens=tokens,
    )


def test_calibration_texts_from_txt_jsonl_and_corpora(tmp_path: Path) -> None:
    txt = tmp_path / "c.txt"
    txt.write_text("Chị Lan đến Hà Nội.\n\n  \nNgày 15/3 ông Hùng về Đà Nẵng.\nok\n", encoding="utf-8")
    texts, tokens = read_calibration_texts(txt)
    assert texts == ["Chị Lan đến Hà Nội.", "Ngày 15/3 ông Hùng về Đà Nẵng.", "ok"] and tokens == []
    assert read_calibration_texts(txt, limit=2)[0] == texts[:2]
    jl = tmp_path / "c.jsonl"
    jl.write_text('{"text": "Chị Lan đến Hà Nội.", "id": 1}\n\n{"text": "ok"}\n', encoding="utf-8")
    assert read_calibration_texts(jl) == (["Chị Lan đến Hà Nội.", "ok"], [])
    texts, tokens = read_calibration_texts(TRAIN, limit=5)  # vner JSONL with entities and token spans
    assert len(texts) == 5 and len(tokens) == 5 and all(tokens)
    ph = tmp_path / "p.json"
    ph.write_text(
        '{"words": ["Chị", "Lan", "đến", "Hà", "Nội"], "tags": ["O", "B-PER", "O", "B-LOC", "I-LOC"]}\n'
    )
    texts, tokens = read_calibration_texts(ph)
    assert texts == ["Chị Lan đến Hà Nội"] and tokens == [[(0, 3), (4, 7), (8, 11), (12, 14), (15, 18)]]


def test_calibration_reader_feeds_what_the_tagger_feeds(tiny: Path) -> None:
    long = " ".join(["Bệnh nhân ở Hà Nội"] * 40)  # > max_length (64 tokens): several windows
    rd = _reader(tiny, ["Chị Lan đến Hà Nội.", long], [])
    assert len(rd) >= 3 and rd.n_tokens == sum(f["input_ids"].size for f in rd.feeds)
    tok = e5_tokenizer()
    assert rd.feeds[0]["input_ids"][0].tolist() == tok("Chị Lan đến Hà Nội .")["input_ids"]
    for feed in rd:
        assert set(feed) == {"input_ids", "attention_mask"} and feed["input_ids"].dtype == np.int64
        ids, mask = feed["input_ids"], feed["attention_mask"]
        assert ids.shape[0] == 1 and ids.shape[1] <= 64 and mask.all()  # one window, unpadded
        assert ids[0, 0] == tok.cls_token_id and ids[0, -1] == tok.sep_token_id
    assert rd.get_next() is None
    rd.rewind()
    assert rd.get_next() is rd.feeds[0]
    rd.set_range(1, 2)
    assert rd.get_next() is rd.feeds[1] and rd.get_next() is None
    typed = _reader(
        tiny, ["ok"], [], {"input_ids": np.int32, "attention_mask": np.int32, "token_type_ids": np.int32}
    )
    feed = typed.feeds[0]
    assert feed["token_type_ids"].dtype == np.int32 and not feed["token_type_ids"].any()
    with pytest.raises(CalibrationError, match="lacks the inputs"):
        _reader(tiny, ["ok"], [], {"input_ids": np.int64})
    spans = _reader(tiny, ["Chị Lan"], [[(0, 7)]])  # one corpus token: one word of two syllables
    assert spans.feeds[0]["input_ids"].shape[1] == 2 + len(
        tok("Chị Lan", add_special_tokens=False)["input_ids"]
    )


def test_calibration_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match=r"nowhere\.txt not found"):
        read_calibration_texts(tmp_path / "nowhere.txt")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"txt": "no"}\n', encoding="utf-8")
    with pytest.raises(CalibrationError, match=r'bad\.jsonl:2: a JSON line without a string "text"'):
        read_calibration_texts(bad)
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00" * 10)
    with pytest.raises(CalibrationError, match=r"cannot read calibration file .*blob\.bin"):
        read_calibration_texts(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(CalibrationError, match="holds no text"):
        read_calibration_texts(empty)


def test_cli_static_qdq_needs_readable_calibration_text(tiny: Path, tmp_path: Path) -> None:
    run = CliRunner()
    out = tmp_path / "o"
    res = run.invoke(app, ["export", str(tiny), "--out", str(out), "--int8-recipe", "static_qdq"])
    assert res.exit_code == 1 and "--calibration FILE" in res.output and "--sample" in res.output
    assert not out.exists()  # refused before exporting anything
    bad = tmp_path / "blob.jsonl"
    bad.write_bytes(b"\xff\xfe garbage")
    args = ["export", str(tiny), "--out", str(out), "--int8-recipe", "static_qdq", "--calibration", str(bad)]
    res = run.invoke(app, args)
    assert res.exit_code == 1 and "blob.jsonl" in res.output and not out.exists()
    with pytest.raises(ExportError, match="calibrates activation scales"):
        export_model(tiny, out, int8_recipe="static_qdq")


def test_cli_static_qdq_calibrates_on_the_sample_by_default(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = ["export", str(tiny), "--out", str(out), "--no-fuse", "--int8-recipe", "static_qdq"]
    res = CliRunner().invoke(app, [*args, "--sample", str(TRAIN), "--calibration-limit", "7", "--no-check"])
    assert res.exit_code == 0, res.output
    assert "int8 recipe: static_qdq" in res.output and f"calibration: 7 texts of {TRAIN.name}" in res.output
    assert json.loads((out / "export.json").read_text("utf-8"))["calibration"]["texts"] == 7
