"""structlog JSON logging for the stream processor, with a processor that masks personal data.

Customer messages are personal data: a log event never carries message text or entity values. The
:func:`mask_personal_data` processor replaces the value of any sensitive key (at any depth) with ``"***"`` and
reduces exceptions to their type (an exception message may quote its input).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog

SENSITIVE_KEYS = frozenset(
    {
        "text",
        "texts",
        "value",
        "values",
        "entities",
        "entity",
        "doc",
        "payload",
        "body",
        "record",
        "raw",
        "meta",
    }
)
MASK = "***"


def _mask(obj: Any, depth: int = 0) -> Any:
    if depth > 6:
        return MASK
    if isinstance(obj, Mapping):
        return {
            k: (MASK if str(k).lower() in SENSITIVE_KEYS else _mask(v, depth + 1)) for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        return [_mask(v, depth + 1) for v in obj]
    return obj


def mask_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask sensitive keys and keep only the type of an exception."""
    exc = event_dict.pop("exc_info", None)
    if exc:
        if exc is True:
            exc = sys.exc_info()
        if isinstance(exc, BaseException):
            event_dict["exc_type"] = type(exc).__name__
        elif isinstance(exc, tuple) and exc[0] is not None:
            event_dict["exc_type"] = exc[0].__name__
    for key in list(event_dict):
        if key in ("event", "level", "timestamp", "logger_name"):
            continue
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = MASK
        else:
            event_dict[key] = _mask(event_dict[key])
    return event_dict


def configure_logging(level: str = "info", *, stream: TextIO | None = None) -> None:
    """JSON lines on ``stream`` (stderr by default); stdlib loggers (librdkafka callbacks…) go the same way."""
    lvl = getattr(logging, level.upper())
    out = stream or sys.stderr
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            mask_personal_data,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(lvl),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                mask_personal_data,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
            foreign_pre_chain=[structlog.stdlib.add_log_level],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(lvl)


def get_logger(name: str = "vner.streams") -> Any:
    """A lazily bound structlog logger with ``logger_name=<name>`` (follows a later :func:`configure_logging`)."""
    return structlog.get_logger(logger_name=name)
