"""``vner_meta.json``: the contract between training (vner.engine.training.train) and inference/export.

A vner model directory is a Hugging Face ``save_pretrained`` checkpoint of
``AutoModelForTokenClassification`` plus its tokenizer files plus ``vner_meta.json``::

    {"format": "vner-model/1", "labels": [BIO tags in id order], "groups": {GROUP: [FINE, ...]},
     "domain": str|null, "segmenter": null|"pyvi"|"underthesea"|"rdrsegmenter", "max_length": 256,
     "backbone": str, "model_version": short content hash, "train_config": {...},
     "decoding": "argmax"|"viterbi"}

``decoding`` (optional; files without it read as :data:`DEFAULT_DECODING`, ``viterbi``) names how the tagger turns per-word label
probabilities into tags (:mod:`vner.engine.runtime.decoding`); an export copies it with the rest of the file.

This module has no heavy imports so every layer may read the metadata.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

META_FILE = "vner_meta.json"
FORMAT = "vner-model/1"
SEGMENTERS: tuple[str, ...] = ("pyvi", "underthesea", "rdrsegmenter")
# how per-word label probabilities become tags (vner.engine.runtime.decoding). viterbi since it was measured
# (README Measured, PhoNER_COVID19 dev): +0.48 micro F1 on the 12-layer model and on the 6-layer student
DECODINGS: tuple[str, ...] = ("argmax", "viterbi")
DEFAULT_DECODING = "viterbi"
EXPORT_REPORT = "export.json"
INT8_RECIPE_KEY = (
    "int8_recipe"  # in an export directory's vner_meta.json and export.json: what made model.int8.onnx
)
# int8 recipes whose activation scales are fixed at export (vner.engine.training.export.INT8_RECIPES): a row's
# logits do not depend on the rows batched with it, so the tagger keeps real padded batches
STATIC_INT8_RECIPES: tuple[str, ...] = ("static_qdq",)


class ModelMetaError(ValueError):
    """The model directory's metadata is missing or malformed."""


def _check_labels(labels: Sequence[str]) -> None:
    if not labels:
        raise ModelMetaError("labels must not be empty")
    if "O" not in labels:
        raise ModelMetaError("labels must contain 'O'")
    if len(set(labels)) != len(labels):
        raise ModelMetaError("labels contain duplicates")
    for tag in labels:
        if tag != "O" and (len(tag) < 3 or tag[:2] not in ("B-", "I-")):
            raise ModelMetaError(f"label {tag!r} is not a BIO tag (O, B-X, I-X)")


@dataclass(frozen=True)
class ModelMeta:
    """Metadata of a trained vner token-classification model."""

    labels: tuple[str, ...]
    backbone: str
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    domain: str | None = None
    segmenter: str | None = None
    max_length: int = 256
    model_version: str = ""
    train_config: Mapping[str, Any] = field(default_factory=dict)
    decoding: str = DEFAULT_DECODING
    format: str = FORMAT

    def __post_init__(self) -> None:
        if self.format != FORMAT:
            raise ModelMetaError(f"unsupported model format {self.format!r} (expected {FORMAT!r})")
        _check_labels(self.labels)
        if self.segmenter is not None and self.segmenter not in SEGMENTERS:
            raise ModelMetaError(f"unknown segmenter {self.segmenter!r}; expected one of {SEGMENTERS}")
        if self.max_length < 8:
            raise ModelMetaError(f"max_length {self.max_length} is too small")
        if self.decoding not in DECODINGS:
            raise ModelMetaError(f"unknown decoding {self.decoding!r}; expected one of {DECODINGS}")

    @property
    def entity_labels(self) -> tuple[str, ...]:
        """Entity types (without the B-/I- prefix), in first-seen id order."""
        seen: dict[str, None] = {}
        for tag in self.labels:
            if tag != "O":
                seen.setdefault(tag[2:], None)
        return tuple(seen)

    @property
    def label2id(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.labels)}

    @property
    def id2label(self) -> dict[int, str]:
        return dict(enumerate(self.labels))

    def fine_labels_of(self, group: str) -> tuple[str, ...]:
        """Fine labels a group stands for (empty when the label is not a group)."""
        return tuple(self.groups.get(group, ()))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["labels"] = list(self.labels)
        d["groups"] = {g: list(v) for g, v in self.groups.items()}
        d["train_config"] = dict(self.train_config)
        return {"format": d.pop("format"), **d}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ModelMeta:
        try:
            return cls(
                format=str(d.get("format", "")),
                labels=tuple(str(x) for x in d["labels"]),
                groups={str(g): tuple(str(x) for x in v) for g, v in dict(d.get("groups") or {}).items()},
                domain=d.get("domain"),
                segmenter=d.get("segmenter"),
                max_length=int(d.get("max_length", 256)),
                backbone=str(d["backbone"]),
                model_version=str(d.get("model_version", "")),
                train_config=dict(d.get("train_config") or {}),
                decoding=str(d.get("decoding") or DEFAULT_DECODING),
            )
        except KeyError as exc:
            raise ModelMetaError(f"{META_FILE} lacks required key {exc.args[0]!r}") from exc


def content_hash(model_dir: str | Path, *, length: int = 12) -> str:
    """Short sha256 over the weight files of a model directory (the ``model_version``)."""
    root = Path(model_dir)
    h = hashlib.sha256()
    files = sorted(p for p in root.iterdir() if p.suffix in (".safetensors", ".bin", ".onnx") and p.is_file())
    if not files:
        raise ModelMetaError(f"no weight files in {root}")
    for p in files:
        h.update(p.name.encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:length]


def write_meta(model_dir: str | Path, meta: ModelMeta) -> Path:
    """Write ``vner_meta.json`` into ``model_dir`` and return its path."""
    path = Path(model_dir) / META_FILE
    path.write_text(json.dumps(meta.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_meta(model_dir: str | Path) -> ModelMeta:
    """Read and validate ``vner_meta.json`` from a model directory."""
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise ModelMetaError(f"{path} not found: not a vner model directory (train one with `vner train`)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelMetaError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelMetaError(f"{path} must hold a JSON object")
    return ModelMeta.from_dict(data)


def int8_recipe_of(export_dir: str | Path) -> str | None:
    """Which recipe made ``model.int8.onnx`` in an export directory (``vner_meta.json``, else ``export.json``).

    ``None`` for exports older than the recipes (they were dynamic int8) or unreadable records.
    """
    root = Path(export_dir)
    for name in (META_FILE, EXPORT_REPORT):
        try:
            data = json.loads((root / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get(INT8_RECIPE_KEY), str):
            return str(data[INT8_RECIPE_KEY])
    return None
