"""The synthetic tree's farm families: coffee, rice, fruit, vegetables, seafood, livestock."""

from __future__ import annotations

from matchmaking.benchmarks.family import Family, kinds
from matchmaking.engine.records import COUNT, MASS, VOLUME

FAMILIES: tuple[Family, ...] = (
    Family(
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
                kinds(
                    "Cà phê Robusta/Robusta coffee; Cà phê Arabica/Arabica coffee; Cà phê Culi/"
                    "Peaberry coffee; Cà phê mít/Liberica coffee; Cà phê đặc sản/Specialty coffee"
                ),
            ),
            (
                "Cà phê rang xay",
                "Roasted coffee",
                None,
                kinds(
                    "Cà phê rang hạt/Roasted coffee beans; Cà phê bột/Ground coffee; "
                    "Cà phê phin giấy/Drip bag coffee"
                ),
            ),
            (
                "Cà phê chế biến",
                "Processed coffee",
                None,
                kinds(
                    "Cà phê hòa tan/Instant coffee; Cà phê sữa đóng lon/Canned milk coffee; "
                    "Cà phê chồn/Weasel coffee"
                ),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Gạo ST25/ST25 rice; Gạo Jasmine/Jasmine rice; Gạo IR50404/IR50404 rice; "
                    "Gạo Đài Thơm 8/Dai Thom 8 rice; Gạo OM5451/OM5451 rice"
                ),
            ),
            (
                "Gạo đặc sản",
                "Specialty rice",
                None,
                kinds(
                    "Gạo nếp/Glutinous rice; Gạo lứt/Brown rice; Gạo tám thơm/Tam Thom rice; "
                    "Gạo Séng Cù/Seng Cu rice; Gạo hữu cơ/Organic rice"
                ),
            ),
            (
                "Lúa",
                "Paddy",
                None,
                kinds("Lúa tươi/Fresh paddy; Lúa khô/Dried paddy; Lúa giống/Seed paddy"),
            ),
        ),
    ),
    Family(
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
                kinds(
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
                kinds(
                    "Bưởi da xanh/Green-skin pomelo; Bưởi Năm Roi/Nam Roi pomelo; "
                    "Cam sành/King orange; Cam Vinh/Vinh orange; Quýt/Tangerine; Chanh/Lime"
                ),
            ),
            (
                "Trái cây á nhiệt đới",
                "Subtropical fruit",
                None,
                kinds(
                    "Vải thiều/Lychee; Nhãn lồng/Longan; Mận/Plum; Hồng giòn/Persimmon; "
                    "Lê/Pear; Dâu tây/Strawberry; Bơ sáp/Avocado; Hồng xiêm/Sapodilla; "
                    "Vú sữa/Star apple"
                ),
            ),
            (
                "Trái cây sấy",
                "Dried fruit",
                None,
                kinds(
                    "Xoài sấy/Dried mango; Mít sấy/Dried jackfruit; Chuối sấy/Dried banana; "
                    "Hồng treo gió/Air-dried persimmon"
                ),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Cải bắp/Cabbage; Xà lách/Lettuce; Cải thìa/Bok choy; Rau muống/Water spinach; "
                    "Cải ngọt/Choy sum"
                ),
            ),
            (
                "Củ",
                "Roots and tubers",
                None,
                kinds(
                    "Khoai lang/Sweet potato; Khoai tây/Potato; Cà rốt/Carrot; Sắn/Cassava; "
                    "Củ cải/Radish; Khoai môn/Taro"
                ),
            ),
            (
                "Rau quả",
                "Fruit vegetables",
                None,
                kinds(
                    "Cà chua/Tomato; Dưa chuột/Cucumber; Bí đỏ/Pumpkin; Ớt/Chili; "
                    "Dưa hấu/Watermelon; Đậu bắp/Okra"
                ),
            ),
            (
                "Nấm",
                "Mushrooms",
                None,
                kinds(
                    "Nấm rơm/Straw mushroom; Nấm hương/Shiitake; Nấm linh chi/Lingzhi; "
                    "Nấm mèo/Wood ear mushroom"
                ),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Tôm sú/Black tiger shrimp; Tôm thẻ chân trắng/Whiteleg shrimp; "
                    "Tôm càng xanh/Giant river prawn; Tôm hùm/Lobster"
                ),
            ),
            (
                "Cá",
                "Fish",
                None,
                kinds(
                    "Cá tra/Pangasius; Cá basa/Basa fish; Cá ngừ/Tuna; Cá rô phi/Tilapia; "
                    "Cá lóc/Snakehead fish; Cá thu/Mackerel"
                ),
            ),
            (
                "Hải sản khác",
                "Other seafood",
                None,
                kinds("Mực/Squid; Cua/Crab; Nghêu/Clam; Hàu/Oyster; Sò điệp/Scallop"),
            ),
            (
                "Thủy sản chế biến",
                "Processed seafood",
                None,
                kinds(
                    "Tôm khô/Dried shrimp; Cá khô/Dried fish; Mực khô/Dried squid; Chả cá/Fish cake"
                ),
            ),
        ),
    ),
    Family(
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
                kinds("Thịt lợn/Pork; Thịt bò/Beef; Thịt gà/Chicken meat; Thịt vịt/Duck meat"),
            ),
            (
                "Trứng",
                "Eggs",
                COUNT,
                kinds("Trứng gà/Chicken eggs; Trứng vịt/Duck eggs; Trứng cút/Quail eggs"),
            ),
            (
                "Sữa",
                "Dairy",
                VOLUME,
                kinds("Sữa tươi/Fresh milk; Sữa chua/Yoghurt; Sữa dê/Goat milk"),
            ),
        ),
    ),
)
