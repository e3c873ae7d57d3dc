"""The validator registry: names, three-way answers, checksums (table + property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vner.rules.validators import (
    VALIDATORS,
    card_scheme,
    cccd_birth_year,
    cccd_province_codes,
    get_validator,
    landline_codes,
    luhn_ok,
    mobile_prefixes,
    mst_check_digit,
    plate_province_codes,
    vn_phone_national,
)


def luhn_complete(body: str) -> str:
    """``body`` plus the digit that makes the Luhn check pass."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("no Luhn digit")


def test_registry_names_are_versioned_and_callable() -> None:
    assert {"vn_cccd.v1", "vn_mst.v1", "luhn.v1", "vn_phone.v1", "order_code.v1", "upu_s10.v1"} <= set(
        VALIDATORS
    )
    for name, fn in VALIDATORS.items():
        assert name.rsplit(".", 1)[1].startswith("v"), name
        assert callable(fn)


def test_unknown_validator_names_the_known_ones() -> None:
    with pytest.raises(KeyError) as err:
        get_validator("vn_cccd.v9")
    assert "vn_cccd.v9" in str(err.value) and "vn_mst.v1" in str(err.value)


def test_validators_live_in_the_generic_registry() -> None:
    from vner.rules.registry import Registry
    from vner.rules.validators import vn_cccd_v1

    assert isinstance(VALIDATORS, Registry)
    assert get_validator("vn_cccd.v1") is vn_cccd_v1 is VALIDATORS["vn_cccd.v1"]
    assert VALIDATORS.names()[0] == "luhn.v1" and len(VALIDATORS.names()) == 12
    assert VALIDATORS.help("luhn.v1") == "Luhn checksum: True when it holds, False otherwise."
    with pytest.raises(
        KeyError, match=r"unknown validator 'x\.v1'; known: email\.v1, ipv4\.v1, .*vn_plate\.v1$"
    ):
        get_validator("x.v1")


def test_data_tables_have_the_official_sizes() -> None:
    assert len(cccd_province_codes()) == 63
    assert cccd_province_codes()["001"] == "Hà Nội" and cccd_province_codes()["096"] == "Cà Mau"
    assert "003" not in cccd_province_codes()
    assert len(landline_codes()) == 63
    assert mobile_prefixes()["086"] == "Viettel" and mobile_prefixes()["087"] == "Itelecom"
    assert not any(p.startswith("01") for p in mobile_prefixes())
    assert {"10", "13", "42", "87", "91", "96"}.isdisjoint(plate_province_codes())


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("luhn.v1", "4111 1111 1111 1111", True),
        ("luhn.v1", "4111-1111-1111-1112", False),
        ("luhn.v1", "7", False),
        ("vn_mst.v1", "0101248141", True),
        ("vn_mst.v1", "0100112437", True),
        ("vn_mst.v1", "0101248141-001", True),
        ("vn_mst.v1", "0101248141-000", False),
        ("vn_mst.v1", "0101248142", False),
        ("vn_mst.v1", "010124814", False),
        ("vn_cccd.v1", "001099012345", None),
        ("vn_cccd.v1", "079 203 001234", None),
        ("vn_cccd.v1", "003099012345", False),
        ("vn_cccd.v1", "001499012345", False),
        ("vn_cccd.v1", "00109901234", False),
        ("vn_cmnd.v1", "012345678", None),
        ("vn_cmnd.v1", "111111111", False),
        ("vn_phone.v1", "0912345678", True),
        ("vn_phone.v1", "+84 912 345 678", True),
        ("vn_phone.v1", "024 3825 1234", True),
        ("vn_phone.v1", "0236 382 1234", True),
        ("vn_phone.v1", "0123 456 7890", False),
        ("vn_phone.v1", "0951234567", False),
        ("vn_phone.v1", "0201 234 5678", False),
        ("vn_phone.v1", "024 1234 5678", False),  # Hà Nội subscriber numbers start with 2-8
        ("vn_phone.v1", "028 9123 4567", False),
        ("order_code.v1", "123456789", True),
        ("order_code.v1", "023456789", False),
        ("order_code.v1", "0123456789", True),
        ("order_code.v1", "1123456789", True),
        ("order_code.v1", "2123456789", False),
        ("order_code.v1", "12345678", False),
        ("ipv4.v1", "192.168.1.1", True),
        ("ipv4.v1", "256.1.1.1", False),
        ("ipv4.v1", "192.168.01.1", False),
        ("ipv6.v1", "2001:db8::1", True),
        ("ipv6.v1", "2001:db8:::1", False),
        ("email.v1", "a.b+c@mail.example.vn", True),
        ("email.v1", "a..b@example.com", False),
        ("email.v1", "ab@example", False),
        ("vn_plate.v1", "30A-123.45", True),
        ("vn_plate.v1", "29H1-234.56", True),
        ("vn_plate.v1", "10A-123.45", False),
        ("vn_bank_card.v1", "4111 1111 1111 1111", True),
        ("vn_bank_card.v1", "4111 1111 1111 1112", False),
        ("vn_bank_card.v1", "1234 5678 9012 3456", False),
        ("upu_s10.v1", "AA473124829GB", True),  # the S10 standard's worked example: check digit 9
        ("upu_s10.v1", "aa473124829gb", True),  # chat writes it in lower case
        ("upu_s10.v1", "AA473124828GB", False),  # wrong check digit
        ("upu_s10.v1", "AA47312482GB", False),  # 8 digits
        ("upu_s10.v1", "A1473124829GB", False),
        ("upu_s10.v1", "EE000000080VN", True),  # weighted sum 56 ≡ 1 (mod 11): 11 − 1 = 10 → check digit 0
        ("upu_s10.v1", "EE000000005VN", True),  # sum 0: 11 − 0 = 11 → check digit 5
        ("upu_s10.v1", "EE000000000VN", False),
    ],
)
def test_validator_table(name: str, text: str, expected: bool | None) -> None:
    assert get_validator(name)(text) is expected


def test_napas_card_luhn_confirms_and_failure_stays_unproven() -> None:
    good = luhn_complete("970436123456789")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert card_scheme(good) == "napas"
    assert get_validator("vn_bank_card.v1")(good) is True
    assert get_validator("vn_bank_card.v1")(bad) is None


@pytest.mark.parametrize(
    ("cccd", "year"),
    [("001099012345", 1999), ("079203001234", 2003), ("001185012345", 1985), ("048310012345", 2010)],
)
def test_cccd_birth_year(cccd: str, year: int) -> None:
    assert cccd_birth_year(cccd) == year


@pytest.mark.parametrize(
    ("raw", "national"),
    [
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("+84 0912345678", "0912345678"),
        ("(+84) 28 3822 1234", "02838221234"),
        ("+1 555 0100", None),
    ],
)
def test_phone_national_form(raw: str, national: str | None) -> None:
    assert vn_phone_national(raw) == national


# Published tax codes (mã số thuế) of well-known Vietnamese companies: real codes, so the expected answers do
# not come from the algorithm under test.
REAL_MST = [
    ("0300588569", "Vinamilk"),
    ("0101248141", "FPT"),
    ("0100109106", "Viettel"),
    ("0100112437", "Vietcombank"),
    ("0100107370", "Petrolimex"),
]
# the same codes with the check digit (10th digit) changed by hand
WRONG_CHECK_DIGIT = ["0300588560", "0101248142", "0100109107", "0100112430", "0100107371", "0300588568"]


@pytest.mark.parametrize(("code", "company"), REAL_MST)
def test_real_tax_codes_pass(code: str, company: str) -> None:
    assert get_validator("vn_mst.v1")(code) is True, company
    assert mst_check_digit(code[:9]) == int(code[9]), company


@pytest.mark.parametrize(
    "code", ["0300588569-001", "0101248141-002", "0100109106-010", "0100112437-999", "0100107370001"]
)
def test_real_tax_codes_with_a_branch_suffix_pass(code: str) -> None:
    assert get_validator("vn_mst.v1")(code) is True


@pytest.mark.parametrize(
    "code", WRONG_CHECK_DIGIT + ["0300588560-001", "0100109106-000", "030058856", "03005885690"]
)
def test_tax_codes_with_a_wrong_check_digit_or_shape_fail(code: str) -> None:
    assert get_validator("vn_mst.v1")(code) is False


@pytest.mark.parametrize(
    ("first9", "check"),
    [("030058856", 9), ("010124814", 1), ("010010910", 6), ("010011243", 7), ("010010737", 0)],
)
def test_mst_check_digit_of_real_codes(first9: str, check: int) -> None:
    assert mst_check_digit(first9) == check


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_at_most_one_check_digit_completes_any_nine_digits(first9: str) -> None:
    validator = get_validator("vn_mst.v1")
    assert sum(validator(first9 + str(last)) for last in range(10)) <= 1


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.integers(min_value=0, max_value=17))
def test_luhn_detects_any_single_digit_change(body: str, pos: int) -> None:
    number = luhn_complete(body)
    assert luhn_ok(number)
    i = pos % len(number)
    changed = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
    assert not luhn_ok(changed)
