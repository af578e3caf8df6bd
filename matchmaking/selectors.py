"""Reads of matchmaking: what a user may see, the inbox tabs, how a listing's proposals went.

"Which organizations is this user in?" is answered by ``accounts.selectors`` only.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.selectors import member_organizations, organization_ids_of
from catalog.models import Certification
from listings.models import SEARCH_COLUMNS, Listing
from matchmaking.models import Match, Pool, PoolMember

S = Match.Status
UNSHOWN_COLUMNS = ["search_text", *SEARCH_COLUMNS]


def matches_queryset():
    """Matches with what a card, a page or the API shows of them, in a fixed number of queries.

    Each side's listings come in one query of their own, joined with their organization,
    province, category, unit and product: one query joining all sixteen tables costs
    PostgreSQL more to plan (0.2 s at 100k x 100k) than the page costs to read.
    """
    certs = Certification.objects.only("code")
    # The search columns (a tsvector and folded texts) are never shown: not read.
    listings = (
        Listing.objects.select_related(
            "organization__province", "province", "category", "unit", "product"
        )
        .defer(*UNSHOWN_COLUMNS)
        .prefetch_related(Prefetch("certifications", queryset=certs))
    )
    # Both sides in one query, and their certifications in one more.
    return Match.objects.select_related("last_run").with_sides(listings)


def visible_matches(user):
    """The matches ``user`` may see: officers all, members the unhidden ones of their
    organizations, anyone else none."""
    return matches_queryset().visible_to(user)


TABS = [
    ("proposed", gettext_lazy("To answer")),
    ("waiting", gettext_lazy("Waiting for the other side")),
    ("connected", gettext_lazy("Connected")),
    ("declined", gettext_lazy("Declined")),
    ("closed", gettext_lazy("Expired or withdrawn")),
]


def tab_filters(org_ids: list[int] | None) -> dict[str, Q]:
    """Each tab as a filter, from the point of view of these organizations (None: officer)."""
    if org_ids is None:
        waiting = Q(status__in=[S.ACCEPTED_BY_SUPPLY, S.ACCEPTED_BY_DEMAND])
        to_answer = Q(status=S.PROPOSED)
    else:
        mine_supply = Q(supply__organization_id__in=org_ids)
        mine_demand = Q(demand__organization_id__in=org_ids)
        # Waiting for the other side: our side accepted. To answer: we have not, yet.
        waiting = (Q(status=S.ACCEPTED_BY_SUPPLY) & mine_supply) | (
            Q(status=S.ACCEPTED_BY_DEMAND) & mine_demand
        )
        to_answer = Q(status=S.PROPOSED) | (
            Q(status__in=[S.ACCEPTED_BY_SUPPLY, S.ACCEPTED_BY_DEMAND]) & ~waiting
        )
    return {
        "proposed": to_answer,
        "waiting": waiting,
        "connected": Q(status=S.CONNECTED),
        "declined": Q(status=S.DECLINED),
        "closed": Q(status__in=[S.EXPIRED, S.WITHDRAWN]),
    }


def inbox_scope(user, org_param: str = "") -> tuple[list, Organization | None, list[int] | None]:
    """(the user's organizations, the one picked with ``?org=``, the organization ids the
    inbox is seen from; None: an officer's view of everything)."""
    officer = getattr(user, "is_officer", False)
    my_orgs = list(member_organizations(user).order_by("name"))
    selected = None
    if org_param.isdigit():
        pool = Organization.objects.all() if officer else member_organizations(user)
        selected = pool.filter(pk=int(org_param)).first()
    if selected is not None:
        org_ids = [selected.pk]
    elif my_orgs:
        org_ids = [o.pk for o in my_orgs]
    else:
        org_ids = None if officer else []
    return my_orgs, selected, org_ids


def tab_counts(matches, org_ids: list[int] | None) -> dict[str, int]:
    """How many of ``matches`` each inbox tab holds (one query)."""
    filters = tab_filters(org_ids)
    return matches.aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})


def decline_summary(listing: Listing) -> dict:
    """How the proposals of one listing went, and why the other side declined them."""
    matches = Match.objects.for_listing(listing.pk).filter(hidden=False)
    by_status = dict(matches.values_list("status").annotate(n=Count("pk")).order_by())
    other_side = Match.Side.DEMAND if listing.side == Listing.Side.SUPPLY else Match.Side.SUPPLY
    reasons = (
        matches.filter(status=S.DECLINED, declined_by_side=other_side)
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "decline_reason")
    )
    by_reason = [
        {
            "reason": row["decline_reason"],
            "label": Match.DeclineReason(row["decline_reason"]).label
            if row["decline_reason"] in Match.DeclineReason.values
            else row["decline_reason"],
            "count": row["n"],
        }
        for row in reasons
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "pending": sum(by_status.get(s, 0) for s in Match.PENDING_STATUSES),
        "connected": by_status.get(S.CONNECTED, 0),
        "declined_by_other_side": sum(r["count"] for r in by_reason),
        "declined_by_us": matches.filter(status=S.DECLINED, declined_by_side=listing.side).count(),
        "closed": by_status.get(S.EXPIRED, 0) + by_status.get(S.WITHDRAWN, 0),
        "reasons": by_reason,
        "notes": list(
            matches.filter(status=S.DECLINED, declined_by_side=other_side)
            .exclude(decline_note="")
            .order_by("-updated_at")
            .values_list("decline_note", flat=True)[:5]
        ),
    }


def contacts_open(user, organization: Organization) -> bool:
    """The rule of the match pages, for the public pages that show an organization (its
    listings, its profile): its members see its contacts, and so does anyone whose
    organization has a connected match with it (both sides accepted). Officers read contacts
    in the admin and on the matches themselves, not on public pages."""
    if user is None or not user.is_authenticated:
        return False
    mine = organization_ids_of(user)
    if organization.pk in mine:
        return True
    if not mine:
        return False
    return (
        Match.objects.filter(status=Match.Status.CONNECTED)
        .filter(
            Q(supply__organization=organization, demand__organization__in=mine)
            | Q(demand__organization=organization, supply__organization__in=mine)
        )
        .exists()
    ) or pool_contacts_open(mine, organization.pk)


def pool_contacts_open(mine, organization_id: int) -> bool:
    """A connected pool opens contacts between the buyer and each member, both ways."""
    connected = Pool.objects.filter(status=Pool.Status.CONNECTED)
    members = PoolMember.objects.exclude(status=PoolMember.Status.DECLINED)
    as_buyer = connected.filter(
        demand__organization_id__in=mine,
        pk__in=members.filter(organization_id=organization_id).values("pool_id"),
    )
    as_member = connected.filter(
        demand__organization_id=organization_id,
        pk__in=members.filter(organization_id__in=mine).values("pool_id"),
    )
    return as_buyer.exists() or as_member.exists()


def deals_of_programme(deals, programme):
    """The deals of a cooperation programme: met at one of its events, or between two of its
    member provinces."""
    provinces = programme.provinces.values("pk")
    return deals.filter(
        Q(event__programme=programme)
        | Q(match__supply__province__in=provinces, match__demand__province__in=provinces)
    )
