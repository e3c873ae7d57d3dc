"""A seeded generator of Vietnamese customer-service / logistics chat messages with gold entity spans.

For demos, tests and benchmarks only: scores on synthetic messages are **not** accuracy claims. Messages are
built from templates whose slots are filled from :mod:`vner.engine.synth.vocabulary` (real administrative units, banks,
carrier prefixes); informal spellings, dropped diacritics and typos are applied at set rates, part by part,
so that every gold span still satisfies ``text[start:end]`` being the entity's surface.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from ...rules.normalize import strip_diacritics
from ...rules.registry import Registry
from . import vocabulary as vocab

# Labels of the customer_service schema (rules/data/domains/customer_service.yaml) the generator produces.
LABELS: tuple[str, ...] = (
    "ORDER_CODE", "PHONE_NUMBER", "CUSTOMER_NAME", "RECEIVER_NAME", "ADDRESS", "BANK_NAME", "BANK_ACCOUNT",
    "MONEY", "DATE", "TIME", "PRODUCT_NAME", "QUANTITY", "SHIPPING_CARRIER",
)  # fmt: skip

TEMPLATES: tuple[str, ...] = (
    "Shop ơi đơn hàng {ORDER_CODE} của em bao giờ giao ạ? Em cần gấp trước {DATE}",
    "Cho mình đổi địa chỉ nhận hàng sang {ADDRESS} nhé, số điện thoại người nhận {PHONE_NUMBER}",
    "Em tên {CUSTOMER_NAME}, số điện thoại {PHONE_NUMBER}, đặt {PRODUCT_NAME} mà chưa nhận được ạ",
    "Mình đã chuyển khoản {MONEY} qua {BANK_NAME} cho đơn {ORDER_CODE} rồi, shop kiểm tra giúp nhé",
    "Hoàn tiền cho em vào stk {BANK_ACCOUNT} {BANK_NAME}, chủ tài khoản {CUSTOMER_NAME}",
    "Giao hàng tới {ADDRESS} giúp em, giao cho {hon} {RECEIVER_NAME} số {PHONE_NUMBER}",
    "Đơn {ORDER_CODE} bị giao nhầm {PRODUCT_NAME}, {DATE} shop qua lấy lại được không",
    "Phí ship tới {ADDRESS} là bao nhiêu vậy shop? Em đặt {PRODUCT_NAME} giá {MONEY}",
    "Shipper gọi số {PHONE_NUMBER} mà không ai nghe, đơn {ORDER_CODE} hẹn giao lại {DATE}",
    "Em thanh toán qua {BANK_NAME} hoặc {BANK_NAME} được không ạ?",
    "{Hon} là {CUSTOMER_NAME} ở {ADDRESS}, đặt {QUANTITY} {PRODUCT_NAME}, tổng {MONEY}",
    "{ORDER_CODE} giao chưa shop, {DATE} mình không có nhà",
    "Mình muốn hủy đơn {ORDER_CODE}, đã trả {MONEY}, hoàn về {BANK_NAME} giúp mình với",
    "Tài khoản {BANK_ACCOUNT} tại {BANK_NAME} của {CUSTOMER_NAME} chưa nhận được tiền hoàn {MONEY}",
    "Cho hỏi {PRODUCT_NAME} còn hàng không, giao {DATE} tới {ADDRESS} được không",
    "{BANK_DESC} báo giao dịch thành công rồi mà shop chưa xác nhận đơn {ORDER_CODE}",
    "Mấy ngân hàng {BANK_NAME}, {BANK_NAME}, {BANK_NAME} đều chuyển được nha bạn",
    "Hotline {PHONE_NUMBER} không gọi được, em là {CUSTOMER_NAME}, mã đơn {ORDER_CODE}",
    "Ship tới {BUILDING} giúp em, người nhận {RECEIVER_NAME} {PHONE_NUMBER}",
    "Email xác nhận đơn {ORDER_CODE} gửi về rồi nhưng sai tên người nhận, đúng là {RECEIVER_NAME}",
    "Bên {SHIPPING_CARRIER} báo giao thất bại đơn {ORDER_CODE}, hẹn giao lại {DATE}",
    "Đơn {ORDER_CODE} đi {SHIPPING_CARRIER} hay {SHIPPING_CARRIER} vậy shop, em cần nhận trước {TIME}",
)
_SLOT = regex.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True)
class SynthConfig:
    """How many messages, the seed, and the rates of each kind of noise (0..1)."""

    n: int = 200
    seed: int = 7
    informal_rate: float = 0.3  # chance a message uses chat spellings ("ko", "đc", "sđt")
    no_diacritics_rate: float = 0.2  # chance a whole message is typed without diacritics
    typo_rate: float = 0.02  # chance per non-entity word of one typo

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError(f"n must be >= 0, got {self.n}")
        for name in ("informal_rate", "no_diacritics_rate", "typo_rate"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {v}")


def _name(r: random.Random) -> str:
    return f"{r.choice(vocab.FAMILY_NAMES)} {r.choice(vocab.MIDDLE_NAMES)} {r.choice(vocab.GIVEN_NAMES)}"


def _phone(r: random.Random) -> str:
    digits = r.choice(vocab.CARRIER_PREFIXES) + "".join(r.choice("0123456789") for _ in range(7))
    style = r.randrange(5)
    if style == 1:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 2:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if style == 3:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    return digits


def _order_code(r: random.Random) -> str:
    """Shop code + routing segment + random segment: 9 digits not starting 0, or 10 starting 0 or 1 (paper)."""
    if r.random() < 0.5:
        tail = r.choice("123456789") + "".join(r.choice("0123456789") for _ in range(8))
    else:
        tail = r.choice("01") + "".join(r.choice("0123456789") for _ in range(9))
    sep = r.choice("--.")
    return f"{r.choice(vocab.SHOP_CODES)}{sep}{r.choice(vocab.ROUTES)}{sep}{tail}"


def _address(r: random.Random) -> str:
    city = r.choice(sorted(vocab.ADMIN_UNITS))
    district = r.choice(sorted(vocab.ADMIN_UNITS[city]))
    wards, streets = vocab.ADMIN_UNITS[city][district]
    num, street, ward = r.randint(1, 350), r.choice(streets), r.choice(wards)
    style = r.randrange(3)
    if style == 0:
        return f"{num} {street}, {ward}, {district}, {city}"
    if style == 1:
        return f"số {num} đường {street}, {district}, {city}"
    short = district.replace("quận ", "Q.").replace("thành phố ", "TP ")
    return f"{num} {street}, {short}, {city}"


def _money(r: random.Random) -> str:
    k = r.choice((89, 120, 150, 199, 250, 350, 499, 1250, 2350))
    style = r.randrange(4)
    if style == 0:
        return f"{k * 1000:,}đ".replace(",", ".")
    if style == 1:
        return f"{k}k"
    if style == 2:
        return f"{k * 1000:,} VNĐ".replace(",", ".")
    return f"{k / 1000:.1f} triệu".replace(".", ",") if k >= 1000 else f"{k} nghìn"


def _date(r: random.Random) -> str:
    style = r.randrange(3)
    if style == 0:
        return f"{r.randint(1, 28)}/{r.randint(1, 12)}"
    if style == 1:
        return f"ngày {r.randint(1, 28)} tháng {r.randint(1, 12)}"
    return r.choice(vocab.RELATIVE_DAYS)


Filler = Callable[[random.Random], str]

FILLERS: Registry[Filler] = Registry("synth slot filler")
"""Template slot (entity label) -> function drawing a fresh surface for it."""
FILLERS.add("ORDER_CODE", _order_code)
FILLERS.add("PHONE_NUMBER", _phone)
FILLERS.add("CUSTOMER_NAME", _name)
FILLERS.add("RECEIVER_NAME", _name)
FILLERS.add("ADDRESS", _address)
FILLERS.add(
    "BANK_ACCOUNT",
    lambda r: r.choice("01") + "".join(r.choice("0123456789") for _ in range(r.choice((9, 11, 12)))),
)
FILLERS.add("MONEY", _money)
FILLERS.add("DATE", _date)
FILLERS.add("TIME", lambda r: r.choice(vocab.TIMES))
FILLERS.add("PRODUCT_NAME", lambda r: r.choice(vocab.PRODUCTS))
FILLERS.add("QUANTITY", lambda r: f"{r.randint(1, 5)} {r.choice(('cái', 'chiếc', 'hộp', 'đôi'))}")


def _parts(template: str, r: random.Random) -> list[tuple[str, str | None]]:
    """The template as (surface, label-or-None) parts, slots filled; BANK_DESC/BUILDING expand to several."""
    parts: list[tuple[str, str | None]] = []
    pos = 0
    used: set[str] = set()
    for m in _SLOT.finditer(template):
        parts.append((template[pos : m.start()], None))
        slot = m.group(1)
        if slot in ("hon", "Hon"):
            h = r.choice(vocab.HONORIFICS)
            parts.append((h.capitalize() if slot == "Hon" else h, None))
        elif slot == "BANK_DESC":
            bank = r.choice(sorted(vocab.BANKS))
            parts += [(vocab.BANKS[bank], "BANK_NAME"), (" (", None), (bank, "BANK_NAME"), (")", None)]
        elif slot == "BUILDING":
            parts.append((f"{r.choice(vocab.BUILDINGS)}, quận 1", "ADDRESS"))
        elif slot in ("BANK_NAME", "SHIPPING_CARRIER"):
            pool = vocab.BANKS if slot == "BANK_NAME" else vocab.CARRIERS
            name = r.choice(sorted(set(pool) - used))
            used.add(name)
            parts.append((name, slot))
        else:
            parts.append((FILLERS[slot](r), slot))
        pos = m.end()
    parts.append((template[pos:], None))
    return [(s, lab) for s, lab in parts if s]


def _informal(text: str, r: random.Random) -> str:
    for word, variants in vocab.INFORMAL.items():
        rx = regex.compile(rf"(?<!\w){regex.escape(word)}(?!\w)")
        text = rx.sub(lambda m, v=variants: r.choice(v) if r.random() < 0.6 else m.group(), text)
    return text


def _typos(text: str, r: random.Random, rate: float) -> str:
    def one(m: regex.Match[str]) -> str:
        w = m.group()
        if len(w) < 3 or r.random() >= rate:
            return w
        i = r.randrange(len(w) - 1)
        kind = r.randrange(3)
        if kind == 0:
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        if kind == 1:
            return w[:i] + w[i + 1 :]
        return w[: i + 1] + w[i] + w[i + 1 :]

    return regex.sub(r"\p{L}+", one, text)


def generate(config: SynthConfig | None = None) -> Iterator[dict[str, Any]]:
    """Yield ``{"id", "text", "entities": [{"start", "end", "label"}]}`` records, deterministic per config."""
    cfg = config or SynthConfig()
    r = random.Random(cfg.seed)
    for i in range(cfg.n):
        parts = _parts(r.choice(TEMPLATES), r)
        informal = r.random() < cfg.informal_rate
        plain = r.random() < cfg.no_diacritics_rate
        text, ents = "", []
        for surface, label in parts:
            if label is None:
                surface = _informal(surface, r) if informal else surface
                surface = _typos(surface, r, cfg.typo_rate)
            if plain:
                surface = strip_diacritics(surface)
            if label is not None:
                ents.append({"start": len(text), "end": len(text) + len(surface), "label": label})
            text += surface
        yield {"id": f"synth-{cfg.seed}-{i:05d}", "text": text, "entities": ents}
