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
    covid = next(line for line in res.stdout.splitlines() if "covid19" in line)
    assert "date_time=separate" in covid and "lead_words=outside" in covid
    general = next(line for line in res.stdout.splitlines() if "│ general " in line)
    assert "date_time=merged" in general
    res = CliRunner().invoke(app, ["rules", "list", "--domain", "covid19"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    row = next(line for line in res.stdout.splitlines() if "relative_times" in line)
    assert "duration" in row and "duration | time" in row
