"""Supply and demand listings: one model, two sides."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog import ocop
from catalog.text import search_blob
from catalog.text.concepts import sense_words
from core.cleaning import CleanTextModelMixin
from core.formatting import is_english
from listings import search

SEARCH_COLUMNS = ["search_title", "search_tags", "search_place", "search_body", "search_vector"]


class ListingQuerySet(models.QuerySet):
    def open(self) -> ListingQuerySet:
        return self.filter(status=Listing.Status.OPEN, hidden=False)

    def stale_ocop(self, today=None) -> ListingQuerySet:
        """Supplies whose OCOP rating (their own, else their product's) is older than it
        counts for (``catalog.ocop``): for ``min_ocop_stars`` they hold no stars."""
        oldest = ocop.oldest_current_year(today or timezone.localdate())
        own = Q(ocop_stars__isnull=False, ocop_year__lt=oldest)
        product = Q(
            ocop_stars__isnull=True,
            product__ocop_stars__isnull=False,
            product__ocop_year__lt=oldest,
        )
        return self.filter(own | product)

    def search(self, q: str | None) -> ListingQuerySet:
        """What ``q`` finds, ignoring diacritics, with synonyms, annotated ``search_rank``.

        "cà phê", "ca phe" and "coffee" find the same listings; every word (or known phrase)
        must be found; "bơ" (avocado) and "bò" (beef) are told apart (``listings.search``).
        """
        return search.search(self, q)

    def ranked(self) -> ListingQuerySet:
        """After :meth:`search`: the most relevant first, then the newest."""
        return search.ranked(self)

    def _fetch_all(self):
        """A page of a search ranks every listing found: the ranking reads only ids (a
        common word finds a fifth of the market, and sorting 22,000 whole rows to keep 20
        cost a quarter of the search), then the page's rows are read by id, in that order."""
        query = self.query
        if (
            self._result_cache is not None
            or not query.is_sliced
            or search.RANK not in query.annotations
            or self._iterable_class is not models.query.ModelIterable
        ):
            return super()._fetch_all()
        ids = list(self.values_list("pk", flat=True))
        rows = self._chain()
        rows.query.clear_limits()
        by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
        self._result_cache = [by_id[pk] for pk in ids if pk in by_id]
        self._prefetch_done = True


class Listing(CleanTextModelMixin, models.Model):
    class Side(models.TextChoices):
        SUPPLY = "supply", _("Supply")
        DEMAND = "demand", _("Demand")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    PUBLIC_STATUSES = (Status.OPEN,)

    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # Optional, for foreign buyers: English pages show them instead of the Vietnamese.
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description_en = models.TextField(_("English description"), blank=True, max_length=5000)
    category = models.ForeignKey(
        "catalog.ProductCategory",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("category"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("product"),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[
            MinValueValidator(Decimal("0.001"), message=_("Quantity must be greater than 0."))
        ],
    )
    unit = models.ForeignKey(
        "catalog.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    quantity_base = models.DecimalField(
        _("quantity in base unit"), max_digits=20, decimal_places=3, editable=False
    )
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                Decimal("0.001"), message=_("The minimum order must be greater than 0.")
            )
        ],
    )
    min_order_base = models.DecimalField(
        max_digits=20, decimal_places=3, null=True, blank=True, editable=False
    )
    price_min = models.PositiveBigIntegerField(
        _("lowest price (VND per unit)"), null=True, blank=True
    )
    price_max = models.PositiveBigIntegerField(
        _("highest price (VND per unit)"), null=True, blank=True
    )
    province = models.ForeignKey(
        "catalog.Province",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("province"),
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    certifications = models.ManyToManyField(
        "catalog.Certification",
        blank=True,
        related_name="listings",
        verbose_name=_("certifications"),
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    ocop_year = models.PositiveSmallIntegerField(
        _("OCOP rating year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2018), MaxValueValidator(2100)],
        help_text=_("The year the OCOP stars were awarded; a rating counts for 36 months."),
    )
    min_ocop_stars = models.PositiveSmallIntegerField(
        _("minimum OCOP stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    hidden = models.BooleanField(
        _("hidden by an officer"),
        default=False,
        help_text=_("Hidden listings are not shown publicly and are not matched."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True)
    # The search document (``listings.search``): four weighted columns, and on PostgreSQL
    # their tsvector, kept by a trigger.
    search_title = models.TextField(editable=False, blank=True)
    search_tags = models.TextField(editable=False, blank=True)
    search_place = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", *SEARCH_COLUMNS, "updated_at"])
    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["side", "status", "category"], name="listing_match_idx"),
            # Workers refresh their in-memory market from rows changed since their last look.
            models.Index(fields=["updated_at"], name="listing_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="listing_price_range",
                violation_error_message=_("The lowest price cannot be above the highest price."),
            ),
            models.CheckConstraint(
                condition=Q(available_from__lte=models.F("available_until")),
                name="listing_window",
                violation_error_message=_("The window must start on or before its end."),
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="listing_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"[{self.get_side_display()}] {self.title}"

    @property
    def display_title(self) -> str:
        """The English title on English pages when there is one, else the title."""
        return self.title_en if self.title_en and is_english() else self.title

    @property
    def display_description(self) -> str:
        return self.description_en if self.description_en and is_english() else self.description

    @property
    def is_supply(self) -> bool:
        return self.side == self.Side.SUPPLY

    @property
    def effective_ocop_stars(self) -> int | None:
        """The listing's OCOP stars (else its product's) while the rating counts (36 months:
        ``catalog.ocop``)."""
        today = timezone.localdate()
        if self.ocop_stars:
            return ocop.current_stars(self.ocop_stars, self.ocop_year, today)
        if self.product_id:
            return ocop.current_stars(self.product.ocop_stars, self.product.ocop_year, today)
        return None

    def compute_derived(self) -> None:
        """Base quantities and the folded search text, kept beside what was typed."""
        if self.unit_id and self.quantity is not None:
            factor = self.unit.factor
            self.quantity_base = (Decimal(self.quantity) * factor).quantize(Decimal("0.001"))
            self.min_order_base = (
                (Decimal(self.min_order_quantity) * factor).quantize(Decimal("0.001"))
                if self.min_order_quantity is not None
                else None
            )
        category = self.category if self.category_id else None
        product = self.product if self.product_id else None
        # The category's ancestors too: a search for "nông sản" finds the coffee under it.
        categories = [category, *category.ancestors()] if category else []
        texts = (
            self.title,
            self.description,
            self.title_en,
            self.description_en,
            product.name if product else "",
            product.name_en if product else "",
            *(name for c in categories for name in (c.name, c.name_en, " ".join(c.synonyms))),
        )
        # Folding loses what tells "bơ" from "bò": the senses read from the accents are kept
        # as words ("avocado"), which a search for "bơ" looks for.
        self.search_text = search_blob(*texts, sense_words(*texts))
        province = self.province if self.province_id else None
        places = (
            [province.name, province.name_en, *province.legacy_names.values_list("name", flat=True)]
            if province
            else []
        )
        if self.organization_id:
            places.append(self.organization.name)
        for column, text in search.document(
            title=self.title,
            description=self.description,
            title_en=self.title_en,
            description_en=self.description_en,
            products=[product.name, product.name_en] if product else [],
            categories=[(c.name, c.name_en, c.synonyms) for c in categories],
            places=places,
        ).items():
            setattr(self, column, text)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        # The two range rules are also check constraints; here they get a field to point at.
        prices = (self.price_min, self.price_max)
        if all(isinstance(p, int) for p in prices) and prices[0] > prices[1]:
            errors.setdefault("price_max", []).append(
                _("The highest price cannot be below the lowest price.")
            )
        window = (self.available_from, self.available_until)
        if all(isinstance(d, datetime.date) for d in window) and window[0] > window[1]:
            errors.setdefault("available_until", []).append(
                _("The window must end on or after its start.")
            )
        if (
            self.min_order_quantity is not None
            and self.quantity is not None
            and self.min_order_quantity > self.quantity
        ):
            errors.setdefault("min_order_quantity", []).append(
                _("The minimum order cannot be larger than the quantity.")
            )
        if self.side == self.Side.SUPPLY and self.min_ocop_stars:
            errors.setdefault("min_ocop_stars", []).append(
                _("Only a demand sets a minimum number of OCOP stars.")
            )
        if self.side == self.Side.DEMAND and self.ocop_stars:
            errors.setdefault("ocop_stars", []).append(
                _("Only a supply carries OCOP stars; a demand sets min_ocop_stars.")
            )
        if self.ocop_year and not self.ocop_stars:
            errors.setdefault("ocop_year", []).append(
                _("A rating year goes with the OCOP stars it dates.")
            )
        elif self.ocop_year and self.ocop_year > timezone.localdate().year:
            errors.setdefault("ocop_year", []).append(_("The rating year cannot be in the future."))
        if self.product_id and self.category_id and self.product.category_id != self.category_id:
            allowed = {self.product.category_id, *[c.pk for c in self.product.category.ancestors()]}
            if self.category_id not in allowed:
                errors.setdefault("product", []).append(
                    _("This product belongs to the category “%(name)s”.")
                    % {"name": self.product.category.name}
                )
        if errors:
            raise ValidationError(errors)


class ImportJob(models.Model):
    """A large spreadsheet import, run by a worker (``listings.import_jobs``).

    The file is kept in the row (at most ``IMPORT_MAX_BYTES``), so the web and the worker need
    no shared disk. All or nothing: every row is checked first; any error fails the job with
    all of them listed, and nothing is saved.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking the rows")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped as duplicates"), default=0)
    # [{"row": 3, "column": "province", "message": "Unknown province “Kon Tumm”."}, …]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
