"""The synthetic tree's other families: spices, tea, nuts, herbs, bee products, processed
food, industrial crops, handicrafts."""

from __future__ import annotations

from matchmaking.benchmarks.family import Family, kinds
from matchmaking.engine.records import COUNT, MASS, VOLUME

FAMILIES: tuple[Family, ...] = (
    Family(
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
                kinds("Tiêu đen/Black pepper; Tiêu trắng/White pepper; Tiêu đỏ/Red pepper"),
            ),
            (
                "Quế hồi",
                "Cinnamon and star anise",
                None,
                kinds("Quế/Cinnamon; Hoa hồi/Star anise; Thảo quả/Black cardamom"),
            ),
            (
                "Gia vị tươi",
                "Fresh spices",
                None,
                kinds("Gừng/Ginger; Nghệ/Turmeric; Tỏi/Garlic; Hành tím/Shallot; Sả/Lemongrass"),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Chè Thái Nguyên/Thai Nguyen tea; Chè Shan tuyết/Shan Tuyet tea; "
                    "Chè búp tươi/Fresh tea buds; Trà Ô long/Oolong tea"
                ),
            ),
            (
                "Trà thảo mộc",
                "Herbal tea",
                None,
                kinds(
                    "Trà atiso/Artichoke tea; Trà hoa cúc/Chrysanthemum tea; Trà sen/Lotus tea; "
                    "Trà gừng/Ginger tea"
                ),
            ),
            ("Trà đen", "Black tea", None, kinds("Hồng trà/Black tea; Trà túi lọc/Tea bags")),
        ),
    ),
    Family(
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
                kinds(
                    "Điều thô/Raw cashew nuts; Nhân điều/Cashew kernels; "
                    "Điều rang muối/Salted roasted cashews"
                ),
            ),
            (
                "Hạt khác",
                "Other nuts",
                None,
                kinds(
                    "Mắc ca/Macadamia; Hạt dẻ/Chestnut; Đậu phộng/Peanut; Mè/Sesame; "
                    "Đậu nành/Soybean; Đậu xanh/Mung bean"
                ),
            ),
            (
                "Ca cao",
                "Cocoa",
                None,
                kinds("Hạt ca cao/Cocoa beans; Bột ca cao/Cocoa powder; Sô cô la/Chocolate"),
            ),
        ),
    ),
    Family(
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
                kinds("Sâm Ngọc Linh/Ngoc Linh ginseng; Sâm dây/Codonopsis; Đinh lăng/Polyscias"),
            ),
            (
                "Dược liệu khác",
                "Other herbs",
                None,
                kinds(
                    "Tam thất/Notoginseng; Đương quy/Angelica; Atiso/Artichoke; Nghệ đen/Zedoary; "
                    "Cà gai leo/Solanum procumbens"
                ),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Mật ong hoa cà phê/Coffee blossom honey; Mật ong bạc hà/Mint honey; "
                    "Mật ong rừng/Wild honey; Mật ong hoa nhãn/Longan honey"
                ),
            ),
            (
                "Sản phẩm khác từ ong",
                "Other bee products",
                MASS,
                kinds("Sữa ong chúa/Royal jelly; Phấn hoa/Bee pollen; Sáp ong/Beeswax"),
            ),
        ),
    ),
    Family(
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
                kinds("Nước mắm/Fish sauce; Nước tương/Soy sauce; Tương ớt/Chili sauce"),
            ),
            (
                "Bánh kẹo",
                "Confectionery",
                None,
                kinds(
                    "Bánh pía/Pia cake; Kẹo dừa/Coconut candy; Bánh tráng/Rice paper; "
                    "Bánh đa/Rice crackers"
                ),
            ),
            (
                "Bún phở",
                "Noodles",
                None,
                kinds(
                    "Bún khô/Dried rice vermicelli; Phở khô/Dried pho noodles; "
                    "Miến dong/Arrowroot glass noodles; Hủ tiếu/Hu tieu noodles"
                ),
            ),
            (
                "Đồ uống",
                "Beverages",
                VOLUME,
                kinds(
                    "Rượu cần/Can wine; Nước dừa đóng chai/Bottled coconut water; "
                    "Rượu vang Đà Lạt/Da Lat wine"
                ),
            ),
        ),
    ),
    Family(
        "Nông sản công nghiệp",
        "Industrial crops",
        MASS,
        35_000,
        0.02,
        ("Đồng Nai", "Tây Ninh", "Gia Lai", "Đắk Lắk", "Thanh Hóa"),
        (
            ("Cao su", "Rubber", None, kinds("Mủ cao su/Latex; Cao su tờ/Rubber sheets")),
            ("Mía đường", "Sugarcane", None, kinds("Mía cây/Sugarcane; Đường mía/Cane sugar")),
            (
                "Sản phẩm dừa",
                "Coconut products",
                None,
                kinds("Cơm dừa/Copra; Dầu dừa/Coconut oil"),
            ),
        ),
    ),
    Family(
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
                kinds(
                    "Giỏ mây/Rattan baskets; Đồ tre/Bamboo ware; Lục bình đan/Water hyacinth weaving"
                ),
            ),
            (
                "Dệt may thủ công",
                "Handwoven textiles",
                None,
                kinds("Vải thổ cẩm/Brocade fabric; Lụa tơ tằm/Silk; Khăn dệt/Woven scarves"),
            ),
            (
                "Gốm sứ",
                "Ceramics",
                None,
                kinds("Gốm Bát Tràng/Bat Trang ceramics; Gốm Chu Đậu/Chu Dau ceramics"),
            ),
        ),
    ),
)
