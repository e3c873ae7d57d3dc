"""LOCATION gazetteer (pre- and post-2025 units, prefixes, diacritics) and the generic YAML gazetteer."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from vner.rules.lang.vi.places import load_countries, load_places
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.gazetteer import GazetteerRecognizer, LocationRecognizer
from vner.rules.recognizers.gazetteer_match import fold, tone_key

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
LOC = LocationRecognizer(config={})


def _locs(text: str) -> list[tuple[str, str]]:
    nt = normalize(text)
    return [(nt.text[e.start : e.end], e.value) for e in LOC.analyze(nt.text, CTX)]


# valid: surface found -> canonical value
@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Tôi ở Hà Nội.", "Hà Nội", "Hà Nội"),
        ("giao về TP.HCM nhé", "TP.HCM", "Hồ Chí Minh"),
        ("giao về TP. Hồ Chí Minh nhé", "TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("ship vào Sài Gòn", "Sài Gòn", "Hồ Chí Minh"),
        ("nhà ở tỉnh Bình Dương", "tỉnh Bình Dương", "Bình Dương"),  # pre-2025 province
        ("tỉnh Bà Rịa - Vũng Tàu", "tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("tỉnh Bà Rịa-Vũng Tàu", "tỉnh Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("quê Thừa Thiên Huế", "Thừa Thiên Huế", "Huế"),
        ("thành phố Huế", "thành phố Huế", "Huế"),
        ("quận Hoàn Kiếm, Hà Nội", "quận Hoàn Kiếm", "Hoàn Kiếm"),
        ("Q.3, TP HCM", "Q.3", "Quận 3"),
        ("phường 12, quận 10", "phường 12", "Phường 12"),
        ("Thanh Hoá", "Thanh Hoá", "Thanh Hóa"),  # old tone placement
        ("Khánh Hòa", "Khánh Hòa", "Khánh Hòa"),
        ("ship ra ha noi gap", "ha noi", "Hà Nội"),  # typed without diacritics
        ("o tinh dak lak", "tinh dak lak", "Đắk Lắk"),
        ("tỉnh Hòa Bình", "tỉnh Hòa Bình", "Hòa Bình"),  # ambiguous word, prefixed
        ("Hòa Bình và Sơn La", "Hòa Bình", "Hòa Bình"),  # ambiguous word, capitalised
        ("thành phố Vinh, Nghệ An", "thành phố Vinh", "Vinh"),  # needs a prefix, has one
        ("phường Quan Bàu, Vinh", "phường Quan Bàu", "Quan Bàu"),  # unlisted ward: prefix + capitalised name
    ],
)
def test_location_found(text: str, surface: str, value: str) -> None:
    assert (surface, value) in _locs(text)


# invalid look-alikes: nothing (or not that) is found
@pytest.mark.parametrize(
    ("text", "not_surface"),
    [
        ("con cá màu đỏ", "cá màu"),  # wrong diacritics for Cà Mau
        ("mong hòa bình thế giới", "hòa bình"),  # common word, lower case, no prefix
        ("anh Hoàng Mai gọi lại", "Hoàng Mai"),  # a person's name; the district needs a prefix
        ("anh Vinh gọi lại", "Vinh"),
        ("HàNộiABC", "HàNội"),  # glued to letters
        ("quận 15", "quận 15"),  # no such numbered district
        ("hue", "hue"),  # short diacritic-free word
    ],
)
def test_location_look_alikes(text: str, not_surface: str) -> None:
    assert not_surface not in [s for s, _ in _locs(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("giao ve ha dong ha noi", ["ha dong", "ha noi"]),  # "dong ha" (Đông Hà) runs into "ha noi": no gain
        ("nha o ha dong, ha noi", ["ha dong", "ha noi"]),
        ("thai ha dong da ha noi", ["dong da", "ha noi"]),  # "ha dong" would leave "da" before "ha noi"
        ("Hà Đông, Hà Nội", ["Hà Đông", "Hà Nội"]),  # with diacritics the spelling decides
    ],
)
def test_overlapping_names_without_diacritics(text: str, want: list[str]) -> None:
    assert [s for s, _ in _locs(text)] == want


def test_far_is_not_a_commune_prefix() -> None:
    assert _locs("xa Hà Nội quá") == [("Hà Nội", "Hà Nội")]


def test_every_province_old_and_new_is_found() -> None:
    provinces = load_places().provinces  # vietnam-provinces + vn_admin.yaml
    names = list(dict.fromkeys(p.name for p in provinces))
    assert len({p.name for p in provinces if p.status == "current"}) == 34
    assert len(names) == 34 + 29  # 63 pre-2025 provinces: 34 names kept + 29 merged away
    for name in names:
        assert (f"tỉnh {name}", name) in _locs(f"Tôi sống ở tỉnh {name}."), name


def test_former_province_explains_its_merger() -> None:
    [ent] = LOC.analyze("Bình Dương", CTX)
    assert "merged into Hồ Chí Minh" in ent.explanation
    assert ent.source == "rule:location.v1"


def test_nfd_input_after_normalisation() -> None:
    text = unicodedata.normalize("NFD", "Tôi ở quận Hoàn Kiếm, Hà Nội")
    assert [v for _, v in _locs(text)] == ["Hoàn Kiếm", "Hà Nội"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # wards, communes and townships abolished on 2025-07-01 are still in people's addresses
        ("phường linh trung, thủ đức", [("phường linh trung", "Linh Trung"), ("thủ đức", "Thủ Đức")]),
        ("phuong ben nghe quan 1", [("phuong ben nghe", "Bến Nghé"), ("quan 1", "Quận 1")]),
        ("Phường Bến Nghé, Quận 1", [("Phường Bến Nghé", "Bến Nghé"), ("Quận 1", "Quận 1")]),
        ("thị trấn đông anh, hà nội", [("thị trấn đông anh", "Đông Anh"), ("hà nội", "Hà Nội")]),
        ("xã phù đổng huyện gia lâm", [("xã phù đổng", "Phù Đổng"), ("huyện gia lâm", "Gia Lâm")]),
        # a district of the package's list after its prefix, "thị xã" whole (was read as "xã Điện Bàn")
        ("huyện krông pắc, đắk lắk", [("huyện krông pắc", "Krông Pắc"), ("đắk lắk", "Đắk Lắk")]),
        (
            "phường Điện Ngọc , thị xã Điện Bàn",
            [("phường Điện Ngọc", "Điện Ngọc"), ("thị xã Điện Bàn", "Điện Bàn")],
        ),
        # a district only read after its prefix is a commune's name between commas before its province
        (
            "ở Thiệu Duy , Thiệu Hoá , tỉnh Thanh Hoá",
            [("Thiệu Hoá", "Thiệu Hóa"), ("tỉnh Thanh Hoá", "Thanh Hóa")],
        ),
    ],
)
def test_pre_2025_wards_and_districts(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want
    assert _locs(unicodedata.normalize("NFD", text)) == want


@pytest.mark.parametrize(
    "text",
    ["ở xa lắm", "nhà em xa trung tâm", "tt 500k nhé", "anh P.V.C. ở đây", "xa linh trung quá"],
)
def test_pre_2025_ward_look_alikes(text: str) -> None:
    # "xa" without diacritics is "far"; "tt" alone is "thanh toán"; "P.V" is no ward "V" (a Roman numeral)
    assert _locs(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "tổ 5 khu phố 2 phường linh trung",
            [("tổ 5", "Tổ 5"), ("khu phố 2", "Khu phố 2"), ("phường linh trung", "Linh Trung")],
        ),
        ("địa chỉ thôn 3 xã an bình", [("thôn 3", "Thôn 3"), ("xã an bình", "An Bình")]),
        ("dia chi thon 3 xa an binh", [("thon 3", "Thôn 3")]),  # "xa" unaccented is "far"
        (
            "thuong tru to 51 , phuong hoa khanh bac",
            [("to 51", "Tổ 51"), ("phuong hoa khanh bac", "Hòa Khánh Bắc")],
        ),
        ("kp2 p linh trung", [("kp2", "Khu phố 2"), ("p linh trung", "Linh Trung")]),
        ("ấp 4 xã tân phú", [("ấp 4", "Ấp 4"), ("xã tân phú", "Tân Phú")]),
        (
            "Tổ dân phố 3, phường Quang Trung",
            [("Tổ dân phố 3", "Tổ dân phố 3"), ("phường Quang Trung", "Quang Trung")],
        ),
        ("xóm 2b, xã nghĩa đồng", [("xóm 2b", "Xóm 2B"), ("xã nghĩa đồng", "Nghĩa Đồng")]),
        ("em ở tổ 5.", [("tổ 5", "Tổ 5")]),
        ("nhà ở khóm 3 nhé", [("khóm 3", "Khóm 3")]),
    ],
)
def test_numbered_units_below_the_ward(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want
    assert _locs(unicodedata.normalize("NFD", text)) == want


@pytest.mark.parametrize(
    "text",
    [
        "con gà mái đang ấp 3 trứng",  # hatching
        "công nhân tổ 5 xưởng 2",  # a work team
        "tổ 3 trực ca đêm nay",
        "thêm 2 tô 5 bát",  # bowls
        "in giúp em tờ 5 nhé",  # a sheet
        "áp 3 mã giảm giá",  # apply
        "to 5 cái hộp",
        "kp 2 lần rồi",
    ],
)
def test_numbered_unit_look_alikes(text: str) -> None:
    assert _locs(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a lower-case short form right after a street found, then one after the other
        (
            "e ở ngõ 12 phố huế, hbt, hn",
            [("ngõ 12 phố huế", "huế"), ("hbt", "Hai Bà Trưng"), ("hn", "Hà Nội")],
        ),
        ("HBT, Hà Nội", [("HBT", "Hai Bà Trưng"), ("Hà Nội", "Hà Nội")]),
        ("ship về hai bà trưng nhé", [("hai bà trưng", "Hai Bà Trưng")]),
        ("hbt la gi vay", []),  # alone, lower case: no place
        ("mai hn e qua", []),  # "hôm nay"
    ],
)
def test_short_forms_after_a_street(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want
    assert _locs(unicodedata.normalize("NFD", text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "p2"/"q7" written together right after a unit found
        ("e ở kp 3 p. tân phú q7", [("kp 3", "Khu phố 3"), ("p. tân phú", "Tân Phú"), ("q7", "Quận 7")]),
        ("phường bến nghé, q1", [("phường bến nghé", "Bến Nghé"), ("q1", "Quận 1")]),
        ("ở hà nội p 2 người", [("hà nội", "Hà Nội")]),  # apart, before a noun: people
        # a house number and a street after a bare "ở"/"tại": a family name first, or capitalised
        ("hẹn 14h30 chiều mai ở 123 lê lợi", [("123 lê lợi", "lê lợi")]),
        ("gặp tại 45 trần phú nhé", [("45 trần phú", "trần phú")]),
        ("mang đồ đi giặt tại 95 Hải Phòng , Hải Châu", [("95 Hải Phòng", "Hải Phòng")]),
        # one name word after a street word, without diacritics too
        (
            "e o ngo 12 pho hue, hbt, hn",
            [("ngo 12 pho hue", "hue"), ("hbt", "Hai Bà Trưng"), ("hn", "Hà Nội")],
        ),
        ("giao ve 25 duong lang nhe", [("25 duong lang", "lang")]),
        ("e ở số 5 phố vọng", [("số 5 phố vọng", "vọng")]),
        ("giao về 2 đường nhé", []),
        ("tại 3 cửa hàng đều hết", []),
        ("bán tại 3 chi nhánh", []),
        ("ở 3 phòng trọ", []),
        ("xếp hạng tại 5 trường", []),
    ],
)
def test_numbered_units_and_streets_after_a_place_or_a_bare_at(
    text: str, want: list[tuple[str, str]]
) -> None:
    assert _locs(text) == want
    assert _locs(unicodedata.normalize("NFD", text)) == want


def test_former_names_can_be_switched_off() -> None:
    rec = LocationRecognizer(config={"include_former": False})
    assert rec.analyze("Bình Dương", CTX) == []
    assert rec.analyze("phường linh trung", CTX) == []  # a ward abolished in 2025
    assert [e.value for e in rec.analyze("Đồng Nai", CTX)] == ["Đồng Nai"]


def test_location_rejects_unknown_config() -> None:
    with pytest.raises(ValueError, match="colour"):
        LocationRecognizer(config={"colour": "red"})


def test_fold_keeps_length_and_tone_key_ignores_placement() -> None:
    for s in ["Đắk Lắk", "Thừa Thiên – Huế", "ỨNG HÒA", "x" * 3]:
        assert len(fold(s)) == len(s)
    assert fold("Đắk Lắk") == "dak lak"
    assert tone_key("Hoà") == tone_key("hòa") != tone_key("hoa")


def test_generic_gazetteer_inline_longest_match() -> None:
    rec = GazetteerRecognizer(
        config={
            "label": "SPECIES",
            "entries": [{"name": "voọc chà vá chân xám", "aliases": ["chà vá chân xám"]}, "hổ"],
        }
    )
    ents = rec.analyze("Đàn voọc chà vá chân xám và hổ", CTX)
    assert [(e.text, e.value, e.label) for e in ents] == [
        ("voọc chà vá chân xám", "voọc chà vá chân xám", "SPECIES"),
        ("hổ", "hổ", "SPECIES"),
    ]
    assert rec.analyze("hộ gia đình", CTX) == []  # "ho" folded, wrong diacritics


def test_generic_gazetteer_from_file_and_needs_capital(tmp_path) -> None:
    f = tmp_path / "brands.yaml"
    f.write_text("entries:\n  - {name: Ánh Dương, needs: capital}\n  - {name: Biti's, aliases: [Bitis]}\n")
    rec = GazetteerRecognizer(config={"label": "BRAND", "entries_file": str(f), "score": 0.7})
    assert [e.value for e in rec.analyze("giày Bitis của Ánh Dương", CTX)] == ["Biti's", "Ánh Dương"]
    assert rec.analyze("ánh dương chiếu", CTX) == []
    assert rec.analyze("giày Bitis", CTX)[0].score == 0.7  # an exact alias
    [plain] = rec.analyze("shop Anh Duong", CTX)  # typed without diacritics: found, scored lower
    assert plain.value == "Ánh Dương" and plain.score < 0.7 and "without diacritics" in plain.explanation


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"entries": ["a"]}, "label"),
        ({"label": "X", "entries": []}, "entries"),
        ({"label": "X", "entries": ["a"], "score": 2}, "score"),
        ({"label": "X", "entries": ["a"], "colour": 1}, "colour"),
        ({"label": "X", "entries_file": "gazetteers/nope.yaml"}, "entries_file"),
        ({"label": "X", "entries": [{"name": "a", "needs": "luck"}]}, "needs"),
    ],
)
def test_generic_gazetteer_bad_config(config: dict, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        GazetteerRecognizer(config=config)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "e o 123/45 nguyen trai p2 q5 tphcm",
            [
                ("123/45 nguyen trai", "nguyen trai"),
                ("p2", "Phường 2"),
                ("q5", "Quận 5"),
                ("tphcm", "Hồ Chí Minh"),
            ],
        ),
        ("giao q1 tphcm nhé", [("q1", "Quận 1"), ("tphcm", "Hồ Chí Minh")]),
        ("P2, Q5, TP.HCM", [("P2", "Phường 2"), ("Q5", "Quận 5"), ("TP.HCM", "Hồ Chí Minh")]),
        ("doanh thu q1 tăng", []),  # a quarter
        ("xem p2 nhé", []),  # a part
        ("p45 q5 tphcm", [("q5", "Quận 5"), ("tphcm", "Hồ Chí Minh")]),  # no ward 45
        # upper-case "Q"/"P" with its number after a capitalised name and a comma
        ("📍 45 Lê Lợi, Q1", [("45 Lê Lợi", "Lê Lợi"), ("Q1", "Quận 1")]),
        ("12/5 Trần Phú, P5, Q5", [("12/5 Trần Phú", "Trần Phú"), ("P5", "Phường 5"), ("Q5", "Quận 5")]),
        ("doanh thu tăng, Q1 2026 giảm", []),  # a quarter after a lower-case word
        ("Quý 1, Q1 đạt", []),
        ("Lê Lợi, Q15", []),  # no district 15
    ],
)
def test_chat_numbered_wards_and_districts_next_to_another_part(
    text: str, want: list[tuple[str, str]]
) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the paper's missed locations (GAM, table 10): a place-type word before a capitalised name
        ("...Cảng Sao Mai; số tiền chuyển nhượng...", [("Cảng Sao Mai", "Sao Mai")]),
        ("5 căn hộ tại tòa nhà Avalon (quận 1)", [("tòa nhà Avalon", "Avalon"), ("quận 1", "Quận 1")]),
        ("đón ở sân bay Tân Sơn Nhất", [("sân bay Tân Sơn Nhất", "Tân Sơn Nhất")]),
        ("cảng biển đang quá tải", []),  # no name after it
        ("vận chuyển ngà voi qua cửa khẩu Mộc Bài", [("cửa khẩu Mộc Bài", "Mộc Bài")]),
        ("vinh dự được đón", []),  # "vinh" is no "vịnh" (bay)
    ],
)
def test_named_ports_airports_and_buildings(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # common names reported in conservation news, mapped to the list's canonical name
        (
            "3 cá thể voọc chà vá chân nâu tại Sơn Trà",
            [("SPECIES", "voọc chà vá chân nâu", "voọc chà vá chân đỏ")],
        ),
        ("giải cứu 5 con khỉ đuôi dài", [("SPECIES", "khỉ đuôi dài", "khỉ đuôi dài")]),
        ("nuôi nhốt 1 cá thể cọp", [("SPECIES", "cọp", "hổ")]),
        ("thả 2 cá thể rùa biển", [("SPECIES", "rùa biển", "rùa biển")]),
        # national parks are organisations in this domain, also written "VQG"
        ("tại VQG Bạch Mã", [("ORGANIZATION", "VQG Bạch Mã", "Vườn quốc gia Bạch Mã")]),
        ("thu giữ 3 sừng tê giác", [("SPECIES", "tê giác", "tê giác")]),
        # rangers, environmental police and customs with their place are one organisation
        (
            "Hạt Kiểm lâm huyện Con Cuông phối hợp Công an tỉnh Nghệ An",
            [
                ("ORGANIZATION", "Hạt Kiểm lâm huyện Con Cuông", "Hạt Kiểm lâm huyện Con Cuông"),
                ("ORGANIZATION", "Công an tỉnh Nghệ An", "Công an tỉnh Nghệ An"),
            ],
        ),
        (
            "Chi cục Kiểm lâm Quảng Nam tịch thu",
            [("ORGANIZATION", "Chi cục Kiểm lâm Quảng Nam", "Chi cục Kiểm lâm Quảng Nam")],
        ),
        (
            "Hải quan cửa khẩu Móng Cái phát hiện",
            [("ORGANIZATION", "Hải quan cửa khẩu Móng Cái", "Hải quan cửa khẩu Móng Cái")],
        ),
        ("Cục Kiểm lâm cho biết", [("ORGANIZATION", "Cục Kiểm lâm", "Cục Kiểm lâm")]),
        # a park or reserve the list lacks, by its kind and capitalised name
        (
            "Khu bảo tồn thiên nhiên Pù Luông ghi nhận",
            [("ORGANIZATION", "Khu bảo tồn thiên nhiên Pù Luông", "Khu bảo tồn thiên nhiên Pù Luông")],
        ),
        (
            "VQG Vũ Quang có sao la",
            [("ORGANIZATION", "VQG Vũ Quang", "VQG Vũ Quang"), ("SPECIES", "sao la", "sao la")],
        ),
        (
            "khu dự trữ sinh quyển Cần Giờ",
            [("ORGANIZATION", "khu dự trữ sinh quyển Cần Giờ", "khu dự trữ sinh quyển Cần Giờ")],
        ),
        ("khu bảo tồn đang bị xâm lấn", []),  # no name
        ("Công an xác minh vụ việc", []),  # a unit without its place: left to the model
        ("lực lượng kiểm lâm đã tới", []),
    ],
)
def test_rare_wildlife_names(text: str, want: list[tuple[str, str, str]]) -> None:
    from vner.rules.ruleset import RuleSet

    got = RuleSet.for_domain("rare_wildlife").analyze(text)
    assert [(e.label, e.text, e.value) for e in got if e.label in ("SPECIES", "ORGANIZATION")] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("em ở Bình Thạnh SG", [("Bình Thạnh", "Bình Thạnh"), ("SG", "Hồ Chí Minh")]),
        (
            "kiệt 45 Hoàng Diệu, quận Hải Châu, ĐN",
            [("kiệt 45 Hoàng Diệu", "Hoàng Diệu"), ("quận Hải Châu", "Hải Châu"), ("ĐN", "Đà Nẵng")],
        ),
        ("bay HCMC ngày mai", [("HCMC", "Hồ Chí Minh")]),
        ("ok sg nhé, đn rồi", []),  # lower-case chat words, not places
    ],
)
def test_upper_case_chat_short_forms_of_cities(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("em ở 25 đường Nguyễn Trãi", [("25 đường Nguyễn Trãi", "Nguyễn Trãi")]),
        # "Huế" after "phố" is the street in Hà Nội: the street address replaces the city
        ("giao về số 5 ngõ 3 phố Huế", [("số 5 ngõ 3 phố Huế", "Huế")]),
        ("nhà số 5 ngõ 3 phố Huế nhé", [("số 5 ngõ 3 phố Huế", "Huế")]),
        ("12B ngách 34/5 Hoàng Hoa Thám", [("12B ngách 34/5 Hoàng Hoa Thám", "Hoàng Hoa Thám")]),
        ("dc: 7 đường Lê Lợi", [("7 đường Lê Lợi", "Lê Lợi")]),
        ("em o 25 duong Nguyen Trai", [("25 duong Nguyen Trai", "Nguyen Trai")]),  # without diacritics
        (
            unicodedata.normalize("NFD", "em ở 25 đường Nguyễn Trãi"),
            [("25 đường Nguyễn Trãi", "Nguyễn Trãi")],
        ),
        # no cue before it, but another part of the address after it
        ("25 đường Nguyễn Trãi, Thanh Xuân", [("25 đường Nguyễn Trãi", "Nguyễn Trãi")]),
        # "số" + house number + name, no street word: after an address cue
        ("em ở số 12 Lê Lợi", [("số 12 Lê Lợi", "Lê Lợi")]),
        ("so 5 ngo 3 pho Hue", [("so 5 ngo 3 pho Hue", "Hue")]),
    ],
)
def test_street_addresses_with_a_house_number(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "mua 2 đường Ray",  # a count of roads, no address cue, nothing after it
        "có 2 đường Dây nóng",
        "đi 3 đường Nào cũng được",
        "em ở đường Nguyễn Trãi",  # no house number: not this pattern (and not a gazetteer name either)
        "giao 25 đường nguyễn trãi",  # a lower-case street is left to the span rebuild next to a place
        "bàn số 5 Anh ơi",  # "số" + a number + a capitalised word with no address cue
        "tổng đài số 1900 Viettel",
    ],
)
def test_street_look_alikes(text: str) -> None:
    assert _locs(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat's street without a street word, right after an address cue: house number + two to four words
        (
            "dia chi: 12 nguyen trai, p ben thanh",
            [("12 nguyen trai", "nguyen trai"), ("p ben thanh", "Bến Thành")],
        ),
        (
            "giao ve 45 tran hung dao q1 hcm",
            [("45 tran hung dao", "tran hung dao"), ("q1", "Quận 1"), ("hcm", "Hồ Chí Minh")],
        ),
        ("dc: 88 le van sy p13 q3", [("88 le van sy", "le van sy"), ("p13", "Phường 13"), ("q3", "Quận 3")]),
        ("địa chỉ: 12 Lê Lợi", [("12 Lê Lợi", "Lê Lợi")]),
        ("địa chỉ 45 Trần hưng đạo", [("45 Trần hưng đạo", "Trần hưng đạo")]),
        ("địa chỉ 45 trần hưng đạo nhé shop", [("45 trần hưng đạo", "trần hưng đạo")]),  # a particle ends it
        (
            unicodedata.normalize("NFD", "địa chỉ 45 trần hưng đạo nhé"),
            [("45 trần hưng đạo", "trần hưng đạo")],
        ),
        # a place found inside it ends it ("phú nhuận" is the district)
        (
            "địa chỉ e là 120 hoàng văn thụ phú nhuận ạ",
            [("120 hoàng văn thụ", "hoàng văn thụ"), ("phú nhuận", "Phú Nhuận")],
        ),
        ("gửi về 45 trần hưng đạo quận 1", [("45 trần hưng đạo", "trần hưng đạo"), ("quận 1", "Quận 1")]),
        (
            "dia chi so 5 duong nguyen thi minh khai",
            [("so 5 duong nguyen thi minh khai", "nguyen thi minh khai")],
        ),
        # after "địa chỉ" a number is a house number, whatever word follows ("ly" is also a cup)
        ("Dia chi: 78 ly thuong kiet, p7", [("78 ly thuong kiet", "ly thuong kiet"), ("p7", "Phường 7")]),
        # alleys and their numbers between the house number and the name
        ("ship về 12 ngõ 5 láng hạ", [("12 ngõ 5 láng hạ", "láng hạ")]),
        ("giao ve so 8 ngach 12/3 ngo 45 thai ha", [("so 8 ngach 12/3 ngo 45 thai ha", "thai ha")]),
        # where someone lives, and "giao ở/tại"
        ("em ở 25 Nguyễn Trãi nhé", [("25 Nguyễn Trãi", "Nguyễn Trãi")]),
        ("nha minh o so 5 ngo 12 lang ha", [("so 5 ngo 12 lang ha", "lang ha")]),
        (unicodedata.normalize("NFD", "nhà em ở 40 hàng bài"), [("40 hàng bài", "hàng bài")]),
        ("giao o 12 nguyen trai nha", [("12 nguyen trai", "nguyen trai")]),
        ("giao tại 7 hàng bông", [("7 hàng bông", "hàng bông")]),
        # no cue, but a ward or district right after the name
        (
            "12 nguyen trai, phuong ben thanh, quan 1",
            [("12 nguyen trai", "nguyen trai"), ("phuong ben thanh", "Bến Thành"), ("quan 1", "Quận 1")],
        ),
        ("45/2 le loi p ben thanh", [("45/2 le loi", "le loi"), ("p ben thanh", "Bến Thành")]),
        # or a place after a comma, without its prefix; a capitalised name is a street even when its first word
        # is also a count word ("Lý": "ly" = cups)
        (
            "hẹn tại 12 Lý Thường Kiệt, Hoàn Kiếm",
            [("12 Lý Thường Kiệt", "Lý Thường Kiệt"), ("Hoàn Kiếm", "Hoàn Kiếm")],
        ),
        ("45 Hoàng Diệu, Ba Đình", [("45 Hoàng Diệu", "Hoàng Diệu"), ("Ba Đình", "Ba Đình")]),
        # a place's name used as the street's
        ("giao tại 88 hai ba trung q1", [("88 hai ba trung", "hai ba trung"), ("q1", "Quận 1")]),
        # a street word, then a place's name: the street named after it ("phố Huế" in Hà Nội)
        ("giao tới ngõ 45 phố huế nhé", [("ngõ 45 phố huế", "huế")]),
        ("ship về 12 đường hà nội, thủ đức", [("12 đường hà nội", "hà nội"), ("thủ đức", "Thủ Đức")]),
        ("88 Hai Bà Trưng, Q1", [("88 Hai Bà Trưng", "Hai Bà Trưng"), ("Q1", "Quận 1")]),
        # a numbered street after "đường": "đường số 3", "đường 3/2"
        ("số 7 hẻm 45 đường số 3, Bình Tân", [("số 7 hẻm 45 đường số 3", "số 3"), ("Bình Tân", "Bình Tân")]),
        # the alley word before the house number is part of the address
        ("hẻm 12 đường số 5, Bình Tân", [("hẻm 12 đường số 5", "số 5"), ("Bình Tân", "Bình Tân")]),
        ("kiệt 12 đường Hoàng Diệu", [("kiệt 12 đường Hoàng Diệu", "Hoàng Diệu")]),
        (
            "dia chi: so 7 hem 45 duong so 3 binh tan",
            [("so 7 hem 45 duong so 3", "so 3"), ("binh tan", "Bình Tân")],
        ),
        (
            "12 Đường Số 7, P. Bình Trị Đông B",
            [("12 Đường Số 7", "Số 7"), ("P. Bình Trị Đông B", "Bình Trị Đông B")],
        ),
        ("đc: 45 đường 3/2, quận 10", [("45 đường 3/2", "3/2"), ("quận 10", "Quận 10")]),
        # without diacritics "thai ha dong da" also holds "ha dong" (Hà Đông): the reading that leaves no
        # word over before the next name wins (Thái Hà street, Đống Đa)
        ("dc 23 ngo 45 thai ha dong da", [("23 ngo 45 thai ha", "thai ha"), ("dong da", "Đống Đa")]),
    ],
)
def test_cued_street_without_a_street_word(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a street's syllable that folds to a count word ("lý"/"ly" a cup) or to a word that ends a name
        # ("trọng"/"trong", "mạng"/"mang", "đội"/"đối"): as written, it is the street's
        ("giao về 12 lý thường kiệt, cửa nam nhé", [("12 lý thường kiệt", "lý thường kiệt")]),
        ("em ở 45 lý tự trọng q1", [("45 lý tự trọng", "lý tự trọng"), ("q1", "Quận 1")]),
        (
            "giao về 12 cách mạng tháng tám q3",
            [("12 cách mạng tháng tám", "cách mạng tháng tám"), ("q3", "Quận 3")],
        ),
        ("giao tới 12 đội cấn nhé", [("12 đội cấn", "đội cấn")]),
        # spelled as the stop word, or without diacritics, the word still ends the name
        ("địa chỉ: 45 lê lợi trong hẻm", [("45 lê lợi", "lê lợi")]),
        ("dia chi 45 le loi trong hem", [("45 le loi", "le loi")]),
        ("giao về 45 trần hưng đạo nhà em", [("45 trần hưng đạo", "trần hưng đạo")]),
        # a house number that names its alley needs no cue before it
        ("số 5 ngõ 68 cầu giấy", [("số 5 ngõ 68 cầu giấy", "cầu giấy")]),
        ("nhà số 12 ngõ 5 láng hạ", [("số 12 ngõ 5 láng hạ", "láng hạ")]),
        ("so 5 ngach 12/3 ngo 68 cau giay", [("so 5 ngach 12/3 ngo 68 cau giay", "cau giay")]),
        ("ngõ 5 người ở đông lắm", []),  # a count of people after the alley's number
    ],
)
def test_cued_street_syllables_read_as_written(text: str, want: list[tuple[str, str]], form: str) -> None:
    got = _locs(unicodedata.normalize(form, text))
    assert [(unicodedata.normalize("NFC", s), unicodedata.normalize("NFC", v)) for s, v in got] == want


@pytest.mark.parametrize(
    "text",
    [
        "giao về 2 cái áo nhé",  # a count, not a house number
        "giao ve 2 ly tra sua nhe",
        "giao về 12 ly trà sữa nhé",  # "ly" as written is a cup
        "em ở 12 ly trà sữa",
        "ship ve 3 ngay nua",
        "giao toi 5 gio chieu",
        "chuyển về 500 nghìn đồng",
        "gửi về 2 bộ quần áo",
        "giao về 2 iPhone Pro",  # a product's casing, not a street's
        "giao 45 tran hung dao",  # "giao" alone is no address cue ("giao 2 đơn")
        "địa chỉ 45 trần",  # one word is too little to be sure
        "em ở 2 ngày nữa mới về",
        "anh o 3 nam roi",
        "em ở 5 người một phòng",
        "giao tới 7/12 mới nhận",  # a day and a month, then the clause goes on
        "ship ve 5/12 nhe",
        "mua 2 đường số 3",  # a count of roads
    ],
)
def test_cued_street_look_alikes(text: str) -> None:
    assert [s for s, _ in _locs(text)] == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("mua 12 ao thun p ben thanh", ["p ben thanh"]),  # a count after "mua"
        ("5 ao thun p ben thanh", ["p ben thanh"]),  # one digit, no cue: too weak for a house number
        ("hẹn giao 9h giao về huyện Gia Lâm", ["huyện Gia Lâm"]),  # a time
        ("ship 837k giao về tp hcm", ["tp hcm"]),  # an amount
        # a count, a time or days, then a place after a comma
        ("giao 2 ly trà sữa, Hà Nội", ["Hà Nội"]),
        ("mua 12 Ly Trà Sữa, Hà Nội", ["Hà Nội"]),  # capitalised, but "mua" counts
        ("còn 15 ngày nữa, Hà Nội", ["Hà Nội"]),
        ("lúc 12 giờ trưa, Hà Nội", ["Hà Nội"]),
    ],
)
def test_no_street_before_a_district_without_a_house_number(text: str, want: list[str]) -> None:
    assert [s for s, _ in _locs(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a prefixed name that goes on past a known one: a unit the 2025 data no longer lists, as written
        (
            "trú tại phường Láng Thượng, quận Đống Đa",
            [("phường Láng Thượng", "Láng Thượng"), ("quận Đống Đa", "Đống Đa")],
        ),
        ("xã Tân Phú Đông", [("xã Tân Phú Đông", "Tân Phú Đông")]),
        (unicodedata.normalize("NFD", "phường Láng Thượng"), [("phường Láng Thượng", "Láng Thượng")]),
        # it stops before a place found after it, the prefix of the next unit, or a capitalised "Và"
        ("ở phường Láng Thượng Hà Nội", [("phường Láng Thượng", "Láng Thượng"), ("Hà Nội", "Hà Nội")]),
        ("quận Hoàn Kiếm Hà Nội", [("quận Hoàn Kiếm", "Hoàn Kiếm"), ("Hà Nội", "Hà Nội")]),
        ("phường Bến Nghé Quận 1", [("phường Bến Nghé", "Bến Nghé"), ("Quận 1", "Quận 1")]),
        ("tỉnh Nghệ An Và Hà Tĩnh", [("tỉnh Nghệ An", "Nghệ An"), ("Hà Tĩnh", "Hà Tĩnh")]),
        ("phường Láng, Đống Đa", [("phường Láng", "Láng"), ("Đống Đa", "Đống Đa")]),
    ],
)
def test_a_prefixed_name_longer_than_the_known_unit(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("vận chuyển 5 con rùa trên QL1A", [("QL1A", "QL1A")]),
        (
            "tai nạn trên quốc lộ 14 đoạn qua Đắk Nông",
            [("quốc lộ 14", "quốc lộ 14"), ("Đắk Nông", "Đắk Nông")],
        ),
        ("tinh lo 10, Binh Chanh", [("tinh lo 10", "tinh lo 10"), ("Binh Chanh", "Bình Chánh")]),
        (unicodedata.normalize("NFD", "km 12 quốc lộ 5"), [("quốc lộ 5", "quốc lộ 5")]),
    ],
)
def test_numbered_highways(text: str, want: list[tuple[str, str]]) -> None:
    assert _locs(text) == want


@pytest.mark.parametrize(
    "text", ["ql 3 người", "QL thì chưa duyệt", "quốc lộ nào cũng được", "tỉnh 10 người"]
)
def test_highway_look_alikes(text: str) -> None:
    assert _locs(text) == []


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # countries and territories by CLDR's Vietnamese names (PyPI Babel) and countries_vi.yaml's short ones
        ("anh từ Nga về sân bay Nội Bài", [("Nga", "Nga"), ("sân bay Nội Bài", "Nội Bài")]),
        ("đến Việt Nam trên chuyến bay", [("Việt Nam", "Việt Nam")]),
        ("buôn lậu tê tê từ Lào sang Trung Quốc", [("Lào", "Lào"), ("Trung Quốc", "Trung Quốc")]),
        ("hàng xách tay từ Nhật nha", [("Nhật", "Nhật Bản")]),
        ("du học ở Hoa Kỳ", [("Hoa Kỳ", "Hoa Kỳ")]),
        ("sang Mỹ", [("Mỹ", "Hoa Kỳ")]),
        ("nhập cảnh Nhật", [("Nhật", "Nhật Bản")]),
        ("về từ Ả Rập Saudi", [("Ả Rập Saudi", "Ả Rập Xê-út")]),  # the name the augmentation list uses
        ("nhập từ han quoc", [("han quoc", "Hàn Quốc")]),  # no diacritics, after "từ"
        ("từ Hồng Kông và ở Myanmar", [("Hồng Kông", "Hồng Kông"), ("Myanmar", "Myanmar")]),
    ],
)
def test_countries_are_locations(text: str, want: list[tuple[str, str]], form: str) -> None:
    assert _locs(unicodedata.normalize(form, text)) == want


@pytest.mark.parametrize(
    "text",
    [
        "bệnh nhân quốc tịch Anh",  # a nationality
        "người Mỹ gốc Việt",
        "học tiếng Nhật",  # a language
        "chị Nga bán hàng",  # a person
        "Tuấn Anh đi làm",
        "Anh ơi giao giùm em",
        "Nga đi chợ",  # a one-word name needs a word of place or movement before it
        "sống ở Mỹ Đình",  # part of a longer name
        "từ Lào Cai",
        "ship 5,8 trieu tien hang",  # "triệu tiền", not "Triều Tiên"
        "Ngân hàng Nông nghiệp Việt Nam",  # an organisation's name
        "Đại sứ quán Việt Nam",
        "đội tuyển Việt Nam thắng",
    ],
)
def test_country_look_alikes(text: str) -> None:
    assert [(s, v) for s, v in _locs(text) if v not in ("Lào Cai",)] == []


def test_countries_can_be_switched_off_and_their_file_is_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    off = LocationRecognizer(config={"countries": False})
    assert off.analyze("anh từ Nga về", CTX) == []
    assert [e.text for e in LOC.analyze("anh từ Nga về", CTX)] == ["Nga"]
    bad = tmp_path / "countries.yaml"
    bad.write_text("countries:\n  - {code: XX, aliases: [Atlantis]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"countries\[0\]\.code: 'XX' is not a CLDR territory code"):
        load_countries(str(bad))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a name that needs its prefix (also a person's name), written without it inside an address list: after
        # a comma and right before ", " and a province or city
        (
            "e ở 45 Hoàng Diệu, Hải Châu, Đà Nẵng",
            [("45 Hoàng Diệu", "Hoàng Diệu"), ("Hải Châu", "Hải Châu"), ("Đà Nẵng", "Đà Nẵng")],
        ),
        ("gửi chị Lan, Hoàng Mai, Hà Nội", [("Hoàng Mai", "Hoàng Mai"), ("Hà Nội", "Hà Nội")]),
        # a ward (only ever after "phường" before) in the same place
        (
            "12 Lý Thường Kiệt, Cửa Nam, Hà Nội",
            [("12 Lý Thường Kiệt", "Lý Thường Kiệt"), ("Cửa Nam", "Cửa Nam"), ("Hà Nội", "Hà Nội")],
        ),
        # no province after it, no comma before it, or not capitalised: a person's name
        ("gửi chị Lan, Hải Châu", []),
        ("anh Hải Châu, Minh, Tuấn", []),
        ("gửi Hải Châu, Đà Nẵng", [("Đà Nẵng", "Đà Nẵng")]),
        ("ok, cửa nam, hà nội", [("hà nội", "Hà Nội")]),
        # chat written all in lower case: after a house number and a street, the province lower case too
        (
            "ship về 123 nguyễn trãi, thanh xuân, hà nội",
            [("123 nguyễn trãi", "nguyễn trãi"), ("thanh xuân", "Thanh Xuân"), ("hà nội", "Hà Nội")],
        ),
        (
            "ship ve 123 nguyen trai, thanh xuan, ha noi",
            [("123 nguyen trai", "nguyen trai"), ("thanh xuan", "Thanh Xuân"), ("ha noi", "Hà Nội")],
        ),
        (
            "12 lý thường kiệt, cửa nam, hà nội",
            [("12 lý thường kiệt", "lý thường kiệt"), ("cửa nam", "Cửa Nam"), ("hà nội", "Hà Nội")],
        ),
        # lower case without a street address before it, or a capitalised province after it: unread
        ("cảm ơn, hải châu, đà nẵng nhé", [("đà nẵng", "Đà Nẵng")]),
        ("anh ơi, thanh xuân, hà nội có giao không", [("hà nội", "Hà Nội")]),
        (
            "ship về 123 Nguyễn Trãi, thanh xuân, Hà Nội",
            [("123 Nguyễn Trãi", "Nguyễn Trãi"), ("Hà Nội", "Hà Nội")],
        ),
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_unprefixed_names_inside_an_address_list(text: str, want: list[tuple[str, str]], form: str) -> None:
    assert _locs(unicodedata.normalize(form, text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # chat's lower-case short forms of a city, right after a place found or after "ở"/"tại"
        ("đc: 15 ngõ 20 tôn thất tùng đống đa hn", ["15 ngõ 20 tôn thất tùng", "đống đa", "hn"]),
        ("cầu giấy - hn", ["cầu giấy", "hn"]),
        ("đống đa, hn", ["đống đa", "hn"]),
        ("e ở hn", ["hn"]),
        ("tai sg co chi nhanh ko", ["sg"]),
        # or after a verb of sending or going and its direction
        ("giao về hn nhé", ["hn"]),
        ("ship ra hn mất mấy ngày", ["hn"]),
        ("mai e bay vào sg", ["sg"]),
        ("gửi đến đn nha", ["đn"]),
        ("gui den dn nha", []),  # "dn" without its "đ" is "doanh nghiệp" as often
        # elsewhere "hn" is "hôm nay" (today)
        ("hn e bận", []),
        ("hàng mới ra hn", []),
        ("tính đến hn là 3 ngày", []),
        ("hàng về hn chưa shop", []),
        ("hn o nha", []),
        ("hòa bình là trên hết", []),  # a common word that needs its capital stays unread
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_lower_case_short_forms_of_a_city(text: str, want: list[str], form: str) -> None:
    assert [s for s, _ in _locs(unicodedata.normalize(form, text))] == want
