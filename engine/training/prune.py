"""Vocabulary pruning: keep only the sentencepiece pieces a corpus uses (plus specials), remap the ids.

About 96 M of multilingual-e5-small's 117.5 M parameters are word embeddings for 250,002 pieces, of
which a Vietnamese domain corpus uses a few thousand. Pruning keeps the rows of the pieces seen when
tokenising the corpus (as running text and word by word, the way :mod:`vner.engine.runtime.tagger` feeds the model)
plus every special/added token, in their old order, and rewrites ``tokenizer.json`` (Unigram or
WordPiece vocabulary, added tokens, post-processor ids) and ``tokenizer_config.json`` to match. Text made
of kept pieces tokenises to the same pieces, so the pruned model gives the same logits on it.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runtime.alignment import split_words
from ..runtime.model_meta import META_FILE, content_hash, read_meta, write_meta


class PruneError(RuntimeError):
    """The model or tokenizer cannot be pruned (unsupported tokenizer type, empty corpus...)."""


@dataclass(frozen=True)
class PruneReport:
    """Sizes and speed before and after pruning."""

    vocab_before: int
    vocab_after: int
    params_before: int
    params_after: int
    bytes_before: int
    bytes_after: int
    ms_before: float
    ms_after: float

    def lines(self) -> list[str]:
        return [
            f"vocabulary {self.vocab_before:,} → {self.vocab_after:,} pieces",
            f"parameters {self.params_before / 1e6:.1f} M → {self.params_after / 1e6:.1f} M",
            f"weights    {self.bytes_before / 1e6:.1f} MB → {self.bytes_after / 1e6:.1f} MB",
            f"forward    {self.ms_before:.1f} ms → {self.ms_after:.1f} ms per sample batch (torch, CPU)",
        ]


def read_corpus(paths: Sequence[str | Path]) -> list[str]:
    """Texts from ``.txt`` files (one per line) or any corpus format :func:`vner.engine.training.corpus.read_docs` reads."""
    from .corpus import read_docs

    texts: list[str] = []
    for p in map(Path, paths):
        if not p.is_file():
            raise PruneError(f"corpus file not found: {p}")
        if p.suffix == ".txt":
            texts.extend(ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip())
        else:
            texts.extend(d.text for d in read_docs(p))
    if not texts:
        raise PruneError(f"no text in the corpus {[str(p) for p in paths]}")
    return texts


def used_ids(tokenizer: Any, texts: Iterable[str]) -> set[int]:
    """Ids used by ``texts`` (whole and split into words) plus every special and added token."""
    texts = list(texts)
    ids: set[int] = set()
    for chunk in range(0, len(texts), 512):
        part = texts[chunk : chunk + 512]
        for row in tokenizer(part, add_special_tokens=True)["input_ids"]:
            ids.update(int(i) for i in row)
        words = [[w.text for w in split_words(t)] or ["."] for t in part]
        for row in tokenizer(words, is_split_into_words=True, add_special_tokens=True)["input_ids"]:
            ids.update(int(i) for i in row)
    ids.update(int(i) for i in tokenizer.all_special_ids)
    ids.update(int(i) for i in tokenizer.added_tokens_decoder)
    return ids


_VI_LETTERS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


def is_vietnamese_piece(piece: str) -> bool:
    """A sentencepiece made of Latin letters that carries a Vietnamese-only letter or tone mark.

    Keeping these (≈ 11 k of XLM-R's 250 k pieces) lets a model pruned on a small corpus still read
    Vietnamese syllables the corpus never showed, instead of mapping them to ``<unk>``.
    """
    import unicodedata

    body = piece.lstrip("\u2581")
    if not body:
        return False
    nfd = unicodedata.normalize("NFD", body)
    if not all(("a" <= c.lower() <= "z") or c in _VI_MARKS or c in "đĐ" for c in nfd):
        return False
    return any(c in _VI_LETTERS for c in body) or any(c in _VI_MARKS for c in nfd)


def vietnamese_ids(tokenizer_json: dict[str, Any]) -> set[int]:
    """Ids of the Vietnamese pieces (see :func:`is_vietnamese_piece`) and of digit-only pieces."""
    model = tokenizer_json["model"]
    if model["type"] == "Unigram":
        pairs = [(piece, i) for i, (piece, _score) in enumerate(model["vocab"])]
    elif model["type"] == "WordPiece":
        pairs = [(piece.removeprefix("##"), i) for piece, i in model["vocab"].items()]
    else:
        return set()
    return {i for piece, i in pairs if is_vietnamese_piece(piece) or piece.lstrip("\u2581").isdigit()}


#: Code points whose one-character pieces :func:`alphabet_ids` keeps: ASCII, Latin-1 and Latin Extended-A/B,
#: combining marks, Latin Extended Additional (Vietnamese precomposed letters), general punctuation, currency.
ALPHABET_RANGES: tuple[tuple[int, int], ...] = (
    (0x21, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
)


def is_alphabet_piece(piece: str) -> bool:
    """A one-character piece (with or without the word-start ``▁``) of :data:`ALPHABET_RANGES`, or ``▁`` alone."""
    if piece == "\u2581":
        return True
    body = piece.removeprefix("\u2581").removeprefix("##")
    return len(body) == 1 and any(lo <= ord(body) <= hi for lo, hi in ALPHABET_RANGES)


def alphabet_ids(tokenizer_json: dict[str, Any]) -> set[int]:
    """Ids of the single-character Latin/Vietnamese letter, digit and punctuation pieces (≈ 770 in XLM-R's).

    With them any word written in those characters still tokenises without ``<unk>`` (as more, shorter pieces
    when its own pieces were pruned): a pruned model keeps reading the quotes, capitals and rare letters its
    corpus never showed.
    """
    model = tokenizer_json["model"]
    if model["type"] == "Unigram":
        return {i for i, (piece, _score) in enumerate(model["vocab"]) if is_alphabet_piece(piece)}
    if model["type"] == "WordPiece":
        return {i for piece, i in model["vocab"].items() if is_alphabet_piece(piece)}
    return set()


def _remap_processor(node: Any, remap: dict[int, int]) -> Any:
    """Rewrite token ids inside a ``post_processor`` (Template, Roberta, Bert, Sequence) description."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "ids" and isinstance(v, list):
                out[k] = [remap[int(i)] for i in v]
            elif k in ("cls", "sep") and isinstance(v, list) and len(v) == 2 and isinstance(v[1], int):
                out[k] = [v[0], remap[v[1]]]
            else:
                out[k] = _remap_processor(v, remap)
        return out
    if isinstance(node, list):
        return [_remap_processor(v, remap) for v in node]
    return node


def prune_tokenizer_json(data: dict[str, Any], keep: Sequence[int]) -> dict[str, Any]:
    """A copy of a ``tokenizer.json`` document holding only ``keep`` (sorted old ids), renumbered."""
    remap = {old: new for new, old in enumerate(keep)}
    out = json.loads(json.dumps(data))
    model = out["model"]
    if model["type"] == "Unigram":
        vocab = model["vocab"]
        model["vocab"] = [vocab[i] for i in keep]
        if model.get("unk_id") is not None:
            model["unk_id"] = remap[int(model["unk_id"])]
    elif model["type"] == "WordPiece":
        by_id = {i: piece for piece, i in model["vocab"].items()}
        model["vocab"] = {by_id[i]: remap[i] for i in keep}
    else:
        raise PruneError(
            f"cannot prune a {model['type']} tokenizer (merges would break); Unigram/WordPiece only"
        )
    for tok in out.get("added_tokens") or []:
        tok["id"] = remap[int(tok["id"])]
    if out.get("post_processor"):
        out["post_processor"] = _remap_processor(out["post_processor"], remap)
    return out


def _forward_ms(model: Any, tokenizer: Any, texts: Sequence[str]) -> float:
    import torch

    enc = tokenizer(list(texts[:32]), padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.no_grad():
        model(**enc)
        t0 = time.perf_counter()
        for _ in range(3):
            model(**enc)
    return (time.perf_counter() - t0) / 3 * 1000


def _weights_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.iterdir() if p.suffix in (".safetensors", ".bin"))


def prune_model(
    model_dir: str | Path,
    out_dir: str | Path,
    corpus: Sequence[str],
    *,
    keep_vietnamese: bool = False,
    keep_alphabet: bool = False,
) -> PruneReport:
    """Write a pruned copy of ``model_dir`` to ``out_dir`` keeping the pieces ``corpus`` uses.

    ``model_dir`` is a trained vner model (``vner_meta.json``) or a plain backbone checkpoint (pruned
    *before* fine-tuning, so the now small embedding matrix can be trained). ``keep_vietnamese`` also
    keeps every piece carrying a Vietnamese-only letter or tone mark and every digit piece, for text
    beyond the corpus (a syllable spelled with plain ASCII pieces, "thu"+"ỷ", still needs the corpus).
    ``keep_alphabet`` also keeps every one-character Latin/Vietnamese/digit/punctuation piece
    (:func:`alphabet_ids`), so no text in those characters meets ``<unk>``.
    """
    import torch
    from transformers import AutoModel, AutoModelForTokenClassification, AutoTokenizer

    src, out = Path(model_dir), Path(out_dir)
    meta = read_meta(src) if (src / META_FILE).is_file() else None
    if meta is None and not (src / "config.json").is_file():
        raise PruneError(f"{src} is neither a vner model (vner_meta.json) nor an HF checkpoint (config.json)")
    tok_file = src / "tokenizer.json"
    if not tok_file.is_file():
        raise PruneError(f"{tok_file} not found: pruning needs a fast tokenizer's tokenizer.json")
    if out.resolve() == src.resolve():
        raise PruneError("the output directory must differ from the model directory")
    data = json.loads(tok_file.read_text(encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(str(src))
    auto = AutoModelForTokenClassification if meta is not None else AutoModel
    model = auto.from_pretrained(str(src)).eval()
    emb = model.get_input_embeddings()
    wanted = used_ids(tokenizer, corpus) | (vietnamese_ids(data) if keep_vietnamese else set())
    wanted |= alphabet_ids(data) if keep_alphabet else set()
    keep = sorted(i for i in wanted if 0 <= i < emb.num_embeddings)
    remap = {old: new for new, old in enumerate(keep)}
    params_before, ms_before = (
        sum(p.numel() for p in model.parameters()),
        _forward_ms(model, tokenizer, corpus),
    )

    new_emb = torch.nn.Embedding(len(keep), emb.embedding_dim, padding_idx=None)
    with torch.no_grad():
        new_emb.weight.copy_(emb.weight[torch.tensor(keep, dtype=torch.long)])
    model.set_input_embeddings(new_emb)
    model.config.vocab_size = len(keep)
    for attr in ("pad_token_id", "bos_token_id", "eos_token_id", "sep_token_id", "cls_token_id"):
        old = getattr(model.config, attr, None)
        if isinstance(old, int):
            setattr(model.config, attr, remap.get(old))
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    (out / "tokenizer.json").write_text(
        json.dumps(prune_tokenizer_json(data, keep), ensure_ascii=False), "utf-8"
    )
    _copy_tokenizer_config(src, out, remap)
    pruned_tok = AutoTokenizer.from_pretrained(str(out))
    ms_after = _forward_ms(model, pruned_tok, corpus)
    if meta is not None:
        config = {**dict(meta.train_config), "pruned_from": meta.model_version, "pruned_vocab": len(keep)}
        write_meta(out, dataclasses.replace(meta, model_version=content_hash(out), train_config=config))
    else:
        note = {
            "pruned_from": str(src),
            "pruned_vocab": len(keep),
            "keep_vietnamese": keep_vietnamese,
            "keep_alphabet": keep_alphabet,
        }
        (out / "vner_backbone.json").write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8")
    return PruneReport(
        vocab_before=emb.num_embeddings,
        vocab_after=len(keep),
        params_before=params_before,
        params_after=sum(p.numel() for p in model.parameters()),
        bytes_before=_weights_bytes(src),
        bytes_after=_weights_bytes(out),
        ms_before=ms_before,
        ms_after=ms_after,
    )


def _copy_tokenizer_config(src: Path, out: Path, remap: dict[int, int]) -> None:
    """Copy the tokenizer's json side files, renumbering ``added_tokens_decoder`` keys."""
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        if not (src / name).is_file():
            continue
        if name != "tokenizer_config.json":
            shutil.copy2(src / name, out / name)
            continue
        cfg = json.loads((src / name).read_text(encoding="utf-8"))
        if isinstance(cfg.get("added_tokens_decoder"), dict):
            cfg["added_tokens_decoder"] = {
                str(remap[int(k)]): v for k, v in cfg["added_tokens_decoder"].items()
            }
        (out / name).write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
