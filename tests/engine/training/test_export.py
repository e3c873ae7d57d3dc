"""vner.engine.training.export / vner.engine.training.parity / ``vner export``: a real tiny model exported and run by ONNX Runtime."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from typer.testing import CliRunner
from vner.engine.runtime.providers import ProviderError
from vner.engine.runtime.tagger import ModelLoadError, OnnxTagger
from vner.engine.training.export import ExportError, export_model, load_torch_model
from vner.engine.training.parity import check_parity

from tests.engine.tiny_model import e5_tokenizer, make_tiny_model
from vner.cli import app

TEXTS = [
    "Bệnh nhân 91 là nam phi công người Anh, trú tại Quận 2, TP. Hồ Chí Minh.",
    "Ngày 15/3/2020 chị Lan đến Hà Nội.",
    "ok",
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def exported(tiny: Path) -> Path:
    result = export_model(tiny, int8=True, fp16=True)
    assert set(result.files) == {"fp32", "int8", "fp16"}
    return result.out_dir


def _batch() -> tuple[np.ndarray, np.ndarray]:
    enc = e5_tokenizer()(TEXTS, padding=True, return_tensors="np")
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def test_fp32_logits_match_torch(tiny: Path, exported: Path) -> None:
    ids, mask = _batch()
    assert mask.min() == 0, "the batch must contain padding"
    sess = ort.InferenceSession(str(exported / "model.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    with torch.no_grad():
        ref = load_torch_model(tiny)(
            input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
        ).logits
    assert got.shape == tuple(ref.shape)
    real = mask.astype(bool)
    np.testing.assert_allclose(got[real], ref.numpy()[real], atol=1e-4)


def test_export_dir_is_self_contained(exported: Path) -> None:
    for name in ("vner_meta.json", "tokenizer.json", "tokenizer_config.json", "config.json"):
        assert (exported / name).is_file(), name
    tagger = OnnxTagger.from_dir(exported, precision="fp32")
    assert tagger.labels == ("LOCATION", "DATE", "PERSON")
    assert tagger.max_length == 64


def test_int8_keeps_ffn_output_in_fp32_and_runs(exported: Path) -> None:
    graph = onnx.load(str(exported / "model.int8.onnx")).graph
    ops = {n.name: n.op_type for n in graph.node}
    assert ops["/bert/encoder/layer.0/output/dense/MatMul"] == "MatMul"
    assert ops["/bert/encoder/layer.1/output/dense/MatMul"] == "MatMul"
    assert any(op in ("MatMulInteger", "DynamicQuantizeMatMul") for op in ops.values())
    assert (exported / "model.int8.onnx").stat().st_size < (exported / "model.onnx").stat().st_size / 2
    tagger = OnnxTagger.from_dir(exported, precision="int8")
    ents = tagger.predict(TEXTS)
    assert len(ents) == len(TEXTS) and any(ents)
    for text, row in zip(TEXTS, ents, strict=True):
        for e in row:
            assert text[e.start : e.end] == e.text and e.stages == ("model",)


def test_fp16_has_fp16_weights_and_fp32_io(exported: Path) -> None:
    model = onnx.load(str(exported / "model.fp16.onnx"))
    assert any(t.data_type == onnx.TensorProto.FLOAT16 for t in model.graph.initializer)
    assert model.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    ids, mask = _batch()
    sess = ort.InferenceSession(str(exported / "model.fp16.onnx"), providers=["CPUExecutionProvider"])
    ref = ort.InferenceSession(str(exported / "model.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    want = ref.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    assert got.dtype == np.float32
    np.testing.assert_allclose(got[mask.astype(bool)], want[mask.astype(bool)], atol=0.1)


def test_parity_report(tiny: Path, exported: Path) -> None:
    rep = check_parity(tiny, exported)
    assert rep.ok
    assert rep.agreement["fp32"] == 1.0 and rep.f1_vs_torch["fp32"] == 1.0
    assert rep.max_abs_logit_diff["fp32"] < 1e-4
    assert 0.0 <= rep.f1_vs_torch["int8"] <= 1.0
    assert any("agreement" in line for line in rep.lines())


def test_parity_catches_a_broken_export(tiny: Path, exported: Path, tmp_path: Path) -> None:
    other = make_tiny_model(tmp_path / "other", seed=1)
    broken = tmp_path / "broken"
    shutil.copytree(exported, broken)
    export_model(other, tmp_path / "other_onnx", int8=False)
    shutil.copy(tmp_path / "other_onnx" / "model.onnx", broken / "model.onnx")
    with pytest.raises(ExportError, match="does not reproduce"):
        check_parity(tiny, broken, precisions=("fp32",))


def test_corrupt_model_file_names_the_file(exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(exported, bad)
    (bad / "model.int8.onnx").write_bytes(b"\x00not an onnx model")
    with pytest.raises(ModelLoadError, match=r"model\.int8\.onnx"):
        OnnxTagger.from_dir(bad, precision="int8")


def test_missing_files_give_clear_errors(exported: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(exported, partial)
    (partial / "model.int8.onnx").unlink()
    with pytest.raises(ProviderError, match=r"model\.int8\.onnx not found"):
        OnnxTagger.from_dir(partial, precision="int8")
    plan = OnnxTagger.from_dir(partial).plan
    assert plan is not None and plan.precision == "fp32"  # auto falls back on the CPU
    (partial / "vner_meta.json").unlink()
    with pytest.raises(ModelLoadError, match="vner_meta.json"):
        OnnxTagger.from_dir(partial)
    with pytest.raises(ModelLoadError, match="not a directory"):
        OnnxTagger.from_dir(tmp_path / "nowhere")


def test_cli_export(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli_out"
    res = CliRunner().invoke(app, ["export", str(tiny), "--out", str(out), "--no-int8"])
    assert res.exit_code == 0, res.output
    assert (out / "model.onnx").is_file() and not (out / "model.int8.onnx").exists()
    assert "agreement 1.000" in res.output
    res = CliRunner().invoke(app, ["export", str(tmp_path / "missing")])
    assert res.exit_code == 1 and "vner_meta.json" in res.output


def test_graph_is_fused_and_the_report_says_which_fusions(exported: Path) -> None:
    ops = [n.op_type for n in onnx.load(str(exported / "model.onnx")).graph.node]
    assert ops.count("Attention") == 2 and ops.count("SkipLayerNormalization") == 4  # 2 layers
    assert "EmbedLayerNormalization" in ops and not (exported / "model.unfused.onnx").exists()
    report = json.loads((exported / "export.json").read_text("utf-8"))
    assert report["fused"] is True and report["fusions"]["Attention"] == 2
    assert report["int8_recipe"] == "dynamic_ffn_fp32" and report["int8_fp32_nodes"] == 2
    assert "matches the unfused one" in report["fusion_note"]


def test_no_fuse_and_dynamic_all_recipe(tiny: Path, tmp_path: Path) -> None:
    result = export_model(tiny, tmp_path / "plain", fuse_graph=False, int8_recipe="dynamic_all")
    ops = {n.op_type for n in onnx.load(str(result.files["fp32"])).graph.node}
    assert "Attention" not in ops and result.fusions == {}
    names = {n.name for n in onnx.load(str(result.files["int8"])).graph.node if n.op_type == "MatMul"}
    assert "/bert/encoder/layer.0/output/dense/MatMul" not in names  # the FFN output is quantized too
    assert result.int8_fp32_nodes == []
    assert json.loads((tmp_path / "plain" / "export.json").read_text("utf-8"))["int8_recipe"] == "dynamic_all"
    with pytest.raises(
        ExportError, match="unknown int8 recipe 'static'; known: dynamic_ffn_fp32, dynamic_all, static_qdq"
    ):
        export_model(tiny, tmp_path / "x", int8_recipe="static")


def test_a_fused_graph_that_answers_differently_is_not_kept(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vner.engine.training.export as export_mod

    monkeypatch.setattr(export_mod, "_max_logit_diff", lambda a, b: 0.5)
    result = export_model(tiny, tmp_path / "off", int8=False)
    assert result.fusions == {} and "differs from the unfused one" in result.fusion_note
    assert "Attention" not in {n.op_type for n in onnx.load(str(result.files["fp32"])).graph.node}
    assert sorted(p.name for p in (tmp_path / "off").glob("*.onnx")) == ["model.onnx"]


def test_cli_prints_fusions_and_recipe(tiny: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app, ["export", str(tiny), "--out", str(tmp_path / "o"), "--int8-recipe", "dynamic_all", "--no-check"]
    )
    assert res.exit_code == 0, res.output
    assert "graph: EmbedLayerNormalization x1" in res.output and "Attention x2" in res.output
    assert "int8 recipe: dynamic_all" in res.output
