"""Certifications a supply holds and a demand may require (codes are the API's)."""

# (code, Vietnamese name, English name, description)
CERTIFICATIONS = [
    (
        "vietgap",
        "VietGAP",
        "VietGAP",
        "Thực hành sản xuất nông nghiệp tốt của Việt Nam / Vietnamese Good Agricultural Practices.",
    ),
    (
        "globalgap",
        "GlobalG.A.P.",
        "GlobalG.A.P.",
        "Tiêu chuẩn thực hành nông nghiệp tốt toàn cầu / Global good agricultural practice standard.",
    ),
    (
        "organic",
        "Hữu cơ",
        "Organic",
        "Chứng nhận hữu cơ (TCVN 11041, USDA, EU…) / Organic certification.",
    ),
    (
        "haccp",
        "HACCP",
        "HACCP",
        "Phân tích mối nguy và điểm kiểm soát tới hạn / Hazard analysis and critical control points.",
    ),
    (
        "iso22000",
        "ISO 22000",
        "ISO 22000",
        "Hệ thống quản lý an toàn thực phẩm / Food safety management system.",
    ),
    ("halal", "Halal", "Halal", "Chứng nhận Halal cho thị trường Hồi giáo / Halal certification."),
    (
        "gi",
        "Chỉ dẫn địa lý",
        "Geographical indication",
        "Sản phẩm mang chỉ dẫn địa lý được bảo hộ / Product under a protected geographical indication.",
    ),
    (
        "brc",
        "BRCGS",
        "BRCGS (BRC Global Standard)",
        "Tiêu chuẩn toàn cầu về an toàn thực phẩm BRCGS / BRCGS global food safety standard.",
    ),
    (
        "fairtrade",
        "Thương mại công bằng (Fairtrade)",
        "Fairtrade",
        "Chứng nhận Fairtrade / Fairtrade certification.",
    ),
    (
        "rainforest",
        "Rainforest Alliance",
        "Rainforest Alliance",
        "Chứng nhận nông nghiệp bền vững Rainforest Alliance / Sustainable agriculture certification.",
    ),
    (
        "4c",
        "4C (cà phê)",
        "4C (coffee)",
        "Bộ quy tắc chung cho cộng đồng cà phê / Common Code for the Coffee Community.",
    ),
    (
        "asc",
        "ASC (nuôi trồng thủy sản)",
        "ASC (aquaculture)",
        "Hội đồng quản lý nuôi trồng thủy sản / Aquaculture Stewardship Council.",
    ),
    (
        "bap",
        "BAP",
        "BAP (Best Aquaculture Practices)",
        "Thực hành nuôi trồng thủy sản tốt nhất / Best Aquaculture Practices.",
    ),
]
