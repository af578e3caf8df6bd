"""What the seed adds to the provinces: legacy names, spellings, the northern 28.

The six regions, the English names and the region of each current province are
``catalog.regions`` (the benchmarks' synthetic market reads them too).
"""

# Pre-2025 names we record differently from the package. The package's legacy table already
# calls code 46 "Huế" (it became a centrally-run city in January 2025, months before the
# merger); the articles and most data people hold still say "Thừa Thiên Huế", so that is the
# legacy name we keep. "Huế" itself resolves through the current province.
LEGACY_NAME_OVERRIDES = {"46": "Thừa Thiên Huế"}

# Common spellings and abbreviations, keyed by the CURRENT province code. A spelling is stored
# only when it adds a look-up: one that already resolves (same compact form as a current,
# English or legacy name, e.g. "Hanoi", "Hue", "Dak Lak") is skipped by the loader.
SPELLINGS = {
    "79": [
        "TP HCM",
        "TP.HCM",
        "HCM",
        "HCMC",
        "HCM City",
        "Sài Gòn",
        "Saigon",
        "Ho Chi Minh City",
        "Vũng Tàu",
        "Bà Rịa",
        "BR-VT",
    ],
    "01": ["HN", "Hanoi", "Ha Noi", "Thủ đô Hà Nội"],
    "46": ["Hue", "Thua Thien Hue", "Thừa Thiên – Huế", "TT Huế"],
    "66": ["Daklak", "Dak Lak", "Đắc Lắc", "Darlac"],
    "68": ["Đắc Nông", "Dak Nong"],
    "19": ["Bac Kan", "Bắc Cạn"],
    "51": ["Kontum"],
    "48": ["Danang"],
    "92": ["Cantho"],
    "31": ["Haiphong"],
}

# The pre-2025 northern provinces behind "the 28 northern provinces and cities" (article 003
# does not list them): the 14 of the Northern Midlands and Mountains, the 11 of the Red River
# Delta, and Thanh Hóa, Nghệ An and Hà Tĩnh (the north of the North Central Coast), the usual
# membership of the industry-and-trade conference of the northern provinces (14 + 11 + 3 = 28).
NORTHERN_28_LEGACY = [
    # Northern Midlands and Mountains (14)
    "Hà Giang",
    "Cao Bằng",
    "Bắc Kạn",
    "Tuyên Quang",
    "Lào Cai",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Yên Bái",
    "Hòa Bình",
    "Thái Nguyên",
    "Lạng Sơn",
    "Bắc Giang",
    "Phú Thọ",
    # Red River Delta (11)
    "Hà Nội",
    "Hải Phòng",
    "Quảng Ninh",
    "Vĩnh Phúc",
    "Bắc Ninh",
    "Hải Dương",
    "Hưng Yên",
    "Thái Bình",
    "Hà Nam",
    "Nam Định",
    "Ninh Bình",
    # North Central (3)
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
]
