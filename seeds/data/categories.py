"""The product category tree: the six OCOP product groups as roots, then the families and
varieties real produce needs. At most three levels; slugs are English kebab-case (the API names
categories by slug). Seafood is a seventh root: buyers and the Mekong Delta conferences treat
it as a sector of its own, and shrimp needs its varieties below it.

Synonyms list other names in Vietnamese and English; the loader adds the unaccented form of
every Vietnamese name (``cà phê vối`` → ``ca phe voi``) so the list serves both spellings.
"""

from typing import NamedTuple


class Cat(NamedTuple):
    slug: str
    name: str
    name_en: str
    synonyms: tuple[str, ...] = ()
    children: tuple["Cat", ...] = ()
    ocop_group: bool = False


def C(
    slug, name, name_en, *synonyms, children=(), ocop_group=False
):  # a short name: the tree below is a table
    return Cat(slug, name, name_en, tuple(synonyms), tuple(children), ocop_group)


# fmt: off
TREE = [
    C("food", "Thực phẩm", "Food", "nông sản", "agricultural products", ocop_group=True, children=[
        C("fruit", "Trái cây", "Fruit", "hoa quả", "trái cây tươi", "fresh fruit", children=[
            C("durian", "Sầu riêng", "Durian", "sầu riêng Ri6", "Monthong", "Musang King"),
            C("avocado", "Bơ", "Avocado", "bơ sáp", "bơ 034", "Booth avocado"),
            C("pomelo", "Bưởi", "Pomelo", "bưởi da xanh", "bưởi Phúc Trạch", "grapefruit"),
            C("mango", "Xoài", "Mango", "xoài cát Hòa Lộc", "xoài cát chu"),
            C("dragon-fruit", "Thanh long", "Dragon fruit", "pitaya", "thanh long ruột đỏ"),
            C("lychee", "Vải thiều", "Lychee", "vải", "litchi"),
            C("longan", "Nhãn", "Longan", "nhãn lồng", "nhãn xuồng"),
            C("banana", "Chuối", "Banana", "chuối già Nam Mỹ", "Cavendish banana"),
            C("passion-fruit", "Chanh dây", "Passion fruit", "chanh leo", "maracuja"),
            C("orange", "Cam", "Orange", "cam sành", "cam Vinh"),
            C("mandarin", "Quýt", "Mandarin", "tangerine", "quýt đường"),
            C("persimmon", "Hồng", "Persimmon", "hồng không hạt", "hồng giòn"),
            C("mangosteen", "Măng cụt", "Mangosteen"),
            C("pineapple", "Dứa", "Pineapple", "khóm", "thơm"),
            C("coconut", "Dừa", "Coconut", "dừa xiêm", "dừa sáp"),
            C("strawberry", "Dâu tây", "Strawberry"),
            C("grape", "Nho", "Grape", "nho xanh", "nho đỏ"),
            C("jackfruit", "Mít", "Jackfruit", "mít Thái"),
            C("rambutan", "Chôm chôm", "Rambutan"),
        ]),
        C("vegetables", "Rau củ", "Vegetables", "rau", "rau quả", "rau an toàn", "fresh vegetables", children=[
            C("leafy-vegetables", "Rau ăn lá", "Leafy vegetables", "rau xanh", "cải", "xà lách", "lettuce", "cabbage"),
            C("root-vegetables", "Củ, quả", "Root and fruit vegetables", "cà rốt", "khoai tây", "cà chua", "carrot", "potato", "tomato"),
            C("artichoke", "Atisô", "Artichoke", "atiso", "actiso"),
            C("garlic", "Tỏi", "Garlic", "tỏi cô đơn", "tỏi Lý Sơn", "hành tỏi", "onion"),
            C("mushrooms", "Nấm", "Mushrooms", "nấm rơm", "nấm mèo", "mushroom"),
            C("bamboo-shoots", "Măng", "Bamboo shoots", "măng tươi", "măng khô"),
            C("cassava", "Sắn", "Cassava", "khoai mì", "tapioca", "tinh bột sắn"),
        ]),
        C("nuts", "Hạt", "Nuts and seeds", "các loại hạt", "nuts", children=[
            C("cashew", "Hạt điều", "Cashew", "điều", "điều thô", "cashew nuts", "cashew kernels"),
            C("macadamia", "Mắc ca", "Macadamia", "hạt mắc ca", "macca"),
            C("chestnut", "Hạt dẻ", "Chestnut", "dẻ", "hạt dẻ Trùng Khánh"),
            C("peanut", "Lạc", "Peanut", "đậu phộng", "groundnut"),
            C("lotus-seeds", "Hạt sen", "Lotus seeds", "sen", "lotus"),
        ]),
        C("rice", "Gạo", "Rice", "lúa", "lúa gạo", "paddy", "lương thực", children=[
            C("fragrant-rice", "Gạo thơm", "Fragrant rice", "gạo ST25", "ST25", "ST24", "jasmine rice", "gạo tám xoan", "fragrant rice ST25"),
            C("glutinous-rice", "Gạo nếp", "Glutinous rice", "nếp", "sticky rice"),
            C("specialty-rice", "Gạo đặc sản", "Specialty rice", "gạo lứt", "gạo hữu cơ", "brown rice", "red rice"),
        ]),
        C("spices", "Gia vị", "Spices", "spice", children=[
            C("pepper", "Hồ tiêu", "Pepper", "tiêu", "tiêu đen", "tiêu trắng", "black pepper", "white pepper"),
            C("cinnamon", "Quế", "Cinnamon", "vỏ quế", "cassia"),
            C("star-anise", "Hoa hồi", "Star anise", "hồi", "đại hồi"),
            C("chili", "Ớt", "Chili", "ớt tươi", "ớt bột", "chilli"),
            C("salt", "Muối", "Salt", "muối biển", "muối tôm", "sea salt"),
        ]),
        C("sauces", "Nước mắm, nước chấm", "Fish sauce and condiments", "nước chấm", "condiments", "sauces", children=[
            C("fish-sauce", "Nước mắm", "Fish sauce", "nước mắm truyền thống", "nuoc mam"),
            C("fermented-seafood", "Mắm", "Fermented fish and shrimp paste", "mắm tôm", "mắm cá linh", "mắm Châu Đốc", "shrimp paste"),
        ]),
        C("honey", "Mật ong", "Honey", "mật ong rừng", "mật ong hoa cà phê", "bee products"),
        C("meat-eggs-dairy", "Thịt, trứng, sữa", "Meat, eggs and dairy", "thực phẩm tươi sống", children=[
            C("pork", "Thịt lợn", "Pork", "thịt heo", "lợn đen"),
            C("poultry", "Gia cầm", "Poultry", "gà", "vịt", "chicken", "duck"),
            C("beef", "Thịt bò", "Beef", "bò", "trâu", "buffalo meat"),
            C("eggs", "Trứng", "Eggs", "trứng gà", "trứng vịt"),
            C("dairy", "Sữa", "Dairy", "sữa tươi", "milk", "yogurt"),
        ]),
        C("processed-food", "Thực phẩm chế biến", "Processed food", "đặc sản chế biến", children=[
            C("dried-fruit", "Trái cây sấy", "Dried fruit", "mứt", "sấy dẻo", "sấy khô", "candied fruit"),
            C("confectionery", "Bánh kẹo", "Confectionery", "kẹo", "bánh", "kẹo cu đơ", "bánh pía", "mè xửng", "sweets", "cakes"),
            C("noodles", "Bún, miến, phở, bánh tráng", "Noodles and rice paper", "miến dong", "hủ tiếu", "bánh tráng", "vermicelli", "rice paper"),
            C("cured-meats", "Giò chả, nem, lạp xưởng", "Cured and cooked meats", "nem chua", "giò lụa", "lạp xưởng", "sausage"),
            C("sugar", "Đường", "Sugar", "đường phèn", "đường thốt nốt", "mía đường", "palm sugar"),
        ]),
        C("birds-nest", "Yến sào", "Edible bird's nest", "tổ yến", "yến", "bird nest"),
    ]),

    C("beverages", "Đồ uống", "Beverages", "thức uống", "drinks", ocop_group=True, children=[
        C("coffee", "Cà phê", "Coffee", "cafe", "cà phê nhân", "coffee beans", children=[
            C("robusta", "Cà phê Robusta", "Robusta coffee", "cà phê vối", "robusta", "green robusta"),
            C("arabica", "Cà phê Arabica", "Arabica coffee", "cà phê chè", "arabica"),
            C("roasted-coffee", "Cà phê rang xay", "Roasted and ground coffee", "cà phê bột", "cà phê hòa tan", "cà phê chế biến", "instant coffee", "processed coffee"),
        ]),
        C("tea", "Chè", "Tea", "trà", "chè búp", children=[
            C("green-tea", "Chè xanh", "Green tea", "trà xanh", "chè Tân Cương", "chè Thái Nguyên"),
            C("shan-tuyet-tea", "Chè Shan tuyết", "Shan tuyet tea", "trà shan tuyết", "chè cổ thụ", "snow shan tea"),
            C("oolong-tea", "Trà ô long", "Oolong tea", "trà Bảo Lộc", "oolong"),
        ]),
        C("cocoa", "Ca cao", "Cocoa", "cacao", "hạt ca cao", "sô cô la", "chocolate"),
        C("alcoholic-drinks", "Đồ uống có cồn", "Alcoholic drinks", "rượu", "spirits", children=[
            C("rice-wine", "Rượu gạo", "Rice wine", "rượu đế", "rượu nếp", "rượu Bàu Đá"),
            C("fruit-wine", "Rượu trái cây", "Fruit wine", "rượu vang", "rượu sim", "wine"),
        ]),
        C("soft-drinks", "Đồ uống không cồn", "Non-alcoholic drinks", "nước giải khát", children=[
            C("fruit-juice", "Nước ép trái cây", "Fruit juice", "nước ép", "juice", "nước cốt"),
        ]),
    ]),

    C("herbal-products", "Thảo dược", "Herbal products", "dược liệu", "herbs", ocop_group=True, children=[
        C("ginseng", "Sâm", "Ginseng", "nhân sâm", children=[
            C("ngoc-linh-ginseng", "Sâm Ngọc Linh", "Ngoc Linh ginseng", "sâm Việt Nam", "Vietnamese ginseng", "Panax vietnamensis"),
        ]),
        C("medicinal-herbs", "Cây dược liệu", "Medicinal herbs", "thuốc nam", "medicinal plants", children=[
            C("herbal-tea", "Trà thảo dược", "Herbal tea", "trà atisô", "trà túi lọc thảo dược", "tisane"),
            C("turmeric", "Nghệ", "Turmeric", "tinh bột nghệ", "curcumin"),
            C("lingzhi", "Nấm linh chi", "Lingzhi mushroom", "linh chi", "reishi"),
            C("essential-oils", "Tinh dầu", "Essential oils", "tinh dầu sả", "tinh dầu quế", "essential oil"),
        ]),
        C("herbal-cosmetics", "Mỹ phẩm thảo dược", "Herbal cosmetics", "mỹ phẩm", "xà phòng thảo dược", "cosmetics"),
    ]),

    C("textiles-garments", "Vải và may mặc", "Textiles and garments", "dệt may", "textiles", ocop_group=True, children=[
        C("silk", "Lụa tơ tằm", "Silk", "tơ tằm", "lụa"),
        C("brocade", "Thổ cẩm", "Brocade", "vải thổ cẩm", "dệt thổ cẩm", "ethnic textiles"),
        C("garments", "Quần áo, may mặc", "Garments", "quần áo", "clothing"),
    ]),

    C("souvenirs-furniture-decoration", "Lưu niệm – nội thất – trang trí", "Souvenirs, furniture and decoration", "thủ công mỹ nghệ", "handicrafts", ocop_group=True, children=[
        C("bamboo-rattan-sedge", "Mây tre đan, cói", "Bamboo, rattan and sedge", "mây tre", "chiếu cói", "lục bình", "wickerwork"),
        C("wooden-furniture", "Đồ gỗ", "Wooden furniture", "đồ gỗ mỹ nghệ", "furniture"),
        C("ceramics", "Gốm sứ", "Ceramics", "gốm", "pottery"),
        C("lacquerware", "Sơn mài", "Lacquerware", "sơn mài", "lacquer"),
        C("flowers", "Hoa, cây cảnh", "Flowers and ornamental plants", "hoa", "hoa tươi", "cây cảnh", "cut flowers", "ornamental plants"),
    ]),

    C("community-tourism", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Community tourism, ecotourism and tourist sites", "du lịch", "tourism", ocop_group=True, children=[
        C("community-based-tourism", "Du lịch cộng đồng", "Community-based tourism", "homestay"),
        C("ecotourism", "Du lịch sinh thái", "Ecotourism", "du lịch nông nghiệp", "agritourism"),
        C("tourist-sites", "Điểm du lịch", "Tourist sites", "điểm tham quan", "làng nghề"),
    ]),

    C("seafood", "Thủy sản", "Seafood", "hải sản", "thủy hải sản", "aquatic products", "aquaculture", children=[
        C("shrimp", "Tôm", "Shrimp", "prawn", "tôm nguyên liệu", children=[
            C("black-tiger-shrimp", "Tôm sú", "Black tiger shrimp", "tôm sú", "tiger prawn", "Penaeus monodon"),
            C("whiteleg-shrimp", "Tôm thẻ chân trắng", "Whiteleg shrimp", "tôm thẻ", "vannamei", "white shrimp"),
            C("giant-river-prawn", "Tôm càng xanh", "Giant river prawn", "tôm càng", "freshwater prawn"),
            C("dried-shrimp", "Tôm khô", "Dried shrimp", "tôm khô"),
        ]),
        C("pangasius", "Cá tra", "Pangasius", "cá basa", "basa", "tra fish", "cá tra phi lê", "pangasius fillet"),
        C("fish", "Cá", "Fish", "cá biển", "cá nước ngọt", children=[
            C("tuna", "Cá ngừ", "Tuna", "cá ngừ đại dương"),
            C("dried-fish", "Khô cá", "Dried fish", "cá khô", "khô cá lóc", "khô cá sặc"),
        ]),
        C("crab", "Cua, ghẹ", "Crab", "cua", "ghẹ", "cua biển", "mud crab"),
        C("squid-octopus", "Mực, bạch tuộc", "Squid and octopus", "mực", "squid", "octopus"),
        C("bivalves", "Nghêu, sò, hàu", "Clams, cockles and oysters", "nghêu", "sò", "hàu", "clam", "oyster"),
    ]),
]
# fmt: on
