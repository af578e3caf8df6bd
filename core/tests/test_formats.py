"""Dates day first in both languages (``core/formats/``): "07 Apr 2027" in English, never
the ambiguous 04/07/2027; 07/04/2027 in Vietnamese; the same as ``core.formatting``."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import format_date, unit_name

DAY = datetime.date(2027, 4, 7)


@pytest.mark.parametrize(("language", "expected"), [("en", "07 Apr 2027"), ("vi", "07/04/2027")])
def test_templates_write_dates_as_core_formatting_does(language, expected):
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date }}')

    with translation.override(language):
        short, long = template.render(Context({"day": DAY})).split("|")
        assert short == expected == format_date(DAY)
    if language == "en":
        assert long == "07 Apr 2027"


class _Unit:
    name, name_en = "tạ", "quintal (100 kg)"


@pytest.mark.parametrize(
    ("language", "explain", "expected"),
    [("en", False, "quintal"), ("en", True, "quintal (100 kg)"), ("vi", False, "tạ")],
)
def test_a_unit_explains_its_weight_only_where_needed(language, explain, expected):
    with translation.override(language):
        assert unit_name(_Unit(), explain=explain) == expected
