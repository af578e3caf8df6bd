"""The province look-up of the forms (``catalog/views.py``)."""

from django.urls import reverse


def test_province_lookup_finds_legacy_and_unaccented_names(client, reference):
    url = reverse("accounts:lookup-provinces")

    legacy = client.get(url, {"q": "phu yen"}).content.decode()
    spelling = client.get(url, {"field": "province", "province": "tp hcm"}).content.decode()
    current = client.get(url, {"q": "lam dong"}).content.decode()
    too_short = client.get(url, {"q": "d"}).content.decode()

    assert "Phú Yên → Đắk Lắk" in legacy
    assert 'data-value="Đắk Lắk"' in legacy
    assert 'data-value="Hồ Chí Minh"' in spelling and "TP HCM →" in spelling
    assert 'data-value="Lâm Đồng"' in current and "→" not in current
    assert "suggestion" not in too_short
