"""Vietnamese cue words that introduce a number, shared by the identifier recognizers.

Each recognizer chooses its own window (:class:`vner.rules.recognizers._base.ContextWords`) and what a cue
means to it (a bank account is *found* after an account cue; a phone, citizen ID or tax code is *not* taken
where one introduces the number); the words come from here. Lower case, NFC; matching folds case and
diacritics, so "so tai khoan" and "Số tài khoản" are the same cue.
"""

from __future__ import annotations

# words that name a bank account: "stk 0011004567890", "số tài khoản: ...", "acc ..."
ACCOUNT_CUES: tuple[str, ...] = ("stk", "số tài khoản", "tài khoản", "số tk", "tk", "account", "acc")

# words for a bank transfer, which introduce the account to transfer to: "ck 0011004567890"
TRANSFER_CUES: tuple[str, ...] = ("chuyển khoản", "ck")

# words of a street address before a street's or an alley's name: "25 đường Nguyễn Trãi", "ngõ 68 Cầu Giấy"
ALLEY_WORDS: tuple[str, ...] = ("ngõ", "ngách", "hẻm", "kiệt")
STREET_WORDS: tuple[str, ...] = ("đường", "phố", *ALLEY_WORDS)

# the given names, folded, of the Lý kings and scholars whose names streets carry (Lý Thường Kiệt, Lý Thái Tổ, Lý Tự
# Trọng...): typed without diacritics, "12 ly thuong kiet" is a street, not twelve cups ("ly"), "2 ly thai do" two
# cups of Thai tea
AFTER_LY: frozenset[str] = frozenset(
    {
        "thuong kiet", "thai to", "thai tong", "tu trong", "chinh thang", "nam de", "quoc su", "cong uan",
        "thanh tong", "dao thanh", "van phuc", "phuc man", "chieu hoang", "anh tong", "nhan tong", "cao tong",
        "hue tong", "tu tan", "van sam",
    }
)  # fmt: skip
