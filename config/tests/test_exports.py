"""Every export writes safe cells (issue 16, findings 4 and 5): no formula, no control character.

The probe's rows: titles and organization names starting with ``= + @`` (the match export wrote
them raw, in the XLSX as real formulas), and one old title holding ``\\x01\\x1b`` (openpyxl's
``IllegalCharacterError`` broke the listings XLSX export for everyone). Rows are poisoned with
``update()``, the way rows saved before the input cleaning look. Every export the admin offers
is found through the admin site, wherever its resource lives.
"""

import io

import pytest
import tablib
from django.contrib import admin
from django.test import RequestFactory
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

from accounts.models import Organization
from core.spreadsheets import SafeExportResource
from listings.models import Listing
from listings.resources import column_label
from matchmaking.models import Match
from matchmaking.tests.factories import supply_and_demand_match

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/x","Bấm")'


def _export_resources():
    request = RequestFactory().get("/admin/")
    request.user = None
    found = {}
    for model, model_admin in admin.site._registry.items():
        if hasattr(model_admin, "get_export_resource_classes"):
            found[model] = list(model_admin.get_export_resource_classes(request))
    return found


def test_every_admin_export_uses_the_safe_resource():
    resources = _export_resources()
    assert Listing in resources and Match in resources
    for model, classes in resources.items():
        assert classes and all(issubclass(c, SafeExportResource) for c in classes), model


@pytest.fixture
def poisoned(actors, reference):
    match = supply_and_demand_match(actors, reference)
    Listing.objects.filter(pk=match.supply_id).update(title=FORMULA)
    Listing.objects.filter(pk=match.demand_id).update(title="Mua\x01 cà phê\x1b[31m")
    Organization.objects.filter(pk=actors.supplier_org.pk).update(name="+HTX Ea Tu")
    Organization.objects.filter(pk=actors.buyer_org.pk).update(name="@Công ty\x07 Sài Gòn")
    return match


def _cells(model):
    (resource_class,) = _export_resources()[model]
    dataset = resource_class().export(model.objects.all())
    csv_rows = list(tablib.Dataset().load(CSV().export_data(dataset), format="csv").dict)
    sheet = load_workbook(io.BytesIO(XLSX().export_data(dataset))).active
    xlsx = [cell for row in sheet.iter_rows() for cell in row]
    return csv_rows, xlsx


def test_the_match_export_neutralises_formulas_and_survives_control_characters(poisoned):
    csv_rows, xlsx = _cells(Match)

    (row,) = csv_rows
    assert row["supply_title"] == "'" + FORMULA
    assert row["supply_organization"] == "'+HTX Ea Tu"
    assert row["demand_organization"] == "'@Công ty Sài Gòn"
    assert row["demand_title"] == "Mua cà phê[31m"
    assert not [c for c in xlsx if c.data_type == "f"]  # not a single formula cell
    assert "'" + FORMULA in [c.value for c in xlsx]


def test_the_listing_export_survives_an_old_title_with_control_characters(poisoned):
    csv_rows, xlsx = _cells(Listing)

    title = column_label("title")  # the export names its columns in the active language
    assert {row[title] for row in csv_rows} == {"'" + FORMULA, "Mua cà phê[31m"}
    assert not [c for c in xlsx if c.data_type == "f"]
    assert "Mua cà phê[31m" in [c.value for c in xlsx]
