from django.db.models import Count, Q
from django.shortcuts import render

from accounts.models import Organization
from listings.models import Listing
from listings.views import present


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
    return render(request, "home.html", {"counts": counts, "latest": latest})
