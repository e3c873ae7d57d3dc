"""Replacement mentions for :class:`vner.engine.augment.mention.MentionReplacer` from files.

A spec is either ``FILE.json`` holding ``{LABEL: [mention, ...]}`` or ``LABEL=FILE`` where FILE is a ``.txt``
(one mention a line, ``#`` starts a comment line) or one of the rules' gazetteer YAMLs (``rules/data/gazetteers/*.yaml``: lists of
strings or of entries with ``name``/``names``/``aliases``), so the rule stage's lexicons (provinces, symptoms,
banks...) can give phase 2 surface forms the small training set never showed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from ...rules.lang.vi.places import ADMIN_FILE, load_places


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        for key in ("name", "names", "aliases"):
            if key in node:
                yield from _strings(node[key])
        for key, value in node.items():
            if key in ("name", "names", "aliases", "acronyms"):
                continue
            if isinstance(value, list):
                yield from _strings(value)
            elif isinstance(value, dict):  # groups, e.g. vn_admin's ``districts: {province: [...]}``
                yield from _strings(value)


def read_mentions(path: str | Path) -> list[str]:
    """Distinct, whitespace-normalised mentions of a ``.txt`` or gazetteer ``.yaml``/``.json`` file."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"gazetteer file not found: {p}")
    if p.resolve() == ADMIN_FILE.resolve():
        # vn_admin.yaml only adds to the maintained place data (vietnam-provinces): read them merged
        return list(load_places().surfaces(wards=False))
    text = p.read_text(encoding="utf-8")
    if p.suffix == ".txt":
        items: Iterable[str] = (ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    elif p.suffix in (".yaml", ".yml", ".json"):
        data = yaml.safe_load(text)
        items = list(_strings(data))
    else:
        raise ValueError(f"{p}: a gazetteer is .txt, .yaml or .json")
    out = list(dict.fromkeys(" ".join(s.split()) for s in items if s and s.strip()))
    if not out:
        raise ValueError(f"{p}: no mentions found")
    return out


def load_gazetteer(specs: Sequence[str]) -> dict[str, list[str]]:
    """Merge ``FILE.json`` ({LABEL: [...]}) and ``LABEL=FILE`` specs into one ``{LABEL: [mention, ...]}``."""
    merged: dict[str, list[str]] = {}
    for spec in specs:
        if "=" in spec:
            label, _, path = spec.partition("=")
            if not label.strip():
                raise ValueError(f"gazetteer spec {spec!r}: expected LABEL=FILE")
            merged.setdefault(label.strip(), []).extend(read_mentions(path.strip()))
            continue
        if not Path(spec).is_file():
            raise ValueError(f"gazetteer file not found: {spec} (expected FILE.json or LABEL=FILE)")
        data = json.loads(Path(spec).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise ValueError(f"{spec}: expected JSON {{LABEL: [mention, ...]}} or a LABEL=FILE spec")
        for label, mentions in data.items():
            merged.setdefault(str(label), []).extend(str(m) for m in mentions)
    return {k: list(dict.fromkeys(v)) for k, v in merged.items()}
