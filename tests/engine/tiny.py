"""A tiny random BERT with the real e5 tokenizer, for fast training/export tests (no downloads)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TRAIN = FIXTURES / "ner_train_vi.jsonl"
DEV = FIXTURES / "ner_dev_vi.jsonl"


def make_tiny_backbone(out: Path, *, seed: int = 0) -> Path:
    """Save a 2-layer, 32-wide BERT (random weights, real 250k-piece tokenizer) to ``out``."""
    import torch
    from transformers import BertConfig, BertModel

    from engine.backbone import make_tokenizer

    torch.manual_seed(seed)
    tok = make_tokenizer()
    cfg = BertConfig(
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        pad_token_id=1,
    )
    out.mkdir(parents=True, exist_ok=True)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out
