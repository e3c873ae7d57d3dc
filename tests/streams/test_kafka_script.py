"""deploy/local/kafka.sh itself: the cluster id it formats storage with, and a port another broker holds.

Found in CI: the first start attempt of a test's private broker left an empty ``cluster.id`` (the Python that
wrote it printed nothing, for a reason the log did not keep), and every retry then formatted with ``-t ''`` and
failed the same way.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.streams.conftest import KAFKA_SH, Broker

pytestmark = [pytest.mark.integration, pytest.mark.timeout(400)]

KRAFT_ID = re.compile(r"[A-Za-z0-9_-]{22}")


def brokers_up(b: Broker) -> int:
    return len(AdminClient({**b.conf, "socket.timeout.ms": 3000}).list_topics(timeout=10).brokers)


def test_an_empty_cluster_id_is_made_again_and_kept_across_restarts(services: None, tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "kafka").mkdir(parents=True)
    id_file = var / "kafka" / "cluster.id"
    id_file.write_text("")
    b = Broker(var)
    try:
        b("start")
        made = id_file.read_text().strip()
        assert KRAFT_ID.fullmatch(made), made
        assert brokers_up(b) == 1
        # storage is formatted with this id: a restart must reuse it, not make a new one
        b("restart")
        assert id_file.read_text().strip() == made
        assert brokers_up(b) == 1
        # another checkout's kafka.sh on the same port uses the broker that answers there, starts no JVM
        other = dict(b.env, VNER_VAR_DIR=str(tmp_path / "other"))
        r = subprocess.run(
            ["bash", str(KAFKA_SH), "start"],
            env=other,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert r.returncode == 0 and "already answers" in r.stderr, r.stderr
        assert not (tmp_path / "other" / "kafka" / "kafka.pid").exists()
    finally:
        b("stop")
    assert made in (var / "kafka" / "data" / "meta.properties").read_text()
