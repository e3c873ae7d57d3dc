"""The stream processor's settings: one frozen pydantic-settings object, from ``VNER_*`` env vars and YAML.

Precedence (highest first): explicit keyword arguments, ``VNER_*`` environment variables, the YAML file
(``--config`` or ``VNER_CONFIG``), the defaults below. Everything is validated at start; a bad value is a
start-up error that names the setting.
"""

from __future__ import annotations

import os
import secrets
import socket
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

_CONFIG_FILE: ContextVar[str | None] = ContextVar("vner_config_file", default=None)
Delivery = Literal["exactly_once", "at_least_once"]


_INSTANCE: tuple[int, str] | None = None


def _instance_suffix() -> str:
    """``<pid>-<8 hex>``, drawn once per process (a forked child draws its own)."""
    global _INSTANCE
    pid = os.getpid()
    if _INSTANCE is None or _INSTANCE[0] != pid:
        _INSTANCE = (pid, f"{pid}-{secrets.token_hex(4)}")
    return _INSTANCE[1]


class StreamSettings(BaseSettings):
    """Every knob of ``vner run``; env var = ``VNER_`` + upper-case field name (``VNER_INPUT_TOPIC``)."""

    model_config = SettingsConfigDict(env_prefix="VNER_", frozen=True, extra="forbid")

    # Kafka connection
    brokers: str = "127.0.0.1:9092"
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_ca_location: Path | None = None
    ssl_certificate_location: Path | None = None
    ssl_key_location: Path | None = None
    ssl_key_password: SecretStr | None = None

    # topics and group
    input_topic: str = "vner.in"
    output_topic: str = "vner.out"
    dlq_topic: str = "vner.dlq"
    # a dead letter is cut to this size (headers say so): the producer's and broker's 1 MB limits hold
    dlq_max_bytes: int = Field(512 * 1024, ge=4096, le=950_000)
    group_id: str = "vner"
    auto_offset_reset: Literal["earliest", "latest"] = "earliest"
    session_timeout_ms: int = Field(10_000, ge=1_000, le=300_000)
    fetch_wait_max_ms: int = Field(50, ge=1, le=10_000)  # low: read_committed fetches otherwise idle 500 ms

    # delivery
    delivery: Delivery = "exactly_once"
    transactional_id: str | None = None  # default: "<group_id>-<hostname>-<pid>-<random>", one per process
    transaction_timeout_ms: int = Field(60_000, ge=1_000, le=900_000)
    commit_interval_ms: int = Field(100, ge=1, le=60_000)

    # batching and backpressure
    batch_token_budget: int = Field(8192, ge=16)
    batch_max_records: int = Field(64, ge=1)
    batch_max_wait_ms: int = Field(20, ge=0)
    queue_max_records: int = Field(2000, ge=1)
    poll_max_records: int = Field(500, ge=1)
    workers: int = Field(2, ge=1, le=64)  # threads that run batches (cache + pipeline call)
    stage_processes: int = Field(0, ge=0, le=64)  # >0: the pipeline runs in that many child processes
    max_text_bytes: int = Field(16_384, ge=1)
    max_depth: int = Field(64, ge=2, le=256)  # nesting of objects/arrays in a record; deeper: dead letter
    ref_time_granularity_s: int = Field(60, ge=1)
    # a record in flight when the process died this many times is dead-lettered (crash_loop); 0 = off
    crash_loop_attempts: int = Field(3, ge=0, le=100)
    crash_loop_ttl_s: int = Field(86_400, ge=60)  # how long Redis keeps a record's attempt count
    # SIGTERM: finish in-flight work, commit (or abort) and exit within this many seconds (see runner.py)
    shutdown_timeout_s: float = Field(20.0, ge=2.0, le=600.0)
    timezone: str = "Asia/Ho_Chi_Minh"

    # cache
    redis_url: str | None = "redis://127.0.0.1:6379/0"
    cache_ttl_s: int = Field(86_400, ge=1)
    cache_retry_s: float = Field(5.0, gt=0)

    # observability
    metrics_port: int = Field(9108, ge=0, le=65535)  # 0 = no HTTP server
    metrics_host: str = "0.0.0.0"
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    # the pipeline (streams/ only adapts it)
    default_domain: str = "customer_service"
    domains: tuple[str, ...] = ()  # empty: ask the pipeline (``pipeline.domains``)
    model_dir: Path | None = None
    pipeline_factory: str = "vner.engine.pipeline.hybrid:build_pipeline"

    @field_validator("brokers", "input_topic", "output_topic", "dlq_topic", "group_id", "default_domain")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @field_validator("pipeline_factory")
    @classmethod
    def _factory_path(cls, v: str) -> str:
        mod, _, attr = v.partition(":")
        if not mod or not attr:
            raise ValueError(f"pipeline_factory must look like 'package.module:function', got {v!r}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> StreamSettings:
        topics = {self.input_topic, self.output_topic, self.dlq_topic}
        if len(topics) != 3:
            raise ValueError("input_topic, output_topic and dlq_topic must all differ")
        if self.security_protocol.startswith("SASL") and not (self.sasl_mechanism and self.sasl_username):
            raise ValueError(
                f"security_protocol {self.security_protocol} needs sasl_mechanism and sasl_username"
            )
        if self.transaction_timeout_ms <= self.commit_interval_ms:
            raise ValueError("transaction_timeout_ms must exceed commit_interval_ms")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlSource(settings_cls))

    @property
    def txn_id(self) -> str:
        """The transactional id: ``transactional_id`` if set, else ``<group_id>-<hostname>-<pid>-<random>``.

        Unique per process, so two workers of one group on one host never fence each other; stable within
        the process, so a replacement producer fences the one it replaces. A restarted worker gets a new id:
        with KIP-447 (``send_offsets_to_transaction`` with the consumer group metadata) the group coordinator
        fences a zombie's offset commits by generation, so no stable id per partition is needed. The cost:
        a crashed worker's open transaction is not aborted by its successor but expires after
        ``transaction_timeout_ms`` (read_committed readers of its partitions wait that long); set
        ``transactional_id`` (e.g. the StatefulSet pod name) to have a restart abort it at once.
        """
        return self.transactional_id or f"{self.group_id}-{socket.gethostname()}-{_instance_suffix()}"

    def kafka_common(self) -> dict[str, Any]:
        """librdkafka settings shared by the consumer, the producer and the admin client."""
        conf: dict[str, Any] = {
            "bootstrap.servers": self.brokers,
            "security.protocol": self.security_protocol,
        }
        if self.sasl_mechanism:
            conf["sasl.mechanism"] = self.sasl_mechanism
            conf["sasl.username"] = self.sasl_username
            if self.sasl_password is not None:
                conf["sasl.password"] = self.sasl_password.get_secret_value()
        for key, val in (
            ("ssl.ca.location", self.ssl_ca_location),
            ("ssl.certificate.location", self.ssl_certificate_location),
            ("ssl.key.location", self.ssl_key_location),
        ):
            if val is not None:
                conf[key] = str(val)
        if self.ssl_key_password is not None:
            conf["ssl.key.password"] = self.ssl_key_password.get_secret_value()
        return conf


class _YamlSource(PydanticBaseSettingsSource):
    """Reads the YAML file given to :func:`load_settings` or named by ``VNER_CONFIG``; unknown keys fail."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = _CONFIG_FILE.get() or os.environ.get("VNER_CONFIG")
        if not path:
            return {}
        p = Path(path)
        if not p.is_file():
            raise ValueError(f"settings file {p} does not exist")
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"settings file {p} must hold a mapping of setting names to values")
        return {str(k): v for k, v in data.items()}


def load_settings(config: str | Path | None = None, **overrides: Any) -> StreamSettings:
    """Build the frozen settings; ``overrides`` (e.g. from CLI flags) win over env and file; ``None`` is ignored."""
    kwargs = {k: v for k, v in overrides.items() if v is not None}
    token = _CONFIG_FILE.set(str(config) if config is not None else None)
    try:
        return StreamSettings(**kwargs)
    finally:
        _CONFIG_FILE.reset(token)
