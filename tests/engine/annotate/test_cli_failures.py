"""`vner annotate` and deploy/local/llm_loop.sh fail loudly (issue 25): an unreachable endpoint or every document
failing exits 1 with one line on stderr; partial failure within --max-failed-fraction exits 0 with counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vner.engine.annotate.corpus import AnnotatedDoc, read_docs, write_docs
from vner.engine.annotate.spans import Span

from tests.engine.annotate.conftest import ScriptedServer, answer, free_port, last_text

ROOT = Path(__file__).resolve().parents[3]
T1 = "Tôi đặt 2 áo thun ở Hà Nội, thanh toán qua Vietcombank."
T2 = "Giao hàng về Đà Nẵng trong 3 ngày."
T3 = "Cửa hàng ở Huế mở cửa lúc 8 giờ."


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    inp, labels = tmp_path / "in.jsonl", tmp_path / "labels.yaml"
    docs = [
        AnnotatedDoc("a", T1, [Span(T1.index("Hà Nội"), T1.index("Hà Nội") + 6, "LOCATION")]),
        AnnotatedDoc("b", T2, [Span(T2.index("Đà Nẵng"), T2.index("Đà Nẵng") + 7, "LOCATION")]),
        AnnotatedDoc("c", T3, [Span(T3.index("Huế"), T3.index("Huế") + 3, "LOCATION")]),
    ]
    write_docs(inp, docs)
    labels.write_text("LOCATION: địa danh hành chính\n", encoding="utf-8")
    return inp, labels


def _vner(cmd: str, url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    inp, labels = _inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    args = {
        "run": ["run", str(inp), str(out), "--labels", str(labels), "--shots", "0"],
        "expand": ["expand", str(inp), str(out), "--new-labels", str(labels)],
        "optimize": ["optimize", str(inp), "--labels", str(labels), "--log", str(tmp_path / "t.jsonl")],
    }[cmd]
    env = {**os.environ, "VNER_LLM_MAX_RETRIES": "1"}
    env.pop("VNER_LLM_MAX_FAILED_FRACTION", None)
    return subprocess.run(
        [sys.executable, "-m", "vner.cli", "annotate", *args, "--base-url", url, "--timeout", "5", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _one_line(stderr: str) -> str:
    lines = [x for x in stderr.strip().splitlines() if x.strip() and "annotating" not in x]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("cmd", ["run", "expand", "optimize"])
def test_refused_port_exits_1_before_any_work(cmd: str, tmp_path: Path) -> None:
    port = free_port()
    t0 = time.monotonic()
    res = _vner(cmd, f"http://127.0.0.1:{port}/v1", tmp_path)
    assert res.returncode == 1, res.stdout
    line = _one_line(res.stderr)
    assert line.startswith(f"vner annotate {cmd}: LLM endpoint unreachable: connection_refused on GET ")
    assert f":{port}/v1/models" in line
    assert not (tmp_path / "out.jsonl").exists() and time.monotonic() - t0 < 60


def test_refused_port_without_the_check_fails_as_all_documents_failed(tmp_path: Path) -> None:
    res = _vner("run", f"http://127.0.0.1:{free_port()}/v1", tmp_path, "--no-check")
    assert res.returncode == 1
    line = _one_line(res.stderr)
    assert line.startswith("vner annotate run: all 3 documents failed (")
    assert "connection_refused=6" in line  # 3 documents x 2 attempts
    report = json.loads(res.stdout[res.stdout.index("{") :])
    assert report["client"]["connection_refused"] == 6 and report["failed_documents"] == 3


@pytest.mark.parametrize("cmd", ["run", "expand", "optimize"])
def test_server_answering_500_counts_http_500_and_exits_1(
    cmd: str, llm_server: ScriptedServer, tmp_path: Path
) -> None:
    llm_server.handler = lambda p: (500, "", 0)
    res = _vner(cmd, llm_server.url, tmp_path)
    assert res.returncode == 1
    line = _one_line(res.stderr)
    assert line.startswith(f"vner annotate {cmd}: all ") and "documents failed" in line
    assert "http_500=" in line and "http_errors" not in res.stdout + res.stderr


def test_malformed_json_is_malformed_output_and_all_failed_exits_1(
    llm_server: ScriptedServer, tmp_path: Path
) -> None:
    llm_server.raw_body = b"<html>not json"
    res = _vner("run", llm_server.url, tmp_path)
    assert res.returncode == 1
    assert "all 3 documents failed (" in _one_line(res.stderr)
    assert "malformed_output=6" in res.stderr
    assert json.loads(res.stdout[res.stdout.index("{") :])["client"]["malformed_output"] == 6


def _one_bad(p: dict) -> tuple[int, str, float]:
    text = last_text(p)
    if text == T1:
        return 500, "", 0
    return 200, answer(("LOCATION", "Đà Nẵng" if text == T2 else "Huế", 1)), 0


def test_partial_failure_below_the_threshold_exits_0_with_counts(
    llm_server: ScriptedServer, tmp_path: Path
) -> None:
    llm_server.handler = _one_bad
    res = _vner("run", llm_server.url, tmp_path)
    assert res.returncode == 0, res.stderr
    line = _one_line(res.stderr)
    assert line.startswith(
        "vner annotate run: warning: 1 of 3 documents failed, within --max-failed-fraction 0.5"
    )
    assert "http_500=2" in line and "document_failed=1" in line
    got = {d.id: d for d in read_docs(tmp_path / "out.jsonl")}
    assert got["a"].meta == {"llm_failed": True} and len(got["b"].spans) == 1 and len(got["c"].spans) == 1


def test_partial_failure_above_the_threshold_exits_1(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = _one_bad
    res = _vner("run", llm_server.url, tmp_path, "--max-failed-fraction", "0.2")
    assert res.returncode == 1
    assert _one_line(res.stderr).startswith(
        "vner annotate run: 1 of 3 documents failed, over --max-failed-fraction 0.2 ("
    )
    assert (tmp_path / "out.jsonl").exists()  # what did succeed is still written


def test_no_failure_prints_no_warning(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = lambda p: (200, answer(), 0)
    res = _vner("run", llm_server.url, tmp_path)
    assert res.returncode == 0 and "failed" not in res.stderr.replace("llm_failed", "")


@pytest.mark.skipif(shutil.which("curl") is None, reason="the loop needs curl")
def test_llm_loop_exits_1_when_the_endpoint_is_unreachable(tmp_path: Path) -> None:
    env = {**os.environ, "VNER_LLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1"}
    res = subprocess.run(
        ["bash", str(ROOT / "deploy" / "local" / "llm_loop.sh"), str(tmp_path / "loop")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [
        f"llm_loop: LLM endpoint {env['VNER_LLM_BASE_URL']} unreachable (GET /models got no answer); "
        "nothing was run"
    ]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the loop needs curl")
def test_llm_loop_stops_non_zero_when_every_request_fails(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = lambda p: (500, "", 0)
    env = {**os.environ, "VNER_LLM_BASE_URL": llm_server.url, "VNER_LLM_MAX_RETRIES": "0"}
    res = subprocess.run(
        ["bash", str(ROOT / "deploy" / "local" / "llm_loop.sh"), str(tmp_path / "loop")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert res.returncode != 0
    assert "vner annotate run: all 8 documents failed (" in res.stderr and "http_500=" in res.stderr
    assert 'llm_loop: stopped at step "annotate run --sc 3 --refine"' in res.stderr
    assert "every step finished" not in res.stdout
