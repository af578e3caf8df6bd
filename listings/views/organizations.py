"""The public profile of an organization: who it is, what it offers and holds, its open
listings. Contacts follow the match pages' rule (``{% contacts_open %}``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import Organization
from catalog.models import Certification, Product
from listings import selectors
from listings.models import Listing
from listings.views.present import present

PAGE_SIZE = 12


@require_GET
def organization_profile(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("province"), pk=pk)
    open_listings = (
        selectors.listings_visible_to(request.user)
        .open()
        .filter(organization=organization)
        .order_by("-created_at")
    )
    supplies = Listing.objects.open().filter(organization=organization, side=Listing.Side.SUPPLY)
    # What it offers that is OCOP-rated (the product's stars, or the listing's own).
    ocop_products = list(
        Product.objects.filter(listings__in=supplies, ocop_stars__isnull=False)
        .distinct()
        .order_by("-ocop_stars", "name")
    )
    ocop_listings = [
        present(listing)
        for listing in supplies.filter(product__isnull=True, ocop_stars__isnull=False)
        .select_related("unit")
        .order_by("-ocop_stars")[:10]
    ]
    certifications = Certification.objects.filter(listings__in=supplies).distinct()
    page = Paginator(open_listings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "listings/organization.html",
        {
            "organization": organization,
            "ocop_products": ocop_products,
            "ocop_listings": ocop_listings,
            "certifications": certifications,
            "page": page,
            "listings": [present(listing) for listing in page.object_list],
        },
    )
