"""deploy/ci/install_tools.sh is idempotent: with the tools cached, a second run builds nothing and reports them."""

from __future__ import annotations

import os
import re
import subprocess

from tests.deploy.conftest import REPO, TOOLS_DIR, find_tool


def test_second_run_uses_the_cache() -> None:
    find_tool("helm")  # skip (or fail in CI) when the first run never happened
    stamp = TOOLS_DIR / ".helm.version"
    before = (TOOLS_DIR / "helm").stat().st_mtime
    proc = subprocess.run(
        ["bash", str(REPO / "deploy" / "ci" / "install_tools.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "VNER_TOOLS_DIR": str(TOOLS_DIR)},
    )
    assert proc.returncode == 0, proc.stderr
    pinned = re.search(
        r'HELM_VERSION="\$\{HELM_VERSION:-(v[0-9.]+)\}"', (REPO / "deploy/ci/install_tools.sh").read_text()
    )
    assert pinned
    assert f"helm: cached (helm.sh/helm/v3/cmd/helm@{pinned.group(1)})" in proc.stderr
    assert stamp.read_text().strip().endswith(pinned.group(1))
    assert (TOOLS_DIR / "helm").stat().st_mtime == before, "a cached helm must not be rebuilt"
    assert pinned.group(1).rsplit(".", 1)[0] in proc.stdout  # `helm version --short` -> v3.22
    assert "Haskell Dockerfile Linter" in proc.stdout
