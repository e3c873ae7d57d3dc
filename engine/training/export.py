"""Export a vner model directory to ONNX: fp32, dynamic int8 for the CPU, fp16 for CUDA.

``model.onnx`` comes from ``torch.onnx.export`` (TorchScript exporter, ``dynamo=False``, opset 17, eager
attention, dynamic batch and sequence axes), then ONNX Runtime's own transformer optimizer fuses it
(``onnxruntime.transformers.optimizer``: Attention, SkipLayerNormalization, BiasGelu, EmbedLayerNormalization
for BERT / RoBERTa / XLM-R encoders). The fused graph is checked against the unfused one on a padded batch;
if it differs (max |Δlogit| > ``FUSION_TOLERANCE``) or the optimizer fails, the unfused graph is kept and the
report says why. ``model.int8.onnx`` quantizes that graph by a named recipe (:data:`INT8_RECIPES`); the
default keeps the feed-forward output projections (``intermediate_size → hidden``) in fp32: on e5-small
that cut the F1 loss from about −0.6 to −0.1. ``model.fp16.onnx`` converts weights to fp16 with fp32
inputs/outputs. ``export.json`` records the fusions applied and the recipe. Tokenizer files and
``vner_meta.json`` are copied alongside, so the export directory is all
:class:`vner.engine.runtime.tagger.OnnxTagger` needs. :mod:`vner.engine.training.parity` checks it.
"""

from __future__ import annotations

import json
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vner.engine.runtime.model_meta import META_FILE, read_meta
from vner.engine.runtime.providers import MODEL_FILES

OPSET = 17
EXPORT_REPORT = "export.json"
FUSION_TOLERANCE = 1e-3  # max |logit difference| between the fused and the unfused fp32 graph
# int8 recipe -> what it quantizes (dynamic: weights int8 per channel, activations quantized at run time)
INT8_RECIPES: dict[str, str] = {
    "dynamic_ffn_fp32": "dynamic per-channel int8, feed-forward output MatMuls kept in fp32 (the default)",
    "dynamic_all": "dynamic per-channel int8 on every MatMul (smaller, faster, less accurate)",
}
# HF model_type -> the optimizer's model_type (the encoder families whose fusions ORT knows)
_FUSABLE = {"bert": "bert", "roberta": "bert", "xlm-roberta": "bert", "camembert": "bert", "electra": "bert",
            "distilbert": "bert", "mpnet": "bert"}  # fmt: skip
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
    fusions: dict[str, int] = field(default_factory=dict)  # fused operator -> count (empty: not fused)
    fusion_note: str = ""  # why the graph was not fused, or the fused-vs-unfused check
    int8_recipe: str = ""

    def report(self) -> dict[str, Any]:
        """What ``export.json`` holds."""
        return {
            "fused": bool(self.fusions),
            "fusions": self.fusions,
            "fusion_note": self.fusion_note,
            "int8_recipe": self.int8_recipe or None,
            "int8_fp32_nodes": len(self.int8_fp32_nodes),
            "files": {k: v.name for k, v in self.files.items()},
        }


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


def fuse(
    src: Path, dst: Path, *, model_type: str, num_heads: int, hidden_size: int
) -> tuple[dict[str, int], str]:
    """Fuse ``src`` into ``dst`` with ONNX Runtime's transformer optimizer, checked against ``src``.

    Returns (fused operator counts, note); empty counts mean ``dst`` was not written (not fusable, the
    optimizer failed, or the fused graph answers differently) and the note says which.
    """
    family = _FUSABLE.get(model_type)
    if family is None:
        return {}, f"not fused: ONNX Runtime's optimizer has no fusions for model_type {model_type!r}"
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimize_model(str(src), model_type=family, num_heads=num_heads, hidden_size=hidden_size)
        stats = {k: int(v) for k, v in opt.get_fused_operator_statistics().items() if v}
        opt.save_model_to_file(str(dst))
    except Exception as exc:  # the optimizer is best effort: keep the unfused graph, say why
        return {}, f"not fused: the optimizer failed ({type(exc).__name__}: {exc})"
    if not stats:
        dst.unlink(missing_ok=True)
        return {}, "not fused: the optimizer found nothing to fuse"
    diff = _max_logit_diff(src, dst)
    if not diff <= FUSION_TOLERANCE:
        dst.unlink(missing_ok=True)
        return {}, f"not fused: the fused graph differs from the unfused one (max |Δlogit| {diff:.2e})"
    return stats, f"fused graph matches the unfused one (max |Δlogit| {diff:.1e} on a padded batch)"


def _max_logit_diff(a: Path, b: Path) -> float:
    """Max |logit difference| of two graphs on a padded two-sequence batch (real tokens only)."""
    import numpy as np
    import onnxruntime as ort

    ids = np.array([[0, 5, 6, 7, 8, 2, 1, 1], [0, 9, 10, 11, 12, 13, 14, 2]], dtype=np.int64)
    mask = (ids != 1).astype(np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    ra = ort.InferenceSession(str(a), opts, providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    rb = ort.InferenceSession(str(b), opts, providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    return float(np.abs(ra - rb)[mask.astype(bool)].max())


def quantize_int8(src: Path, dst: Path, *, exclude_nodes: list[str], fused: bool = False) -> Path:
    """Dynamic per-channel int8 weights (activations quantised at run time) except ``exclude_nodes``."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # a fused graph's contrib ops (Attention, SkipLayerNormalization...) carry no type information the
    # quantizer can infer: tell it the tensors are float
    extra = {"DefaultTensorType": onnx.TensorProto.FLOAT} if fused else {}
    try:
        quantize_dynamic(
            model_input=str(src),
            model_output=str(dst),
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=list(exclude_nodes),
            extra_options=extra,
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
    int8_recipe: str | None = None,
    fuse_graph: bool = True,
    opset: int = OPSET,
) -> ExportResult:
    """Export ``model_dir`` into ``out_dir`` (default ``<model_dir>/onnx``); no parity check (see vner.engine.training.parity).

    ``int8_recipe`` names an :data:`INT8_RECIPES` entry (default from ``int8_keep_ffn_output_fp32``);
    ``fuse_graph=False`` keeps the exporter's graph as it is.
    """
    recipe = int8_recipe or ("dynamic_ffn_fp32" if int8_keep_ffn_output_fp32 else "dynamic_all")
    if recipe not in INT8_RECIPES:
        raise ExportError(f"unknown int8 recipe {recipe!r}; known: {', '.join(INT8_RECIPES)}")
    root = Path(model_dir)
    read_meta(root)  # fail early, with the metadata's own message, on a directory that is not a vner model
    out = Path(out_dir) if out_dir is not None else root / "onnx"
    out.mkdir(parents=True, exist_ok=True)
    model = load_torch_model(root)
    cfg = model.config
    result = ExportResult(out_dir=out)
    fp32 = out / MODEL_FILES["fp32"]
    if fuse_graph:
        raw = export_fp32(model, out / "model.unfused.onnx", opset=opset)
        result.fusions, result.fusion_note = fuse(
            raw, fp32, model_type=str(cfg.model_type), num_heads=cfg.num_attention_heads,
            hidden_size=cfg.hidden_size,
        )  # fmt: skip
        if result.fusions:
            raw.unlink()
        else:
            raw.replace(fp32)
    else:
        export_fp32(model, fp32, opset=opset)
        result.fusion_note = "not fused: fusion turned off"
    result.files["fp32"] = fp32
    if int8:
        result.int8_recipe = recipe
        keep: list[str] = []
        if recipe == "dynamic_ffn_fp32":
            keep = ffn_output_matmuls(
                result.files["fp32"], intermediate_size=cfg.intermediate_size, hidden_size=cfg.hidden_size
            )
            if not keep:
                raise ExportError("found no feed-forward output MatMul to keep in fp32; pass --int8-all")
        result.int8_fp32_nodes = keep
        result.files["int8"] = quantize_int8(
            result.files["fp32"], out / MODEL_FILES["int8"], exclude_nodes=keep, fused=bool(result.fusions)
        )
    if fp16:
        result.files["fp16"] = convert_fp16(result.files["fp32"], out / MODEL_FILES["fp16"])
    copy_support_files(root, out)
    (out / EXPORT_REPORT).write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    return result
