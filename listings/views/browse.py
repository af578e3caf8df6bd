"""Public listing pages: the home page, browse and search, a listing, the product look-up."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.selectors import is_member
from catalog.models import Product, ProductCategory
from core.pagination import CheapCountPaginator
from core.readcache import cached_page
from listings import selectors
from listings.forms import BrowseForm
from listings.views.present import present

PAGE_SIZE = 20


@require_GET
@cached_page
def browse(request):
    form = BrowseForm(request.GET)
    queryset = form.filter(selectors.listing_pages_visible_to(request.user).open())
    page = CheapCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    listings = [present(listing) for listing in page.object_list]
    context = {"form": form, "page": page, "listings": listings}
    if request.htmx and request.htmx.target == "results":
        return render(request, "listings/partials/results.html", context)
    return render(request, "listings/browse.html", context)


@require_GET
@cached_page
def detail(request, pk: int):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    present(listing, request.user)
    return render(
        request,
        "listings/detail.html",
        {
            "listing": listing,
            "organization": listing.organization,
            # Contacts open through matches; on the listing page only the organization's
            # own members see them.
            "show_contacts": is_member(request.user, listing.organization),
            # Members edit and change the status; an officer gets the actions allowed to them.
            "can_edit": listing.editable or bool(listing.actions),
        },
    )


@require_GET
def lookup_products(request):
    """The product options of a category and its sub-categories (htmx, for the form)."""
    products = Product.objects.select_related("origin_province").order_by("name")
    category_id = request.GET.get("category", "")
    if category_id.isdigit():
        category = ProductCategory.objects.filter(pk=category_id).first()
        if category is not None:
            products = products.filter(category_id__in=category.descendant_ids())
    selected = request.GET.get("product", "")
    return render(
        request,
        "listings/partials/product_options.html",
        {"products": products[:500], "selected": selected},
    )


@require_GET
def home(request):
    """What the platform is, a few live counts and the latest open listings."""
    latest = [present(listing) for listing in selectors.latest_open(6)]
    return render(
        request, "listings/home.html", {"counts": selectors.home_counts(), "latest": latest}
    )
