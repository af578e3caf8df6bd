"""Listing pages: browse, detail, my listings, post/edit, quick status changes (htmx).

Views stay thin: reads go through ``Listing.objects.visible_to(user)``, writes through
``listings.services``; a service's ValidationError is shown next to the form's fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organization
from catalog.models import Certification, Product, ProductCategory
from core.formatting import format_number, format_range
from core.forms import apply_service_errors
from listings import services
from listings.forms import BrowseForm, ListingForm
from listings.models import Listing

PAGE_SIZE = 20

# The quick actions offered for each status: (new status, button label).
STATUS_ACTIONS = {
    Listing.Status.DRAFT: [(Listing.Status.OPEN, gettext_lazy("Publish"))],
    Listing.Status.OPEN: [
        (Listing.Status.PAUSED, gettext_lazy("Pause")),
        (Listing.Status.CLOSED, gettext_lazy("Close")),
    ],
    Listing.Status.PAUSED: [
        (Listing.Status.OPEN, gettext_lazy("Reopen")),
        (Listing.Status.CLOSED, gettext_lazy("Close")),
    ],
    Listing.Status.CLOSED: [(Listing.Status.OPEN, gettext_lazy("Reopen"))],
    Listing.Status.EXPIRED: [(Listing.Status.OPEN, gettext_lazy("Reopen"))],
}


def _listings():
    return Listing.objects.select_related(
        "organization__province", "category", "unit", "province", "product"
    ).prefetch_related(Prefetch("certifications", queryset=Certification.objects.all()))


def can_edit(user, listing: Listing) -> bool:
    return user.is_authenticated and (user.is_officer or listing.organization.has_member(user))


def present(listing: Listing) -> Listing:
    """Add what the templates show: formatted numbers and the owner's quick actions."""
    listing.actions = STATUS_ACTIONS.get(listing.status, [])
    listing.quantity_text = format_number(listing.quantity)
    listing.min_order_text = format_number(listing.min_order_quantity)
    listing.price_text = format_range(listing.price_min, listing.price_max)
    return listing


@require_GET
def browse(request):
    form = BrowseForm(request.GET)
    queryset = form.filter(_listings().visible_to(request.user).open())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    listings = [present(listing) for listing in page.object_list]
    context = {"form": form, "page": page, "listings": listings}
    if request.htmx and request.htmx.target == "results":
        return render(request, "listings/partials/results.html", context)
    return render(request, "listings/browse.html", context)


@require_GET
def detail(request, pk: int):
    listing = get_object_or_404(_listings().visible_to(request.user), pk=pk)
    is_member = listing.organization.has_member(request.user)
    editable = is_member or (request.user.is_authenticated and request.user.is_officer)
    return render(
        request,
        "listings/detail.html",
        {
            "listing": present(listing),
            "organization": listing.organization,
            # Contacts open through matches; on the listing page only the organization's
            # own members see them.
            "show_contacts": is_member,
            "can_edit": editable,
        },
    )


@login_required
def mine(request):
    organizations = Organization.objects.for_user(request.user).distinct()
    queryset = _listings().filter(organization__in=organizations).order_by("-updated_at")
    status = request.GET.get("status")
    if status in Listing.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    listings = [present(listing) for listing in page.object_list]
    return render(
        request,
        "listings/mine.html",
        {
            "page": page,
            "listings": listings,
            "organizations": organizations,
            "status": status,
            "statuses": Listing.Status.choices,
        },
    )


@login_required
def create(request):
    if not Organization.objects.for_user(request.user).exists():
        messages.info(request, _("First create the organization you trade for."))
        return redirect(f"{reverse('accounts:organization-create')}?next={request.path}")
    initial = {}
    if request.GET.get("side") in Listing.Side.values:
        initial["side"] = request.GET["side"]
    form = ListingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(by_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("organization", str(exc))
        else:
            messages.success(request, _("Listing posted."))
            return redirect("listings:detail", pk=listing.pk)
    return render(request, "listings/form.html", {"form": form, "listing": None})


@login_required
def edit(request, pk: int):
    listing = get_object_or_404(_listings().visible_to(request.user), pk=pk)
    if not can_edit(request.user, listing):
        raise PermissionDenied(_("Only members of the organization may edit this listing."))
    form = ListingForm(request.POST or None, user=request.user, listing=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, by_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            listing.refresh_from_db()
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Listing saved."))
            return redirect("listings:detail", pk=listing.pk)
    return render(request, "listings/form.html", {"form": form, "listing": listing})


@login_required
@require_POST
def set_status(request, pk: int):
    """Pause, close, reopen or publish; htmx swaps the card (or the detail's action bar)."""
    listing = get_object_or_404(_listings().visible_to(request.user), pk=pk)
    if not can_edit(request.user, listing):
        raise PermissionDenied(_("Only members of the organization may change this listing."))
    wanted = request.POST.get("status")
    error = None
    if wanted not in {status for status, _label in STATUS_ACTIONS.get(listing.status, [])}:
        error = _("This listing cannot go from “%(status)s” to that status.") % {
            "status": listing.get_status_display()
        }
    else:
        try:
            services.listing_set_status(listing=listing, status=wanted, by_user=request.user)
        except ValidationError as exc:
            listing.refresh_from_db()
            error = " ".join(exc.messages)
    present(listing)
    if request.htmx:
        template = (
            "listings/partials/status_actions.html"
            if request.htmx.target == "listing-actions"
            else "listings/partials/mine_card.html"
        )
        return render(request, template, {"listing": listing, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Status: %(status)s.") % {"status": listing.get_status_display()}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("listings:mine")
    return redirect(target)


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
    open_listings = Listing.objects.open()
    counts = open_listings.aggregate(
        supplies=Count("pk", filter=Q(side=Listing.Side.SUPPLY)),
        demands=Count("pk", filter=Q(side=Listing.Side.DEMAND)),
    )
    counts["organizations"] = Organization.objects.count()
    counts["provinces"] = Organization.objects.values("province").distinct().count()
    latest = open_listings.select_related("organization", "category", "unit", "province")
    latest = [present(listing) for listing in latest.order_by("-created_at")[:6]]
    return render(request, "listings/home.html", {"counts": counts, "latest": latest})
