"""The concept table: parsed once, each spelling claimed by the first concept that lists it."""

from catalog.text.fold import fold
from catalog.text.synonyms import BY_SPELLING, CONCEPTS


def test_every_spelling_is_folded_and_points_at_its_concept():
    coffee = BY_SPELLING[("ca", "phe")]
    assert coffee.tokens == ("coffee",)
    assert {"ca phe", "coffee", "cafe", "caphe"} <= set(coffee.spellings)
    assert BY_SPELLING[("coffee",)] is coffee
    robusta = BY_SPELLING[("ca", "phe", "voi")]
    assert robusta.tokens == ("coffee", "robusta")


def test_the_first_concept_keeps_a_shared_spelling():
    # "tiêu" is listed for pepper before anything else claims it.
    assert BY_SPELLING[("tieu",)].tokens == ("pepper",)
    # "hồng" is persimmon; "hoa hồng" (a longer phrase) is the rose.
    assert BY_SPELLING[("hong",)].tokens == ("persimmon",)
    assert BY_SPELLING[("hoa", "hong")].tokens == ("rose",)


def test_every_line_of_the_table_is_read():
    lines = CONCEPTS.strip().splitlines()
    firsts = {tuple(fold(line.split("|")[1].split(";")[0]).split()) for line in lines}
    assert firsts <= set(BY_SPELLING)
    assert len({c.tokens for c in BY_SPELLING.values()}) >= 40
