"""Reads of listings: what a user may see, loaded with what the API and pages show."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q

from accounts.models import Organization
from accounts.selectors import is_officer, member_organization_ids
from catalog.models import Certification
from listings.models import SEARCH_COLUMNS, Listing, ListingQuerySet


def visible_to(queryset: ListingQuerySet, user) -> ListingQuerySet:
    """Open, unhidden listings for everyone; every listing of their organizations for members;
    everything for officers.

    Drafts, paused, closed, expired and hidden listings of others are simply absent (a
    request for one answers 404, not 403, so that their existence does not leak).
    """
    if is_officer(user):
        return queryset
    public = Q(status__in=Listing.PUBLIC_STATUSES, hidden=False)
    if user is None or not user.is_authenticated:
        return queryset.filter(public)
    return queryset.filter(public | Q(organization_id__in=member_organization_ids(user)))


def _loaded() -> ListingQuerySet:
    return Listing.objects.select_related(
        "organization__province", "category", "product", "unit", "province"
    ).prefetch_related(Prefetch("certifications", queryset=Certification.objects.all()))


def listings_visible_to(user) -> ListingQuerySet:
    """The listings ``user`` may see, with what a card or the API shows of them."""
    return visible_to(_loaded(), user)


def listing_pages_visible_to(user) -> ListingQuerySet:
    """The same, for paginated lists and searches: the related rows come in a few queries
    of their own, so that sorting thousands of matches by relevance never joins them all
    (the page's 20 rows are sorted on the listing table alone, then completed)."""
    related = Prefetch("organization", queryset=Organization.objects.select_related("province"))
    return visible_to(
        # The search columns are matched and ranked in SQL, never shown: not read.
        Listing.objects.defer("search_text", *SEARCH_COLUMNS).prefetch_related(
            related,
            "category",
            "product",
            "unit",
            "province",
            Prefetch("certifications", queryset=Certification.objects.all()),
        ),
        user,
    )


def listings_of_member(user) -> ListingQuerySet:
    """Every listing of the user's organizations, whatever its status ("my listings")."""
    return _loaded().filter(organization_id__in=member_organization_ids(user))


def latest_open(limit: int) -> list[Listing]:
    """The newest open listings, for the home page."""
    return list(_loaded().open().order_by("-created_at")[:limit])


HOME_COUNTS_KEY = "home-counts:v1"
# The home page's counts may be this old: counting every open listing took 88 ms at 200,000,
# on the page every visitor opens first.
HOME_COUNTS_FOR = 60


def home_counts() -> dict[str, int]:
    """Open supplies and demands, organizations and the provinces they are in (counted at
    most once a minute)."""
    counts = cache.get(HOME_COUNTS_KEY)
    if counts is None:
        counts = _count_home()
        cache.set(HOME_COUNTS_KEY, counts, HOME_COUNTS_FOR)
    return counts


def _count_home() -> dict[str, int]:
    counts = Listing.objects.open().aggregate(
        supplies=Count("pk", filter=Q(side=Listing.Side.SUPPLY)),
        demands=Count("pk", filter=Q(side=Listing.Side.DEMAND)),
    )
    counts["organizations"] = Organization.objects.count()
    counts["provinces"] = Organization.objects.values("province").distinct().count()
    return counts
