"""Replacement mentions from files: the rules' gazetteers feed mention replacement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vner.engine.augment.gazetteer_file import load_gazetteer, read_mentions
from vner.engine.augment.mention import MentionReplacer
from vner.engine.training.corpus import Doc, Span, read_docs

from vner.cli import app

GAZ = Path(__file__).resolve().parents[3] / "rules" / "data" / "gazetteers"


def test_rules_gazetteers_read_as_mentions() -> None:
    admin = read_mentions(GAZ / "vn_admin.yaml")
    assert {"Hà Nội", "Sài Gòn", "Đà Nẵng"} <= set(admin) and len(admin) == len(set(admin)) > 60
    assert {"khó thở", "COVID-19", "Covid"} <= set(read_mentions(GAZ / "symptoms_vi.yaml"))
    assert "Vietcombank" in read_mentions(GAZ / "banks.yaml")
    assert {"Sóc Sơn", "Cầu Giấy"} <= set(admin)  # districts sit under ``districts: {province: [...]}``
    # vn_admin.yaml adds to vietnam-provinces: current units without an alias come from the package
    assert {"Quảng Ninh", "Tuyên Quang", "Cần Thơ", "Hà Giang"} <= set(admin)


DATA = Path(__file__).resolve().parents[3] / "engine" / "augment" / "data"


@pytest.mark.parametrize(
    "name, must",
    [
        ("jobs_vi.txt", {"điều dưỡng", "phi công"}),
        ("health_orgs_vi.txt", {"Bộ Y tế", "Tổ chức Y tế Thế giới"}),
        ("hospitals_vi.txt", {"Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy"}),
        ("countries_vi.txt", {"Hàn Quốc", "Mỹ"}),
        ("diseases_vi.txt", {"khó thở", "suy thận mạn"}),
        ("names_vi.txt", {"Nhung", "Hùng"}),
    ],
)
def test_shipped_mention_lists_load_without_comments(name: str, must: set[str]) -> None:
    mentions = read_mentions(DATA / name)
    assert must <= set(mentions) and len(mentions) > 40
    assert not any(m.startswith("#") for m in mentions)  # the header comment is not a mention


def test_txt_comment_lines_are_skipped(tmp_path: Path) -> None:
    txt = tmp_path / "j.txt"
    txt.write_text("# jobs\nbác sĩ\n  # indented comment\ny tá\n", encoding="utf-8")
    assert read_mentions(txt) == ["bác sĩ", "y tá"]
    txt.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no mentions"):
        read_mentions(txt)


def test_specs_merge_and_errors(tmp_path: Path) -> None:
    txt = tmp_path / "loc.txt"
    txt.write_text("Hội An\n\n  Phú   Quốc \nHội An\n", encoding="utf-8")
    js = tmp_path / "g.json"
    js.write_text(json.dumps({"LOCATION": ["Cà Mau"], "NAME": ["Lan"]}), encoding="utf-8")
    got = load_gazetteer([f"LOCATION={txt}", str(js)])
    assert got == {"LOCATION": ["Hội An", "Phú Quốc", "Cà Mau"], "NAME": ["Lan"]}
    bad = tmp_path / "g.csv"
    bad.write_text("x", encoding="utf-8")
    for spec, msg in (
        (f"LOCATION={bad}", r"\.txt, \.yaml or \.json"),
        (f"LOCATION={tmp_path / 'none.txt'}", "not found"),
        (f"={txt}", "LABEL=FILE"),
        (str(tmp_path / "none.json"), "not found"),
    ):
        with pytest.raises(ValueError, match=msg):
            load_gazetteer([spec])


def test_gazetteer_brings_new_surface_forms() -> None:
    doc = Doc("d", "Bệnh nhân ở Hà Nội và Huế", (Span(12, 18, "LOCATION"), Span(22, 25, "LOCATION")))
    gaz = load_gazetteer([f"LOCATION={GAZ / 'vn_admin.yaml'}"])
    res = MentionReplacer(corpus=[doc], gazetteer=gaz).augment([doc] * 20, rate=1.0, seed=3)
    new = {d.text[s.start : s.end] for d in res.docs for s in d.spans}
    assert len(new - {"Hà Nội", "Huế"}) >= 10  # the two-mention corpus alone could only swap them
    assert all(
        d.text[s.start : s.end] in gaz["LOCATION"] + ["Hà Nội", "Huế"] for d in res.docs for s in d.spans
    )


def test_cli_augment_and_train_accept_gazetteer_specs(tmp_path: Path) -> None:
    from tests.engine.tiny_model import TRAIN

    out = tmp_path / "aug.jsonl"
    r = CliRunner().invoke(
        app,
        ["augment", str(TRAIN), str(out), "--augmenters", "mention", "--rate", "1", "--seed", "2",
         "--gazetteer", f"LOCATION={GAZ / 'vn_admin.yaml'}"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    admin = set(read_mentions(GAZ / "vn_admin.yaml"))
    assert any(
        d.text[s.start : s.end] in admin for d in read_docs(out) for s in d.spans if s.label == "LOCATION"
    )
    r = CliRunner().invoke(
        app,
        ["train", "--train", str(TRAIN), "--dev", str(TRAIN), "--out", str(tmp_path / "m"), "--augment", "mention",
         "--phase2-epochs", "1", "--augment-gazetteer", f"LOCATION={tmp_path / 'missing.txt'}"],
    )  # fmt: skip
    assert r.exit_code != 0 and "not found" in r.output
