"""``vner demo``'s model cache: a cached model is reused only when it was built with the current recipe."""

from __future__ import annotations

import json
from pathlib import Path

from vner.commands.demo_cmd import DEMO_RECIPE, RECIPE_FILE, is_cached


def test_a_cached_demo_model_is_reused_only_with_the_current_recipe(tmp_path: Path) -> None:
    onnx_dir = tmp_path / "onnx"
    assert not is_cached(onnx_dir)  # nothing built
    onnx_dir.mkdir()
    (onnx_dir / "model.int8.onnx").write_bytes(b"x")
    (onnx_dir / "vner_meta.json").write_text("{}", encoding="utf-8")
    assert not is_cached(onnx_dir)  # an export from before the recipe stamp (full vocabulary): rebuilt
    stamp = tmp_path / RECIPE_FILE
    stamp.write_text(json.dumps({"recipe": "1-full-vocab"}), encoding="utf-8")
    assert not is_cached(onnx_dir)
    stamp.write_text("not json", encoding="utf-8")
    assert not is_cached(onnx_dir)
    stamp.write_text(json.dumps({"recipe": DEMO_RECIPE, "vocab": 15_000}), encoding="utf-8")
    assert is_cached(onnx_dir)
    (onnx_dir / "model.int8.onnx").unlink()
    assert not is_cached(onnx_dir)  # the stamp alone is not a model
