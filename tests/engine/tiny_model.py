"""Tiny random BERTs on the real e5 (XLM-R) tokenizer, for fast tests (no downloads).

:func:`make_tiny_backbone` is a plain HF checkpoint to fine-tune; :func:`make_tiny_model` a ready vner model
directory (token-classification head + ``vner_meta.json``). ``TRAIN``/``DEV`` are the small annotated fixtures.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from vner.engine.runtime.model_meta import ModelMeta, content_hash, write_meta

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TRAIN = FIXTURES / "ner_train_vi.jsonl"
DEV = FIXTURES / "ner_dev_vi.jsonl"

LABELS: tuple[str, ...] = ("O", "B-LOCATION", "I-LOCATION", "B-DATE", "I-DATE", "B-PERSON", "I-PERSON")
GROUPS = {"PERSON": ("NAME", "PATIENT_ID")}


@functools.lru_cache(maxsize=1)
def e5_tokenizer() -> Any:
    from vner.engine.training.backbone import make_tokenizer

    return make_tokenizer()


def _config(tok: Any, *, layers: int, max_positions: int, **extra: Any) -> Any:
    from transformers import BertConfig

    return BertConfig(  # type: ignore[call-arg]
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max_positions,
        pad_token_id=tok.pad_token_id,
        **extra,
    )


def make_tiny_backbone(out: Path, *, seed: int = 0) -> Path:
    """Save a 2-layer, 32-wide BERT (random weights, real 250k-piece tokenizer) to ``out``."""
    import torch
    from transformers import BertModel

    tok = e5_tokenizer()
    torch.manual_seed(seed)
    out.mkdir(parents=True, exist_ok=True)
    BertModel(_config(tok, layers=2, max_positions=512), add_pooling_layer=False).save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out


def make_tiny_model(
    out: Path, *, layers: int = 2, contextless: bool = False, seed: int = 0, max_length: int = 64
) -> Path:
    """Save a tiny ``BertForTokenClassification`` + tokenizer + ``vner_meta.json`` into ``out``.

    ``contextless`` builds a model whose logits depend on the token id alone (no layers, no position or
    type embeddings), so the same word gets the same tag whatever window it is seen in.
    """
    import torch
    from transformers import BertForTokenClassification

    tok = e5_tokenizer()
    torch.manual_seed(seed)
    cfg = _config(
        tok,
        layers=0 if contextless else layers,
        max_positions=max(max_length, 64) + 2,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={t: i for i, t in enumerate(LABELS)},
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


def make_tiny_phobert(out: Path, texts: list[str], *, seed: int = 0) -> Path:
    """A PhoBERT-shaped backbone: a slow BPE ``PhobertTokenizer`` (vocab.txt + bpe.codes, no tokenizer.json)
    over the characters of ``texts`` plus a few merges, and a tiny random RoBERTa."""
    import torch
    from transformers import PhobertTokenizer, RobertaConfig, RobertaModel

    out.mkdir(parents=True, exist_ok=True)
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    merges = [("n", "h</w>"), ("n", "g</w>"), ("c", "h</w>"), ("t", "h"), ("n", "h")]
    pieces = [f"{c}@@" for c in chars] + chars + ["nh", "ng", "ch", "th@@", "nh@@"]
    (out / "vocab.txt").write_text("".join(f"{p} 1\n" for p in dict.fromkeys(pieces)), encoding="utf-8")
    (out / "bpe.codes").write_text("#version: 0.2\n" + "".join(f"{a} {b} 1\n" for a, b in merges), "utf-8")
    tok = PhobertTokenizer(str(out / "vocab.txt"), str(out / "bpe.codes"))
    torch.manual_seed(seed)
    cfg = RobertaConfig(
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=258,
        pad_token_id=tok.pad_token_id,
        type_vocab_size=1,
    )
    RobertaModel(cfg, add_pooling_layer=False).save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out
