"""The dependency rule: vner (shell) -> vner.streams -> vner.engine -> vner.rules, never upward (shared STYLE.md).

Inside the engine, what production runs (``runtime``: the model runtime, ``pipeline``: merge and
post-processing) never imports the tooling that builds it (training, evaluation, augmentation, annotation,
synthetic data), so the stream's cache fingerprint can cover the runtime alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHELL = ("vner.cli", "vner.commands", "vner.settings")
TOOLING = (
    "vner.engine.training",
    "vner.engine.evaluation",
    "vner.engine.augment",
    "vner.engine.annotate",
    "vner.engine.synth",
)
# folder -> import prefixes its modules must not use
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "rules": (
        "vner.engine",
        "vner.streams",
        *SHELL,
        "onnxruntime",
        "torch",
        "transformers",
        "confluent_kafka",
        "faust",
        "redis",
    ),
    "engine": ("vner.streams", *SHELL, "confluent_kafka", "faust", "redis"),
    "engine/runtime": ("vner.streams", *SHELL, *TOOLING, "vner.engine.pipeline"),
    "engine/pipeline": ("vner.streams", *SHELL, *TOOLING),
    "streams": (*SHELL, "torch", *TOOLING),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _violations(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in _imports(path) for bad in forbidden if name == bad or name.startswith(bad + ".")
    )


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_upward_imports(folder: str) -> None:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert len(files) >= 3, f"{folder}/ has too few modules: the layout changed, update this test"
    bad = [
        f"{f.relative_to(ROOT)} imports {name}" for f in files for name in _violations(f, FORBIDDEN[folder])
    ]
    assert not bad, "dependency rule broken:\n" + "\n".join(bad)


def test_no_generic_top_level_imports() -> None:
    """Nothing imports the old top-level names: the wheel installs only ``vner``."""
    folders = ["rules", "engine", "streams", "vner", "tests", "benchmarks", "deploy"]
    files = [f for d in folders for f in sorted((ROOT / d).rglob("*.py"))]
    assert len(files) > 100
    old = ("rules", "engine", "streams")
    bad = [
        f"{f.relative_to(ROOT)} imports {name}"
        for f in files
        for name in _imports(f)
        if name.split(".")[0] in old
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "folder", "caught"),
    [
        ("from vner.engine.pipeline.hybrid import Pipeline\n", "rules", True),
        ("import vner.streams.runner\n", "engine", True),
        ("from vner.engine.training import export\n", "engine/runtime", True),
        ("from vner.engine.training.export import export\n", "streams", True),
        ("from vner.engine.runtime.tagger import OnnxTagger\n", "engine/pipeline", False),
        ("from vner.rules.entity import Entity\n", "engine/runtime", False),
    ],
)
def test_checker(tmp_path: Path, source: str, folder: str, caught: bool) -> None:
    f = tmp_path / "x.py"
    f.write_text("import os\n" + source)
    assert bool(_violations(f, FORBIDDEN[folder])) is caught
