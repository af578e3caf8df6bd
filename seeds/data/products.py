"""A catalogue of well-known specialties and OCOP-type goods of the provinces the articles name.

``province`` is the name people use for the place of origin, often a pre-2025 province
("Kon Tum", "Sóc Trăng"); the loader resolves it to the CURRENT province through
``Province.objects.resolve``. ``gi`` is set only for long-established registered
geographical indications (source: the IP Office's register). OCOP stars are left empty: a
star rating belongs to one producer's product, not to a regional specialty.
"""

from seeds.data.sources import GI_REGISTER, OCOP_PROVINCIAL, ST25_AWARD


class P:
    """One product row; keyword arguments keep the table readable."""

    def __init__(self, name, name_en, category, province, *, gi=False, source=None, note=""):
        self.name = name
        self.name_en = name_en
        self.category = category
        self.province = province
        self.gi = gi
        self.source = source or (GI_REGISTER if gi else OCOP_PROVINCIAL)
        self.description = note


PRODUCTS = [
    # --- Central Highlands -----------------------------------------------------------------
    P(
        "Cà phê Buôn Ma Thuột",
        "Buon Ma Thuot coffee",
        "robusta",
        "Đắk Lắk",
        gi=True,
        note="Robusta cà phê nhân vùng Buôn Ma Thuột; chỉ dẫn địa lý. / Robusta green coffee from the Buôn Ma Thuột area; a geographical indication.",
    ),
    P(
        "Sầu riêng Đắk Lắk",
        "Dak Lak durian",
        "durian",
        "Đắk Lắk",
        note="Sầu riêng Ri6 và Monthong trồng xen trong vườn cà phê. / Ri6 and Monthong durian, often intercropped with coffee.",
    ),
    P(
        "Bơ Đắk Lắk",
        "Dak Lak avocado",
        "avocado",
        "Đắk Lắk",
        note="Bơ sáp, bơ Booth và bơ 034, thu hoạch mùa hè. / Butter, Booth and 034 avocados, harvested in summer.",
    ),
    P("Hồ tiêu Đắk Lắk", "Dak Lak black pepper", "pepper", "Đắk Lắk"),
    P("Hồ tiêu Đắk Nông", "Dak Nong black pepper", "pepper", "Đắk Nông"),
    P("Mắc ca Đắk Nông", "Dak Nong macadamia", "macadamia", "Đắk Nông"),
    P(
        "Cà phê Arabica Cầu Đất",
        "Cau Dat arabica coffee",
        "arabica",
        "Lâm Đồng",
        note="Arabica trồng ở vùng cao Cầu Đất, Đà Lạt. / Arabica grown on the Cầu Đất highlands near Đà Lạt.",
    ),
    P("Trà Ô long Bảo Lộc", "Bao Loc oolong tea", "oolong-tea", "Lâm Đồng"),
    P(
        "Trà Atisô Đà Lạt",
        "Da Lat artichoke tea",
        "herbal-tea",
        "Lâm Đồng",
        note="Trà túi lọc và cao atisô, đặc sản Đà Lạt. / Artichoke tea and extract, a Đà Lạt specialty.",
    ),
    P(
        "Rau Đà Lạt",
        "Da Lat vegetables",
        "leafy-vegetables",
        "Lâm Đồng",
        note="Rau ôn đới (cải, xà lách, bắp cải) trồng ở Đà Lạt. / Temperate vegetables (lettuce, cabbage) grown around Đà Lạt.",
    ),
    P("Hoa Đà Lạt", "Da Lat flowers", "flowers", "Lâm Đồng"),
    P("Thanh long Bình Thuận", "Binh Thuan dragon fruit", "dragon-fruit", "Bình Thuận", gi=True),
    P("Hồ tiêu Chư Sê", "Chu Se black pepper", "pepper", "Gia Lai"),
    P("Cà phê Gia Lai", "Gia Lai robusta coffee", "robusta", "Gia Lai"),
    P(
        "Sâm Ngọc Linh",
        "Ngoc Linh ginseng",
        "ngoc-linh-ginseng",
        "Kon Tum",
        note="Sâm Ngọc Linh trồng dưới tán rừng núi Ngọc Linh (Kon Tum cũ). / Ngọc Linh ginseng grown under forest cover on Mount Ngọc Linh (former Kon Tum).",
    ),
    P(
        "Sâm Ngọc Linh Quảng Nam",
        "Quang Nam Ngoc Linh ginseng",
        "ngoc-linh-ginseng",
        "Quảng Nam",
        note="Sâm Ngọc Linh vùng Nam Trà My (Quảng Nam cũ). / Ngọc Linh ginseng from Nam Trà My (former Quảng Nam).",
    ),
    # --- North --------------------------------------------------------------------------
    P("Hạt dẻ Trùng Khánh", "Trung Khanh chestnut", "chestnut", "Cao Bằng", gi=True),
    P("Hồng không hạt Bắc Kạn", "Bac Kan seedless persimmon", "persimmon", "Bắc Kạn"),
    P("Quýt Bắc Kạn", "Bac Kan mandarin", "mandarin", "Bắc Kạn", gi=True),
    P(
        "Miến dong Na Rì",
        "Na Ri arrowroot vermicelli",
        "noodles",
        "Bắc Kạn",
        note="Miến làm từ tinh bột dong riềng ở huyện Na Rì (Bắc Kạn cũ). / Arrowroot vermicelli from Na Rì district (former Bắc Kạn).",
    ),
    P("Chè Tân Cương", "Tan Cuong green tea", "green-tea", "Thái Nguyên", gi=True),
    P("Chè Shan tuyết Mộc Châu", "Moc Chau Shan tuyet tea", "shan-tuyet-tea", "Sơn La", gi=True),
    P("Mật ong bạc hà Mèo Vạc", "Meo Vac mint honey", "honey", "Hà Giang", gi=True),
    P("Quế Văn Yên", "Van Yen cinnamon", "cinnamon", "Yên Bái", gi=True),
    P("Hoa hồi Lạng Sơn", "Lang Son star anise", "star-anise", "Lạng Sơn", gi=True),
    P("Vải thiều Lục Ngạn", "Luc Ngan lychee", "lychee", "Bắc Giang", gi=True),
    P("Vải thiều Thanh Hà", "Thanh Ha lychee", "lychee", "Hải Dương", gi=True),
    P("Nhãn lồng Hưng Yên", "Hung Yen longan", "longan", "Hưng Yên", gi=True),
    P("Bưởi Đoan Hùng", "Doan Hung pomelo", "pomelo", "Phú Thọ", gi=True),
    P("Cam Cao Phong", "Cao Phong orange", "orange", "Hòa Bình", gi=True),
    P("Gạo tám xoan Hải Hậu", "Hai Hau tam xoan rice", "fragrant-rice", "Nam Định", gi=True),
    P("Nem chua Thanh Hóa", "Thanh Hoa fermented pork roll", "cured-meats", "Thanh Hóa"),
    P("Cam Vinh", "Vinh orange", "orange", "Nghệ An", gi=True),
    P("Bưởi Phúc Trạch", "Phuc Trach pomelo", "pomelo", "Hà Tĩnh", gi=True),
    P("Kẹo cu đơ Hà Tĩnh", "Ha Tinh cu do peanut candy", "confectionery", "Hà Tĩnh"),
    P(
        "Cà phê Khe Sanh",
        "Khe Sanh coffee",
        "arabica",
        "Quảng Trị",
        note="Cà phê vùng Hướng Hóa, Khe Sanh. / Coffee from Hướng Hóa district around Khe Sanh.",
    ),
    P("Mè xửng Huế", "Hue sesame candy", "confectionery", "Thừa Thiên Huế"),
    P("Tỏi Lý Sơn", "Ly Son garlic", "garlic", "Quảng Ngãi", gi=True),
    P("Quế Trà My", "Tra My cinnamon", "cinnamon", "Quảng Nam", gi=True),
    P("Yến sào Khánh Hòa", "Khanh Hoa bird's nest", "birds-nest", "Khánh Hòa"),
    # --- South and Mekong Delta ---------------------------------------------------------------
    P("Hạt điều Bình Phước", "Binh Phuoc cashew", "cashew", "Bình Phước"),
    P("Măng cụt Lái Thiêu", "Lai Thieu mangosteen", "mangosteen", "Bình Dương"),
    P("Bánh tráng phơi sương Trảng Bàng", "Trang Bang dew-dried rice paper", "noodles", "Tây Ninh"),
    P("Xoài cát Hòa Lộc", "Hoa Loc mango", "mango", "Tiền Giang", gi=True),
    P("Hạt sen Đồng Tháp", "Dong Thap lotus seeds", "lotus-seeds", "Đồng Tháp"),
    P("Cá tra Đồng Tháp", "Dong Thap pangasius", "pangasius", "Đồng Tháp"),
    P("Bưởi da xanh Bến Tre", "Ben Tre green-skin pomelo", "pomelo", "Bến Tre"),
    P("Nước mắm Phú Quốc", "Phu Quoc fish sauce", "fish-sauce", "Kiên Giang", gi=True),
    P("Mắm Châu Đốc", "Chau Doc fermented fish", "fermented-seafood", "An Giang"),
    P("Đường thốt nốt An Giang", "An Giang palm sugar", "sugar", "An Giang"),
    P(
        "Gạo ST25",
        "ST25 rice",
        "fragrant-rice",
        "Sóc Trăng",
        source=ST25_AWARD,
        note="Giống lúa thơm lai tạo ở Sóc Trăng, đạt giải Gạo ngon nhất thế giới 2019. / Fragrant rice bred in Sóc Trăng, named World's Best Rice in 2019.",
    ),
    P("Bánh pía Sóc Trăng", "Soc Trang pia cake", "confectionery", "Sóc Trăng"),
    P("Khóm Cầu Đúc", "Cau Duc pineapple", "pineapple", "Hậu Giang"),
    P("Cá tra Cần Thơ", "Can Tho pangasius", "pangasius", "Cần Thơ"),
    P(
        "Tôm sú Cà Mau",
        "Ca Mau black tiger shrimp",
        "black-tiger-shrimp",
        "Cà Mau",
        note="Tôm sú nuôi quảng canh, tôm - rừng và tôm - lúa ở Cà Mau. / Black tiger shrimp from extensive, shrimp–mangrove and shrimp–rice farms.",
    ),
    P("Cua Cà Mau", "Ca Mau mud crab", "crab", "Cà Mau"),
    P("Mật ong rừng U Minh", "U Minh forest honey", "honey", "Cà Mau"),
    P("Tôm thẻ chân trắng Bạc Liêu", "Bac Lieu whiteleg shrimp", "whiteleg-shrimp", "Bạc Liêu"),
    P("Muối Bạc Liêu", "Bac Lieu sea salt", "salt", "Bạc Liêu"),
]
