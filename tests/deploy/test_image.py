"""deploy/image.sh: the worker images built and run for real (podman, or docker with a daemon).

The integration test runs ``deploy/image.sh smoke cpu``: build the CPU image (cached layers reused), run it as
uid 10001 with a read-only root filesystem against the local Kafka and Redis, push sample messages through it
and read the enriched records back. ``.ci/run`` installs podman (deploy/ci/install_podman.sh), so under
``CI=true`` a missing engine fails the test instead of skipping it. The GPU smoke is manual (see deploy/README.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.deploy.conftest import REPO

IMAGE_SH = REPO / "deploy" / "image.sh"


def _engine() -> str | None:
    if shutil.which("podman"):
        return "podman"
    if shutil.which("docker") and subprocess.run(["docker", "info"], capture_output=True).returncode == 0:
        return "docker"
    return None


@pytest.mark.parametrize("script", ["deploy/image.sh", "deploy/ci/install_podman.sh"])
def test_scripts_parse(script: str) -> None:
    proc = subprocess.run(["bash", "-n", str(REPO / script)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("variant", ["cpu", "gpu"])
def test_tag_is_the_helm_charts_default_image(variant: str) -> None:
    """What image.sh builds is what the chart deploys by default: <repository>:<appVersion>-<variant>."""
    tag = subprocess.run(
        ["bash", str(IMAGE_SH), "tag", variant], capture_output=True, text=True, check=True
    ).stdout.strip()
    chart = yaml.safe_load((REPO / "helm" / "vner" / "Chart.yaml").read_text(encoding="utf-8"))
    values = yaml.safe_load((REPO / "helm" / "vner" / "values.yaml").read_text(encoding="utf-8"))
    assert not values["image"]["tag"], "an explicit tag would override the <appVersion>-<variant> default"
    assert tag == f"{values['image']['repository']}:{chart['appVersion']}-{variant}"


def test_ci_installs_podman() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "deploy/ci/install_podman.sh" in run
    assert run.rstrip().splitlines()[-1] == "exec bash deploy/local/test.sh"


@pytest.mark.integration
@pytest.mark.timeout(1800)
def test_smoke_cpu_image() -> None:
    """Build the CPU image and run it against the real broker: records come back, it stops cleanly on SIGTERM."""
    if _engine() is None:
        msg = "no container engine (podman, or docker with a daemon): bash deploy/ci/install_podman.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    proc = subprocess.run(
        ["bash", str(IMAGE_SH), "smoke", "cpu"], cwd=REPO, capture_output=True, text=True, timeout=1700
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"image.sh smoke cpu exited {proc.returncode}:\n{out[-6000:]}"
    last = proc.stdout.strip().splitlines()[-1]
    m = re.match(r"smoke cpu OK: (\d+) enriched records .* image vner:\S+-cpu (\d+) MB$", last)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, last
