"""EMAIL, URL and IP_ADDRESS (IPv4 and IPv6, validated with :mod:`ipaddress`).

URLs are ``http(s)://`` or ``www.`` links, or bare domains on a list of common TLDs ("shopee.vn/abc");
trailing sentence punctuation and unbalanced closing brackets are trimmed. An IPv4 look-alike that is a
number with thousands separators followed by a currency ("1.100.100.100 đồng") or a version ("phiên bản
1.2.3.4") is dropped.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from ..entity import Entity
from ..recognizer import RuleContext
from ..validators import email_v1, ipv4_v1, ipv6_v1
from ._base import ContextWords, check_config, check_score, make_entity

_EMAIL_RX = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}._%+\-@])"
    r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9])?@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![\p{L}\p{N}\p{M}_@\-])(?!\.[\p{L}\p{N}])"
)
_TLDS = (
    "com\\.vn|net\\.vn|org\\.vn|edu\\.vn|gov\\.vn|vn|com|net|org|edu|gov|io|info|biz|app|dev|shop|store"
    "|online|xyz|asia|site|tech"
)
_URL_RX = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_@.\-/])"
    r"(?:(?:https?|ftp)://[^\s<>\"'`]+"
    r"|www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:[/?#][^\s<>\"'`]*)?"
    rf"|(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{{0,61}}[A-Za-z0-9])?\.)+(?:{_TLDS})(?![\p{{L}}\p{{N}}\-])(?:[/?#][^\s<>\"'`]*)?)",
    regex.IGNORECASE,
)
_URL_HINT = regex.compile(rf"://|www\.|\.(?:{_TLDS})(?![\p{{L}}\p{{N}}\-])", regex.IGNORECASE)
_NON_SPACE = regex.compile(r"\S+")
_LAST_SPACE = regex.compile(r"\s", regex.REVERSE)  # search(text, 0, i): the last whitespace before i
_TRAIL = ".,;:!?'\"…"
_PAIRS = {")": "(", "]": "[", "}": "{"}

_IPV4_RX = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_.\-/@:])\d{1,3}(?:\.\d{1,3}){3}(?![\p{L}\p{N}\p{M}_\-])(?!\.\d)"
)
_IPV6_RX = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?"
    r"(?![\p{L}\p{N}\p{M}_:])"
)
_MONEY_AFTER = regex.compile(r"\s?(?:đ|₫|vnđ|vnd|đồng|dong|usd|\$)(?![\p{L}])", regex.IGNORECASE)
_VERSION_CUES = ContextWords(("phiên bản", "version", "ver", "bản", "v"), before=15, after=0)
_IP_CUES = ContextWords(("ip", "địa chỉ ip", "ip address", "server", "máy chủ", "host", "gateway", "dns"))


class EmailRecognizer:
    """E-mail addresses (``email.v1``)."""

    name = "email"
    version = "v1"
    labels: tuple[str, ...] = ("EMAIL",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, {"score": (int, float)}, where="email")
        self._score = check_score(cfg.get("score", 1.0), key="score", where="email")

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        if "@" not in text:
            return out
        for m in _EMAIL_RX.finditer(text):
            if not email_v1(m.group(0)):
                continue
            local, domain = m.group(0).split("@", 1)
            out.append(
                make_entity(
                    self,
                    text,
                    m.start(),
                    m.end(),
                    label="EMAIL",
                    value=f"{local}@{domain.lower()}",
                    score=self._score,
                    explanation="email.v1 passed",
                )
            )
        return out


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAIL:
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


class UrlRecognizer:
    """Web links: scheme URLs, ``www.`` hosts and bare domains on common TLDs."""

    name = "url"
    version = "v1"
    labels: tuple[str, ...] = ("URL",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, {"score": (int, float), "bare_domains": bool}, where="url")
        self._score = check_score(cfg.get("score", 0.95), key="score", where="url")
        self._bare = bool(cfg.get("bare_domains", True))

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        hints = [h.start() for h in _URL_HINT.finditer(text)]
        if not hints:
            return out  # cheap pre-check: no scheme, "www." or known TLD anywhere
        for m in self._matches(text, hints):
            url = _trim_url(m.group(0))
            lower = url.lower()
            has_scheme = "://" in lower
            if not has_scheme and not lower.startswith("www.") and not self._bare:
                continue
            host = lower.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
            host = host.rsplit("@", 1)[-1].split(":", 1)[0]
            if has_scheme and not (ipv4_v1(host) or "." in host or host == "localhost"):
                continue
            if not host:
                continue
            kind = "scheme" if has_scheme else ("www host" if lower.startswith("www.") else "bare domain")
            out.append(
                make_entity(
                    self,
                    text,
                    m.start(),
                    m.start() + len(url),
                    label="URL",
                    value=url,
                    score=self._score if has_scheme or kind == "www host" else self._score - 0.1,
                    explanation=f"URL ({kind})",
                )
            )
        return out

    @staticmethod
    def _matches(text: str, hints: list[int]) -> Iterator[regex.Match[str]]:
        """``_URL_RX.finditer(text)``, scanning only the whitespace-free runs that hold a hint: a link has no
        whitespace and always holds a scheme, "www." or ".tld", so the matches are the same."""
        done = 0  # the end of the last run scanned
        for hint in hints:
            if hint < done:
                continue  # in the run just scanned
            space = _LAST_SPACE.search(text, 0, hint)  # a hint starts with ":", "w" or ".": never a space
            run = _NON_SPACE.match(text, space.end() if space else 0)
            if run is None:  # pragma: no cover - the hint itself is not whitespace
                continue
            done = run.end()
            yield from _URL_RX.finditer(text, run.start(), done)


class IpAddressRecognizer:
    """IPv4/IPv6 addresses (``ipv4.v1``/``ipv6.v1``), with money and version look-alikes dropped."""

    name = "ip_address"
    version = "v1"
    labels: tuple[str, ...] = ("IP_ADDRESS",)

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, {"score": (int, float)}, where="ip_address")
        self._score = check_score(cfg.get("score", 0.95), key="score", where="ip_address")

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        out: list[Entity] = []
        for m in _IPV4_RX.finditer(text):
            ip = m.group(0)
            if not ipv4_v1(ip):
                continue
            cue = _IP_CUES.find_before(text, m.start(), adjacent=True)
            if cue is None:
                if _MONEY_AFTER.match(text, m.end()) or _VERSION_CUES.find_before(
                    text, m.start(), adjacent=True
                ):
                    continue
            why = "ipv4.v1 passed" + (f"; context word '{cue}'" if cue else "")
            out.append(self._entity(text, m.start(), m.end(), ip, 1.0 if cue else self._score, why))
        for m in _IPV6_RX.finditer(text) if text.count(":") >= 2 else ():
            ip = m.group(0)
            groups = [g for g in regex.split(r":+", ip) if g]
            if not ipv6_v1(ip) or (len(groups) < 3 and ip != "::1"):
                continue  # "10::30" or a clock time is too weak to call an address
            cue = _IP_CUES.find(text, m.start(), m.end())
            why = "ipv6.v1 passed" + (f"; context word '{cue}'" if cue else "")
            value = str(ipaddress.IPv6Address(ip))
            out.append(self._entity(text, m.start(), m.end(), value, 1.0 if cue else self._score, why))
        return sorted(out, key=lambda e: e.start)

    def _entity(self, text: str, start: int, end: int, value: str, score: float, why: str) -> Entity:
        return make_entity(
            self, text, start, end, label="IP_ADDRESS", value=value, score=score, explanation=why
        )


RECOGNIZERS = {"email": EmailRecognizer, "url": UrlRecognizer, "ip_address": IpAddressRecognizer}
