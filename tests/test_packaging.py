"""The wheel installs exactly one top-level import package, ``vner``, with every sub-package and its data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"vner": "vner", "rules": "vner.rules", "engine": "vner.engine", "streams": "vner.streams"}


def _setuptools() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_package_list_names_every_folder_with_an_init() -> None:
    on_disk = set()
    for folder, name in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).as_posix()
            on_disk.add(name if rel == "." else f"{name}.{rel.replace('/', '.')}")
    assert "vner.engine.runtime" in on_disk and "vner.rules.recognizers.temporal" in on_disk
    assert set(_setuptools()["packages"]) == on_disk  # type: ignore[arg-type]


def test_package_dir_maps_the_top_level_folders_into_vner() -> None:
    assert _setuptools()["package-dir"] == {
        "vner": "vner",
        "vner.rules": "rules",
        "vner.engine": "engine",
        "vner.streams": "streams",
    }


@pytest.mark.slow
def test_wheel_has_one_top_level_package_and_its_data(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("vner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"vner"}
    for expected in (
        "vner/rules/entity.py",
        "vner/rules/recognizers/temporal/recognizer.py",
        "vner/rules/data/domains/customer_service.yaml",
        "vner/rules/data/gazetteers/vn_admin.yaml",
        "vner/engine/runtime/tagger.py",
        "vner/engine/augment/data/jobs_vi.txt",
        "vner/streams/data/sample_messages.jsonl",
        "vner/commands/tag.py",
    ):
        assert expected in names, expected
