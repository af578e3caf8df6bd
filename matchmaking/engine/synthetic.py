"""A realistic synthetic market for tests and benchmarks, seeded and Django-free.

``synthetic_market(n_supply, n_demand, seed)`` returns ``(supplies, demands, context)``:

* a 3-level category tree of 240 product categories (14 families, 44 groups, 182 kinds) with
  Vietnamese and English names, a dimension and a typical price each;
* the 34 provinces in force since July 2025, with approximate centres and their regions, and
  four cooperation programmes modelled on the conferences in ``sources/``;
* supplies mostly from the provinces that grow the product, demands mostly from the cities;
  popularity of categories skewed (Zipf-like), buyers more often asking for a whole group or
  family ("trái cây") than suppliers;
* quantities lognormal in kg, litres or pieces; windows around ``today``; certifications with
  realistic frequencies (VietGAP common, halal rare), about 30 % of demands requiring one;
  OCOP stars on about 20 % of supplies; a few organisations on both sides; titles in
  Vietnamese, unaccented Vietnamese or English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from matchmaking.engine.factors import trust_score
from matchmaking.engine.records import COUNT, MASS, VOLUME, Config, Context, ListingTable
from matchmaking.engine.records import day_number as _day_number
from matchmaking.engine.text import listing_text, signature

SYNTHETIC_TODAY = _day_number(dt.date(2025, 9, 1))

# (name, English name, region index, latitude, longitude) of the 34 province-level units.
PROVINCES: tuple[tuple[str, str, int, float, float], ...] = (
    ("Hà Nội", "Hanoi", 1, 21.028, 105.854),
    ("Cao Bằng", "Cao Bang", 0, 22.666, 106.258),
    ("Tuyên Quang", "Tuyen Quang", 0, 21.818, 105.211),
    ("Điện Biên", "Dien Bien", 0, 21.386, 103.023),
    ("Lai Châu", "Lai Chau", 0, 22.396, 103.458),
    ("Sơn La", "Son La", 0, 21.327, 103.914),
    ("Lào Cai", "Lao Cai", 0, 21.722, 104.911),
    ("Thái Nguyên", "Thai Nguyen", 0, 21.594, 105.848),
    ("Lạng Sơn", "Lang Son", 0, 21.853, 106.761),
    ("Quảng Ninh", "Quang Ninh", 1, 20.951, 107.073),
    ("Bắc Ninh", "Bac Ninh", 1, 21.273, 106.194),
    ("Phú Thọ", "Phu Tho", 0, 21.322, 105.402),
    ("Hải Phòng", "Hai Phong", 1, 20.845, 106.688),
    ("Hưng Yên", "Hung Yen", 1, 20.646, 106.051),
    ("Ninh Bình", "Ninh Binh", 1, 20.251, 105.975),
    ("Thanh Hóa", "Thanh Hoa", 2, 19.807, 105.776),
    ("Nghệ An", "Nghe An", 2, 18.679, 105.681),
    ("Hà Tĩnh", "Ha Tinh", 2, 18.343, 105.906),
    ("Quảng Trị", "Quang Tri", 2, 17.469, 106.622),
    ("Huế", "Hue", 2, 16.464, 107.586),
    ("Đà Nẵng", "Da Nang", 2, 16.054, 108.202),
    ("Quảng Ngãi", "Quang Ngai", 2, 15.120, 108.792),
    ("Gia Lai", "Gia Lai", 3, 13.782, 109.219),
    ("Khánh Hòa", "Khanh Hoa", 2, 12.238, 109.197),
    ("Đắk Lắk", "Dak Lak", 3, 12.667, 108.038),
    ("Lâm Đồng", "Lam Dong", 3, 11.940, 108.458),
    ("Đồng Nai", "Dong Nai", 4, 10.945, 106.824),
    ("Hồ Chí Minh", "Ho Chi Minh City", 4, 10.776, 106.700),
    ("Tây Ninh", "Tay Ninh", 4, 10.536, 106.413),
    ("Đồng Tháp", "Dong Thap", 5, 10.360, 106.365),
    ("Vĩnh Long", "Vinh Long", 5, 10.254, 105.972),
    ("An Giang", "An Giang", 5, 10.012, 105.081),
    ("Cần Thơ", "Can Tho", 5, 10.045, 105.747),
    ("Cà Mau", "Ca Mau", 5, 9.177, 105.150),
)

REGIONS: tuple[tuple[str, str], ...] = (
    ("Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"),
    ("Đồng bằng sông Hồng", "Red River Delta"),
    ("Bắc Trung Bộ và Duyên hải miền Trung", "North Central and Central Coast"),
    ("Tây Nguyên", "Central Highlands"),
    ("Đông Nam Bộ", "Southeast"),
    ("Đồng bằng sông Cửu Long", "Mekong Delta"),
)

# (name, English name, member provinces). A pair of members is covered by the programme.
PROGRAMMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "TP.HCM – Tây Nguyên",
        "HCMC – Central Highlands",
        ("Hồ Chí Minh", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Quảng Ngãi"),
    ),
    (
        "TP.HCM – 9 tỉnh Bắc Bộ và Bắc Trung Bộ",
        "HCMC – nine northern and north-central provinces",
        (
            "Hồ Chí Minh",
            "Tuyên Quang",
            "Lào Cai",
            "Thái Nguyên",
            "Phú Thọ",
            "Bắc Ninh",
            "Hưng Yên",
            "Ninh Bình",
            "Thanh Hóa",
            "Nghệ An",
        ),
    ),
    (
        "5 thành phố trực thuộc Trung ương – Đồng bằng sông Cửu Long",
        "Five centrally-run cities – Mekong Delta",
        (
            "Hà Nội",
            "Hải Phòng",
            "Đà Nẵng",
            "Hồ Chí Minh",
            "Cần Thơ",
            "Đồng Tháp",
            "Vĩnh Long",
            "An Giang",
            "Cà Mau",
            "Tây Ninh",
        ),
    ),
    (
        "Kết nối cung cầu các tỉnh phía Bắc",
        "Northern provinces supply–demand connection",
        (
            "Hà Nội",
            "Cao Bằng",
            "Tuyên Quang",
            "Điện Biên",
            "Lai Châu",
            "Sơn La",
            "Lào Cai",
            "Thái Nguyên",
            "Lạng Sơn",
            "Quảng Ninh",
            "Bắc Ninh",
            "Phú Thọ",
            "Hải Phòng",
            "Hưng Yên",
            "Ninh Bình",
        ),
    ),
)

CERTIFICATIONS: tuple[tuple[str, str, str, float], ...] = (
    # code, Vietnamese, English, share of supplies holding it
    ("vietgap", "VietGAP", "VietGAP", 0.30),
    ("globalgap", "GlobalGAP", "GlobalG.A.P.", 0.08),
    ("organic", "Hữu cơ", "Organic", 0.06),
    ("haccp", "HACCP", "HACCP", 0.10),
    ("iso22000", "ISO 22000", "ISO 22000", 0.08),
    ("halal", "Halal", "Halal", 0.03),
    ("gi", "Chỉ dẫn địa lý", "Geographical indication", 0.05),
)


@dataclass(frozen=True)
class _Family:
    name: str
    name_en: str
    dimension: int
    price: float  # typical VND per base unit
    weight: float  # share of listings
    growers: tuple[str, ...]
    groups: tuple[tuple[str, str, int | None, tuple[tuple[str, str], ...]], ...]


def _kinds(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (vi.strip(), en.strip())
        for vi, en in (item.split("/") for item in text.split(";") if item.strip())
    )


FAMILIES: tuple[_Family, ...] = (
    _Family(
        "Cà phê",
        "Coffee",
        MASS,
        110_000,
        0.11,
        ("Đắk Lắk", "Lâm Đồng", "Gia Lai", "Quảng Trị", "Sơn La", "Điện Biên"),
        (
            (
                "Cà phê nhân",
                "Green coffee",
                None,
                _kinds(
                    "Cà phê Robusta/Robusta coffee; Cà phê Arabica/Arabica coffee; Cà phê Culi/"
                    "Peaberry coffee; Cà phê mít/Liberica coffee; Cà phê đặc sản/Specialty coffee"
                ),
            ),
            (
                "Cà phê rang xay",
                "Roasted coffee",
                None,
                _kinds(
                    "Cà phê rang hạt/Roasted coffee beans; Cà phê bột/Ground coffee; "
                    "Cà phê phin giấy/Drip bag coffee"
                ),
            ),
            (
                "Cà phê chế biến",
                "Processed coffee",
                None,
                _kinds(
                    "Cà phê hòa tan/Instant coffee; Cà phê sữa đóng lon/Canned milk coffee; "
                    "Cà phê chồn/Weasel coffee"
                ),
            ),
        ),
    ),
    _Family(
        "Lúa gạo",
        "Rice",
        MASS,
        16_000,
        0.12,
        (
            "An Giang",
            "Đồng Tháp",
            "Cần Thơ",
            "Vĩnh Long",
            "Cà Mau",
            "Tây Ninh",
            "Hưng Yên",
            "Ninh Bình",
            "Thanh Hóa",
        ),
        (
            (
                "Gạo tẻ",
                "White rice",
                None,
                _kinds(
                    "Gạo ST25/ST25 rice; Gạo Jasmine/Jasmine rice; Gạo IR50404/IR50404 rice; "
                    "Gạo Đài Thơm 8/Dai Thom 8 rice; Gạo OM5451/OM5451 rice"
                ),
            ),
            (
                "Gạo đặc sản",
                "Specialty rice",
                None,
                _kinds(
                    "Gạo nếp/Glutinous rice; Gạo lứt/Brown rice; Gạo tám thơm/Tam Thom rice; "
                    "Gạo Séng Cù/Seng Cu rice; Gạo hữu cơ/Organic rice"
                ),
            ),
            (
                "Lúa",
                "Paddy",
                None,
                _kinds("Lúa tươi/Fresh paddy; Lúa khô/Dried paddy; Lúa giống/Seed paddy"),
            ),
        ),
    ),
    _Family(
        "Trái cây",
        "Fruit",
        MASS,
        35_000,
        0.20,
        (
            "Đắk Lắk",
            "Đồng Tháp",
            "Vĩnh Long",
            "Tây Ninh",
            "Bắc Ninh",
            "Hưng Yên",
            "Sơn La",
            "Lâm Đồng",
            "Cần Thơ",
            "Khánh Hòa",
            "Gia Lai",
        ),
        (
            (
                "Trái cây nhiệt đới",
                "Tropical fruit",
                None,
                _kinds(
                    "Sầu riêng/Durian; Xoài/Mango; Thanh long/Dragon fruit; Chuối/Banana; "
                    "Dứa/Pineapple; Mít/Jackfruit; Chanh dây/Passion fruit; Măng cụt/Mangosteen; "
                    "Chôm chôm/Rambutan; Ổi/Guava; Dừa/Coconut; Đu đủ/Papaya; "
                    "Mãng cầu/Custard apple"
                ),
            ),
            (
                "Trái cây có múi",
                "Citrus",
                None,
                _kinds(
                    "Bưởi da xanh/Green-skin pomelo; Bưởi Năm Roi/Nam Roi pomelo; "
                    "Cam sành/King orange; Cam Vinh/Vinh orange; Quýt/Tangerine; Chanh/Lime"
                ),
            ),
            (
                "Trái cây á nhiệt đới",
                "Subtropical fruit",
                None,
                _kinds(
                    "Vải thiều/Lychee; Nhãn lồng/Longan; Mận/Plum; Hồng giòn/Persimmon; "
                    "Lê/Pear; Dâu tây/Strawberry; Bơ sáp/Avocado; Hồng xiêm/Sapodilla; "
                    "Vú sữa/Star apple"
                ),
            ),
            (
                "Trái cây sấy",
                "Dried fruit",
                None,
                _kinds(
                    "Xoài sấy/Dried mango; Mít sấy/Dried jackfruit; Chuối sấy/Dried banana; "
                    "Hồng treo gió/Air-dried persimmon"
                ),
            ),
        ),
    ),
    _Family(
        "Rau củ",
        "Vegetables",
        MASS,
        14_000,
        0.09,
        ("Lâm Đồng", "Hưng Yên", "Hải Phòng", "Hà Nội", "Lào Cai", "Bắc Ninh"),
        (
            (
                "Rau ăn lá",
                "Leafy greens",
                None,
                _kinds(
                    "Cải bắp/Cabbage; Xà lách/Lettuce; Cải thìa/Bok choy; Rau muống/Water spinach; "
                    "Cải ngọt/Choy sum"
                ),
            ),
            (
                "Củ",
                "Roots and tubers",
                None,
                _kinds(
                    "Khoai lang/Sweet potato; Khoai tây/Potato; Cà rốt/Carrot; Sắn/Cassava; "
                    "Củ cải/Radish; Khoai môn/Taro"
                ),
            ),
            (
                "Rau quả",
                "Fruit vegetables",
                None,
                _kinds(
                    "Cà chua/Tomato; Dưa chuột/Cucumber; Bí đỏ/Pumpkin; Ớt/Chili; "
                    "Dưa hấu/Watermelon; Đậu bắp/Okra"
                ),
            ),
            (
                "Nấm",
                "Mushrooms",
                None,
                _kinds(
                    "Nấm rơm/Straw mushroom; Nấm hương/Shiitake; Nấm linh chi/Lingzhi; "
                    "Nấm mèo/Wood ear mushroom"
                ),
            ),
        ),
    ),
    _Family(
        "Thủy sản",
        "Seafood",
        MASS,
        90_000,
        0.11,
        (
            "Cà Mau",
            "An Giang",
            "Đồng Tháp",
            "Khánh Hòa",
            "Quảng Ninh",
            "Vĩnh Long",
            "Cần Thơ",
            "Hải Phòng",
        ),
        (
            (
                "Tôm",
                "Shrimp",
                None,
                _kinds(
                    "Tôm sú/Black tiger shrimp; Tôm thẻ chân trắng/Whiteleg shrimp; "
                    "Tôm càng xanh/Giant river prawn; Tôm hùm/Lobster"
                ),
            ),
            (
                "Cá",
                "Fish",
                None,
                _kinds(
                    "Cá tra/Pangasius; Cá basa/Basa fish; Cá ngừ/Tuna; Cá rô phi/Tilapia; "
                    "Cá lóc/Snakehead fish; Cá thu/Mackerel"
                ),
            ),
            (
                "Hải sản khác",
                "Other seafood",
                None,
                _kinds("Mực/Squid; Cua/Crab; Nghêu/Clam; Hàu/Oyster; Sò điệp/Scallop"),
            ),
            (
                "Thủy sản chế biến",
                "Processed seafood",
                None,
                _kinds(
                    "Tôm khô/Dried shrimp; Cá khô/Dried fish; Mực khô/Dried squid; Chả cá/Fish cake"
                ),
            ),
        ),
    ),
    _Family(
        "Chăn nuôi",
        "Livestock products",
        MASS,
        95_000,
        0.06,
        ("Đồng Nai", "Hà Nội", "Bắc Ninh", "Thanh Hóa", "Nghệ An", "Tây Ninh"),
        (
            (
                "Thịt",
                "Meat",
                None,
                _kinds("Thịt lợn/Pork; Thịt bò/Beef; Thịt gà/Chicken meat; Thịt vịt/Duck meat"),
            ),
            (
                "Trứng",
                "Eggs",
                COUNT,
                _kinds("Trứng gà/Chicken eggs; Trứng vịt/Duck eggs; Trứng cút/Quail eggs"),
            ),
            (
                "Sữa",
                "Dairy",
                VOLUME,
                _kinds("Sữa tươi/Fresh milk; Sữa chua/Yoghurt; Sữa dê/Goat milk"),
            ),
        ),
    ),
    _Family(
        "Gia vị",
        "Spices",
        MASS,
        120_000,
        0.05,
        ("Đắk Lắk", "Gia Lai", "Lào Cai", "Quảng Ngãi", "Lạng Sơn", "Đồng Nai"),
        (
            (
                "Hồ tiêu",
                "Pepper",
                None,
                _kinds("Tiêu đen/Black pepper; Tiêu trắng/White pepper; Tiêu đỏ/Red pepper"),
            ),
            (
                "Quế hồi",
                "Cinnamon and star anise",
                None,
                _kinds("Quế/Cinnamon; Hoa hồi/Star anise; Thảo quả/Black cardamom"),
            ),
            (
                "Gia vị tươi",
                "Fresh spices",
                None,
                _kinds("Gừng/Ginger; Nghệ/Turmeric; Tỏi/Garlic; Hành tím/Shallot; Sả/Lemongrass"),
            ),
        ),
    ),
    _Family(
        "Chè",
        "Tea",
        MASS,
        220_000,
        0.05,
        ("Thái Nguyên", "Lâm Đồng", "Phú Thọ", "Tuyên Quang", "Sơn La", "Lào Cai"),
        (
            (
                "Chè xanh",
                "Green tea",
                None,
                _kinds(
                    "Chè Thái Nguyên/Thai Nguyen tea; Chè Shan tuyết/Shan Tuyet tea; "
                    "Chè búp tươi/Fresh tea buds; Trà Ô long/Oolong tea"
                ),
            ),
            (
                "Trà thảo mộc",
                "Herbal tea",
                None,
                _kinds(
                    "Trà atiso/Artichoke tea; Trà hoa cúc/Chrysanthemum tea; Trà sen/Lotus tea; "
                    "Trà gừng/Ginger tea"
                ),
            ),
            ("Trà đen", "Black tea", None, _kinds("Hồng trà/Black tea; Trà túi lọc/Tea bags")),
        ),
    ),
    _Family(
        "Hạt",
        "Nuts and seeds",
        MASS,
        150_000,
        0.06,
        ("Đồng Nai", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Cao Bằng", "Lạng Sơn"),
        (
            (
                "Hạt điều",
                "Cashew",
                None,
                _kinds(
                    "Điều thô/Raw cashew nuts; Nhân điều/Cashew kernels; "
                    "Điều rang muối/Salted roasted cashews"
                ),
            ),
            (
                "Hạt khác",
                "Other nuts",
                None,
                _kinds(
                    "Mắc ca/Macadamia; Hạt dẻ/Chestnut; Đậu phộng/Peanut; Mè/Sesame; "
                    "Đậu nành/Soybean; Đậu xanh/Mung bean"
                ),
            ),
            (
                "Ca cao",
                "Cocoa",
                None,
                _kinds("Hạt ca cao/Cocoa beans; Bột ca cao/Cocoa powder; Sô cô la/Chocolate"),
            ),
        ),
    ),
    _Family(
        "Dược liệu",
        "Medicinal herbs",
        MASS,
        600_000,
        0.03,
        ("Quảng Ngãi", "Lào Cai", "Lâm Đồng", "Cao Bằng", "Hà Tĩnh"),
        (
            (
                "Sâm",
                "Ginseng",
                None,
                _kinds("Sâm Ngọc Linh/Ngoc Linh ginseng; Sâm dây/Codonopsis; Đinh lăng/Polyscias"),
            ),
            (
                "Dược liệu khác",
                "Other herbs",
                None,
                _kinds(
                    "Tam thất/Notoginseng; Đương quy/Angelica; Atiso/Artichoke; Nghệ đen/Zedoary; "
                    "Cà gai leo/Solanum procumbens"
                ),
            ),
        ),
    ),
    _Family(
        "Sản phẩm ong",
        "Bee products",
        VOLUME,
        160_000,
        0.03,
        ("Sơn La", "Gia Lai", "Đắk Lắk", "Tuyên Quang", "Đồng Nai"),
        (
            (
                "Mật ong",
                "Honey",
                None,
                _kinds(
                    "Mật ong hoa cà phê/Coffee blossom honey; Mật ong bạc hà/Mint honey; "
                    "Mật ong rừng/Wild honey; Mật ong hoa nhãn/Longan honey"
                ),
            ),
            (
                "Sản phẩm khác từ ong",
                "Other bee products",
                MASS,
                _kinds("Sữa ong chúa/Royal jelly; Phấn hoa/Bee pollen; Sáp ong/Beeswax"),
            ),
        ),
    ),
    _Family(
        "Thực phẩm chế biến",
        "Processed foods",
        MASS,
        70_000,
        0.05,
        ("Khánh Hòa", "Hồ Chí Minh", "Hà Nội", "Cần Thơ", "Quảng Ninh", "Vĩnh Long"),
        (
            (
                "Nước chấm",
                "Sauces",
                VOLUME,
                _kinds("Nước mắm/Fish sauce; Nước tương/Soy sauce; Tương ớt/Chili sauce"),
            ),
            (
                "Bánh kẹo",
                "Confectionery",
                None,
                _kinds(
                    "Bánh pía/Pia cake; Kẹo dừa/Coconut candy; Bánh tráng/Rice paper; "
                    "Bánh đa/Rice crackers"
                ),
            ),
            (
                "Bún phở",
                "Noodles",
                None,
                _kinds(
                    "Bún khô/Dried rice vermicelli; Phở khô/Dried pho noodles; "
                    "Miến dong/Arrowroot glass noodles; Hủ tiếu/Hu tieu noodles"
                ),
            ),
            (
                "Đồ uống",
                "Beverages",
                VOLUME,
                _kinds(
                    "Rượu cần/Can wine; Nước dừa đóng chai/Bottled coconut water; "
                    "Rượu vang Đà Lạt/Da Lat wine"
                ),
            ),
        ),
    ),
    _Family(
        "Nông sản công nghiệp",
        "Industrial crops",
        MASS,
        35_000,
        0.02,
        ("Đồng Nai", "Tây Ninh", "Gia Lai", "Đắk Lắk", "Thanh Hóa"),
        (
            ("Cao su", "Rubber", None, _kinds("Mủ cao su/Latex; Cao su tờ/Rubber sheets")),
            ("Mía đường", "Sugarcane", None, _kinds("Mía cây/Sugarcane; Đường mía/Cane sugar")),
            (
                "Sản phẩm dừa",
                "Coconut products",
                None,
                _kinds("Cơm dừa/Copra; Dầu dừa/Coconut oil"),
            ),
        ),
    ),
    _Family(
        "Thủ công mỹ nghệ",
        "Handicrafts",
        COUNT,
        250_000,
        0.02,
        ("Hà Nội", "Ninh Bình", "Vĩnh Long", "Lào Cai", "Huế"),
        (
            (
                "Mây tre đan",
                "Rattan and bamboo",
                None,
                _kinds(
                    "Giỏ mây/Rattan baskets; Đồ tre/Bamboo ware; Lục bình đan/Water hyacinth weaving"
                ),
            ),
            (
                "Dệt may thủ công",
                "Handwoven textiles",
                None,
                _kinds("Vải thổ cẩm/Brocade fabric; Lụa tơ tằm/Silk; Khăn dệt/Woven scarves"),
            ),
            (
                "Gốm sứ",
                "Ceramics",
                None,
                _kinds("Gốm Bát Tràng/Bat Trang ceramics; Gốm Chu Đậu/Chu Dau ceramics"),
            ),
        ),
    ),
)

# Where buyers are: the cities dominate.
_BUYER_PROVINCES = {
    "Hồ Chí Minh": 0.30,
    "Hà Nội": 0.22,
    "Đà Nẵng": 0.06,
    "Hải Phòng": 0.05,
    "Cần Thơ": 0.05,
    "Đồng Nai": 0.03,
    "Bắc Ninh": 0.03,
    "Quảng Ninh": 0.02,
    "Khánh Hòa": 0.02,
}

_TEMPLATES_VI = (
    "{name}",
    "{name} {province}",
    "Cung cấp {name}",
    "{name} loại 1",
    "{name} xuất khẩu",
    "{group} - {name}",
)
_TEMPLATES_DEMAND_VI = (
    "Cần mua {name}",
    "Thu mua {name}",
    "Tìm nguồn {name}",
    "{name} cho chuỗi bán lẻ",
    "Mua {name} số lượng lớn",
)
_TEMPLATES_EN = (
    "{name_en}",
    "{name_en} from {province_en}",
    "Premium {name_en}",
    "{name_en}, export grade",
)


@dataclass(frozen=True)
class Catalogue:
    parent: np.ndarray
    names: list[str]
    names_en: list[str]
    level: np.ndarray
    family: np.ndarray
    dimension: np.ndarray
    price: np.ndarray
    popularity: np.ndarray

    def index(self, name: str) -> int:
        """Index of a category by its Vietnamese or English name, e.g. ``"Robusta coffee"``."""
        for i, (vi, en) in enumerate(zip(self.names, self.names_en, strict=True)):
            if name in (vi, en):
                return i
        raise KeyError(name)


def build_catalogue(seed: int = 0) -> Catalogue:
    """The fixed category tree, with a seeded Zipf-like popularity of the kinds."""
    rng = np.random.default_rng(seed + 7)
    parent: list[int] = []
    names: list[str] = []
    names_en: list[str] = []
    level: list[int] = []
    family: list[int] = []
    dims: list[int] = []
    price: list[float] = []
    weight: list[float] = []
    for f_idx, fam in enumerate(FAMILIES):
        root = len(parent)
        parent.append(-1)
        names.append(fam.name)
        names_en.append(fam.name_en)
        level.append(0)
        family.append(f_idx)
        dims.append(fam.dimension)
        price.append(fam.price)
        weight.append(fam.weight)
        for g_name, g_en, g_dim, kinds in fam.groups:
            group = len(parent)
            dim = fam.dimension if g_dim is None else g_dim
            parent.append(root)
            names.append(g_name)
            names_en.append(g_en)
            level.append(1)
            family.append(f_idx)
            dims.append(dim)
            price.append(fam.price)
            weight.append(fam.weight / len(fam.groups))
            # Zipf-like inside a group: a few kinds (Robusta, ST25, durian) dominate.
            ranks = rng.permutation(len(kinds)) + 1
            shares = 1.0 / ranks**0.9
            shares /= shares.sum()
            for (k_name, k_en), share in zip(kinds, shares, strict=True):
                parent.append(group)
                names.append(k_name)
                names_en.append(k_en)
                level.append(2)
                family.append(f_idx)
                dims.append(dim)
                price.append(fam.price * float(np.exp(rng.normal(0, 0.4))))
                weight.append(fam.weight / len(fam.groups) * share)
    pop = np.array(weight)
    return Catalogue(
        parent=np.array(parent, dtype=np.int32),
        names=names,
        names_en=names_en,
        level=np.array(level, dtype=np.int8),
        family=np.array(family, dtype=np.int16),
        dimension=np.array(dims, dtype=np.int8),
        price=np.array(price),
        popularity=pop,
    )


def build_context(catalogue: Catalogue, today: int = SYNTHETIC_TODAY) -> Context:
    index = {name: i for i, (name, *_rest) in enumerate(PROVINCES)}
    n_prov = len(PROVINCES)
    programme = np.full((n_prov, n_prov), -1, dtype=np.int16)
    # Later (wider) programmes do not overwrite an earlier, more specific one.
    for p_idx, (_name, _en, members) in enumerate(PROGRAMMES):
        idx = np.array([index[m] for m in members])
        block = programme[np.ix_(idx, idx)]
        programme[np.ix_(idx, idx)] = np.where(block < 0, p_idx, block)
    return Context(
        parent=catalogue.parent,
        category_names=catalogue.names,
        category_names_en=catalogue.names_en,
        province_lat=np.array([p[3] for p in PROVINCES]),
        province_lon=np.array([p[4] for p in PROVINCES]),
        province_names=[p[0] for p in PROVINCES],
        province_names_en=[p[1] for p in PROVINCES],
        province_region=np.array([p[2] for p in PROVINCES]),
        region_names=[r[0] for r in REGIONS],
        region_names_en=[r[1] for r in REGIONS],
        programme=programme,
        programme_names=[p[0] for p in PROGRAMMES],
        programme_names_en=[p[1] for p in PROGRAMMES],
        config=Config(today=today),
        cert_names=[(c[1], c[2]) for c in CERTIFICATIONS],
        province_is_city=[p[0] in _CITIES for p in PROVINCES],
    )


_CITIES = {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def province_index(name: str) -> int:
    """Index of a province by its Vietnamese or English name, e.g. ``"Đắk Lắk"``."""
    for i, (vi, en, *_rest) in enumerate(PROVINCES):
        if name in (vi, en):
            return i
    raise KeyError(name)


def cert_bit(code: str) -> int:
    """The ``certs`` bit of a certification code such as ``"vietgap"``."""
    for i, (c, *_rest) in enumerate(CERTIFICATIONS):
        if c == code:
            return 1 << i
    raise KeyError(code)


def _province_weights(catalogue: Catalogue, side: str) -> np.ndarray:
    """(families x provinces) probability of a listing's province."""
    index = {name: i for i, (name, *_rest) in enumerate(PROVINCES)}
    n_prov = len(PROVINCES)
    out = np.zeros((len(FAMILIES), n_prov))
    for f_idx, fam in enumerate(FAMILIES):
        if side == "supply":
            w = np.full(n_prov, 0.2 / n_prov)
            for rank, name in enumerate(fam.growers):
                w[index[name]] += (
                    0.8 * (1.0 / (rank + 1)) / sum(1.0 / (r + 1) for r in range(len(fam.growers)))
                )
        else:
            w = np.full(n_prov, 0.19 / n_prov)
            for name, share in _BUYER_PROVINCES.items():
                w[index[name]] += share
            for name in fam.growers:  # processors and traders near the growers
                w[index[name]] += 0.02
        out[f_idx] = w / w.sum()
    return out


def _titles(
    rng: np.random.Generator,
    catalogue: Catalogue,
    category: np.ndarray,
    province: np.ndarray,
    side: str,
) -> list[str]:
    templates_vi = _TEMPLATES_VI if side == "supply" else _TEMPLATES_DEMAND_VI
    style = rng.random(len(category))
    pick = rng.integers(0, 1000, len(category))
    out = []
    for c, p, s, k in zip(category.tolist(), province.tolist(), style, pick, strict=True):
        par = int(catalogue.parent[c])
        group = catalogue.names[par] if par >= 0 else catalogue.names[c]
        if s < 0.25:
            t = _TEMPLATES_EN[k % len(_TEMPLATES_EN)]
        else:
            t = templates_vi[k % len(templates_vi)]
        title = t.format(
            name=catalogue.names[c],
            name_en=catalogue.names_en[c],
            group=group,
            province=PROVINCES[p][0],
            province_en=PROVINCES[p][1],
        )
        if 0.25 <= s < 0.4:  # typed without diacritics
            from catalog.text import fold

            title = fold(title)
        out.append(title)
    return out


def _listings(
    rng: np.random.Generator,
    catalogue: Catalogue,
    n: int,
    side: str,
    today: int,
    id_offset: int,
    orgs: np.ndarray,
) -> ListingTable:
    levels = catalogue.level
    # Buyers ask for a whole group or family ("trái cây") more often than sellers offer one.
    supply_share = {0: 0.02, 1: 0.10, 2: 0.88}
    level_share = supply_share if side == "supply" else {0: 0.06, 1: 0.22, 2: 0.72}
    # A listing at a group or family level stands for its whole subtree's popularity.
    subtree_pop = catalogue.popularity.copy()
    p = np.zeros(len(levels))
    for lvl, share in level_share.items():
        mask = levels == lvl
        p[mask] = share * subtree_pop[mask] / subtree_pop[mask].sum()
    p /= p.sum()
    category = rng.choice(len(levels), size=n, p=p).astype(np.int32)
    fam = catalogue.family[category]
    prov_w = _province_weights(catalogue, side)
    cum = np.cumsum(prov_w, axis=1)
    province = (rng.random(n)[:, None] > cum[fam]).sum(axis=1).astype(np.int16)
    province = np.minimum(province, len(PROVINCES) - 1)
    dimension = catalogue.dimension[category]

    # Quantities: lognormal around a scale per dimension, buyers a bit larger.
    scale = np.where(dimension == MASS, 3000.0, np.where(dimension == VOLUME, 800.0, 2000.0))
    if side == "demand":
        scale = scale * 1.3
    qty = np.round(scale * np.exp(rng.normal(0.0, 1.1, n)), 0)
    qty = np.maximum(qty, 10.0)
    # Tonnes are common for bulk goods: round big masses to whole tạ (100 kg).
    qty = np.where((dimension == MASS) & (qty > 2000), np.round(qty / 100) * 100, qty)
    min_order = np.zeros(n)
    has_min = rng.random(n) < (0.5 if side == "supply" else 0.3)
    frac = rng.uniform(0.02, 0.2, n) if side == "supply" else rng.uniform(0.1, 0.5, n)
    min_order[has_min] = np.round(qty[has_min] * frac[has_min], 0)

    base_price = catalogue.price[category]
    if side == "supply":
        pmin = base_price * np.exp(rng.normal(0.0, 0.15, n))
        pmax = pmin * rng.uniform(1.0, 1.2, n)
        no_price = rng.random(n) < 0.15
    else:
        pmax = base_price * np.exp(rng.normal(0.02, 0.15, n))
        pmin = pmax * rng.uniform(0.8, 1.0, n)
        no_price = rng.random(n) < 0.25
    pmin = np.round(pmin, -2)
    pmax = np.round(pmax, -2)
    pmin[no_price] = np.nan
    pmax[no_price] = np.nan
    only_max = ~no_price & (rng.random(n) < 0.1)
    pmin[only_max] = np.nan

    if side == "supply":
        start = today + rng.integers(-60, 60, n)
        end = start + rng.integers(30, 240, n)
    else:
        start = today + rng.integers(-30, 90, n)
        end = start + rng.integers(14, 180, n)

    certs = np.zeros(n, dtype=np.uint64)
    if side == "supply":
        for bit, (*_names, share) in enumerate(CERTIFICATIONS):
            certs |= np.where(rng.random(n) < share, np.uint64(1 << bit), np.uint64(0))
    else:
        wants = rng.random(n) < 0.30
        # Buyers ask mostly for VietGAP, HACCP or GlobalGAP.
        ask = rng.choice(len(CERTIFICATIONS), size=n, p=[0.45, 0.15, 0.1, 0.15, 0.08, 0.03, 0.04])
        certs[wants] = (np.uint64(1) << ask[wants].astype(np.uint64)).astype(np.uint64)
        two = wants & (rng.random(n) < 0.15)
        certs[two] |= np.uint64(1)  # VietGAP as the usual second requirement
    if side == "supply":
        has_ocop = rng.random(n) < 0.20
        stars = rng.choice([3, 4, 5], size=n, p=[0.6, 0.35, 0.05])
        ocop = np.where(has_ocop, stars, 0).astype(np.int8)
    else:
        r = rng.random(n)
        ocop = np.where(r < 0.03, 4, np.where(r < 0.10, 3, 0)).astype(np.int8)

    org = orgs[rng.integers(0, len(orgs), n)]
    verified = rng.random(len(orgs)) < (0.6 if side == "supply" else 0.7)
    accepted = rng.poisson(2.0, len(orgs))
    declined = rng.poisson(1.0, len(orgs))
    org_trust = {
        int(o): trust_score(bool(v), 0, int(a), int(d))
        for o, v, a, d in zip(orgs, verified, accepted, declined, strict=True)
    }
    trust = np.array([org_trust[int(o)] for o in org], dtype=np.float32)
    trust = np.minimum(1.0, trust + np.where(ocop > 0, 0.15 * (ocop / 5.0), 0.0)).astype(np.float32)

    product = np.full(n, -1, dtype=np.int64)
    leaf = levels[category] == 2
    has_product = leaf & (rng.random(n) < 0.4)
    # Three products per kind: id = category * 4 + k.
    product[has_product] = category[has_product] * 4 + rng.integers(0, 3, has_product.sum())

    titles = _titles(rng, catalogue, category, province, side)
    sig = np.array(
        [
            signature(listing_text(t, catalogue.names[c], catalogue.names_en[c]))
            for t, c in zip(titles, category.tolist(), strict=True)
        ],
        dtype=np.uint64,
    ).reshape(n, 2)
    is_open = rng.random(n) < 0.97
    return ListingTable(
        id=np.arange(id_offset, id_offset + n, dtype=np.int64),
        org=org,
        category=category,
        product=product,
        province=province,
        dimension=dimension,
        qty=qty,
        min_order=min_order,
        price_min=pmin,
        price_max=pmax,
        start=start.astype(np.int32),
        end=end.astype(np.int32),
        certs=certs,
        ocop=ocop,
        trust=trust,
        name_sig=sig,
        open=is_open,
    )


def synthetic_market(
    n_supply: int,
    n_demand: int,
    seed: int = 0,
    today: int = SYNTHETIC_TODAY,
    declined_share: float = 0.001,
) -> tuple[ListingTable, ListingTable, Context]:
    """A seeded synthetic market of ``n_supply`` supplies and ``n_demand`` demands."""
    rng = np.random.default_rng(seed)
    catalogue = build_catalogue(seed)
    context = build_context(catalogue, today)
    n_sup_org = max(1, n_supply // 5)
    n_dem_org = max(1, n_demand // 8)
    sup_orgs = np.arange(1, n_sup_org + 1, dtype=np.int64)
    dem_orgs = np.arange(n_sup_org + 1, n_sup_org + n_dem_org + 1, dtype=np.int64)
    # Some organisations both sell and buy (traders, processors).
    both = rng.choice(n_sup_org, size=max(1, n_dem_org // 30), replace=False)
    dem_orgs[: len(both)] = sup_orgs[both]
    supplies = _listings(rng, catalogue, n_supply, "supply", today, 1, sup_orgs)
    demands = _listings(rng, catalogue, n_demand, "demand", today, n_supply + 1, dem_orgs)
    n_declined = int(declined_share * min(n_supply, n_demand))
    if n_declined:
        # Declines happen between plausible partners: pick pairs in the same family.
        fam_s = catalogue.family[supplies.category]
        fam_d = catalogue.family[demands.category]
        pairs = []
        d_rows = rng.integers(0, n_demand, n_declined * 3)
        for d in d_rows.tolist():
            cand = np.flatnonzero(fam_s == fam_d[d])
            if len(cand):
                pairs.append((int(supplies.id[rng.choice(cand)]), int(demands.id[d])))
            if len(pairs) >= n_declined:
                break
        context.declined = np.unique(
            (np.array([p[0] for p in pairs], dtype=np.int64) << 32)
            | np.array([p[1] for p in pairs], dtype=np.int64)
        )
    return supplies, demands, context
