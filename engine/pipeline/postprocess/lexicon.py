"""Vietnamese language data the post-processing steps use (kept out of the step code).

Words are stored NFC, lower-case; matching code compares lower-cased, optionally diacritic-stripped text.
"""

from __future__ import annotations

# fmt: off

# Words that precede a name but are not part of it (honorifics, kinship terms, roles).
NAME_STOP_WORDS: frozenset[str] = frozenset(
    """anh chị em ông bà cô chú bác bạn khách cháu con dì cậu thím mợ mình tôi tao shop sếp thầy giám đốc
    quý kính gửi chào xin cảm ơn cám mr ms mrs miss dear hi hello a c e b ad admin nhân viên khách hàng
    người nhận gửi tên họ số địa chỉ sđt đt tại ở và hoặc là của cho với""".split()
)

# Words that open an administrative or street segment of a Vietnamese address (lower-case, NFC).
ADDRESS_UNIT_WORDS: tuple[str, ...] = (
    "thành phố", "thị xã", "thị trấn", "khu phố", "khu đô thị", "tổ dân phố", "quận", "huyện", "phường",
    "xã", "đặc khu", "tỉnh", "tp.", "tp", "q.", "p.", "đường", "phố", "ngõ", "ngách", "hẻm", "kiệt", "số", "khối",
    "tổ", "ấp", "thôn", "xóm", "bản", "kp", "tòa nhà", "toà nhà", "chung cư", "lô", "tầng",
)

# Province, city and district names are not listed here: span_rebuild reads vner.rules.lang.vi.places, the
# LOCATION gazetteer's data (PyPI vietnam-provinces + rules/data/gazetteers/vn_admin.yaml).

# Multi-word product/unit nouns the model tends to label only in part ("miếng" for "vàng miếng").
MULTIWORD_UNITS: tuple[str, ...] = (
    "vàng miếng", "vàng nhẫn", "vàng trang sức", "vàng ta", "nhẫn trơn", "bạc miếng", "thùng carton",
    "hộp quà", "bao tải", "cuộn băng keo", "áo sơ mi", "áo thun", "quần jean", "quần tây", "váy liền",
    "giày thể thao", "điện thoại", "tai nghe", "sạc dự phòng", "ốp lưng", "nồi cơm điện", "máy lọc nước",
)

# Heads of descriptive names that stand beside a brand in parentheses, per enumerable label kind.
DESCRIPTOR_HEADS: tuple[str, ...] = (
    "ngân hàng tmcp", "ngân hàng thương mại cổ phần", "ngân hàng", "nhà băng", "tổng công ty", "công ty",
    "tập đoàn",
)

# Separators of coordinated lists ("Agribank, VietinBank, BIDV", "BIDV hoặc Vietcombank").
LIST_SEPARATORS: tuple[str, ...] = (", ", "; ", " và ", " hoặc ", " / ", " & ", " hay ")

# Known brand names that do not look like brands by their shape (lower-case for lookup).
KNOWN_BRANDS: frozenset[str] = frozenset(
    """vietcombank vietinbank bidv agribank techcombank mb mbbank acb vpbank tpbank sacombank hdbank vib shb
    ocb msb seabank eximbank lpbank abbank bacabank namabank pvcombank scb vietabank kienlongbank ncb
    sjc pnj doji momo zalopay vnpay shopee lazada tiki ghn ghtk""".split()
)
# fmt: on
