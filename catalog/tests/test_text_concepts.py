"""One reading of text for matching (concept tokens) and search (spellings to look for)."""

import pytest

from catalog.text.concepts import (
    PHRASES,
    SENSE_TOKENS,
    concept_tokens,
    cut,
    mark_accents,
    search_terms,
    sense_words,
)


def test_cutting_takes_the_longest_known_phrase_first():
    table = {("ca", "phe"): "coffee", ("ca", "phe", "che"): "arabica", ("che",): "tea"}
    assert cut(["ca", "phe", "che", "ngon"], table, 3) == [
        (("ca", "phe", "che"), "arabica"),
        (("ngon",), None),
    ]
    assert cut(["che", "ca", "phe"], table, 3) == [
        (("che",), "tea"),
        (("ca", "phe"), "coffee"),
    ]


def test_the_accent_pre_pass_marks_the_words_folding_would_merge():
    assert mark_accents("Bơ sáp").split() == ["avocado", "sáp"]
    assert mark_accents("Thịt BÒ").split() == ["thịt", "beef"]
    assert mark_accents("Sữa bò tươi").split() == ["milk", "tươi"]
    assert mark_accents("Nhãn lồng").split() == ["longan", "lồng"]
    assert mark_accents("hạnh nhân").split() == ["almond"]
    # Words that merely contain the letters are left alone.
    assert mark_accents("bông bột") == "bông bột"


def test_matching_reads_accented_unaccented_and_english_alike():
    assert (
        concept_tokens("Cà phê vối")
        == concept_tokens("robusta coffee")
        == {
            "coffee",
            "robusta",
        }
    )
    assert concept_tokens("cà phê chè") == {"coffee", "arabica"}
    assert concept_tokens("Cần mua 20 tấn gạo") == {"rice"}  # stop words and numbers
    assert concept_tokens("tiêu dùng") == frozenset()  # a stop phrase, not pepper
    assert concept_tokens("mangosteens") == {"mangosteen"}


def test_matching_tells_avocado_from_beef():
    assert concept_tokens("Bơ sáp") == {"avocado"}
    assert concept_tokens("thịt bò") == concept_tokens("thit bo") == {"meat", "beef"}
    assert concept_tokens("bo") == {"bo"}  # unaccented and alone: ambiguous
    assert ("bo",) not in PHRASES


def test_sense_words_are_what_folding_cannot_keep():
    assert {"avocado", "beef", "longan", "kernel", "butter", "milk"} <= SENSE_TOKENS
    assert sense_words("Bơ sáp Đắk Lắk", None, "") == "avocado"
    assert sense_words("Cà phê Robusta nhân xô") == "kernel"
    assert sense_words("trai bo sap") == "avocado"  # an unaccented sense phrase decides
    assert sense_words("Cà phê Robusta", "coffee") == ""


def test_search_looks_for_every_spelling_of_each_concept():
    whole, concepts = search_terms("Coffee Robusta")
    assert whole == ("coffee robusta",)
    assert len(concepts) == 2
    assert {"coffee", "ca phe", "cafe"} <= set(concepts[0])
    assert {"robusta", "ca phe voi"} <= set(concepts[1])
    # A known phrase is one concept, not its words.
    [robusta] = search_terms("cà phê vối")[1]
    assert robusta[0] == "ca phe voi" and "robusta" in robusta


def test_search_knows_the_accent_pre_pass():
    assert search_terms("bơ")[1] == [("avocado", "avocados")]
    assert search_terms("bò")[1] == [("beef",)]
    assert search_terms("bo")[1] == [("bo",)]  # unaccented: any "bo"


@pytest.mark.parametrize("query", ["", "   ", None, "!!"])
def test_an_empty_query_looks_for_nothing(query):
    assert search_terms(query) == ((), [])


def test_search_reads_at_most_eight_words():
    whole, concepts = search_terms("một hai ba bốn năm sáu bảy tám chín mười")
    assert len(whole[0].split()) == 8
    assert len(concepts) == 8
