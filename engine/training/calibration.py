"""Calibration data for the ``static_qdq`` int8 recipe: domain texts fed to the graph exactly as the tagger feeds them.

Static int8 fixes one scale per activation tensor at export time, from the ranges the fp32 graph shows on
calibration texts. :func:`read_calibration_texts` reads them from a plain-text file (``.txt``, one text a line),
JSON lines with a ``"text"`` key (unlabelled messages), or any annotated corpus vner reads (PhoNER JSON lines,
CoNLL, vner JSONL: their word spans are used, as ``vner eval`` does). :class:`TaggerCalibrationReader` turns
them into model inputs with :class:`vner.engine.runtime.tagger.TokenTagger`'s own tokenization (words, sub-words,
special tokens, windows of ``max_length``), one window per run and unpadded, so padding never widens a range;
the input names and integer types are the graph's own, ``token_type_ids`` (zeros) included when it has one.
Texts are never logged.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..runtime.alignment import Word
from ..runtime.model_meta import ModelMeta
from ..runtime.tagger import TokenTagger
from .export import ExportError

CALIBRATION_LIMIT = 200  # texts read by default: enough for stable ranges, a few seconds per layer stack
_MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class CalibrationError(ExportError):
    """The calibration texts cannot be read; the message names the file."""


def read_calibration_texts(
    path: str | Path, *, limit: int = CALIBRATION_LIMIT
) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """Up to ``limit`` texts from ``path`` and, for an annotated corpus, their word spans (else ``[]``)."""
    p = Path(path)
    if limit < 1:
        raise CalibrationError(f"the calibration limit must be at least 1, got {limit}")
    if not p.is_file():
        raise CalibrationError(f"calibration file {p} not found")
    try:
        texts, tokens = _read(p, limit)
    except CalibrationError:
        raise
    except (
        OSError,
        UnicodeDecodeError,
        ValueError,
    ) as exc:  # DataFormatError and JSONDecodeError are ValueErrors
        raise CalibrationError(
            f"cannot read calibration file {p}: {exc} (expected .txt with one text a line, JSON lines with "
            f'"text", or an annotated corpus: phoner, conll, jsonl)'
        ) from exc
    if not texts:
        raise CalibrationError(f"calibration file {p} holds no text")
    return texts, tokens


def _read(p: Path, limit: int) -> tuple[list[str], list[list[tuple[int, int]]]]:
    if p.suffix.lower() == ".txt":
        with p.open(encoding="utf-8") as fh:
            lines = (ln.strip() for ln in fh)
            return [ln for ln in lines if ln][:limit], []
    with p.open(encoding="utf-8") as fh:
        first = next((ln.strip() for ln in fh if ln.strip()), "")
    if first.startswith("{"):
        rec = json.loads(first)
        if isinstance(rec, dict) and "text" in rec and "entities" not in rec:
            return _read_text_jsonl(p, limit), []
    from .corpus import read_docs

    docs = read_docs(p, limit=limit)
    texts = [d.text for d in docs if d.text.strip()]
    tokens = [list(d.tokens) for d in docs if d.text.strip()]
    return texts, tokens if all(tokens) else []


def _read_text_jsonl(p: Path, limit: int) -> list[str]:
    texts: list[str] = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if len(texts) >= limit:
                break
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("text") if isinstance(rec, dict) else None
            if not isinstance(text, str):
                raise CalibrationError(f'{p}:{n}: a JSON line without a string "text"')
            if text.strip():
                texts.append(text)
    return texts


def graph_inputs(onnx_path: str | Path) -> dict[str, Any]:
    """The graph's input names and the numpy integer type each expects (int64 unless it says int32)."""
    import onnx

    model = onnx.load(str(onnx_path), load_external_data=False)
    out: dict[str, Any] = {}
    for vi in model.graph.input:
        if vi.name not in _MODEL_INPUTS:
            raise CalibrationError(f"{onnx_path} has an unexpected input {vi.name!r}")
        out[vi.name] = np.int32 if vi.type.tensor_type.elem_type == onnx.TensorProto.INT32 else np.int64
    return out


class TaggerCalibrationReader:
    """An ONNX Runtime ``CalibrationDataReader``: one unpadded window of the tagger's token ids per run.

    ``texts`` are tagged by words the way :meth:`TokenTagger.predict` splits them, or by ``tokens`` (word spans
    of an annotated corpus) the way :meth:`TokenTagger.predict_tokens` does. Supports ``len``, ``set_range``
    (ONNX Runtime's strided calibration) and ``rewind``.
    """

    def __init__(
        self,
        *,
        tokenizer: Any,
        meta: ModelMeta,
        inputs: dict[str, Any],
        texts: Sequence[str],
        tokens: Sequence[Sequence[tuple[int, int]]] = (),
    ) -> None:
        missing = {"input_ids", "attention_mask"} - set(inputs)
        if missing:
            raise CalibrationError(f"the graph lacks the inputs {sorted(missing)} the tagger feeds")
        windows: list[tuple[np.ndarray, np.ndarray]] = []

        def record(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            windows.append((ids.copy(), mask.copy()))
            return np.zeros((*ids.shape, len(meta.labels)), dtype=np.float32)

        # max_batch=1: every window alone, so no padding token ever enters a calibrated range
        tagger = TokenTagger(tokenizer=tokenizer, meta=meta, forward=record, name="calibration", max_batch=1)
        if tokens:
            words = [
                [Word(unicodedata.normalize("NFC", t[a:b]), a, b) for a, b in spans]
                for t, spans in zip(texts, tokens, strict=True)
            ]
        else:
            words = [tagger.words_of(t) for t in texts]
        tagger.word_probs([ws for ws in words if ws])
        if not windows:
            raise CalibrationError("the calibration texts hold no word the model would see")
        self.feeds: list[dict[str, np.ndarray]] = []
        for ids, mask in windows:
            full = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            self.feeds.append({k: full[k].astype(inputs[k]) for k in inputs})
        self.n_tokens = int(sum(ids.size for ids, _ in windows))
        self._start, self._end, self._pos = 0, len(self.feeds), 0

    def get_next(self) -> dict[str, np.ndarray] | None:
        if self._pos >= self._end:
            return None
        self._pos += 1
        return self.feeds[self._pos - 1]

    def __iter__(self) -> TaggerCalibrationReader:
        return self

    def __next__(self) -> dict[str, np.ndarray]:
        item = self.get_next()
        if item is None:
            raise StopIteration
        return item

    def __len__(self) -> int:
        return len(self.feeds)

    def set_range(self, start_index: int, end_index: int) -> None:
        self._start, self._end = start_index, min(end_index, len(self.feeds))
        self._pos = self._start

    def rewind(self) -> None:
        self.set_range(0, len(self.feeds))


def calibration_reader(
    model_dir: str | Path,
    onnx_path: str | Path,
    texts: Sequence[str],
    tokens: Sequence[Sequence[tuple[int, int]]] = (),
) -> TaggerCalibrationReader:
    """A reader for ``onnx_path`` with ``model_dir``'s tokenizer and ``vner_meta.json``."""
    from transformers import AutoTokenizer

    from ..runtime.model_meta import read_meta

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    except Exception as exc:
        raise CalibrationError(f"cannot load the tokenizer files in {model_dir}: {exc}") from exc
    return TaggerCalibrationReader(
        tokenizer=tokenizer,
        meta=read_meta(model_dir),
        inputs=graph_inputs(onnx_path),
        texts=texts,
        tokens=tokens,
    )
