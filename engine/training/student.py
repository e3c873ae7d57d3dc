"""A shallower student cut from a teacher: its embeddings, an evenly spaced subset of its layers, its head.

Which layers: student layer ``i`` (0-based) is teacher layer ``(i + 1) * L // N - 1`` for a teacher of ``L`` layers and
a student of ``N`` — every ``L/N``-th layer, ending with the teacher's top layer, whose output the classifier head
was trained on (12 → 6: 1, 3, 5, 7, 9, 11; 12 → 4: 2, 5, 8, 11; 12 → 3: 3, 7, 11). A student as deep as its
teacher keeps every layer: an ensemble distilled into one model of the same size starts as the first teacher. The layer list is found without
knowing the model family: ``base_model.encoder.layer`` (BERT, RoBERTa, XLM-R, ELECTRA, DeBERTa), else
``transformer.layer`` (DistilBERT) or ``encoder.layers``/``layers``.
"""

from __future__ import annotations

from typing import Any

LAYER_PATHS: tuple[str, ...] = ("encoder.layer", "transformer.layer", "encoder.layers", "layers")


class StudentError(ValueError):
    """The teacher cannot be cut to the requested depth (unknown layout, too few layers)."""


def pick_layers(n_teacher: int, n_student: int) -> list[int]:
    """The teacher layers (0-based) a student of ``n_student`` layers starts from."""
    if not 1 <= n_student <= n_teacher:
        raise StudentError(
            f"--layers {n_student}: must be at least 1 and at most the teacher's {n_teacher} layers"
        )
    return [(i + 1) * n_teacher // n_student - 1 for i in range(n_student)]


def encoder_layers(model: Any) -> tuple[Any, str]:
    """The module that holds the transformer layers (a ``ModuleList``) and the attribute path to it."""
    import torch

    base = getattr(model, "base_model", model)
    for path in LAYER_PATHS:
        obj: Any = base
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if isinstance(obj, torch.nn.ModuleList) and len(obj) > 0:
            return obj, path
    raise StudentError(
        f"cannot find the layer list of {type(model).__name__} (looked for {', '.join(LAYER_PATHS)})"
    )


def shrink(model: Any, n_layers: int) -> list[int]:
    """Keep ``n_layers`` of the model's layers in place (see :func:`pick_layers`); return the teacher indices.

    ``config.num_hidden_layers`` (and a per-layer ``layer_types`` list, where a config has one) follows, and each kept
    layer's ``layer_idx`` is renumbered, so ``save_pretrained``/``from_pretrained`` round-trip the student.
    """
    import torch

    layers, path = encoder_layers(model)
    n_teacher = len(layers)
    keep = pick_layers(n_teacher, n_layers)
    parent: Any = getattr(model, "base_model", model)
    *head, last = path.split(".")
    for part in head:
        parent = getattr(parent, part)
    setattr(parent, last, torch.nn.ModuleList([layers[i] for i in keep]))
    for new_idx, layer in enumerate(getattr(parent, last)):
        for mod in layer.modules():
            if isinstance(getattr(mod, "layer_idx", None), int):
                mod.layer_idx = new_idx
    cfg = model.config
    cfg.num_hidden_layers = n_layers
    types = getattr(cfg, "layer_types", None)
    if isinstance(types, list) and len(types) == n_teacher:
        cfg.layer_types = [types[i] for i in keep]
    return keep


__all__ = ["StudentError", "encoder_layers", "pick_layers", "shrink"]
