"""SUTime adapter: the clear error when jars are missing, UTF-16 offsets, and real English parsing.

The real tests start CoreNLP's JVM once for the module (~1 min on 2 cores). They run whenever the jars are
installed (``bash deploy/local/install_sutime.sh``); without them they skip locally and FAIL in CI (``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from vner.rules.recognizer import Recognizer, RuleContext
from vner.rules.recognizers.sutime_adapter import (
    INSTALL_COMMAND,
    RECOGNIZERS,
    REQUIRED_JARS,
    SutimeRecognizer,
    SutimeUnavailable,
    check_install,
    default_jars_dir,
    utf16_to_py,
)

REF = datetime(2026, 11, 25, 10, 0)
EN = RuleContext(ref_time=REF, lang="en")


def test_missing_jars_raise_a_clear_error_without_starting_anything(tmp_path: Path) -> None:
    (tmp_path / REQUIRED_JARS[2]).write_bytes(b"x")  # one jar present, the others missing
    rec = SutimeRecognizer(config={"jars_dir": str(tmp_path)})
    assert not rec.available()
    before = socket.getdefaulttimeout()
    with pytest.raises(SutimeUnavailable) as err:
        rec.analyze("See you tomorrow at 3pm", EN)
    msg = str(err.value)
    assert INSTALL_COMMAND in msg and "mvn dependency:copy-dependencies" in msg
    assert str(tmp_path / "stanford-corenlp-4.0.0-models.jar") in msg
    assert str(tmp_path / REQUIRED_JARS[2]) not in msg
    assert socket.getdefaulttimeout() == before


_BROKEN_JVM_SCRIPT = """
import socket, sys
from datetime import datetime
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.sutime_adapter import SutimeRecognizer, SutimeUnavailable
rec = SutimeRecognizer(config={"jars_dir": sys.argv[1]})
ctx = RuleContext(ref_time=datetime(2026, 11, 25), lang="en")
for attempt in (1, 2):
    try:
        rec.analyze("tomorrow at 3pm", ctx)
    except SutimeUnavailable as exc:
        print(f"attempt {attempt}: {exc}")
print("timeout", socket.getdefaulttimeout())
"""


def test_a_jvm_that_cannot_load_corenlp_raises_instead_of_exiting(tmp_path: Path) -> None:
    """sutime calls sys.exit when CoreNLP's classes cannot load: we get an exception and the process lives on.

    Runs in a child process: a process gets one JVM, and this one is meant to fail.
    """
    pytest.importorskip("jpype", reason=f"JPype1 not installed; run: {INSTALL_COMMAND}")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH")
    for jar in REQUIRED_JARS:
        (tmp_path / jar).write_bytes(b"not a jar")  # present by name, unusable
    out = subprocess.run(
        [sys.executable, "-c", _BROKEN_JVM_SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("attempt 1: SUTime could not start its JVM") and INSTALL_COMMAND in lines[0]
    assert lines[1].startswith("attempt 2: SUTime could not start its JVM")  # not retried
    assert lines[2] == "timeout None"  # importing sutime no longer changes the process-wide socket timeout


def test_other_languages_never_touch_the_jvm(tmp_path: Path) -> None:
    rec = SutimeRecognizer(config={"jars_dir": str(tmp_path)})  # no jars at all
    assert rec.analyze("hẹn gặp ngày mai", RuleContext(ref_time=REF, lang="vi")) == []
    assert rec.analyze("   ", EN) == []
    with pytest.raises(SutimeUnavailable):
        check_install(tmp_path)


def test_config_and_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert RECOGNIZERS == {"sutime": SutimeRecognizer}
    assert isinstance(SutimeRecognizer(), Recognizer)
    with pytest.raises(ValueError, match="unknown config key 'jar'"):
        SutimeRecognizer(config={"jar": "x"})
    monkeypatch.setenv("VNER_SUTIME_JARS", str(tmp_path))
    assert default_jars_dir() == tmp_path and SutimeRecognizer().jars_dir == tmp_path


def test_utf16_offsets_map_to_python_indices() -> None:
    text = "😀a😀bc"
    table = utf16_to_py(text)
    # UTF-16 units: 😀(2) a(1) 😀(2) b c -> python indices 0 1 2 3 4
    assert table[2] == 1 and table[5] == 3 and table[7] == len(text)


def test_mapping_of_ranges_and_unresolved_values() -> None:
    rec = SutimeRecognizer()
    text = "😀 last year in March, then from 2pm to 4pm"
    raw: list[dict[str, Any]] = [
        {"start": 3, "end": 21, "text": "last year in March", "type": "DATE", "value": "PREV P1Y INTERSECT XXXX-03"},
        {"start": 28, "end": 43, "type": "DURATION", "timex-value": "PT2H",
         "value": {"begin": "T14:00", "end": "T16:00", "duration": "PT2H"}},
        {"start": 0, "end": 2, "type": "NUMBER", "value": "1"},
    ]  # fmt: skip
    ents = rec.entities(text, raw, REF)
    assert [(e.text, e.score) for e in ents] == [("last year in March", 0.6), ("from 2pm to 4pm", 0.9)]
    assert ents[1].value == {"type": "DURATION", "value": "PT2H", "begin": "T14:00", "end": "T16:00",
                             "duration": "PT2H"}  # fmt: skip
    assert "unresolved" in ents[0].explanation


@pytest.fixture(scope="module")
def real() -> SutimeRecognizer:
    rec = SutimeRecognizer()
    if not rec.available():
        why = f"SUTime jars not installed in {rec.jars_dir}; run: {INSTALL_COMMAND}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the SUTime tests for real: {why}")
        pytest.skip(why)
    return rec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will meet you next Monday at 3pm for 2 hours, every Tuesday.",
         [("TIME", "next Monday at 3pm", "2026-11-30T15:00"), ("DURATION", "2 hours", "PT2H"),
          ("SET", "every Tuesday", "XXXX-WXX-2")]),
        ("😀😀 Tomorrow is fine, or March 3rd 2024.",
         [("DATE", "Tomorrow", "2026-11-26"), ("DATE", "March 3rd 2024", "2024-03-03")]),
        ("Call me in 3 days", [("DURATION", "3 days", "P3D")]),
        ("The meeting is on 2026-12-01 at 09:30", [("TIME", "2026-12-01 at 09:30", "2026-12-01T09:30")]),
        ("Order 0912345678 costs 50 USD", []),
    ],
)  # fmt: skip
def test_real_sutime(real: SutimeRecognizer, text: str, expected: list[tuple[str, str, str]]) -> None:
    before = socket.getdefaulttimeout()
    ents = real.analyze(text, EN)
    assert [(e.label, e.text, e.value["value"]) for e in ents] == expected
    for e in ents:
        assert text[e.start : e.end] == e.text and e.source == "rule:sutime.v1"
    assert socket.getdefaulttimeout() == before  # the import's process-wide 15 s timeout was undone
