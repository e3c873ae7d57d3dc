"""Choose ONNX Runtime execution providers, precision and thread count for a vner export directory.

Pure functions of their inputs (the available providers, the files present, the CPU count) so that the
choice can be tested with explicit provider lists on any machine. The policy:

* CUDA when ``CUDAExecutionProvider`` is available, with the fp16 export (fp32 if there is none);
  dynamic int8 is refused on CUDA because its integer ops fall back to the CPU (onnxruntime #10267).
* Otherwise the CPU provider with the int8 export (fp32 if there is none), ``intra_op`` threads = the
  CPUs this process may use.

ORT lists the GPU providers whenever their libraries load, driver or not, and onnxruntime-gpu 1.22 then
crashes (SIGSEGV) creating a CUDA session on a machine without an NVIDIA driver instead of falling back.
:func:`usable_providers` therefore keeps the CUDA/TensorRT providers only when the driver API reports a
device (``cuDeviceGetCount`` through ``libcuda.so.1``) and says once that it fell back to the CPU.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

PRECISIONS: tuple[str, ...] = ("auto", "fp32", "int8", "fp16")
MODEL_FILES: dict[str, str] = {"fp32": "model.onnx", "int8": "model.int8.onnx", "fp16": "model.fp16.onnx"}
CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
GPU_PROVIDERS: frozenset[str] = frozenset({CUDA, "TensorrtExecutionProvider", "ROCMExecutionProvider"})
NVIDIA_PROVIDERS: frozenset[str] = frozenset({CUDA, "TensorrtExecutionProvider"})
_log = logging.getLogger(__name__)
_warned_no_device = False


class ProviderError(ValueError):
    """The requested provider/precision cannot be served from this export on this machine."""


@dataclass(frozen=True)
class ExecutionPlan:
    """What an ORT session should be built with."""

    providers: tuple[str, ...]
    precision: str
    model_file: str
    intra_op_threads: int  # 0 lets ONNX Runtime decide

    @property
    def on_gpu(self) -> bool:
        return self.providers[0] in GPU_PROVIDERS


def usable_cpus() -> int:
    """CPUs this process may run on (affinity mask when the OS exposes one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def cuda_device_count() -> int:
    """NVIDIA devices the driver reports (0 when ``libcuda.so.1`` is absent or ``cuInit`` fails)."""
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return 0
    try:
        if lib.cuInit(0) != 0:
            return 0
        count = ctypes.c_int(0)
        if lib.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return 0
        return max(0, count.value)
    except AttributeError:  # not the driver library
        return 0


def usable_providers(available: Sequence[str], *, cuda_devices: int | None = None) -> list[str]:
    """``available`` without the NVIDIA providers when no NVIDIA device is present (``cuda_devices`` 0).

    ``cuda_devices`` None probes the driver (only when ORT lists an NVIDIA provider at all).
    """
    global _warned_no_device
    listed = list(available)
    if not NVIDIA_PROVIDERS.intersection(listed):
        return listed
    if cuda_devices is None:
        cuda_devices = cuda_device_count()
    if cuda_devices > 0:
        return listed
    if not _warned_no_device:
        _warned_no_device = True
        _log.warning(
            "onnxruntime lists %s but no NVIDIA device/driver is present: using the CPU provider",
            sorted(NVIDIA_PROVIDERS.intersection(listed)),
        )
    return [p for p in listed if p not in NVIDIA_PROVIDERS]


def present_model_files(export_dir: str | Path) -> set[str]:
    """Names of the known model files (``model*.onnx``) present in ``export_dir``."""
    root = Path(export_dir)
    return {name for name in MODEL_FILES.values() if (root / name).is_file()}


def choose_plan(
    *,
    available_providers: Sequence[str],
    present_files: Collection[str],
    precision: str = "auto",
    providers: Sequence[str] | None = None,
    threads: int | None = None,
    cpu_count: int | None = None,
) -> ExecutionPlan:
    """Pick providers, precision, model file and intra-op threads; raise :class:`ProviderError` if impossible."""
    if precision not in PRECISIONS:
        raise ProviderError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
    if threads is not None and threads < 0:
        raise ProviderError(f"threads must be >= 0, got {threads}")
    available = list(available_providers)
    if providers:
        missing = [p for p in providers if p not in available]
        if missing:
            raise ProviderError(
                f"execution provider(s) {missing} not available here (available: {available})"
            )
        chosen = tuple(providers)
        if CPU not in chosen and CPU in available:
            chosen = (*chosen, CPU)
    elif CUDA in available:
        chosen = (CUDA, CPU)
    elif CPU in available:
        chosen = (CPU,)
    else:
        raise ProviderError(f"neither {CUDA} nor {CPU} is available (available: {available})")
    on_gpu = chosen[0] in GPU_PROVIDERS

    if precision == "auto":
        preferred = ("fp16", "fp32") if on_gpu else ("int8", "fp32")
        picked = next((p for p in preferred if MODEL_FILES[p] in present_files), None)
        if picked is None:
            wanted = " or ".join(MODEL_FILES[p] for p in preferred)
            raise ProviderError(f"no model file ({wanted}) in the export directory; run `vner export` first")
    else:
        picked = precision
        if MODEL_FILES[picked] not in present_files:
            raise ProviderError(
                f"{MODEL_FILES[picked]} not found in the export directory (export it with `vner export`)"
            )
    if on_gpu and picked == "int8":
        raise ProviderError("dynamic int8 models run their integer ops on the CPU: use fp16 or fp32 on CUDA")
    if not on_gpu and picked == "fp16":
        raise ProviderError("the fp16 export is meant for the CUDA provider: use int8 or fp32 on CPU")

    if threads is not None:
        n_threads = threads
    elif on_gpu:
        n_threads = 1  # the GPU does the work; one host thread feeds it
    else:
        n_threads = cpu_count if cpu_count is not None else usable_cpus()
    return ExecutionPlan(
        providers=chosen, precision=picked, model_file=MODEL_FILES[picked], intra_op_threads=n_threads
    )
