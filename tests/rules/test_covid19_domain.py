"""The covid19 domain follows PhoNER_COVID19's conventions (issue 21 item 4: rule hints kept only where they
help on dev): a spaced "BN 315" gives the number alone, "BN906" stays whole; NAME has no person role."""

from __future__ import annotations

from datetime import datetime

import pytest
from vner.rules.ruleset import RuleSet
from vner.rules.schema import load_schema

REF = datetime(2020, 6, 1)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Ca bệnh 315 ( BN 315 ) : Bệnh nhân nam", ["315", "315"]),
        ("bệnh nhân tiếp xúc với BN619 , BN-731 .", ["BN619", "BN-731"]),
        ("5 ca mắc mới ( BN 1070 - 1074 )", ["1070"]),
        ("Còn BN 449 hiện vẫn tỉnh táo", ["449"]),
        ("BNX 12 và ABN 7", []),
        # after "số"/"thứ", after "COVID-19 thứ", a thousands-dotted number, each number of a list or range
        ("liên quan bệnh nhân số 17 và bệnh nhân thứ 250", ["17", "250"]),
        ("bệnh nhân COVID - 19 thứ 964 ( ca bệnh 964 )", ["964", "964"]),
        ("Ca bệnh 1.025 ( bệnh nhân 1.025 )", ["1.025", "1.025"]),
        ("gồm các bệnh nhân 98 , 142 , 159 và 160 .", ["98", "142", "159", "160"]),
        ("Ca bệnh 653 - 668 : tại Đà Nẵng", ["653", "668"]),
        ("bệnh nhân 91 , 43 tuổi", ["91"]),  # an age ends the list
        ("làn sóng COVID - 19 thứ hai", []),
        # "ca N" and "từ số N đến M" (PhoNER train: 8 of 8 and 16 of 16 tagged), "và số N"
        ("bị lây nhiễm , là ca 36 , 37 , 38 .", ["36", "37", "38"]),
        ("Các bệnh nhân được ghi nhận từ số 402 đến 408 .", ["402", "408"]),
        ("thương gia với bệnh nhân số 17 và số 21 .", ["17", "21"]),
        ("bn số 8 đi chuyến bay VN123", ["8"]),
        ("là ca thứ 9 tử vong", []),  # the ninth death, not patient 9
        ("Chùm ca bệnh 3 người ở Hà Nội", []),  # a count
        ("làm ca 2 , ca 3 ngày", []),  # shifts and a count of days
    ],
)
def test_patient_ids_follow_phoner(text: str, ids: list[str]) -> None:
    got = [
        e.text for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF) if e.label == "PATIENT_ID"
    ]
    assert got == ids


def test_name_is_not_grown_as_a_person_name() -> None:
    schema = load_schema("covid19")
    assert "NAME" not in schema.roles.get("person", ())
    assert list(schema.roles["enumerable"]) == ["ORGANIZATION"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("về Nội Bài trên chuyến bay VN0054 ngày 2/3", ["VN0054"]),
        ("đi chuyến bay VN 54 .", ["VN 54"]),
        ("hãng hàng không ANA số hiệu NH 831 , số ghế 28C", ["NH 831"]),
        ("trên chuyến bay Qatar Airways QR 974 , hạ cánh", ["QR 974"]),
        ("chuyến bay 6E8679 từ Ấn Độ", ["6E8679"]),
        ("BN 91 đi chuyến bay từ London", []),  # a patient, not a flight
        ("xét nghiệm lần 2 cho 50 người", []),  # no flight word
        ("chuyến bay chở 200 khách , ghế 28A", []),
    ],
)
def test_flight_numbers_are_transportation(text: str, codes: list[str]) -> None:
    got = [
        e.text
        for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF)
        if e.label == "TRANSPORTATION"
    ]
    assert got == codes


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Bệnh nhân nam , 37 tuổi , là thuyền viên", ["37"]),
        ("gồm 5 nữ và 4 nam , độ tuổi từ 14 đến 78 , đều ở Đà Nẵng", ["14", "78"]),
        ("hai nam và một nữ , tuổi 23 - 26 , ở Nam Định", ["23", "26"]),
        ("có tuổi đời từ 21 - 85 , sức khoẻ ổn định", ["21", "85"]),
        ("tuổi 23 , ở Nam Định", []),  # not a range and no "tuổi" after it
    ],
)
def test_ages_and_age_ranges(text: str, ages: list[str]) -> None:
    got = [e.text for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF) if e.label == "AGE"]
    assert got == ages


@pytest.mark.parametrize(
    ("text", "genders"),
    [
        ("Bệnh nhân nam , 37 tuổi", ["nam"]),
        ("Bệnh nhân 125 , nữ , 22 tuổi", ["nữ"]),
        ("Nam bệnh nhân 61 tuổi", ["Nam"]),
        ("một phụ nữ 84 tuổi mắc bệnh", []),  # "phụ nữ" is a woman, not a gender mention
        ("chăm bố là ông Nguyễn Văn Nam , 70 tuổi", []),  # a name
        ("bệnh nhân 983 , 15 tuổi , trú thị trấn Nam Phước", []),  # a place
    ],
)
def test_gender_mentions(text: str, genders: list[str]) -> None:
    got = [e.text for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF) if e.label == "GENDER"]
    assert got == genders


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # PhoNER tags a named hospital as one LOCATION
        ("tại Bệnh viện Đà Nẵng .", ["Bệnh viện Đà Nẵng"]),
        (
            "chuyển tới Bệnh viện Bệnh nhiệt đới trung ương cơ sở 2 ,",
            ["Bệnh viện Bệnh nhiệt đới trung ương cơ sở 2"],
        ),
        ("Bệnh viện dã chiến Củ Chi", ["Bệnh viện dã chiến Củ Chi"]),
        ("anh từ Nga về Việt Nam", ["Nga", "Việt Nam"]),  # countries
        ("nhập viện , bệnh viện không nêu tên", []),
        # a hospital's kind words in any case between its names; a department with its hospital is one place
        ("tại Bệnh viện Ung bướu Đà Nẵng )", ["Bệnh viện Ung bướu Đà Nẵng"]),
        ("về Bệnh viện Đa khoa Thành phố Cần Thơ .", ["Bệnh viện Đa khoa Thành phố Cần Thơ"]),
        ("điều trị tại Bệnh viện Đa khoa Bà Rịa - Vũng Tàu khỏi", ["Bệnh viện Đa khoa Bà Rịa - Vũng Tàu"]),
        (
            "tại khoa nội thận - nội tiết Bệnh viện Đà Nẵng , 1 người",
            ["khoa nội thận - nội tiết Bệnh viện Đà Nẵng"],
        ),
        (
            "vào Khoa Bệnh nhiệt đới , Bệnh viện Hữu nghị Việt Tiệp cách ly",
            ["Khoa Bệnh nhiệt đới , Bệnh viện Hữu nghị Việt Tiệp"],
        ),
        ("làm việc tại khoa ung bướu của Bệnh viện Đa khoa Quảng Nam", ["Bệnh viện Đa khoa Quảng Nam"]),
        ("cách ly tại Trung tâm Y tế huyện Hoà Vang - nơi", ["Trung tâm Y tế huyện Hoà Vang"]),
        ("cách ly tập trung tại Trung đoàn 834 .", ["Trung đoàn 834"]),
        ("bệnh viện tỉnh đã tiếp nhận", []),  # no name
    ],
)
def test_hospitals_and_countries_are_locations(text: str, want: list[str]) -> None:
    got = [e.text for e in RuleSet.for_domain("covid19").analyze(text, ref_time=REF) if e.label == "LOCATION"]
    assert got == want


@pytest.mark.parametrize(
    ("text", "orgs", "places"),
    [
        # health authorities, institutes and airlines are organisations; a place inside one is part of it
        ("Bộ Y tế cho biết", ["Bộ Y tế"], []),
        ("Sở Y tế TP Đà Nẵng nhận xét", ["Sở Y tế TP Đà Nẵng"], []),
        ("CDC Hà Nội lấy mẫu", ["CDC Hà Nội"], []),
        ("UBND quận Bắc Từ Liêm", ["UBND quận Bắc Từ Liêm"], []),
        ("mẫu gửi Viện Vệ sinh dịch tễ trung ương", ["Viện Vệ sinh dịch tễ trung ương"], []),
        ("được Trung tâm Kiểm soát bệnh tật tỉnh lấy mẫu", ["Trung tâm Kiểm soát bệnh tật"], []),
        ("bay Vietnam Airlines từ Anh về", ["Vietnam Airlines"], ["Anh"]),
        ("bộ phận y tế của xã", [], []),
    ],
)
def test_health_authorities_are_organisations(text: str, orgs: list[str], places: list[str]) -> None:
    got = RuleSet.for_domain("covid19").analyze(text, ref_time=REF)
    assert [e.text for e in got if e.label == "ORGANIZATION"] == orgs
    assert [e.text for e in got if e.label == "LOCATION"] == places


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # PhoNER leaves days counted from another day untagged (52 of 52 in train): no DATE, and no DURATION label
        ("đã về nước 14 ngày trước khi có kết quả", []),
        ("5 ngày sau , bệnh nhân có triệu chứng sốt", []),
        ("cách đây 2 tuần bệnh nhân đi Đà Nẵng", []),
        # absolute dates stay
        ("ngày 12/3 bệnh nhân nhập viện , 14 ngày sau xuất viện", ["12/3"]),
    ],
)
def test_counted_days_are_no_dates(text: str, dates: list[str]) -> None:
    ents = RuleSet.for_domain("covid19").analyze(text, ref_time=REF)
    assert [e.text for e in ents if e.label == "DATE"] == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # a day and month before a counted noun: a date when the day is past the month (no range, no share)
        ("Ngày 24 , 25 , 26 và 27 - 7 bệnh nhân đi chợ", ["24", "25", "26", "27 - 7"]),
        ("27/7 bệnh nhân đi chợ", ["27/7"]),
        ("2/3 bệnh nhân đã khỏi", []),  # two of three patients
        ("có 5 - 7 người", []),  # a range of people
        # a day and month in parentheses after a day named another way
        ("hôm nay ( 18 - 3 ) cho kết quả dương tính", ["18 - 3"]),
        ("Phải đến gần nửa đêm hôm qua ( 5 - 8 ) , chúng tôi", ["5 - 8"]),
        ("nhập viện từ mùng 7 tết âm lịch ( 31 - 1 ) đến nay", ["mùng 7 tết âm lịch", "31 - 1"]),
        ("hôm qua ( 3 - 4 người )", []),  # a count in the parenthesis
        # a range's head after a part of the day, its end after another: PhoNER tags the days, not the parts
        ("từ tối 22 đến sáng 24 - 4 , có 22 người", ["22", "24 - 4"]),
        ("mua mì tôm vào đêm 6 , sáng 7/3 sau khi", ["6", "7/3"]),
        ("tối 22 đến sáng mai", []),  # no date to take the month from
    ],
)
def test_day_and_month_next_to_counted_nouns_and_in_parentheses(text: str, dates: list[str]) -> None:
    ents = RuleSet.for_domain("covid19").analyze(text, ref_time=REF)
    assert [e.text for e in ents if e.label == "DATE"] == dates
