"""Where the seeded facts come from.

The five news articles are stored in ``/work/shared/sources/`` (file names in ``note``). Where
an article does not print its outlet, date or title, ``note`` says what was inferred and how.
The other rows name public registers and legal texts; their ``url`` stays blank unless the
address is certain.
"""

import datetime

# Keys used by the other data modules.
CAN_THO_2024 = "article-can-tho-2024-five-cities"
HA_NOI_2023 = "article-ha-noi-2023-five-cities"
HCMC_2024_NINE = "article-hcmc-2024-nine-provinces"
NORTH_28_2024 = "article-ha-noi-2024-28-northern-provinces"
HCMC_2024_HIGHLANDS = "article-hcmc-2024-central-highlands"
OCOP_PROGRAMME = "ocop-programme-2021-2025"
OCOP_CRITERIA = "ocop-criteria-2023"
OCOP_PROVINCIAL = "ocop-provincial-lists"
GI_REGISTER = "ipvietnam-gi-register"
ST25_AWARD = "st25-worlds-best-rice-2019"
ADMIN_UNITS = "vietnamadminunits-package"
MERGER_2025 = "resolution-202-2025-qh15"
REGIONS_PLAN = "resolution-81-2023-qh15"

SOURCES = [
    {
        "key": CAN_THO_2024,
        "outlet": "Not printed in the stored text (English news item by Vinh Tuong, "
        "translated by Huyen Huong)",
        "title": "Seventh conference of the industry and trade sector of the five "
        "centrally-run cities (Can Tho, 2024)",
        "published_on": datetime.date(2024, 8, 30),
        "note": "Stored file: 000_34f919d42c00f49e.txt. The file carries the date 2024-08-30 and "
        "says the conference took place 'this morning' in Can Tho, so the conference date is "
        "30 Aug 2024. Outlet and headline are not printed; the title here is ours, describing "
        "the content. The article names no organiser; the host city's Department of Industry "
        "and Trade is recorded as organiser (inferred).",
    },
    {
        "key": HA_NOI_2023,
        "outlet": "Viet Nam News (VNS)",
        "title": "Five centrally-run cities sign industry and trade cooperation agreement "
        "for 2023–25",
        "published_on": datetime.date(2023, 10, 3),
        "note": "Stored file: 001_05444abccb5cf6e6.txt. Dateline 'October 3' with no year; the "
        "article speaks of the first eight months of 2023 and of 2024 as the coming year, "
        "so 3 Oct 2023. The signing conference was held 'on Monday' before it: 2 Oct 2023. "
        "Outlet inferred from the sign-off 'VNS' (Viet Nam News); headline not printed, "
        "the title here is ours.",
    },
    {
        "key": HCMC_2024_NINE,
        "outlet": "Viet Nam News (VNS)",
        "title": "HCM City and nine northern and north-central provinces review 2023–24 "
        "cooperation",
        "published_on": datetime.date(2024, 10, 3),
        "note": "Stored file: 002_1a2feb886accf0ef.txt. The file carries the date 2024-10-03; "
        "the review conference was held 'on Wednesday': 2 Oct 2024. Outlet inferred from the "
        "sign-off 'VNS' (Viet Nam News); headline not printed, the title here is ours. The "
        "agreement was signed in March 2023 (day not given).",
    },
    {
        "key": NORTH_28_2024,
        "outlet": "Vietnam Economic News, republished on the website of the Chamber of "
        "Commerce and Industry of Vietnam (VCCI)",
        "title": "Northern provinces need greater cooperation across industrial and trade sectors",
        "published_on": datetime.date(2024, 5, 21),
        "note": "Stored file: 003_accaa06ae68a5589.txt. Dated 'Tue, 21 May 2024'; the 10th "
        "conference of the 28 northern provinces and cities opened in Hà Nội 'on Friday': "
        "17 May 2024. Byline 'By: Vietnam Economic News' on the VCCI site. The article does "
        "not list the 28 provinces nor the organiser: see docs/SEED_DATA.md.",
    },
    {
        "key": HCMC_2024_HIGHLANDS,
        "outlet": "Not printed in the stored text (Vietnamese online newspaper, article by "
        "Hưng Nguyên)",
        "title": "Tây Nguyên và TP. Hồ Chí Minh kết nối cung cầu cho nông sản",
        "published_on": datetime.date(2024, 4, 3),
        "note": "Stored file: 004_5f8155fac22d7a5b.txt. Dated 03/04/2024 17:07; the conference "
        "organised by the HCMC Department of Industry and Trade was held the same day "
        "('Ngày 3/4'). The outlet's name is not printed (the page footer only names its "
        "content-management system).",
    },
    {
        "key": OCOP_PROGRAMME,
        "outlet": "Thủ tướng Chính phủ (Prime Minister of Viet Nam)",
        "title": "Quyết định 919/QĐ-TTg phê duyệt Chương trình Mỗi xã một sản phẩm (OCOP) "
        "giai đoạn 2021–2025",
        "published_on": datetime.date(2022, 8, 1),
        "note": "The One Commune One Product programme: products rated 3 to 5 stars by "
        "provincial and national councils.",
    },
    {
        "key": OCOP_CRITERIA,
        "outlet": "Thủ tướng Chính phủ (Prime Minister of Viet Nam)",
        "title": "Quyết định 148/QĐ-TTg ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng "
        "sản phẩm Chương trình Mỗi xã một sản phẩm",
        "published_on": datetime.date(2023, 2, 24),
        "note": "Source of the six OCOP product groups used as the roots of the category tree. "
        "The families below them (coffee, durian, shrimp…) are our trade-oriented grouping, "
        "not the decision's sub-groups.",
    },
    {
        "key": OCOP_PROVINCIAL,
        "outlet": "Ủy ban nhân dân các tỉnh, thành phố (provincial People's Committees)",
        "title": "Danh sách sản phẩm OCOP và đặc sản được công nhận của các tỉnh, thành phố "
        "(provincial OCOP lists)",
        "published_on": None,
        "note": "Used for well-known specialties of a province. OCOP stars belong to an "
        "individual producer's product, so the seeded catalogue leaves them empty.",
    },
    {
        "key": GI_REGISTER,
        "outlet": "Cục Sở hữu trí tuệ – Bộ Khoa học và Công nghệ (Intellectual Property Office "
        "of Viet Nam)",
        "title": "Danh sách chỉ dẫn địa lý được bảo hộ tại Việt Nam (register of protected "
        "geographical indications)",
        "published_on": None,
        "note": "Products flagged as geographical indications are registered GIs of Viet Nam; "
        "only long-established ones are flagged.",
    },
    {
        "key": ST25_AWARD,
        "outlet": "The Rice Trader (World Rice Conference)",
        "title": "World's Best Rice 2019: ST25 (Viet Nam)",
        "published_on": None,
        "note": "ST25, bred in Sóc Trăng (now part of Cần Thơ), was named World's Best Rice at "
        "the 2019 World Rice Conference in Manila (November 2019).",
    },
    {
        "key": ADMIN_UNITS,
        "outlet": "vietnamadminunits (Python package, MIT licence) 1.0.4",
        "title": "Vietnamese administrative units before and after 1 July 2025, with the "
        "province conversion table",
        "published_on": None,
        "url": "https://github.com/tranngocminhhieu/vietnamadminunits",
        "note": "Tables admin_units (34 provinces) and admin_units_legacy (63), and "
        "data/converter_2025.json DICT_PROVINCE (new province -> old provinces).",
    },
    {
        "key": MERGER_2025,
        "outlet": "Quốc hội (National Assembly of Viet Nam)",
        "title": "Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh",
        "published_on": datetime.date(2025, 6, 12),
        "note": "The 63 provinces became 34 on 1 July 2025.",
    },
    {
        "key": REGIONS_PLAN,
        "outlet": "Quốc hội (National Assembly of Viet Nam)",
        "title": "Nghị quyết 81/2023/QH15 về Quy hoạch tổng thể quốc gia thời kỳ 2021–2030",
        "published_on": datetime.date(2023, 1, 9),
        "note": "Defines the six socio-economic regions (by pre-2025 province). The region of a "
        "merged province is the region of the province whose name it kept (our rule).",
    },
]
