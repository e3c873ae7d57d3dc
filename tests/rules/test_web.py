"""EMAIL, URL and IP_ADDRESS: valid forms, trimming, and look-alikes (money, versions, clock times)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vner.rules.normalize import normalize
from vner.rules.recognizer import RuleContext
from vner.rules.recognizers.web import RECOGNIZERS, EmailRecognizer, IpAddressRecognizer, UrlRecognizer

CTX = RuleContext(ref_time=datetime(2026, 11, 25))
EMAIL = EmailRecognizer()
URL = UrlRecognizer()
IP = IpAddressRecognizer()


def tag(text: str, rec: Any) -> list[tuple[str, Any]]:
    norm = normalize(text)
    out = []
    for e in rec.analyze(norm.text, CTX):
        s, t = norm.to_original(e.start, e.end)
        out.append((text[s:t], e.value))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email: nguyen.van.a@gmail.com.", [("nguyen.van.a@gmail.com", "nguyen.van.a@gmail.com")]),
        ("gửi về CSKH@Shop.COM.VN nhé", [("CSKH@Shop.COM.VN", "CSKH@shop.com.vn")]),
        ("a_b+tag@mail.example.edu.vn", [("a_b+tag@mail.example.edu.vn", "a_b+tag@mail.example.edu.vn")]),
        ("x@a.io, y@b.vn", [("x@a.io", "x@a.io"), ("y@b.vn", "y@b.vn")]),
        ("a..b@gmail.com", []),
        ("abc@gmail", []),
        ("abc@gmail.c", []),
        ("@gmail.com", []),
        ("abc@-gmail.com", []),
        ("abc@gmail.com2", []),
    ],
)
def test_email(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, EMAIL) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xem https://shopee.vn/abc?x=1). nhé", ["https://shopee.vn/abc?x=1"]),
        ("(https://vi.wikipedia.org/wiki/A_(B))", ["https://vi.wikipedia.org/wiki/A_(B)"]),
        ("vào www.tiki.vn hoặc lazada.vn/sp/123,", ["www.tiki.vn", "lazada.vn/sp/123"]),
        ("http://192.168.1.10:8080/admin", ["http://192.168.1.10:8080/admin"]),
        ("trang thegioididong.com.", ["thegioididong.com"]),
        ("Truy cập lazada.vn để đặt hàng", ["lazada.vn"]),
        ("fb.com", ["fb.com"]),
        ("TP.HCM, Q.1, v.v.", []),
        ("phiên bản 1.2.3", []),
        ("email a@shopee.vn", []),
        ("https://", []),
        ("file báo_cáo.docx", []),
    ],
)
def test_url(text: str, expected: list[str]) -> None:
    assert [v for _, v in tag(text, URL)] == expected


def test_bare_domains_can_be_switched_off() -> None:
    rec = UrlRecognizer(config={"bare_domains": False})
    assert [v for _, v in tag("lazada.vn và https://tiki.vn", rec)] == ["https://tiki.vn"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IP 192.168.1.1", [("192.168.1.1", "192.168.1.1")]),
        ("máy chủ 10.0.0.254.", [("10.0.0.254", "10.0.0.254")]),
        ("8.8.8.8 và 1.1.1.1", [("8.8.8.8", "8.8.8.8"), ("1.1.1.1", "1.1.1.1")]),
        ("ipv6 2001:db8::8a2e:370:7334", [("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334")]),
        ("loopback ::1", [("::1", "::1")]),
        (
            "IP 2001:0db8:0000:0000:0000:0000:0000:0001",
            [("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")],
        ),
        ("256.1.1.1", []),
        ("192.168.01.1", []),
        ("1.2.3", []),
        ("1.2.3.4.5", []),
        ("số 1.100.100.100 đồng", []),
        ("phiên bản 1.2.3.4", []),
        ("phiên bản 2.3.4.25, IP 26.241.184.233", [("26.241.184.233", "26.241.184.233")]),
        ("máy chủ 34.16.233.190, phiên bản 4.8.2.68", [("34.16.233.190", "34.16.233.190")]),
        ("lúc 14:30:00", []),
        ("tỉ số 10::30", []),
        ("a192.168.1.1", []),
        ("http://192.168.1.10:8080/admin", []),  # the URL recognizer owns it
    ],
)
def test_ip(text: str, expected: list[tuple[str, str]]) -> None:
    assert tag(text, IP) == expected


def test_ip_cue_overrides_money_shape_and_is_explained() -> None:
    e = IP.analyze("địa chỉ IP 100.100.100.100", CTX)[0]
    assert e.score == 1.0 and "ipv4.v1" in e.explanation and "ip" in e.explanation
    assert e.source == "rule:ip_address.v1" and e.label == "IP_ADDRESS"


def test_nfd_text() -> None:
    text = unicodedata.normalize(
        "NFD", "Liên hệ qua email hỗ_trợ: hotro@cửahàng.vn hoặc cskh@shop.vn, trang https://shop.vn"
    )
    assert [v for _, v in tag(text, EMAIL)] == ["cskh@shop.vn"]
    assert [v for _, v in tag(text, URL)] == ["https://shop.vn"]


def test_registry() -> None:
    assert set(RECOGNIZERS) == {"email", "url", "ip_address"}


@pytest.mark.parametrize("cls", [EmailRecognizer, UrlRecognizer, IpAddressRecognizer])
def test_bad_config(cls: Any) -> None:
    with pytest.raises(ValueError, match="scor"):
        cls(config={"scor": 1})


@settings(max_examples=200)
@given(st.text(alphabet="ab.@:/0123456789 -_đ\u0301", max_size=50))
def test_offsets_property(text: str) -> None:
    norm = normalize(text)
    for rec in (EMAIL, URL, IP):
        for e in rec.analyze(norm.text, CTX):
            assert norm.text[e.start : e.end] == e.text
