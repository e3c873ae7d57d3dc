"""The dependency rule: vner -> streams -> engine -> rules, never upward (see shared STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "rules": {
        "engine",
        "streams",
        "vner",
        "onnxruntime",
        "torch",
        "transformers",
        "confluent_kafka",
        "faust",
        "redis",
    },
    "engine": {"streams", "vner", "confluent_kafka", "faust", "redis"},
    "streams": {"vner", "torch"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_upward_imports(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    bad = [
        f"{f.relative_to(ROOT)} imports {name}" for f in files for name in _imports(f) & FORBIDDEN[package]
    ]
    assert not bad, "dependency rule broken:\n" + "\n".join(bad)


def test_checker_catches_a_violation(tmp_path: Path) -> None:
    f = tmp_path / "x.py"
    f.write_text("import os\nfrom engine.pipeline import Pipeline\n")
    assert "engine" in _imports(f) & FORBIDDEN["rules"]
