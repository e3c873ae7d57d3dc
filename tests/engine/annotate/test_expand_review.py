"""Label-set expansion, Label Studio round trip, agreement and the prompt-optimisation loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from vner.engine.annotate.annotator import LLMAnnotator, Techniques
from vner.engine.annotate.client import ChatClient, LLMSettings
from vner.engine.annotate.corpus import AnnotatedDoc, read_docs, write_docs
from vner.engine.annotate.expand import expand_labels
from vner.engine.annotate.labelstudio import agreement, from_label_studio, to_label_studio
from vner.engine.annotate.optimize import Trial, optimize
from vner.engine.annotate.prompts import PromptVariant
from vner.engine.annotate.spans import Span

from tests.engine.annotate.conftest import ScriptedServer, answer, last_text

T1 = "Tôi đặt 2 áo thun ở Hà Nội, thanh toán qua Vietcombank."
T2 = "Giao hàng về Đà Nẵng trong 3 ngày."


def docs() -> list[AnnotatedDoc]:
    return [
        AnnotatedDoc("a", T1, [Span(T1.index("Hà Nội"), T1.index("Hà Nội") + 6, "LOCATION")]),
        AnnotatedDoc("b", T2, [Span(T2.index("Đà Nẵng"), T2.index("Đà Nẵng") + 7, "LOCATION")]),
    ]


def mk_client(srv: ScriptedServer) -> ChatClient:
    return ChatClient(LLMSettings(base_url=srv.url, timeout_s=2, max_retries=0, concurrency=2))


def test_expansion_adds_new_labels_keeps_gold_and_reports_conflicts(llm_server: ScriptedServer) -> None:
    def h(p: dict) -> tuple[int, str, float]:
        text = last_text(p)
        if text == T1:  # a new BANK span, plus one overlapping the gold LOCATION (a conflict)
            return 200, answer(("BANK", "Vietcombank", 1), ("BANK", "Hà Nội", 1)), 0
        return 200, "not json at all", 0

    llm_server.handler = h
    ann = LLMAnnotator(mk_client(llm_server), {"BANK": "ngân hàng"})
    out, rep = expand_labels(docs(), ann, {"BANK": "ngân hàng"})
    gold = docs()
    assert out[0].spans[: len(gold[0].spans)] == gold[0].spans or set(gold[0].spans) <= set(out[0].spans)
    assert {s.label for s in out[0].spans} == {"LOCATION", "BANK"}
    assert out[1].spans == gold[1].spans  # the malformed answer changed nothing
    assert rep.added["BANK"] == 1 and len(rep.conflicts) == 1
    assert rep.conflicts[0].existing.label == "LOCATION"
    assert ann.errors["malformed_json"] == 1 and rep.failed_documents == 1


def test_expansion_rejects_labels_the_annotator_does_not_know(llm_server: ScriptedServer) -> None:
    ann = LLMAnnotator(mk_client(llm_server), {"BANK": "ngân hàng"})
    with pytest.raises(ValueError, match="PRODUCT"):
        expand_labels(docs(), ann, {"PRODUCT": "sản phẩm"})


def test_label_studio_round_trip_and_agreement() -> None:
    llm = docs()
    tasks = to_label_studio(llm)
    assert tasks[0]["predictions"][0]["result"][0]["value"]["text"] == "Hà Nội"
    # a reviewer accepts task a, and on task b replaces the span with a longer one
    export = json.loads(json.dumps(tasks))
    export[0]["annotations"] = [{"result": export[0]["predictions"][0]["result"]}]
    start = T2.index("về Đà Nẵng")
    export[1]["annotations"] = [
        {
            "result": [
                {
                    "type": "labels",
                    "value": {
                        "start": start,
                        "end": start + 10,
                        "text": "về Đà Nẵng",
                        "labels": ["LOCATION"],
                    },
                }
            ]
        }
    ]
    reviewed = from_label_studio(export)
    assert reviewed[0].spans == llm[0].spans and reviewed[1].spans == [Span(start, start + 10, "LOCATION")]
    rep = agreement(llm, reviewed)
    assert rep["micro"]["precision"] == pytest.approx(0.5) and rep["per_label"]["LOCATION"][
        "recall"
    ] == pytest.approx(0.5)


def test_label_studio_import_rejects_offsets_that_do_not_match() -> None:
    bad = [
        {
            "data": {"text": T2},
            "annotations": [
                {
                    "result": [
                        {"type": "labels", "value": {"start": 0, "end": 4, "text": "xxxx", "labels": ["X"]}}
                    ]
                }
            ],
        }
    ]
    with pytest.raises(ValueError, match="does not match"):
        from_label_studio(bad)


def test_optimize_keeps_the_best_trial_and_logs_all(llm_server: ScriptedServer, tmp_path: Path) -> None:
    # the scripted model is only right when shown few-shot examples
    def h(p: dict) -> tuple[int, str, float]:
        text = last_text(p)
        shots = sum(1 for m in p["messages"] if m["role"] == "assistant")
        loc = "Hà Nội" if text == T1 else "Đà Nẵng"
        return 200, answer(("LOCATION", loc, 1)) if shots else answer(("LOCATION", text[:3], 1)), 0

    llm_server.handler = h
    trials = [
        Trial(PromptVariant("zero", n_shots=0), Techniques()),
        Trial(PromptVariant("two", n_shots=2), Techniques()),
    ]
    log = tmp_path / "trials.jsonl"
    pool_docs = docs()
    from vner.engine.annotate.prompts import Example

    pool = [Example(d.text, tuple(d.spans)) for d in pool_docs]
    best, records = optimize(
        mk_client(llm_server), {"LOCATION": "địa danh"}, pool_docs, pool, trials=trials, log_path=log
    )
    assert best.variant.name == "two"
    assert [r["micro"]["f1"] for r in records] == [0.0, 1.0]
    assert len(log.read_text().splitlines()) == 2


def test_cli_annotate_run_end_to_end(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = lambda p: (
        200,
        answer(("LOCATION", "Đà Nẵng", 1)) if "Đà Nẵng" in last_text(p) else "garbage",
        0,
    )
    inp, out, labels = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "labels.yaml"
    write_docs(inp, docs())
    labels.write_text("LOCATION: địa danh hành chính\n", encoding="utf-8")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "vner.cli",
            "annotate",
            "run",
            str(inp),
            str(out),
            "--labels",
            str(labels),
            "--base-url",
            llm_server.url,
            "--shots",
            "0",
            "--timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    got = list(read_docs(out))
    assert got[0].spans == [] and got[0].meta == {"llm_failed": True}
    assert [got[1].text[s.start : s.end] for s in got[1].spans] == ["Đà Nẵng"]
    report = json.loads(res.stdout[res.stdout.index("{") :])
    assert report["errors"]["malformed_json"] == 1


def test_cli_optimize_logs_trials_and_a_rerun_is_answered_from_the_cache(
    llm_server: ScriptedServer, tmp_path: Path
) -> None:
    llm_server.handler = lambda p: (200, answer(("LOCATION", "Đà Nẵng", 1)), 0)
    dev, labels, cache = tmp_path / "dev.jsonl", tmp_path / "labels.yaml", tmp_path / "cache"
    write_docs(dev, docs())
    labels.write_text("LOCATION: địa danh hành chính\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "vner.cli", "annotate", "optimize", str(dev), "--labels", str(labels)]
    cmd += ["--examples", str(dev), "--base-url", llm_server.url, "--cache-dir", str(cache), "--timeout", "5"]

    def client_line(run: int) -> dict[str, int]:
        res = subprocess.run(
            [*cmd, "--log", str(tmp_path / f"t{run}.jsonl")], capture_output=True, text=True, timeout=300
        )
        assert res.returncode == 0, res.stderr
        assert "best: " in res.stdout
        line = next(x for x in res.stdout.splitlines() if x.startswith("client: "))
        return {k: int(v) for k, v in (kv.split("=") for kv in line[len("client: ") :].split(", "))}

    first = client_line(1)
    assert first["requests"] > 0 and first["failures"] == 0
    assert first["connection_refused"] == first["malformed_output"] == 0
    assert not [k for k in first if k.startswith("http_")]
    trials = (tmp_path / "t1.jsonl").read_text().splitlines()
    assert len(trials) >= 2 and all("micro" in json.loads(t) for t in trials)
    again = client_line(2)
    assert again["requests"] == 0 and again["cache_hits"] == first["requests"] + first["cache_hits"]
