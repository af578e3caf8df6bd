"""Demo data for ``seed --demo``: fictional organizations, users and open listings.

Every organization here is invented (names, people, e-mail addresses at example.com) and says so
in its description; none carries a tax code or phone number, so nothing can be mistaken for a
real company. Products, provinces, prices and quantities are realistic so that the matching
engine finds plausible matches: the same categories appear on both sides, windows overlap and
the certifications a demand requires are held by some supplies.
"""

from typing import NamedTuple

DEMO_PASSWORD = "demo12345"
DEMO_NOTE = "Dữ liệu minh họa (demo): tổ chức hư cấu. / Demo data: a fictional organization."

# key: (name, kind, province, contact person, e-mail, what it does, verified)
# fmt: off
ORGANIZATIONS = {
    # suppliers
    "suoi-mo": ("HTX Cà phê Suối Mơ", "cooperative", "Đắk Lắk", "Y Bim Niê", "suoimo@example.com", "Hợp tác xã trồng và sơ chế cà phê Robusta, sầu riêng, bơ và hồ tiêu.", True),
    "doi-suong": ("HTX Nông nghiệp Đồi Sương", "cooperative", "Lâm Đồng", "Trần Thị Mai", "doisuong@example.com", "Rau, hoa, atisô, cà phê Arabica và mắc ca vùng cao.", True),
    "dat-do": ("HTX Hồ tiêu Đất Đỏ Cao Nguyên", "cooperative", "Gia Lai", "Rơ Châm Hyin", "datdo@example.com", "Hồ tiêu và cà phê Robusta trên đất đỏ bazan.", False),
    "nui-may": ("Công ty TNHH Dược liệu Núi Mây", "producer", "Quảng Ngãi", "Lê Văn Hòa", "nuimay@example.com", "Trồng sâm Ngọc Linh dưới tán rừng, quế và tỏi.", True),
    "non-nuoc": ("HTX Hạt dẻ Non Nước", "cooperative", "Cao Bằng", "Nông Văn Thắng", "nonnuoc@example.com", "Hạt dẻ tươi và hạt dẻ rang đóng gói.", False),
    "bup-xanh": ("HTX Chè Búp Xanh", "cooperative", "Thái Nguyên", "Đỗ Thị Hương", "bupxanh@example.com", "Chè xanh, hồng không hạt và miến dong.", True),
    "song-lam": ("HTX Cam Sông Lam Xanh", "cooperative", "Nghệ An", "Nguyễn Văn Tuấn", "songlam@example.com", "Cam Vinh trồng theo VietGAP.", False),
    "ngan-hong": ("HTX Bưởi Ngàn Hống", "cooperative", "Hà Tĩnh", "Phan Thị Lan", "nganhong@example.com", "Bưởi Phúc Trạch và kẹo cu đơ.", False),
    "dat-mui": ("HTX Tôm Rừng Đất Mũi Xanh", "cooperative", "Cà Mau", "Lâm Văn Út", "datmui@example.com", "Tôm sú tôm – rừng, tôm thẻ, cua biển, mật ong rừng.", True),
    "sen-hong": ("HTX Xoài Sen Hồng", "cooperative", "Đồng Tháp", "Võ Thị Kiều", "senhong@example.com", "Xoài, hạt sen và cá tra nguyên liệu.", False),
    "phu-sa": ("HTX Lúa Gạo Phù Sa Mới", "cooperative", "Cần Thơ", "Huỳnh Văn Sang", "phusa@example.com", "Gạo ST25, gạo thơm và khóm.", True),
    "bien-ngoc": ("Cơ sở Nước mắm Biển Ngọc", "processor", "An Giang", "Châu Văn Lộc", "bienngoc@example.com", "Nước mắm cá cơm ủ chượp thùng gỗ.", False),
    # buyers
    "phuong-nam": ("Công ty TNHH Phân phối Nông sản Phương Nam Xanh", "distributor", "Hồ Chí Minh", "Phạm Minh Khoa", "phuongnam@example.com", "Phân phối nông sản cho bếp ăn, nhà hàng và đại lý ở TP.HCM.", True),
    "cho-que": ("Chuỗi cửa hàng Chợ Quê Mới", "retailer", "Hồ Chí Minh", "Ngô Thị Thu", "choque@example.com", "Chuỗi cửa hàng đặc sản và sản phẩm OCOP.", True),
    "sao-viet-a": ("Công ty CP Xuất khẩu Nông sản Sao Việt Á", "exporter", "Hồ Chí Minh", "Trương Quốc Bảo", "saovieta@example.com", "Xuất khẩu cà phê, trái cây, mắc ca và gia vị.", False),
    "thang-long": ("Công ty TNHH Thực phẩm sạch Thăng Long Xanh", "retailer", "Hà Nội", "Vũ Thị Ngọc", "thanglong@example.com", "Chuỗi cửa hàng thực phẩm sạch ở Hà Nội.", True),
    "ba-mien": ("Công ty TNHH Đặc sản Ba Miền Trực Tuyến", "distributor", "Hà Nội", "Đặng Văn Long", "bamien@example.com", "Bán đặc sản vùng miền trên sàn thương mại điện tử.", False),
    "tay-do": ("Công ty CP Chế biến Thủy sản Tây Đô Xanh", "processor", "Cần Thơ", "Lý Thanh Phong", "taydo@example.com", "Chế biến và xuất khẩu tôm, cá tra đông lạnh.", True),
}
# fmt: on

# username: (first name, last name, e-mail, organization key it owns or None)
USERS = {
    "supplier": ("Y Bim", "Niê", "supplier@example.com", "suoi-mo"),
    "buyer": ("Khoa", "Phạm Minh", "buyer@example.com", "phuong-nam"),
    "officer": ("Hạnh", "Lê Thị", "officer@example.com", None),
    "admin": ("Admin", "", "admin@example.com", None),
}


class L(NamedTuple):
    """One demo listing. Window: from today + ``start`` days for ``days`` days."""

    org: str
    side: str
    title: str
    category: str
    quantity: str
    unit: str
    price_min: int
    price_max: int
    start: int = 0
    days: int = 120
    certs: tuple[str, ...] = ()
    stars: int | None = None  # OCOP stars on a supply, minimum stars on a demand
    min_order: str | None = None
    product: str | None = None
    description: str = ""


S, D = "supply", "demand"
T = 1_000_000  # prices per tonne are written in millions of VND

# org, side, title, category, quantity, unit, price min, price max (VND per unit), window start
# (days from today), window length (days), certifications, then stars / minimum order / product
# fmt: off
LISTINGS = [
    # --- supply: Central Highlands ---------------------------------------------------------
    L("suoi-mo", S, "Cà phê nhân Robusta Buôn Ma Thuột sàng 18", "robusta", "60", "tonne", 105 * T, 118 * T, 0, 120, ("4c", "vietgap", "gi"), min_order="5", product="Cà phê Buôn Ma Thuột", description="Độ ẩm dưới 12,5%, hạt đen vỡ dưới 2%."),
    L("suoi-mo", S, "Cà phê Robusta chế biến ướt (honey)", "robusta", "15", "tonne", 115 * T, 128 * T, 0, 120, ("rainforest", "4c"), min_order="2"),
    L("suoi-mo", S, "Cà phê rang xay Robusta nguyên chất", "roasted-coffee", "2000", "kg", 220_000, 280_000, 0, 150, ("haccp",), stars=4, min_order="100"),
    L("suoi-mo", S, "Sầu riêng Ri6 vụ chính", "durian", "150", "tonne", 58 * T, 78 * T, 14, 90, ("vietgap", "globalgap"), min_order="5", product="Sầu riêng Đắk Lắk"),
    L("suoi-mo", S, "Bơ sáp 034 loại 1", "avocado", "50", "tonne", 28 * T, 40 * T, 7, 75, ("vietgap",), min_order="2", product="Bơ Đắk Lắk"),
    L("suoi-mo", S, "Hồ tiêu đen 500 g/l", "pepper", "20", "tonne", 130 * T, 145 * T, 0, 150, ("vietgap",), min_order="2", product="Hồ tiêu Đắk Lắk"),
    L("doi-suong", S, "Cà phê Arabica Cầu Đất chế biến ướt", "arabica", "12", "tonne", 140 * T, 165 * T, 0, 150, ("4c", "organic"), min_order="1", product="Cà phê Arabica Cầu Đất"),
    L("doi-suong", S, "Rau xà lách, cải thảo Đà Lạt giao hằng tuần", "leafy-vegetables", "40", "tonne", 12 * T, 20 * T, 0, 90, ("vietgap", "globalgap"), min_order="1", product="Rau Đà Lạt"),
    L("doi-suong", S, "Trà atisô túi lọc hộp 20 gói", "herbal-tea", "5000", "box", 45_000, 60_000, 0, 180, ("haccp",), stars=4, min_order="200", product="Trà Atisô Đà Lạt"),
    L("doi-suong", S, "Hoa cúc, hoa hồng Đà Lạt cắt cành", "flowers", "200000", "piece", 3_000, 6_000, 0, 60, ("vietgap",), min_order="5000", product="Hoa Đà Lạt"),
    L("doi-suong", S, "Bơ Booth Bảo Lộc", "avocado", "25", "tonne", 25 * T, 35 * T, 14, 70, ("vietgap",), min_order="2"),
    L("doi-suong", S, "Mắc ca sấy nứt vỏ", "macadamia", "8", "tonne", 170 * T, 210 * T, 0, 150, ("haccp",), stars=3, min_order="1"),
    L("dat-do", S, "Hồ tiêu đen Chư Sê", "pepper", "40", "tonne", 128 * T, 142 * T, 0, 150, ("vietgap", "rainforest"), min_order="5", product="Hồ tiêu Chư Sê"),
    L("dat-do", S, "Cà phê nhân Robusta Gia Lai", "robusta", "50", "tonne", 103 * T, 115 * T, 0, 120, ("4c", "rainforest"), min_order="10", product="Cà phê Gia Lai"),
    L("dat-do", S, "Sầu riêng Monthong Gia Lai", "durian", "100", "tonne", 60 * T, 82 * T, 21, 80, ("vietgap", "globalgap"), min_order="5"),
    L("dat-do", S, "Tiêu trắng (tiêu sọ) xuất khẩu", "pepper", "5", "tonne", 180 * T, 200 * T, 0, 150, ("haccp", "vietgap"), min_order="1"),
    L("nui-may", S, "Sâm Ngọc Linh tươi 5 năm tuổi", "ngoc-linh-ginseng", "20", "kg", 70 * T, 120 * T, 0, 180, (), stars=5, min_order="0.5", product="Sâm Ngọc Linh"),
    L("nui-may", S, "Quế vỏ khô Trà Bồng", "cinnamon", "10", "tonne", 45 * T, 60 * T, 0, 150, (), min_order="1"),
    L("nui-may", S, "Tỏi cô đơn Lý Sơn", "garlic", "3", "tonne", 250 * T, 350 * T, 0, 120, ("gi",), stars=4, min_order="0.1", product="Tỏi Lý Sơn"),
    # --- supply: north ---------------------------------------------------------------------
    L("non-nuoc", S, "Hạt dẻ Trùng Khánh tươi", "chestnut", "6", "tonne", 90 * T, 130 * T, 20, 90, ("gi",), min_order="0.5", product="Hạt dẻ Trùng Khánh"),
    L("non-nuoc", S, "Hạt dẻ rang đóng gói 500 g", "chestnut", "4000", "box", 90_000, 120_000, 20, 150, ("haccp",), stars=3, min_order="100"),
    L("bup-xanh", S, "Chè búp Tân Cương loại đặc biệt", "green-tea", "3000", "kg", 350_000, 600_000, 0, 180, ("vietgap", "gi"), stars=4, min_order="50", product="Chè Tân Cương"),
    L("bup-xanh", S, "Chè xanh sao sấy loại 1", "green-tea", "10", "tonne", 180 * T, 250 * T, 0, 150, ("vietgap",), min_order="0.5"),
    L("bup-xanh", S, "Hồng không hạt Bắc Kạn", "persimmon", "15", "tonne", 35 * T, 50 * T, 30, 60, ("vietgap",), min_order="1", product="Hồng không hạt Bắc Kạn"),
    L("bup-xanh", S, "Miến dong Na Rì", "noodles", "8", "tonne", 70 * T, 90 * T, 0, 180, ("haccp",), stars=4, min_order="0.2", product="Miến dong Na Rì"),
    L("song-lam", S, "Cam Vinh vụ mới", "orange", "50", "tonne", 25 * T, 40 * T, 30, 90, ("vietgap", "gi"), min_order="2", product="Cam Vinh"),
    L("ngan-hong", S, "Bưởi Phúc Trạch loại 1", "pomelo", "40", "tonne", 22 * T, 35 * T, 20, 100, ("vietgap", "gi"), min_order="1", product="Bưởi Phúc Trạch"),
    L("ngan-hong", S, "Kẹo cu đơ hộp 500 g", "confectionery", "3000", "box", 40_000, 60_000, 0, 180, ("haccp",), stars=3, min_order="100", product="Kẹo cu đơ Hà Tĩnh"),
    # --- supply: Mekong Delta ----------------------------------------------------------------
    L("dat-mui", S, "Tôm sú tôm – rừng size 20–30 con/kg", "black-tiger-shrimp", "25", "tonne", 220 * T, 280 * T, 0, 120, ("asc", "organic"), min_order="1", product="Tôm sú Cà Mau"),
    L("dat-mui", S, "Tôm thẻ chân trắng size 60–80 con/kg", "whiteleg-shrimp", "60", "tonne", 105 * T, 125 * T, 0, 90, ("bap", "vietgap"), min_order="5"),
    L("dat-mui", S, "Cua biển Cà Mau (cua gạch, cua thịt)", "crab", "8", "tonne", 350 * T, 550 * T, 0, 120, (), min_order="0.2", product="Cua Cà Mau"),
    L("dat-mui", S, "Mật ong rừng U Minh", "honey", "1500", "l", 300_000, 450_000, 0, 180, (), stars=4, min_order="20", product="Mật ong rừng U Minh"),
    L("dat-mui", S, "Tôm khô Cà Mau loại 1", "dried-shrimp", "2000", "kg", 900_000, 1_300_000, 0, 180, ("haccp",), stars=4, min_order="20"),
    L("sen-hong", S, "Xoài cát Hòa Lộc", "mango", "30", "tonne", 45 * T, 70 * T, 7, 75, ("vietgap", "globalgap", "gi"), min_order="1", product="Xoài cát Hòa Lộc"),
    L("sen-hong", S, "Xoài cát chu xuất khẩu", "mango", "60", "tonne", 20 * T, 30 * T, 7, 90, ("globalgap",), min_order="5"),
    L("sen-hong", S, "Hạt sen khô Đồng Tháp", "lotus-seeds", "5", "tonne", 220 * T, 280 * T, 0, 180, ("haccp",), stars=3, min_order="0.2", product="Hạt sen Đồng Tháp"),
    L("sen-hong", S, "Cá tra nguyên liệu size 800 g – 1 kg", "pangasius", "300", "tonne", 26 * T, 29 * T, 0, 90, ("asc", "globalgap"), min_order="20", product="Cá tra Đồng Tháp"),
    L("phu-sa", S, "Gạo ST25 vụ đông xuân", "fragrant-rice", "100", "tonne", 26 * T, 32 * T, 0, 150, ("vietgap",), min_order="5", product="Gạo ST25"),
    L("phu-sa", S, "Gạo thơm Jasmine", "fragrant-rice", "200", "tonne", 15 * T, 18 * T, 0, 150, ("vietgap",), min_order="10"),
    L("phu-sa", S, "Gạo ST25 hữu cơ lúa – tôm", "fragrant-rice", "30", "tonne", 38 * T, 45 * T, 0, 150, ("organic", "vietgap"), stars=4, min_order="1", product="Gạo ST25"),
    L("phu-sa", S, "Khóm Cầu Đúc", "pineapple", "40", "tonne", 8 * T, 12 * T, 0, 90, ("vietgap",), min_order="2", product="Khóm Cầu Đúc"),
    L("bien-ngoc", S, "Nước mắm Phú Quốc 40 độ đạm", "fish-sauce", "20000", "l", 70_000, 110_000, 0, 365, ("haccp", "gi"), stars=4, min_order="200", product="Nước mắm Phú Quốc"),
    # --- demand: HCM City ----------------------------------------------------------------------
    L("phuong-nam", D, "Cần mua cà phê nhân Robusta sàng 16–18", "coffee", "60", "tonne", 100 * T, 120 * T, 10, 140, ("4c",), min_order="10"),
    L("phuong-nam", D, "Thu mua hồ tiêu đen cho nhà máy đóng gói", "pepper", "50", "tonne", 125 * T, 145 * T, 7, 140, ("vietgap",), min_order="5"),
    L("phuong-nam", D, "Thu mua sầu riêng Ri6, Monthong", "durian", "50", "tonne", 55 * T, 80 * T, 20, 90, ("vietgap",), min_order="5"),
    L("phuong-nam", D, "Thu mua bơ sáp", "avocado", "40", "tonne", 25 * T, 40 * T, 10, 80, (), min_order="2"),
    L("phuong-nam", D, "Rau ăn lá VietGAP cho bếp ăn công nghiệp", "leafy-vegetables", "20", "tonne", 10 * T, 18 * T, 7, 90, ("vietgap",), min_order="1"),
    L("cho-que", D, "Gạo ST25 cho chuỗi cửa hàng", "fragrant-rice", "60", "tonne", 25 * T, 33 * T, 7, 120, ("vietgap",), min_order="5"),
    L("cho-que", D, "Nước mắm truyền thống OCOP 4 sao", "fish-sauce", "8000", "l", 60_000, 100_000, 7, 180, ("haccp",), stars=4, min_order="500"),
    L("cho-que", D, "Trà atisô, trà thảo dược OCOP", "herbal-tea", "3000", "box", 40_000, 55_000, 7, 150, ("haccp",), stars=3, min_order="100"),
    L("cho-que", D, "Trái cây đặc sản vùng miền cho quầy OCOP", "fruit", "30", "tonne", 20 * T, 60 * T, 14, 100, ("vietgap",), min_order="1"),
    L("cho-que", D, "Mật ong rừng OCOP", "honey", "1000", "l", 250_000, 400_000, 7, 150, (), stars=3, min_order="50"),
    L("cho-que", D, "Cà phê rang xay OCOP", "roasted-coffee", "1500", "kg", 200_000, 260_000, 7, 150, ("haccp",), stars=3, min_order="100"),
    L("sao-viet-a", D, "Cà phê Robusta đạt Rainforest Alliance", "robusta", "60", "tonne", 105 * T, 125 * T, 14, 140, ("rainforest",), min_order="5"),
    L("sao-viet-a", D, "Xoài cát chu xuất khẩu GlobalGAP", "mango", "50", "tonne", 18 * T, 30 * T, 14, 90, ("globalgap",), min_order="10"),
    L("sao-viet-a", D, "Sầu riêng xuất khẩu GlobalGAP", "durian", "100", "tonne", 60 * T, 85 * T, 20, 90, ("globalgap",), min_order="20"),
    L("sao-viet-a", D, "Hạt mắc ca sấy nứt vỏ", "macadamia", "10", "tonne", 160 * T, 210 * T, 14, 140, (), min_order="1"),
    L("sao-viet-a", D, "Quế vỏ xuất khẩu", "cinnamon", "20", "tonne", 40 * T, 60 * T, 14, 140, (), min_order="2"),
    # --- demand: Hà Nội --------------------------------------------------------------------------
    L("thang-long", D, "Cam Vinh cho chuỗi thực phẩm sạch", "orange", "20", "tonne", 25 * T, 40 * T, 30, 90, ("vietgap",), min_order="1"),
    L("thang-long", D, "Bưởi Phúc Trạch", "pomelo", "15", "tonne", 20 * T, 35 * T, 20, 100, ("vietgap",), min_order="1"),
    L("thang-long", D, "Chè xanh Thái Nguyên OCOP", "green-tea", "2000", "kg", 200_000, 450_000, 7, 150, (), stars=3, min_order="50"),
    L("thang-long", D, "Hạt dẻ Trùng Khánh", "chestnut", "3", "tonne", 80 * T, 120 * T, 20, 90, (), min_order="0.2"),
    L("thang-long", D, "Hồng không hạt", "persimmon", "5", "tonne", 30 * T, 50 * T, 30, 60, (), min_order="0.5"),
    L("ba-mien", D, "Sâm Ngọc Linh cho gian hàng trực tuyến", "ngoc-linh-ginseng", "5", "kg", 60 * T, 110 * T, 7, 180, (), stars=4, min_order="0.5"),
    L("ba-mien", D, "Miến dong, bún khô đặc sản", "noodles", "3", "tonne", 60 * T, 90 * T, 7, 180, (), stars=3, min_order="0.1"),
    L("ba-mien", D, "Kẹo đặc sản vùng miền", "confectionery", "2000", "box", 35_000, 55_000, 7, 180, (), stars=3, min_order="100"),
    L("ba-mien", D, "Tôm khô loại 1 cho sàn thương mại điện tử", "dried-shrimp", "500", "kg", 800_000, 1_200_000, 7, 150, (), stars=3, min_order="20"),
    L("thang-long", D, "Hạt sen khô", "lotus-seeds", "1", "tonne", 200 * T, 260 * T, 7, 150, (), min_order="0.1"),
    # --- demand: Cần Thơ seafood processor-exporter --------------------------------------------------
    L("tay-do", D, "Thu mua tôm thẻ chân trắng nguyên liệu", "whiteleg-shrimp", "200", "tonne", 100 * T, 125 * T, 7, 120, ("bap",), min_order="10"),
    L("tay-do", D, "Thu mua tôm sú nguyên liệu", "black-tiger-shrimp", "50", "tonne", 200 * T, 270 * T, 7, 120, ("asc",), min_order="2"),
    L("tay-do", D, "Thu mua cá tra nguyên liệu", "pangasius", "500", "tonne", 25 * T, 29 * T, 7, 120, ("asc",), min_order="20"),
    L("tay-do", D, "Cua biển sống xuất khẩu", "crab", "5", "tonne", 300 * T, 500 * T, 7, 120, (), min_order="0.2"),
]
# fmt: on
