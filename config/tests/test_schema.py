"""The OpenAPI schema describes every body precisely and generates without a warning."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        # --fail-on-warn turns any drf-spectacular warning (an unguessable type, an enum
        # naming collision, a free-form field…) into an error.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _objects(node, where="#"):
    """Every (where, schema) in the document that declares ``type: object``."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def _enum(schemas, prop) -> list:
    """The values of a named enum a property refers to (directly or through allOf)."""
    ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
    return schemas[ref.rsplit("/", 1)[1]]["enum"]


def test_the_schema_generates_without_warnings_and_validates(schema_file):
    assert schema_file["openapi"].startswith("3.")
    assert "/api/v1/listings/" in schema_file["paths"]


def test_no_free_form_objects(schema_file):
    free_form = [
        where
        for where, node in _objects(schema_file)
        if "properties" not in node and not isinstance(node.get("additionalProperties"), dict)
    ]
    assert free_form == []


def test_listing_bodies(schema_file):
    schemas = schema_file["components"]["schemas"]
    listing, request = schemas["Listing"], schemas["ListingRequest"]
    read_only = {name for name, prop in listing["properties"].items() if prop.get("readOnly")}
    assert read_only == {
        "id",
        "organization_detail",
        "quantity_base",
        "base_unit",
        "effective_ocop_stars",
        "hidden",
        "created_at",
        "updated_at",
    }
    assert not read_only & set(request["properties"])
    assert set(request["required"]) == {
        "side",
        "organization",
        "title",
        "category",
        "quantity",
        "unit",
        "province",
        "available_from",
        "available_until",
    }
    assert "required" not in schemas["PatchedListingRequest"]
    assert _enum(schemas, request["properties"]["side"]) == ["supply", "demand"]
    assert _enum(schemas, listing["properties"]["status"]) == [
        "draft",
        "open",
        "paused",
        "closed",
        "expired",
    ]
    assert _enum(schemas, schemas["ListingOrganization"]["properties"]["kind"]) == _enum(
        schemas, schemas["Organization"]["properties"]["kind"]
    )
    organization = schemas["ListingOrganization"]["properties"]
    assert set(organization) == {"id", "name", "kind", "province", "province_name", "verified"}
    assert request["properties"]["title"]["maxLength"] == 200
    assert request["properties"]["description"]["maxLength"] == 5000
    assert request["properties"]["price_min"]["minimum"] == 0
    assert request["properties"]["certifications"]["type"] == "array"


def test_listing_filters_are_documented(schema_file):
    parameters = {
        p["name"]: p for p in schema_file["paths"]["/api/v1/listings/"]["get"]["parameters"]
    }
    assert set(parameters) >= {
        "side",
        "category",
        "province",
        "region",
        "status",
        "organization",
        "certification",
        "available_from",
        "available_until",
        "mine",
        "q",
        "ordering",
        "page",
        "page_size",
    }
    assert parameters["organization"]["schema"]["type"] == "integer"
    assert parameters["certification"]["schema"]["type"] == "array"
    assert "-price_min" in parameters["ordering"]["schema"]["enum"]


def test_organization_filters_are_documented(schema_file):
    parameters = {
        p["name"] for p in schema_file["paths"]["/api/v1/organizations/"]["get"]["parameters"]
    }
    assert parameters >= {"q", "mine", "province", "kind", "verified"}


def test_write_only_password(schema_file):
    schemas = schema_file["components"]["schemas"]
    assert "password" in schemas["RegisterRequest"]["properties"]
    assert "password" not in schemas.get("Register", {}).get("properties", {})
    assert "password" not in schemas["User"]["properties"]


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client):
    """No CDN script on the session-authenticated origin, and docs that work offline (#16.11)."""
    import re

    from django.contrib.staticfiles import finders

    html = client.get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = [s for s in sources if s.endswith((".js", ".css"))]
    assert scripts, html
    assert all(s.startswith("/static/drf_spectacular_sidecar/") for s in scripts), scripts
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    for source in scripts:
        assert finders.find(source.removeprefix("/static/")), source
