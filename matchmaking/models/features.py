"""Matchmaking's own state about a listing: the engine's text signature and when it was last
matched. Kept here, not on ``Listing``: listings know nothing of matchmaking."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingFeatures(models.Model):
    """What matching reads from a listing's words, kept so it is not read again every night.

    Folding and synonym-mapping a text costs ~80 µs, and a demand's intent (the products its
    title and description ask for) several times that; a full re-match of 200,000 listings would
    spend tens of seconds on them every night. They are stored when a listing is matched and
    recomputed only when their key (a hash of the words they were read from, see
    ``services.market``) no longer fits:

    * ``text_key``: the 128-bit name signature and the concept mask of what the listing *is*
      (``offer``), both read from its title, product and category names;
    * ``words_key`` (demands): the concept mask of what its words *ask for* (``intent``) and
      whether they ask for producers, read from the title, product, description and category.
    """

    listing = models.OneToOneField(
        "listings.Listing",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="match_features",
    )
    text_key = models.CharField(max_length=32)
    sig_lo = models.BigIntegerField()
    sig_hi = models.BigIntegerField()
    offer_lo = models.BigIntegerField(default=0)
    offer_hi = models.BigIntegerField(default=0)
    words_key = models.CharField(max_length=32, blank=True, default="")
    intent_lo = models.BigIntegerField(default=0)
    intent_hi = models.BigIntegerField(default=0)
    wants_producer = models.BooleanField(default=False)

    class Meta:
        verbose_name = "listing features"
        verbose_name_plural = "listing features"

    def __str__(self) -> str:
        return f"features of listing {self.listing_id}"


class ListingMatchState(models.Model):
    """When a listing was last matched. An open listing changed since (or never matched) is
    picked up by the sweep, in case the broker was down when it was saved."""

    listing = models.OneToOneField(
        "listings.Listing",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="match_state",
        verbose_name=_("listing"),
    )
    matched_at = models.DateTimeField(_("last matched at"))

    class Meta:
        verbose_name = _("listing match state")
        verbose_name_plural = _("listing match states")

    def __str__(self) -> str:
        return f"listing {self.listing_id} matched at {self.matched_at:%Y-%m-%d %H:%M}"
