"""CLI choices are enums listed in ``--help`` and equal to the value sets their layers own (issue 19)."""

from __future__ import annotations

from typing import get_args

from typer.testing import CliRunner
from vner.engine.runtime.model_meta import DECODINGS
from vner.engine.runtime.providers import PRECISIONS
from vner.engine.runtime.segment import SEGMENTERS
from vner.engine.training.corpus import FORMATS
from vner.engine.training.export import CALIBRATION_METHODS, INT8_RECIPES
from vner.streams.settings import Delivery as SettingsDelivery
from vner.streams.settings import StreamSettings

from vner.cli import app
from vner.commands.choices import (
    CalibrationMethod,
    CorpusFormat,
    Decoding,
    Delivery,
    Int8Recipe,
    LogLevel,
    Precision,
    Segmenter,
    value_of,
)

RUN = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def test_enums_equal_the_layers_value_sets() -> None:
    assert tuple(CorpusFormat) == FORMATS == ("phoner", "conll", "jsonl")
    assert tuple(Precision) == PRECISIONS
    assert tuple(Decoding) == DECODINGS == ("argmax", "viterbi")
    assert tuple(Segmenter) == SEGMENTERS
    assert tuple(Int8Recipe) == tuple(INT8_RECIPES)
    assert tuple(CalibrationMethod) == CALIBRATION_METHODS
    assert tuple(Delivery) == get_args(SettingsDelivery)
    assert tuple(LogLevel) == get_args(StreamSettings.model_fields["log_level"].annotation)


def test_value_of_gives_plain_strings() -> None:
    assert value_of(CorpusFormat.conll) == "conll" and type(value_of(CorpusFormat.conll)) is str
    assert value_of(None) is None


def test_help_lists_the_choices() -> None:
    eval_help = RUN.invoke(app, ["eval", "--help"], env=ENV).output
    assert "phoner|conll|jsonl" in eval_help and "auto|fp32|int8|fp16" in eval_help
    assert "argmax|viterbi" in eval_help
    assert "argmax|viterbi" in RUN.invoke(app, ["tag", "--help"], env=ENV).output
    run_help = RUN.invoke(app, ["run", "--help"], env=ENV).output
    assert "confluent|faust" in run_help and "exactly_once|at_least_once" in run_help
    train_help = RUN.invoke(app, ["train", "--help"], env=ENV).output
    assert "pyvi|underthesea|rdrsegmenter" in train_help


def test_a_wrong_choice_is_refused_by_the_parser(tmp_path) -> None:
    res = RUN.invoke(app, ["data", "stats", str(tmp_path / "x.jsonl"), "--format", "csv"], env=ENV)
    assert res.exit_code == 2
    assert "'csv' is not one of 'phoner', 'conll', 'jsonl'" in res.output
    res = RUN.invoke(app, ["run", "--engine", "kafka-streams"], env=ENV)
    assert res.exit_code == 2 and "'kafka-streams' is not one of 'confluent', 'faust'" in res.output


def test_eval_modes_are_exclusive(tmp_path) -> None:
    a = tmp_path / "a.json"
    res = RUN.invoke(app, ["eval", "--compare", str(a), str(a), "--pipeline"], env=ENV)
    assert res.exit_code == 2 and "--compare and --pipeline are separate modes" in res.output


def test_data_convert_with_enum_formats(tmp_path) -> None:
    src = tmp_path.parent / "src.jsonl"
    src.write_text(
        '{"text": "Gọi 0912345678 nhé", "entities": [{"start": 4, "end": 14, "label": "PHONE"}]}\n',
        encoding="utf-8",
    )
    dst = tmp_path / "out.conll"
    res = RUN.invoke(app, ["data", "convert", str(src), str(dst), "--to", "conll"], env=ENV)
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith("(conll)")
    rows = [ln.split() for ln in dst.read_text("utf-8").splitlines() if ln.strip()]
    assert ["0912345678", "B-PHONE"] in rows and ["Gọi", "O"] in rows
