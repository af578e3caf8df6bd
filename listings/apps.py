from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _organization_renamed(sender, instance, update_fields=None, raw=False, **kwargs):
    """An organization's name is in its listings' search documents: write them again."""
    if raw or (update_fields is not None and "name" not in update_fields):
        return
    from listings import search
    from listings.models import Listing

    ids = list(Listing.objects.filter(organization=instance).values_list("pk", flat=True))
    if ids:
        search.reindex(Listing, ids=ids)


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = _("Listings")

    def ready(self):
        post_save.connect(
            _organization_renamed,
            sender="accounts.Organization",
            dispatch_uid="listings.organization_renamed",
        )
