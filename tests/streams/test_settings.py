"""vner.streams.settings: one frozen object from defaults, YAML, VNER_* env vars and overrides, validated at start."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from vner.streams.settings import load_settings


def test_precedence_override_over_env_over_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "vner.yaml"
    cfg.write_text("input_topic: from.yaml\noutput_topic: out.yaml\nbatch_max_records: 5\n", encoding="utf-8")
    monkeypatch.setenv("VNER_OUTPUT_TOPIC", "out.env")
    monkeypatch.setenv("VNER_GROUP_ID", "env-group")
    s = load_settings(cfg, group_id="flag-group", delivery=None)
    assert (s.input_topic, s.output_topic, s.group_id, s.batch_max_records) == (
        "from.yaml",
        "out.env",
        "flag-group",
        5,
    )
    assert s.delivery == "exactly_once"  # None overrides are ignored
    with pytest.raises(ValidationError):
        s.group_id = "x"  # type: ignore[misc]


def test_transactional_id_is_stable_and_per_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VNER_TRANSACTIONAL_ID", raising=False)
    a, b = load_settings(group_id="g"), load_settings(group_id="g")
    assert a.txn_id == b.txn_id  # stable within one process: a replacement producer fences the old one
    host = socket.gethostname()
    assert re.fullmatch(rf"g-{re.escape(host)}-{os.getpid()}-[0-9a-f]{{8}}", a.txn_id), a.txn_id
    assert load_settings(transactional_id="pod-3").txn_id == "pod-3"
    monkeypatch.setenv("VNER_TRANSACTIONAL_ID", "pod-4")
    assert load_settings(group_id="g").txn_id == "pod-4"


def test_two_processes_on_one_host_get_different_transactional_ids() -> None:
    code = "from vner.streams.settings import load_settings; print(load_settings(group_id='g').txn_id)"
    env = {k: v for k, v in os.environ.items() if k != "VNER_TRANSACTIONAL_ID"}
    ids = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for _ in range(2)
    ]
    assert ids[0] != ids[1] and all(i.startswith(f"g-{socket.gethostname()}-") for i in ids)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch_max_records": 0},
        {"delivery": "twice"},
        {"input_topic": "same", "output_topic": "same"},
        {"input_topic": "   "},
        {"pipeline_factory": "no_colon"},
        {"security_protocol": "SASL_SSL"},  # needs a mechanism and a user
        {"commit_interval_ms": 5000, "transaction_timeout_ms": 4000},
        {"unknown_setting": 1},
    ],
)
def test_bad_settings_fail_at_start(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        load_settings(**kwargs)


def test_bad_yaml_file_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_settings(bad)
    with pytest.raises(ValueError, match="does not exist"):
        load_settings(tmp_path / "missing.yaml")
    typo = tmp_path / "typo.yaml"
    typo.write_text("input_topik: x\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_settings(typo)


def test_sasl_tls_reach_librdkafka_and_secrets_stay_hidden() -> None:
    s = load_settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="svc",
        sasl_password="hunter2",
        ssl_ca_location="/etc/ca.pem",
    )
    conf = s.kafka_common()
    assert conf["security.protocol"] == "SASL_SSL" and conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert conf["sasl.username"] == "svc" and conf["sasl.password"] == "hunter2"
    assert conf["ssl.ca.location"] == "/etc/ca.pem"
    assert "hunter2" not in repr(s)
