"""Listing pages. Views stay thin: reads through ``listings.selectors``, writes through
``listings.services`` (whose errors are shown next to the form's fields)."""

from listings.views.browse import browse, detail, home, lookup_products
from listings.views.manage import create, edit, mine, set_status
from listings.views.organizations import organization_profile

__all__ = [
    "browse",
    "create",
    "detail",
    "edit",
    "home",
    "lookup_products",
    "mine",
    "organization_profile",
    "set_status",
]
