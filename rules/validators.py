"""The one explicit registry of pure, versioned validators (``"vn_cccd.v1"``, ``"luhn.v1"``, ...).

A validator takes the matched text and answers three ways: ``True`` — confirmed (checksum or official list
passed; the entity gets score 1.0), ``False`` — drop the match, ``None`` — the structure is plausible but
not provable; keep the pattern's score. Separators (spaces, dots, dashes) are stripped before checksums.
To change a validator's behaviour add a ``.v2``; never edit a published ``.v1``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache
from pathlib import Path

import regex
import yaml

from .registry import Registry

Validator = Callable[[str], "bool | None"]

VALIDATORS: Registry[Validator] = Registry("validator")
"""Every validator, by versioned name (``vn_cccd.v1``); filled by ``@VALIDATORS.register`` below."""

_DATA = Path(__file__).resolve().parent / "data"


@cache
def _yaml(name: str) -> dict[str, object]:
    with (_DATA / name).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{_DATA / name}: expected a mapping at the top level")
    return data


def _str_map(name: str, key: str) -> dict[str, str]:
    value = _yaml(name).get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{_DATA / name}: key {key!r} must be a mapping")
    return {str(k): str(v) for k, v in value.items()}


@cache
def cccd_province_codes() -> dict[str, str]:
    """The 63 three-digit province codes that open a CCCD -> province name."""
    return _str_map("vn_province_codes.yaml", "cccd")


@cache
def plate_province_codes() -> dict[str, str]:
    """Two-digit prefixes of road-vehicle plates -> province name."""
    return _str_map("vn_province_codes.yaml", "plate")


@cache
def mobile_prefixes() -> dict[str, str]:
    """Three-digit national mobile prefix ("091") -> carrier."""
    carriers = _yaml("vn_phone_numbering.yaml").get("mobile")
    if not isinstance(carriers, dict):
        raise ValueError(f"{_DATA / 'vn_phone_numbering.yaml'}: key 'mobile' must be a mapping")
    return {str(p): str(name) for name, prefixes in carriers.items() for p in prefixes}


@cache
def subscriber_first_digits() -> dict[str, str]:
    """Allowed first subscriber digit after the 3-digit city codes ("024" -> "2345678")."""
    return _str_map("vn_phone_numbering.yaml", "subscriber_first_digit")


@cache
def landline_codes() -> dict[str, str]:
    """Fixed-line area code ("024", "0236") -> province."""
    return _str_map("vn_phone_numbering.yaml", "landline")


_NON_DIGIT = regex.compile(r"[^0-9]+")


def digits(text: str) -> str:
    """Only the ASCII digits of ``text``."""
    return _NON_DIGIT.sub("", text)


def luhn_ok(number: str) -> bool:
    """The Luhn (mod 10) check over the digits of ``number`` (at least two digits)."""
    ds = digits(number)
    if len(ds) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(ds)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@VALIDATORS.register("luhn.v1")
def luhn_v1(text: str) -> bool:
    """Luhn checksum: True when it holds, False otherwise."""
    return luhn_ok(text)


def vn_phone_national(text: str) -> str | None:
    """The national form ("0912345678") of a number written with +84/84/0084 or a trunk 0, else None."""
    raw = text.strip()
    ds = digits(raw)
    if raw.startswith(("+", "(+")):
        if not ds.startswith("84"):
            return None
        rest = ds[2:]
    elif ds.startswith("0084"):
        rest = ds[4:]
    elif ds.startswith("84"):
        rest = ds[2:]
    elif ds.startswith("0"):
        return ds
    else:
        return None
    if rest.startswith("0"):  # "+84 0912 ..." keeps a redundant trunk zero
        rest = rest[1:]
    return "0" + rest


def vn_phone_kind(national: str) -> str | None:
    """``"mobile:<carrier>"`` or ``"landline:<province>"`` for a valid national number, else None."""
    if len(national) == 10 and national[:3] in mobile_prefixes():
        return f"mobile:{mobile_prefixes()[national[:3]]}"
    if len(national) == 11:
        codes = landline_codes()
        for code_len in (3, 4):
            code = national[:code_len]
            if code in codes:
                first = subscriber_first_digits().get(code)
                if first is not None and national[code_len] not in first:
                    return None
                return f"landline:{codes[code]}"
    return None


@VALIDATORS.register("vn_phone.v1")
def vn_phone_v1(text: str) -> bool:
    """A Vietnamese mobile (current carrier prefix, 10 digits) or landline (area code, 11 digits)."""
    national = vn_phone_national(text)
    return national is not None and vn_phone_kind(national) is not None


def cccd_birth_year(text: str) -> int | None:
    """Birth year encoded in a 12-digit CCCD (4th digit = century and sex, 5th-6th = year), else None."""
    ds = digits(text)
    if len(ds) != 12:
        return None
    century_sex = int(ds[3])
    return 1900 + 100 * (century_sex // 2) + int(ds[4:6])


@VALIDATORS.register("vn_cccd.v1")
def vn_cccd_v1(text: str) -> bool | None:
    """12 digits, province code in the official list, century/sex digit 0-3 (1900-2099).

    Returns None (not True) when the structure holds: there is no check digit, so context decides the
    score; the birth-year/age check needs the caller's reference time (see ``vner.rules.recognizers.ids``).
    """
    ds = digits(text)
    if len(ds) != 12 or ds[:3] not in cccd_province_codes() or ds[3] not in "0123":
        return False
    return None


@VALIDATORS.register("vn_cmnd.v1")
def vn_cmnd_v1(text: str) -> bool | None:
    """Old 9-digit identity card number: 9 digits, not all the same digit; never confirmed alone."""
    ds = digits(text)
    if len(ds) != 9 or len(set(ds)) == 1:
        return False
    return None


_MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def mst_check_digit(first9: str) -> int | None:
    """The MST check digit for the first nine digits, or None when no digit can satisfy the check."""
    total = sum(int(d) * w for d, w in zip(first9, _MST_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


@VALIDATORS.register("vn_mst.v1")
def vn_mst_v1(text: str) -> bool:
    """Tax code: 10 digits with the mod-11 check digit, or 13 digits (10 + branch 001-999)."""
    ds = digits(text)
    if len(ds) not in (10, 13):
        return False
    if len(ds) == 13 and ds[10:] == "000":
        return False
    expected = mst_check_digit(ds[:9])
    return expected is not None and expected == int(ds[9])


_CARD_SCHEMES = (
    ("visa", regex.compile(r"4\d{12}(?:\d{3}){0,2}")),
    ("mastercard", regex.compile(r"(?:5[1-5]\d{14}|2(?:2[2-9]|[3-6]\d|7[01])\d{13}|2720\d{12})")),
    ("amex", regex.compile(r"3[47]\d{13}")),
    ("jcb", regex.compile(r"35(?:2[89]|[3-8]\d)\d{12}(?:\d{3})?")),
    ("unionpay", regex.compile(r"62\d{14}(?:\d{3})?")),
)


def card_scheme(text: str) -> str | None:
    """``"napas"``, ``"visa"``, ... for a number of a known scheme's shape, else None."""
    ds = digits(text)
    if ds.startswith("9704") and len(ds) in (16, 19):
        return "napas"
    for name, rx in _CARD_SCHEMES:
        if rx.fullmatch(ds):
            return name
    return None


@VALIDATORS.register("vn_bank_card.v1")
def vn_bank_card_v1(text: str) -> bool | None:
    """Card of a known scheme: Luhn decides, except NAPAS 9704 where a Luhn failure stays unproven (None)."""
    scheme = card_scheme(text)
    if scheme is None:
        return False
    if luhn_ok(text):
        return True
    return None if scheme == "napas" else False


@VALIDATORS.register("order_code.v1")
def order_random_segment_v1(text: str) -> bool:
    """The paper's rule: a 9-digit random segment cannot start with 0; a 10-digit one starts with 0 or 1."""
    if not text.isascii() or not text.isdigit():
        return False
    if len(text) == 9:
        return text[0] != "0"
    if len(text) == 10:
        return text[0] in "01"
    return False


S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """UPU S10's check digit of an 8-digit serial: weights 8 6 4 2 3 5 9 7, 11 − (sum mod 11), 10 → 0, 11 → 5."""
    c = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return 0 if c == 10 else 5 if c == 11 else c


@VALIDATORS.register("upu_s10.v1")
def upu_s10_v1(text: str) -> bool:
    """A UPU S10 postal item identifier (VNPost, EMS and every post's tracking number: "AA473124829GB"): two
    service letters, an 8-digit serial, its check digit, the ISO country code of the issuing post."""
    t = text.upper()
    if len(t) != 13 or not (t[:2].isalpha() and t[11:].isalpha() and t[2:11].isdigit() and t.isascii()):
        return False
    return int(t[10]) == s10_check_digit(t[2:10])


@VALIDATORS.register("ipv4.v1")
def ipv4_v1(text: str) -> bool:
    """A dotted-quad IPv4 address (no leading zeros)."""
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


@VALIDATORS.register("ipv6.v1")
def ipv6_v1(text: str) -> bool:
    """An IPv6 address in any RFC 4291 text form (optionally with an embedded IPv4 tail)."""
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


_EMAIL_RX = regex.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9])?@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


@VALIDATORS.register("email.v1")
def email_v1(text: str) -> bool:
    """An e-mail address: ASCII local part without "..", domain labels of 1-63 chars, alphabetic TLD."""
    if len(text) > 254 or ".." in text or not _EMAIL_RX.fullmatch(text):
        return False
    local = text.split("@", 1)[0]
    return len(local) <= 64


_PLATE_RX = regex.compile(r"(\d{2})[\s\-]?([A-Z]{1,2}\d?)[\s\-.]?(\d{3}\.?\d{2}|\d{4})")


@VALIDATORS.register("vn_plate.v1")
def vn_plate_v1(text: str) -> bool:
    """A road-vehicle plate whose two-digit prefix is an issued province code."""
    m = _PLATE_RX.fullmatch(text.upper().strip())
    return bool(m) and m.group(1) in plate_province_codes()  # type: ignore[union-attr]


def get_validator(name: str) -> Validator:
    """The validator registered as ``name``; ``KeyError`` naming the known ones otherwise."""
    return VALIDATORS.get(name)
