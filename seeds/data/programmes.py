"""Facts from the five articles: the agencies that organise the conferences, the cooperation
programmes, the conferences (connection events) and the figures reported there.

Facts carry over; the wording is ours. Provinces are written as the articles name them
(pre-2025 names included); the loader resolves each to its CURRENT province.
"""

import datetime

from seeds.data.regions import NORTHERN_28_LEGACY
from seeds.data.sources import (
    CAN_THO_2024,
    HA_NOI_2023,
    HCMC_2024_HIGHLANDS,
    HCMC_2024_NINE,
    NORTH_28_2024,
)

FIVE_CITIES = ["Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"]
# The pre-2025 Mekong Delta provinces (13); they resolve to five current provinces.
MEKONG_DELTA_LEGACY = [
    "Cần Thơ",
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Vĩnh Long",
    "Trà Vinh",
    "Hậu Giang",
    "Sóc Trăng",
    "Đồng Tháp",
    "An Giang",
    "Kiên Giang",
    "Bạc Liêu",
    "Cà Mau",
]
NINE_PROVINCES = [
    "Bắc Kạn",
    "Cao Bằng",
    "Hà Nam",
    "Hà Tĩnh",
    "Nghệ An",
    "Quảng Bình",
    "Quảng Trị",
    "Thanh Hóa",
    "Thừa Thiên – Huế",
]
CENTRAL_HIGHLANDS = ["Đắk Nông", "Đắk Lắk", "Gia Lai", "Kon Tum", "Lâm Đồng"]

# Long An (pre-2025, Mekong Delta) is part of Tây Ninh now, a Southeast province; the programme
# keeps Tây Ninh because the conference spoke of the Mekong Delta provinces as they were in 2024.

# --- agencies (Organization, kind=agency) ----------------------------------------------------
# key: (name, province, source, description)
AGENCIES = {
    "moit": (
        "Bộ Công Thương",
        "Hà Nội",
        HA_NOI_2023,
        "Bộ quản lý nhà nước về công nghiệp và thương mại; lãnh đạo Bộ dự các hội nghị hợp tác "
        "ngành Công Thương của 5 thành phố và của các tỉnh phía Bắc. / Ministry of Industry and "
        "Trade (MoIT); its deputy ministers attended the five-city and northern conferences.",
    ),
    "doit-ha-noi": (
        "Sở Công Thương Hà Nội",
        "Hà Nội",
        HA_NOI_2023,
        "Tổ chức hội nghị ký thỏa thuận hợp tác ngành Công Thương 5 thành phố giai đoạn "
        "2023–2025 (10/2023). / Hà Nội Department of Industry and Trade; organised the five "
        "cities' 2023–25 signing conference (October 2023).",
    ),
    "doit-hcmc": (
        "Sở Công Thương TP. Hồ Chí Minh",
        "Hồ Chí Minh",
        HCMC_2024_HIGHLANDS,
        "Tổ chức hội nghị kết nối cung cầu với các tỉnh Tây Nguyên (4/2024); một trong 5 sở "
        "ký thỏa thuận 2023–2025. / HCMC Department of Industry and Trade; organised the "
        "supply–demand conference with the Central Highlands (April 2024).",
    ),
    "itpc": (
        "Trung tâm Xúc tiến Thương mại và Đầu tư TP. Hồ Chí Minh (ITPC)",
        "Hồ Chí Minh",
        HCMC_2024_NINE,
        "Tổ chức hội nghị sơ kết hợp tác giữa TP.HCM và 9 tỉnh phía Bắc, Bắc Trung Bộ "
        "(10/2024). / HCMC Investment and Trade Promotion Centre; organised the 2024 review "
        "conference with nine northern and north-central provinces.",
    ),
    "doit-hai-phong": (
        "Sở Công Thương Hải Phòng",
        "Hải Phòng",
        HA_NOI_2023,
        "Một trong 5 sở Công Thương ký thỏa thuận hợp tác 2023–2025. / Hải Phòng Department "
        "of Industry and Trade, one of the five signatories of the 2023–25 agreement.",
    ),
    "doit-da-nang": (
        "Sở Công Thương Đà Nẵng",
        "Đà Nẵng",
        HA_NOI_2023,
        "Đầu mối hỗ trợ doanh nghiệp thực thi các hiệp định thương mại tự do; một trong 5 sở "
        "ký thỏa thuận 2023–2025. / Đà Nẵng Department of Industry and Trade; the city's focal "
        "point for FTA implementation, one of the five signatories.",
    ),
    "doit-can-tho": (
        "Sở Công Thương Cần Thơ",
        "Cần Thơ",
        CAN_THO_2024,
        "Sở Công Thương thành phố chủ nhà hội nghị lần thứ 7 ngành Công Thương 5 thành phố "
        "(8/2024). / Cần Thơ Department of Industry and Trade, host of the seventh five-city "
        "conference (August 2024).",
    ),
    "doit-nghe-an": (
        "Sở Công Thương Nghệ An",
        "Nghệ An",
        NORTH_28_2024,
        "Đề xuất tăng hỗ trợ xúc tiến thương mại cho vùng miền núi, biên giới tại hội nghị 28 "
        "tỉnh phía Bắc (5/2024). / Nghệ An Department of Industry and Trade; asked for more "
        "trade-promotion support for mountainous and border areas.",
    ),
    "doit-lao-cai": (
        "Sở Công Thương Lào Cai",
        "Lào Cai",
        NORTH_28_2024,
        "Đề xuất rà soát cơ chế, chính sách phát triển logistics tại hội nghị 28 tỉnh phía Bắc "
        "(5/2024). / Lào Cai Department of Industry and Trade; proposed a review of logistics "
        "policies.",
    ),
    "doit-dak-lak": (
        "Sở Công Thương Đắk Lắk",
        "Đắk Lắk",
        HCMC_2024_HIGHLANDS,
        "Dự hội nghị kết nối cung cầu TP.HCM – Tây Nguyên (4/2024). / Đắk Lắk Department of "
        "Industry and Trade; attended the HCMC–Central Highlands conference.",
    ),
    "doit-gia-lai": (
        "Sở Công Thương Gia Lai",
        "Gia Lai",
        HCMC_2024_HIGHLANDS,
        "Dự hội nghị kết nối cung cầu TP.HCM – Tây Nguyên (4/2024). / Gia Lai Department of "
        "Industry and Trade; attended the HCMC–Central Highlands conference.",
    ),
    "doit-lam-dong": (
        "Sở Công Thương Lâm Đồng",
        "Lâm Đồng",
        HCMC_2024_HIGHLANDS,
        "Dự hội nghị kết nối cung cầu TP.HCM – Tây Nguyên (4/2024); từ 1/7/2025 tiếp nhận cả "
        "Sở Công Thương Đắk Nông cũ. / Lâm Đồng Department of Industry and Trade; since "
        "1 July 2025 it also covers former Đắk Nông.",
    ),
    "doit-quang-ngai": (
        "Sở Công Thương Quảng Ngãi",
        "Quảng Ngãi",
        HCMC_2024_HIGHLANDS,
        "Từ 1/7/2025 tiếp nhận Sở Công Thương Kon Tum cũ (dự hội nghị TP.HCM – Tây Nguyên "
        "4/2024). / Quảng Ngãi Department of Industry and Trade; since 1 July 2025 it also "
        "covers former Kon Tum, whose department attended the April 2024 conference.",
    ),
}

# --- cooperation programmes --------------------------------------------------------------------
PROGRAMMES = [
    {
        "slug": "five-cities-2023-2025",
        "name": "Thỏa thuận hợp tác ngành Công Thương 5 thành phố trực thuộc Trung ương giai "
        "đoạn 2023–2025",
        "name_en": "Industry and trade cooperation agreement of the five centrally-run cities, "
        "2023–2025",
        "provinces": FIVE_CITIES,
        "period_start": 2023,
        "period_end": 2025,
        "signed_on": datetime.date(2023, 10, 2),
        "signed_on_precision": "day",
        "source": HA_NOI_2023,
        "description": "Các Sở Công Thương Hà Nội, TP.HCM, Hải Phòng, Đà Nẵng và Cần Thơ cam kết "
        "trao đổi thông tin, kinh nghiệm, phối hợp xúc tiến thương mại và đề xuất chính sách "
        "chung. / The five cities' industry and trade departments agreed to share information "
        "and experience, run joint trade promotion and propose policy together.",
    },
    {
        "slug": "hcmc-nine-northern-provinces",
        "name": "Thỏa thuận hợp tác phát triển kinh tế – xã hội giữa TP. Hồ Chí Minh và 9 tỉnh "
        "phía Bắc, Bắc Trung Bộ",
        "name_en": "Socio-economic cooperation agreement between HCM City and nine northern "
        "and north-central provinces",
        "provinces": ["Hồ Chí Minh", *NINE_PROVINCES],
        "period_start": 2023,
        "period_end": None,
        "signed_on": datetime.date(2023, 3, 1),
        "signed_on_precision": "month",
        "source": HCMC_2024_NINE,
        "description": "Ký tháng 3/2023 với Bắc Kạn, Cao Bằng, Hà Nam, Hà Tĩnh, Nghệ An, Quảng "
        "Bình, Quảng Trị, Thanh Hóa, Thừa Thiên Huế (nay thuộc 8 tỉnh, thành); hợp tác đầu tư, "
        "thương mại, du lịch, y tế, đào tạo, ứng phó biến đổi khí hậu. / Signed in March 2023 "
        "with nine provinces (now within eight current ones): investment, trade, tourism, "
        "health, training and climate change.",
    },
    {
        "slug": "hcmc-central-highlands",
        "name": "Thỏa thuận hợp tác phát triển kinh tế – xã hội giữa TP. Hồ Chí Minh và các tỉnh "
        "Tây Nguyên",
        "name_en": "Socio-economic cooperation agreement between HCM City and the Central "
        "Highlands provinces",
        "provinces": ["Hồ Chí Minh", *CENTRAL_HIGHLANDS],
        "period_start": None,
        "period_end": None,
        "signed_on": None,
        "signed_on_precision": "year",
        "source": HCMC_2024_HIGHLANDS,
        "description": "Với Đắk Nông, Đắk Lắk, Gia Lai, Kon Tum, Lâm Đồng (nay là Đắk Lắk, Gia "
        "Lai, Lâm Đồng, Quảng Ngãi); sơ kết năm 2023, triển khai 2024 với trọng tâm kết nối cung "
        "cầu nông sản, đặc sản. / With the five Central Highlands provinces (now four current "
        "ones); reviewed for 2023 and carried into 2024, centred on selling the highlands' "
        "farm produce and specialties in HCM City.",
    },
    {
        "slug": "northern-28-provinces",
        "name": "Hợp tác ngành Công Thương 28 tỉnh, thành phố phía Bắc",
        "name_en": "Industry and trade cooperation of the 28 northern provinces and cities",
        "provinces": NORTHERN_28_LEGACY,
        "period_start": None,
        "period_end": None,
        "signed_on": None,
        "signed_on_precision": "year",
        "source": NORTH_28_2024,
        "description": "Hội nghị Công Thương thường niên của 28 tỉnh, thành phía Bắc (từ Hà Tĩnh "
        "trở ra; nay thuộc 18 tỉnh, thành): liên kết vùng, logistics, cụm công nghiệp, kinh tế "
        "ban đêm, tận dụng các FTA. / The yearly industry and trade conference of the 28 "
        "northern provinces (Hà Tĩnh northwards, now 18 current units): regional links, "
        "logistics, industrial clusters, night-time economy, FTAs.",
    },
    {
        "slug": "five-cities-mekong-delta",
        "name": "Liên kết phát triển thương mại, kết nối cung cầu giữa 5 thành phố trực thuộc "
        "Trung ương và các tỉnh Đồng bằng sông Cửu Long",
        "name_en": "Trade development and supply–demand linkage between the five centrally-run "
        "cities and the Mekong Delta provinces",
        "provinces": [*FIVE_CITIES, *MEKONG_DELTA_LEGACY],
        "period_start": 2024,
        "period_end": None,
        "signed_on": None,
        "signed_on_precision": "year",
        "source": CAN_THO_2024,
        "description": "Chủ đề của hội nghị lần thứ 7 ngành Công Thương 5 thành phố tại Cần Thơ "
        "(8/2024): thương mại điện tử cho sản phẩm OCOP, liên kết vận tải, vùng nguyên liệu "
        "thủy sản. / Theme of the five cities' seventh conference in Cần Thơ (August 2024): "
        "e-commerce for OCOP products, transport links, seafood raw-material areas.",
    },
]


def T(vi, en):  # a bilingual theme; a short name keeps the tables below readable
    return {"vi": vi, "en": en}


# --- connection events ---------------------------------------------------------------------------
EVENTS = [
    {
        "slug": "can-tho-2024-five-cities-7th",
        "name": "Hội nghị ngành Công Thương 5 thành phố trực thuộc Trung ương lần thứ 7",
        "name_en": "Seventh conference of the industry and trade sector of the five "
        "centrally-run cities",
        "held_on": datetime.date(2024, 8, 30),
        "place": "Cần Thơ",
        "organiser": "doit-can-tho",
        "programme": "five-cities-mekong-delta",
        "provinces": FIVE_CITIES,
        "themes": [
            T(
                "Liên kết phát triển thương mại, kết nối cung cầu giữa 5 thành phố với các tỉnh "
                "ĐBSCL",
                "Linking trade development and supply and demand between the five cities and "
                "the Mekong Delta",
            ),
            T("Thương mại điện tử cho sản phẩm OCOP", "E-commerce for OCOP products"),
            T(
                "Vùng nuôi, chế biến và xuất khẩu thủy sản",
                "Seafood farming areas, processing and export",
            ),
            T("Liên kết giao thông vận tải", "Transport linkage"),
            T(
                "Môi trường đầu tư và chuyển đổi số",
                "Investment climate and digital transformation",
            ),
        ],
        "categories": ["seafood", "shrimp"],
        "source": CAN_THO_2024,
    },
    {
        "slug": "ha-noi-2023-five-cities-signing",
        "name": "Hội nghị “Hội nhập quốc tế thúc đẩy tăng trưởng xuất nhập khẩu, công nghiệp, "
        "thương mại và dịch vụ giai đoạn 2023–2025”",
        "name_en": "“International integration promotes growth of import–export, industry, "
        "trade and services, 2023–25” (five cities)",
        "held_on": datetime.date(2023, 10, 2),
        "place": "Hà Nội",
        "organiser": "doit-ha-noi",
        "programme": "five-cities-2023-2025",
        "provinces": FIVE_CITIES,
        "themes": [
            T("Ký thỏa thuận hợp tác 2023–2025", "Signing of the 2023–25 cooperation agreement"),
            T("Công nghiệp hỗ trợ", "Supporting industries"),
            T("Thực thi các FTA thế hệ mới", "Implementing new-generation FTAs"),
            T(
                "Xúc tiến thương mại qua nền tảng số, đa dạng hóa thị trường xuất khẩu",
                "Trade promotion on digital platforms and diversified export markets",
            ),
        ],
        "categories": [],
        "source": HA_NOI_2023,
    },
    {
        "slug": "hcmc-2024-nine-provinces-review",
        "name": "Hội nghị sơ kết hợp tác phát triển kinh tế – xã hội giữa TP. Hồ Chí Minh và 9 "
        "tỉnh phía Bắc, Bắc Trung Bộ giai đoạn 2023–2024",
        "name_en": "Review of the 2023–24 socio-economic cooperation between HCM City and nine "
        "northern and north-central provinces",
        "held_on": datetime.date(2024, 10, 2),
        "place": "Hồ Chí Minh",
        "organiser": "itpc",
        "programme": "hcmc-nine-northern-provinces",
        "provinces": ["Hồ Chí Minh", *NINE_PROVINCES],
        "themes": [
            T("Xúc tiến thương mại và đầu tư", "Trade and investment facilitation"),
            T("Quảng bá sản phẩm OCOP tại TP.HCM", "Promoting OCOP goods in HCM City"),
            T("Đào tạo nguồn nhân lực", "Workforce training"),
            T("Ứng phó biến đổi khí hậu", "Tackling climate change"),
            T("Chuyển đổi số, kinh tế tuần hoàn", "Digital transformation and circular economy"),
        ],
        "categories": [],
        "source": HCMC_2024_NINE,
    },
    {
        "slug": "ha-noi-2024-northern-28-10th",
        "name": "Hội nghị Công Thương các tỉnh, thành phố khu vực phía Bắc lần thứ 10",
        "name_en": "Tenth industry and trade conference of the 28 northern provinces and cities",
        "held_on": datetime.date(2024, 5, 17),
        "place": "Hà Nội",
        "organiser": "doit-ha-noi",
        "programme": "northern-28-provinces",
        "provinces": NORTHERN_28_LEGACY,
        "themes": [
            T("Liên kết vùng trong ngành Công Thương", "Regional links in industry and trade"),
            T("Cơ chế, chính sách phát triển logistics", "Logistics policy"),
            T(
                "Xúc tiến thương mại cho vùng miền núi, biên giới",
                "Trade promotion for mountainous and border areas",
            ),
            T("Cụm công nghiệp và kinh tế ban đêm", "Industrial clusters and night-time economy"),
            T("Tận dụng các FTA", "Using the signed FTAs"),
        ],
        "categories": [],
        "source": NORTH_28_2024,
    },
    {
        "slug": "hcmc-2024-central-highlands",
        "name": "Hội nghị Kết nối cung cầu giữa TP. Hồ Chí Minh và các tỉnh vùng Tây Nguyên",
        "name_en": "Supply–demand connection conference between HCM City and the Central "
        "Highlands provinces",
        "held_on": datetime.date(2024, 4, 3),
        "place": "Hồ Chí Minh",
        "organiser": "doit-hcmc",
        "programme": "hcmc-central-highlands",
        "provinces": ["Hồ Chí Minh", *CENTRAL_HIGHLANDS],
        "themes": [
            T("Kết nối cung cầu nông sản, đặc sản", "Selling farm produce and specialties"),
            T("Chương trình “1.000 câu chuyện OCOP”", "The “1,000 OCOP stories” programme"),
            T("Hợp tác kiểm soát chất lượng hàng hóa", "Cooperation on goods quality control"),
            T(
                "Tuần lễ sản phẩm của từng địa phương tại TP.HCM",
                "Product weeks of each province in HCM City",
            ),
            T(
                "Kết nối trực tuyến và trên sàn thương mại điện tử",
                "Online connection and e-commerce platforms",
            ),
        ],
        "categories": [],
        "source": HCMC_2024_HIGHLANDS,
    },
]

# --- reported figures: (event slug, key, label, label_en, value, unit, period, source) ----------
FIGURES = [
    (
        "can-tho-2024-five-cities-7th",
        "five-cities-export-share",
        "Tỷ trọng kim ngạch xuất khẩu của 5 thành phố trong cả nước",
        "Five cities' share of national export turnover",
        "26.5",
        "%",
        "6 tháng đầu năm 2024 (H1 2024)",
        CAN_THO_2024,
    ),
    (
        "ha-noi-2023-five-cities-signing",
        "five-cities-export-share",
        "Tỷ trọng kim ngạch xuất khẩu của 5 thành phố trong cả nước",
        "Five cities' share of national export turnover",
        "24.8",
        "%",
        "8 tháng đầu năm 2023 (Jan–Aug 2023)",
        HA_NOI_2023,
    ),
    (
        "ha-noi-2023-five-cities-signing",
        "five-cities-retail-share",
        "Tỷ trọng tổng mức bán lẻ hàng hóa và doanh thu dịch vụ của 5 thành phố trong cả nước",
        "Five cities' share of national retail sales of goods and services",
        "38.33",
        "%",
        "8 tháng đầu năm 2023 (Jan–Aug 2023)",
        HA_NOI_2023,
    ),
    (
        "ha-noi-2023-five-cities-signing",
        "national-retail-growth",
        "Tăng trưởng tổng mức bán lẻ hàng hóa và doanh thu dịch vụ cả nước",
        "Growth of national retail sales of goods and services",
        "10",
        "%",
        "8 tháng đầu năm 2023 (Jan–Aug 2023)",
        HA_NOI_2023,
    ),
    (
        "hcmc-2024-nine-provinces-review",
        "itpc-region-level-activities",
        "Hoạt động hợp tác cấp vùng do TP.HCM tổ chức",
        "Region-level cooperation activities organised by HCM City",
        "3",
        "hoạt động / activities",
        "2023",
        HCMC_2024_NINE,
    ),
    (
        "hcmc-2024-nine-provinces-review",
        "partner-provinces",
        "Số tỉnh hợp tác với TP.HCM",
        "Provinces in the cooperation with HCM City",
        "9",
        "tỉnh / provinces",
        "2023–2024",
        HCMC_2024_NINE,
    ),
    (
        "ha-noi-2024-northern-28-10th",
        "participating-provinces",
        "Số tỉnh, thành phố tham gia",
        "Participating provinces and cities",
        "28",
        "tỉnh / provinces",
        "2024",
        NORTH_28_2024,
    ),
    (
        "hcmc-2024-central-highlands",
        "central-highlands-provinces",
        "Số tỉnh Tây Nguyên tham dự",
        "Central Highlands provinces attending",
        "5",
        "tỉnh / provinces",
        "2024",
        HCMC_2024_HIGHLANDS,
    ),
    (
        "hcmc-2024-central-highlands",
        "connection-content-groups",
        "Nhóm nội dung của chương trình kết nối cung cầu 2024",
        "Content groups of the 2024 supply–demand programme",
        "3",
        "nhóm / groups",
        "2024",
        HCMC_2024_HIGHLANDS,
    ),
]
