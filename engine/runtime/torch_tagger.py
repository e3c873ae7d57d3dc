"""A torch checkpoint as a predictor: ``TorchTagger.from_dir(model_dir).predict(texts)``.

It reuses :class:`vner.engine.runtime.tagger.TokenTagger` (word split, windows with stride, BIO decoding) with a
torch forward function, so a torch model and its ONNX export tag exactly the same words. Models trained
on segmented words (``vner_meta.json`` ``segmenter``) get their words from :mod:`vner.engine.runtime.segment`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...rules.entity import Entity
from .alignment import Word
from .model_meta import ModelMetaError, read_meta
from .tagger import ModelLoadError, TokenTagger


class TorchTagger(TokenTagger):
    """Token classification with a Hugging Face torch model (CPU threads set at load)."""

    model: Any = None

    @classmethod
    def from_dir(
        cls, path: str | Path, *, threads: int | None = None, name: str | None = None, **kwargs: Any
    ) -> TorchTagger:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        root = Path(path)
        try:
            meta = read_meta(root)
        except ModelMetaError as exc:
            raise ModelLoadError(str(exc)) from exc
        if threads:
            torch.set_num_threads(threads)
        tokenizer = AutoTokenizer.from_pretrained(str(root))
        model = AutoModelForTokenClassification.from_pretrained(str(root)).eval()
        n_out = int(model.config.num_labels)
        if n_out != len(meta.labels):
            raise ModelLoadError(
                f"{root}: model has {n_out} outputs but vner_meta.json lists {len(meta.labels)}"
            )

        def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            with torch.inference_mode():
                out = model(
                    input_ids=torch.from_numpy(ids).long(), attention_mask=torch.from_numpy(mask).long()
                )
            return out.logits.float().numpy()

        tagger = cls(
            tokenizer=tokenizer,
            meta=meta,
            forward=forward,
            name=name or Path(meta.backbone).name or root.name,
            **kwargs,
        )
        tagger.model = model
        return tagger

    def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts, not a single string")
        if self.meta.segmenter is None:
            return super().predict(texts)
        from .segment import segment

        words = []
        for text in texts:
            spans = segment(text, self.meta.segmenter)
            words.append(
                [Word(unicodedata.normalize("NFC", text[a:b]).replace(" ", "_"), a, b) for a, b in spans]
            )
        return self._predict(list(texts), words)
