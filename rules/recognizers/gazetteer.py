"""Gazetteer recognizers: Vietnamese administrative units (LOCATION) and a generic list recognizer from YAML.

Both match with :class:`vner.rules.recognizers.gazetteer_match.Matcher` (one Aho-Corasick automaton over a folded copy
of the text, word boundaries, leftmost-longest, diacritics checked against the surface). The value is the
canonical name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex
from vner.rules.entity import Entity
from vner.rules.recognizer import RuleContext, source_of
from vner.rules.recognizers.gazetteer_match import (
    GazEntry,
    Matcher,
    as_score,
    capitalised,
    check_keys,
    fold,
    load_yaml,
    parse_entries,
    tone_key,
)


class GazetteerRecognizer:
    """A list of names for one label (SPECIES, SYMPTOM_AND_DISEASE, PRODUCT...), given inline or as a YAML file."""

    name = "gazetteer"
    version = "v1"
    _KEYS = {"label", "entries", "entries_file", "diacritic_insensitive", "score"}

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = dict(config or {})
        check_keys(cfg, self._KEYS)
        label = cfg.get("label")
        if not isinstance(label, str) or not label.isupper():
            raise ValueError(f"label: must be an UPPER_CASE label name, got {label!r}")
        self.label = label
        self.labels: tuple[str, ...] = (label,)
        pairs: list[tuple[str, GazEntry]] = []
        if "entries" in cfg:
            pairs.extend(parse_entries(cfg["entries"], "entries"))
        if "entries_file" in cfg:
            data = load_yaml(str(cfg["entries_file"]))
            raw = data.get("entries") if isinstance(data, Mapping) else data
            pairs.extend(parse_entries(raw, f"entries_file({cfg['entries_file']}).entries"))
        if not pairs:
            raise ValueError("entries: give a non-empty 'entries' list or an 'entries_file'")
        self._score = as_score(cfg.get("score", 0.85), "score")
        self._matcher = Matcher(pairs, diacritic_insensitive=bool(cfg.get("diacritic_insensitive", True)))

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Every listed name found on word boundaries."""
        del ctx
        out = []
        for h in self._matcher.find(text, fold(text)):
            surface = text[h.start : h.end]
            if h.entry.needs and not capitalised(surface):
                continue
            why = "gazetteer " + ("exact" if h.exact else "without diacritics")
            out.append(
                Entity(
                    start=h.start,
                    end=h.end,
                    label=self.label,
                    text=surface,
                    value=h.entry.canonical,
                    source=source_of(self),
                    score=self._score if h.exact else round(self._score * 0.95, 4),
                    explanation=why + (f"; {h.entry.note}" if h.entry.note else ""),
                )
            )
        return out


_PREFIX_RX = regex.compile(
    r"(?<![\w.])(tinh|thanh pho|tp\.?|t\.p\.?|quan|q\.|huyen|h\.|thi xa|tx\.?|phuong|p\.|xa|thi tran|tt\.?)\s?$"
)
_PREFIX_WORDS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "quan": "quận",
    "huyen": "huyện",
    "thi xa": "thị xã",
    "phuong": "phường",
    "xa": "xã",
    "thi tran": "thị trấn",
}
_DIGIT_RX = regex.compile(r"\d")
_NUMBERED_RX = regex.compile(r"(?<![\w.])(quan|q\.|phuong|p\.)\s?(\d{1,2})(?!\w)")
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]*"
_PREFIXED_RX = regex.compile(
    r"(?<!\w)((?i:tỉnh|thành phố|quận|huyện|thị xã|phường|xã|thị trấn|thôn|ấp|tp\.?))\s"
    rf"({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})(?!\w)"
)


def _prefix_ok(surface: str, folded: str) -> bool:
    canon = _PREFIX_WORDS.get(folded.rstrip(". "))
    if canon is None:  # an abbreviation: tp., q., h., p., tx., tt.
        return True
    if tone_key(surface) == tone_key(canon):
        return True
    return canon != "xã" and fold(surface) == surface.lower()  # "xa" without diacritics is "far"


class LocationRecognizer:
    """Vietnamese provinces, cities and districts, pre- and post-2025, with administrative prefixes."""

    name = "location"
    version = "v1"
    labels: tuple[str, ...] = ("LOCATION",)
    _KEYS = {
        "entries_file",
        "diacritic_insensitive",
        "include_former",
        "include_districts",
        "numbered",
        "prefixed_names",
    }

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = dict(config or {})
        check_keys(cfg, self._KEYS)
        path = str(cfg.get("entries_file", "gazetteers/vn_admin.yaml"))
        data = load_yaml(path)
        if not isinstance(data, Mapping) or not isinstance(data.get("provinces"), list):
            raise ValueError(f"entries_file: {path} has no 'provinces' list")
        pairs: list[tuple[str, GazEntry]] = []
        for i, p in enumerate(data["provinces"]):
            if p.get("status") not in ("current", "former"):
                raise ValueError(f"entries_file: {path} provinces[{i}].status must be current or former")
            if p["status"] == "former":
                if not cfg.get("include_former", True):
                    continue
                note = f"former {p.get('kind', 'province')}, merged into {p['merged_into']} on 2025-07-01"
            else:
                note = f"{p.get('kind', 'province')}, one of the 34 units since 2025-07-01"
            pairs.extend((s, e.replace_note(note)) for s, e in parse_entries([p], f"{path} provinces[{i}]"))
        if cfg.get("include_districts", True):
            for prov, items in (data.get("districts") or {}).items():
                for s, e in parse_entries(items, f"{path} districts.{prov}"):
                    pairs.append((s, e.replace_note(f"district or town in today's {prov}")))
        self._matcher = Matcher(pairs, diacritic_insensitive=bool(cfg.get("diacritic_insensitive", True)))
        self._numbered = bool(cfg.get("numbered", True))
        self._prefixed = bool(cfg.get("prefixed_names", True))

    def _prefix_start(self, text: str, folded: str, start: int) -> int | None:
        m = _PREFIX_RX.search(folded, max(0, start - 12), start)
        if m is None or not _prefix_ok(text[m.start(1) : m.end(1)], m.group(1)):
            return None
        return m.start(1)

    def _entity(self, start: int, end: int, text: str, value: str, score: float, why: str) -> Entity:
        return Entity(
            start=start,
            end=end,
            label="LOCATION",
            text=text[start:end],
            value=value,
            source=source_of(self),
            score=round(min(1.0, score), 4),
            explanation=why,
        )

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Gazetteer names (with their prefix), numbered districts/wards, and prefixed capitalised names."""
        del ctx
        folded = fold(text)
        out: list[Entity] = []
        for h in self._matcher.find(text, folded):
            pre = self._prefix_start(text, folded, h.start)
            if h.entry.needs == "prefix" and pre is None:
                continue
            if h.entry.needs == "capital" and pre is None and not capitalised(text[h.start : h.end]):
                continue
            score = (0.9 if h.exact else 0.85) + (0.05 if pre is not None else 0.0)
            why = ("gazetteer exact" if h.exact else "gazetteer without diacritics") + f"; {h.entry.note}"
            out.append(
                self._entity(h.start if pre is None else pre, h.end, text, h.entry.canonical, score, why)
            )
        if self._numbered and _DIGIT_RX.search(folded) is not None:
            for m in _NUMBERED_RX.finditer(folded):
                word, num = m.group(1), int(m.group(2))
                ward = word.startswith("p")
                if not (1 <= num <= (30 if ward else 12)) or not _prefix_ok(
                    text[m.start(1) : m.end(1)], word
                ):
                    continue
                if any(e.start < m.end() and m.start() < e.end for e in out):
                    continue
                value = f"{'Phường' if ward else 'Quận'} {num}"
                out.append(self._entity(m.start(), m.end(), text, value, 0.9, "numbered district/ward"))
        if self._prefixed:
            for m in _PREFIXED_RX.finditer(text):
                start, end = m.start(), m.end()
                blocking = [e.start for e in out if e.start < end and start < e.end]
                if blocking:
                    end = min(blocking)
                    if end <= m.start(2):
                        continue
                    end = len(text[:end].rstrip(" ,-"))
                    if end <= m.start(2):
                        continue
                value = text[m.start(2) : end]
                out.append(
                    self._entity(start, end, text, value, 0.65, "administrative prefix + capitalised name")
                )
        out.sort(key=lambda e: (e.start, -e.end))
        return out


RECOGNIZERS: dict[str, type] = {"location": LocationRecognizer, "gazetteer": GazetteerRecognizer}
