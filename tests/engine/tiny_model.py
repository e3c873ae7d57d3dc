"""A tiny, randomly initialised vner model directory built on the real e5 (XLM-R) tokenizer, for tests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from engine.model_meta import ModelMeta, content_hash, write_meta

LABELS: tuple[str, ...] = ("O", "B-LOCATION", "I-LOCATION", "B-DATE", "I-DATE", "B-PERSON", "I-PERSON")
GROUPS = {"PERSON": ("NAME", "PATIENT_ID")}


@functools.lru_cache(maxsize=1)
def e5_tokenizer() -> Any:
    from engine.backbone import make_tokenizer

    return make_tokenizer()


def make_tiny_model(
    out: Path, *, layers: int = 2, contextless: bool = False, seed: int = 0, max_length: int = 64
) -> Path:
    """Save a tiny ``BertForTokenClassification`` + tokenizer + ``vner_meta.json`` into ``out``.

    ``contextless`` builds a model whose logits depend on the token id alone (no layers, no position or
    type embeddings), so the same word gets the same tag whatever window it is seen in.
    """
    import torch
    from transformers import BertConfig, BertForTokenClassification

    tok = e5_tokenizer()
    torch.manual_seed(seed)
    cfg = BertConfig(  # type: ignore[call-arg]
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=0 if contextless else layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max(max_length, 64) + 2,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={t: i for i, t in enumerate(LABELS)},
        pad_token_id=tok.pad_token_id,
    )
    model = BertForTokenClassification(cfg).eval()
    with torch.no_grad():
        model.classifier.weight.mul_(20.0)  # confident, varied tags instead of near-uniform ones
        if contextless:
            model.bert.embeddings.position_embeddings.weight.zero_()
            model.bert.embeddings.token_type_embeddings.weight.zero_()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    meta = ModelMeta(
        labels=LABELS,
        backbone="tiny-bert",
        groups=GROUPS,
        max_length=max_length,
        model_version=content_hash(out),
    )
    write_meta(out, meta)
    return out
