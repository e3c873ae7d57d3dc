"""Export a vner model directory to ONNX: fp32, dynamic int8 for the CPU, fp16 for CUDA.

``model.onnx`` comes from ``torch.onnx.export`` (TorchScript exporter, ``dynamo=False``, opset 17, eager
attention, dynamic batch and sequence axes). ``model.int8.onnx`` is ONNX Runtime dynamic quantization,
per-channel, with the feed-forward output projections (``intermediate_size → hidden``) left in fp32 by
default: on e5-small that cut the F1 loss from about −0.6 to −0.1. ``model.fp16.onnx`` converts weights
to fp16 with fp32 inputs/outputs. Tokenizer files and ``vner_meta.json`` are copied alongside, so the
export directory is all :class:`vner.engine.runtime.tagger.OnnxTagger` needs. :mod:`vner.engine.training.parity` checks it.
"""

from __future__ import annotations

import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vner.engine.runtime.model_meta import META_FILE, read_meta
from vner.engine.runtime.providers import MODEL_FILES

OPSET = 17
TOKENIZER_FILES: tuple[str, ...] = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "sentencepiece.bpe.model",
    "spiece.model",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "bpe.codes",
    "config.json",
)


class ExportError(RuntimeError):
    """The export could not be produced or does not reproduce the torch model."""


@dataclass
class ExportResult:
    """Files written by :func:`export_model`, by precision."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    int8_fp32_nodes: list[str] = field(default_factory=list)


def load_torch_model(model_dir: str | Path) -> Any:
    """The checkpoint as an eval-mode ``AutoModelForTokenClassification`` with eager attention."""
    from transformers import AutoModelForTokenClassification

    root = Path(model_dir)
    if not (root / "config.json").is_file():
        raise ExportError(f"{root / 'config.json'} not found: not a Hugging Face checkpoint directory")
    try:
        model = AutoModelForTokenClassification.from_pretrained(str(root), attn_implementation="eager")
    except Exception as exc:
        raise ExportError(f"cannot load the checkpoint in {root}: {exc}") from exc
    return model.eval()


def export_fp32(model: Any, path: Path, *, opset: int = OPSET) -> Path:
    """Write ``model`` as ONNX with inputs ``input_ids``/``attention_mask`` and output ``logits``."""
    import torch

    ids = torch.tensor([[0, 5, 6, 7, 2, 1], [0, 8, 9, 2, 1, 1]], dtype=torch.long)
    mask = (ids != 1).long()
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}}
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # TracerWarnings about shape-dependent Python branches
            torch.onnx.export(
                model,
                (ids, mask),
                str(path),
                dynamo=False,
                opset_version=opset,
                input_names=["input_ids", "attention_mask"],
                output_names=["logits"],
                dynamic_axes={**axes, "logits": {0: "batch", 1: "sequence"}},
            )
    except Exception as exc:
        raise ExportError(f"torch.onnx.export failed: {exc}") from exc
    return path


def ffn_output_matmuls(onnx_path: Path, *, intermediate_size: int, hidden_size: int) -> list[str]:
    """Names of the MatMul nodes projecting the feed-forward block back (``intermediate → hidden``)."""
    import onnx

    model = onnx.load(str(onnx_path), load_external_data=False)
    shapes = {init.name: tuple(init.dims) for init in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul"
        and any(shapes.get(x) == (intermediate_size, hidden_size) for x in node.input)
    ]


def quantize_int8(src: Path, dst: Path, *, exclude_nodes: list[str]) -> Path:
    """Dynamic per-channel int8 weights (activations quantised at run time) except ``exclude_nodes``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    try:
        quantize_dynamic(
            model_input=str(src),
            model_output=str(dst),
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=list(exclude_nodes),
        )
    except Exception as exc:
        raise ExportError(f"int8 quantization of {src} failed: {exc}") from exc
    return dst


def convert_fp16(src: Path, dst: Path) -> Path:
    """fp16 weights and compute for the CUDA provider; inputs and outputs stay as in ``src``."""
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    try:
        model = convert_float_to_float16(onnx.load(str(src)), keep_io_types=True)
        onnx.save(model, str(dst))
    except Exception as exc:
        raise ExportError(f"fp16 conversion of {src} failed: {exc}") from exc
    return dst


def copy_support_files(model_dir: Path, out_dir: Path) -> list[Path]:
    """Copy tokenizer files, ``config.json`` and ``vner_meta.json`` into the export directory."""
    copied = []
    for name in (*TOKENIZER_FILES, META_FILE):
        src = model_dir / name
        if src.is_file() and src.resolve() != (out_dir / name).resolve():
            copied.append(Path(shutil.copy2(src, out_dir / name)))
    return copied


def export_model(
    model_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    int8: bool = True,
    fp16: bool = False,
    int8_keep_ffn_output_fp32: bool = True,
    opset: int = OPSET,
) -> ExportResult:
    """Export ``model_dir`` into ``out_dir`` (default ``<model_dir>/onnx``); no parity check (see vner.engine.training.parity)."""
    root = Path(model_dir)
    read_meta(root)  # fail early, with the metadata's own message, on a directory that is not a vner model
    out = Path(out_dir) if out_dir is not None else root / "onnx"
    out.mkdir(parents=True, exist_ok=True)
    model = load_torch_model(root)
    result = ExportResult(out_dir=out)
    result.files["fp32"] = export_fp32(model, out / MODEL_FILES["fp32"], opset=opset)
    if int8:
        cfg = model.config
        keep: list[str] = []
        if int8_keep_ffn_output_fp32:
            keep = ffn_output_matmuls(
                result.files["fp32"], intermediate_size=cfg.intermediate_size, hidden_size=cfg.hidden_size
            )
            if not keep:
                raise ExportError("found no feed-forward output MatMul to keep in fp32; pass --int8-all")
        result.int8_fp32_nodes = keep
        result.files["int8"] = quantize_int8(
            result.files["fp32"], out / MODEL_FILES["int8"], exclude_nodes=keep
        )
    if fp16:
        result.files["fp16"] = convert_fp16(result.files["fp32"], out / MODEL_FILES["fp16"])
    copy_support_files(root, out)
    return result
