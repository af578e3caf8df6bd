"""What the "Trade officers" group may do in the admin.

Officers see and edit everything in these apps (``view`` and ``change`` on every model), plus
the ``add``/``delete`` rights listed in ``EXTRA`` and every custom permission the apps define
(imports, exports, starting a re-match…). Audit-history models are view-only. Re-running
``seed`` sets the group's permissions to exactly this, so models added later are covered.
Changing a user never lets an officer grant staff or superuser rights: the user admin makes
those fields read-only for anyone but a superuser.
"""

APPS = ("catalog", "accounts", "listings", "matchmaking")

EXTRA = {
    # listings: officers import, correct and remove listings on behalf of businesses
    "listings.listing": ("add", "delete"),
    # accounts: register a business met at a conference, its people and their memberships
    "accounts.organization": ("add",),
    "accounts.user": ("add",),
    "accounts.membership": ("add", "delete"),
    # catalog: extend the vocabulary
    "catalog.product": ("add",),
    "catalog.productcategory": ("add",),
    "catalog.legacyname": ("add", "delete"),
    "catalog.source": ("add",),
    # matchmaking: record programmes and conferences, start re-match runs
    "matchmaking.cooperationprogramme": ("add",),
    "matchmaking.connectionevent": ("add",),
    "matchmaking.eventsession": ("add", "delete"),
    "matchmaking.reportedfigure": ("add", "delete"),
    "matchmaking.matchrun": ("add",),
}
