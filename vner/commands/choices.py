"""Closed sets of CLI values as enums, so ``--help`` lists them and the parser refuses anything else.

The values are owned by the layers below (corpus formats, ONNX precisions, segmenters, the stream's settings);
they are spelled out here so that ``vner --help`` stays light (no pydantic, torch or onnxruntime import) and
type-checks, and ``tests/vner/test_choices.py`` checks that every enum equals the tuple its layer owns.
Open sets (predictor backends, augmenters, domains) are not enums: their registries list the names.
"""

from __future__ import annotations

from enum import StrEnum


class CorpusFormat(StrEnum):
    """Annotated corpus formats (``vner.engine.training.corpus.FORMATS``)."""

    phoner = "phoner"
    conll = "conll"
    jsonl = "jsonl"


class Precision(StrEnum):
    """ONNX model precision (``vner.engine.runtime.providers.PRECISIONS``); auto picks per provider."""

    auto = "auto"
    fp32 = "fp32"
    int8 = "int8"
    fp16 = "fp16"


class Int8Recipe(StrEnum):
    """int8 quantization recipes of ``vner export`` (``vner.engine.training.export.INT8_RECIPES``)."""

    dynamic_ffn_fp32 = "dynamic_ffn_fp32"
    dynamic_all = "dynamic_all"
    static_qdq = "static_qdq"


class CalibrationMethod(StrEnum):
    """How ``static_qdq`` turns calibration activations into ranges (``vner.engine.training.export.CALIBRATION_METHODS``)."""

    minmax = "minmax"
    percentile = "percentile"
    entropy = "entropy"


class Decoding(StrEnum):
    """How a model's per-word label probabilities become tags (``vner.engine.runtime.model_meta.DECODINGS``)."""

    argmax = "argmax"
    viterbi = "viterbi"


class Segmenter(StrEnum):
    """Vietnamese word segmenters for word-level models such as PhoBERT (``vner.engine.runtime.segment``)."""

    pyvi = "pyvi"
    underthesea = "underthesea"
    rdrsegmenter = "rdrsegmenter"


class StreamEngine(StrEnum):
    """Stream processor engines: confluent (exactly-once capable) or faust (at-least-once)."""

    confluent = "confluent"
    faust = "faust"


class Delivery(StrEnum):
    """Delivery guarantees (``vner.streams.settings.Delivery``)."""

    exactly_once = "exactly_once"
    at_least_once = "at_least_once"


class LogLevel(StrEnum):
    """Log levels (``vner.streams.settings.Settings.log_level``)."""

    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


def value_of(choice: StrEnum | None) -> str | None:
    """The plain string of a member (``None`` stays ``None``), for code below the CLI."""
    return None if choice is None else str(choice.value)
