"""Form fields that read and show numbers in the page's language."""

from decimal import Decimal

from django import forms
from django.utils import translation

from core.forms import LocalizedDecimalField, LocalizedIntegerField


class QuantityForm(forms.Form):
    quantity = LocalizedDecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    price = LocalizedIntegerField(required=False, min_value=0)


def _clean(language, **data):
    with translation.override(language):
        form = QuantityForm(data=data)
        form.is_valid()
        return form


def test_vietnamese_decimals_and_thousands():
    form = _clean("vi", quantity="2,5", price="95.000.000")
    assert form.cleaned_data == {"quantity": Decimal("2.5"), "price": 95000000}


def test_english_decimals_and_thousands():
    form = _clean("en", quantity="2.5", price="95,000,000")
    assert form.cleaned_data == {"quantity": Decimal("2.5"), "price": 95000000}


def test_an_ambiguous_price_is_a_form_error_not_a_guess():
    form = _clean("vi", quantity="1", price="95,000")
    assert "price" in form.errors and "95000" in form.errors["price"][0]


def test_a_price_with_decimals_is_refused():
    form = _clean("vi", quantity="1", price="95,5")
    assert form.errors["price"] == ["Enter a whole number (no decimals)."] or form.errors["price"]


def test_the_box_shows_the_value_as_the_language_writes_it():
    for language, expected in (("vi", 'value="20.000,5"'), ("en", 'value="20,000.5"')):
        with translation.override(language):
            html = str(QuantityForm(initial={"quantity": Decimal("20000.5")})["quantity"])
        assert expected in html
        assert 'inputmode="decimal"' in html and 'type="text"' in html
        assert "step=" not in html


def test_what_was_typed_is_shown_back_after_an_error():
    with translation.override("vi"):
        form = QuantityForm(data={"quantity": "2,500"})
        assert not form.is_valid()
        assert 'value="2,500"' in str(form["quantity"])
