"""English DATE / TIME / DURATION / SET through Stanford SUTime (CoreNLP 4.0.0), behind the temporal interface.

Selected by the record's language: :class:`SutimeRecognizer` answers only when ``ctx.lang`` is one of its
``languages`` (default ``["en"]``); Vietnamese goes to :mod:`vner.rules.recognizers.temporal.recognizer`. Values have the
same shape as the Vietnamese recognizer's (``{"type": "DATE", "value": "2026-11-26"}``).

PyPI ``sutime`` 1.0.1 is wrapped with care, because importing and starting it has process-wide effects:

* nothing is imported or started until the first English ``analyze`` call (the JVM costs ~1 GB and ~40 s);
* before importing, the CoreNLP jars are checked; if any is missing :class:`SutimeUnavailable` names them
  and the exact install command (``bash deploy/local/install_sutime.sh``);
* ``import sutime`` sets ``socket.setdefaulttimeout(15)`` for the whole process: the previous value is put back;
* its load errors call ``sys.exit``: ``SystemExit`` is caught and re-raised as :class:`SutimeUnavailable`;
* one JVM per process, and a JVM does not survive ``fork()``: use from a forked child raises a clear error;
* SUTime reports Java UTF-16 offsets: they are mapped back to Python string indices (emoji, rare CJK).

Jars are looked up in ``config["jars_dir"]``, else ``$VNER_SUTIME_JARS``, else ``~/.cache/vner/sutime/jars``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import socket
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..entity import Entity
from ..recognizer import RuleContext
from ._base import check_config, make_entity, word_list

SUTIME_VERSION = "1.0.1"
REQUIRED_JARS: tuple[str, ...] = (
    "stanford-corenlp-4.0.0.jar",
    "stanford-corenlp-4.0.0-models.jar",
    "gson-2.8.6.jar",
    "slf4j-simple-1.7.30.jar",
)
INSTALL_COMMAND = "bash deploy/local/install_sutime.sh"
_TYPES = ("DATE", "TIME", "DURATION", "SET")


class SutimeUnavailable(RuntimeError):
    """SUTime or its CoreNLP jars are not installed, or its JVM could not start."""


def default_jars_dir() -> Path:
    """Where the CoreNLP jars are expected when the config does not say."""
    env = os.environ.get("VNER_SUTIME_JARS")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "vner" / "sutime" / "jars"


def missing_pieces(jars_dir: Path) -> list[str]:
    """What is missing for SUTime to start (empty when ready), checked without importing it."""
    missing: list[str] = []
    if importlib.util.find_spec("sutime") is None:
        missing.append(f"python package sutime=={SUTIME_VERSION}")
    if importlib.util.find_spec("jpype") is None:
        missing.append("python package JPype1")
    missing += [f"{jars_dir / jar}" for jar in REQUIRED_JARS if not (jars_dir / jar).is_file()]
    return missing


def check_install(jars_dir: Path) -> None:
    """Raise :class:`SutimeUnavailable` naming every missing piece and the command that installs them."""
    missing = missing_pieces(jars_dir)
    if missing:
        raise SutimeUnavailable(
            "SUTime is not installed: missing " + ", ".join(missing) + f". Install with: {INSTALL_COMMAND} "
            f"(pip-installs sutime=={SUTIME_VERSION} and runs 'mvn dependency:copy-dependencies "
            f"-f <site-packages>/sutime/pom.xml -DoutputDirectory={jars_dir}'; set VNER_SUTIME_JARS to use "
            "another directory)"
        )


class _Engine:
    """The process's one SUTime instance (one JVM per process)."""

    lock = threading.Lock()
    instance: Any = None
    jars_dir: Path | None = None
    pid: int | None = None
    failed: SutimeUnavailable | None = None  # a JVM that failed to start is not retried in this process

    @classmethod
    def get(cls, jars_dir: Path, jvm_flags: list[str]) -> Any:
        with cls.lock:
            if cls.failed is not None:
                raise cls.failed
            if cls.instance is not None:
                if cls.pid != os.getpid():
                    raise SutimeUnavailable(
                        "SUTime's JVM was started before fork(); start it in each worker process"
                    )
                if cls.jars_dir != jars_dir:
                    raise SutimeUnavailable(
                        f"SUTime already runs with jars from {cls.jars_dir}; one JVM per process"
                    )
                return cls.instance
            check_install(jars_dir)
            saved = socket.getdefaulttimeout()
            try:
                module = importlib.import_module("sutime")
                engine = module.SUTime(jars=str(jars_dir), jvm_flags=jvm_flags, language="english")
            except SystemExit as exc:  # sutime calls sys.exit when the JVM or its wrapper class fails to load
                cls.failed = SutimeUnavailable(
                    f"SUTime could not start its JVM ({exc}); reinstall: {INSTALL_COMMAND}"
                )
                raise cls.failed from None
            except (ImportError, RuntimeError, OSError) as exc:
                cls.failed = SutimeUnavailable(f"SUTime failed to load: {exc}; install: {INSTALL_COMMAND}")
                raise cls.failed from exc
            finally:
                socket.setdefaulttimeout(saved)  # importing sutime sets a process-wide 15 s default
            cls.instance, cls.jars_dir, cls.pid = engine, jars_dir, os.getpid()
            return engine


def utf16_to_py(text: str) -> list[int]:
    """``table[j]`` = Python index of UTF-16 code unit ``j`` (one past the end included)."""
    table: list[int] = []
    for i, ch in enumerate(text):
        table.extend([i] * (2 if ord(ch) > 0xFFFF else 1))
    table.append(len(text))
    return table


class SutimeRecognizer:
    """English temporal expressions via SUTime; the JVM starts on the first English text."""

    name = "sutime"
    version = "v1"
    labels: tuple[str, ...] = _TYPES
    _CONFIG: dict[str, type | tuple[type, ...]] = {
        "jars_dir": str,
        "jvm_flags": (list, tuple),
        "languages": (list, tuple),
    }

    def __init__(self, *, config: Mapping[str, Any] | None = None) -> None:
        cfg = check_config(config, self._CONFIG, where="sutime")
        self.jars_dir = Path(cfg["jars_dir"]).expanduser() if "jars_dir" in cfg else default_jars_dir()
        flags = cfg.get("jvm_flags", ["-Xmx2g"])
        self.jvm_flags = word_list(flags, key="jvm_flags", where="sutime") if flags else []
        self.languages = frozenset(word_list(cfg.get("languages", ["en"]), key="languages", where="sutime"))

    def available(self) -> bool:
        """Whether the package and jars are in place (does not start the JVM)."""
        return not missing_pieces(self.jars_dir)

    def analyze(self, text: str, ctx: RuleContext) -> list[Entity]:
        """Temporal entities of English ``text``; ``[]`` for other languages. Raises :class:`SutimeUnavailable`."""
        if ctx.lang not in self.languages or not text.strip():
            return []
        engine = _Engine.get(self.jars_dir, self.jvm_flags)
        raw = engine.parse(text, _reference(ctx.ref_time))
        return self.entities(text, raw, ctx.ref_time)

    def entities(self, text: str, raw: list[dict[str, Any]], ref: datetime) -> list[Entity]:
        """Map SUTime's JSON results (UTF-16 offsets) to entities over ``text``."""
        table = utf16_to_py(text)
        out: list[Entity] = []
        for item in raw:
            kind = str(item.get("type", "")).upper()
            start16, end16 = int(item.get("start", -1)), int(item.get("end", -1))
            if kind not in _TYPES or not 0 <= start16 < end16 < len(table):
                continue
            start, end = table[start16], table[end16]
            value, resolved = _value(item)
            score = 0.9 if resolved else 0.6
            why = f"{kind} from SUTime (CoreNLP 4.0.0), reference {ref.date().isoformat()}"
            if not resolved:
                why += "; value left unresolved by SUTime"
            out.append(make_entity(self, text, start, end, label=kind, value={"type": kind, **value}, score=score,
                                   explanation=why))  # fmt: skip
        return out


def _reference(ref: datetime) -> str:
    return ref.strftime("%Y-%m-%d")


def _value(item: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Our value dict from a SUTime item, and whether it is a resolved TIMEX3 value."""
    timex = item.get("timex-value")
    raw = item.get("value")
    if isinstance(raw, dict):  # a range: {"begin": ..., "end": ..., "duration": ...}
        out: dict[str, Any] = {"value": str(timex or raw.get("begin", ""))}
        out.update({k: str(v) for k, v in raw.items() if k in ("begin", "end", "duration")})
        return out, bool(timex)
    if timex:
        return {"value": str(timex)}, True
    return {"value": str(raw)}, False


RECOGNIZERS: dict[str, type] = {"sutime": SutimeRecognizer}
