"""The Vietnamese/English concept table, parsed once for search and for matching.

"coffee" also finds "cà phê" and "ca phe". Each line of :data:`CONCEPTS` is one concept: its
canonical English tokens, then its spellings in any language, with or without diacritics
(folded on load). A phrase may stand for several tokens ("cà phê vối" is robusta coffee). When
two lines list the same spelling, the first keeps it ("tiêu" is pepper).

Matching reads a spelling as the concept's tokens, search as all the concept's spellings
(:mod:`catalog.text.concepts` does both).
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.text.fold import fold

CONCEPTS = """
coffee | cà phê; ca phe; cafe; café; coffee; coffees; caphe
coffee robusta | robusta; cà phê vối; cà phê robusta; robusta coffee
coffee arabica | arabica; cà phê chè; cà phê arabica; arabica coffee
coffee peaberry | culi; cà phê culi; peaberry
coffee liberica | liberica; cà phê mít; cà phê liberica; excelsa
coffee kernel | green coffee; green coffee beans; cà phê hạt xanh
coffee roasted | cà phê rang; cà phê rang xay; roasted coffee; rang xay
coffee instant | cà phê hòa tan; instant coffee
pepper | hồ tiêu; hồ tiêu đen; tiêu; tiêu đen; hạt tiêu; pepper; black pepper; peppercorn; peppercorns
pepper white | tiêu trắng; tiêu sọ; white pepper
durian | sầu riêng; durian; durians; ri6; monthong; musang king
avocado | avocado; avocados
pomelo | bưởi; bưởi da xanh; bưởi năm roi; bưởi diễn; pomelo; pomelos; grapefruit
rice | gạo; lúa; lúa gạo; rice; paddy; thóc; st25; st 25; jasmine rice; gạo tẻ
rice glutinous | gạo nếp; nếp; glutinous rice; sticky rice
rice brown | gạo lứt; brown rice
shrimp | tôm; shrimp; shrimps; prawn; prawns; tôm sú; tôm càng; black tiger shrimp; tiger prawn
shrimp whiteleg | tôm thẻ; tôm thẻ chân trắng; whiteleg shrimp; white shrimp; vannamei
crab | cua biển; cua gạch; cua thịt; crab; crabs; mud crab
lobster | tôm hùm; lobster; lobsters
pangasius | cá tra; cá basa; cá ba sa; pangasius; basa; basa fish; tra fish
tea | chè; trà; tea; teas; chè búp; trà xanh; green tea; chè xanh
tea oolong | ô long; olong; oolong
tea black | hồng trà; trà đen; black tea
chestnut | hạt dẻ; dẻ; chestnut; chestnuts
persimmon | hồng; quả hồng; hồng giòn; hồng treo gió; hồng dẻo; persimmon; persimmons
sapodilla | hồng xiêm; sapoche; sapodilla
ginseng | sâm; ginseng
honey | mật ong; honey
cashew | điều; hạt điều; điều thô; cashew; cashews; cashew nut; cashew nuts
cashew kernel | cashew kernel; cashew kernels
mango | xoài; xoài cát; xoài keo; mango; mangoes; mangos
dragonfruit | thanh long; dragon fruit; dragonfruit; pitaya
lychee | vải; vải thiều; lychee; lychees; litchi
longan | longan; longans
macadamia | mắc ca; macca; macadamia
cocoa | ca cao; cacao; cocoa; cocoa beans; hạt ca cao
chocolate | sô cô la; socola; chocolate
fishsauce | nước mắm; fish sauce; mắm
beef | beef
pork | thịt lợn; thịt heo; lợn; heo; pork; pig; pigs
chicken | gà; thịt gà; gà ta; chicken; chickens
duck | vịt; thịt vịt; duck; ducks
egg | trứng; egg; eggs
milk | sữa; sữa tươi; milk; fresh milk
cattle | cattle; cow; cows
butter | butter
banana | chuối; banana; bananas
pineapple | dứa; thơm; khóm; pineapple; pineapples
coconut | dừa; coconut; coconuts
jackfruit | mít; jackfruit
passionfruit | chanh dây; chanh leo; passion fruit; passionfruit
rambutan | chôm chôm; rambutan
mangosteen | măng cụt; mangosteen
orange | cam; cam sành; cam vinh; orange; oranges
almond | almond; almonds
eggplant | cà tím; eggplant; aubergine
tangerine | quýt; tangerine; mandarin
lime | chanh; chanh không hạt; lime; limes; lemon; lemons
watermelon | dưa hấu; watermelon
guava | ổi; guava
plum | mận; plum; plums
starapple | vú sữa; star apple
custardapple | mãng cầu; na; custard apple; soursop
strawberry | dâu tây; strawberry; strawberries
papaya | đu đủ; papaya
cassava | sắn; khoai mì; cassava; tapioca
sweetpotato | khoai lang; sweet potato; sweet potatoes
potato | khoai tây; potato; potatoes
taro | khoai môn; taro
carrot | cà rốt; carrot; carrots
corn | ngô; bắp; corn; maize
soybean | đậu nành; đậu tương; soybean; soybeans; soy
peanut | đậu phộng; lạc; peanut; peanuts; groundnut
sesame | mè; vừng; sesame
mungbean | đậu xanh; mung bean; mung beans
cinnamon | quế; cinnamon
staranise | hồi; hoa hồi; star anise
cardamom | thảo quả; cardamom
ginger | gừng; ginger
turmeric | nghệ; turmeric
garlic | tỏi; garlic
shallot | hành tím; hành; shallot; shallots; onion; onions
chili | ớt; chili; chilli; chilies; chillies
lemongrass | sả; lemongrass
cabbage | bắp cải; cải bắp; cabbage
lettuce | xà lách; lettuce
tomato | cà chua; tomato; tomatoes
cucumber | dưa chuột; dưa leo; cucumber; cucumbers
pumpkin | bí đỏ; bí ngô; pumpkin
mushroom | nấm; mushroom; mushrooms; nấm rơm; nấm hương; shiitake
lingzhi | nấm linh chi; linh chi; lingzhi; reishi
lotus | sen; hạt sen; lotus
squid | mực; squid
crab | cua; ghẹ; crab; crabs
clam | nghêu; ngao; clam; clams
oyster | hàu; oyster; oysters
tuna | cá ngừ; tuna
tilapia | cá rô phi; tilapia
mackerel | cá thu; mackerel
fish | cá; fish
seafood | thủy sản; hải sản; seafood; aquatic products
rubber | cao su; mủ cao su; rubber; latex
sugarcane | mía; sugarcane; sugar cane
sugar | đường cát; đường kính; đường mía; đường trắng; đường phèn; sugar
bambooshoot | măng; măng tre; bamboo shoot; bamboo shoots
rattan | mây; mây tre; mây tre đan; rattan; bamboo ware
silk | lụa; tơ tằm; silk
brocade | thổ cẩm; brocade
fabric | vải thổ cẩm; vải dệt; fabric; textile; textiles
ceramics | gốm; gốm sứ; ceramics; pottery
herbs | dược liệu; medicinal herbs; herbs; herbal
vegetable | rau; rau củ; rau xanh; vegetable; vegetables; greens
fruit | trái cây; hoa quả; trái; quả; fruit; fruits
meat | thịt; meat
nut | hạt; nut; nuts; seeds
rose | hoa hồng; rose; roses
flower | hoa; flower; flowers
dried | sấy; sấy khô; khô; dried; dry; dehydrated
frozen | đông lạnh; cấp đông; frozen
fresh | tươi; fresh
powder | bột; powder; ground
fillet | phi lê; phile; fillet; fillets
roasted | rang; rang muối; roasted
organic | hữu cơ; organic
instant | hòa tan; instant
oil | dầu; oil
wine | rượu; rượu vang; wine
noodle | bún; phở; miến; hủ tiếu; noodle; noodles; vermicelli
kernel | kernel; kernels
pink | ruột hồng; ruột đỏ; pink flesh; red flesh
"""


@dataclass(frozen=True)
class Concept:
    tokens: tuple[str, ...]  # canonical English tokens: ("coffee", "robusta")
    spellings: tuple[str, ...]  # every folded spelling, in the table's order


def _parse(table: str) -> dict[tuple[str, ...], Concept]:
    """Folded spelling (as words) -> the first concept that lists it."""
    claimed: dict[tuple[str, ...], Concept] = {}
    for line in table.strip().splitlines():
        tokens, phrases = line.split("|")
        spellings = tuple(dict.fromkeys(f for f in (fold(p) for p in phrases.split(";")) if f))
        concept = Concept(tokens=tuple(tokens.split()), spellings=spellings)
        for spelling in spellings:
            claimed.setdefault(tuple(spelling.split()), concept)
    return claimed


BY_SPELLING = _parse(CONCEPTS)
