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
    "xã", "tỉnh", "tp.", "tp", "q.", "p.", "đường", "phố", "ngõ", "ngách", "hẻm", "kiệt", "số", "khối",
    "tổ", "ấp", "thôn", "xóm", "bản", "kp", "tòa nhà", "toà nhà", "chung cư", "lô", "tầng",
)

# Provinces and centrally-run cities (pre- and post-2025 names) and common short forms.
PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh",
    "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
    "Huế", "Tiền Giang", "Hồ Chí Minh", "TP.HCM", "TPHCM", "HCM", "Sài Gòn", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "HN",
)

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
