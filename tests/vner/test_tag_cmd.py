"""``vner tag`` (one text, JSON-lines streaming with bad lines) and ``vner rules list|check``."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vner.cli import app

REF = ["--ref-time", "2026-11-25T09:30:00+07:00"]
SECRET = "0987654321"  # appears in a bad line; must never be echoed to stderr
TEXT_1 = "Gọi em số 0912 345 678 nhé, email lan@gmail.com"
GOOD_1 = {"id": 1, "text": TEXT_1}
GOOD_5 = {"id": "m-5", "text": "COD 618.000đ giao Hà Nội", "ref_time": "2026-01-01T00:00:00"}
STDIN_LINES = [
    json.dumps(GOOD_1, ensure_ascii=False),
    f"sđt {SECRET} not json",
    json.dumps({"id": 3, "txt": f"gọi {SECRET}"}, ensure_ascii=False),
    json.dumps([1, 2]),
    json.dumps(GOOD_5, ensure_ascii=False),
    json.dumps({"id": 6, "text": "x", "lang": "fr"}),
]


def _runner() -> CliRunner:
    return CliRunner()


def test_tag_one_text() -> None:
    res = _runner().invoke(app, ["tag", "--rules-only", *REF, TEXT_1])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["text"] == TEXT_1
    labels = {(e["label"], e["text"]) for e in out["entities"]}
    assert ("PHONE", "0912 345 678") in labels and ("EMAIL", "lan@gmail.com") in labels  # general domain
    phone = next(e for e in out["entities"] if e["label"] == "PHONE")
    assert TEXT_1[phone["start"] : phone["end"]] == phone["text"] and phone["stages"] == ["rules"]


def test_tag_with_a_domain_renames_labels() -> None:
    res = _runner().invoke(app, ["tag", "--rules-only", "--domain", "customer_service", *REF, TEXT_1])
    assert res.exit_code == 0, res.output
    assert "PHONE_NUMBER" in {e["label"] for e in json.loads(res.stdout)["entities"]}


@pytest.mark.parametrize(
    ("domain", "text", "expected"),
    [
        # a rule gives the group label; --rules-only restores the fine one from the schema's cue words
        ("gam", "em vòng 1 86 vòng 2 64, cao 1m60", [("86", "CHEST_CIRCUMFERENCE"), ("64", "WAIST_CIRCUMFERENCE"),
                                                   ("1m60", "CUSTOMER_HEIGHT")]),
        # (the payroll terms "lương cơ bản", "bhxh" are fine labels already: no group to restore)
        ("ai_fluent", "lương cơ bản 8.500.000, phụ cấp ca đêm 618,000 bị trừ 200k",
         [("lương cơ bản", "SALARY"), ("8.500.000", "MONEY_SALARY"), ("phụ cấp ca đêm", "NIGHT_SHIFT_ALLOWANCE"),
          ("618,000", "MONEY_ALLOWANCE"), ("200k", "MONEY_DEDUCTION")]),
        ("ai_fluent", "bhxh 850.000, thuc nhan 12.300.000",
         [("bhxh", "INSURANCE"), ("850.000", "MONEY_DEDUCTION"), ("12.300.000", "MONEY_SALARY")]),
    ],
)  # fmt: skip
def test_rules_only_restores_fine_labels_of_groups(
    domain: str, text: str, expected: list[tuple[str, str]]
) -> None:
    res = _runner().invoke(app, ["tag", "--rules-only", "--domain", domain, *REF, text])
    assert res.exit_code == 0, res.output
    ents = json.loads(res.stdout)["entities"]
    assert [(e["text"], e["label"]) for e in ents] == expected
    fine_already = {"SALARY", "INSURANCE"}
    assert all(
        e["stages"] == (["rules"] if e["label"] in fine_already else ["rules", "post:restore_fine"])
        for e in ents
    )


def test_rules_only_rebuilds_an_address_from_its_fragments() -> None:
    text = "địa chỉ số 19 đường Lê Lợi, quận Hoàn Kiếm, Hà Nội nhé"
    res = _runner().invoke(app, ["tag", "--rules-only", "--domain", "customer_service", *REF, text])
    assert res.exit_code == 0, res.output
    ents = json.loads(res.stdout)["entities"]
    assert [(e["label"], e["text"]) for e in ents] == [
        ("ADDRESS", "số 19 đường Lê Lợi, quận Hoàn Kiếm, Hà Nội")
    ]
    assert ents[0]["stages"][0] == "rules" and "model" not in ents[0]["stages"]


def _check_stream(stdout: str, stderr: str) -> None:
    lines = [json.loads(x) for x in stdout.splitlines() if x.strip()]
    assert [rec["id"] for rec in lines] == [1, "m-5"]
    assert any(
        e["label"] == "MONEY" and e["value"] == {"amount": 618000, "currency": "VND"}
        for e in lines[1]["entities"]
    )
    for n, why in [(2, "not JSON"), (3, "'text'"), (4, "JSON object"), (6, "'lang'")]:
        assert any(line.startswith(f"line {n}: skipped") and why in line for line in stderr.splitlines()), (
            n,
            stderr,
        )
    assert SECRET not in stderr and "not json" not in stderr


def test_stream_with_bad_lines_cli_runner() -> None:
    data = ("\n".join(STDIN_LINES) + "\n").encode() + b"\xff\xfe bad utf8\n"
    res = _runner().invoke(app, ["tag", "--rules-only", *REF], input=data)
    assert res.exit_code == 0, res.output
    _check_stream(res.stdout, res.stderr)
    assert "line 7: skipped: not valid UTF-8" in res.stderr
    assert "tagged 2 records, skipped 5 bad lines" in res.stderr


def _vner_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("vner")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "vner.cli"]


def test_stream_real_subprocess_flushes_each_line() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [*_vner_cmd(), "tag", "--rules-only", *REF],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[bytes] = queue.Queue()
    stdout = proc.stdout

    def pump() -> None:
        for x in iter(stdout.readline, b""):
            lines.put(x)

    threading.Thread(target=pump, daemon=True).start()
    # streaming: the first record's result arrives while stdin is still open
    proc.stdin.write((STDIN_LINES[0] + "\n").encode())
    proc.stdin.flush()
    first = lines.get(timeout=60)
    assert json.loads(first)["id"] == 1
    proc.stdin.write(("\n".join(STDIN_LINES[1:]) + "\n").encode())
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr is not None
    rest = b""
    while not lines.empty():
        rest += lines.get()
    _check_stream((first + rest).decode(), proc.stderr.read().decode())


def test_bad_options() -> None:
    res = _runner().invoke(app, ["tag", "--domain", "nope", "hello"])
    assert res.exit_code == 2 and "unknown domain 'nope'" in res.stderr
    res = _runner().invoke(app, ["tag", "--ref-time", "yesterday", "hello"])
    assert res.exit_code == 2 and "--ref-time" in res.output
    res = _runner().invoke(app, ["tag", "--lang", "fr", "hello"])
    assert res.exit_code == 2


def test_rules_list_and_check(tmp_path: Path) -> None:
    res = _runner().invoke(app, ["rules", "list"])
    assert res.exit_code == 0, res.output
    for name in ("phone", "location", "gazetteer", "pattern", "customer_service", "rare_wildlife"):
        assert name in res.stdout
    res = _runner().invoke(app, ["rules", "list", "--domain", "gam"])
    assert res.exit_code == 0, res.output
    assert "BODY_MEASUREMENT" in res.stdout and "MONEY → PRICE" in res.stdout and "rules:gam@" in res.stdout
    good = tmp_path / "mini.yaml"
    good.write_text(
        "name: mini\nlabels: [PHONE_NUMBER]\nrecognizers:\n  - {use: phone, labels: {PHONE: PHONE_NUMBER}}\n"
    )
    res = _runner().invoke(app, ["rules", "check", str(good)])
    assert res.exit_code == 0 and "ok:" in res.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels: [PHONE_NUMBER]\nrecognizers:\n  - {use: phone, labels: {PHONE: MOBILE}}\n")
    res = _runner().invoke(app, ["rules", "check", str(bad)])
    assert res.exit_code == 1 and "bad.yaml: recognizers[0].labels.PHONE" in res.stderr


def test_tag_with_a_model_runs_the_hybrid_pipeline(tmp_path: Path) -> None:
    for extra in (
        "torch",
        "onnxruntime",
        "transformers",
    ):  # the [train] extra builds and exports the tiny model
        pytest.importorskip(extra)
    from vner.engine.training.export import export_model

    from tests.engine.tiny_model import make_tiny_model

    out = export_model(make_tiny_model(tmp_path / "model"), int8=False, fp16=False).out_dir
    args = ["tag", "--domain", "customer_service", "--model", str(out), *REF, TEXT_1]
    res = _runner().invoke(app, args)
    assert res.exit_code == 0, res.output
    ents = json.loads(res.stdout)["entities"]
    phone = next(e for e in ents if e["label"] == "PHONE_NUMBER")
    assert phone["stages"][0] == "rules" and TEXT_1[phone["start"] : phone["end"]] == phone["text"]
    # --rules-only ignores the model: same rule entities, no model stage anywhere
    res = _runner().invoke(
        app, ["tag", "--rules-only", "--domain", "customer_service", "--model", str(out), *REF, TEXT_1]
    )
    assert res.exit_code == 0
    rules_only = json.loads(res.stdout)["entities"]
    assert {(e["label"], e["text"]) for e in rules_only} == {
        ("PHONE_NUMBER", "0912 345 678"),
        ("EMAIL", "lan@gmail.com"),
    }
    assert all(e["stages"][0] == "rules" and "model" not in e["stages"] for e in rules_only)


def test_tag_with_a_missing_model_dir() -> None:
    res = _runner().invoke(app, ["tag", "--model", "/nonexistent/model", "hello"])
    assert res.exit_code == 2 and "/nonexistent/model" in res.stderr


def test_json_output_of_non_json_values() -> None:
    from datetime import date
    from decimal import Decimal

    from vner.commands.tag import _dumps

    assert _dumps({"v": Decimal("1.50"), "d": date(2026, 3, 15), "s": {"b", "a"}}) == (
        '{"v":"1.50","d":"2026-03-15","s":["a","b"]}'
    )
