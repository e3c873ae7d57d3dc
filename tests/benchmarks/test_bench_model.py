"""benchmarks/bench_model.py end to end on the tiny model: HF pipeline, raw ORT and vner's tagger, two corpora."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.engine.tiny_model import make_tiny_model
from tests.scripts import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_model.py"
METHODS = ("pipeline", "raw_int8_b1", "raw_int8_batch", "tagger_int8_b1", "tagger_int8_batch")
SENTENCES = [
    "Bệnh nhân 91 ở Hà Nội",
    "Anh Nguyễn Văn An đi Đà Nẵng ngày 3/4",
    "Hôm nay trời đẹp",
    "Chị Lan sống tại quận 1 , TP. HCM",
    "Bộ Y tế ghi nhận 12 ca mới",
]


def _module() -> Any:
    return load_script(SCRIPT, "bench_model")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vner.engine.training.export import export_model

    model = make_tiny_model(tmp_path_factory.mktemp("bench") / "tiny")
    export_model(model, model / "onnx")
    return model / "onnx"


def test_one_run_gives_every_row_on_both_corpora(tmp_path: Path, export: Path) -> None:
    mod = _module()
    sentences = tmp_path / "test.txt"
    sentences.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "--model", str(export.parent), "--export", str(export), "--sentences", str(sentences),
        "--chat-n", "6", "--batch-size", "4", "--warmup", "1", "--methods", ",".join(METHODS),
        "--out", str(out), "--name", "b",
    ]  # fmt: skip
    assert mod.main(args) == 0
    data = json.loads((out / "b.json").read_text(encoding="utf-8"))
    meta, rows = data["meta"], data["results"]
    assert meta["threads"] == 2 and meta["args"]["baseline_model"] == str(export.parent)
    assert {"platform", "cpu_count", "onnxruntime"} <= set(meta["machine"])
    assert meta["exports"][0]["int8_recipe"] == "dynamic_ffn_fp32"
    assert meta["corpora"]["sentences"]["sentences"] == 5 and meta["corpora"]["chat"]["sentences"] == 6
    assert sorted((r["corpus"], r["method"]) for r in rows) == sorted(
        (c, m) for c in ("sentences", "chat") for m in METHODS
    )
    for r in rows:
        for key in ("sentences_per_s", "ms_p50", "ms_p99", "ms_per_token", "peak_rss_mb", "load_s", "tokens"):
            assert r[key] > 0, (r["method"], key)
        assert r["x_pipeline"] > 0
        if r["method"].startswith("tagger_"):
            assert r["tagger_vs_raw"] > 0 and r["entities"] is not None
    for corpus in ("sentences", "chat"):
        on_export = {r["tokens"] for r in rows if r["corpus"] == corpus and r["export_path"] == str(export)}
        assert len(on_export) == 1  # the same token count for every method on one export
    md = (out / "b.md").read_text(encoding="utf-8")
    assert "| tagger / raw |" in md and "× the HF pipeline" in md and "test.txt" in md
    assert not any(s in md or s in json.dumps(data, ensure_ascii=False) for s in SENTENCES)


def test_an_export_without_the_model_file_a_method_needs_is_refused(tmp_path: Path, export: Path) -> None:
    mod = _module()
    bare = tmp_path / "bare"
    shutil.copytree(export, bare)
    (bare / "model.int8.onnx").unlink()
    args = ["--model", str(export.parent), "--export", str(bare), "--chat-n", "3"]
    with pytest.raises(SystemExit, match=r"lacks model\.int8\.onnx .*needed by tagger_int8_b1"):
        mod.main([*args, "--methods", "tagger_int8_b1", "--out", str(tmp_path / "out")])
    with pytest.raises(SystemExit, match="not a directory"):
        mod.main(["--model", str(export.parent), "--export", str(tmp_path / "nope"), "--chat-n", "3"])
