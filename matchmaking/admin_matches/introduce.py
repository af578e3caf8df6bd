"""Introducing a match by hand: the form, its listing autocomplete and the views behind it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from core.forms import apply_service_errors
from listings.models import Listing
from matchmaking.admin_matches.common import is_officer
from matchmaking.forms import IntroduceForm
from matchmaking.models import Match
from matchmaking.services import introductions
from matchmaking.services.review import MatchStateError


class ListingAutocomplete(AutocompleteSelect):
    """Admin's select2 autocomplete, fed by the introduce view's own listing search (one
    side at a time, open listings only)."""

    def __init__(self, side: str, admin_site):
        self.side = side
        super().__init__(Match._meta.get_field(side), admin_site)

    def get_url(self):
        url = reverse(f"{self.admin_site.name}:matchmaking_match_introduce_listings")
        return f"{url}?side={self.side}"


def listing_label(listing: Listing) -> str:
    return f"#{listing.pk} {listing.title} — {listing.organization.name} ({listing.province.name})"


class IntroduceMixin:
    """Adds ``introduce/`` and its listing search to the match admin's URLs."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "introduce/",
                view(self.introduce_view),
                name="matchmaking_match_introduce",
            ),
            path(
                "introduce/listings/",
                view(self.listing_search_view),
                name="matchmaking_match_introduce_listings",
            ),
            *super().get_urls(),
        ]

    def _introduce_form(self, data=None):
        form = IntroduceForm(data)
        form.fields["supply"].widget = ListingAutocomplete("supply", self.admin_site)
        form.fields["demand"].widget = ListingAutocomplete("demand", self.admin_site)
        for side in ("supply", "demand"):
            form.fields[side].queryset = Listing.objects.filter(side=side).select_related(
                "organization", "province"
            )
            form.fields[side].label_from_instance = listing_label
        return form

    def introduce_view(self, request):
        if not is_officer(request):
            raise PermissionDenied
        form = self._introduce_form(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                match = introductions.introduce(
                    supply=data["supply"],
                    demand=data["demand"],
                    by_user=request.user,
                    suggested_quantity=data.get("suggested_quantity"),
                    note=data.get("note", ""),
                    override=data.get("override", False),
                    override_reason=data.get("override_reason", ""),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except MatchStateError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    gettext("Match introduced; both sides have been notified."),
                    messages.SUCCESS,
                )
                return redirect(f"{self.admin_site.name}:matchmaking_match_change", match.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Introduce a match by hand"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "matchmaking/admin/introduce.html", context)

    def listing_search_view(self, request):
        """select2's JSON: open listings of one side, searched without diacritics."""
        if not is_officer(request):
            raise PermissionDenied
        side = request.GET.get("side")
        if side not in Listing.Side.values:
            return JsonResponse({"error": "side must be supply or demand"}, status=400)
        queryset = (
            Listing.objects.filter(side=side, status=Listing.Status.OPEN, hidden=False)
            .search(request.GET.get("term", "")[:100])
            .select_related("organization", "province")
            .order_by("-created_at")
        )
        page = Paginator(queryset, 20).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [{"id": str(x.pk), "text": listing_label(x)} for x in page],
                "pagination": {"more": page.has_next()},
            }
        )
