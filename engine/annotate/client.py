"""A small OpenAI-compatible chat client: timeouts, retries with back-off, a concurrency limit and a disk
cache of responses, so re-running an annotation job costs nothing."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
    max_tokens: int = 1024  # per completion; a small model that rambles is cut here (env VNER_LLM_MAX_TOKENS)

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
            "max_tokens": int(env.get("VNER_LLM_MAX_TOKENS", cls.max_tokens)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class LLMUnreachable(LLMError):
    """The endpoint did not answer the start-up check (``GET {base_url}/models``)."""


# what a request can end in, each its own counter (``http_<code>`` counters appear as codes are seen)
ERROR_KINDS = (
    "connection_refused",  # nothing listens on the port (server not started, or crashed before)
    "connection_reset",  # the server dropped the connection mid-request (e.g. it crashed answering)
    "connect_error",  # any other failure to connect (DNS, unreachable network)
    "timeouts",
    "transport_error",  # any other transport failure
    "malformed_output",  # HTTP 200 whose body is not an OpenAI chat completion
)


class ClientStats:
    """Thread-safe counters: ``requests``, ``cache_hits``, ``retries``, ``failures`` (requests given up on) and
    one counter per kind of error (:data:`ERROR_KINDS`, ``http_<status>``); read as attributes or a dict."""

    BASE = ("requests", "cache_hits", "retries", "failures", *ERROR_KINDS)

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter(dict.fromkeys(self.BASE, 0))
        self._lock = threading.Lock()

    def add(self, **counts: int) -> None:
        with self._lock:
            for k, v in counts.items():
                self._counts[k] += v

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        with self._lock:
            return self._counts.get(name, 0)

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def errors(self) -> dict[str, int]:
        """The non-zero error counters (kinds of failed attempts), e.g. ``{"connection_refused": 8}``."""
        with self._lock:
            return {
                k: v for k, v in self._counts.items() if v and (k in ERROR_KINDS or k.startswith("http_"))
            }


def classify_transport_error(exc: httpx.TransportError) -> str:
    """The counter a transport failure goes to: refused, reset, timeout, other connect or transport error."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeouts"
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 10:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "connection_refused"
    if isinstance(exc, httpx.RemoteProtocolError) or any(
        isinstance(e, ConnectionResetError | BrokenPipeError) for e in chain
    ):
        return "connection_reset"
    if "reset by peer" in text or "disconnected" in text:
        return "connection_reset"
    if isinstance(exc, httpx.ConnectError):
        return "connect_error"
    return "transport_error"


ANSWER_STOP = "</answer>"


def _close_answer(content: str) -> str:
    """Put back the ``</answer>`` the server cut off as a stop string (an answer opened but not closed)."""
    opened = content.rfind("<answer>")
    if opened >= 0 and ANSWER_STOP not in content[opened:]:
        return content.rstrip() + ANSWER_STOP
    return content


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
        max_tokens: int | None = None,
    ) -> str:
        """One completion. ``sample`` distinguishes repeated samples of the same prompt (self-consistency).

        Generation stops at ``</answer>`` (:data:`ANSWER_STOP`), the end of every answer we ask for: a small
        base model (Gemma 3 270M) often does not end its turn after the answer and would otherwise ramble on
        to ``max_tokens``. The stop string is not returned by the server, so it is put back."""
        payload: dict[str, Any] = {
            "model": self.settings.model,
            "messages": list(messages),
            "temperature": temperature,
            "max_tokens": max_tokens or self.settings.max_tokens,
            "stop": [ANSWER_STOP],
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

    def check(self, timeout_s: float = 10.0) -> None:
        """Raise :class:`LLMUnreachable` unless the endpoint answers ``GET {base_url}/models``.

        A transport failure (refused, reset, timeout) or an authentication error (401/403) fails the check; any
        other HTTP answer (even 404 from a server without the route) shows something is listening."""
        url = f"{self.settings.base_url.rstrip('/')}/models"
        try:
            resp = self._http.get("/models", timeout=min(timeout_s, self.settings.timeout_s))
        except httpx.ReadTimeout:
            # connected, but no answer yet: llama-cpp-python's server holds /models behind the lock of the
            # completion it is busy with, so a busy server is still a server that listens
            return
        except httpx.TransportError as exc:
            kind = classify_transport_error(exc)
            raise LLMUnreachable(
                f"LLM endpoint unreachable: {kind.replace('timeouts', 'timeout')} on GET {url}"
            ) from exc
        if resp.status_code in (401, 403):
            raise LLMUnreachable(f"LLM endpoint refused the API key: HTTP {resp.status_code} on GET {url}")

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
                except httpx.TransportError as exc:
                    last = classify_transport_error(exc)
                    self.stats.add(**{last: 1})
                    continue
            if resp.status_code == 429 or resp.status_code >= 500:
                last = f"http_{resp.status_code}"
                self.stats.add(**{last: 1})
                continue
            if resp.status_code >= 400:
                self.stats.add(**{f"http_{resp.status_code}": 1, "failures": 1})
                raise LLMError(f"HTTP {resp.status_code} from {self.settings.base_url}: not retryable")
            try:
                return _close_answer(str(resp.json()["choices"][0]["message"]["content"]))
            except (ValueError, KeyError, IndexError, TypeError):
                last = "malformed_output"
                self.stats.add(malformed_output=1)
                continue
        self.stats.add(failures=1)
        raise LLMError(f"no answer after {self.settings.max_retries + 1} attempts (last: {last})")

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Apply ``fn`` to ``items`` with at most ``concurrency`` in flight, keeping order."""
        with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool:
            return list(pool.map(fn, items))
