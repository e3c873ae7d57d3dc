"""Logs never contain message text or entity values: the masking processor, and a real run's captured logs."""

from __future__ import annotations

import io
import json

import pytest
import structlog
from vner.streams.admin import produce_docs
from vner.streams.logs import MASK, configure_logging, get_logger, mask_personal_data

from tests.streams.conftest import KAFKA, outputs, wait_for


def test_processor_masks_sensitive_keys_at_any_depth() -> None:
    ev = {
        "event": "x",
        "text": "Chị Lan 0987654321",
        "batch": {"entities": [{"value": "+84987654321"}], "n": 3},
        "items": [{"raw": b"abc"}, {"partition": 1}],
        "Value": "Lan",
    }
    out = mask_personal_data(None, "info", dict(ev))
    assert out["text"] == MASK and out["Value"] == MASK
    assert out["batch"] == {"entities": MASK, "n": 3}
    assert out["items"] == [{"raw": MASK}, {"partition": 1}]
    assert "0987654321" not in json.dumps(out, default=str)


def test_exception_reduced_to_its_type() -> None:
    buf = io.StringIO()
    configure_logging("debug", stream=buf)
    try:
        try:
            raise ValueError("bad text: Chị Lan 0987654321")
        except ValueError:
            get_logger("t").exception("failed", partition=2)
        line = json.loads(buf.getvalue().strip().splitlines()[-1])
        assert line["exc_type"] == "ValueError" and line["partition"] == 2
        assert "0987654321" not in buf.getvalue()
    finally:
        structlog.reset_defaults()


@pytest.mark.integration
@pytest.mark.timeout(180)
def test_logs_of_a_run_hold_no_text_and_no_entity_value(topics, worker) -> None:
    t = topics(partitions=2)
    docs = [
        {
            "id": f"m{i}",
            "text": f"Em Hoàng Thị Mỹ Duyên, số 0{903000000 + i * 17} chuyển khoản {i + 100}k đơn SPX{i:09d}VN",
        }
        for i in range(150)
    ]
    produce_docs(KAFKA, t.input, docs)
    produce_docs(KAFKA, t.input, [json.dumps({"id": "bad", "text": "Mỹ Duyên", "x": 1}).encode()])
    w = worker(t, log_level="debug")
    got = outputs(wait_for(t.output, 150))
    assert w.stop() == 0
    logs = w.logs()
    assert '"event": "started"' in logs and '"dead-lettered"' in logs  # logging did happen
    secrets: set[str] = {"Mỹ Duyên", "Hoàng Thị"}
    for o in got:
        secrets.add(o["text"])
        for e in o["entities"]:
            secrets.add(e["text"])
            if e["value"] is not None:
                secrets.add(
                    json.dumps(e["value"], ensure_ascii=False)
                    if not isinstance(e["value"], str)
                    else e["value"]
                )
    assert sum(len(o["entities"]) for o in got) >= 150
    leaked = sorted(s for s in secrets if s in logs)
    assert not leaked, f"{len(leaked)} personal values in the logs, e.g. {leaked[:3]}"
