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

import contextlib
import io
import json
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..runtime.model_meta import (
    EXPORT_REPORT,
    INT8_RECIPE_KEY,
    META_FILE,
    STATIC_INT8_RECIPES,
    read_meta,
)
from ..runtime.providers import MODEL_FILES

OPSET = 17
FUSION_TOLERANCE = 1e-3  # max |logit difference| between the fused and the unfused fp32 graph
# int8 recipe -> what it quantizes (dynamic: weights int8 per channel, activations quantized at run time)
INT8_RECIPES: dict[str, str] = {
    "dynamic_ffn_fp32": "dynamic per-channel int8, feed-forward output MatMuls kept in fp32 (the default)",
    "dynamic_all": "dynamic per-channel int8 on every MatMul (smaller, faster, less accurate)",
    "static_qdq": "static QDQ int8: per-channel weights, activation scales calibrated on domain text "
    "(fixed scales: a text's answer does not depend on its batch neighbours, so real padded batches run)",
}
CALIBRATION_METHODS: tuple[str, ...] = ("minmax", "percentile", "entropy")
CALIBRATION_METHOD = "minmax"  # see quantize_static_qdq
STATIC_KEEP_FFN_OUTPUT_FP32 = True  # proxy on e5-small: rel. logit error 0.164 -> 0.123
STATIC_EMBEDDINGS_INT8 = True
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
    calibration: dict[str, Any] = field(default_factory=dict)  # static recipes: what calibrated the scales

    def report(self) -> dict[str, Any]:
        """What ``export.json`` holds."""
        return {
            "fused": bool(self.fusions),
            "fusions": self.fusions,
            "fusion_note": self.fusion_note,
            "int8_recipe": self.int8_recipe or None,
            "int8_fp32_nodes": len(self.int8_fp32_nodes),
            "int8_static": self.int8_recipe in STATIC_INT8_RECIPES,
            "calibration": self.calibration or None,
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


def weight_matmuls(onnx_path: Path) -> list[str]:
    """Names of the MatMul nodes whose second input is a weight (an initializer), not an activation."""
    import onnx

    model = onnx.load(str(onnx_path), load_external_data=False)
    weights = {init.name for init in model.graph.initializer}
    return [n.name for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in weights]


def isolate_quantized_inputs(model: Any, targets: list[str]) -> int:
    """Give the activations that ``targets`` quantize a copy of their own (an ``Identity``); returns how many.

    ONNX Runtime's QDQ quantizer replaces a quantized tensor by its Q→DQ output for *every* consumer: a layer
    norm's output feeding the Q/K/V projections would reach the residual connection with int8 rounding too,
    which dynamic int8 never does. Behind an ``Identity`` only the MatMuls read the rounded copy; ONNX Runtime
    folds the ``Identity`` away when it loads the graph.
    """
    import onnx

    wanted = set(targets)
    graph = model.graph
    readers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
    outputs = {o.name for o in graph.output}
    count = 0
    for tensor, nodes in readers.items():
        quantized = [n for n in nodes if n.name in wanted and n.op_type == "MatMul" and n.input[0] == tensor]
        if not quantized or (len(quantized) == len(nodes) and tensor not in outputs):
            continue
        copy = f"{tensor}_int8_input"
        node = onnx.helper.make_node("Identity", [tensor], [copy], name=f"{tensor}_int8_input_Identity")
        at = next((i + 1 for i, n in enumerate(graph.node) if tensor in n.output), 0)
        graph.node.insert(at, node)  # right after its producer: the graph stays topologically sorted
        for n in quantized:
            n.input[0] = copy
        count += 1
    return count


def embedding_gathers(onnx_path: Path, *, min_rows: int = 1024) -> list[str]:
    """Names of the Gather nodes that look up a large embedding table (the word embeddings of an unfused graph)."""
    import onnx

    model = onnx.load(str(onnx_path), load_external_data=False)
    tables = {i.name for i in model.graph.initializer if len(i.dims) == 2 and i.dims[0] >= min_rows}
    return [n.name for n in model.graph.node if n.op_type == "Gather" and n.input[0] in tables]


def quantize_static_qdq(
    src: Path,
    dst: Path,
    reader: Any,
    *,
    exclude_nodes: list[str],
    fused: bool = False,
    method: str = CALIBRATION_METHOD,
) -> Path:
    """Static QDQ int8 of the weight MatMuls of ``src`` (except ``exclude_nodes``), activations calibrated by ``reader``.

    Weights are int8 per output channel; each MatMul's activation input gets one fixed uint8 scale and zero point
    from the calibration ranges (``method``: minmax, percentile 99.999 or entropy); MatMul outputs stay float, so
    ONNX Runtime runs ``MatMulIntegerToFloat``-style kernels with constant scales. A fused graph's contrib ops
    (Attention, SkipLayerNormalization...) carry no types ONNX's shape inference knows, and the quantizer skips
    every tensor whose type it cannot infer, so the graph first goes through ORT's symbolic shape inference; the
    fused Attention op's QKV projection is not a MatMul and stays fp32.
    """
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    methods = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
               "entropy": CalibrationMethod.Entropy}  # fmt: skip
    if method not in methods:
        raise ExportError(f"unknown calibration method {method!r}; known: {', '.join(CALIBRATION_METHODS)}")
    targets = [n for n in weight_matmuls(src) if n not in set(exclude_nodes)]
    if not targets:
        raise ExportError(f"static int8: {src} has no weight MatMul to quantize")
    if STATIC_EMBEDDINGS_INT8:
        targets += embedding_gathers(src)
    model: Any = onnx.load(str(src))
    isolate_quantized_inputs(model, targets)
    if fused:
        from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference

        try:
            model = SymbolicShapeInference.infer_shapes(model, auto_merge=True)
        except Exception as exc:
            raise ExportError(
                f"static int8 of the fused graph {src}: ONNX Runtime's symbolic shape inference failed "
                f"({type(exc).__name__}: {exc}); export with --no-fuse or another recipe"
            ) from exc
    extra = {
        "DefaultTensorType": onnx.TensorProto.FLOAT,
        "OpTypesToExcludeOutputQuantization": ["MatMul"],  # outputs stay float: no requantization error
        # ranges merged every few runs instead of holding every intermediate output of every run in memory
        # (not CalibMaxIntermediateOutputs: ORT 1.2x-1.3x drops the outputs it collected when it reaches it)
        # (histograms: one run at a time, their collector cannot stack windows of different lengths)
        "CalibStridedMinMax": max(
            k for k in range(1, 17 if method == "minmax" else 2) if len(reader) % k == 0
        ),
    }
    reader.rewind()
    try:  # the calibrators print a line per run: keep the CLI's output to what vner says
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            quantize_static(
                model_input=model,
                model_output=str(dst),
                calibration_data_reader=reader,
                quant_format=QuantFormat.QDQ,
                op_types_to_quantize=["MatMul", "Gather"],
                nodes_to_quantize=targets,
                per_channel=True,
                activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8,
                calibrate_method=methods[method],
                extra_options=extra,
            )
    except Exception as exc:
        raise ExportError(f"static int8 quantization of {src} failed: {type(exc).__name__}: {exc}") from exc
    ops = [n.op_type for n in onnx.load(str(dst), load_external_data=False).graph.node]
    if "QuantizeLinear" not in ops:
        dst.unlink(missing_ok=True)
        raise ExportError(
            f"static int8 of {src} quantized no activation (the quantizer could not type the MatMul inputs)"
        )
    dynamic = sorted({op for op in ops if op.startswith("Dynamic") or op == "MatMulInteger"})
    if dynamic:
        raise ExportError(f"static int8 of {src} still quantizes at run time: {', '.join(dynamic)}")
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


def record_int8_recipe(out_dir: Path, recipe: str) -> None:
    """Say in the export's copy of ``vner_meta.json`` which recipe made ``model.int8.onnx`` (the runtime reads it)."""
    path = out_dir / META_FILE
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    data[INT8_RECIPE_KEY] = recipe
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


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
    calibration: str | Path | None = None,
    calibration_limit: int = 200,
    calibration_method: str = CALIBRATION_METHOD,
) -> ExportResult:
    """Export ``model_dir`` into ``out_dir`` (default ``<model_dir>/onnx``); no parity check (see vner.engine.training.parity).

    ``int8_recipe`` names an :data:`INT8_RECIPES` entry (default from ``int8_keep_ffn_output_fp32``);
    ``fuse_graph=False`` keeps the exporter's graph as it is. ``static_qdq`` needs ``calibration``, a file of
    domain texts (:func:`vner.engine.training.calibration.read_calibration_texts`: .txt, JSON lines with
    ``"text"``, or an annotated corpus), of which the first ``calibration_limit`` are used.
    """
    recipe = int8_recipe or ("dynamic_ffn_fp32" if int8_keep_ffn_output_fp32 else "dynamic_all")
    if recipe not in INT8_RECIPES:
        raise ExportError(f"unknown int8 recipe {recipe!r}; known: {', '.join(INT8_RECIPES)}")
    root = Path(model_dir)
    read_meta(root)  # fail early, with the metadata's own message, on a directory that is not a vner model
    calib: tuple[list[str], list[list[tuple[int, int]]]] | None = None
    if int8 and recipe in STATIC_INT8_RECIPES:
        if calibration is None:
            raise ExportError(
                f"the {recipe} recipe calibrates activation scales on domain text: pass --calibration FILE "
                '(.txt, JSON lines with "text", or an annotated corpus) or --sample FILE'
            )
        from .calibration import read_calibration_texts

        calib = read_calibration_texts(calibration, limit=calibration_limit)  # fail before the slow part
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
        if recipe == "dynamic_ffn_fp32" or (recipe == "static_qdq" and STATIC_KEEP_FFN_OUTPUT_FP32):
            keep = ffn_output_matmuls(
                result.files["fp32"], intermediate_size=cfg.intermediate_size, hidden_size=cfg.hidden_size
            )
            if not keep:
                raise ExportError("found no feed-forward output MatMul to keep in fp32; pass --int8-all")
        result.int8_fp32_nodes = keep
        if calib is not None:
            from .calibration import calibration_reader

            reader = calibration_reader(root, result.files["fp32"], *calib)
            result.calibration = {
                "file": Path(str(calibration)).name, "texts": len(calib[0]), "windows": len(reader),
                "tokens": reader.n_tokens, "method": calibration_method,
            }  # fmt: skip
            result.files["int8"] = quantize_static_qdq(
                result.files["fp32"], out / MODEL_FILES["int8"], reader, exclude_nodes=keep,
                fused=bool(result.fusions), method=calibration_method,
            )  # fmt: skip
        else:
            result.files["int8"] = quantize_int8(
                result.files["fp32"],
                out / MODEL_FILES["int8"],
                exclude_nodes=keep,
                fused=bool(result.fusions),
            )
    if fp16:
        result.files["fp16"] = convert_fp16(result.files["fp32"], out / MODEL_FILES["fp16"])
    copy_support_files(root, out)
    if result.int8_recipe:
        record_int8_recipe(out, result.int8_recipe)
    (out / EXPORT_REPORT).write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    return result
