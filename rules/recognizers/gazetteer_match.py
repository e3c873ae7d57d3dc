"""The matching core of the gazetteer recognizers: tone keys and an Aho-Corasick matcher.

Recognizers match with one Aho-Corasick automaton (pyahocorasick) over a case- and diacritic-folded copy of the text,
on word boundaries, leftmost-longest. A hit whose surface carries diacritics must carry the *right* ones
(tone placement "Hòa"/"Hoà" is ignored), so "cá màu" is not "Cà Mau"; a surface typed without any diacritics
("ha noi") is accepted when the option ``diacritic_insensitive`` is on. The value is the canonical name.
Folding is :func:`vner.rules.lang.vi.diacritics.fold` (re-exported here).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from ..lang.vi.diacritics import fold

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_WORD_RX = re.compile(r"\w+(?:['’]\w+)?")  # a word of a name ("B'Lao"); separators between words are free
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@lru_cache(maxsize=4096)  # pure; the same place names come back message after message
def tone_key(text: str) -> str:
    """Lower-case form that ignores where the tone mark sits ("hoà" == "hòa") but keeps which tone it is."""
    words = []
    for word in unicodedata.normalize("NFD", text.lower()).replace("–", "-").split():
        tones = "".join(sorted(c for c in word if c in _TONES))
        bare = "".join(c for c in word if c not in _TONES)
        words.append(unicodedata.normalize("NFC", bare) + tones)
    return " ".join(words)


def _plain(text: str) -> bool:
    return fold(text) == text.lower()


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One named thing: its canonical name, when it may match (``needs``) and a note for the explanation."""

    canonical: str
    needs: str = ""  # "", "capital" or "prefix"
    note: str = ""

    def replace_note(self, note: str) -> GazEntry:
        return GazEntry(canonical=self.canonical, needs=self.needs, note=note)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: GazEntry
    exact: bool


_CLAUSE_END = re.compile(r"[,.;:!?()\n]")


class Matcher:
    """Aho-Corasick over folded surfaces; each folded key keeps the exact (tone-keyed) spellings it came from."""

    def __init__(
        self, surfaces: Iterable[tuple[str, GazEntry]], *, diacritic_insensitive: bool = True
    ) -> None:
        self._auto = ahocorasick.Automaton()
        keys: dict[str, list[tuple[str, GazEntry]]] = {}
        quick_forms: dict[str, list[tuple[str, GazEntry]]] = {}
        for surface, entry in surfaces:
            surface = " ".join(unicodedata.normalize("NFC", surface).split())
            if not surface:
                raise ValueError(f"empty surface for {entry.canonical!r}")
            keys.setdefault(fold(surface), []).append((tone_key(surface), entry))
            quick_forms.setdefault(fold(surface), []).append((surface.lower(), entry))
        for key, forms in keys.items():
            # the lower-cased spellings as listed, for a quick exact check before the tone-key comparison
            lowered: dict[str, GazEntry] = {}
            for low, e in quick_forms[key]:
                lowered.setdefault(low, e)
            self._auto.add_word(key, (len(key), tuple(forms), lowered))
        self.size = len(keys)
        if keys:
            self._auto.make_automaton()
        self._insensitive = diacritic_insensitive

    def _check(
        self,
        text: str,
        start: int,
        end: int,
        forms: tuple[tuple[str, GazEntry], ...],
        lowered: dict[str, GazEntry],
    ) -> Hit | None:
        """A hit when ``text[start:end]`` carries a listed spelling's diacritics (or none, if allowed)."""
        surface = text[start:end]
        quick = lowered.get(surface.lower())
        if quick is not None:
            return Hit(start, end, quick, True)
        key = tone_key(surface)
        exact = [e for k, e in forms if k == key]
        if exact:
            return Hit(start, end, exact[0], True)
        if self._insensitive and _plain(surface) and (" " in surface or len(surface) > 4):
            return Hit(start, end, forms[0][1], False)
        return None

    def match_at(self, text: str, folded: str, start: int, max_words: int = 6) -> Hit | None:
        """The longest listed name that starts at ``start`` and ends on a word boundary (up to ``max_words``)."""
        if not self.size:
            return None
        # the first ``max_words`` word ends only: a long message is not scanned to its end at every call
        ends = [m.end() for m in islice(_WORD_RX.finditer(folded, start), max_words)]
        for end in reversed(ends):
            value = self._auto.get(folded[start:end], None)
            if value is not None:
                hit = self._check(text, start, end, value[1], value[2])
                if hit is not None:
                    return hit
        return None

    def find(self, text: str, folded: str) -> list[Hit]:
        """Leftmost-longest, non-overlapping hits on word boundaries, checked against the original surface."""
        if not self.size:
            return []
        cands: list[Hit] = []
        n = len(text)
        for end_idx, (length, forms, lowered) in self._auto.iter(folded):
            start, end = end_idx - length + 1, end_idx + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            hit = self._check(text, start, end, forms, lowered)
            if hit is not None:
                cands.append(hit)
        cands.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Hit] = []
        last_end = -1
        for h in cands:
            if h.start >= last_end and not (len(cands) > 1 and _yields(h, cands, folded)):
                out.append(h)
                last_end = h.end
        return out


def _yields(h: Hit, cands: list[Hit], folded: str) -> bool:
    """Whether ``h``, read without diacritics, gives way to a name that starts inside it and runs on to touch the
    next name or the clause's end: "thai ha dong da hn" is Thái Hà, Đống Đa, HN, not "Hà Đông" with "da" left
    over before "hn"."""
    if h.exact:
        return False
    for r in cands:
        if not h.start < r.start < h.end < r.end:
            continue
        nxt = next((n.start for n in cands if n.start >= r.end), len(folded))
        stop = _CLAUSE_END.search(folded, r.end, nxt)
        edge = stop.start() if stop is not None else nxt
        if not folded[r.end : edge].strip(" -") and any(c.isalpha() for c in folded[h.end : edge]):
            return True
    return False


def load_yaml(path: str | Path) -> Any:
    p = Path(path)
    if not p.is_absolute():
        p = DATA_DIR / p
    if not p.is_file():
        raise ValueError(f"entries_file: no such file {p}")
    with p.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def check_keys(cfg: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(cfg) - known)
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(known))})")


def parse_entries(raw: Any, where: str) -> list[tuple[str, GazEntry]]:
    """Parse ``[name | {name, aliases, needs, note}]`` into (surface, entry) pairs."""
    if not isinstance(raw, list):
        raise ValueError(f"{where}: must be a list of names or {{name, aliases}} mappings")
    out: list[tuple[str, GazEntry]] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ValueError(f"{where}[{i}]: needs a 'name' string")
        needs = str(item.get("needs", ""))
        if needs not in ("", "capital", "prefix"):
            raise ValueError(f"{where}[{i}].needs: must be 'capital' or 'prefix', got {needs!r}")
        entry = GazEntry(canonical=item["name"], needs=needs, note=str(item.get("note", "")))
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"{where}[{i}].aliases: must be a list of strings")
        out.extend((s, entry) for s in (item["name"], *aliases))
    return out


def as_score(raw: Any, key: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 < float(raw) <= 1:
        raise ValueError(f"{key}: must be a number in (0, 1], got {raw!r}")
    return float(raw)


def capitalised(surface: str) -> bool:
    return all(w[:1].isupper() for w in surface.replace("-", " ").split())
