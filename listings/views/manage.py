"""A member's listing pages: my listings, post, edit, and quick status changes (htmx).

Who may do what is the service's to say (``listings.services``); its errors come back as
form errors, or as the message beside the status buttons.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import member_organizations
from core import idempotency
from core.errors import DomainError
from core.forms import apply_service_errors
from listings import selectors, services
from listings.forms import ListingForm
from listings.models import Listing
from listings.views.present import present

PAGE_SIZE = 20


@login_required
def mine(request):
    organizations = member_organizations(request.user)
    queryset = selectors.listings_of_member(request.user).order_by("-updated_at")
    status = request.GET.get("status")
    if status in Listing.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    listings = [present(listing, request.user) for listing in page.object_list]
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


def saved_message(listing: Listing, *, new: bool) -> str:
    """What actually happened: only an open listing is public and matched."""
    if listing.status == Listing.Status.DRAFT:
        return _("Draft saved. Only your organization sees it; publish it to be matched.")
    if listing.status != Listing.Status.OPEN:
        return _("Listing saved. It is %(status)s, so it is not shown or matched.") % {
            "status": listing.get_status_display().lower()
        }
    if new:
        return _("Listing posted. Matching has started; proposals appear on this page.")
    return _("Listing saved. Matching runs again with the changes.")


@login_required
def create(request):
    if not member_organizations(request.user).exists():
        messages.info(request, _("First create the organization you trade for."))
        return redirect(f"{reverse('accounts:organization-create')}?next={request.path}")
    initial = {}
    if request.GET.get("side") in Listing.Side.values:
        initial["side"] = request.GET["side"]
    # The organization asked for (or the only one), and where it is: most listings are there.
    organizations = member_organizations(request.user).select_related("province")
    wanted = request.GET.get("organization", "")
    chosen = organizations.filter(pk=wanted).first() if wanted.isdigit() else None
    if chosen is None and organizations.count() == 1:
        chosen = organizations.first()
    if chosen is not None:
        initial["organization"] = chosen.pk
        initial["province"] = chosen.province
    form = ListingForm(request.POST or None, user=request.user, initial=initial)
    # A second submit of the same form (double click, back button) posts nothing twice.
    once, replayed = idempotency.claim_page_form(
        request, _("This form was already sent: the listing is posted once."), "listings:mine"
    )
    if replayed:
        return replayed
    if request.method == "POST" and not form.is_valid():
        idempotency.form_failed(once)
    elif request.method == "POST":
        try:
            listing = services.listing_create(by_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            idempotency.form_failed(once)
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            idempotency.form_failed(once)
            form.add_error("organization", str(exc))
        else:
            location = reverse("listings:detail", kwargs={"pk": listing.pk})
            idempotency.form_done(once, location)
            messages.success(request, saved_message(listing, new=True))
            return redirect(location)
    return render(
        request,
        "listings/form.html",
        {"form": form, "listing": None, "form_token": idempotency.form_token(request)},
    )


@login_required
def edit(request, pk: int):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    if not services.may_edit(request.user, listing):
        raise PermissionDenied(_("Only members of the organization may edit this listing."))
    form = ListingForm(request.POST or None, user=request.user, listing=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, by_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            listing.refresh_from_db()
        except DomainError as exc:
            form.add_error("status", exc.message)
        else:
            messages.success(request, saved_message(listing, new=False))
            return redirect("listings:detail", pk=listing.pk)
    return render(request, "listings/form.html", {"form": form, "listing": listing})


@login_required
@require_POST
def set_status(request, pk: int):
    """Publish, pause, close or reopen; htmx swaps the card (or the detail's action bar).

    Someone who may not change the listing at all gets a 403; a move the listing cannot make
    (draft → paused, reopening after its window ended) is said beside the buttons.
    """
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    error = None
    try:
        services.listing_set_status(
            listing=listing, status=request.POST.get("status", ""), by_user=request.user
        )
    except ValidationError as exc:
        listing.refresh_from_db()
        error = " ".join(exc.messages)
    except DomainError as exc:
        error = exc.message
    present(listing, request.user)
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
