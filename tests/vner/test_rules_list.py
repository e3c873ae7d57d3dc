"""``vner rules list`` reads recognizers and validators from their registries (issue 19)."""

from __future__ import annotations

from typer.testing import CliRunner
from vner.rules.registry import recognizer_classes
from vner.rules.validators import VALIDATORS

from vner.cli import app


def test_rules_list_shows_every_registered_recognizer_and_validator() -> None:
    res = CliRunner().invoke(app, ["rules", "list"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    for name in recognizer_classes().names():
        assert name in res.stdout
    for name in VALIDATORS.names():
        assert name in res.stdout
    assert VALIDATORS.help("vn_mst.v1") in res.stdout
    assert f"{len(recognizer_classes())} recognizers from" in res.stdout


def test_rules_list_shows_each_domains_span_conventions() -> None:
    res = CliRunner().invoke(app, ["rules", "list"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    # literal settings of rules/data/domains/covid19.yaml and general.yaml
    covid = _domain_rows(res.stdout, "covid19")  # conventions one per line under the domain's row
    assert "date_time=separate" in covid[0] and any("lead_words=outside" in line for line in covid[1:])
    assert "date_time=merged" in _domain_rows(res.stdout, "general")[0]
    res = CliRunner().invoke(app, ["rules", "list", "--domain", "covid19"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    row = next(line for line in res.stdout.splitlines() if "relative_times" in line)
    assert "duration" in row and "duration | time" in row


def _domain_rows(table: str, domain: str) -> list[str]:
    """The table line naming ``domain`` and the continuation lines under it (empty first cell)."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {domain} "))
    rows = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("│") or line.split("│")[1].strip():
            break
        rows.append(line)
    assert len(rows) >= 4, rows  # four convention settings, one per line
    return rows
