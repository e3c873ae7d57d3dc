"""NVIDIA providers are used only when a device is present (onnxruntime-gpu crashes without a driver)."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from vner.engine.runtime import providers
from vner.engine.runtime.providers import CPU, CUDA, cuda_device_count, usable_providers

TRT = "TensorrtExecutionProvider"


def test_no_device_drops_the_nvidia_providers_and_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    providers._warned_no_device = False
    with caplog.at_level(logging.WARNING, logger=providers.__name__):
        assert usable_providers([TRT, CUDA, CPU], cuda_devices=0) == [CPU]
        assert usable_providers([CUDA, CPU], cuda_devices=0) == [CPU]
    warnings = [r for r in caplog.records if "no NVIDIA device" in r.getMessage()]
    assert len(warnings) == 1


def test_a_device_keeps_them_in_order() -> None:
    assert usable_providers([TRT, CUDA, CPU], cuda_devices=1) == [TRT, CUDA, CPU]
    # nothing NVIDIA listed: no probe, the list is returned as it is
    assert usable_providers(["ROCMExecutionProvider", CPU]) == ["ROCMExecutionProvider", CPU]


def test_the_driver_probe_answers_without_crashing() -> None:
    # runs in a child so a crash in the driver library would show as a return code, not kill pytest
    code = "from vner.engine.runtime.providers import cuda_device_count as c; n = c(); print(n)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    n = int(out.stdout.strip())
    assert n >= 0
    assert cuda_device_count() == n
