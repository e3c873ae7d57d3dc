"""Shared helpers for the deploy/helm tests: find the real tools (helm, hadolint) or explain their absence.

The tools come from ``deploy/ci/install_tools.sh`` (cached in ``~/.cache/vner/bin``). Outside CI a missing
tool skips the test with the install command; with ``CI=true`` it fails, because CI must run these tests.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS_DIR = Path(os.environ.get("VNER_TOOLS_DIR", Path.home() / ".cache" / "vner" / "bin"))
INSTALL_HINT = "bash deploy/ci/install_tools.sh"


def find_tool(name: str) -> str:
    """Path of ``name`` (PATH, the tools cache, or the venv's bin), else skip/fail with the install hint."""
    venv_bin = Path(sys.executable).parent
    for candidate in (shutil.which(name), TOOLS_DIR / name, venv_bin / name):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    msg = f"{name} not found on PATH, in {TOOLS_DIR} or {venv_bin}; install it with: {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


def kubernetes_validate() -> ModuleType:
    """The kubernetes-validate package (bundled Kubernetes schemas), else skip/fail like :func:`find_tool`."""
    try:
        import kubernetes_validate as kv
    except ImportError:
        msg = f"kubernetes-validate is not installed; install it with: {INSTALL_HINT} (or pip install -e .[dev])"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return kv
