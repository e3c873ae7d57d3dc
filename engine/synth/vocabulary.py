"""Vocabulary of the synthetic customer-service generator: real administrative units, names, banks, products.

Administrative units are real (pre-2025 districts and wards of the largest cities, which chat messages still
use); the people are combinations of common family, middle and given names, not real persons.
"""

from __future__ import annotations

# fmt: off
FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý",
)
MIDDLE_NAMES: tuple[str, ...] = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức", "Hữu", "Thu", "Quốc", "Gia", "Bảo")
GIVEN_NAMES: tuple[str, ...] = (
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phong", "Phúc", "Quang", "Quyên", "Sơn", "Tâm", "Thảo",
    "Trang", "Trung", "Tuấn", "Vy", "Yến", "Chinh",
)
HONORIFICS: tuple[str, ...] = ("anh", "chị", "em", "cô", "chú", "bạn")

# city -> district -> (wards, streets); names as written on Vietnamese addresses.
ADMIN_UNITS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "Hà Nội": {
        "quận Cầu Giấy": (("phường Dịch Vọng", "phường Quan Hoa", "phường Yên Hòa"), ("Xuân Thủy", "Trần Thái Tông", "Cầu Giấy")),
        "quận Đống Đa": (("phường Láng Hạ", "phường Ô Chợ Dừa", "phường Kim Liên"), ("Láng Hạ", "Tây Sơn", "Xã Đàn")),
        "quận Hoàn Kiếm": (("phường Tràng Tiền", "phường Hàng Bạc", "phường Hàng Trống"), ("Tràng Tiền", "Hàng Bài", "Lý Thường Kiệt")),
        "quận Ba Đình": (("phường Kim Mã", "phường Ngọc Hà", "phường Liễu Giai"), ("Kim Mã", "Đội Cấn", "Liễu Giai")),
        "quận Thanh Xuân": (("phường Khương Trung", "phường Nhân Chính"), ("Nguyễn Trãi", "Lê Văn Lương")),
    },
    "TP.HCM": {
        "quận 1": (("phường Bến Nghé", "phường Bến Thành", "phường Đa Kao"), ("Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng")),
        "quận 3": (("phường Võ Thị Sáu", "phường 9"), ("Cách Mạng Tháng Tám", "Nam Kỳ Khởi Nghĩa")),
        "quận 7": (("phường Tân Phong", "phường Tân Phú"), ("Nguyễn Văn Linh", "Nguyễn Thị Thập")),
        "quận Bình Thạnh": (("phường 25", "phường 22"), ("Điện Biên Phủ", "Xô Viết Nghệ Tĩnh")),
        "quận Tân Bình": (("phường 2", "phường 4"), ("Hoàng Văn Thụ", "Cộng Hòa")),
        "quận Gò Vấp": (("phường 10", "phường 17"), ("Quang Trung", "Phan Văn Trị")),
    },
    "Đà Nẵng": {
        "quận Hải Châu": (("phường Thạch Thang", "phường Hòa Cường Bắc"), ("Bạch Đằng", "Lê Duẩn")),
        "quận Sơn Trà": (("phường An Hải Bắc", "phường Phước Mỹ"), ("Võ Nguyên Giáp", "Ngô Quyền")),
    },
    "Cần Thơ": {
        "quận Ninh Kiều": (("phường An Hòa", "phường Xuân Khánh"), ("30 Tháng 4", "Mậu Thân")),
    },
    "Nghệ An": {
        "thành phố Vinh": (("phường Quán Bàu", "phường Hưng Bình"), ("Lê Nin", "Nguyễn Văn Cừ")),
    },
}
BUILDINGS: tuple[str, ...] = ("tòa nhà Avalon", "chung cư Sky Center", "tòa nhà Bitexco", "chung cư Times City")

# Bank short names with their Vietnamese descriptive names (for "Ngân hàng Ngoại thương (Vietcombank)").
BANKS: dict[str, str] = {
    "Vietcombank": "Ngân hàng Ngoại thương", "VietinBank": "Ngân hàng Công thương",
    "BIDV": "Ngân hàng Đầu tư và Phát triển", "Agribank": "Ngân hàng Nông nghiệp và Phát triển Nông thôn",
    "Techcombank": "Ngân hàng Kỹ thương", "MB": "Ngân hàng Quân đội", "ACB": "Ngân hàng Á Châu",
    "Sacombank": "Ngân hàng Sài Gòn Thương Tín", "VPBank": "Ngân hàng Việt Nam Thịnh Vượng", "TPBank": "Ngân hàng Tiên Phong",
}
PRODUCTS: tuple[str, ...] = (
    "áo thun", "áo sơ mi", "quần jean", "váy liền", "giày thể thao", "tai nghe bluetooth", "sạc dự phòng",
    "ốp lưng", "nồi cơm điện", "máy lọc nước", "bình giữ nhiệt", "kem chống nắng", "balo laptop", "vàng miếng",
)
CARRIER_PREFIXES: tuple[str, ...] = (
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082",
    "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098", "056", "058",
)
SHOP_CODES: tuple[str, ...] = ("SPX", "GHN", "GHTK", "VTP", "JNT", "NJV")
ROUTES: tuple[str, ...] = ("HN", "HCM", "DN", "CT", "HP", "BD")
CARRIERS: tuple[str, ...] = ("GHN", "Giao Hàng Tiết Kiệm", "Viettel Post", "J&T Express", "Ninja Van", "Ahamove")
TIMES: tuple[str, ...] = ("8h30", "9 giờ sáng", "3h chiều", "14:00", "17 giờ", "10h")
RELATIVE_DAYS: tuple[str, ...] = ("hôm nay", "ngày mai", "hôm qua", "thứ 6 tuần này", "thứ hai tuần sau", "cuối tuần")

# Informal chat spellings: standard word -> variants people type.
INFORMAL: dict[str, tuple[str, ...]] = {
    "không": ("ko", "k", "hông", "khum"), "được": ("đc", "dc", "dk"), "với": ("vs", "zới"), "vậy": ("z", "zậy"),
    "gì": ("j", "gi"), "rồi": ("r", "rùi"), "nhé": ("nha", "nhen", "nhá"), "biết": ("bít",), "em": ("e",),
    "anh": ("a",), "bạn": ("b", "bn"), "giúp": ("júp", "giùm"), "đơn hàng": ("đơn", "dh"), "chưa": ("chx", "chưa"),
    "ạ": ("ah", "a"), "số điện thoại": ("sđt", "sdt", "số dt"), "tài khoản": ("tk", "tài khoảng"),
}
# fmt: on
