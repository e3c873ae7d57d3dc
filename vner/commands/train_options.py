"""Options that ``vner train`` and ``vner distill`` share: where the network trains and in what precision."""

from __future__ import annotations

from typing import Any

import typer


def device_option() -> Any:
    return typer.Option(
        "auto", "--device", help="auto (the first CUDA GPU torch sees, else the CPU), cpu, cuda or cuda:N"
    )


def bf16_option() -> Any:
    return typer.Option(
        False,
        "--bf16",
        help="bfloat16 autocast for the training forward pass (fp32 weights and optimizer); faster on"
        " CPUs with AVX512-BF16 or AMX, dev scoring and the saved model stay fp32",
    )


def check_device(device: str) -> None:
    """Refuse an unknown device, or a GPU torch cannot see, before any data is read."""
    from vner.engine.training.loop import resolve_device

    try:
        resolve_device(device)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--device") from exc
