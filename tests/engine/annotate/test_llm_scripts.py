"""deploy/local/llm_server.sh and llm_loop.sh without building llama.cpp: the build flags are read from a fake
pip, the smoke test and the endpoint check run against a scripted local server (issue 25)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.engine.annotate.conftest import ScriptedServer, free_port

ROOT = Path(__file__).resolve().parents[3]
SERVER_SH = ROOT / "deploy" / "local" / "llm_server.sh"
LOOP_SH = ROOT / "deploy" / "local" / "llm_loop.sh"

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="the scripts need curl")


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "VNER_LLM_VENV": str(tmp_path / "venv"),
        "VNER_VAR_DIR": str(tmp_path / "var"),
        "VNER_LLM_PORT": str(port),
        "VNER_LLM_SMOKE_TIMEOUT_S": "10",
        "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),  # where the portable wheel is cached
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", *args], env=env, capture_output=True, text=True, timeout=120)


def test_install_builds_a_portable_cpu_target_and_never_reuses_a_native_wheel(tmp_path: Path) -> None:
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "pip.log"
    _fake_pip(bin_ / "pip", log)
    # nothing importable yet; the "server" dies at once (as the AMX build did), so install must fail loudly
    _script(bin_ / "python", 'case "$*" in *assemble*) echo /nowhere/model.gguf; exit 0;; esac\nexit 1\n')
    res = _run([str(SERVER_SH), "install"], _env(tmp_path, free_port()))
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == [
        f"llm_server: llm server exited during start-up; see {tmp_path / 'var' / 'llm' / 'server.log'}"
    ]
    lines = log.read_text().splitlines()
    build = next(line for line in lines if "ARGS=wheel" in line)
    for flag in ("-DGGML_NATIVE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_BF16=OFF"):
        assert flag in build
    assert "-DGGML_AVX2=ON" in build and "-DGGML_CPU_ALL_VARIANTS=OFF" in build
    for arg in ("--no-binary llama-cpp-python", "--no-cache-dir", "llama-cpp-python==0.3.36"):
        assert arg in build
    # the venv gets exactly the wheel built with these flags (never one from pip's own cache)
    assert any("--force-reinstall --no-deps" in line and "vner-llama-cpp/0.3.36-" in line for line in lines)
    assert not (tmp_path / "venv" / ".vner-cmake-args").exists()  # a failed smoke leaves no "built" mark


def _fake_pip(path: Path, log: Path) -> None:
    """Logs its flags; ``pip wheel -w DIR`` leaves a wheel file in DIR as the real build would."""
    _script(
        path,
        f'echo "CMAKE_ARGS=$CMAKE_ARGS ARGS=$*" >> {log}\n'
        'if [ "$1" = wheel ]; then while [ $# -gt 0 ]; do\n'
        '  [ "$1" = -w ] && touch "$2/llama_cpp_python-0.3.36-cp311-cp311-linux_x86_64.whl"; shift\n'
        "done; fi\n",
    )


def test_install_reuses_the_cached_portable_wheel_and_rebuilds_for_other_flags(tmp_path: Path) -> None:
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "pip.log"
    _fake_pip(bin_ / "pip", log)
    _script(bin_ / "python", 'case "$*" in *assemble*) echo /nowhere/model.gguf; exit 0;; esac\nexit 1\n')
    env = _env(tmp_path, free_port())
    _run([str(SERVER_SH), "install"], env)  # cold: builds the wheel (the fake server then dies)
    _run([str(SERVER_SH), "install"], env)  # warm: installs the cached wheel, no build
    builds = [line for line in log.read_text().splitlines() if "ARGS=wheel" in line]
    assert len(builds) == 1
    _run([str(SERVER_SH), "install"], {**env, "VNER_LLM_CMAKE_ARGS": "-DGGML_NATIVE=OFF -DGGML_AVX512=ON"})
    builds = [line for line in log.read_text().splitlines() if "ARGS=wheel" in line]
    assert len(builds) == 2 and "-DGGML_AVX512=ON" in builds[1]
    assert len(list((tmp_path / "pip-cache" / "vner-llama-cpp").iterdir())) == 2


def _pid_file(tmp_path: Path, pid: int) -> None:
    (tmp_path / "var" / "llm").mkdir(parents=True, exist_ok=True)
    (tmp_path / "var" / "llm" / "llm.pid").write_text(str(pid))


def test_smoke_passes_on_a_real_answer(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = lambda p: (200, "Xin chào", 0)
    _pid_file(tmp_path, os.getpid())
    port = llm_server.url.split(":")[2].split("/")[0]
    res = _run([str(SERVER_SH), "smoke"], _env(tmp_path, int(port)))
    assert res.returncode == 0, res.stderr
    assert "smoke test ok" in res.stdout and llm_server.requests[0]["messages"][0]["role"] == "user"


@pytest.mark.parametrize("content", ["", "   "])
def test_smoke_fails_on_an_empty_answer(llm_server: ScriptedServer, tmp_path: Path, content: str) -> None:
    llm_server.handler = lambda p: (200, content, 0)
    _pid_file(tmp_path, os.getpid())
    port = llm_server.url.split(":")[2].split("/")[0]
    res = _run([str(SERVER_SH), "smoke"], _env(tmp_path, int(port)))
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "smoke test failed" in lines[0] and "non-empty" in lines[0]


def test_smoke_fails_when_nothing_answers(tmp_path: Path) -> None:
    _pid_file(tmp_path, os.getpid())
    res = _run([str(SERVER_SH), "smoke"], _env(tmp_path, free_port()))
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("llm_server: smoke test failed: POST /v1/chat/completions")


def test_stop_waits_until_the_server_process_is_gone(tmp_path: Path) -> None:
    # a "server" that takes a second to exit on SIGTERM; a thread reaps it the moment it exits
    proc = subprocess.Popen(["bash", "-c", 'trap "sleep 1; exit 0" TERM; while :; do sleep 0.1; done'])
    reaper = threading.Thread(target=proc.wait, daemon=True)
    reaper.start()
    try:
        time.sleep(0.3)  # let bash install its trap
        _pid_file(tmp_path, proc.pid)
        res = _run([str(SERVER_SH), "stop"], _env(tmp_path, free_port()))
        assert res.returncode == 0, res.stderr
        reaper.join(0.3)
        assert not reaper.is_alive()  # it had exited already when stop returned
        assert not (tmp_path / "var" / "llm" / "llm.pid").exists()
    finally:
        proc.kill()
