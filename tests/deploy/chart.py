"""Helpers for the Helm chart tests: run the real helm binary, render ``helm/vner`` and pick objects out."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import REPO, find_tool

CHART = REPO / "helm" / "vner"
VALUES = {"default": None, "gpu": CHART / "ci" / "gpu-values.yaml", "keda": CHART / "ci" / "keda-values.yaml"}
KUBE_VERSIONS = ("1.25.0", "1.37.0")  # Chart.yaml kubeVersion >=1.25; the newest bundled schemas
CRD_KINDS = {"ScaledObject", "ServiceMonitor", "PrometheusRule"}
SECRET_KEY = re.compile(r"(PASSWORD|PASSWD|SECRET|CREDENTIAL|USERNAME)|_(TOKEN|API_KEY)$")

Manifest = dict[str, Any]


def helm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real helm binary; on failure (when checked) show its stderr."""
    proc = subprocess.run([find_tool("helm"), *args], capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        pytest.fail(f"helm {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return proc


@cache
def render(
    values: str | None = None, sets: tuple[str, ...] = (), kube: str = "1.31.0"
) -> tuple[Manifest, ...]:
    """``helm template`` output as parsed objects (cached per argument set)."""
    args = ["template", "r1", str(CHART), "--kube-version", kube]
    if values:
        args += ["-f", values]
    for s in sets:
        args += ["--set", s]
    docs = yaml.safe_load_all(helm(*args).stdout)
    return tuple(d for d in docs if d)


def render_fails(*sets: str, values: str | None = None) -> str:
    """stderr of a ``helm template`` that must fail."""
    args = ["template", "r1", str(CHART), "--kube-version", "1.31.0"]
    if values:
        args += ["-f", values]
    for s in sets:
        args += ["--set", s]
    proc = helm(*args, check=False)
    assert proc.returncode != 0, f"helm template {sets} should have failed but rendered"
    return proc.stderr


def one(docs: tuple[Manifest, ...], kind: str, name: str | None = None) -> Manifest:
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, got {len(found)}"
    return found[0]


def worker(docs: tuple[Manifest, ...]) -> Manifest:
    return one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]


def settings(docs: tuple[Manifest, ...]) -> dict[str, str]:
    return one(docs, "ConfigMap", "r1-vner")["data"]


@cache
def secret_settings() -> frozenset[str]:
    """VNER_* names of the StreamSettings fields that hold secrets (SecretStr) or a user name."""
    from pydantic import SecretStr
    from vner.streams.settings import StreamSettings

    names = {n for n, f in StreamSettings.model_fields.items() if "SecretStr" in str(f.annotation)}
    assert names, f"expected SecretStr fields in StreamSettings (is {SecretStr} still used?)"
    return frozenset(f"VNER_{n.upper()}" for n in names | {"sasl_username"})


def vals(name: str) -> str | None:
    path = VALUES[name]
    return str(path) if path else None
