"""Folding: the key every search and every name comparison is made on."""

import pytest

from catalog.text import fold, fold_compact, search_blob


@pytest.mark.parametrize("text", ["Cà phê", "ca phe", "CA PHÊ", "  cà   phê! "])
def test_diacritics_case_and_punctuation_fold_away(text):
    assert fold(text) == "ca phe"


def test_d_with_stroke_becomes_d():
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("đường") == "duong"


def test_compact_folding_meets_run_together_spellings():
    assert fold_compact("Đắk Lắk") == fold_compact("Dak Lak") == fold_compact("Daklak")


def test_empty_text_folds_to_nothing():
    assert fold(None) == fold("") == fold("—!") == ""


def test_search_blob_keeps_each_folded_part_once():
    assert search_blob("Cà phê", "ca phe", None, "Coffee") == "ca phe | coffee"
