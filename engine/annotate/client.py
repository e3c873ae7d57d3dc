"""A small OpenAI-compatible chat client: timeouts, retries with back-off, a concurrency limit and a disk
cache of responses, so re-running an annotation job costs nothing."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
R = TypeVar("R")


class LLMError(RuntimeError):
    """The endpoint could not give an answer after all retries."""


@dataclass(frozen=True)
class LLMSettings:
    """Where the chat endpoint is and how patient to be with it (env ``VNER_LLM_*``)."""

    base_url: str = "http://127.0.0.1:8080/v1"
    api_key: str = ""
    model: str = "local"
    timeout_s: float = 60.0
    max_retries: int = 3
    backoff_s: float = 0.5
    concurrency: int = 4
    cache_dir: str | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> LLMSettings:
        env = os.environ
        values: dict[str, Any] = {
            "base_url": env.get("VNER_LLM_BASE_URL", cls.base_url),
            "api_key": env.get("VNER_LLM_API_KEY", ""),
            "model": env.get("VNER_LLM_MODEL", cls.model),
            "timeout_s": float(env.get("VNER_LLM_TIMEOUT_S", cls.timeout_s)),
            "max_retries": int(env.get("VNER_LLM_MAX_RETRIES", cls.max_retries)),
            "concurrency": int(env.get("VNER_LLM_CONCURRENCY", cls.concurrency)),
            "cache_dir": env.get("VNER_LLM_CACHE_DIR") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class ClientStats:
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    timeouts: int = 0
    http_errors: int = 0
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for k, v in counts.items():
                setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}


class ChatClient:
    """``chat(messages, temperature=..., sample=...) -> str`` against ``POST {base_url}/chat/completions``."""

    def __init__(self, settings: LLMSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        headers = {"Content-Type": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        self._http = httpx.Client(
            base_url=settings.base_url.rstrip("/"),
            headers=headers,
            timeout=settings.timeout_s,
            transport=transport,
        )
        self._sem = threading.Semaphore(max(1, settings.concurrency))
        self._cache = Path(settings.cache_dir) if settings.cache_dir else None
        if self._cache:
            self._cache.mkdir(parents=True, exist_ok=True)
        self.stats = ClientStats()

    def close(self) -> None:
        self._http.close()

    def _key(self, payload: dict[str, Any], sample: int) -> str:
        blob = json.dumps([self.settings.base_url, payload, sample], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def chat(
        self,
        messages: Sequence[dict[str, str]],
        *,
        temperature: float = 0.0,
        sample: int = 0,
        max_tokens: int = 1024,
    ) -> str:
        """One completion. ``sample`` distinguishes repeated samples of the same prompt (self-consistency)."""
        payload: dict[str, Any] = {
            "model": self.settings.model,
            "messages": list(messages),
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        if sample:
            payload["seed"] = sample
        key = self._key(payload, sample)
        if self._cache is not None:
            path = self._cache / f"{key}.json"
            if path.exists():
                self.stats.add(cache_hits=1)
                return str(json.loads(path.read_text(encoding="utf-8"))["content"])
        content = self._post(payload)
        if self._cache is not None:
            tmp = self._cache / f"{key}.tmp"
            tmp.write_text(json.dumps({"content": content}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self._cache / f"{key}.json")
        return content

    def _post(self, payload: dict[str, Any]) -> str:
        last: str = ""
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                self.stats.add(retries=1)
                time.sleep(self.settings.backoff_s * (2 ** (attempt - 1)))
            with self._sem:
                self.stats.add(requests=1)
                try:
                    resp = self._http.post("/chat/completions", json=payload)
                except httpx.TimeoutException:
                    self.stats.add(timeouts=1)
                    last = "timeout"
                    continue
                except httpx.TransportError as exc:
                    self.stats.add(http_errors=1)
                    last = f"transport error: {type(exc).__name__}"
                    continue
            if resp.status_code == 429 or resp.status_code >= 500:
                self.stats.add(http_errors=1)
                last = f"HTTP {resp.status_code}"
                continue
            if resp.status_code >= 400:
                self.stats.add(http_errors=1, failures=1)
                raise LLMError(f"HTTP {resp.status_code} from {self.settings.base_url}: not retryable")
            try:
                return str(resp.json()["choices"][0]["message"]["content"])
            except (ValueError, KeyError, IndexError, TypeError):
                self.stats.add(http_errors=1)
                last = "response is not an OpenAI chat completion"
                continue
        self.stats.add(failures=1)
        raise LLMError(f"no answer after {self.settings.max_retries + 1} attempts ({last})")

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Apply ``fn`` to ``items`` with at most ``concurrency`` in flight, keeping order."""
        with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool:
            return list(pool.map(fn, items))
