"""Place data: PyPI vietnam-provinces (34 units, wards) plus the hand-kept aliases, former provinces, districts."""

from __future__ import annotations

from pathlib import Path

import pytest
from vner.rules.lang.vi.places import ADMIN_FILE, load_places
from vner.rules.recognizers.gazetteer_match import DATA_DIR


def test_package_units_and_hand_kept_data() -> None:
    places = load_places()
    current = {p.name for p in places.provinces if p.status == "current"}
    former = {p.name: p.province for p in places.provinces if p.status == "former"}
    assert len(current) == 34 and len(former) == 29 and not current & set(former)
    assert {"Hồ Chí Minh", "Huế", "Tuyên Quang", "Cà Mau"} <= current  # short names, no "Thành phố"
    assert former["Bình Dương"] == "Hồ Chí Minh" and former["Hà Giang"] == "Tuyên Quang"
    assert len(places.wards) > 3000 and all(w.needs == "prefix" for w in places.wards)
    assert {"ward", "commune", "special zone"} == {w.kind for w in places.wards if w.status == "current"}
    assert sum(w.status == "current" for w in places.wards) == 3321
    assert any(w.name == "Bến Thành" and w.province == "Hồ Chí Minh" for w in places.wards)
    assert set(places.surfaces()) >= {"TP HCM", "Sài Gòn", "Danang", "Đắc Lắc", "Cầu Giấy", "HN"}
    assert places.surfaces()["Hà Nội"] == "" and places.surfaces()["HN"] == "capital"
    assert ADMIN_FILE == DATA_DIR / "gazetteers" / "vn_admin.yaml"


def test_a_unit_the_package_does_not_know_is_a_load_error(tmp_path: Path) -> None:
    f = tmp_path / "admin.yaml"
    f.write_text("current:\n  - {name: Sài Gòn Mới, aliases: [SGM]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"current\[0\]\.name: 'Sài Gòn Mới' is not one of the 34"):
        load_places(str(f))
    f.write_text("former:\n  - {name: Hà Tây, merged_into: Hà Tây Mới}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"former\[0\]\.merged_into"):
        load_places(str(f))


def test_pre_2025_wards_and_districts_from_vietnamadminunits() -> None:
    places = load_places()
    former = [w for w in places.wards if w.status == "former"]
    assert len(former) > 9000 and {"ward", "commune", "township"} == {w.kind for w in former}
    # abolished on 2025-07-01, filed under the province their old one became
    assert any(w.name == "Linh Trung" and w.kind == "ward" and w.province == "Hồ Chí Minh" for w in former)
    assert any(w.name == "Bến Nghé" and w.province == "Hồ Chí Minh" for w in former)
    assert any(w.name == "Đông Anh" and w.kind == "township" and w.province == "Hà Nội" for w in former)
    # Bình Dương's old wards are in today's Hồ Chí Minh, Hà Giang's in Tuyên Quang
    assert any(w.name == "Phú Cường" and w.province == "Hồ Chí Minh" for w in former)
    districts = {d.name: d for d in places.districts}
    assert districts["Krông Pắc"].province == "Đắk Lắk" and districts["Krông Pắc"].needs == "prefix"
    assert districts["Cầu Giấy"].needs != "prefix"  # the hand-kept file's entry wins over the package's
    # "Phường 12", "Phường IV": numbers, left to the numbered-unit rules
    assert not any(w.name[0].isdigit() or not w.name.strip("IVX") for w in former)
