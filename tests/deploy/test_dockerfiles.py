"""The container images' Dockerfiles: linted by the real hadolint, and their commands run for real.

The images are built and run by tests/deploy/test_image.py (deploy/image.sh, podman); here, without an engine,
each Dockerfile's final stage is parsed and checked (non-root user, read-only-root-FS friendly, healthcheck on /healthz, multi-stage), its ENTRYPOINT/CMD
is run in this venv (the one the image would build), and its HEALTHCHECK command is run against the
stream processor's real metrics server.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomllib

from tests.deploy.conftest import REPO, find_tool

DOCKERFILES = {"cpu": REPO / "deploy" / "Dockerfile.cpu", "gpu": REPO / "deploy" / "Dockerfile.gpu"}


@dataclass
class Stage:
    """One ``FROM`` stage: its base, name and instructions as (KEYWORD, argument text)."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [a for k, a in self.instructions if k == keyword]


def parse(path: Path) -> list[Stage]:
    """Split a Dockerfile into stages (continuation lines joined, comments and parser directives dropped)."""
    logical: list[str] = []
    buf = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        elif stages:
            stages[-1].instructions.append((keyword, rest.strip()))
    return stages


def exec_form(text: str) -> list[str]:
    """A JSON-array (exec form) argument; shell form is refused (signals would not reach ``vner``)."""
    value = json.loads(text)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), text
    return value


def env_of(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for arg in stage.args("ENV"):
        for word in shlex.split(arg):
            key, _, value = word.partition("=")
            env[key] = value
    return env


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_hadolint_clean(variant: str) -> None:
    hadolint = find_tool("hadolint")
    path = DOCKERFILES[variant]
    proc = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "style", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    findings = json.loads(proc.stdout or "[]")
    assert proc.returncode == 0 and findings == [], f"hadolint {path.name}: {findings or proc.stderr}"


def test_hadolint_finds_real_problems(tmp_path: Path) -> None:
    """The linter really runs: a Dockerfile with known mistakes is reported rule by rule."""
    bad = tmp_path / "Dockerfile"
    bad.write_text(
        "FROM python:latest\nRUN apt-get update && apt-get install -y curl\nRUN cd /tmp && pip install x\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [find_tool("hadolint"), "--no-color", "--format", "json", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    codes = {f["code"] for f in json.loads(proc.stdout)}
    assert proc.returncode != 0
    assert {"DL3007", "DL3003", "DL3008"} <= codes, codes


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_final_stage_is_non_root_and_read_only_friendly(variant: str) -> None:
    stages = parse(DOCKERFILES[variant])
    assert len(stages) >= 3, "multi-stage: build, model, runtime"
    final = stages[-1]
    assert final.args("USER"), "the final stage must switch user"
    user = final.args("USER")[-1].split(":")[0]
    assert user not in ("root", "0") and (not user.isdigit() or int(user) >= 1000)
    env = env_of(final)
    assert env["HOME"] == "/home/vner" and env["TMPDIR"] == "/tmp"
    assert env["XDG_CACHE_HOME"].startswith(env["HOME"])
    assert env["PYTHONDONTWRITEBYTECODE"] == "1", "no .pyc writes on a read-only root FS"
    volumes = {v for arg in final.args("VOLUME") for v in exec_form(arg)}
    assert {"/tmp", env["XDG_CACHE_HOME"]} <= volumes
    assert final.args("EXPOSE") == [env["VNER_METRICS_PORT"]]
    # the build stage's tools never reach the runtime image: only the venv and the model are copied in
    copies = final.args("COPY")
    assert copies and all(c.startswith("--from=") for c in copies), copies


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_runtime_flavour(variant: str) -> None:
    stages = parse(DOCKERFILES[variant])
    text = DOCKERFILES[variant].read_text(encoding="utf-8")
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in re.findall(r"^ARG (\S+=\S+)", text, re.M)}
    bases = [args.get(s.base.strip("${}"), s.base) for s in stages]
    if variant == "gpu":
        assert "cuda" in bases[0] and "cudnn" in bases[0] and "runtime" in bases[0], bases[0]
        assert "pip uninstall -y onnxruntime" in text
        assert '"onnxruntime-gpu==${ORT_GPU_VERSION}"' in text
        # without system CUDA (a plain Debian base) the runtime libraries come from PyPI, found by the loader
        assert '"onnxruntime-gpu[cuda,cudnn]==${ORT_GPU_VERSION}"' in text
        ld_path = env_of(stages[-1])["LD_LIBRARY_PATH"].split(":")
        assert {f"/opt/vner/nvidia/{lib}/lib" for lib in ("cublas", "cudnn", "cuda_runtime")} <= set(ld_path)
        major, minor = (int(x) for x in args["ORT_GPU_VERSION"].split(".")[:2])
        # PyPI onnxruntime-gpu 1.19-1.22 are CUDA 12 + cuDNN 9 builds: the base image must match
        assert (major, minor) >= (1, 19) and ((major, minor) > (1, 22) or ":12." in bases[0]), bases[0]
    else:
        assert bases[0].startswith("python:") and "slim" in bases[0]
        assert "onnxruntime-gpu" not in text
    # both bases: a Debian-packaged python has `python3` only
    assert not re.search(r"(^|[\s\"])python(\s|\")", text.replace("python3", "")), "call python3, not python"


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_build_inputs_exist(variant: str) -> None:
    """Every COPY source from the build context exists and is not excluded by .dockerignore."""
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    extras = set(
        tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "optional-dependencies"
        ]
    )
    for stage in parse(DOCKERFILES[variant]):
        for arg in stage.args("COPY"):
            if arg.startswith("--from=") or "${" in arg:
                continue
            for src in arg.split()[:-1]:
                assert (REPO / src).exists(), f"COPY source {src} is missing"
                assert src.rstrip("/") not in ignored, f"COPY source {src} is in .dockerignore"
        for arg in stage.args("RUN"):
            for wanted in re.findall(r'pip install [^"]*"\.\[([a-z,]+)\]"', arg):
                assert set(wanted.split(",")) <= extras, f"unknown extras {wanted}"


def _venv_command(argv: list[str]) -> list[str]:
    """The image's command as it runs in this venv (``vner`` is the venv's console script)."""
    exe = Path(sys.executable).parent / argv[0]
    assert exe.is_file(), f"{argv[0]} is not installed in this venv (pip install -e .)"
    return [str(exe), *argv[1:]]


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_entrypoint_and_cmd_run(variant: str) -> None:
    final = parse(DOCKERFILES[variant])[-1]
    entrypoint = exec_form(final.args("ENTRYPOINT")[-1])
    cmd = exec_form(final.args("CMD")[-1])
    assert entrypoint == ["vner", "run"]
    for argv in (entrypoint + ["--help"], entrypoint + cmd + ["--help"], ["vner", "--help"]):
        proc = subprocess.run(_venv_command(argv), capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{argv}: rc {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        assert "Usage" in proc.stdout
    run_help = subprocess.run(_venv_command(entrypoint + ["--help"]), capture_output=True, text=True)
    assert "--engine" in run_help.stdout


@pytest.mark.parametrize("variant", list(DOCKERFILES))
def test_healthcheck_probes_the_real_metrics_server(variant: str) -> None:
    from vner.streams.metrics import MetricsServer, StreamMetrics

    final = parse(DOCKERFILES[variant])[-1]
    hc = final.args("HEALTHCHECK")[-1]
    assert "--interval=" in hc and "--start-period=" in hc
    argv = exec_form(hc.split(" CMD ", 1)[1])
    assert any("/healthz" in a for a in argv)
    argv = [sys.executable, *argv[1:]] if argv[0] in ("python", "python3") else argv

    metrics = StreamMetrics(stale_after_s=1.0)
    server = MetricsServer(metrics, host="127.0.0.1", port=0).start()
    env = {**os.environ, "VNER_METRICS_PORT": str(server.port)}
    try:
        metrics.tick()
        healthy = subprocess.run(argv, env=env, capture_output=True, timeout=30)
        assert healthy.returncode == 0, healthy.stderr
        time.sleep(1.2)  # the main loop stopped ticking: /healthz answers 503
        stalled = subprocess.run(argv, env=env, capture_output=True, timeout=30)
        assert stalled.returncode != 0
    finally:
        server.stop()
    gone = subprocess.run(argv, env=env, capture_output=True, timeout=30)
    assert gone.returncode != 0
