"""Back-translation (vi → pivot → vi) behind a pluggable translator interface.

Entity spans are protected by placeholders (``⟦0⟧``, ``⟦1⟧``…) before the round trip and put back afterwards,
so every output keeps ``text[start:end] == entity``. A record whose placeholders do not all come back exactly
once is dropped (the original is kept) and counted; so is a record whose translation failed.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

import regex

from ..training.corpus import Doc, Span
from .base import AugmentResult, each_doc

_PH = regex.compile(r"⟦(\d+)⟧")


class Translator(Protocol):
    """Anything that translates one text between two language codes."""

    def translate(self, text: str, *, source: str, target: str) -> str: ...


class ChatTranslator:
    """Translation through an OpenAI-compatible chat endpoint (``vner.engine.annotate.client.ChatClient``)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def translate(self, text: str, *, source: str, target: str) -> str:
        messages = [
            {
                "role": "system",
                "content": f"Translate the user's text from {source} to {target}. Copy every marker like ⟦0⟧ "
                "unchanged, exactly once. Answer with the translation only.",
            },
            {"role": "user", "content": text},
        ]
        return str(self.client.chat(messages, temperature=0.0)).strip()


class HttpTranslator:
    """A plain MT endpoint: ``POST url {"q", "source", "target"}`` → ``{"translatedText"}`` (LibreTranslate shape)."""

    def __init__(self, url: str, *, api_key: str | None = None, timeout_s: float = 30.0) -> None:
        self.url = url
        self.api_key = api_key
        import httpx  # here, not at module level: `vner --help` lists the augmenters without loading it

        self._http = httpx.Client(timeout=timeout_s)

    def translate(self, text: str, *, source: str, target: str) -> str:
        payload: dict[str, Any] = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        resp = self._http.post(self.url, json=payload)
        resp.raise_for_status()
        return str(resp.json()["translatedText"])


def translator_from_env() -> Translator:
    """``VNER_MT_URL`` (a LibreTranslate-style endpoint) if set, else the ``VNER_LLM_*`` chat endpoint."""
    url = os.environ.get("VNER_MT_URL")
    if url:
        return HttpTranslator(url, api_key=os.environ.get("VNER_MT_API_KEY"))
    from ..annotate.client import ChatClient, LLMSettings

    return ChatTranslator(ChatClient(LLMSettings.from_env()))


def protect(doc: Doc) -> str:
    """The doc's text with span ``i`` replaced by ``⟦i⟧`` (spans must not overlap)."""
    out, pos = [], 0
    for i, s in enumerate(sorted(doc.spans, key=lambda s: s.start)):
        if s.start < pos:
            raise ValueError(f"doc {doc.id}: overlapping spans cannot be protected")
        out += [doc.text[pos : s.start], f"⟦{i}⟧"]
        pos = s.end
    out.append(doc.text[pos:])
    return "".join(out)


def restore(doc: Doc, translated: str) -> Doc | None:
    """Put the entity texts back into ``translated``; ``None`` if a placeholder is missing, repeated or unknown."""
    spans = sorted(doc.spans, key=lambda s: s.start)
    found = [int(m.group(1)) for m in _PH.finditer(translated)]
    if sorted(found) != list(range(len(spans))):
        return None
    text, new_spans, pos = [], [], 0
    length = 0
    for m in _PH.finditer(translated):
        chunk = translated[pos : m.start()]
        text.append(chunk)
        length += len(chunk)
        s = spans[int(m.group(1))]
        surface = doc.text[s.start : s.end]
        new_spans.append(Span(length, length + len(surface), s.label))
        text.append(surface)
        length += len(surface)
        pos = m.end()
    text.append(translated[pos:])
    return replace(doc, id=f"{doc.id}~backtranslate", text="".join(text), spans=tuple(new_spans), tokens=())


class BackTranslator:
    """Round-trip a share ``rate`` of the docs through ``pivot`` with entity spans protected."""

    name = "backtranslate"

    def __init__(self, *, translator: Translator, source: str = "vi", pivot: str = "en") -> None:
        self.translator = translator
        self.source = source
        self.pivot = pivot

    def augment(self, docs: Sequence[Doc], *, rate: float, seed: int) -> AugmentResult:
        def change(doc: Doc, rng: random.Random, report: Counter[str]) -> Doc | None:
            if rng.random() >= rate:
                return None
            report["attempted"] += 1
            try:
                there = self.translator.translate(protect(doc), source=self.source, target=self.pivot)
                back = self.translator.translate(there, source=self.pivot, target=self.source)
            except Exception as exc:  # any endpoint failure: keep the original, count it by type
                report["translate_failed"] += 1
                report[f"translate_failed.{type(exc).__name__}"] += 1
                return None
            new = restore(doc, back)
            if new is None:
                report["dropped_unaligned"] += 1
            return new

        return each_doc(docs, rate=rate, seed=seed, change=change)
