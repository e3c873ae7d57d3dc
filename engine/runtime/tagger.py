"""Run a vner token-classification model: ``predict(texts) -> list[list[Entity]]``.

:class:`TokenTagger` holds everything but the network call: words with original offsets
(:mod:`vner.engine.runtime.alignment`), sub-word ids per word (fast tokenizers in one batched call, slow ones such as
PhoBERT's word by word with a cache), windows of ``max_length`` tokens overlapping by ``stride`` and
stitched back, token-budget batches (:mod:`vner.engine.runtime.batching`), first-sub-word label probabilities
decoded into tags (``argmax`` or constrained ``viterbi``, :mod:`vner.engine.runtime.decoding`) and then entities.
:class:`OnnxTagger` plugs in one ONNX Runtime session chosen by :mod:`vner.engine.runtime.providers`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...rules.entity import Entity, Origin
from .alignment import Word, best_window, decode_bio, join_words, plan_windows, split_words
from .batching import plan_batches
from .decoding import best_label_ids, bio_constraints, check_decoding
from .model_meta import (
    DEFAULT_DECODING,
    STATIC_INT8_RECIPES,
    ModelMeta,
    ModelMetaError,
    int8_recipe_of,
    read_meta,
)
from .providers import (
    ExecutionPlan,
    choose_plan,
    present_model_files,
    usable_providers,
)

Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (input_ids, attention_mask) int64 -> logits


class ModelLoadError(RuntimeError):
    """A model directory, model file or tokenizer could not be loaded; the message names the file."""


def special_affixes(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The ids a tokenizer puts before and after a single sequence (``<s>``…``</s>``, ``[CLS]``…``[SEP]``)."""
    bare = list(tokenizer("a", add_special_tokens=False)["input_ids"])
    full = list(tokenizer("a", add_special_tokens=True)["input_ids"])
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return full[:i], full[i + len(bare) :]
    raise ModelLoadError("cannot locate the special tokens the tokenizer adds around a sequence")


def word_pieces(tokenizer: Any, word: str, cache: dict[str, list[int]], unk: int) -> list[int]:
    """Sub-word ids of one word tokenised alone (slow tokenizers: PhoBERT's BPE), memoised in ``cache``."""
    ids = cache.get(word)
    if ids is None:
        ids = [int(x) for x in tokenizer(word, add_special_tokens=False)["input_ids"]] or [unk]
        if len(cache) < 200_000:
            cache[word] = ids
    return ids


class TokenTagger:
    """Tagging logic around any ``forward(input_ids, attention_mask) -> logits`` function.

    ``decoding`` (``argmax`` | ``viterbi``, :mod:`vner.engine.runtime.decoding`) overrides the model's
    ``vner_meta.json`` ``decoding`` (default ``viterbi``).
    """

    def __init__(
        self,
        *,
        tokenizer: Any,
        meta: ModelMeta,
        forward: Forward,
        name: str,
        max_length: int | None = None,
        stride: int | None = None,
        max_tokens: int = 8192,
        max_batch: int = 64,
        max_padding: float = 0.25,
        decoding: str | None = None,
    ) -> None:
        self._tok = tokenizer
        self.meta = meta
        self._forward = forward
        self.name = name
        self._prefix, self._suffix = special_affixes(tokenizer)
        self.max_length = int(max_length or meta.max_length)
        self._body = self.max_length - len(self._prefix) - len(self._suffix)
        if self._body < 2:
            raise ValueError(f"max_length {self.max_length} leaves no room for text tokens")
        self.stride = self._body // 4 if stride is None else int(stride)
        if not 0 <= self.stride < self._body:
            raise ValueError(f"stride must be in [0, {self._body}), got {self.stride}")
        if max_tokens < self.max_length:
            raise ValueError(f"max_tokens ({max_tokens}) must be >= max_length ({self.max_length})")
        self.max_tokens, self.max_batch = int(max_tokens), int(max_batch)
        if not 0.0 <= max_padding <= 1.0:
            raise ValueError(f"max_padding must be in [0, 1], got {max_padding}")
        self.max_padding = float(max_padding)
        pad = getattr(tokenizer, "pad_token_id", None)
        self._pad = int(pad) if pad is not None else 0
        unk = getattr(tokenizer, "unk_token_id", None)
        self._unk = int(unk) if unk is not None else self._pad
        self._fast = bool(getattr(tokenizer, "is_fast", False))
        self._cache: dict[str, list[int]] = {}
        self.decoding = check_decoding(meta.decoding if decoding is None else decoding)
        self._constraints = bio_constraints(meta.labels)

    @property
    def labels(self) -> tuple[str, ...]:
        """Entity labels the model emits (group labels when the training schema grouped them)."""
        return self.meta.entity_labels

    @property
    def version(self) -> str:
        return self.meta.model_version

    @property
    def source(self) -> str:
        """``model:NAME@VERSION``, plus ``+DECODING`` when it is not the default (it changes the output)."""
        suffix = "" if self.decoding == DEFAULT_DECODING else f"+{self.decoding}"
        return f"model:{self.name}@{self.version}{suffix}"

    # -- tokens --------------------------------------------------------------------------------------------
    def _word_ids(self, batch: Sequence[Sequence[Word]]) -> list[list[list[int]]]:
        """Sub-word ids of every word (never empty: a word the tokenizer drops becomes ``<unk>``)."""
        out: list[list[list[int]]] = []
        if self._fast:
            idx = [i for i, ws in enumerate(batch) if ws]
            enc = (
                self._tok(
                    [[w.text for w in batch[i]] for i in idx],
                    is_split_into_words=True,
                    add_special_tokens=False,
                )
                if idx
                else None
            )
            per_sent: dict[int, list[list[int]]] = {}
            for row, i in enumerate(idx):
                groups: list[list[int]] = [[] for _ in batch[i]]
                assert enc is not None
                for tok_id, w_id in zip(enc["input_ids"][row], enc.word_ids(row), strict=True):
                    if w_id is not None:
                        groups[w_id].append(int(tok_id))
                per_sent[i] = groups
            for i, ws in enumerate(batch):
                out.append([g or [self._unk] for g in per_sent.get(i, [])] if ws else [])
            return out
        for ws in batch:
            out.append([word_pieces(self._tok, w.text, self._cache, self._unk) for w in ws])
        return out

    def _capped(self, ids: list[list[int]]) -> list[list[int]]:
        return [w[: self._body] for w in ids]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Model tokens each text costs (special tokens and window overlaps included)."""
        word_ids = self._word_ids([self.words_of(t) for t in texts])
        counts = []
        for ids in word_ids:
            capped = self._capped(ids)
            lens = [len(w) for w in capped]
            wins = plan_windows(lens, body=self._body, stride=self.stride)
            extra = len(self._prefix) + len(self._suffix)
            counts.append(sum(sum(lens[a:b]) + extra for a, b in wins) if wins else 0)
        return counts

    # -- prediction ----------------------------------------------------------------------------------------
    def predict(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities per text, with offsets into the given strings, in input order."""
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts, not a single string")
        return self._predict(list(texts), [self.words_of(t) for t in texts])

    def words_of(self, text: str) -> list[Word]:
        """The words the model sees: syllables, or segmented words (``_``-joined) for word-level models."""
        if self.meta.segmenter is None:
            return split_words(text)
        from .segment import segment

        return [
            Word(unicodedata.normalize("NFC", text[a:b]).replace(" ", "_"), a, b)
            for a, b in segment(text, self.meta.segmenter)
        ]

    def predict_pretokenized(self, batch: Sequence[Sequence[str]]) -> tuple[list[str], list[list[Entity]]]:
        """Tag already-split words (e.g. PhoNER); offsets index ``" ".join(words)``, returned too."""
        texts, words = [], []
        for ws in batch:
            text, spans = join_words(ws)
            texts.append(text)
            words.append(spans)
        return texts, self._predict(texts, words)

    def predict_tokens(
        self, texts: Sequence[str], tokens: Sequence[Sequence[tuple[int, int]]]
    ) -> list[list[Entity]]:
        """Tag texts whose word spans are given (a corpus reader's tokens), so spans match gold ones."""
        words = [
            [Word(unicodedata.normalize("NFC", t[a:b]), a, b) for a, b in spans]
            for t, spans in zip(texts, tokens, strict=True)
        ]
        return self._predict(list(texts), words)

    def word_probs(self, words: Sequence[Sequence[Word]]) -> list[np.ndarray]:
        """Label probabilities per word (``n_words × n_labels``) for each sentence."""
        word_ids = [self._capped(ids) for ids in self._word_ids(words)]
        windows: list[tuple[int, int, int]] = []  # (sentence, first word, end word)
        owner: list[list[int]] = []  # per sentence, per word: index (within the sentence) of its best window
        first_win: dict[int, int] = {}  # sentence -> index of its first window in ``windows``
        for s, ids in enumerate(word_ids):
            spans = plan_windows([len(w) for w in ids], body=self._body, stride=self.stride)
            owner.append(best_window(spans, len(ids)))
            first_win[s] = len(windows)
            windows.extend((s, a, b) for a, b in spans)
        n_labels = len(self.meta.labels)
        probs = [np.zeros((len(ids), n_labels), dtype=np.float32) for ids in word_ids]
        seqs: list[list[int]] = []
        firsts: list[list[int]] = []
        for s, a, b in windows:
            seq, pos = list(self._prefix), []
            for w in word_ids[s][a:b]:
                pos.append(len(seq))
                seq.extend(w)
            seqs.append(seq + self._suffix)
            firsts.append(pos)
        for batch in plan_batches(
            [len(x) for x in seqs],
            max_tokens=self.max_tokens,
            max_batch=self.max_batch,
            max_padding=self.max_padding,
        ):
            width = max(len(seqs[i]) for i in batch)
            ids_arr = np.full((len(batch), width), self._pad, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for r, i in enumerate(batch):
                ids_arr[r, : len(seqs[i])] = seqs[i]
                mask[r, : len(seqs[i])] = 1
            logits = np.asarray(self._forward(ids_arr, mask), dtype=np.float32)
            if logits.ndim != 3 or logits.shape[-1] != n_labels:
                raise ModelLoadError(
                    f"model returned logits of shape {logits.shape}; expected (*, *, {n_labels})"
                )
            for r, i in enumerate(batch):
                s, a, _ = windows[i]
                own = owner[s]
                local = i - first_win[s]
                rows = [k for k in range(len(firsts[i])) if own[a + k] == local]
                if not rows:
                    continue
                z = logits[r, [firsts[i][k] for k in rows]]
                z = np.exp(z - z.max(axis=-1, keepdims=True))
                probs[s][[a + k for k in rows]] = z / z.sum(axis=-1, keepdims=True)
        return probs

    def _predict(self, texts: list[str], words: list[list[Word]]) -> list[list[Entity]]:
        labels = self.meta.labels
        results: list[list[Entity]] = []
        for text, ws, p in zip(texts, words, self.word_probs(words), strict=True):
            if not ws:
                results.append([])
                continue
            best = best_label_ids(p, self.decoding, self._constraints)
            tags = [labels[int(k)] for k in best]
            scores = [float(p[i, k]) for i, k in enumerate(best)]
            ents = []
            for first, last, label, score in decode_bio(tags, scores):
                start, end = ws[first].start, ws[last].end
                ents.append(
                    Entity(
                        start=start,
                        end=end,
                        label=label,
                        text=text[start:end],
                        source=self.source,
                        score=score,
                        stages=("model",),
                        origin=Origin.MODEL,
                    )
                )
            results.append(ents)
        return results


class OnnxTagger(TokenTagger):
    """A :class:`TokenTagger` running one ONNX Runtime session over an export directory."""

    plan: ExecutionPlan | None = None
    session: Any = None
    batch_invariant: bool = False

    @classmethod
    def from_dir(
        cls,
        path: str | Path,
        *,
        precision: str = "auto",
        providers: Sequence[str] | None = None,
        threads: int | None = None,
        name: str | None = None,
        batch_invariant: bool | None = None,
        **kwargs: Any,
    ) -> OnnxTagger:
        """Open an export directory.

        ``batch_invariant`` (default: on for dynamic int8) runs each sequence alone and unpadded inside a
        batch call. Dynamic int8 quantises activations with one scale per tensor, so a batched call makes a
        sentence's entities depend on the other sentences in its batch (measured on PhoNER_COVID19 dev: 13 of
        150 sentences tagged differently alone and in batches of 64); a stream with a result cache needs the
        same answer for the same text. fp32/fp16 give the same logits either way and keep real batches, and so
        does static int8 (``static_qdq``, named in the export's ``vner_meta.json``/``export.json``): its activation
        scales are fixed at export, so a sentence's logits are the same alone and padded in any batch.
        """
        import onnxruntime as ort
        from transformers import AutoTokenizer

        root = Path(path)
        if not root.is_dir():
            raise ModelLoadError(f"{root} is not a directory (expected a `vner export` output)")
        try:
            meta = read_meta(root)
        except ModelMetaError as exc:
            raise ModelLoadError(str(exc)) from exc
        plan = choose_plan(
            available_providers=usable_providers(ort.get_available_providers()),
            present_files=present_model_files(root),
            precision=precision,
            providers=providers,
            threads=threads,
        )
        model_file = root / plan.model_file
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = plan.intra_op_threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = ort.InferenceSession(str(model_file), sess_options=opts, providers=list(plan.providers))
        except Exception as exc:  # ORT raises several types (Fail, InvalidProtobuf, ...)
            raise ModelLoadError(f"cannot load ONNX model {model_file}: {exc}") from exc
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(root))
        except Exception as exc:
            raise ModelLoadError(f"cannot load the tokenizer files in {root}: {exc}") from exc
        inputs = [i.name for i in session.get_inputs()]
        unknown = set(inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if unknown:
            raise ModelLoadError(f"{model_file} has unexpected inputs {sorted(unknown)}")

        def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            return np.asarray(session.run(None, {k: feeds[k] for k in inputs})[0])

        def forward_rows(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            out: np.ndarray | None = None
            for r in range(ids.shape[0]):
                n = int(mask[r].sum()) or ids.shape[1]
                z = run(ids[r : r + 1, :n], mask[r : r + 1, :n])
                if out is None:
                    out = np.zeros((ids.shape[0], ids.shape[1], z.shape[-1]), dtype=np.float32)
                out[r, :n] = z[0]
            assert out is not None
            return out

        # dynamic int8 only: static int8 has fixed scales (the export's vner_meta.json says which recipe)
        if batch_invariant is None:
            batch_invariant = plan.precision == "int8" and int8_recipe_of(root) not in STATIC_INT8_RECIPES
        forward = forward_rows if batch_invariant else run

        tagger = cls(
            tokenizer=tokenizer,
            meta=meta,
            forward=forward,
            name=name or Path(meta.backbone).name or root.name,
            **kwargs,
        )
        tagger.plan = plan
        tagger.session = session
        tagger.batch_invariant = batch_invariant
        return tagger
