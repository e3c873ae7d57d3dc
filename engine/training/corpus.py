"""NER corpora: one in-memory type (:class:`Doc`) and lossless readers/writers for three formats.

Formats:

* ``phoner`` — PhoNER_COVID19 JSON lines ``{"words": [...], "tags": [...]}``; at word level a word's
  syllables are joined by ``_`` (``bệnh_viện``), which becomes a space inside one token here.
* ``conll`` — ``token TAG`` per line, a blank line between sentences (``_`` joins syllables likewise).
* ``jsonl`` — ours: ``{"id", "text", "entities": [{"start", "end", "label"}]}`` with character offsets,
  plus an optional ``"tokens": [[start, end], ...]`` that keeps a conversion to tokens lossless.

A :class:`Doc` holds the text, entity spans over it and the token offsets. Converting a token format to
``jsonl`` and back gives the same words and tags (after BIO repair).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex

FORMATS: tuple[str, ...] = ("phoner", "conll", "jsonl")
_TOKEN_RE = regex.compile(r"\S+")


class DataFormatError(ValueError):
    """A corpus file is malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character span ``[start, end)`` of a :class:`Doc`'s text."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Doc:
    """One sentence or message with gold entity spans and token offsets."""

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    tokens: tuple[tuple[int, int], ...] = field(default=())

    def __post_init__(self) -> None:
        for s in self.spans:
            if not (0 <= s.start < s.end <= len(self.text)):
                raise DataFormatError(f"doc {self.id}: span {s} outside text of length {len(self.text)}")
        if not self.tokens:
            object.__setattr__(self, "tokens", tokenize(self.text, self.spans))

    @property
    def words(self) -> list[str]:
        return [self.text[a:b] for a, b in self.tokens]

    def entity_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.spans]


def tokenize(text: str, spans: Sequence[Span] = ()) -> tuple[tuple[int, int], ...]:
    """Whitespace tokens, further split at entity boundaries so every span covers whole tokens."""
    cuts = {p for s in spans for p in (s.start, s.end)}
    out: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        a, b = m.span()
        inner = sorted(c for c in cuts if a < c < b)
        for c in inner:
            out.append((a, c))
            a = c
        out.append((a, b))
    return tuple(out)


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Make a tag sequence valid BIO: an ``I-X`` not preceded by ``B-X``/``I-X`` becomes ``B-X``."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        if tag != "O" and not tag.startswith(("B-", "I-")):
            raise DataFormatError(f"not a BIO tag: {tag!r}")
        out.append(tag)
        prev = tag
    return out


def tags_to_spans(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[Span]:
    """Character spans from token offsets and (repaired) BIO tags."""
    if len(tokens) != len(tags):
        raise DataFormatError(f"{len(tokens)} tokens but {len(tags)} tags")
    spans: list[Span] = []
    cur: list[int] | None = None
    label = ""
    for (a, b), tag in zip(tokens, repair_bio(tags), strict=True):
        if tag.startswith("I-") and cur is not None:
            cur[1] = b
            continue
        if cur is not None:
            spans.append(Span(cur[0], cur[1], label))
            cur = None
        if tag.startswith("B-"):
            cur, label = [a, b], tag[2:]
    if cur is not None:
        spans.append(Span(cur[0], cur[1], label))
    return spans


def doc_tags(doc: Doc) -> list[str]:
    """BIO tags of a doc's tokens (a token overlapping a span gets its label)."""
    tags = ["O"] * len(doc.tokens)
    for s in sorted(doc.spans, key=lambda x: (x.start, x.end)):
        first = True
        for i, (a, b) in enumerate(doc.tokens):
            if a < s.end and s.start < b and tags[i] == "O":
                tags[i] = ("B-" if first else "I-") + s.label
                first = False
    return tags


def from_words(words: Sequence[str], tags: Sequence[str], *, doc_id: str = "") -> Doc:
    """A doc from tokens (``_`` inside a word joins syllables) and their BIO tags."""
    parts: list[str] = []
    tokens: list[tuple[int, int]] = []
    pos = 0
    for w in words:
        w = w.replace("_", " ") if len(w) > 1 else w
        if not w or w != w.strip() or "\n" in w:
            raise DataFormatError(f"doc {doc_id}: bad token {w!r}")
        if parts:
            pos += 1
        tokens.append((pos, pos + len(w)))
        parts.append(w)
        pos += len(w)
    text = " ".join(parts)
    return Doc(doc_id, text, tuple(tags_to_spans(tokens, tags)), tuple(tokens))


def to_words(doc: Doc, *, segmented: bool = False) -> list[str]:
    """Token strings; with ``segmented`` the spaces inside a token become ``_`` (PhoNER word level)."""
    return [w.replace(" ", "_") for w in doc.words] if segmented else doc.words


def is_segmented(docs: Iterable[Doc]) -> bool:
    """True when some token holds a space (word-level data)."""
    return any(" " in w for d in docs for w in d.words)


# ---------------------------------------------------------------- readers
def _read_phoner(path: Path) -> Iterator[Doc]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                yield from_words(rec["words"], rec["tags"], doc_id=str(rec.get("id", n)))
            except (json.JSONDecodeError, KeyError, DataFormatError) as exc:
                raise DataFormatError(f"{path}:{n}: {exc}") from exc


def _read_conll(path: Path) -> Iterator[Doc]:
    words: list[str] = []
    tags: list[str] = []
    count = 0
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    count += 1
                    yield from_words(words, tags, doc_id=str(count))
                    words, tags = [], []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise DataFormatError(f"{path}:{n}: expected 'token TAG', got {line!r}")
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        yield from_words(words, tags, doc_id=str(count + 1))


def _read_jsonl(path: Path) -> Iterator[Doc]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                spans = tuple(Span(int(e["start"]), int(e["end"]), str(e["label"])) for e in rec["entities"])
                toks = tuple((int(a), int(b)) for a, b in rec.get("tokens") or ())
                yield Doc(str(rec.get("id", n)), rec["text"], spans, toks)
            except (json.JSONDecodeError, KeyError, TypeError, DataFormatError) as exc:
                raise DataFormatError(f"{path}:{n}: {exc}") from exc


def detect_format(path: str | Path) -> str:
    """Guess a corpus format from the extension and the first non-empty line."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"corpus file not found: {p}")
    with p.open(encoding="utf-8") as fh:
        first = next((ln for ln in fh if ln.strip()), "")
    s = first.strip()
    if s.startswith("{"):
        try:
            rec = json.loads(s)
        except json.JSONDecodeError as exc:
            raise DataFormatError(f"{p}:1: looks like JSON but is not: {exc}") from exc
        if "words" in rec and "tags" in rec:
            return "phoner"
        if "text" in rec and "entities" in rec:
            return "jsonl"
        raise DataFormatError(f"{p}: JSON lines without words/tags or text/entities keys")
    if len(s.split()) >= 2:
        return "conll"
    raise DataFormatError(f"{p}: cannot detect the format; pass --format ({', '.join(FORMATS)})")


def read_docs(path: str | Path, fmt: str | None = None, *, limit: int | None = None) -> list[Doc]:
    """Read a corpus in any supported format (auto-detected when ``fmt`` is None)."""
    p = Path(path)
    fmt = fmt or detect_format(p)
    readers = {"phoner": _read_phoner, "conll": _read_conll, "jsonl": _read_jsonl}
    if fmt not in readers:
        raise DataFormatError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    out: list[Doc] = []
    for doc in readers[fmt](p):
        if limit is not None and len(out) >= limit:
            break
        out.append(doc)
    return out


# ---------------------------------------------------------------- writers
def write_docs(docs: Iterable[Doc], path: str | Path, fmt: str, *, segmented: bool | None = None) -> int:
    """Write docs in ``fmt``; token formats join a multi-syllable token with ``_``. Returns the count."""
    docs = list(docs)
    if fmt not in FORMATS:
        raise DataFormatError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    seg = is_segmented(docs) if segmented is None else segmented
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8") as fh:
        for doc in docs:
            if fmt == "phoner":
                rec = {"words": to_words(doc, segmented=seg), "tags": doc_tags(doc)}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            elif fmt == "conll":
                for w, t in zip(to_words(doc, segmented=seg), doc_tags(doc), strict=True):
                    fh.write(f"{w} {t}\n")
                fh.write("\n")
            else:
                ents = [{"start": s.start, "end": s.end, "label": s.label} for s in doc.spans]
                jrec = {
                    "id": doc.id,
                    "text": doc.text,
                    "entities": ents,
                    "tokens": [list(t) for t in doc.tokens],
                }
                fh.write(json.dumps(jrec, ensure_ascii=False) + "\n")
    return len(docs)


def convert(src: str | Path, dst: str | Path, *, src_fmt: str | None, dst_fmt: str) -> int:
    """Convert a corpus file between formats; returns the number of docs written."""
    docs = read_docs(src, src_fmt)
    return write_docs(docs, dst, dst_fmt)


# ---------------------------------------------------------------- label groups
def group_map(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Invert ``{GROUP: [FINE, ...]}`` into ``{FINE: GROUP}``; a fine label in two groups is an error."""
    out: dict[str, str] = {}
    for g, fines in groups.items():
        for f in fines:
            if f in out and out[f] != g:
                raise ValueError(f"label {f!r} is in two groups: {out[f]!r} and {g!r}")
            out[f] = g
    return out


def apply_groups(
    docs: Iterable[Doc], groups: Mapping[str, Sequence[str]], *, drop_unmapped: bool = False
) -> list[Doc]:
    """Rename fine labels to their group; labels in no group are kept (or dropped)."""
    fine_to_group = group_map(groups)
    out = []
    for d in docs:
        spans = []
        for s in d.spans:
            if s.label in fine_to_group:
                spans.append(replace(s, label=fine_to_group[s.label]))
            elif not drop_unmapped:
                spans.append(s)
        out.append(replace(d, spans=tuple(spans)))
    return out


def sample_fraction(docs: Sequence[Doc], fraction: float, seed: int) -> list[Doc]:
    """A seeded random ``fraction`` of ``docs`` (at least one): the same seed always draws the same subset."""
    import random

    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    return random.Random(seed).sample(list(docs), max(1, round(len(docs) * fraction)))


def label_set(docs: Iterable[Doc]) -> list[str]:
    """BIO tag list (``O`` first, then B-/I- per label, sorted) for a corpus."""
    labels = sorted({s.label for d in docs for s in d.spans})
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]
