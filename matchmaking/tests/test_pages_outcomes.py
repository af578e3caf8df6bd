"""The officers' outcome dashboard, its CSV downloads, and the public programme pages: who may
see them, and that their numbers are the rows counted in Python for each filter."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from catalog.models import ProductCategory
from listings.models import Listing
from matchmaking.tests.factories_stats import build_world, expected_stats

pytestmark = pytest.mark.django_db
URL = "/outcomes/"


@pytest.fixture
def world(actors, reference):
    return build_world(actors, reference)


def _csv(client, key, **params) -> list[list[str]]:
    response = client.get(f"/outcomes/{key}.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/outcomes/funnel.csv").status_code == 302


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider"])
def test_members_are_403(client, actors, world, who):
    client.force_login(getattr(actors, who))
    assert client.get(URL).status_code == 403
    assert client.get("/outcomes/funnel.csv").status_code == 403


def test_officer_sees_every_chart_with_its_table(client, actors, world):
    client.force_login(actors.officer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("funnel", "months", "provinces", "categories", "decline-reasons"):
        assert f'data-testid="outcome-{key}"' in html
        assert f'id="chart-{key}"' in html  # the chart's data
        assert f'data-testid="csv-{key}"' in html
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "vendor/plotly.min.js" in html
    # Vietnamese digit grouping: 150 000 000 ₫ of contracts, 120 000 000 ₫ delivered.
    assert "150.000.000 ₫" in html
    assert "120.000.000 ₫" in html


def _params(world):
    today = timezone.localdate()
    return [
        {},
        {"programme": world.programme.slug},
        {"event": str(world.event.pk)},
        {"province": "68"},
        {"region": "southeast"},
        {"category": "coffee"},
        {"from": (today - datetime.timedelta(days=16)).isoformat()},
        {
            "from": (today - datetime.timedelta(days=60)).isoformat(),
            "to": (today - datetime.timedelta(days=9)).isoformat(),
        },
    ]


def test_csv_numbers_equal_the_rows_counted_for_each_filter(client, actors, world):
    client.force_login(actors.officer)
    for params in _params(world):
        want = expected_stats(params)
        funnel = _csv(client, "funnel", **params)
        assert [int(r[1]) for r in funnel[1:]] == [
            want["listings"]["supply"] + want["listings"]["demand"],
            want["matches"]["proposed"],
            want["matches"]["connected"],
            want["deals"]["contract_signed"],
            want["deals"]["completed"],
        ], params
        months = _csv(client, "months", **params)[1:]
        assert sum(int(r[3]) for r in months) == want["contract_value_vnd"], params
        assert sum(int(r[4]) for r in months) == want["delivered_value_vnd"], params
        assert sum(int(r[1]) for r in months) == want["matches"]["connected"], params
        provinces = _csv(client, "provinces", **params)[1:]
        assert sorted(int(r[3]) for r in provinces) == sorted(
            v["connected"] for v in want["by_province"].values()
        ), params
        declined = _csv(client, "decline-reasons", **params)[1:]
        assert sum(int(r[1]) for r in declined) == want["matches"]["declined"], params
        lost = _csv(client, "lost-reasons", **params)[1:]
        assert sum(int(r[1]) for r in lost) == want["deals"]["lost"], params
        shares = _csv(client, "connections", **params)[1:]
        assert [int(r[1]) for r in shares] == [
            want["connections"]["total"],
            want["connections"]["small_producers"],
            want["connections"]["remote_provinces"],
        ], params
        page = client.get(URL, params).content.decode()
        median = want["median_days_to_connection"]
        shown = "—" if median is None else f"{median:g}".replace(".", ",")
        assert f'data-testid="median-days">{shown}<' in page, params


def test_csv_headings_in_the_page_language(client, actors, world):
    client.force_login(actors.officer)
    rows = _csv(client, "months")
    assert rows[0][0] == "Tháng"
    client.cookies["django_language"] = "en"
    assert _csv(client, "months")[0][0] == "Month"


def test_csv_cells_cannot_run_as_formulas(client, actors, reference, world):
    ProductCategory.objects.filter(pk=reference.durian.pk).update(
        name='=HYPERLINK("http://evil.example","x")', name_en="=cmd|' /C calc'!A0"
    )
    client.force_login(actors.officer)
    names = [r[0] for r in _csv(client, "categories")[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(n.startswith("=") for n in names)


def test_bad_filters_show_the_field_message(client, actors, world):
    client.force_login(actors.officer)
    response = client.get(URL, {"from": "2026-05-02", "to": "2026-05-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc" in response.content.decode() or response.context["form"].errors["to"]
    assert client.get("/outcomes/funnel.csv", {"province": "zz"}).status_code == 400
    assert client.get("/outcomes/nothing.csv").status_code == 404


def test_the_filter_form_offers_the_choices(client, actors, world):
    client.force_login(actors.officer)
    html = client.get(URL).content.decode()
    assert f'<option value="{world.programme.slug}"' in html
    assert '<option value="central-highlands"' in html
    assert 'type="date"' in html


def test_admin_index_links_the_dashboard(client, actors, world):
    client.force_login(actors.officer)
    html = client.get("/admin/").content.decode()
    assert 'href="/outcomes/"' in html


# --- the public programme pages --------------------------------------------------------------


def test_programme_page_is_public_and_names_no_organization(client, actors, world):
    from catalog.models import Source
    from matchmaking.models import ReportedFigure

    ReportedFigure.objects.create(
        event=world.event,
        key="partner-provinces",
        label="Số tỉnh hợp tác",
        label_en="Partner provinces",
        value=9,
        unit="tỉnh",
        period="2024",
        source=Source.objects.get(key="test-programme"),
    )
    response = client.get(f"/programmes/{world.programme.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    want = expected_stats({"programme": world.programme.slug})
    assert f'data-testid="measured-connected">{want["matches"]["connected"]}<' in html
    assert f'data-testid="measured-contracts">{want["deals"]["contract_signed"]}<' in html
    assert "150.000.000 ₫" in html
    for org in (actors.supplier_org, actors.buyer_org, actors.outsider_org, world.processor):
        assert org.name not in html
    # The reported 9 partner provinces beside the two members with listings on the platform.
    assert "Số tỉnh hợp tác" in html
    row = html.split("Số tỉnh hợp tác", 1)[1].split("</tr>", 1)[0]
    assert "<td>9 tỉnh</td>" in row and "<td>2</td>" in row
    assert "Đắk Lắk" in html and "Hồ Chí Minh" in html
    assert f'href="/events/{world.event.pk}/"' in html


def test_programme_page_hides_draft_events_and_unknown_slug_is_404(client, world):
    world.event.status = "draft"
    world.event.save(update_fields=["status"])
    html = client.get(f"/programmes/{world.programme.slug}/").content.decode()
    assert f'href="/events/{world.event.pk}/"' not in html
    assert client.get("/programmes/no-such-programme/").status_code == 404


def test_programme_list_links_each_programme(client, world):
    html = client.get("/programmes/").content.decode()
    assert f'href="/programmes/{world.programme.slug}/"' in html
    event_page = client.get(f"/events/{world.event.pk}/").content.decode()
    assert f'href="/programmes/{world.programme.slug}/"' in event_page


def test_drafts_are_not_counted(client, actors, world):
    client.force_login(actors.officer)
    before = expected_stats({})["listings"]["supply"]
    Listing.objects.filter(status="draft").update(status="open")
    assert expected_stats({})["listings"]["supply"] == before + 1
    funnel = _csv(client, "funnel")
    assert int(funnel[1][1]) == before + 1 + expected_stats({})["listings"]["demand"]
