"""deploy/sizing.py: which benchmark number sizes a worker, the replica/partition arithmetic, the README block."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy.conftest import REPO
from tests.scripts import load_script

SCRIPT = REPO / "deploy" / "sizing.py"


def _load() -> ModuleType:
    return load_script(SCRIPT, "vner_deploy_sizing")


sizing = _load()


def _write(d: Path, name: str, data: object) -> None:
    (d / name).write_text(json.dumps(data), encoding="utf-8")


def _pipeline_json(rules: float, full: float | None, precision: str | None = None) -> dict[str, object]:
    results: dict[str, object] = {"rules only": {"records_per_s": rules, "ms_per_record": 1000 / rules}}
    if full is not None:
        results["full pipeline"] = {"records_per_s": full, "ms_per_record": 1000 / full}
    return {"meta": {"records": 500, "precision": precision}, "results": results}


def test_priority_stream_over_full_pipeline_over_rules(tmp_path: Path) -> None:
    _write(tmp_path, "bench_rules.json", {"results": [{"msg_per_s_wall": 9999.0, "records_per_s": 9999.0}]})
    _write(tmp_path, "bench_pipeline.json", _pipeline_json(rules=800.0, full=None))
    m = sizing.load_measurements(tmp_path)
    assert m["cpu"].records_per_s == 800.0 and "rules-only" in m["cpu"].source  # bench_rules is not a worker
    _write(tmp_path, "bench_pipeline.json", _pipeline_json(rules=800.0, full=120.0))
    m = sizing.load_measurements(tmp_path)
    assert m["cpu"].records_per_s == 120.0 and "full pipeline" in m["cpu"].source
    _write(
        tmp_path, "bench_stream.json", {"device": "cpu", "stream": {"records_per_s": 95.5}, "pipeline_rps": 1}
    )
    m = sizing.load_measurements(tmp_path)
    assert m["cpu"].records_per_s == 95.5 and "end-to-end" in m["cpu"].source


def test_a_real_bench_stream_file_counts_its_kafka_capacity(tmp_path: Path) -> None:
    # the shape benchmarks/bench_stream.py writes: in-process reference runs around the Kafka -> Kafka one
    _write(
        tmp_path,
        "bench_stream.json",
        {
            "host": {"cpus": 2},
            "pipeline": {"records": 2000, "records_per_s": 216.7},
            "capacity": {"records": 2000, "records_per_s": 238.0, "worker_peak_rss_mb": 951.9},
            "pipeline_after": {"records": 2000, "records_per_s": 258.2},
            "latency": {"offered_per_s": 119.0, "p99_ms": 467.9},
        },
    )
    m = sizing.load_measurements(tmp_path)
    assert m["cpu"].records_per_s == 238.0
    assert m["cpu"].source == "bench_stream.json.capacity.records_per_s (end-to-end Kafka worker)"


def test_devices_are_told_apart(tmp_path: Path) -> None:
    _write(tmp_path, "bench_pipeline_gpu.json", _pipeline_json(rules=700.0, full=2400.0, precision="fp16"))
    _write(
        tmp_path,
        "bench_stream.json",
        {
            "runs": [
                {"provider": "CPUExecutionProvider", "records_per_s": 90},
                {"device": "cuda", "rps": 1800},
            ]
        },
    )
    m = sizing.load_measurements(tmp_path)
    assert (m["cpu"].records_per_s, m["cuda"].records_per_s) == (90.0, 1800.0)
    assert sizing.load_measurements(tmp_path / "absent") == {}


def test_broken_result_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bench_stream.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SystemExit, match="cannot read benchmark result"):
        sizing.load_measurements(tmp_path)


@pytest.mark.parametrize(
    ("millions", "rps", "replicas", "partitions"),
    [
        (1, 250.0, 1, 6),  # 11.6 rec/s mean, 34.7 peak: one worker idles
        (100, 250.0, 20, 42),  # 3,472 peak / (250 x 0.7) = 19.8 -> 20 replicas, 40 -> 42 partitions
        (100, 3000.0, 2, 6),
        (500, 100.0, 249, 498),  # 17,361 peak / 70 = 248.02 -> 249
    ],
)
def test_replicas_and_partitions(millions: float, rps: float, replicas: int, partitions: int) -> None:
    row = sizing.size(millions_per_day=millions, worker_rps=rps, device="cpu")
    assert (row.replicas, row.partitions) == (replicas, partitions)
    assert row.partitions >= row.replicas and row.partitions % 6 == 0
    assert row.peak_rps == pytest.approx(row.mean_rps * 3, abs=0.2)
    assert row.replicas * rps * 0.7 >= row.peak_rps


def test_bad_sizing_input_is_refused() -> None:
    with pytest.raises(ValueError):
        sizing.size(millions_per_day=0, worker_rps=100, device="cpu")
    with pytest.raises(ValueError):
        sizing.size(millions_per_day=1, worker_rps=100, device="cpu", utilisation=1.5)


def test_cli_table_json_and_readme_update(tmp_path: Path) -> None:
    _write(tmp_path, "bench_pipeline.json", _pipeline_json(rules=800.0, full=120.0))
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{sizing.BEGIN_MARK}\nold table\n{sizing.END_MARK}\n\ntail\n", encoding="utf-8")
    cmd = [sys.executable, str(SCRIPT), "--results", str(tmp_path), "--millions", "10", "100"]
    out = subprocess.run([*cmd, "--update-readme", str(readme)], capture_output=True, text=True, check=True)
    assert "| cpu | 100 |" in out.stdout and "full pipeline" in out.stdout
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and "| cpu | 10 |" in text and text.endswith("tail\n")
    rows = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True).stdout)
    assert [r["millions_per_day"] for r in rows] == [10, 100] and rows[1]["replicas"] == 42  # 3,472 / 84
    empty = subprocess.run(
        [sys.executable, str(SCRIPT), "--results", str(tmp_path / "none")], capture_output=True
    )
    assert empty.returncode == 2 and b"--cpu-rps" in empty.stderr
