"""Vietnam's six socio-economic regions and what we add to the 34 provinces.

Codes, names, kinds and centre points of the provinces come from the ``vietnamadminunits``
package (see ``seeds.adminunits``); only the English name and the region are ours.

Region of a current province: the region of the pre-2025 province whose name the merged unit
kept (Resolution 81/2023/QH15 lists the six regions by pre-2025 province). For example Phú Thọ
(Phú Thọ + Vĩnh Phúc + Hòa Bình) stays in the Northern Midlands and Mountains, Gia Lai (Gia Lai +
Bình Định) in the Central Highlands, Tây Ninh (Tây Ninh + Long An) in the Southeast.
"""

# (code, Vietnamese name, English name); the order is the conventional north-to-south order.
REGIONS = [
    (
        "northern-midlands-mountains",
        "Trung du và miền núi phía Bắc",
        "Northern Midlands and Mountains",
    ),
    ("red-river-delta", "Đồng bằng sông Hồng", "Red River Delta"),
    (
        "north-central-central-coast",
        "Bắc Trung Bộ và Duyên hải miền Trung",
        "North Central and Central Coast",
    ),
    ("central-highlands", "Tây Nguyên", "Central Highlands"),
    ("southeast", "Đông Nam Bộ", "Southeast"),
    ("mekong-delta", "Đồng bằng sông Cửu Long", "Mekong Delta"),
]

NMM = "northern-midlands-mountains"
RRD = "red-river-delta"
NCC = "north-central-central-coast"
CH = "central-highlands"
SE = "southeast"
MD = "mekong-delta"

# Official code of a current province -> (English name, region code).
PROVINCES = {
    "01": ("Hanoi", RRD),
    "04": ("Cao Bang", NMM),
    "08": ("Tuyen Quang", NMM),
    "11": ("Dien Bien", NMM),
    "12": ("Lai Chau", NMM),
    "14": ("Son La", NMM),
    "15": ("Lao Cai", NMM),
    "19": ("Thai Nguyen", NMM),
    "20": ("Lang Son", NMM),
    "22": ("Quang Ninh", RRD),
    "24": ("Bac Ninh", RRD),
    "25": ("Phu Tho", NMM),
    "31": ("Hai Phong", RRD),
    "33": ("Hung Yen", RRD),
    "37": ("Ninh Binh", RRD),
    "38": ("Thanh Hoa", NCC),
    "40": ("Nghe An", NCC),
    "42": ("Ha Tinh", NCC),
    "44": ("Quang Tri", NCC),
    "46": ("Hue", NCC),
    "48": ("Da Nang", NCC),
    "51": ("Quang Ngai", NCC),
    "52": ("Gia Lai", CH),
    "56": ("Khanh Hoa", NCC),
    "66": ("Dak Lak", CH),
    "68": ("Lam Dong", CH),
    "75": ("Dong Nai", SE),
    "79": ("Ho Chi Minh City", SE),
    "80": ("Tay Ninh", SE),
    "82": ("Dong Thap", MD),
    "86": ("Vinh Long", MD),
    "91": ("An Giang", MD),
    "92": ("Can Tho", MD),
    "96": ("Ca Mau", MD),
}

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
