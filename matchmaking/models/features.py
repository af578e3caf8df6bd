"""What the engine derives from a listing's text, kept so it is computed once per change."""

from __future__ import annotations

from django.db import models


class ListingFeatures(models.Model):
    """The 128-bit name signature of a listing (title, product and category names).

    Folding and synonym-mapping a text costs ~80 µs; a full re-match of 200,000 listings
    would spend seconds on it every night. It is stored when a listing is matched and
    recomputed only when ``text_key`` (a hash of the text) no longer fits.
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

    class Meta:
        verbose_name = "listing features"
        verbose_name_plural = "listing features"

    def __str__(self) -> str:
        return f"features of listing {self.listing_id}"
